"""A fast, sure "valid" before the slow, detailed answer.

jsonschema takes about half a second to check whole Rekognition against the Smithy AST schema,
and seconds for its OpenAPI export against the OpenAPI 3.1 schema; jsonschema-rs says whether
either is valid in milliseconds. A document jsonschema-rs finds valid is taken as valid; any
other, or one it cannot take, is checked by jsonschema as before, and jsonschema's diagnostics
(its best match, the JSON pointer) are what a user reads. So an invalid document is reported
exactly as it always was, and a valid one costs milliseconds. tests/test_schema_gate.py holds
jsonschema-rs's "valid" to jsonschema's on documents Hypothesis breaks.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs


class SchemaGate:
    """`passes(document)`: True only where the document is surely valid against `schema`.

    `floats_are_numbers_only`: the check behind the gate refuses a whole float (`1.0`) where
    the schema says integer, as JSON Schema does not; a document holding one is then left to
    it (a float with a fraction is no integer to either)."""

    def __init__(self, schema: Any, *, floats_are_numbers_only: bool = False) -> None:
        # Formats are annotations for jsonschema without a format checker, as here; and the
        # gate never reaches for a schema over the network.
        self._validator = jsonschema_rs.validator_for(schema, validate_formats=False, offline=True)
        self._floats_are_numbers_only = floats_are_numbers_only

    def passes(self, document: object) -> bool:
        if self._floats_are_numbers_only and _holds_whole_float(document):
            return False
        try:
            return bool(self._validator.is_valid(document))
        except (ValueError, TypeError, OverflowError, RecursionError):
            # Not plain JSON (a YAML date, an integer key) or too deep for it: not sure.
            return False


def _holds_whole_float(document: object) -> bool:
    waiting = [document]
    while waiting:
        value = waiting.pop()
        if isinstance(value, float) and value.is_integer():
            return True
        if isinstance(value, dict):
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)
    return False
