"""The build-time core: load everything a site is made of, check it, and render pages.

Knows nothing of MkDocs: the plugin and the CLI call `Project.load` and use its results.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from generator.site import charts, content, sources as source_files
from generator import terms as term_texts, trees
from generator.site.contacts import contacts_page, load_contacts, tel_uri
from generator.language import Text, Vocabulary
from generator.siteconfig import Settings
from generator.problems import ContentError, Problem, Report, did_you_mean
from generator.site.templates import Templates, escape

START_PAGE = "index.md"
# An admonition's opening line (`!!! tip "Title"`): its kinds. The pocket card leaves out tips (pdf/fickkort.css).
ADMONITION = re.compile(r"^[ \t]*!!! ?([\w-]+(?: +[\w-]+)*)")
POCKET_LEFT_OUT = "tip"


@dataclass
class Project:
    settings: Settings
    report: Report
    contacts: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    terms: dict[str, dict] = field(default_factory=dict)  # key -> {text, file, line}
    pages: dict[str, content.Page] = field(default_factory=dict)
    charts: dict[str, dict] = field(default_factory=dict)
    flows: dict[str, dict] = field(default_factory=dict)
    # Symbolic links that lead out of their folder: reported, and never read.
    outside: set[Path] = field(default_factory=set)
    # Where each page's file is (a local site's pages may come from its base).
    page_files: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Settings) -> "Project":
        """Load and check everything; every problem lands in `report`, nothing raises."""
        project = cls(settings, Report())
        project._check_symlinks()
        project._load_sources()
        project._load_terms()
        project._load_contacts()
        project._load_charts()
        project._load_pages()
        project._load_flows()
        project._check_usage()
        project._check_excluded_links()
        project._note_inherited_terms()
        project._check_linked()
        project._check_settings()
        project._note_pocket_tips()
        return project

    def raise_for_errors(self) -> None:
        if self.report.errors:
            raise ContentError(self.report.errors)

    # --- loading -------------------------------------------------------------------------

    def display(self, path: Path) -> str:
        """A file's name in messages: relative to this site's folder, also for a base's files
        (../base/content/page.md), so that the root joined with it is the file again."""
        return Path(os.path.relpath(path, self.settings.root)).as_posix()

    def _rebased(self, problems: list[Problem], layer: Settings) -> list[Problem]:
        if layer is self.settings:
            return problems
        return [dataclasses.replace(p, path=self.display(layer.path(p.path))) for p in problems]

    def _check_symlinks(self) -> None:
        """A symbolic link out of the content or trees folder would make the build publish (and
        the check read) any file of the machine, such as ../../etc/passwd: refuse it."""
        for settings in self.settings.layers():
            folders = [settings.path(name) for name in (settings.docs_dir, settings.trees_dir, settings.data_dir)]
            folders = [f for f in folders if f.is_dir() and not any(other in f.parents for other in folders)]
            for folder in dict.fromkeys(folders):
                real = folder.resolve()
                for directory, subfolders, files in os.walk(folder):
                    for name in sorted(subfolders + files):
                        self._refuse_link_out(Path(directory, name), real, folder, settings.root)
            for name in (settings.contacts_file, settings.sources_file, settings.terms_file):
                path = settings.path(name)
                if not any(folder in path.parents for folder in folders):
                    self._refuse_link_out(path, settings.root.resolve(), settings.root, settings.root)

    def _refuse_link_out(self, path: Path, real_folder: Path, folder: Path, root: Path) -> None:
        if not path.is_symlink() or path.resolve().is_relative_to(real_folder):
            return
        self.outside.add(path)
        shown = self.display(folder) + "/" if folder != root else "the project folder"
        kind = "folder" if path.is_dir() else "file"
        self.report.error(self.display(path), 1,
                          f'the {kind} is a symbolic link to "{path.resolve().as_posix()}", outside {shown}',
                          f"copy the {kind} into {shown} instead of linking to it: nothing outside is read or published")

    def _optional(self, layer: Settings, path: Path) -> bool:
        """A local site may leave out a data file its base has: it inherits the base's."""
        return layer is not self.settings.layers()[0] and not path.exists()

    def _load_contacts(self) -> None:
        for layer in self.settings.layers():
            path = layer.path(layer.contacts_file)
            if path in self.outside or self._optional(layer, path):
                continue
            self._merge("contact", self.contacts, path, *load_contacts(path, self.display(path)))
        for contact in self.contacts.values():  # every call link of the site, with its calling code
            contact["tel_uri"] = tel_uri(contact.get("phone"), self.settings.calling_code)

    def _merge(self, kind: str, merged: dict[str, dict], path: Path, found: dict[str, dict], problems: list) -> None:
        """A layer's contacts, sources or terms over those of the layers beneath: by key, with a note
        where one replaces another."""
        self.report.extend(problems)
        for key, entry in found.items():
            entry["file"] = self.display(path)
            if key in merged:
                before = merged[key]
                self.report.note(entry["file"], entry["line"], f'{kind} "{key}" replaces the one in {before["file"]}:{before["line"]}')
            merged[key] = entry

    def _load_sources(self) -> None:
        for layer in self.settings.layers():
            path = layer.path(layer.sources_file)
            if path not in self.outside and not self._optional(layer, path):
                self._merge("source", self.sources, path, *source_files.load_sources(path, self.display(path)))

    def _load_terms(self) -> None:
        """The terms of every layer, merged by key; a site without a terms file has none."""
        for layer in self.settings.layers():
            path = layer.path(layer.terms_file)
            if path not in self.outside and path.exists():
                self._merge("term", self.terms, path, *term_texts.load_terms(path, self.display(path)))

    def term_values(self) -> dict[str, str]:
        return {key: term["text"] for key, term in self.terms.items()}

    def _load_charts(self) -> None:
        for layer in self.settings.layers():
            data_dir = layer.path(layer.data_dir)
            for path in sorted(data_dir.glob("*.yml")) if data_dir.is_dir() else []:
                if path in self.outside:
                    continue
                chart, problems = charts.load_chart(path, self.display(path))
                self.report.extend(problems)
                if chart:
                    self.charts[path.stem] = chart

    def _load_pages(self) -> None:
        """The pages of every layer; a page of a nearer layer replaces the one at the same path,
        and the pages under `exclude_pages` are left out of the site."""
        chosen: dict[str, tuple[Settings, Path]] = {}
        for layer in self.settings.layers():
            docs = layer.path(layer.docs_dir)
            for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
                doc_path = path.relative_to(docs).as_posix()
                if doc_path in chosen:
                    self.report.note(self.display(path), 1, f"replaces the page {self.display(chosen[doc_path][1])}")
                chosen[doc_path] = (layer, path)
        for doc_path in self.settings.exclude_pages:
            if chosen.pop(doc_path, None) is None:
                self.report.error("mkdocs.yml", 1, f'exclude_pages names "{doc_path}", which is no page of the site or its base',
                                  "use a page's path in the base's content folder, such as section/page.md")
        generated = self.generated_page_names()
        flow_ids = {path.stem for layer in self.settings.layers() for path in trees.tree_files(layer.root, layer.trees_dir)}
        for doc_path, (layer, path) in chosen.items():
            if path in self.outside or self._refuse_generated_path(doc_path, path, generated):
                continue
            docs = layer.path(layer.docs_dir)
            page, problems = content.load_page(path, layer.root, docs, self.sources, self.settings.today,
                                               self.settings.max_review_age_days, self.words, self.settings.sources_file)
            self.report.extend(self._rebased(problems, layer))
            if page:
                page.path = self.display(path)
                self.report.extend(content.check_references(page, self.contacts, set(self.charts), flow_ids,
                                                            self.term_values(), self.settings))
                page.meta.update({key: term_texts.expand(page.meta[key], self.term_values())
                                  for key in ("title", "description") if isinstance(page.meta.get(key), str)})
                self.pages[page.doc_path] = page
                self.page_files[page.doc_path] = path

    def _refuse_generated_path(self, doc_path: str, path: Path, generated: list[str]) -> bool:
        """A page at a path the generator writes itself (the contacts page, a flow's page) would be
        replaced by the generated one without a word: an error at the page's file."""
        if doc_path not in generated:
            return False
        if doc_path == self.words.contacts_page_path:
            source = self.settings.contacts_file
            what, fix = "the contacts page", (f"put the contacts in {source} (name, phone, when); for words of your own "
                                              "about them, move this page to another path and link to it")
        else:
            source = next(self.display(tree) for layer in reversed(self.settings.layers())
                          for tree in trees.tree_files(layer.root, layer.trees_dir) if self.words.flow_page(tree.stem) == doc_path)
            what, fix = "the flow's page", (f"move this page to a path outside {self.words.flows_folder}/ and link to the flow from it, "
                                            f"or give the flow another id (its file name in {self.settings.trees_dir}/)")
        self.report.error(self.display(path), 1, f"the generator writes {what} {doc_path} itself, from {source}: "
                          "this page would be replaced by it and never shown", fix)
        return True

    def _load_flows(self) -> None:
        """The flows of every layer; a tree of a nearer layer replaces the one with the same id."""
        # Every flow of the site by id, the nearest layer's file winning: a tree may link any of them.
        files = {path.stem: path for layer in self.settings.layers()
                 for path in trees.tree_files(layer.root, layer.trees_dir)}
        for layer in self.settings.layers():
            replaced = {p for p in trees.tree_files(layer.root, layer.trees_dir) if files[p.stem] != p}
            flows, problems = trees.load_trees(layer.root, self.contacts, set(self.sources), layer.trees_dir,
                                               self.settings.today, self.settings.max_review_age_days,
                                               set(self.outside) | replaced, files, self.term_values(),
                                               words=self.words, data_files=self.data_file_names())
            self.report.extend(self._rebased(problems, layer))
            self.flows.update(flows)
            if flows and not any(p.is_error and p.path.startswith(layer.trees_dir) for p in problems):
                self.report.extend(self._rebased(trees.stale_path_files(layer.root, flows, layer.trees_dir), layer))

    def inherited(self, doc_path: str) -> bool:
        """True for a page a local site takes from its base (not a file of its own)."""
        own = self.settings.path(self.settings.docs_dir)
        return doc_path in self.page_files and own not in self.page_files[doc_path].parents

    def pages_linking_to(self, doc_path: str) -> list[tuple[str, int, int]]:
        """Where the site's pages link to the page `doc_path` (docs-relative): (file, line, column),
        for a publisher deciding whether a page can be left out."""
        return sorted((page.path, line, column) for page in self.pages.values()
                      for target, line, column, _ in page.link_places if target == doc_path)

    def _check_excluded_links(self) -> None:
        """A link to a page `exclude_pages` leaves out: an inline link in a page of the base is shown as
        its text (a note); in a page of the site's own, or written as a reference ([text][name]), an error."""
        excluded = set(self.settings.exclude_pages)
        for page in self.pages.values():
            inherited = self.inherited(page.doc_path)
            for target, line, column, inline in page.link_places:
                if target not in excluded:
                    continue
                if inherited and inline:
                    self.report.note(page.path, line, f"the link to {target} is shown as its text: `exclude_pages` leaves "
                                     "the page out of this site", column)
                    continue
                fix = (f"replace the page with one of this site's own at {page.doc_path}, or keep {target}: a link "
                       "written as a reference ([text][name]) cannot be shown as its text" if inherited
                       else f"link to another page, or remove {target} from `exclude_pages`")
                self.report.error(page.path, line, f'the page links to {target}, which `exclude_pages` leaves out of this site',
                                  fix, column)

    def _note_inherited_terms(self) -> None:
        """A local site that does not set a term its base uses: a note naming the pages that use it."""
        if self.settings.base is None:
            return
        uses = {doc: {key for kind, key, *_ in page.directives if kind in term_texts.KINDS} for doc, page in self.pages.items()}
        flow_files = {path.stem: path for layer in self.settings.layers() for path in trees.tree_files(layer.root, layer.trees_dir)}
        uses.update({self.words.flow_page(flow_id): term_texts.used_in(path) for flow_id, path in flow_files.items()})
        own = self.display(self.settings.path(self.settings.terms_file))
        self.report.extend(term_texts.inherited_notes(self.terms, own, uses))

    def _check_usage(self) -> None:
        used = {key for page in self.pages.values() for kind, key, *_ in page.directives if kind in ("number", "contact")}
        used |= {c["via"] for c in self.contacts.values() if c.get("via")}
        for flow in self.flows.values():
            used.update(flow.get("acute") or [])
            used |= trees.contacts_used(flow)
        used.add(self.emergency_key() or "")  # the strip and the header call it
        for key, contact in self.contacts.items():
            if key not in used:
                self.report.warning(contact["file"], contact["line"], f'contact "{key}" is not used by any page or flow',
                                    f"reference it with [[{self.words.references['contact']}:KEY]] or remove it")

    def _check_settings(self) -> None:
        """Every setting of the site contract names something that exists (docs/installningar.md)."""
        config = "mkdocs.yml"

        def line_of(option: str) -> int:
            return self.settings.option_lines.get(option, 1)

        s = self.settings
        if s.emergency_contact and s.emergency_contact not in self.contacts:
            self.report.error(config, line_of("emergency_contact"), f'emergency_contact "{s.emergency_contact}" is not a contact'
                              f"{did_you_mean(s.emergency_contact, self.contacts)}", f"use a key of {s.contacts_file}")
        elif self.contacts and not self.acute_call():
            self.report.warning(config, line_of("emergency_contact") if s.emergency_contact else 1,
                                "no emergency number: the acute strip and the header's call link are left out",
                                "give the emergency contact a `phone:` (for example 112), or set `emergency_contact:` under the tryggt plugin")
        if s.acute_flow and s.acute_flow not in self.flows and not (self.settings.path(s.trees_dir) / f"{s.acute_flow}.yml").is_file():
            self.report.error(config, line_of("acute_flow"), f'acute_flow "{s.acute_flow}" is not a flow'
                              f"{did_you_mean(s.acute_flow, self.flows)}", f"use the id of a flow in {s.trees_dir}/")
        for page in s.pocket_pages:
            if page not in self.pages:
                self.report.error(config, line_of("pocket_pages"), f'pocket_pages names "{page}", which is not a page'
                                  f"{did_you_mean(page, self.pages)}", f"use a path under {s.docs_dir}/, for example index.md")
        for key in s.contacts_page_sources:
            if key not in self.sources:
                self.report.error(config, line_of("contacts_page_sources"), f'contacts_page_sources names unknown source "{key}"'
                                  f"{did_you_mean(key, self.sources)}", f"use a key of {s.sources_file}")

    def _note_pocket_tips(self) -> None:
        """The pocket card prints all of its pages but their tips: say so at each tip's line."""
        for doc_path in dict.fromkeys(self.settings.pocket_pages):
            page = self.pages.get(doc_path)
            for number, line in enumerate(page.body.split("\n") if page else [], page.body_line if page else 0):
                found = ADMONITION.match(line)
                if found and POCKET_LEFT_OUT in found.group(1).lower().split():
                    self.report.note(page.path, number, "the pocket card (pocket_pages) leaves out this tip: a tip is for "
                                     "reading at leisure, the card keeps what to do and whom to call; to print it on the "
                                     "card too, make it a note (`!!! note`)")

    def _check_linked(self) -> None:
        """Warn about pages and flows a reader cannot reach: no page links to them and the nav does not list them."""
        if self.settings.nav is None:  # MkDocs puts every page in the navigation
            return
        linked = set(self.settings.nav)
        linked.update(link for page in self.pages.values() for link in page.links if link != page.doc_path)
        fix = "add it to `nav:` in mkdocs.yml, or link to it from another page with [text](path/to/page.md)"
        for doc_path, page in self.pages.items():
            if doc_path != START_PAGE and doc_path not in linked:
                self.report.warning(page.path, 1, "no page links to this page and the navigation does not list it", fix)
        for flow_id in self.flows:
            doc_path = self.words.flow_page(flow_id)
            if doc_path not in linked:
                self.report.warning(f"{self.settings.trees_dir}/{flow_id}.yml", 1,
                                    f"no page links to the flow's page {doc_path} and the navigation does not list it",
                                    fix.replace("path/to/page.md", doc_path))

    # --- rendering -------------------------------------------------------------------------

    def is_data_file(self, docs_relative: str) -> bool:
        path = self.settings.path(self.settings.docs_dir) / docs_relative
        return path in self.settings.data_files()

    def render_page_markdown(self, doc_path: str, markdown: str) -> str:
        """A page's Markdown with references expanded (authored pages only)."""
        if doc_path not in self.pages:
            return markdown
        left_out = set(self.settings.exclude_pages)
        if left_out and self.inherited(doc_path):  # the base's links to pages this site leaves out: their text
            markdown = content.unlink(markdown, doc_path, left_out)
        return content.expand_references(markdown, self.contacts, self.chart_svg, doc_path,
                                         {key: flow["title"] for key, flow in self.flows.items()}, self.term_values(),
                                         self.words, self.templates)

    def reader_meta(self, doc_path: str) -> dict:
        """A page's title and description as the reader sees them (its terms replaced)."""
        page = self.pages.get(doc_path)
        return {key: page.meta[key] for key in ("title", "description") if key in page.meta} if page else {}

    def render_page_html(self, html_text: str) -> str:
        return content.paper_checkboxes(html_text)

    def sources_footer(self, meta: dict) -> str:
        return content.sources_footer(meta, self.sources, self.text, self.templates)

    @cached_property
    def templates(self) -> Templates:
        """The generator's HTML templates, the site's custom_dir before the packaged ones."""
        return Templates(self.settings.path(self.settings.custom_dir) if self.settings.custom_dir else None)

    @cached_property
    def text(self) -> Text:
        """The reader's interface in the site's language (generator/languages/)."""
        return Text(self.settings.language)

    def data_file_names(self) -> dict[str, str]:
        """The site's data files as the messages name them, by what they hold."""
        s = self.settings
        return {"contact": s.contacts_file, "source": s.sources_file, "term": s.terms_file}

    @property
    def words(self) -> Vocabulary:
        """The site's vocabulary: its folders', pages' and files' names, ids and reference words."""
        return self.text.words

    def emergency_key(self) -> str | None:
        """The contact of the emergency number: the setting, else the contact whose number is 112."""
        if self.settings.emergency_contact:
            return self.settings.emergency_contact
        return next((key for key, c in self.contacts.items() if (c.get("phone") or "").replace(" ", "") == "112"), None)

    def acute_call(self) -> dict | None:
        """The emergency number for the strip and the header on every page, from the contacts file."""
        contact = self.contacts.get(self.emergency_key() or "")
        if not contact or not contact.get("phone"):
            return None
        return {"number": contact["phone"], "tel": contact["tel_uri"]}

    def chart_svg(self, name: str) -> str:
        return charts.render_bar_chart(self.charts[name], name, self.templates)

    def generated_page_names(self) -> list[str]:
        """The docs-relative paths of the pages made from data, also for trees that failed to load."""
        stems = {path.stem for layer in self.settings.layers() for path in trees.tree_files(layer.root, layer.trees_dir)}
        return [self.words.contacts_page_path] + [self.words.flow_page(stem) for stem in sorted(stems)]

    def generated_pages(self, runtime_attributes: dict[str, str] | None = None) -> dict[str, str]:
        """Pages made from data: one per flow, and the contacts page. Keyed by docs-relative path.

        `runtime_attributes` (from runtime.Runtime) make the flow pages interactive in a browser."""
        from generator.flowpage.diagram import render_diagram_svg
        from generator.flowpage import render_flow_html

        pages = {self.words.contacts_page_path: self._contacts_page()}
        for flow_id, flow in self.flows.items():
            body = render_flow_html(flow, self.contacts, render_diagram_svg(flow, self.text), runtime_attributes, self.text,
                                    self.templates)
            pages[self.words.flow_page(flow_id)] = (
                "---\n" + json.dumps({"title": flow["title"], "description": flow.get("description") or flow["title"],
                                      "sources": flow.get("sources", []), "reviewed": flow.get("reviewed"),
                                      "flow": flow_id}, ensure_ascii=False)
                + f"\n---\n\n# {escape(flow['title'])}\n\n{body}\n"
            )
        return pages

    def _contacts_page(self) -> str:
        t = self.text
        meta = {"title": t("contacts_title"), "description": t("contacts_description"),
                "sources": [key for key in self.settings.contacts_page_sources if key in self.sources],
                "reviewed": self.settings.today.isoformat()}
        body = contacts_page(self.contacts, self.contacts.get(self.emergency_key() or ""), t, self.templates)
        return f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n\n# {escape(t('contacts_title'))}\n\n{body}\n"
