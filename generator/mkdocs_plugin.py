"""The MkDocs adapter: hands pages and files to the core and nothing more."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import posixpath
import re
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from generator import language, pdf
from generator.pdf.cache import cached_pdf
from generator.site import htmltags
from generator.site.csp import add_policy_meta
from generator.site.errorpage import render_error_page
from generator.site.templates import bytecode_cache
from generator.site.templates import Templates
from generator.language import Text
from generator.firstscreen import FirstScreen
from generator.options import OPTIONS, Option
from generator.problems import ContentError, Problem, Report
from generator.project import Project
from generator.siteconfig import today
from generator.siteconfig import ConfigError, settings_for
from generator.theme import THEME_DIR
from generator.runtime import Runtime, load_runtime
from generator.search import enrich_index

log = logging.getLogger("mkdocs.plugins.tryggt")
# Scripts before Material's own: the iframe-worker shim (search from file://, without inline script),
# the hold on the search index until the reader turns to search, and the patch of the site's
# language when the theme has one (search-LANGUAGE.js: it stems the query terms as the index is stemmed).
SHIM = "assets/javascripts/iframe-worker/shim.js"
LAZY_SEARCH = "assets/javascripts/search-lazy.js"
SEARCH_QUERY = "assets/javascripts/search-query.js"
# Material's own stylesheets: each page carries the rules it uses, and these load late.
LATE_SHEETS = re.compile(r"(^|/)assets/stylesheets/(main|palette)\.[0-9a-f]+\.min\.css$")


def _theme_file(dirs: list[str], uri: str) -> str | None:
    """The text of a theme file, from the first theme folder that has it."""
    found = [Path(d, uri) for d in dirs if Path(d, uri).is_file()]
    return found[0].read_text(encoding="utf-8") if found else None


def _mkdocs_option(option: Option):
    """An option of the one schema (generator/options.py) as MkDocs declares and checks it."""
    if option.kind is list:
        return opt.ListOfItems(opt.Type(str), default=list(option.default or []))
    if option.default is None:
        return opt.Optional(opt.Type(option.kind))
    return opt.Type(option.kind, default=option.default)


# MkDocs checks the options as it loads mkdocs.yml; the core reads them again, with their lines
# (generator/siteconfig.py), with the base's underneath. docs/installningar.md describes each one.
TryggtConfig = type("TryggtConfig", (Config,), {option.name: _mkdocs_option(option) for option in OPTIONS})


class TryggtPlugin(BasePlugin[TryggtConfig]):
    project: Project | None = None
    preloaded: Project | None = None
    runtime: Runtime | None = None
    serving = False
    # While serving with content errors: the problems, and the pages that show them instead.
    problems: list[Problem] = []
    error_pages: list[str] = []
    printed: dict[str, bytes] = {}

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    @event_priority(100)  # before Material's offline plugin, which adds a CDN shim unless one is listed
    def on_config(self, config):
        self._add_theme(config)
        self.first_screen = FirstScreen(lambda uri: _theme_file(config.theme.dirs, uri))  # anew each build
        root = os.path.dirname(os.path.abspath(config.config_file_path))
        try:
            # The same reading of mkdocs.yml as `handbok`'s (with a base's settings underneath);
            # TRYGGT_TODAY when set, as for `handbok`.
            settings = dataclasses.replace(settings_for(Path(root)), today=today())
        except (ValueError, ConfigError) as exc:
            raise PluginError(str(exc)) from None
        if config.nav is None and settings.nav_tree is not None:  # inherited from the base
            config.nav = settings.nav_tree
        # `handbok build` has loaded and checked the same project already: no second load.
        preloaded, self.preloaded = self.preloaded, None
        self.project = preloaded if preloaded is not None and preloaded.settings == settings else Project.load(settings)
        self.problems = []
        for problem in self.project.report.warnings:
            log.warning(problem.format())
        try:
            self.project.raise_for_errors()
        except ContentError as exc:
            if self.serving:  # the preview keeps running and shows the errors in place of the site
                return self._show_errors(config, exc.problems)
            raise PluginError(f"the content has {len(exc.problems)} error(s):\n{exc}") from None
        self.runtime = None
        if self.project.flows:
            try:
                self.runtime = load_runtime(*(layer.root for layer in reversed(settings.layers())),
                                            fast_start=settings.precompiled_stdlib,
                                            snapshot=settings.snapshot, warn=log.warning)
            except ContentError as exc:
                if self.serving:  # as with content errors: the preview shows what to fix
                    return self._show_errors(config, exc.problems)
                raise PluginError(f"the flows' runtime cannot be built:\n{exc}") from None
        config.extra["acute"] = self.project.acute_call()
        config.extra["ui"] = self.project.text.strings  # the theme's words, in the site's language
        config.extra["acute_flow"] = (self.project.words.flow_page(settings.acute_flow).removesuffix(".md") + ".html"
                                      if settings.acute_flow else None)
        config.extra["quick_exit"] = settings.quick_exit_url or self.project.text("quick_exit_url")
        config.extra["flow_runtime"] = self.runtime.page_attributes() if self.runtime else None
        return config

    @staticmethod
    def _add_theme(config) -> None:
        """The packaged theme after the site's own custom_dir and before Material's: a site overrides
        any of its files by one of the same name; its scripts and styles are copied like Material's."""
        dirs = config.theme.dirs
        if str(THEME_DIR) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        polyfills = config.extra.get("polyfills") or []
        own_search = f"assets/javascripts/search-{config.theme.get('language') or language.DEFAULT}.js"
        for script in [SHIM, LAZY_SEARCH] + ([SEARCH_QUERY, own_search] if (THEME_DIR / own_search).is_file() else []):
            if script not in polyfills:
                polyfills.append(script)
        config.extra["polyfills"] = polyfills

    def _show_errors(self, config, problems: list[Problem]):
        self.problems = problems
        log.error(f"the content has {len(problems)} error(s); the preview shows them until they are fixed")
        for problem in problems:
            log.error(problem.format())
        config.nav = []  # the pages are left out of this build: a nav of them would only add warnings
        return config

    def on_env(self, env, *, config, files):
        env.bytecode_cache = bytecode_cache(env, "mkdocs")  # Material's templates compiled once, not every build
        return env

    def on_serve(self, server, *, config, builder):
        # Trees, data and theme live outside docs_dir or are not pages: reload on them too.
        settings = self.project.settings if self.project is not None else None
        for name in ((settings.trees_dir, settings.contacts_file, settings.sources_file, settings.terms_file,
                      settings.data_dir) if settings else ()):
            path = os.path.join(os.path.dirname(config.config_file_path), name)
            if os.path.exists(path):
                server.watch(path)
        if self.project is not None:  # a local site: its base's files change what it shows too
            for layer in self.project.settings.layers()[:-1]:
                for name in (layer.docs_dir, layer.trees_dir):
                    if layer.path(name).is_dir():
                        server.watch(str(layer.path(name)))
        server.watch(str(THEME_DIR))  # in a source checkout the packaged theme is edited too
        return server

    def on_files(self, files: Files, *, config) -> Files:
        if self.problems:
            # Every page the site would have shows the errors, so a reader's tab reloads to the fix.
            pages = [f.src_uri for f in files if f.is_documentation_page()] + self.project.generated_page_names()
            self.error_pages = sorted({File.generated(config, page, content="").dest_uri for page in pages} | {"404.html"})
            return Files([f for f in files if not f.is_documentation_page()])
        for file in list(files):
            if file.is_documentation_page() or not file.abs_src_path:
                continue
            if self.project.is_data_file(file.src_uri):
                files.remove(file)
        self._add_base_files(files, config)
        attributes = self.runtime.page_attributes() if self.runtime else None
        for path, text in self.project.generated_pages(attributes).items():
            files.append(File.generated(config, path, content=text))
        if self.runtime:
            for path, source in self.runtime.files().items():
                files.append(File.generated(config, path, abs_src_path=str(source)))
            files.append(File.generated(config, self.runtime.engine_path, content=self.runtime.engine_bytes))
        self.printed = self._printed(config) if self._printing() else {}
        for name, data in self.printed.items():
            files.append(File.generated(config, name, content=data))
        return files

    def _printing(self) -> bool:
        # The site's setting (a base's, for a local site), and this build's: `handbok build --no-pdf`
        # turns the plugin's own option off; never while serving, where every reload would wait.
        return self.project.settings.pdf and self.config.pdf and not self.serving

    def _add_base_files(self, files: Files, config) -> None:
        """A local site's pages and other files that come from its base (a file of the site's own
        folder at the same path has replaced the base's already)."""
        project = self.project
        for doc_path, path in project.page_files.items():
            if files.get_file_from_path(doc_path) is None:
                files.append(File.generated(config, doc_path, abs_src_path=str(path)))
        excluded = set(project.settings.exclude_pages)
        data = project.settings.data_files()
        for layer in project.settings.layers()[:-1]:
            docs = layer.path(layer.docs_dir)
            for path in sorted(p for p in docs.rglob("*") if p.is_file() and p.suffix != ".md"):
                uri = path.relative_to(docs).as_posix()
                if path not in data and uri not in excluded and files.get_file_from_path(uri) is None:
                    files.append(File.generated(config, uri, abs_src_path=str(path)))

    def _printed(self, config) -> dict[str, bytes]:
        extensions = [{name: config.mdx_configs.get(name)} for name in config.markdown_extensions]
        book = pdf.Book(self.project, config.nav, extensions, config.site_name, self.project.settings.organisation)
        try:
            printed = {pdf.HANDBOOK_FILE: cached_pdf(book)[0]}  # made again only when an input changed
        except pdf.PdfError as exc:
            raise PluginError(f"{pdf.HANDBOOK_FILE} cannot be made: {exc}") from None
        if not self.project.settings.pocket_pages:  # a site without a pocket card
            return printed
        fit = Report()  # a card past its two pages: a warning for each page that does not fit (strict: an error)
        try:
            printed[pdf.POCKET_FILE] = cached_pdf(book, pocket=True, report=fit)[0]
        except pdf.PdfError as exc:  # a site without the acute page still gets its handbook
            log.warning(f"no {pdf.POCKET_FILE}: {exc}")
        for problem in fit.problems:
            log.warning(problem.format())
        return printed

    def on_page_markdown(self, markdown, *, page, config, files):
        page.meta.update(self.project.reader_meta(page.file.src_uri))  # the title and description with their terms
        markdown = self.project.render_page_markdown(page.file.src_uri, markdown)
        if self.printed and page.file.src_uri == pdf.START_PAGE:
            markdown += pdf.download_links(list(self.printed), self.project.text)
        markdown += self.project.sources_footer(page.meta)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        return self.project.render_page_html(html)

    def on_post_page(self, output, *, page, config):
        # Material leaves out the toc toggle on a section's index page (navigation.indexes) while
        # its toc title still says for="__toc": a label for nothing, so drop the reference (only
        # pages without the toggle are read again).
        if 'id="__toc"' not in output:
            output = htmltags.without_dangling_labels(output)
        output = self.first_screen.apply(output, lambda href: self._late_sheet(page.file.url, href))
        if page.meta.get("flow") and self.runtime:
            return add_policy_meta(output)
        return output

    @staticmethod
    def _late_sheet(page_url: str, href: str) -> str | None:
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(page_url), href))
        return uri if LATE_SHEETS.search(uri) else None

    @event_priority(-50)  # after the search plugin wrote its index, before offline inlines it
    def on_post_build(self, *, config):
        if self.problems:
            page = (render_error_page(self.problems, self.project.templates, self.project.text) if self.project is not None
                    else render_error_page(self.problems, Templates(None), Text(config.theme.get("language") or language.DEFAULT)))
            for uri in self.error_pages:
                os.makedirs(os.path.dirname(os.path.join(config.site_dir, uri)), exist_ok=True)
                with open(os.path.join(config.site_dir, uri), "w", encoding="utf-8") as f:
                    f.write(page)
            return
        path = os.path.join(config.site_dir, "search", "search_index.json")
        if not self.project.words.split_compounds or not os.path.isfile(path):
            return
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(enrich_index(index), f, ensure_ascii=False, separators=(",", ":"))
