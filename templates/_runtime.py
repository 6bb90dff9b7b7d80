"""Support code shared by the generated modules of this package: violations and small helpers.

It needs nothing from the model, so it is the same in every generated package.
"""

from __future__ import annotations

import enum as _enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

Path: TypeAlias = tuple[str | int, ...]
"""Where a value sits in the structure being validated: member names and list indexes."""

Document: TypeAlias = "bool | int | float | str | list[Document] | dict[str, Document] | None"
"""An untyped JSON-like value (Smithy `document`)."""

WireDict: TypeAlias = dict[str, Any]
"""A structure in wire form: member names as the model spells them, Python values."""

WireMapping: TypeAlias = Mapping[str, Any]

REDACTED = "*** sensitive ***"
_MAX_VALUE_REPR = 80

_EnumT = TypeVar("_EnumT", bound=_enum.Enum)
_RawT = TypeVar("_RawT", str, int)


def dotted_path(path: Path) -> str:
    """`("AuditImages", 0, "Bytes")` -> `AuditImages[0].Bytes`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def json_pointer(path: Path) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a value breaks the model."""

    path: str
    """Dotted path of the offending value, e.g. `AuditImages[0].Bytes` ("" for the root)."""
    pointer: str
    """The same location as a JSON pointer, e.g. `/ReferenceImage/S3Object/Bucket`."""
    constraint: str
    """The rule broken: `required`, `type`, `length`, `pattern`, `range`, `enum`,
    `unique_items`, `union` or `unknown_member`."""
    limit: str
    """What the model allows, e.g. `36..36` for a length or the pattern itself."""
    value: str
    """A short repr of the offending value, or a redaction marker for sensitive members."""

    @property
    def message(self) -> str:
        where = self.path or "<root>"
        return f"{where}: {self.constraint} violation: expected {self.limit}, got {self.value}"

    def __str__(self) -> str:
        return self.message


class ValidationError(ValueError):
    """Raised by `validate_or_raise`; lists every violation, not only the first."""

    def __init__(self, shape: str, violations: Sequence[Violation]) -> None:
        self.shape = shape
        self.violations = tuple(violations)
        count = len(self.violations)
        lines = [f"{shape} has {count} violation{'s' if count != 1 else ''}:"]
        lines.extend(f"  - {violation.message}" for violation in self.violations)
        super().__init__("\n".join(lines))


def describe_value(value: object, sensitive: bool) -> str:
    if sensitive:
        return REDACTED
    text = repr(value)
    if len(text) > _MAX_VALUE_REPR:
        text = text[: _MAX_VALUE_REPR - 3] + "..."
    return text


def violation(
    path: Path, member: str | int | None, constraint: str, limit: str, value: object, sensitive: bool
) -> Violation:
    """Build a violation; called only on failure, so the happy path never formats anything."""
    full = path if member is None else (*path, member)
    return Violation(
        path=dotted_path(full),
        pointer=json_pointer(full),
        constraint=constraint,
        limit=limit,
        value=describe_value(value, sensitive),
    )


def check_mapping_keys(
    value: dict[object, object],
    known: frozenset[str],
    required: frozenset[str],
    path: Path,
    out: list[Violation],
) -> None:
    """Report keys the shape does not have, and explicit nulls where a value is optional.

    (A null in a required member is reported by the required check.)
    """
    for key, item in value.items():
        if key not in known:
            out.append(violation(path, str(key), "unknown_member", "a member of the shape", key, False))
        elif item is None and key not in required:
            out.append(violation(path, str(key), "type", "a value, not null", None, False))


def has_duplicates(items: Sequence[object]) -> bool:
    try:
        return len(set(items)) != len(items)
    except TypeError:  # unhashable items (structures, lists): compare pairwise
        return any(items[i] == items[j] for i in range(len(items)) for j in range(i + 1, len(items)))


def enum_or_raw(enum_class: type[_EnumT], value: _RawT) -> _EnumT | _RawT:
    """The enum member for a wire value, or the raw value itself when this client does not know it
    yet: services may add enum values at any time, and a client must not fail on them."""
    try:
        return enum_class(value)
    except ValueError:
        return value
