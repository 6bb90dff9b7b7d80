"""Read a model file's JSON strictly: standard JSON only, with numbers and nesting that every later
step (and the generated code) can hold.

Python's `json` accepts `NaN` and `Infinity`, turns `1e309` into an infinity, raises on integers
past 4,300 digits and recurses once per nesting level. Here each of those is a problem reported
at its JSON pointer, so that a hostile model gets a diagnostic, never a traceback, and nothing
after loading has to think about them again.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 64
"""How deeply a model file may nest arrays and objects. AWS's own models nest at most 22 levels;
the limit keeps every recursive step (schema checks, copies, literals in generated code, black,
the Python parser) far from its own limits."""

MAX_INTEGER_DIGITS = 640
"""The longest integer a model may write. 640 is the lowest limit Python lets anyone set for
converting integers to and from text (`sys.set_int_max_str_digits`), so a literal this long
imports under every setting; a model has no use for a longer one."""


@dataclass(frozen=True)
class JsonProblem:
    """One problem in a file's JSON: where (pointer parts) and what."""

    parts: tuple[str | int, ...]
    message: str
    line: int | None = None


class ObjectWithDuplicates(dict[str, Any]):
    """A JSON object that had some keys more than once (the last value wins, as in `json`)."""

    duplicates: list[str]


@dataclass(frozen=True)
class _Refused:
    """Stands in, while parsing, for a number that is refused; reported with its pointer later."""

    message: str


def _keep_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    duplicates = []
    for key, value in pairs:
        if key in result:
            duplicates.append(key)
        result[key] = value
    if not duplicates:
        return result
    marked = ObjectWithDuplicates(result)
    marked.duplicates = duplicates
    return marked


def _shown(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"


def _constant(token: str) -> _Refused:
    return _Refused(f"{token} is not JSON (JSON numbers are finite); expected a finite number")


def _float(text: str) -> float | _Refused:
    value = float(text)
    if math.isfinite(value):
        return value
    return _Refused(f"number {_shown(text)} is beyond the range of a 64-bit float")


def _int(text: str) -> int | _Refused:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        return _Refused(
            f"integer with {digits} digits; a model's integers have at most "
            f"{MAX_INTEGER_DIGITS} digits"
        )
    return int(text)


def parse(text: str) -> tuple[object, list[JsonProblem]]:
    """The document in `text`, and every problem found in it (the document is None when the text
    cannot be read as JSON at all)."""
    try:
        document = json.loads(
            text,
            object_pairs_hook=_keep_duplicate_keys,
            parse_constant=_constant,
            parse_float=_float,
            parse_int=_int,
        )
    except json.JSONDecodeError as error:
        return None, [
            JsonProblem((), f"invalid JSON at column {error.colno}: {error.msg}", error.lineno)
        ]
    except RecursionError:
        return None, [JsonProblem((), f"JSON nests deeper than {MAX_DEPTH} levels")]
    return document, list(_problems(document))


def _problems(document: object) -> Iterator[JsonProblem]:
    """Refused numbers, repeated keys and nesting past MAX_DEPTH, walked without recursion."""
    stack: list[tuple[object, tuple[str | int, ...], int]] = [(document, (), 1)]
    too_deep_reported = False
    while stack:
        node, parts, depth = stack.pop()
        if isinstance(node, _Refused):
            yield JsonProblem(parts, node.message)
            continue
        if not isinstance(node, dict | list):
            continue
        if depth > MAX_DEPTH:
            if not too_deep_reported:
                too_deep_reported = True
                yield JsonProblem(parts, f"JSON nests deeper than {MAX_DEPTH} levels here")
            continue
        if isinstance(node, ObjectWithDuplicates):
            for key in node.duplicates:
                yield JsonProblem(
                    (*parts, key), "this key appears more than once in its object; expected it once"
                )
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in reversed(list(children)):
            stack.append((value, (*parts, key), depth + 1))
