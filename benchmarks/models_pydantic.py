"""pydantic v2 models mirroring the generated shapes, as a pydantic user would write them.

Strict mode (no coercion: a string is not a number, an int is not a string), unknown members
forbidden, every length, pattern and range of the model. Enum members are plain `str`, as the
generated validator accepts unknown enum values by default. Optional members are `X | None`, so
an explicit null is accepted (the generated validator reports it).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_pascal

_CONFIG = ConfigDict(extra="forbid", strict=True, alias_generator=to_pascal)

SessionId = Annotated[
    str,
    Field(
        min_length=36,
        max_length=36,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    ),
]
S3Bucket = Annotated[str, Field(min_length=3, max_length=255, pattern=r"^[0-9A-Za-z.\-_]*$")]
S3Text = Annotated[str, Field(min_length=1, max_length=1024)]
ChallengeVersion = Annotated[
    str,
    Field(
        min_length=5,
        max_length=11,
        pattern=r"^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$",
    ),
]
ImageBytes = Annotated[bytes, Field(min_length=1, max_length=204800)]
Percent = Annotated[float, Field(ge=0, le=100)]


class S3Object(BaseModel):
    model_config = _CONFIG

    bucket: S3Bucket | None = None
    name: S3Text | None = None
    version: S3Text | None = None


class BoundingBox(BaseModel):
    model_config = _CONFIG

    width: float | None = None
    height: float | None = None
    left: float | None = None
    top: float | None = None


class AuditImage(BaseModel):
    model_config = _CONFIG

    bytes_: ImageBytes | None = Field(default=None, alias="Bytes")
    s3_object: S3Object | None = None
    bounding_box: BoundingBox | None = None


class Challenge(BaseModel):
    model_config = _CONFIG

    type: str
    version: ChallengeVersion


class GetFaceLivenessSessionResultsRequest(BaseModel):
    model_config = _CONFIG

    session_id: SessionId


class GetFaceLivenessSessionResultsResponse(BaseModel):
    model_config = _CONFIG

    session_id: SessionId
    status: str
    confidence: Percent | None = None
    reference_image: AuditImage | None = None
    audit_images: list[AuditImage] | None = None
    challenge: Challenge | None = None
