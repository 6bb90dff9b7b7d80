"""The payloads every validator is timed on, and the probes that show what each one checks.

Each payload exists in every form a validator may want, all built once, before any timing:

* `python`: the wire-form dict with blobs as `bytes` (what the generated validator, the hand-written
  baseline, pydantic, `msgspec.convert` and botocore are given);
* `json`: the same dict with blobs as base64 strings (what the JSON Schema validators are given,
  as the exported schemas describe blobs that way);
* `json_bytes`: `json` serialised, for `msgspec.json` decoding;
* `dataclass`: the generated dataclass, built with `from_dict`.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from generated.rekognition import (
    GetFaceLivenessSessionResultsRequest,
    GetFaceLivenessSessionResultsResponse,
)

Operation = Literal["request", "response"]
Finding = tuple[str, str]
"""A violation as every validator's report is normalised: (dotted path, kind of constraint)."""

SESSION_ID = "9f1c2e4a-7b3d-4c5e-8f6a-0b1c2d3e4f5a"
BAD_SESSION_ID = "9f1c2e4a_7b3d_4c5e_8f6a_0b1c2d3e4f5a"
"""36 characters, so only the pattern is broken."""
_IMAGE_SEED = 20240611


@dataclass(frozen=True)
class Payload:
    """One input, in every form, with the violations a complete validator must report."""

    name: str
    operation: Operation
    description: str
    python: dict[str, Any]
    json: dict[str, Any]
    json_bytes: bytes
    dataclass: object | None
    """None for probes: `from_dict` is not meant for data that breaks the model."""
    expected: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return not self.expected

    def form(self, name: str) -> object:
        """The payload in the form a validator takes: python, json, json_bytes or dataclass."""
        forms: dict[str, object] = {
            "python": self.python,
            "json": self.json,
            "json_bytes": self.json_bytes,
            "dataclass": self.dataclass,
        }
        return forms[name]


@dataclass(frozen=True)
class Probe:
    """A valid response with exactly one violation, to see whether a validator checks that rule."""

    name: str
    description: str
    payload: Payload


def to_json_form(value: Any) -> Any:
    """The JSON form of a wire-form value: blobs become base64 strings, everything else stays."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: to_json_form(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_form(item) for item in value]
    return value


def _payload(
    name: str,
    operation: Operation,
    description: str,
    python: dict[str, Any],
    expected: tuple[Finding, ...] = (),
    *,
    with_dataclass: bool = True,
) -> Payload:
    json_form = to_json_form(python)
    shape = (
        GetFaceLivenessSessionResultsRequest
        if operation == "request"
        else GetFaceLivenessSessionResultsResponse
    )
    built = shape.from_dict(python) if with_dataclass else None
    return Payload(
        name=name,
        operation=operation,
        description=description,
        python=python,
        json=json_form,
        json_bytes=json.dumps(json_form, separators=(",", ":")).encode(),
        dataclass=built,
        expected=expected,
    )


def _audit_image(rng: random.Random, size: int, number: int) -> dict[str, Any]:
    return {
        "Bytes": rng.randbytes(size),
        "S3Object": {
            "Bucket": "liveness-audit-images",
            "Name": f"sessions/{SESSION_ID}/audit-{number}.jpg",
            "Version": "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
        },
        "BoundingBox": {"Width": 0.4125, "Height": 0.5531, "Left": 0.2917, "Top": 0.1808},
    }


def valid_response() -> dict[str, Any]:
    """A typical SUCCEEDED response: a reference image and two audit images of a few KB each."""
    rng = random.Random(_IMAGE_SEED)
    return {
        "SessionId": SESSION_ID,
        "Status": "SUCCEEDED",
        "Confidence": 98.7654,
        "ReferenceImage": _audit_image(rng, 6144, 0),
        "AuditImages": [_audit_image(rng, 4096, 1), _audit_image(rng, 3584, 2)],
        "Challenge": {"Type": "FaceMovementAndLightChallenge", "Version": "2.0.0"},
    }


def invalid_response() -> dict[str, Any]:
    """The typical response with exactly three violations, at three depths."""
    response = valid_response()
    response["SessionId"] = BAD_SESSION_ID
    response["Confidence"] = 101
    response["AuditImages"][1]["S3Object"]["Bucket"] = "ab"
    return response


def payloads() -> tuple[Payload, ...]:
    return (
        _payload(
            "request_valid",
            "request",
            "GetFaceLivenessSessionResults request with a well-formed SessionId",
            {"SessionId": SESSION_ID},
        ),
        _payload(
            "request_invalid",
            "request",
            "request whose SessionId is 12 characters and not a UUID (length and pattern)",
            {"SessionId": "session-1234"},
            (("SessionId", "length"), ("SessionId", "pattern")),
        ),
        _payload(
            "response_valid",
            "response",
            "SUCCEEDED response: Confidence, Challenge, a reference image and two audit images "
            "(6, 4 and 3.5 KB of bytes, each with a BoundingBox and an S3Object)",
            valid_response(),
        ),
        _payload(
            "response_invalid",
            "response",
            "the valid response with Confidence 101, a 36-character SessionId with `_` for `-`, "
            "and a 2-character bucket name in AuditImages[1]",
            invalid_response(),
            (
                ("SessionId", "pattern"),
                ("Confidence", "range"),
                ("AuditImages[1].S3Object.Bucket", "length"),
            ),
        ),
    )


def _probe(
    name: str, description: str, expected: Finding, change: Callable[[dict[str, Any]], None]
) -> Probe:
    response = valid_response()
    change(response)
    payload = _payload(
        f"probe_{name}", "response", description, response, (expected,), with_dataclass=False
    )
    return Probe(name=name, description=description, payload=payload)


def _set(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def change(response: dict[str, Any]) -> None:
        target: Any = response
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _delete(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], None]:
    def change(response: dict[str, Any]) -> None:
        target: Any = response
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


def probes() -> tuple[Probe, ...]:
    """One violation each, on the valid response; not timed, only used to see what is checked."""
    bucket = ("AuditImages", 0, "S3Object", "Bucket")
    return (
        _probe("required", "Status missing", ("Status", "required"), _delete(("Status",))),
        _probe(
            "nested_required",
            "Challenge.Version missing",
            ("Challenge.Version", "required"),
            _delete(("Challenge", "Version")),
        ),
        _probe(
            "type", "Confidence is a string", ("Confidence", "type"), _set(("Confidence",), "98")
        ),
        _probe(
            "bool_not_number",
            "BoundingBox.Width is true",
            ("ReferenceImage.BoundingBox.Width", "type"),
            _set(("ReferenceImage", "BoundingBox", "Width"), True),
        ),
        _probe(
            "unknown_member",
            "a member the model does not have",
            ("Comment", "unknown_member"),
            _set(("Comment",), "hello"),
        ),
        _probe(
            "explicit_null",
            "Confidence is null",
            ("Confidence", "type"),
            _set(("Confidence",), None),
        ),
        _probe(
            "min_length",
            "a 2-character bucket name",
            ("AuditImages[0].S3Object.Bucket", "length"),
            _set(bucket, "ab"),
        ),
        _probe(
            "max_length",
            "a 256-character bucket name",
            ("AuditImages[0].S3Object.Bucket", "length"),
            _set(bucket, "b" * 256),
        ),
        _probe(
            "pattern",
            "SessionId of the right length with `_` for `-`",
            ("SessionId", "pattern"),
            _set(("SessionId",), BAD_SESSION_ID),
        ),
        _probe(
            "max_range",
            "Confidence 100.5",
            ("Confidence", "range"),
            _set(("Confidence",), 100.5),
        ),
        _probe(
            "min_range", "Confidence -0.5", ("Confidence", "range"), _set(("Confidence",), -0.5)
        ),
        _probe(
            "blob_length",
            "empty ReferenceImage.Bytes",
            ("ReferenceImage.Bytes", "length"),
            _set(("ReferenceImage", "Bytes"), b""),
        ),
        _probe(
            "list_type",
            "AuditImages is an object, not a list",
            ("AuditImages", "type"),
            _set(("AuditImages",), {}),
        ),
        _probe(
            "null_list_item",
            "AuditImages[0] is null",
            ("AuditImages[0]", "type"),
            _set(("AuditImages", 0), None),
        ),
        _probe(
            "enum",
            "Status PAUSED (not in the model; only strict mode rejects unknown enum values)",
            ("Status", "enum"),
            _set(("Status",), "PAUSED"),
        ),
    )
