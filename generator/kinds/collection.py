"""What lists and maps share: their items' conversions are functions of their own (named in the
IR), `@length` counts entries, `@sparse` lets an item be null, and only an empty one can be a
`@default`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from generator import default_values
from generator.kinds.base import JsonObject, Kind

if TYPE_CHECKING:
    from generator import ir


class Collection(Kind):
    empty: ClassVar[str] = ""
    """The empty value as a Python literal: the only `@default` that fits, and the zero."""
    empty_json: ClassVar[object] = None
    """The empty value as JSON reads it."""
    length_unit = "entries"
    takes_sparse = True
    check_layout = "collection"
    # A whole JSON body may be an array or a map: Smithy allows neither as `@httpPayload`, OpenAPI
    # documents say both (shapesmith's extension; restJson1 writes it as the JSON it is).
    http_payload = True
    payload_form = "json"

    @property
    def collection_shape(self) -> ir.ListShape | ir.MapShape:
        from generator import ir  # the IR imports this package first

        assert isinstance(self.shape, ir.ListShape | ir.MapShape)
        return self.shape

    @property
    def item_member(self) -> ir.Member:
        """The member that describes each item (a map's values)."""
        raise NotImplementedError(type(self).__name__)

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return self.empty, True

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        if value != cls.empty_json:
            return default_values.wrong_type(value, cls.type_name)
        return default_values.length_problem(0, traits, "entries")

    def to_dict(self, expr: str) -> str:
        shape = self.collection_shape
        return f"{shape.to_dict_function}({expr})" if shape.needs_wire_conversion else expr

    def from_dict(self, expr: str) -> str:
        shape = self.collection_shape
        return f"{shape.from_dict_function}({expr})" if shape.needs_wire_conversion else expr

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"{self.collection_shape.serializer}({expr})"

    def json_read(self, expr: str) -> str:
        return f"{self.collection_shape.deserializer}({expr})"

    def json_read_strict(self, expr: str) -> str:
        return f"{self.collection_shape.reader}({expr})"
