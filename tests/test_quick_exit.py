"""Where the quick exit leads: unset, an everyday page in the site's language (its language file's
quick_exit_url), never an empty tab; what a site sets, about:blank too, is kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.config import load_config

from generator.cli import main
from generator.language import strings

REPO = Path(__file__).resolve().parents[1]


def quick_exit_of(root: Path, monkeypatch) -> str:
    """config.extra["quick_exit"] (the header's href) once the plugins have read the config."""
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    return config.extra["quick_exit"]


@pytest.fixture(scope="module", params=["sv", "en"])
def starter(request, tmp_path_factory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp(request.param) / "site"
    assert main(["init", str(folder), "--language", request.param, "--no-runtime"]) == 0
    (folder / "node_modules").symlink_to(REPO / "node_modules")  # this repository's pinned Pyodide
    return request.param, folder


def set_quick_exit(root: Path, value: str | None) -> None:
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\n\s*quick_exit_url:.*", "", config)
    if value is not None:
        config = config.replace("\n  - tryggt:\n", f"\n  - tryggt:\n      quick_exit_url: {value}\n", 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def test_unset_it_is_the_everyday_page_of_the_sites_language(starter, monkeypatch):
    language, root = starter
    set_quick_exit(root, None)
    default = strings(language)["quick_exit_url"]
    assert default.startswith("https://") and default != strings("en" if language == "sv" else "sv")["quick_exit_url"]
    assert quick_exit_of(root, monkeypatch) == default


@pytest.mark.parametrize("value", ["about:blank", "https://intranat.example.se/"])
def test_what_a_site_sets_is_kept(starter, monkeypatch, value):
    _, root = starter
    set_quick_exit(root, value)
    assert quick_exit_of(root, monkeypatch) == value


def test_this_handbook_names_its_choice_and_the_tests_can_point_it_home(monkeypatch):
    monkeypatch.delenv("TRYGGT_QUICK_EXIT_URL", raising=False)
    assert quick_exit_of(REPO, monkeypatch) == "https://www.smhi.se/"
    monkeypatch.setenv("TRYGGT_QUICK_EXIT_URL", "/vader.html")
    assert quick_exit_of(REPO, monkeypatch) == "/vader.html"
