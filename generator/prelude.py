"""The Smithy prelude: the `smithy.api#` shapes every model can target without defining them."""

from __future__ import annotations

from typing import Any

PRELUDE_FILE = "<smithy prelude>"

_SIMPLE = {
    "Blob": "blob",
    "Boolean": "boolean",
    "String": "string",
    "Byte": "byte",
    "Short": "short",
    "Integer": "integer",
    "Long": "long",
    "Float": "float",
    "Double": "double",
    "BigInteger": "bigInteger",
    "BigDecimal": "bigDecimal",
    "Timestamp": "timestamp",
    "Document": "document",
}

_PRIMITIVE_DEFAULTS: dict[str, tuple[str, object]] = {
    "PrimitiveBoolean": ("boolean", False),
    "PrimitiveByte": ("byte", 0),
    "PrimitiveShort": ("short", 0),
    "PrimitiveInteger": ("integer", 0),
    "PrimitiveLong": ("long", 0),
    "PrimitiveFloat": ("float", 0),
    "PrimitiveDouble": ("double", 0),
}


def prelude_shapes() -> dict[str, dict[str, Any]]:
    shapes: dict[str, dict[str, Any]] = {
        f"smithy.api#{name}": {"type": shape_type} for name, shape_type in _SIMPLE.items()
    }
    for name, (shape_type, default) in _PRIMITIVE_DEFAULTS.items():
        shapes[f"smithy.api#{name}"] = {
            "type": shape_type,
            "traits": {"smithy.api#default": default},
        }
    shapes["smithy.api#Unit"] = {
        "type": "structure",
        "members": {},
        "traits": {"smithy.api#unitType": {}},
    }
    return shapes
