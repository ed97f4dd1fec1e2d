"""The default handbook and pocket card, made once per session through `handbok pdf`, and read back."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from generator.cli import mkdocs_config, settings_for
from generator.project import Project

REPO = Path(__file__).resolve().parents[2]


def normalised(text: str) -> str:
    """Text with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


@dataclass
class Printed:
    path: Path
    reader: PdfReader
    texts: list[str]              # each page's text, whitespace normalised

    def outline(self) -> list[tuple[int, str, int]]:
        """(depth, title, 1-based page) for every bookmark, in order."""
        found = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    found.append((depth, item.title, self.reader.get_destination_page_number(item) + 1))

        walk(self.reader.outline, 0)
        return found


def make(tmp: Path, *args: str) -> Printed:
    out = tmp / "out.pdf"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(REPO), "pdf", *args, "--output", str(out)],
                            capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    reader = PdfReader(out)
    return Printed(out, reader, [normalised(page.extract_text()) for page in reader.pages])


@pytest.fixture(scope="session")
def handbook(tmp_path_factory) -> Printed:
    return make(tmp_path_factory.mktemp("handbok"))


@pytest.fixture(scope="session")
def pocket(tmp_path_factory) -> Printed:
    return make(tmp_path_factory.mktemp("fickkort"), "--pocket")


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.load(settings_for(REPO))


@pytest.fixture(scope="session")
def config() -> dict:
    return mkdocs_config(REPO)


def nav_titles(nav, project: Project) -> list[str]:
    """The title of every page the navigation lists, in order, as the pages themselves give it."""
    titles = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            titles += nav_titles(value, project)
        elif value in project.pages:
            titles.append(project.pages[value].meta["title"])
        else:  # a generated page: its title is in its front matter
            front = re.match(r"---\n(.*?)\n---", project.generated_pages()[value], re.S).group(1)
            titles.append(yaml.safe_load(front)["title"])
    return titles


def contacts() -> dict:
    return yaml.safe_load((REPO / "content" / "kontakter.yml").read_text(encoding="utf-8"))
