"""What the generated stub answers for an operation that no fixture and no fake behaviour
answers: the first `@examples` output that fits the output shape, or else a value built from
the model (required members only, each meeting its constraints).

Values are in the JSON form the stub reads answers in (base64 blobs, epoch-second timestamps);
whether one fits is `value_fit`'s decision. An example that does not fit is a warning and is
skipped; an output that cannot be built is a warning and the operation answers 501.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from generator import ecma_regex, ir, pattern_samples, value_fit
from generator.diagnostics import Warnings, json_pointer
from generator.pyliterals import literal

if TYPE_CHECKING:  # the loader reaches this module through kinds: a run-time import would cycle
    from generator.loader import AssembledModel

EXAMPLES = "smithy.api#examples"
MAX_DEPTH = 32
"""How deeply a built value may nest; deeper needs are reported as not buildable."""
MAX_STEPS = 20_000
"""How many values one output's building may try: unions whose members fail deep down could
otherwise make the search exponential."""
_MOST_PROBLEMS_SHOWN = 3


class CannotBuild(Exception):
    """No value of the shape meets every constraint (the reason says where and why)."""


# -- building a value ----------------------------------------------------------------------------


def build(shape: ir.StructureShape) -> dict[str, Any]:
    """A value of `shape` (JSON form) with its required members, each meeting its constraints;
    raises `CannotBuild`."""
    built = _Builder().structure(shape, 0, 0, shape.name)
    assert isinstance(built, dict)
    return built


class _Builder:
    def __init__(self) -> None:
        self.open: set[str] = set()
        """Structures being built: meeting one again would recurse without end."""
        self.steps = 0

    def structure(self, shape: ir.StructureShape, depth: int, variant: int, path: str) -> Any:
        if shape.id in self.open:
            raise CannotBuild(f"{path}: {shape.name} would have to contain itself")
        if depth > MAX_DEPTH:
            raise CannotBuild(f"{path}: the value would nest deeper than {MAX_DEPTH} levels")
        self.open.add(shape.id)
        try:
            if shape.is_union:
                return self.union(shape, depth, variant, path)
            value: dict[str, Any] = {}
            for member in shape.members:
                if member.must_be_present:
                    value[member.name] = self.value(
                        member, depth + 1, variant, value_fit.path_of(path, member.name)
                    )
                    variant = 0  # the first required member tells variants apart
            return value
        finally:
            self.open.discard(shape.id)

    def union(self, shape: ir.StructureShape, depth: int, variant: int, path: str) -> Any:
        reasons = []
        for member in shape.members:
            try:
                value = self.value(member, depth + 1, variant, value_fit.path_of(path, member.name))
            except CannotBuild as error:
                reasons.append(str(error))
                continue
            if shape.alternatives is None:
                return {member.name: value}
            # A `oneOf` value that fits another member too is no value of the union.
            found = value_fit.alternatives_problems(shape, value, path)
            if not found:
                return value
            reasons.extend(found)
        raise CannotBuild(
            f"{path}: no member of the {shape.name} union can be built"
            + (f" ({reasons[0]})" if reasons else "")
        )

    def value(self, member: ir.Member, depth: int, variant: int, path: str) -> Any:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise CannotBuild(f"{path}: gave up after trying {MAX_STEPS} values")
        target = member.target
        if isinstance(target, ir.StructureShape) and target.event_stream:
            return []  # an event stream that ends at once: the least a stream can be
        if isinstance(target, ir.StructureShape):
            return self.structure(target, depth, variant, path)
        if isinstance(target, ir.ListShape):
            return self.list_value(member, target, depth, variant, path)
        if isinstance(target, ir.MapShape):
            return self.map_value(member, target, depth, variant, path)
        for candidate in target.kind.sample_values(member, variant):
            if value_fit.scalar_problem(member, candidate) is None:
                return candidate
        raise CannotBuild(f"{path}: no {_describe(member)} could be made")

    def list_value(
        self, member: ir.Member, target: ir.ListShape, depth: int, variant: int, path: str
    ) -> Any:
        count = _least(member.length, path)
        start = variant * count
        items = [
            self.value(target.member, depth + 1, start + i, value_fit.path_of(path, i))
            for i in range(count)
        ]
        if target.unique_items and len({value_fit.canonical(item) for item in items}) != count:
            raise CannotBuild(f"{path}: no {count} different items could be made (@uniqueItems)")
        return items

    def map_value(
        self, member: ir.Member, target: ir.MapShape, depth: int, variant: int, path: str
    ) -> Any:
        count = _least(member.length, path)
        value: dict[str, Any] = {}
        for i in range(count):
            key = self.value(
                target.key, depth + 1, variant * count + i, value_fit.path_of(path, "<key>")
            )
            value[key] = self.value(
                target.value, depth + 1, variant, value_fit.path_of(path, str(key))
            )
        if len(value) != count:
            raise CannotBuild(f"{path}: no {count} different keys could be made")
        return value


def _least(length: ir.Length | None, path: str) -> int:
    count = 0 if length is None or length.min is None else length.min
    if count > 1000:
        raise CannotBuild(f"{path}: @length asks for at least {count} entries")
    return count


def _describe(member: ir.Member) -> str:
    parts = [member.target.type.value]
    if member.length is not None:
        parts.append(f"of @length {member.length.describe}")
    if member.range is not None:
        parts.append(f"in @range {member.range.describe}")
    if member.pattern is not None:
        parts.append(f"matching @pattern {member.pattern.ecma}")
    return " ".join(parts)


def string_candidates(member: ir.Member, variant: int) -> Iterator[str]:
    """Strings that meet `member`'s `@length`, and its `@pattern` where it has one."""
    length = member.length
    low = 0 if length is None or length.min is None else length.min
    high = None if length is None else length.max
    if low > pattern_samples.MAX_SAMPLE_LENGTH:
        return
    if member.pattern is not None:
        source, _method = _plan(member.pattern.ecma)
        yield from pattern_samples.samples(source, low, variant=variant)
        return
    core = "x" if variant == 0 else f"x{variant}"
    size = max(low, len(core) if high is None else min(len(core), high))
    yield (core + "x" * size)[:size]


@functools.cache
def _plan(ecma: str) -> tuple[str, str]:
    return ecma_regex.plan(ecma)


def number_candidates(member: ir.Member, variant: int, *, integer: bool) -> Iterator[int | float]:
    """Numbers within `member`'s width and `@range` (exclusive bounds too), multiples of its
    `multipleOf`, near zero; whole ones if `integer`."""
    low: Decimal | None = None
    high: Decimal | None = None
    bounds = member.integer_bounds
    if bounds is not None:
        low, high = Decimal(bounds[0]), Decimal(bounds[1])
    value_range = member.range
    if value_range is not None:
        if value_range.min is not None:
            low = value_range.min if low is None else max(low, value_range.min)
        if value_range.max is not None:
            high = value_range.max if high is None else min(high, value_range.max)
    if integer:
        low = None if low is None else low.to_integral_value(ROUND_CEILING)
        high = None if high is None else high.to_integral_value(ROUND_FLOOR)
    base = Decimal(0)
    if low is not None and base < low:
        base = low
    elif high is not None and base > high:
        base = high
    if value_range is not None:
        base = _off_excluded_bound(base, low, high, value_range)
    step = Decimal(1)
    multiple = member.multiple_of
    if multiple is not None:
        step = multiple.value
        base = (base / step).to_integral_value(ROUND_CEILING) * step
    for chosen in (base + step * variant, base - step * variant):
        within = value_range is None or value_range.holds(chosen)
        if within and (low is None or chosen >= low) and (high is None or chosen <= high):
            yield from _as_number(chosen, integer)


def _off_excluded_bound(
    base: Decimal, low: Decimal | None, high: Decimal | None, value_range: ir.Range
) -> Decimal:
    """`base` moved off a bound that excludes itself: a step inside, or half way to the other
    bound where that is nearer."""
    if value_range.min_exclusive and base == low:
        return low + 1 if high is None or low + 1 < high else (low + high) / 2
    if value_range.max_exclusive and base == high:
        return high - 1 if low is None or high - 1 > low else (low + high) / 2
    return base


def _as_number(value: Decimal, integer: bool) -> Iterator[int | float]:
    if integer:
        yield int(value)
        return
    try:
        as_float = float(value)
    except (InvalidOperation, OverflowError):
        return
    # The nearest float may fall just outside the bound; its neighbours are tried too.
    yield as_float
    yield math.nextafter(as_float, math.inf)
    yield math.nextafter(as_float, -math.inf)


# -- the stage: a default for every operation ---------------------------------------------------


def attach(unit: ir.GenerationUnit, model: AssembledModel, warnings: Warnings) -> ir.GenerationUnit:
    """`unit` with the stub's default answer of each operation (for units that get a stub)."""
    if not unit.service.supports_client:
        return unit
    defaults = tuple(_default(op, model, warnings) for op in unit.operations)
    return dataclasses.replace(unit, stub_defaults=defaults)


def _default(op: ir.OperationShape, model: AssembledModel, warnings: Warnings) -> ir.StubDefault:
    raw = model.shapes[op.id]
    if not op.has_output:
        return ir.StubDefault(operation=op, literal="{}", source="no output")
    chosen: ir.StubDefault | None = None
    examples = raw.traits.get(EXAMPLES)
    for index, example in enumerate(examples if isinstance(examples, list) else []):
        if not isinstance(example, dict) or "output" not in example:
            continue
        found = value_fit.problems(op.output, example["output"])
        if found:
            shown = "; ".join(found[:_MOST_PROBLEMS_SHOWN])
            more = len(found) - _MOST_PROBLEMS_SHOWN
            warnings.add(
                raw.file,
                json_pointer("shapes", op.id, "traits", EXAMPLES, index, "output"),
                f"the example output is not a valid {op.output.name}, so the stub does not "
                f"answer with it: {shown}" + (f" (and {more} more)" if more > 0 else ""),
            )
        elif chosen is None:
            chosen = ir.StubDefault(
                operation=op, literal=literal(example["output"]), source=f"example {index}"
            )
    if chosen is not None:
        return chosen
    try:
        value = build(op.output)
        leftover = value_fit.problems(op.output, value)
        if leftover:  # what the builder checks piece by piece, the whole may still break
            raise CannotBuild("; ".join(leftover[:_MOST_PROBLEMS_SHOWN]))
    except CannotBuild as error:
        warnings.add(
            raw.file,
            json_pointer("shapes", op.id, "output"),
            f"the stub cannot build a default {op.output.name} ({error}), so without a fixture "
            "it answers 501",
        )
        return ir.StubDefault(operation=op, literal=None, source="none")
    return ir.StubDefault(operation=op, literal=literal(value), source="model")
