"""The committed path files in decision_trees/paths/ match their trees."""

from __future__ import annotations

import shutil

import pytest

from generator.engine import format_paths
from generator.trees import load_trees, path_file, stale_path_files, write_path_files

from .helpers import CONTACTS, DEFAULT_TREES, ROOT, SOURCES, TERMS
from generator.language import vocabulary

WORDS = vocabulary("sv")  # the trees here are a Swedish site's


@pytest.fixture(scope="module")
def trees():
    trees, problems = load_trees(ROOT, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert problems == []
    return trees


def copy_repo(tmp_path):
    shutil.copytree(ROOT / "decision_trees", tmp_path / "decision_trees")
    return tmp_path


def test_path_file_location():
    assert path_file(ROOT, "infor-mote") == ROOT / "decision_trees" / "paths" / "infor-mote.txt"


def test_path_files_of_the_repository_are_up_to_date(trees):
    problems = stale_path_files(ROOT, trees)
    assert [p.format() for p in problems] == [], "run `handbok paths` and review the diff"
    for tree_id in DEFAULT_TREES:
        text = path_file(ROOT, tree_id).read_text(encoding="utf-8")
        assert text == format_paths(trees[tree_id])
        assert "dead end" not in text and "cycle" not in text


def test_a_changed_tree_makes_its_path_file_stale(tmp_path):
    root = copy_repo(tmp_path)
    tree = root / "decision_trees" / "riskinventering.yml"
    text = tree.read_text(encoding="utf-8")
    changed = text.replace('atleast(fordjupning, "mattlig") >= 4', 'atleast(fordjupning, "mattlig") >= 5')
    assert changed != text
    tree.write_text(changed, encoding="utf-8")
    trees, problems = load_trees(root, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert problems == []
    stale = stale_path_files(root, trees)
    assert [p.path for p in stale] == ["decision_trees/paths/riskinventering.txt"]
    assert "out of date" in stale[0].message
    assert "handbok paths" in stale[0].fix and "review the diff" in stale[0].fix
    assert stale[0].line > 1  # the first line that differs

    write_path_files(root, trees)
    assert stale_path_files(root, trees) == []


def test_a_missing_path_file_is_reported(tmp_path, trees):
    root = copy_repo(tmp_path)
    path_file(root, "infor-mote").unlink()
    stale = stale_path_files(root, trees)
    assert [(p.path, p.line) for p in stale] == [("decision_trees/paths/infor-mote.txt", 1)]
    assert "missing" in stale[0].message
    written = write_path_files(root, trees)
    assert path_file(root, "infor-mote") in written
    assert stale_path_files(root, trees) == []
