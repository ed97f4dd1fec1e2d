"""A failed build leaves the previously built site byte for byte as it was, and no staging folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

BROKEN_TREE = """\
id: trasig
title: Trasig
sources: [handlingsplan]
reviewed: 2026-11-01
start: fraga
nodes:
  - id: fraga
    kind: info
    title: Läs
    next: finns-inte
"""


def fingerprint(site: Path) -> dict[str, str]:
    """Every file and folder of the site: a file's SHA-256, a link's target."""
    found = {}
    for directory, folders, files in os.walk(site):
        for name in folders + files:
            path = Path(directory, name)
            key = path.relative_to(site).as_posix()
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[key] = "folder"
    return found


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site-"))


def built(project: Path, handbok) -> dict[str, str]:
    result = handbok(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = fingerprint(project / "site")
    assert "index.html" in site and len(site) > 20
    return site


def test_a_broken_tree_leaves_the_previous_site_unchanged(small_project, handbok):
    before = built(small_project, handbok)
    (small_project / "decision_trees" / "trasig.yml").write_text(BROKEN_TREE, encoding="utf-8")
    result = handbok(small_project, "build")
    assert result.returncode == 1
    assert 'decision_trees/trasig.yml:10:11: error: "next" names the node "finns-inte", which does not exist' in result.stderr
    assert "the site was not changed" in result.stderr
    assert fingerprint(small_project / "site") == before
    assert leftovers(small_project) == []


def test_a_build_that_fails_inside_mkdocs_leaves_the_site_and_no_staging_folder(small_project, handbok):
    before = built(small_project, handbok)
    page = small_project / "content" / "index.md"
    # The check accepts a link to a page that does not exist; MkDocs warns, and --strict makes that fail.
    page.write_text(page.read_text(encoding="utf-8") + "\nSe [saknad sida](saknas.md).\n", encoding="utf-8")
    result = handbok(small_project, "build", "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "build failed" in result.stderr
    assert fingerprint(small_project / "site") == before
    assert leftovers(small_project) == []


def test_a_successful_build_replaces_the_site_and_leaves_no_staging_folder(small_project, handbok):
    before = built(small_project, handbok)
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    after = built(small_project, handbok)
    assert after["index.html"] != before["index.html"]
    assert "En ny mening." in (small_project / "site" / "index.html").read_text(encoding="utf-8")
    assert leftovers(small_project) == []
