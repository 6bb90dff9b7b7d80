"""Hostile numbers and hostile depth in models: refused with a diagnostic naming the file and the
JSON pointer, or generated into a package that imports and whose defaults pass its own validator.
Never a traceback, a RecursionError or exit 3.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator import ir, render, validator_plan
from generator.build import Selection, build_units
from generator.cli import main
from generator.collection_nesting import MAX_COLLECTION_DEPTH
from generator.diagnostics import ShapesmithError, Warnings
from generator.ecma_regex import MAX_GROUP_DEPTH
from generator.jsonschema_export import schema_files
from generator.loader import load_model
from generator.model_json import MAX_DEPTH, MAX_INTEGER_DIGITS
from generator.semantics import check_model
from tests.conftest import run_isolated, service_with_stub

JsonObject = dict[str, Any]
NS = "example.hostile"
OPERATION = f"{NS}#Op"
SUBPROCESS_TIMEOUT = 600


def model(shapes: JsonObject, input_members: JsonObject) -> JsonObject:
    """A service with one operation whose input has `input_members`, plus `shapes`."""
    return {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Service": service_with_stub("Hostile", "hostile", [OPERATION]),
            OPERATION: {
                "type": "operation",
                "input": {"target": f"{NS}#OpInput"},
                "output": {"target": f"{NS}#OpOutput"},
            },
            f"{NS}#OpInput": {
                "type": "structure",
                "members": input_members,
                "traits": {"smithy.api#input": {}},
            },
            f"{NS}#OpOutput": {
                "type": "structure",
                "members": {},
                "traits": {"smithy.api#output": {}},
            },
            **shapes,
        },
    }


def one_member(shape_type: str, traits: JsonObject) -> JsonObject:
    """A model whose input member `Value` targets a `shape_type` shape and carries `traits`."""
    return model(
        {f"{NS}#Value": {"type": shape_type}},
        {"Value": {"target": f"{NS}#Value", "traits": traits}},
    )


def write_model(folder: Path, text: str) -> Path:
    path = folder / "model.json"
    path.write_text(text, "utf-8")
    return path


def build(folder: Path, text: str) -> ir.GenerationUnit:
    path = write_model(folder, text)
    checked = load_model([path], folder)
    check_model(checked)
    (unit,) = build_units(checked, Selection((OPERATION,), "shapesmith.toml", "/operations"))
    return unit


def refusals(folder: Path, text: str) -> list[str]:
    with pytest.raises(ShapesmithError) as error:
        build(folder, text)
    return [str(diagnostic) for diagnostic in error.value.diagnostics]


def raw(document: JsonObject, token: str) -> str:
    """The model's JSON with the string "RAW" replaced by `token`, which JSON itself cannot say
    (NaN) or Python's json would not write (a 5,000-digit integer)."""
    return json.dumps(document).replace('"RAW"', token)


MEMBER = f"model.json: /shapes/{NS}#OpInput/members/Value/traits"

# -- numbers ----------------------------------------------------------------------------------

NUMBER_CASES: list[tuple[str, JsonObject, str, str, str]] = [
    # (shape type, member traits, token for "RAW", pointer after MEMBER, message)
    ("double", {"smithy.api#default": "RAW"}, "NaN", "/smithy.api#default", "NaN is not JSON"),
    ("double", {"smithy.api#default": "RAW"}, "Infinity", "/smithy.api#default", "Infinity is"),
    ("float", {"smithy.api#default": "RAW"}, "-Infinity", "/smithy.api#default", "-Infinity is"),
    ("double", {"smithy.api#default": "RAW"}, "1e309", "/smithy.api#default", "beyond the range"),
    ("double", {"smithy.api#range": {"max": "RAW"}}, "-1e309", "/smithy.api#range/max", "beyond"),
    ("integer", {"smithy.api#range": {"min": "RAW"}}, "NaN", "/smithy.api#range/min", "NaN is"),
    (
        "bigInteger",
        {"smithy.api#default": "RAW"},
        "9" * 5000,
        "/smithy.api#default",
        f"integer with 5000 digits; a model's integers have at most {MAX_INTEGER_DIGITS} digits",
    ),
    (
        "bigInteger",
        {"smithy.api#range": {"max": "RAW"}},
        "-" + "1" * (MAX_INTEGER_DIGITS + 1),
        "/smithy.api#range/max",
        f"integer with {MAX_INTEGER_DIGITS + 1} digits",
    ),
    ("byte", {"smithy.api#default": 128}, "", "/smithy.api#default", "outside the range of a byte"),
    ("short", {"smithy.api#default": -32769}, "", "/smithy.api#default", "range of a short"),
    ("integer", {"smithy.api#default": 2**31}, "", "/smithy.api#default", "range of an integer"),
    ("long", {"smithy.api#default": 2**63}, "", "/smithy.api#default", "range of a long"),
    ("integer", {"smithy.api#default": 1.5}, "", "/smithy.api#default", "does not fit an integer"),
    ("long", {"smithy.api#default": 1e300}, "", "/smithy.api#default", "does not fit a long"),
    ("float", {"smithy.api#default": 1e39}, "", "/smithy.api#default", "beyond the range of a"),
    ("double", {"smithy.api#default": 10**400}, "", "/smithy.api#default", "beyond the range"),
    ("double", {"smithy.api#range": {"min": -(10**400)}}, "", "/smithy.api#range/min", "beyond"),
    ("integer", {"smithy.api#default": -1, "smithy.api#range": {"min": 1}}, "", "/smithy.api#default", "breaks @range 1.."),
    ("double", {"smithy.api#default": 0.5, "smithy.api#range": {"max": 0.25}}, "", "/smithy.api#default", "breaks @range ..0.25"),
    ("string", {"smithy.api#default": "", "smithy.api#length": {"min": 1}}, "", "/smithy.api#default", "has 0 characters, breaking @length 1.."),
    ("blob", {"smithy.api#default": "AAAA", "smithy.api#length": {"max": 2}}, "", "/smithy.api#default", "has 3 bytes"),
    ("list", {"smithy.api#default": [], "smithy.api#length": {"min": 1}}, "", "/smithy.api#default", "has 0 entries"),
    ("timestamp", {"smithy.api#default": "yesterday"}, "", "/smithy.api#default", "is not a timestamp: expected an RFC 3339"),
    ("timestamp", {"smithy.api#default": "2023-02-29T00:00:00Z"}, "", "/smithy.api#default", "day is out of range"),
    ("timestamp", {"smithy.api#default": "9999-12-31T23:59:59-01:00"}, "", "/smithy.api#default", "outside the years 1 to 9999"),
    ("timestamp", {"smithy.api#default": 1e300}, "", "/smithy.api#default", "outside the years"),
    ("timestamp", {"smithy.api#default": -(10**15)}, "", "/smithy.api#default", "outside the years"),
    ("string", {"smithy.api#length": {"min": 2.0}}, "", "/smithy.api#length/min", "expected integer, found a number"),
    ("string", {"smithy.api#length": {"max": 1e300}}, "", "/smithy.api#length/max", "expected integer"),
]  # fmt: skip


@pytest.mark.parametrize(("shape_type", "traits", "token", "pointer", "message"), NUMBER_CASES)
def test_hostile_numbers_are_refused_at_their_pointer(
    tmp_path: Path, shape_type: str, traits: JsonObject, token: str, pointer: str, message: str
) -> None:
    if shape_type == "list":
        document = model(
            {f"{NS}#Value": {"type": "list", "member": {"target": "smithy.api#String"}}},
            {"Value": {"target": f"{NS}#Value", "traits": traits}},
        )
    else:
        document = one_member(shape_type, traits)
    (found,) = refusals(tmp_path, raw(document, token))
    assert found.startswith(f"{MEMBER}{pointer}: "), found
    assert message in found, found


def test_an_int_enum_value_is_a_32_bit_integer(tmp_path: Path) -> None:
    document = model(
        {
            f"{NS}#Level": {
                "type": "intEnum",
                "members": {
                    "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}},
                    "HUGE": {
                        "target": "smithy.api#Unit",
                        "traits": {"smithy.api#enumValue": 2**31},
                    },
                },
            }
        },
        {"Level": {"target": f"{NS}#Level"}},
    )
    assert refusals(tmp_path, json.dumps(document)) == [
        f"model.json: /shapes/{NS}#Level/members/HUGE/traits/smithy.api#enumValue: intEnum "
        "values are 32-bit integers (-2147483648..2147483647), found 2147483648"
    ]


def test_enum_defaults_must_be_values_of_the_enum(tmp_path: Path) -> None:
    document = model(
        {
            f"{NS}#Color": {
                "type": "enum",
                "members": {"RED": {"target": "smithy.api#Unit"}},
            }
        },
        {"Color": {"target": f"{NS}#Color", "traits": {"smithy.api#default": "BLUE"}}},
    )
    (found,) = refusals(tmp_path, json.dumps(document))
    assert found.endswith("default value 'BLUE' is not one of the enum's values"), found


def test_every_hostile_number_of_a_model_is_reported_in_one_run(tmp_path: Path) -> None:
    document = model(
        {
            f"{NS}#Small": {"type": "byte"},
            f"{NS}#Ratio": {"type": "double"},
            f"{NS}#Big": {"type": "bigInteger"},
        },
        {
            "Small": {"target": f"{NS}#Small", "traits": {"smithy.api#default": 300}},
            "Ratio": {"target": f"{NS}#Ratio", "traits": {"smithy.api#default": "RAW"}},
            "Big": {"target": f"{NS}#Big", "traits": {"smithy.api#default": "RAW2"}},
        },
    )
    text = raw(document, "NaN").replace('"RAW2"', "7" * 4301)
    found = refusals(tmp_path, text)
    assert len(found) == 2  # the JSON problems stop the file before its meaning is checked
    assert any("/members/Ratio/traits/smithy.api#default: NaN is not JSON" in f for f in found)
    assert any(
        "/members/Big/traits/smithy.api#default: integer with 4301 digits" in f for f in found
    )
    fixed = text.replace("NaN", "0.5").replace("7" * 4301, "7" * 300)
    (width,) = refusals(tmp_path, fixed)
    assert "/members/Small/traits/smithy.api#default: default value 300 is outside" in width


def test_fractional_range_bounds_on_integers_become_the_integers_they_allow(
    tmp_path: Path,
) -> None:
    unit = build(
        tmp_path, json.dumps(one_member("integer", {"smithy.api#range": {"min": 1.5, "max": 4.5}}))
    )
    (member,) = unit.operations[0].input.members
    assert member.range is not None
    assert (member.range.min_literal, member.range.max_literal) == ("2", "4")
    assert member.range.describe == "1.5..4.5"


# Defaults at the edges of every type; each must pass the generated validator, strict mode too.
EDGE_DEFAULTS: dict[str, tuple[JsonObject, JsonObject]] = {
    # member name: (target shape, member traits)
    "Byte": ({"type": "byte"}, {"smithy.api#default": -128}),
    "Short": ({"type": "short"}, {"smithy.api#default": 32767}),
    "Integer": ({"type": "integer"}, {"smithy.api#default": -(2**31)}),
    "Long": ({"type": "long"}, {"smithy.api#default": 2**63 - 1}),
    "BigInteger": ({"type": "bigInteger"}, {"smithy.api#default": int("9" * MAX_INTEGER_DIGITS)}),
    "Float": ({"type": "float"}, {"smithy.api#default": 3.4e38}),
    "Double": ({"type": "double"}, {"smithy.api#default": -1.7976931348623157e308}),
    "BigDecimal": ({"type": "bigDecimal"}, {"smithy.api#default": 1e-300}),
    "Ranged": ({"type": "integer"}, {"smithy.api#default": 2, "smithy.api#range": {"min": 1.5, "max": 2.5}}),
    "RangedDouble": ({"type": "double"}, {"smithy.api#default": 0.25, "smithy.api#range": {"min": 0.25}}),
    "Boolean": ({"type": "boolean"}, {"smithy.api#default": False}),
    "String": ({"type": "string"}, {"smithy.api#default": "\u00e9\U0001f600", "smithy.api#length": {"min": 2, "max": 2}}),
    "Blob": ({"type": "blob"}, {"smithy.api#default": "AAE=", "smithy.api#length": {"min": 2}}),
    "DateTime": ({"type": "timestamp"}, {"smithy.api#default": "9999-12-31T23:59:59.9999999Z"}),
    "Offset": ({"type": "timestamp"}, {"smithy.api#default": "2024-03-01T00:30:00+01:00"}),
    "Epoch": ({"type": "timestamp"}, {"smithy.api#default": -62135596800}),
    "EpochFraction": ({"type": "timestamp"}, {"smithy.api#default": 1.5}),
    "Color": ({"type": "enum", "members": {"RED": {"target": "smithy.api#Unit"}}}, {"smithy.api#default": "RED"}),
    "Level": (
        {"type": "intEnum", "members": {"TOP": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 2**31 - 1}}}},
        {"smithy.api#default": 2**31 - 1},
    ),
    "Strings": ({"type": "list", "member": {"target": "smithy.api#String"}}, {"smithy.api#default": [], "smithy.api#length": {"max": 0}}),
    "Table": ({"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#Integer"}}, {"smithy.api#default": {}}),
    "Document": ({"type": "document"}, {"smithy.api#default": {"a": [1, 2.5, None, True, "x"]}}),
}  # fmt: skip


def test_defaults_of_every_type_pass_their_own_validator(tmp_path: Path) -> None:
    shapes = {f"{NS}#{name}Shape": target for name, (target, _) in EDGE_DEFAULTS.items()}
    members = {
        name: {"target": f"{NS}#{name}Shape", "traits": traits}
        for name, (_, traits) in EDGE_DEFAULTS.items()
    }
    config = _project(tmp_path, model(shapes, members))
    assert main(["generate", "--config", str(config)]) == 0
    script = """
import datetime, decimal, json
import hostile.client, hostile.stub.service
from hostile import OpInput, validate_op_input
value = OpInput()
assert validate_op_input(value, strict=True) == [], validate_op_input(value, strict=True)
assert validate_op_input(OpInput.from_dict({}), strict=True) == []
assert validate_op_input(value.to_dict(), strict=True) == []
print(json.dumps({
    "Long": value.long, "Float": value.float, "Ranged": value.ranged,
    "DateTime": value.date_time.isoformat(), "Offset": value.offset.isoformat(),
    "Epoch": value.epoch.isoformat(), "EpochFraction": value.epoch_fraction.isoformat(),
    "BigDecimal": str(value.big_decimal), "Blob": value.blob.hex(),
    "BigInteger": len(str(value.big_integer)),
}))
"""
    result = run_isolated(tmp_path / "generated", script)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "Long": 2**63 - 1,
        "Float": 3.4e38,
        "Ranged": 2,
        "DateTime": "9999-12-31T23:59:59.999999+00:00",
        "Offset": "2024-02-29T23:30:00+00:00",
        "Epoch": "0001-01-01T00:00:00+00:00",
        "EpochFraction": "1970-01-01T00:00:01.500000+00:00",
        "BigDecimal": "1E-300",
        "Blob": "0001",
        "BigInteger": MAX_INTEGER_DIGITS,
    }


_NUMBER_TYPES = ["byte", "short", "integer", "long", "bigInteger", "float", "double", "bigDecimal"]
_JSON_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([2**7, 2**15, 2**31, 2**63, -(2**63) - 1, 3.5e38, 1.7976931348623157e308]),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shape_type=st.sampled_from(_NUMBER_TYPES),
    default=_JSON_NUMBERS,
    low=st.none() | _JSON_NUMBERS,
    high=st.none() | _JSON_NUMBERS,
)
@example(shape_type="byte", default=0, low=1, high=None)  # a zero default outside @range
@example(shape_type="integer", default=5, low=60, high=None)  # any other default is refused
def test_a_number_default_is_refused_or_fits_its_shape(
    tmp_path: Path, shape_type: str, default: float, low: float | None, high: float | None
) -> None:
    """Built (not rendered, which is costly): the default's Python value has the shape's type,
    width and range, compared exactly; the generation test above renders the same literals."""
    value_range = {key: bound for key, bound in (("min", low), ("max", high)) if bound is not None}
    traits: JsonObject = {"smithy.api#default": default}
    if value_range:
        traits["smithy.api#range"] = value_range
    try:
        unit = build(tmp_path, json.dumps(one_member(shape_type, traits)))
    except ShapesmithError as error:
        assert all(
            d.pointer.startswith(f"/shapes/{NS}#OpInput/members/Value") for d in error.diagnostics
        )
        return
    (member,) = unit.operations[0].input.members
    assert member.default_literal is not None
    value = eval(member.default_literal, {"_decimal": decimal, "_datetime": datetime})
    if shape_type in {"float", "double"}:
        assert type(value) is float and math.isfinite(value)
    elif shape_type == "bigDecimal":
        assert isinstance(value, Decimal) and value.is_finite()
    else:
        assert type(value) is int
    if member.integer_bounds is not None:
        assert member.integer_bounds[0] <= value <= member.integer_bounds[1]
    if member.range is not None:
        # What the validator compares with, and that an integer's bounds allow what the model's do.
        low_literal, high_literal = member.range.min_literal, member.range.max_literal
        # Smithy lets a zero default break @range (`@default(0) @range(min: 60)`: 0 is unset).
        zero_unset = value == 0 and member.range.allows_zero
        if low_literal is not None and not zero_unset:
            assert value >= eval(low_literal, {"_decimal": decimal})
        if high_literal is not None and not zero_unset:
            assert value <= eval(high_literal, {"_decimal": decimal})
        if shape_type in {"byte", "short", "integer", "long", "bigInteger"}:
            assert low_literal is None or int(low_literal) == math.ceil(_exact(low))
            assert high_literal is None or int(high_literal) == math.floor(_exact(high))


def _exact(number: float | None) -> Decimal:
    assert number is not None
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


# -- helpers ----------------------------------------------------------------------------------


def _project(root: Path, document: JsonObject) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "model.json").write_text(json.dumps(document), "utf-8")
    config = root / "shapesmith.toml"
    config.write_text(
        f'models = ["model.json"]\noutput = "generated"\noperations = ["{OPERATION}"]\n', "utf-8"
    )
    return config


# -- depth ------------------------------------------------------------------------------------


def structure_chain(count: int, prefix: str = "S") -> JsonObject:
    """`count` structures, each holding the next in `Next` and an integer 0..9 in `Leaf`."""
    shapes: JsonObject = {
        f"{NS}#Digit": {"type": "integer", "traits": {"smithy.api#range": {"min": 0, "max": 9}}}
    }
    for index in range(count):
        members: JsonObject = {"Leaf": {"target": f"{NS}#Digit"}}
        if index + 1 < count:
            members["Next"] = {"target": f"{NS}#{prefix}{index + 1}"}
        shapes[f"{NS}#{prefix}{index}"] = {"type": "structure", "members": members}
    return shapes


def collection_chain(count: int, prefix: str = "L") -> JsonObject:
    """`count` lists and maps, alternately, each holding the next; the last holds strings."""
    shapes: JsonObject = {}
    for index in range(count):
        inner = f"{NS}#{prefix}{index + 1}" if index + 1 < count else "smithy.api#String"
        if index % 2:
            shapes[f"{NS}#{prefix}{index}"] = {
                "type": "map",
                "key": {"target": "smithy.api#String"},
                "value": {"target": inner},
            }
        else:
            shapes[f"{NS}#{prefix}{index}"] = {"type": "list", "member": {"target": inner}}
    return shapes


def nested_value(depth: int, leaf: int) -> JsonObject:
    """The wire form of a `structure_chain` value `depth` structures deep, `leaf` at the bottom."""
    value: JsonObject = {"Leaf": leaf}
    for _ in range(depth - 1):
        value = {"Leaf": 0, "Next": value}
    return value


def test_json_nested_past_the_limit_is_refused(tmp_path: Path) -> None:
    document = model({}, {})
    deep = "[" * 100_000 + "]" * 100_000
    text = json.dumps({**document, "metadata": {"deep": "RAW"}}).replace('"RAW"', deep)
    assert refusals(tmp_path, text) == [f"model.json: JSON nests deeper than {MAX_DEPTH} levels"]
    # Past the limit but within what Python's parser takes: the pointer of the first too-deep value.
    levels = MAX_DEPTH + 5
    text = json.dumps({**document, "metadata": {"deep": "RAW"}}).replace(
        '"RAW"', "[" * levels + "]" * levels
    )
    pointer = "/metadata/deep" + "/0" * (MAX_DEPTH - 2)
    assert refusals(tmp_path, text) == [
        f"model.json: {pointer}: JSON nests deeper than {MAX_DEPTH} levels here"
    ]


def test_deeply_nested_pattern_groups_are_a_warning_and_left_unenforced(tmp_path: Path) -> None:
    """Valid ECMA 262, but deeper than Python's `re` is asked to compile: that one constraint
    is not enforced, with a warning (an error under strict)."""
    pattern = "(" * 3000 + "a" + ")" * 3000
    path = write_model(tmp_path, json.dumps(one_member("string", {"smithy.api#pattern": pattern})))
    checked = load_model([path], tmp_path)
    warnings = Warnings()
    check_model(checked, warnings)
    selection = Selection((OPERATION,), "shapesmith.toml", "/operations")
    (unit,) = build_units(checked, selection, warnings)
    (found,) = [str(warning) for warning in warnings]
    assert found == (
        f"{MEMBER}/smithy.api#pattern: @pattern is not enforced: groups nest deeper than "
        f"{MAX_GROUP_DEPTH} levels at position {MAX_GROUP_DEPTH}"
    )
    (member,) = [m for s in unit.structures for m in s.members if m.name == "Value"]
    assert member.pattern is None and member.unenforced_pattern is not None
    assert unit.patterns == ()


def test_lists_and_maps_nested_past_the_limit_are_refused(tmp_path: Path) -> None:
    document = model(collection_chain(MAX_COLLECTION_DEPTH + 1), {"Deep": {"target": f"{NS}#L0"}})
    assert refusals(tmp_path, json.dumps(document)) == [
        f"model.json: /shapes/{NS}#L0: lists and maps nest more than {MAX_COLLECTION_DEPTH} "
        "levels deep from here; put a structure in between"
    ]
    looped = model(
        {
            f"{NS}#Outer": {"type": "list", "member": {"target": f"{NS}#Inner"}},
            f"{NS}#Inner": {
                "type": "map",
                "key": {"target": "smithy.api#String"},
                "value": {"target": f"{NS}#Outer"},
            },
        },
        {"Loop": {"target": f"{NS}#Outer"}},
    )
    assert refusals(tmp_path, json.dumps(looped)) == [
        f"model.json: /shapes/{NS}#Outer/member/target: {NS}#Inner contains itself through lists "
        "and maps alone; Smithy requires a structure or union on the way"
    ]


def test_long_chains_load_check_and_build_without_recursing_along_them(tmp_path: Path) -> None:
    """Structures and resources thousands deep, mixins hundreds (each copies the members of
    those below it, which takes time, not stack), built under a recursion limit far below the
    chains' lengths: nothing recurses along the model."""
    count, mixins = 2000, 300
    shapes = structure_chain(count)
    for index in range(mixins):
        mixin: JsonObject = {
            "type": "structure",
            "members": {f"M{index}": {"target": f"{NS}#Digit"}},
            "traits": {"smithy.api#mixin": {}},
        }
        if index + 1 < mixins:
            mixin["mixins"] = [{"target": f"{NS}#Mixin{index + 1}"}]
        shapes[f"{NS}#Mixin{index}"] = mixin
    for index in range(count):
        resource: JsonObject = {"type": "resource"}
        if index + 1 < count:
            resource["resources"] = [{"target": f"{NS}#Resource{index + 1}"}]
        shapes[f"{NS}#Resource{index}"] = resource
    shapes[f"{NS}#Resource{count - 1}"]["operations"] = [{"target": f"{NS}#Deep"}]
    shapes[f"{NS}#Deep"] = {"type": "operation", "input": {"target": f"{NS}#DeepInput"}}
    shapes[f"{NS}#DeepInput"] = {
        "type": "structure",
        "members": {"Top": {"target": f"{NS}#S0"}},
        "mixins": [{"target": f"{NS}#Mixin0"}],
    }
    document = model(shapes, {"Top": {"target": f"{NS}#S0"}})
    document["shapes"][f"{NS}#Service"]["resources"] = [{"target": f"{NS}#Resource0"}]
    path = write_model(tmp_path, json.dumps(document))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        checked = load_model([path], tmp_path)
        check_model(checked)
        (unit,) = build_units(checked, Selection((), "shapesmith.toml", "/operations"))
        schemas = schema_files((unit,))
    finally:
        sys.setrecursionlimit(limit)
    assert [op.name for op in unit.operations] == ["Deep", "Op"]
    deep_input = unit.operations[0].input
    # Mixin members come first, the deepest mixin's first.
    assert [m.name for m in deep_input.members][:2] == [f"M{mixins - 1}", f"M{mixins - 2}"]
    assert len(deep_input.members) == mixins + 1
    assert len(unit.structures) == count + 3
    assert sorted(schemas) == [
        f"hostile/{name}.schema.json" for name in ("DeepInput", "OpInput", "OpOutput")
    ]
    assert len(json.loads(schemas["hostile/OpInput.schema.json"])["$defs"]) == count + 1
    # Along the chain, each structure is checked in place by the one above it until the copy
    # would outgrow its budget; then the next keeps a function of its own, and the count starts
    # again: a period, the same all the way up, never a copy of the whole chain.
    called = sorted(count - 1 - int(s.name[1:]) for s in unit.checked_by_function)
    period = called[0] + 1
    assert period >= 2
    assert called == list(range(period - 1, count, period))
    plan = unit.validator_plan
    chain = [s for s in unit.structures if s.name.startswith("S")]
    assert max(plan.estimated_lines(s.id) for s in chain) <= validator_plan.FUNCTION_LINES
    checked_in_place = {m.target.name for s in chain for m in s.members if plan.in_place(m)}
    held = {f"S{index}" for index in range(1, count)}
    assert checked_in_place == held - {s.name for s in unit.checked_by_function}


def test_a_deep_but_legal_model_generates_imports_and_validates(tmp_path: Path) -> None:
    """50 nested structures (once 'too many levels of indentation'), lists and maps nested to
    the limit, a pattern nested to the limit, a document default and endpoint rules nested as
    deep as model JSON may: generated (black included), imported, validated."""
    shapes = {**structure_chain(50), **collection_chain(MAX_COLLECTION_DEPTH)}
    # /shapes/<id>/members/<name>/traits/smithy.api#default is 6 levels: the rest is the value's.
    deepest: object = "bottom"
    for _ in range(MAX_DEPTH - 6):
        deepest = [deepest]
    shapes[f"{NS}#Anything"] = {"type": "document"}
    shapes[f"{NS}#Nested"] = {
        "type": "string",
        "traits": {
            "smithy.api#pattern": "^" + "(?:" * MAX_GROUP_DEPTH + "a" + ")" * MAX_GROUP_DEPTH + "$"
        },
    }
    members = {
        "Top": {"target": f"{NS}#S0"},
        "Lists": {"target": f"{NS}#L0"},
        "Nested": {"target": f"{NS}#Nested"},
        "Anything": {"target": f"{NS}#Anything", "traits": {"smithy.api#default": deepest}},
    }
    document = model(shapes, members)
    # /shapes/<id>/traits/<rule set>/rules/0/error is 8 levels: the rest is the value's.
    assert isinstance(deepest, list) and isinstance(deepest[0], list)
    document["shapes"][f"{NS}#Service"]["traits"]["smithy.rules#endpointRuleSet"]["rules"] = [
        {"type": "error", "conditions": [], "error": {"deep": deepest[0][0]}}
    ]
    config = _project(tmp_path, document)
    assert main(["generate", "--config", str(config)]) == 0
    lists: object = "x"
    for index in reversed(range(MAX_COLLECTION_DEPTH)):
        lists = {"k": lists} if index % 2 else [lists]
    script = f"""
import json
import hostile.client, hostile.stub.service
from hostile import validate_op_input
top = json.loads({json.dumps(json.dumps(nested_value(50, 12)))})
found = validate_op_input({{"Top": top, "Lists": {lists!r}, "Nested": "b"}})
print(json.dumps([[v.path, v.constraint] for v in found]))
from hostile import OpInput
print(json.dumps(OpInput().anything))
"""
    result = run_isolated(tmp_path / "generated", script)
    assert result.returncode == 0, result.stderr
    violations, anything = result.stdout.splitlines()
    assert json.loads(violations) == [
        ["Top" + ".Next" * 49 + ".Leaf", "range"],
        ["Nested", "pattern"],
    ]
    assert json.loads(anything) == deepest


def test_a_chain_of_2000_structures_renders_imports_and_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendered through every template and compiled, but not formatted: black takes minutes on
    the 5 MB this makes, and the 50-level model above shows it formats the same shapes."""
    count = 2000
    path = write_model(
        tmp_path, json.dumps(model(structure_chain(count), {"Top": {"target": f"{NS}#S0"}}))
    )
    checked = load_model([path], tmp_path)
    check_model(checked)
    units = build_units(checked, Selection((OPERATION,), "shapesmith.toml", "/operations"))

    def compile_only(sources: dict[str, str], cache: object = None) -> dict[str, str]:
        for path, source in sources.items():
            compile(source, path, "exec", dont_inherit=True)
        return dict(sources)

    monkeypatch.setattr(render, "format_modules", compile_only)
    for relative, text in render.render_all(units).items():
        (tmp_path / "out" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / relative).write_text(text, "utf-8")
    script = f"""
import json
import hostile.client, hostile.stub.service
from hostile import OpInput, S0, validate_op_input
top = {{"Leaf": 10}}
for _ in range({count - 1}):
    top = {{"Leaf": 0, "Next": top}}
found = validate_op_input({{"Top": top}})
print(json.dumps([[v.path, v.constraint] for v in found]))
print(validate_op_input(OpInput(top=S0(leaf=1))))
"""
    result = run_isolated(tmp_path / "out", script)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert json.loads(first) == [["Top" + ".Next" * (count - 1) + ".Leaf", "range"]]
    assert second == "[]"


def test_an_inherited_default_must_meet_the_members_own_constraints(tmp_path: Path) -> None:
    # (A zero default, such as smithy.api#PrimitiveInteger's, may break a @range: Smithy 1.0's
    # "unset"; tests/test_aws_shapes.py.)
    five = {"type": "integer", "traits": {"smithy.api#default": 5}}
    document = model(
        {f"{NS}#Five": five},
        {"Count": {"target": f"{NS}#Five", "traits": {"smithy.api#range": {"min": 10}}}},
    )
    assert refusals(tmp_path, json.dumps(document)) == [
        f"model.json: /shapes/{NS}#OpInput/members/Count/traits: default value 5 breaks "
        f"@range 10.. (the default of {NS}#Five)"
    ]


def test_the_command_line_refuses_hostile_depth_with_exit_2_and_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "deep"
    config = _project(deep, model({}, {}))
    text = json.dumps({**model({}, {}), "metadata": {"deep": "RAW"}})
    (deep / "model.json").write_text(text.replace('"RAW"', "[" * 100_000 + "]" * 100_000))
    assert main(["generate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: model.json: JSON nests deeper than {MAX_DEPTH} levels\n"
        "1 error; nothing was written\n"
    )

    shapes = {
        **collection_chain(MAX_COLLECTION_DEPTH + 1),
        f"{NS}#Loop": {"type": "list", "member": {"target": f"{NS}#Loop"}},
        f"{NS}#Groups": {
            "type": "string",
            # No dialect's regular expression (unbalanced), however deep: a model error.
            "traits": {"smithy.api#pattern": ")" * 3000 + "(" * 3000},
        },
        f"{NS}#Small": {"type": "byte", "traits": {"smithy.api#default": 300}},
    }
    members: dict[str, Any] = {
        name: {"target": f"{NS}#{name}"} for name in ("L0", "Loop", "Groups")
    }
    members["Small"] = {"target": f"{NS}#Small", "traits": {"smithy.api#default": 300}}
    config = _project(tmp_path / "many", model(shapes, members))
    assert main(["generate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1] == "5 errors; nothing was written", err
    for expected in (
        f"/shapes/{NS}#Groups/traits/smithy.api#pattern: ",
        f"/shapes/{NS}#L0: lists and maps nest more than",
        f"/shapes/{NS}#Loop/member/target: {NS}#Loop contains itself",
        f"/shapes/{NS}#OpInput/members/Small/traits/smithy.api#default: default value 300",
        f"/shapes/{NS}#Small/traits/smithy.api#default: default value 300",
    ):
        assert any(expected in line for line in lines), (expected, err)
    assert not (tmp_path / "many" / "generated").exists()
