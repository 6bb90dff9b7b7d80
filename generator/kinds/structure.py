"""structure: a generated dataclass (a dict of its wire form is accepted too) and a JSON
object of its members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import default_values
from generator.kinds.base import Annotation, JsonObject, JsonSchema, Kind, Refer, ValueSchema
from generator.symbols import Symbol

if TYPE_CHECKING:
    from generator import ir


class Structure(Kind):
    type_name = "structure"
    check_layout = "structure"
    http_payload = True
    payload_form = "json"
    dict_zero = "{}"

    @property
    def structure_shape(self) -> ir.StructureShape:
        from generator import ir  # the IR imports this package first

        assert isinstance(self.shape, ir.StructureShape)
        return self.shape

    def annotation(self, scope: frozenset[str]) -> Annotation:
        name = self.structure_shape.py_name
        return name, frozenset({Symbol("shapes", name)})

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return "{}", True

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return None if value == {} else default_values.wrong_type(value, cls.type_name)

    def to_dict(self, expr: str) -> str:
        return f"{expr}.to_dict()"

    def from_dict(self, expr: str) -> str:
        return f"{self.structure_shape.py_name}.from_dict({expr})"

    # A `oneOf`/`anyOf` branch that is a structure: its JSON is its wire form but for members
    # JSON carries in another form (timestamps, bytes), read exactly in that form or not at all.

    @property
    def alternative_converts(self) -> bool:
        return bool(self.structure_shape.json_forms)

    def alternative_write(self, expr: str, timestamp_format: str | None) -> str:
        if not self.alternative_converts:
            return self.to_dict(expr)
        forms = self.structure_shape.json_forms_constant
        return f"_json_values.members_written({self.to_dict(expr)}, {forms})"

    def alternative_read(self, expr: str) -> str:
        return self.from_dict(self.alternative_candidate(expr, None))

    def alternative_candidate(self, expr: str, timestamp_format: str | None) -> str:
        if not self.alternative_converts:
            return expr
        forms = self.structure_shape.json_forms_constant
        return f"_json_values.members_as_written({expr}, {forms})"

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"{self.structure_shape.serializer}({expr})"

    def json_read(self, expr: str) -> str:
        return f"{self.structure_shape.deserializer}({expr})"

    def json_zero(self) -> str:
        return f"{self.structure_shape.deserializer}({{}})"

    def json_read_strict(self, expr: str) -> str:
        return f"{self.structure_shape.reader}({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        return refer(self.shape)

    def json_schema_definition(self, value_schema: ValueSchema) -> JsonSchema:
        shape = self.structure_shape
        properties = {member.name: value_schema(member) for member in shape.named_members}
        schema: JsonSchema = {"type": "object", "properties": properties}
        extra = shape.extra_member
        if extra is not None:
            # The map's schema says what each property beside the named ones must be.
            schema["additionalProperties"] = extra.target.kind.json_schema_definition(value_schema)[
                "additionalProperties"
            ]
        elif not shape.open:
            schema["additionalProperties"] = False
        required = [member.name for member in shape.required_members]
        if required:
            schema["required"] = required
        return schema
