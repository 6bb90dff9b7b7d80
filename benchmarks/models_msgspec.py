"""msgspec Structs mirroring the generated shapes, with `Meta` constraints.

Unknown members forbidden, every length, pattern and range of the model. Enum members are plain
`str`, as the generated validator accepts unknown enum values by default. Optional members are
`X | None`, so an explicit null is accepted (the generated validator reports it). Patterns are
Python regular expressions, searched, so they carry their own anchors.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta, Struct

SessionId = Annotated[
    str,
    Meta(
        min_length=36,
        max_length=36,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z",
    ),
]
S3Bucket = Annotated[str, Meta(min_length=3, max_length=255, pattern=r"^[0-9A-Za-z.\-_]*\Z")]
S3Text = Annotated[str, Meta(min_length=1, max_length=1024)]
ChallengeVersion = Annotated[
    str,
    Meta(
        min_length=5,
        max_length=11,
        pattern=r"^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\Z",
    ),
]
ImageBytes = Annotated[bytes, Meta(min_length=1, max_length=204800)]
Percent = Annotated[float, Meta(ge=0, le=100)]


class S3Object(Struct, rename="pascal", forbid_unknown_fields=True):
    bucket: S3Bucket | None = None
    name: S3Text | None = None
    version: S3Text | None = None


class BoundingBox(Struct, rename="pascal", forbid_unknown_fields=True):
    width: float | None = None
    height: float | None = None
    left: float | None = None
    top: float | None = None


class AuditImage(Struct, rename="pascal", forbid_unknown_fields=True):
    bytes_: ImageBytes | None = msgspec.field(default=None, name="Bytes")
    s3_object: S3Object | None = None
    bounding_box: BoundingBox | None = None


class Challenge(Struct, rename="pascal", forbid_unknown_fields=True):
    type: str
    version: ChallengeVersion


class GetFaceLivenessSessionResultsRequest(Struct, rename="pascal", forbid_unknown_fields=True):
    session_id: SessionId


class GetFaceLivenessSessionResultsResponse(Struct, rename="pascal", forbid_unknown_fields=True):
    session_id: SessionId
    status: str
    confidence: Percent | None = None
    reference_image: AuditImage | None = None
    audit_images: list[AuditImage] | None = None
    challenge: Challenge | None = None
