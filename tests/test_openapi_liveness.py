"""The same API by two routes: GetFaceLivenessSessionResults written by hand as an OpenAPI 3.1
document (`tests/fixtures/openapi/liveness-3.1.yaml`) and as the Smithy model in `models/`.

On values Hypothesis makes from the document's schemas (valid ones, ones near each limit, wrong
types, missing and stray members), the validators generated from the document report exactly
what those generated from the Smithy model report, and both say "valid" exactly when
`jsonschema` says the value's JSON form is valid against the document's schema.
"""

from __future__ import annotations

import base64
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import rekognition.enums
import rekognition.validators as smithy_validators
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator.cli import main
from tests.conftest import FIXTURES

DOCUMENT = FIXTURES / "openapi" / "liveness-3.1.yaml"
SCHEMAS: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text("utf-8"))["components"]["schemas"]

# Letters that the document's patterns care about, and a few they do not. Strings stay ASCII
# without line breaks: `jsonschema` searches patterns with Python's `re`, whose `$` and `\d` mean
# more than ECMA 262's (the generated validators follow ECMA; test_ecma_regex covers the rest).
_ALPHABET = "0123456789abcdefABCXYZ-._ "
# Every enum value either route knows, offered to every enum: a value only one route lists shows.
_ENUM_VALUES = sorted(
    {str(m.value) for e in vars(rekognition.enums).values() if isinstance(e, type) for m in e}
    | {v for schema in SCHEMAS.values() for v in schema.get("enum", ())}
)
_JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3), st.just([]))


@pytest.fixture(scope="module")
def openapi_validators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = tmp_path_factory.mktemp("liveness")
    config = root / "shapesmith.toml"
    config.write_text(f'models = ["{DOCUMENT.as_posix()}"]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(config)]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("rekognition_liveness.validators")
    finally:
        sys.path.remove(str(root / "out"))
        for name in [n for n in sys.modules if n.partition(".")[0] == "rekognition_liveness"]:
            del sys.modules[name]


def _resolved(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return SCHEMAS[ref.rpartition("/")[2]] if isinstance(ref, str) else schema


def _strings(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "enum" in schema:
        known = st.sampled_from(_ENUM_VALUES)
        return st.one_of(known, known, known, st.text(_ALPHABET, max_size=12))
    low, high = schema.get("minLength", 0), schema.get("maxLength", 40)
    if schema.get("contentEncoding") == "base64":
        return st.binary(max_size=48)
    near = st.integers(max(0, low - 1), min(high + 1, 64))
    if schema.get("pattern", "").startswith("^[0-9a-f]{8}"):
        uuid = st.uuids().map(str)
        return st.one_of(uuid, uuid.map(str.upper), near.flatmap(_text))
    return near.flatmap(_text)


def _text(size: int) -> st.SearchStrategy[str]:
    return st.text(_ALPHABET, min_size=size, max_size=size)


def _numbers(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    low, high = schema.get("minimum", -1e6) - 1, schema.get("maximum", 1e6) + 1
    edges = st.sampled_from([low, low + 1, high - 1, high])
    return st.one_of(edges, st.floats(low, high), st.integers(int(low), int(high)))


def values(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values near `schema`: mostly of its type and close to its limits, sometimes junk."""
    schema = _resolved(schema)
    kind = schema.get("type")
    if kind == "object":
        properties = schema["properties"]
        required = set(schema.get("required", ()))
        optional = {
            name: values(sub, depth + 1) for name, sub in properties.items() if name not in required
        }
        near = st.fixed_dictionaries(
            {name: values(properties[name], depth + 1) for name in sorted(required)},
            optional=optional,
        ).flatmap(_maybe_spoiled)
    elif kind == "array":
        near = st.lists(values(schema["items"], depth + 1), max_size=schema.get("maxItems", 3) + 1)
    elif kind == "string":
        near = _strings(schema)
    else:
        near = _numbers(schema)
    return st.one_of(near, near, near, _JUNK) if depth else near


def _maybe_spoiled(value: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The object as it is, without one of its members, or with a stray one."""
    spoil = [st.just(value), st.just({**value, "Stray": 1})]
    spoil += [st.just({k: v for k, v in value.items() if k != name}) for name in value]
    return st.one_of(spoil)


def json_form(value: object) -> object:
    """The value as JSON carries it: blobs as base64 text."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: json_form(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_form(item) for item in value]
    return value


def _flat(path: object) -> tuple[object, ...]:
    """A violation's nested path `((((), "A"), 0), "B")` as `("A", 0, "B")`."""
    parts: list[object] = []
    while isinstance(path, tuple) and path:
        path, last = path
        parts.append(last)
    return tuple(reversed(parts))


def _found(violations: list[Any], *, under: tuple[object, ...] = ()) -> set[tuple[object, ...]]:
    # Not the limit's text: the blob's differs by the byte base64 text lengths cannot exclude.
    return {(*_flat(v._path)[len(under) :], v.constraint) for v in violations}


# The document's `#/components/schemas/...` references resolve against the document itself.
_REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:liveness", Resource({"components": {"schemas": SCHEMAS}}, DRAFT202012)
)


def _jsonschema_valid(name: str, value: object) -> bool:
    schema = {"$ref": f"urn:liveness#/components/schemas/{name}"}
    validator = jsonschema.Draft202012Validator(schema, registry=_REGISTRY)
    return bool(validator.is_valid(json_form(value)))


_SETTINGS = settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(value=values(SCHEMAS["GetFaceLivenessSessionResultsResponse"]))
def test_the_response_validators_agree(openapi_validators: ModuleType, value: Any) -> None:
    smithy = smithy_validators.validate_get_face_liveness_session_results_response(
        value, strict=True
    )
    openapi = openapi_validators.validate_get_face_liveness_session_results_output(
        {"body": value}, strict=True
    )
    assert _found(openapi, under=("body",)) == _found(smithy)
    assert (not smithy) == _jsonschema_valid("GetFaceLivenessSessionResultsResponse", value)


@_SETTINGS
@given(value=values(SCHEMAS["GetFaceLivenessSessionResultsRequest"]))
def test_the_request_validators_agree(openapi_validators: ModuleType, value: Any) -> None:
    smithy = smithy_validators.validate_get_face_liveness_session_results_request(value)
    openapi = openapi_validators.validate_get_face_liveness_session_results_input({"body": value})
    assert _found(openapi, under=("body",)) == _found(smithy)
    assert (not smithy) == _jsonschema_valid("GetFaceLivenessSessionResultsRequest", value)


def test_the_strategy_reaches_valid_and_invalid_values(openapi_validators: ModuleType) -> None:
    """Agreement means little if every value made were invalid (or valid)."""
    seen: set[bool] = set()

    @settings(max_examples=200, deadline=None)
    @given(value=values(SCHEMAS["GetFaceLivenessSessionResultsResponse"]))
    def record(value: Any) -> None:
        seen.add(_jsonschema_valid("GetFaceLivenessSessionResultsResponse", value))

    record()
    assert seen == {True, False}


_VALID = {
    "SessionId": "0f6c0b3e-3bb8-4a4e-9f3f-0a1b2c3d4e5f",
    "Status": "SUCCEEDED",
    "Challenge": {"Type": "FaceMovementChallenge", "Version": "1.0.0"},
    "Feedback": [{"Code": "FACE_NOT_VISIBLE", "Message": "Move closer"}],
}


@pytest.mark.parametrize("value", _ENUM_VALUES)
@pytest.mark.parametrize("slot", ["Status", "Challenge.Type", "Feedback.0.Code"])
def test_every_enum_value_either_route_knows_is_judged_alike(
    openapi_validators: ModuleType, slot: str, value: str
) -> None:
    """Random values reach few of an enum's values; each is put in each enum slot here."""
    response = json_form(_VALID)
    assert isinstance(response, dict)
    *parents, last = slot.split(".")
    holder: Any = response
    for key in parents:
        holder = holder[int(key)] if key.isdigit() else holder[key]
    holder[last] = value
    smithy = smithy_validators.validate_get_face_liveness_session_results_response(
        response, strict=True
    )
    openapi = openapi_validators.validate_get_face_liveness_session_results_output(
        {"body": response}, strict=True
    )
    assert _found(openapi, under=("body",)) == _found(smithy)
    assert (not smithy) == _jsonschema_valid("GetFaceLivenessSessionResultsResponse", response)
