"""A site's settings, read from its mkdocs.yml as plain data: the one reader for the CLI and the plugin.

Knows nothing of MkDocs beyond the file's name and shape. A local site names its base with the
plugin option `base:` (a folder, relative to the site's own) and inherits the base's settings,
its navigation (less the pages under `exclude_pages`, plus those under `add_to_nav`) and, through
Project.load, its pages, flows, contacts, sources and data.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from generator.project import Settings, nav_pages

PLUGIN = "tryggt"
# Options that are settings of the core (the rest of the plugin's options are the adapter's).
CORE_OPTIONS = {f.name for f in dataclasses.fields(Settings)} - {"root", "docs_dir", "nav", "nav_tree", "today", "base", "language", "custom_dir"}


class ConfigError(Exception):
    """The site's configuration cannot be used as it stands; the message says which file and why."""


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its !!python tags (only the plugin's options are needed)."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config(root: Path) -> dict:
    """mkdocs.yml as plain data; empty when it cannot be read."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_LenientLoader)
    except (OSError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def plugin_options(config: dict) -> dict:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and PLUGIN in plugin:
            return plugin[PLUGIN] or {}
    return {}


def settings_for(root: Path, _seen: tuple[Path, ...] = ()) -> Settings:
    """The settings of the site in `root`, with its base's underneath when it names one."""
    root = root.resolve()
    config = mkdocs_config(root)
    options = plugin_options(config)
    base = None
    if options.get("base"):
        base_root = (root / str(options["base"])).resolve()
        if base_root in (root, *_seen):
            raise ConfigError(f"{root / 'mkdocs.yml'}: the base {options['base']} leads back to a site already on the way")
        if not (base_root / "mkdocs.yml").is_file():
            raise ConfigError(f"{root / 'mkdocs.yml'}: the base {options['base']} has no mkdocs.yml "
                              f"(looked in {base_root}): give the folder of the base site, relative to this one")
        base = settings_for(base_root, (*_seen, root))
    # What a base leaves out is its own business; everything else of its settings carries over.
    inherited = {name: getattr(base, name) for name in CORE_OPTIONS - {"exclude_pages"}} if base else {}
    own = {key: value for key, value in options.items() if key in CORE_OPTIONS}
    nav_tree = config.get("nav")
    if nav_tree is None and base is not None:
        nav_tree = merged_nav(base.nav_tree, own.get("exclude_pages") or [], options.get("add_to_nav") or {})
    theme = config.get("theme")
    theme = theme if isinstance(theme, dict) else {}
    language = str(theme.get("language") or "en")  # Material's default
    # Material's search path, which the generator's templates follow: the site's own folder first.
    custom_dir = str(theme["custom_dir"]) if theme.get("custom_dir") else None
    return Settings(root=root, docs_dir=config.get("docs_dir", "docs"), nav=nav_pages(nav_tree), nav_tree=nav_tree,
                    base=base, language=language, custom_dir=custom_dir, **{**inherited, **own})


def merged_nav(base_nav: list | None, excluded: list[str], additions: dict) -> list | None:
    """The base's navigation without the excluded pages, with each section of `additions`
    ({section title: [pages]}) added to the base's section of that title, or as a new section."""
    if base_nav is None:
        return None

    def prune(items: list) -> list:
        kept = []
        for item in items:
            if isinstance(item, dict):
                title, value = next(iter(item.items()))
                if isinstance(value, list):
                    value = prune(value)
                    if value:
                        kept.append({title: value + list(additions.get(title) or [])})
                    continue
                if value in excluded:
                    continue
            elif item in excluded:
                continue
            kept.append(item)
        return kept

    nav = prune(list(base_nav))
    present = {next(iter(item)) for item in nav if isinstance(item, dict)}
    nav += [{title: list(pages)} for title, pages in additions.items() if title not in present]
    return nav
