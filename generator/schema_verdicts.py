"""Which documents have already passed a schema check, remembered between runs.

jsonschema takes about half a second to check whole Rekognition against the Smithy AST schema,
and about as long to check its OpenAPI export against the OpenAPI 3.1 schema: on every run, for
documents that have mostly not changed since the run before. A document that passed is
remembered in the format cache's store under the SHA-256 of the check (its name, its schema,
jsonschema's version, shapesmith's own code) and of the document's canonical JSON. Only passes
are remembered, so a document with problems is checked, and reported, in full every time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata

from generator.diagnostics import Diagnostic
from generator.format_cache import FormatCache, piece_key
from generator.input_digest import tool_digest

_PASSED = "passed"


class SchemaVerdicts:
    """Schema checks that skip a document seen to pass before; `SchemaVerdicts()` remembers
    nothing (every document is checked)."""

    def __init__(self, store: FormatCache | None = None) -> None:
        self._store = store

    def problems(
        self,
        check: str,
        schema: object,
        content: object,
        find: Callable[[], Iterable[Diagnostic]],
    ) -> list[Diagnostic]:
        """What `find()` reports about `content`, a JSON document, when checked against
        `schema` by the check named `check`; nothing, without checking, where this very check
        passed this very document before."""
        key = self._key(check, schema, content)
        if key is not None and self._store is not None and self._store.get_many([key]):
            return []
        found = list(find())
        if not found and key is not None and self._store is not None:
            self._store.put_many({key: _PASSED})
        return found

    def _key(self, check: str, schema: object, content: object) -> str | None:
        if self._store is None:
            return None
        try:
            text = _canonical(content)
        except (TypeError, ValueError, RecursionError):
            # Not plain JSON (a YAML date or integer key, say): checked every time.
            return None
        salt = f"schema verdict\0{check}\0{_schema_digest(_canonical(schema))}\0{_checker()}"
        return piece_key(salt, text)


def _canonical(value: object) -> str:
    # ASCII: a model's text may hold lone surrogates (JSON allows "\ud800"), which no UTF-8
    # encoder takes; escaped, they are hashed like any other character.
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


@cache
def _schema_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def _checker() -> str:
    return f"{tool_digest()}\0jsonschema {metadata.version('jsonschema')}"
