"""Search finds Swedish words in their inflected forms and as parts of compounds.

Lunr's Swedish stemmer handles inflection (hoten → hot); the generator adds the parts of
compound words in a hidden `parts` field of search/search_index.json (polisanmälan → polis,
anmälan). Each case below was checked against content/: the expected page really is about
the word, so a failure is a search problem, not an unfair case.
"""

from __future__ import annotations

import pytest

from search_helpers import search

# query → a page that must be among the results shown (the first screen of results, as a reader sees it)
CASES = [
    # inflection: the definite plural of "hot" is not in the text; "hot" is, in the page's title
    ("hoten", "under/hot-telefon.html"),
    ("hotet", "under/hot-telefon.html"),
    # the second part of a compound: the text only says "polisanmälan" / "polisanmäla"
    ("anmälan", "efter/polisanmalan.html"),
    ("polisanmälan", "efter/polisanmalan.html"),
    # inflection: the text has both "vaktbolag" and "vaktbolaget"
    ("vaktbolaget", "under/hotsituation.html"),
    ("vaktbolag", "under/hotsituation.html"),
    # a compound part: the pages say "säkerhetshandläggaren", never "handläggare" on its own
    ("handläggare", "efter/uppfoljning.html"),
    ("säkerhetshandläggaren", "efter/uppfoljning.html"),
    # the title word, and an inflected form of its head part
    ("skyddsåtgärder", "polisen/skyddsatgarder.html"),
    ("skyddet", "polisen/skyddsatgarder.html"),
    # the definite form of the title word "Riskinventering"
    ("riskinventeringen", "fore/riskinventering.html"),
    ("sociala", "fore/sociala-medier.html"),
    # inflection of the title word "Resor"
    ("resorna", "fore/resor.html"),
    # upper case and a phrase of two words
    ("Hot i telefon", "under/hot-telefon.html"),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[query for query, _ in CASES])
def test_swedish_search_finds(page, base_url, query, expected):
    page.goto(base_url + "index.html")
    hrefs = search(page, query)
    shown = list(dict.fromkeys(href.removeprefix(base_url).partition("#")[0] for href in hrefs))
    assert expected in shown, (
        f"searching for {query!r} did not show {expected}; it showed "
        + (", ".join(shown) if shown else "no results"))
