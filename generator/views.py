"""What each module template receives: a typed view of the generation unit, one per module.

Every template gets `view` (and, as before, `unit` = `view.unit`, `header` and `version`). The
base `ModuleView` is what all modules share; a module that imports names for the annotations and
defaults it prints gets a view with its `Imports`, computed from the symbols of the members it
prints (`ir.Symbol`), so that a template never searches text to decide an import. README.md
("Your own templates") lists the views and their fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir


@dataclass(frozen=True)
class Imports:
    """What a module must import for the annotations and `@default` values of the members it
    prints: module aliases (`_builtins`, `_datetime`, `_decimal`), the runtime's `Document`, and
    the generated enums and structures named."""

    symbols: frozenset[ir.Symbol]
    enums: tuple[ir.EnumShape, ...]
    """The enums named, in the unit's order."""
    structures: tuple[ir.StructureShape, ...]
    """The structures named (from `shapes`), in the unit's order."""

    def uses(self, name: str) -> bool:
        """Whether the module prints `name`: `_builtins`, `_datetime`, `_decimal`, `Document`."""
        return any(symbol.name == name for symbol in self.symbols)

    @classmethod
    def of(
        cls,
        unit: ir.GenerationUnit,
        printed: tuple[ir.StructureShape, ...],
        members: tuple[ir.Member, ...] = (),
    ) -> Imports:
        """The imports of a module that prints the members of `printed`, and what the
        annotations of `members` name."""
        symbols = unit.symbols_of(printed).union(*(m.annotation_symbols for m in members))
        return cls(
            symbols=symbols,
            enums=tuple(e for e in unit.enums if ir.Symbol("enums", e.py_name) in symbols),
            structures=tuple(
                s for s in unit.structures if ir.Symbol("shapes", s.py_name) in symbols
            ),
        )


@dataclass(frozen=True)
class ModuleView:
    """What every module template receives as `view`."""

    unit: ir.GenerationUnit
    """The generation unit: the service, its operations and every shape they reach."""
    header: str
    """The file header, rendered from `_header.jinja`."""
    version: str
    """The shapesmith version that generates the package."""


@dataclass(frozen=True)
class ShapesView(ModuleView):
    """`shapes.py`: one dataclass per structure, with the list and map converters."""

    imports: Imports
    """For the structures' annotations and defaults."""
    uses_runtime: bool
    """Whether enum conversion or redaction goes through `_runtime`, or an annotation names it
    (a stream's, a union's unknown member)."""


@dataclass(frozen=True)
class ErrorsView(ModuleView):
    """`errors.py`: one exception class per error shape."""

    imports: Imports
    """For the errors' annotations and defaults."""
    uses_runtime: bool
    """Whether enum members are read, or sensitive members redacted, through `_runtime`."""
    converters: tuple[str, ...]
    """The shapes module's list and map converters the errors' members go through."""


@dataclass(frozen=True)
class ClientView(ModuleView):
    """`client.py`: the client class, whose method signatures name the inputs' member types."""

    imports: Imports
    """For the operation inputs' members, which the methods take as keywords."""
    structures: tuple[ir.StructureShape, ...]
    """Every structure the module names: the inputs and outputs, and what their members name."""


def view_for(module: str, unit: ir.GenerationUnit, header: str, version: str) -> ModuleView:
    """The view the template of `module` (a path inside the package) receives."""
    if module == "shapes.py":
        imports = Imports.of(unit, unit.structures)
        uses_runtime = (
            _redacts(unit.structures)
            or bool(imports.enums)
            or imports.uses("_runtime")
            or any(shape.unknown_attribute for shape in unit.structures)
        )
        return ShapesView(unit, header, version, imports, uses_runtime)
    if module == "errors.py":
        imports = Imports.of(unit, unit.errors)
        # Enums inside an error's lists and maps are read by the shapes module's converters;
        # an enum member itself is read here, through `_runtime`.
        reads_enums = any(
            isinstance(m.target, ir.EnumShape) for s in unit.errors for m in s.members
        )
        uses_runtime = _redacts(unit.errors) or reads_enums
        converters = unit.converters_used_by_errors()
        return ErrorsView(unit, header, version, imports, uses_runtime, converters)
    if module == "client.py":
        # A paginator's items are typed by the annotation of its items member, opened.
        items = tuple(
            op.paginated.items[-1]
            for op in unit.paginated_operations
            if op.paginated is not None and op.paginated.items
        )
        imports = Imports.of(unit, unit.operation_inputs, items)
        named = {s.id for s in unit.client_named_structures + imports.structures}
        structures = tuple(s for s in unit.structures if s.id in named)
        return ClientView(unit, header, version, imports, structures)
    return ModuleView(unit, header, version)


def _redacts(structures: tuple[ir.StructureShape, ...]) -> bool:
    """Whether some structure redacts a sensitive member (through `_runtime.REDACTED`)."""
    return any(shape.has_sensitive_members for shape in structures)
