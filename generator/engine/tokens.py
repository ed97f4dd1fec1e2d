"""The tokenizer of the expression language (see expressions.py for the grammar): a hand-written
scanner that knows the allowed characters and says, for anything else, what to write instead."""

from __future__ import annotations

from collections import namedtuple

from .errors import ExpressionError

MAX_LENGTH = 500
MAX_DEPTH = 20
MAX_INT = 1_000_000
MAX_RESULT = 10**12

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
FUNCTIONS = {
    # name: (minimum arguments, maximum arguments); the first is a node id, the second a string
    "count": (1, 2),
    "atleast": (2, 2),
    "answered": (1, 1),
    "filled": (2, 2),  # filled(form, "field"): the reader wrote something / set a yes or no
    "yes": (2, 2),     # yes(form, "field"): a yes/no field answered yes
}
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "not in"})

_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_NAME_CHARS = _NAME_START
_SPACE = frozenset(" \t\r\n")


# --------------------------------------------------------------------------- tokenizer

Token = namedtuple("Token", "kind value pos")
# kinds: "int", "str", "name", "kw", "op", "(", ")", ",", "end"


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "end of expression"
    if tok.kind == "str":
        return f"string {tok.value!r}"
    if tok.kind == "int":
        return f"number {tok.value}"
    if tok.kind == "name":
        return f"name '{tok.value}'"
    return f"'{tok.value}'"


def tokenize(text: str) -> list[Token]:
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}", MAX_LENGTH
        )
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _SPACE:
            i += 1
        elif c in _NAME_START:
            i = _word(text, i, tokens)
        elif c in "\"'":
            end = text.find(c, i + 1)
            if end < 0:
                raise ExpressionError("string is not closed (missing " + c + ")", i)
            tokens.append(Token("str", text[i + 1 : end], i))
            i = end + 1
        else:
            i = _symbol(text, i, tokens)
    tokens.append(Token("end", None, n))
    return tokens


def _word(text: str, start: int, tokens: list[Token]) -> int:
    """A word: [a-z0-9]+ (- [a-z0-9]+)*. A hyphen continues a name only when a letter or digit
    follows it directly, so `a-b` is one name and `a - b` is not. Returns where it ends."""
    i, n = start + 1, len(text)
    while i < n:
        if text[i] in _NAME_CHARS:
            i += 1
        elif text[i] == "-" and i + 1 < n and text[i + 1] in _NAME_CHARS:
            i += 2
        else:
            break
    word = text[start:i]
    if i < n and (text[i].isalpha() or text[i] == "_" or text[i].isdigit()):
        bad = text[i]
        raise ExpressionError(
            f"unknown character {bad!r} in name '{word}{bad}' (names are lowercase "
            "ASCII letters, digits and hyphens)",
            i,
        )
    if word.isdigit():
        digits = word.lstrip("0") or "0"
        if len(digits) > 7 or int(digits) > MAX_INT:
            shown = word if len(word) <= 20 else word[:20] + "..."
            raise ExpressionError(f"number {shown} is too large (the limit is {MAX_INT})", start)
        tokens.append(Token("int", int(digits), start))
    elif word == "lambda":
        raise ExpressionError("'lambda' is not allowed: there are no functions to define", start)
    else:
        tokens.append(Token("kw" if word in KEYWORDS else "name", word, start))
    return i


# Characters that are not operators here, and what to write instead.
_REFUSED = {
    "=": "'=' is not an operator; write '==' to compare",
    "!": "'!' is not an operator; write '!=' or 'not'",
    ".": "'.' is not allowed (no attribute access and no decimal numbers)",
    "[": "'[' is not allowed (no indexing and no lists)",
    "]": "']' is not allowed (no indexing and no lists)",
    "_": "unknown character '_' (names are lowercase letters, digits and hyphens)",
}


def _symbol(text: str, start: int, tokens: list[Token]) -> int:
    """An operator or punctuation at `start`; returns where it ends."""
    c, two = text[start], text[start : start + 2]
    if two == "**":
        raise ExpressionError("'**' is not an operator (there is no exponentiation)", start)
    if two in ("==", "!=", "<=", ">="):
        tokens.append(Token("op", two, start))
        return start + 2
    if c in "<>+-*":
        tokens.append(Token("op", c, start))
        return start + 1
    if c in "(),":
        tokens.append(Token(c, c, start))
        return start + 1
    if c in _REFUSED:
        raise ExpressionError(_REFUSED[c], start)
    if c.isupper():
        raise ExpressionError(
            f"unknown character {c!r} (names and keywords are lowercase: true, false, "
            "and, or, not, in)",
            start,
        )
    raise ExpressionError(f"unknown character {c!r}", start)
