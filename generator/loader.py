"""Read Smithy JSON AST files, check their structure, and assemble them into one model.

Assembly follows Smithy: shapes from every file go into one namespace-qualified map (a shape defined
twice must be defined identically), `apply` statements add traits afterwards, IDL 1.0 documents are
upgraded to the 2.0 shapes they mean (`set` becomes a list with `@uniqueItems`), mixins are flattened
into the shapes that use them, and the prelude is added.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import model_json, openapi
from generator.diagnostics import Diagnostic, ShapesmithError, json_pointer
from generator.modeltext import mark_document
from generator.openapi.source_map import SourceMap
from generator.prelude import PRELUDE_FILE, prelude_shapes
from generator.schema_gate import SchemaGate

if TYPE_CHECKING:
    import jsonschema

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class SourcedShape:
    """A shape's JSON, with the file that defined it (for error messages)."""

    file: str
    data: JsonObject

    @property
    def type(self) -> str:
        return str(self.data["type"])

    @property
    def traits(self) -> JsonObject:
        traits: JsonObject = self.data.get("traits", {})
        return traits


@dataclass(frozen=True)
class AssembledModel:
    shapes: dict[str, SourcedShape]
    files: tuple[str, ...]
    model_hash: str
    """sha256 over the canonical JSON of every file, so it does not change with formatting or line endings."""
    source_maps: tuple[SourceMap, ...] = ()
    """For each OpenAPI document, where its translated shapes came from."""
    warnings: tuple[Diagnostic, ...] = ()
    """What the translation of OpenAPI documents left out."""
    read_files: tuple[Path, ...] = ()
    """Every file the model was read from: the configuration's, and those OpenAPI `$ref`s
    reached."""


@cache
def ast_schema() -> JsonObject:
    text = (
        resources.files("generator").joinpath("schemas/smithy-ast.schema.json").read_text("utf-8")
    )
    schema: JsonObject = json.loads(text)
    return schema


def load_model(paths: Sequence[Path], root: Path) -> AssembledModel:
    """Load, check and assemble model files; raise ShapesmithError listing every problem found."""
    problems: list[Diagnostic] = []
    documents: list[tuple[str, JsonObject]] = []
    translated: list[openapi.TranslatedDocument] = []
    for path in paths:
        display = _display_name(path, root)
        document = _read_document(path, display, root, problems, translated)
        if document is not None:
            documents.append((display, document))
    if problems:
        raise ShapesmithError(problems)

    digest = hashlib.sha256()
    for display, document in documents:
        digest.update(display.encode())
        digest.update(json.dumps(document, sort_keys=True, separators=(",", ":")).encode())

    shapes = _merge(documents, problems)
    _flatten_mixins(shapes, problems)
    if problems:
        raise ShapesmithError(problems)
    return AssembledModel(
        shapes=shapes,
        files=tuple(display for display, _ in documents),
        model_hash=digest.hexdigest(),
        source_maps=tuple(t.source_map for t in translated),
        warnings=tuple(w for t in translated for w in t.warnings),
        read_files=tuple(dict.fromkeys([*paths, *(f for t in translated for f in t.files)])),
    )


def _display_name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_document(
    path: Path,
    display: str,
    root: Path,
    problems: list[Diagnostic],
    translated: list[openapi.TranslatedDocument],
) -> JsonObject | None:
    if path.suffix.lower() in openapi.YAML_SUFFIXES:
        return _read_openapi(path, display, root, problems, translated)
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Diagnostic(display, "", f"cannot read the model file: {error.strerror}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(
            Diagnostic(display, "", f"not UTF-8 text (byte {error.start}): {error.reason}")
        )
        return None
    document, json_problems = model_json.parse(text)
    for problem in json_problems:
        problems.append(
            Diagnostic(display, json_pointer(*problem.parts), problem.message, problem.line)
        )
    if json_problems:
        return None
    if isinstance(document, dict) and "openapi" in document and "smithy" not in document:
        opened = openapi.Document(path, display, document)
        return _translate_openapi(opened, root, problems, translated)
    surely_valid = _gate().passes(document)  # before marking: jsonschema-rs takes plain text
    # From here on every string of the model is marked as model text (see generator/modeltext.py).
    document = mark_document(document)
    if isinstance(document, dict) and document.get("smithy") not in ("1", "1.0", "2", "2.0"):
        found = json.dumps(document.get("smithy"))
        problems.append(
            Diagnostic(
                display,
                "/smithy",
                f'unsupported Smithy version {found}; expected "2.0" (or "1.0", which is upgraded)',
            )
        )
        return None
    wrong = [] if surely_valid else list(schema_problems(document, display))
    problems.extend(wrong)
    if wrong:
        return None
    assert isinstance(document, dict)
    return document


def _read_openapi(
    path: Path,
    display: str,
    root: Path,
    problems: list[Diagnostic],
    translated: list[openapi.TranslatedDocument],
) -> JsonObject | None:
    document, reading_problems = openapi.read_document(path, display)
    problems.extend(reading_problems)
    if document is None:
        return None
    return _translate_openapi(document, root, problems, translated)


def _translate_openapi(
    document: openapi.Document,
    root: Path,
    problems: list[Diagnostic],
    translated: list[openapi.TranslatedDocument],
) -> JsonObject | None:
    try:
        result = openapi.translate(document, root)
    except ShapesmithError as error:
        problems.extend(error.diagnostics)
        return None
    # The translation is ours, so it is not checked against the Smithy AST schema on every run
    # (seconds on a whole service); tests/test_openapi_translation.py holds it to the schema.
    model = mark_document(result.model)
    translated.append(result)
    assert isinstance(model, dict)
    return model


def _is_json_integer(checker: object, instance: object) -> bool:
    # JSON Schema counts 429.0 as an integer; a model means the number it spells, and a float
    # in an integer's place (`@httpError`, `@length`) would reach generated code as a float.
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def _schema_validator() -> Any:
    # jsonschema is imported only to explain a model jsonschema-rs refused (see schema_gate).
    import jsonschema

    return jsonschema.validators.extend(  # type: ignore[no-untyped-call]  # untyped stub
        jsonschema.Draft202012Validator,
        type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
            "integer", _is_json_integer
        ),
    )(ast_schema())


@cache
def _gate() -> SchemaGate:
    return SchemaGate(ast_schema(), floats_are_numbers_only=True)


def schema_problems(document: object, display: str) -> Iterator[Diagnostic]:
    validator = _schema_validator()
    for error in validator.iter_errors(document):
        # `if/then` failures carry their real cause in the context; report the deepest ones.
        leaves = _leaf_errors(error)
        for leaf in leaves:
            yield Diagnostic(display, json_pointer(*leaf.absolute_path), _describe(leaf))


def _leaf_errors(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    if not error.context:
        return [error]
    leaves: list[jsonschema.ValidationError] = []
    for child in error.context:
        leaves.extend(_leaf_errors(child))
    return leaves


_JSON_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    type(None): "null",
}


def _json_type_name(value: object) -> str:
    # the loader hands out str subclasses (ModelText), so look along the class hierarchy
    for kind in type(value).__mro__:
        if kind in _JSON_TYPE_NAMES:
            return _JSON_TYPE_NAMES[kind]
    return type(value).__name__


def _pattern_meaning(error: jsonschema.ValidationError) -> str:
    """What a pattern of the schema asks for: its `description` where it has one (Smithy's
    grammar reads better in words than as a regular expression)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    return str(schema.get("description") or f"a value matching {error.validator_value}")


def _describe(error: jsonschema.ValidationError) -> str:
    found = _json_type_name(error.instance)
    if error.validator == "type":
        return f"expected {error.validator_value}, found {found}"
    if error.validator == "propertyNames":
        return f"invalid name: {error.message}"
    if error.validator in {
        "minimum",
        "maximum",
        "pattern",
        "enum",
        "const",
        "maxProperties",
        "minLength",
    }:
        shown = json.dumps(error.instance)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        expectation = {
            "minimum": f"a value >= {error.validator_value}",
            "maximum": f"a value <= {error.validator_value}",
            "pattern": _pattern_meaning(error),
            "enum": f"one of {json.dumps(error.validator_value)}",
            "const": f"{json.dumps(error.validator_value)}",
            "maxProperties": "an empty object {}",
            "minLength": (
                "a non-empty string"
                if error.validator_value == 1
                else f"a string of at least {error.validator_value} characters"
            ),
        }[str(error.validator)]
        return f"found {shown}, expected {expectation}"
    return error.message


def _upgrade_v1(shape: JsonObject) -> JsonObject:
    if shape.get("type") == "set":
        shape = dict(shape, type="list")
        shape["traits"] = dict(shape.get("traits", {}), **{"smithy.api#uniqueItems": {}})
    return shape


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _merge(
    documents: list[tuple[str, JsonObject]], problems: list[Diagnostic]
) -> dict[str, SourcedShape]:
    shapes: dict[str, SourcedShape] = {
        shape_id: SourcedShape(PRELUDE_FILE, data) for shape_id, data in prelude_shapes().items()
    }
    applies: list[tuple[str, str, JsonObject]] = []
    for display, document in documents:
        for shape_id, data in document.get("shapes", {}).items():
            pointer = json_pointer("shapes", shape_id)
            if data["type"] == "apply":
                applies.append((display, shape_id, data["traits"]))
                continue
            if "$" in shape_id:
                problems.append(
                    Diagnostic(display, pointer, "only `apply` may name a member shape id")
                )
                continue
            # Each document was parsed (or translated and marked) afresh for this load and is
            # not read again: its shapes are the model's own, no copy needed.
            data = _upgrade_v1(data)
            existing = shapes.get(shape_id)
            if existing is None:
                shapes[shape_id] = SourcedShape(display, data)
            elif _canonical(existing.data) != _canonical(data):
                problems.append(
                    Diagnostic(
                        display,
                        pointer,
                        f"shape is also defined, differently, in {existing.file}; "
                        "a shape defined in several files must be identical in each",
                    )
                )
    for display, shape_id, traits in applies:
        _apply(shapes, display, shape_id, traits, problems)
    return shapes


def _apply(
    shapes: dict[str, SourcedShape],
    display: str,
    shape_id: str,
    traits: JsonObject,
    problems: list[Diagnostic],
) -> None:
    pointer = json_pointer("shapes", shape_id)
    base_id, _, member_name = shape_id.partition("$")
    target = shapes.get(base_id)
    if target is None:
        problems.append(
            Diagnostic(display, pointer, f"`apply` targets {base_id}, which is not defined")
        )
        return
    holder = target.data
    if member_name:
        member = target.data.get("members", {}).get(member_name)
        if member is None:
            problems.append(
                Diagnostic(display, pointer, f"{base_id} has no member {member_name!r}")
            )
            return
        holder = member
    existing: JsonObject = holder.setdefault("traits", {})
    for trait_id, value in traits.items():
        if trait_id in existing and _canonical(existing[trait_id]) != _canonical(value):
            problems.append(
                Diagnostic(
                    display,
                    json_pointer("shapes", shape_id, "traits", trait_id),
                    f"conflicts with the value of {trait_id} defined in {target.file}",
                )
            )
        else:
            existing[trait_id] = value


def _flatten_mixins(shapes: dict[str, SourcedShape], problems: list[Diagnostic]) -> None:
    """Copy mixin members and traits into every shape that uses them, in declaration order.

    Mixins are flattened before the shapes that use them, by a work list rather than recursion:
    a chain of mixins may be thousands long."""
    done: set[str] = set()

    def mixin_ids(shape_id: str) -> Iterator[str]:
        return (reference["target"] for reference in shapes[shape_id].data.get("mixins", []))

    for start in sorted(shapes):
        if start in done:
            continue
        path, on_path, waiting = [start], {start}, [mixin_ids(start)]
        while path:
            following = next(waiting[-1], None)
            if following is None:
                shape_id = path.pop()
                waiting.pop()
                on_path.discard(shape_id)
                _flatten_one(shapes, shape_id, on_path, problems)
                done.add(shape_id)
            elif following in shapes and following not in done and following not in on_path:
                path.append(following)
                on_path.add(following)
                waiting.append(mixin_ids(following))


def _flatten_one(
    shapes: dict[str, SourcedShape],
    shape_id: str,
    users: set[str],
    problems: list[Diagnostic],
) -> None:
    """Flatten one shape whose mixins are flattened already, except those in a cycle through
    `users` (the shapes on the path that reached this one)."""
    shape = shapes[shape_id]
    mixins = shape.data.get("mixins", [])
    members: JsonObject = {}
    traits: JsonObject = {}
    for index, reference in enumerate(mixins):
        mixin_id = reference["target"]
        pointer = json_pointer("shapes", shape_id, "mixins", index, "target")
        mixin = shapes.get(mixin_id)
        if mixin is None:
            problems.append(Diagnostic(shape.file, pointer, f"mixin {mixin_id} is not defined"))
            continue
        if "smithy.api#mixin" not in mixin.traits:
            problems.append(Diagnostic(shape.file, pointer, f"{mixin_id} has no @mixin trait"))
            continue
        if mixin_id == shape_id or mixin_id in users:
            problems.append(Diagnostic(shape.file, pointer, "mixins form a cycle"))
            continue
        members.update(copy.deepcopy(mixin.data.get("members", {})))
        inherited = {k: v for k, v in mixin.traits.items() if k != "smithy.api#mixin"}
        traits.update(copy.deepcopy(inherited))
    if mixins:
        members.update(shape.data.get("members", {}))
        traits.update(shape.traits)
        if members:
            shape.data["members"] = members
        shape.data["traits"] = traits
        del shape.data["mixins"]
