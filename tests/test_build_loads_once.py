"""`handbok build` checks the project, then MkDocs builds it: the content is loaded once, not twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cli, mkdocs_plugin

from generator.site import content
from generator.project import Project

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def counted(monkeypatch):
    """Projects made by Project.load, reads of the start page by any loader, and the plugin
    instances MkDocs configured with what each was handed."""
    seen = {"projects": [], "start_page": 0, "plugins": []}
    real_load = Project.load.__func__
    real_load_page = content.load_page
    real_on_config = mkdocs_plugin.TryggtPlugin.on_config

    def counting_load(cls, settings):
        seen["projects"].append(real_load(cls, settings))
        return seen["projects"][-1]

    def counting_load_page(path, *args, **kwargs):  # below Project.load: catches any other way in
        seen["start_page"] += path == REPO / "content" / "index.md"
        return real_load_page(path, *args, **kwargs)

    def recording_on_config(self, config):
        seen["plugins"].append((self, self.preloaded))
        return real_on_config(self, config)

    monkeypatch.setattr(Project, "load", classmethod(counting_load))
    monkeypatch.setattr(content, "load_page", counting_load_page)
    monkeypatch.setattr(mkdocs_plugin.TryggtPlugin, "on_config", recording_on_config)
    return seen


def test_build_loads_and_checks_the_project_once(tmp_path, counted):
    assert cli.main(["--root", str(REPO), "build", "--no-pdf", "--site-dir", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "floden" / "vad-gor-jag-nu.html").is_file()
    assert len(counted["projects"]) == 1, f"the project was loaded {len(counted['projects'])} times"
    assert counted["start_page"] == 1, f"the start page was read {counted['start_page']} times"
    [(plugin, handed)] = counted["plugins"]
    checked = counted["projects"][0]
    assert handed is checked and plugin.project is checked  # the plugin built from the CLI's checked project
    assert plugin.preloaded is None  # and kept nothing over for another build


def test_the_count_sees_the_plugins_own_load(tmp_path, counted):
    """Without a checked project handed over, the plugin loads one itself, and the counts see it."""
    assert cli.build_atomically(REPO, tmp_path / "site", strict=False, pdf=False, project=None) == 0
    assert len(counted["projects"]) == 1 and counted["start_page"] == 1
    [(plugin, handed)] = counted["plugins"]
    assert handed is None and plugin.project is counted["projects"][0]
