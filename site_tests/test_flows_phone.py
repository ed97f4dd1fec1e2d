"""The live flows on a phone (issue 17): nothing to wait for while the engine loads, Back and
Forward between steps, links into a step or an outcome, errors that point, Tillbaka that keeps,
Börja om that asks.

Most of this runs with the engine held back (its wasm request waits), which costs no Pyodide
start; the tests that also need the engine let it start once, late.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from flow_driver import (FLOWS, PICK, WAITING, answer_by_mouse, engine_next, expect_at, expect_in_view,
                         expect_private, hold_engine, restart, shortest_path_to_each_outcome, static_next, tab_to,
                         tree_in_site, walk_by_mouse)
from site_support import PHONE, quick_exit_url
from test_flows_live import _axe



def _problems(seen) -> list[str]:
    """What went wrong on the page, but for requests aborted because the page was left before
    they finished (the held engine's files, or a page these tests leave at once)."""
    return [p for p in seen.problems() if not (p.startswith("request failed:") and p.endswith("net::ERR_ABORTED"))]


def _section(page, node_id: str):
    return page.locator(f'section[data-node="{node_id}"], section[data-outcome="{node_id}"]')


def _something_to_tap(page, node_id: str) -> int:
    controls = _section(page, node_id).locator("a.flow-option, a.flow-rule, button[data-action=next], "
                                               "button[data-action=restart]")
    return sum(1 for i in range(controls.count()) if controls.nth(i).is_visible())


@pytest.mark.parametrize("flow", FLOWS)
def test_while_the_engine_loads_every_step_has_something_to_tap(new_context, base_url, site_dir, watch, flow):
    """Engine held back for good: every outcome is reached by tapping. A flow of choices alone
    (vad-gor-jag-nu) never waits: the build's walked routes move it. Where the next step depends
    on a checklist, rating or form answered earlier, the answer waits with a note beside the tapped control (on the screen, not
    under the header), and the step's rules are links to tap instead of waiting."""
    tree = tree_in_site(site_dir, flow)
    context = new_context(viewport=PHONE)
    hold_engine(context)  # never released
    page = context.new_page()
    seen = watch(page)
    url = f"{base_url}floden/{flow}.html"
    waited = 0
    for outcome, route in shortest_path_to_each_outcome(tree).items():
        page.goto(url)
        first = expect_private(page, url)["state"]["step"]  # a load of the same address may keep the counter
        path, answers = route["path"], route["answers"]
        for i, node_id in enumerate(path[:-1]):
            expect_at(page, node_id)
            assert _something_to_tap(page, node_id), f"{flow}: nothing to tap on {node_id} while the engine loads"
            answer_by_mouse(page, tree, node_id, answers[node_id])
            if static_next(tree, node_id, answers) is not None:
                expect(page.locator(".flow-note")).to_have_count(0)  # moved on at once, no wait
                continue
            # Waits for the engine: the note where the reader tapped, and the rules to tap instead.
            note = _section(page, node_id).locator(".flow-note")
            expect(note).to_have_text(WAITING)
            expect_in_view(page, note)
            rules = _section(page, node_id).locator(".flow-rules")
            expect(rules).to_be_visible()
            if waited == 0:
                assert _axe(page) == [], f"axe on a step waiting for the engine in {flow}"
            waited += 1
            wanted = engine_next(tree, {n: answers[n] for n in path[:i + 1]}, node_id)
            rules.locator(f'a.flow-rule[data-goto="{wanted}"]').first.click()
        expect_at(page, outcome)
        expect(page.locator(".flow-note")).to_have_count(0)
        assert page.locator(".flow").get_attribute("data-engine") == "loading"
        expect_private(page, url, step=first + len(path) - 1)
    if all(node["kind"] in ("choice", "info", "outcome") for node in tree["nodes"].values()):
        assert waited == 0, f"{flow} is all choices: the build's walked routes move every step at once"
    assert not _problems(seen), _problems(seen)


def _a_long_static_route(site_dir):
    """(flow, tree, route): a route whose first three answers move on without the engine."""
    for flow in FLOWS:
        tree = tree_in_site(site_dir, flow)
        for route in shortest_path_to_each_outcome(tree).values():
            path = route["path"]
            if len(path) >= 4 and all(static_next(tree, n, route["answers"]) for n in path[:3]):
                return flow, tree, route
    pytest.fail("no flow has a route of three steps without the engine", pytrace=False)


def test_back_and_forward_move_between_steps_and_back_after_the_quick_exit_starts_over(
        new_context, base_url, site_dir, watch):
    """Engine held back: one history entry per step, same address, a step counter as the only
    state; Back and Forward (and Tillbaka, which is Back here) move between steps; after the quick
    exit, Back shows the flow from its start without the answers."""
    flow, tree, route = _a_long_static_route(site_dir)
    path, answers = route["path"], route["answers"]
    context = new_context(viewport=PHONE)
    hold_engine(context)
    page = context.new_page()
    seen = watch(page)
    start_page = f"{base_url}index.html"
    url = f"{base_url}floden/{flow}.html"
    page.goto(start_page)
    page.goto(url)
    first = expect_private(page, url, step=0)
    for i in range(3):
        expect_at(page, path[i])
        answer_by_mouse(page, tree, path[i], answers[path[i]])
        expect_at(page, path[i + 1])
        facts = expect_private(page, url, step=i + 1)
        assert facts["length"] == first["length"] + i + 1

    page.go_back()
    expect_at(page, path[2])
    expect(_section(page, path[2]).locator("h2")).to_be_focused()
    page.go_back()
    expect_at(page, path[1])
    expect_private(page, url, step=1)
    page.go_forward()
    expect_at(page, path[2])
    page.go_forward()
    expect_at(page, path[3])
    expect_private(page, url, step=3)

    # Tillbaka is the browser's Back: no new entry, and Forward comes back.
    page.get_by_role("button", name="Tillbaka", exact=True).click()
    expect_at(page, path[2])
    assert expect_private(page, url, step=2)["length"] == first["length"] + 3
    page.go_forward()
    expect_at(page, path[3])
    assert page.locator(".flow-answers .flow-answer-row").count() >= 1

    # The quick exit replaces this entry; Back shows the start, without the answers.
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(quick_exit_url(base_url))
    page.go_back()
    expect(page).to_have_url(url)
    expect_at(page, tree["start"])
    expect_private(page, url, step=2)
    expect(page.locator(".flow-answers")).to_be_hidden()
    expect(page.locator(".flow .is-chosen, .flow input:checked")).to_have_count(0)
    page.go_back()
    expect_at(page, tree["start"])
    expect(page.locator(".flow-answers")).to_be_hidden()
    page.go_back()
    page.go_back()
    expect(page).to_have_url(start_page)
    assert not _problems(seen), _problems(seen)


def _linked_targets(tree):
    """(outcome, step, target): an outcome an option leads to outright; a step whose next step
    depends on earlier answers (a choice with an option the tree's routes leave open); where one
    of its rules leads."""
    routes = tree["routes"]
    options = [(node_id, to) for node_id, route in routes.items() for to in (route.get("options") or {}).values()]
    outcome = next((to for _, to in options if to and tree["nodes"][to]["kind"] == "outcome"), None)
    step = next((node_id for node_id, to in options if to is None), None)
    return (outcome, step, tree["nodes"][step]["next"][0]["goto"]) if step else None


# The classes of what a section shows after an element (its later siblings in view).
_SHOWN_AFTER = "e => [...e.parentElement.children].slice([...e.parentElement.children].indexOf(e) + 1).filter(c => c.checkVisibility()).map(c => c.className)"


def test_a_link_opens_a_step_or_an_outcome_with_its_answers_unknown(new_context, base_url, site_dir, watch):
    """A fragment naming an outcome or a step opens it in the live flow; an outcome reached this
    way says what it is for and offers Börja från början; a step whose next step depends on
    earlier answers lets the reader pick from its rules, before the engine and with it."""
    flow, found = next(((f, t) for f in FLOWS if (t := _linked_targets(tree_in_site(site_dir, f)))), (None, None))
    assert found, "no flow has a step whose next step depends on earlier answers"
    outcome, step, target = found
    tree = tree_in_site(site_dir, flow)
    context = new_context(viewport=PHONE)
    release = hold_engine(context)
    page = context.new_page()
    seen = watch(page)
    url = f"{base_url}floden/{flow}.html"

    # Into an outcome.
    page.goto(f"{url}#utfall-{outcome}")
    expect_at(page, outcome)
    section = _section(page, outcome)
    expect(section.locator("h2")).to_be_focused()
    expect_in_view(page, section.locator("h2"))
    # The heading has the focus, drawn with no ring (no key of the reader's put it there), and
    # the advice follows it: the box on how the reader came is after all the outcome shows.
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    expect(section.locator("h2")).to_be_focused()
    assert section.locator("h2").evaluate("h => getComputedStyle(h).outlineStyle") == "none"
    direct = section.locator(".flow-direct")
    expect(direct).to_contain_text("Du har kommit direkt till det här utfallet")
    assert direct.evaluate(_SHOWN_AFTER) == [], "the outcome shows something after the box"
    assert section.locator("h2 + *").evaluate("e => !e.matches('.flow-direct')")
    leading = [tree["nodes"][n]["title"] for n, route in tree["routes"].items() if outcome in route["targets"]]
    for title in leading:
        expect(direct).to_contain_text(f"”{title}”")
    expect(page.get_by_role("button", name="Tillbaka", exact=True)).to_be_hidden()
    expect_private(page, f"{url}#utfall-{outcome}", step=0)
    assert _axe(page) == [], "axe on an outcome opened by a link"
    page.get_by_role("button", name="Börja från början").click()
    expect_at(page, tree["start"])
    expect(page.locator(".flow-confirm")).to_be_hidden()

    # Into a step (by its heading's id, as search results link): its rules to pick from.
    page.goto(f"{base_url}index.html")
    page.goto(f"{url}#rubrik-{step}")
    expect_at(page, step)
    section = _section(page, step)
    expect(section.locator(".flow-direct")).to_be_visible()
    expect(section.locator(".flow-rules")).to_be_visible()
    assert section.locator(".flow-direct").evaluate(_SHOWN_AFTER) == ["flow-rules"], "the box is not just before the rules"
    unsettled = next(option for option, to in tree["routes"][step]["options"].items() if to is None)
    section.locator(f'a.flow-option[data-option="{unsettled}"]').click()
    expect(section.locator(".flow-note")).to_have_text(PICK)
    expect_in_view(page, section.locator(".flow-note"))
    section.locator(f'a.flow-rule[data-goto="{target}"]').first.click()
    expect_at(page, target)
    expect_private(page, f"{url}#rubrik-{step}", step=1)

    # With the engine: the step opened by the link still offers its rules (the engine cannot see it).
    release(page)
    page.go_back()
    expect_at(page, step)
    expect(section.locator(".flow-rules")).to_be_visible()
    section.locator(f'a.flow-rule[data-goto="{target}"]').first.click()
    expect_at(page, target)

    # A link to a part of the page once it is open (a search result on the same page).
    page.evaluate(f"location.hash = '#utfall-{outcome}'")
    expect_at(page, outcome)
    expect(_section(page, outcome).locator(".flow-direct")).to_be_visible()
    expect_private(page, f"{url}#utfall-{outcome}", step=2)
    page.go_back()
    expect_at(page, target)
    assert not _problems(seen), _problems(seen)


def _rating_flow(site_dir):
    for flow in FLOWS:
        tree = tree_in_site(site_dir, flow)
        for route in shortest_path_to_each_outcome(tree).values():
            ratings = [n for n in route["path"] if tree["nodes"][n]["kind"] == "rating"]
            if ratings and ratings[0] != route["path"][0]:
                return flow, tree, route, ratings
    pytest.fail("no flow has a rating step after its first step", pytrace=False)


def test_errors_point_to_each_unrated_item_and_tillbaka_keeps_what_is_not_sent(
        new_context, base_url, site_dir, watch):
    """A rating step sent with items missing: a summary at the top of the step with a link to
    each, a message and a border on each, "Fel: " in the title, nothing under the sticky header.
    Ratings not yet sent survive Tillbaka and Back. Before the engine and with it."""
    flow, tree, route, ratings = _rating_flow(site_dir)
    path, answers = route["path"], route["answers"]
    context = new_context(viewport=PHONE)
    release = hold_engine(context)
    page = context.new_page()
    seen = watch(page)
    url = f"{base_url}floden/{flow}.html"
    page.goto(url)
    title = page.title()
    rating = ratings[0]
    walk_by_mouse(page, tree, answers, path[:path.index(rating) + 1])
    section = _section(page, rating)
    items = tree["nodes"][rating]["items"]
    levels = [level["id"] for level in tree["scales"][tree["nodes"][rating]["scale"]]]

    def rate(item_id: str, level: str) -> None:
        section.locator(f'input[name="{rating}--{item_id}"][value="{level}"]').check()

    rate(items[0]["id"], levels[-1])
    section.locator("button[data-action=next]").click()
    summary = section.locator(".flow-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("h3")).to_have_text("Det finns ett problem")
    expect(summary).to_be_focused()
    expect_in_view(page, summary)
    links = summary.locator("a")
    expect(links).to_have_count(len(items) - 1)
    for i, item in enumerate(items[1:]):
        expect(links.nth(i)).to_contain_text(item["label"])
    expect(section.locator("tr.flow-item-error")).to_have_count(len(items) - 1)
    expect(section.locator(f'tr[data-item="{items[1]["id"]}"] .flow-item-message')).to_be_visible()
    assert page.title() == f"Fel: {title}"
    assert _axe(page) == [], "axe on the error summary"

    # A link goes to its item, which ends up clear of the sticky header; by keyboard too.
    links.nth(len(items) - 2).focus()
    page.keyboard.press("Enter")
    last_row = section.locator(f'tr[data-item="{items[-1]["id"]}"]')
    expect(last_row.locator("input").first).to_be_focused()
    expect_in_view(page, last_row)
    links.nth(0).click()
    expect(section.locator(f'tr[data-item="{items[1]["id"]}"] input').first).to_be_focused()
    expect_in_view(page, section.locator(f'tr[data-item="{items[1]["id"]}"]'))
    expect(page).to_have_url(url)

    # Tillbaka keeps what is rated and not sent; so do Back and Forward; the errors go.
    rate(items[1]["id"], levels[0])
    page.get_by_role("button", name="Tillbaka", exact=True).click()
    before = path[path.index(rating) - 1]
    expect_at(page, before)
    assert page.title() == title
    page.go_forward()
    expect_at(page, rating)
    expect(section.locator(f'input[name="{rating}--{items[0]["id"]}"][value="{levels[-1]}"]')).to_be_checked()
    expect(section.locator(f'input[name="{rating}--{items[1]["id"]}"][value="{levels[0]}"]')).to_be_checked()
    expect(section.locator(".flow-error-summary")).to_have_count(0)
    page.go_back()
    expect_at(page, before)
    answer_by_mouse(page, tree, before, answers[before])  # answered again: the step is shown anew
    expect_at(page, rating)
    expect(section.locator(f'input[name="{rating}--{items[1]["id"]}"][value="{levels[0]}"]')).to_be_checked()
    expect(page.locator(".flow-answers .flow-answer-row")).to_have_count(
        sum(1 for n in path[:path.index(rating)] if tree["nodes"][n]["kind"] != "info"))  # not sent: no row

    # With the engine: the same summary, and once all is rated the flow goes on.
    release(page)
    section.locator("button[data-action=next]").click()
    expect(section.locator(".flow-error-summary a")).to_have_count(len(items) - 2)
    assert page.title() == f"Fel: {title}"
    answer_by_mouse(page, tree, rating, answers[rating])
    expect_at(page, engine_next(tree, {n: answers[n] for n in path[:path.index(rating) + 1]}, rating))
    assert page.title() == title
    assert not _problems(seen), _problems(seen)


def test_borja_om_is_apart_from_tillbaka_and_asks_before_it_wipes(new_context, base_url, site_dir, watch):
    """Hidden on the first step; a secondary action apart from Tillbaka; an in-page question,
    by keyboard alone, that Escape and "Nej" leave with the answers kept; "Ja" wipes them and
    goes back to the flow's first history entry."""
    flow, tree, route = _a_long_static_route(site_dir)
    path, answers = route["path"], route["answers"]
    context = new_context(viewport=PHONE)
    hold_engine(context)
    page = context.new_page()
    seen = watch(page)
    url = f"{base_url}floden/{flow}.html"
    page.goto(url)
    restart_button = page.get_by_role("button", name="Börja om", exact=True)
    back = page.get_by_role("button", name="Tillbaka", exact=True)
    expect_at(page, tree["start"])
    expect(restart_button).to_be_hidden()
    walk_by_mouse(page, tree, answers, path[:3])
    expect(restart_button).to_be_visible()

    # Apart from Tillbaka, and not dressed like it.
    back_box, restart_box = back.bounding_box(), restart_button.bounding_box()
    assert restart_box["x"] >= back_box["x"] + back_box["width"] + 48 or restart_box["y"] >= back_box["y"] + back_box["height"]
    looks = "e => [getComputedStyle(e).borderTopWidth, getComputedStyle(e).backgroundColor]"
    assert restart_button.evaluate(looks) != back.evaluate(looks)

    rows = page.locator(".flow-answers .flow-answer-row")
    kept = rows.count()
    assert kept >= 1
    confirm = page.locator(".flow-confirm")

    # Keyboard: Börja om, then Escape: nothing lost, focus back on Börja om.
    restart_button.focus()
    page.keyboard.press("Enter")
    expect(confirm).to_be_visible()
    expect(page.locator("#flow-confirm-question")).to_be_focused()
    expect(confirm).to_contain_text("Vill du börja om?")
    expect_in_view(page, confirm)
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(restart_button).to_be_focused()
    expect(rows).to_have_count(kept)
    expect_at(page, path[2])

    # "Nej, fortsätt": nothing lost.
    page.keyboard.press("Enter")
    tab_to(page, lambda a: a["action"] == "restart-cancel")
    page.keyboard.press("Enter")
    expect(confirm).to_be_hidden()
    expect(rows).to_have_count(kept)

    # "Ja, börja om": wiped, at the start, on the page's first history entry.
    page.keyboard.press("Enter")
    tab_to(page, lambda a: a["action"] == "restart-confirm")
    page.keyboard.press("Enter")
    expect_at(page, tree["start"])
    expect(_section(page, tree["start"]).locator("h2")).to_be_focused()
    expect(page.locator(".flow-answers")).to_be_hidden()
    expect(page.locator(".flow .is-chosen")).to_have_count(0)
    expect(restart_button).to_be_hidden()
    page.wait_for_function("() => history.state && history.state.step === 0")
    expect_private(page, url, step=0)
    # Forward reaches entries whose steps are forgotten: the start, without answers.
    page.go_forward()
    expect_at(page, tree["start"])
    expect(page.locator(".flow-answers")).to_be_hidden()
    # Without answers, Börja om does not ask.
    page.goto(f"{url}#steg-{path[1]}")
    expect_at(page, path[1])
    restart(page, asked=False)
    expect_at(page, tree["start"])
    assert not _problems(seen), _problems(seen)


def test_an_outcome_with_an_account_says_what_to_do_before_the_account(new_context, base_url, site_dir, watch):
    """On a phone, the outcome that writes the reader's account (dokumentera-handelsen) gives
    "Gör så här" before the account's blanks and its buttons, live and without JavaScript."""
    tree = tree_in_site(site_dir, "dokumentera-handelsen")
    outcome = next(n for n, node in tree["nodes"].items() if node["kind"] == "outcome" and node.get("template"))
    url = f"{base_url}floden/dokumentera-handelsen.html"
    top = "e => e.getBoundingClientRect().top"

    context = new_context(viewport=PHONE)
    hold_engine(context)  # the order is the page's, not the engine's
    page = context.new_page()
    seen = watch(page)
    page.goto(f"{url}#utfall-{outcome}")
    expect_at(page, outcome)
    section = _section(page, outcome)
    what, account = section.get_by_role("heading", name="Gör så här"), section.locator(".flow-account")
    buttons = section.locator(".flow-account-buttons")
    for shown in (what, account, buttons):
        expect(shown).to_be_visible()
    assert what.evaluate(top) < account.evaluate(top) < buttons.evaluate(top)
    assert _problems(seen) == []

    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(url)
    section = _section(page, outcome)
    what, account = section.get_by_role("heading", name="Gör så här"), section.locator(".flow-account")
    assert what.evaluate(top) < account.evaluate(top)
