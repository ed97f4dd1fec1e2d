"""The JavaScript unit tests (every *.test.mjs in tests/js/, Node's own test runner), run from
pytest so that the one test command runs them too."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).resolve().parent / "js"


def test_javascript_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed (scripts/setup.sh needs it for the site anyway)")
    files = sorted(str(path) for path in JS_TESTS.iterdir() if path.name.endswith((".test.mjs", ".test.js", ".test.cjs")))
    assert files, f"no *.test.mjs in {JS_TESTS}"
    done = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-4000:]
    # Every file ran (a file that fails to load is one failing test, not none).
    ran = re.search(r"^# tests (\d+)$", done.stdout, re.M)
    assert ran and int(ran.group(1)) >= len(files), done.stdout[-2000:]
