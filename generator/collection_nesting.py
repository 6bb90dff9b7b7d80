"""How lists and maps nest: the checks that keep generated type annotations finite and parseable.

A list of lists of ... is spelled `list[list[...]]` in generated code, one bracket a level, and
Python's parser refuses more than 200 nested brackets. A list or map that contains itself with
no structure or union in between has no finite spelling at all, and Smithy forbids it.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.diagnostics import Diagnostic, json_pointer
from generator.loader import AssembledModel

MAX_COLLECTION_DEPTH = 32
"""How many lists and maps may nest directly in one another (a structure in between starts the
count again)."""

_COLLECTIONS = {"list": "member", "map": "value"}


def problems(model: AssembledModel) -> Iterator[Diagnostic]:
    """A cycle of lists and maps, and each place where they nest deeper than the limit."""
    depths: dict[str, int] = {}
    for start in sorted(model.shapes):
        if model.shapes[start].type not in _COLLECTIONS or start in depths:
            continue
        path = [start]
        while path:  # a work list, not recursion: the chain may be thousands long
            current = path[-1]
            shape = model.shapes[current]
            key = _COLLECTIONS[shape.type]
            target = shape.data[key]["target"]
            target_shape = model.shapes.get(target)
            inner = 0
            if target_shape is not None and target_shape.type in _COLLECTIONS:
                if target in path:
                    yield Diagnostic(
                        shape.file,
                        json_pointer("shapes", current, key, "target"),
                        f"{target} contains itself through lists and maps alone; Smithy "
                        "requires a structure or union on the way",
                    )
                    depths.update((shape_id, 1) for shape_id in path)
                    break
                if target not in depths:
                    path.append(target)
                    continue
                inner = depths[target]
            depths[current] = inner + 1
            if depths[current] == MAX_COLLECTION_DEPTH + 1:
                yield Diagnostic(
                    shape.file,
                    json_pointer("shapes", current),
                    f"lists and maps nest more than {MAX_COLLECTION_DEPTH} levels deep from "
                    "here; put a structure in between",
                )
            path.pop()
