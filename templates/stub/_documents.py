"""Reading untrusted JSON and YAML (request bodies, fixture files, stubbed answers) within limits.

Python's parsers nest as deep as the interpreter's recursion limit and fail past it with a
`RecursionError`; a value a little shallower parses, then breaks whatever recurses over it
next (a `repr` in an error message). They turn an integer of any length into an `int` that
Python will not convert back to text (over 4,300 digits it raises `ValueError`). And YAML's
aliases let a small file stand for an exponentially large value, or a cycle.

Everything the stub reads from outside goes through here and comes back either as plain data
no deeper than `MAX_DEPTH`, with integers of at most `MAX_INT_DIGITS` digits and no more values
than its text has characters, or as a `DocumentError` saying where (a JSON pointer) and what.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

from .._runtime import json_pointer

MAX_DEPTH = 128
"""Containers nested in containers; no model's shapes come near it."""
MAX_INT_DIGITS = 1000
"""Longer integers are refused: no service sends them, and Python converts them in quadratic
time (or refuses to, past 4,300 digits)."""
MAX_VALUES = 1_000_000
"""Values of data given in Python (a stubbed answer), where no text bounds them."""

_INT_BOUND = 10**MAX_INT_DIGITS
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_INT_TAG = "tag:yaml.org,2002:int"

Where = tuple[str | int, ...]


class DocumentError(ValueError):
    """Data beyond the limits: `where` is the path of the offending value."""

    def __init__(self, where: Where, problem: str) -> None:
        super().__init__(f"{json_pointer(where) or '/'}: {problem}")
        self.where = where
        self.problem = problem


def _too_deep(where: Where) -> DocumentError:
    return DocumentError(where, f"nested more than {MAX_DEPTH} levels deep")


def _too_long(where: Where) -> DocumentError:
    return DocumentError(where, f"an integer of more than {MAX_INT_DIGITS} digits")


class _LongInteger:
    """Stands in for an integer literal too long to convert, until `check_value` finds it."""


def load_json(text: str, *, allow_constants: bool = False) -> Any:
    """Parse JSON within the limits; syntax errors stay `json.JSONDecodeError`s.

    `allow_constants` lets the bare words `NaN`, `Infinity` and `-Infinity` through (Python's
    JSON; fixture files may use them), otherwise they are a `ValueError`.
    """

    def parse_int(digits: str) -> Any:
        return _LongInteger() if len(digits.lstrip("-")) > MAX_INT_DIGITS else int(digits)

    def parse_constant(word: str) -> Any:
        if allow_constants:
            return float(word)
        raise ValueError(f"{word} is not JSON")

    try:
        data = json.loads(text, parse_int=parse_int, parse_constant=parse_constant)
    except RecursionError:
        raise _too_deep(_json_depth_path(text)) from None
    check_value(data, max_values=len(text) + 1)
    return data


def _json_depth_path(text: str) -> Where:
    """The path of the first container nested deeper than `MAX_DEPTH`, found by a scan that
    follows strings, keys and indices but builds nothing."""
    # Per open container: [is an object, current key or index, waiting for a key].
    frames: list[list[Any]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            found = _STRING.match(text, index)
            if found is None:
                break
            top = frames[-1] if frames else None
            if top is not None and top[0] and top[2]:
                try:
                    top[1] = json.loads(found.group())
                except ValueError:
                    top[1] = found.group()[1:-1]
                top[2] = False
            index = found.end()
            continue
        if char in "[{":
            if len(frames) == MAX_DEPTH:
                return tuple(frame[1] for frame in frames)
            frames.append([char == "{", "" if char == "{" else 0, char == "{"])
        elif char in "]}" and frames:
            frames.pop()
        elif char == "," and frames:
            if frames[-1][0]:
                frames[-1][2] = True
            else:
                frames[-1][1] += 1
        index += 1
    return ()


def load_yaml(text: str, yaml: Any) -> Any:
    """Parse YAML (with PyYAML's safe loader, given as `yaml`) within the limits; syntax errors
    stay `yaml.YAMLError`s. The events are checked before anything is built, so neither the
    recursive composer nor `int()` ever sees what is beyond the limits."""
    resolver = yaml.resolver.Resolver()
    frames: list[list[Any]] = []  # per open collection: [is a mapping, key or index, in a value]

    def where() -> Where:
        return tuple(frame[1] for frame in frames)

    def node_done() -> None:
        if frames:
            top = frames[-1]
            if top[0]:
                top[2] = not top[2]
            else:
                top[1] += 1

    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.ScalarEvent):
            if frames and frames[-1][0] and not frames[-1][2]:
                frames[-1][1] = event.value
            tag = event.tag
            if tag in (None, "!"):
                tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == _INT_TAG and sum(c.isdigit() for c in event.value) > MAX_INT_DIGITS:
                raise _too_long(where())
            node_done()
        elif isinstance(event, yaml.AliasEvent):
            node_done()
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(frames) == MAX_DEPTH:
                raise _too_deep(where())
            if frames and frames[-1][0] and not frames[-1][2]:
                frames[-1][1] = "?"  # a collection as a mapping key
            mapping = isinstance(event, yaml.MappingStartEvent)
            frames.append([mapping, "" if mapping else 0, False])
        elif isinstance(event, yaml.CollectionEndEvent):
            frames.pop()
            node_done()
    data = yaml.safe_load(text)
    check_value(
        data,
        max_values=len(text) + 1,
        too_many="aliases expand to more values than the text has characters "
        "(an alias inside its own anchor, or anchors repeated in anchors)",
    )
    return data


def check_value(value: Any, *, max_values: int = MAX_VALUES, too_many: str = "") -> None:
    """Raise `DocumentError` for the first value (in document order) that is nested too deep, an
    integer too long, or past `max_values` values (shared YAML anchors expand; a cycle never
    ends, and is too deep first). Iterative: it never recurses itself."""
    # (value, depth, path as a chain of (parent, key) pairs)
    stack: list[tuple[Any, int, Any]] = [(value, 0, ())]
    seen = 0
    while stack:
        item, depth, path = stack.pop()
        seen += 1
        if seen > max_values:
            raise DocumentError(_parts(path), too_many or f"more than {max_values} values")
        children: list[tuple[str | int, Any]]
        if isinstance(item, bool | str | float | bytes) or item is None:
            continue
        if isinstance(item, int):
            if not -_INT_BOUND < item < _INT_BOUND:
                raise _too_long(_parts(path))
            continue
        if isinstance(item, _LongInteger):
            raise _too_long(_parts(path))
        if isinstance(item, Mapping):
            children = [(k if isinstance(k, str) else str(k), v) for k, v in item.items()]
        elif isinstance(item, list | tuple):
            children = list(enumerate(item))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            children = [(f.name, getattr(item, f.name)) for f in dataclasses.fields(item)]
        else:
            continue
        if depth == MAX_DEPTH:
            raise _too_deep(_parts(path))
        stack.extend((child, depth + 1, (path, key)) for key, child in reversed(children))


def _parts(path: Any) -> Where:
    parts: list[str | int] = []
    while path:
        path, part = path
        parts.append(part)
    return tuple(reversed(parts))
