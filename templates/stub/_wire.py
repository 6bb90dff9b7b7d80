"""What the stub's generated readers share. A request's JSON becomes the wire form the
validators check through the client's decoders in strict mode (`_json_values`, `strict=True`):
they decode only what JSON cannot carry natively (base64 blobs, timestamps, the `NaN`/`Infinity`
words, big decimals) and keep a value they cannot decode as it is, so that the validator
reports it as the wrong type instead of the stub guessing.
"""

from __future__ import annotations

from typing import Any

from .. import _runtime
from .._runtime import Violation

# -- operations without input or output (`smithy.api#Unit`) --------------------------------------


def as_is(value: Any) -> Any:
    return value


def nothing(value: Any) -> None:
    return None


def empty_body(value: Any) -> dict[str, Any]:
    return {}


def describe_violations(violations: list[Violation]) -> str:
    count = len(violations)
    noun = "validation error" if count == 1 else "validation errors"
    return f"{count} {noun} detected: " + "; ".join(str(v) for v in violations)


def validate_empty(value: object, strict: bool = False) -> list[Violation]:
    """An operation without input (or output) carries an empty object, or nothing at all."""
    if value is None or not isinstance(value, dict):
        return []
    out: list[Violation] = []
    if strict:
        _runtime.report_unexpected_members(value, {}, (), out)
    return out
