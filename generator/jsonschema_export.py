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


def _value_schema(
    member: ir.Member, defs: dict[str, JsonSchema], waiting: list[ir.Shape]
) -> JsonSchema:
    """The schema of one member's value, with the member's effective constraints; a structure,
    list or map it names and `defs` does not have yet is added to `waiting`."""

    def refer(shape: ir.Shape) -> JsonSchema:
        if shape.name not in defs:
            defs[shape.name] = {}  # claimed now, defined by `shape_schema`'s work list
            waiting.append(shape)
        return {"$ref": f"#/$defs/{shape.name}"}

    return member.target.kind.json_schema(member, refer)


def _define(shape: ir.Shape, defs: dict[str, JsonSchema], waiting: list[ir.Shape]) -> None:
    schema = shape.kind.json_schema_definition(lambda m: _value_schema(m, defs, waiting))
    text = docs.to_plain_text(shape.documentation, width=10_000)
    if text:
        schema["description"] = text
    defs[shape.name] = schema


def shape_schema(shape: ir.StructureShape) -> JsonSchema:
    defs: dict[str, JsonSchema] = {shape.name: {}}
    waiting: list[ir.Shape] = [shape]
    while waiting:  # a work list, not recursion: structures may nest thousands deep
        _define(waiting.pop(), defs, waiting)
    return {
        "$schema": DRAFT,
        "$id": f"urn:smithy:{shape.namespace}:{shape.name}",
        "title": shape.name,
        "$ref": f"#/$defs/{shape.name}",
        "$defs": dict(sorted(defs.items())),
    }


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_lone_surrogates(text: str) -> str:
    """JSON text that UTF-8 can hold: a lone surrogate (a model's string may have one; only a
    JSON string can) becomes its `\\uXXXX` escape, which a JSON reader turns back into it."""
    return _LONE_SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def schema_files(units: tuple[ir.GenerationUnit, ...]) -> dict[str, str]:
    files = {}
    for unit in units:
        for shape in unit.public_structures:
            text = json.dumps(shape_schema(shape), indent=2, ensure_ascii=False) + "\n"
            text = _escape_lone_surrogates(text)
            files[f"{unit.service.package_name}/{shape.name}.schema.json"] = text
    return files


def export_schemas(
    units: tuple[ir.GenerationUnit, ...], output: Path, keep: Keep, *, force: bool = False
) -> int:
    """Replace `output` with the schemas and a manifest (which makes the folder shapesmith's)."""
    files = schema_files(units)
    manifest = {"generator": "shapesmith", "version": __version__, "files": file_hashes(files)}
    write_tree(
        output, {**files, MANIFEST_NAME: json.dumps(manifest, indent=2) + "\n"}, keep, force=force
    )
    return len(files)
