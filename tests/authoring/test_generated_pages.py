"""A page of the publisher's own at a path the generator writes itself (the contacts page, a flow's
page) would be replaced without a word: it is an error at that file, from check and every build."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PAGE, REPO

from .test_check_report import add_tree, check, write


def test_a_page_at_the_contacts_page_path_is_refused_by_check_and_every_build(small_project, capsys, handbok):
    write(small_project / "content" / "kontakter.md", PAGE.replace("title: Start", "title: Våra kontakter"))
    expected = ("content/kontakter.md:1:1: error: the generator writes the contacts page kontakter.md itself, "
                "from content/kontakter.yml: this page would be replaced by it and never shown")
    code, out = check(small_project, capsys)
    assert code == 1
    assert expected in out
    assert "fix: put the contacts in content/kontakter.yml (name, phone, when); for words of your own about them, " \
           "move this page to another path and link to it" in out
    for command in (["build"], ["pdf"]):
        result = handbok(small_project, *command)
        assert result.returncode == 1 and expected in result.stderr, command
    mkdocs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(small_project / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert mkdocs.returncode == 1 and expected in mkdocs.stderr
    assert not (small_project / "site").exists()


def test_a_page_at_a_flow_page_path_is_refused(small_project, capsys):
    add_tree(small_project, "2026-11-01", capsys)
    write(small_project / "content" / "floden" / "prov.md", PAGE)
    code, out = check(small_project, capsys)
    assert code == 1
    assert ("content/floden/prov.md:1:1: error: the generator writes the flow's page floden/prov.md itself, "
            "from decision_trees/prov.yml: this page would be replaced by it and never shown") in out
    assert "fix: move this page to a path outside floden/ and link to the flow from it" in out
    # Another page in the same folder, which no flow makes, is the publisher's own.
    (small_project / "content" / "floden" / "prov.md").rename(small_project / "content" / "floden" / "om-floden.md")
    code, out = check(small_project, capsys)
    assert "generator writes" not in out
