"""map: a Python dict and a JSON object, keyed by strings; `@sparse` lets values be null."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from generator.kinds.base import (
    Annotation,
    JsonSchema,
    Refer,
    ValueSchema,
    builtin,
    length_keywords,
    with_keywords,
)
from generator.kinds.collection import Collection

if TYPE_CHECKING:
    from generator import ir


class Map(Collection):
    type_name = "map"
    empty = "{}"
    empty_json: ClassVar[object] = {}
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

    def each_item(self, expr: str, item: str) -> str:
        """A new dict with the same keys, of `item` (an expression of `item`) for each value."""
        sparse = "None if item is None else " if self.map_shape.sparse else ""
        return f"{{key: {sparse}{item} for key, item in {expr}.items()}}"

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
