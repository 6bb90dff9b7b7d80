"""document: any JSON value, as `json` reads it; nothing is checked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.kinds.base import Annotation, JsonObject, Kind
from generator.pyliterals import literal
from generator.symbols import DOCUMENT

if TYPE_CHECKING:
    from generator import ir


class Document(Kind):
    type_name = "document"
    http_payload = True
    payload_form = "json"

    def annotation(self, scope: frozenset[str]) -> Annotation:
        return "Document", frozenset({DOCUMENT})

    def default_literal(self, value: Any) -> tuple[str, bool]:
        return literal(value), isinstance(value, list | dict)

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        return None

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        yield {} if variant == 0 else {"variant": variant}

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        return None
