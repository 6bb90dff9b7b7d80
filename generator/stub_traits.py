"""Read shapesmith's own `shapesmith.stub#...` traits, which tell a generated stub what the API
model cannot: how its in-memory fake relates operations, and which errors the stub answers with.

Each trait is checked against the shapes it names; a problem is reported at the trait's JSON
pointer on the shape it is attached to (an `apply` in another file lands there too).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator import ir
from generator.diagnostics import Diagnostic, ShapesmithError, json_pointer
from generator.loader import JsonObject
from generator.pyliterals import literal

CREATES = "shapesmith.stub#creates"
READS = "shapesmith.stub#reads"
LISTS = "shapesmith.stub#lists"
ERRORS = "shapesmith.stub#errors"

_RESOURCE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")

ErrorLookup = Callable[[str], ir.StructureShape | None]
"""Shape id -> the error structure it names, or None when it is not an error in the model."""


class _Reporter:
    def __init__(self, file: str, shape_id: str, trait: str) -> None:
        self.file, self.shape_id, self.trait = file, shape_id, trait

    def fail(self, key: str, message: str) -> ShapesmithError:
        pointer = json_pointer(
            "shapes", self.shape_id, "traits", self.trait, *([key] if key else [])
        )
        return ShapesmithError([Diagnostic(self.file, pointer, message)])


def _trait_object(
    file: str, shape_id: str, traits: JsonObject, trait: str
) -> tuple[JsonObject, _Reporter] | None:
    """The trait's value, which must be an object, and where to report its faults; None when
    the shape does not have the trait."""
    value = traits.get(trait)
    if value is None:
        return None
    report = _Reporter(file, shape_id, trait)
    if not isinstance(value, dict):
        raise report.fail("", f"expected an object, found {value!r}")
    return value, report


def _text(value: JsonObject, key: str, report: _Reporter, *, required: bool = True) -> str | None:
    found = value.get(key)
    if found is None and not required:
        return None
    if not isinstance(found, str) or not found:
        raise report.fail(key, f"expected a non-empty string, found {found!r}")
    return found


def _resource(value: JsonObject, report: _Reporter) -> str:
    name = str(_text(value, "resource", report))
    if not _RESOURCE_NAME.fullmatch(name):
        raise report.fail("resource", f"expected a name like FaceLivenessSession, found {name!r}")
    return name


def _member(structure: ir.StructureShape, name: str, key: str, report: _Reporter) -> ir.Member:
    for member in structure.members:
        if member.name == name:
            return member
    known = ", ".join(m.name for m in structure.members) or "none"
    raise report.fail(key, f"{structure.id} has no member {name!r} (its members: {known})")


def fake_create(
    file: str,
    operation_id: str,
    traits: JsonObject,
    output: ir.StructureShape,
    inp: ir.StructureShape,
) -> ir.FakeCreate | None:
    found = _trait_object(file, operation_id, traits, CREATES)
    if found is None:
        return None
    value, report = found
    identifier = _member(output, str(_text(value, "identifier", report)), "identifier", report)
    if identifier.target.type is not ir.ShapeType.STRING:
        raise report.fail("identifier", f"{identifier.id} must target a string to hold a UUID")
    token_name = _text(value, "idempotencyToken", report, required=False)
    token = None if token_name is None else _member(inp, token_name, "idempotencyToken", report)
    initial = value.get("initial", {})
    if not isinstance(initial, dict):
        raise report.fail("initial", f"expected an object of output members, found {initial!r}")
    return ir.FakeCreate(
        resource=_resource(value, report),
        identifier=identifier,
        idempotency_token=token,
        initial_literal=literal(initial),
    )


def fake_read(
    file: str,
    operation_id: str,
    traits: JsonObject,
    inp: ir.StructureShape,
    errors: tuple[ir.StructureShape, ...],
) -> ir.FakeRead | None:
    found = _trait_object(file, operation_id, traits, READS)
    if found is None:
        return None
    value, report = found
    identifier = _member(inp, str(_text(value, "identifier", report)), "identifier", report)
    not_found_id = _text(value, "notFound", report, required=False)
    not_found = None
    if not_found_id is not None:
        not_found = next((error for error in errors if error.id == not_found_id), None)
        if not_found is None:
            raise report.fail("notFound", f"{not_found_id} is not one of {operation_id}'s errors")
    return ir.FakeRead(
        resource=_resource(value, report),
        identifier=identifier,
        not_found=not_found,
    )


def fake_list(
    file: str, operation_id: str, traits: JsonObject, paginated: ir.Paginated | None
) -> ir.FakeList | None:
    found = _trait_object(file, operation_id, traits, LISTS)
    if found is None:
        return None
    value, report = found
    resource = _resource(value, report)
    if paginated is None:
        raise report.fail("", f"{operation_id} has no @paginated to page with")
    items, token = paginated.items, paginated.output_token
    if len(items) != 1 or items[0].target.type is not ir.ShapeType.LIST or len(token) != 1:
        raise report.fail(
            "",
            "the fake pages only through a list of items that is a member of the output, "
            "with the output token beside it (@paginated's items and outputToken are paths)",
        )
    return ir.FakeList(
        resource=resource,
        items=items[0],
        output_token=token[0],
        input_token=paginated.input_token,
        page_size=paginated.page_size,
    )


def stub_errors(
    file: str, service_id: str, traits: JsonObject, lookup: ErrorLookup
) -> ir.StubErrors:
    found = _trait_object(file, service_id, traits, ERRORS)
    if found is None:
        return ir.StubErrors()
    value, report = found
    chosen: dict[str, ir.StructureShape | None] = {}
    for role in ("validation", "internal", "throttling"):
        shape_id = _text(value, role, report, required=False)
        if shape_id is None:
            chosen[role] = None
            continue
        error = lookup(shape_id)
        if error is None:
            raise report.fail(role, f"{shape_id} is not an error shape of the selected operations")
        chosen[role] = error
    return ir.StubErrors(**chosen)
