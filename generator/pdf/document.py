"""The printed documents as HTML: the handbook and the pocket card, from the core's pages.

Pages come from `generator.project.Project` exactly as the site gets them (references expanded,
flows in their static form with their diagrams, the generated contacts page), converted with the
same Markdown extensions as the site, in navigation order, each with its ids prefixed so that the
pages can share one document. Links between pages become links inside the document. Knows
nothing of MkDocs: the caller hands over the navigation and the Markdown extensions as plain data.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from generator.pdf.paperhtml import URL_REFERENCE, breakable_spaces, sliced_svgs
from generator.site import htmltags
from generator.site.content import split_front_matter
from generator.language import Vocabulary
from generator.project import START_PAGE, Project  # the start page: its title and description make the cover
from generator.site.templates import Markup, Templates

if TYPE_CHECKING:
    from generator.pdf import Book

HANDBOOK_FILE = "handbok.pdf"

# MkDocs adds these to every site's extensions; the PDF converts pages the same way.
MKDOCS_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]


class PdfError(Exception):
    """A problem that stops a PDF; the message names the file to fix."""


@dataclass
class Entry:
    """One page of the navigation, or one section with the pages under it."""

    title: str
    level: int
    doc_path: str | None = None                # None for a section
    children: list["Entry"] = field(default_factory=list)


# --- navigation ----------------------------------------------------------------------------


def default_nav(authored: list[str], generated: list[str]) -> list[str]:
    """Without a `nav`, MkDocs lists every page: the start page, the others by path, then the generated ones."""
    authored = sorted(authored, key=lambda doc: (doc != START_PAGE, doc))
    return authored + sorted(set(generated) - set(authored))


def nav_entries(nav: list, level: int = 1) -> list[Entry]:
    """The navigation as a tree of entries; titles of pages are filled in later from the pages."""
    entries = []
    for item in nav or []:
        if isinstance(item, str):
            entries.append(Entry("", level, item))
            continue
        if not isinstance(item, dict) or len(item) != 1:
            raise PdfError(f"mkdocs.yml: cannot read the navigation entry {item!r}: "
                           "write `- page.md`, `- Title: page.md` or `- Section:` with pages under it")
        (title, value), = item.items()
        if isinstance(value, list):
            entries.append(Entry(str(title), level, None, nav_entries(value, level + 1)))
        elif isinstance(value, str) and not urlsplit(value).scheme:
            entries.append(Entry(str(title), level, value))
        # a link to another website in the navigation has no page to print
    return entries


def _pages_in(entries: list[Entry]) -> list[Entry]:
    return [page for entry in entries
            for page in ([entry] if entry.doc_path else _pages_in(entry.children))]


def anchor_for(doc_path: str, words: Vocabulary) -> str:
    """The id of a page inside the PDF, after the language's word for a page: a/b.md -> page-a-b."""
    stem = doc_path[:-3] if doc_path.endswith(".md") else doc_path
    return f"{words.ids['page']}-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


# --- pages -----------------------------------------------------------------------------------


@dataclass
class Page:
    doc_path: str
    meta: dict
    markdown: str


def load_page(project: Project, doc_path: str, generated: dict[str, str]) -> Page:
    """A navigation page as the site renders it: authored, or generated (flows, contacts)."""
    if doc_path in project.pages:
        page = project.pages[doc_path]
        return Page(doc_path, page.meta, project.render_page_markdown(doc_path, page.body))
    if doc_path in generated:
        meta, body, _, problems = split_front_matter(generated[doc_path], doc_path)
        if meta is None:
            raise PdfError(f"{doc_path}: the generated page has no front matter: {problems[0].message}")
        return Page(doc_path, dict(meta), body)
    docs = project.settings.docs_dir
    raise PdfError(f"mkdocs.yml: the navigation lists {doc_path!r}, but {docs}/{doc_path} does not exist: "
                   f"create the page or remove it from `nav`")


def markdown_converter(extensions: list):
    """A Markdown converter with the site's extensions (names or {name: options}, as in mkdocs.yml)."""
    import markdown

    names, configs = list(MKDOCS_BUILTIN_EXTENSIONS), {}
    for item in extensions or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        if options:
            configs[name] = options
    try:
        return markdown.Markdown(extensions=names, extension_configs=configs)
    except (ImportError, TypeError, KeyError, ValueError) as exc:
        raise PdfError(f"mkdocs.yml: a Markdown extension cannot be loaded: {exc}") from None


ID_LISTS = {"aria-labelledby", "aria-describedby", "for"}
POINTER_END = re.compile(r"[.!?:]$")


class PageHtml:
    """One page's HTML made to live inside a single document.

    Every id gets the page's prefix (the same heading text on two pages must not clash), links
    to other pages in the document point at their anchors, links to anything else that is not a
    web address lose their link (paper cannot follow them), and images become file URLs that
    must exist inside the content folder. The HTML is read with html.parser (generator.site.htmltags):
    only the tags and links that change are written anew.
    """

    def __init__(self, page: Page, body: str, anchors: dict[str, str], docs_dir: Path, display_dir: str,
                 font_family: str, templates: Templates):
        self.page = page
        self.templates = templates
        self.font_family = font_family
        self.prefix = anchors[page.doc_path]
        self.anchors = anchors
        self.docs_dir = docs_dir
        self.display = f"{display_dir}/{page.doc_path}"
        self.html = body

    def localise(self, drop_pointers: bool = False) -> str:
        self.tags = htmltags.scan(self.html)
        headings = self._headings_of_sections()
        edits, inside = [], None  # inside: the end of a link whose whole span is replaced
        for index, tag in enumerate(self.tags):
            if inside is not None and tag.start < inside:
                continue
            inside = None
            if tag.name == "a" and not tag.closing and tag.attrs.get("href") is not None:
                end = self._end_of_link(index)
                if end is not None:
                    edit = self._link(index, end, headings, drop_pointers)
                    if edit[:2] != (tag.start, tag.end):
                        inside = edit[1]
                    edits.append(edit)
                    continue
            if not tag.closing:
                edits.append((tag.start, tag.end, self._tag(tag)))
        text = htmltags.splice(self.html, edits)
        return self._without_empty_paragraphs(text) if drop_pointers else text

    def _headings_of_sections(self) -> dict[str, str]:
        """Element id -> id of the heading that labels it, so a printed reference can quote the heading."""
        labelled = {}
        for tag in self.tags:
            label = tag.get("aria-labelledby").split()
            if "id" in tag.attrs and len(label) == 1:
                labelled[tag.get("id")] = label[0]
        return labelled

    def _end_of_link(self, index: int) -> int | None:
        return next((i for i in range(index + 1, len(self.tags)) if self.tags[i].closing and self.tags[i].name == "a"), None)

    def _local(self, fragment: str) -> str:
        return f"{self.prefix}--{fragment}"

    def _inner(self, index: int, end: int) -> str:
        """The link's content, its own tags localised."""
        tags = self.tags[index + 1:end]
        return htmltags.splice(self.html, [(t.start, t.end, self._tag(t)) for t in tags if not t.closing],
                               self.tags[index].end, self.tags[end].start)

    def _link(self, index: int, end: int, headings: dict[str, str], drop_pointers: bool) -> tuple[int, int, str]:
        """The edit of one link: its start tag, or the whole link when paper shows it as text or not at all."""
        tag, close = self.tags[index], self.tags[end]
        href = tag.get("href")
        parts = urlsplit(href)
        added, values = "", {}
        if parts.scheme or parts.netloc:
            shown = "".join(self.html[a.end:b.start] for a, b in zip(self.tags[index:end], self.tags[index + 1:end + 1])).strip()
            plain = re.sub(r"^(https?://|mailto:)|/$", "", href)
            if parts.scheme in ("http", "https", "mailto") and shown not in (href, plain):
                added = ' data-print-url=""'   # paper cannot follow the link: print the address
        elif not parts.path:
            values["href"] = "#" + self._local(headings.get(unquote(parts.fragment), unquote(parts.fragment)))
        else:
            doc = posixpath.normpath(posixpath.join(posixpath.dirname(self.page.doc_path), unquote(parts.path)))
            if doc.endswith(".html"):  # a flow's text links to another flow's built page
                doc = doc[:-len(".html")] + ".md"
            if doc not in self.anchors:
                if drop_pointers and self._is_pointer(index, end):
                    return tag.start, close.end, ""
                # The link's content is the page's own HTML: kept as markup.
                return tag.start, close.end, self.templates.render("pdf/elsewhere.html", content=Markup(self._inner(index, end)))
            values["href"] = "#" + self.anchors[doc] + (f"--{unquote(parts.fragment)}" if parts.fragment else "")
            added = ' data-page-ref=""'
        return tag.start, tag.end, self._tag(tag, values, added)

    def _is_pointer(self, index: int, end: int) -> bool:
        """A link to another page that stands as its own sentence or paragraph ("Mer om ...")."""
        before = self.tags[index - 1] if index else None
        text = self.html[before.end if before else 0:self.tags[index].start].strip()
        starts = POINTER_END.search(text) if text else before and not before.closing and before.name in ("p", "li")
        after = self.tags[end + 1] if end + 1 < len(self.tags) else None
        return bool(starts and after and after.closing and after.name in ("p", "li")
                    and not self.html[self.tags[end].end:after.start].strip())

    @staticmethod
    def _without_empty_paragraphs(text: str) -> str:
        """The text without the paragraphs a dropped pointer left empty (and any other empty one)."""
        tags = htmltags.scan(text)
        return htmltags.splice(text, [(tag.start, close.end, "") for tag, close in zip(tags, tags[1:])
                                      if text[tag.start:tag.end] == "<p>" and close.closing and close.name == "p"
                                      and not text[tag.end:close.start].strip()])

    def _tag(self, tag: htmltags.Tag, values: dict[str, str] | None = None, added: str = "") -> str:
        """A start tag with its ids prefixed, its image's file URL and the handbook's font."""
        values = dict(values or {})
        for key, value in tag.attrs.items():
            if value is None or key in values:
                continue
            if key == "id":
                values[key] = self._local(value)
            elif key in ID_LISTS:
                values[key] = " ".join(self._local(v) for v in value.split())
            elif key == "src" and tag.name == "img":
                values[key] = self._image(value)
            elif "url(#" in value:  # SVG references (markers, gradients) follow their prefixed ids
                values[key] = URL_REFERENCE.sub(lambda r: f"url(#{self._local(r.group(1))})", value)
            elif key == "font-family" and "system-ui" in value:
                values[key] = self.font_family  # the screen's font on screen; the handbook's on paper
        if not values and not added:
            return self.html[tag.start:tag.end]
        return htmltags.retag(self.html, tag, values, added)

    def _image(self, src: str) -> str:
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return src  # the URL fetcher refuses it, with a message naming it
        path = (self.docs_dir / posixpath.dirname(self.page.doc_path) / unquote(parts.path)).resolve()
        if not path.is_relative_to(self.docs_dir.resolve()):
            raise PdfError(f"{self.display}: the image {src!r} is outside the content folder: "
                           "put the image in the content folder and link to it from there")
        try:
            with path.open("rb") as image:
                image.read(1)
        except OSError as exc:
            raise PdfError(f"{self.display}: cannot read the image {src!r} ({exc.strerror}): "
                           "check the file name and that the file exists") from None
        return path.as_uri()


# --- the documents ------------------------------------------------------------------------


class Assembler:
    """Turns the navigation's pages into one HTML document (the handbook or the pocket card)."""

    def __init__(self, book: Book):
        self.book = book
        self.project = book.project
        self.generated = self.project.generated_pages()
        self.converter = markdown_converter(book.markdown_extensions)
        self.docs_dir = self.project.settings.path(self.project.settings.docs_dir)

    def page_html(self, page: Page, anchors: dict[str, str], *, sources: bool = True,
                  drop_pointers: bool = False) -> str:
        self.converter.reset()
        markdown = page.markdown + (self.project.sources_footer(page.meta) if sources else "")
        body = sliced_svgs(self.project.render_page_html(self.converter.convert(markdown)))
        families = ", ".join(f"'{family}'" for family in dict.fromkeys(font[0] for font in self.book.fonts))
        return breakable_spaces(PageHtml(page, body, anchors, self.docs_dir, self.project.settings.docs_dir,
                                           f"{families}, sans-serif", self.project.templates).localise(drop_pointers))

    def title(self) -> str:
        """The title of the site's own start page; on a local site that takes its start page from
        its base, the site's own name (site_name), never the base's title."""
        start = self.project.pages.get(START_PAGE)
        own = start.meta.get("title") if start and not self.project.inherited(START_PAGE) else None
        return own or self.book.site_name or self.project.text("pdf_default_title")

    def head(self, title: str, description: str) -> dict:
        today = self.project.settings.today.isoformat()
        return {"lang": self.project.text("lang"), "title": title, "author": self.book.organisation or self.book.site_name,
                "description": description, "date": today}

    # The handbook ------------------------------------------------------------------------

    def handbook(self) -> str:
        nav = self.book.nav if self.book.nav is not None else default_nav(list(self.project.pages), list(self.generated))
        entries = nav_entries(nav)
        pages = _pages_in(entries)
        if not pages:
            raise PdfError("mkdocs.yml: the navigation (`nav`) lists no pages: list the pages to print")
        loaded = {entry.doc_path: load_page(self.project, entry.doc_path, self.generated) for entry in pages}
        for entry in pages:
            entry.title = str(loaded[entry.doc_path].meta.get("title") or entry.title or entry.doc_path)
        anchors = {doc: anchor_for(doc, self.project.words) for doc in loaded}
        title = self.title()
        start = self.project.pages.get(START_PAGE)
        lead = (start.meta.get("description") if start else "") or ""
        return self.project.templates.render(
            "pdf/handbook.html", head=self.head(title, lead), cover=self.cover(title, lead),
            contents={"title": self.project.text("pdf_contents"), "entries": self.contents(entries, anchors)},
            chapters=self.chapters(entries, loaded, anchors)) + "\n"

    def cover(self, title: str, lead: str) -> dict:
        acute = self.project.acute_call()
        t = self.project.text
        kicker = self.book.site_name or t("pdf_default_title")
        return {"kicker": kicker if kicker != title else "", "title": title, "lead": lead,
                "acute_words": t("pdf_cover_acute"), "acute_number": acute["number"] if acute else None,
                "organisation": self.book.organisation, "published": t("pdf_published", date=t.date(self.project.settings.today))}

    def contents(self, entries: list[Entry], anchors: dict[str, str]) -> list[dict]:
        """The entries of the table of contents; a section links its first page, or its own title."""
        out = []
        for entry in entries:
            if entry.doc_path:
                out.append({"section": False, "href": f"#{anchors[entry.doc_path]}", "title": entry.title, "children": []})
                continue
            first, rest = self._section_start(entry)
            target = anchors[first.doc_path] if first else f"{self.project.words.ids['part']}-{_slug(entry.title)}"
            out.append({"section": True, "href": f"#{target}", "title": entry.title, "children": self.contents(rest, anchors)})
        return out

    @staticmethod
    def _section_start(section: Entry) -> tuple[Entry | None, list[Entry]]:
        """A section's index page (when it carries the section's own title) and the entries after it."""
        first = section.children[0] if section.children else None
        if first is not None and first.doc_path and first.title == section.title:
            return first, section.children[1:]
        return None, section.children

    def chapters(self, entries: list[Entry], loaded: dict[str, Page], anchors: dict[str, str]) -> list[dict]:
        out = []
        for entry in entries:
            if entry.doc_path:
                out.append(self.article(loaded[entry.doc_path], anchors, entry.level, opens=entry.level == 1))
                continue
            first, rest = self._section_start(entry)
            if first:
                out.append(self.article(loaded[first.doc_path], anchors, entry.level, opens=True, section=True))
            else:
                out.append({"part": entry.title, "id": f"{self.project.words.ids['part']}-{_slug(entry.title)}", "classes": "", "body": ""})
            out += self.chapters(rest, loaded, anchors)
        return out

    def article(self, page: Page, anchors: dict[str, str], level: int, *, opens: bool, section: bool = False) -> dict:
        """One page; `section` when it opens a section and carries the section's title."""
        classes = ["page", f"level-{min(level, 3)}"]
        if opens:
            classes.append("opens")
        if section:
            classes.append("section-opener")
        if 'class="flow"' in page.markdown:
            classes.append("flow-page")
        # The page's HTML comes from its Markdown (already escaped where it holds text): markup to keep.
        return {"part": None, "id": anchors[page.doc_path], "classes": " ".join(classes),
                "body": Markup(self.page_html(page, anchors))}

    # The pocket card ---------------------------------------------------------------------

    def pocket(self) -> str:
        """The acute steps and the checklist after an incident, with every contact, on two pages."""
        chosen = [*self.project.settings.pocket_pages, self.project.words.contacts_page_path]
        docs = self.project.settings.docs_dir
        if len(chosen) == 1:
            raise PdfError("the pocket card has no pages: list them under `pocket_pages:` of the tryggt plugin in mkdocs.yml")
        for doc in chosen:
            if doc not in self.project.pages and doc not in self.generated:
                raise PdfError(f"{docs}/{doc} does not exist: the pocket card is made of the pages under `pocket_pages:` "
                               f"in mkdocs.yml ({', '.join(chosen[:-1])}) and the contacts; create the page or change the setting")
        loaded = {doc: load_page(self.project, doc, self.generated) for doc in chosen}
        anchors = {doc: anchor_for(doc, self.project.words) for doc in chosen}
        title = self.title()
        t = self.project.text
        cards = [{"id": anchors[doc], "body": Markup(self.page_html(loaded[doc], anchors, sources=False, drop_pointers=True))}
                 for doc in chosen]
        origin = ", ".join(filter(None, [self.book.organisation, t.date(self.project.settings.today)]))
        return self.project.templates.render(
            "pdf/pocket.html", head=self.head(t("pocket_title", title=title), t("pocket_description")), cards=cards,
            origin=t("pocket_origin", title=title, origin=origin, file=HANDBOOK_FILE)) + "\n"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9åäö]+", "-", text.lower()).strip("-")
