"""Loading tree files: each checked on its own, the site's flows together."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Collection, Mapping

from generator import terms as term_texts
from generator.language import Vocabulary
from generator.problems import Problem
from generator.yamlsource import Node, YamlProblem, load_yaml_file, parse_yaml, read_text
from generator.trees.format import ID_RE, TREES_DIR
from generator.trees.checker import check_tree
from generator.trees.pathfiles import display_path
from generator.trees.state import CheckState



def load_tree(path: Path, root: Path, contacts: Collection[str] | Mapping[str, dict], sources: set[str],
              today: datetime.date | None = None, max_age_days: int = 365,
              flow_files: dict[str, Path] | None = None, terms: Mapping[str, str] | None = None,
              *, words: Vocabulary, data_files: Mapping[str, str] | None = None) -> tuple[dict | None, list[Problem]]:
    """Load, check and compile one tree file: (compiled tree or None on errors, every problem).

    With `today`, a `reviewed` date older than `max_age_days` is a warning. A flow reference may
    name any tree file beside this one, and any flow of `flow_files` (id -> its tree file: the
    flows of the whole site, for a site whose flows come from more than one folder); the title
    of a flow it names is read from that flow's file. `terms` (key -> text, from the terms file)
    replace the [[term:KEY]] in every text before the tree is checked. `words`: the site's
    vocabulary; `data_files`: its data files' names for the messages ({"contact", "source", "term"})."""
    display = display_path(path, root)
    try:
        text = read_text(path, display)
        data = parse_yaml(text, display)
    except YamlProblem as exc:
        return None, [exc.problem]
    except OSError as exc:
        return None, [Problem(display, 1, 1, f"the file cannot be read: {exc.strerror or exc}", "check that the file exists and can be read")]
    files = {other.stem: other for other in path.parent.glob("*.yml") if ID_RE.match(other.stem)}
    files.update(flow_files or {})
    state = CheckState.for_file(display, path.stem, contacts, sources, today=today, max_age_days=max_age_days,
                                flow_ids=set(files), words=words, files=dict(data_files or {}))
    state.report.extend(term_texts.expand_tree(data, terms or {}, display, text,
                                               (data_files or {}).get("term", "the terms file")))
    compiled = check_tree(state, data)
    if compiled is not None:
        for flow_id in compiled["flows"]:
            compiled["flows"][flow_id] = _title_of(files[flow_id], flow_id, terms or {})
    return compiled, state.report.sorted()


def _title_of(path: Path, fallback: str, terms: Mapping[str, str]) -> str:
    """The title of a tree file as written (read without checking it: its own load reports its problems)."""
    try:
        data = load_yaml_file(path, path.name)
    except (YamlProblem, OSError):
        return fallback
    title = data.get("title") if isinstance(data, Node) else None
    return " ".join(term_texts.expand(title, terms).split()) if isinstance(title, str) and title.strip() else fallback


def tree_files(root: Path, trees_dir: str = TREES_DIR) -> list[Path]:
    return sorted((root / trees_dir).glob("*.yml"))


def load_trees(root: Path, contacts: Collection[str] | Mapping[str, dict], sources: set[str], trees_dir: str = TREES_DIR,
               today: datetime.date | None = None, max_age_days: int = 365,
               skip: Collection[Path] = (), flow_files: dict[str, Path] | None = None,
               terms: Mapping[str, str] | None = None, *, words: Vocabulary, data_files: Mapping[str, str] | None = None,
               ) -> tuple[dict[str, dict], list[Problem]]:
    """Every `decision_trees/*.yml` but those in `skip`, sorted: (id -> compiled tree for trees
    without errors, every problem). `flow_files`, `terms`, `words`, `data_files`: as for load_tree."""
    trees: dict[str, dict] = {}
    problems: list[Problem] = []
    for path in sorted((root / trees_dir).glob("*.yaml")):
        problems.append(Problem(display_path(path, root), 1, 1, "tree files must end in .yml; this file is not read",
                                f"rename it to {path.stem}.yml", "warning"))
    for path in tree_files(root, trees_dir):
        if path in skip:
            continue
        compiled, found = load_tree(path, root, contacts, sources, today, max_age_days, flow_files, terms,
                                    words=words, data_files=data_files)
        problems.extend(found)
        if compiled is not None:
            trees[compiled["id"]] = compiled
    return trees, problems
