"""A site's settings, read from its mkdocs.yml: the one reader for the CLI and the plugin.

Knows nothing of MkDocs beyond the file's name and shape. The `tryggt` plugin's options are checked
against their one schema (`generator/options.py`): a value of the wrong type is an error at its line.
A local site names its base with the option `base:` (a folder, relative to the site's own) and
inherits the base's settings, its navigation (less the pages under `exclude_pages`, plus those under
`add_to_nav`) and, through Project.load, its pages, flows, contacts, sources and data.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import language
from generator.options import BY_NAME, OPTIONS

PLUGIN = "tryggt"
TODAY_VARIABLE = "TRYGGT_TODAY"
# What a base leaves out, where it is and how its own pages fit in are its own business; every
# other option carries over to a local site that does not set it.
NOT_INHERITED = {"base", "exclude_pages", "add_to_nav"}


def _default(name: str):
    return BY_NAME[name].default


def today() -> dt.date:
    """The day review dates are measured against: TRYGGT_TODAY (YYYY-MM-DD) when set, so tests
    stay right as the calendar moves on; otherwise today. ValueError on a value that is no date."""
    given = os.environ.get(TODAY_VARIABLE)
    if not given:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(given)
    except ValueError:
        raise ValueError(f"{TODAY_VARIABLE}={given!r} is not a date: write it as YYYY-MM-DD, or unset it") from None


@dataclass(kw_only=True)
class Settings:
    """Every choice of one site, from its mkdocs.yml (generator/siteconfig.py) over its base's: the
    plugin's options (their one schema: generator/options.py; docs/installningar.md) and the theme's
    language and custom_dir. The data files' names are given, from the site's language when unset."""
    root: Path
    language: str                           # theme.language: the reader's interface (generator/languages/)
    docs_dir: str = "docs"
    trees_dir: str = _default("trees_dir")
    contacts_file: str
    sources_file: str
    terms_file: str                         # names that differ between organisations ([[term:KEY]]); optional
    data_dir: str
    max_review_age_days: int = _default("max_review_age_days")
    emergency_contact: str | None = None    # contact key of the emergency number; None: the one whose number is 112
    acute_flow: str | None = None           # flow id linked from the acute strip
    pocket_pages: list[str] = field(default_factory=list)  # pages of the pocket card, before the contacts
    organisation: str = _default("organisation")  # the publisher, on the PDF's cover and footer
    contacts_page_sources: list[str] = field(default_factory=list)  # source keys of the contacts page
    calling_code: str | None = None         # the country's calling code for tel: links ("+46"); None: numbers as written
    quick_exit_url: str | None = None       # None: the everyday page of the site's language
    custom_dir: str | None = None           # theme.custom_dir: the site's templates before the packaged ones (generator/site/templates.py)
    # A local site on a base: the base site's own settings, and the base's pages left out here.
    base: "Settings | None" = None
    exclude_pages: list[str] = field(default_factory=list)
    add_to_nav: dict = field(default_factory=dict)
    precompiled_stdlib: bool = _default("precompiled_stdlib")
    snapshot: bool = _default("snapshot")
    pdf: bool = _default("pdf")
    today: dt.date = field(default_factory=today)
    # The pages listed in MkDocs' `nav` (docs-relative); None when there is no nav and MkDocs lists every page.
    nav: list[str] | None = None
    nav_tree: list | None = None  # the same as written in mkdocs.yml (or as inherited from a base)
    option_lines: dict[str, int] = field(default_factory=dict, compare=False)  # each option's line in mkdocs.yml

    def path(self, relative: str) -> Path:
        return self.root / relative

    def layers(self) -> list["Settings"]:
        """The base sites' settings, the furthest first, then these: the order in which files merge."""
        return [*(self.base.layers() if self.base else []), self]

    def data_files(self) -> set[Path]:
        """Files under the docs folders that are data, not pages or assets of the site."""
        files = set()
        for layer in self.layers():
            files |= {layer.path(layer.contacts_file), layer.path(layer.sources_file), layer.path(layer.terms_file)}
            data_dir = layer.path(layer.data_dir)
            if data_dir.is_dir():
                files.update(data_dir.glob("*.yml"))
        return files


def nav_pages(nav) -> list[str] | None:
    """Every entry of a MkDocs `nav` setting ("Title: page.md", nested sections), flattened."""
    if nav is None:
        return None
    if isinstance(nav, str):
        return [nav]
    found: list[str] = []
    for item in nav.values() if isinstance(nav, dict) else nav:
        found.extend(nav_pages(item) or [])
    return found


class ConfigError(Exception):
    """The site's configuration cannot be used as it stands; the message says which file and why."""


class _LenientLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser where PyYAML has it
    """Reads mkdocs.yml without running its !!python tags (only the plugin's options are needed)."""


def _environment(loader: yaml.SafeLoader, node: yaml.Node):
    """MkDocs' `!ENV NAME` and `!ENV [NAME, OTHER, default]`: the first variable that is set, else the default."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[name] for name in variables if name in os.environ), default)


_LenientLoader.add_constructor("!ENV", _environment)
_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config(root: Path) -> dict:
    """mkdocs.yml as plain data; empty when it cannot be read."""
    try:
        return read_config(root / "mkdocs.yml")[0]
    except ConfigError:
        return {}


def read_config(path: Path) -> tuple[dict, dict[str, int]]:
    """mkdocs.yml as plain data, and the line of each of the plugin's options (1-based)."""
    try:
        loader = _LenientLoader(path.read_text(encoding="utf-8"))
        try:  # one parse: the node tree gives the options' lines, then the data
            root = loader.get_single_node()
            lines = _option_lines(root)
            config = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not YAML that can be read: {getattr(exc, 'problem', None) or exc}") from None
    return (config if isinstance(config, dict) else {}), lines


def _option_lines(root) -> dict[str, int]:
    def value(mapping, key):
        if isinstance(mapping, yaml.MappingNode):
            return next((v for k, v in mapping.value if getattr(k, "value", None) == key), None)
        return None

    plugins = value(root, "plugins")
    for item in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        options = value(item, PLUGIN)
        if isinstance(options, yaml.MappingNode):
            return {k.value: k.start_mark.line + 1 for k, _ in options.value if isinstance(k, yaml.ScalarNode)}
    return {}


def plugin_options(config: dict) -> dict:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and PLUGIN in plugin:
            return plugin[PLUGIN] or {}
    return {}


def checked_options(options: dict, lines: dict[str, int], path: Path) -> dict:
    """The plugin's options that are set, each of its schema's type; ConfigError at the first that is not."""
    if not isinstance(options, dict):
        raise ConfigError(f"{path}: the options of the plugin {PLUGIN} are a mapping (name: value), not {type(options).__name__}")
    for name, value in options.items():
        option = BY_NAME.get(name)
        problem = (f"{PLUGIN} has no option {name!r}: it has {', '.join(o.name for o in OPTIONS)}"
                   if option is None else option.problem(value))
        if problem:
            raise ConfigError(f"{path}:{lines.get(name, 1)}: {problem} (docs/installningar.md)")
    return {name: value for name, value in options.items() if value is not None}


def settings_for(root: Path, _seen: tuple[Path, ...] = ()) -> Settings:
    """The settings of the site in `root`, with its base's underneath when it names one."""
    root = root.resolve()
    path = root / "mkdocs.yml"
    config, lines = read_config(path)
    own = checked_options(plugin_options(config), lines, path)
    base = None
    if own.get("base"):
        base_root = (root / own["base"]).resolve()
        if base_root in (root, *_seen):
            raise ConfigError(f"{path}:{lines['base']}: the base {own['base']} leads back to a site already on the way")
        if not (base_root / "mkdocs.yml").is_file():
            raise ConfigError(f"{path}:{lines['base']}: the base {own['base']} has no mkdocs.yml "
                              f"(looked in {base_root}): give the folder of the base site, relative to this one")
        base = settings_for(base_root, (*_seen, root))
    inherited = {o.name: getattr(base, o.name) for o in OPTIONS if o.name not in NOT_INHERITED} if base else {}
    nav_tree = config.get("nav")
    if nav_tree is None and base is not None:
        nav_tree = merged_nav(base.nav_tree, own.get("exclude_pages") or [], own.get("add_to_nav") or {})
    theme = config.get("theme")
    theme = theme if isinstance(theme, dict) else {}
    code = str(theme.get("language") or language.DEFAULT)
    try:
        words = language.vocabulary(code)
    except language.UnknownLanguage as exc:
        raise ConfigError(f"{path}: {exc}") from None
    docs_dir = str(config.get("docs_dir", "docs"))
    values = {**{o.name: o.default for o in OPTIONS}, **inherited, **own}
    del values["base"]  # the settings hold the base's own settings instead of its folder
    for option in ("contacts_file", "sources_file", "terms_file"):
        values[option] = values[option] or _data_file(root, docs_dir, option, words)
    values["data_dir"] = values["data_dir"] or f"{docs_dir}/data"
    # Material's search path, which the generator's templates follow: the site's own folder first.
    custom_dir = str(theme["custom_dir"]) if theme.get("custom_dir") else None
    return Settings(root=root, docs_dir=docs_dir, nav=nav_pages(nav_tree), nav_tree=nav_tree, base=base, language=code,
                    custom_dir=custom_dir, option_lines=lines, **values)


def _data_file(root: Path, docs_dir: str, option: str, words: language.Vocabulary) -> str:
    """The data file of the site's language in its docs folder; one in another language's name when
    only that one is there (`kontakter.yml` on an English site keeps working)."""
    names = [getattr(words, option)] + [getattr(language.vocabulary(code), option) for code in language.available()]
    return next((f"{docs_dir}/{n}" for n in names if (root / docs_dir / n).is_file()), f"{docs_dir}/{names[0]}")


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
