"""The flow that writes an account ("Dokumentera händelsen"), live: every form step filled by
keyboard alone, the account on screen, on paper and in both downloads with every answer under its
heading, hostile text coming out as text everywhere, and the words never leaving the page's
memory (no request, no storage, nothing in the address or the history) and gone after the quick
exit, which leaves without a "leave this page?" question."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from flow_driver import engine_ready, expect_at, expect_private, tree_of
from site_support import PHONE, quick_exit_url

FLOW = "dokumentera-handelsen"
# HTML, a script, a right-to-left override and 10,000 characters, in one answer.
HOSTILE = ('<b>fet</b><img src=x onerror="window.pwned=1"><script>window.pwned=2</script> & "\u202eevil\u202c"\n'
           + "lång " * 2000)
REQUIRED = ('{"id":"plats","label":"Var hände det?","type":"line","required":false',
            '{"id":"plats","label":"Var hände det?","type":"line","required":true')
MARK = "Hemligt-ord-"  # every typed answer begins with it: found nowhere it must not be

_STORED = """async () => ({
    cookie: document.cookie, local: localStorage.length, session: sessionStorage.length,
    databases: (await indexedDB.databases()).length, caches: (await caches.keys()).length})"""
# What the page holds of the reader's words: the typed fields, and the account's blanks.
_IN_PAGE = """() => [...document.querySelectorAll('.flow-field textarea, .flow-field input:not([type=radio])')]
    .map((i) => i.value).concat([...document.querySelectorAll('.flow-blank, .flow-answers')].map((b) => b.textContent)).join('\\n')"""
# A beforeunload as the browser sends it: whether the page asks to stay.
_WOULD_ASK = """() => { const e = new Event('beforeunload', {cancelable: true});
    window.dispatchEvent(e); return e.defaultPrevented; }"""


def answers_for(tree: dict) -> dict:
    """A text for every text field (the hostile one in "under.vad"), yes/no alternating."""
    answers, flip = {}, True
    for node_id, node in tree["nodes"].items():
        if node["kind"] != "form":
            continue
        answers[node_id] = {}
        for field in node["fields"]:
            if field["type"] == "yesno":
                answers[node_id][field["id"]] = flip
                flip = not flip
            elif field["type"] == "datetime":
                answers[node_id][field["id"]] = "2026-11-28T14:30"
            else:
                answers[node_id][field["id"]] = f"{MARK}{node_id}.{field['id']}"
    answers["under"]["vad"] = MARK + HOSTILE
    answers["vittnen"]["fanns"] = True
    return answers


def focused(page) -> dict:
    return page.evaluate("() => ({id: document.activeElement.id, action: document.activeElement.dataset.action || null})")


def tab_to(page, wanted, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted(focused(page)):
            return
    raise AssertionError("Tab never reached the control")


def fill_by_keyboard(page, node_id: str, node: dict, values: dict) -> None:
    for field in node["fields"]:
        value, input_id = values[field["id"]], f"val-{node_id}--{field['id']}"
        if field["type"] == "yesno":
            tab_to(page, lambda a: a["id"].startswith(input_id + "--"))
            page.keyboard.press("Space")  # ticks "Ja", the first
            if value is False:
                page.keyboard.press("ArrowDown")
        elif field["type"] == "datetime":
            tab_to(page, lambda a: a["id"] == input_id)
            # The field's segments in the browser's own locale (headless Chromium: en-US, whatever
            # the page's language): month, day, year (up to six digits, so on by arrow), hour,
            # minute, AM/PM.
            year, month, day, hour, minute = re.split(r"[-T:]", value)
            page.keyboard.type(month + day + year)
            page.keyboard.press("ArrowRight")
            page.keyboard.type(f"{int(hour) % 12 or 12:02d}{minute}" + ("P" if int(hour) >= 12 else "A"))
        else:
            tab_to(page, lambda a: a["id"] == input_id)
            if len(value) > 200:
                page.keyboard.insert_text(value)  # as a paste: 10,000 key presses would take minutes
            else:
                page.keyboard.type(value)
        assert page.evaluate(f"document.getElementById({input_id!r} + ({field['type']!r} === 'yesno' ? '--yes' : '')).{'checked' if field['type'] == 'yesno' else 'value'}") == (
            value if field["type"] != "yesno" else value is True)


def shown(value) -> str:
    return {True: "Ja", False: "Nej"}.get(value, value.replace("T", " ") if isinstance(value, str) and re.fullmatch(r"[\d-]+T[\d:]+", value) else value)


def sections_of_text_file(text: str) -> dict[str, str]:
    """Heading -> the text under it, from the downloaded file (a heading is underlined with -)."""
    lines = text.split("\n")
    heads = [i for i in range(1, len(lines) - 1) if lines[i + 1] and set(lines[i + 1]) == {"-"} and len(lines[i + 1]) == len(lines[i])]
    return {lines[h]: "\n".join(lines[h + 2:(heads[k + 1] if k + 1 < len(heads) else len(lines))]) for k, h in enumerate(heads)}


def expected_sections(tree: dict, answers: dict) -> dict[str, list[str]]:
    """Heading -> the answers the template puts under it."""
    template = next(n["template"] for n in tree["nodes"].values() if n.get("template"))
    found = {}
    for section in template["sections"]:
        refs = re.findall(r"\[\[svar:([a-z0-9-]+)\.([a-z0-9-]+)\]\]", section["text"])
        found[section["heading"]] = [shown(answers[step][field]) for step, field in refs]
    return found


def download_file(page, action: str) -> tuple[str, str]:
    """(the file's name, its text)"""
    with page.expect_download() as info:
        tab_to(page, lambda a: a["action"] == action)
        page.keyboard.press("Enter")
    return info.value.suggested_filename, open(info.value.path(), encoding="utf-8").read()


def download(page, action: str) -> str:
    return download_file(page, action)[1]


def test_the_account_is_written_by_keyboard_kept_in_memory_and_dropped_by_the_quick_exit(new_context, base_url):
    context = new_context(accept_downloads=True, permissions=["clipboard-read", "clipboard-write"])
    # One field made required (the default flow has none), for the live error summary.
    def require(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(*REQUIRED))

    context.route(f"**/floden/{FLOW}.html", require)
    requests = []
    context.on("request", lambda request: requests.append((request.url, request.post_data or "")))
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    flow_page = f"{base_url}floden/{FLOW}.html"
    page.goto(flow_page)
    engine_ready(page)
    tree = tree_of(page)
    answers = answers_for(tree)
    length = page.evaluate("history.length")

    assert tree["nodes"]["nar-och-var"]["fields"][1]["required"] is True

    # A required field left blank: the error summary, focused, its link to the field.
    tab_to(page, lambda a: a["action"] == "next")
    page.keyboard.press("Enter")
    summary = page.locator(".flow-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Fyll i ”Var hände det?”")
    assert page.title().startswith("Fel: ")
    expect(page.locator(".flow")).to_have_attribute("data-current", tree["start"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#val-nar-och-var--plats")).to_be_focused()
    assert "fel-nar-och-var--plats" in page.locator("#val-nar-och-var--plats").get_attribute("aria-describedby")
    # Back before the first field, where the filling below begins (a date field's parts take
    # a Shift+Tab each).
    for _ in range(10):
        if not focused(page)["id"].startswith("val-nar-och-var--"):
            break
        page.keyboard.press("Shift+Tab")

    path = [tree["start"]]
    while tree["nodes"][path[-1]]["kind"] == "form":
        node_id = path[-1]
        expect_at(page, node_id)
        fill_by_keyboard(page, node_id, tree["nodes"][node_id], answers[node_id])
        expect_private(page, flow_page, step=len(path) - 1)
        assert page.evaluate("history.length") == length + len(path) - 1, "typing made a history entry"
        if node_id == "under":
            # Before the step is sent: the download has what is written so far, this step's too.
            assert page.evaluate(_WOULD_ASK), "typed text not yet saved, and no warning before closing"
            so_far = sections_of_text_file(download(page, "download-text"))
            assert MARK + HOSTILE in so_far["Under händelsen"]
            assert "(inte ifyllt)" in so_far["Vittnen"]
            assert not page.evaluate(_WOULD_ASK), "a warning after the text was downloaded"
        tab_to(page, lambda a: a["action"] == "next")
        page.keyboard.press("Enter")
        page.wait_for_function("n => document.querySelector('.flow').dataset.current !== n", arg=node_id)
        path.append(page.locator(".flow").get_attribute("data-current"))
    outcome = path[-1]
    assert "vilka-vittnen" in path and tree["nodes"][outcome].get("template")
    expect(page.locator(f'section[data-outcome="{outcome}"] h2')).to_be_focused()

    # "Dina svar" names the fields filled, never what was written, and not as the questions again.
    assert MARK not in page.locator(".flow-answers").inner_text()
    def answer_to(question: str):
        asked = page.locator(".flow-answer-question", has_text=re.compile(f"^{re.escape(question)}$"))
        return page.locator(".flow-answers .flow-answer-row").filter(has=asked).locator(".flow-answer-text")
    expect(answer_to("Vad hände?")).to_have_text("Ifyllt: ”Vad hände?”, ”Vad sades eller skrevs?”")
    expect(answer_to("Vad hände innan?")).to_have_text("Ifyllt")

    # On screen: every blank holds its answer as text; nothing of the HTML became markup.
    account = page.locator(f'section[data-outcome="{outcome}"] .flow-account')
    for blank in account.locator(".flow-blank").all():
        step, field = blank.get_attribute("data-field").split(".")
        assert blank.text_content() == shown(answers[step][field])
    assert account.locator("b, img, script").count() == 0 and page.evaluate("window.pwned") is None
    screen = account.inner_text()

    # The page's clock from here on: downloads and paper say when they were made (issue 23).
    page.clock.set_fixed_time("2026-11-28T21:07:00")  # the page's local time

    # On paper ("Skriv ut" beside the account): the account alone, the same text, and the day.
    page.evaluate("window.print = () => { dispatchEvent(new Event('beforeprint')); }")
    tab_to(page, lambda a: a["action"] == "print-account")
    page.keyboard.press("Enter")
    page.emulate_media(media="print")
    assert account.inner_text() == screen
    expect(page.locator(".flow-printed")).to_have_text("Utskriven 2026-11-28")
    expect(page.locator(".flow-answers")).to_be_hidden()
    expect(page.locator(f'section[data-outcome="{outcome}"] h2')).to_be_hidden()
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(page.locator(".flow-answers")).to_be_visible()

    # Both downloads: the day in the name and the day and time under the title, every answer
    # under its heading, the HTML page's text escaped.
    expected = expected_sections(tree, answers)
    name, whole = download_file(page, "download-text")
    assert name == "redogorelse-2026-11-28.txt"
    assert whole.split("\n")[2] == "Skriven 2026-11-28 kl. 21:07"
    text = sections_of_text_file(whole)
    assert list(text) == list(expected)
    for heading, values in expected.items():
        for value in values:
            assert value in text[heading], f"{value[:40]!r} not under {heading!r}"
    tab_to(page, lambda a: a["action"] == "copy")
    page.keyboard.press("Enter")
    expect(page.locator(".flow-account-tools .flow-account-said")).to_have_text("Texten är kopierad. Klistra in den där du behöver den.")
    assert sections_of_text_file(page.evaluate("navigator.clipboard.readText()")) == text
    name, html = download_file(page, "download-page")
    assert name == "redogorelse-2026-11-28.html"
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    viewer = context.new_page()
    viewer.set_content(html)
    assert viewer.evaluate("window.pwned") is None
    expect(viewer.locator("h1 + p")).to_have_text("Skriven 2026-11-28 kl. 21:07")
    for heading, values in expected.items():
        under = viewer.locator("h2", has_text=heading).locator("xpath=following-sibling::p[1]").text_content()
        for value in values:
            assert value in under, f"{value[:40]!r} not under {heading!r} in the page"
    viewer.close()

    # Nothing left the page: no request but the site's own files, none carrying the words; no
    # storage of any kind; nothing in the address or the history.
    origin = base_url.split("/intranat/")[0] + "/"
    assert [url for url, _ in requests if not url.startswith((origin, "blob:" + origin))] == []
    assert not [url for url, body in requests if MARK in url or MARK in body]
    assert page.evaluate(_STORED) == {"cookie": "", "local": 0, "session": 0, "databases": 0, "caches": 0}
    assert context.cookies() == []
    expect_private(page, flow_page, step=len(path) - 1)
    assert MARK not in json.dumps(page.evaluate("history.state"))

    # Back keeps what was typed; new text not yet saved makes the page ask before closing.
    page.go_back()
    expect_at(page, path[-2])
    assert page.locator(f"#val-{path[-2]}--anteckningar").input_value() == answers[path[-2]]["anteckningar"]
    # In the page only the step shown holds text; the rest is in the state machine's memory.
    assert page.evaluate(_IN_PAGE).count(MARK) == 1
    page.locator(f"#val-{path[-2]}--anteckningar").press("End")
    page.keyboard.type(" och mer")
    assert page.evaluate(_WOULD_ASK)

    # The quick exit: no question, and Back finds the flow's start with no word of the text.
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(quick_exit_url(base_url))
    page.go_back()
    expect(page).to_have_url(flow_page)
    expect_at(page, tree["start"])
    assert MARK not in page.evaluate(_IN_PAGE)
    assert not page.evaluate(_WOULD_ASK)
    assert dialogs == []


def test_no_leave_question_stands_before_a_call_a_message_or_a_mail(new_context, base_url):
    """With typed text on the page, tapping the header's 112, the flow's own call link, or an
    sms: or mailto: link raises no "leave site?" dialog (the page stays: the phone takes over);
    closing the page still asks."""
    page = new_context(viewport=PHONE, has_touch=True).new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto(f"{base_url}floden/{FLOW}.html")
    engine_ready(page)
    page.locator("#val-nar-och-var--plats").fill(MARK + "plats")
    assert page.evaluate(_WOULD_ASK)
    page.evaluate("""() => { const step = document.querySelector('section.flow-step:not([hidden])');
        for (const href of ['sms:+46701740600', 'mailto:sakerhet@example.org']) {
            const link = document.createElement('a'); link.href = href; link.textContent = href;
            link.className = 'test-app-link'; step.prepend(link); } }""")
    links = [page.locator(".md-header .header-call"), page.locator(".flow .flow-acute a[href^='tel:']").first,
             page.locator(".test-app-link[href^='sms:']"), page.locator(".test-app-link[href^='mailto:']")]
    for link in links:
        assert link.is_visible(), link
        link.click()
        page.wait_for_timeout(300)
        assert dialogs == [], f"a dialog before {link.get_attribute('href')}"
    assert page.locator("#val-nar-och-var--plats").input_value() == MARK + "plats"
    page.wait_for_timeout(1100)
    assert page.evaluate(_WOULD_ASK)  # a real leave still asks
