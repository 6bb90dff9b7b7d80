"""Whether a value in JSON form (base64 blobs, epoch-second timestamps) fits a shape, decided
with the IR's constraint facts (`Length`, `Range`, `Pattern`, enum values, integer widths) as
the strict generated validators decide it, patterns through the same compiled translation.

Used at generation time on values the stub will send (`stub_defaults`): so, unlike
`default_values`, it runs the model's patterns on the generating machine.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal

from generator import default_values, ir, naming
from generator.regex_budget import MATCH_BUDGET_SECONDS, RegexTooSlow, within_budget

_FLOAT_WORDS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def problems(shape: ir.StructureShape, value: object) -> list[str]:
    """Every way `value` (JSON form) breaks `shape` as the strict generated validator sees it;
    each is `<path>: <what>`, the path dotted as the validators print it."""
    out: list[str] = []
    _check_structure(shape, value, "", out)
    return out


def alternatives_problems(shape: ir.StructureShape, value: object, path: str) -> list[str]:
    """How `value` breaks the `oneOf`/`anyOf` union `shape` (at `path`)."""
    out: list[str] = []
    _check_structure(shape, value, path, out)
    return out


def path_of(path: str, key: str | int) -> str:
    """`path` one step further: `A.B`, `A[0]`, as the validators print paths."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _report(out: list[str], path: str, message: str) -> None:
    out.append(f"{path or '(top)'}: {message}")


def _check_structure(shape: ir.StructureShape, value: object, path: str, out: list[str]) -> None:
    if shape.alternatives is not None:
        _check_alternatives(shape, shape.alternatives, value, path, out)
        return
    if not isinstance(value, dict):
        _report(out, path, f"expected a {shape.name} object, found {json_kind(value)}")
        return
    names = {member.name for member in shape.named_members}
    extra = shape.extra_member
    for key in value:
        if key in names:
            continue
        if extra is None:
            _report(out, path_of(path, str(key)), f"{shape.name} has no such member")
        elif isinstance(extra.target, ir.MapShape):
            item = value[key]
            if item is None and not extra.target.sparse:
                _report(out, path_of(path, str(key)), "null is not a value")
            elif item is not None:
                _check_value(extra.target.value, item, path_of(path, str(key)), out)
    set_members = 0
    for member in shape.named_members:
        item = value.get(member.name)
        if item is None:
            if member.nullable and member.name in value:
                set_members += 1
            elif member.must_be_present:
                _report(out, path_of(path, member.name), "required")
            elif member.name in value:
                _report(out, path_of(path, member.name), "null is not a value")
            continue
        set_members += 1
        _check_value(member, item, path_of(path, member.name), out)
    if shape.is_union and set_members != 1:
        _report(out, path, f"a {shape.name} union sets exactly one member, not {set_members}")


def _check_alternatives(
    shape: ir.StructureShape,
    alternatives: ir.Alternatives,
    value: object,
    path: str,
    out: list[str],
) -> None:
    """A `oneOf`/`anyOf` union's value is one of its members' values as it is."""
    matched = 0
    for member in shape.members:
        found: list[str] = []
        if value is None:
            found.append("null")
        else:
            _check_value(member, value, path, found)
        if not found and member.target.kind.takes_timestamp_format:
            problem = timestamp_form_problem(value, member.timestamp_format)
            found += [problem] if problem is not None else []
        matched += not found
    if matched == 0 or (alternatives.exactly_one and matched > 1):
        rule = "exactly one" if alternatives.exactly_one else "at least one"
        _report(out, path, f"{rule} of the {shape.name} members must fit, not {matched}")


def _check_value(member: ir.Member, value: object, path: str, out: list[str]) -> None:
    target = member.target
    if isinstance(target, ir.StructureShape) and target.event_stream:
        # An event stream: its events, in order, each a value of the union.
        if not isinstance(value, list):
            _report(out, path, f"expected a list of {target.name} events, found {json_kind(value)}")
            return
        for index, event in enumerate(value):
            _check_structure(target, event, path_of(path, index), out)
    elif isinstance(target, ir.StructureShape):
        _check_structure(target, value, path, out)
    elif isinstance(target, ir.ListShape):
        _check_list(member, target, value, path, out)
    elif isinstance(target, ir.MapShape):
        _check_map(member, target, value, path, out)
    else:
        problem = scalar_problem(member, value)
        if problem is not None:
            _report(out, path, problem)


def _check_list(
    member: ir.Member, target: ir.ListShape, value: object, path: str, out: list[str]
) -> None:
    if not isinstance(value, list):
        _report(out, path, f"expected a list, found {json_kind(value)}")
        return
    problem = length_problem(member.length, len(value), "entries")
    if problem is not None:
        _report(out, path, problem)
    if target.unique_items and len({canonical(item) for item in value}) != len(value):
        _report(out, path, "@uniqueItems: the list has duplicate items")
    for index, item in enumerate(value):
        if item is None:
            if not target.sparse:
                _report(out, path_of(path, index), "null in a list that is not sparse")
            continue
        _check_value(target.member, item, path_of(path, index), out)


def _check_map(
    member: ir.Member, target: ir.MapShape, value: object, path: str, out: list[str]
) -> None:
    if not isinstance(value, dict):
        _report(out, path, f"expected a map object, found {json_kind(value)}")
        return
    problem = length_problem(member.length, len(value), "entries")
    if problem is not None:
        _report(out, path, problem)
    for key, item in value.items():
        key_problem = scalar_problem(target.key, key)
        if key_problem is not None:
            _report(out, path_of(path, str(key)), f"the key: {key_problem}")
        if item is None:
            if not target.sparse:
                _report(out, path_of(path, str(key)), "null in a map that is not sparse")
            continue
        _check_value(target.value, item, path_of(path, str(key)), out)


def scalar_problem(member: ir.Member, value: object) -> str | None:
    """Why `value` (JSON form) cannot be a value of the scalar or enum `member`, or None."""
    return member.target.kind.wire_value_problem(member, value)


def string_problem(member: ir.Member, value: object) -> str | None:
    """What a string's `@length` and `@pattern` say of `value`."""
    if not isinstance(value, str):
        return f"expected a string, found {json_kind(value)}"
    problem = length_problem(member.length, len(value), "characters")
    if problem is not None:
        return problem
    if member.pattern is not None:
        try:
            fits = fits_pattern(member.pattern, value)
        except RegexTooSlow:
            return f"@pattern {member.pattern.ecma} did not decide within {MATCH_BUDGET_SECONDS} s"
        if not fits:
            return f"does not match @pattern {member.pattern.ecma}"
    return None


def number_problem(
    member: ir.Member,
    value: object,
    *,
    integer: bool,
    finite: bool = False,
    float_limit: float = math.inf,
) -> str | None:
    """What a number's type, width and `@range` say of `value`: an integer if `integer`, never
    a non-finite word if `finite`, at most `float_limit` in magnitude."""
    kind = member.target.type
    if isinstance(value, str) and not integer and value in _FLOAT_WORDS:
        if finite:
            return "a big decimal is finite"
        return None if member.range is None else f"{value} breaks @range {member.range.describe}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected a number, found {json_kind(value)}"
    if integer and not isinstance(value, int):
        return f"expected an integer, found {value!r}"
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    bounds = member.integer_bounds
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        return f"{value} is outside {bounds[0]}..{bounds[1]} ({kind})"
    if abs(value) > float_limit:
        return f"{value} is beyond the range of {naming.article(kind)}"
    value_range = member.range
    if value_range is not None and _outside(value_range, exact, value == 0):
        return f"{value} breaks @range {value_range.describe}"
    multiple = member.multiple_of
    if multiple is not None and exact % multiple.value != 0:
        return f"{value} is not a multiple of {multiple.value}"
    return None


def enum_problem(member: ir.Member, value: object) -> str | None:
    target = member.target
    if isinstance(target, ir.EnumShape) and value not in {v.value for v in target.values}:
        shown = repr(value) if isinstance(value, str) else str(value)
        return f"{shown} is not one of the {target.name} enum's values"
    return None


def blob_problem(member: ir.Member, value: object) -> str | None:
    if not isinstance(value, str):
        return f"expected a base64 string, found {json_kind(value)}"
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return "expected a base64 string"
    return length_problem(member.length, len(data), "bytes")


def _outside(value_range: ir.Range, exact: Decimal, zero: bool) -> bool:
    if value_range.allows_zero and zero:
        return False  # the zero default, which means "not set"
    return not value_range.holds(exact)


def timestamp_problem(value: object) -> str | None:
    if isinstance(value, bool):
        return "expected a timestamp, found a boolean"
    if isinstance(value, int | float) and math.isfinite(value):
        try:
            default_values.timestamp(value)
        except (default_values.NotATimestamp, OverflowError) as error:
            return f"not a timestamp: {error}"
        return None
    if isinstance(value, str):
        try:
            default_values.timestamp(value)
        except default_values.NotATimestamp as error:
            return f"not a timestamp: {error}"
        return None
    return f"expected epoch seconds or a date-time, found {json_kind(value)}"


_HTTP_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
)


def timestamp_form_problem(value: object, timestamp_format: str | None) -> str | None:
    """Why `value`, a timestamp, is not written as `timestamp_format` writes one: where a
    `oneOf`/`anyOf` member holds a timestamp, only that form matches it."""
    if timestamp_format == "date-time":
        return None if isinstance(value, str) else "expected RFC 3339 date-time text"
    if timestamp_format == "http-date":
        fits = isinstance(value, str) and _HTTP_DATE.fullmatch(value) is not None
        return None if fits else "expected an HTTP date"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None
    return "expected epoch seconds"


def length_problem(length: ir.Length | None, size: int, unit: str) -> str | None:
    if length is None:
        return None
    if (length.min is not None and size < length.min) or (
        length.max is not None and size > length.max
    ):
        return f"{size} {unit} breaks @length {length.describe}"
    return None


def fits_pattern(pattern: ir.Pattern, text: str) -> bool:
    """Whether `text` meets `pattern` exactly as the generated validator decides it; raises
    `RegexTooSlow` when the pattern takes longer than its budget on `text`."""
    search = _compiled(pattern.python, pattern.method)
    found = within_budget(pattern.python, lambda: search(text))
    return (found is None) if pattern.found_means_broken else (found is not None)


@functools.cache
def _compiled(source: str, method: str) -> Callable[[str], re.Match[str] | None]:
    found: Callable[[str], re.Match[str] | None] = getattr(re.compile(source), method)
    return found


def json_kind(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), "a number"
    )


def canonical(value: object) -> str:
    """One spelling per JSON value, to tell duplicates apart (`@uniqueItems`)."""
    return json.dumps(value, sort_keys=True)
