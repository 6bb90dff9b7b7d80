"""Read an OpenAPI document, or a file one of its `$ref`s names, as plain JSON values.

JSON goes through the model reader (`generator/model_json.py`) with its limits. YAML is read by
the YAML 1.2 core schema, as OpenAPI 3 specifies, not PyYAML's default YAML 1.1 rules, under which
`no` is false, `1:20` is 80 and `2024-01-01` a date: here those stay strings. Keys that YAML reads
as numbers (`200:` under `responses`) become the text they are written as. Anchors and aliases are
allowed, but what they expand to counts against the same node budget as everything else, so a
"billion laughs" document is refused rather than expanded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator import model_json
from generator.diagnostics import Diagnostic, json_pointer

MAX_NODES = 2_000_000
"""The most values (objects, arrays, scalars) one document may hold once YAML aliases are
expanded; AWS's whole Rekognition model exported to OpenAPI has about 60,000."""

MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One file's content, with the name it is reported under."""

    path: Path
    display: str
    content: object


class _Core12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2's core schema for plain scalars."""


_Core12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (
        "tag:yaml.org,2002:int",
        r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
        list("-+0123456789"),
    ),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
):
    _Core12Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


class _LongInteger:
    """An integer written with more digits than a model may hold (reported at its pointer)."""


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | _LongInteger:
    text = str(loader.construct_scalar(node))
    if len(text.lstrip("+-")) > model_json.MAX_INTEGER_DIGITS:
        return _LongInteger()
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


def _construct_timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Core12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Core12Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


class _TooLarge(Exception):
    pass


class _Problems(Exception):
    def __init__(self, found: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.found = found


def _as_json(root: object) -> object:
    """A copy of `root` with JSON types only, aliases expanded within the node budget, and every
    problem (a key that is not text, a number JSON cannot hold, nesting too deep) collected."""
    budget = MAX_NODES
    found: list[tuple[tuple[str | int, ...], str]] = []

    def convert(value: object, parts: tuple[str | int, ...]) -> object:
        nonlocal budget
        budget -= 1
        if budget < 0:
            raise _TooLarge
        if len(parts) >= model_json.MAX_DEPTH:
            found.append((parts, f"nests deeper than {model_json.MAX_DEPTH} levels here"))
            return None
        if isinstance(value, dict):
            result: dict[str, object] = {}
            for key, item in value.items():
                if isinstance(key, bool) or not isinstance(key, str | int | float):
                    found.append((parts, f"a key of this mapping is not text: {key!r:.40}"))
                    continue
                name = key if isinstance(key, str) else str(key)
                result[name] = convert(item, (*parts, name))
            return result
        if isinstance(value, list):
            return [convert(item, (*parts, index)) for index, item in enumerate(value)]
        if isinstance(value, float) and not math.isfinite(value):
            found.append((parts, f"{value} is not a JSON number; expected a finite number"))
            return None
        if isinstance(value, _LongInteger):
            found.append((parts, f"an integer of more than {model_json.MAX_INTEGER_DIGITS} digits"))
            return None
        if value is None or isinstance(value, str | int | float | bool):
            return value
        found.append((parts, f"a YAML value JSON cannot hold ({type(value).__name__})"))
        return None

    converted = convert(root, ())
    if found:
        raise _Problems(found)
    return converted


def read_document(path: Path, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """The document in `path` (JSON, or YAML where the name says so or the text is not JSON),
    or the problems that stop it being read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Diagnostic(display, "", f"{size} bytes; at most {MAX_BYTES} are read")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(display, "", f"cannot read the file: {error.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [
            Diagnostic(display, "", f"not UTF-8 text (byte {error.start}): {error.reason}")
        ]
    if path.suffix.lower() in {".yaml", ".yml"} or not text.lstrip().startswith(("{", "[")):
        return _read_yaml(path, display, text)
    content, json_problems = model_json.parse(text)
    if json_problems:
        return None, [
            Diagnostic(display, json_pointer(*problem.parts), problem.message, problem.line)
            for problem in json_problems
        ]
    return Document(path, display, content), []


def _read_yaml(path: Path, display: str, text: str) -> tuple[Document | None, list[Diagnostic]]:
    try:
        loaded: Any = yaml.load(text, Loader=_Core12Loader)  # a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        column = f" at column {mark.column + 1}" if mark is not None else ""
        return None, [Diagnostic(display, "", f"invalid YAML{column}: {error.problem}", line)]
    except yaml.YAMLError as error:
        return None, [Diagnostic(display, "", f"invalid YAML: {error}")]
    except RecursionError:
        return None, [Diagnostic(display, "", "YAML nests too deeply to read")]
    try:
        content = _as_json(loaded)
    except _TooLarge:
        return None, [
            Diagnostic(display, "", f"more than {MAX_NODES} values once YAML aliases are expanded")
        ]
    except _Problems as problems:
        return None, [
            Diagnostic(display, json_pointer(*parts), message) for parts, message in problems.found
        ]
    except RecursionError:
        return None, [Diagnostic(display, "", "YAML nests too deeply to read")]
    return Document(path, display, content), []
