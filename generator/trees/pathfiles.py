"""The reviewable path files: every path through a tree, written beside it and compared with it."""

from __future__ import annotations

from pathlib import Path

from generator.engine import paths
from generator.problems import Problem
from generator.trees.format import PATHS_DIR, TREES_DIR


def display_path(path: Path, root: Path) -> str:
    """A path as a message names it: relative to the site's folder where it lies inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def path_file(root: Path, tree_id: str, trees_dir: str = TREES_DIR) -> Path:
    return root / trees_dir / PATHS_DIR / f"{tree_id}.txt"


def _path_text(compiled: dict) -> str:
    """The text of a tree's path file: the check's own, from its walk of every path ("paths"),
    else walked here (a compiled tree made without the check)."""
    return compiled.get("paths") or paths.format_paths(compiled)


def write_path_files(root: Path, compiled_trees: dict[str, dict], trees_dir: str = TREES_DIR) -> list[Path]:
    """Write the reviewable list of paths of each tree; returns the files written."""
    written = []
    for tree_id, compiled in sorted(compiled_trees.items()):
        target = path_file(root, tree_id, trees_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = _path_text(compiled)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")
        written.append(target)
    return written


def stale_path_files(root: Path, compiled_trees: dict[str, dict], trees_dir: str = TREES_DIR) -> list[Problem]:
    """A problem for each tree whose path file is missing or no longer matches the tree."""
    problems = []
    for tree_id, compiled in sorted(compiled_trees.items()):
        target = path_file(root, tree_id, trees_dir)
        display = display_path(target, root)
        fix = "run `handbok paths` and review the diff"
        if not target.exists():
            problems.append(Problem(display, 1, 1, f'the path file of the tree "{tree_id}" is missing', fix))
            continue
        current = target.read_text(encoding="utf-8")
        expected = _path_text(compiled)
        if current != expected:
            line = _first_difference(current, expected)
            problems.append(Problem(display, line, 1, f'the path file is out of date: it no longer matches the tree "{tree_id}"', fix))
    return problems


def _first_difference(a: str, b: str) -> int:
    a_lines, b_lines = a.splitlines(), b.splitlines()
    for index, (x, y) in enumerate(zip(a_lines, b_lines)):
        if x != y:
            return index + 1
    return min(len(a_lines), len(b_lines)) + 1
