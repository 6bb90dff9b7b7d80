"""bigInteger (an int of any size) and bigDecimal (an exact decimal: `decimal.Decimal`, or an
int; JSON carries it as a number, read without going through a float)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from generator import default_values, stub_defaults, value_fit
from generator.kinds.base import Annotation, JsonObject, JsonSchema, Kind, Refer, number_schema
from generator.kinds.integers import WholeNumber
from generator.symbols import DECIMAL_ALIAS, Symbol

if TYPE_CHECKING:
    from generator import ir


class BigInteger(WholeNumber):
    type_name = "bigInteger"
    json_format = None  # no width


class BigDecimal(Kind):
    type_name = "bigDecimal"
    text_reader_name = "decimal"
    type_words = "an int or a Decimal"
    takes_range = True
    zero_means_unset = True
    value_constraints = ("finite", "range", "multiple_of")
    check_layout = "value"
    json_values_name = "decimal"
    http_simple = True
    dict_zero = '_decimal.Decimal("0")'
    json_zero_literal = "_json_values.ZERO_DECIMAL"

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return "_decimal.Decimal", frozenset({DECIMAL_ALIAS})

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return f'_decimal.Decimal("{value}")', False

    def default_symbols(self, default_literal: str) -> frozenset[Symbol]:
        return frozenset({DECIMAL_ALIAS})

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
            zero_means_unset=cls.zero_means_unset,
        )

    @classmethod
    def range_literal(cls, bound: Decimal, rounding: str) -> str:
        return f'_decimal.Decimal("{bound}")'

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        return value_fit.number_problem(member, value, integer=False, finite=True)

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        return stub_defaults.number_candidates(member, variant, integer=False)

    def accepts(self, var: str) -> str:
        return f"isinstance({var}, (int, _decimal.Decimal)) and not isinstance({var}, bool)"

    def accepts_fast(self, var: str) -> str:
        # A Decimal goes on to the check function, which also tests that it is finite.
        return f"{var}.__class__ is int"

    def rejects_fast(self, var: str) -> str | None:
        return f"{var}.__class__ is not int"

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"str({expr})"

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.decimal_from_text({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        return number_schema(member, "number")
