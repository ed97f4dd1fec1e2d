"""The smallest proof that part of the `tryggt` plugin runs inside Zensical (issue 28, item 4).

Zensical 0.0.73 runs no third-party MkDocs plugin (its config.py drops every plugin it does not
know), and its own module system is not open to other modules yet; but it renders each page with
Python-Markdown and the site's `markdown_extensions`, and tells an extension which page it renders
(zensical.extensions.context). So the plugin's page step, the references of a page expanded and
its sources listed (Project.render_page_markdown, sources_footer), runs there as a Markdown
extension:

    markdown_extensions:
      - generator.zensical_pages:
          root: .        # the site's folder, where its mkdocs.yml is

What has no such place is the rest of the plugin: the flow and contacts pages it adds, the files
(Pyodide, the engine, the PDFs), the theme on the template path, `extra`, and the search index's
compound parts. docs/zensical.md says so; `handbok export` is the way until Zensical has modules.
"""

from __future__ import annotations

from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor


class TryggtPages(Extension):
    def __init__(self, **kwargs):
        self.config = {"root": [".", "the site's folder, where its mkdocs.yml is"]}
        super().__init__(**kwargs)
        self.project = None

    def loaded(self):
        """The site, loaded once for every page of the build."""
        if self.project is None:
            from generator.project import Project
            from generator.siteconfig import settings_for

            self.project = Project.load(settings_for(Path(self.getConfig("root"))))
        return self.project

    def extendMarkdown(self, md):
        md.preprocessors.register(PagePreprocessor(md, self), "tryggt_pages", 40)  # before the other extensions


class PagePreprocessor(Preprocessor):
    def __init__(self, md, extension: TryggtPages):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        from zensical.extensions.context import ContextPreprocessor

        context = ContextPreprocessor.from_markdown(self.md)
        if context is None:  # not under Zensical
            return lines
        project = self.extension.loaded()
        text = project.render_page_markdown(context.page.path, "\n".join(lines))
        return (text + project.sources_footer(context.page.meta)).split("\n")


def makeExtension(**kwargs):  # noqa: N802  (Python-Markdown's name)
    return TryggtPages(**kwargs)
