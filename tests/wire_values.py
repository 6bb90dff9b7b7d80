"""Seeded random inputs for wire agreement with botocore, made from botocore's own shape model of
a service and kept within what the Smithy model the package was generated from allows.

botocore's model may be newer than the Smithy one: members and operations the Smithy model lacks
are left out, bounds, enums and patterns are the stricter of the two (the strict stub checks the
Smithy ones). Used by the AWS JSON comparison (`wire_agreement`) and the restJson1 one
(`restjson_agreement`).
"""

from __future__ import annotations

import datetime
import functools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_NOT_IN_SMITHY = object()
"""The "default" of a member botocore's (newer) model has and the Smithy model lacks."""


@dataclass(frozen=True)
class SmithyFacts:
    """What the cases need to know of the Smithy model the package was generated from."""

    sdk_id: str
    target_prefix: str
    defaults: dict[tuple[str, str], object]
    """(structure name, member name) -> the member's @default or None; (name, "") marks that a
    shape of that name exists."""
    required: frozenset[tuple[str, str]]
    """(structure name, member name) of each @required member: botocore's newer model may
    have made it optional, and a value is always made for it."""
    bounds: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Shape name -> the (min, max) of its Smithy @range or @length: botocore's newer model may
    allow more than the stub (strict) accepts."""
    enum_values: dict[str, frozenset[str]] = field(default_factory=dict)
    """Enum shape name -> the values the Smithy model lists: botocore's newer model may list
    more, which the stub (strict) rightly refuses."""
    member_bounds: dict[tuple[str, str], tuple[Any, Any]] = field(default_factory=dict)
    """(structure name, member name) -> the (min, max) of the member's @range or @length, its
    own or its target's: botocore's newer model may target another shape (Pricing's MaxResults,
    1..100 in Smithy, targets `GetAttributeValuesMaxResults`, 1..10000, in botocore)."""
    member_patterns: dict[tuple[str, str], str] = field(default_factory=dict)
    """(structure name, member name) -> the member's @pattern, its own or its target's (Support's
    `serviceCode` has one in Smithy, none in botocore's newer model)."""
    member_kinds: dict[tuple[str, str], str] = field(default_factory=dict)
    """(structure name, member name) -> "list", "map", "structure" or "scalar": what the Smithy
    model's member holds. botocore's newer model may have changed it (Health's `EntityFilter.tags`
    went from a list of maps to a map); such a member is left out of the cases."""
    tokens: frozenset[tuple[str, str]] = frozenset()
    """(structure name, member name) of each @idempotencyToken member: botocore's model may mark
    one the Smithy model does not (Backup's `CreateBackupVaultInput.CreatorRequestId`)."""
    http_uris: dict[str, str] = field(default_factory=dict)
    """Operation name -> its `@http` URI pattern (restJson1): botocore's `requestUri` may differ
    (EFS's `DescribeTags` ends in `/` in botocore's model only)."""
    unions: frozenset[str] = frozenset()
    """Names of the Smithy model's unions: botocore's model may have one as a plain structure
    (IoT's `AssetPropertyVariant`), whose value still holds exactly one member."""
    targets: dict[tuple[str, str], str] = field(default_factory=dict)
    """(shape name, member name) -> the name of the shape the member targets (a list's `member`,
    a map's `key` and `value` too): botocore's model may name a shape otherwise (Deadline's
    `JobDetailsEntity.jobAttachmentSettings` targets `JobDetailsJobAttachmentSettings` in
    botocore, `JobAttachmentSettings` in Smithy), so the Smithy facts of a nested shape are
    found through its member, not by botocore's name."""

    @classmethod
    def read(cls, model_path: Path) -> SmithyFacts:
        shapes = json.loads(model_path.read_text("utf-8"))["shapes"]
        service_id, service = next((k, v) for k, v in shapes.items() if v["type"] == "service")
        defaults: dict[tuple[str, str], object] = {
            (shape_id.split("#")[1], ""): None for shape_id in shapes
        }
        required: set[tuple[str, str]] = set()
        tokens: set[tuple[str, str]] = set()
        member_bounds: dict[tuple[str, str], tuple[Any, Any]] = {}
        member_patterns: dict[tuple[str, str], str] = {}
        member_kinds: dict[tuple[str, str], str] = {}
        targets: dict[tuple[str, str], str] = {}
        for shape_id, shape in shapes.items():
            for name in ("member", "key", "value"):
                if name in shape:  # a list's or a map's
                    targets[(shape_id.split("#")[1], name)] = shape[name]["target"].split("#")[1]
            for name, member in shape.get("members", {}).items():
                key = (shape_id.split("#")[1], name)
                targets[key] = member["target"].split("#")[1]
                traits = member.get("traits", {})
                # A prelude target is a scalar, or the prelude's Document.
                target = shapes.get(member["target"]) or _PRELUDE.get(member["target"], {})
                # A member's own trait, else its target's.
                target_traits = target.get("traits", {})
                defaults[key] = traits.get("smithy.api#default")
                if "smithy.api#required" in traits:
                    required.add(key)
                if "smithy.api#idempotencyToken" in traits:
                    tokens.add(key)
                for trait in ("smithy.api#range", "smithy.api#length"):
                    limits = traits.get(trait) or target_traits.get(trait)
                    if isinstance(limits, dict):
                        member_bounds[key] = (limits.get("min"), limits.get("max"))
                pattern = traits.get("smithy.api#pattern") or target_traits.get(
                    "smithy.api#pattern"
                )
                if isinstance(pattern, str):
                    member_patterns[key] = pattern
                member_kinds[key] = _kind(target.get("type"))
        enum_values = {
            shape_id.split("#")[1]: frozenset(
                str(member.get("traits", {}).get("smithy.api#enumValue", name))
                for name, member in shape.get("members", {}).items()
            )
            for shape_id, shape in shapes.items()
            if shape["type"] == "enum"
        }
        bounds = {
            shape_id.split("#")[1]: (limits.get("min"), limits.get("max"))
            for shape_id, shape in shapes.items()
            for trait in ("smithy.api#range", "smithy.api#length")
            if isinstance(limits := shape.get("traits", {}).get(trait), dict)
        }
        http_uris = {
            shape_id.split("#")[1]: str(http["uri"])
            for shape_id, shape in shapes.items()
            if isinstance(http := shape.get("traits", {}).get("smithy.api#http"), dict)
        }
        return cls(
            http_uris=http_uris,
            targets=targets,
            unions=frozenset(
                shape_id.split("#")[1]
                for shape_id, shape in shapes.items()
                if shape["type"] == "union"
            ),
            tokens=frozenset(tokens),
            member_kinds=member_kinds,
            member_bounds=member_bounds,
            member_patterns=member_patterns,
            bounds=bounds,
            enum_values=enum_values,
            sdk_id=service["traits"]["aws.api#service"]["sdkId"],
            target_prefix=service_id.split("#")[1],
            defaults=defaults,
            required=frozenset(required),
        )


_PRELUDE = {"smithy.api#Document": {"type": "document"}}
"""The prelude's shapes that are no scalar (botocore has Document as a structure)."""


def _kind(shape_type: str | None) -> str:
    """The botocore type class of a Smithy shape type (None: a prelude scalar)."""
    if shape_type in ("list", "set", "map"):
        return "list" if shape_type == "set" else shape_type
    return "structure" if shape_type in ("structure", "union", "document") else "scalar"


@functools.cache
def _available_services() -> tuple[str, ...]:
    import botocore.session

    return tuple(botocore.session.get_session().get_available_services())


def find_botocore_model(facts: SmithyFacts, accepts: Callable[[Any], bool]) -> Any:
    """The first of botocore's ServiceModels that `accepts` (those named like the service's
    sdkId tried first), or None when the installed botocore has none (a retired service)."""
    import botocore.session

    session = botocore.session.get_session()
    guesses = [facts.sdk_id.lower().replace(" ", "-"), facts.sdk_id.lower().replace(" ", "")]
    available = _available_services()
    for name in [*guesses, *available]:
        if name in available and accepts(model := session.get_service_model(name)):
            return model
    return None


TEXT = "abcdefXYZ019-_é"
"""The characters of a random string without a pattern."""
URI_TEXT = TEXT + " /+%:?#&=,;~.\"'€"
"""... and those that URI labels, query strings and header lists must encode or quote."""


def random_value(
    shape: Any,
    rng: random.Random,
    facts: SmithyFacts,
    depth: int = 0,
    member_of: tuple[str, str] | None = None,
    *,
    alphabet: str = TEXT,
    smithy_name: str | None = None,
    label: bool = False,
) -> Any:
    """A value both botocore's model and the Smithy one allow for `shape` (`member_of`: the
    structure and member it is made for; `smithy_name`: the Smithy model's name of the shape,
    where it may differ from botocore's; `label`: a URI label's, never empty): lengths, ranges,
    enums and patterns kept, so that the strict stub takes it too. A member that comes out equal
    to its @default is left out: we do not send defaults (the receiver assumes them), botocore
    sends whatever it is given."""
    kind = shape.type_name
    name = smithy_name or shape.name

    def inner(
        of: Any, member: str, made_for: tuple[str, str] | None = None, label: bool = False
    ) -> Any:
        target = facts.targets.get((name, member))
        return random_value(
            of, rng, facts, depth + 1, made_for, alphabet=alphabet, smithy_name=target, label=label
        )

    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if label:  # a URI label is never empty (Smithy; botocore would send `//`)
        low = max(int(low or 0), 1)
    smithy_low, smithy_high = facts.member_bounds.get(member_of or ("", "")) or facts.bounds.get(
        name, (None, None)
    )
    if smithy_low is not None:
        low = smithy_low if low is None else max(low, smithy_low)
    if smithy_high is not None:
        high = smithy_high if high is None else min(high, smithy_high)
    if kind == "structure" and shape.metadata.get("document"):
        # Not a top-level null: a member set to None is unset in our API (botocore would send
        # `null`); nulls inside a document are kept.
        return rng.choice([True, 1, 2.5, "text", [1, None], {"k": {"n": [None]}}])
    if kind == "structure" and (shape.metadata.get("union") or name in facts.unions):
        chosen_name = rng.choice(sorted(n for n in shape.members if (name, n) in facts.defaults))
        return {chosen_name: inner(shape.members[chosen_name], chosen_name)}
    if kind == "structure":
        chosen = {}
        for member_name, member in shape.members.items():
            key = (name, member_name)
            default = facts.defaults.get(key, _NOT_IN_SMITHY)
            if default is _NOT_IN_SMITHY or _kind(member.type_name) != facts.member_kinds.get(
                key, _kind(member.type_name)
            ):
                continue
            required = member_name in shape.required_members or key in facts.required
            if required or (depth < 4 and rng.random() < 0.7):
                label = member.serialization.get("location") == "uri"
                value = inner(member, member_name, key, label=label)
                if required or default is None or default != value:
                    chosen[member_name] = value
        return chosen
    if kind == "list":
        size = rng.randint(int(low or 0), min(int(high or 2), max(int(low or 0), 2)))
        return [inner(shape.member, "member") for _ in range(size)]
    if kind == "map":
        size = rng.randint(int(low or 0), max(int(low or 0), 2))
        return {inner(shape.key, "key"): inner(shape.value, "value") for _ in range(size)}
    if kind == "string":
        if shape.enum:
            known = facts.enum_values.get(name)
            return rng.choice([v for v in shape.enum if known is None or v in known] or shape.enum)
        # The Smithy model's pattern first: the stub checks it, botocore checks none (and its
        # newer model's may allow more: AppConfig's role ARNs gained the `aws-eusc` partition).
        pattern = facts.member_patterns.get(member_of or ("", "")) or shape.metadata.get("pattern")
        if pattern is not None:
            fitting = _fitting_pattern(pattern, int(low or 0), high, rng)
            if fitting is not None:
                return fitting
        shortest = int(low or 1)
        longest = int(high) if high is not None else max(shortest, 12)
        shortest = min(shortest, longest)  # Proton's EmptyNextToken: @length(max: 0)
        size = rng.randint(shortest, min(longest, max(shortest, 12)))
        return "".join(rng.choice(alphabet) for _ in range(size))
    if kind in ("integer", "long"):
        lower = int(low) if low is not None else -1000
        return rng.randint(lower, int(high) if high is not None else max(lower, 0) + 1000)
    if kind in ("float", "double"):
        bottom = float(low) if low is not None else -1000.0
        top = float(high) if high is not None else 1000.0
        return round(rng.uniform(bottom, top), 3)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "blob":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    if kind == "timestamp":
        return datetime.datetime.fromtimestamp(rng.randint(0, 2_000_000_000), datetime.UTC)
    raise AssertionError(f"no value for a {kind}")


@functools.cache
def _planned_pattern(pattern: str) -> tuple[str, Any] | None:
    """The Python source of an ECMA `pattern` and its bound match method (None where it does
    not translate): planned once per pattern, not once per value."""
    import re

    from generator import ecma_regex

    try:
        source, method = ecma_regex.plan(pattern)
    except ecma_regex.PatternError:
        return None
    return source, getattr(re.compile(source), method)


def _fitting_pattern(pattern: str, low: int, high: Any, rng: random.Random) -> str | None:
    """A string `pattern` accepts within the length bounds (code points), or None when the
    sampler finds none: the stub checks patterns, so a call with a random string would only
    ever meet its validation error."""
    from generator import pattern_samples

    planned = _planned_pattern(pattern)
    if planned is None:
        return None
    source, matches = planned
    variant = rng.randrange(8)
    for candidate in pattern_samples.samples(source, low, variant=variant):
        fits = high is None or len(candidate) <= int(high)
        if fits and len(candidate) >= low and matches(candidate):
            return candidate
    return None
