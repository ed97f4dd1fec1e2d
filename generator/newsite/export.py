"""`handbok export`: the site's complete source as a plain project for Material for MkDocs and Zensical.

Material for MkDocs is in maintenance until May 2027, and its successor, Zensical, runs no third-party
plugin, so a site must be able to leave the `tryggt` plugin behind. `export_site` writes the export
while the site is built once with the plugin (the build is the caller's: this module knows nothing
of MkDocs): every page as the plugin hands it over (references expanded, sources listed, flows and
the contacts page generated), every file of the site (Pyodide, the engine, the PDFs, pictures), the
packaged theme with the site's own `custom_dir` over it as the export's `custom_dir`, and a
mkdocs.yml without the plugin, with what the plugin put into `extra` written out. `mkdocs build`
and `zensical build` of the export give the same pages (docs/zensical.md says what differs). What
needs a plugin at build time is not in it: the search index's Swedish compound parts, the paper
checkboxes of checklists (plain list items instead) and the flow pages' Content-Security-Policy meta
(give it as a header: `handbok csp`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

from generator.project import Project
from generator.siteconfig import PLUGIN
from generator.staging import staging_folder
from generator.theme import THEME_DIR

DOCS = "docs"
OVERRIDES = "overrides"
# What the plugin puts into `extra` during a build, and the theme's templates read.
EXTRA_KEYS = ("acute", "acute_flow", "quick_exit", "flow_runtime", "polyfills", "ui")


class ExportError(Exception):
    """The export cannot be written; the message says why. Nothing was written."""


class Export:
    """The plain project being written into `folder` as the site is built: the build hands over its
    pages, its files and, at the end, the `extra` its templates read."""

    def __init__(self, folder: Path, project: Project):
        self.folder = folder
        self.project = project

    def page(self, src_uri: str, meta: dict, markdown: str) -> None:
        target = self.folder / DOCS / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        front = json.dumps(meta, ensure_ascii=False, default=str)  # JSON is YAML: no tag, no surprise
        target.write_text(f"---\n{front}\n---\n\n{markdown}", encoding="utf-8")

    def file(self, src_uri: str, source: Path | None, content: bytes | None = None) -> None:
        """A file of the site that is not a page: copied from `source`, or written from `content`."""
        target = self.folder / DOCS / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            shutil.copyfile(source, target)
        else:
            target.write_bytes(content or b"")

    def finish(self, extra: dict) -> None:
        """The theme and mkdocs.yml, once every page and file is written."""
        self._write_theme()
        self._write_config(extra)

    def _write_theme(self) -> None:
        """The packaged theme, then the site's own custom_dir over it: as in the build, where the
        site's folder comes first, a file of the site replaces the packaged one of the same name."""
        ignore = shutil.ignore_patterns("__init__.py", "__pycache__")
        shutil.copytree(THEME_DIR, self.folder / OVERRIDES, dirs_exist_ok=True, ignore=ignore)
        settings = self.project.settings
        if settings.custom_dir and settings.path(settings.custom_dir).is_dir():
            shutil.copytree(settings.path(settings.custom_dir), self.folder / OVERRIDES, dirs_exist_ok=True, ignore=ignore)

    def _write_config(self, extra: dict) -> None:
        """mkdocs.yml of the export: the site's own, without the plugin, with its results in `extra`."""
        from generator.siteconfig import mkdocs_config

        settings = self.project.settings
        plain = mkdocs_config(settings.root)
        plain["docs_dir"] = DOCS
        plain.pop("site_dir", None)
        # Zensical's `classic` variant is Material's look, which the theme's styles are written for
        # (its default, `modern`, has a white header the call link and quick exit were not made for);
        # Material for MkDocs ignores the option.
        plain["theme"] = {"variant": "classic", **(plain.get("theme") or {}), "custom_dir": OVERRIDES}
        plain["plugins"] = [p for p in plain.get("plugins") or []
                            if p != PLUGIN and not (isinstance(p, dict) and PLUGIN in p)]
        plain["extra"] = {**(plain.get("extra") or {}), **{key: extra.get(key) for key in EXTRA_KEYS}}
        if settings.nav_tree is not None:
            plain["nav"] = settings.nav_tree
        (self.folder / "mkdocs.yml").write_text(
            "# Exported by `handbok export`: builds with plain `mkdocs build` or `zensical build`, without the tryggt plugin.\n"
            + yaml.safe_dump(plain, allow_unicode=True, sort_keys=False), encoding="utf-8")


def site_files(files: Iterable[tuple[str, Path | None]], theme_dirs: Iterable[str]) -> list[tuple[str, Path | None]]:
    """Of a build's non-page files (site path, source file or None when generated), those of the site:
    not the theme's (Material's, the packaged theme's and the site's custom_dir, all in the export's theme)."""
    folders = [Path(d).resolve() for d in theme_dirs]
    return [(uri, source) for uri, source in files
            if source is None or not any(source.resolve().is_relative_to(d) for d in folders)]


def check_target(target: Path) -> None:
    """ExportError unless `target` is a new or an empty folder: an export overwrites nothing."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"{target} is not an empty folder: nothing is overwritten")


def export_site(project: Project, target: Path, build: Callable[[Export], str | None]) -> None:
    """Write the export of `project` into `target`, a folder that must be new or empty.

    `build(export)` builds the site once, handing the export its pages, files and `extra`; it
    returns None when the build succeeded, else why not. The export is written beside `target`
    and moved in only when complete: on any failure nothing is left (ExportError says why)."""
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(target, "export")
    try:
        failure = build(Export(staging, project))
        if failure is None and not (staging / "mkdocs.yml").is_file():
            failure = "the build did not finish the export"
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if failure is not None:
        shutil.rmtree(staging, ignore_errors=True)
        raise ExportError(failure)
    if target.exists():
        target.rmdir()
    staging.rename(target)
