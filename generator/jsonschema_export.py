"""Export the selected closure as JSON Schema (2020-12), one document per input, output and error shape.

The schemas describe the JSON wire form of the AWS JSON protocols: blobs are base64 strings,
timestamps epoch seconds. JSON Schema cannot state a blob's decoded length, so that constraint is
kept as the annotation `x-smithy-length`. Patterns are ECMA 262 in both languages, so they are
exported exactly as the model spells them.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator import __version__, docs, ir
from generator.output import write_tree
from generator.ownership import MANIFEST_NAME, Keep, file_hashes

JsonSchema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _length_keywords(length: ir.Length | None, low: str, high: str) -> JsonSchema:
    schema: JsonSchema = {}
    if length is not None and length.min is not None:
        schema[low] = length.min
    if length is not None and length.max is not None:
        schema[high] = length.max
    return schema


def _value_schema(
    member: ir.Member, defs: dict[str, JsonSchema], waiting: list[ir.Shape]
) -> JsonSchema:
    """The schema of one member's value, with the member's effective constraints; a structure,
    list or map it names and `defs` does not have yet is added to `waiting`."""
    target = member.target
    kind = target.type
    schema: JsonSchema
    if isinstance(target, ir.EnumShape):
        schema = {
            "type": "integer" if target.is_int else "string",
            "enum": [v.value for v in target.values],
        }
    elif kind is ir.ShapeType.STRING:
        schema = {"type": "string", **_length_keywords(member.length, "minLength", "maxLength")}
        if member.pattern is not None:
            schema["pattern"] = member.pattern.ecma
    elif kind is ir.ShapeType.BLOB:
        schema = {"type": "string", "contentEncoding": "base64"}
        if member.length is not None:
            schema["x-smithy-length"] = _length_keywords(member.length, "min", "max")
    elif kind is ir.ShapeType.BOOLEAN:
        schema = {"type": "boolean"}
    elif kind in ir.NUMBER_TYPES:
        schema = {"type": "integer" if kind in ir.INTEGER_TYPES else "number"}
        bounds = member.integer_bounds
        low = None if bounds is None else Decimal(bounds[0])
        high = None if bounds is None else Decimal(bounds[1])
        if member.range is not None and member.range.min is not None:
            low = member.range.min if low is None else max(low, member.range.min)
        if member.range is not None and member.range.max is not None:
            high = member.range.max if high is None else min(high, member.range.max)
        if low is not None:
            schema["minimum"] = _number(low)
        if high is not None:
            schema["maximum"] = _number(high)
        if member.range is not None and member.range.allows_zero:
            schema = {"anyOf": [{"const": 0}, schema]}  # the zero default: "not set"
    elif kind is ir.ShapeType.TIMESTAMP:
        schema = {"type": "number", "description": "epoch seconds"}
    elif kind is ir.ShapeType.DOCUMENT:
        schema = {}
    else:
        if target.name not in defs:
            defs[target.name] = {}  # claimed now, defined by `shape_schema`'s work list
            waiting.append(target)
        reference: JsonSchema = {"$ref": f"#/$defs/{target.name}"}
        if isinstance(target, ir.ListShape):
            extra = _length_keywords(member.length, "minItems", "maxItems")
        elif isinstance(target, ir.MapShape):
            extra = _length_keywords(member.length, "minProperties", "maxProperties")
        else:
            extra = {}
        schema = {"allOf": [reference, extra]} if extra else reference
    return schema


def _define(shape: ir.Shape, defs: dict[str, JsonSchema], waiting: list[ir.Shape]) -> None:
    schema: JsonSchema
    if isinstance(shape, ir.StructureShape):
        properties = {member.name: _value_schema(member, defs, waiting) for member in shape.members}
        schema = {"type": "object", "properties": properties, "additionalProperties": False}
        required = [member.name for member in shape.required_members]
        if required:
            schema["required"] = required
        if shape.is_union:
            schema["minProperties"] = 1
            schema["maxProperties"] = 1
    elif isinstance(shape, ir.ListShape):
        items = _value_schema(shape.member, defs, waiting)
        schema = {
            "type": "array",
            "items": {"anyOf": [items, {"type": "null"}]} if shape.sparse else items,
        }
        if shape.unique_items:
            schema["uniqueItems"] = True
    elif isinstance(shape, ir.MapShape):
        values = _value_schema(shape.value, defs, waiting)
        schema = {
            "type": "object",
            "propertyNames": _value_schema(shape.key, defs, waiting),
            "additionalProperties": (
                {"anyOf": [values, {"type": "null"}]} if shape.sparse else values
            ),
        }
    else:
        raise AssertionError(f"no definition for {shape!r}")
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
