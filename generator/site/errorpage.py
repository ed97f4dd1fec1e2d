"""The page the preview server shows in place of the site while the content has errors."""

from __future__ import annotations

from generator.language import Text
from generator.problems import Problem
from generator.site.templates import Templates


def render_error_page(problems: list[Problem], templates: Templates, text: Text) -> str:
    """A self-contained HTML page listing every problem as `handbok check` prints it (tryggt/errorpage.html)."""
    by_file: dict[str, list[str]] = {}
    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message)):
        by_file.setdefault(problem.path, []).append(problem.format())
    files = [{"path": path, "problems": found} for path, found in by_file.items()]
    return templates.render("errorpage.html", t=text.strings, count=sum(1 for p in problems if p.is_error), files=files) + "\n"
