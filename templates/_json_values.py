"""JSON values of the model's types that JSON has no type for, as the AWS JSON protocols (and
restJson1) write them: blobs as base64, floats' `NaN`/`Infinity` as words, big decimals as
numbers, timestamps as epoch seconds (or the member's `@timestampFormat`).

Decoders raise `ValueError` or `TypeError` on what they cannot read; the caller turns those into
`ResponseParseError`. With `strict=True` (a server reading a request) they decode only a value of
the JSON type the protocol uses and keep anything else as it is, unconverted, so that the
validator reports it as the wrong type, with its path, instead of the server guessing: a
string for a big decimal stays a string, a number for a float stays the number it was.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime
import decimal
import math
import re
from collections.abc import Mapping
from typing import Any

_FLOAT_WORDS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
"""The zero value of a timestamp, for required members a response left out."""
ZERO_DECIMAL = decimal.Decimal(0)


def encode_blob(value: bytes | bytearray) -> str:
    return base64.b64encode(value).decode("ascii")


def decode_blob(value: str, *, strict: bool = False) -> bytes:
    if strict and not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError) as error:
        if strict:
            return value  # type: ignore[return-value]
        raise ValueError(f"not base64 data: {error}") from None


def encode_float(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def decode_float(value: float | int | str, *, strict: bool = False) -> float:
    if isinstance(value, str):
        if value in _FLOAT_WORDS:
            return _FLOAT_WORDS[value]
        if strict:
            return value  # type: ignore[return-value]
        raise ValueError(f"not a number: {value[:100]!r}")
    if strict:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {type(value).__name__}")
    return float(value)


def encode_decimal(value: decimal.Decimal | int) -> float | int:
    # JSON has one number type; Python's json module writes floats and ints only.
    return value if isinstance(value, int) else float(value)


def decode_decimal(value: float | int | str, *, strict: bool = False) -> decimal.Decimal:
    if strict and (isinstance(value, bool) or not isinstance(value, int | float)):
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"not a number: {type(value).__name__}")
    return decimal.Decimal(str(value))


def encode_timestamp(value: datetime.datetime, timestamp_format: str) -> float | int | str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    if timestamp_format == "date-time":
        # Whole seconds go without a fraction, as AWS SDKs write them.
        timespec = "milliseconds" if value.microsecond else "seconds"
        # Year 1 east of UTC (or 9999 west of it) has no UTC moment Python can hold: such a
        # moment keeps its own offset, which RFC 3339 allows.
        with contextlib.suppress(OverflowError):
            value = value.astimezone(datetime.UTC)
        return value.isoformat(timespec=timespec).replace("+00:00", "Z")
    if timestamp_format == "http-date":
        import email.utils

        return email.utils.format_datetime(value.astimezone(datetime.UTC), usegmt=True)
    seconds = (value - EPOCH) / datetime.timedelta(seconds=1)
    return int(seconds) if seconds == int(seconds) else round(seconds, 3)


def _from_epoch_seconds(seconds: float | int) -> datetime.datetime:
    if isinstance(seconds, int):
        return EPOCH + datetime.timedelta(seconds=seconds)  # exact, and the common case
    # From the number's shortest spelling, which is the one JSON carried: the binary float
    # nearest 8546889600.001 is a little less, and would read back as a microsecond early.
    exact = decimal.Decimal(repr(seconds))
    micro = int((exact * 1_000_000).to_integral_value(decimal.ROUND_HALF_EVEN))
    return EPOCH + datetime.timedelta(microseconds=micro)


def decode_timestamp(value: float | int | str, *, strict: bool = False) -> datetime.datetime:
    """Epoch seconds, ISO 8601 or an HTTP date, whatever the declared format: servers vary."""
    if strict:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return value  # type: ignore[return-value]
        try:
            return decode_timestamp(value)
        except (ValueError, OverflowError):
            return value  # type: ignore[return-value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch_seconds(value)
    if isinstance(value, str):
        try:
            return _from_epoch_seconds(float(value))
        except ValueError:
            pass
        try:
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            import email.utils

            try:
                parsed = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                raise ValueError(f"not a timestamp: {value[:100]!r}") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)
    raise TypeError(f"not a timestamp: {type(value).__name__}")


_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])"
    r"(?:\.([0-9]+))?(?:[Zz]|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))"
)
_HTTP_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
)


def timestamp_as_written(value: object, timestamp_format: str) -> object:
    """The moment a JSON value names where it is written exactly as `timestamp_format` writes
    it (`date-time`: RFC 3339 text, as JSON Schema's format; `http-date`: an IMF-fixdate;
    `epoch-seconds`: a number), else the value as it is. A `oneOf`/`anyOf` member holding a
    timestamp matches only values in its own form, where `decode_timestamp` reads any."""
    if timestamp_format == "epoch-seconds":
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return value
        try:
            return _from_epoch_seconds(value)
        except OverflowError:
            return value
    if not isinstance(value, str):
        return value
    if timestamp_format == "http-date":
        if _HTTP_DATE.fullmatch(value) is None:
            return value
        try:
            return decode_timestamp(value)
        except ValueError:
            return value
    found = _DATE_TIME.fullmatch(value)
    if found is None:
        return value
    year, month, day, hour, minute, second, fraction, sign, zone_hour, zone_minute = found.groups()
    offset = datetime.timedelta(0)
    if sign is not None:
        offset = datetime.timedelta(hours=int(zone_hour), minutes=int(zone_minute))
        offset = -offset if sign == "-" else offset
    try:
        return datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=datetime.timezone(offset),
        )
    except ValueError:  # no such day (or year 0)
        return value


def members_as_written(value: object, forms: Mapping[str, str]) -> Any:
    """A JSON object with each member `forms` names read as written in its form (a timestamp
    format, or `base64`: see `timestamp_as_written`, `blob_as_written`), for the checks and
    the reader of a `oneOf`/`anyOf` branch that is a structure; anything else as it is."""
    if not isinstance(value, dict):
        return value
    found = dict(value)
    for key, form in forms.items():
        item = found.get(key)
        if item is not None:
            found[key] = (
                blob_as_written(item) if form == "base64" else timestamp_as_written(item, form)
            )
    return found


def members_written(value: Mapping[str, Any], forms: Mapping[str, str]) -> dict[str, Any]:
    """The JSON of a structure's wire form `value`, each member `forms` names written in its
    form (the inverse of `members_as_written`)."""
    found = dict(value)
    for key, form in forms.items():
        item = found.get(key)
        if item is not None:
            found[key] = encode_blob(item) if form == "base64" else encode_timestamp(item, form)
    return found


def blob_as_written(value: object) -> object:
    """The bytes base64 text names, else the value as it is (a `oneOf`/`anyOf` member holding
    bytes matches only their base64)."""
    return decode_blob(value, strict=True) if isinstance(value, str) else value
