"""The expression language of routing rules: its grammar, syntax tree and parser.

The tokens come from tokens.py; evaluation.py evaluates a syntax tree against answers.

Nothing here uses Python's own evaluation machinery: the text is split into tokens by a
hand-written tokenizer, parsed by recursive descent into the small AST classes below, and
evaluated by walking that AST. Only what the grammar allows can be expressed:

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum [("==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in") sum]
    sum        := product (("+" | "-") product)*
    product    := unary ("*" unary)*
    unary      := "-" unary | primary
    primary    := INT | STRING | "true" | "false" | NAME
                | FUNC "(" NAME ["," STRING] ")" | "(" expr ")"

Run-time values: None (unanswered), bool, int, str (a choice answer or a literal), list
(a checklist answer), dict (a rating answer). Evaluation never raises on odd answers:
comparisons involving None, unlike types, or a rating answer are false; arithmetic on
anything but integers gives None; counts of unanswered nodes are 0. The one run-time
error is arithmetic out of range (|result| > 10**12), which only literals can cause.
"""

from __future__ import annotations

from collections import namedtuple

from .errors import ExpressionError
from .tokens import COMPARISONS, FUNCTIONS, MAX_DEPTH, Token, _describe, tokenize

FunctionCall = namedtuple("FunctionCall", "function node level position")
FunctionCall.__doc__ = """One allow-listed call: function name, node id, level (or None), position."""

OptionRef = namedtuple("OptionRef", "node value operator position")
OptionRef.__doc__ = """A string compared with a node: `"x" in node`, `node == "x"`, `node != "x"`."""


# --------------------------------------------------------------------------- AST


class Expr:
    """Base class of the AST. `pos` is the 0-based offset where the node starts."""

    __slots__ = ("pos",)

    def children(self) -> tuple:
        return ()

    def walk(self):
        """Every node of the tree, this one first (iterative: no deep recursion)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def names(self) -> set[str]:
        """Every node id the expression refers to (bare names and function arguments)."""
        out = set()
        for node in self.walk():
            if isinstance(node, Name):
                out.add(node.name)
            elif isinstance(node, Call):
                out.add(node.node)
        return out

    def calls(self) -> list[FunctionCall]:
        """Every function call, in source order: (function, node, level or None, position)."""
        return [
            FunctionCall(n.function, n.node, n.level, n.pos)
            for n in self.walk()
            if isinstance(n, Call)
        ]

    def option_refs(self) -> list[OptionRef]:
        """Strings compared with a bare node name, so a checker can verify option ids:
        `"x" in node` / `"x" not in node` and `node == "x"` / `"x" != node`."""
        out = []
        for n in self.walk():
            if not isinstance(n, Compare):
                continue
            left, right = n.left, n.right
            if n.op in ("in", "not in"):
                if isinstance(left, Literal) and isinstance(left.value, str) and isinstance(right, Name):
                    out.append(OptionRef(right.name, left.value, n.op, n.pos))
            elif n.op in ("==", "!="):
                if isinstance(left, Name) and isinstance(right, Literal) and isinstance(right.value, str):
                    out.append(OptionRef(left.name, right.value, n.op, n.pos))
                elif isinstance(right, Name) and isinstance(left, Literal) and isinstance(left.value, str):
                    out.append(OptionRef(right.name, left.value, n.op, n.pos))
        return out

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash((type(self).__name__, self._key()))

    def _key(self):
        return ()


class Literal(Expr):
    __slots__ = ("value",)

    def __init__(self, value, pos: int):
        self.value, self.pos = value, pos

    def _key(self):
        return (type(self.value).__name__, self.value)

    def __repr__(self):
        if self.value is True:
            return "true"
        if self.value is False:
            return "false"
        if isinstance(self.value, str):
            return '"' + self.value + '"' if '"' not in self.value else "'" + self.value + "'"
        return str(self.value)


class Name(Expr):
    __slots__ = ("name",)

    def __init__(self, name: str, pos: int):
        self.name, self.pos = name, pos

    def _key(self):
        return (self.name,)

    def __repr__(self):
        return self.name


class Call(Expr):
    __slots__ = ("function", "node", "level")

    def __init__(self, function: str, node: str, level: str | None, pos: int):
        self.function, self.node, self.level, self.pos = function, node, level, pos

    def _key(self):
        return (self.function, self.node, self.level)

    def __repr__(self):
        args = self.node if self.level is None else f'{self.node}, {Literal(self.level, 0)!r}'
        return f"{self.function}({args})"


class _Unary(Expr):
    __slots__ = ("operand",)

    def __init__(self, operand: Expr, pos: int):
        self.operand, self.pos = operand, pos

    def children(self):
        return (self.operand,)

    def _key(self):
        return (self.operand,)


class Not(_Unary):
    __slots__ = ()

    def __repr__(self):
        return f"(not {self.operand!r})"


class Neg(_Unary):
    __slots__ = ()

    def __repr__(self):
        return f"(-{self.operand!r})"


class Compare(Expr):
    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Expr, right: Expr, pos: int):
        self.op, self.left, self.right, self.pos = op, left, right, pos

    def children(self):
        return (self.left, self.right)

    def _key(self):
        return (self.op, self.left, self.right)

    def __repr__(self):
        return f"({self.left!r} {self.op} {self.right!r})"


class BoolOp(Expr):
    """`and` / `or` over two or more operands (flat, so long chains stay shallow)."""

    __slots__ = ("op", "operands")

    def __init__(self, op: str, operands: list[Expr], pos: int):
        self.op, self.operands, self.pos = op, tuple(operands), pos

    def children(self):
        return self.operands

    def _key(self):
        return (self.op, self.operands)

    def __repr__(self):
        return "(" + f" {self.op} ".join(repr(o) for o in self.operands) + ")"


class Arith(Expr):
    """`first (op operand)*` with op in + - (a sum) or * (a product); left to right."""

    __slots__ = ("first", "rest")

    def __init__(self, first: Expr, rest: list[tuple[str, Expr]], pos: int):
        self.first, self.rest, self.pos = first, tuple(rest), pos

    def children(self):
        return (self.first,) + tuple(e for _, e in self.rest)

    def _key(self):
        return (self.first, self.rest)

    def __repr__(self):
        return "(" + repr(self.first) + "".join(f" {op} {e!r}" for op, e in self.rest) + ")"


# --------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def error(self, message: str, tok: Token | None = None):
        tok = tok or self.tok
        raise ExpressionError(message, tok.pos, self.text)

    def expect(self, kind: str, what: str) -> Token:
        if self.tok.kind != kind:
            self.error(f"expected {what}, found {_describe(self.tok)}")
        return self.advance()

    def enter(self, tok: Token):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.error(f"expression is nested too deeply (more than {MAX_DEPTH} levels)", tok)

    def leave(self):
        self.depth -= 1

    def is_kw(self, word: str, tok: Token | None = None) -> bool:
        tok = tok or self.tok
        return tok.kind == "kw" and tok.value == word

    # grammar
    def parse(self) -> Expr:
        if self.tok.kind == "end":
            self.error("expression is empty")
        expr = self.parse_or()
        if self.tok.kind != "end":
            tok = self.tok
            if tok.kind == "(":
                self.error("only count, atleast and answered can be called", tok)
            self.error(f"unexpected {_describe(tok)}")
        return expr

    def parse_or(self) -> Expr:
        first = self.parse_and()
        operands = [first]
        while self.is_kw("or"):
            self.advance()
            operands.append(self.parse_and())
        return first if len(operands) == 1 else BoolOp("or", operands, first.pos)

    def parse_and(self) -> Expr:
        first = self.parse_not()
        operands = [first]
        while self.is_kw("and"):
            self.advance()
            operands.append(self.parse_not())
        return first if len(operands) == 1 else BoolOp("and", operands, first.pos)

    def parse_not(self) -> Expr:
        if self.is_kw("not"):
            tok = self.advance()
            self.enter(tok)
            operand = self.parse_not()
            self.leave()
            return Not(operand, tok.pos)
        return self.parse_comparison()

    def _comparison_op(self) -> tuple[str, int] | None:
        tok = self.tok
        if tok.kind == "op" and tok.value in COMPARISONS:
            return tok.value, 1
        if self.is_kw("in"):
            return "in", 1
        if self.is_kw("not") and self.is_kw("in", self.peek()):
            return "not in", 2
        return None

    def parse_comparison(self) -> Expr:
        left = self.parse_sum()
        found = self._comparison_op()
        if found is None:
            return left
        op, width = found
        op_tok = self.tok
        for _ in range(width):
            self.advance()
        right = self.parse_sum()
        if self._comparison_op() is not None:
            self.error("comparisons cannot be chained; join them with 'and'")
        return Compare(op, left, right, op_tok.pos)

    def parse_sum(self) -> Expr:
        first = self.parse_product()
        rest = []
        while self.tok.kind == "op" and self.tok.value in ("+", "-"):
            op = self.advance().value
            rest.append((op, self.parse_product()))
        return first if not rest else Arith(first, rest, first.pos)

    def parse_product(self) -> Expr:
        first = self.parse_unary()
        rest = []
        while self.tok.kind == "op" and self.tok.value == "*":
            self.advance()
            rest.append(("*", self.parse_unary()))
        return first if not rest else Arith(first, rest, first.pos)

    def parse_unary(self) -> Expr:
        if self.tok.kind == "op" and self.tok.value == "-":
            tok = self.advance()
            self.enter(tok)
            operand = self.parse_unary()
            self.leave()
            return Neg(operand, tok.pos)
        return self.parse_primary()

    def parse_primary(self) -> Expr:
        tok = self.tok
        if tok.kind == "int":
            self.advance()
            return Literal(tok.value, tok.pos)
        if tok.kind == "str":
            self.advance()
            return Literal(tok.value, tok.pos)
        if self.is_kw("true") or self.is_kw("false"):
            self.advance()
            return Literal(tok.value == "true", tok.pos)
        if tok.kind == "name":
            self.advance()
            if self.tok.kind == "(":
                return self.parse_call(tok)
            return Name(tok.value, tok.pos)
        if tok.kind == "(":
            self.advance()
            self.enter(tok)
            expr = self.parse_or()
            self.leave()
            self.expect(")", "')' to close the '(' at character " + str(tok.pos + 1))
            return expr
        if tok.kind == "end":
            self.error("expression ends too early: expected a value")
        self.error(f"expected a value, found {_describe(tok)}")

    def parse_call(self, name_tok: Token) -> Expr:
        function = name_tok.value
        if function not in FUNCTIONS:
            allowed = ", ".join(sorted(FUNCTIONS))
            self.error(f"unknown function '{function}' (only {allowed} exist)", name_tok)
        low, high = FUNCTIONS[function]
        self.enter(self.tok)
        self.advance()  # (
        arg = self.tok
        if arg.kind != "name":
            self.error(f"{function}() takes a node id as its first argument, found {_describe(arg)}")
        self.advance()
        level = None
        if self.tok.kind == ",":
            if high < 2:
                self.error(f"{function}() takes exactly 1 argument")
            self.advance()
            if self.tok.kind != "str":
                self.error(
                    f"{function}() takes a level as its second argument, in quotes; "
                    f"found {_describe(self.tok)}"
                )
            level = self.advance().value
        elif low == 2:
            self.error(f"{function}() takes 2 arguments: a node id and a level in quotes")
        if self.tok.kind == ",":
            self.error(f"{function}() takes at most {high} argument{'s' if high > 1 else ''}")
        self.expect(")", f"')' to close {function}(")
        self.leave()
        return Call(function, arg.value, level, name_tok.pos)


def parse(text: str) -> Expr:
    """Parse an expression; raise ExpressionError (with `.position`) when it is not valid."""
    return _Parser(text).parse()
