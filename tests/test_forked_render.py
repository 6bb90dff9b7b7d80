"""Render stage: modules rendered by this process and a forked child together come out exactly
as one process renders them, and whatever the child cannot render, the parent does (faults
raised here, as without the child)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import forked_render, render
from tests.conftest import REPO, generate_files

pytestmark = pytest.mark.skipif(not forked_render.can_fork(), reason="forks only on Linux")

PARENT = os.getpid()


def _square(job: int) -> str:
    return str(job * job)


def test_the_results_are_those_of_one_process_in_order() -> None:
    jobs = list(range(40))
    assert forked_render.render_all(jobs, _square) == [_square(job) for job in jobs]


def test_a_fault_in_either_process_is_raised_here_as_it_is() -> None:
    def render_one(job: int) -> str:
        if job == 7:
            raise LookupError(f"no template for job {job}")
        return _square(job)

    with pytest.raises(LookupError, match="no template for job 7"):
        forked_render.render_all(list(range(20)), render_one)


def test_what_the_child_cannot_render_the_parent_renders() -> None:
    def only_here(job: int) -> str:
        if os.getpid() != PARENT:
            raise RuntimeError("the child fails every job")
        return _square(job)

    assert forked_render.render_all(list(range(20)), only_here) == [_square(j) for j in range(20)]


def test_a_child_that_dies_costs_nothing_but_time() -> None:
    def dies_in_child(job: int) -> str:
        if os.getpid() != PARENT:
            os._exit(3)
        return _square(job)

    assert forked_render.render_all(list(range(20)), dies_in_child) == [
        _square(j) for j in range(20)
    ]


def test_a_package_renders_alike_with_and_without_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ("rekognition.json", "rekognition-liveness-create.json", "rekognition-stub.json")
    models = [REPO / "models" / name for name in names]
    monkeypatch.setattr(render, "_FORK_FROM_SHAPES", 10**9)
    assert generate_files(tmp_path / "one", models) == (0, "")
    monkeypatch.setattr(render, "_FORK_FROM_SHAPES", 0)
    from_child: list[str | None] = []
    loaded = forked_render._loaded

    def spied(data: bytes) -> dict[int, str | None]:
        found = loaded(data)
        from_child.extend(found.values())
        return found

    monkeypatch.setattr(forked_render, "_loaded", spied)
    assert generate_files(tmp_path / "two", models) == (0, "")
    assert from_child and None not in from_child  # the child did render, and without a fault
    one, two = tmp_path / "one" / "out", tmp_path / "two" / "out"
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
