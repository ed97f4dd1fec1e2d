"""The decision engine: validates a compiled tree and walks it with a set of answers.

`Flow(compiled)` checks the shape of the compiled form (docs/tree-format.md) and parses
every `if:` once (of routing rules and of outcome actions). `Flow.run(answers)` never raises
on bad answers: an invalid answer counts as unanswered, and answers for nodes off the
resulting path are dropped from the result. An outcome in a result lists only the actions
whose `if:` holds for the answers on the path, each with its position in the tree ("index").
"""

from __future__ import annotations

import copy

from .errors import EngineError, ExpressionError
from .evaluation import FlowInfo, evaluate, expression_problems
from .expressions import parse
from .forms import check_form_answer, compile_template, fill, validate_form, validate_template
from .routes import static_routes

KINDS = ("choice", "checklist", "rating", "info", "form", "outcome")
FORMAT = 1


def _is_id(value) -> bool:
    return isinstance(value, str) and value != ""


class Flow:
    """A validated, ready-to-run decision tree."""

    def __init__(self, compiled):
        self.compiled = compiled
        self._routes = None
        self._validate(compiled)

    # ------------------------------------------------------------------ validation

    def _fail(self, message: str):
        tree = self.compiled.get("id") if isinstance(self.compiled, dict) else None
        prefix = f"tree '{tree}': " if _is_id(tree) else "tree: "
        raise EngineError(prefix + message)

    def _validate(self, compiled):
        if not isinstance(compiled, dict):
            raise EngineError(f"a compiled tree must be a dict, not {type(compiled).__name__}")
        if compiled.get("format") != FORMAT:
            self._fail(f"'format' must be {FORMAT}, found {compiled.get('format')!r}")
        if not _is_id(compiled.get("id")):
            self._fail("'id' must be a non-empty string")
        self.id = compiled["id"]
        self.title = compiled.get("title") or ""

        scales = compiled.get("scales", {})
        if scales is None:
            scales = {}
        if not isinstance(scales, dict):
            self._fail("'scales' must be a dict of scale id -> list of steps")
        self.scales: dict[str, list[dict]] = {}
        for name, steps in scales.items():
            if not isinstance(steps, list) or not steps:
                self._fail(f"scale '{name}' must be a non-empty list of steps")
            seen = set()
            for step in steps:
                if not isinstance(step, dict) or not _is_id(step.get("id")):
                    self._fail(f"scale '{name}': every step needs an 'id'")
                if step["id"] in seen:
                    self._fail(f"scale '{name}': step '{step['id']}' appears twice")
                if not isinstance(step.get("label", ""), str):
                    self._fail(f"scale '{name}': step '{step['id']}' has a label that is not text")
                seen.add(step["id"])
            self.scales[name] = steps

        nodes = compiled.get("nodes")
        if not isinstance(nodes, dict) or not nodes:
            self._fail("'nodes' must be a non-empty dict of node id -> node")
        self.nodes: dict[str, dict] = nodes
        start = compiled.get("start")
        if not _is_id(start) or start not in nodes:
            self._fail(f"'start' names a missing node: {start!r}")
        self.start = start

        self.levels: dict[str, list[str]] = {}
        self.options: dict[str, dict[str, dict]] = {}
        self.items: dict[str, list[str]] = {}
        self.fields: dict[str, dict[str, dict]] = {}  # form node -> field id -> field
        self._raw_rules: dict[str, list] = {}
        for key, node in nodes.items():
            self._validate_node(key, node)
        self.accounts = self._compile_accounts(nodes)
        self.info = FlowInfo(self.levels)

        # rules: node id -> [(parsed expression or None, goto, position of rule)]
        self.rules: dict[str, list[tuple]] = {}
        # outcome id -> [parsed expression or None, one per action]
        self.action_conditions: dict[str, list] = {}
        for key, node in nodes.items():
            self.rules[key] = [self._compile_rule(key, i, rule) for i, rule in enumerate(self._raw_rules[key])]
            if node["kind"] == "outcome":
                self.action_conditions[key] = [self._compile_action_condition(key, i, action)
                                               for i, action in enumerate(node["actions"])]

    def _compile_accounts(self, nodes) -> dict[str, dict]:
        """Outcome id -> its template, validated and read once into parts (forms.compile_template)."""
        accounts = {}
        for key, node in nodes.items():
            if node["kind"] == "outcome" and node.get("template") is not None:
                validate_template(self._fail, key, node["template"], nodes, self.fields)
                accounts[key] = compile_template(node["template"], nodes, self.fields)
        return accounts

    def _validate_node(self, key, node):
        if not isinstance(node, dict):
            self._fail(f"node '{key}' must be a dict")
        if node.get("id") != key:
            self._fail(f"node '{key}' has id {node.get('id')!r}; the key and the id must agree")
        kind = node.get("kind")
        if kind not in KINDS:
            self._fail(f"node '{key}' has unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if not isinstance(node.get("title", ""), str):
            self._fail(f"node '{key}': 'title' must be text")
        rules = node.get("next", [])
        if rules is None:
            rules = []
        if not isinstance(rules, list):
            self._fail(f"node '{key}': 'next' must be a list of rules {{\"if\", \"goto\"}}")
        self._raw_rules[key] = rules

        if kind == "outcome":
            self._validate_outcome(key, node, rules)
            return
        if kind in ("choice", "checklist"):
            self._validate_options(key, node, kind, rules)
        elif kind == "rating":
            self._validate_rating(key, node)
        elif kind == "form":
            self.fields[key] = validate_form(self._fail, key, node)
        if kind != "choice" and not rules:
            self._fail(f"{kind} node '{key}' needs 'next'")

    def _validate_outcome(self, key, node, rules):
        if rules:
            self._fail(f"outcome '{key}' must not have 'next'")
        actions = node.get("actions")
        if not isinstance(actions, list) or not actions:
            self._fail(f"outcome '{key}' needs at least one action")
        for index, action in enumerate(actions):
            if not isinstance(action, dict) or not isinstance(action.get("text"), str):
                self._fail(f"outcome '{key}': every action must be a dict with 'text'")
            if action.get("if") is not None and not isinstance(action["if"], str):
                self._fail(f"outcome '{key}', action {index + 1}: 'if' must be an expression string or null")
        for field in ("call", "document", "inform"):
            value = node.get(field, [])
            if value is not None and not isinstance(value, list):
                self._fail(f"outcome '{key}': '{field}' must be a list")

    def _validate_options(self, key, node, kind, rules):
        options = node.get("options")
        if not isinstance(options, list) or not options:
            self._fail(f"{kind} node '{key}' needs a non-empty list of options")
        table = {}
        for option in options:
            if not isinstance(option, dict) or not _is_id(option.get("id")):
                self._fail(f"{kind} node '{key}': every option needs an 'id'")
            if option["id"] in table:
                self._fail(f"{kind} node '{key}': option '{option['id']}' appears twice")
            if not isinstance(option.get("label", ""), str):
                self._fail(f"{kind} node '{key}': option '{option['id']}' has a label that is not text")
            target = option.get("next")
            if kind == "choice" and target is not None:
                if not _is_id(target) or target not in self.nodes:
                    self._fail(
                        f"choice node '{key}': option '{option['id']}' leads to missing node {target!r}"
                    )
                if target == key:
                    self._fail(f"choice node '{key}': option '{option['id']}' leads back to itself")
            if kind == "choice" and target is None and not rules:
                self._fail(
                    f"choice node '{key}': option '{option['id']}' has no 'next' and the node has no rules"
                )
            table[option["id"]] = option
        self.options[key] = table

    def _validate_rating(self, key, node):
        scale = node.get("scale")
        if scale not in self.scales:
            self._fail(f"rating node '{key}' uses unknown scale {scale!r}")
        self.levels[key] = [step["id"] for step in self.scales[scale]]
        items = node.get("items")
        if not isinstance(items, list) or not items:
            self._fail(f"rating node '{key}' needs a non-empty list of items")
        ids = []
        for item in items:
            if not isinstance(item, dict) or not _is_id(item.get("id")):
                self._fail(f"rating node '{key}': every item needs an 'id'")
            if item["id"] in ids:
                self._fail(f"rating node '{key}': item '{item['id']}' appears twice")
            if not isinstance(item.get("label", ""), str):
                self._fail(f"rating node '{key}': item '{item['id']}' has a label that is not text")
            ids.append(item["id"])
        self.items[key] = ids

    def _compile_rule(self, key, index, rule):
        where = f"node '{key}', rule {index + 1}"
        if not isinstance(rule, dict):
            self._fail(f"{where}: a rule must be a dict {{\"if\", \"goto\"}}")
        goto = rule.get("goto")
        if not _is_id(goto) or goto not in self.nodes:
            self._fail(f"{where}: goto to missing node {goto!r}")
        if goto == key:
            self._fail(f"{where}: goto leads back to the node itself")
        text = rule.get("if")
        if text is None:
            return (None, goto, index)
        if not isinstance(text, str):
            self._fail(f"{where}: 'if' must be an expression string or null")
        return (self._parse_checked(where, text), goto, index)

    def _compile_action_condition(self, key, index, action):
        text = action.get("if")
        if text is None:
            return None
        return self._parse_checked(f"outcome '{key}', action {index + 1}", text)

    def _parse_checked(self, where, text):
        """A routing or action condition, parsed and checked against the tree; errors name `where`."""
        try:
            expr = parse(text)
        except ExpressionError as err:
            raise ExpressionError(
                f"tree '{self.id}', {where}: {err.reason} in {text!r}", err.position, text
            ) from None
        self._check_expression(where, text, expr)
        return expr

    def _check_expression(self, where, text, expr):
        kinds = {key: node["kind"] for key, node in self.nodes.items()}
        options = {key: list(table) for key, table in self.options.items()}
        for p in expression_problems(expr, kinds, options, self.levels, self.fields)[:1]:
            if p.code == "unknown-node":
                self._fail(f"{where}: {text!r} refers to unknown node '{p.node}'")
            if p.code == "count-needs-checklist":
                self._fail(f"{where}: count({p.node}) needs a checklist node, '{p.node}' is a {p.kind}")
            if p.code == "needs-rating":
                self._fail(f"{where}: {p.function}({p.node}, ...) needs a rating node, '{p.node}' is a {p.kind}")
            if p.code == "unknown-level":
                self._fail(f"{where}: level {p.value!r} is not on the scale of '{p.node}' ({', '.join(p.allowed)})")
            if p.code == "option-test-wrong-kind":
                self._fail(f"{where}: {text!r} tests option {p.value!r} with '{p.function}', "
                           f"which needs a {p.allowed[0]} node; '{p.node}' is a {p.kind}")
            if p.code == "needs-form":
                self._fail(f"{where}: {p.function}({p.node}, ...) needs a form node, '{p.node}' is a {p.kind}")
            if p.code == "unknown-field":
                self._fail(f"{where}: {p.value!r} is not a field of '{p.node}'")
            if p.code == "needs-yesno":
                self._fail(f"{where}: yes({p.node}, {p.value!r}) needs a yes/no field")
            self._fail(f"{where}: {text!r} names option {p.value!r}, which '{p.node}' does not have")

    # ------------------------------------------------------------------ answers

    def check_answer(self, node_id, answer):
        """Return (normalised answer, None) when valid, else (None, reason)."""
        node = self.nodes.get(node_id) if isinstance(node_id, str) else None
        if node is None:
            return None, f"unknown node {node_id!r}"
        kind = node["kind"]
        if kind == "outcome":
            return None, f"'{node_id}' is an outcome and takes no answer"
        if kind == "info":
            if answer is True:
                return True, None
            return None, f"info node '{node_id}' takes true (seen)"
        if kind == "form":
            return check_form_answer(node_id, self.fields[node_id], answer)
        if kind == "choice":
            if isinstance(answer, str) and answer in self.options[node_id]:
                return answer, None
            return None, f"{answer!r} is not an option of '{node_id}'"
        if kind == "checklist":
            if not isinstance(answer, list):
                return None, f"checklist '{node_id}' takes a list of option ids"
            table = self.options[node_id]
            for value in answer:
                if not isinstance(value, str) or value not in table:
                    return None, f"{value!r} is not an option of '{node_id}'"
            if len(set(answer)) != len(answer):
                return None, f"checklist '{node_id}': an option appears twice"
            chosen = set(answer)
            return [o for o in table if o in chosen], None
        # rating
        if not isinstance(answer, dict):
            return None, f"rating '{node_id}' takes a dict of item id -> level"
        items, levels = self.items[node_id], self.levels[node_id]
        for item, level in answer.items():
            if item not in items:
                return None, f"{item!r} is not an item of '{node_id}'"
            if not isinstance(level, str) or level not in levels:
                return None, f"{level!r} is not a level of the scale of '{node_id}'"
        missing = [i for i in items if i not in answer]
        if missing:
            return None, f"rating '{node_id}': every item must be rated (missing {', '.join(missing)})"
        return {i: answer[i] for i in items}, None

    def answer(self, answers, node_id, answer) -> dict:
        """Return a new answers dict with node_id set to a validated answer."""
        if answers is None:
            answers = {}
        if not isinstance(answers, dict):
            raise EngineError("answers must be a dict of node id -> answer")
        value, reason = self.check_answer(node_id, answer)
        if reason is not None:
            raise EngineError(reason)
        new = dict(answers)
        new[node_id] = value
        return new

    # ------------------------------------------------------------------ routing

    @property
    def routes(self) -> dict[str, dict]:
        """Where each answer leads when the tree alone decides it (engine/routes.py)."""
        if self._routes is None:
            self._routes = static_routes(self)
        return self._routes

    def route(self, node_id, answers) -> str | None:
        """The next node after an answered node, or None when no rule matches (a dead end).

        `answers` are the (valid) answers on the path so far, including this node's.
        Raises ExpressionError only for arithmetic out of range.
        """
        node = self.nodes[node_id]
        if node["kind"] == "choice":
            target = self.options[node_id][answers[node_id]].get("next")
            if target is not None:
                return target
        for expr, goto, _ in self.rules[node_id]:
            if expr is None or evaluate(expr, answers, self.info) is True:
                return goto
        return None

    def outcome_actions(self, node_id, answers=None) -> list:
        """The actions of an outcome that apply: those without `if`, and those whose `if` is
        true for `answers` (the answers on the path). Each is a copy with one more key,
        "index": its position in the outcome's list of actions (0-based). With `answers`
        None, every action. Raises ExpressionError only for arithmetic out of range."""
        node = self.nodes[node_id]
        shown = []
        for index, (action, expr) in enumerate(zip(node["actions"], self.action_conditions[node_id])):
            if expr is not None and answers is not None and evaluate(expr, answers, self.info) is not True:
                continue
            action = copy.deepcopy(action)
            action["index"] = index
            shown.append(action)
        return shown

    def outcome(self, node_id, answers=None) -> dict:
        """An outcome for the answers on its path; with a template, the "account" it assembles."""
        node = self.nodes[node_id]
        result = {
            "id": node_id,
            "title": node.get("title") or "",
            "text": node.get("text") or "",
            "call": copy.deepcopy(node.get("call") or []),
            "actions": self.outcome_actions(node_id, answers),
            "document": copy.deepcopy(node.get("document") or []),
            "inform": copy.deepcopy(node.get("inform") or []),
        }
        if node_id in self.accounts:
            result["account"] = fill(self.accounts[node_id], answers or {}, self.nodes)
        return result

    def run(self, answers) -> dict:
        """Walk from start with the given answers; never raises on bad answers."""
        if not isinstance(answers, dict):
            answers = {}
        kept: dict = {}
        path: list[str] = []
        node_id = self.start
        visited = set()

        def result(status, message=None, outcome=None):
            return {
                "status": status,
                "node": node_id,
                "path": path,
                "answers": kept,
                "outcome": outcome,
                "message": message,
            }

        while True:
            if node_id in visited:
                path.append(node_id)
                return result("error", f"the flow loops: '{node_id}' is reached a second time")
            visited.add(node_id)
            path.append(node_id)
            node = self.nodes[node_id]
            if node["kind"] == "outcome":
                try:
                    outcome = self.outcome(node_id, kept)
                except ExpressionError as err:
                    return result("error", f"outcome '{node_id}': {err}")
                return result("outcome", outcome=outcome)
            value, reason = self.check_answer(node_id, answers.get(node_id))
            if reason is not None:
                return result("question")
            kept[node_id] = value
            try:
                target = self.route(node_id, kept)
            except ExpressionError as err:
                return result("error", f"node '{node_id}': {err}")
            if target is None:
                return result("error", f"no rule of '{node_id}' matches these answers (a dead end)")
            node_id = target
