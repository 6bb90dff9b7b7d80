"""document: any JSON value, as `json` reads it; nothing is checked."""

from __future__ import annotations

from typing import Any

from generator.kinds.base import Annotation, JsonObject, Kind
from generator.pyliterals import literal
from generator.symbols import DOCUMENT


class Document(Kind):
    type_name = "document"
    http_payload = True

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return "Document", frozenset({DOCUMENT})

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return literal(value), isinstance(value, list | dict)

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return None
