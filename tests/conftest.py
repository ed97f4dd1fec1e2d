import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The day every test takes for today (TRYGGT_TODAY), so review dates do not age out under them:
# on or after the newest `reviewed` of the content and the fixtures, within a year of the oldest.
TODAY = "2026-12-01"

CONTACTS = """\
larm:
  name: SOS Alarm
  phone: "112"
polisen:
  name: Polisen
  phone: "114 14"
"""

SOURCES = """\
handlingsplan:
  title: Handlingsplan
  publisher: Region
"""

PAGE = """\
---
title: Start
description: En sida.
sources: [handlingsplan]
reviewed: 2026-11-01
---

# Start

Ring [[nummer:larm]] eller [[kontakt:polisen]].
"""


@pytest.fixture(scope="session", autouse=True)
def fixed_today():
    with pytest.MonkeyPatch.context() as patch:  # reaches the handbok and mkdocs subprocesses too
        patch.setenv("TRYGGT_TODAY", TODAY)
        yield TODAY


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """A minimal project: one page, two contacts, one source, no trees."""
    (tmp_path / "content").mkdir()
    (tmp_path / "decision_trees").mkdir()
    (tmp_path / "content" / "kontakter.yml").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "content" / "kallor.yml").write_text(SOURCES, encoding="utf-8")
    (tmp_path / "content" / "index.md").write_text(PAGE, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: content\ntheme:\n  name: material\n  language: sv\n  font: false\n"
        "plugins:\n  - search:\n      lang: sv\n  - tryggt\n", encoding="utf-8")
    return tmp_path


def run_handbok(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=300)


@pytest.fixture
def handbok():
    return run_handbok


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the whole repository's content, for tests that break something."""
    target = tmp_path / "repo"
    target.mkdir()
    for name in ("content", "decision_trees", "theme"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target
