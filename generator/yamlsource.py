"""Safe YAML loading that keeps line numbers and refuses what a publisher never means.

Every mapping comes back as a `Node` (a dict) that knows the line of itself and of each
key; lists come back as `NodeList` with the line of each item. Aliases, duplicate keys,
deep nesting, huge files and non-UTF-8 bytes are refused with a located `Problem`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 100_000
# Control characters other than tab and line breaks: invisible in an editor, and in a message
# printed to a terminal they could move the cursor or clear the screen.
# The key of an entry in a data file (a contact, a term): lowercase ASCII words joined by hyphens.
KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Node(dict):
    """A YAML mapping with the (line, column) of itself and of each key, 1-based."""

    line: int = 0
    column: int = 0

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.key_positions: dict[str, tuple[int, int]] = {}
        self.value_positions: dict[str, tuple[int, int]] = {}

    def line_of(self, key: str) -> int:
        return self.key_positions.get(key, (self.line, self.column))[0]

    def value_line(self, key: str) -> int:
        return self.value_positions.get(key, self.key_positions.get(key, (self.line, 0)))[0]


class NodeList(list):
    """A YAML sequence with the line of itself and of each item."""

    line: int = 0
    column: int = 0

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class YamlProblem(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def read_text(path: Path, display: str) -> str:
    """Read a publisher's file as UTF-8, refusing oversize files and bad bytes with a line."""
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise YamlProblem(Problem(display, 1, 1, f"file is {len(data):,} bytes, more than the limit of {MAX_BYTES:,}",
                                  "split the file into smaller ones"))
    try:
        # utf-8-sig: editors such as Notepad may start the file with a byte order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(Problem(display, line, column, "the file is not valid UTF-8 text",
                                  "save the file with UTF-8 encoding (in most editors: Save as, Encoding: UTF-8)")) from None
    control = CONTROL_CHARACTER.search(text)
    if control:
        raise _character_problem(display, text, control.start(), 0)
    return text


def _character_problem(display: str, text: str, position: int, line_offset: int) -> YamlProblem:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return YamlProblem(Problem(display, line + line_offset, column,
                               f"the file contains the invisible character U+{ord(text[position]):04X}, which is not allowed",
                               "delete the character (retype the line around it); "
                               "such characters often come with text copied from another program"))


def caret_excerpt(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].replace("\t", "→")
    return f"\n    {shown}\n    {' ' * max(column - 1, 0)}^"


def parse_yaml(text: str, display: str, line_offset: int = 0) -> Any:
    """Parse YAML text into Node/NodeList/scalars, or raise YamlProblem with file and line.

    Parsed by libyaml when PyYAML has it (five times as fast), under the same counting composer;
    a file libyaml refuses is parsed again the pure-Python way, so that every message and
    position is PyYAML's whichever parser is installed."""
    if _CLoader is not None:
        try:
            root = _compose(_CLoader(text, display, line_offset))
        except YamlProblem:
            raise
        except yaml.YAMLError:
            pass  # the pure parser below finds the same problem and places it as PyYAML does
        else:
            return None if root is None else _Converter(display, line_offset).convert(root)
    return _parse_pure(text, display, line_offset)


def _compose(loader) -> yaml.Node | None:
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _parse_pure(text: str, display: str, line_offset: int) -> Any:
    try:
        root = _compose(_Loader(text, display, line_offset))
    except yaml.reader.ReaderError as exc:  # characters YAML refuses beyond the controls read_text refuses
        raise _character_problem(display, text, exc.position, line_offset) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An unclosed quote or bracket is found only at the end of the file: point at where it opened.
        unclosed = bool(exc.context_mark and "end of stream" in (exc.problem or ""))
        if unclosed:
            mark = exc.context_mark
        line = (mark.line + 1) if mark else 1
        column = (mark.column + 1) if mark else 1
        reason = exc.problem or exc.context or "syntax error"
        fix = "check the indentation and the quotes on this line"
        if unclosed:
            reason = "a quote or bracket opened here is never closed"
            fix = "close the quote or bracket on the same line"
        if "\t" in (text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""):
            reason = "a tab character is used for indentation"
            fix = "indent with spaces only, never tabs"
        message = f"YAML syntax error: {reason}" + caret_excerpt(text, line, column)
        raise YamlProblem(Problem(display, line + line_offset, column, message, fix)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(display, 1 + line_offset, 1, f"YAML error: {exc}", "check the file's syntax")) from None
    if root is None:
        return None
    return _Converter(display, line_offset).convert(root)


def load_yaml_file(path: Path, display: str) -> Any:
    return parse_yaml(read_text(path, display), display)


def load_data_file(path: Path, display: str, what: str) -> tuple[Any, list[Problem]]:
    """A data file (contacts, sources, terms) as parsed YAML, or None and the problem that stops it."""
    try:
        return load_yaml_file(path, display), []
    except YamlProblem as exc:
        return None, [exc.problem]
    except OSError as exc:
        return None, [Problem(display, 1, 1, f"cannot read the {what} file: {exc.strerror}", "check that the file exists")]


class _Limits:
    """Refuses anchors, aliases, deep nesting and too many values while composing.

    Checked here, before PyYAML recurses into a node, so that a file of 10,000 opening
    brackets is a located message rather than a RecursionError, and an alias is never expanded.
    """

    def limits(self, display: str, line_offset: int) -> None:
        self.display = display
        self.line_offset = line_offset
        self.depth = 0
        self.count = 0

    def fail(self, event: yaml.Event, message: str, fix: str) -> YamlProblem:
        mark = event.start_mark
        return YamlProblem(Problem(self.display, mark.line + 1 + self.line_offset, mark.column + 1, message, fix))

    def compose_node(self, parent, index):
        event = self.peek_event()
        if event.anchor is not None:  # an anchor (&name) or an alias (*name)
            raise self.fail(event, "YAML anchors and aliases (& and *) are not allowed",
                            "write the text out in full where it is needed")
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(event, f"the file holds more than {MAX_NODES:,} values", "split the file into smaller ones")
        if self.depth > MAX_DEPTH:
            raise self.fail(event, f"the structure is nested more than {MAX_DEPTH} levels deep", "flatten the structure")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(_Limits, yaml.SafeLoader):
    def __init__(self, text: str, display: str, line_offset: int):
        super().__init__(text)
        self.limits(display, line_offset)


if yaml.__with_libyaml__:
    class _CLoader(_Limits, yaml.composer.Composer, yaml.cyaml.CParser,
                   yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's scanner and parser under PyYAML's composer (before CParser, so that it
        composes, not libyaml), with the same limits: the same nodes, marks and refusals."""

        def __init__(self, text: str, display: str, line_offset: int):
            yaml.cyaml.CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.limits(display, line_offset)
else:  # PyYAML built without libyaml: the pure parser only
    _CLoader = None


class _Converter:
    def __init__(self, display: str, line_offset: int):
        self.display = display
        self.line_offset = line_offset
        self.scalar_loader = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, message: str, fix: str) -> YamlProblem:
        return YamlProblem(Problem(self.display, self.line(node), node.start_mark.column + 1, message, fix))

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def convert(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            result = Node()
            result.line, result.column = self.line(node), node.start_mark.column + 1
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, "YAML merge keys (<<) are not allowed", "write the keys out in full")
                key = self.convert(key_node)
                if not isinstance(key, (str, int, bool)) or isinstance(key, bool):
                    raise self.fail(key_node, "a key must be plain text", "write the key as a word, without brackets")
                key = str(key)
                if key in result:
                    first = result.key_positions[key][0]
                    raise self.fail(key_node, f'the key "{key}" appears twice (first on line {first})',
                                    "remove one of them; only one value per key is allowed")
                result[key] = self.convert(value_node)
                result.key_positions[key] = (self.line(key_node), key_node.start_mark.column + 1)
                result.value_positions[key] = (self.line(value_node), value_node.start_mark.column + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = NodeList()
            items.line, items.column = self.line(node), node.start_mark.column + 1
            for item in node.value:
                items.append(self.convert(item))
                items.item_lines.append(self.line(item))
            return items
        try:
            return self.scalar_loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date such as 2026-13-45
            raise self.fail(node, f"value cannot be read: {exc}", "quote the value") from None
