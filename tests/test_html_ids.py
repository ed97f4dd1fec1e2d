"""Every id an attribute refers to (aria-labelledby, aria-describedby, aria-controls, for) exists on
the same page and holds no whitespace: a reference to a missing id leaves a chart or a control
without its accessible name, and nothing else notices."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.site.templates import Templates
from generator.site import charts

from generator import cli

REPO = Path(__file__).resolve().parents[1]
# aria-labelledby and aria-describedby take a list of ids; aria-controls too (ARIA 1.2); for takes one.
LIST_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls")


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            elif name in LIST_REFERENCES + ("for",) and value is not None and not (name == "for" and tag == "script"):
                self.references.append((tag, name, value))

    handle_startendtag = handle_starttag


def broken_references(html: str) -> list[str]:
    """What is wrong with the page's ids and references to them, one line each; empty when nothing."""
    parser = _Ids()
    parser.feed(html)
    parser.close()
    ids = set(parser.ids)
    found = [f"id {value!r} holds whitespace" for value in parser.ids if value != "".join(value.split())]
    for tag, name, value in parser.references:
        wanted = value.split() if name in LIST_REFERENCES else [value]
        if not wanted:
            found.append(f"<{tag} {name}={value!r}>: names no id")
        found += [f"<{tag} {name}={value!r}>: no element has id {ref!r}" for ref in wanted if ref not in ids]
    return found


def test_the_checker_sees_a_missing_id():
    assert broken_references('<svg aria-labelledby="a b"><title id="a">T</title></svg><label for="x">L</label>') == [
        "<svg aria-labelledby='a b'>: no element has id 'b'", "<label for='x'>: no element has id 'x'"]
    assert broken_references('<p id="chart Undersökningen 2015-title"></p>') == [
        "id 'chart Undersökningen 2015-title' holds whitespace"]


def test_a_chart_names_itself_with_its_own_title_and_description():
    chart = {"title": "Titel", "unit": "procent", "series": ["Förra", "Undersökningen 2015"],
             "rows": [{"label": "En rad", "values": [38, 46]}]}
    svg = charts.render_bar_chart(chart, "bra-2015", Templates())
    assert broken_references(svg) == []
    assert 'aria-labelledby="chart-bra-2015-title chart-bra-2015-desc"' in svg
    assert broken_references(charts.render_bar_chart(chart, "bra 2015", Templates())) == []  # a file name with a space


def test_every_chart_of_the_content_resolves_its_references():
    for path in sorted((REPO / "content" / "data").glob("*.yml")):
        chart, problems = charts.load_chart(path, path.name)
        assert problems == []
        assert broken_references(charts.render_bar_chart(chart, path.stem, Templates())) == [], path.name


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("ids") / "site"
    assert cli.main(["--root", str(REPO), "build", "--no-pdf", "--site-dir", str(site)]) == 0
    return site


def test_every_page_of_the_built_site_resolves_its_references(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    assert 'class="chart"' in (built_site / "fakta" / "trygghetsundersokningen.html").read_text(encoding="utf-8")
    broken = {p.relative_to(built_site).as_posix(): found for p in pages
              if (found := broken_references(p.read_text(encoding="utf-8")))}
    assert broken == {}


def test_every_dialog_of_the_built_site_has_a_name(built_site):
    """A dialog without a name is announced as just "dialog" (Material's search had none)."""
    nameless = []
    for page in sorted(built_site.rglob("*.html")):
        for tag in re.findall(r"<[a-z]+[^>]*\brole=\"dialog\"[^>]*>", page.read_text(encoding="utf-8")):
            if not re.search(r'\baria-label(ledby)?="[^"]+"', tag):
                nameless.append(f"{page.relative_to(built_site)}: {tag}")
    assert nameless == []
