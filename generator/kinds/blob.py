"""blob: bytes in Python, base64 text in JSON."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

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
from generator.symbols import RUNTIME_ALIAS, Symbol

if TYPE_CHECKING:
    from generator import ir


class Blob(Kind):
    type_name = "blob"
    text_reader_name = "blob"
    payload_form = "bytes"
    type_words = "bytes"
    length_unit = "bytes"
    value_constraints: ClassVar[tuple[str, ...]] = ("length",)
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

    @property
    def alternative_converts(self) -> bool:
        return True

    def alternative_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"_json_values.encode_blob({expr})"

    def alternative_read(self, expr: str) -> str:
        return f"_json_values.decode_blob({expr})"

    def alternative_candidate(self, expr: str, timestamp_format: str | None) -> str:
        return f"_json_values.blob_as_written({expr})"

    def alternative_form(self, timestamp_format: str | None) -> str | None:
        return "base64"

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.blob_text({expr})"

    def event_header_read(self, expr: str) -> str:
        return f'{expr} if {expr}.__class__ is bytes else _wrong_type({expr}, "bytes")'

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.blob_from_text({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        # JSON Schema cannot state a decoded length: it is kept as an annotation.
        schema: JsonSchema = {"type": "string", "contentEncoding": "base64"}
        if member.length is not None:
            schema["x-smithy-length"] = length_keywords(member.length, "min", "max")
        return schema


class StreamingBlob(Blob):
    """A `@streaming` blob (where the protocol streams them): sent from bytes or a binary file
    object, read as a `StreamingBody`. The validators check its type only: a stream's length
    is not known before it is read."""

    payload_form = "stream"
    value_constraints = ()
    reports_every_violation = False
    type_words = "bytes or a binary file object"

    def member_annotation(self, member: ir.Member, scope: frozenset[str]) -> Annotation:
        name = "StreamingBody" if member.in_output else "StreamingInput"
        return f"_runtime.{name}", frozenset({RUNTIME_ALIAS})

    def member_default_literal(self, value: Any, in_output: bool) -> tuple[str, bool]:
        # `@default("")` (AWS models give it to streaming payloads): an empty body to read.
        if in_output:
            return f"_runtime.StreamingBody.from_bytes({self.default_literal(value)[0]})", True
        return self.default_literal(value)

    def default_symbols(self, default_literal: str) -> frozenset[Symbol]:
        return (
            frozenset({RUNTIME_ALIAS}) if default_literal.startswith("_runtime.") else frozenset()
        )

    def accepts(self, var: str) -> str:
        return f"isinstance({var}, (bytes, bytearray)) or hasattr({var}, 'read')"

    def accepts_fast(self, var: str) -> str:
        return f"{var}.__class__ is bytes"

    def rejects_fast(self, var: str) -> str | None:
        return f"{var}.__class__ is not bytes"

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"_restjson_wire.not_in_document({expr})"

    def json_read(self, expr: str) -> str:
        return f"_restjson_wire.not_in_document({expr})"

    def json_zero(self) -> str:
        return "_restjson_wire.not_in_document(None)"
