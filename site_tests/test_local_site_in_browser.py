"""The example local site (examples/kommun, on this repository's handbook as its base), built and
walked in the browser: its flow reaches the outcome with the municipality's numbers and names (its
terms), not the base's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from site_support import BUILD_ENV, PHONE, REPO_ROOT, serve_site

EXAMPLE = REPO_ROOT / "examples" / "kommun"


@pytest.fixture(scope="module")
def kommun_site(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("kommun") / "site"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(EXAMPLE), "build", "--no-pdf",
                             "--site-dir", str(target)], env=BUILD_ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def test_a_flow_on_the_local_site_shows_the_local_numbers(kommun_site, new_context):
    with serve_site(kommun_site) as base_url:
        page = new_context(viewport=PHONE).new_page()
        page.goto(base_url + "floden/vad-gor-jag-nu.html")
        page.wait_for_selector('.flow[data-engine="ready"]', timeout=120_000)
        page.get_by_role("link", name="Någon hotar mig eller andra där jag är").click()
        page.get_by_role("link", name="I kommunens lokaler").click()  # the local site's term in an answer
        outcome = page.locator('[data-outcome="hot-i-lokalerna"]')
        expect(outcome).to_be_visible()
        expect(outcome.locator('a[href="tel:+46701740631"]').first).to_be_visible()
        assert "010-470 55 64" not in outcome.inner_text()
        assert "Kommunens vaktbolag" in outcome.inner_text()
        assert "Säkerhetssamordnaren, för stöd och råd" in outcome.inner_text()
        assert "säkerhetshandläggar" not in outcome.inner_text().lower()
