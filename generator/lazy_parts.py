"""Per-operation loading: the call, shapes, validators and codec modules of a package are cut
into parts by the operations that need each of their definitions.

A top-level definition (class, function, constant) belongs to the set of operations whose
entry points reach it through the names it uses: an operation's call function, its input and
output classes, their validators and their wire-form writer and reader. Definitions that need
the same set of operations go to one part, `<module>_parts/<name>.py` (named after the operation
when the set has one, else `_shared_<letters of a digest of the set>`), so calling one operation
imports only the parts whose set holds it. A definition reached by no operation (the errors'
readers, `validate_or_raise`), or by one of those, or one that is not a definition, stays in the
module itself, with everything it needs; so does one that reads where it is (`__name__`).

The module keeps its name and becomes a facade: a PEP 562 `__getattr__` imports a name's part
on its first use (and keeps the name, so the next use is a plain lookup), and the names are
re-exported under `if TYPE_CHECKING:` with `__all__`, so that type checkers and IDEs see every
one. A part imports what it uses: the names of another part of its module from that part, and
everything else as the module did (one level up). A part only ever uses parts whose set holds
its own, so parts import each other without cycles; the facade imports no part when it loads.

This works on the rendered, not yet formatted, source (black formats the parts): which names a
definition uses is read from its syntax tree, the one place that knows what the templates (the
maintainer's included) printed.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator import ir, naming
from generator.format_cache import FormatCache, piece_key

SPLIT_MODULES = (
    "_operations.py",
    "shapes.py",
    "validators.py",
    "enums.py",
    "_awsjson.py",
    "_restjson.py",
)
"""The modules cut into parts, where a package has them."""
_LINE_LENGTH = 100
_WHERE_IT_IS = frozenset({"__name__", "__package__", "__file__", "__spec__"})
"""Names whose value depends on the module a statement is in: such a statement stays."""


def parts_package(module: str) -> str:
    """The package holding the parts of `module` (`shapes.py` -> `_shapes_parts`)."""
    return "_" + module.removesuffix(".py").lstrip("_") + "_parts"


@dataclass
class _Statement:
    module: str
    text: str
    defines: tuple[str, ...]
    names: frozenset[str]
    """The names the statement reads."""
    attributes: frozenset[tuple[str, str]]
    """`alias.name` it reads, for every alias of a module."""
    movable: bool
    operations: set[str] = field(default_factory=set)
    in_facade: bool = False


@dataclass
class _Module:
    path: str
    prefix: str
    """The header and the docstring, as rendered."""
    future: str
    """The `from __future__` import, if any."""
    imports: list[ast.Import | ast.ImportFrom]
    statements: list[_Statement]


_SALT = "lazy-parts\0" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
"""The cut is a function of this module's code and its inputs: a remembered cut is keyed by
both (another shapesmith cuts afresh)."""


def remembered_split(
    sources: Mapping[str, str], unit: ir.GenerationUnit, header: str, cache: FormatCache
) -> dict[str, str] | None:
    """`split`, remembered in `cache` by what it reads: the modules' text, the header and
    each operation's entry points (parsing a whole service's modules is most of its cost)."""
    present = sorted(m for m in SPLIT_MODULES if m in sources)
    read = [header, *(f"{m}\0{sources[m]}" for m in present)]
    read += [f"{operation}\0{' '.join(names)}" for operation, names in _entry_points(unit)]
    key = piece_key(_SALT, "\0\0".join(read))
    known = cache.get_many([key]).get(key)
    if known is not None:
        found: dict[str, str] | None = json.loads(known)
        return found
    cut = split(sources, unit, header)
    cache.put_many({key: json.dumps(cut)})
    return cut


def split(
    sources: Mapping[str, str], unit: ir.GenerationUnit, header: str
) -> dict[str, str] | None:
    """The package's modules (by path inside the package) with the split modules cut into
    parts, or None when the package has no client (nothing to load per operation) or one of
    them is not valid Python."""
    present = [m for m in SPLIT_MODULES if m in sources]
    if "_operations.py" not in present:
        return None
    try:
        modules = {path: _parse(path, sources[path]) for path in present}
    except SyntaxError:
        return None  # left whole: the formatter reports the module and the templates to blame
    defined = {
        (path, name): statement
        for path, module in modules.items()
        for statement in module.statements
        for name in statement.defines
    }
    edges: dict[int, list[_Statement]] = {}
    for module in modules.values():
        imported = {bound: (node, alias) for bound, node, alias in _bindings(module)}
        for statement in module.statements:
            edges[id(statement)] = list(_uses(statement, module.path, imported, defined))
    _reach(modules, defined, edges, unit)
    out: dict[str, str] = {}
    for module in modules.values():
        out.update(_write(module, defined, header))
    return out


def _parse(path: str, source: str) -> _Module:
    """The module's statements, each with the lines before it (comments, blank lines) and the
    string literal after it (an attribute's docstring)."""
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source)
    body = tree.body
    prefix_end = 0
    future = ""
    imports: list[ast.Import | ast.ImportFrom] = []
    statements: list[_Statement] = []
    position = 0
    for index, node in enumerate(body):
        assert node.end_lineno is not None
        end = node.end_lineno
        if index == 0 and _is_string(node):
            prefix_end = end
        elif isinstance(node, ast.ImportFrom) and node.module == "__future__":
            future = "".join(lines[node.lineno - 1 : end])
            prefix_end = max(prefix_end, end)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(node)
        elif _is_string(node) and statements:
            statements[-1].text += "".join(lines[position:end])
        else:
            statements.append(_statement(path, node, "".join(lines[position:end])))
        position = end
    prefix = "".join(lines[:prefix_end])
    if future:
        prefix = prefix.replace(future, "")
    return _Module(path, prefix.rstrip() + "\n", future, imports, statements)


def _is_string(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _statement(path: str, node: ast.stmt, text: str) -> _Statement:
    """A top-level statement: what it defines, and the names it reads (annotations included,
    which the part must import for type checkers)."""
    defines: tuple[str, ...] = ()
    movable = False
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        defines, movable = (node.name,), True
    elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
        defines, movable = tuple(t.id for t in node.targets if isinstance(t, ast.Name)), True
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        defines, movable = (node.target.id,), node.value is not None
    names, attributes = _reads(node)
    names.difference_update(defines)
    movable = movable and not names & _WHERE_IT_IS
    return _Statement(path, text, defines, frozenset(names), frozenset(attributes), movable)


def _reads(node: ast.AST) -> tuple[set[str], set[tuple[str, str]]]:
    """The names `node` loads, and the `name.attribute` pairs it reads.

    `ast.walk` would do, at twice the cost, and on a whole service this walk is most of the cut:
    this one skips what cannot hold a name (constants, and a name's context)."""
    names: set[str] = set()
    attributes: set[tuple[str, str]] = set()
    pending: list[ast.AST] = [node]
    while pending:
        inner = pending.pop()
        if isinstance(inner, ast.Name):
            if isinstance(inner.ctx, ast.Load):
                names.add(inner.id)
            continue
        if isinstance(inner, ast.Constant):
            continue
        if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
            attributes.add((inner.value.id, inner.attr))
        for name in inner._fields:
            value = getattr(inner, name, None)
            if isinstance(value, list):
                pending.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                pending.append(value)
    return names, attributes


def _module_of(node: ast.ImportFrom, name: str) -> str | None:
    """The package module (`shapes.py`) `from .X import name` (or `from . import name`) names."""
    if node.level != 1:
        return None
    return f"{node.module}.py" if node.module else f"{name}.py"


def _bindings(module: _Module) -> Iterator[tuple[str, ast.Import | ast.ImportFrom, ast.alias]]:
    for node in module.imports:
        for alias in node.names:
            yield alias.asname or alias.name.partition(".")[0], node, alias


def _uses(
    statement: _Statement,
    path: str,
    imported: Mapping[str, tuple[ast.Import | ast.ImportFrom, ast.alias]],
    defined: Mapping[tuple[str, str], _Statement],
) -> Iterator[_Statement]:
    """The statements of split modules that `statement` reads."""
    for name in sorted(statement.names):
        own = defined.get((path, name))
        if own is not None:
            yield own
            continue
        found = imported.get(name)
        if found is not None and isinstance(found[0], ast.ImportFrom) and found[0].module:
            other = defined.get((f"{found[0].module}.py", found[1].name))
            if other is not None and _module_of(found[0], found[1].name) == other.module:
                yield other
    for alias_name, attribute in sorted(statement.attributes):
        found = imported.get(alias_name)
        if found is not None and isinstance(found[0], ast.ImportFrom) and not found[0].module:
            target = _module_of(found[0], found[1].name)
            other = defined.get((target or "", attribute))
            if other is not None:
                yield other


def _roots(
    unit: ir.GenerationUnit, defined: Mapping[tuple[str, str], _Statement]
) -> Iterator[tuple[str, _Statement]]:
    """Each operation's entry points: its call function, its input and output classes, their
    validators and wire-form writers and readers."""
    by_name: dict[str, list[_Statement]] = {}
    for (_, name), statement in sorted(defined.items(), key=lambda item: item[0]):
        by_name.setdefault(name, []).append(statement)
    for operation, names in _entry_points(unit):
        for name in names:
            for statement in by_name.get(name, ()):
                yield operation, statement


def _entry_points(unit: ir.GenerationUnit) -> Iterator[tuple[str, list[str]]]:
    """Each operation's name and the names of its entry points, sorted."""
    for operation in unit.operations:
        names = {operation.call_function}
        for shape in (operation.input, operation.output):
            if shape.id == ir.UNIT_ID:
                continue
            names |= {shape.py_name, shape.validate_function, shape.check_function}
            names |= {shape.serializer, shape.deserializer, shape.reader}
        yield operation.py_name, sorted(names)


def _reach(
    modules: Mapping[str, _Module],
    defined: Mapping[tuple[str, str], _Statement],
    edges: Mapping[int, list[_Statement]],
    unit: ir.GenerationUnit,
) -> None:
    for operation, root in _roots(unit, defined):
        _walk(root, edges, functools.partial(_mark, operation))
    stay = [
        s
        for module in modules.values()
        for s in module.statements
        if not s.movable or not s.operations
    ]
    for statement in stay:
        _walk(statement, edges, _facade)


def _mark(operation: str, statement: _Statement) -> bool:
    if operation in statement.operations:
        return False
    statement.operations.add(operation)
    return True


def _facade(statement: _Statement) -> bool:
    if statement.in_facade:
        return False
    statement.in_facade = True
    return True


def _walk(
    start: _Statement, edges: Mapping[int, list[_Statement]], visit: Callable[[_Statement], bool]
) -> None:
    """Visit `start` and what it reads, transitively, down to statements `visit` had seen."""
    pending = [start]
    while pending:
        statement = pending.pop()
        if visit(statement):
            pending.extend(edges[id(statement)])


def _part_name(operations: frozenset[str]) -> str:
    if len(operations) == 1:
        return next(iter(operations))
    digest = hashlib.sha256("\n".join(sorted(operations)).encode()).digest()
    return "_shared_" + "".join(chr(ord("a") + byte % 26) for byte in digest[:8])


def _write(
    module: _Module, defined: Mapping[tuple[str, str], _Statement], header: str
) -> dict[str, str]:
    package = parts_package(module.path)
    parts: dict[str, list[_Statement]] = {}
    facade: list[_Statement] = []
    for statement in module.statements:
        if statement.in_facade:
            facade.append(statement)
        else:
            parts.setdefault(_part_name(frozenset(statement.operations)), []).append(statement)
    part_of = {
        name: part for part, statements in parts.items() for s in statements for name in s.defines
    }
    files: dict[str, str] = {}
    files[f"{package}/__init__.py"] = (
        f'{header}\n"""The parts of `{module.path.removesuffix(".py")}`, one per set of operations'
        ' that needs them (see that module)."""\n'
    )
    for part, statements in sorted(parts.items()):
        docstring = (
            f'"""What these operations need from `{module.path.removesuffix(".py")}`:\n\n'
            f'{_operation_list(statements)}\n"""\n'
        )
        imports = _imports_of(statements, module, defined, part_of, part)
        body = "".join("\n\n" + _one_level_down(s.text.strip("\n")) + "\n" for s in statements)
        files[f"{package}/{part}.py"] = (
            header + "\n" + docstring + "\n" + module.future + "\n" + imports + body
        )
    files[module.path] = _facade_text(module, defined, facade, parts, part_of, package)
    return files


def _one_level_down(text: str) -> str:
    """The text of a definition moved into a part, one package below its module: the relative
    imports inside its functions (which import when called, to break a cycle: a union's
    `from . import validators`) reach one level further up, as the part's own imports do."""
    if "from ." not in text:
        return text  # nearly every definition: no need to parse it
    lines = text.split("\n")
    found = [
        node
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    for node in sorted(found, key=lambda n: (n.lineno, n.col_offset), reverse=True):
        line = lines[node.lineno - 1]
        dots = line.index(".", node.col_offset)
        lines[node.lineno - 1] = line[:dots] + "." + line[dots:]
    return "\n".join(lines)


def _operation_list(statements: list[_Statement]) -> str:
    """The operations a part serves, wrapped as a docstring's lines (the test of lazy loading
    reads them)."""
    lines: list[str] = []
    line = ""
    for name in sorted(statements[0].operations):
        if line and len(line) + len(name) > 88:
            lines.append(line.rstrip())
            line = ""
        line += f"{name}, "
    lines.append(line.removesuffix(", "))
    return "\n".join(lines)


def _module_key(module: str) -> tuple[object, ...]:
    return naming.natural_order(module.lower()), naming.natural_order(module)


def _import_line(head: str, names: list[str], indent: str = "") -> str:
    line = f"{indent}{head} import {', '.join(names)}\n"
    if len(line) - 1 <= _LINE_LENGTH:
        return line
    inner = "".join(f"{indent}    {name},\n" for name in names)
    return f"{indent}{head} import (\n{inner}{indent})\n"


def _alias_text(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _imports_of(
    statements: list[_Statement],
    module: _Module,
    defined: Mapping[tuple[str, str], _Statement],
    part_of: Mapping[str, str],
    part: str | None,
    extra_plain: Iterable[str] = (),
) -> str:
    """The import block of a part (`part`, one level down) or of the facade (`part` None): what
    the statements read, from where the module had it, or from the part or facade defining it."""
    own = {name for s in statements for name in s.defines}
    wanted = {name for s in statements for name in s.names} | {
        alias for s in statements for alias, _ in s.attributes
    }
    wanted -= own
    level = 1 if part is None else 2
    plain: list[tuple[str, str]] = []
    absolute: list[str] = []
    relative: list[tuple[int, tuple[object, ...], str]] = []
    for node in module.imports:
        kept = [a for a in node.names if (a.asname or a.name.partition(".")[0]) in wanted]
        if not kept:
            continue
        if isinstance(node, ast.Import):
            plain += [(a.name, f"import {_alias_text(a)}\n") for a in kept]
        elif node.level == 0:
            absolute.append(_import_line(f"from {node.module}", [_alias_text(a) for a in kept]))
        else:
            dots = "." * (node.level + level - 1)
            head = f"from {dots}{node.module or ''}"
            line = _import_line(head, [_alias_text(a) for a in kept])
            relative.append((-(node.level + level - 1), _module_key(node.module or ""), line))
    plain += [
        (n, f"import {n}\n") for n in extra_plain if f"import {n}\n" not in dict(plain).values()
    ]
    from_facade: list[str] = []
    from_parts: dict[str, list[str]] = {}
    for name in wanted:
        statement = defined.get((module.path, name))
        if statement is None:
            continue
        if statement.in_facade:
            if part is not None:
                from_facade.append(name)
        elif part_of[name] != part:
            from_parts.setdefault(part_of[name], []).append(name)
    if from_facade:
        head = f"from ..{module.path.removesuffix('.py')}"
        names = sorted(from_facade, key=naming.import_order)
        relative.append(
            (-2, _module_key(module.path.removesuffix(".py")), _import_line(head, names))
        )
    for other, names in from_parts.items():
        line = _import_line(f"from .{other}", sorted(names, key=naming.import_order))
        relative.append((-1, _module_key(other), line))
    relative.sort(key=lambda item: (item[0], item[1]))
    plain.sort(key=lambda item: _module_key(item[0]))
    stdlib = "".join(text for _, text in plain) + "".join(absolute)
    local = "".join(text for _, _, text in relative)
    return "\n".join(block for block in (stdlib, local) if block)


def _facade_text(
    module: _Module,
    defined: Mapping[tuple[str, str], _Statement],
    facade: list[_Statement],
    parts: Mapping[str, list[_Statement]],
    part_of: Mapping[str, str],
    package: str,
) -> str:
    """The module itself: what stays in it, and the names of its parts, imported on first use."""
    imports = _imports_of(facade, module, defined, part_of, None, ["importlib"] if parts else [])
    text = module.prefix + "\n" + module.future + "\n" + imports
    text += "".join("\n\n" + s.text.strip("\n") + "\n" for s in facade)
    if not parts:
        return text
    exported = sorted(part_of, key=naming.all_order)
    text += "\nTYPE_CHECKING = False\nif TYPE_CHECKING:\n"
    for part in sorted(parts, key=_module_key):
        names = sorted((n for s in parts[part] for n in s.defines), key=naming.import_order)
        text += _import_line(f"from .{package}.{part}", names, "    ")
    public = [n for s in facade for n in s.defines if not n.startswith("_")]
    everything = sorted({*exported, *public}, key=naming.all_order)
    text += "\n__all__ = [\n" + "".join(f"    {name!r},\n" for name in everything) + "]\n"
    text += "\n_PARTS: dict[str, str] = {\n"
    text += "".join(f"    {name!r}: {part_of[name]!r},\n" for name in sorted(part_of))
    text += "}\n" + _GETATTR.replace("PACKAGE", package)
    return text


_GETATTR = '''"""The part defining each name this module gives (`PACKAGE/<part>.py`)."""


def __getattr__(name: str) -> object:
    """A name of a part, imported on its first use and kept here for the next (PEP 562)."""
    part = _PARTS.get(name)
    if part is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__package__}.PACKAGE.{part}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Every name, those of the parts not imported yet included."""
    return sorted({*globals(), *_PARTS})
'''
