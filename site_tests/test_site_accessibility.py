"""WCAG 2.1 AA: zero axe-core violations on every page (desktop), and on a phone for two pages.

axe-core comes from node_modules (`npm ci`); see conftest.visit_page for how it is injected.
"""

from __future__ import annotations

import pytest

from site_support import PHONE

PHONE_PAGES = ["index.html", "under/hot-telefon.html"]
TARGETS_SHOWN = 5


def _describe(page_path: str, viewport: dict, violations: list[dict]) -> str:
    lines = [f"{page_path} at {viewport['width']} px: {len(violations)} axe violation(s)"]
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{len(nodes)} element(s)]")
        lines.append(f"  {violation['helpUrl']}")
        for node in nodes[:TARGETS_SHOWN]:
            lines.append("    " + " ".join(str(part) for part in node["target"]))
            lines.append(f"      {node['html'][:300]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(nodes) > TARGETS_SHOWN:
            lines.append(f"    ... and {len(nodes) - TARGETS_SHOWN} more")
    return "\n".join(lines)


def test_no_axe_violations(visits, page_path):
    visit = visits(page_path)
    assert not visit.violations, _describe(page_path, visit.viewport, visit.violations)


@pytest.mark.parametrize("phone_page", PHONE_PAGES)
def test_no_axe_violations_on_a_phone(visits, phone_page):
    visit = visits(phone_page, PHONE)
    assert not visit.violations, _describe(phone_page, visit.viewport, visit.violations)
