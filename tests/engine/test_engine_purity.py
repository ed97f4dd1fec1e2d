"""The engine must run unchanged in Pyodide: standard library only, nothing from the project,
no eval/exec/compile, no threads, subprocesses or file I/O."""

from __future__ import annotations

import ast
import importlib
import shutil
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "generator" / "engine"
FORBIDDEN_MODULES = {"ast", "threading", "subprocess", "multiprocessing", "concurrent", "asyncio",
                     "os", "io", "pathlib", "shutil", "socket", "importlib", "pickle", "marshal",
                     "ctypes", "tempfile", "builtins"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "open", "__import__", "getattr", "setattr", "globals",
                   "locals", "vars", "input", "breakpoint"}


def sources():
    files = sorted(ENGINE.glob("*.py"))
    assert files, "no engine sources found"
    return files


def test_imports_are_standard_library_or_relative():
    stdlib = sys.stdlib_module_names
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level > 0:
                    continue  # relative: inside the engine package
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                assert root != "generator", f"{path.name}:{node.lineno} imports from the project"
                assert root in stdlib or root == "__future__", f"{path.name}:{node.lineno} imports {root}"
                assert root not in FORBIDDEN_MODULES, f"{path.name}:{node.lineno} imports {root}"


def test_no_dynamic_evaluation_or_io():
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, f"{path.name}:{node.lineno} calls {node.func.id}"


def test_the_package_works_on_its_own(tmp_path, monkeypatch):
    """Copied out of the project under another name (as it is shipped to the browser)."""
    shutil.copytree(ENGINE, tmp_path / "standalone_engine", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("standalone_engine")
    try:
        compiled = {"format": 1, "id": "t", "start": "a",
                    "nodes": {"a": {"id": "a", "kind": "info", "next": [{"if": "answered(a)", "goto": "b"}]},
                              "b": {"id": "b", "kind": "outcome", "actions": [{"text": "x"}]}}}
        assert module.Flow(compiled).run({"a": True})["status"] == "outcome"
        assert "tree t: 1 paths" in module.format_paths(compiled)
    finally:
        for name in [m for m in sys.modules if m == "standalone_engine" or m.startswith("standalone_engine.")]:
            del sys.modules[name]
