"""Hostile and broken input: one file per case, each with the exact messages and positions expected.

Each case goes into a small project (tests/conftest.py `small_project`): a file of trees/ as
decision_trees/<name>, of contacts/ as content/kontakter.yml, of pages/ as content/<name>.
`handbok check` and `handbok build` must both exit 1 with the file, line and column, and
leave the project folder exactly as it was (no site, no staging folder). Cases that cannot
be a committed file (a file over the size limit, symbolic links) are made by the test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.yamlsource import MAX_BYTES, MAX_NODES

HERE = Path(__file__).resolve().parent
PLACES = {"trees": "decision_trees/{name}", "contacts": "content/kontakter.yml", "pages": "content/{name}"}
HTML_IN_TREE = "HTML is not allowed in tree texts"
ANCHORS = "YAML anchors and aliases (& and *) are not allowed"
RUNS = "which could run or load something in the reader's browser"

# case file -> every error reported for the file it is installed as: (line, column, message)
EXPECTED: dict[str, list[tuple[int, int, str]]] = {
    # YAML built to exhaust memory or the parser
    "trees/billion-laughs.yml": [(2, 4, ANCHORS)],
    "trees/merge-key.yml": [(13, 5, "YAML merge keys (<<) are not allowed")],
    "trees/deep-nesting.yml": [(3, 54, "the structure is nested more than 40 levels deep")],
    "trees/non-utf8.yml": [(9, 21, "the file is not valid UTF-8 text")],
    "trees/control-character.yml": [(9, 25, "the file contains the invisible character U+001B, which is not allowed")],
    # HTML in every kind of tree text
    "trees/script-in-tree-title.yml": [(2, 8, HTML_IN_TREE)],
    "trees/script-in-description.yml": [(3, 14, HTML_IN_TREE)],
    "trees/html-in-node-title.yml": [(9, 12, HTML_IN_TREE)],
    "trees/img-in-option-label.yml": [(11, 25, HTML_IN_TREE)],
    "trees/html-in-item-label.yml": [(16, 26, HTML_IN_TREE)],
    "trees/html-in-scale-label.yml": [(9, 24, HTML_IN_TREE)],
    "trees/html-in-action-text.yml": [(17, 15, HTML_IN_TREE)],
    "trees/html-in-document.yml": [(17, 15, HTML_IN_TREE)],
    "trees/html-in-inform.yml": [(19, 7, HTML_IN_TREE)],
    # expressions and trees built to exhaust time or memory
    "trees/expression-too-long.yml": [(14, 13, 'the condition "' + 'fraga == "ja" or ' * 4 + 'fraga == ..." cannot be read: '
                                       "expression is 676 characters long; the limit is 500 at character 501")],
    "trees/expression-deep-parentheses.yml": [(14, 13, 'the condition "' + "(" * 30 + 'fraga == "ja"' + ")" * 30
                                               + '" cannot be read: expression is nested too deeply (more than 20 levels) at character 21')],
    "trees/expression-huge-number.yml": [(14, 13, 'the condition "answered(fraga) and 99999999999999999999 > 1" cannot be read: '
                                          "number 99999999999999999999 is too large (the limit is 1000000) at character 21")],
    "trees/expression-overflow.yml": [(7, 5, 'the flow fails at node "fraga": arithmetic result is out of range (more than 10**12) '
                                       "in (999999 * 999999 * 999999) at character 1 (for example: fraga=ja)")],
    "trees/rating-too-many-answers.yml": [(22, 7, 'node "fraga" has 40 items on a scale of 8 steps: 62,891,499 ways to answer, '
                                           "more than the 100,000 that can be checked one by one")],
    "trees/too-many-paths.yml": [(7, 1, "the decision engine cannot check the tree: tree 'too-many-paths' has more than "
                                  "100000 paths: too many to prove; split the flow or use fewer checklist options")],
    # references in tree texts and conditions of actions (issue 17): never a link, never run
    "trees/reference-javascript-flow.yml": [(10, 11, 'the reference [[flode:javascript:alert(document.cookie)]] in "text" '
                                             'of node "fraga" names the flow "javascript:alert(document.cookie)", which does not exist')],
    "trees/reference-attribute-in-key.yml": [(12, 15, 'unknown contact "x"onmouseover="alert(1)"')],
    "trees/action-condition-import.yml": [(14, 13, 'the condition "__import__("os").system("id")" cannot be read: unknown '
                                           "character '_' (names are lowercase letters, digits and hyphens) at character 1")],
    # contacts
    "contacts/script-in-name.yml": [(5, 1, 'HTML is not allowed in contact "polisen"')],
    "contacts/img-in-when.yml": [(7, 1, 'HTML is not allowed in contact "polisen"')],
    "contacts/javascript-url.yml": [(9, 1, 'web address of contact "rapportwebb" must start with https://')],
    "contacts/duplicate-key.yml": [(7, 1, 'the key "larm" appears twice (first on line 1)')],
    "contacts/tab-indentation.yml": [(6, 1, 'YAML syntax error: a tab character is used for indentation\n    →phone: "114 14"\n    ^')],
    "contacts/alias.yml": [(1, 7, ANCHORS)],
    # pages: raw HTML, script links and attributes, references out of the content folder
    "pages/script.md": [(12, 1, "HTML is not allowed in pages"), (12, 17, "HTML is not allowed in pages")],
    "pages/img-onerror.md": [(10, 10, "HTML is not allowed in pages")],
    "pages/script-in-title.md": [(2, 1, 'HTML is not allowed in "title"')],
    "pages/javascript-link.md": [(10, 16, 'the link "javascript:alert(document.cookie)" uses "javascript:", which is not allowed')],
    "pages/entity-javascript-link.md": [(10, 16, 'the link "javascript:alert(1)" uses "javascript:", which is not allowed')],
    "pages/file-url.md": [(10, 9, 'the link "file:///etc/passwd" uses "file:", which is not allowed')],
    "pages/event-attribute.md": [(10, 25, 'the attribute "onmouseover" is not allowed: it could run or load something '
                                  "in the reader's browser")],
    "pages/traversal-picture.md": [(10, 10, 'the picture "../../etc/passwd" points outside the content folder')],
    "pages/traversal-link.md": [(10, 17, 'the link "../../../home/user/.ssh/id_rsa" points outside the content folder')],
    "pages/encoded-traversal.md": [(10, 12, 'the link "%2e%2e/%2e%2e/etc/passwd" points outside the content folder')],
    "pages/backslash-traversal.md": [(10, 12, 'the link "..\\..\\Windows\\win.ini" points outside the content folder')],
    "pages/absolute-path.md": [(10, 9, 'the picture "/etc/passwd" is an absolute path')],
    "pages/remote-picture.md": [(10, 10, 'the picture "https://example.com/sparning.png" is not a file of the site')],
    "pages/non-utf8.md": [(10, 6, "the file is not valid UTF-8 text")],
    "pages/control-character.md": [(10, 15, "the file contains the invisible character U+001B, which is not allowed")],
    "pages/front-matter-alias.md": [(2, 8, ANCHORS)],
    # what a pattern reads otherwise than Markdown does: the rendered page is read too
    "pages/escaped-backtick.md": [(10, 20, f'the page would contain the attribute "onerror", {RUNS}')],
    "pages/escaped-backtick-link.md": [(10, 18, f'the page would contain a link to "javascript:", {RUNS}')],
    "pages/backtick-across-lines.md": [(11, 17, f'the page would contain the attribute "onerror", {RUNS}')],
    "pages/html-block-after-backtick.md": [(11, 1, "HTML is not allowed in pages")],
    "pages/indented-reference.md": [(12, 16, 'the link "javascript:alert(1)" uses "javascript:", which is not allowed')],
    "pages/link-over-two-lines.md": [(11, 1, f'the page would contain a link to "javascript:", {RUNS}')],
}


def _install(root: Path, case: str) -> str:
    kind, name = case.split("/")
    display = PLACES[kind].format(name=name)
    (root / display).write_bytes((HERE / case).read_bytes())
    return display


def _oversize_tree(root: Path, outside: Path) -> tuple[str, list]:
    text = (HERE / "trees" / "script-in-tree-title.yml").read_text(encoding="utf-8").replace("script-in-tree-title", "stor")
    text += "# utfyllnad\n" * (MAX_BYTES // 12 + 1)
    (root / "decision_trees" / "stor.yml").write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    return "decision_trees/stor.yml", [(1, 1, f"file is {size:,} bytes, more than the limit of 1,000,000")]


def _oversize_page(root: Path, outside: Path) -> tuple[str, list]:
    text = (HERE / "pages" / "script-in-title.md").read_text(encoding="utf-8") + "Text.\n" * (MAX_BYTES // 6 + 1)
    (root / "content" / "stor.md").write_text(text, encoding="utf-8")
    return "content/stor.md", [(1, 1, f"file is {len(text.encode()):,} bytes, more than the limit of 1,000,000")]


def _too_many_values(root: Path, outside: Path) -> tuple[str, list]:
    # Under the size limit, but more values than the loader accepts: each "0," is one value.
    prefix = "rows: ["
    (root / "content" / "data").mkdir()
    (root / "content" / "data" / "manga.yml").write_text(prefix + "0," * MAX_NODES + "0]\n", encoding="utf-8")
    # The mapping, the key and the list come first: value number MAX_NODES + 1 is item MAX_NODES - 3 (from 0).
    column = len(prefix) + 2 * (MAX_NODES - 3) + 1
    return "content/data/manga.yml", [(1, column, "the file holds more than 100,000 values")]


def _link(link: Path, target: Path) -> None:
    if link.exists():
        link.unlink()
    link.symlink_to(target)


def _page_link(root: Path, outside: Path) -> tuple[str, list]:
    secret = outside / "hemligt.md"
    secret.write_bytes((HERE / "pages" / "script-in-title.md").read_bytes().replace(b"<script>alert(1)</script>", b""))
    _link(root / "content" / "hemligt.md", secret)
    return "content/hemligt.md", [(1, 1, f'the file is a symbolic link to "{secret.as_posix()}", outside content/')]


def _tree_link(root: Path, outside: Path) -> tuple[str, list]:
    secret = outside / "flode.yml"
    secret.write_text("id: flode\n", encoding="utf-8")
    _link(root / "decision_trees" / "flode.yml", secret)
    return "decision_trees/flode.yml", [(1, 1, f'the file is a symbolic link to "{secret.as_posix()}", outside decision_trees/')]


def _contacts_link(root: Path, outside: Path) -> tuple[str, list]:
    secret = outside / "kontakter.yml"
    secret.write_bytes((root / "content" / "kontakter.yml").read_bytes())
    _link(root / "content" / "kontakter.yml", secret)
    return "content/kontakter.yml", [(1, 1, f'the file is a symbolic link to "{secret.as_posix()}", outside content/')]


def _folder_link(root: Path, outside: Path) -> tuple[str, list]:
    (outside / "privat").mkdir()
    (outside / "privat" / "id_rsa").write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    _link(root / "content" / "bilder", outside / "privat")
    return "content/bilder", [(1, 1, f'the folder is a symbolic link to "{(outside / "privat").as_posix()}", outside content/')]


def _picture_link(root: Path, outside: Path) -> tuple[str, list]:
    secret = outside / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    _link(root / "content" / "karta.png", secret)
    return "content/karta.png", [(1, 1, f'the file is a symbolic link to "{secret.as_posix()}", outside content/')]


GENERATED = {
    "oversize-tree": _oversize_tree,
    "oversize-page": _oversize_page,
    "too-many-values": _too_many_values,
    "page-symlink-out": _page_link,
    "tree-symlink-out": _tree_link,
    "contacts-symlink-out": _contacts_link,
    "folder-symlink-out": _folder_link,
    "picture-symlink-out": _picture_link,
}


@pytest.fixture(params=sorted(EXPECTED) + sorted(GENERATED))
def hostile(request, small_project, tmp_path_factory):
    """(project folder, the case's file as displayed, the errors expected for it)."""
    case = request.param
    if case in GENERATED:
        display, expected = GENERATED[case](small_project, tmp_path_factory.mktemp("outside").resolve())
    else:
        display, expected = _install(small_project, case), EXPECTED[case]
    return small_project, display, expected


def _snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry of the project folder: a file's bytes, a link's target (links are not followed)."""
    found: dict[str, bytes | str] = {}
    for directory, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(directory, name)
            key = path.relative_to(root).as_posix()
            found[key] = f"-> {os.readlink(path)}" if path.is_symlink() else (path.read_bytes() if path.is_file() else "dir")
    return found


def test_the_table_covers_the_corpus():
    files = {p.relative_to(HERE).as_posix() for kind in PLACES for p in (HERE / kind).iterdir()}
    assert files == set(EXPECTED)


def errors_in_report(out: str, display: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of each error `handbok check` printed for one file; a message
    runs on over the indented lines after it (the YAML excerpt) until its "fix:" line."""
    found, lines = [], out.splitlines()
    for index, text in enumerate(lines):
        match = re.fullmatch(rf"  {re.escape(display)}:(\d+):(\d+): error: (.*)", text)
        if match:
            message = [match[3]]
            for more in lines[index + 1:]:
                if more.startswith("    fix: "):
                    break
                message.append(more)
            found.append((int(match[1]), int(match[2]), "\n".join(message)))
    return found


def test_check_names_the_file_line_and_column(hostile, capsys):
    root, display, expected = hostile
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "Traceback" not in out
    assert errors_in_report(out, display) == expected, out
    assert "\x1b" not in out, "a control character from the input reached the terminal"


def test_build_fails_and_writes_nothing(hostile, capsys):
    root, display, _ = hostile
    before = _snapshot(root)
    code = main(["--root", str(root), "build"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{display}:" in err
    assert "the site was not changed" in err
    assert _snapshot(root) == before


def test_mkdocs_build_refuses_hostile_content_too(small_project):
    _install(small_project, "pages/script.md")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(small_project / "mkdocs.yml")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "content/script.md:12:1: error: HTML is not allowed in pages" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (small_project / "site").exists()
