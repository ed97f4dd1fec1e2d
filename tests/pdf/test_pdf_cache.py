"""The PDFs are made again only when something that goes into them changed (generator/pdf/cache.py).

Each kind of input has its own case: the key must change when it changes, or a build would hand
out a stale PDF. A build with nothing changed takes the PDFs from the cache without rendering."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import generator
from generator import cli, pdf
from generator.pdf import cache
from generator.pdf.cache import PdfCache, pdf_key
from generator.problems import Problem, Report
from generator.project import Project
from generator.siteconfig import mkdocs_config, settings_for
from generator.theme import THEME_DIR


def book_of(root: Path) -> pdf.Book:
    config = mkdocs_config(root)
    project = Project.load(settings_for(root))
    return pdf.Book(project, config.get("nav"), config.get("markdown_extensions") or [], config.get("site_name") or "",
                    project.settings.organisation)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer has {old!r}: update the case"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


def packaged_copy(tmp_path: Path, monkeypatch, name: str) -> Path:
    """A copy of the generator's package or of the theme, which the key then reads as the real one."""
    if name == "generator":
        copy = tmp_path / "package" / "generator"
        shutil.copytree(Path(generator.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
        monkeypatch.setattr(generator, "__file__", str(copy / "__init__.py"))
    else:
        copy = tmp_path / "package" / "theme"
        shutil.copytree(THEME_DIR, copy)
        monkeypatch.setattr(cache, "THEME_DIR", copy)
    return copy


# Each case changes one input of the default site (a copy): (what changed, how).
CHANGES = {
    "a page": lambda root, tmp, mp: append(root / "content" / "akut.md", "\nEn rad till.\n"),
    "a page of the pocket card": lambda root, tmp, mp: replace(root / "content" / "efter" / "checklista.md", "# ", "# Ny "),
    "a contact": lambda root, tmp, mp: replace(root / "content" / "kontakter.yml", "name: ", "name: Ny "),
    "a source": lambda root, tmp, mp: replace(root / "content" / "kallor.yml", "title: ", "title: Ny "),
    "a term": lambda root, tmp, mp: append(root / "content" / "termer.yml", "\n# ändrad\n"),
    "a data file": lambda root, tmp, mp: append(root / "content" / "data" / "bra-2015.yml", "\n# ändrad\n"),
    "a tree": lambda root, tmp, mp: replace(root / "decision_trees" / "vad-gor-jag-nu.yml", "title: ", "title: Ny "),
    "a tree's paths file": lambda root, tmp, mp: append(next((root / "decision_trees" / "paths").rglob("*.*")), "\n"),
    "an image in the content": lambda root, tmp, mp: (root / "content" / "bild.png").write_bytes(b"\x89PNG other"),
    "the organisation setting": lambda root, tmp, mp: replace(root / "mkdocs.yml", "organisation: Region Sörmland",
                                                              "organisation: Region Annan"),
    "the pocket pages setting": lambda root, tmp, mp: replace(root / "mkdocs.yml", "pocket_pages: [akut.md, ",
                                                              "pocket_pages: ["),
    "the site's name": lambda root, tmp, mp: replace(root / "mkdocs.yml", "site_name: Tryggt uppdrag", "site_name: Annat"),
    "the navigation": lambda root, tmp, mp: append(root / "mkdocs.yml", "nav:\n  - index.md\n  - akut.md\n"),
    "a Markdown extension's option": lambda root, tmp, mp: replace(root / "mkdocs.yml", "permalink: false",
                                                                   "permalink: true"),
    "the language": lambda root, tmp, mp: replace(root / "mkdocs.yml", "language: sv", "language: en"),
    "today's date (printed on the cover)": lambda root, tmp, mp: mp.setenv("TRYGGT_TODAY", "2026-12-02"),
    "a template of the site's custom_dir": lambda root, tmp, mp: append(
        root / "overrides" / "tryggt" / "pdf" / "cover.html", "<!-- ändrad -->\n"),
    "the PDF stylesheet": lambda root, tmp, mp: append(packaged_copy(tmp, mp, "generator") / "pdf" / "handbok.css",
                                                       "\nbody { color: black; }\n"),
    "the generator's code": lambda root, tmp, mp: append(packaged_copy(tmp, mp, "generator") / "pdf" / "document.py",
                                                         "\n# ändrad\n"),
    "the language file": lambda root, tmp, mp: replace(packaged_copy(tmp, mp, "generator") / "languages" / "sv.json",
                                                       '"pdf_contents": "', '"pdf_contents": "Nytt '),
    "a packaged template": lambda root, tmp, mp: append(packaged_copy(tmp, mp, "theme") / "tryggt" / "pdf" / "cover.html",
                                                        "<!-- ändrad -->\n"),
}


@pytest.fixture
def site(repo_copy: Path) -> Path:
    """The default site with a custom_dir that overrides the PDF's cover."""
    replace(repo_copy / "mkdocs.yml", "theme:\n", "theme:\n  custom_dir: overrides\n")
    override = repo_copy / "overrides" / "tryggt" / "pdf" / "cover.html"
    override.parent.mkdir(parents=True)
    shutil.copy(THEME_DIR / "tryggt" / "pdf" / "cover.html", override)
    return repo_copy


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
@pytest.mark.parametrize("pocket", [False, True], ids=["handbook", "pocket card"])
def test_the_key_changes_with_each_input(site, tmp_path, monkeypatch, change, pocket):
    before = pdf_key(book_of(site), pocket)
    assert pdf_key(book_of(site), pocket) == before, "the key is not stable: nothing would ever be reused"
    CHANGES[change](site, tmp_path, monkeypatch)
    assert pdf_key(book_of(site), pocket) != before


def test_a_file_a_markdown_extension_reads_is_in_the_key(site):
    (site / "includes").mkdir()
    (site / "includes" / "larm.md").write_text("Ring 112.\n", encoding="utf-8")
    book = book_of(site)
    book.markdown_extensions = [*book.markdown_extensions, {"pymdownx.snippets": {"base_path": ["includes"]}}]
    before = pdf_key(book, False)
    (site / "includes" / "larm.md").write_text("Ring 112 genast.\n", encoding="utf-8")
    assert pdf_key(book, False) != before


def test_the_handbook_and_the_pocket_card_have_their_own_keys(site):
    book = book_of(site)
    assert pdf_key(book, False) != pdf_key(book, True)


def test_a_fetched_file_that_changed_is_not_reused(tmp_path):
    store, picture = PdfCache(tmp_path / "cache"), tmp_path / "bild.png"
    picture.write_bytes(b"one")
    store.put("k", b"%PDF-1", 3, [], {picture})
    assert store.get("k", None) == (b"%PDF-1", 3)
    picture.write_bytes(b"two")
    assert store.get("k", None) is None


def test_the_warnings_of_a_reused_pdf_are_given_again(tmp_path):
    store = PdfCache(tmp_path / "cache")
    warning = Problem("content/akut.md", 4, 1, "does not fit", "shorten it", "warning")
    store.put("k", b"%PDF-1", 2, [warning], set())
    report = Report()
    assert store.get("k", report) == (b"%PDF-1", 2)
    assert report.problems == [warning]


def test_a_damaged_entry_is_not_reused(tmp_path):
    store = PdfCache(tmp_path / "cache")
    store.put("k", b"%PDF-1 whole", 1, [], set())
    (tmp_path / "cache" / "k.pdf").write_bytes(b"%PDF-1 half")
    assert store.get("k", None) is None


class Renders:
    """Every PDF rendered, as (stylesheet, process id), in this process or a child of it."""

    def __init__(self, log: Path):
        self.log = log

    def all(self) -> list[tuple[str, int]]:
        return [(name, int(pid)) for name, pid in
                (line.split() for line in self.log.read_text(encoding="utf-8").splitlines())] if self.log.exists() else []

    def __iter__(self):
        return iter(sorted(name for name, _ in self.all()))


@pytest.fixture
def renders(monkeypatch, tmp_path) -> Renders:
    """The PDFs rendered (the cache in a folder of this test's own)."""
    monkeypatch.setenv("TRYGGT_CACHE_DIR", str(tmp_path / "cache"))
    found, render = Renders(tmp_path / "renders.log"), pdf.render_pdf

    def counted(document, stylesheet, book, *args, **kwargs):
        with found.log.open("a", encoding="utf-8") as log:  # a file: the pocket card is made in a child process
            log.write(f"{Path(stylesheet).name} {os.getpid()}\n")
        return render(document, stylesheet, book, *args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counted)
    return found


POCKET = "  - tryggt:\n      pocket_pages: [index.md]\n"


@pytest.mark.parametrize("change", [
    lambda root: append(root / "content" / "index.md", "\nEn rad till.\n"),
    lambda root: replace(root / "content" / "kontakter.yml", "name: Polisen", "name: Polismyndigheten"),
    lambda root: replace(root / "mkdocs.yml", "pocket_pages: [index.md]", "pocket_pages: [index.md]\n      organisation: Region"),
], ids=["a page", "a contact", "a setting"])
def test_a_build_renders_the_pdfs_again_only_when_an_input_changed(small_project, renders, change):
    replace(small_project / "mkdocs.yml", "  - tryggt\n", POCKET)
    build = ["--root", str(small_project), "build"]
    assert cli.main(build) == 0
    assert list(renders) == ["fickkort.css", "handbok.css"]
    first = {name: (small_project / "site" / name).read_bytes() for name in ("handbok.pdf", "fickkort.pdf")}
    assert cli.main(build) == 0
    assert list(renders) == ["fickkort.css", "handbok.css"], "nothing changed, yet a PDF was rendered again"
    assert {name: (small_project / "site" / name).read_bytes() for name in first} == first
    change(small_project)
    assert cli.main(build) == 0
    assert list(renders) == ["fickkort.css", "fickkort.css", "handbok.css", "handbok.css"]
    assert all((small_project / "site" / name).read_bytes() != data for name, data in first.items())


@pytest.mark.parametrize("affinity", [True, False], ids=["Linux", "no sched_getaffinity (macOS)"])
def test_the_pocket_card_is_made_beside_the_handbook(small_project, renders, monkeypatch, affinity):
    if not affinity:
        monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    replace(small_project / "mkdocs.yml", "  - tryggt\n", POCKET)
    assert cli.main(["--root", str(small_project), "build"]) == 0
    made = dict(renders.all())
    assert made["handbok.css"] == os.getpid() and made["fickkort.css"] != os.getpid()
    assert (small_project / "site" / "fickkort.pdf").read_bytes().startswith(b"%PDF-")


def test_a_pocket_card_the_child_could_not_make_is_made_by_the_build(small_project, renders, monkeypatch):
    replace(small_project / "mkdocs.yml", "  - tryggt\n", POCKET)
    build, render = os.getpid(), pdf.render_pdf

    def failing_in_the_child(document, stylesheet, book, *args, **kwargs):
        if os.getpid() != build:
            raise pdf.PdfError("the child fails")
        return render(document, stylesheet, book, *args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", failing_in_the_child)
    assert cli.main(["--root", str(small_project), "build"]) == 0
    assert [name for name, pid in renders.all() if pid == build] == ["handbok.css", "fickkort.css"]
    assert (small_project / "site" / "fickkort.pdf").read_bytes().startswith(b"%PDF-")


def test_what_weasyprint_warned_of_is_given_again_on_reuse(tmp_path, caplog):
    store = PdfCache(tmp_path / "cache")
    store.put("k", b"%PDF-1", 1, [], set(), ["an unknown CSS property was left out"])
    with caplog.at_level("WARNING", logger=cache.WARNINGS):
        assert store.get("k", None) == (b"%PDF-1", 1)
    assert "an unknown CSS property was left out" in caplog.text
