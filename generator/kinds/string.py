"""string: str in Python and in JSON; `@length` counts code points, `@pattern` is ECMA 262."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from generator import default_values, stub_defaults, value_fit
from generator.kinds.base import (
    Annotation,
    JsonObject,
    JsonSchema,
    Kind,
    Refer,
    builtin,
    length_keywords,
)

if TYPE_CHECKING:
    from generator import ir


class String(Kind):
    type_name = "string"
    payload_form = "text"
    header_list_quoted = True
    type_words = "a string"
    length_unit = "characters"
    takes_pattern = True
    takes_enum_trait = True
    value_constraints: ClassVar[tuple[str, ...]] = ("length", "pattern")
    reports_every_violation = True
    check_layout = "value"
    http_simple = True
    http_payload = True
    dict_zero = '""'
    json_zero_literal = '""'

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return builtin("str", scope)

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return default_values.string_problem(cls.type_name, value, traits, enum_values)

    def accepts(self, var: str) -> str:
        return f"{var}.__class__ is str or isinstance({var}, str)"

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        return value_fit.string_problem(member, value)

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        return stub_defaults.string_candidates(member, variant)

    def json_read(self, expr: str) -> str:
        return f'{expr} if {expr}.__class__ is str else _wrong_type({expr}, "str")'

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        return expr

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        return expr

    def _media_typed(self) -> bool:
        from generator import ir  # the IR imports this package first

        return isinstance(self.shape, ir.ScalarShape) and self.shape.media_type is not None

    def header_write(self, expr: str, timestamp_format: str | None) -> str:
        """A `@mediaType` string travels in a header as base64 (it may hold any character)."""
        if self._media_typed():
            return f"_restjson_wire.blob_text({expr}.encode())"
        return self.text_write(expr, timestamp_format)

    def header_read(self, expr: str, timestamp_format: str | None) -> str:
        if self._media_typed():
            return f"_restjson_wire.blob_from_text({expr}).decode()"
        return self.text_read(expr, timestamp_format)

    def header_read_strict(self, expr: str) -> str:
        if self._media_typed():
            return f"_restjson_server.base64_text({expr})"
        return self.text_read_strict(expr)

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        schema: JsonSchema = {
            "type": "string",
            **length_keywords(member.length, "minLength", "maxLength"),
        }
        if member.pattern is not None:
            schema["pattern"] = member.pattern.ecma
        return schema
