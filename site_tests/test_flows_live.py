"""The flows in a real browser with the real Pyodide: static first, then the engine takes over.

Each test starts Pyodide once (a cold start costs seconds of CPU), so each test does a lot.
"""

from __future__ import annotations

import re

import pytest
from generator.language import strings
from playwright.sync_api import expect

from conftest import _AXE_RUN
from flow_driver import (FLOWS, LOADING, WAITING, WASM, a_changed_answer, answer_by_mouse, answer_rows, engine_next,
                         engine_ready, enumerate_paths, expect_at, expect_private, hold_engine, restart,
                         shortest_path_to_each_outcome, static_steps, tree_in_site, tree_of, walk_by_keyboard,
                         walk_by_mouse)
from search_helpers import search
from site_support import AXE_JS, PHONE, SUB_PATH, WCAG_TAGS, quick_exit_url, serve_site


def _axe(page) -> list[str]:
    # A fading element (Material's back-to-top button) has no settled contrast yet.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)")
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # not a <script>: the page's CSP stays on
    violations = page.evaluate(_AXE_RUN, WCAG_TAGS)["violations"]
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {v['nodes'][0]['target']})" for v in violations]


# Kept under their old names for the tests here.
_engine_ready = engine_ready
_hold_engine = hold_engine


def _a_route(site_dir, fits) -> tuple[str, dict, dict, int]:
    """(flow, tree, route, index): the first route of the first flow for which fits(tree, route)
    gives an index. Found in the trees, so the tests follow the content."""
    for flow in FLOWS:
        tree = tree_in_site(site_dir, flow)
        for route in enumerate_paths(tree):
            found = fits(tree, route) if route["outcome"] else None
            if found is not None:
                return flow, tree, route, found
    pytest.fail(f"no flow has a route that fits {fits.__doc__}", pytrace=False)


@pytest.mark.parametrize("flow", FLOWS)
def test_flow_in_the_browser(new_context, base_url, watch, flow):
    context = new_context(viewport=PHONE)
    release_engine = _hold_engine(context)  # until the first answer is given
    page = context.new_page()
    seen = watch(page)
    page.goto(f"{base_url}floden/{flow}.html")
    root = page.locator(".flow")
    expect(root).to_have_attribute("data-engine", "loading")
    tree = tree_of(page)
    routes = shortest_path_to_each_outcome(tree)
    assert routes, "the engine finds no outcome"

    # The first question is answerable before the engine is there, and its answer survives.
    first = next(iter(routes.values()))
    expect_at(page, tree["start"])
    assert root.locator(".flow-step:visible, .flow-outcome:visible").count() == 1
    answer_by_mouse(page, tree, tree["start"], first["answers"][tree["start"]])
    # A flow of choices alone never waits, so it does not announce the engine; the others do.
    waits = any(node["kind"] not in ("choice", "info", "outcome") for node in tree["nodes"].values())
    expect(page.locator(".flow-engine-status [role=status]")).to_have_text(strings("sv")["flow_loading"] if waits else "")
    release_engine(page)
    walk_by_mouse(page, tree, first["answers"], first["path"][1:])

    # Every outcome, each after "Börja om".
    for outcome, route in routes.items():
        restart(page)
        expect_at(page, tree["start"])
        expect(page.locator(".flow-answers")).to_be_hidden()
        walk_by_mouse(page, tree, route["answers"], route["path"])
        outcome_section = page.locator(f'section[data-outcome="{outcome}"]')
        expect(outcome_section.locator("h2")).to_be_focused()
        expect(page.locator(".flow [aria-live]")).to_have_text(f"Resultat: {tree['nodes'][outcome]['title']}")
        # "Dina svar": one row per answer (a rating: one per item), each with its own Ändra.
        rows = page.locator(".flow-answers .flow-answer-row")
        expect(rows).to_have_count(answer_rows(tree, route["answers"], route["path"]))
        expect(page.locator(".flow-answers .flow-answer-row button.flow-edit")).to_have_count(rows.count())

    # Change an earlier answer from "Dina svar": the outcome follows.
    for outcome, route in routes.items():
        change = a_changed_answer(tree, route["answers"], route["path"])
        if change is None:
            continue
        node_id, other, new_outcome = change
        restart(page)
        walk_by_mouse(page, tree, route["answers"], route["path"])
        page.locator(f'.flow-answers button[data-node="{node_id}"]').click()
        expect_at(page, node_id)
        answer_by_mouse(page, tree, node_id, other)
        expect_at(page, new_outcome)
        break

    # The printable summary: the day it was printed, the outcome and the answers, no buttons, no
    # site chrome.
    page.clock.set_fixed_time("2026-11-28T23:59:00")  # the page's local time
    page.evaluate("window.print = () => { dispatchEvent(new Event('beforeprint')); }")
    page.get_by_role("button", name="Skriv ut sammanfattningen").click()
    page.emulate_media(media="print")
    expect(page.locator(".flow-printed")).to_have_text("Utskriven 2026-11-28")
    expect(page.locator(".flow-outcome:visible")).to_have_count(1)
    expect(page.locator(".flow-answers")).to_be_visible()
    for chrome in (".md-header", ".flow-controls", ".flow-edit >> nth=0", ".md-sidebar--primary", ".flow-diagram"):
        expect(page.locator(chrome)).to_be_hidden()
    page.emulate_media(media="screen")

    # Accessibility of an outcome with its summary, then of a question step.
    assert _axe(page) == [], f"axe on the outcome of {flow}"
    page.get_by_role("button", name="Börja om", exact=True).click()
    expect(page.locator(".flow-confirm")).to_be_visible()
    assert _axe(page) == [], f"axe on Börja om's question in {flow}"
    page.get_by_role("button", name="Ja, börja om", exact=True).click()
    expect_at(page, tree["start"])
    assert _axe(page) == [], f"axe on the first question of {flow}"

    assert not seen.problems(), seen.problems()


def _waits_after_static_steps(tree, route):
    """a step that waits for the engine, after steps that do not, one of them a choice"""
    k = static_steps(tree, route)
    path = route["path"]
    waits = 0 < k < len(path) - 1
    return k if waits and any(tree["nodes"][n]["kind"] == "choice" for n in path[:k]) else None


def test_leaving_a_step_that_waits_for_the_engine_drops_the_wait(new_context, base_url, site_dir, watch):
    """An answer that only the engine can route waits ("Ett ögonblick …"). The reader who leaves
    that step (Börja om, Ändra, Tillbaka) is no longer waiting, and is not moved on from where
    they went when the engine comes."""
    flow, tree, route, k = _a_route(site_dir, _waits_after_static_steps)
    path, answers = route["path"], route["answers"]
    waiting, before = path[k], path[k - 1]
    choice = next(n for n in path[:k] if tree["nodes"][n]["kind"] == "choice")
    context = new_context()
    release_engine = _hold_engine(context)
    page = context.new_page()
    seen = watch(page)
    page.goto(f"{base_url}floden/{flow}.html")
    status = page.locator(".flow-engine-status [role=status]")  # the sentence, not the download's figures
    note = page.locator(".flow-note")

    def wait_at_the_step(start: str) -> None:
        walk_by_mouse(page, tree, answers, path[path.index(start):k + 1])
        answer_by_mouse(page, tree, waiting, answers[waiting])
        expect(note).to_have_text(WAITING)
        expect_at(page, waiting)

    wait_at_the_step(tree["start"])
    restart(page)
    expect_at(page, tree["start"])
    expect(status).to_have_text(LOADING)
    expect(note).to_have_count(0)

    wait_at_the_step(tree["start"])
    page.locator(f'.flow-answers button[data-node="{choice}"]').click()
    expect_at(page, choice)
    expect(note).to_have_count(0)

    wait_at_the_step(choice)
    page.get_by_role("button", name="Tillbaka", exact=True).click()
    expect_at(page, before)
    expect(note).to_have_count(0)

    release_engine(page)
    page.wait_for_timeout(1000)  # a leftover wait would move the reader within milliseconds
    expect_at(page, before)
    answer_by_mouse(page, tree, before, answers[before])
    expect_at(page, engine_next(tree, {n: answers[n] for n in path[:k + 1]}, before))
    assert not seen.problems(), seen.problems()


def _three_static_steps_from_a_choice(tree, route):
    """a choice and the two steps after it, all routed without the engine"""
    path, k = route["path"], static_steps(tree, route)
    return next((j for j in range(k - 2) if tree["nodes"][path[j]]["kind"] == "choice"), None)


def test_a_change_from_dina_svar_ends_with_the_next_move(new_context, base_url, site_dir, watch):
    """Ändra (from "Dina svar") lets the changed answer go straight on; it does not outlive the
    next move. Made before the engine and followed by a move without it, the engine's first
    answer goes one step on, as the engine leads from the answers; followed by Tillbaka, the
    same."""
    flow, tree, route, j = _a_route(site_dir, _three_static_steps_from_a_choice)
    path, answers = route["path"], route["answers"]
    context = new_context()
    release_engine = _hold_engine(context)
    page = context.new_page()
    seen = watch(page)
    page.goto(f"{base_url}floden/{flow}.html")

    # Before the engine: three steps answered, then Ändra the choice and give the same answer.
    walk_by_mouse(page, tree, answers, path[:j + 4])
    page.locator(f'.flow-answers button[data-node="{path[j]}"]').click()
    expect_at(page, path[j])
    answer_by_mouse(page, tree, path[j], answers[path[j]])
    expect_at(page, path[j + 1])
    release_engine(page)
    given = {n: answers[n] for n in path[:j + 3]}
    answer_by_mouse(page, tree, path[j + 1], answers[path[j + 1]])
    expect_at(page, engine_next(tree, given, path[j + 1]))

    # With the engine: Ändra a later answer, Tillbaka, and answer the step before it again.
    later = next((m for m in range(j + 2, len(path) - 1) if tree["nodes"][path[m]]["kind"] != "info"), None)
    if later is not None:
        walk_by_mouse(page, tree, answers, path[j + 2:later + 2])
        page.locator(f'.flow-answers button[data-node="{path[later]}"]').click()
        expect_at(page, path[later])
        page.get_by_role("button", name="Tillbaka", exact=True).click()
        expect_at(page, path[later - 1])
        answer_by_mouse(page, tree, path[later - 1], answers[path[later - 1]])
        expect_at(page, engine_next(tree, {n: answers[n] for n in path[:later + 1]}, path[later - 1]))
    assert not seen.problems(), seen.problems()


@pytest.mark.parametrize("flow", FLOWS)
def test_flow_answers_stay_private_and_quick_exit_leaves(new_context, base_url, flow):
    """With the engine ready: keyboard only to an outcome, one history entry per step that holds a
    step counter and nothing else, Back and Forward between the steps, and the quick exit."""
    context = new_context()
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    start_page = f"{base_url}index.html"
    flow_page = f"{base_url}floden/{flow}.html"
    page.goto(start_page)
    page.goto(flow_page)
    before = page.evaluate("() => ({href: location.href, length: history.length})")
    _engine_ready(page)
    expect_private(page, flow_page, step=0)
    tree = tree_of(page)
    route = max(shortest_path_to_each_outcome(tree).values(), key=lambda r: len(r["path"]))
    path = route["path"]

    # Keyboard only, to the flow's longest shortest path.
    walk_by_keyboard(page, tree, route["answers"], path)
    expect(page.locator(f'section[data-outcome="{path[-1]}"] h2')).to_be_focused()
    steps = len(path) - 1
    after = expect_private(page, flow_page, step=steps)
    assert after["length"] == before["length"] + steps, "not one history entry per step"
    assert context.cookies() == []
    origin = base_url.split("/intranat/")[0] + "/"
    # blob: URLs of this origin are the page's own memory (the Pyodide module the worker unpacks).
    outside = [url for url in requests if not url.startswith((origin, "blob:" + origin))]
    assert outside == [], f"requests outside the local server: {outside}"

    # Back and Forward move between the steps; the answers stay; nothing else changes.
    page.go_back()
    expect_at(page, path[-2])
    expect(page.locator(f'section[data-node="{path[-2]}"] h2')).to_be_focused()
    expect_private(page, flow_page, step=steps - 1)
    page.go_back()
    expect_at(page, path[-3] if steps >= 2 else path[0])
    page.go_forward()
    page.go_forward()
    expect_at(page, path[-1])
    expect_private(page, flow_page, step=steps)
    expect(page.locator(".flow-answers .flow-answer-row")).to_have_count(answer_rows(tree, route["answers"], path))

    # The button: this entry is replaced and the answers dropped; Back reaches the step before's
    # entry, which shows the flow from its start, without the answers.
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(quick_exit_url(base_url))
    assert page.evaluate("history.length") == after["length"]
    page.go_back()
    expect(page).to_have_url(flow_page)
    expect_at(page, tree["start"])
    expect_private(page, flow_page, step=steps - 1)
    expect(page.locator(".flow-answers")).to_be_hidden()
    expect(page.locator(".flow .is-chosen, .flow input:checked")).to_have_count(0)
    # Further Back: still the start, never a step with answers, then the page before.
    for _ in range(steps - 1):
        page.go_back()
        expect_at(page, tree["start"])
        expect(page.locator(".flow-answers")).to_be_hidden()
    page.go_back()
    expect(page).to_have_url(start_page)

    # Shift three times, after an answer given before the engine is there.
    page.goto(flow_page)
    answer_by_mouse(page, tree, path[0], route["answers"][path[0]])
    expect_at(page, path[1])
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(quick_exit_url(base_url))
    page.go_back()
    expect(page).to_have_url(flow_page)
    expect_at(page, tree["start"])
    expect(page.locator(".flow-answers")).to_be_hidden()
    expect(page.locator(".flow .is-chosen")).to_have_count(0)


def test_flow_from_file_url_is_static_with_one_sentence(page, site_dir, watch):
    seen = watch(page)
    page.goto((site_dir / "floden" / "vad-gor-jag-nu.html").as_uri())
    root = page.locator(".flow")
    expect(root).to_have_attribute("data-engine", "unavailable")
    expect(page.locator(".flow-engine-status")).to_have_text(strings("sv")["flow_file"])
    steps = root.locator("section.flow-step, section.flow-outcome")
    assert steps.count() > 1 and all(steps.nth(i).is_visible() for i in range(steps.count()))
    # Search works here too: its file:// shim needs no inline script, so the CSP stays strict.
    assert search(page, "polisanmälan"), "search from a flow page opened as a file found nothing"
    page.keyboard.press("Escape")
    # The static links still lead from the first question onwards.
    root.locator("section.flow-step").first.locator("a.flow-option").nth(1).click()
    assert page.evaluate("location.hash").startswith("#")
    assert not seen.page_errors and not seen.console_errors, seen.problems()


def test_the_status_counts_the_download_and_a_stalled_one_is_given_up(new_context, base_url, watch):
    """While the engine's files arrive the status says how much has come (megabytes, the decimal
    comma); a download from which nothing more comes is given up after the stall limit (20 s in
    flow-engine.js), the static flow comes back, and what was answered stays on the page."""
    context = new_context(viewport=PHONE)
    context.route(WASM, lambda route: None)  # never answered: the download stalls there
    page = context.new_page()
    seen = watch(page)
    page.goto(f"{base_url}floden/efter-en-handelse.html")  # a flow with steps that wait for the engine
    root = page.locator(".flow")
    progress = page.locator(".flow-engine-progress")
    expect(progress).to_have_text(re.compile(r"^Hämtat \d+,\d( av \d+,\d)?\u00a0MB$"))
    expect(root).to_have_attribute("data-engine", "loading")
    # The spinner turns a few times and then stands (one that never stops repaints without end,
    # which takes a slow phone's CPU from the engine's start); with reduced motion it never turns.
    spinner = "e => [getComputedStyle(e, '::before').animationName, getComputedStyle(e, '::before').animationIterationCount]"
    name, turns = page.locator(".flow-engine-status.is-busy").evaluate(spinner)
    assert name == "flow-spin" and turns != "infinite" and float(turns) <= 5, (name, turns)
    page.emulate_media(reduced_motion="reduce")
    assert page.locator(".flow-engine-status.is-busy").evaluate(spinner)[0] == "none"
    page.emulate_media(reduced_motion="no-preference")
    tree = tree_of(page)
    first = next(o["id"] for o in tree["nodes"][tree["start"]]["options"] if tree["routes"][tree["start"]]["options"][o["id"]])
    answer_by_mouse(page, tree, tree["start"], first)
    expect(root).to_have_attribute("data-engine", "unavailable", timeout=60_000)
    expect(page.locator(".flow-engine-status [role=status]")).to_have_text(strings("sv")["flow_failed"])
    expect(progress).to_have_text("")
    steps = root.locator("section.flow-step, section.flow-outcome")
    assert all(steps.nth(i).is_visible() for i in range(steps.count()))
    assert root.locator(".flow-controls, .flow-answers, .flow-note").count() == 0
    assert not seen.page_errors, seen.page_errors


# Layout shifts, summed as Lighthouse's cumulative layout shift counts them (not those right after input).
_SHIFTS = """(() => { self.tryggtShifts = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) if (!entry.hadRecentInput)
    self.tryggtShifts.push({ value: entry.value, from: (entry.sources || []).map((s) => s.node ? s.node.className : "") }); })
  .observe({ type: "layout-shift", buffered: true }); })();"""


def test_nothing_moves_on_a_flow_page_while_its_engine_starts(new_context, base_url):
    """From navigation to the engine ready, each flow page's layout shifts add up to 0.01 at most
    (Lighthouse's "good" is 0.1): the status line has its room from the first paint, and a flow
    that never waits has none. At a phone's width, where a shift of one option is a wrong tap."""
    context = new_context(viewport=PHONE)
    context.add_init_script(_SHIFTS)
    page = context.new_page()
    for flow in [*FLOWS, "dokumentera-handelsen"]:
        page.goto(f"{base_url}floden/{flow}.html")
        _engine_ready(page)
        page.wait_for_timeout(300)  # a shift from the ready state itself is reported within a frame
        shifts = page.evaluate("self.tryggtShifts")
        assert sum(shift["value"] for shift in shifts) <= 0.01, (flow, shifts)


def test_the_documented_csp_header_lets_the_site_and_the_flows_run(new_context, site_dir, watch):
    """The header in docs/publicera.md is `handbok csp` for this build, and with it sent by the
    host, pages, search and a flow's engine run without one CSP violation."""
    import subprocess
    import sys

    from site_support import REPO_ROOT

    printed = subprocess.run([sys.executable, "-m", "generator.cli", "csp", "--site-dir", str(site_dir)],
                             capture_output=True, text=True, cwd=REPO_ROOT, check=True).stdout.strip()
    guide = (REPO_ROOT / "docs" / "publicera.md").read_text(encoding="utf-8")
    assert f"Content-Security-Policy: {printed}" in guide, "docs/publicera.md does not give this build's header"

    with serve_site(site_dir, SUB_PATH, headers={"Content-Security-Policy": printed}) as base:
        page = new_context().new_page()
        seen = watch(page)
        page.goto(f"{base}index.html")
        assert search(page, "polisanmälan"), "search found nothing under the header CSP"
        page.goto(f"{base}floden/infor-mote.html")
        _engine_ready(page)
        assert seen.problems() == []
