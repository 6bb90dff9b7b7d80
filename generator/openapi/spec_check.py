"""Check a document against the official OpenAPI schema of its version (3.0 or 3.1).

The schemas are the OpenAPI Initiative's own, as the `openapi-spec-validator` package ships them;
we use only its schema files, through `jsonschema`. Its validators also follow `$ref`s, which
would read or fetch what a document names: the references are ours to follow (`refs.py`). The
files are read without importing the package, whose import costs more than a small document's
whole generation.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.diagnostics import Diagnostic, json_pointer
from generator.schema_gate import SchemaGate

if TYPE_CHECKING:
    import jsonschema

_VERSION = re.compile(r"^3\.(0|1)\.\d+(-.+)?$")


def version_of(content: object, display: str) -> tuple[str | None, list[Diagnostic]]:
    """ "3.0" or "3.1", from the document's `openapi` field."""
    found = content.get("openapi") if isinstance(content, dict) else None
    match = _VERSION.match(found) if isinstance(found, str) else None
    if match is None:
        shown = repr(found)[:40]
        return None, [
            Diagnostic(
                display, "/openapi", f"found {shown}; shapesmith reads OpenAPI 3.0.x and 3.1.x"
            )
        ]
    return f"3.{match.group(1)}", []


@cache
def official_schema(version: str) -> Any:
    """The OpenAPI Initiative's schema of `version` ("3.0" or "3.1"), Schema Objects included.

    The 3.1 schema takes any object as a Schema Object, leaving their check to a dialect schema;
    3.1's dialect is JSON Schema 2020-12 plus a few keywords (`discriminator`, `xml`,
    `externalDocs`, `example`) that 2020-12 lets any schema have, so each Schema Object is held
    to 2020-12's metaschema, as the OpenAPI Initiative's dialect schema does. Without it a
    `required: [[]]` reached the translation."""
    spec = importlib.util.find_spec("openapi_spec_validator")
    folders = list(spec.submodule_search_locations or ()) if spec else []
    for folder in folders:
        path = Path(folder, "resources", "schemas", f"v{version}", "schema.json")
        if path.is_file():
            schema = json.loads(path.read_text("utf-8"))
            if version == "3.1":
                entry = schema["$defs"]["schema"]
                entry.pop("type", None)  # the metaschema takes objects and booleans
                entry["$ref"] = JSON_SCHEMA_2020_12
            return schema
    raise RuntimeError(f"openapi-spec-validator's OpenAPI {version} schema was not found")


JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema"


@cache
def _validator(version: str) -> Any:
    # Imported only to explain a document jsonschema-rs refused (see schema_gate).
    import jsonschema
    import referencing
    from jsonschema_specifications import REGISTRY as METASCHEMAS  # type: ignore[import-untyped]
    from referencing.jsonschema import DRAFT202012

    schema = official_schema(version)
    cls = jsonschema.validators.validator_for(schema)
    # The 3.1 schema reaches every Schema Object through `$dynamicRef`; an uncrawled registry
    # searches the whole schema for the anchor at each one (seconds on a large document), a
    # crawled one knows every anchor from the start. The metaschemas come with jsonschema.
    resource = referencing.Resource.from_contents(schema, default_specification=DRAFT202012)
    registry: referencing.Registry[Any] = METASCHEMAS.with_resource(resource.id() or "", resource)
    return cls(schema, registry=registry.crawl())


@cache
def _gate(version: str) -> SchemaGate:
    return SchemaGate(official_schema(version))


def surely_valid(content: object, version: str) -> bool:
    """Whether jsonschema-rs finds the document valid (milliseconds; see `SchemaGate`)."""
    return _gate(version).passes(content)


def schema_problems(content: object, version: str, display: str) -> Iterator[Diagnostic]:
    """Everything wrong with the document against the official schema, by pointer (seconds on
    a whole service: ask `surely_valid` first)."""
    from jsonschema.exceptions import best_match

    for error in _validator(version).iter_errors(content):
        best = best_match([error, *_leaves(error)])
        pointer = json_pointer(*best.absolute_path)
        yield Diagnostic(display, pointer, _describe(best))


def _leaves(error: jsonschema.ValidationError) -> Iterator[jsonschema.ValidationError]:
    for child in error.context or ():
        yield child
        yield from _leaves(child)


def _describe(error: jsonschema.ValidationError) -> str:
    message = error.message
    if len(message) > 240:
        message = message[:237] + "..."
    return f"not valid OpenAPI: {message}"
