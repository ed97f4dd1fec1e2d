"""`handbok build` checks the project, then MkDocs builds it: the content is loaded once, not twice."""

from __future__ import annotations

from pathlib import Path

from generator import cli, mkdocs_plugin
from generator.project import Project


def test_build_loads_and_checks_the_project_once(tmp_path, monkeypatch):
    loads = []
    real_load = Project.load.__func__

    def counting_load(cls, settings):
        loads.append(settings)
        return real_load(cls, settings)

    monkeypatch.setattr(Project, "load", classmethod(counting_load))
    repo = Path(__file__).resolve().parents[1]
    assert cli.main(["--root", str(repo), "build", "--no-pdf", "--site-dir", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "floden" / "vad-gor-jag-nu.html").is_file()
    assert len(loads) == 1, f"the project was loaded {len(loads)} times"
    assert mkdocs_plugin.TryggtPlugin.preloaded is None  # nothing left over for another build
