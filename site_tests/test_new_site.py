"""A new organisation's path, from a built wheel, outside this repository's folder: install the
package in a fresh virtual environment, `handbok init`, `handbok build`, and the site has the
acute strip, the header's call link, the quick exit and a flow whose engine starts in the browser."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from site_support import PHONE, REPO_ROOT, TODAY, serve_site


def _run(args: list, cwd: Path, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"$ {' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `handbok` of a fresh virtual environment with only the wheel (and its pinned dependencies)."""
    work = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work / "dist", REPO_ROOT], cwd=work)
    wheel = next((work / "dist").glob("tryggt_uppdrag-*.whl"))
    venv.create(work / "venv", with_pip=True)
    python = work / "venv" / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel,
          "-c", REPO_ROOT / "requirements.lock"], cwd=work)
    return work / "venv" / "bin" / "handbok"


@pytest.fixture(scope="module")
def new_site(installed, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("organisation")
    env = {**os.environ, "TRYGGT_TODAY": TODAY}
    env.pop("PYTHONPATH", None)
    _run([installed, "init", "min-site"], cwd=folder, env=env)
    site = folder / "min-site"
    assert not (site / "theme").exists() and not (site / "node_modules").exists()  # nothing copied from here
    _run([installed, "check", "--strict"], cwd=site, env=env)
    _run([installed, "build"], cwd=site, env=env)
    return site / "site"


def test_the_new_site_prints(new_site):
    assert (new_site / "handbok.pdf").read_bytes().startswith(b"%PDF")
    assert (new_site / "fickkort.pdf").read_bytes().startswith(b"%PDF")


def test_the_new_site_has_the_acute_parts_and_a_working_flow(new_site, new_context):
    with serve_site(new_site) as base_url:
        context = new_context(viewport=PHONE)
        outside: list[str] = []
        # blob: URLs of the site's own origin are the page's memory (the module the worker unpacks).
        own = (base_url, "data:", "blob:" + "/".join(base_url.split("/")[:3]))
        context.on("request", lambda request: outside.append(request.url) if not request.url.startswith(own) else None)
        page = context.new_page()
        page.goto(base_url + "index.html")
        assert page.locator(".acute-bar .acute-bar__call").get_attribute("href") == "tel:112"
        assert page.locator(".acute-bar__link").get_attribute("href") == "floden/vad-har-hant.html"
        assert page.locator(".md-header .header-call").get_attribute("href") == "tel:112"
        assert page.locator(".md-header .quick-exit").is_visible()
        page.goto(base_url + "floden/vad-har-hant.html")
        page.wait_for_selector('.flow[data-engine="ready"]', timeout=120_000)
        page.get_by_role("link", name="Jag har fått ett hot i ett meddelande").click()
        outcome = page.locator('[data-outcome="spara-och-anmal"]')
        expect(outcome).to_be_visible()
        assert outcome.locator('a[href="tel:11414"]').count() == 1
        assert outcome.locator('a[href="tel:+46701740610"]').count() == 1  # the example role, from the fiction range
        assert outside == []


def test_an_english_starting_site_from_the_wheel_speaks_english(installed, tmp_path, new_context):
    env = {**os.environ, "TRYGGT_TODAY": TODAY}
    env.pop("PYTHONPATH", None)
    _run([installed, "init", "my-site", "--language", "en"], cwd=tmp_path, env=env)
    site = tmp_path / "my-site"
    _run([installed, "check", "--strict"], cwd=site, env=env)
    _run([installed, "build", "--no-pdf"], cwd=site, env=env)
    with serve_site(site / "site") as base_url:
        page = new_context(viewport=PHONE).new_page()
        page.goto(base_url + "floden/what-happened.html")
        expect(page.locator(".acute-bar")).to_contain_text("In danger?")
        expect(page.locator(".md-header .quick-exit")).to_have_text("Leave this page✕")
        page.wait_for_selector('.flow[data-engine="ready"]', timeout=120_000)
        page.get_by_role("link", name="I have received a threat in a message").click()
        outcome = page.locator('[data-outcome="keep-and-report"]')
        expect(outcome).to_be_visible()
        expect(outcome).to_contain_text("What to do")
        expect(page.get_by_role("button", name="Print the summary")).to_be_visible()
        expect(page.locator(".flow-answers h2")).to_have_text("Your answers")
