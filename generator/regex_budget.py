"""A time budget for running a model's regular expression at generation time.

Checking `@examples` outputs and stub default candidates runs the model's own `@pattern`s, and
a pattern such as `^(a+)+$` backtracks for minutes on a string made to break it. CPython's `re`
checks for signals while it matches, so on the main thread an interval timer interrupts a slow
match; a pattern that ran out of time once is not run again in this process. Elsewhere (another
thread, or a timer already running) the match runs unbounded, as it would in the validator.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

MATCH_BUDGET_SECONDS = 1.0
T = TypeVar("T")


class RegexTooSlow(Exception):
    """The pattern did not decide within the budget (now, or in an earlier run of it)."""


_too_slow: set[str] = set()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise RegexTooSlow


def within_budget(source: str, match: Callable[[], T], seconds: float = MATCH_BUDGET_SECONDS) -> T:
    """`match()`, which runs the pattern `source`; raises `RegexTooSlow` past `seconds`."""
    if source in _too_slow:
        raise RegexTooSlow
    usable = (
        threading.current_thread() is threading.main_thread()
        and hasattr(signal, "setitimer")
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        return match()
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return match()
    except RegexTooSlow:
        _too_slow.add(source)
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
