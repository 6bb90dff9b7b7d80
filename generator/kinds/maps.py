"""map: a Python dict and a JSON object, keyed by strings; `@sparse` lets values be null."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import default_values
from generator.kinds.base import (
    Annotation,
    JsonObject,
    JsonSchema,
    Kind,
    Refer,
    ValueSchema,
    builtin,
    length_keywords,
    with_keywords,
)

if TYPE_CHECKING:
    from generator import ir


class Map(Kind):
    type_name = "map"
    length_unit = "entries"
    takes_sparse = True
    check_layout = "collection"
    python_classes = "dict"
    """What `isinstance` accepts as a value, as the tuple's contents."""
    dict_zero = "{}"
    json_zero_literal = "{}"

    @property
    def map_shape(self) -> ir.MapShape:
        from generator import ir  # the IR imports this package first

        assert isinstance(self.shape, ir.MapShape)
        return self.shape

    @property
    def item_member(self) -> ir.Member:
        """The member that describes each item."""
        return self.map_shape.value

    def annotation(self, scope: frozenset[str]) -> Annotation:
        shape = self.map_shape
        value, value_needs = shape.value.target.kind.annotation(scope)
        if shape.sparse:
            value = f"{value} | None"
        outer, needs = builtin("dict", scope)
        key, key_needs = builtin("str", scope)
        return f"{outer}[{key}, {value}]", needs | key_needs | value_needs

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return "{}", True

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        if value != {}:
            return default_values.wrong_type(value, cls.type_name)
        return default_values.length_problem(0, traits, "entries")

    def each_item(self, expr: str, item: str) -> str:
        """A new dict with the same keys, of `item` (an expression of `item`) for each value."""
        sparse = "None if item is None else " if self.map_shape.sparse else ""
        return f"{{key: {sparse}{item} for key, item in {expr}.items()}}"

    def to_dict(self, expr: str) -> str:
        shape = self.map_shape
        return f"{shape.to_dict_function}({expr})" if shape.needs_wire_conversion else expr

    def from_dict(self, expr: str) -> str:
        shape = self.map_shape
        return f"{shape.from_dict_function}({expr})" if shape.needs_wire_conversion else expr

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"{self.map_shape.serializer}({expr})"

    def json_read(self, expr: str) -> str:
        return f"{self.map_shape.deserializer}({expr})"

    def json_read_strict(self, expr: str) -> str:
        return f"{self.map_shape.reader}({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        keywords = length_keywords(member.length, "minProperties", "maxProperties")
        return with_keywords(refer(self.shape), keywords)

    def json_schema_definition(self, value_schema: ValueSchema) -> JsonSchema:
        shape = self.map_shape
        values = value_schema(shape.value)
        return {
            "type": "object",
            "propertyNames": value_schema(shape.key),
            "additionalProperties": (
                {"anyOf": [values, {"type": "null"}]} if shape.sparse else values
            ),
        }
