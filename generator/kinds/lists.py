"""list: a Python list (a tuple is accepted too) and a JSON array; `@sparse` lets items be null."""

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


class List(Collection):
    type_name = "list"
    empty = "[]"
    empty_json: ClassVar[object] = []
    takes_unique_items = True
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

    def each_item(self, expr: str, item: str) -> str:
        """A new list of `item` (an expression of `item`) for each item of `expr`."""
        sparse = "None if item is None else " if self.list_shape.sparse else ""
        return f"[{sparse}{item} for item in {expr}]"

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
