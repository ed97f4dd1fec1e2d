"""The benchmark's quick run (benchmarks/run.py --quick): every section runs and records numbers.

Nothing here asserts a time: the benchmark measures, it does not pass or fail on speed.
"""

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUN = REPO / "benchmarks" / "run.py"
# Every section measures on a machine set up by scripts/setup.sh --test; none may skip.
MAY_SKIP: set[str] = set()


def numbers(value) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [value]
    if isinstance(value, dict):
        return [n for item in value.values() for n in numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in numbers(item)]
    return []


def test_quick_run_records_every_section(tmp_path: Path):
    spec = importlib.util.spec_from_file_location("benchmark_run", RUN)
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)

    done = subprocess.run([sys.executable, str(RUN), "--quick", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-4000:]

    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    sections = results["sections"]
    assert set(sections) == set(run.SECTIONS)
    for name, section in sections.items():
        if "skipped" in section:
            assert name in MAY_SKIP, f"{name}: {section['skipped']}"
            continue
        found = numbers(section)
        assert found, name
        assert all(math.isfinite(n) and n >= 0 for n in found), name

    browser = sections["browser"]
    assert browser["pages"]["bare"]["cold"]["ready_ms"] > 0
    assert browser["pages"]["flow as built"]["cold"]["answerable_ms"] > 0
    assert browser["ratio_cold"] > 0

    network = sections["network"]["profiles"]
    loopback = network["loopback"]["plain"]
    assert loopback["ratio_ready_cold"] > 0
    assert loopback["flow"]["cold"]["runtime_bytes"] > 0 and loopback["bare"]["cold"]["runtime_bytes"] > 0
    assert loopback["flow"]["warm"]["runtime_bytes"] == 0, "a second visit fetches the runtime again"
    throttled = network["20 Mbit/s, 40 ms"]["plain"]["flow"]["cold"]
    # The worker's own downloads obey the page's network emulation (a little slack for the clock).
    assert 0 < throttled["worker_mbit_s"] <= 20 * 1.1

    shift = sections["shift"]["pages"]  # every flow page, cold, on loopback
    assert "floden/vad-gor-jag-nu.html" in shift and len(shift) >= 2
    assert all(entry["loopback"]["ready_ms"] > 0 and entry["loopback"]["cls"] >= 0 for entry in shift.values())

    build = sections["build"]
    assert all(stats["wall_s"] > 0 and stats["peak_rss_mb"] > 0 for stats in build["variants"].values())
    assert build["ratios"] and all(ratio > 0 for ratio in build["ratios"].values())
    assert {"handbok build", run.PAGE_CHANGED, "handbok build --no-pdf"} <= set(build["variants"])
    serve = sections["serve"]
    assert serve["runs"] == 1 and 0 < serve["save_to_page_s"]["median"] < 120 and serve["first_build_s"] > 0
    assert [(row["pages"], row["trees"]) for row in sections["scale"]["sizes"]] == run.QUICK_SIZES
    assert all(row["site"]["bytes"] > 0 and row["build"]["peak_rss_mb"] > 0 for row in sections["scale"]["sizes"])
    assert len(sections["check"]["sizes"]) == len(run.QUICK_SIZES) + 1  # and the default site
    assert sections["site"]["files"] > 0 and sections["site"]["bytes"] > 0
    assert results["machine"]["python"] and results["command"].startswith(".venv/bin/python benchmarks/run.py")

    report = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    for title, _ in run.RENDER.values():
        assert f"## {title}" in report


def test_the_profile_lists_where_the_time_of_check_goes(tmp_path: Path):
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "profile.py"), "--only", "check", "--top", "5",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "## handbok check" in done.stdout and "own time by area" in done.stdout
    assert "generator/project.py" in done.stdout  # the generator's own files, by name
    assert (tmp_path / "profile-check.prof").stat().st_size > 0
