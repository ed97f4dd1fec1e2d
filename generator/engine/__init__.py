"""The decision engine of Tryggt uppdrag: standard library only, runs unchanged in Pyodide.

    from generator.engine import Flow
    flow = Flow(compiled)            # validates the shape, parses every `if:` once
    result = flow.run(answers)       # never raises on bad answers
    answers = flow.answer(answers, node_id, answer)   # validated; raises EngineError

See docs/tree-format.md for the compiled form, answers and the expression language.
"""

from __future__ import annotations

import json

from .engine import Flow
from .errors import EngineError, ExpressionError
from .evaluation import evaluate
from .expressions import parse
from .paths import enumerate_paths, format_paths
from .routes import static_routes

__all__ = [
    "Flow",
    "EngineError",
    "ExpressionError",
    "enumerate_paths",
    "format_paths",
    "parse",
    "evaluate",
    "run_json",
    "static_routes",
]

_cache: dict = {}


def run_json(compiled_json: str, answers_json: str) -> str:
    """JSON in, JSON out, for the browser: `Flow(compiled).run(answers)` as a JSON string.

    Never raises: a malformed tree or unreadable JSON gives
    {"status": "error", "message": ...} with the other result keys empty.
    """
    try:
        flow = _cache.get(compiled_json)
        if flow is None:
            flow = Flow(json.loads(compiled_json))
            _cache.clear()  # one tree at a time is all a page needs
            _cache[compiled_json] = flow
        answers = json.loads(answers_json) if answers_json else {}
        result = flow.run(answers)
    except (EngineError, ValueError, TypeError, RecursionError) as err:
        result = {
            "status": "error",
            "node": None,
            "path": [],
            "answers": {},
            "outcome": None,
            "message": str(err),
        }
    return json.dumps(result, ensure_ascii=False)
