"""`handbok export`: the site's complete source as a plain Material for MkDocs project.

Material for MkDocs is in maintenance until May 2027, and its successor ignores third-party
plugins, so a site must be able to leave the `tryggt` plugin behind. The export is written during
a normal build: every page as the plugin hands it to MkDocs (references expanded, sources
listed, flows and the contacts page generated), every file of the site (Pyodide, the engine,
the PDFs, pictures), the theme overrides as the project's own `custom_dir`, and a mkdocs.yml
without the plugin, with what the plugin put into `extra` written out. `mkdocs build` of the
export gives the same pages. What needs a plugin at build time is not in it: the search index's
Swedish compound parts, the paper checkboxes of checklists (plain list items instead) and the
flow pages' Content-Security-Policy meta (give it as a header: `handbok csp`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from generator.theme import THEME_DIR

DOCS = "docs"
OVERRIDES = "overrides"
PLUGIN = "tryggt"


def write_page(export_dir: Path, src_uri: str, meta: dict, markdown: str) -> None:
    target = export_dir / DOCS / src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    front = json.dumps(meta, ensure_ascii=False, default=str)  # JSON is YAML: no tag, no surprise
    target.write_text(f"---\n{front}\n---\n\n{markdown}", encoding="utf-8")


def write_files(export_dir: Path, files, config) -> None:
    """Every file of the site that is not a page and not the theme's: into the export's docs."""
    theme_dirs = [Path(d).resolve() for d in config.theme.dirs]
    for file in files:
        if file.is_documentation_page():
            continue
        source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if source is not None and any(source.is_relative_to(d) for d in theme_dirs):
            continue  # Material's, or the overrides copied below
        target = export_dir / DOCS / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            shutil.copyfile(source, target)
        else:
            target.write_bytes(file.content_bytes)
    shutil.copytree(THEME_DIR, export_dir / OVERRIDES, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))


def write_config(export_dir: Path, config, project) -> None:
    """mkdocs.yml of the export: the site's own, without the plugin, with its results in `extra`."""
    from generator.siteconfig import mkdocs_config

    plain = mkdocs_config(project.settings.root)
    plain["docs_dir"] = DOCS
    plain.pop("site_dir", None)
    plain["theme"] = {**(plain.get("theme") or {}), "custom_dir": OVERRIDES}
    plain["plugins"] = [p for p in plain.get("plugins") or []
                        if p != PLUGIN and not (isinstance(p, dict) and PLUGIN in p)]
    extra = dict(plain.get("extra") or {})
    for key in ("acute", "acute_flow", "quick_exit", "flow_runtime", "polyfills", "ui"):
        extra[key] = config.extra.get(key)
    plain["extra"] = extra
    if project.settings.nav_tree is not None:
        plain["nav"] = project.settings.nav_tree
    (export_dir / "mkdocs.yml").write_text(
        "# Exported by `handbok export`: builds with plain `mkdocs build`, without the tryggt plugin.\n"
        + yaml.safe_dump(plain, allow_unicode=True, sort_keys=False), encoding="utf-8")
