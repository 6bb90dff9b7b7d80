"""Differential tests: the generated validators against independent implementations.

- `jsonschema` on the schemas that `shapesmith export jsonschema` writes. The two must agree on
  every generated instance, except where jsonschema inherits Python `re` behaviour that ECMA 262
  (and so Smithy) does not have; each such divergence is listed here and must go Smithy's way.
- botocore's `ParamValidator` on its own copy of the Rekognition model: it checks less than we do,
  so it must never reject a value ours accepts.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import botocore.session
import jsonschema
import pytest
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rekognition import (
    validate_get_face_liveness_session_results_request,
    validate_get_face_liveness_session_results_response,
)

from generator import ir
from generator.config import load_config
from generator.jsonschema_export import shape_schema
from generator.pipeline import build
from tests.conftest import REPO

SESSION_ID = "0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a"
_LOOSENED_KEYWORDS = ("pattern", "minLength", "maxLength", "minimum", "maximum", "enum", "required")
_ASCII_DIGITS = frozenset("0123456789")
_DIGIT_ESCAPE = re.compile(r"\\d")


@cache
def unit() -> ir.GenerationUnit:
    (only,) = build(load_config(REPO / "pyproject.toml"))
    return only


def structure(name: str) -> ir.StructureShape:
    return next(s for s in unit().public_structures if s.name == name)


def _replace_blobs(node: Any) -> Any:
    """JSON Schema cannot state a blob's decoded length; test blobs as short strings instead."""
    if isinstance(node, dict):
        if node.get("contentEncoding") == "base64":
            return {"type": "string", "minLength": 1, "maxLength": 30}
        return {key: _replace_blobs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_blobs(item) for item in node]
    return node


def _loosen(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _loosen(v) for k, v in node.items() if k not in _LOOSENED_KEYWORDS}
    if isinstance(node, list):
        return [_loosen(item) for item in node]
    return node


def schemas(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    strict = _replace_blobs(shape_schema(structure(name)))
    return strict, _loosen(copy.deepcopy(strict))


def to_python_form(member_target: ir.Shape, value: Any) -> Any:
    """JSON form -> the Python wire form our validators take (blobs as bytes)."""
    if isinstance(member_target, ir.StructureShape) and isinstance(value, dict):
        members = {m.name: m for m in member_target.members}
        return {
            key: to_python_form(members[key].target, item) if key in members else item
            for key, item in value.items()
        }
    if isinstance(member_target, ir.ListShape) and isinstance(value, list):
        return [to_python_form(member_target.member.target, item) for item in value]
    if member_target.type is ir.ShapeType.BLOB and isinstance(value, str):
        return value.encode()
    return value


def known_divergence(shape: ir.StructureShape, value: Any) -> str | None:
    """Why jsonschema's verdict may legitimately differ from Smithy's for this value, if it may."""
    reasons = set()

    def visit(target: ir.Shape, pattern: ir.Pattern | None, item: Any) -> None:
        if isinstance(item, str) and pattern is not None:
            if pattern.ecma.endswith("$") and item.endswith("\n"):
                reasons.add("python-dollar-before-final-newline")
            if _DIGIT_ESCAPE.search(pattern.ecma) and any(
                c.isdigit() and c not in _ASCII_DIGITS for c in item
            ):
                reasons.add("python-unicode-digit-class")
        if isinstance(target, ir.StructureShape) and isinstance(item, dict):
            for member in target.members:
                if member.name in item:
                    visit(member.target, member.pattern, item[member.name])
        if isinstance(target, ir.ListShape) and isinstance(item, list):
            for element in item:
                visit(target.member.target, target.member.pattern, element)

    visit(shape, None, value)
    return ", ".join(sorted(reasons)) or None


VALIDATORS = {
    "GetFaceLivenessSessionResultsRequest": validate_get_face_liveness_session_results_request,
    "GetFaceLivenessSessionResultsResponse": validate_get_face_liveness_session_results_response,
}


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Instances of the subset of JSON Schema that the export writes.

    Strings with a pattern come from Hypothesis' `from_regex`, which reads the pattern the Python
    way: exactly the instances on which jsonschema (also Python `re`) and ECMA 262 part ways.
    """
    definitions = schema.get("$defs", {})

    def strategy(node: dict[str, Any]) -> st.SearchStrategy[Any]:
        if "$ref" in node:
            name = node["$ref"].rpartition("/")[2]
            return st.deferred(lambda: strategy(definitions[name]))
        if "allOf" in node:
            merged: dict[str, Any] = {}
            for part in node["allOf"]:
                merged.update(
                    definitions[part["$ref"].rpartition("/")[2]] if "$ref" in part else part
                )
            return strategy(merged)
        if "anyOf" in node:
            return st.one_of([strategy(option) for option in node["anyOf"]])
        if "enum" in node:
            return st.sampled_from(node["enum"]) | st.text(max_size=8)
        kind = node.get("type")
        if kind == "object":
            properties = {key: strategy(value) for key, value in node.get("properties", {}).items()}
            required = {key: properties[key] for key in node.get("required", [])}
            optional = {key: value for key, value in properties.items() if key not in required}
            return st.fixed_dictionaries(required, optional=optional)
        if kind == "array":
            return st.lists(strategy(node.get("items", {})), max_size=3)
        if kind == "string":
            low, high = node.get("minLength", 0), node.get("maxLength")
            if "pattern" in node:
                matching = st.from_regex(node["pattern"])
                sized = matching.filter(
                    lambda s: low <= len(s) <= (high if high is not None else len(s))
                )
                return sized | st.text(min_size=low, max_size=min(high or 40, 40))
            return st.text(min_size=low, max_size=min(high or 40, 40)) | st.text(max_size=3)
        if kind in {"number", "integer"}:
            low, high = node.get("minimum"), node.get("maximum")
            edges = [v for v in (low, high) if v is not None]
            inside = (
                st.floats(min_value=low, max_value=high)
                if kind == "number"
                else st.integers(low, high)
            )
            return (
                inside | st.sampled_from(edges or [0]) | st.floats(allow_nan=False) | st.integers()
            )
        if kind == "boolean":
            return st.booleans()
        return st.none() | st.integers() | st.text(max_size=5)

    return strategy(schema)


def _instances(name: str) -> st.SearchStrategy[Any]:
    strict, loose = schemas(name)
    return st.one_of(from_schema(strict), from_schema(loose))


def _compare(name: str, instance: Any) -> None:
    strict_schema, _ = schemas(name)
    schema_valid = jsonschema.Draft202012Validator(strict_schema).is_valid(instance)
    ours = VALIDATORS[name](to_python_form(structure(name), instance), strict=True)
    if schema_valid == (not ours):
        return
    reason = known_divergence(structure(name), instance)
    assert reason is not None, (instance, schema_valid, ours)
    # Every known divergence is jsonschema accepting what ECMA 262 rejects.
    assert schema_valid and ours, (reason, instance)


_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_instances("GetFaceLivenessSessionResultsRequest"))
def test_request_validator_agrees_with_jsonschema(instance: Any) -> None:
    _compare("GetFaceLivenessSessionResultsRequest", instance)


@_SETTINGS
@given(_instances("GetFaceLivenessSessionResultsResponse"))
def test_response_validator_agrees_with_jsonschema(instance: Any) -> None:
    _compare("GetFaceLivenessSessionResultsResponse", instance)


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        ("1.2.3\n", "python-dollar-before-final-newline"),
        ("1.2.3\u0663", "python-unicode-digit-class"),
    ],
)
def test_listed_divergences_really_diverge_and_go_smithys_way(version: str, reason: str) -> None:
    instance = {
        "SessionId": SESSION_ID,
        "Status": "SUCCEEDED",
        "Challenge": {"Type": "FaceMovementChallenge", "Version": version},
    }
    schema, _ = schemas("GetFaceLivenessSessionResultsResponse")
    assert jsonschema.Draft202012Validator(schema).is_valid(instance)
    assert known_divergence(structure("GetFaceLivenessSessionResultsResponse"), instance) == reason
    assert validate_get_face_liveness_session_results_response(instance)


# -- botocore ------------------------------------------------------------------------------------


@cache
def botocore_operation() -> Any:
    model = botocore.session.get_session().get_service_model("rekognition")
    return model.operation_model("GetFaceLivenessSessionResults")


def botocore_accepts(params: dict[str, Any], *, output: bool) -> bool:
    operation = botocore_operation()
    shape = operation.output_shape if output else operation.input_shape
    report = ParamValidator().validate(params, shape)
    return not report.has_errors()


texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from([SESSION_ID, SESSION_ID.upper(), SESSION_ID + "\n", "", "x" * 36]),
)
values = st.one_of(
    texts, st.integers(), st.floats(), st.booleans(), st.none(), st.binary(max_size=8)
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(["SessionId", "SessionID", "Extra"]), values, max_size=3))
def test_botocore_never_rejects_a_request_we_accept(params: dict[str, Any]) -> None:
    if not validate_get_face_liveness_session_results_request(params):
        assert botocore_accepts(params, output=False), params


images = st.fixed_dictionaries(
    {},
    optional={
        "Bytes": st.binary(max_size=8) | values,
        "S3Object": st.fixed_dictionaries(
            {}, optional={"Bucket": texts | values, "Name": texts, "Version": texts}
        ),
        "BoundingBox": st.fixed_dictionaries(
            {},
            optional={"Width": values, "Height": st.floats(), "Left": st.floats(), "Top": values},
        ),
    },
)
response_params = st.fixed_dictionaries(
    {},
    optional={
        "SessionId": texts,
        "Status": st.sampled_from(["SUCCEEDED", "FAILED", "PAUSED"]) | values,
        "Confidence": st.floats() | values,
        "ReferenceImage": images | values,
        "AuditImages": st.lists(images, max_size=3) | values,
        "Challenge": st.fixed_dictionaries(
            {},
            optional={
                "Type": st.sampled_from(["FaceMovementChallenge", "Other"]),
                "Version": texts,
            },
        ),
        "Unknown": values,
    },
)


@settings(max_examples=400, deadline=None)
@given(response_params)
def test_botocore_never_rejects_a_response_we_accept(params: dict[str, Any]) -> None:
    if not validate_get_face_liveness_session_results_response(params):
        assert botocore_accepts(params, output=True), params
