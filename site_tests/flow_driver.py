"""Drive a live flow page as a reader would, by mouse or by keyboard alone.

Which answers lead where is worked out with the engine itself (in CPython): for each outcome,
the shortest path of answers that reaches it. The browser then has to arrive at the same place.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.engine import Flow, enumerate_paths  # noqa: E402

FLOWS = ["riskinventering", "vad-gor-jag-nu", "efter-en-handelse", "infor-mote"]
MAX_TABS = 300
ENGINE_WAIT_MS = 120_000  # a cold Pyodide start on a busy two-core machine; waiting, not asserting

# flow.js SENTENCES (generator/languages/sv.json)
LOADING = "Flödet blir interaktivt om en stund. Du kan börja svara redan nu."
WAITING = "Ett ögonblick, nästa steg räknas fram … Du kan också välja själv här nedanför."
PICK = "Vart du går härnäst beror på dina tidigare svar. Välj det som stämmer här nedanför."


def engine_ready(page) -> None:
    expect(page.locator(".flow")).to_have_attribute("data-engine", "ready", timeout=ENGINE_WAIT_MS)


# While a test holds the wasm file, the download goes on as a trickle (a byte a second on top of
# what the worker last reported), as on a very slow link: the flow gives up only on a download
# that brings nothing (flow-engine.js), and a held test may take longer than that.
_TRICKLE = """(() => {
  const Real = self.Worker;
  self.Worker = class extends Real {
    constructor(...args) {
      super(...args);
      let last = { type: "progress", loaded: 0, total: null, done: false };
      this.addEventListener("message", (event) => {
        if (event.data && event.data.type === "progress" && !event.data.trickle) last = event.data;
      });
      const beat = setInterval(() => {
        if (self.tryggtTestReleased) return clearInterval(beat);
        last = { ...last, loaded: last.loaded + 1 };
        this.dispatchEvent(new MessageEvent("message", { data: { ...last, trickle: true } }));
      }, 1000);
    }
  };
})();"""


WASM = "**/pyodide.asm.wasm*"  # as vendored, or as the worker fetches it packed (.wasm.bin)


def hold_engine(context):
    """Keep the engine from starting (the browser's request for Pyodide's wasm file waits, while
    a trickle of progress keeps the page from giving up); returns release(page), which lets it
    start and waits until it is ready."""
    held = []

    def hold_wasm(route):
        if route.request.method == "GET":
            held.append(route)
        else:
            route.continue_()

    context.route(WASM, hold_wasm)
    context.add_init_script(_TRICKLE)

    def release(page) -> None:
        for _ in range(600):  # up to a minute for the worker to ask for the wasm file
            if held:
                break
            page.wait_for_timeout(100)
        assert held, "the browser never asked for the wasm file"
        assert page.locator(".flow").get_attribute("data-engine") == "loading"
        page.evaluate("self.tryggtTestReleased = true")
        for route in held:
            route.continue_()
        context.unroute(WASM)
        engine_ready(page)

    return release


def tree_of(page) -> dict:
    return json.loads(page.locator("script.flow-tree").text_content())


def tree_in_site(site_dir: Path, flow: str) -> dict:
    """The compiled tree a built flow page carries, read without a browser."""
    text = (site_dir / "floden" / f"{flow}.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" class="flow-tree"[^>]*>(.*?)</script>', text, re.S)
    return json.loads(found.group(1))


def static_next(tree: dict, node_id: str, answers: dict) -> str | None:
    """Where flow.js goes after an answer before the engine is there: the compiled tree's route
    (a choice: its option's), else the build's walked route for these answers (`answers` of one
    path, as enumerate_paths gives them); None when the step waits."""
    route = tree["routes"].get(node_id) or {}
    if tree["nodes"][node_id]["kind"] == "choice":
        settled = (route.get("options") or {}).get(answers.get(node_id))
    else:
        settled = route.get("next")
    if settled is not None:
        return settled
    walked = (tree.get("walked") or {}).get(node_id) or []
    return next((entry["to"] for entry in walked
                 if all(step in answers and answers[step] == value for step, value in entry["after"].items())), None)


def static_steps(tree: dict, route: dict) -> int:
    """How many steps of a route, from the start, move on without the engine."""
    count = 0
    for node_id in route["path"][:-1]:
        if static_next(tree, node_id, route["answers"]) is None:
            break
        count += 1
    return count


def engine_next(tree: dict, answers: dict, node_id: str) -> str:
    """The step the engine leads to from an answered step: the one after it on the engine's path."""
    path = Flow(tree).run(answers)["path"]
    return path[path.index(node_id) + 1]


def shortest_path_to_each_outcome(tree: dict) -> dict[str, dict]:
    """outcome id -> {"answers", "path"}: the shortest path the engine finds to it."""
    best: dict[str, dict] = {}
    for path in enumerate_paths(tree):
        outcome = path["outcome"]
        if outcome and (outcome not in best or len(path["path"]) < len(best[outcome]["path"])):
            best[outcome] = path
    return dict(sorted(best.items()))


def a_changed_answer(tree: dict, answers: dict, path: list[str]) -> tuple[str, object, str] | None:
    """(node, other answer, new outcome): one earlier choice whose change alone moves the outcome."""
    flow = Flow(tree)
    before = flow.run(answers)["node"]
    for node_id in path[:-1]:
        node = tree["nodes"][node_id]
        if node["kind"] != "choice":
            continue
        for option in node["options"]:
            if option["id"] == answers[node_id]:
                continue
            result = flow.run({**answers, node_id: option["id"]})
            if result["status"] == "outcome" and result["node"] != before:
                return node_id, option["id"], result["node"]
    return None


def answer_rows(tree: dict, answers: dict, path: list[str]) -> int:
    """How many rows "Dina svar" has for a path: one per answer, one per rated item."""
    rows = 0
    for node_id in path:
        node = tree["nodes"][node_id]
        if node_id in answers and node["kind"] != "info":
            rows += len(node["items"]) if node["kind"] == "rating" else 1
    return rows


def restart(page, *, asked: bool = True) -> None:
    """Börja om, confirmed when it asks (it asks when there are answers to lose)."""
    page.get_by_role("button", name="Börja om", exact=True).click()
    confirm = page.locator(".flow-confirm")
    if asked:
        expect(confirm).to_be_visible()
        page.get_by_role("button", name="Ja, börja om", exact=True).click()
    expect(confirm).to_be_hidden()


_FACTS = """async () => ({
    href: location.href, length: history.length, state: history.state, cookie: document.cookie,
    local: localStorage.length, session: sessionStorage.length,
    databases: (await indexedDB.databases()).length})"""


def expect_private(page, url: str, step: int | None = None) -> dict:
    """The privacy promises on a flow page: the address is the page's, the history's state holds
    a step counter and nothing else, no cookie, nothing stored. Returns the facts."""
    facts = page.evaluate(_FACTS)
    assert facts["href"] == url, "the address changed"
    state = facts["state"]
    assert isinstance(state, dict) and list(state) == ["step"] and type(state["step"]) is int, \
        f"history.state holds more than a step counter: {state!r}"
    if step is not None:
        assert state["step"] == step, f"history step {state['step']}, expected {step}"
    assert (facts["cookie"], facts["local"], facts["session"], facts["databases"]) == ("", 0, 0, 0)
    return facts


def expect_in_view(page, locator) -> None:
    """The element is on the screen, below Material's sticky header and above the bottom edge."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    header = page.locator(".md-header").bounding_box()
    viewport = page.viewport_size
    assert box["y"] >= header["y"] + header["height"] - 1, f"under the sticky header: {box} vs {header}"
    assert box["y"] + min(box["height"], 40) <= viewport["height"], f"below the screen: {box}"


def expect_at(page, node_id: str) -> None:
    expect(page.locator(".flow")).to_have_attribute("data-current", node_id)
    section = page.locator(f'section[data-node="{node_id}"], section[data-outcome="{node_id}"]')
    expect(section).to_be_visible()


def answer_by_mouse(page, tree: dict, node_id: str, value) -> None:
    node = tree["nodes"][node_id]
    section = page.locator(f'section[data-node="{node_id}"]')
    if node["kind"] == "choice":
        section.locator(f'a.flow-option[data-option="{value}"]').click()
        return
    if node["kind"] == "checklist":
        for option in node["options"]:
            box = section.locator(f'input[type=checkbox][value="{option["id"]}"]')
            box.set_checked(option["id"] in value)
    elif node["kind"] == "rating":
        for item_id, level in value.items():
            section.locator(f'input[name="{node_id}--{item_id}"][value="{level}"]').check()
    section.locator("button[data-action=next]").click()


def walk_by_mouse(page, tree: dict, answers: dict, path: list[str]) -> None:
    for node_id in path[:-1]:
        expect_at(page, node_id)
        answer_by_mouse(page, tree, node_id, answers[node_id])
    expect_at(page, path[-1])


# ---- keyboard only ------------------------------------------------------------------------


def _active(page) -> dict:
    return page.evaluate("""() => {
        const e = document.activeElement;
        return {tag: e.tagName, type: e.type || null, option: e.dataset.option || null,
                value: e.value || null, name: e.name || null, action: e.dataset.action || null,
                checked: e.checked === true};
    }""")


def tab_to(page, wanted) -> dict:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        active = _active(page)
        if wanted(active):
            return active
    raise AssertionError("Tab never reached the control the step needs")


def answer_by_keyboard(page, tree: dict, node_id: str, value) -> None:
    node = tree["nodes"][node_id]
    if node["kind"] == "choice":
        tab_to(page, lambda a: a["option"] == value)
        page.keyboard.press("Enter")
        return
    if node["kind"] == "checklist":
        for option in node["options"]:
            if option["id"] in value:
                active = tab_to(page, lambda a, o=option["id"]: a["type"] == "checkbox" and a["value"] == o)
                if not active["checked"]:
                    page.keyboard.press("Space")
    elif node["kind"] == "rating":
        levels = [level["id"] for level in tree["scales"][node["scale"]]]
        for item in node["items"]:
            group = f"{node_id}--{item['id']}"
            tab_to(page, lambda a: a["name"] == group)
            page.keyboard.press("Space")  # ticks the first level
            for _ in range(levels.index(value[item["id"]])):
                page.keyboard.press("ArrowRight")
    tab_to(page, lambda a: a["action"] == "next")
    page.keyboard.press("Enter")


def walk_by_keyboard(page, tree: dict, answers: dict, path: list[str]) -> None:
    for node_id in path[:-1]:
        expect_at(page, node_id)
        answer_by_keyboard(page, tree, node_id, answers[node_id])
    expect_at(page, path[-1])
