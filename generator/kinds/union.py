"""union: a structure with exactly one member set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import default_values
from generator.kinds.base import Annotation, JsonObject, JsonSchema, Refer, ValueSchema
from generator.kinds.structure import Structure
from generator.symbols import RUNTIME_ALIAS, Symbol

if TYPE_CHECKING:
    from generator import ir


class Union(Structure):
    type_name = "union"

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return default_values.wrong_type(value, cls.type_name)

    def json_schema_definition(self, value_schema: ValueSchema) -> JsonSchema:
        schema = super().json_schema_definition(value_schema)
        schema["minProperties"] = 1
        schema["maxProperties"] = 1
        return schema


class EventStreamUnion(Union):
    """A `@streaming` union (where the protocol streams them): a member targeting it is the
    event stream, a `_runtime.EventStream` of the union's values, read as events arrive. The
    union's own class is each event; the validators leave the stream alone."""

    check_layout = "unchecked"
    payload_form = "event_stream"
    dict_zero = "[]"

    def annotation(self, scope: frozenset[str]) -> Annotation:
        name = self.structure_shape.py_name
        return f"_runtime.EventStream[{name}]", frozenset({RUNTIME_ALIAS, Symbol("shapes", name)})

    def member_annotation(self, member: ir.Member, scope: frozenset[str]) -> Annotation:
        # A request sends the events it is given; a response's are read as they arrive.
        if member.in_output:
            return self.annotation(scope)
        name = self.structure_shape.py_name
        return f"_runtime.EventInput[{name}]", frozenset({RUNTIME_ALIAS, Symbol("shapes", name)})

    def to_dict(self, expr: str) -> str:
        return expr

    def from_dict(self, expr: str) -> str:
        # The wire form of a stream (a fixture's, a default answer's) is its list of events.
        return f"_runtime.events_from_dict({expr}, {self.structure_shape.py_name}.from_dict)"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        return {"type": "array", "items": refer(self.shape)}

    # In a JSON document the stream is only ever a passenger: the AWS JSON protocols' codecs
    # write the output's other members around it and read them with it (`_event_wire`).
    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"_event_wire.write_stream({expr})"

    def json_read(self, expr: str) -> str:
        return f"_event_wire.read_stream({expr})"

    def json_zero(self) -> str:
        return "_event_wire.read_stream(None)"
