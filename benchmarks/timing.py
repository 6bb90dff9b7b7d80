"""Timing, as `timeit` does it: `perf_counter`, adaptive repetition, garbage collection off, and the
best of several repeats (the least disturbed one; the median is kept to show the spread).

Contenders are measured in interleaved rounds on each payload (every contender once per round),
so that a slow spell of a shared machine hits all of them rather than one.
"""

from __future__ import annotations

import gc
import itertools
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Call = Callable[[Any], object]


@dataclass(frozen=True)
class Settings:
    """How long to measure: `min_time` seconds per sample, `repeats` samples per measurement."""

    min_time: float
    repeats: int
    cli_runs: int

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        if quick:
            return cls(min_time=0.02, repeats=3, cli_runs=1)
        return cls(min_time=0.2, repeats=7, cli_runs=3)


@dataclass(frozen=True)
class Timing:
    """Seconds per call: the best and the median sample, and how many calls a sample made."""

    best: float
    median: float
    number: int
    repeats: int

    @property
    def per_second(self) -> float:
        return 1.0 / self.best if self.best > 0 else float("inf")


def _loop(call: Call, argument: object, number: int) -> float:
    """Seconds for `number` calls; what a call returns or raises is ignored."""
    iterations = itertools.repeat(None, number)
    start = time.perf_counter()
    for _ in iterations:
        # Not contextlib.suppress: entering a context manager would add to every timed call.
        try:  # noqa: SIM105
            call(argument)
        except Exception:  # first-error validators report by raising
            pass
    return time.perf_counter() - start


def _sample(call: Call, argument: object, number: int) -> float:
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _loop(call, argument, number)
    finally:
        if collecting:
            gc.enable()


def calibrate(call: Call, argument: object, min_time: float) -> int:
    """The number of calls that take at least `min_time` (1, 2, 5, 10, 20, 50, ...), as
    `timeit.Timer.autorange` finds it; this also warms the call up."""
    scale = 1
    while True:
        for factor in (1, 2, 5):
            if _sample(call, argument, factor * scale) >= min_time:
                return factor * scale
        scale *= 10


def measure_interleaved(calls: Sequence[tuple[Call, object]], settings: Settings) -> list[Timing]:
    """Time each (call, argument) pair: calibrate each, then `repeats` rounds over all of them."""
    numbers = [calibrate(call, argument, settings.min_time) for call, argument in calls]
    samples: list[list[float]] = [[] for _ in calls]
    for _ in range(settings.repeats):
        for index, (call, argument) in enumerate(calls):
            samples[index].append(_sample(call, argument, numbers[index]) / numbers[index])
    return [
        Timing(min(times), statistics.median(times), number, settings.repeats)
        for times, number in zip(samples, numbers, strict=True)
    ]


def warm_up(call: Call, argument: object, seconds: float) -> None:
    """Keep the CPU busy for a moment, so that the first measurement is not the slowest."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        _loop(call, argument, 100)


@dataclass(frozen=True)
class CommandTiming:
    """Wall-clock seconds of a command, end to end, in a fresh process each run."""

    command: list[str]
    best: float
    runs: list[float]
    returncode: int
    stderr_tail: str


def time_command(
    command: list[str], cwd: Path, runs: int, before_each: Callable[[], None] | None = None
) -> CommandTiming:
    """Best of `runs` runs of `command`; `before_each` (not timed) prepares each run."""
    times: list[float] = []
    completed: subprocess.CompletedProcess[str] | None = None
    for _ in range(runs):
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
    assert completed is not None
    return CommandTiming(
        command=command,
        best=min(times),
        runs=times,
        returncode=completed.returncode,
        stderr_tail=(completed.stderr or completed.stdout)[-500:],
    )
