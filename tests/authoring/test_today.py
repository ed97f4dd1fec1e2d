"""Review dates are measured against TRYGGT_TODAY when it is set: the tests pin it (tests/conftest.py,
site_tests/site_support.py), so they pass next year too, and the stale warnings still come when
the day is later."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from generator.cli import main
from generator.project import Project
from generator.siteconfig import settings_for

REPO = Path(__file__).resolve().parents[2]


def reviewed_dates(root: Path) -> dict[str, dt.date]:
    """Every page's and flow's `reviewed`, by file."""
    project = Project.load(settings_for(root))
    dates = {page.path: page.meta["reviewed"] for page in project.pages.values() if "reviewed" in page.meta}
    dates.update({f"decision_trees/{key}.yml": dt.date.fromisoformat(flow["reviewed"]) for key, flow in project.flows.items()})
    return dates


def check(capsys, *args):
    code = main(["--root", str(REPO), "check", *args])
    return code, capsys.readouterr().out


def test_the_content_is_fresh_on_the_tests_today(capsys, fixed_today):
    assert settings_for(REPO).today == dt.date.fromisoformat(fixed_today)
    assert max(reviewed_dates(REPO).values()) <= dt.date.fromisoformat(fixed_today)
    code, out = check(capsys, "--strict")
    # Notes may stand above (the pocket card's tip left out); no error and no warning.
    assert (code, out.splitlines()[-1].split(" in ")[0]) == (0, "0 error(s), 0 warning(s)"), out


def test_two_years_after_the_newest_review_every_page_and_flow_is_stale(capsys, monkeypatch, tmp_path):
    dates = reviewed_dates(REPO)
    later = max(dates.values()) + dt.timedelta(days=730)
    monkeypatch.setenv("TRYGGT_TODAY", later.isoformat())
    code, out = check(capsys)
    assert code == 0, out  # warnings only
    stale = dict(re.findall(r"^  (\S+?):\d+:\d+: warning: the (?:page|flow) was last reviewed (\S+), more than 365 days ago",
                            out, re.M))
    assert stale == {path: date.isoformat() for path, date in dates.items()}
    assert len(stale) > 10
    assert check(capsys, "--strict")[0] == 1
    assert main(["--root", str(REPO), "build", "--strict", "--no-pdf", "--site-dir", str(tmp_path / "site")]) == 1
    assert "build stopped" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_the_plugin_takes_the_same_today(small_project, fixed_today):
    """`mkdocs build --strict` (the plugin's own load) fails on a stale page only when today is later."""
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - tryggt\n", "  - tryggt:\n      pdf: false\n"),
                      encoding="utf-8")

    def mkdocs_build(today: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                              capture_output=True, text=True, timeout=300, cwd=small_project,
                              env={**os.environ, "TRYGGT_TODAY": today})

    fresh = mkdocs_build(fixed_today)
    assert fresh.returncode == 0, fresh.stderr
    stale = mkdocs_build("2029-01-01")
    assert stale.returncode == 1
    assert "content/index.md:5:1: warning: the page was last reviewed 2026-11-01, more than 365 days ago" in stale.stderr


def test_a_today_that_is_no_date_is_a_usage_error(small_project, monkeypatch, capsys):
    monkeypatch.setenv("TRYGGT_TODAY", "1 december")
    assert main(["--root", str(small_project), "check"]) == 2
    assert capsys.readouterr().err == "handbok: TRYGGT_TODAY='1 december' is not a date: write it as YYYY-MM-DD, or unset it\n"


def test_the_browser_tests_build_with_the_same_today(fixed_today):
    spec = importlib.util.spec_from_file_location("site_support", REPO / "site_tests" / "site_support.py")
    site_support = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(site_support)
    assert site_support.TODAY == fixed_today
    assert site_support.BUILD_ENV["TRYGGT_TODAY"] == fixed_today

