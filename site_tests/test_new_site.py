"""A new organisation's path, as the README gives it, outside this repository's folder: its three
publisher commands run exactly as written (install the package in a fresh virtual environment with
the pinned versions, `handbok init`, `handbok check --strict` and `handbok build`), and the site has
the acute strip, the header's call link, the quick exit and a flow whose engine starts in the browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from search_helpers import ANSWERED_EN, READY_EN, search
from site_support import PHONE, REPO_ROOT, TODAY, serve_site

# What a checkout's work leaves that a copy of the repository does not hold (top level, then anywhere).
NOT_IN_A_COPY_TOP = {".git", ".venv", "node_modules", "site", "build"}
NOT_IN_A_COPY = shutil.ignore_patterns(".site-*", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis")


def _not_in_a_copy(folder: str, names: list[str]) -> set[str]:
    left_out = set(NOT_IN_A_COPY(folder, names))
    if Path(folder) == REPO_ROOT:
        left_out |= NOT_IN_A_COPY_TOP & set(names)
    return left_out


def _run(args: list, cwd: Path, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"$ {' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result


def readme_publisher_commands() -> str:
    """The shell block of the README's "A new organisation"."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A new organisation"):]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def _environment() -> dict:
    env = {**os.environ, "TRYGGT_TODAY": TODAY}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return env


@pytest.fixture(scope="module")
def publisher_folder(tmp_path_factory) -> Path:
    """A folder with a copy of this repository as `tryggt-uppdrag/`, where the README's commands ran."""
    work = tmp_path_factory.mktemp("organisation")
    shutil.copytree(REPO_ROOT, work / "tryggt-uppdrag", ignore=_not_in_a_copy)
    _run(["bash", "-euo", "pipefail", "-c", readme_publisher_commands()], cwd=work, env=_environment())
    return work


@pytest.fixture(scope="module")
def installed(publisher_folder) -> Path:
    return publisher_folder / "venv" / "bin" / "handbok"


@pytest.fixture(scope="module")
def new_site(publisher_folder) -> Path:
    site = publisher_folder / "min-handbok"
    assert not (site / "theme").exists() and not (site / "node_modules").exists()  # nothing copied from here
    return site / "site"


def test_the_install_takes_the_pinned_versions(publisher_folder):
    frozen = _run([publisher_folder / "venv" / "bin" / "python", "-m", "pip", "freeze"], cwd=publisher_folder).stdout
    installed = {line.split("==")[0].lower(): line for line in frozen.splitlines() if "==" in line}
    pinned = [line for line in (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8").split()]
    for line in pinned:
        name = line.split("==")[0].lower()
        if name in installed:
            assert installed[name].lower() == line.lower(), f"{installed[name]} installed, {line} pinned"
    assert "mkdocs-material" in installed and "weasyprint" in installed


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


def test_an_english_starting_site_from_the_package_speaks_english(installed, tmp_path, new_context):
    env = _environment()
    _run([installed, "init", "my-site", "--language", "en"], cwd=tmp_path, env=env)
    site = tmp_path / "my-site"
    _run([installed, "check", "--strict"], cwd=site, env=env)
    _run([installed, "build"], cwd=site, env=env)
    # No Swedish name in the source, the addresses, the ids or the printed handbook.
    swedish = {"floden", "kontakter", "kallor", "termer", "steg", "utfall", "rubrik", "regler", "sida", "del", "val"}
    names = {part for path in site.rglob("*") if "node_modules" not in path.parts
             for part in re.split(r"[/.-]", path.relative_to(site).as_posix())}
    assert not names & swedish, names & swedish
    ids = {i.split("-")[0] for page in (site / "site").rglob("*.html") for i in re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8"))}
    assert not ids & swedish, ids & swedish
    printed = " ".join(page.extract_text() for page in PdfReader(site / "site" / "handbok.pdf").pages)
    assert "Step:" in printed and not re.search(r"\b(Steg|Utfall|Sida|sidan|Ring)\b", printed)
    with serve_site(site / "site") as base_url:
        page = new_context(viewport=PHONE).new_page()
        page.goto(base_url + "index.html")
        expect(page.locator(".acute-bar")).to_contain_text("In danger?")
        for query in ("reports", "threats"):  # the flow says "report" and "threat"
            found = search(page, query, READY_EN, ANSWERED_EN)
            assert any("flows/what-happened.html" in href for href in found), (query, found)
        page.goto(base_url + "flows/what-happened.html")  # the acute flow: its page has no strip
        expect(page.locator(".acute-bar")).to_have_count(0)
        expect(page.locator(".md-header .quick-exit")).to_have_text("Leave this page✕")
        page.wait_for_selector('.flow[data-engine="ready"]', timeout=120_000)
        page.get_by_role("link", name="I have received a threat in a message").click()
        outcome = page.locator('[data-outcome="keep-and-report"]')
        expect(outcome).to_be_visible()
        expect(outcome).to_contain_text("What to do")
        expect(page.get_by_role("button", name="Print the summary")).to_be_visible()
        expect(page.locator(".flow-answers h2")).to_have_text("Your answers")
