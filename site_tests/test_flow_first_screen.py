"""The acute flow's first screen on a phone: its question, not 112 three times.

The sticky header's call link keeps the number in view; the acute strip is not repeated on the
acute flow's own page (its link would be the page itself), and the flow's own "Akut fara?" box
follows the question on the screen while it stays first for a screen reader and on paper.
"""

from __future__ import annotations

import pytest

from flow_driver import hold_engine, tree_of
from site_support import PHONE

FLOW = "vad-gor-jag-nu"
SMALL_PHONE = {"width": 320, "height": 568}

_LAYOUT = """() => {
  const step = [...document.querySelectorAll('.flow-steps > .flow-step')].find((s) => !s.hidden);
  const box = (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };
  const acute = document.querySelector('.flow-acute');
  return {
    screen: innerHeight,
    header: box(document.querySelector('.md-header')),
    call: box(document.querySelector('.md-header .header-call')),
    title: box(document.querySelector('.md-content h1')),
    step: { id: step.dataset.node, ...box(step) },
    options: [...step.querySelectorAll('a.flow-option')].map((a) => ({ text: a.textContent.trim(), ...box(a) })),
    acute: acute && box(acute),
    acuteReadFirst: !!acute && !!(acute.compareDocumentPosition(step) & Node.DOCUMENT_POSITION_FOLLOWING),
    strips: document.querySelectorAll('.acute-bar').length,
  };
}"""


def first_screen(new_context, base_url, viewport: dict) -> dict:
    context = new_context(viewport=viewport, has_touch=True, is_mobile=True)
    hold_engine(context)  # the first screen is what a reader sees before the engine is there
    page = context.new_page()
    page.goto(f"{base_url}floden/{FLOW}.html")
    page.wait_for_selector(".flow[data-engine=loading]")
    layout = page.evaluate(_LAYOUT)
    assert layout["step"]["id"] == tree_of(page)["start"]
    return layout


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390x844", "320x568"])
def test_the_question_rises_under_the_header_call(new_context, base_url, viewport):
    layout = first_screen(new_context, base_url, viewport)
    # 112 once on the first screen: the header's call link, in view; no strip above it.
    assert layout["strips"] == 0
    assert 0 <= layout["call"]["top"] and layout["call"]["bottom"] <= layout["header"]["bottom"]
    # Nothing but the page's title between the header and the question.
    assert layout["step"]["top"] - layout["title"]["bottom"] <= 32, layout
    # The flow's own box follows the question on the screen, and comes first in reading order.
    options = layout["options"]
    assert layout["acute"] and layout["acute"]["top"] >= options[-1]["bottom"], layout
    assert layout["acuteReadFirst"]


def test_every_answer_of_the_first_question_is_on_the_first_screen(new_context, base_url):
    """390 × 844: all eight answers, the last one too, with no scrolling (before, the third was
    at the screen's edge under the strip, the header's link and the flow's box)."""
    layout = first_screen(new_context, base_url, PHONE)
    below = [o["text"] for o in layout["options"] if o["bottom"] > layout["screen"] or o["top"] < layout["header"]["bottom"]]
    assert not below, f"answers not on the first screen at 390 × 844: {below}"


def test_on_the_smallest_phone_the_answers_for_danger_now_are_on_the_first_screen(new_context, base_url):
    """320 × 568 cannot hold eight answers of two or three lines each (they alone are over 600 px,
    each at least 44 px): there the first three, for danger here and now, are whole on the first
    screen (before, not one was)."""
    layout = first_screen(new_context, base_url, SMALL_PHONE)
    seen = [o for o in layout["options"] if o["bottom"] <= layout["screen"]]
    assert len(seen) >= 3, f"only {[o['text'] for o in seen]} on the first screen at 320 × 568"


def test_without_flow_js_the_box_stands_first_once_the_page_has_loaded(new_context, base_url):
    """A flow.js that never runs (blocked here) must not take the flow's acute box away: it waits
    for the flow to go live on screen, and once the page has loaded without that it shows, first."""
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    hold_engine(context)
    context.route("**/flow.js", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{base_url}floden/{FLOW}.html", wait_until="load")
    acute = page.locator(".flow-acute")
    acute.wait_for(state="visible")
    first_step = page.locator(".flow-steps > .flow-step").first
    assert acute.bounding_box()["y"] < first_step.bounding_box()["y"]
