"""enum and intEnum: a generated `StrEnum` / `IntEnum` class, whose values are the model's. A
value the model does not know is kept as the plain str or int (forward compatibility) and
refused only in strict mode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from generator import default_values, value_fit
from generator.kinds.base import Annotation, JsonObject, JsonSchema, Kind, Refer, builtin
from generator.kinds.integers import Integer
from generator.kinds.string import String
from generator.pyliterals import literal
from generator.symbols import Symbol

if TYPE_CHECKING:
    from generator import ir


class _Enumerated(Kind):
    """What both enums share; `raw` is the Python class of their values."""

    raw = ""
    check_layout = "value"
    http_simple = True

    @property
    def enum_shape(self) -> ir.EnumShape:
        from generator import ir  # the IR imports this package first

        assert isinstance(self.shape, ir.EnumShape)
        return self.shape

    @property
    def base_class(self) -> str:
        """The generated class's base in the `enum` module."""
        return "IntEnum" if self.raw == "int" else "StrEnum"

    def annotation(self, scope: frozenset[str]) -> Annotation:
        shape = self.enum_shape
        raw, needs = builtin(self.raw, scope)
        return f"{shape.py_name} | {raw}", needs | {Symbol("enums", shape.py_name)}

    def default_literal(self, value: Any) -> tuple[str, bool]:
        shape = self.enum_shape
        for enum_value in shape.values:
            if enum_value.value == value:
                return f"{shape.py_name}.{enum_value.py_name}", False
        return literal(value), False

    def default_symbols(self, default_literal: str) -> frozenset[Symbol]:
        shape = self.enum_shape
        if any(default_literal == f"{shape.py_name}.{v.py_name}" for v in shape.values):
            return frozenset({Symbol("enums", shape.py_name)})
        return frozenset()

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        found = super().wire_value_problem(member, value)
        return found if found is not None else value_fit.enum_problem(member, value)

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        values = [v.value for v in self.enum_shape.values]
        return iter(values[variant:] + values[:variant])

    def to_dict(self, expr: str) -> str:
        return f"{self.raw}({expr})"

    def from_dict(self, expr: str) -> str:
        return f"_runtime.enum_or_raw({self.enum_shape.py_name}, {expr})"

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        return self.to_dict(expr)

    def json_read(self, expr: str) -> str:
        checked = f'{expr} if {expr}.__class__ is {self.raw} else _wrong_type({expr}, "{self.raw}")'
        return f"_runtime.enum_or_raw({self.enum_shape.py_name}, {checked})"

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        return f"str({self.to_dict(expr)})"

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        raw = expr if self.raw == "str" else f"{self.raw}({expr})"
        return f"_runtime.enum_or_raw({self.enum_shape.py_name}, {raw})"

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        return {
            "type": "integer" if self.raw == "int" else "string",
            "enum": [v.value for v in self.enum_shape.values],
        }


class Enum(_Enumerated, String):
    type_name = "enum"
    raw = "str"
    takes_enum_trait = False
    value_constraints: ClassVar[tuple[str, ...]] = ("length", "pattern", "enum")

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return default_values.string_problem(cls.type_name, value, traits, enum_values)


class IntEnum(_Enumerated, Integer):
    type_name = "intEnum"
    raw = "int"
    zero_means_unset = False  # an intEnum's zero is a value like any other
    value_constraints: ClassVar[tuple[str, ...]] = ("bounds", "range", "enum")
