"""A local site on a base (examples/kommun on this repository's handbook): what it inherits, what it
replaces, what it leaves out, and problems of either named with the file they are in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "kommun"
BASE_GUARD = "010-470 55 64"  # the base's guard company: the local site must show its own


def run(capsys, *args) -> tuple[int, str]:
    code = cli.main(list(map(str, args)))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("kommun") / "site"
    assert cli.main(["--root", str(EXAMPLE), "build", "--no-pdf", "--site-dir", str(target)]) == 0
    return target


@pytest.fixture
def copy(tmp_path) -> Path:
    """The base (content, trees, config) and the example inside it, where the example expects it."""
    base = tmp_path / "base"
    for name in ("content", "decision_trees"):
        shutil.copytree(REPO / name, base / name)
    shutil.copy(REPO / "mkdocs.yml", base / "mkdocs.yml")
    shutil.copytree(EXAMPLE, base / "examples" / "kommun", ignore=shutil.ignore_patterns("site"))
    return base / "examples" / "kommun"


def test_the_example_passes_the_strict_check_and_says_what_it_replaces(capsys):
    code, out = run(capsys, "--root", EXAMPLE, "check", "--strict")
    assert code == 0, out
    assert "0 error(s), 0 warning(s)" in out
    assert 'content/kontakter.yml:4:1: note: contact "vaktbolag" replaces the one in ../../content/kontakter.yml:' in out


def test_the_site_has_the_base_pages_its_own_and_not_the_one_left_out(built):
    assert (built / "akut.html").is_file() and (built / "under" / "pagaende-dodligt-vald.html").is_file()
    assert (built / "lokalt" / "exempelby.html").is_file()
    assert not (built / "om" / "tillganglighet.html").exists()
    start = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="lokalt/exempelby.html"' in start and 'href="om/tillganglighetsredogorelse.html"' in start
    assert 'href="om/tillganglighet.html"' not in start


def test_the_flows_and_pages_show_the_local_numbers(built):
    for page in ("floden/vad-gor-jag-nu.html", "akut.html", "kontakter.html", "efter/checklista.html"):
        html = (built / page).read_text(encoding="utf-8")
        assert BASE_GUARD not in html, page
    flow = (built / "floden" / "vad-gor-jag-nu.html").read_text(encoding="utf-8")
    assert 'href="tel:+46701740631"' in flow and 'href="tel:112"' in flow


def test_a_broken_base_and_a_broken_overlay_are_named_each_in_its_file(copy, capsys):
    base_page = copy.parents[1] / "content" / "akut.md"
    base_page.write_text(base_page.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    contacts = copy / "content" / "kontakter.yml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace('"070-174 06 31"', '"ring vakten"'), encoding="utf-8")
    code, out = run(capsys, "--root", copy, "check")
    assert code == 1
    assert re.search(r'^  \.\./\.\./content/akut\.md:2:1: error: unknown front matter key "titel"', out, re.M), out
    assert re.search(r'^  content/kontakter\.yml:\d+:1: error: phone number of contact "vaktbolag" is not a number', out, re.M), out


def place_of(path: Path, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first `needle` in a file."""
    text = path.read_text(encoding="utf-8")
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_a_base_page_linking_to_a_page_left_out_shows_the_link_text_with_a_note(built, capsys):
    """examples/kommun leaves out fore/resor.md, which two base pages link to: each link is named
    in a note at its own line and column, and the built page shows the link's text, unlinked."""
    code, out = run(capsys, "--root", EXAMPLE, "check", "--strict")
    assert code == 0, out
    for page in ("fore/index.md", "fore/riskinventering.md"):
        line, column = place_of(REPO / "content" / page, "resor.md)")
        assert (f"../../content/{page}:{line}:{column}: note: the link to fore/resor.md is shown as its text: "
                "`exclude_pages` leaves the page out of this site") in out, out
    html = (built / "fore" / "index.html").read_text(encoding="utf-8")
    assert "resor.html" not in html and "Resor" in html
    assert not (built / "fore" / "resor.html").exists()


def test_a_base_page_with_a_reference_style_link_to_a_page_left_out_is_an_error(copy, capsys):
    """Only an inline link can become its text: a [text][name] link's definition is an error at its line."""
    page = copy.parents[1] / "content" / "fore" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nLäs om [resor][r].\n\n[r]: resor.md\n", encoding="utf-8")
    code, out = run(capsys, "--root", copy, "check")
    assert code == 1
    line, column = place_of(page, "[r]: resor.md")
    assert (f"../../content/fore/index.md:{line}:{column + 5}: error: the page links to fore/resor.md, "
            "which `exclude_pages` leaves out of this site") in out, out
    assert "a link written as a reference ([text][name]) cannot be shown as its text" in out


def test_a_local_page_linking_to_a_page_left_out_is_an_error_at_the_link(copy, capsys):
    page = copy / "content" / "lokalt" / "exempelby.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nLäs också [om resor](../fore/resor.md).\n", encoding="utf-8")
    code, out = run(capsys, "--root", copy, "check")
    assert code == 1
    line, column = place_of(page, "../fore/resor.md")
    assert (f"content/lokalt/exempelby.md:{line}:{column}: error: the page links to fore/resor.md, "
            "which `exclude_pages` leaves out of this site") in out, out


BASE_NAMES = re.compile(r"säkerhetshandläggar|samverkanswebb|Politisk organisation|tjänsteman i beredskap|regionormland", re.I)


def test_no_role_or_channel_name_of_the_base_is_left_on_the_local_pages(built):
    """The terms (content/termer.yml) of examples/kommun replace the base's names everywhere: the
    pages, the flows (and their compiled trees), titles, descriptions and the search index."""
    files = [path for path in built.rglob("*") if path.suffix in (".html", ".json") and "assets" not in path.parts]
    assert len(files) > 30
    left = {path.relative_to(built).as_posix(): BASE_NAMES.findall(path.read_text(encoding="utf-8"))
            for path in files if BASE_NAMES.search(path.read_text(encoding="utf-8"))}
    assert not left, left
    follow_up = (built / "efter" / "uppfoljning.html").read_text(encoding="utf-8")
    assert "stöd från säkerhetssamordnaren" in follow_up  # [[term:sakerhetsroll]] mid-sentence
    assert "Säkerhetssamordnaren kan också hjälpa" in follow_up  # [[Term:sakerhetsroll]] at a sentence's start
    report = (built / "efter" / "rapportera.html").read_text(encoding="utf-8")
    assert "<title>Rapportera till kommunen - " in report  # a term in the front matter's title
    assert "under <strong>Trygghet › Rapportera hot och våld</strong>" in report


def test_the_local_sites_own_source_replaces_the_base_one_with_its_link_date_and_reference(built, capsys):
    code, out = run(capsys, "--root", EXAMPLE, "check")
    assert 'content/kallor.yml:4:1: note: source "handlingsplan" replaces the one in ../../content/kallor.yml:3' in out
    html = (built / "akut.html").read_text(encoding="utf-8")
    assert ('<li><a href="https://intranat.exempelby.example/handlingsplan">Handlingsplan för förtroendevaldas '
            "personsäkerhet (påhittad)</a> (Exempelby kommun, antagen 18 mars 2026, Dnr KS 2026/41, § 27)</li>") in html
    assert "Region Sörmland" not in html


def test_a_term_the_local_site_does_not_set_is_noted_with_the_pages_that_use_it(copy, capsys):
    terms = copy / "content" / "termer.yml"
    terms.write_text(terms.read_text(encoding="utf-8").replace("sakerhetsroll: säkerhetssamordnaren\n", ""), encoding="utf-8")
    code, out = run(capsys, "--root", copy, "check", "--strict")
    assert code == 0, out
    line, _ = place_of(copy.parents[1] / "content" / "termer.yml", "sakerhetsroll:")
    found = re.search(rf'^  \.\./\.\./content/termer\.yml:{line}:1: note: term "sakerhetsroll" \("säkerhetshandläggaren"\) '
                      r"comes from the base, and this site does not set it .*; used on (.*)$", out, re.M)
    assert found, out
    assert {"efter/uppfoljning.md", "fore/index.md", "floden/vad-gor-jag-nu.md", "lokalt/exempelby.md"} <= set(found[1].split(", "))
    assert 'term "organisationen"' not in out.replace('term "organisationen" replaces', "")  # the terms it sets: no note


def test_the_printed_handbook_is_the_local_sites_with_none_of_the_base_names(tmp_path, capsys):
    """The PDF's title, cover and running header come from the site's own settings (site_name,
    organisation), not from the base's start page; its text carries the local terms and sources."""
    import pypdf

    target = tmp_path / "handbok.pdf"
    code, out = run(capsys, "--root", EXAMPLE, "pdf", "--output", target)
    assert code == 0, out
    reader = pypdf.PdfReader(target)
    texts = [page.extract_text() for page in reader.pages]
    name = "Trygg i uppdraget – Exempelby kommun"
    assert reader.metadata.title == name
    cover = " ".join(texts[0].split())
    assert name in cover and "Personsäkerhet för förtroendevalda" not in cover and "Exempelby kommun" in cover
    # pypdf gives a page's margin boxes last: the running header (title, chapter), then the footer.
    headers = [text.strip().split("\n")[-2] for text in texts[1:]]
    assert all(header.startswith(name) for header in headers), headers
    whole = "\n".join(texts)
    assert not BASE_NAMES.search(whole.replace("\n", " ")), BASE_NAMES.findall(whole.replace("\n", " "))
    assert "Dnr KS 2026/41, § 27" in whole and "säkerhetssamordnaren" in whole


def test_a_base_that_is_not_there_is_a_plain_message(copy, capsys):
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("base: ../..", "base: ../saknas"), encoding="utf-8")
    code, out = run(capsys, "--root", copy, "check")
    assert code == 2
    assert "the base ../saknas has no mkdocs.yml" in out and "Traceback" not in out


def test_a_local_site_takes_the_runtime_of_its_base_before_the_cache(tmp_path, monkeypatch):
    from generator.runtime import PYODIDE_VERSION, pyodide_package

    monkeypatch.setenv("TRYGGT_CACHE_DIR", str(tmp_path / "empty-cache"))
    local, base = tmp_path / "base" / "lokal", tmp_path / "base"
    (base / "node_modules" / "pyodide").mkdir(parents=True)
    local.mkdir()
    assert pyodide_package(local, base) == base / "node_modules" / "pyodide"
    (local / "node_modules" / "pyodide").mkdir(parents=True)
    assert pyodide_package(local, base) == local / "node_modules" / "pyodide"
    cached = tmp_path / "empty-cache" / f"pyodide-{PYODIDE_VERSION}"
    cached.mkdir(parents=True)
    (cached / "package.json").write_text("{}", encoding="utf-8")
    assert pyodide_package(tmp_path / "elsewhere") == cached


def test_a_site_with_no_runtime_anywhere_is_told_to_run_handbok_runtime(copy, tmp_path, monkeypatch, capsys, caplog):
    monkeypatch.setenv("TRYGGT_CACHE_DIR", str(tmp_path / "empty-cache"))
    code, out = run(capsys, "--root", copy, "build", "--no-pdf", "--site-dir", tmp_path / "out")
    assert code == 1
    out += caplog.text  # MkDocs logs the plugin's error
    assert "Pyodide is not installed: not in the cache, nor in " in out, out
    assert "run `handbok runtime`" in out, out
    assert not (tmp_path / "out").exists()


def test_links_lists_where_the_pages_link_to_a_page_before_it_is_left_out(capsys):
    code, out = run(capsys, "--root", EXAMPLE, "links", "content/fore/resor.md")
    assert code == 0, out
    places = re.findall(r"^(\S+):(\d+):(\d+): links to fore/resor\.md$", out, re.M)
    assert {path for path, _, _ in places} == {"../../content/fore/index.md", "../../content/fore/riskinventering.md"}
    for path, line, column in places:  # each place is where the link stands in its file
        text = (EXAMPLE / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert "resor.md" in text[int(column) - 1:], (path, line, column)
    assert out.splitlines()[-1] == "2 link(s) to fore/resor.md"
    assert run(capsys, "--root", EXAMPLE, "links", "ingen/sida.md")[1].splitlines() == ["0 link(s) to ingen/sida.md"]
