"""blob: bytes in Python, base64 text in JSON."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator import default_values, value_fit
from generator.kinds.base import (
    Annotation,
    JsonObject,
    JsonSchema,
    Kind,
    Refer,
    builtin,
    length_keywords,
)
from generator.pyliterals import literal

if TYPE_CHECKING:
    from generator import ir


class Blob(Kind):
    type_name = "blob"
    text_reader_name = "blob"
    payload_form = "bytes"
    type_words = "bytes"
    length_unit = "bytes"
    value_constraints = ("length",)
    reports_every_violation = True
    check_layout = "value"
    json_values_name = "blob"
    http_payload = True
    dict_zero = 'b""'
    json_zero_literal = 'b""'

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return builtin("bytes", scope)

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return literal(base64.b64decode(value)), False

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return default_values.blob_problem(value, traits)

    def accepts(self, var: str) -> str:
        return f"{var}.__class__ is bytes or isinstance({var}, (bytes, bytearray))"

    def accepts_fast(self, var: str) -> str:
        return f"{var}.__class__ is bytes"

    def rejects_fast(self, var: str) -> str | None:
        return f"{var}.__class__ is not bytes"

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        return value_fit.blob_problem(member, value)

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        size = 0 if member.length is None or member.length.min is None else member.length.min
        filler = chr(ord("a") + variant % 26).encode() * max(size, 1 if variant else 0)
        for data in (filler, filler[:size], b"\x00" * size):
            yield base64.b64encode(data).decode("ascii")

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.blob_text({expr})"

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.blob_from_text({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        # JSON Schema cannot state a decoded length: it is kept as an annotation.
        schema: JsonSchema = {"type": "string", "contentEncoding": "base64"}
        if member.length is not None:
            schema["x-smithy-length"] = length_keywords(member.length, "min", "max")
        return schema
