"""Parity: the decision engine gives exactly the same results in Pyodide as in CPython.

Every path of every default flow (each tree in decision_trees/) is run through
`run_json(tree_json, answers_json)`, the JSON-in, JSON-out function the browser calls, once
in CPython and once in Pyodide (Node, `tests/parity/pyodide_runner.mjs`, all cases in ONE
Pyodide start), loading the engine from the same zip the site will ship
(`generator.engine_bundle.engine_zip_bytes()`). The parsed results must be equal, and so must
the raw JSON text.

Besides the paths (their count is checked against `enumerate_paths`), the same batch holds
the states a visitor passes through on the way (every prefix of every path's answers, which
give "question" results) and a few bad answers, since those are what the page shows most.

Skipped only when `node` or node_modules/pyodide is missing (run `npm ci`); when the CI
environment variable is set, a missing one fails instead: CI installs both.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.engine import enumerate_paths, run_json
from generator.engine_bundle import ENGINE_DIR, PACKAGE_NAME, ZIP_TIMESTAMP, engine_zip_bytes
from generator.runtime import fast_start_files, pyodide_package
from generator.project import Project
from generator.siteconfig import settings_for

REPO = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).resolve().parent / "pyodide_runner.mjs"
PYODIDE_DIR = REPO / "node_modules" / "pyodide"
SHOW_MISMATCHES = 5


# --- the zip --------------------------------------------------------------------------------


def engine_sources() -> dict[str, bytes]:
    return {
        path.relative_to(ENGINE_DIR).as_posix(): path.read_bytes()
        for path in ENGINE_DIR.rglob("*.py")
        if "__pycache__" not in path.relative_to(ENGINE_DIR).parts
    }


def test_engine_zip_is_deterministic(tmp_path):
    first = engine_zip_bytes()
    assert engine_zip_bytes() == first
    # A copy of the sources with other modification times gives the very same bytes.
    copy = tmp_path / "engine"
    shutil.copytree(ENGINE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for number, path in enumerate(sorted(copy.rglob("*"))):
        os.utime(path, (1_700_000_000 + number * 7919, 1_700_000_000 + number * 7919))
    assert engine_zip_bytes(engine_dir=copy) == first


def test_engine_zip_holds_the_engine_package_and_nothing_else():
    archive = zipfile.ZipFile(io.BytesIO(engine_zip_bytes()))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == sorted(names), "entries must be sorted"
    sources = engine_sources()
    assert "__init__.py" in sources
    assert names == sorted(f"{PACKAGE_NAME}/{name}" for name in sources)
    for info in archive.infolist():
        assert info.filename.startswith(f"{PACKAGE_NAME}/"), info.filename
        assert info.filename.endswith(".py") and "__pycache__" not in info.filename, info.filename
        assert info.date_time == ZIP_TIMESTAMP, info.filename
        relative = info.filename[len(PACKAGE_NAME) + 1:]
        assert archive.read(info) == sources[relative], f"{info.filename} differs from its source"


def test_engine_zip_imports_on_its_own_without_the_project(tmp_path):
    """Unpacked in a fresh, isolated interpreter (no project on sys.path), as in Pyodide."""
    zipfile.ZipFile(io.BytesIO(engine_zip_bytes())).extractall(tmp_path / "engine")
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(tmp_path / 'engine')!r})\n"
        f"import {PACKAGE_NAME} as engine\n"
        "tree = {'format': 1, 'id': 't', 'start': 'a', 'nodes': {"
        "'a': {'id': 'a', 'kind': 'info', 'next': [{'if': 'answered(a)', 'goto': 'b'}]},"
        "'b': {'id': 'b', 'kind': 'outcome', 'actions': [{'text': 'x'}]}}}\n"
        "out = json.loads(engine.run_json(json.dumps(tree), json.dumps({'a': True})))\n"
        "assert out['status'] == 'outcome', out\n"
        "assert not any(m == 'generator' or m.startswith('generator.') for m in sys.modules)\n"
        "print(engine.__file__)\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(str(tmp_path / "engine" / PACKAGE_NAME))


# --- the cases ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flows() -> dict[str, dict]:
    project = Project.load(settings_for(REPO))
    assert [p.format() for p in project.report.errors] == []
    expected = sorted(p.stem for p in (REPO / "decision_trees").glob("*.yml"))
    assert sorted(project.flows) == expected and expected, "every default tree must compile"
    return project.flows


@pytest.fixture(scope="module")
def cases(flows):
    """(tree id, answers, label, path item or None) for every path, then the extra states;
    and the path count."""
    paths, extra, seen = [], [], set()
    path_count = 0
    for tree_id, tree in sorted(flows.items()):
        found = list(enumerate_paths(tree))
        path_count += len(found)
        for number, item in enumerate(found):
            label = f"{tree_id} path {number}: {' > '.join(item['path'])} ({item['outcome'] or item['problem']})"
            paths.append((tree_id, item["answers"], label, item))
            keys = list(item["answers"])
            for size in range(len(keys)):  # the states on the way: "question" results
                prefix = {k: item["answers"][k] for k in keys[:size]}
                key = (tree_id, json.dumps(prefix, sort_keys=True))
                if key not in seen:
                    seen.add(key)
                    extra.append((tree_id, prefix, f"{tree_id} prefix {' > '.join(keys[:size]) or '(start)'}", None))
        start = tree["start"]
        for bad in ({start: "__no_such_answer__"}, {start: None}, {start: [1, {"x": 2.5}]},
                    {"__no_such_node__": True}, {start: "åäö \u2028 \U0001F600"}):
            extra.append((tree_id, bad, f"{tree_id} bad answer {json.dumps(bad, ensure_ascii=False)}", None))
    return paths, extra, path_count


def node_and_pyodide_or_skip():
    missing = []
    if shutil.which("node") is None:
        missing.append("`node` is not on PATH")
    if not (PYODIDE_DIR / "pyodide.mjs").is_file():
        missing.append(f"{PYODIDE_DIR.relative_to(REPO)} is missing (run `npm ci`)")
    if missing:
        reason = "Pyodide parity needs Node and the pinned pyodide package: " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI installs both, so this must not be skipped there)")
        pytest.skip(reason)


@pytest.fixture(scope="module", params=["plain start", "site start", "snapshot start"])
def parity_run(request, flows, cases, tmp_path_factory):
    """Run every case in CPython and, in one Pyodide start, in Node; return both sides.

    Three times: the ordinary start with the package's whole stdlib (the fallback without Node);
    the start a site ships, with the standard library cut down to what the build traced (so a
    module the engine needs and the trace missed fails here); and the opt-in snapshot start,
    restored as the browser restores it."""
    node_and_pyodide_or_skip()
    paths, extra, _ = cases
    all_cases = paths + extra
    work = tmp_path_factory.mktemp("parity")
    engine = engine_zip_bytes()
    (work / "engine.zip").write_bytes(engine)
    fast = {}
    if request.param != "plain start":
        stdlib, snapshot = fast_start_files(pyodide_package(REPO), engine, snapshot=request.param == "snapshot start")
        fast = {"stdlib": str(stdlib), **({"snapshot": str(snapshot)} if snapshot else {})}
    (work / "cases.json").write_text(json.dumps({
        **fast,
        "engine_zip": str(work / "engine.zip"),
        "trees": flows,
        "cases": [{"tree": tree_id, "answers": answers} for tree_id, answers, _, _ in all_cases],
    }, ensure_ascii=False), encoding="utf-8")

    tree_json = {tree_id: json.dumps(tree, ensure_ascii=False) for tree_id, tree in flows.items()}
    expected_raw = [run_json(tree_json[tree_id], json.dumps(answers, ensure_ascii=False))
                    for tree_id, answers, _, _ in all_cases]

    done = subprocess.run(["node", str(RUNNER), str(work / "cases.json")], capture_output=True,
                          cwd=REPO, timeout=600, encoding="utf-8")
    assert done.returncode == 0, f"the Pyodide runner failed ({done.returncode}):\n{done.stderr[-4000:]}"
    info = re.search(r"^PYODIDE_INFO (\{.*\})$", done.stderr, re.MULTILINE)
    assert info, f"the runner did not report its versions:\n{done.stderr[-4000:]}"
    return {
        "cases": all_cases,
        "expected_raw": expected_raw,
        "stdout": done.stdout,
        "actual": json.loads(done.stdout),
        "info": json.loads(info.group(1)),
    }


def describe_mismatches(cases, expected, actual) -> str:
    wrong = [i for i, (e, a) in enumerate(zip(expected, actual)) if e != a]
    out = [f"{len(wrong)} of {len(expected)} cases differ between CPython and Pyodide; the first ones:"]
    for index in wrong[:SHOW_MISMATCHES]:
        tree_id, answers, label, _ = cases[index]
        out.append(f"\n--- case {index}: {label}\n    answers: {json.dumps(answers, ensure_ascii=False)}")
        diff = difflib.unified_diff(
            json.dumps(expected[index], indent=1, ensure_ascii=False).splitlines(),
            json.dumps(actual[index], indent=1, ensure_ascii=False).splitlines(),
            "cpython", "pyodide", lineterm="", n=2)
        out.extend("    " + line for line in list(diff)[:60])
    return "\n".join(out)


def test_pyodide_reports_its_python(parity_run):
    info = parity_run["info"]
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    package = json.loads((PYODIDE_DIR / "package.json").read_text(encoding="utf-8"))
    print(f"\nPyodide {info['pyodide']} runs Python {info['python']}; "
          f"CPython here is {sys.version.split()[0]}")
    assert re.fullmatch(r"3\.\d+\.\d+", info["python"]), info
    assert info["python"] == lock["info"]["python"]
    assert info["pyodide"] == package["version"]


def test_every_path_of_every_default_flow_is_a_case(parity_run, cases):
    paths, extra, path_count = cases
    assert len(paths) == path_count
    assert path_count >= 540  # riskinventering alone has 540
    assert parity_run["info"]["cases"] == len(paths) + len(extra) == len(parity_run["actual"])


def test_paths_give_the_same_results_in_pyodide_and_cpython(parity_run, cases):
    paths = cases[0]
    expected = [json.loads(raw) for raw in parity_run["expected_raw"][:len(paths)]]
    actual = parity_run["actual"][:len(paths)]
    assert len(actual) == len(expected)
    assert actual == expected, describe_mismatches(paths, expected, actual)
    # And each path ends where enumerate_paths says it does.
    for (_, _, label, item), result in zip(paths, expected):
        if item["outcome"] is not None:
            assert result["status"] == "outcome" and result["outcome"]["id"] == item["outcome"], label
            assert result["path"] == item["path"], label
        else:
            assert result["status"] == "error", label


def test_states_on_the_way_and_bad_answers_give_the_same_results(parity_run, cases):
    paths, extra, _ = cases
    expected = [json.loads(raw) for raw in parity_run["expected_raw"][len(paths):]]
    actual = parity_run["actual"][len(paths):]
    assert len(actual) == len(expected) == len(extra)
    assert actual == expected, describe_mismatches(extra, expected, actual)


def test_the_json_text_is_identical_too(parity_run):
    """Byte for byte: the runner passes run_json's strings through untouched."""
    expected = "[" + ",".join(parity_run["expected_raw"]) + "]\n"
    if parity_run["stdout"] != expected:
        got = parity_run["stdout"].rstrip("\n")[1:-1]
        for index, raw in enumerate(parity_run["expected_raw"]):
            if not got.startswith(raw):
                pytest.fail(f"case {index} ({parity_run['cases'][index][2]}): JSON text differs\n"
                            f"cpython: {raw[:800]}\npyodide: {got[:800]}")
            got = got[len(raw) + 1:]
        pytest.fail("the JSON text differs after the last case")
