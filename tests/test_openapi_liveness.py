"""The same API by two routes: GetFaceLivenessSessionResults written by hand as an OpenAPI 3.1
document (`tests/fixtures/openapi/liveness-3.1.yaml`) and as the Smithy model in `models/`.

On values Hypothesis makes from the document's schemas (valid ones, ones near each limit, wrong
types, missing and stray members), the validators generated from the document report exactly
what those generated from the Smithy model report, and both say "valid" exactly when
`jsonschema` says the value's JSON form is valid against the document's schema.
"""

from __future__ import annotations

import enum
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
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import FIXTURES, generate_files, imported
from tests.schema_values import SchemaValues, flat_path, json_form

DOCUMENT = FIXTURES / "openapi" / "liveness-3.1.yaml"
SCHEMAS: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text("utf-8"))["components"]["schemas"]

# Every enum value either route knows, offered to every enum: a value only one route lists shows.
_ENUM_VALUES = sorted(
    {
        str(m.value)
        for e in [getattr(rekognition.enums, name) for name in dir(rekognition.enums)]
        if isinstance(e, type) and issubclass(e, enum.Enum)
        for m in e
    }
    | {v for schema in SCHEMAS.values() for v in schema.get("enum", ())}
)
values = SchemaValues(SCHEMAS, _ENUM_VALUES).values


@pytest.fixture(scope="module")
def openapi_validators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = tmp_path_factory.mktemp("liveness")
    assert generate_files(root, [DOCUMENT]) == (0, "")
    with imported(root / "out", "rekognition_liveness.validators") as validators:
        yield validators


def _found(violations: list[Any], *, under: tuple[object, ...] = ()) -> set[tuple[object, ...]]:
    # Not the limit's text: the blob's differs by the byte base64 text lengths cannot exclude.
    return {(*flat_path(v._path)[len(under) :], v.constraint) for v in violations}


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
    _assert_responses_judged_alike(openapi_validators, value)


def _assert_responses_judged_alike(openapi_validators: ModuleType, value: Any) -> None:
    """Both routes' strict validators report the same violations, and say "valid" exactly
    when jsonschema does."""
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
    _assert_responses_judged_alike(openapi_validators, response)
