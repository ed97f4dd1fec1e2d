"""Screenshots of the live flows' states on a phone (390 x 844), for a human to look at.

    TRYGGT_SITE_DIR=/tmp/site .venv/bin/python site_tests/flow_screenshots.py [OUT_DIR]

Without TRYGGT_SITE_DIR the site is built into a temporary folder. Writes one PNG per state
(default folder: site_tests/screenshots/flows, git-ignored) and prints the paths. The engine is
held back (its wasm request waits), so no state needs Pyodide; the states are those of issue 17:
the rules to tap while the engine loads and the note where the reader tapped, Back, Back after
the quick exit, a link into an outcome and into a step, the error summary, Tillbaka keeping
unsent ratings, Börja om's question, "Dina svar" and the folded diagram; and of issue 23: the
loading state of a flow that announces its engine, and a rating step waiting for the engine on a
2 Mbit/s, 150 ms connection (not held: cold, as a reader's first visit). Nothing is asserted
(the tests do that); the steps are found in the trees, so they follow the content.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flow_driver import (FLOWS, answer_by_mouse, engine_next, hold_engine, shortest_path_to_each_outcome,  # noqa: E402
                         static_next, tree_in_site)
from site_support import PHONE, SUB_PATH, launch_options, quick_exit_url, run_on_site, serve_site  # noqa: E402


OUT = Path(__file__).resolve().parent / "screenshots" / "flows"


def _section(page, node_id):
    return page.locator(f'section[data-node="{node_id}"], section[data-outcome="{node_id}"]')


def _first_wait(tree):
    """(route, index): a route with a step that waits for the engine after a choice."""
    for route in shortest_path_to_each_outcome(tree).values():
        for i, node_id in enumerate(route["path"][:-1]):
            if static_next(tree, node_id, route["answers"]) is None:
                return route, i
    return None, None


def take(site_dir: Path, out: Path = OUT) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with serve_site(site_dir, SUB_PATH) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        context = browser.new_context(viewport=PHONE, locale="sv-SE")
        hold_engine(context)
        page = context.new_page()

        def shot(name: str, full: bool = False) -> None:
            page.wait_for_timeout(150)  # the note is filled a moment after it is placed
            target = out / f"{len(written) + 1:02d}-{name}.png"
            page.screenshot(path=str(target), full_page=full)
            written.append(target)

        # 1-3: the engine loading, a step that waits, the rules, Back: in the first flow with a step
        # that waits (vad-gor-jag-nu never does: its routes are walked at build).
        flow, tree, route, k = next((flow, tree, *_first_wait(tree)) for flow in FLOWS
                                    for tree in [tree_in_site(site_dir, flow)] if _first_wait(tree)[0])
        url = f"{base}floden/{flow}.html"
        page.goto(url)
        shot("loading-first-step")
        path, answers = route["path"], route["answers"]
        for node_id in path[:k]:
            answer_by_mouse(page, tree, node_id, answers[node_id])
        shot("loading-rules-to-tap")
        answer_by_mouse(page, tree, path[k], answers[path[k]])
        shot("loading-waiting-beside-the-tapped-option")
        wanted = engine_next(tree, {n: answers[n] for n in path[:k + 1]}, path[k])
        _section(page, path[k]).locator(f'a.flow-rule[data-goto="{wanted}"]').first.click()
        shot("rule-tapped-outcome")
        page.go_back()
        shot("browser-back-one-step")

        # 4: Back after the quick exit.
        page.go_forward()
        page.locator("[data-quick-exit]").click()
        page.wait_for_url(quick_exit_url(base))
        page.go_back()
        page.wait_for_load_state()
        shot("back-after-the-quick-exit")

        # 5-6: links into an outcome and into a step.
        outcome = path[-1]
        page.goto(f"{base}index.html")
        page.goto(f"{url}#utfall-{outcome}")
        page.wait_for_load_state("load")
        shot("link-into-an-outcome")
        page.goto(f"{base}index.html")
        page.goto(f"{url}#rubrik-{path[k]}")
        page.wait_for_load_state("load")
        shot("link-into-a-step")
        if tree["nodes"][path[k]]["kind"] == "choice":  # its answer is routed by the engine alone
            _section(page, path[k]).locator(f'a.flow-option[data-option="{answers[path[k]]}"]').click()
            shot("link-into-a-step-pick-a-rule")

        # 7-10: a rating step: errors, a link of the summary, Tillbaka keeping, Börja om.
        flow = "riskinventering"
        tree = tree_in_site(site_dir, flow)
        url = f"{base}floden/{flow}.html"
        route = next(iter(shortest_path_to_each_outcome(tree).values()))
        path, answers = route["path"], route["answers"]
        rating = next(n for n in path if tree["nodes"][n]["kind"] == "rating")
        page.goto(url)
        for node_id in path[:path.index(rating)]:
            answer_by_mouse(page, tree, node_id, answers[node_id])
        section = _section(page, rating)
        items = tree["nodes"][rating]["items"]
        section.locator(f'input[name="{rating}--{items[0]["id"]}"]').last.check()
        section.locator("button[data-action=next]").click()
        shot("error-summary")
        section.locator(".flow-error-summary a").last.click()
        shot("error-link-followed")
        section.locator(f'input[name="{rating}--{items[1]["id"]}"]').first.check()
        page.get_by_role("button", name="Tillbaka", exact=True).click()
        page.go_forward()
        shot("tillbaka-then-forward-keeps-unsent-ratings")
        answer_by_mouse(page, tree, rating, answers[rating])
        page.get_by_role("button", name="Börja om", exact=True).click()
        shot("borja-om-asks")
        page.get_by_role("button", name="Nej, fortsätt", exact=True).click()

        # 11-12: "Dina svar" at an outcome (rules tapped, no engine), the diagram folded and open.
        for node_id in path[path.index(rating) + 1:-1]:
            answer_by_mouse(page, tree, node_id, answers[node_id])
            if static_next(tree, node_id, answers) is None:
                wanted = engine_next(tree, {n: answers[n] for n in path[:path.index(node_id) + 1]}, node_id)
                _section(page, node_id).locator(f'a.flow-rule[data-goto="{wanted}"]').first.click()
        page.locator(".flow-answers").scroll_into_view_if_needed()
        shot("dina-svar-one-row-per-answer")
        fold = page.locator(".flow-diagram-fold")
        fold.scroll_into_view_if_needed()
        shot("diagram-folded")
        fold.locator("summary").click()
        fold.locator("summary").scroll_into_view_if_needed()
        shot("diagram-opened")

        # 13: the loading state of a flow that announces its engine (the download held, counted).
        page.goto(url)
        page.locator(".flow-engine-progress").filter(has_text="MB").wait_for()
        shot("loading-state-status-line")
        context.close()

        # 14: a rating step that waits for the engine, on a 2 Mbit/s, 150 ms connection (cold).
        context = browser.new_context(viewport=PHONE, locale="sv-SE")
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", {"offline": False, "latency": 150,
                                                          "downloadThroughput": 2e6 / 8, "uploadThroughput": 2e6 / 8})
        page.goto(url)
        waits = next(n for n in path if tree["nodes"][n]["kind"] == "rating" and static_next(tree, n, answers) is None)
        for node_id in path[:path.index(waits) + 1]:
            answer_by_mouse(page, tree, node_id, answers[node_id])
        page.locator(".flow-note.is-wait").wait_for()
        page.wait_for_timeout(2000)  # the download's figures move on
        shot("rating-step-waiting-at-2-mbit")
        browser.close()
    return written


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    return run_on_site(lambda site_dir: take(site_dir, out), "tryggt-flow-shots-")


if __name__ == "__main__":
    sys.exit(main())
