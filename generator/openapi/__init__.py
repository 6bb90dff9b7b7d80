"""OpenAPI 3.0 and 3.1 documents, read as Smithy models.

A document is checked against the official schema of its version, its `$ref`s followed, and it
is translated into the Smithy JSON AST the loader reads from a Smithy file (restJson1 HTTP
bindings, Smithy auth traits, an endpoint rule set from `servers`), with a source map so that
every later diagnostic names the OpenAPI file and pointer it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, ShapesmithError
from generator.openapi.aws_json import AwsJsonOperations, is_aws_json_form
from generator.openapi.context import JsonObject, Translation
from generator.openapi.documents import Document, read_document
from generator.openapi.names import namespace, pascal, unique
from generator.openapi.operations import Operations
from generator.openapi.refs import Documents, Location
from generator.openapi.schemas import Schemas
from generator.openapi.service import PROTOCOL, auth_traits, service_shape
from generator.openapi.source_map import SourceMap
from generator.openapi.spec_check import schema_problems, surely_valid, version_of

__all__ = ["YAML_SUFFIXES", "Document", "TranslatedDocument", "read_document", "translate"]

YAML_SUFFIXES = frozenset({".yaml", ".yml"})


@dataclass(frozen=True)
class TranslatedDocument:
    model: JsonObject
    """The Smithy JSON AST the document means."""
    source_map: SourceMap
    warnings: tuple[Diagnostic, ...]
    files: tuple[Path, ...]
    """The document's file and every file its references reached."""


def translate(document: Document, project: Path) -> TranslatedDocument:
    """The Smithy model `document` means; raises ShapesmithError listing every problem."""
    version, problems = version_of(document.content, document.display)
    if version is None:
        raise ShapesmithError(problems)
    problems = (
        []
        if surely_valid(document.content, version)
        else list(schema_problems(document.content, version, document.display))
    )
    if problems:
        raise ShapesmithError(problems)
    assert isinstance(document.content, dict)
    info = document.content.get("info", {})
    title = info.get("title", "") if isinstance(info, dict) else ""
    source_map = SourceMap(document.display)
    translation = Translation(Documents(document, project), namespace(title), version, source_map)
    auth = auth_traits(translation)
    schemas = Schemas(translation)
    components = _component_schemas(translation)
    if is_aws_json_form(document.content):
        aws_json = AwsJsonOperations(translation, schemas)
        targets = aws_json.claim_names()
        for where in components:
            schemas.reserve(where)
        shape_ids = [aws_json.translate(*found) for found in targets]
        protocol = aws_json.protocol_trait
        service_name = aws_json.prefix or _service_name(translation, title)
    else:
        operations = Operations(translation, schemas, auth)
        claimed = operations.claim_names()
        for where in components:
            schemas.reserve(where)
        shape_ids = [operations.translate(*found) for found in claimed]
        protocol = PROTOCOL
        service_name = _service_name(translation, title)
    for where in components:
        schemas.named(where)
    schemas.warn_unapplied_defaults()
    service = service_shape(translation, shape_ids, auth, protocol)
    translation.add_shape(service_name, service, Location(document.display, "/info"))
    if translation.problems:
        raise ShapesmithError(translation.problems)
    model = {"smithy": "2.0", "shapes": dict(sorted(translation.shapes.items()))}
    files = translation.documents.paths
    return TranslatedDocument(model, source_map, tuple(translation.warnings), files)


def _component_schemas(translation: Translation) -> list[Location]:
    """Every named schema: each becomes a shape, used by an operation or not (a document's
    components are part of its API: a user may validate with them)."""
    root = translation.documents.root
    components = root.content.get("components") if isinstance(root.content, dict) else None
    found = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(found, dict):
        return []
    return [Location(root.display, "").child("components", "schemas", name) for name in found]


def _service_name(translation: Translation, title: str) -> str:
    return unique(pascal(title, "Api") if title else "Api", translation.taken)
