"""The expression language: tokenizer, parser, evaluator and its limits."""

from __future__ import annotations

import pytest

from generator.engine import EngineError, ExpressionError
from generator.engine.evaluation import FlowInfo, evaluate
from generator.engine.expressions import FunctionCall, parse
from generator.engine.tokens import MAX_DEPTH

LEVELS = FlowInfo({"risk1": ["lag", "mattlig", "hog"], "risk2": ["lag", "mattlig", "hog"]})


def ev(text, answers=None, info=LEVELS):
    return evaluate(parse(text), answers or {}, info)


# ----------------------------------------------------------------- precedence and shape


@pytest.mark.parametrize(
    "text, shape",
    [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("1 - 2 - 3", "(1 - 2 - 3)"),
        ("- 2 * 3", "((-2) * 3)"),
        ("a or b and c", "(a or (b and c))"),
        ("(a or b) and c", "((a or b) and c)"),
        ("not a == b", "(not (a == b))"),
        ("not a and b", "((not a) and b)"),
        ("a == 1 or b != 2 and c < 3", "((a == 1) or ((b != 2) and (c < 3)))"),
        ('"x" in a or "y" not in b', '(("x" in a) or ("y" not in b))'),
        ("1 + 2 >= 3", "((1 + 2) >= 3)"),
        ('count(a, "hog") + atleast(b, "mattlig") >= 4',
         '((count(a, "hog") + atleast(b, "mattlig")) >= 4)'),
        ("true and false", "(true and false)"),
        ("'single' == a", '("single" == a)'),
    ],
)
def test_precedence(text, shape):
    assert repr(parse(text)) == shape


def test_arithmetic_values():
    assert ev("1 + 2 * 3") == 7
    assert ev("(1 + 2) * 3") == 9
    assert ev("10 - 2 - 3") == 5  # left to right
    assert ev("- 2 * 3") == -6
    assert ev("- - 4") == 4
    assert ev("2 * 3 * 4 - 1") == 23


def test_boolean_values():
    assert ev("true or false and false") is True
    assert ev("(true or false) and false") is False
    assert ev("not false") is True
    assert ev("not 1 == 2") is True
    assert ev("1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3 and 1 != 2") is True


def test_hyphenated_names():
    e = parse("vad-har-hant == \"hot-telefon\"")
    assert e.names() == {"vad-har-hant"}
    assert ev('vad-har-hant == "hot-telefon"', {"vad-har-hant": "hot-telefon"}) is True
    # subtraction needs spaces
    assert parse("a-b").names() == {"a-b"}
    assert parse("a - b").names() == {"a", "b"}
    assert parse("a -b").names() == {"a", "b"}
    assert parse("2-steg == 'x'").names() == {"2-steg"}
    assert ev("5 - 3") == 2


def test_names_and_calls_for_static_analysis():
    e = parse('atleast(grund, "mattlig") + count(ford, "hog") >= 4 or answered(x) or count(lista) > 1 or y == "a"')
    assert e.names() == {"grund", "ford", "x", "lista", "y"}
    assert e.calls() == [
        FunctionCall("atleast", "grund", "mattlig", 0),
        FunctionCall("count", "ford", "hog", 28),
        FunctionCall("answered", "x", None, 55),
        FunctionCall("count", "lista", None, 70),
    ]
    refs = parse('"a" in lista and "b" not in lista or val == "c" or "d" != val').option_refs()
    assert [(r.node, r.value, r.operator) for r in refs] == [
        ("lista", "a", "in"), ("lista", "b", "not in"), ("val", "c", "=="), ("val", "d", "!=")]


def test_in_and_not_in():
    answers = {"skador": ["skadade", "kvar"], "tom": []}
    assert ev('"skadade" in skador', answers) is True
    assert ev('"annat" in skador', answers) is False
    assert ev('"annat" not in skador', answers) is True
    assert ev('"skadade" not in skador', answers) is False
    assert ev('"skadade" in tom', answers) is False
    assert ev('"skadade" not in tom', answers) is True
    # unanswered / unlike types: false, whichever way round
    assert ev('"skadade" in saknas', answers) is False
    assert ev('"skadade" not in saknas', answers) is False
    assert ev('1 in skador', answers) is False
    assert ev('"x" in "xyz"', answers) is False


def test_count_atleast_answered():
    answers = {
        "risk1": {"a": "lag", "b": "mattlig", "c": "hog", "d": "hog"},
        "lista": ["x", "y"],
        "val": "z",
    }
    assert ev("count(lista)", answers) == 2
    assert ev('count(risk1, "hog")', answers) == 2
    assert ev('count(risk1, "mattlig")', answers) == 1
    assert ev('atleast(risk1, "mattlig")', answers) == 3
    assert ev('atleast(risk1, "lag")', answers) == 4
    assert ev('atleast(risk1, "hog")', answers) == 2
    assert ev("answered(val) and answered(lista) and answered(risk1)", answers) is True
    # unanswered nodes count 0; wrong kinds count 0; unknown levels count 0
    assert ev("count(risk2)", answers) == 0
    assert ev('count(risk2, "hog")', answers) == 0
    assert ev('atleast(risk2, "lag")', answers) == 0
    assert ev("answered(risk2)", answers) is False
    assert ev('count(lista, "hog")', answers) == 0
    assert ev("count(risk1)", answers) == 0
    assert ev('atleast(risk1, "extrem")', answers) == 0
    assert ev('count(val)', answers) == 0


def test_atleast_takes_scale_order_from_compiled_tree():
    compiled = {"scales": {"s": [{"id": "lo"}, {"id": "hi"}]},
                "nodes": {"r": {"kind": "rating", "scale": "s"}}}
    answers = {"r": {"a": "hi", "b": "lo"}}
    assert evaluate(parse('atleast(r, "lo")'), answers, compiled) == 2
    assert evaluate(parse('atleast(r, "hi")'), answers, compiled) == 1
    assert evaluate(parse('atleast(r, "lo")'), answers, None) == 0  # no scale known


def test_odd_answers_never_raise():
    odd = [None, True, False, 0, 7, "x", "", [], ["a", 1, None], {}, {"a": 1}, {"a": ["x"]}, 1.5,
           [[1]], {"k": {"n": None}}]
    exprs = [
        'a == "x"', 'a != "x"', "a < 3", "a >= b", '"x" in a', '"x" not in a', "a + 1 > 0",
        "a * 2 == 4", "- a == 1", "not a", "a and b", "a or b", "count(a) == 0",
        'count(a, "hog") == 0', 'atleast(a, "lag") == 0', "answered(a)", "a == b",
    ]
    for a in odd:
        for b in odd:
            for text in exprs:
                result = evaluate(parse(text), {"a": a, "b": b}, LEVELS)
                assert result is None or isinstance(result, (bool, int))
    assert evaluate(parse("a == 1"), "not a dict", LEVELS) is False


def test_comparison_semantics():
    # unlike types are false, both == and !=; bool is not int
    assert ev('a == 1', {"a": "1"}) is False
    assert ev('a != 1', {"a": "1"}) is False
    assert ev("answered(a) == 1") is False
    assert ev("true == true") is True
    assert ev("true != false") is True
    # null (unanswered) compares unequal to everything, itself included, and != is false too
    assert ev('a == "x"') is False
    assert ev('a != "x"') is False
    assert ev("a == b") is False
    assert ev("a < 1") is False
    # ordering is for numbers only
    assert ev('"a" < "b"') is False
    # rating answers are opaque: only count/atleast/answered see them
    r = {"x": "lag"}
    assert ev("risk1 == risk2", {"risk1": r, "risk2": dict(r)}) is False
    assert ev("risk1 != risk2", {"risk1": r, "risk2": {"x": "hog"}}) is False
    assert ev('"x" in risk1', {"risk1": r}) is False
    # checklists compare as sets
    assert ev("a == b", {"a": ["x", "y"], "b": ["y", "x"]}) is True
    # arithmetic on non-numbers is null, and null compares false
    assert ev("a + 1 == 1") is False
    assert ev("a + 1 != 1") is False
    assert ev('"x" + 1 == 1') is False
    assert ev("true + 1 == 2") is False


def test_choice_equality():
    assert ev('val == "hot-telefon"', {"val": "hot-telefon"}) is True
    assert ev('"hot-telefon" == val', {"val": "hot-telefon"}) is True
    assert ev('val != "hot-telefon"', {"val": "annat"}) is True


# ----------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "text, what, position",
    [
        ("x.__class__", "'.' is not allowed", 1),
        ("a.b", "attribute access", 1),
        ("1.5 > 1", "decimal", 1),
        ("a[0]", "no indexing", 1),
        ("a[\"b\"] == 1", "no indexing", 1),
        ('__import__("os")', "unknown character '_'", 0),
        ("a == __builtins__", "unknown character '_'", 5),
        ('open("x")', "unknown function 'open'", 0),
        ('eval("1")', "unknown function 'eval'", 0),
        ("exec(a)", "unknown function 'exec'", 0),
        ("count(a) or foo(b)", "unknown function 'foo'", 12),
        ("lambda: 1", "'lambda' is not allowed", 0),
        ("(lambda x: x)(1)", "'lambda' is not allowed", 1),
        ("2 ** 3", "'**' is not an operator", 2),
        ("a**b", "'**' is not an operator", 1),
        ("2 / 3", "unknown character '/'", 2),
        ("2 % 3", "unknown character '%'", 2),
        ("a @ b", "unknown character '@'", 2),
        ("a; b", "unknown character ';'", 1),
        ("a == `b`", "unknown character '`'", 5),
        ("a & b", "unknown character '&'", 2),
        ("a | b", "unknown character '|'", 2),
        ("a == {}", "unknown character '{'", 5),
        ("a: 1", "unknown character ':'", 1),
        ("x = 1", "'=' is not an operator", 2),
        ("!a", "'!' is not an operator", 0),
        ("True", "unknown character 'T'", 0),
        ("väg == 1", "unknown character 'ä'", 1),
        ("1000001", "too large", 0),
        ("a > 99999999999999999999999", "too large", 4),
        ("a < b < c", "cannot be chained", 6),
        ("a == b == c", "cannot be chained", 7),
        ("", "empty", 0),
        ("   ", "empty", 3),
        ("a ==", "ends too early", 4),
        ("(a == 1", "expected ')'", 7),
        ("a == 1)", "unexpected ')'", 6),
        ("a b", "unexpected name 'b'", 2),
        ('"open', "string is not closed", 0),
        ("count()", "takes a node id", 6),
        ('count("a")', "takes a node id", 6),
        ("count(a, b)", "level as its second argument", 9),
        ('count(a, "x", "y")', "at most 2 arguments", 12),
        ("atleast(a)", "takes 2 arguments", 9),
        ('answered(a, "x")', "takes exactly 1 argument", 10),
        ("count(a)(b)", "only count, atleast and answered can be called", 8),
        ('(a)("x")', "only count, atleast and answered can be called", 3),
        ("a if b else c", "unexpected name 'if'", 2),
        ("and", "expected a value", 0),
    ],
)
def test_hostile_expressions_are_rejected(text, what, position):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    err = info.value
    assert what in str(err)
    assert err.position == position
    assert f"at character {position + 1}" in str(err)
    assert isinstance(err, EngineError)


def test_non_string_rejected():
    for value in (None, 1, ["a"], b"a == 1"):
        with pytest.raises(ExpressionError, match="must be a string"):
            parse(value)


def test_long_input():
    ok = " or ".join(["a"] * 100)  # 496 characters
    assert len(ok) <= 500
    parse(ok)
    parse("a" * 500)
    with pytest.raises(ExpressionError, match="501 characters long; the limit is 500"):
        parse("a" * 501)
    with pytest.raises(ExpressionError, match="the limit is 500"):
        parse("1 + " * 10_000 + "1")


def test_long_flat_chains_evaluate_without_deep_recursion():
    text = " + ".join(["1"] * 120)
    assert ev(text) == 120
    text = " and ".join(["true"] * 55)
    assert ev(text) is True


@pytest.mark.parametrize("opener, closer", [("(", ")"), ("not ", ""), ("- ", "")])
def test_nesting_depth(opener, closer):
    inner = "1" if opener != "not " else "true"
    ok = opener * MAX_DEPTH + inner + closer * MAX_DEPTH
    parse(ok)
    bad = opener * (MAX_DEPTH + 1) + inner + closer * (MAX_DEPTH + 1)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse(bad)


def test_nesting_through_function_calls_counts():
    ok = "(" * (MAX_DEPTH - 1) + "count(a)" + ")" * (MAX_DEPTH - 1)
    parse(ok)
    bad = "(" * MAX_DEPTH + "count(a)" + ")" * MAX_DEPTH
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse(bad)


def test_huge_numbers():
    assert ev("1000000") == 1_000_000
    assert ev("0001000000") == 1_000_000
    assert ev("1000000 * 1000000") == 10**12
    with pytest.raises(ExpressionError, match="out of range"):
        ev("1000000 * 1000000 * 2")
    with pytest.raises(ExpressionError, match="out of range"):
        ev("- 1000000 * 1000000 * 1000000")
    # many literal additions stay far below the bound
    assert ev(" + ".join(["1000000"] * 45)) == 45_000_000


def test_keywords_are_not_names():
    with pytest.raises(ExpressionError):
        parse("in == 1")
    assert parse("count == 1").names() == {"count"}  # a function name without ( is a plain name
