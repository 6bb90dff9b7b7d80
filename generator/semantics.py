"""Checks of meaning on an assembled model: the things a JSON Schema cannot say.

Every check appends to one list, so a user sees every problem of a model in one run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from generator import (
    collection_nesting,
    ecma_regex,
    extension_traits,
    http_checks,
    kinds,
    naming,
    required_cycles,
)
from generator.diagnostics import Diagnostic, ShapesmithError, Warnings, json_pointer
from generator.loader import AssembledModel, JsonObject, SourcedShape

# An enum is a string in Smithy 2.0 (the `string` selector matches it): map keys and resource
# identifiers may be enums.
_STRINGS = {"string", "enum"}
_NOT_MEMBER_TARGETS = {"operation", "service", "resource"}
# What an `@awsQueryError` code may hold: it travels in a header as `<code>;<Sender|Receiver>`.
_QUERY_CODE = re.compile(r"[!-:<-~]+")
_RESOURCE_LIFECYCLE = ("create", "put", "read", "update", "delete", "list")


def check_model(model: AssembledModel, warnings: Warnings | None = None) -> None:
    """Raise ShapesmithError with every semantic problem of the model, or return quietly,
    having added to `warnings` what the output will leave out."""
    warnings = warnings if warnings is not None else Warnings()
    problems: list[Diagnostic] = []
    for shape_id in sorted(model.shapes):
        _check_shape(model, shape_id, model.shapes[shape_id], problems)
    problems.extend(collection_nesting.problems(model))
    problems.extend(http_checks.problems(model))
    problems.extend(required_cycles.problems(model))
    if problems:
        raise ShapesmithError(problems)


def _members(shape: SourcedShape) -> Iterator[tuple[tuple[str, ...], JsonObject]]:
    """Each member of a shape with its pointer parts relative to the shape."""
    data = shape.data
    for key in ("member", "key", "value"):
        if key in data:
            yield (key,), data[key]
    for name, member in data.get("members", {}).items():
        yield ("members", name), member


def _check_shape(
    model: AssembledModel, shape_id: str, shape: SourcedShape, problems: list[Diagnostic]
) -> None:
    file = shape.file
    base = ("shapes", shape_id)

    def report(parts: tuple[str | int, ...], message: str) -> None:
        problems.append(Diagnostic(file, json_pointer(*base, *parts), message))

    def target_of(
        parts: tuple[str | int, ...], target: str, allowed: set[str] | None = None, what: str = ""
    ) -> SourcedShape | None:
        found = model.shapes.get(target)
        if found is None:
            report((*parts, "target"), f"targets {target}, which is not defined in the model")
            return None
        if allowed is not None and found.type not in allowed:
            report(
                (*parts, "target"),
                f"targets {target}, {naming.article(found.type)}; expected {what}",
            )
            return None
        return found

    _check_traits(shape.type, shape.traits, ("traits",), report)

    if shape.type in {"structure", "union", "list", "map"}:
        for parts, member in _members(shape):
            target = target_of(parts, member["target"])
            if target is None:
                continue
            if target.type in _NOT_MEMBER_TARGETS:
                report((*parts, "target"), f"a member cannot target {naming.article(target.type)}")
                continue
            if parts == ("key",) and target.type not in _STRINGS:
                report(
                    (*parts, "target"),
                    f"map keys must be strings, found {naming.article(target.type)}",
                )
            traits = member.get("traits", {})
            _check_traits(target.type, traits, (*parts, "traits"), report)
            if "smithy.api#default" in traits:
                _check_default(
                    target,
                    traits["smithy.api#default"],
                    {**target.traits, **traits},
                    (*parts, "traits", "smithy.api#default"),
                    report,
                )
            elif "smithy.api#default" in target.traits and traits:
                # The member inherits its target's default, and may constrain it further.
                found = kinds.default_problem(
                    target.type,
                    target.traits["smithy.api#default"],
                    {**target.traits, **traits},
                    _enum_values(target),
                )
                if found is not None:
                    report((*parts, "traits"), f"{found} (the default of {member['target']})")
        names = [(name, naming.attribute_name(name)) for name in shape.data.get("members", {})]
        for problem in naming.find_collisions(
            names, what="members", file=file, pointer=json_pointer(*base, "members")
        ):
            problems.append(problem)
        if shape.type == "union" and not shape.data.get("members"):
            report(("members",), "a union needs at least one member")
        if shape.type == "union" and extension_traits.ALTERNATIVES in shape.traits:
            found = _not_its_own_json(model, shape_id)
            if found is not None:
                report(("traits", extension_traits.ALTERNATIVES), found)
            mapping = shape.traits[extension_traits.ALTERNATIVES]
            mapping = mapping.get("mapping") if isinstance(mapping, dict) else None
            for tag, name in mapping.items() if isinstance(mapping, dict) else ():
                if name not in shape.data.get("members", {}):
                    where = ("traits", extension_traits.ALTERNATIVES, "mapping", tag)
                    report(where, f"the tag {tag!r} maps {name!r}, which is not a member")

    elif shape.type in {"enum", "intEnum"}:
        _check_enum(shape, report, problems, file, base)

    elif shape.type == "operation":
        for key in ("input", "output"):
            if key in shape.data:
                target = target_of((key,), shape.data[key]["target"], {"structure"}, "a structure")
                if target is not None and "smithy.api#error" in target.traits:
                    report(
                        (key, "target"), f"the {key} of an operation cannot be an error structure"
                    )
        for index, reference in enumerate(shape.data.get("errors", [])):
            target = target_of(
                ("errors", index), reference["target"], {"structure"}, "a structure with @error"
            )
            if target is not None and "smithy.api#error" not in target.traits:
                report(
                    ("errors", index, "target"),
                    f"{reference['target']} is listed as an error but has no @error trait",
                )

    elif shape.type == "service":
        for index, reference in enumerate(shape.data.get("operations", [])):
            target_of(("operations", index), reference["target"], {"operation"}, "an operation")
        for index, reference in enumerate(shape.data.get("resources", [])):
            target_of(("resources", index), reference["target"], {"resource"}, "a resource")
        for index, reference in enumerate(shape.data.get("errors", [])):
            target = target_of(
                ("errors", index), reference["target"], {"structure"}, "a structure with @error"
            )
            if target is not None and "smithy.api#error" not in target.traits:
                report(
                    ("errors", index, "target"),
                    f"{reference['target']} is listed as an error but has no @error trait",
                )

    elif shape.type == "resource":
        for key in _RESOURCE_LIFECYCLE:
            if key in shape.data:
                target_of((key,), shape.data[key]["target"], {"operation"}, "an operation")
        for key in ("operations", "collectionOperations"):
            for index, reference in enumerate(shape.data.get(key, [])):
                target_of((key, index), reference["target"], {"operation"}, "an operation")
        for index, reference in enumerate(shape.data.get("resources", [])):
            target_of(("resources", index), reference["target"], {"resource"}, "a resource")
        for name, reference in shape.data.get("identifiers", {}).items():
            target_of(("identifiers", name), reference["target"], _STRINGS, "a string")

    if "aws.protocols#awsQueryError" in shape.traits and not (
        shape.type == "structure" and "smithy.api#error" in shape.traits
    ):
        report(
            ("traits", "aws.protocols#awsQueryError"),
            "@awsQueryError applies to structures with @error, not to "
            + (
                "a structure without it"
                if shape.type == "structure"
                else naming.article(shape.type)
            ),
        )

    query_code = shape.traits.get("aws.protocols#awsQueryError", {}).get("code")
    if isinstance(query_code, str) and not _QUERY_CODE.fullmatch(query_code):
        report(
            ("traits", "aws.protocols#awsQueryError", "code"),
            f"{_shown(query_code)} cannot be sent in the x-amzn-query-error header "
            "(<code>;<Sender|Receiver>): use visible ASCII characters other than ';'",
        )

    if "aws.protocols#awsQueryCompatible" in shape.traits and shape.type != "service":
        report(
            ("traits", "aws.protocols#awsQueryCompatible"),
            f"@awsQueryCompatible applies to services, not to {naming.article(shape.type)}",
        )

    if "smithy.api#default" in shape.traits and shape.type not in _NOT_MEMBER_TARGETS:
        _check_default(
            shape,
            shape.traits["smithy.api#default"],
            shape.traits,
            ("traits", "smithy.api#default"),
            report,
        )


_NOT_JSON = frozenset({"blob", "timestamp", "bigDecimal", "bigInteger"})


_CONVERTED_MEMBERS = frozenset({"blob", "timestamp"})
"""What a member of an alternatives union, or a member of a structure it holds, may target
though JSON carries it in another form: the union converts it to its JSON and back
(`kinds.Kind.alternative_write`, `ir.StructureShape.json_forms`)."""


def _not_its_own_json(model: AssembledModel, shape_id: str) -> str | None:
    """Why a union with `shapesmith.api#alternatives` cannot be read as its own JSON (a value
    its members reach, below the members themselves, that JSON does not carry as it is, or a
    `@jsonName`); None if it can."""
    seen = {shape_id}
    waiting: list[str] = []
    for parts, member in _members(model.shapes[shape_id]):
        target = model.shapes.get(member["target"])
        if target is not None and target.type in _CONVERTED_MEMBERS:
            continue
        if "smithy.api#jsonName" in member.get("traits", {}):
            return f"alternatives need members JSON carries as they are; {shape_id} renames {parts[-1]}"
        if target is not None and target.type == "structure":
            # A structure member converts its own timestamps and bytes too
            # (`ir.StructureShape.json_forms`); what they hold is looked at below.
            for inner_parts, inner in _members(target):
                if "smithy.api#jsonName" in inner.get("traits", {}):
                    return (
                        "alternatives need members JSON carries as they are; "
                        f"{member['target']} renames {inner_parts[-1]}"
                    )
                found = model.shapes.get(inner["target"])
                if found is None or found.type not in _CONVERTED_MEMBERS:
                    waiting.append(inner["target"])
            continue
        waiting.append(member["target"])
    while waiting:
        current = waiting.pop()
        shape = model.shapes.get(current)
        if current in seen or shape is None:
            continue
        seen.add(current)
        if shape.type in _NOT_JSON:
            return (
                f"alternatives need members JSON carries as they are; {current} is a {shape.type}"
            )
        for parts, member in (
            _members(shape) if shape.type in {"structure", "union", "list", "map"} else ()
        ):
            if "smithy.api#jsonName" in member.get("traits", {}):
                return f"alternatives need members JSON carries as they are; {current} renames {parts[-1]}"
            waiting.append(member["target"])
    return None


def _check_traits(
    target_type: str, traits: JsonObject, parts: tuple[str | int, ...], report: Any
) -> None:
    kind = kinds.by_type(target_type)
    extension_traits.check(
        target_type,
        traits,
        parts,
        report,
        is_member="members" in parts,
        is_number=kind.takes_range,
    )
    length = traits.get("smithy.api#length")
    if length is not None:
        if kind.length_unit is None:
            report(
                (*parts, "smithy.api#length"),
                f"@length applies to strings, blobs, lists and maps, not to {naming.article(target_type)}",
            )
        low, high = length.get("min"), length.get("max")
        if low is not None and high is not None and low > high:
            report((*parts, "smithy.api#length", "min"), f"min {low} is greater than max {high}")
    value_range = traits.get("smithy.api#range")
    if value_range is not None:
        if not kind.takes_range:
            report(
                (*parts, "smithy.api#range"),
                f"@range applies to numbers, not to {naming.article(target_type)}",
            )
        low, high = value_range.get("min"), value_range.get("max")
        if low is not None and high is not None and low > high:
            report((*parts, "smithy.api#range", "min"), f"min {low} is greater than max {high}")
        for bound in ("min", "max"):
            value = value_range.get(bound)
            if isinstance(value, float) and not math.isfinite(value):
                report((*parts, "smithy.api#range", bound), "expected a finite number")
            elif kind.is_binary_float and not _fits_a_double(value):
                report(
                    (*parts, "smithy.api#range", bound),
                    f"{bound} is beyond the range of {naming.article(target_type)}",
                )
    pattern = traits.get("smithy.api#pattern")
    if pattern is not None:
        if not kind.takes_pattern:
            report(
                (*parts, "smithy.api#pattern"),
                f"@pattern applies to strings, not to {naming.article(target_type)}",
            )
        try:
            ecma_regex.translate(pattern)
        except ecma_regex.InvalidPattern as error:
            report(
                (*parts, "smithy.api#pattern"),
                f"{_shown(pattern)} is a regular expression in neither ECMA 262 nor Java: {error}",
            )
        except ecma_regex.PatternError:
            pass  # valid, but not translatable: `build` warns about it where it is used
    if "smithy.api#uniqueItems" in traits and not kind.takes_unique_items:
        report(
            (*parts, "smithy.api#uniqueItems"),
            f"@uniqueItems applies to lists, not to {naming.article(target_type)}",
        )
    if "smithy.api#sparse" in traits and not kind.takes_sparse:
        report(
            (*parts, "smithy.api#sparse"),
            f"@sparse applies to lists and maps, not to {naming.article(target_type)}",
        )
    if "smithy.api#timestampFormat" in traits and not kind.takes_timestamp_format:
        report(
            (*parts, "smithy.api#timestampFormat"),
            f"@timestampFormat applies to timestamps, not to {naming.article(target_type)}",
        )
    enum_trait = traits.get("smithy.api#enum")
    if enum_trait is not None:
        if not kind.takes_enum_trait:
            report(
                (*parts, "smithy.api#enum"),
                f"@enum applies to strings, not to {naming.article(target_type)}",
            )
        seen_values: set[str] = set()
        seen_names: dict[str, str] = {}
        for index, entry in enumerate(enum_trait):
            if entry["value"] in seen_values:
                report(
                    (*parts, "smithy.api#enum", index, "value"),
                    f"duplicate enum value {entry['value']!r}",
                )
            seen_values.add(entry["value"])
            python = (
                naming.enum_member_name(entry["name"])
                if "name" in entry
                else naming.enum_member_name_from_value(entry["value"])
            )
            earlier = seen_names.setdefault(python, entry["value"])
            if earlier != entry["value"]:
                report(
                    (*parts, "smithy.api#enum", index),
                    f"enum values {earlier!r} and {entry['value']!r} both become the Python name {python!r}",
                )


def _check_enum(
    shape: SourcedShape, report: Any, problems: list[Diagnostic], file: str, base: tuple[str, str]
) -> None:
    members = shape.data.get("members", {})
    if not members:
        report(("members",), f"{naming.article(shape.type)} needs at least one member")
    seen: dict[object, str] = {}
    for name, member in members.items():
        parts = ("members", name)
        if member["target"] != "smithy.api#Unit":
            report(
                (*parts, "target"),
                f"enum members must target smithy.api#Unit, found {member['target']}",
            )
        traits = member.get("traits", {})
        value = traits.get("smithy.api#enumValue", name if shape.type == "enum" else None)
        if shape.type == "enum" and not isinstance(value, str):
            report(
                (*parts, "traits", "smithy.api#enumValue"),
                f"expected a string value, found {value!r}",
            )
            continue
        if shape.type == "intEnum" and (not isinstance(value, int) or isinstance(value, bool)):
            report(
                (*parts, "traits", "smithy.api#enumValue"),
                f"an intEnum member needs an integer @enumValue, found {value!r}",
            )
            continue
        width = kinds.integers.INT32
        if shape.type == "intEnum" and not width[0] <= value <= width[1]:
            report(
                (*parts, "traits", "smithy.api#enumValue"),
                f"intEnum values are 32-bit integers ({width[0]}..{width[1]}), found {value}",
            )
        if shape.type == "enum" and value == "":
            report((*parts, "traits", "smithy.api#enumValue"), "enum values must not be empty")
        if value in seen:
            report(
                (*parts, "traits", "smithy.api#enumValue"),
                f"duplicate enum value {value!r} (also used by {seen[value]})",
            )
        else:
            seen[value] = name
    names = [(name, naming.enum_member_name(name)) for name in members]
    problems.extend(
        naming.find_collisions(
            names, what="enum members", file=file, pointer=json_pointer(*base, "members")
        )
    )


def _check_default(
    target: SourcedShape,
    value: object,
    traits: JsonObject,
    parts: tuple[str | int, ...],
    report: Any,
) -> None:
    """`traits` are the effective ones: the member's over its target's."""
    found = kinds.default_problem(target.type, value, traits, _enum_values(target))
    if found is not None:
        report(parts, found)


def _enum_values(shape: SourcedShape) -> list[object]:
    if shape.type in {"enum", "intEnum"}:
        return [
            member.get("traits", {}).get(
                "smithy.api#enumValue", name if shape.type == "enum" else None
            )
            for name, member in shape.data.get("members", {}).items()
        ]
    return [entry.get("value") for entry in shape.traits.get("smithy.api#enum", [])]


def _fits_a_double(value: object) -> bool:
    """Whether a number (or None) has a finite double near it: generated code compares floats."""
    if not isinstance(value, int) or isinstance(value, bool):
        return True
    try:
        float(value)
    except OverflowError:
        return False
    return True


def _shown(text: str) -> str:
    """`text` quoted, shortened when it is too long to read in a diagnostic."""
    return repr(text) if len(text) <= 80 else f"{text[:60]!r}... ({len(text)} characters)"
