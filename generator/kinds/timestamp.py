"""timestamp: an aware `datetime.datetime`; JSON carries it in the member's `@timestampFormat`
(epoch seconds by default)."""

from __future__ import annotations

import datetime
import email.utils
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator import default_values, value_fit
from generator.kinds.base import Annotation, JsonObject, JsonSchema, Kind, Refer
from generator.pyliterals import string_literal
from generator.symbols import DATETIME_ALIAS, Symbol

if TYPE_CHECKING:
    from generator import ir


SAMPLE_MOMENT = 1_700_000_000
"""The moment the stub's built timestamps name (2023-11-14T22:13:20Z), in epoch seconds."""


class Timestamp(Kind):
    type_name = "timestamp"
    text_reader_name = "timestamp"
    type_words = "a datetime"
    takes_timestamp_format = True
    check_layout = "value"
    json_values_name = "timestamp"
    http_simple = True
    dict_zero = "_datetime.datetime.fromtimestamp(0, _datetime.UTC)"
    json_zero_literal = "_json_values.EPOCH"

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return "_datetime.datetime", frozenset({DATETIME_ALIAS})

    def default_literal(self, value: Any) -> tuple[str, bool]:
        # Parsed here, so that the package builds the exact moment without parsing anything.
        return default_values.timestamp_literal(default_values.timestamp(value)), False

    def default_symbols(self, default_literal: str) -> frozenset[Symbol]:
        return frozenset({DATETIME_ALIAS})

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return default_values.timestamp_problem(value)

    def accepts(self, var: str) -> str:
        return f"isinstance({var}, _datetime.datetime)"

    def rejects_fast(self, var: str) -> str | None:
        return f"not isinstance({var}, _datetime.datetime)"

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        return value_fit.timestamp_problem(value)

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        # In the member's own form: a `oneOf`/`anyOf` member matches no other.
        moment = datetime.datetime.fromtimestamp(SAMPLE_MOMENT + variant, datetime.UTC)
        if member.timestamp_format == "date-time":
            yield moment.isoformat().replace("+00:00", "Z")
        elif member.timestamp_format == "http-date":
            yield email.utils.format_datetime(moment, usegmt=True)
        else:
            yield SAMPLE_MOMENT + variant

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        fmt = string_literal(timestamp_format or "epoch-seconds")
        return f"_json_values.encode_timestamp({expr}, {fmt})"

    @property
    def alternative_converts(self) -> bool:
        return True

    def alternative_write(self, expr: str, timestamp_format: str | None) -> str:
        return self.json_write(expr, timestamp_format)

    def alternative_read(self, expr: str) -> str:
        return f"_json_values.decode_timestamp({expr})"

    def alternative_form(self, timestamp_format: str | None) -> str | None:
        return timestamp_format or "epoch-seconds"

    def alternative_candidate(self, expr: str, timestamp_format: str | None) -> str:
        fmt = string_literal(timestamp_format or "epoch-seconds")
        return f"_json_values.timestamp_as_written({expr}, {fmt})"

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        fmt = string_literal(timestamp_format or "date-time")
        return f"_restjson_wire.timestamp_text({expr}, {fmt})"

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        fmt = string_literal(timestamp_format or "http-date")
        return f"_restjson_wire.timestamp_from_text({expr}, {fmt})"

    def event_header_write(self, expr: str) -> str:
        return f"_eventstream.Timestamp.from_datetime({expr})"

    def event_header_read(self, expr: str) -> str:
        return f"_event_wire.event_timestamp({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        if member.timestamp_format == "date-time":
            return {"type": "string", "format": "date-time"}
        if member.timestamp_format == "http-date":
            return {"type": "string", "description": "an HTTP date (RFC 9110 IMF-fixdate)"}
        return {"type": "number", "description": "epoch seconds"}
