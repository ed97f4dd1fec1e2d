"""Problems found in content are values with a location, never tracebacks."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    fix: str = ""
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else f"{self.path}:1:1"
        text = f"{where}: {self.severity}: {self.message}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


@dataclass
class Report:
    """Collects every problem of a run, so a publisher sees them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int, message: str, fix: str = "", column: int = 1) -> None:
        self.problems.append(Problem(path, line, column, message, fix, "error"))

    def warning(self, path: str, line: int, message: str, fix: str = "", column: int = 1) -> None:
        self.problems.append(Problem(path, line, column, message, fix, "warning"))

    def note(self, path: str, line: int, message: str, column: int = 1) -> None:
        """Not a problem: where a merged value came from, or what a local site does to its base's pages."""
        self.problems.append(Problem(path, line, column, message, "", "note"))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.path, p.line, p.column, p.message))

    def format(self) -> str:
        lines = [p.format() for p in self.sorted()]
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)


class ContentError(Exception):
    """Raised when content has errors that stop a build; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message))
        super().__init__("\n".join(p.format() for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint such as ' (did you mean "next"?)', or '' when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f' (did you mean "{matches[0]}"?)' if matches else ""
