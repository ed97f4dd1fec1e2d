"""The waiting indicator while a step waits for the engine: a few turns and then it stands (one that
turns without end repaints without end, CPU a slow phone's engine start needs), and it never turns
for a reader who asks for reduced motion."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from flow_driver import answer_by_mouse, hold_engine, shortest_path_to_each_outcome, static_next, tree_of
from site_support import PHONE

FLOW = "riskinventering"  # its rating steps are summed by a rule: the engine routes them
# The indicators: the status line's, and the note's beside the control the reader tapped.
INDICATORS = [(".flow-engine-status.is-busy", "::before"), (".flow-note.is-wait", "::before")]
_ANIMATIONS = """() => document.getAnimations().map((a) => ({
  name: a.animationName || a.constructor.name, state: a.playState,
  iterations: a.effect.getComputedTiming().iterations, on: a.effect.pseudoElement || a.effect.target?.className }))"""


def waiting_at_a_rating_step(new_context, base_url, **options):
    """A page whose engine is held back, at a rating step that has been answered and waits."""
    context = new_context(viewport=PHONE, **options)
    hold_engine(context)
    page = context.new_page()
    page.goto(f"{base_url}floden/{FLOW}.html")
    tree = tree_of(page)
    route = next(iter(shortest_path_to_each_outcome(tree).values()))
    path, answers = route["path"], route["answers"]
    waits = next(n for n in path if tree["nodes"][n]["kind"] == "rating" and static_next(tree, n, answers) is None)
    for node_id in path[:path.index(waits) + 1]:
        answer_by_mouse(page, tree, node_id, answers[node_id])
    expect(page.locator(".flow-note.is-wait")).not_to_be_empty()
    expect(page.locator(".flow-engine-status.is-busy")).to_have_count(1)
    return page


def test_the_waiting_indicators_turn_a_few_times_and_then_stand(new_context, base_url):
    page = waiting_at_a_rating_step(new_context, base_url)
    turning = page.evaluate(_ANIMATIONS)
    assert {a["on"] for a in turning} >= {"::before"} and len(turning) >= 2, turning  # both indicators
    assert all(a["iterations"] != float("inf") and a["iterations"] <= 5 for a in turning), turning
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')", timeout=10_000)
    assert page.locator(".flow-note.is-wait").count() == 1  # still waiting, the indicator standing


def test_with_reduced_motion_nothing_turns(new_context, base_url):
    page = waiting_at_a_rating_step(new_context, base_url, reduced_motion="reduce")
    assert page.evaluate(_ANIMATIONS) == []
    for selector, pseudo in INDICATORS:
        name = page.locator(selector).evaluate(f"e => getComputedStyle(e, {pseudo!r}).animationName")
        assert name == "none", (selector, name)


def test_the_wait_says_beside_the_control_what_it_waits_for(new_context, base_url):
    """Under the note beside the control the reader tapped, the download's figures, as the status
    line at the top of the flow has them (out of view by then): a wait that only said "Ett
    ögonblick" stood still for half a minute at 2 Mbit/s, its spinner standing after three turns."""
    page = waiting_at_a_rating_step(new_context, base_url)
    figures = page.locator(".flow-note.is-wait + .flow-note-progress")
    expect(figures).to_have_text(re.compile(r"^Hämtat \d+,\d( av \d+,\d)?\u00a0MB$"))
    expect(figures).to_be_in_viewport(ratio=1)
    assert figures.get_attribute("aria-hidden") == "true"  # the live note is not read out at every byte
    page.wait_for_timeout(1200)  # a progress message or more later: the same count as the status line's
    top, beside = page.evaluate("() => ['.flow-engine-progress', '.flow-note-progress']"
                                ".map((s) => document.querySelector(s).textContent)")
    assert top == beside, (top, beside)
