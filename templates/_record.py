"""Immutable records for the modules a client needs at construction, without `dataclasses`.

`dataclasses` (with the `inspect` it imports) and `typing` would cost more than everything else
a client does before its first call, so the few records built then (settings, credentials,
endpoints, partitions) use this small base instead: fields are the class's `__slots__`, set once
in `__init__` through `_fill`; equality, hashing and repr follow the fields; assignment raises
`AttributeError`, as on a frozen dataclass.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Self, TypeVar

    _R = TypeVar("_R", bound="Record")


class Record:
    __slots__: tuple[str, ...] = ()
    _unhashed: tuple[str, ...] = ()
    """Fields left out of the hash (unhashable values, such as a read-only mapping)."""

    def _fill(self, **values: Any) -> None:
        for name in self.__slots__:
            object.__setattr__(self, name, values[name])

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def replace(self, **changes: Any) -> Self:
        """A copy with `changes` applied."""
        values = {name: getattr(self, name) for name in self.__slots__}
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values.update(changes)
        return _rebuilt(type(self), values)

    def __reduce__(self) -> tuple[Any, ...]:
        # `copy` and `pickle` would set the fields with setattr, which a frozen record refuses.
        return _rebuilt, (type(self), {name: getattr(self, name) for name in self.__slots__})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(
            tuple(getattr(self, name) for name in self.__slots__ if name not in self._unhashed)
        )

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"


def _rebuilt(cls: type[_R], values: dict[str, Any]) -> _R:
    record = object.__new__(cls)
    record._fill(**values)
    return record
