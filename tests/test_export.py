"""`handbok export`: the site's source as a plain Material project that `mkdocs build` builds,
without the tryggt plugin, into the same pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli

REPO = Path(__file__).resolve().parents[1]


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export") / "plain"
    assert cli.main(["--root", str(REPO), "export", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def plain_build(exported, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("plain-site") / "site"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run([str(mkdocs), "build", "--strict", "-q", "-d", str(site)], cwd=exported,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_the_export_has_no_plugin_and_no_reference_left(exported):
    config = (exported / "mkdocs.yml").read_text(encoding="utf-8")
    assert not re.search(r"^\s*- tryggt", config, re.M) and "tryggt:" not in config
    for page in (exported / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r'<script type="application/json".*?</script>', "", text, flags=re.S)  # the tree, for the engine
        assert not re.search(r"\[\[(nummer|kontakt|diagram):", text), page


def test_plain_mkdocs_builds_the_same_pages(plain_build, tmp_path):
    normal = tmp_path / "site"
    assert cli.main(["--root", str(REPO), "build", "--no-pdf", "--site-dir", str(normal)]) == 0
    assert pages(plain_build) == pages(normal)


def test_the_plain_build_keeps_the_acute_parts_and_the_flows_runtime(plain_build):
    akut = (plain_build / "akut.html").read_text(encoding="utf-8")
    assert 'class="header-call" href="tel:112"' in akut and "acute-bar" in akut and "quick-exit" in akut
    flow = (plain_build / "floden" / "vad-gor-jag-nu.html").read_text(encoding="utf-8")
    engine = re.search(r'data-engine-zip="([^"]+)"', flow)[1]
    assert (plain_build / engine).is_file()
    assert (plain_build / "handbok.pdf").is_file() and (plain_build / "fickkort.pdf").is_file()


def test_export_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("keep", encoding="utf-8")
    assert cli.main(["--root", str(REPO), "export", str(tmp_path)]) == 2
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "keep"


def test_the_export_keeps_a_sites_own_theme_overrides(tmp_path):
    """A site's custom_dir comes before the packaged theme in its build; so in its export."""
    site = tmp_path / "site"
    assert cli.main(["init", str(site), "--language", "en", "--no-runtime"]) == 0
    (site / "node_modules").symlink_to(REPO / "node_modules")  # this repository's pinned Pyodide
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("\ntheme:\n", "\ntheme:\n  custom_dir: own\n", 1).replace("\n  - tryggt:\n", "\n  - tryggt:\n      pdf: false\n", 1)
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    (site / "own" / "partials").mkdir(parents=True)
    (site / "own" / "partials" / "header-actions.html").write_text(
        '<a class="own-exit" href="https://example.org/">Leave</a>\n', encoding="utf-8")
    exported = tmp_path / "export"
    assert cli.main(["--root", str(site), "export", str(exported)]) == 0
    assert "own-exit" in (exported / "overrides" / "partials" / "header-actions.html").read_text(encoding="utf-8")
    assert (exported / "overrides" / "main.html").is_file()  # the packaged theme under it
    built = tmp_path / "built"
    result = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-d", str(built)], cwd=exported,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    start = (built / "index.html").read_text(encoding="utf-8")
    assert 'class="own-exit"' in start and "data-quick-exit" not in start
