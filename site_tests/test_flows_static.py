"""With JavaScript off, every flow can be followed from its first question to every outcome by links."""

from __future__ import annotations

import pytest
from generator.language import strings
from playwright.sync_api import expect

from site_support import PHONE

FLOWS = ["riskinventering", "vad-gor-jag-nu", "efter-en-handelse", "infor-mote"]
ROUTE_LINKS = "a[data-option], a.flow-rule, a.flow-next"


@pytest.mark.parametrize("flow", FLOWS)
def test_every_outcome_is_reachable_by_links_without_javascript(new_context, base_url, flow):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{base_url}floden/{flow}.html")
    root = page.locator(f'[data-flow="{flow}"]')
    assert root.count() == 1
    outcomes = set(root.locator("[data-outcome]").evaluate_all("els => els.map(e => e.id)"))
    assert outcomes, "the flow page shows no outcome"
    start = root.locator("[data-node]").first.get_attribute("id")

    # Walk the page as a reader would: click every route link of every section reached.
    seen, queue = {start}, [start]
    while queue:
        section_id = queue.pop(0)
        links = page.locator(f"#{section_id}").locator(ROUTE_LINKS)
        hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        for index, href in enumerate(hrefs):
            assert href and href.startswith("#"), f"{section_id}: a route link leaves the page: {href}"
            links.nth(index).click()
            assert page.evaluate("location.hash") == href
            target_id = href[1:]
            target = page.locator(f"#{target_id}")
            assert target.count() == 1, f"{section_id}: link to missing section {href}"
            assert target.is_visible(), f"{section_id}: {href} is not visible without JavaScript"
            # A rules list belongs to its step: the links in it count as that step's links.
            if target_id not in seen:
                seen.add(target_id)
                queue.append(target_id)
    missing = outcomes - seen
    assert not missing, f"outcomes not reachable by links: {sorted(missing)}"


# Each outcome: its first element's text when that is its visible label, where it begins and ends,
# and whether a rule stands above it.
_OUTCOMES = """els => els.map(o => {
    const label = o.firstElementChild, r = o.getBoundingClientRect(), rule = getComputedStyle(o, '::before');
    return {label: label.matches('.flow-outcome-label') && label.checkVisibility() ? label.textContent : null,
            top: r.top + scrollY, bottom: r.bottom + scrollY,
            rule: rule.display !== 'none' && rule.content !== 'none' && rule.borderTopStyle !== 'none'}; })"""


@pytest.mark.parametrize("flow", FLOWS)
def test_static_flow_shows_acute_number_and_diagram(new_context, base_url, flow):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{base_url}floden/{flow}.html")
    diagram = page.locator(".flow-diagram svg[role=img]")
    assert diagram.count() == 1 and diagram.is_visible()
    assert diagram.locator("title").count() == 1
    if flow == "vad-gor-jag-nu":
        call = page.locator('.flow-acute a[href="tel:112"]')
        assert call.count() == 1 and call.is_visible()
    # Each outcome begins with its label, and a rule sets it apart from the one before: reading on
    # from one (FLY) never runs into the next (Försök stoppa våldet).
    outcomes = page.locator(".flow-outcome").evaluate_all(_OUTCOMES)
    assert len(outcomes) >= 2
    assert {o["label"] for o in outcomes} == {strings("sv")["page_outcome_label"]}
    for before, after in zip(outcomes, outcomes[1:]):
        assert after["top"] - before["bottom"] >= 40, f"outcomes {after['top'] - before['bottom']:.0f} px apart"
        assert after["rule"], "no rule between two outcomes"


def test_the_folds_carry_no_pencil(new_context, base_url):
    """Material draws its "note" pencil before every <details>' summary, which reads as "edit":
    "Visa flödesschema" (folded on a phone by the script) and "Diagrammet i textform" carry none."""
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{base_url}floden/vad-gor-jag-nu.html")
    summaries = page.locator(".flow-diagram-fold > summary, .flow-diagram-text > summary")
    expect(summaries).to_have_count(2)
    icons = summaries.evaluate_all("""els => els.map(s => { const b = getComputedStyle(s, '::before');
        return {text: s.textContent, shown: b.display !== 'none' && b.content !== 'none' && b.width !== '0px'}; })""")
    assert [i["text"] for i in icons] == ["Visa flödesschema", "Diagrammet i textform"]
    assert not [i for i in icons if i["shown"]], icons
