"""float and double: a Python float (an int is accepted too); JSON carries the non-finite ones
as the strings "NaN", "Infinity" and "-Infinity"."""

from __future__ import annotations

import math
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
from generator.pyliterals import literal

if TYPE_CHECKING:
    from generator import ir


class BinaryFloat(Kind):
    limit: ClassVar[float] = math.inf
    """The largest magnitude a default may have."""
    text_reader_name = "float"
    type_words = "a number"
    takes_range = True
    is_binary_float = True
    zero_means_unset = True
    value_constraints = ("range", "multiple_of")
    check_layout = "value"
    json_values_name = "float"
    http_simple = True
    dict_zero = "0.0"
    json_zero_literal = "0.0"

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return builtin("float", scope)

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return literal(float(value)), False

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return default_values.number_problem(
            cls.type_name,
            value,
            traits,
            enum_values,
            integer=False,
            float_limit=cls.limit,
            zero_means_unset=cls.zero_means_unset,
        )

    @classmethod
    def range_literal(cls, bound: Decimal, rounding: str) -> str:
        return repr(float(bound))

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        return value_fit.number_problem(member, value, integer=False, float_limit=self.limit)

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        return stub_defaults.number_candidates(member, variant, integer=False)

    def accepts(self, var: str) -> str:
        return (
            f"{var}.__class__ is float or (isinstance({var}, (int, float))"
            f" and not isinstance({var}, bool))"
        )

    def accepts_fast(self, var: str) -> str:
        return f"{var}.__class__ is float or {var}.__class__ is int"

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.float_text({expr})"

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.float_from_text({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        return number_schema(member, "number")


class Float(BinaryFloat):
    type_name = "float"
    limit = default_values.FLOAT32_MAX


class Double(BinaryFloat):
    type_name = "double"
