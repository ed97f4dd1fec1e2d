"""The engine's two exception types."""

from __future__ import annotations


class EngineError(Exception):
    """A malformed compiled tree, an invalid answer, or a tree too large to prove."""


class ExpressionError(EngineError):
    """An `if:` expression that does not parse, or arithmetic out of range.

    `position` is the 0-based character offset into the expression (or None when the
    problem is not tied to one place); the message names it 1-based as "character N".
    """

    def __init__(self, message: str, position: int | None = None, text: str | None = None):
        self.reason = message
        self.position = position
        self.text = text
        if position is not None:
            message = f"{message} at character {position + 1}"
        super().__init__(message)

    @property
    def column(self) -> int | None:
        return None if self.position is None else self.position + 1
