"""shapesmith's own traits: JSON Schema constraints Smithy has no trait for, so that a model
translated from OpenAPI keeps them (and a hand-written Smithy model may use them too).

- `shapesmith.api#exclusiveRange` `{min?, max?}` on a number: the value is above `min` and
  below `max` (JSON Schema's `exclusiveMinimum`/`exclusiveMaximum`); beside `@range`, the
  tighter bound of the two applies.
- `shapesmith.api#multipleOf` (a number above 0) on a number: the value divided by it is whole.
- `shapesmith.api#open` on a structure: keys it has no member for are accepted, not reported
  (JSON Schema's objects without `additionalProperties: false`); they are not kept.
- `shapesmith.api#httpCookie` (a cookie name) on a member of an operation's input: the member
  travels as that cookie of the request's `Cookie` header (OpenAPI's `in: cookie` parameters),
  its value percent-encoded where RFC 6265 does not allow a character; an HTTP binding trait
  like `@httpHeader`, checked with them (`http_checks`).
- `shapesmith.api#httpStyle` `{style, explode, name?}` on a member bound by `@httpLabel`,
  `@httpQuery`, `@httpHeader` or `shapesmith.api#httpCookie`: the member travels in OpenAPI's
  parameter `style` (RFC 6570's forms): a label `simple`, `label` or `matrix` (`name` the
  parameter's, which `matrix` writes), a query parameter `form`, `spaceDelimited` or
  `pipeDelimited` in one key (`explode: false`) or a map in `deepObject` (`name[key]=value`),
  a header `simple`, a cookie `form` (exploded: a cookie per item, or per property named by
  it). With it, a label may be a list, and a label, query parameter, header or cookie a
  structure of simple members or a map of simple values (`k,v,...`, exploded `k=v`); checked
  with the bindings (`http_checks`).
- `shapesmith.api#apiKeys` `{<name>: {name, in, scheme?}}` on a service: several API keys,
  each as `@httpApiKeyAuth` says one (OpenAPI's `apiKey` security schemes, by their names).
- `shapesmith.api#authRequirements` `[[scheme, ...], ...]` on a service or an operation: the
  credentials a call needs, as OpenAPI's `security` says them: any one requirement suffices,
  and a requirement needs every scheme it lists (`[]`, or no requirement at all: none). A scheme is an auth trait id, or
  `shapesmith.api#apiKeys/<name>` for one of the API keys; where both are present it wins
  over `@auth` (`auth_schemes`).
- `shapesmith.api#errorsByStatus` (`{}`) on a service: an operation's errors say the body of
  every error answer it gives, its stub's own refusals included (a request that breaks the
  model, bad credentials): the error of that status, else the one without `@httpError`
  (OpenAPI's responses by status and `default`).
- `shapesmith.api#nullable` on a structure member: an explicit null is its value (OpenAPI's
  `nullable: true`, JSON Schema's `"null"` type), not a stray; a nullable required member must
  be there, and may be null.
- `shapesmith.api#extraProperties` on a structure member targeting a map: the member holds
  the object's properties no other member names (JSON Schema's `additionalProperties` beside
  `properties`), flattened into the object on the wire, each checked as the map's value.
- `shapesmith.api#alternatives` `{match, propertyName?, mapping?}` on a union: JSON Schema's
  `oneOf` (`match: "oneOf"`, exactly one member's checks pass) or `anyOf` (at least one). The
  value is the member's value itself, not an object naming the member; with `propertyName`
  (OpenAPI's `discriminator`) that property of an object value is the tag, and `mapping` maps
  each tag to its member; without it, or for a tag it does not map, the member is the first
  whose checks pass. A member may be a timestamp or a blob (its JSON: the member's
  `@timestampFormat` form, base64), nothing deeper; a value no member matches is kept as its
  JSON (the class's `unmatched`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeGuard

from generator import naming

API_KEYS = "shapesmith.api#apiKeys"
AUTH_REQUIREMENTS = "shapesmith.api#authRequirements"
ERRORS_BY_STATUS = "shapesmith.api#errorsByStatus"
EXCLUSIVE_RANGE = "shapesmith.api#exclusiveRange"
HTTP_COOKIE = "shapesmith.api#httpCookie"
HTTP_STYLE = "shapesmith.api#httpStyle"
MULTIPLE_OF = "shapesmith.api#multipleOf"
NULLABLE = "shapesmith.api#nullable"
OPEN = "shapesmith.api#open"
ALTERNATIVES = "shapesmith.api#alternatives"
EXTRA_PROPERTIES = "shapesmith.api#extraProperties"

Report = Callable[[tuple[str | int, ...], str], None]


def _is_finite_number(value: object) -> TypeGuard[int | float]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def check(
    target_type: str,
    traits: dict[str, Any],
    parts: tuple[str | int, ...],
    report: Report,
    *,
    is_member: bool,
    is_number: bool,
) -> None:
    """Report each misuse of shapesmith's traits in `traits` (at `parts`), which apply to a
    shape (or a member targeting one) of `target_type`, a number type if `is_number`."""
    for trait in (EXCLUSIVE_RANGE, MULTIPLE_OF):
        if trait in traits and not is_number:
            name = trait.partition("#")[2]
            report(
                (*parts, trait), f"{name} applies to numbers, not to {naming.article(target_type)}"
            )
    bounds = traits.get(EXCLUSIVE_RANGE)
    if bounds is not None:
        if not isinstance(bounds, dict) or set(bounds) - {"min", "max"}:
            report((*parts, EXCLUSIVE_RANGE), "expected an object with `min` and/or `max`")
        else:
            for key, value in bounds.items():
                if not _is_finite_number(value):
                    report((*parts, EXCLUSIVE_RANGE, key), "expected a finite number")
            low, high = bounds.get("min"), bounds.get("max")
            if _is_finite_number(low) and _is_finite_number(high) and low >= high:
                report(
                    (*parts, EXCLUSIVE_RANGE, "min"), f"no value is above {low} and below {high}"
                )
    divisor = traits.get(MULTIPLE_OF)
    if divisor is not None and not (_is_finite_number(divisor) and divisor > 0):
        report((*parts, MULTIPLE_OF), "expected a finite number above 0")
    if OPEN in traits and (is_member or target_type != "structure" or traits[OPEN] != {}):
        report((*parts, OPEN), "open applies to structures, as {}")
    if ERRORS_BY_STATUS in traits and (
        is_member or target_type != "service" or traits[ERRORS_BY_STATUS] != {}
    ):
        report((*parts, ERRORS_BY_STATUS), "errorsByStatus applies to services, as {}")
    if API_KEYS in traits and (
        is_member or target_type != "service" or not _is_object_of_objects(traits[API_KEYS])
    ):
        report((*parts, API_KEYS), "apiKeys applies to services, as an object of API keys")
    if AUTH_REQUIREMENTS in traits and (
        is_member
        or target_type not in ("service", "operation")
        or not _is_list_of_string_lists(traits[AUTH_REQUIREMENTS])
    ):
        report(
            (*parts, AUTH_REQUIREMENTS),
            "authRequirements applies to services and operations, as a list of lists of "
            "scheme names",
        )
    if NULLABLE in traits:
        if not is_member:
            report((*parts, NULLABLE), "nullable applies to structure members, not to shapes")
        elif traits[NULLABLE] != {}:
            report((*parts, NULLABLE), "expected {}")
    if EXTRA_PROPERTIES in traits and (
        not is_member or target_type != "map" or traits[EXTRA_PROPERTIES] != {}
    ):
        report(
            (*parts, EXTRA_PROPERTIES), "extraProperties applies to members targeting maps, as {}"
        )
    if ALTERNATIVES in traits:
        _check_alternatives(traits[ALTERNATIVES], (*parts, ALTERNATIVES), report, target_type)


def _is_object_of_objects(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(item, dict) for item in value.values())


def _is_list_of_string_lists(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, list) and all(isinstance(name, str) for name in item) for item in value
    )


def _check_alternatives(
    value: object, parts: tuple[str | int, ...], report: Report, target_type: str
) -> None:
    if target_type != "union":
        report(parts, "alternatives applies to unions")
        return
    if not isinstance(value, dict) or set(value) - {"match", "propertyName", "mapping"}:
        report(parts, "expected an object with `match`, `propertyName` and `mapping`")
        return
    if value.get("match") not in ("oneOf", "anyOf"):
        report((*parts, "match"), 'expected "oneOf" or "anyOf"')
    if "propertyName" in value and not isinstance(value["propertyName"], str):
        report((*parts, "propertyName"), "expected a string")
    mapping = value.get("mapping", {})
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        report((*parts, "mapping"), "expected an object of member names")
    elif mapping and "propertyName" not in value:
        report((*parts, "mapping"), "a mapping needs its `propertyName`")
