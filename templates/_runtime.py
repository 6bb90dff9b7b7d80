"""Support code shared by the generated modules of this package: violations and small helpers.

It needs nothing from the model, so it is the same in every generated package.
"""

from __future__ import annotations

import enum as _enum
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias, TypeVar

Path: TypeAlias = "tuple[()] | tuple[Path, str | int]"
"""Where a value sits, as a chain of (parent, member name or list index) pairs ending in `()`.

Validators extend it with one small pair per level and only spell it out when they report a
violation, so valid input never pays for formatting paths.
"""

Document: TypeAlias = "bool | int | float | str | list[Document] | dict[str, Document] | None"
"""An untyped JSON-like value (Smithy `document`)."""

WireDict: TypeAlias = dict[str, Any]
"""A structure in wire form: member names as the model spells them, Python values."""

WireMapping: TypeAlias = Mapping[str, Any]

RUNTIME_VERSION = "2"
"""The revision of the runtime this package carries: the static modules copied into every
generated package (`_runtime.py`, the client's `_transport.py`, `_config.py`, ..., the stub's
`_app.py`, `stubber.py`, ...) and what the generated modules expect of them.

It goes up by one when a change to them would break something built against the previous
revision: code that uses a public runtime name (`Violation`, `Transport`, `HttpRequest`,
`Stubber`, ...) as documented, or generated modules of one revision beside static files of
another. Additions and fixes that keep every such use working leave it as it is. The package's
`shapesmith-package.json` records it with the shapesmith version that generated the package.
"""

REDACTED = "*** sensitive ***"
_MAX_VALUE_REPR = 80

_EnumT = TypeVar("_EnumT", bound=_enum.Enum)
_RawT = TypeVar("_RawT", str, int)


def path_parts(path: Path) -> list[str | int]:
    parts: list[str | int] = []
    while path:
        path, part = path
        parts.append(part)
    parts.reverse()
    return parts


def dotted_path(parts: Sequence[str | int]) -> str:
    """`["AuditImages", 0, "Bytes"]` -> `AuditImages[0].Bytes`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def json_pointer(parts: Sequence[str | int]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


class Violation:
    """One way a value breaks the model.

    Built only on failure and cheap to build: its path, pointer and value text are worked out
    when they are first read.
    """

    __slots__ = ("_path", "_shown", "_value", "constraint", "limit")

    constraint: str
    """The rule broken: `required`, `type`, `length`, `pattern`, `range`, `enum`,
    `unique_items`, `union` or `unknown_member`."""
    limit: str
    """What the model allows, e.g. `36..36 characters` or the pattern itself."""

    def __init__(
        self, path: Path, constraint: str, limit: str, value: object, sensitive: bool
    ) -> None:
        self._path = path
        self.constraint = constraint
        self.limit = limit
        # A sensitive value is never kept, so no repr or traceback can show it.
        self._value = None if sensitive else value
        self._shown: str | None = REDACTED if sensitive else None

    @property
    def path(self) -> str:
        """Dotted path of the offending value, e.g. `AuditImages[0].Bytes` ("" for the root)."""
        return dotted_path(path_parts(self._path))

    @property
    def pointer(self) -> str:
        """The same location as a JSON pointer, e.g. `/AuditImages/0/Bytes`."""
        return json_pointer(path_parts(self._path))

    @property
    def value(self) -> str:
        """A short repr of the offending value, or a redaction marker for sensitive members."""
        if self._shown is None:
            text = repr(self._value)
            if len(text) > _MAX_VALUE_REPR:
                text = text[: _MAX_VALUE_REPR - 3] + "..."
            self._shown = text
        return self._shown

    @property
    def message(self) -> str:
        where = self.path or "<root>"
        return f"{where}: {self.constraint} violation: expected {self.limit}, got {self.value}"

    def _key(self) -> tuple[str, str, str, str]:
        return (self.path, self.constraint, self.limit, self.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Violation):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Violation(path={self.path!r}, constraint={self.constraint!r}, "
            f"limit={self.limit!r}, value={self.value!r})"
        )

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


def report_unexpected_members(
    value: object, members: Mapping[str, bool], path: Path, out: list[Violation]
) -> None:
    """Report the keys of a structure's dict that are not its members, and optional members set
    to null. `members` maps each member's name to whether it is required; validators report a
    required member that is null or absent themselves (see `missing`)."""
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if not isinstance(key, str) or key not in members:
            out.append(
                Violation((path, str(key)), "unknown_member", "a member of the shape", key, False)
            )
        elif item is None and not members[key]:
            out.append(Violation((path, key), "type", "a value, not null", None, False))


def member_table(names: str, required: str = "") -> Mapping[str, bool]:
    """A structure's members, by name, each mapped to whether a value is required: from the
    names written with spaces between (Smithy's member names hold no space)."""
    must = set(required.split())
    return {name: name in must for name in names.split()}


def report_missing(out: list[Violation], path: Path, container: object, key: str) -> None:
    """Report the required member `key` of the structure at `path`, which reads as None."""
    out.append(Violation((path, key), "required", missing(container, key), None, False))


def missing(container: object, key: str) -> str:
    """What a required member `key` that reads as None should have been: a dict can hold it as
    an explicit null, which is worth saying."""
    return "a value, not null" if isinstance(container, dict) and key in container else "a value"


def has_duplicates(items: Sequence[object]) -> bool:
    try:
        return len(set(items)) != len(items)
    except TypeError:  # unhashable items (structures, lists): compare pairwise
        return any(
            items[i] == items[j] for i in range(len(items)) for j in range(i + 1, len(items))
        )


def enum_or_raw(enum_class: type[_EnumT], value: _RawT) -> _EnumT | _RawT:
    """The enum member for a wire value, or the raw value itself when this client does not know it
    yet: services may add enum values at any time, and a client must not fail on them."""
    try:
        return enum_class(value)
    except ValueError:
        return value
