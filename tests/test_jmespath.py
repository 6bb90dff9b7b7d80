"""The generated packages' JMESPath (`templates/_jmespath.py`) against the `jmespath` package.

Every waiter expression of the reference models (AWS's, the whole corpus) and a set of our own
that use every construct the module supports run on Hypothesis-made documents, some shaped after
the expression so that it reaches a value (a status among the values the waiters expect), some
random; both implementations must give the same result (or both refuse). Malformed expressions
are refused with a message that says where.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import jmespath
import jmespath.exceptions
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.conftest import REFERENCE, REPO


def _load_runtime() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "shapesmith_jmespath", REPO / "templates" / "_jmespath.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


ours = _load_runtime()


def _waiter_traits(path: Path) -> Iterator[dict[str, Any]]:
    shapes = json.loads(path.read_text("utf-8")).get("shapes", {})
    for shape in shapes.values():
        yield from shape.get("traits", {}).get("smithy.waiters#waitable", {}).values()


@cache
def reference_expressions() -> dict[str, tuple[str, ...]]:
    """Every waiter path of the reference models -> the values its acceptors expect."""
    expected: dict[str, set[str]] = {}
    for path in sorted(REFERENCE.joinpath("models").glob("**/*.json")):
        for waiter in _waiter_traits(path):
            for acceptor in waiter["acceptors"]:
                for matcher in acceptor["matcher"].values():
                    if isinstance(matcher, dict):
                        expected.setdefault(matcher["path"], set()).add(matcher["expected"])
    return {path: tuple(sorted(values)) for path, values in sorted(expected.items())}


OUR_EXPRESSIONS = (
    "a",
    '"a b"',
    "a.b.c",
    "a[0]",
    "a[-1].b",
    "a[1:]",
    "a[::-1]",
    "a[:2].b",
    "a[*].b",
    "a[*].b[*].c",
    "a[].b",
    "a[][]",
    "a[*][0]",
    "*.b",
    "a.*",
    "a.*.b",
    "a[?b == 'x'].c",
    "a[?b != 'x' && c].c",
    "a[?!b]",
    "a[?b > `2`].c",
    "a[?b <= c]",
    "a[?b == `true`] | [0]",
    "a.b || c",
    "a && !b",
    "(a || b).c",
    "a == b",
    'a == `[2, "x"]`',
    "a < b",
    "@",
    "[a, b]",
    "{x: a, y: b.c}",
    "a[*].[b, c]",
    "length(a)",
    "length(a[?b == 'x']) > `0`",
    "contains(a[].b, 'x')",
    "contains(a, b)",
    "starts_with(a, 'x')",
    "ends_with(a, b)",
    "keys(a)",
    "values(a)",
    "type(a)",
    "not_null(a, b, c)",
    "abs(a)",
    "max(a)",
    "min(a[].b)",
    "sum(a)",
    "reverse(a)",
    "join(', ', a)",
    "floor(a)",
    "ceil(a)",
    "a[?contains(b, 'x')].c | length(@)",
)

_NAMES = ("a", "b", "c", "a b", "x", "y")
_STRINGS = st.sampled_from(("x", "y", "", "ACTIVE", "DELETING", "a", "b", "x, y"))
# Numbers other than 0 and 1: the `jmespath` package compares lists with Python's `==`, where
# `[1] == [true]`; JMESPath (and we) never count a boolean equal to a number.
_NUMBERS = st.integers(-5, 5).filter(lambda n: n not in (0, 1)) | st.sampled_from((2.5, -3.5))
_SCALARS = st.none() | st.booleans() | _NUMBERS | _STRINGS
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(_NAMES), inner, max_size=4),
    max_leaves=12,
)


def _merged(first: Any, second: Any) -> Any:
    """Two shaped documents as one: objects merged key by key (the first wins a conflict)."""
    if isinstance(first, dict) and isinstance(second, dict):
        merged = dict(second)
        for key, value in first.items():
            merged[key] = _merged(value, second[key]) if key in second else value
        return merged
    return first


def shaped(node: Any, leaf: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Documents on which the parsed expression `node` reaches a value drawn from `leaf`."""
    kind, children = node.kind, node.children
    if kind == "field":
        extra = st.dictionaries(st.sampled_from(_NAMES), JSON_VALUES, max_size=2)
        return st.builds(lambda rest, value: {**rest, node.value: value}, extra, leaf)
    if kind in ("sub", "pipe"):
        return shaped(children[0], shaped(children[1], leaf))
    if kind in ("project", "filter"):
        return shaped(children[0], st.lists(shaped(children[1], leaf), max_size=4))
    if kind == "values":
        items = st.dictionaries(st.sampled_from(_NAMES), shaped(children[1], leaf), max_size=3)
        return shaped(children[0], items)
    if kind == "flatten":
        return shaped(children[0], st.lists(leaf | st.lists(leaf, max_size=3), max_size=4))
    if kind == "index":
        return st.lists(leaf, min_size=abs(node.value) + 1, max_size=abs(node.value) + 3)
    if kind in ("identity", "current", "literal", "slice"):
        return leaf
    # An operator or a call: reach into each operand and merge the documents.
    if not children:
        return leaf
    parts = [shaped(child, leaf) for child in children]
    return st.tuples(*parts).map(lambda documents: _fold(documents))


def _fold(documents: tuple[Any, ...]) -> Any:
    result = documents[0]
    for document in documents[1:]:
        result = _merged(result, document)
    return result


def _literal_strings(node: Any) -> Iterator[str]:
    if node.kind == "literal" and isinstance(node.value, str):
        yield node.value
    for child in node.children:
        yield from _literal_strings(child)


def documents(text: str, expected: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    tree = ours.compile_expression(text)._tree
    values = tuple(sorted({*expected, *_literal_strings(tree)}))
    leaf = (st.sampled_from(values) if values else _STRINGS) | JSON_VALUES
    return shaped(tree, leaf) | JSON_VALUES


def _as_json(value: Any) -> str:
    # JSON text tells `true` from `1` and keeps key order, which Python's `==` does not.
    return json.dumps(value)


def agree(text: str, document: Any) -> None:
    try:
        theirs: Any = jmespath.search(text, document)
    except jmespath.exceptions.JMESPathError:
        with pytest.raises(ours.JMESPathError):
            ours.search(text, document)
        return
    except TypeError:
        # `jmespath` lets Python's TypeError out where it orders a number against a string or
        # looks for a non-string in a string; JMESPath gives null (or an error) there.
        assume(False)
    assert _as_json(ours.search(text, document)) == _as_json(theirs), document


def test_the_reference_models_have_waiter_expressions() -> None:
    if not REFERENCE.joinpath("models").is_dir():
        pytest.skip("reference data not available (CI provides ../shared beside the repo)")
    # 117 waiters in the snapshot use 40 distinct paths; fewer would mean the scan broke.
    assert len(reference_expressions()) >= 40


@pytest.mark.parametrize("text", sorted(reference_expressions()) or ["(no reference models)"])
@settings(max_examples=40)
@given(data=st.data())
def test_reference_waiter_expressions_agree_with_jmespath(text: str, data: st.DataObject) -> None:
    expected = reference_expressions().get(text)
    if expected is None:
        pytest.skip("reference data not available (CI provides ../shared beside the repo)")
    agree(text, data.draw(documents(text, expected)))


@pytest.mark.parametrize("text", OUR_EXPRESSIONS)
@settings(max_examples=50)
@given(data=st.data())
def test_every_construct_agrees_with_jmespath(text: str, data: st.DataObject) -> None:
    agree(text, data.draw(documents(text)))


def test_shaped_documents_reach_the_expected_values() -> None:
    # The shaping is what makes the comparison worth it: on a shaped document the waiter path
    # finds the status it is looking for.
    document = {"ProjectVersionDescriptions": [{"Status": "RUNNING"}, {"Status": "FAILED"}]}
    assert ours.search("ProjectVersionDescriptions[].Status", document) == ["RUNNING", "FAILED"]
    found = False

    @settings(max_examples=50, database=None)
    @given(documents("Certificate.DomainValidationOptions[].ValidationStatus", ("SUCCESS",)))
    def look(document: Any) -> None:
        nonlocal found
        result = ours.search("Certificate.DomainValidationOptions[].ValidationStatus", document)
        found = found or (isinstance(result, list) and "SUCCESS" in result)

    look()
    assert found


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected an expression, found the end at position 0"),
        ("a.", "after '.', found the end at position 2"),
        ("a[", "inside '[]', found the end at position 2"),
        ("a ==", "expected an expression, found the end at position 4"),
        ("a = 'b'", "'=' is not an operator"),
        ("a[?b == 'c'", "expected ']' closing the filter"),
        ("'abc", "unclosed '"),
        ('"abc', 'unclosed "'),
        ("`{`", "must hold JSON"),
        ("a b", "expected an operator or the end, found 'b' at position 2"),
        ("nope(a)", "unknown function nope()"),
        ("length()", "length() takes 1 argument(s), not 0"),
        ("contains(a)", "contains() takes 2 argument(s), not 1"),
        ("&a", "'&' expressions are not supported"),
        ("a[1:2:0]", "a slice's step cannot be 0"),
        ("a[1:2:3:4]", "at most three parts"),
        ("a.1", "found '1' at position 2"),
        ('"a"(b)', "cannot be quoted"),
        ("a[0](c)", "only a function name can be called"),
        ("a #", "unexpected character '#' at position 2"),
        ("-", "'-' must start a number"),
        ("(" * 80 + "a" + ")" * 80, "nested more than 64 deep"),
        ("{a: b", "expected ',' or '}'"),
        ("[a, b", "expected ',' or ']'"),
    ],
)
def test_malformed_expressions_are_refused_saying_where(text: str, message: str) -> None:
    with pytest.raises(ours.JMESPathError) as raised:
        ours.compile_expression(text)
    assert message in str(raised.value)
    assert repr(text) in str(raised.value)
    # The `jmespath` package refuses them too, but for our nesting limit, the `&` we leave out
    # and a literal that is not JSON (which it still reads as a string, deprecated).
    if not any(ours_only in message for ours_only in ("nested", "not supported", "JSON")):
        # (its JMESPathError is a ValueError; a zero slice step is Python's own ValueError there)
        with pytest.raises(ValueError):
            jmespath.search(text, {"a": [1, 2]})


def test_a_function_given_the_wrong_type_is_an_error_not_a_traceback() -> None:
    with pytest.raises(ours.JMESPathError, match=r"length\(\) expects string or array or object"):
        ours.search("length(a)", {"a": 3})
