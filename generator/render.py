"""Render IR through the Jinja templates into `{relative path: source text}`, formatted with black."""

from __future__ import annotations

import ast
import functools
import json
import logging
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, cast

import jinja2
import jinja2.runtime
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst

from generator import (
    __version__,
    docs,
    forked_render,
    formatting,
    ir,
    lazy_parts,
    modeltext,
    naming,
    protocols,
    template_faults,
    views,
)
from generator.diagnostics import TemplateBug, Warnings, fail
from generator.format_cache import FormatCache
from generator.identity import PACKAGE_MANIFEST_NAME, PackageIdentity, package_manifest
from generator.jsonschema_export import json_text
from generator.modeltext import Escaped, ModelText, plain
from generator.openapi.export import document as openapi_document
from generator.ownership import MANIFEST_NAME, file_hashes
from generator.pyliterals import string_literal
from generator.stages import Stages
from generator.template_set import HEADER_TEMPLATE, SHIPPED, TemplateSet

# Templates rendered once per service package, and static runtime files copied into it; the
# client and stub files come from the service's protocol plug-in (`generator/protocols.py`).
MODULE_TEMPLATES = ("__init__.py", "enums.py", "shapes.py", "errors.py", "validators.py")
RUNTIME_FILE = "_runtime.py"
"""The static runtime every package gets; it declares `RUNTIME_VERSION`."""
JSON_VALUES_FILE = "_json_values.py"
STATIC_FILES = (RUNTIME_FILE,)
log = logging.getLogger("shapesmith")
STUB_OPENAPI = "stub/openapi.json"
"""The OpenAPI document of the service, which the stub serves at `/openapi.json`."""


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process. A bucket is keyed by the template's
    name and file and holds a checksum of its source, so an edited template, or another
    folder's template of the same name, compiles afresh. Every environment that uses it is
    made by `environment()`, so one template compiles alike in each."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._disk: jinja2.FileSystemBytecodeCache | None = None

    def keep_on_disk(self, folder: Path | None) -> None:
        """Also keep them in `folder`, for the next run (compiling every template is most of
        a small model's run); None: in memory only."""
        self._disk = None
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                log.debug("compiled templates are not kept in %s: %s", folder, error)
                return
            self._disk = jinja2.FileSystemBytecodeCache(str(folder), "%s.jinja-code")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        if self._disk is None:
            return
        try:
            # Jinja checks the file's version magic and the template's source checksum
            self._disk.load_bytecode(bucket)
        except Exception as error:  # a damaged file is a miss: the template compiles afresh
            log.debug("a compiled template in the cache is unreadable: %s", error)
            bucket.reset()
        if bucket.code is not None:
            self._code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        if self._disk is not None:
            try:
                self._disk.dump_bytecode(bucket)  # written aside, then renamed into place
            except OSError as error:
                log.debug("a compiled template is not kept: %s", error)


_COMPILED = _CompiledTemplates()


def keep_compiled_templates(folder: Path | None) -> None:
    """Keep compiled templates in `folder` across runs (`--no-cache`: None)."""
    _COMPILED.keep_on_disk(folder)


def environment(templates: TemplateSet = SHIPPED) -> jinja2.Environment:
    """The environment of one run: the maintainer's templates, if any, before ours, all under
    the same guard."""
    env = guarded_environment(templates.loader(), bytecode_cache=_COMPILED)
    env.filters["import_names"] = guarded_filter(import_names)
    return env


def guarded_environment(
    loader: jinja2.BaseLoader, bytecode_cache: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """A template environment that refuses to print model text that no escaping filter escaped."""
    env = _GuardedEnvironment(
        loader=loader,
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_refuse_model_text,
    )
    for name, function in list(env.filters.items()):
        env.filters[name] = guarded_filter(function)
    env.filters.update(ESCAPING_FILTERS)
    return env


def _docstring(text: str | None, width: int = 80) -> Escaped:
    return Escaped(docs.docstring_body(docs.to_plain_text(plain(text or ""), width)))


def _docline(text: str) -> Escaped:
    return Escaped(docs.docstring_body(docs.line(plain(text))))


def _comment(text: str) -> Escaped:
    return Escaped(docs.comment(plain(text)))


def _pystr(text: str) -> Escaped:
    return Escaped(string_literal(plain(text)))


def _identifier(name: str) -> Escaped:
    if not naming.is_identifier(name):
        raise TemplateBug(f"{plain(name)!r} reached a template as a name but is not an identifier")
    return Escaped(plain(name))


ESCAPING_FILTERS: dict[str, Callable[..., Escaped]] = {
    "docstring": _docstring,
    "docline": _docline,
    "comment": _comment,
    "pystr": _pystr,
    "identifier": _identifier,
}
"""The one escaping function per context of a generated file: a docstring (model documentation,
HTML turned into wrapped paragraphs), one line inside a docstring (a title, a name, a pattern),
a comment, a string literal, and a name already proven an identifier."""


def _refuse_model_text(value: object) -> object:
    if isinstance(value, ModelText):
        shown = plain(value) if len(value) <= 60 else plain(value[:57]) + "..."
        raise TemplateBug(f"a template printed model text without an escaping filter: {shown!r}")
    if value is None or isinstance(value, str | int | float | jinja2.Undefined):
        return value  # an Undefined prints as nothing (`{{ x if c }}`) or raises (StrictUndefined)
    raise TemplateBug(f"a template printed a {type(value).__name__}, not text or a number")


def guarded_filter(function: Callable[..., object]) -> Callable[..., object]:
    """`function`, with its result marked as model text where an argument was (a lazy argument,
    such as what `map` gives, is read into a list first to be looked at)."""

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> object:
        args = tuple(list(arg) if isinstance(arg, Iterator) else arg for arg in args)
        return modeltext.derive(function(*args, **kwargs), args, kwargs)

    return guarded


def _binop(operator: str) -> Callable[[CodeGenerator, nodes.BinExpr, Frame], None]:
    @optimizeconst
    def visit(self: CodeGenerator, node: nodes.BinExpr, frame: Frame) -> None:
        self.write(f"environment.marked_binop({operator!r}, ")
        self.visit(node.left, frame)
        self.write(", ")
        self.visit(node.right, frame)
        self.write(")")

    return visit


class _GuardedCodeGenerator(CodeGenerator):
    """Compiles `~`, `+`, `%` and `*` into calls that keep the model-text mark on their result
    (Python's own operators lose it when the left operand is not model text)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.marked_join((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")

    visit_Add = _binop("+")
    visit_Mod = _binop("%")
    visit_Mul = _binop("*")


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "%": operator.mod,
    "*": operator.mul,
}


class _GuardedContext(jinja2.runtime.Context):
    """Marks what a method or function call derives from model text (`", ".join(names)`,
    `"{}".format(name)`); a macro's output is already guarded where it prints."""

    def call(self, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        result = super().call(function, *args, **kwargs)
        if isinstance(function, jinja2.runtime.Macro):
            return result
        inputs = {k: v for k, v in kwargs.items() if k not in ("_loop_vars", "_block_vars")}
        return modeltext.derive(result, getattr(function, "__self__", None), args, inputs)


class _GuardedEnvironment(jinja2.Environment):
    code_generator_class = _GuardedCodeGenerator
    context_class = _GuardedContext

    def marked_join(self, parts: tuple[object, ...]) -> str:
        return cast(str, modeltext.derive("".join(map(str, parts)), parts))

    def marked_binop(self, operator: str, left: object, right: object) -> object:
        return modeltext.derive(_OPERATORS[operator](left, right), left, right)

    def getitem(self, obj: Any, argument: Any) -> Any:
        return modeltext.derive(super().getitem(obj, argument), obj)


class _Named(Protocol):
    @property
    def py_name(self) -> str: ...


def import_names(items: Iterable[str | _Named]) -> list[str]:
    """The names of shapes (or names) in the order isort gives the names of one import."""
    names = [item if isinstance(item, str) else item.py_name for item in items]
    return sorted(names, key=naming.import_order)


def format_modules(sources: Mapping[str, str], cache: FormatCache | None = None) -> dict[str, str]:
    """The modules of one package, by path, formatted by black (`generator/formatting.py`)."""
    return formatting.format_sources(sources, cache)


def _python_names(unit: ir.GenerationUnit) -> Iterator[tuple[str, str]]:
    """Every Python name the IR gives templates to print as code, with what it names."""
    service = unit.service
    yield service.id, service.package_name
    # the prefix alone may be a keyword ("None"); only the class names built from it are printed
    for class_name in naming.service_class_names(service.class_prefix):
        yield service.id, class_name
    for structure in unit.validated_structures:
        yield structure.id, structure.py_name
        yield structure.id, structure.check_function
        yield structure.id, structure.validate_function
        yield structure.id, structure.keys_constant
        yield structure.id, structure.json_forms_constant
        yield structure.id, structure.reader
        yield structure.id, structure.serializer
        yield structure.id, structure.deserializer
        for member in structure.members:
            yield member.id, member.py_name
    collections: tuple[ir.ListShape | ir.MapShape, ...] = (*unit.lists, *unit.maps)
    for collection in collections:
        yield collection.id, collection.check_function
        yield collection.id, collection.from_dict_function
        yield collection.id, collection.to_dict_function
        yield collection.id, collection.reader
        yield collection.id, collection.serializer
        yield collection.id, collection.deserializer
    for enum in unit.enums:
        yield enum.id, enum.py_name
        yield enum.id, enum.values_constant
        for value in enum.values:
            yield f"{enum.id}${value.name}", value.py_name
    for operation in unit.operations:
        yield operation.id, operation.py_name
        yield operation.id, operation.self_parameter
        yield operation.id, operation.request_parameter
        for waiter in operation.waiters:
            yield operation.id, waiter.method
            yield operation.id, waiter.max_wait_parameter
    for pattern in unit.patterns:
        yield pattern.ecma, pattern.constant
        yield pattern.ecma, pattern.method
    for name in unit.exported_names:
        yield service.id, name


def prove_names(unit: ir.GenerationUnit) -> None:
    """Every name the templates print as code is an ASCII identifier, not a keyword, and was made
    by `generator/naming.py` (plain text, not model text)."""
    prefix = unit.service.class_prefix
    if isinstance(prefix, ModelText):
        raise TemplateBug(
            f"{plain(unit.service.id)}: the class prefix {plain(prefix)!r} is model text"
        )
    for owner, name in _python_names(unit):
        if isinstance(name, ModelText) or not naming.is_identifier(name):
            raise TemplateBug(
                f"{plain(owner)}: the Python name {plain(name)!r} is not an identifier made by"
                " generator/naming.py"
            )


def render_all(
    units: tuple[ir.GenerationUnit, ...],
    templates: TemplateSet = SHIPPED,
    cache: FormatCache | None = None,
    inputs: Mapping[str, object] | None = None,
    stages: Stages | None = None,
) -> dict[str, str]:
    """Every file of the output folder, by its path there, the manifest included (with
    `inputs`, what `check` needs to vouch for an unchanged tree without rendering)."""
    env = environment(templates)
    stages = stages if stages is not None else Stages()
    files: dict[str, str] = {}
    for unit in units:
        package = unit.service.package_name
        rendered = _package_files(unit, templates, env, cache, stages)
        files.update({f"{package}/{path}": text for path, text in rendered.items()})
    files[MANIFEST_NAME] = manifest(units, files, templates, inputs)
    return files


def render_unit(unit: ir.GenerationUnit, templates: TemplateSet = SHIPPED) -> dict[str, str]:
    """The unit's package, by paths in the output folder."""
    package = unit.service.package_name
    rendered = render_package(unit, templates)
    return {f"{package}/{path}": text for path, text in rendered.items()}


def render_package(
    unit: ir.GenerationUnit, templates: TemplateSet = SHIPPED, cache: FormatCache | None = None
) -> dict[str, str]:
    """Every file of the unit's package by its path inside the package, its manifest included."""
    return _package_files(unit, templates, environment(templates), cache, Stages())


def _package_files(
    unit: ir.GenerationUnit,
    templates: TemplateSet,
    env: jinja2.Environment,
    cache: FormatCache | None,
    stages: Stages,
) -> dict[str, str]:
    prove_names(unit)
    package = unit.service.package_name
    top = _header(unit, templates, env, unit.model_hash)
    # Every module's header names the model's hash, so any edit of the model would change every
    # module, and the cut and the format cache would see 500 new modules where one operation
    # changed. They are given a header with a stand-in hash instead, swapped for the real one
    # after formatting: black copies comment lines as they are, so the result is the same.
    stand_in = _header(unit, templates, env, _HASH_STAND_IN)
    formatted = None
    if _plain_comments(top, stand_in):
        # Our static runtime files under our header are what black makes of them
        # (tests/test_formatting.py holds them to it), so black need not read them.
        trusted = not templates.is_users(HEADER_TEMPLATE)
        made = _rendered_and_formatted(unit, templates, env, cache, stages, stand_in, trusted)
        formatted = _with_header(made, stand_in, top)
    if formatted is None:
        formatted = _rendered_and_formatted(unit, templates, env, cache, stages, top, False)
    files = {path.removeprefix(f"{package}/"): text for path, text in formatted.items()}
    if unit.service.supports_client:
        # The stub serves it at /openapi.json; what OpenAPI cannot say the export command
        # reports (`shapesmith export openapi`), not every generation.
        files[STUB_OPENAPI] = json_text(openapi_document(unit, Warnings()))
    identity = _identity(unit, templates, env)
    files[PACKAGE_MANIFEST_NAME] = package_manifest(identity, files)
    return files


_HASH_STAND_IN = "stand-in-for-the-model-sha256".ljust(64, "-")


def _header(
    unit: ir.GenerationUnit, templates: TemplateSet, env: jinja2.Environment, model_hash: str
) -> str:
    context = {
        "unit": unit,
        "model_files": unit.model_files,
        "model_sha256": model_hash,
        "version": __version__,
    }
    package = unit.service.package_name
    return _render(templates, env, HEADER_TEMPLATE, f"the header of {package}", context)


def _plain_comments(top: str, stand_in: str) -> bool:
    """Whether both headers are the same number of lines, each blank in both or a `# ` comment
    black copies as it is in both (none it reads: `fmt:`, `type:`). Lines are cut wherever
    Python would (`splitlines`), so a form feed or a lone carriage return is never inside one."""
    lines, stand_in_lines = top.splitlines(), stand_in.splitlines()
    if len(lines) != len(stand_in_lines) or top.count("\n") != stand_in.count("\n"):
        return False
    for line, other in zip(lines, stand_in_lines, strict=True):
        if line == other and not line.strip():
            continue
        if not (line.startswith("# ") and other.startswith("# ")):
            return False
        if any(word in line or word in other for word in ("fmt:", "type:")):
            return False
    return True


def _with_header(formatted: dict[str, str], stand_in: str, top: str) -> dict[str, str] | None:
    """The modules with the real header in place of the stand-in; None when a module holds the
    stand-in anywhere but once at its start (a template or a model put it elsewhere too)."""
    swapped = {}
    for path, text in formatted.items():
        count = text.count(stand_in)
        if count == 0 and _HASH_STAND_IN not in text:
            swapped[path] = text
        elif (
            count == 1 and text.startswith(stand_in) and _HASH_STAND_IN not in text[len(stand_in) :]
        ):
            swapped[path] = top + text[len(stand_in) :]
        else:
            return None
    return swapped


def _rendered_and_formatted(
    unit: ir.GenerationUnit,
    templates: TemplateSet,
    env: jinja2.Environment,
    cache: FormatCache | None,
    stages: Stages,
    top: str,
    trust_static_files: bool,
) -> dict[str, str]:
    """The package's modules under the header `top`, formatted; our static files (not the
    maintainer's) are taken as they are when `trust_static_files`."""
    package = unit.service.package_name
    context: dict[str, object] = {"unit": unit, "header": top, "version": __version__}
    found = protocols.plugin(unit.service)
    if found is not None:
        context["protocol_macros"] = found.macros
    client_templates, client_static_files = protocols.client_files(
        unit.service, waiters=unit.has_waiters
    )
    modules = [(f"{module}.jinja", module) for module in MODULE_TEMPLATES + client_templates]
    modules += [(extra.template, extra.path) for extra in templates.extra_modules]
    sources: dict[str, str] = {}
    made_by: dict[str, str] = {}
    with stages.stage(f"rendering {package}"):

        def render_module(job: tuple[str, str]) -> str:
            template, module = job
            view = views.view_for(module, unit, top, __version__)
            path = f"{package}/{module}"
            return _render(templates, env, template, path, {**context, "view": view})

        # The validators are about half of a package's rendering: first, so that one process
        # takes them while the other renders the rest.
        jobs = sorted(modules, key=lambda job: job[1] != "validators.py")
        big = len(unit.structures) + len(unit.lists) + len(unit.maps) >= _FORK_FROM_SHAPES
        texts = dict(
            zip(jobs, forked_render.render_all(jobs, render_module, fork=big), strict=True)
        )
        for template, module in modules:
            path = f"{package}/{module}"
            sources[path] = texts[(template, module)]
            made_by[path] = template
        if unit.alternatives_convert and JSON_VALUES_FILE not in client_static_files:
            # A `oneOf`/`anyOf` union converts timestamps and bytes to their JSON and back.
            client_static_files += (JSON_VALUES_FILE,)
        ready: dict[str, str] = {}
        for name in STATIC_FILES + client_static_files:
            path = f"{package}/{name}"
            if trust_static_files and not templates.is_users(name):
                ready[path] = top + static_source(env, name)
            else:
                sources[path] = top + static_source(env, name)
                made_by[path] = name
        _split_into_parts(unit, top, sources, made_by, cache)
    with stages.stage(f"formatting {package}"):
        return {**_formatted(templates, env, sources, made_by, cache), **ready}


_FORK_FROM_SHAPES = 300
"""Below this many structures, lists and maps a package renders in a fraction of a second: no
second process."""


def _split_into_parts(
    unit: ir.GenerationUnit,
    top: str,
    sources: dict[str, str],
    made_by: dict[str, str],
    cache: FormatCache | None,
) -> None:
    """Cut the per-operation modules into parts (`generator/lazy_parts.py`), in place."""
    package = unit.service.package_name
    inside = {
        path.removeprefix(f"{package}/"): text
        for path, text in sources.items()
        if path.removeprefix(f"{package}/") in lazy_parts.SPLIT_MODULES
    }
    cut = lazy_parts.remembered_split(inside, unit, top, cache or FormatCache(None))
    if cut is None:
        return
    for module, text in cut.items():
        path = f"{package}/{module}"
        origin = module.split("/")[0]
        made_by[path] = made_by.get(path) or next(
            made_by[f"{package}/{m}"] for m in inside if lazy_parts.parts_package(m) == origin
        )
        sources[path] = text


def _render(
    templates: TemplateSet,
    env: jinja2.Environment,
    template: str,
    rendering: str,
    context: Mapping[str, object],
) -> str:
    try:
        return env.get_template(template).render(context)
    except Exception as error:
        fault = template_faults.user_fault(templates, env, error, rendering, (template,))
        if fault is not None:
            raise fault from error
        if isinstance(error, TemplateBug):
            raise TemplateBug(f"rendering {rendering}: {error}") from error
        raise


def _formatted(
    templates: TemplateSet,
    env: jinja2.Environment,
    sources: Mapping[str, str],
    made_by: Mapping[str, str],
    cache: FormatCache | None,
) -> dict[str, str]:
    try:
        return format_modules(sources, cache)
    except formatting.InvalidModule as error:
        cause = error.__cause__ or error
        blamed = (made_by[error.path], HEADER_TEMPLATE)
        fault = template_faults.user_fault(templates, env, cause, error.path, blamed)
        if fault is not None:
            raise fault from error
        raise


def static_source(env: jinja2.Environment, name: str) -> str:
    """A static runtime file, read through the templates' loader: the maintainer's, if they
    replace it."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def package_identity(unit: ir.GenerationUnit, templates: TemplateSet = SHIPPED) -> PackageIdentity:
    return _identity(unit, templates, environment(templates))


def _identity(
    unit: ir.GenerationUnit, templates: TemplateSet, env: jinja2.Environment
) -> PackageIdentity:
    return PackageIdentity(
        generator_version=__version__,
        runtime_version=_runtime_version(templates, env),
        package=unit.service.package_name,
        service=unit.service.id,
        operations=tuple(operation.id for operation in unit.operations),
        model_files=unit.model_files,
        model_sha256=unit.model_hash,
        templates_sha256=templates.shipped_sha256,
        user_templates=tuple(templates.user_hashes().items()),
    )


def runtime_version(templates: TemplateSet = SHIPPED) -> str:
    """The `RUNTIME_VERSION` the static runtime declares (the maintainer's `_runtime.py`, where
    they replace it)."""
    return _runtime_version(templates, environment(templates))


def _runtime_version(templates: TemplateSet, env: jinja2.Environment) -> str:
    try:
        body = ast.parse(static_source(env, RUNTIME_FILE)).body
    except SyntaxError:
        body = []
    for node in body:
        match node:
            case ast.Assign(
                targets=[ast.Name(id="RUNTIME_VERSION")], value=ast.Constant(value=str(version))
            ):
                return version
    message = "declares no RUNTIME_VERSION string, which each package's manifest records"
    if templates.is_users(RUNTIME_FILE):
        raise fail(templates.shown(RUNTIME_FILE), "", message)
    raise TemplateBug(f"{RUNTIME_FILE} {message}")


def manifest(
    units: tuple[ir.GenerationUnit, ...],
    files: Mapping[str, str],
    templates: TemplateSet = SHIPPED,
    inputs: Mapping[str, object] | None = None,
) -> str:
    document: dict[str, object] = {
        "generator": "shapesmith",
        "version": __version__,
        "templates_sha256": templates.shipped_sha256,
        "user_templates": templates.user_hashes(),
        "packages": {
            unit.service.package_name: {
                "service": unit.service.id,
                "operations": [operation.id for operation in unit.operations],
                "model_files": list(unit.model_files),
                "model_sha256": unit.model_hash,
            }
            for unit in units
        },
        "files": file_hashes(files),
    }
    if inputs is not None:
        document["inputs"] = dict(inputs)
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
