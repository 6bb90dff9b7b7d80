"""What every step of one document's translation shares: its files, the shapes made so far, where
each came from, and what was found wrong or left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic
from generator.openapi.refs import Documents, Location
from generator.openapi.source_map import SourceMap

JsonObject = dict[str, Any]


@dataclass
class Translation:
    documents: Documents
    namespace: str
    version: str
    """"3.0" or "3.1": they differ on `nullable` and on exclusive bounds."""
    source_map: SourceMap
    shapes: dict[str, JsonObject] = field(default_factory=dict)
    """Shape id -> Smithy JSON AST of the shape."""
    taken: set[str] = field(default_factory=set)
    """Shape names in use, lower-cased (Smithy compares shape names ignoring case)."""
    problems: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    def shape_id(self, name: str) -> str:
        return f"{self.namespace}#{name}"

    def add_shape(self, name: str, shape: JsonObject, origin: Location) -> str:
        shape_id = self.shape_id(name)
        self.shapes[shape_id] = shape
        self.source_map.record(origin, shape_id)
        return shape_id

    def problem(self, at: Location, message: str) -> None:
        self.problems.append(Diagnostic(at.file, at.pointer, message))

    def warn(self, at: Location, message: str) -> None:
        self.warnings.append(Diagnostic(at.file, at.pointer, message))
