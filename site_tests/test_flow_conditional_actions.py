"""Kvar att göra: once the engine has placed the reader at the outcome, only the actions whose
`if:` holds are shown; before that, all of them with their conditions in words."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from site_support import PHONE


def test_the_outcome_shows_only_what_is_left_to_do(new_context, base_url):
    page = new_context(viewport=PHONE).new_page()
    page.goto(base_url + "floden/efter-en-handelse.html")
    page.wait_for_selector('.flow[data-engine="ready"]', timeout=120_000)
    page.get_by_role("link", name="Nej, ingen är i fara nu").click()
    page.get_by_role("link", name=re.compile("^Tidigare")).click()
    step = page.locator('section[data-node="redan-gjort"]')
    for label in ("Informerat tjänsteman", "Skrivit ner", "Rapporterat", "Informerat partiet"):
        step.get_by_label(re.compile(label)).check()
    step.get_by_role("button", name="Fortsätt").click()
    page.locator('section[data-node="polisanmal"]').get_by_role("button", name="Fortsätt").or_(
        page.locator('section[data-node="polisanmal"]').get_by_role("link", name="Fortsätt")).first.click()
    outcome = page.locator('[data-outcome="kvar-att-gora"]')
    expect(outcome).to_be_visible()
    conditional = outcome.locator("ol.flow-actions > li[data-if-node]")
    assert conditional.count() == 5
    shown = [i for i in range(5) if conditional.nth(i).is_visible()]
    assert shown == [2], f"visible conditional actions: {shown}"
    expect(conditional.nth(2)).to_contain_text("Polisanmäl")
    expect(outcome.locator(".flow-action-if").first).to_be_hidden()
