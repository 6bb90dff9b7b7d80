"""`@default` values: the checks each kind uses to tell whether one fits (`generator.kinds` says
which apply to which type), and the exact timestamp one names.

A default fits when it has the shape's type, fits the shape's width (a byte's -128..127, a
float's finite range), names a timestamp that exists, and meets the member's constraints
(`@range`, `@length`, the enum's values): a generated dataclass fills it in, so it must pass
the package's own validator, strict mode included. `@pattern` is the exception (see
`string_problem`).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import math
import re
from decimal import Decimal
from typing import Any

from generator import naming

JsonObject = dict[str, Any]

FLOAT32_MAX = 3.4028234663852886e38
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# RFC 3339 date-time, the form Smithy gives string timestamps.
_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))"
)


class NotATimestamp(ValueError):
    """The value names no timestamp Python can hold (years 1 to 9999, UTC)."""


def timestamp(value: object) -> datetime.datetime:
    """The UTC datetime a timestamp default names: epoch seconds or an RFC 3339 date-time.
    Fractions finer than a microsecond are cut off, as Python's datetime holds no more."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise NotATimestamp("expected epoch seconds or an RFC 3339 date-time")
    try:
        if not isinstance(value, str):
            return _EPOCH + datetime.timedelta(seconds=value)
        match = _DATE_TIME.fullmatch(value)
        if match is None:
            raise NotATimestamp("expected an RFC 3339 date-time like 2024-01-31T12:00:00Z")
        year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
        micro = int((match.group(7) or "").ljust(6, "0")[:6])
        offset = datetime.timedelta(0)
        if match.group(9):
            sign = 1 if match.group(9) == "+" else -1
            hours, minutes = int(match.group(10)), int(match.group(11))
            if hours > 23 or minutes > 59:
                raise NotATimestamp("the UTC offset is out of range")
            offset = sign * datetime.timedelta(hours=hours, minutes=minutes)
        local = datetime.datetime(
            year, month, day, hour, minute, second, micro, datetime.timezone(offset)
        )
        return local.astimezone(datetime.UTC)
    except NotATimestamp:
        raise
    except OverflowError:
        raise NotATimestamp("outside the years 1 to 9999, which Python's datetime holds") from None
    except ValueError as error:
        # datetime's own words: "day is out of range for month", "year 0 is out of range"...
        raise NotATimestamp(str(error)) from None


def timestamp_literal(moment: datetime.datetime) -> str:
    """A Python expression for `moment` (UTC) that needs only `import datetime as _datetime`."""
    fields = [moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second]
    if moment.microsecond:
        fields.append(moment.microsecond)
    return f"_datetime.datetime({', '.join(map(str, fields))}, tzinfo=_datetime.UTC)"


def wrong_type(value: object, kind: str) -> str:
    return f"default value {shown(value)} does not fit {naming.article(kind)}"


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "..."


def number_problem(
    kind: str,
    value: object,
    traits: JsonObject,
    enum_values: list[object],
    *,
    integer: bool,
    bounds: tuple[int, int] | None = None,
    float_limit: float | None = None,
    zero_means_unset: bool = False,
) -> str | None:
    """Why `value` cannot be the default of a number of `kind`: an integer if `integer`, within
    `bounds`, finite and within `float_limit` for a binary float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return wrong_type(value, kind)
    if integer and not isinstance(value, int):
        return wrong_type(value, kind)
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        return f"default value {value} is outside the range of {naming.article(kind)}: {bounds[0]}..{bounds[1]}"
    if float_limit is not None:
        try:
            as_float = float(value)
        except OverflowError:
            as_float = math.inf
        if not math.isfinite(as_float) or abs(as_float) > float_limit:
            return f"default value {shown(value)} is beyond the range of {naming.article(kind)}"
    if enum_values and value not in enum_values:
        return f"default value {value} is not one of the enum's values"
    value_range = traits.get("smithy.api#range")
    if isinstance(value_range, dict) and not zero_default_allowed(zero_means_unset, value):
        exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        low, high = value_range.get("min"), value_range.get("max")
        if (low is not None and exact < Decimal(str(low))) or (
            high is not None and exact > Decimal(str(high))
        ):
            shown_low = "" if low is None else low
            shown_high = "" if high is None else high
            return f"default value {shown(value)} breaks @range {shown_low}..{shown_high}"
    return None


def zero_default_allowed(zero_means_unset: bool, value: object) -> bool:
    """Whether `value` is a number's zero default, which Smithy lets break the number's @range
    (`zero_means_unset`: every number kind but intEnum).

    Smithy IDL 1.0 gave primitive numbers a zero value, and AWS's models declare many such
    numbers with a range that excludes zero (`@default(0) @range(min: 60)`): 0 there means "not
    set". Smithy 2.0 keeps these models valid ("a numeric default SHOULD be compatible with a
    range trait"), so the zero default is accepted and the generated validator lets 0 through
    as the unset value. Any other default outside the range is still refused."""
    return zero_means_unset and type(value) in (int, float) and value == 0


def timestamp_problem(value: object) -> str | None:
    try:
        timestamp(value)
    except NotATimestamp as error:
        return f"default value {shown(value)} is not a timestamp: {error}"
    return None


def blob_problem(value: object, traits: JsonObject) -> str | None:
    if not isinstance(value, str):
        return wrong_type(value, "blob")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return f"{wrong_type(value, 'blob')} (expected base64)"
    return length_problem(len(data), traits, "bytes")


def string_problem(
    kind: str, value: object, traits: JsonObject, enum_values: list[object]
) -> str | None:
    if not isinstance(value, str):
        return wrong_type(value, kind)
    if enum_values and value not in enum_values:
        return f"default value {shown(value)} is not one of the enum's values"
    # `@pattern` is not tried here: that would run a model's regular expression, which may
    # take exponential time, on the machine that generates.
    return length_problem(len(value), traits, "characters")


def length_problem(size: int, traits: JsonObject, unit: str) -> str | None:
    length = traits.get("smithy.api#length")
    if not isinstance(length, dict):
        return None
    low, high = length.get("min"), length.get("max")
    if (isinstance(low, int) and size < low) or (isinstance(high, int) and size > high):
        shown_low = "" if low is None else low
        shown_high = "" if high is None else high
        return f"default value has {size} {unit}, breaking @length {shown_low}..{shown_high}"
    return None
