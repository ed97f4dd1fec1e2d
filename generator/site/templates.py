"""The generator's HTML: Jinja2 templates a site overrides one file at a time, as Material's partials.

Every piece of markup the core makes (flow pages, the contacts page, charts, the error page of
`serve`, the printed handbook and pocket card) is a template under `theme/tryggt/` (installed as
`generator.theme`). They are looked up as Material looks up its own: first in the site's
`theme.custom_dir`, then in the package, so `overrides/tryggt/flow/outcome.html` in a site
replaces the packaged outcome box on its pages and in its PDF. docs/mallar.md lists each template
and its context.

Autoescaping is on for every template, so a value from a tree, the contacts or the language file
is text wherever it lands; the only markup passed in is what the core generates (SVG geometry,
pages already converted from Markdown), marked with `Markup`. Undefined names are errors, so an
override that misspells a context key fails the build instead of printing nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import hashlib
import re
import sys

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.theme import THEME_DIR

__all__ = ["Templates", "Markup", "around", "escape", "TEMPLATE_FOLDER", "template_names"]

# Inside the theme folder (and a site's custom_dir): the generator's own templates, apart from
# Material's overrides (main.html, partials/) that MkDocs renders.
TEMPLATE_FOLDER = "tryggt"


def template_names() -> list[str]:
    """Every packaged template, as a site names it to override it (tryggt/flow/outcome.html)."""
    root = THEME_DIR / TEMPLATE_FOLDER
    return sorted(f"{TEMPLATE_FOLDER}/{path.relative_to(root).as_posix()}" for path in root.rglob("*.html"))


class _SearchPath(FileSystemLoader):
    """The folders in order, the first that has a template giving it, as a ChoiceLoader of them would;
    but a template stays up to date only while no folder before its own has one of that name, so a
    site's override saved while `handbok serve` runs replaces the packaged template at once."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        found = Path(filename).resolve()
        earlier = []
        for folder in map(Path, self.searchpath):
            if found.is_relative_to(folder.resolve()):
                break
            earlier.append(folder / template)
        return source, filename, lambda: uptodate() and not any(path.is_file() for path in earlier)


@lru_cache(maxsize=None)
def _environment(custom_dir: str | None) -> Environment:
    folders = [custom_dir] if custom_dir else []
    environment = Environment(
        loader=_SearchPath([*folders, str(THEME_DIR)]),
        autoescape=True,
        undefined=StrictUndefined,
        # A tag alone on its line leaves no line behind: the flow block must have no blank lines.
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # The flow's data block keeps the tree's key order and its text readable (tojson escapes <, >, &, ').
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    environment.bytecode_cache = bytecode_cache(environment, "tryggt")
    return environment


# What Jinja reads when it compiles a template, beside the template's own text (which its cache checks).
COMPILE_OPTIONS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                   "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                   "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
                   "is_async", "finalize", "autoescape")


def bytecode_cache(environment: Environment, label: str) -> FileSystemBytecodeCache | None:
    """The compiled templates of `environment`, kept in the runtime's cache folder between builds
    (compiling them was a seventh of a build in the profile, benchmarks/profile.py). Jinja checks
    each template's text; the folder is named by everything else that changes the compiled code:
    the environment's options, its filters and tests (how each is called), Jinja and Python."""
    from generator.runtime import cache_dir

    def called(functions: dict) -> list:
        return sorted((name, repr(getattr(f, "jinja_pass_arg", None))) for name, f in functions.items())

    options = [(name, getattr(environment, name, None)) for name in COMPILE_OPTIONS]
    described = repr((jinja2.__version__, sys.version, options, sorted(environment.extensions),
                      called(environment.filters), called(environment.tests)))
    key = hashlib.sha256(re.sub(r" at 0x[0-9a-f]+", "", described).encode()).hexdigest()[:16]
    folder = cache_dir() / "jinja" / f"{label}-{key}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # no cache: the templates are compiled each time
    return FileSystemBytecodeCache(str(folder))


class Templates:
    """The templates of one site: its custom_dir (a folder, or None) before the packaged ones."""

    def __init__(self, custom_dir: Path | None = None):
        self.custom_dir = Path(custom_dir).resolve() if custom_dir else None
        self.environment = _environment(str(self.custom_dir) if self.custom_dir else None)

    def render(self, name: str, **context) -> str:
        """The template `tryggt/<name>` filled with `context`."""
        return self.environment.get_template(f"{TEMPLATE_FOLDER}/{name}").render(**context)



def around(words: str, placeholder: str) -> tuple[str, str]:
    """The words before and after a placeholder ("Ring {number}." -> ("Ring ", ".")), so that a
    template puts markup (a link) where the language's sentence has the placeholder."""
    before, found, after = words.partition(placeholder)
    return (before, after) if found else (words, "")
