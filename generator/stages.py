"""The stages of one run: their times for `-v`, and progress on a terminal for long runs."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO

log = logging.getLogger("shapesmith")

PROGRESS_AFTER = 2.0
"""Seconds after which a run still going shows, on a terminal, which stage it is in."""


class Stages:
    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._started = time.monotonic()
        self._current = ""
        self._showing = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        if self._is_terminal():
            self._timer = threading.Timer(PROGRESS_AFTER, self._start_showing)
            self._timer.daemon = True
            self._timer.start()

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        with self._lock:
            self._current = name
            if self._showing:
                self._show()
        began = time.perf_counter()
        try:
            yield
        finally:
            log.debug("%s: %.2f s", name, time.perf_counter() - began)

    def finish(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._showing:
                self._stream.write("\r\x1b[K")
                self._stream.flush()
            self._showing = False
        log.debug("total: %.2f s", time.monotonic() - self._started)

    def _start_showing(self) -> None:
        with self._lock:
            self._showing = True
            self._show()

    def _show(self) -> None:
        elapsed = time.monotonic() - self._started
        self._stream.write(f"\r\x1b[Kshapesmith: {self._current} ({elapsed:.0f} s)")
        self._stream.flush()

    def _is_terminal(self) -> bool:
        try:
            return self._stream.isatty()
        except (AttributeError, ValueError):
            return False
