"""Sources: the documents pages and flows are based on, one data file of keys (content/kallor.yml).

Each source has a title and a publisher, and may have a web address (`url`), the day it was
adopted (`adopted`) and its reference (`reference`: a diarienummer, a §); the sources block that
closes each page and the PDF show them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.problems import Problem, did_you_mean
from generator.yamlsource import Node, load_data_file

REQUIRED = ("title", "publisher")
OPTIONAL = ("url", "adopted", "reference")
FIELDS = REQUIRED + OPTIONAL


def load_sources(path: Path, display: str) -> tuple[dict[str, dict], list[Problem]]:
    """The sources of one file (key -> {title, publisher, url, adopted, reference, line}) and every
    problem found in it."""
    data, problems = load_data_file(path, display, "sources")
    if problems:
        return {}, problems
    if not isinstance(data, Node):
        return {}, [Problem(display, 1, 1, "the sources file must list source keys, each with title and publisher",
                            "see the comment at the top of the file")]
    sources = {}
    for key, entry in data.items():
        for name in entry if isinstance(entry, Node) else ():
            if name not in FIELDS:
                problems.append(Problem(display, entry.line_of(name), 1, f'unknown field "{name}" in source "{key}"'
                                        f"{did_you_mean(name, FIELDS)}", f"use only: {', '.join(FIELDS)}"))
        if not isinstance(entry, Node) or not isinstance(entry.get("title"), str) or not isinstance(entry.get("publisher"), str):
            problems.append(Problem(display, data.line_of(key), 1, f'source "{key}" needs a title and a publisher',
                                    "indent `title:` and `publisher:` under the key"))
            continue
        found = _optional_fields(entry, key, display, problems)
        sources[key] = {"title": entry["title"], "publisher": entry["publisher"], **found, "line": data.line_of(key)}
    return sources, problems


def _optional_fields(entry: Node, key: str, display: str, problems: list[Problem]) -> dict:
    url, adopted, reference = entry.get("url"), entry.get("adopted"), entry.get("reference")
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        problems.append(Problem(display, entry.line_of("url"), 1, f'the web address of source "{key}" must start with https://',
                                "write the full address of the document, for example https://example.se/handlingsplan.pdf"))
        url = None
    if adopted is not None and (not isinstance(adopted, dt.date) or isinstance(adopted, dt.datetime)):
        problems.append(Problem(display, entry.line_of("adopted"), 1, f'"adopted" of source "{key}" must be a date like 2025-03-18',
                                "write the day the document was adopted, as YYYY-MM-DD"))
        adopted = None
    if reference is not None and not (isinstance(reference, str) and reference.strip()):
        problems.append(Problem(display, entry.line_of("reference"), 1, f'"reference" of source "{key}" must be text',
                                'write the reference in quotes, for example reference: "Dnr KS 2025/112, § 45"'))
        reference = None
    return {"url": url, "adopted": adopted, "reference": " ".join(reference.split()) if reference else None}
