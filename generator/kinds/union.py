"""union: a structure with exactly one member set."""

from __future__ import annotations

from generator import default_values
from generator.kinds.base import JsonObject, JsonSchema, ValueSchema
from generator.kinds.structure import Structure


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
