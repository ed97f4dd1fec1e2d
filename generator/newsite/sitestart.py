"""`handbok init`: a new site from the starter of its language, ready to check, build, serve and print.

The starter (generator/newsite/starter/<language>/) is a small site of its own: a config, a start page with
the acute box, one page each for before, during and after, a contacts file with the emergency and
non-emergency police numbers and example roles (numbers from the range reserved for fiction), a
sources file and one small flow. The path file of the flow is written from the tree, as by
`handbok paths`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
from pathlib import Path
from string import Template

from generator import trees
from generator.language import strings
from generator.project import Project
from generator.siteconfig import today as site_today
from generator.siteconfig import settings_for
from generator.staging import staging_folder

STARTER_DIR = Path(__file__).resolve().parent / "starter"
LANGUAGES = tuple(sorted(p.name for p in STARTER_DIR.iterdir() if p.is_dir()))
# The starter `handbok init` writes when no language is asked for: the publishers it is made for
# are Swedish organisations. (A site that sets no theme.language is Material's default: language.DEFAULT.)
STARTER_DEFAULT = "sv"
# Only these are filled in; any other `$` in the starter stays as written.
TEXT_SUFFIXES = {".md", ".yml"}


class InitError(Exception):
    """The folder cannot take a new site; the CLI prints the message and exits with 2."""


def init_site(target: Path, language: str, *, site_name: str | None = None,
              organisation: str | None = None, today: dt.date | None = None) -> list[Path]:
    """Write the starter into `target` (new or empty) and return the files written."""
    if language not in LANGUAGES:
        raise InitError(f'no starter in "{language}": choose one of {", ".join(LANGUAGES)}')
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} is not an empty folder: choose a new folder, nothing is overwritten")
    words = strings(language)
    values = {"site_name": words["starter_site_name"], "organisation": words["starter_organisation"],
              "today": (today or site_today()).isoformat()}
    if site_name:
        values["site_name"] = site_name
    if organisation:
        values["organisation"] = organisation
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and moved in only when it passes the check: never half a site.
    staging = staging_folder(target, "init")
    try:
        written = _write_starter(STARTER_DIR / language, staging, values)
        if target.exists():
            target.rmdir()  # empty, checked above
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / path.relative_to(staging) for path in written]


def _write_starter(source: Path, root: Path, values: dict[str, str]) -> list[Path]:
    written = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        out = root / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in TEXT_SUFFIXES:
            out.write_text(Template(path.read_text(encoding="utf-8")).safe_substitute(values), encoding="utf-8")
        else:
            out.write_bytes(path.read_bytes())
        written.append(out)
    settings = dataclasses.replace(settings_for(root), today=dt.date.fromisoformat(values["today"]))
    project = Project.load(settings)
    errors = [p for p in project.report.errors if "path file" not in p.message]  # written just below
    if errors:  # a broken starter is the generator's fault: say so plainly
        raise InitError("the starter does not pass the check: " + "; ".join(p.format() for p in errors))
    return written + trees.write_path_files(root, project.flows, project.settings.trees_dir)
