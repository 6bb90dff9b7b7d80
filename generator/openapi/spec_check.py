"""Check a document against the official OpenAPI schema of its version (3.0 or 3.1).

The schemas are the OpenAPI Initiative's own, as the `openapi-spec-validator` package ships them;
we use only its schema files, through `jsonschema`. Its validators also follow `$ref`s, which
would read or fetch what a document names: the references are ours to follow (`refs.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema
from openapi_spec_validator.schemas import schema_v30, schema_v31

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
def _validator(version: str) -> Any:
    schema: Any = schema_v30 if version == "3.0" else schema_v31
    cls = jsonschema.validators.validator_for(schema)
    return cls(dict(schema))


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
