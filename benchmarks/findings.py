"""Turn each library's report into the same form: a list of (dotted path, kind) findings.

Kinds: required, type, unknown_member, length, pattern, range, enum, other. Paths are dotted with
list indexes in brackets, as the generated validator writes them (`AuditImages[1].S3Object.Bucket`,
"" for the root). These functions only read attributes of the libraries' error objects, so they
import nothing from them; they run once per payload, never inside a timed loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from benchmarks.payloads import Finding

_JSON_SCHEMA_KINDS = {
    "required": "required",
    "type": "type",
    "additionalproperties": "unknown_member",
    "minlength": "length",
    "maxlength": "length",
    "pattern": "pattern",
    "minimum": "range",
    "maximum": "range",
    "exclusiveminimum": "range",
    "exclusivemaximum": "range",
    "enum": "enum",
}
_PYDANTIC_KINDS = {
    "missing": "required",
    "extra_forbidden": "unknown_member",
    "string_too_short": "length",
    "string_too_long": "length",
    "bytes_too_short": "length",
    "bytes_too_long": "length",
    "too_short": "length",
    "too_long": "length",
    "string_pattern_mismatch": "pattern",
    "greater_than_equal": "range",
    "less_than_equal": "range",
    "greater_than": "range",
    "less_than": "range",
    "literal_error": "enum",
    "enum": "enum",
}
_BOTOCORE_KINDS = {
    "missing required field": "required",
    "unknown field": "unknown_member",
    "invalid type": "type",
    "invalid length": "length",
    "invalid range": "range",
    "invalid enum": "enum",
}
_MSGSPEC_MESSAGE = re.compile(r"^(?P<text>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_MSGSPEC_FIELD = re.compile(r"field `(?P<field>[^`]+)`")


def dotted(parts: Iterable[object]) -> str:
    """`["AuditImages", 1, "S3Object"]` (or `"1"`) -> `AuditImages[1].S3Object`."""
    text = ""
    for part in parts:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _child(parent: Sequence[object], name: object) -> str:
    return dotted([*parent, name])


def generated(outcome: object) -> list[Finding]:
    """The generated validator (and the hand-written one): a list with `path` and `constraint`."""
    if not isinstance(outcome, list):
        return [("", "other")]
    return [(item.path, item.constraint) for item in outcome]


def _json_schema_error(
    keyword: str, path: Sequence[object], instance: object, keyword_value: object, schema: Any
) -> list[Finding]:
    kind = _JSON_SCHEMA_KINDS.get(keyword.lower(), "other")
    if kind == "required" and isinstance(instance, dict) and isinstance(keyword_value, list):
        return [(_child(path, name), kind) for name in keyword_value if name not in instance]
    if kind == "unknown_member" and isinstance(instance, dict) and isinstance(schema, dict):
        known = schema.get("properties", {})
        return [(_child(path, key), kind) for key in instance if key not in known]
    return [(dotted(path), kind)]


def jsonschema(outcome: object) -> list[Finding]:
    """`list(Draft202012Validator.iter_errors(...))`."""
    if not isinstance(outcome, list):
        return [("", "other")]
    found: list[Finding] = []
    for error in outcome:
        found += _json_schema_error(
            str(error.validator),
            list(error.absolute_path),
            error.instance,
            error.validator_value,
            error.schema,
        )
    return _unique(found)


def jsonschema_rs(outcome: object) -> list[Finding]:
    """`list(validator.iter_errors(...))`; a kind is a `ValidationErrorKind.<Keyword>` object."""
    if isinstance(outcome, bool):
        return [] if outcome else [("", "other")]
    if not isinstance(outcome, list):
        return [("", "other")]
    found: list[Finding] = []
    for error in outcome:
        kind = type(error.kind).__name__.lower()
        path = list(error.instance_path)
        if kind == "required":
            found.append((_child(path, error.kind.property), "required"))
        elif kind == "additionalproperties":
            found += [(_child(path, key), "unknown_member") for key in error.kind.unexpected]
        else:
            found.append((dotted(path), _JSON_SCHEMA_KINDS.get(kind, "other")))
    return _unique(found)


def fastjsonschema(outcome: object) -> list[Finding]:
    """A `JsonSchemaValueException` for the first error; its path starts with "data"."""
    if not isinstance(outcome, BaseException):
        return []
    path = list(getattr(outcome, "path", ["data"]))[1:]
    rule = str(getattr(outcome, "rule", "") or "")
    definition = getattr(outcome, "definition", {}) or {}
    keyword_value = definition.get(rule) if isinstance(definition, dict) else None
    return _json_schema_error(
        rule, path, getattr(outcome, "value", None), keyword_value, definition
    )


def pydantic(outcome: object) -> list[Finding]:
    """A `pydantic.ValidationError`, whose `errors()` list every field that failed."""
    if not isinstance(outcome, BaseException):
        return []
    errors = getattr(outcome, "errors", None)
    if errors is None:  # not a ValidationError: a crash is not an acceptance
        return [("", f"other: {type(outcome).__name__}")]
    found: list[Finding] = []
    for error in errors():
        kind = _PYDANTIC_KINDS.get(error["type"])
        if kind is None:
            kind = "type" if error["type"].endswith("_type") else "other"
        found.append((dotted(error["loc"]), kind))
    return found


def msgspec(outcome: object) -> list[Finding]:
    """A `msgspec.ValidationError` for the first error: `<message> - at `$.Path``."""
    if not isinstance(outcome, BaseException):
        return []
    match = _MSGSPEC_MESSAGE.match(str(outcome))
    text = match["text"] if match else str(outcome)
    path = (match["path"] or "") if match else ""
    path = path.removeprefix(".")
    field = _MSGSPEC_FIELD.search(text)
    if text.startswith("Object missing required field") and field:
        return [(_join(path, field["field"]), "required")]
    if text.startswith("Object contains unknown field") and field:
        return [(_join(path, field["field"]), "unknown_member")]
    if "of length" in text:
        return [(path, "length")]
    if "matching regex" in text:
        return [(path, "pattern")]
    if re.search(r"` [<>]=? ", text):
        return [(path, "range")]
    if text.startswith("Invalid enum value"):
        return [(path, "enum")]
    if text.startswith("Expected"):
        return [(path, "type")]
    return [(path, "other")]


def botocore(outcome: object) -> list[Finding]:
    """botocore's `ValidationErrors` report; its (private) `_errors` holds one tuple per error."""
    errors = getattr(outcome, "_errors", None)
    if errors is None:
        has_errors = getattr(outcome, "has_errors", None)
        return [("", "other")] if has_errors is not None and has_errors() else []
    found: list[Finding] = []
    for error_type, name, details in errors:
        path = str(name).removeprefix(".")
        kind = _BOTOCORE_KINDS.get(error_type, "other")
        if kind == "required":
            path = _join(path, details["required_name"])
        elif kind == "unknown_member":
            path = _join(path, details["unknown_param"])
        found.append((path, kind))
    return found


def _join(parent: str, member: str) -> str:
    return f"{parent}.{member}" if parent else member


def _unique(found: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(found))


def matched(expected: Sequence[Finding], found: Sequence[Finding]) -> int:
    """How many of the expected violations were reported, at the right path with the right kind."""
    reported = set(found)
    return sum(1 for finding in expected if finding in reported)


def caught(expected: Finding, found: Sequence[Finding]) -> bool:
    """Whether a probe's one violation was reported at its path (of any kind: libraries differ
    in how they name a null or a wrong type)."""
    return any(path == expected[0] for path, _ in found)
