"""The MkDocs side of `handbok export`: hands the export what the `tryggt` plugin hands MkDocs.

Added to a build's plugins by the CLI, after `tryggt`, so its hooks see the pages and files as the
plugin left them (the events run in the order the plugins were added); generator/newsite/export.py
writes them."""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from generator.newsite.export import Export, site_files

NAME = "tryggt-export"


class ExportHooks(BasePlugin):
    def __init__(self, export: Export):
        super().__init__()
        self.export = export

    @event_priority(-100)  # after every other plugin has added its files
    def on_files(self, files, *, config):
        others = {f.src_uri: f for f in files if not f.is_documentation_page()}
        sources = [(uri, Path(f.abs_src_path) if f.abs_src_path else None) for uri, f in others.items()]
        for uri, source in site_files(sources, config.theme.dirs):
            self.export.file(uri, source, None if source else others[uri].content_bytes)
        return files

    @event_priority(-100)  # the Markdown as the plugin leaves it
    def on_page_markdown(self, markdown, *, page, config, files):
        self.export.page(page.file.src_uri, dict(page.meta), markdown)
        return markdown

    def on_post_build(self, *, config):
        self.export.finish(dict(config.extra))


def add_to(config, export: Export) -> None:
    """Put the export's hooks into a loaded MkDocs config, after the plugins it names."""
    config.plugins[NAME] = ExportHooks(export)
