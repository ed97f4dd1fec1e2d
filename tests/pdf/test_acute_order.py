"""Ongoing deadly violence: FLY, then SÖK SKYDD, then LARMA (112), then POLIS, wherever the
procedure is printed: the start page, the acute page, its own page, the flow's outcome, the first
question of the after-incident flow, the PDF handbook and the pocket card. The number must never
come before fleeing and seeking shelter.

Also: the header's call link is on every built page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import REPO, normalised
from generator import cli
from generator.language import strings

STEPS = [r"\bFLY\b", r"\bSÖK SKYDD\b", r"\bLARMA\b", r"\b112\b", r"\bPOLIS(EN)?\b"]


def procedure_order_problems(text: str) -> list[str]:
    """What is wrong with the first FLY … POLIS procedure in `text` (upper-case step names)."""
    start = re.search(STEPS[0], text)
    if start is None:
        return ["no FLY step"]
    problems, at = [], start.start()
    larma = re.search(STEPS[2], text[at:])
    if larma and re.search(r"\b112\b", text[at:at + larma.start()]):
        problems.append("112 stands before LARMA: " + text[at:at + larma.start()][:200])
    for pattern in STEPS[1:]:
        found = re.search(pattern, text[at:])
        if found is None:
            problems.append(f"{pattern} missing after the step before it")
            break
        at += found.end()
    return problems


class _Text(HTMLParser):
    """Text of the element with the given attribute (or of <article>), and the header's call link."""

    def __init__(self, attribute: tuple[str, str] | None = None):
        super().__init__()
        self.attribute, self.depth, self.parts = attribute, 0, []
        self.header_calls: list[str] = []
        self._in_header = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "header" and "md-header" in (attrs.get("class") or ""):
            self._in_header = 1
        if self._in_header and tag == "a" and "header-call" in (attrs.get("class") or "").split():
            self.header_calls.append(attrs.get("href") or "")
        if self.depth:
            self.depth += 1
        elif (self.attribute and attrs.get(self.attribute[0]) == self.attribute[1]) or (not self.attribute and tag == "article"):
            self.depth = 1

    def handle_endtag(self, tag):
        if tag == "header":
            self._in_header = 0
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    @classmethod
    def of(cls, path: Path, attribute: tuple[str, str] | None = None) -> "_Text":
        parser = cls(attribute)
        parser.feed(path.read_text(encoding="utf-8"))
        return parser

    @property
    def text(self) -> str:
        return normalised(" ".join(self.parts))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("built") / "site"
    assert cli.main(["--root", str(REPO), "build", "--no-pdf", "--site-dir", str(target)]) == 0
    return target


@pytest.mark.parametrize("page", ["akut.html", "under/pagaende-dodligt-vald.html"])
def test_the_pages_give_the_steps_in_the_sources_order(site, page):
    text = _Text.of(site / page).text
    assert procedure_order_problems(text) == []


def test_the_flow_outcome_gives_the_steps_in_order_with_no_number_above_them(site):
    text = _Text.of(site / "floden/vad-gor-jag-nu.html", ("data-outcome", "fly-sok-skydd-larma")).text
    label = strings("sv")["page_outcome_label"]  # the band that sets the outcome apart, then its title
    assert text.startswith(f"{label} Fly, sök skydd, larma"), text[:80]
    assert procedure_order_problems(text) == []
    assert "112" not in text[:text.index("FLY")], "a number stands above FLY in the outcome"


def calls_before_fleeing(text: str) -> bool:
    """The text gives 112 with no FLY before it (or with no FLY at all)."""
    return "112" in text and ("FLY" not in text or text.index("112") < text.index("FLY"))


FLOW_START = re.compile(r'data-start="([^"]+)"')
ANSWER = re.compile(r'<a class="flow-option"[^>]*\bdata-goto="([^"]+)"[^>]*>(.*?)</a>', re.S)


def first_question(page: Path) -> tuple[str, list[tuple[str, str]]]:
    """The static flow page's first step: its text, and each answer as (label, the step it leads to)."""
    html = page.read_text(encoding="utf-8")
    start = FLOW_START.search(html).group(1)
    section = html[html.index(f'data-node="{start}"'):]
    section = section[:section.index("</section>")]
    answers = [(normalised(re.sub(r"<[^>]+>", "", label)), goto) for goto, label in ANSWER.findall(section)]
    return _Text.of(page, ("data-node", start)).text, answers


def step_text(page: Path, step: str) -> str:
    """The text of a step or an outcome of a static flow page."""
    text = _Text.of(page, ("data-outcome", step)).text
    return text or _Text.of(page, ("data-node", step)).text


def test_the_after_incident_flow_sends_ongoing_violence_to_flee_before_calling(site):
    """Efter en händelse starts with "is anyone hurt or in danger?". Its answer for ongoing deadly
    violence leads to FLY, SÖK SKYDD, LARMA, POLIS in that order, and no answer about violence
    leads to "ring 112" before fleeing and seeking shelter (issue 24)."""
    page = site / "floden/efter-en-handelse.html"
    question, answers = first_question(page)
    assert answers, question
    deadly = [step for label, step in answers if "dödligt våld" in label]
    assert deadly, f"the first question has no answer for ongoing deadly violence: {answers}"
    for step in deadly:
        text = step_text(page, step)
        assert procedure_order_problems(text) == [], text[:400]
        assert not calls_before_fleeing(text), text[:400]
    for label, step in answers:
        if "våld" in label:
            assert not calls_before_fleeing(step_text(page, step)), (label, step_text(page, step)[:400])


@pytest.mark.parametrize("page", ["index.html", "akut.html"])
def test_the_first_word_on_deadly_violence_is_to_flee(site, page):
    """The danger box at the top: for deadly violence, fleeing comes before the number."""
    text = _Text.of(site / page).text
    box = text[:text.index("Annan fara")]
    assert re.search(r"dödligt våld", box)
    assert box.lower().index("fly") < box.lower().index("sök skydd") < box.index("112"), box


def test_every_page_has_the_call_link_in_its_header(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    missing = [str(p.relative_to(site)) for p in pages if _Text.of(p).header_calls != ["tel:112"]]
    assert missing == []


def test_the_handbook_prints_each_procedure_in_order(handbook):
    text = " ".join(handbook.texts)
    starts = [m.start() for m in re.finditer(r"\bFLY\b", text)]
    # the acute page, the page on deadly violence and the flow's outcome (the diagram says "Fly, sök skydd")
    assert len(starts) >= 3, starts
    for start in starts:
        assert procedure_order_problems(text[start:]) == [], text[start:start + 400]


def test_the_pocket_card_prints_the_procedure_in_order(pocket):
    text = " ".join(pocket.texts)
    assert procedure_order_problems(text) == []
    box = text[:text.index("Annan fara")]
    assert box.lower().index("fly") < box.index("112"), box


def test_the_order_check_can_fail():
    assert procedure_order_problems("Ring 112. FLY om du kan. SÖK SKYDD. LARMA 112. POLIS.") == []  # 112 before FLY is the box's business
    assert procedure_order_problems("FLY. Ring 112. SÖK SKYDD. LARMA. POLIS.") != []
    assert procedure_order_problems("SÖK SKYDD. FLY. LARMA 112. POLIS.") != []
    assert procedure_order_problems("FLY. SÖK SKYDD. LARMA. POLIS.") != []  # no number at all
    assert calls_before_fleeing("Larma först. Ring 112 nu, innan du gör något annat.")
    assert calls_before_fleeing("Ring 112. FLY om du kan.")
    assert not calls_before_fleeing("FLY om du kan. SÖK SKYDD. LARMA: ring 112. POLIS.")
    assert not calls_before_fleeing("Var är du? I organisationens lokaler. På en annan plats.")
