"""The `tryggt` plugin's options in mkdocs.yml: the one schema, read by `handbok` and by the plugin.

Each option is declared here once, with its type and default; `siteconfig` checks a site's options
against it (an error names the line in mkdocs.yml), and the MkDocs plugin builds its config class
from it, so the two cannot drift. docs/installningar.md describes every option.
Knows nothing of MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Option:
    name: str
    kind: type                  # str, int, bool, list (of str) or dict
    default: Any = None         # None: not set (the core decides, e.g. from the site's language)
    optional: bool = True       # may be left out, or written empty

    def problem(self, value: Any) -> str | None:
        """Why `value` cannot be this option's, or None when it can."""
        if value is None and self.optional:
            return None
        expected = {str: "a text", int: "a whole number", bool: "true or false", list: "a list of texts",
                    dict: "a mapping of names to lists of pages"}[self.kind]
        if self.kind is int and isinstance(value, bool) or not isinstance(value, self.kind):
            return f"{self.name} takes {expected}, not {describe(value)}"
        if self.kind is list and not all(isinstance(item, str) for item in value):
            return f"{self.name} takes {expected}: every item a text"
        return None


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        return f'the text "{value}"' if len(value) < 40 else "a text"
    return {int: "a number", float: "a number", list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


OPTIONS = (
    # Where a site's own files are; the data files' default names come from the site's language.
    Option("trees_dir", str, "decision_trees"),
    Option("contacts_file", str),
    Option("sources_file", str),
    Option("terms_file", str),
    Option("data_dir", str),
    Option("max_review_age_days", int, 365),
    # The site contract: what differs between sites.
    Option("emergency_contact", str),
    Option("acute_flow", str),
    Option("pocket_pages", list, []),
    Option("organisation", str, ""),
    Option("contacts_page_sources", list, []),
    Option("calling_code", str),   # e.g. "+46": numbers written 0… get it in their tel: link
    Option("quick_exit_url", str),  # None: the everyday page of the site's language
    # A local site on a base: the base's folder, its pages left out, its own pages in the base's nav.
    Option("base", str),
    Option("exclude_pages", list, []),
    Option("add_to_nav", dict, {}),
    # The flows' runtime and the printed files (generator/runtime.py, generator/pdf/).
    Option("precompiled_stdlib", bool, True),
    Option("snapshot", bool, False),
    Option("pdf", bool, True),
)
BY_NAME = {option.name: option for option in OPTIONS}
