"""Markdown pages: front matter, references to contacts, diagrams, flows and terms, and their checks."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from generator import language, terms as term_texts
from generator.language import Vocabulary
from generator.site import htmltags
from generator.site.contacts import contact_html, number_html, safe_url
from generator.problems import Problem, did_you_mean
from generator.site.templates import Templates
from generator.yamlsource import Node, YamlProblem, parse_yaml, read_text

FRONT_MATTER_KEYS = {"title", "description", "sources", "reviewed", "hide", "search"}
REQUIRED_KEYS = ("title", "description", "sources", "reviewed")
# [[word:KEY]], and a flow's [[word:ID|link text]]: group 3 is the text after "|". The word is any
# language's (language.reference_kinds); the page keeps its kind (number, contact, chart, flow, term).
DIRECTIVE = re.compile(r"\[\[([A-Za-zåäö]+):([^\]\s|]*)(?:\|([^\[\]\n]*))?\]\]")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
# An attr_list { ... } right after a link: it goes with the link when the link becomes text.
ATTRIBUTES_AFTER = re.compile(r"[ \t]*\{[^{}\n]*\}")
CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.S | re.M)
RAW_HTML = re.compile(r"<(?!https?://|mailto:)[A-Za-z/!?]")
# Inline links and pictures: [text](target "title") and ![text](target); group 2 is everything in the brackets.
LINK = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(((?:[^()\n]|\([^()\n]*\))*)\)")
# Any indentation: inside a list item or an admonition Markdown reads an indented definition too.
REFERENCE_DEFINITION = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\n?[ \t]*(\S.*)$", re.M)
URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
# attr_list's { ... } blocks; an attribute there lands in the page's HTML as written.
ATTRIBUTE_LIST = re.compile(r"\{:?([^{}\n]*)\}")
ATTRIBUTE_NAME = re.compile(r"(?:^|\s)([A-Za-z_:][-\w:.]*)\s*=")
LOADING_ATTRIBUTES = {"href", "src", "srcset", "srcdoc", "action", "formaction", "data", "style", "xlink:href"}
# For the audit of each rendered page (see _audit_rendered): the Markdown extensions of mkdocs.yml
# (a site that adds one that reads backticks, links or HTML differently adds it here too), and
# every element they produce.
MARKDOWN_EXTENSIONS = ["admonition", "def_list", "attr_list", "tables", "pymdownx.details",
                       "pymdownx.superfences", "pymdownx.tasklist"]
MARKDOWN_ELEMENTS = {"p", "a", "img", "code", "pre", "em", "strong", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5",
                     "h6", "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd",
                     "div", "span", "details", "summary", "input", "label", "sup", "sub", "abbr"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}


@dataclass
class Page:
    path: str                 # relative to the project root, e.g. content/fore/resor.md
    doc_path: str             # relative to the docs folder, e.g. fore/sida.md
    meta: dict
    body: str
    body_line: int            # line of the file where the body starts
    directives: list[tuple[str, str, int, int, str | None]] = field(default_factory=list)  # kind, key, line, column, text after |
    links: list[str] = field(default_factory=list)  # docs-relative targets of relative links and pictures
    # Each link's target, line and column, and whether it is an inline link ([text](target)).
    link_places: list[tuple[str, int, int, bool]] = field(default_factory=list)


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


def reference_kind(word: str) -> str | None:
    """The kind of a reference word of any language; a term keeps its word (term, Term)."""
    return word if word in term_texts.KINDS else language.reference_kinds().get(word)


def load_page(path: Path, root: Path, docs_dir: Path, sources: dict, today: dt.date,
              max_age_days: int, words: Vocabulary, sources_file: str) -> tuple[Page | None, list[Problem]]:
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
                                    f"write for example `sources: [rutin]`; known keys: {', '.join(sorted(sources))}"))
        else:
            for source in listed:
                if source not in sources:
                    problems.append(Problem(display, meta.value_line("sources"), 1,
                                            f'unknown source "{source}"{did_you_mean(source, sources)}',
                                            f"use a key from {sources_file}: {', '.join(sorted(sources))}"))
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
    page.directives.extend(_terms_in_meta(meta, text))
    problems.extend(_scan_body(page, words))
    return page, problems


def _terms_in_meta(meta: Node, text: str) -> list[tuple[str, str, int, int, None]]:
    """The [[term:KEY]] of the title and the description, where they stand in the file."""
    lines, found = text.split("\n"), []
    for key in ("title", "description"):
        value = meta.get(key)
        for match in term_texts.TERM.finditer(value if isinstance(value, str) else ""):
            line = meta.line_of(key)
            written = lines[line - 1] if 0 < line <= len(lines) else ""
            found.append((match.group(1), match.group(2), line, written.find(match.group(0)) + 1 or 1, None))
    return found


def _missing_fix(key: str) -> str:
    return {
        "title": "add `title:` with the page's heading",
        "description": "add `description:` with one sentence saying what the page is about",
        "sources": "add `sources:` with the keys of the source documents, for example [rutin]",
        "reviewed": "add `reviewed:` with the date the page was last checked, as YYYY-MM-DD",
    }[key]


def _blank_code(body: str) -> str:
    """The body with code blocks and spans blanked out, keeping line numbers."""
    return CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)


def _scan_body(page: Page, words: Vocabulary) -> list[Problem]:
    problems = []
    scanned = _blank_code(page.body)
    ref = words.references
    for match in DIRECTIVE.finditer(scanned):
        line, column = _position(page, scanned, match.start())
        written, key, label = match.group(1), match.group(2), match.group(3)
        kind = reference_kind(written)
        if kind is None or kind == "answer":
            known = [*language.reference_kinds(), *term_texts.KINDS]
            problems.append(Problem(page.path, line, column, f'unknown reference "[[{written}:...]]"{did_you_mean(written, known)}',
                                    f"use [[{ref['number']}:KEY]], [[{ref['contact']}:KEY]], [[{ref['chart']}:NAME]], "
                                    f"[[{ref['flow']}:ID]] or [[term:KEY]]"))
            continue
        if label is not None and kind != "flow":
            problems.append(Problem(page.path, line, column, f'the reference "[[{written}:{key}|...]]" has a text after "|", '
                                    f"which only [[{ref['flow']}:...]] takes", f"write [[{written}:{key}]]"))
        elif kind == "flow" and label is not None and not label.strip():
            problems.append(Problem(page.path, line, column, f'the link text after "|" in [[{written}:{key}|]] is empty',
                                    f"write the link text after \"|\", or write [[{written}:{key}]] to show the flow's title"))
        page.directives.append((kind, key, line, column, label))
        if kind == "flow":
            page.links.append(words.flow_page(key))
    for match in RAW_HTML.finditer(scanned):
        line = page.body_line + scanned.count("\n", 0, match.start())
        column = match.start() - (scanned.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(page.path, line, column, "HTML is not allowed in pages",
                                "write Markdown instead; to show a < sign followed by a letter, put it in `backticks`"))
    targets = [(m.start(2), m.group(2), m.group(1) == "!", True) for m in LINK.finditer(scanned)]
    targets += [(m.start(1), m.group(1), False, False) for m in REFERENCE_DEFINITION.finditer(scanned)]
    for start, target, picture, inline in sorted(targets):
        line, column = _position(page, scanned, start)
        problem = _check_target(page, target, picture, line, column, inline)
        if problem:
            problems.append(problem)
    for match in ATTRIBUTE_LIST.finditer(scanned):
        for name in ATTRIBUTE_NAME.findall(match.group(1)):
            if name.lower().startswith("on") or name.lower() in LOADING_ATTRIBUTES:
                line, column = _position(page, scanned, match.start())
                problems.append(Problem(page.path, line, column,
                                        f'the attribute "{name}" is not allowed: it could run or load something in the reader\'s browser',
                                        "remove it; in { } write only classes and ids, for example { .md-button }"))
    return problems + _audit_rendered(page, {problem.line for problem in problems})


class _UnsafeMarkup(HTMLParser):
    """In rendered HTML: elements Markdown never makes, on* attributes, script URLs, remote pictures.

    Each finding is (what, a text to look for in the page's Markdown to place it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in MARKDOWN_ELEMENTS or (tag == "input" and dict(attrs).get("type") != "checkbox"):
            self.found.append((f"the element <{tag}>", f"<{tag}"))
        for name, value in attrs:
            scheme = URL_SCHEME.match(re.sub(r"[\x00-\x20\x7f]", "", value or ""))
            if name.startswith("on") or name in ("srcdoc", "srcset"):
                self.found.append((f'the attribute "{name}"', name))
            elif scheme and name in URL_ATTRIBUTES and (scheme.group(1).lower() not in LINK_SCHEMES
                                                         or (tag == "img" and name == "src")):
                self.found.append((f'a {"picture from" if tag == "img" else "link to"} "{scheme.group(1)}:"', scheme.group(1)))

    handle_startendtag = handle_starttag


@lru_cache(maxsize=1)
def _markdown():
    import markdown  # Python-Markdown, as MkDocs uses it; the core does not need MkDocs for it

    return markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)


def _audit_rendered(page: Page, flagged_lines: set[int]) -> list[Problem]:
    """Read the HTML the page will become, for what the scan above did not see.

    The scan reads the Markdown by patterns; Markdown has its own rules, and a crafted line (an
    escaped backtick, a code span left open on an earlier line, a link written over two lines)
    can be code or text to the scan and live HTML or a link to Markdown. So the page is rendered
    with Python-Markdown (about a millisecond a page) and what could run or load something is
    placed back in the Markdown, unless the scan already reported it on that line."""
    renderer = _markdown()
    renderer.reset()
    parser = _UnsafeMarkup()
    parser.feed(renderer.convert(page.body))
    parser.close()
    lowered, problems = page.body.lower(), []
    for what, needle in dict.fromkeys(parser.found):
        offsets = [m.start() for m in re.finditer(re.escape(needle.lower()), lowered)]
        places = [_position(page, page.body, offset) for offset in offsets]
        unreported = [place for place in places if place[0] not in flagged_lines]
        if not unreported and (places or flagged_lines):
            # Reported by the scan; or written with character references, so not found as such:
            # then with the scan's problems fixed it is reported at the top of the page.
            continue
        line, column = unreported[0] if unreported else (page.body_line, 1)
        problems.append(Problem(page.path, line, column,
                                f"the page would contain {what}, which could run or load something in the reader's browser",
                                "Markdown does not read this the way it looks: put each piece of code between two "
                                "`backticks` on one line, with no \\ before them, and write links as [text](page.md)"))
    return problems


def _position(page: Page, scanned: str, offset: int) -> tuple[int, int]:
    line = page.body_line + scanned.count("\n", 0, offset)
    return line, offset - (scanned.rfind("\n", 0, offset) + 1) + 1


def _check_target(page: Page, target: str, picture: bool, line: int, column: int, inline: bool = True) -> Problem | None:
    """A problem with the target of a link or picture, or None; records relative targets in `page.links`."""
    what = "picture" if picture else "link"
    # Markdown passes character references through to the HTML, where the browser decodes them
    # ("javascript&#58;"), and browsers drop control characters in a URL ("java\tscript:"): so does this.
    address = re.sub(r"[\x00-\x1f\x7f]", "", html.unescape(target)).strip()
    address = address.split()[0].strip("<>") if address else ""
    shown = address if len(address) <= 80 else address[:77] + "..."
    scheme = URL_SCHEME.match(address)
    if scheme:
        if picture:
            return Problem(page.path, line, column, f'the picture "{shown}" is not a file of the site',
                           "save the picture under content/ and refer to it with a path relative to this page; "
                           "the site loads nothing from other hosts")
        if scheme.group(1).lower() not in LINK_SCHEMES:
            return Problem(page.path, line, column, f'the link "{shown}" uses "{scheme.group(1)}:", which is not allowed',
                           "link to a page with a relative path such as ../efter/polisanmalan.md, "
                           "or to a web address starting with https://")
        return None
    path = unquote(address.split("#")[0].split("?")[0]).replace("\\", "/")
    if not path:
        return None
    if path.startswith("/"):
        return Problem(page.path, line, column, f'the {what} "{shown}" is an absolute path',
                       "write the path relative to this page, for example ../fore/resor.md; "
                       "the site must work in any folder of the web server")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.doc_path), path))
    if resolved == ".." or resolved.startswith("../"):
        return Problem(page.path, line, column, f'the {what} "{shown}" points outside the content folder',
                       "refer only to pages and files inside content/, with a path relative to this page")
    page.links.append(resolved)
    page.link_places.append((resolved, line, column, inline and not picture))
    return None


def _link_target(doc_path: str, target: str) -> str | None:
    """The docs-relative page an inline link's target names, or None (an address, an anchor)."""
    address = re.sub(r"[\x00-\x1f\x7f]", "", html.unescape(target)).strip()
    address = address.split()[0].strip("<>") if address else ""
    path = unquote(address.split("#")[0].split("?")[0]).replace("\\", "/")
    if not path or URL_SCHEME.match(address) or path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(doc_path), path))


def unlink(body: str, doc_path: str, targets: set[str]) -> str:
    """The body with each inline link to one of `targets` (pages left out of the site) replaced by
    its text; an attribute list right after the link ({ .md-button }) goes with it."""
    scanned = _blank_code(body)
    out, last = [], 0
    for match in LINK.finditer(scanned):
        if match.group(1) or _link_target(doc_path, match.group(2)) not in targets:
            continue
        end = match.end()
        attributes = ATTRIBUTES_AFTER.match(scanned, end)
        out += [body[last:match.start()], body[match.start() + 1:match.start(2) - 2]]
        last = attributes.end() if attributes else end
    return "".join(out) + body[last:]


def check_references(page: Page, contacts: dict, diagrams: set[str], flows: set[str], terms: dict,
                     settings) -> list[Problem]:
    """Every reference of a page names something that exists: a contact, a diagram, a flow (its
    id), a term (its key)."""
    problems = []
    for kind, key, line, column, _ in page.directives:
        if kind in ("number", "contact") and key not in contacts:
            problems.append(Problem(page.path, line, column, f'unknown contact "{key}"{did_you_mean(key, contacts)}',
                                    f"use a key from {settings.contacts_file}, or add the contact there"))
        if kind == "chart" and key not in diagrams:
            problems.append(Problem(page.path, line, column, f'unknown diagram "{key}"{did_you_mean(key, diagrams)}',
                                    f"add {settings.data_dir}/NAME.yml with the chart's data, or fix the name"))
        if kind == "flow" and key not in flows:
            problems.append(Problem(page.path, line, column, f'unknown flow "{key}"{did_you_mean(key, flows)}',
                                    f"use the id of a flow in {settings.trees_dir}/ (its file name without .yml)"))
        if kind in term_texts.KINDS and key not in terms:
            problems.append(term_texts.unknown_problem(page.path, line, column, key, terms, settings.terms_file))
    return problems


def expand_references(body: str, contacts: dict, diagram_svg, doc_path: str, flows: dict, terms: dict,
                      words: Vocabulary, templates: Templates) -> str:
    """Replace the references to a number, a contact, a chart, a flow and a term outside
    code: contacts and diagrams with HTML, a flow with a Markdown link to its page (its title, or
    the text after "|"), a term with its text. `flows`: id -> title; `terms`: key -> text."""
    spans = [(m.start(), m.end()) for m in CODE.finditer(body)]

    def replace(match: re.Match) -> str:
        if any(start <= match.start() < end for start, end in spans):
            return match.group(0)
        kind, key, label = reference_kind(match.group(1)), match.group(2), match.group(3)
        if kind == "number":
            return number_html(contacts[key], contacts, templates)
        if kind == "contact":
            return contact_html(contacts[key], contacts, templates)
        if kind == "flow":
            href = posixpath.relpath(words.flow_page(key), posixpath.dirname(doc_path) or ".")
            text = label.strip() if label else MARKDOWN_SPECIAL.sub(r"\\\1", flows.get(key, key))
            return f"[{text}]({href})"
        if kind in term_texts.KINDS:
            return term_texts.expand(match.group(0), terms)
        if kind == "chart":
            return "\n\n" + diagram_svg(key) + "\n\n"
        return match.group(0)

    return DIRECTIVE.sub(replace, body)


TASK_BOX = '<span class="task-box" aria-hidden="true"></span>'


def paper_checkboxes(html_text: str) -> str:
    """Checklist items get a drawn box instead of a disabled, unlabeled checkbox.

    The box is for ticking on paper: the site's stylesheet shows it only in print (and the PDFs
    always), and on screen the list is a plain bulleted list. A form control nobody can use only
    confuses; one that works but forgets its ticks when the reader follows a link in the list
    misleads (the flow "Efter en händelse" is the checklist that keeps what is done).
    """
    if 'class="task-list-item"' not in html_text:  # most pages have no checklist: no need to read them
        return html_text
    tags = htmltags.scan(html_text)
    return htmltags.splice(html_text, [
        (item.end, box.end, TASK_BOX) for item, box in zip(tags, tags[1:])
        if item.name == "li" and not item.closing and item.attrs == {"class": "task-list-item"}
        and box.name == "input" and box.attrs in ({"type": "checkbox", "disabled": None}, {"type": "checkbox", "disabled": ""})
        and not html_text[item.end:box.start].strip()])


def source_item(source: dict, t) -> dict:
    """One source for the sources block: its title (a link when it has a safe `url`), then its
    publisher, the day it was adopted and its reference (diarienummer, §), each when given."""
    details = [source["publisher"]]
    if source.get("adopted"):
        details.append(t("sources_adopted", date=t.date(source["adopted"])))
    if source.get("reference"):
        details.append(source["reference"])
    return {"title": source["title"], "url": safe_url(source.get("url")), "details": details}


def sources_footer(meta: dict, sources: dict, t, templates) -> str:
    """The sources and last-reviewed block that closes every page, from `sources.html`
    (`t`: language.Text, `templates`: the site's templates.Templates)."""
    listed = [source_item(sources[key], t) for key in meta.get("sources") or [] if key in sources]
    reviewed = meta.get("reviewed")
    return "\n\n" + templates.render("sources.html", t=t.strings, sources=listed, reviewed=reviewed or None) + "\n"
