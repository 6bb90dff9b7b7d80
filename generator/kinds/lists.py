"""list: a Python list (a tuple is accepted too) and a JSON array; `@sparse` lets items be null."""

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


class List(Kind):
    type_name = "list"
    length_unit = "entries"
    takes_unique_items = True
    takes_sparse = True
    check_layout = "collection"
    python_classes = "list, tuple"
    """What `isinstance` accepts as a value, as the tuple's contents."""
    dict_zero = "[]"
    json_zero_literal = "[]"

    @property
    def list_shape(self) -> ir.ListShape:
        from generator import ir  # the IR imports this package first

        assert isinstance(self.shape, ir.ListShape)
        return self.shape

    @property
    def item_member(self) -> ir.Member:
        """The member that describes each item."""
        return self.list_shape.member

    def annotation(self, scope: frozenset[str]) -> Annotation:
        shape = self.list_shape
        item, item_needs = shape.member.target.kind.annotation(scope)
        if shape.sparse:
            item = f"{item} | None"
        outer, needs = builtin("list", scope)
        return f"{outer}[{item}]", needs | item_needs

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return "[]", True

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        if value != []:
            return default_values.wrong_type(value, cls.type_name)
        return default_values.length_problem(0, traits, "entries")

    def each_item(self, expr: str, item: str) -> str:
        """A new list of `item` (an expression of `item`) for each item of `expr`."""
        sparse = "None if item is None else " if self.list_shape.sparse else ""
        return f"[{sparse}{item} for item in {expr}]"

    def to_dict(self, expr: str) -> str:
        shape = self.list_shape
        return f"{shape.to_dict_function}({expr})" if shape.needs_wire_conversion else expr

    def from_dict(self, expr: str) -> str:
        shape = self.list_shape
        return f"{shape.from_dict_function}({expr})" if shape.needs_wire_conversion else expr

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"{self.list_shape.serializer}({expr})"

    def json_read(self, expr: str) -> str:
        return f"{self.list_shape.deserializer}({expr})"

    def json_read_strict(self, expr: str) -> str:
        return f"{self.list_shape.reader}({expr})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        return with_keywords(
            refer(self.shape), length_keywords(member.length, "minItems", "maxItems")
        )

    def json_schema_definition(self, value_schema: ValueSchema) -> JsonSchema:
        shape = self.list_shape
        items = value_schema(shape.member)
        schema: JsonSchema = {
            "type": "array",
            "items": {"anyOf": [items, {"type": "null"}]} if shape.sparse else items,
        }
        if shape.unique_items:
            schema["uniqueItems"] = True
        return schema
