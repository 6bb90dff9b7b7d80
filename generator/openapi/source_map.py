"""Where in the OpenAPI documents each part of the translated Smithy model came from.

Everything after loading reports problems at Smithy pointers (`/shapes/petstore#Pet/members/name`).
For a model translated from OpenAPI those would point into a file nobody wrote, so each one is
moved to the document and pointer it was made from, by the longest recorded prefix.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.diagnostics import Diagnostic, json_pointer
from generator.openapi.refs import Location


class SourceMap:
    def __init__(self, translated_file: str) -> None:
        self.translated_file = translated_file
        """The name the translated model's shapes carry as their file (the root document)."""
        self._origins: dict[str, Location] = {}

    def record(self, origin: Location, *smithy_parts: str) -> None:
        self._origins.setdefault(json_pointer("shapes", *smithy_parts), origin)

    def locate(self, diagnostic: Diagnostic) -> Diagnostic:
        """`diagnostic` moved to the OpenAPI document and pointer its shape came from."""
        if diagnostic.file != self.translated_file:
            return diagnostic
        pointer = diagnostic.pointer
        while pointer:
            origin = self._origins.get(pointer)
            if origin is not None:
                return Diagnostic(origin.file, origin.pointer, diagnostic.message)
            pointer = pointer.rpartition("/")[0]
        return diagnostic


def locate_all(maps: Iterable[SourceMap], diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    by_file = {source_map.translated_file: source_map for source_map in maps}
    located = []
    for diagnostic in diagnostics:
        source_map = by_file.get(diagnostic.file)
        located.append(diagnostic if source_map is None else source_map.locate(diagnostic))
    return located
