"""Structures that require themselves: a cycle of `@required` structure members, which no finite
value can satisfy (Smithy forbids it; a list, map or union on the way, or an optional member,
lets the recursion end). Part of `semantics`: without it the stub's minimal values and the
tests' random inputs would recurse forever."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, json_pointer
from generator.loader import AssembledModel


def _required_edges(model: AssembledModel, shape_id: str) -> Iterator[tuple[str, str]]:
    """(member name, target) of each required member of a structure targeting a structure."""
    shape = model.shapes[shape_id]
    for name, member in shape.data.get("members", {}).items():
        if "smithy.api#required" not in member.get("traits", {}):
            continue
        target = member.get("target")
        found = model.shapes.get(target)
        if found is not None and found.type == "structure":
            yield name, target


def problems(model: AssembledModel) -> Iterator[Diagnostic]:
    structures = sorted(i for i, s in model.shapes.items() if s.type == "structure")
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in structures:
        if start in state:
            continue
        # An explicit stack of (shape, its remaining edges): models nest deeper than recursion.
        path: list[tuple[str, str]] = []
        stack = [(start, iter(sorted(_required_edges(model, start))))]
        state[start] = 1
        while stack:
            shape_id, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                state[shape_id] = 2
                stack.pop()
                if path:
                    path.pop()
                continue
            member, target = edge
            if state.get(target) == 1:
                # path[i] is the edge from stack[i]'s shape to stack[i + 1]'s.
                start_index = [frame[0] for frame in stack].index(target)
                cycle = [*path[start_index:], (shape_id, member)]
                key = frozenset(s for s, _ in cycle)
                if key not in reported:
                    reported.add(key)
                    first_shape, first_member = min(cycle)
                    chain = " -> ".join(f"{s.partition('#')[2]}.{m}" for s, m in cycle)
                    shape = model.shapes[first_shape]
                    yield Diagnostic(
                        shape.file,
                        json_pointer("shapes", first_shape, "members", first_member),
                        f"required members form a cycle no finite value can satisfy ({chain}); "
                        "make one of them optional",
                    )
                continue
            if target in state:
                continue
            state[target] = 1
            path.append((shape_id, member))
            stack.append((target, iter(sorted(_required_edges(model, target)))))
