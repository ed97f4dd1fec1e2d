"""The commands that read the calendar, run with the calendar moved a year and a day ahead (Debian's
faketime) and no TRYGGT_TODAY: a new site passes its own strict check on the day it was started,
and the example local site and this handbook still build, their review dates stale (warnings).
`init`, `check` and `build` take today from one function (generator.siteconfig.today)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def a_year_and_a_day_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=366)


@pytest.fixture(params=["after today", "after the pinned day"])
def later(request, fixed_today) -> dt.date:
    """A year and a day after the calendar's today, or after the day the other tests pin."""
    return a_year_and_a_day_after(dt.date.today() if request.param == "after today" else dt.date.fromisoformat(fixed_today))


def clean_environment() -> dict:
    """This process's environment without TRYGGT_TODAY, and without an outer faketime's (the suite
    itself may run under one), which would otherwise win over the clock set here."""
    return {key: value for key, value in os.environ.items()
            if key != "TRYGGT_TODAY" and key != "LD_PRELOAD" and not key.startswith("FAKETIME")}


def handbok_on(day: dt.date, *args, cwd: Path = REPO, pinned: str | None = None) -> subprocess.CompletedProcess:
    """`handbok` with the calendar at `day`, and TRYGGT_TODAY only when `pinned` is given."""
    faketime = shutil.which("faketime")
    if faketime is None:
        pytest.fail("Debian's faketime is not installed: run `bash scripts/setup.sh --test`")
    env = clean_environment()
    if pinned:
        env["TRYGGT_TODAY"] = pinned
    return subprocess.run([faketime, f"{day.isoformat()} 09:00:00", sys.executable, "-m", "generator.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_the_clock_is_moved_for_the_commands(later):
    printed = subprocess.run(["faketime", f"{later.isoformat()} 09:00:00", sys.executable, "-c",
                              "import generator.siteconfig as s; print(s.today())"],
                             capture_output=True, text=True, cwd=REPO,
                             env=clean_environment())
    assert printed.stdout.strip() == later.isoformat(), printed.stderr


def test_a_site_started_on_any_day_passes_its_own_strict_check_and_builds(later, tmp_path):
    site = tmp_path / "ny"
    started = handbok_on(later, "init", site, "--no-runtime")
    assert started.returncode == 0, started.stderr
    assert f"reviewed: {later.isoformat()}" in (site / "content" / "index.md").read_text(encoding="utf-8")
    checked = handbok_on(later, "--root", site, "check", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (site / "node_modules").symlink_to(REPO / "node_modules")  # the site's own Pyodide, as `npm install` gives it
    built = handbok_on(later, "--root", site, "build", "--no-pdf")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (site / "site" / "index.html").is_file()


def test_init_and_check_take_today_from_the_same_place(later, fixed_today, tmp_path):
    """With TRYGGT_TODAY pinned and the calendar elsewhere, the new site is reviewed on the pinned day."""
    site = tmp_path / "ny"
    assert handbok_on(later, "init", site, "--no-runtime", pinned=fixed_today).returncode == 0
    assert f"reviewed: {fixed_today}" in (site / "content" / "index.md").read_text(encoding="utf-8")
    checked = handbok_on(later, "--root", site, "check", "--strict", pinned=fixed_today)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("root", [REPO / "examples" / "kommun", REPO], ids=["example local site", "this handbook"])
def test_a_year_on_the_sites_build_and_say_their_reviews_are_stale(later, root, tmp_path):
    checked = handbok_on(later, "--root", root, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    stale = re.findall(r"warning: the (?:page|flow) was last reviewed \S+, more than 365 days ago", checked.stdout)
    assert len(stale) > 10, checked.stdout
    assert "error" not in checked.stdout.splitlines()[-1].replace("0 error(s)", ""), checked.stdout
    built = handbok_on(later, "--root", root, "build", "--no-pdf", "--site-dir", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "site" / "floden" / "vad-gor-jag-nu.html").is_file()
