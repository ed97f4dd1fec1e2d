"""The expression language of routing rules: tokenizer, parser, AST and evaluator.

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
}
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "not in"})

_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_NAME_CHARS = _NAME_START
_SPACE = frozenset(" \t\r\n")

FunctionCall = namedtuple("FunctionCall", "function node level position")
FunctionCall.__doc__ = """One allow-listed call: function name, node id, level (or None), position."""

OptionRef = namedtuple("OptionRef", "node value operator position")
OptionRef.__doc__ = """A string compared with a node: `"x" in node`, `node == "x"`, `node != "x"`."""


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
            continue
        start = i
        if c in _NAME_START:
            # a word: [a-z0-9]+ (- [a-z0-9]+)*  -- a hyphen continues a name only when a
            # letter or digit follows it directly, so `a-b` is one name and `a - b` is not
            i += 1
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
                    raise ExpressionError(
                        f"number {shown} is too large (the limit is {MAX_INT})", start
                    )
                tokens.append(Token("int", int(digits), start))
            elif word == "lambda":
                raise ExpressionError("'lambda' is not allowed: there are no functions to define", start)
            elif word in KEYWORDS:
                tokens.append(Token("kw", word, start))
            else:
                tokens.append(Token("name", word, start))
            continue
        if c in "\"'":
            end = text.find(c, i + 1)
            if end < 0:
                raise ExpressionError("string is not closed (missing " + c + ")", start)
            tokens.append(Token("str", text[i + 1 : end], start))
            i = end + 1
            continue
        two = text[i : i + 2]
        if two == "**":
            raise ExpressionError("'**' is not an operator (there is no exponentiation)", start)
        if two in ("==", "!=", "<=", ">="):
            tokens.append(Token("op", two, start))
            i += 2
            continue
        if c in "<>+-*":
            tokens.append(Token("op", c, start))
            i += 1
            continue
        if c in "(),":
            tokens.append(Token(c, c, start))
            i += 1
            continue
        if c == "=":
            raise ExpressionError("'=' is not an operator; write '==' to compare", start)
        if c == "!":
            raise ExpressionError("'!' is not an operator; write '!=' or 'not'", start)
        if c == ".":
            raise ExpressionError(
                "'.' is not allowed (no attribute access and no decimal numbers)", start
            )
        if c in "[]":
            raise ExpressionError(f"{c!r} is not allowed (no indexing and no lists)", start)
        if c == "_":
            raise ExpressionError(
                "unknown character '_' (names are lowercase letters, digits and hyphens)", start
            )
        if c.isupper():
            raise ExpressionError(
                f"unknown character {c!r} (names and keywords are lowercase: true, false, "
                "and, or, not, in)",
                start,
            )
        raise ExpressionError(f"unknown character {c!r}", start)
    tokens.append(Token("end", None, n))
    return tokens


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


# --------------------------------------------------------------------------- evaluator


class FlowInfo:
    """What evaluation needs to know about a tree: the ordered levels of each rating node."""

    __slots__ = ("levels",)

    def __init__(self, levels: dict[str, list[str]] | None = None):
        self.levels = {k: list(v) for k, v in (levels or {}).items()}

    @classmethod
    def from_compiled(cls, compiled) -> "FlowInfo":
        levels = {}
        try:
            scales = compiled.get("scales") or {}
            for node_id, node in (compiled.get("nodes") or {}).items():
                if isinstance(node, dict) and node.get("kind") == "rating":
                    scale = scales.get(node.get("scale")) or []
                    levels[node_id] = [s.get("id") for s in scale if isinstance(s, dict)]
        except AttributeError:
            pass
        return cls(levels)


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "rating"
    return "other"


def _compare(op: str, a, b) -> bool:
    ka, kb = _kind(a), _kind(b)
    if op in ("in", "not in"):
        if ka != "str" or kb != "list":
            return False
        return (a in b) == (op == "in")
    # null, ratings and unknown values are never comparable; unlike types compare false
    if ka != kb or ka in ("null", "rating", "other"):
        return False
    if ka == "list":
        a, b = frozenset(x for x in a if isinstance(x, str)), frozenset(x for x in b if isinstance(x, str))
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if ka != "int":  # ordering is defined for numbers only
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _bounded(value: int, expr: Expr) -> int:
    if -MAX_RESULT <= value <= MAX_RESULT:
        return value
    raise ExpressionError(f"arithmetic result is out of range (more than 10**12) in {expr!r}", expr.pos)


def _call(node: Call, answers, info: FlowInfo) -> int | bool:
    value = answers.get(node.node) if isinstance(answers, dict) else None
    if node.function == "answered":
        return value is not None
    if node.level is None:  # count(checklist)
        if _kind(value) != "list":
            return 0
        return len({x for x in value if isinstance(x, str)})
    if _kind(value) != "rating":
        return 0
    rated = [v for v in value.values() if isinstance(v, str)]
    if node.function == "count":
        return sum(1 for v in rated if v == node.level)
    levels = info.levels.get(node.node) or []
    if node.level not in levels:
        return 0
    allowed = set(levels[levels.index(node.level):])
    return sum(1 for v in rated if v in allowed)


def evaluate(expr: Expr, answers, flow_info=None):
    """Evaluate a parsed expression against answers (node id -> answer).

    `flow_info` gives the scale order that `atleast` needs: a FlowInfo, a compiled tree
    (dict with "nodes" and "scales"), or None (then `atleast` counts 0). Odd answers never
    raise; only arithmetic out of range raises ExpressionError.
    """
    if isinstance(flow_info, FlowInfo):
        info = flow_info
    elif isinstance(flow_info, dict):
        info = FlowInfo.from_compiled(flow_info)
    else:
        info = FlowInfo()
    if not isinstance(answers, dict):
        answers = {}
    return _eval(expr, answers, info)


def _eval(node: Expr, answers: dict, info: FlowInfo):
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        return answers.get(node.name)
    if isinstance(node, Call):
        return _call(node, answers, info)
    if isinstance(node, BoolOp):
        if node.op == "and":
            for operand in node.operands:
                if _eval(operand, answers, info) is not True:
                    return False
            return True
        for operand in node.operands:
            if _eval(operand, answers, info) is True:
                return True
        return False
    if isinstance(node, Not):
        return _eval(node.operand, answers, info) is not True
    if isinstance(node, Compare):
        return _compare(node.op, _eval(node.left, answers, info), _eval(node.right, answers, info))
    if isinstance(node, Neg):
        value = _eval(node.operand, answers, info)
        return -value if _kind(value) == "int" else None
    if isinstance(node, Arith):
        value = _eval(node.first, answers, info)
        for op, operand in node.rest:
            right = _eval(operand, answers, info)
            if _kind(value) != "int" or _kind(right) != "int":
                value = None
                continue
            if op == "+":
                value = value + right
            elif op == "-":
                value = value - right
            else:
                value = value * right
            value = _bounded(value, node)
        return value
    raise ExpressionError(f"unknown expression node {type(node).__name__}")  # pragma: no cover


# --------------------------------------------------------------------------- validation against a tree

ExpressionProblem = namedtuple("ExpressionProblem", "code node function value kind allowed")
ExpressionProblem.__doc__ = """What is wrong with a condition for the tree it stands in. `code` is one of:
unknown-node, count-needs-checklist, needs-rating, unknown-level, option-test-wrong-kind,
unknown-option. The engine fails with the first; the checker words each for the publisher."""


def expression_problems(expr: Expr, kinds: dict, options: dict, levels: dict) -> list[ExpressionProblem]:
    """Every problem of `expr` in a tree with these nodes: node id -> kind, choice or checklist
    node -> its option ids, rating node -> its levels. A node of unknown kind ("") is skipped."""
    problems = []

    def problem(code, node, function=None, value=None, kind=None, allowed=()):
        problems.append(ExpressionProblem(code, node, function, value, kind, tuple(allowed)))

    for name in sorted(expr.names()):
        if name not in kinds:
            problem("unknown-node", name)
    for call in expr.calls():
        kind = kinds.get(call.node)
        if not kind or call.function == "answered":
            continue
        if call.function == "count" and call.level is None:
            if kind != "checklist":
                problem("count-needs-checklist", call.node, call.function, kind=kind)
        elif kind != "rating":
            problem("needs-rating", call.node, call.function, kind=kind)
        elif call.level is not None and levels.get(call.node) and call.level not in levels[call.node]:
            problem("unknown-level", call.node, call.function, call.level, kind, levels[call.node])
    for ref in expr.option_refs():
        kind = kinds.get(ref.node)
        if not kind:
            continue
        wanted = "checklist" if ref.operator in ("in", "not in") else "choice"
        if kind != wanted:
            problem("option-test-wrong-kind", ref.node, ref.operator, ref.value, kind, (wanted,))
        elif ref.value not in options.get(ref.node, ()):
            problem("unknown-option", ref.node, ref.operator, ref.value, kind, options.get(ref.node, ()))
    return problems
