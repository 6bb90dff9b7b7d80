"""The kinds (`generator.kinds`): each Smithy type's one home. Their code fragments are compiled
and run here against Python values, the JSON runtime the packages carry, and the rules Smithy
states; the templates are checked to ask the kinds rather than decide by type name.
"""

from __future__ import annotations

import datetime
import decimal
import importlib.util
import json
import math
import re
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import ir, kinds
from generator.kinds.base import Kind
from tests.conftest import build_unit

REPO = Path(__file__).resolve().parent.parent
SIMPLE_TYPES = [
    "blob",
    "boolean",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "bigInteger",
    "float",
    "double",
    "bigDecimal",
    "timestamp",
]
NOT_VALUES = {"operation", "service", "resource"}


class IntSubclass(int):
    pass


class StrSubclass(str):
    pass


SAMPLES: list[object] = [
    None,
    True,
    False,
    0,
    -7,
    2**70,
    IntSubclass(3),
    1.5,
    math.nan,
    "",
    "text",
    StrSubclass("s"),
    b"",
    b"\x00\xff",
    bytearray(b"ab"),
    Decimal("1.25"),
    Decimal("NaN"),
    datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC),
    [],
    {},
]

# What each kind's full type test must accept, said in plain Python.
ORACLES: dict[str, Callable[[object], bool]] = {
    "blob": lambda v: isinstance(v, bytes | bytearray),
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "double": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "bigDecimal": lambda v: isinstance(v, int | Decimal) and not isinstance(v, bool),
    "timestamp": lambda v: isinstance(v, datetime.datetime),
    **{
        name: (lambda v: isinstance(v, int) and not isinstance(v, bool))
        for name in ("byte", "short", "integer", "long", "bigInteger")
    },
}


def _json_values() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_json_values", REPO / "templates/_json_values.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wrong_type(value: object, expected: str) -> object:
    raise TypeError(f"expected {expected}, not {type(value).__name__}")


NAMESPACE: dict[str, Any] = {
    "_decimal": decimal,
    "_datetime": datetime,
    "_json_values": _json_values(),
    "_wrong_type": _wrong_type,
}


def _function(expression: str) -> Callable[[object], Any]:
    """A kind's expression of `v`, compiled as generated code would run it."""
    code = compile(f"lambda v: {expression}", "<kind>", "eval")
    function: Callable[[object], Any] = eval(code, dict(NAMESPACE))  # fixed fragments only
    return function


def _kind(type_name: str) -> Kind:
    """The kind of a simple type, bound to a shape of it (simple kinds read nothing of it)."""
    shape = ir.ScalarShape(
        id=f"smithy.api#{type_name}",
        type=ir.ShapeType(type_name),
        documentation=None,
        deprecated=None,
        sensitive=False,
    )
    return shape.kind


def test_every_value_type_has_a_kind_of_its_own() -> None:
    for shape_type in ir.ShapeType:
        kind = kinds.by_type(shape_type)
        if shape_type in NOT_VALUES:
            assert kind is Kind
        else:
            assert kind is not Kind and kind.type_name == shape_type


@pytest.mark.parametrize(
    ("fact", "types"),
    [
        # Smithy 2.0's selectors: @length `:test(collection, map, string, blob)` (an enum is a
        # string), @range `:test(number)` (an intEnum is an integer), @pattern `string`.
        ("length_unit", {"list", "map", "string", "enum", "blob"}),
        (
            "takes_range",
            {
                "byte",
                "short",
                "integer",
                "long",
                "bigInteger",
                "float",
                "double",
                "bigDecimal",
                "intEnum",
            },
        ),
        ("takes_pattern", {"string", "enum"}),
        ("takes_unique_items", {"list"}),
        ("takes_sparse", {"list", "map"}),
        ("takes_timestamp_format", {"timestamp"}),
        ("takes_enum_trait", {"string"}),
        ("is_binary_float", {"float", "double"}),
    ],
)
def test_traits_apply_where_smithy_says(fact: str, types: set[str]) -> None:
    found = {t.value for t in ir.ShapeType if getattr(kinds.by_type(t), fact)}
    assert found == types


@pytest.mark.parametrize("type_name", SIMPLE_TYPES)
def test_type_tests_agree_with_each_other_and_with_python(type_name: str) -> None:
    kind = _kind(type_name)
    accepts = _function(kind.accepts("v"))
    fast = _function(kind.accepts_fast("v"))
    rejects = kind.rejects_fast("v")
    for value in SAMPLES:
        assert bool(accepts(value)) == ORACLES[type_name](value), (type_name, value)
        if fast(value):
            assert accepts(value), (type_name, value)
        if rejects is not None:
            assert bool(_function(rejects)(value)) == (not fast(value)), (type_name, value)
    assert kind.type_words and kind.check_layout == "value"


@pytest.mark.parametrize("type_name", SIMPLE_TYPES)
def test_zero_values_are_values_of_the_kind(type_name: str) -> None:
    kind = _kind(type_name)
    accepts = _function(kind.accepts("v"))
    assert accepts(eval(kind.dict_zero, dict(NAMESPACE)))
    assert accepts(eval(kind.json_zero(), dict(NAMESPACE)))


_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "blob": st.binary(max_size=40),
    "boolean": st.booleans(),
    "string": st.text(max_size=40),
    "byte": st.integers(-(2**7), 2**7 - 1),
    "short": st.integers(-(2**15), 2**15 - 1),
    "integer": st.integers(-(2**31), 2**31 - 1),
    "long": st.integers(-(2**63), 2**63 - 1),
    "bigInteger": st.integers(),
    "float": st.floats(width=32),
    "double": st.floats(),
    "bigDecimal": st.decimals(min_value=-(10**30), max_value=10**30, places=6),
    "timestamp": st.datetimes(
        min_value=datetime.datetime(1970, 1, 1),
        max_value=datetime.datetime(9000, 1, 1),
        timezones=st.just(datetime.UTC),
    ).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)),
}


@pytest.mark.parametrize("type_name", SIMPLE_TYPES)
@given(data=st.data())
def test_the_json_codec_round_trips_each_simple_kind(type_name: str, data: st.DataObject) -> None:
    kind = _kind(type_name)
    timestamp_format = data.draw(st.sampled_from([None, "date-time", "epoch-seconds"]))
    value = data.draw(_VALUES[type_name])
    write = _function(kind.json_write("v", timestamp_format))
    read = _function(kind.json_read("v"))
    text = json.dumps(write(value), allow_nan=False)
    back = read(json.loads(text))
    if type_name == "bigDecimal":
        # JSON numbers travel as Python's json module writes them: a Decimal as a float.
        value = decimal.Decimal(str(float(value)))
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(back)
    else:
        assert back == value and type(back) is type(value)
    assert _function(kind.accepts("v"))(back)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
) | st.sampled_from(["NaN", "Infinity", "-Infinity", "AAEC", "2024-01-02T03:04:05Z", "1e3"])


@pytest.mark.parametrize("type_name", ["blob", "float", "double", "bigDecimal", "timestamp"])
@given(value=JSON_VALUES)
def test_the_stubs_strict_reading_is_the_decoder_that_keeps_what_it_cannot_read(
    type_name: str, value: object
) -> None:
    """What the stub reads a request with: the client's decoder in strict mode, which never
    raises, and either keeps the JSON value as it is (for the validator to report) or decodes
    it as the lenient decoder does."""
    kind = _kind(type_name)
    strict = _function(kind.json_read_strict("v"))(value)
    if strict is value:
        return
    assert kind.json_native is False
    lenient = _function(kind.json_read("v"))(value)
    if isinstance(lenient, float) and math.isnan(lenient):
        assert math.isnan(strict)
    else:
        assert strict == lenient and type(strict) is type(lenient)
    assert _function(kind.accepts("v"))(strict)


@pytest.mark.parametrize(
    ("type_name", "wrong"),
    [
        ("string", [1, True, None, [], {}]),
        ("boolean", [1, 0, "true", None]),
        ("byte", ["1", True, 1.5, None]),
        ("bigInteger", ["1", False, 1.0, []]),
    ],
)
def test_the_json_reader_refuses_a_value_of_another_json_type(
    type_name: str, wrong: list[object]
) -> None:
    read = _function(_kind(type_name).json_read("v"))
    for value in wrong:
        with pytest.raises(TypeError):
            read(value)


@given(
    bound=st.decimals(min_value=-(10**20), max_value=10**20, allow_nan=False, places=3),
    number=st.integers(-(10**20), 10**20),
)
def test_an_integer_range_bound_rounds_inwards_to_the_integers_it_allows(
    bound: Decimal, number: int
) -> None:
    kind = kinds.by_type("long")
    low = int(kind.range_literal(bound, ROUND_CEILING))
    high = int(kind.range_literal(bound, ROUND_FLOOR))
    assert (number >= bound) == (number >= low)
    assert (number <= bound) == (number <= high)


@pytest.mark.parametrize(
    ("type_name", "value", "problem"),
    [
        ("byte", 128, "outside the range of a byte: -128..127"),
        ("byte", 1.5, "does not fit a byte"),
        ("float", 1e39, "beyond the range of a float"),
        ("double", 1e39, None),
        ("intEnum", 2**31, "outside the range of an intEnum"),
        ("blob", "not base64!", "(expected base64)"),
        ("boolean", 0, "does not fit a boolean"),
        ("timestamp", "2024-02-30T00:00:00Z", "is not a timestamp"),
        ("list", [], None),
        ("list", [1], "does not fit a list"),
        ("structure", {}, None),
        ("union", {}, "does not fit a union"),
        ("document", {"any": ["thing"]}, None),
        ("operation", 1, "does not fit an operation"),
    ],
)
def test_default_values_fit_their_kind(type_name: str, value: object, problem: str | None) -> None:
    found = kinds.default_problem(type_name, value, {}, [])
    assert found == problem if problem is None else problem in (found or "")


def test_a_zero_default_may_break_a_numbers_range_but_not_an_int_enums() -> None:
    traits = {"smithy.api#range": {"min": 5}}
    assert kinds.default_problem("integer", 0, traits, []) is None
    assert kinds.default_problem("integer", 1, traits, []) is not None
    assert kinds.default_problem("intEnum", 0, traits, [0]) is not None


def test_members_ask_their_kind_for_annotation_and_constraints(tmp_path: Path) -> None:
    unit = build_unit(tmp_path, _model_with_every_kind())
    (shape,) = [s for s in unit.structures if s.name == "Everything"]
    members = {member.name: member for member in shape.members}
    assert members["Byte"].checked_constraints == ("bounds", "range")
    assert members["Big"].checked_constraints == ("finite",)
    assert members["Name"].checked_constraints == ("length", "pattern")
    assert members["Color"].checked_constraints == ("enum",)
    assert members["Level"].checked_constraints == ("bounds", "enum")
    assert members["Names"].checked_constraints == ()
    assert members["Names"].value_annotation == "list[str]"
    assert members["Tags"].value_annotation == "dict[str, Color | str]"
    assert members["When"].value_annotation == "_datetime.datetime"
    assert members["Doc"].value_annotation == "Document"
    assert members["Choice"].target.kind.check_layout == "structure"
    assert members["Tags"].target.kind.check_layout == "collection"
    assert members["Doc"].target.kind.check_layout == "unchecked"
    assert members["Color"].target.kind.base_class == "StrEnum"
    assert members["Level"].target.kind.base_class == "IntEnum"


def _model_with_every_kind() -> dict[str, Any]:
    def member(target: str, **traits: Any) -> dict[str, Any]:
        return {"target": target, "traits": {f"smithy.api#{k}": v for k, v in traits.items()}}

    return {
        "smithy": "2.0",
        "shapes": {
            "ex#Things": {
                "type": "service",
                "version": "1",
                "operations": [{"target": "ex#Do"}],
            },
            "ex#Do": {"type": "operation", "input": {"target": "ex#Everything"}},
            "ex#Everything": {
                "type": "structure",
                "members": {
                    "Byte": member("smithy.api#Byte", range={"min": 1}),
                    "Big": member("smithy.api#BigDecimal"),
                    "Name": member("smithy.api#String", length={"min": 1}, pattern="^a"),
                    "Color": member("ex#Color"),
                    "Level": member("ex#Level"),
                    "Names": member("ex#Names"),
                    "Tags": member("ex#Tags"),
                    "When": member("smithy.api#Timestamp"),
                    "Doc": member("smithy.api#Document"),
                    "Choice": member("ex#Choice"),
                },
            },
            "ex#Color": {
                "type": "enum",
                "members": {"RED": {"target": "smithy.api#Unit"}},
            },
            "ex#Level": {
                "type": "intEnum",
                "members": {
                    "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}
                },
            },
            "ex#Names": {"type": "list", "member": {"target": "smithy.api#String"}},
            "ex#Tags": {
                "type": "map",
                "key": {"target": "smithy.api#String"},
                "value": {"target": "ex#Color"},
            },
            "ex#Choice": {
                "type": "union",
                "members": {"A": {"target": "smithy.api#String"}},
            },
        },
    }


# A template may choose between two layouts, but never by a type's name: the kind decides.
_TYPE_DECISION = re.compile(r"\.type\s*(==|!=|\bin\b|\bnot\s+in\b)|\bis_int\b|\bjson_classes\b")


def test_templates_ask_the_kind_instead_of_deciding_by_type_name() -> None:
    found = []
    for path in sorted((REPO / "templates").rglob("*.jinja")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if _TYPE_DECISION.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}")
    assert found == []
