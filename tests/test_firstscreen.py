"""The first-screen rules (generator/firstscreen.py): which rules a page carries, and how its
stylesheet links become late ones without changing the final cascade."""

from __future__ import annotations

import re

import pytest

from generator import firstscreen
from generator.firstscreen import LATER, FirstScreen, page_tokens

SHEET = """
@charset "UTF-8";
:root{--used:red;--chained:var(--deep);--deep:1px;--unused:url("data:image/svg+xml;charset=utf-8,<svg/>")}
.a{color:var(--used)}
.a:after{--only-unused:url("data:image/svg+xml;charset=utf-8,<svg><!-- a comment (with brackets); and more --></svg>")}
.a .b{border-width:var(--chained)}
.missing{color:blue}
.a,.missing{margin:0}
p:hover{color:green}
.a:not(:hover){padding:0}
.md-typeset :is(.x,.y){font-weight:700}
.md-typeset :is(.nothere,.nor){font-weight:400}
[data-md-color-primary=indigo]{color:indigo}
[data-md-color-primary=custom]{color:teal}
#__drawer:checked~.md-container{display:none}
@media screen and (min-width:60em){.b{float:left}.missing{float:right}}
@media print{.a{display:none}}
@keyframes spin{to{transform:rotate(1turn)}}
"""

PAGE = """<!doctype html><html><head><title>t</title>
<link rel="stylesheet" href="../assets/stylesheets/main.abc.min.css">
<link rel="stylesheet" href="../assets/stylesheets/site.css">
</head><body data-md-color-primary="custom"><input id="__drawer" type="checkbox">
<div class="md-container"><div class="md-typeset"><p class="a"><span class="b y">x</span></p></div></div></body></html>"""


def split(page: str = PAGE) -> str:
    screen = FirstScreen(lambda name: SHEET if name == "main" else None)
    return screen.apply(page, lambda href: "main" if "main." in href else None)


def inline_rules(html: str) -> str:
    return re.search(r"<style>(.*?)</style>", html, re.DOTALL).group(1)


def test_the_page_carries_the_rules_that_can_match_it_and_no_others():
    css = inline_rules(split())
    assert ".a{color:var(--used)}" in css and ".a .b{border-width:var(--chained)}" in css
    assert ".a{margin:0}" in css  # a selector list keeps only what can match
    assert ".missing" not in css
    assert ".a:not(:hover){padding:0}" in css  # what is inside :not() is not asked
    assert "p:hover" not in css and ":checked" not in css  # states no first paint is in
    assert ":is(.x,.y)" in css and ".nothere" not in css  # one alternative of :is() must match
    assert "[data-md-color-primary=custom]" in css and "indigo" not in css  # attribute values count
    assert "@media screen and (min-width:60em){.b{float:left}}" in css  # widths are all kept
    assert "@media print" not in css and "@keyframes" not in css and "@charset" not in css


def test_custom_properties_stay_only_when_something_kept_uses_them():
    css = inline_rules(split())
    assert "--used:red" in css and "--chained:var(--deep)" in css and "--deep:1px" in css
    assert "--unused" not in css and "data:image" not in css
    assert "--only-unused" not in css and ".a:after{" not in css  # a rule left with nothing goes


def test_the_sheet_loads_late_in_its_place_and_without_javascript_as_before():
    html = split()
    head = html[:html.index("</head>")]
    late = f'<link rel="stylesheet" href="../assets/stylesheets/main.abc.min.css" media="print" {LATER}>'
    # The inline rules stand where the sheet stood, the late sheet after them and before the
    # site's own sheet, so the final cascade is the original one.
    assert head.index("<style>") < head.index(late) < head.index('href="../assets/stylesheets/site.css"')
    assert '<noscript><link rel="stylesheet" href="../assets/stylesheets/main.abc.min.css"></noscript>' in head
    assert head.count('href="../assets/stylesheets/site.css"') == 1  # not a late one


def test_a_page_without_such_sheets_is_left_as_it_is():
    screen = FirstScreen(lambda name: SHEET)
    assert screen.apply(PAGE, lambda href: None) == PAGE
    assert split("<p>no head</p>") == "<p>no head</p>"


def test_attribute_values_are_read_in_every_form():
    tokens = page_tokens("""<p class='one two' data-a=bare data-b="x &amp; y" hidden id=top><br/>""")
    assert {"one", "two"} <= tokens.classes and tokens.ids == {"top"} and {"p", "br"} <= tokens.tags
    assert tokens.attributes["data-a"] == {"bare"} and tokens.attributes["data-b"] == {"x & y"}
    assert tokens.attributes["hidden"] == {""}


def test_a_sheet_is_compiled_once_and_kept_in_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGGT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(firstscreen, "_READ", {})
    first = split()
    assert list((tmp_path / "firstscreen").glob("*.pickle"))
    monkeypatch.setattr(firstscreen, "_compile", lambda rules: pytest.fail("compiled again"))
    monkeypatch.setattr(firstscreen, "_READ", {})  # another process: from the cache folder
    assert split() == first
    for stored in (tmp_path / "firstscreen").glob("*.pickle"):
        stored.unlink()
    assert split() == first  # the same process, as serve's next rebuild: from memory


def test_a_changed_or_damaged_sheet_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGGT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(firstscreen, "_READ", {})
    split()
    monkeypatch.setattr(firstscreen, "_READ", {})
    for stored in (tmp_path / "firstscreen").glob("*.pickle"):
        stored.write_bytes(b"half a pickle")
    assert ".a{color:var(--used)}" in inline_rules(split())
    changed = FirstScreen(lambda name: SHEET.replace(".a{color:var(--used)}", ".a{color:blue}"))
    assert ".a{color:blue}" in inline_rules(changed.apply(PAGE, lambda href: "main" if "main." in href else None))
