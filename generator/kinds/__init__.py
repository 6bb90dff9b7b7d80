"""One home per Smithy kind: each module here owns everything shapesmith knows about its kind
(see `base.Kind`): the Python annotation and zero value, the test of a value's type and the
words for a wrong one, the wire conversions of each codec, the constraints that apply, the
`@default` values that fit, and the JSON Schema. `build`, `semantics`, `jsonschema_export` and
the templates ask a shape's kind (`shape.kind`) instead of deciding by type name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import default_values
from generator.kinds.alternatives import Alternatives
from generator.kinds.base import JsonObject, Kind
from generator.kinds.big_numbers import BigDecimal, BigInteger
from generator.kinds.blob import Blob, StreamingBlob
from generator.kinds.boolean import Boolean
from generator.kinds.document import Document
from generator.kinds.enums import Enum, IntEnum
from generator.kinds.floats import Double, Float
from generator.kinds.integers import Byte, Integer, Long, Short
from generator.kinds.lists import List
from generator.kinds.maps import Map
from generator.kinds.string import String
from generator.kinds.structure import Structure
from generator.kinds.timestamp import Timestamp
from generator.kinds.union import EventStreamUnion, Union

if TYPE_CHECKING:
    from generator import ir

_KINDS: dict[str, type[Kind]] = {
    kind.type_name: kind
    for kind in (
        Blob,
        Boolean,
        String,
        Byte,
        Short,
        Integer,
        Long,
        BigInteger,
        Float,
        Double,
        BigDecimal,
        Timestamp,
        Document,
        Enum,
        IntEnum,
        List,
        Map,
        Structure,
        Union,
    )
}


def by_type(type_name: str) -> type[Kind]:
    """The kind of a Smithy type name; `Kind` itself (nothing applies) for one that is not a
    value's (an operation, a service, a resource)."""
    return _KINDS.get(type_name, Kind)


def of(shape: ir.Shape) -> Kind:
    if getattr(shape, "streaming", False):
        return StreamingBlob(shape)
    if getattr(shape, "event_stream", False):
        return EventStreamUnion(shape)
    if getattr(shape, "alternatives", None) is not None:
        return Alternatives(shape)
    return by_type(shape.type)(shape)


def default_problem(
    type_name: str, value: object, traits: JsonObject, enum_values: list[object]
) -> str | None:
    """Why `value` cannot be the `@default` of a `type_name` shape whose effective traits are
    `traits` (member over target) and whose enum values, if any, are `enum_values`."""
    if value is None:
        return None
    kind = by_type(type_name)
    if kind is Kind:
        return default_values.wrong_type(value, type_name)
    return kind.default_problem(value, traits, enum_values)


def zero_default_allowed(type_name: str, value: object) -> bool:
    """See `default_values.zero_default_allowed`."""
    return default_values.zero_default_allowed(by_type(type_name).zero_means_unset, value)
