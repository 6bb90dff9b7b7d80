"""Python literals for values that come from a model.

`repr()` is close, but what it escapes depends on the running Python's Unicode database, so the
same model could render differently on two machines. These spellings are ASCII-only and fixed.
"""

from __future__ import annotations

import re

_SIMPLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_AS_IT_IS = re.compile(r"[ !#-\[\]-~]*")
"""Text that is its own literal's inside: printable ASCII but for the backslash and the quote."""


def string_literal(text: str) -> str:
    plain = str.__str__(text)  # the literal is ours, not model text
    if _AS_IT_IS.fullmatch(plain):
        return '"' + plain + '"'
    pieces = []
    for char in text:
        if char in _SIMPLE_ESCAPES:
            pieces.append(_SIMPLE_ESCAPES[char])
        elif " " <= char <= "~":
            pieces.append(char)
        elif ord(char) <= 0xFF:
            pieces.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            pieces.append(f"\\u{ord(char):04x}")
        else:
            pieces.append(f"\\U{ord(char):08x}")
    return '"' + "".join(pieces) + '"'


def literal(value: object) -> str:
    """A literal for a JSON-like value (str, int, float, bool, None, lists and dicts of them)."""
    if isinstance(value, str):
        return string_literal(value)
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float):
        return (
            repr(value)
            if value == value and value not in (float("inf"), float("-inf"))
            else f'float("{value}")'
        )
    if isinstance(value, bytes):
        return "b" + string_literal(value.decode("latin-1"))
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no literal for {type(value).__name__}")
