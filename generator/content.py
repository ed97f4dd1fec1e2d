"""Markdown pages: front matter, references to contacts and diagrams, and their checks."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from .contacts import contact_html, number_html
from .problems import Problem, did_you_mean
from .yamlsource import Node, YamlProblem, parse_yaml, read_text

FRONT_MATTER_KEYS = {"title", "description", "sources", "reviewed", "hide", "search"}
REQUIRED_KEYS = ("title", "description", "sources", "reviewed")
DIRECTIVE = re.compile(r"\[\[([a-zåäö]+):([^\]\s]*)\]\]")
DIRECTIVE_KINDS = {"nummer", "kontakt", "diagram"}
CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.S | re.M)
RAW_HTML = re.compile(r"<(?!https?://|mailto:)[A-Za-z/!?]")


@dataclass
class Page:
    path: str                 # relative to the project root, e.g. content/fore/resor.md
    doc_path: str             # relative to the docs folder, e.g. fore/resor.md
    meta: dict
    body: str
    body_line: int            # line of the file where the body starts
    directives: list[tuple[str, str, int]] = field(default_factory=list)  # kind, key, line


def split_front_matter(text: str, display: str) -> tuple[Node | None, str, int, list[Problem]]:
    """Front matter as a located Node, the body, and the line the body starts on."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1, [Problem(display, 1, 1, "the page has no front matter",
                                       "start the file with a line `---`, then title, description, sources and reviewed, then `---`")]
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            block = "\n".join(lines[1:index])
            try:
                meta = parse_yaml(block, display, line_offset=1)
            except YamlProblem as exc:
                return None, "", index + 2, [exc.problem]
            if meta is None:
                meta = Node()
                meta.line = 2
            if not isinstance(meta, Node):
                return None, "", index + 2, [Problem(display, 2, 1, "the front matter must be keys and values",
                                                     "write `title: ...` and so on, one per line")]
            return meta, "\n".join(lines[index + 1:]), index + 2, []
    return None, "", 1, [Problem(display, 1, 1, "the front matter is not closed",
                                 "add a line `---` after the last front matter line")]


def load_page(path: Path, root: Path, docs_dir: Path, sources: dict, today: dt.date,
              max_age_days: int) -> tuple[Page | None, list[Problem]]:
    display = path.relative_to(root).as_posix()
    try:
        text = read_text(path, display)
    except YamlProblem as exc:
        return None, [exc.problem]
    meta, body, body_line, problems = split_front_matter(text, display)
    if meta is None:
        return None, problems
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            problems.append(Problem(display, meta.line_of(key), 1,
                                    f'unknown front matter key "{key}"{did_you_mean(key, FRONT_MATTER_KEYS)}',
                                    f"use only: {', '.join(sorted(FRONT_MATTER_KEYS))}"))
    for key in REQUIRED_KEYS:
        if key not in meta:
            problems.append(Problem(display, meta.line or 2, 1, f'the front matter has no "{key}"',
                                    _missing_fix(key)))
    for key in ("title", "description"):
        value = meta.get(key)
        if key in meta and (not isinstance(value, str) or not value.strip()):
            problems.append(Problem(display, meta.line_of(key), 1, f'"{key}" must be text', f"write the {key} after `{key}:`"))
        elif isinstance(value, str) and RAW_HTML.search(value):
            problems.append(Problem(display, meta.line_of(key), 1, f'HTML is not allowed in "{key}"', "write plain text"))
    if "sources" in meta:
        listed = meta["sources"]
        if not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
            problems.append(Problem(display, meta.line_of("sources"), 1, '"sources" must be a list of source keys',
                                    f"write for example `sources: [handlingsplan]`; known keys: {', '.join(sorted(sources))}"))
        else:
            for source in listed:
                if source not in sources:
                    problems.append(Problem(display, meta.value_line("sources"), 1,
                                            f'unknown source "{source}"{did_you_mean(source, sources)}',
                                            f"use a key from content/kallor.yml: {', '.join(sorted(sources))}"))
    if "reviewed" in meta:
        reviewed = meta["reviewed"]
        if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
            problems.append(Problem(display, meta.line_of("reviewed"), 1, '"reviewed" must be a date like 2026-11-22',
                                    "write the date the page was last checked, as YYYY-MM-DD"))
        elif reviewed > today:
            problems.append(Problem(display, meta.line_of("reviewed"), 1, f'"reviewed" is in the future ({reviewed})',
                                    "write the date the page was actually last checked"))
        elif (today - reviewed).days > max_age_days:
            problems.append(Problem(display, meta.line_of("reviewed"), 1,
                                    f"the page was last reviewed {reviewed}, more than {max_age_days} days ago",
                                    "read the page, correct what has changed, and set `reviewed` to today's date",
                                    "warning"))
    page = Page(display, path.relative_to(docs_dir).as_posix(), dict(meta), body, body_line)
    problems.extend(_scan_body(page))
    return page, problems


def _missing_fix(key: str) -> str:
    return {
        "title": "add `title:` with the page's heading",
        "description": "add `description:` with one sentence saying what the page is about",
        "sources": "add `sources:` with the keys of the source documents, for example [handlingsplan]",
        "reviewed": "add `reviewed:` with the date the page was last checked, as YYYY-MM-DD",
    }[key]


def _blank_code(body: str) -> str:
    """The body with code blocks and spans blanked out, keeping line numbers."""
    return CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)


def _scan_body(page: Page) -> list[Problem]:
    problems = []
    scanned = _blank_code(page.body)
    for match in DIRECTIVE.finditer(scanned):
        line = page.body_line + scanned.count("\n", 0, match.start())
        kind, key = match.group(1), match.group(2)
        if kind not in DIRECTIVE_KINDS:
            problems.append(Problem(page.path, line, 1, f'unknown reference "[[{kind}:...]]"{did_you_mean(kind, DIRECTIVE_KINDS)}',
                                    "use [[nummer:KEY]], [[kontakt:KEY]] or [[diagram:NAME]]"))
            continue
        page.directives.append((kind, key, line))
    for match in RAW_HTML.finditer(scanned):
        line = page.body_line + scanned.count("\n", 0, match.start())
        column = match.start() - (scanned.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(page.path, line, column, "HTML is not allowed in pages",
                                "write Markdown instead; to show a < sign followed by a letter, put it in `backticks`"))
    return problems


def check_references(page: Page, contacts: dict, diagrams: set[str]) -> list[Problem]:
    problems = []
    for kind, key, line in page.directives:
        if kind in ("nummer", "kontakt") and key not in contacts:
            problems.append(Problem(page.path, line, 1, f'unknown contact "{key}"{did_you_mean(key, contacts)}',
                                    "use a key from content/kontakter.yml, or add the contact there"))
        if kind == "diagram" and key not in diagrams:
            problems.append(Problem(page.path, line, 1, f'unknown diagram "{key}"{did_you_mean(key, diagrams)}',
                                    "add content/data/NAME.yml with the chart's data, or fix the name"))
    return problems


def expand_references(body: str, contacts: dict, diagram_svg) -> str:
    """Replace [[nummer:..]], [[kontakt:..]] and [[diagram:..]] outside code with HTML."""
    spans = [(m.start(), m.end()) for m in CODE.finditer(body)]

    def replace(match: re.Match) -> str:
        if any(start <= match.start() < end for start, end in spans):
            return match.group(0)
        kind, key = match.group(1), match.group(2)
        if kind == "nummer":
            return number_html(contacts[key], contacts)
        if kind == "kontakt":
            return contact_html(contacts[key], contacts)
        return "\n\n" + diagram_svg(key) + "\n\n"

    return DIRECTIVE.sub(replace, body)


TASK_CHECKBOX = re.compile(r'(<li class="task-list-item">)\s*<input type="checkbox" disabled(?:="")?\s*/?>')


def paper_checkboxes(html_text: str) -> str:
    """Checklist items get a drawn box instead of a disabled, unlabeled checkbox.

    The box is for ticking on paper; a form control nobody can use only confuses screen readers.
    """
    return TASK_CHECKBOX.sub(r'\1<span class="task-box" aria-hidden="true"></span>', html_text)


def sources_footer(meta: dict, sources: dict) -> str:
    """The "Källor" and "Senast granskad" block that closes every page, as escaped HTML."""
    items = "".join(
        f"<li>{html.escape(sources[key]['title'])} ({html.escape(sources[key]['publisher'])})</li>"
        for key in meta.get("sources") or [] if key in sources
    )
    listing = f"<ul>{items}</ul>" if items else "<p>Sidan bygger inte på något av källdokumenten.</p>"
    reviewed = meta.get("reviewed")
    date = f'<p class="reviewed">Senast granskad: <time datetime="{reviewed}">{reviewed}</time></p>' if reviewed else ""
    return f'\n\n<aside class="page-sources" aria-label="Källor" data-search-exclude>\n<h2>Källor</h2>\n{listing}\n{date}\n</aside>\n'
