"""Boundary conformance of the generated validators: every constraint of the closure, at its edges."""

from __future__ import annotations

import math
from typing import Any

import pytest
import rekognition
from rekognition import (
    AuditImage,
    BoundingBox,
    Challenge,
    ChallengeType,
    GetFaceLivenessSessionResultsRequest,
    GetFaceLivenessSessionResultsResponse,
    LivenessSessionStatus,
    S3Object,
    ValidationError,
    validate_get_face_liveness_session_results_request,
    validate_get_face_liveness_session_results_response,
    validate_or_raise,
)

SESSION_ID = "0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a"


def request_violations(session_id: object) -> list[tuple[str, str]]:
    found = validate_get_face_liveness_session_results_request({"SessionId": session_id})
    return [(v.path, v.constraint) for v in found]


def response(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"SessionId": SESSION_ID, "Status": "SUCCEEDED"}
    body.update(overrides)
    return body


def response_violations(strict: bool = False, **overrides: Any) -> list[tuple[str, str]]:
    found = validate_get_face_liveness_session_results_response(
        response(**overrides), strict=strict
    )
    return [(v.path, v.constraint) for v in found]


@pytest.mark.parametrize(
    ("session_id", "expected"),
    [
        (SESSION_ID, []),
        (SESSION_ID[:-1], [("SessionId", "length"), ("SessionId", "pattern")]),  # 35
        (SESSION_ID + "0", [("SessionId", "length"), ("SessionId", "pattern")]),  # 37
        (SESSION_ID.upper(), [("SessionId", "pattern")]),  # uppercase hex is not in [0-9a-f]
        ("x" * 36, [("SessionId", "pattern")]),  # right length, not a UUID
        (SESSION_ID + "\n", [("SessionId", "length"), ("SessionId", "pattern")]),
        ("", [("SessionId", "length"), ("SessionId", "pattern")]),
        (36, [("SessionId", "type")]),
        (None, [("SessionId", "required")]),
    ],
)
def test_session_id_boundaries(session_id: object, expected: list[tuple[str, str]]) -> None:
    assert request_violations(session_id) == expected


def test_pattern_dollar_does_not_match_before_a_trailing_newline() -> None:
    # 36 characters that only pass a Python `$` (which matches before a final "\n"): ECMA says no.
    assert ("Version", "pattern") in [
        (v.path.split(".")[-1], v.constraint)
        for v in validate_get_face_liveness_session_results_response(
            response(Challenge={"Type": "FaceMovementChallenge", "Version": "1.2.3\n"})
        )
    ]


def test_pattern_digit_class_is_ascii_only() -> None:
    # U+0661 ARABIC-INDIC DIGIT ONE is a digit to Python's \d, not to ECMA's.
    found = validate_get_face_liveness_session_results_response(
        response(Challenge={"Type": "FaceMovementChallenge", "Version": "1.2.\u0661"})
    )
    assert [(v.path, v.constraint) for v in found] == [("Challenge.Version", "pattern")]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.0.0", []),
        ("999.999.999", []),
        ("1.0", [("Challenge.Version", "length"), ("Challenge.Version", "pattern")]),
        ("01.0.0", [("Challenge.Version", "pattern")]),
        ("1000.0.0", [("Challenge.Version", "pattern")]),
        ("9999.999.99", [("Challenge.Version", "pattern")]),
        ("999.999.9999", [("Challenge.Version", "length"), ("Challenge.Version", "pattern")]),
    ],
)
def test_challenge_version(version: str, expected: list[tuple[str, str]]) -> None:
    challenge = {"Type": "FaceMovementChallenge", "Version": version}
    assert response_violations(Challenge=challenge) == expected


@pytest.mark.parametrize(
    ("confidence", "ok"),
    [
        (-0.0001, False),
        (0, True),
        (0.0, True),
        (-0.0, True),
        (50.5, True),
        (100, True),
        (100.0, True),
        (100.0001, False),
        (math.nan, False),
        (math.inf, False),
        (-math.inf, False),
    ],
)
def test_confidence_range(confidence: float, ok: bool) -> None:
    assert response_violations(Confidence=confidence) == ([] if ok else [("Confidence", "range")])


def test_bool_is_not_a_number() -> None:
    assert response_violations(Confidence=True) == [("Confidence", "type")]


def test_nan_is_fine_where_no_range_applies() -> None:
    box = {"Width": math.nan, "Height": 0.5, "Left": -0.1, "Top": 1.5}
    assert response_violations(ReferenceImage={"BoundingBox": box}) == []


@pytest.mark.parametrize(
    ("bucket", "ok"),
    [
        ("ab", False),
        ("abc", True),
        ("a" * 255, True),
        ("a" * 256, False),
        ("my.bucket-name_1", True),
    ],
)
def test_s3_bucket_length(bucket: str, ok: bool) -> None:
    image = {"S3Object": {"Bucket": bucket, "Name": "key"}}
    expected = [] if ok else [("ReferenceImage.S3Object.Bucket", "length")]
    assert response_violations(ReferenceImage=image) == expected


def test_s3_bucket_bad_character() -> None:
    image = {"S3Object": {"Bucket": "bad/bucket"}}
    assert response_violations(ReferenceImage=image) == [
        ("ReferenceImage.S3Object.Bucket", "pattern")
    ]


@pytest.mark.parametrize(("size", "ok"), [(0, False), (1, True), (204800, True), (204801, False)])
def test_liveness_image_blob_length_counts_bytes(size: int, ok: bool) -> None:
    images = [{"Bytes": b"\x00" * size}]
    expected = [] if ok else [("AuditImages[0].Bytes", "length")]
    assert response_violations(AuditImages=images) == expected


def test_string_length_counts_code_points() -> None:
    # 1024 characters of U+1F600: 4096 UTF-8 bytes, 2048 UTF-16 units, 1024 code points.
    name = "\U0001f600" * 1024
    image = {"S3Object": {"Bucket": "abc", "Name": name}}
    assert response_violations(ReferenceImage=image) == []
    image = {"S3Object": {"Bucket": "abc", "Name": name + "é"}}
    assert response_violations(ReferenceImage=image) == [("ReferenceImage.S3Object.Name", "length")]


def test_sensitive_values_are_redacted_in_violations() -> None:
    found = validate_get_face_liveness_session_results_response(
        response(AuditImages=[{"Bytes": b""}])
    )
    assert len(found) == 1
    assert found[0].value == "*** sensitive ***"
    assert found[0].pointer == "/AuditImages/0/Bytes"


def test_every_violation_is_reported_with_path_pointer_limit_and_value() -> None:
    found = validate_get_face_liveness_session_results_response(
        {
            "SessionId": "nope",
            "Confidence": 101,
            "ReferenceImage": {"S3Object": {"Bucket": "ab"}},
            "Challenge": {"Type": "FaceMovementChallenge"},
        }
    )
    summary = {(v.path, v.pointer, v.constraint, v.limit, v.value) for v in found}
    assert summary == {
        ("SessionId", "/SessionId", "length", "36..36 characters", "'nope'"),
        (
            "SessionId",
            "/SessionId",
            "pattern",
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "'nope'",
        ),
        ("Status", "/Status", "required", "a value", "None"),
        ("Confidence", "/Confidence", "range", "0..100", "101"),
        (
            "ReferenceImage.S3Object.Bucket",
            "/ReferenceImage/S3Object/Bucket",
            "length",
            "3..255 characters",
            "'ab'",
        ),
        ("Challenge.Version", "/Challenge/Version", "required", "a value", "None"),
    }


def test_enum_values_strict_and_lenient() -> None:
    assert response_violations(Status="PAUSED") == []
    assert response_violations(strict=True, Status="PAUSED") == [("Status", "enum")]
    assert response_violations(strict=True, Status=LivenessSessionStatus.EXPIRED) == []
    challenge = {"Type": "BlinkChallenge", "Version": "1.0.0"}
    assert response_violations(strict=True, Challenge=challenge) == [("Challenge.Type", "enum")]


def test_unknown_members_and_nulls_in_dicts() -> None:
    assert request_violations(SESSION_ID) == []
    found = validate_get_face_liveness_session_results_request(
        {"SessionId": SESSION_ID, "SessionID": SESSION_ID}
    )
    assert [(v.path, v.constraint) for v in found] == [("SessionID", "unknown_member")]
    assert response_violations(Confidence=None) == [("Confidence", "type")]


def test_a_null_is_reported_once_and_told_apart_from_an_absent_member() -> None:
    found = validate_get_face_liveness_session_results_request({"SessionId": None})
    assert [(v.path, v.constraint, v.limit) for v in found] == [
        ("SessionId", "required", "a value, not null")
    ]
    found = validate_get_face_liveness_session_results_request({})
    assert [(v.path, v.constraint, v.limit) for v in found] == [
        ("SessionId", "required", "a value")
    ]
    image = {"S3Object": {"Bucket": "bucket", "Name": None, "Typo": 1}, "BoundingBox": None}
    found = validate_get_face_liveness_session_results_response(
        {"SessionId": SESSION_ID, "Status": "CREATED", "ReferenceImage": image}
    )
    assert sorted((v.path, v.constraint, v.limit) for v in found) == [
        ("ReferenceImage.BoundingBox", "type", "a value, not null"),
        ("ReferenceImage.S3Object.Name", "type", "a value, not null"),
        ("ReferenceImage.S3Object.Typo", "unknown_member", "a member of the shape"),
    ]


def test_wrong_container_types() -> None:
    assert response_violations(AuditImages={"Bytes": b"x"}) == [("AuditImages", "type")]
    assert response_violations(AuditImages=["not an image"]) == [("AuditImages[0]", "type")]
    assert response_violations(AuditImages=[None]) == [("AuditImages[0]", "type")]
    found = validate_get_face_liveness_session_results_request("not a request")  # type: ignore[arg-type]
    assert [(v.path, v.constraint) for v in found] == [("", "type")]


def test_dataclass_form_is_validated_like_the_dict_form() -> None:
    value = GetFaceLivenessSessionResultsResponse(
        session_id=SESSION_ID.upper(),
        status=LivenessSessionStatus.SUCCEEDED,
        confidence=101.0,
        audit_images=[AuditImage(bytes=b"", bounding_box=BoundingBox(width=0.5))],
        reference_image=AuditImage(s3_object=S3Object(bucket="ab")),
        challenge=Challenge(type=ChallengeType.FACE_MOVEMENT_CHALLENGE, version="1.0.0"),
    )
    found = validate_get_face_liveness_session_results_response(value)
    assert [(v.path, v.constraint) for v in found] == [
        ("SessionId", "pattern"),
        ("Confidence", "range"),
        ("ReferenceImage.S3Object.Bucket", "length"),
        ("AuditImages[0].Bytes", "length"),
    ]
    assert (
        validate_get_face_liveness_session_results_response(
            value.__class__.from_dict(value.to_dict())
        )
        == found
    )


def test_validate_or_raise_lists_every_violation() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_or_raise(GetFaceLivenessSessionResultsRequest(session_id="short"))
    assert isinstance(raised.value, ValueError)
    assert raised.value.shape == "GetFaceLivenessSessionResultsRequest"
    assert [v.constraint for v in raised.value.violations] == ["length", "pattern"]
    assert "SessionId: length violation" in str(raised.value)
    validate_or_raise({"SessionId": SESSION_ID}, shape="GetFaceLivenessSessionResultsRequest")
    with pytest.raises(ValueError, match="unknown shape"):
        validate_or_raise({}, shape="Nope")
    with pytest.raises(TypeError):
        validate_or_raise({"SessionId": SESSION_ID})


def test_required_members_of_the_dataclass_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        GetFaceLivenessSessionResultsRequest(SESSION_ID)  # type: ignore[misc]
    assert rekognition.ChallengeType.FACE_MOVEMENT_CHALLENGE == "FaceMovementChallenge"
