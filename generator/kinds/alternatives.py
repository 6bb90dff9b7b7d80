"""alternatives: a union from JSON Schema's `oneOf`/`anyOf` (`shapesmith.api#alternatives`).

Its Python form is the union's class (one member set); its wire form and its JSON are the set
member's value as it is, not an object naming the member. Which member a value is gets decided
when it is read: by the discriminator's tag where it maps one, else by the first member whose
checks the value passes (the validators' `_first_match_*`). JSON carries such a union as its
wire form: the OpenAPI translation makes one only where no branch holds a value JSON cannot
carry natively or a property renamed for Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.kinds.base import JsonSchema, ValueSchema
from generator.kinds.union import Union

if TYPE_CHECKING:
    from generator import ir


class Alternatives(Union):
    dict_zero = "None"

    @property
    def alternatives(self) -> ir.Alternatives:
        found = self.structure_shape.alternatives
        assert found is not None
        return found

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"{expr}.to_dict()"

    def json_read(self, expr: str) -> str:
        return f"{self.structure_shape.py_name}.from_dict({expr})"

    def json_zero(self) -> str:
        return f"{self.structure_shape.py_name}()"

    def json_read_strict(self, expr: str) -> str:
        return expr

    def json_schema_definition(self, value_schema: ValueSchema) -> JsonSchema:
        shape = self.structure_shape
        branches = [value_schema(member) for member in shape.members]
        schema: JsonSchema = {"oneOf" if self.alternatives.exactly_one else "anyOf": branches}
        if self.alternatives.property_name is not None:
            mapping = {
                str(tag): branches[shape.members.index(member)]["$ref"]
                for tag, member in shape.tagged_members
                if "$ref" in branches[shape.members.index(member)]
            }
            schema["discriminator"] = {"propertyName": str(self.alternatives.property_name)}
            if mapping:
                schema["discriminator"]["mapping"] = mapping
        return schema
