"""Read `@paginated` into `ir.Paginated`: the service's values as defaults, the operation's over
them (as the Smithy specification merges them), every path resolved to the members it names.

A value that names no member, or a member of the wrong type, is reported at the JSON pointer of
the value that said it: the operation's trait, or the service's where the value came from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir, naming
from generator.diagnostics import Diagnostic, ShapesmithError, json_pointer
from generator.loader import JsonObject

TRAIT = "smithy.api#paginated"
_KEYS = ("inputToken", "outputToken", "items", "pageSize")


@dataclass(frozen=True)
class _Place:
    """Where a trait sits: the file and shape that carry it."""

    file: str
    shape_id: str

    def fail(self, key: str, message: str) -> ShapesmithError:
        pointer = json_pointer("shapes", self.shape_id, "traits", TRAIT, *((key,) if key else ()))
        return ShapesmithError([Diagnostic(self.file, pointer, message)])


def paginated(
    service: tuple[str, str, JsonObject],
    operation: tuple[str, str, JsonObject],
    inp: ir.StructureShape,
    output: ir.StructureShape,
) -> ir.Paginated | None:
    """The operation's `@paginated` merged with the service's, resolved against its input and
    output; None when the operation has no `@paginated`. `service` and `operation` are each
    (file, shape id, traits)."""
    own = operation[2].get(TRAIT)
    if own is None:
        return None
    op_place = _Place(operation[0], operation[1])
    service_place = _Place(service[0], service[1])
    defaults = service[2].get(TRAIT, {})
    for place, value in ((op_place, own), (service_place, defaults)):
        if not isinstance(value, dict):
            raise place.fail("", f"expected an object, found {value!r}")
    values: dict[str, tuple[str, _Place]] = {}
    for place, value in ((service_place, defaults), (op_place, own)):
        for key in _KEYS:
            found = value.get(key)
            if found is None:
                continue
            if not isinstance(found, str) or not found:
                raise place.fail(key, f"expected a non-empty string, found {found!r}")
            values[key] = (found, place)
    name = operation[1].partition("#")[2]
    for key in ("inputToken", "outputToken"):
        if key not in values:
            raise op_place.fail(
                "", f"{name} is paginated but has no {key} (on the operation or its service)"
            )
    resolve = _Resolver(name)
    input_token = resolve.path(inp, "inputToken", values, _STRING)
    page_size = (
        None if "pageSize" not in values else resolve.path(inp, "pageSize", values, _INTEGER)
    )
    py_name = naming.operation_name(name)
    return ir.Paginated(
        name=naming.paginator_name(name),
        method=naming.paginate_method(py_name),
        input_token=input_token[0],
        output_token=resolve.path(output, "outputToken", values, _STRING),
        items=(() if "items" not in values else resolve.path(output, "items", values, _COLLECTION)),
        page_size=None if page_size is None else page_size[0],
    )


_PATHS = frozenset({"outputToken", "items"})
_STRING = (frozenset({ir.ShapeType.STRING}), "a string")
_INTEGER = (frozenset(ir.INTEGER_TYPES - {ir.ShapeType.BIG_INTEGER}), "an integer")
_COLLECTION = (frozenset({ir.ShapeType.LIST, ir.ShapeType.MAP}), "a list or a map")


class _Resolver:
    def __init__(self, operation: str) -> None:
        self.operation = operation

    def path(
        self,
        start: ir.StructureShape,
        key: str,
        values: dict[str, tuple[str, _Place]],
        wanted: tuple[frozenset[ir.ShapeType], str],
    ) -> tuple[ir.Member, ...]:
        """The members the value of `key` names from `start`: a member's name, or for the
        output's paths (`outputToken`, `items`) `a.b`, member b of member a's structure."""
        text, place = values[key]
        parts = text.split(".") if key in _PATHS else [text]
        members: list[ir.Member] = []
        current: ir.Shape = start
        for index, part in enumerate(parts):
            where = ".".join(parts[:index]) or start.id
            if not isinstance(current, ir.StructureShape) or current.type != "structure":
                raise place.fail(key, f"{self.operation}: {text!r}: {where} is not a structure")
            member = next((m for m in current.members if m.name == part), None)
            if member is None:
                known = ", ".join(m.name for m in current.members) or "none"
                raise place.fail(
                    key,
                    f"{self.operation}: {text!r}: {current.id} has no member {part!r} "
                    f"(its members: {known})",
                )
            members.append(member)
            current = member.target
        types, described = wanted
        if current.type not in types:
            raise place.fail(
                key,
                f"{self.operation}: {text!r} must target {described}, "
                f"not {current.id} ({current.type})",
            )
        return tuple(members)
