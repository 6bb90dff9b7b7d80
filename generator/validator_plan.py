"""Where the validators check a nested structure in place, and where they call its function.

Checking a structure in place saves a call per value, which the validators benchmark sees; but a
structure checked in place everywhere it is used makes the module grow with tree size times
uses (AWS's whole Rekognition model once gave a 54,000-line validators.py with a 2,098-line
function). So the decision is made per member, under two budgets, in estimated lines of the
formatted output:

- a structure is checked in place only if it is neither a union nor recursive, what it checks
  in place nests at most INLINE_DEPTH deep (Python refuses more than 100 levels of
  indentation), and its checks, with what they check in place, are small (INLINE_LINES) or
  held by one member alone in the whole package (checked in place there, it is no copy);
- a function (a public validator, or the check function of a structure, list or map) takes such
  structures in member order while its estimate stays within FUNCTION_LINES;
- a list's or map's check function takes its item structure whatever its size, if it fits:
  there a call would be paid once per item, and the copy is made once per collection shape;
- a structure whose own members' checks alone exceed FUNCTION_LINES (Timestream for InfluxDB's
  InfluxDBv2Parameters has 35) is split: its members go, in order, into runs as even as the
  budget allows, each checked by a part function (`CheckPart`) that takes structures in place
  within its own budget and returns how many of its members have no value; the structure's
  check function (and its public validator) checks the value's type, calls the parts, and
  reports stray keys and a union's count from what they return.

A structure's plan is the same wherever it is checked, in place or in its own function, so each
decision is keyed by the member that holds the structure. Every use not checked in place calls
the structure's check function, which exists once.

A simple value with constraints (a string with a length and a pattern, an integer with a range)
is checked in place by one condition that accepts what is valid, the common case; a value it
does not accept goes to a check function that finds each violation. Members whose values are
checked alike (same type, constraints and sensitivity; often the same target shape) share that
function (`ValueCheck`), so the reports exist once, not once per member. A public validator's
own members are printed once each, so there the reports stay in place (no call on the failure
path) while the function fits FUNCTION_LINES with them.

The line counts approximate what `templates/_checks.jinja` prints after black; they only steer
the split. `tests/test_generated_lint.py` holds the real limit on every generated function.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator import naming

if TYPE_CHECKING:  # the IR builds a plan of its own units: no import at run time
    from generator.ir import ListShape, MapShape, Member, StructureShape

INLINE_LINES = 60
FUNCTION_LINES = 200
INLINE_DEPTH = 8

# Estimated lines, after black, of each piece `_checks.jinja` prints.
_STRUCTURE_LINES = 16  # read as dict or dataclass, report a wrong type, look for stray keys
_LINES_PER_READ = 2  # a member read from the dict and from the dataclass
_MEMBER_LINES = 5  # `if v is None` and a type check with its report, a blank line
_REQUIRED_LINES = 5  # a missing member's report
_CALL_LINES = 2  # a call of a check function under `else:`
_ACCEPT_LINES = 3  # a condition that accepts a valid value, which black may split
_REPORT_LINES = 6  # a test and a report black splits over several lines
_COLLECTION_LINES = 6  # a list's or map's check function without its items
_IN_PLACE_LINES = 3  # `else:` and `if v is not None:` around a structure checked in place
_PART_LINES = 10  # a part function without its members: signature, docstring, reads, return


@dataclass(frozen=True)
class _Body:
    """The estimated size of a structure's checks, with what they check in place."""

    lines: int
    depth: int


@dataclass(frozen=True)
class CheckPart:
    """A run of a structure's own members, in member order, checked by a function of its own
    when the structure's checks do not fit one (see the module's doc). The function reads its
    members from the structure's dict or dataclass, checks them as the structure's function
    would, and returns how many of them have no value (absent or null)."""

    check_function: str
    shape: StructureShape
    members: tuple[Member, ...]


@dataclass(frozen=True)
class ValueCheck:
    """The check function of the simple values some members hold, which finds every violation
    of a value that the condition in place did not accept."""

    check_function: str
    member: Member
    """The first member, in the plan's order, whose values it checks: it names the function,
    and the template prints the checks from it (every member that shares it has the same)."""


def has_value_check(member: Member) -> bool:
    """Whether a member's value is a simple one (see `ValueCheck`)."""
    return member.target.kind.check_layout == "value"


def member_lines(member: Member, reports_in_place: bool = False) -> int:
    """Estimated lines of one member's checks, a structure checked in place not counted; with
    `reports_in_place` (a public validator's own members), its reports printed in place."""
    lines = _MEMBER_LINES + (_REQUIRED_LINES if member.must_be_present else 0)
    if not has_value_check(member):
        return lines + _CALL_LINES + (_CALL_LINES if member.length else 0)
    if reports_in_place:
        return lines + _REPORT_LINES * (1 + len(member.checked_constraints))
    return lines + _ACCEPT_LINES + _CALL_LINES


class ValidatorPlan:
    """The members whose structure the validators check in place (see the module's doc)."""

    def __init__(
        self,
        structures: Sequence[StructureShape],
        lists: Sequence[ListShape],
        maps: Sequence[MapShape],
        recursive_ids: frozenset[str],
        taken: set[str],
        public_ids: frozenset[str] = frozenset(),
    ) -> None:
        """Plans the validators of these shapes; `taken` holds the module names already in use
        (value check functions get others); the structures of `public_ids` have a public
        validator, which prints its own members' reports in place."""
        self._members = {shape.id: shape.members for shape in structures}
        self._runs: dict[str, list[tuple[Member, ...]]] = {}
        self._public_ids = public_ids
        self._reports_in_place: set[str] = set()
        self._candidates = {
            shape.id for shape in structures if not shape.is_union and shape.id not in recursive_ids
        }
        holders = [m for s in structures for m in s.members]
        holders += [s.member for s in lists] + [m for s in maps for m in (s.key, s.value)]
        self._holder_counts = Counter(member.target.id for member in holders)
        self._in_place: set[tuple[str, str]] = set()
        self._bodies: dict[str, _Body] = {}
        self._plan_candidates()
        for shape_id in self._members:
            if shape_id not in self._bodies:
                self._plan_structure(shape_id)
        for list_shape in lists:
            self._plan_collection(list_shape.id, (list_shape.member,))
        for map_shape in maps:
            self._plan_collection(map_shape.id, (map_shape.key, map_shape.value))
        self._value_checks: dict[tuple[str, str], ValueCheck] = {}
        shared: dict[tuple[object, ...], ValueCheck] = {}
        for member in holders:
            if has_value_check(member):
                key = _value_check_key(member)
                if key not in shared:
                    shared[key] = ValueCheck(
                        naming.first_free(_preferred_name(member), taken), member
                    )
                self._value_checks[member.container_id, member.name] = shared[key]
        self.value_checks = tuple(sorted(shared.values(), key=lambda check: check.check_function))
        """Every value check function, sorted by name."""
        self.check_parts = tuple(
            CheckPart(
                naming.first_free(naming.part_function(shape.name, number), taken), shape, run
            )
            for shape in structures
            for number, run in enumerate(self._runs.get(shape.id, ()), 1)
        )
        """Every part function, by structure in the order given, then in member order."""

    def in_place(self, member: Member) -> bool:
        """Whether the structure `member` holds is checked in place rather than called."""
        return (member.container_id, member.name) in self._in_place

    def reports_in_place(self, shape: StructureShape) -> bool:
        """Whether a public validator prints its own members' checks and reports in place
        (saving a call on the failure path), which it does while it stays within the budget."""
        return shape.id in self._reports_in_place

    def parts(self, shape: StructureShape) -> tuple[CheckPart, ...]:
        """The part functions that check a structure's own members, in member order; none for
        a structure whose checks fit one function."""
        return tuple(part for part in self.check_parts if part.shape.id == shape.id)

    def value_check(self, member: Member) -> ValueCheck | None:
        """The function that checks a value of `member` the condition in place did not accept,
        or None for a member without one (see `has_value_check`)."""
        return self._value_checks.get((member.container_id, member.name))

    def estimated_lines(self, shape_id: str) -> int:
        """The estimate for a structure's checks (its function, with its parts if it is split,
        or its copy checked in place)."""
        return self._bodies[shape_id].lines

    def _plan_candidates(self) -> None:
        # Children first, by a work list: candidates form no cycle (a cycle is recursive), and a
        # chain of them may be longer than Python's recursion allows.
        for start in sorted(self._candidates):
            stack = [start]
            while stack:
                current = stack[-1]
                if current in self._bodies:
                    stack.pop()
                    continue
                waiting = [
                    child
                    for child in self._candidate_children(current)
                    if child not in self._bodies
                ]
                if waiting:
                    stack.extend(waiting)
                    continue
                stack.pop()
                self._plan_structure(current)

    def _candidate_children(self, shape_id: str) -> Iterable[str]:
        for member in self._members[shape_id]:
            if member.target.id in self._candidates:
                yield member.target.id

    def _plan_structure(self, shape_id: str) -> None:
        """Plans a structure's function, or its parts where its own members do not fit one."""
        members = self._members[shape_id]
        base = _STRUCTURE_LINES + _LINES_PER_READ * len(members)
        lines = base + sum(member_lines(member) for member in members)
        if shape_id in self._public_ids:
            in_place = base + sum(member_lines(member, True) for member in members)
            if in_place <= FUNCTION_LINES:
                self._reports_in_place.add(shape_id)
                lines = in_place
        # Properties kept beside the named ones are read from the whole object: never split.
        if lines <= FUNCTION_LINES or any(member.extra_properties for member in members):
            self._bodies[shape_id] = self._take_in_place(shape_id, lines, members)
            return
        runs = _split(members)
        self._runs[shape_id] = runs
        total, depth = _STRUCTURE_LINES + _CALL_LINES * len(runs), 0
        for run in runs:
            body = self._take_in_place(shape_id, _run_lines(run), run)
            total, depth = total + body.lines, max(depth, body.depth)
        self._bodies[shape_id] = _Body(total, depth)

    def _plan_collection(self, shape_id: str, items: Sequence[Member]) -> None:
        """Plans a list's or map's function, where a structure of any size that fits is
        checked in place: one call per item saved, one copy per collection shape."""
        lines = _COLLECTION_LINES + sum(member_lines(member) for member in items)
        self._bodies[shape_id] = self._take_in_place(shape_id, lines, items, copy=True)

    def _take_in_place(
        self, container_id: str, lines: int, members: Sequence[Member], copy: bool = False
    ) -> _Body:
        """Takes in place, in member order, the structures `members` hold that fit a function
        (or part) of `lines` so far; with `copy`, whatever their size (see `_plan_collection`)."""
        depth = 0
        for member in members:
            child = self._bodies.get(member.target.id)
            if member.target.id not in self._candidates or child is None:
                continue
            grown = lines + _IN_PLACE_LINES + child.lines
            small = (
                copy or child.lines <= INLINE_LINES or self._holder_counts[member.target.id] == 1
            )
            if small and child.depth < INLINE_DEPTH and grown <= FUNCTION_LINES:
                self._in_place.add((container_id, member.name))
                lines = grown
                depth = max(depth, child.depth + 1)
        return _Body(lines, depth)


def _split(members: Sequence[Member]) -> list[tuple[Member, ...]]:
    """`members` in order, in as few runs as fit FUNCTION_LINES each, as even as that allows."""
    sizes = [_LINES_PER_READ + member_lines(member) for member in members]
    fewest = _runs(sizes, FUNCTION_LINES)
    even = _runs(sizes, -(-(_PART_LINES * len(fewest) + sum(sizes)) // len(fewest)))
    chosen = even if len(even) == len(fewest) else fewest
    return [tuple(members[index] for index in run) for run in chosen]


def _runs(sizes: Sequence[int], target: int) -> list[list[int]]:
    """Indexes of `sizes` in order, a new run started once a run reaches `target` lines or the
    next would take it past FUNCTION_LINES."""
    runs: list[list[int]] = []
    lines = 0
    for index, size in enumerate(sizes):
        if not runs or lines >= target or lines + size > FUNCTION_LINES:
            runs.append([])
            lines = _PART_LINES
        runs[-1].append(index)
        lines += size
    return runs


def _run_lines(run: Sequence[Member]) -> int:
    return _PART_LINES + sum(_LINES_PER_READ + member_lines(member) for member in run)


def _value_check_key(member: Member) -> tuple[object, ...]:
    """What the checks of a simple value depend on: members with the same key share them."""
    target, length, pattern, range_ = member.target, member.length, member.pattern, member.range
    return (
        target.type,
        target.id if "enum" in target.kind.value_constraints else None,
        (length.min, length.max) if length else None,
        (pattern.constant, pattern.found_means_broken) if pattern else None,
        range_,
        member.multiple_of,
        member.sensitive,
    )


def _preferred_name(member: Member) -> str:
    """Named after the target shape when the member checks just what the shape says, else
    after the structure (or list, or map) and the member that add to it."""
    target = member.target
    own = (
        getattr(target, "length", None) == member.length
        and getattr(getattr(target, "pattern", None), "constant", None)
        == (member.pattern.constant if member.pattern else None)
        and getattr(target, "range", None) == member.range
        and getattr(target, "multiple_of", None) == member.multiple_of
        and target.sensitive == member.sensitive
    )
    if own:
        return naming.value_check_function(target.name)
    return naming.value_check_function(member.container_id.partition("#")[2], member.name)
