"""Generated shapes, enums and errors: round trips, forward compatibility, redaction."""

from __future__ import annotations

import dataclasses

import rekognition
from hypothesis import given
from hypothesis import strategies as st
from rekognition import (
    AuditImage,
    BoundingBox,
    Challenge,
    ChallengeType,
    GetFaceLivenessSessionResultsResponse,
    LivenessSessionStatus,
    S3Object,
    ServiceError,
)

SESSION_ID = "0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a"

floats = st.floats(allow_nan=False) | st.none()
optional_text = st.text(max_size=20) | st.none()
s3_objects = st.builds(S3Object, bucket=optional_text, name=optional_text, version=optional_text)
boxes = st.builds(BoundingBox, width=floats, height=floats, left=floats, top=floats)
images = st.builds(
    AuditImage,
    bytes=st.binary(max_size=64) | st.none(),
    s3_object=s3_objects | st.none(),
    bounding_box=boxes | st.none(),
)
# Enum members, and values this package does not know yet, which must survive as plain strings.
statuses = st.sampled_from(list(LivenessSessionStatus)) | st.text(min_size=1, max_size=12)
challenges = st.builds(
    Challenge,
    type=st.sampled_from(list(ChallengeType)) | st.text(min_size=1, max_size=12),
    version=st.text(max_size=11),
)
responses = st.builds(
    GetFaceLivenessSessionResultsResponse,
    session_id=st.text(max_size=40),
    status=statuses,
    confidence=floats,
    reference_image=images | st.none(),
    audit_images=st.lists(images, max_size=3) | st.none(),
    challenge=challenges | st.none(),
)


@given(responses)
def test_round_trip(value: GetFaceLivenessSessionResultsResponse) -> None:
    wire = value.to_dict()
    assert GetFaceLivenessSessionResultsResponse.from_dict(wire) == value
    assert all(v is not None for v in wire.values())


def test_wire_names_and_enum_values() -> None:
    value = GetFaceLivenessSessionResultsResponse(
        session_id=SESSION_ID,
        status=LivenessSessionStatus.IN_PROGRESS,
        challenge=Challenge(type=ChallengeType.FACE_MOVEMENT_CHALLENGE, version="1.0.0"),
    )
    assert value.to_dict() == {
        "SessionId": SESSION_ID,
        "Status": "IN_PROGRESS",
        "Challenge": {"Type": "FaceMovementChallenge", "Version": "1.0.0"},
    }
    assert type(value.to_dict()["Status"]) is str


def test_unknown_enum_values_are_kept_raw() -> None:
    parsed = GetFaceLivenessSessionResultsResponse.from_dict(
        {
            "SessionId": SESSION_ID,
            "Status": "PAUSED",
            "Challenge": {"Type": "X", "Version": "1.0.0"},
        }
    )
    assert parsed.status == "PAUSED" and not isinstance(parsed.status, LivenessSessionStatus)
    assert parsed.challenge is not None and parsed.challenge.type == "X"
    known = GetFaceLivenessSessionResultsResponse.from_dict(
        {"SessionId": SESSION_ID, "Status": "FAILED"}
    )
    assert known.status is LivenessSessionStatus.FAILED


def test_unknown_members_are_ignored_and_missing_required_members_corrected() -> None:
    parsed = GetFaceLivenessSessionResultsResponse.from_dict({"AddedLater": "new member"})
    assert parsed.session_id == "" and parsed.status == ""


def test_sensitive_bytes_are_redacted_from_repr() -> None:
    image = AuditImage(bytes=b"secret-face-bytes", s3_object=S3Object(bucket="abc"))
    text = repr(image)
    assert "secret" not in text and "*** sensitive ***" in text and "bucket='abc'" in text
    assert "secret" not in repr(
        GetFaceLivenessSessionResultsResponse(
            session_id=SESSION_ID, status="SUCCEEDED", reference_image=image
        )
    )
    assert "bytes=None" in repr(AuditImage())


def test_dataclasses_are_keyword_only_with_slots() -> None:
    for cls in (
        AuditImage,
        BoundingBox,
        Challenge,
        S3Object,
        GetFaceLivenessSessionResultsResponse,
    ):
        assert dataclasses.is_dataclass(cls)
        assert hasattr(cls, "__slots__")
        assert all(field.kw_only for field in dataclasses.fields(cls))


def test_error_classes() -> None:
    expected = {
        "AccessDeniedException": ("client", 400),
        "InternalServerError": ("server", 500),
        "InvalidParameterException": ("client", 400),
        "ProvisionedThroughputExceededException": ("client", 400),
        "SessionNotFoundException": ("client", 400),
        "ThrottlingException": ("server", 500),
    }
    for name, (fault, status) in expected.items():
        cls = getattr(rekognition, name)
        assert issubclass(cls, ServiceError) and issubclass(cls, rekognition.RekognitionError)
        assert (cls.shape_name, cls.fault, cls.http_status) == (name, fault, status)
        error = cls.from_dict({"Message": "boom", "Code": "C1", "Logref": "L1"})
        assert (error.message, error.code, error.logref) == ("boom", "C1", "L1")
        assert str(error) == "boom"
        assert error.to_dict() == {"Message": "boom", "Code": "C1", "Logref": "L1"}
    assert rekognition.ThrottlingException.throttling and rekognition.ThrottlingException.retryable
    assert not rekognition.SessionNotFoundException.retryable
