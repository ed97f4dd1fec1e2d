"""A page's HTML made to live in the printed document (generator/pdf/document.py's PageHtml): read
with a parser, so ids and links in a page's own raw HTML are localised however the author quoted
them, and the rest of the page is kept as it was."""

from __future__ import annotations

from pathlib import Path

from generator.pdf.document import Page, PageHtml
from generator.site.templates import Templates

ANCHORS = {"a.md": "page-a", "b.md": "page-b"}


def localised(body: str, tmp_path: Path, drop_pointers: bool = False) -> str:
    page = Page("a.md", {}, "")
    return PageHtml(page, body, ANCHORS, tmp_path, "content", "'Font', sans-serif", Templates()).localise(drop_pointers)


def test_ids_and_links_in_single_quotes_are_localised(tmp_path):
    html = localised("<p id='here'>Text, <a href='b.md#there'>see B</a> and <a href='#here'>here</a>.</p>", tmp_path)
    assert "id='page-a--here'" in html
    assert "href='#page-b--there' data-page-ref=\"\"" in html
    assert "href='#page-a--here'" in html


def test_an_attribute_with_a_closing_bracket_does_not_hide_the_id_after_it(tmp_path):
    html = localised('<h2 title="1 > 0" id="rubrik">One</h2><a title="a > b" href="b.md">B</a>', tmp_path)
    assert 'id="page-a--rubrik"' in html
    assert '<a title="a > b" href="#page-b" data-page-ref="">B</a>' in html


def test_a_link_in_a_comment_is_left_alone(tmp_path):
    body = '<!-- <a href="gone.md">old</a> --><p>Read <a href="gone.md">the old page</a> first.</p>'
    html = localised(body, tmp_path)
    assert html.startswith('<!-- <a href="gone.md">old</a> -->')
    assert '<p>Read <span class="elsewhere">the old page</span> first.</p>' in html


def test_the_rest_of_the_page_is_kept_byte_for_byte(tmp_path):
    body = ('<svg viewBox="0 0 10 10"><marker id="pil"/><path marker-end="url(#pil)" font-family="system-ui"/></svg>\n'
            '<p class="x"  data-y=\'1\'>Text &amp; <em>more</em></p>')
    html = localised(body, tmp_path)
    assert html == ('<svg viewBox="0 0 10 10"><marker id="page-a--pil"/><path marker-end="url(#page-a--pil)" '
                    "font-family=\"&#x27;Font&#x27;, sans-serif\"/></svg>\n"
                    '<p class="x"  data-y=\'1\'>Text &amp; <em>more</em></p>')


def test_the_pocket_card_drops_a_pointer_and_the_paragraph_it_leaves_empty(tmp_path):
    body = ('<p>Call now.</p>\n<p><a href="gone.md">More about threats</a></p>\n'
            '<ul><li>Leave. <a href="gone.md">Why</a></li><li>See <a href="gone.md">this</a> too</li></ul>')
    html = localised(body, tmp_path, drop_pointers=True)
    assert html == ('<p>Call now.</p>\n\n<ul><li>Leave. </li>'
                    '<li>See <span class="elsewhere">this</span> too</li></ul>')
