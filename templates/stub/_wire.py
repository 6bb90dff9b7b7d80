"""Reading a request's JSON into the wire form the validators check, without forgiving anything.

The client's deserializers are lenient (they fill in what a response left out); a server must
not be. These readers only decode what JSON cannot carry natively (base64 blobs, timestamps,
the `NaN`/`Infinity` words, big decimals) and leave a value they cannot decode as it is, so
that the validator reports it as the wrong type instead of the stub guessing.
"""

from __future__ import annotations

import base64
import binascii
import decimal
from typing import Any

from .. import _json_values, _runtime
from .._runtime import Violation


def read_blob(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return value


def read_float(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return _json_values.decode_float(value)
        except ValueError:
            return value
    return value


def read_decimal(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return decimal.Decimal(str(value))
    return value


def read_timestamp(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return value
    try:
        return _json_values.decode_timestamp(value)
    except (ValueError, OverflowError):
        return value


# -- operations without input or output (`smithy.api#Unit`) --------------------------------------


def as_is(value: Any) -> Any:
    return value


def nothing(value: Any) -> None:
    return None


def empty_body(value: Any) -> dict[str, Any]:
    return {}


def validate_empty(value: object, strict: bool = False) -> list[Violation]:
    """An operation without input (or output) carries an empty object, or nothing at all."""
    if value is None or not isinstance(value, dict):
        return []
    out: list[Violation] = []
    if strict:
        _runtime.report_unexpected_members(value, {}, (), out)
    return out
