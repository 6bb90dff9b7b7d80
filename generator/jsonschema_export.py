"""Export the selected closure as JSON Schema (2020-12), one document per input, output and error shape.

The schemas describe the JSON wire form of the AWS JSON protocols: blobs are base64 strings,
timestamps epoch seconds. JSON Schema cannot state a blob's decoded length, so that constraint is
kept as the annotation `x-smithy-length`. Patterns are ECMA 262 in both languages, so they are
exported exactly as the model spells them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator import __version__, docs, ir
from generator.output import write_tree
from generator.ownership import MANIFEST_NAME, Keep, file_hashes

JsonSchema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"


class Definitions:
    """The schemas of the shapes that members reach, each structure, list and map defined once
    and referred to as `<prefix><name>` (`#/$defs/` in a JSON Schema, `#/components/schemas/`
    in an OpenAPI document). With `json_names`, a structure's keys are its members' `@jsonName`s
    (the JSON body of restJson1) rather than their names (AWS JSON)."""

    def __init__(self, prefix: str, *, json_names: bool = False) -> None:
        self._prefix = prefix
        self._json_names = json_names
        self._defs: dict[str, JsonSchema] = {}
        self._waiting: list[ir.Shape] = []

    def refer(self, shape: ir.Shape) -> JsonSchema:
        if shape.name not in self._defs:
            self._defs[shape.name] = {}  # claimed now, defined by `finish`'s work list
            self._waiting.append(shape)
        return {"$ref": f"{self._prefix}{shape.name}"}

    def value(self, member: ir.Member) -> JsonSchema:
        """The schema of one member's value, with the member's effective constraints."""
        schema = member.target.kind.json_schema(member, self.refer)
        return {"anyOf": [schema, {"type": "null"}]} if member.nullable else schema

    def key(self, member: ir.Member) -> str:
        """The member's key in a JSON object."""
        return str(member.json_name) if self._json_names and member.json_name else member.name

    def finish(self) -> dict[str, JsonSchema]:
        while self._waiting:  # a work list, not recursion: structures may nest thousands deep
            self._define(self._waiting.pop())
        return dict(sorted(self._defs.items()))

    def _define(self, shape: ir.Shape) -> None:
        schema = shape.kind.json_schema_definition(self.value)
        if self._json_names and isinstance(shape, ir.StructureShape) and "properties" in schema:
            keys = {member.name: self.key(member) for member in shape.members}
            schema["properties"] = {keys[k]: v for k, v in schema["properties"].items()}
            if "required" in schema:
                schema["required"] = [keys[k] for k in schema["required"]]
        text = docs.to_plain_text(shape.documentation, width=10_000)
        if text:
            schema["description"] = text
        self._defs[shape.name] = schema


def shape_schema(shape: ir.StructureShape) -> JsonSchema:
    definitions = Definitions("#/$defs/")
    definitions.refer(shape)
    defs = definitions.finish()
    return {
        "$schema": DRAFT,
        "$id": f"urn:smithy:{shape.namespace}:{shape.name}",
        "title": shape.name,
        "$ref": f"#/$defs/{shape.name}",
        "$defs": defs,
    }


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_lone_surrogates(text: str) -> str:
    """JSON text that UTF-8 can hold: a lone surrogate (a model's string may have one; only a
    JSON string can) becomes its `\\uXXXX` escape, which a JSON reader turns back into it."""
    return _LONE_SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def json_text(document: JsonSchema) -> str:
    """`document` as indented UTF-8-safe JSON text, ending in a newline."""
    return _escape_lone_surrogates(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def schema_files(units: tuple[ir.GenerationUnit, ...]) -> dict[str, str]:
    files = {}
    for unit in units:
        for shape in unit.public_structures:
            files[f"{unit.service.package_name}/{shape.name}.schema.json"] = json_text(
                shape_schema(shape)
            )
    return files


def export_schemas(
    units: tuple[ir.GenerationUnit, ...], output: Path, keep: Keep, *, force: bool = False
) -> int:
    """Replace `output` with the schemas and a manifest (which makes the folder shapesmith's)."""
    return write_export(schema_files(units), output, keep, force=force)


def write_export(files: dict[str, str], output: Path, keep: Keep, *, force: bool) -> int:
    """Replace `output` with `files` and a manifest (which makes the folder shapesmith's)."""
    manifest = {"generator": "shapesmith", "version": __version__, "files": file_hashes(files)}
    write_tree(
        output, {**files, MANIFEST_NAME: json.dumps(manifest, indent=2) + "\n"}, keep, force=force
    )
    return len(files)
