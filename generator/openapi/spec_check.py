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
from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from generator.diagnostics import Diagnostic, json_pointer

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
    """The OpenAPI Initiative's schema of `version` ("3.0" or "3.1")."""
    spec = importlib.util.find_spec("openapi_spec_validator")
    folders = list(spec.submodule_search_locations or ()) if spec else []
    for folder in folders:
        path = Path(folder, "resources", "schemas", f"v{version}", "schema.json")
        if path.is_file():
            return json.loads(path.read_text("utf-8"))
    raise RuntimeError(f"openapi-spec-validator's OpenAPI {version} schema was not found")


@cache
def _validator(version: str) -> Any:
    schema = official_schema(version)
    cls = jsonschema.validators.validator_for(schema)
    # The 3.1 schema reaches every Schema Object through `$dynamicRef`; an uncrawled registry
    # searches the whole schema for the anchor at each one (seconds on a large document), a
    # crawled one knows every anchor from the start.
    resource = referencing.Resource.from_contents(schema, default_specification=DRAFT202012)
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        resource.id() or "", resource
    )
    return cls(schema, registry=registry.crawl())


def schema_problems(content: object, version: str, display: str) -> Iterator[Diagnostic]:
    for error in _validator(version).iter_errors(content):
        best = jsonschema.exceptions.best_match([error, *_leaves(error)])
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
