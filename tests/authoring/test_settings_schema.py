"""The tryggt plugin's options, checked against their one schema (generator/options.py): a value of
the wrong kind, an unknown option and a language without a file stop `handbok` and `mkdocs` with
the line of mkdocs.yml, and the two read the same options."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli
from generator.mkdocs_plugin import TryggtConfig
from generator.options import OPTIONS
from generator.siteconfig import ConfigError, settings_for

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(tmp_path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    for name in ("content", "decision_trees"):
        (tmp_path / name).symlink_to(REPO / name)
    return tmp_path


def replace_in_config(site: Path, old: str, new: str) -> int:
    """Change mkdocs.yml; the line (1-based) where the change is."""
    text = (site / "mkdocs.yml").read_text(encoding="utf-8")
    assert old in text
    (site / "mkdocs.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("old, new, message", [
    ("pocket_pages: [akut.md, efter/checklista.md]", "pocket_pages: akut.md", "pocket_pages takes a list of texts, not the text"),
    ("max_review_age_days: 365", "max_review_age_days: ett år", None),
    ("organisation: Region Sörmland", "organisation: [Region, Sörmland]", "organisation takes a text, not a list"),
    ("acute_flow: vad-gor-jag-nu", "akut_flode: vad-gor-jag-nu", "tryggt has no option 'akut_flode'"),
])
def test_a_value_of_the_wrong_kind_is_an_error_at_its_line(site, capsys, old, new, message):
    if old not in (site / "mkdocs.yml").read_text(encoding="utf-8"):  # an option the config leaves at its default
        replace_in_config(site, "      organisation:", f"      {old}\n      organisation:")
        message = "max_review_age_days takes a whole number, not the text"
    line = replace_in_config(site, old, new)
    with pytest.raises(ConfigError) as raised:
        settings_for(site)
    assert f"{site / 'mkdocs.yml'}:{line}: {message}" in str(raised.value)
    assert cli.main(["--root", str(site), "check"]) == 2
    assert f"mkdocs.yml:{line}: {message}" in capsys.readouterr().err


def test_a_language_without_a_file_is_named_with_the_ones_there_are(site):
    replace_in_config(site, "  language: sv", "  language: xx")
    with pytest.raises(ConfigError, match=r'no language file for "xx": theme.language takes one of en, sv'):
        settings_for(site)


def test_mkdocs_checks_the_same_options_with_the_same_defaults():
    config = TryggtConfig()
    assert set(config) == {option.name for option in OPTIONS}
    config.load_dict({"pocket_pages": "akut.md"})
    errors, _ = config.validate()
    assert [name for name, _ in errors] == ["pocket_pages"]
    fresh = TryggtConfig()
    fresh.load_dict({})
    fresh.validate()
    assert {name: fresh[name] for name in fresh} == {o.name: (list(o.default) if o.kind is list else o.default) for o in OPTIONS}


def test_mkdocs_build_stops_at_a_list_written_as_a_text(site):
    replace_in_config(site, "pocket_pages: [akut.md, efter/checklista.md]", "pocket_pages: akut.md")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site / "out")], cwd=site,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "pocket_pages" in result.stderr
