"""HTML edited through html.parser (generator/site/htmltags.py) where the generator changes a page's
HTML: the checklist boxes, the Content-Security-Policy's script hashes, the labels of Material's
navigation. Each edit finds what it changes however the HTML is quoted or ordered, leaves comments
and script text alone, and keeps the rest of the text as it was."""

from __future__ import annotations

import base64
import hashlib

from generator.site import htmltags
from generator.site.content import paper_checkboxes
from generator.site.csp import add_policy_meta, inline_script_hashes


def sha(script: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


def test_tags_are_found_where_they_are_with_their_attributes():
    text = '<!-- <b> -->\n<p title="1 > 0" id=x>a</p><script>if (a<b) "</p>"</script><svg viewBox="0 0 1 1"/>'
    tags = htmltags.scan(text)
    assert [(t.name, t.closing) for t in tags] == [("p", False), ("p", True), ("script", False), ("script", True), ("svg", False)]
    assert text[tags[0].start:tags[0].end] == '<p title="1 > 0" id=x>' and tags[0].attrs == {"title": "1 > 0", "id": "x"}
    assert text[tags[1].start:tags[1].end] == "</p>"
    assert tags[4].attrs == {"viewbox": "0 0 1 1"}


def test_a_changed_value_keeps_the_rest_of_the_tag():
    text = "<svg  viewBox='0 0 1 1' id=a data-x=\"&amp;\" hidden>"
    tag = htmltags.scan(text)[0]
    assert htmltags.retag(text, tag, {"viewbox": "0 1 1 1", "id": "b&c"}) == \
        "<svg  viewBox='0 1 1 1' id=\"b&amp;c\" data-x=\"&amp;\" hidden>"
    assert htmltags.retag(text, tag, {"hidden": None, "id": None}, ' role="img"') == \
        "<svg  viewBox='0 0 1 1' data-x=\"&amp;\" role=\"img\">"


def test_a_label_for_an_element_the_page_lacks_loses_its_for():
    page = ('<input id="__drawer"><label class="md-nav__title" for="__drawer">A</label>'
            '<label for="__toc" class="md-nav__title">B</label><!-- <label for="__toc"> -->')
    assert htmltags.without_dangling_labels(page) == \
        '<input id="__drawer"><label class="md-nav__title" for="__drawer">A</label>' \
        '<label class="md-nav__title">B</label><!-- <label for="__toc"> -->'


def test_a_checklist_item_gets_a_box_to_tick_on_paper_however_its_checkbox_is_written():
    box = '<span class="task-box" aria-hidden="true"></span>'
    html = ('<ul class="task-list"><li class="task-list-item"><input type="checkbox" disabled/> One</li>\n'
            '<li class="task-list-item">\n<input disabled type="checkbox"> Two</li>'
            '<li class="task-list-item"><input type="checkbox" disabled checked/> Done</li></ul>')
    assert paper_checkboxes(html) == (f'<ul class="task-list"><li class="task-list-item">{box} One</li>\n'
                                      f'<li class="task-list-item">{box} Two</li>'
                                      '<li class="task-list-item"><input type="checkbox" disabled checked/> Done</li></ul>')


def test_only_scripts_on_the_page_are_allowed_by_their_hashes():
    page = ('<html><head><meta name="x"><meta charset="utf-8"><script>run()</script>'
            '<!-- <script>old()</script> --><script type="application/json">{}</script>'
            '<script src="a.js"></script><script TYPE="Module">go()</script></head></html>')
    assert inline_script_hashes(page) == sorted([sha("run()"), sha("go()")])
    with_policy = add_policy_meta(page)
    assert with_policy.startswith('<html><head><meta name="x"><meta charset="utf-8">\n    <meta http-equiv="Content-Security-Policy"')
    assert sha("old()") not in with_policy and sha("run()") in with_policy
