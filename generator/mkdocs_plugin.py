"""The MkDocs adapter: hands pages and files to the core and nothing more."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from .problems import ContentError
from .project import Project, Settings
from .search import enrich_index

log = logging.getLogger("mkdocs.plugins.tryggt")


class TryggtConfig(Config):
    trees_dir = opt.Type(str, default="decision_trees")
    contacts_file = opt.Type(str, default="content/kontakter.yml")
    sources_file = opt.Type(str, default="content/kallor.yml")
    data_dir = opt.Type(str, default="content/data")
    max_review_age_days = opt.Type(int, default=365)


class TryggtPlugin(BasePlugin[TryggtConfig]):
    project: Project | None = None

    def on_config(self, config):
        root = os.path.dirname(os.path.abspath(config.config_file_path))
        settings = Settings(
            root=Path(root),
            docs_dir=os.path.relpath(config.docs_dir, root),
            trees_dir=self.config.trees_dir,
            contacts_file=self.config.contacts_file,
            sources_file=self.config.sources_file,
            data_dir=self.config.data_dir,
            max_review_age_days=self.config.max_review_age_days,
        )
        self.project = Project.load(settings)
        for problem in self.project.report.warnings:
            log.warning(problem.format())
        try:
            self.project.raise_for_errors()
        except ContentError as exc:
            raise PluginError(f"the content has {len(exc.problems)} error(s):\n{exc}") from None
        config.extra["acute"] = self.project.acute_call()
        return config

    def on_serve(self, server, *, config, builder):
        # Trees, data and theme live outside docs_dir or are not pages: reload on them too.
        for folder in (self.config.trees_dir, "theme"):
            path = os.path.join(os.path.dirname(config.config_file_path), folder)
            if os.path.isdir(path):
                server.watch(path)
        return server

    def on_files(self, files: Files, *, config) -> Files:
        for file in list(files):
            if file.is_documentation_page() or not file.abs_src_path:
                continue
            if self.project.is_data_file(file.src_uri):
                files.remove(file)
        for path, text in self.project.generated_pages().items():
            files.append(File.generated(config, path, content=text))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        markdown = self.project.render_page_markdown(page.file.src_uri, markdown)
        return markdown + self.project.sources_footer(page.meta)

    def on_page_content(self, html, *, page, config, files):
        return self.project.render_page_html(html)

    @event_priority(-50)  # after the search plugin wrote its index, before offline inlines it
    def on_post_build(self, *, config):
        path = os.path.join(config.site_dir, "search", "search_index.json")
        if not os.path.isfile(path):
            return
        with open(path, encoding="utf-8") as f:
            index = json.load(f)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(enrich_index(index), f, ensure_ascii=False, separators=(",", ":"))
