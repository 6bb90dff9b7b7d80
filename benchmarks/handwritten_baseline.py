"""A hand-written, standard-library-only validator of GetFaceLivenessSessionResults.

This is the bar the generated validator must clear: what a careful engineer who knows the model
and knows CPython would write by hand for this one operation. It is straight-line code with no
per-call allocation on the happy path:

* member values are fetched once (`dict.get` with a sentinel, so a missing member and an explicit
  `null` are told apart without scanning `dict.values()`);
* unknown members are detected by counting the members that were found against `len(value)`,
  and only a mismatch pays for a scan of the keys;
* numbers are checked with `type(x) is float` / `type(x) is int` first, and only other types
  pay for `isinstance` (so `bool` is rejected and float subclasses are still accepted);
* regular expressions are compiled once, without the anchors, and applied with `fullmatch`;
* paths and messages are only formatted when a violation is found.

It checks exactly what the model says, like the generated validator in its default (lenient,
client-side) mode: required members, types, unknown members, explicit nulls, string and blob
lengths, patterns, the range of `Confidence`, list items, and, with `strict=True`, enum values.
It accepts the wire-form dict only (blobs as `bytes`), and returns every violation it finds.
"""

from __future__ import annotations

import re
from typing import Any, Final, NamedTuple


class Issue(NamedTuple):
    """One violation: where (dotted path, "" for the root), which rule, and what was expected."""

    path: str
    constraint: str
    detail: str


_MISSING: Final = object()

_SESSION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").fullmatch
_S3_BUCKET = re.compile(r"[0-9A-Za-z.\-_]*").fullmatch
_VERSION = re.compile(
    r"(?:0|[1-9][0-9]{0,2})\.(?:0|[1-9][0-9]{0,2})\.(?:0|[1-9][0-9]{0,2})"
).fullmatch

_REQUEST_MEMBERS: Final = ("SessionId",)
_RESPONSE_MEMBERS: Final = (
    "SessionId",
    "Status",
    "Confidence",
    "ReferenceImage",
    "AuditImages",
    "Challenge",
)
_AUDIT_IMAGE_MEMBERS: Final = ("Bytes", "S3Object", "BoundingBox")
_S3_OBJECT_MEMBERS: Final = ("Bucket", "Name", "Version")
_BOUNDING_BOX_MEMBERS: Final = ("Width", "Height", "Left", "Top")
_CHALLENGE_MEMBERS: Final = ("Type", "Version")
_BOUNDING_BOX_KEYS: Final = frozenset(_BOUNDING_BOX_MEMBERS)

_STATUS_VALUES: Final = frozenset({"CREATED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "EXPIRED"})
_CHALLENGE_TYPE_VALUES: Final = frozenset(
    {"FaceMovementAndLightChallenge", "FaceMovementChallenge"}
)


def _join(parent: str, member: str) -> str:
    return f"{parent}.{member}" if parent else member


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _unknown_members(
    value: dict[Any, Any], members: tuple[str, ...], parent: str, out: list[Issue]
) -> None:
    for key in value:
        if key not in members:
            out.append(
                Issue(_join(parent, str(key)), "unknown_member", "not a member of the shape")
            )


def _not_object(value: object, where: str, out: list[Issue]) -> None:
    out.append(Issue(where, "type", f"expected an object, got {type(value).__name__}"))


def _null(where: str, member: str, out: list[Issue]) -> None:
    out.append(Issue(_join(where, member), "type", "expected a value, got null"))


def _required(where: str, member: str, out: list[Issue]) -> None:
    out.append(Issue(_join(where, member), "required", "missing"))


def _wrong_type(where: str, member: str, expected: str, value: object, out: list[Issue]) -> None:
    got = type(value).__name__
    out.append(Issue(_join(where, member), "type", f"expected {expected}, got {got}"))


def _is_number(value: object) -> bool:
    """The slow path of the number check: int and float subclasses, but never bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _session_id(value: object, out: list[Issue]) -> None:
    if value is _MISSING or value is None:
        _required("", "SessionId", out)
    elif type(value) is not str and not isinstance(value, str):
        _wrong_type("", "SessionId", "a string", value, out)
    else:
        if len(value) != 36:
            out.append(
                Issue("SessionId", "length", f"expected 36..36 characters, got {len(value)}")
            )
        if _SESSION_ID(value) is None:
            out.append(
                Issue("SessionId", "pattern", f"expected a session UUID, got {_shown(value)}")
            )


def validate_request(value: object, *, strict: bool = False) -> list[Issue]:
    """Every violation of the model in a GetFaceLivenessSessionResults request (wire-form dict)."""
    out: list[Issue] = []
    if type(value) is not dict and not isinstance(value, dict):
        _not_object(value, "", out)
        return out
    session_id = value.get("SessionId", _MISSING)
    if len(value) != (session_id is not _MISSING):
        _unknown_members(value, _REQUEST_MEMBERS, "", out)
    _session_id(session_id, out)
    return out


def validate_response(value: object, *, strict: bool = False) -> list[Issue]:
    """Every violation of the model in a GetFaceLivenessSessionResults response (wire-form dict)."""
    out: list[Issue] = []
    if type(value) is not dict and not isinstance(value, dict):
        _not_object(value, "", out)
        return out
    get = value.get
    session_id = get("SessionId", _MISSING)
    status = get("Status", _MISSING)
    confidence = get("Confidence", _MISSING)
    reference_image = get("ReferenceImage", _MISSING)
    audit_images = get("AuditImages", _MISSING)
    challenge = get("Challenge", _MISSING)
    found = (
        (session_id is not _MISSING)
        + (status is not _MISSING)
        + (confidence is not _MISSING)
        + (reference_image is not _MISSING)
        + (audit_images is not _MISSING)
        + (challenge is not _MISSING)
    )
    if len(value) != found:
        _unknown_members(value, _RESPONSE_MEMBERS, "", out)

    _session_id(session_id, out)

    if status is _MISSING or status is None:
        _required("", "Status", out)
    elif type(status) is not str and not isinstance(status, str):
        _wrong_type("", "Status", "a string", status, out)
    elif strict and status not in _STATUS_VALUES:
        out.append(Issue("Status", "enum", f"expected a LivenessSessionStatus, got {status!r}"))

    if confidence is _MISSING:
        pass
    elif confidence is None:
        _null("", "Confidence", out)
    elif (
        type(confidence) is not float and type(confidence) is not int and not _is_number(confidence)
    ):
        _wrong_type("", "Confidence", "a number", confidence, out)
    elif not 0.0 <= confidence <= 100.0:
        out.append(Issue("Confidence", "range", f"expected 0..100, got {confidence!r}"))

    if reference_image is _MISSING:
        pass
    elif reference_image is None:
        _null("", "ReferenceImage", out)
    else:
        _audit_image(reference_image, "ReferenceImage", out)

    if audit_images is _MISSING:
        pass
    elif audit_images is None:
        _null("", "AuditImages", out)
    else:
        _audit_images(audit_images, out)

    if challenge is _MISSING:
        pass
    elif challenge is None:
        _null("", "Challenge", out)
    else:
        _challenge(challenge, strict, out)
    return out


def _audit_images(value: object, out: list[Issue]) -> None:
    if type(value) is not list and not isinstance(value, (list, tuple)):
        _wrong_type("", "AuditImages", "a list", value, out)
        return
    for index, image in enumerate(value):
        if image is None:
            out.append(Issue(f"AuditImages[{index}]", "type", "expected a value, got null"))
        else:
            _audit_image(image, None, out, index)


def _audit_image(value: object, where: str | None, out: list[Issue], index: int = 0) -> None:
    """An AuditImage at `where`, or at `AuditImages[index]` when `where` is None.

    The path is only formatted when something is wrong.
    """
    if type(value) is not dict and not isinstance(value, dict):
        _not_object(value, f"AuditImages[{index}]" if where is None else where, out)
        return
    get = value.get
    image_bytes = get("Bytes", _MISSING)
    s3_object = get("S3Object", _MISSING)
    bounding_box = get("BoundingBox", _MISSING)
    found = (
        (image_bytes is not _MISSING) + (s3_object is not _MISSING) + (bounding_box is not _MISSING)
    )
    if len(value) != found:
        path = f"AuditImages[{index}]" if where is None else where
        _unknown_members(value, _AUDIT_IMAGE_MEMBERS, path, out)

    if image_bytes is _MISSING:
        pass
    elif (
        image_bytes is None
        or (type(image_bytes) is not bytes and not isinstance(image_bytes, (bytes, bytearray)))
        or not 1 <= len(image_bytes) <= 204800
    ):
        _bad_bytes(image_bytes, f"AuditImages[{index}]" if where is None else where, out)

    if s3_object is _MISSING:
        pass
    elif s3_object is None:
        _null(f"AuditImages[{index}]" if where is None else where, "S3Object", out)
    elif type(s3_object) is not dict or not _s3_object_ok(s3_object):
        path = f"AuditImages[{index}]" if where is None else where
        _s3_object(s3_object, f"{path}.S3Object", out)

    if bounding_box is _MISSING:
        pass
    elif bounding_box is None:
        _null(f"AuditImages[{index}]" if where is None else where, "BoundingBox", out)
    elif type(bounding_box) is not dict or not _bounding_box_ok(bounding_box):
        path = f"AuditImages[{index}]" if where is None else where
        _bounding_box(bounding_box, f"{path}.BoundingBox", out)


def _bad_bytes(value: object, where: str, out: list[Issue]) -> None:
    # The value itself is sensitive: only its type or size is ever reported.
    if value is None:
        _null(where, "Bytes", out)
    elif not isinstance(value, (bytes, bytearray)):
        _wrong_type(where, "Bytes", "bytes", value, out)
    else:
        out.append(Issue(f"{where}.Bytes", "length", f"expected 1..204800 bytes, got {len(value)}"))


def _s3_object_ok(value: dict[Any, Any]) -> bool:
    """The fast path: True when the S3Object is valid; False sends it to the full check."""
    bucket = value.get("Bucket", _MISSING)
    name = value.get("Name", _MISSING)
    version = value.get("Version", _MISSING)
    if len(value) != (bucket is not _MISSING) + (name is not _MISSING) + (version is not _MISSING):
        return False
    if bucket is not _MISSING and not (
        type(bucket) is str and 3 <= len(bucket) <= 255 and _S3_BUCKET(bucket) is not None
    ):
        return False
    if name is not _MISSING and not (type(name) is str and 1 <= len(name) <= 1024):
        return False
    return version is _MISSING or (type(version) is str and 1 <= len(version) <= 1024)


def _s3_object(value: object, where: str, out: list[Issue]) -> None:
    """The full check of an S3Object, reporting every violation."""
    if not isinstance(value, dict):
        _not_object(value, where, out)
        return
    _unknown_members(value, _S3_OBJECT_MEMBERS, where, out)
    for member, low in (("Bucket", 3), ("Name", 1), ("Version", 1)):
        item = value.get(member, _MISSING)
        high = 255 if member == "Bucket" else 1024
        if item is _MISSING:
            continue
        if item is None:
            _null(where, member, out)
        elif not isinstance(item, str):
            _wrong_type(where, member, "a string", item, out)
        else:
            if not low <= len(item) <= high:
                detail = f"expected {low}..{high} characters, got {len(item)}"
                out.append(Issue(f"{where}.{member}", "length", detail))
            if member == "Bucket" and _S3_BUCKET(item) is None:
                detail = f"expected [0-9A-Za-z.-_]*, got {_shown(item)}"
                out.append(Issue(f"{where}.{member}", "pattern", detail))


def _bounding_box_ok(value: dict[Any, Any]) -> bool:
    """The fast path: True when the BoundingBox is valid; False sends it to the full check.

    Every member of a BoundingBox is a number, so the values are checked without naming them.
    """
    if not _BOUNDING_BOX_KEYS.issuperset(value):
        return False
    for item in value.values():
        if type(item) is not float and type(item) is not int and not _is_number(item):
            return False
    return True


def _bounding_box(value: object, where: str, out: list[Issue]) -> None:
    """The full check of a BoundingBox, reporting every violation."""
    if not isinstance(value, dict):
        _not_object(value, where, out)
        return
    _unknown_members(value, _BOUNDING_BOX_MEMBERS, where, out)
    for member in _BOUNDING_BOX_MEMBERS:
        item = value.get(member, _MISSING)
        if item is _MISSING:
            continue
        if item is None:
            _null(where, member, out)
        elif not _is_number(item):
            _wrong_type(where, member, "a number", item, out)


def _challenge(value: object, strict: bool, out: list[Issue]) -> None:
    if type(value) is not dict and not isinstance(value, dict):
        _not_object(value, "Challenge", out)
        return
    challenge_type = value.get("Type", _MISSING)
    version = value.get("Version", _MISSING)
    if len(value) != (challenge_type is not _MISSING) + (version is not _MISSING):
        _unknown_members(value, _CHALLENGE_MEMBERS, "Challenge", out)

    if challenge_type is _MISSING or challenge_type is None:
        _required("Challenge", "Type", out)
    elif type(challenge_type) is not str and not isinstance(challenge_type, str):
        _wrong_type("Challenge", "Type", "a string", challenge_type, out)
    elif strict and challenge_type not in _CHALLENGE_TYPE_VALUES:
        detail = f"expected a ChallengeType, got {challenge_type!r}"
        out.append(Issue("Challenge.Type", "enum", detail))

    if version is _MISSING or version is None:
        _required("Challenge", "Version", out)
    elif type(version) is not str and not isinstance(version, str):
        _wrong_type("Challenge", "Version", "a string", version, out)
    else:
        if not 5 <= len(version) <= 11:
            detail = f"expected 5..11 characters, got {len(version)}"
            out.append(Issue("Challenge.Version", "length", detail))
        if _VERSION(version) is None:
            detail = f"expected MAJOR.MINOR.PATCH, got {_shown(version)}"
            out.append(Issue("Challenge.Version", "pattern", detail))
