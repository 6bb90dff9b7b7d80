"""The integers: byte, short, integer and long, each with its width, and what bigInteger shares
with them (an int in Python and in JSON)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from generator import default_values, stub_defaults, value_fit
from generator.kinds.base import (
    Annotation,
    JsonObject,
    JsonSchema,
    Kind,
    Refer,
    builtin,
    number_schema,
)

if TYPE_CHECKING:
    from generator import ir


INT32 = (-(2**31), 2**31 - 1)
"""Smithy's integer, and an intEnum's values."""


class WholeNumber(Kind):
    """An int of any size; bool, an int subclass, is refused."""

    text_reader_name = "integer"
    event_header_class: ClassVar[str] = "Long"
    """The sized integer of `_eventstream` an event header of this width travels as."""

    def event_header_write(self, expr: str) -> str:
        return f"_eventstream.{self.event_header_class}({expr})"

    type_words = "an integer"
    json_format: ClassVar[str | None] = "int32"
    """OpenAPI's name of the width (`byte` and `short` are `int32` there, as in Smithy's own
    conversion, their bounds kept by minimum and maximum)."""
    takes_range = True
    zero_means_unset = True
    value_constraints: ClassVar[tuple[str, ...]] = ("bounds", "range", "multiple_of")
    check_layout = "value"
    http_simple = True
    dict_zero = "0"
    json_zero_literal = "0"

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return builtin("int", scope)

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return default_values.number_problem(
            cls.type_name,
            value,
            traits,
            enum_values,
            integer=True,
            bounds=cls.bounds,
            zero_means_unset=cls.zero_means_unset,
        )

    @classmethod
    def range_literal(cls, bound: Decimal, rounding: str) -> str:
        # An integer is at least 1.5 exactly when it is at least 2.
        return str(int(bound.to_integral_value(rounding)))

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        return value_fit.number_problem(member, value, integer=True)

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        return stub_defaults.number_candidates(member, variant, integer=True)

    def accepts(self, var: str) -> str:
        return f"{var}.__class__ is int or (isinstance({var}, int) and not isinstance({var}, bool))"

    def accepts_fast(self, var: str) -> str:
        return f"{var}.__class__ is int"

    def rejects_fast(self, var: str) -> str | None:
        return f"{var}.__class__ is not int"

    def json_read(self, expr: str) -> str:
        return f'{expr} if {expr}.__class__ is int else _wrong_type({expr}, "int")'

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"str({expr})"

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        return f"int({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        return number_schema(member, "integer", self.json_format)


class Byte(WholeNumber):
    type_name = "byte"
    event_header_class = "Byte"
    bounds = (-(2**7), 2**7 - 1)


class Short(WholeNumber):
    type_name = "short"
    event_header_class = "Short"
    bounds = (-(2**15), 2**15 - 1)


class Integer(WholeNumber):
    type_name = "integer"
    event_header_class = "Integer"
    bounds = INT32


class Long(WholeNumber):
    type_name = "long"
    json_format = "int64"
    bounds = (-(2**63), 2**63 - 1)
