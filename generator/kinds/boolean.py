"""boolean: True or False, and nothing else (not 0 or 1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator import default_values, value_fit
from generator.kinds.base import Annotation, JsonObject, JsonSchema, Kind, Refer, builtin

if TYPE_CHECKING:
    from generator import ir


class Boolean(Kind):
    type_name = "boolean"
    text_reader_name = "boolean"
    type_words = "a boolean"
    check_layout = "value"
    http_simple = True
    dict_zero = "False"
    json_zero_literal = "False"

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return builtin("bool", scope)

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return None if isinstance(value, bool) else default_values.wrong_type(value, cls.type_name)

    def accepts(self, var: str) -> str:
        return f"{var} is True or {var} is False"

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        if isinstance(value, bool):
            return None
        return f"expected a boolean, found {value_fit.json_kind(value)}"

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        yield bool(variant % 2)

    def json_read(self, expr: str) -> str:
        return f'{expr} if {expr}.__class__ is bool else _wrong_type({expr}, "bool")'

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        return f'("true" if {expr} else "false")'

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.boolean_from_text({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        return {"type": "boolean"}
