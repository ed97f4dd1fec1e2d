"""`handbok init`: the starter in both languages has the settings docs/installningar.md says it has,
its start page's title is not the site's name twice, its footer names no number and carries no
"Made with Material", and the closing hint is a command that runs from where the publisher stands."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.siteconfig import mkdocs_config, settings_for

REPO = Path(__file__).resolve().parents[2]
HANDBOK = Path(sys.executable).parent / "handbok"  # the console script of the environment running the tests


def documented_starter_settings() -> dict:
    """The example of docs/installningar.md, the settings it says `handbok init` fills in."""
    guide = (REPO / "docs" / "installningar.md").read_text(encoding="utf-8")
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", guide, re.S).group(1))


def key_paths(data, prefix: str = "") -> set[str]:
    """theme.font, plugins.tryggt.quick_exit_url, ...: every key of a config, plugins by name."""
    paths = set()
    if isinstance(data, dict):
        for key, value in data.items():
            paths |= {f"{prefix}{key}"} | key_paths(value, f"{prefix}{key}.")
    elif isinstance(data, list) and prefix == "plugins.":
        for plugin in data:
            name, options = next(iter(plugin.items())) if isinstance(plugin, dict) else (plugin, None)
            paths |= {f"plugins.{name}"} | key_paths(options, f"plugins.{name}.")
    return paths


@pytest.fixture(scope="module", params=["sv", "en"])
def starter(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp(request.param) / "site"
    assert main(["init", str(folder), "--language", request.param, "--organisation", "Exempelby kommun",
                 "--no-runtime"]) == 0
    return folder


def test_the_starter_has_every_setting_the_guide_says_it_fills_in(starter):
    config = mkdocs_config(starter)
    missing = key_paths(documented_starter_settings()) - key_paths(config)
    assert not missing, f"docs/installningar.md says the starter fills these in: {sorted(missing)}"
    options = next(p["tryggt"] for p in config["plugins"] if isinstance(p, dict) and "tryggt" in p)
    sources = yaml.safe_load(settings_for(starter).path(settings_for(starter).sources_file).read_text(encoding="utf-8"))
    assert set(options["contacts_page_sources"]) <= set(sources)
    assert options["quick_exit_url"].startswith("https://")
    assert config["theme"]["font"] is False and isinstance(config["theme"]["palette"], dict)
    assert config["extra"]["generator"] is False, "Material's footer line is a choice the starter makes, and says so"


def test_the_footer_names_the_organisation_and_no_number(starter):
    copyright = mkdocs_config(starter)["copyright"]
    assert "Exempelby kommun" in copyright
    assert not re.search(r"\d", copyright), "a number here would not follow the contacts file"


def test_the_starter_passes_the_strict_check(starter, capsys):
    assert main(["--root", str(starter), "check", "--strict"]) == 0, capsys.readouterr().out


def test_the_built_start_page_has_the_site_name_once_and_no_material_line(starter):
    (starter / "node_modules").symlink_to(REPO / "node_modules")  # this repository's pinned Pyodide
    assert main(["--root", str(starter), "build", "--no-pdf"]) == 0
    name = mkdocs_config(starter)["site_name"]
    start = (starter / "site" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<title>(.*?)</title>", start) == [name]
    before = "Före" if name == "Personsäkerhet" else "Before"
    folder = "fore" if before == "Före" else "before"
    page = (starter / "site" / folder / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<title>(.*?)</title>", page) == [f"{before} - {name}"]
    assert "Material for MkDocs" not in start and "Exempelby kommun" in start


def run(command: list | str, cwd: Path, path: str, shell: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": path}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, shell=shell,
                          executable="/bin/bash" if shell else None)


def hint_of(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()[-1].removeprefix("next: ")


def runs_until_serve(hint: str, cwd: Path, path: str) -> None:
    """The hint as the publisher pastes it, but stopping before `serve`, which would not end."""
    assert hint.endswith(" serve")
    result = run(hint.rsplit(" && ", 1)[0], cwd, path, shell=True)
    assert result.returncode == 0, f"$ {hint}\n{result.stdout}{result.stderr}"
    assert "0 error(s), 0 warning(s)" in result.stdout


SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


def test_the_hint_names_this_handbok_when_it_is_not_on_the_path(tmp_path):
    hint = hint_of(run([HANDBOK, "init", "min handbok", "--no-runtime"], tmp_path, SYSTEM_PATH))
    assert hint == f"cd 'min handbok' && {HANDBOK} check && {HANDBOK} serve"
    runs_until_serve(hint, tmp_path, SYSTEM_PATH)


def test_the_hint_is_relative_to_the_new_folder_as_in_the_readme(tmp_path):
    # The README's layout: venv/ beside the new site, both in the folder the publisher stands in.
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    shutil.copy(HANDBOK, tmp_path / "venv" / "bin" / "handbok")
    hint = hint_of(run(["venv/bin/handbok", "init", "min-handbok", "--no-runtime"], tmp_path, SYSTEM_PATH))
    assert hint == "cd min-handbok && ../venv/bin/handbok check && ../venv/bin/handbok serve"
    runs_until_serve(hint, tmp_path, SYSTEM_PATH)


def test_the_hint_says_handbok_when_that_is_the_one_on_the_path(tmp_path):
    path = f"{HANDBOK.parent}:{SYSTEM_PATH}"
    hint = hint_of(run(["handbok", "init", "min-handbok", "--no-runtime"], tmp_path, path))
    assert hint == "cd min-handbok && handbok check && handbok serve"
    runs_until_serve(hint, tmp_path, path)
