"""JSON Schema constraints that Smithy has no trait for (exclusive bounds of numbers, `multipleOf`,
null), kept from an OpenAPI document through shapesmith's own traits: the generated validators
say "valid" exactly when a JSON Schema validator does, on values Hypothesis makes.

OpenAPI 3.1 is JSON Schema 2020-12 (`jsonschema` judges); 3.0 says the same with its own words
(`exclusiveMinimum: true`, `nullable: true`), judged by `openapi-schema-validator`'s OAS 3.0
validator, which comes with openapi-spec-validator.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS30Validator

from generator.diagnostics import ShapesmithError
from generator.loader import load_model
from generator.semantics import check_model
from tests.conftest import FIXTURES, generate_files, imported

DOCUMENT_31 = FIXTURES / "openapi" / "constraints-3.1.yaml"


def _as_openapi_30(text: str) -> str:
    """The 3.1 document in 3.0's words: `const` -> a one-value `enum`, `type: [X, "null"]` ->
    `nullable`, numeric exclusive bounds -> a boolean beside `minimum`/`maximum` (only where no
    inclusive bound is beside)."""
    text = text.replace("openapi: 3.1.0", "openapi: 3.0.3")
    text = re.sub(r"\{const: (\w+)\}", r"{type: string, enum: [\1]}", text)
    text = re.sub(r'type: \[(\w+), "null"\]', r"type: \1, nullable: true", text)
    text = re.sub(r"exclusiveMinimum: (-?[\d.]+)", r"minimum: \1, exclusiveMinimum: true", text)
    return re.sub(r"exclusiveMaximum: (-?[\d.]+)", r"maximum: \1, exclusiveMaximum: true", text)


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Per OpenAPI version: the generated validators and the reference validator."""
    text_31 = DOCUMENT_31.read_text("utf-8")
    folder = tmp_path_factory.mktemp("constraints-30")
    document_30 = folder / "constraints-3.0.yaml"
    document_30.write_text(_as_openapi_30(text_31), "utf-8")
    found: dict[str, Any] = {}
    for version, document, reference in (
        ("3.1", DOCUMENT_31, jsonschema.Draft202012Validator),
        ("3.0", document_30, OAS30Validator),
    ):
        schemas = yaml.safe_load(document.read_text("utf-8"))["components"]["schemas"]
        root = tmp_path_factory.mktemp(f"generated-{version}")
        assert generate_files(root, [document]) == (0, "")
        # Formats assert here: shapesmith checks `uuid` (JSON Schema leaves it to the caller).
        checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
        with imported(root / "out", "constraints.validators") as generated:
            # Both versions' packages are named `constraints`: each is used after the next is
            # imported, so every part of its validators is loaded while it is importable.
            for name in generated.__all__:
                getattr(generated, name)
            found[version] = (generated, reference(schemas["Reading"], format_checker=checker))
    yield found


_NUMBERS = st.one_of(
    st.sampled_from([0, 1, -1, 0.5, 2.5, -2.5, 5, -5, 3, 4, 95, 100, -7.5, -5, 0.01, 0.1, 0.3]),
    st.integers(-200, 200),
    st.floats(-200, 200, allow_nan=False),
    st.integers(-200, 200).map(lambda n: n / 100),
    st.integers(-40, 40).map(lambda n: n / 2),
)
_VALUES = st.one_of(_NUMBERS, st.none(), st.text(max_size=6), st.booleans())
_INTEGERS = {"step", "tighter", "count"}
_PROPERTIES = [
    "ratio",
    "below",
    "both",
    "cents",
    "step",
    "tighter",
    "note",
    "label",
    "count",
    "id",
    "kind",
]
_TEXT = st.one_of(
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.uuids().map(lambda u: "{" + str(u) + "}"),
    st.uuids().map(lambda u: u.hex),
    st.sampled_from(["reading", "Reading", "readings", ""]),
)


@st.composite
def readings(draw: st.DrawFn) -> dict[str, Any]:
    """A valid reading with one or two members changed (or removed): a value with many
    violations would say little about each constraint."""
    reading: dict[str, Any] = {"ratio": 0.5, "note": "ab"}
    for name in draw(st.sets(st.sampled_from([*_PROPERTIES, "tags", "scores"]), max_size=2)):
        if name == "tags":
            items = st.one_of(st.none(), st.text(max_size=2), st.integers())
            reading[name] = draw(st.lists(items, max_size=3))
        elif name == "scores":
            values = st.one_of(st.none(), _NUMBERS, st.text(max_size=1))
            reading[name] = draw(st.dictionaries(st.text(max_size=2), values, max_size=3))
        elif draw(st.integers(0, 9)) == 0:
            reading.pop(name, None)
        elif name in {"id", "kind"}:
            reading[name] = draw(_TEXT if draw(st.integers(0, 3)) else _VALUES)
        else:
            reading[name] = draw(_NUMBERS if draw(st.integers(0, 3)) else _VALUES)
    return reading


@pytest.mark.parametrize("version", ["3.1", "3.0"])
@settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(reading=readings())
def test_the_validators_agree_with_json_schema(
    routes: dict[str, Any], version: str, reading: dict[str, Any]
) -> None:
    generated, reference = routes[version]
    ours = generated.validate_put_reading_input({"body": reading}, strict=True)
    whole_floats = {
        f"body.{name}"
        for name in _INTEGERS
        if isinstance(reading.get(name), float) and reading[name].is_integer()
    }
    if whole_floats and version == "3.1":
        # JSON Schema 2020-12 counts 1.0 as an integer; shapesmith's integers are integers in
        # the JSON text, as Python reads them (a documented difference): that is all it adds.
        assert {v.path for v in ours if v.constraint == "type"} >= whole_floats
        ours = [v for v in ours if v.path not in whole_floats]
        reading = {k: v for k, v in reading.items() if f"body.{k}" not in whole_floats}
    assert (not ours) == reference.is_valid(reading), (ours, list(reference.iter_errors(reading)))


@pytest.mark.parametrize("version", ["3.1", "3.0"])
@pytest.mark.parametrize(
    ("reading", "violations"),
    [
        ({"ratio": 0, "note": None}, [("body.ratio", "range", "0..1 excluding 0")]),
        ({"ratio": 1, "note": "abcd"}, []),
        ({"ratio": 0.5}, [("body.note", "required", "a value")]),
        ({"ratio": 0.5, "note": None, "label": None, "tags": [None], "scores": {"a": None}}, []),
        (
            {"ratio": 0.5, "note": None, "step": 100, "tighter": 3},
            [("body.step", "range", "-7..99"), ("body.tighter", "range", "4..")],
        ),
        (
            {"ratio": 0.5, "note": None, "both": 1.25, "cents": 0.015, "step": 12},
            [
                ("body.both", "multiple_of", "a multiple of 0.5"),
                ("body.cents", "multiple_of", "a multiple of 0.01"),
                ("body.step", "multiple_of", "a multiple of 5"),
            ],
        ),
        (
            {"ratio": 0.5, "note": None, "count": None},
            [("body.count", "type", "a value, not null")],
        ),
    ],
)
def test_what_each_violation_says(
    routes: dict[str, Any], version: str, reading: dict[str, Any], violations: list[Any]
) -> None:
    generated, _ = routes[version]
    found = generated.validate_put_reading_input({"body": reading})
    assert sorted((v.path, v.constraint, v.limit) for v in found) == sorted(violations)


# -- the traits written by hand in a Smithy model -----------------------------------------------


def _model(number_traits: dict[str, Any], member_traits: dict[str, Any]) -> dict[str, Any]:
    return {
        "smithy": "2.0",
        "shapes": {
            "ex#Amount": {"type": "double", "traits": number_traits},
            "ex#Name": {"type": "string"},
            "ex#Order": {
                "type": "structure",
                "members": {
                    "Amount": {"target": "ex#Amount"},
                    "Name": {"target": "ex#Name", "traits": member_traits},
                },
            },
        },
    }


@pytest.mark.parametrize(
    ("number_traits", "member_traits", "expected"),
    [
        (
            {"shapesmith.api#exclusiveRange": {"min": 5, "max": 5}},
            {},
            "/shapes/ex#Amount/traits/shapesmith.api#exclusiveRange/min: "
            "no value is above 5 and below 5",
        ),
        (
            {"shapesmith.api#exclusiveRange": {"low": 1}},
            {},
            "/shapes/ex#Amount/traits/shapesmith.api#exclusiveRange: "
            "expected an object with `min` and/or `max`",
        ),
        (
            {"shapesmith.api#multipleOf": 0},
            {},
            "/shapes/ex#Amount/traits/shapesmith.api#multipleOf: expected a finite number above 0",
        ),
        (
            {},
            {"shapesmith.api#multipleOf": 2},
            "/shapes/ex#Order/members/Name/traits/shapesmith.api#multipleOf: "
            "multipleOf applies to numbers, not to a string",
        ),
        (
            {"shapesmith.api#nullable": {}},
            {},
            "/shapes/ex#Amount/traits/shapesmith.api#nullable: "
            "nullable applies to structure members, not to shapes",
        ),
        (
            {"shapesmith.api#errorsByStatus": {}},
            {},
            "/shapes/ex#Amount/traits/shapesmith.api#errorsByStatus: "
            "errorsByStatus applies to services, as {}",
        ),
        (
            {},
            {"shapesmith.api#errorsByStatus": {}},
            "/shapes/ex#Order/members/Name/traits/shapesmith.api#errorsByStatus: "
            "errorsByStatus applies to services, as {}",
        ),
    ],
)
def test_a_misused_trait_is_refused_at_its_pointer(
    tmp_path: Path, number_traits: dict[str, Any], member_traits: dict[str, Any], expected: str
) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(_model(number_traits, member_traits)), "utf-8")
    with pytest.raises(ShapesmithError) as raised:
        check_model(load_model([path], tmp_path))
    assert [f"{d.pointer}: {d.message}" for d in raised.value.diagnostics] == [expected]


_KEYED = """\
openapi: 3.1.0
info: {title: Keyed, version: "1"}
paths:
  /maps:
    post:
      operationId: PutMaps
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Maps"}
      responses:
        "204": {description: stored}
components:
  schemas:
    Name: {type: string, pattern: "^[a-z]+$"}
    Maps:
      type: object
      additionalProperties: false
      properties:
        inline:
          type: object
          propertyNames: {type: string, minLength: 2, maxLength: 3, pattern: "^(?!x)"}
          additionalProperties: {type: integer}
        listed:
          type: object
          propertyNames: {enum: [red, green]}
          additionalProperties: true
        named:
          type: object
          propertyNames: {$ref: "#/components/schemas/Name"}
          additionalProperties: {type: string}
        untyped:
          type: object
          propertyNames: {maxLength: 1}
          additionalProperties: {type: integer}
        choice:
          type: object
          properties:
            a: {type: integer}
            b: {type: string, minLength: 1}
          additionalProperties: false
          minProperties: 1
          maxProperties: 1
"""
_KEYS = st.one_of(
    st.sampled_from(["ab", "abc", "xy", "red", "green", "blue", "a", "b", "c"]), st.text()
)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    root = tmp_path_factory.mktemp("keyed")
    document = root / "keyed.yaml"
    document.write_text(_KEYED, "utf-8")
    assert generate_files(root, [document]) == (0, "")
    schemas = yaml.safe_load(_KEYED)["components"]["schemas"]
    whole = {"$defs": schemas, **schemas["Maps"]}
    reference = jsonschema.Draft202012Validator(
        json.loads(json.dumps(whole).replace("#/components/schemas/", "#/$defs/"))
    )
    with imported(root / "out", "keyed.validators") as generated:
        yield generated, reference


@settings(max_examples=300, deadline=None)
@given(
    maps=st.fixed_dictionaries(
        {},
        optional={
            name: st.dictionaries(_KEYS, st.integers(0, 3) | st.just("s"), max_size=3)
            for name in ("inline", "listed", "named", "untyped", "choice")
        },
    )
)
def test_maps_and_one_property_objects_check_as_json_schema_does(
    keyed: tuple[Any, Any], maps: dict[str, Any]
) -> None:
    generated, reference = keyed
    ours = generated.validate_put_maps_input({"body": maps}, strict=True)
    assert (not ours) == reference.is_valid(maps), (ours, list(reference.iter_errors(maps)))
