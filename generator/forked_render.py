"""Rendering a big package's modules in two processes.

Jinja renders whole Rekognition's modules in most of a second on one core; a machine has two
or more. Where the operating system forks (Linux), a child process forked after the IR is built
shares it as it is (nothing is pickled but the rendered text) and takes modules from the same
queue as the parent, one at a time, largest first. Whatever the child could not render (a
template fault, a signal) the parent renders itself, so a fault is raised exactly as it is
without the child: in this process, with its traceback and its message.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TypeVar

Job = TypeVar("Job")

_INDEX = struct.Struct(">I")
_MIN_JOBS = 2


def can_fork() -> bool:
    """Forking after imports and threads is safe on Linux (elsewhere: one process)."""
    return sys.platform == "linux" and hasattr(os, "fork")


def render_all(
    jobs: Sequence[Job], render: Callable[[Job], str], *, fork: bool = True
) -> list[str]:
    """`[render(job) for job in jobs]`, computed by this process and a forked child together
    where that is possible and `fork` asks for it; `jobs` are best given largest first."""
    if not fork or len(jobs) < _MIN_JOBS or not can_fork():
        return [render(job) for job in jobs]
    queue_read, queue_write = os.pipe()
    answer_read, answer_write = os.pipe()
    # Every index is queued before forking; a few bytes each, far below a pipe's buffer.
    os.write(queue_write, b"".join(_INDEX.pack(index) for index in range(len(jobs))))
    os.close(queue_write)
    with warnings.catch_warnings():
        # Python 3.12+ warns of forking beside threads; ours (the progress timer) is never
        # touched by the child, which only renders and leaves through os._exit.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which never returns
        _serve(jobs, render, queue_read, answer_write, answer_read)
    os.close(answer_write)
    done: dict[int, str] = {}
    finished = False
    try:
        while (index := _take(queue_read)) is not None:
            done[index] = render(jobs[index])
        theirs = _read_all(answer_read)
        finished = True
    finally:
        os.close(queue_read)
        os.close(answer_read)
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    rendered = _loaded(theirs)
    for index in range(len(jobs)):
        if index not in done:
            text = rendered.get(index)
            done[index] = text if text is not None else render(jobs[index])
    return [done[index] for index in range(len(jobs))]


def _serve(
    jobs: Sequence[Job],
    render: Callable[[Job], str],
    queue_read: int,
    answer_write: int,
    answer_read: int,
) -> None:  # pragma: no cover - runs in the child
    status = 1
    try:
        os.close(answer_read)
        done: dict[int, str | None] = {}
        while (index := _take(queue_read)) is not None:
            try:
                done[index] = render(jobs[index])
            except Exception:
                done[index] = None  # the parent renders it again, and raises what it raises
        data = memoryview(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(answer_write, data) :]
        status = 0
    finally:
        os._exit(status)


def _take(queue: int) -> int | None:
    """The next job's index, or None when the queue is empty. A pipe hands out writes of up to
    PIPE_BUF bytes whole, so each read of one index gets all of it or nothing."""
    data = os.read(queue, _INDEX.size)
    return _INDEX.unpack(data)[0] if len(data) == _INDEX.size else None


def _read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _loaded(data: bytes) -> dict[int, str | None]:
    """What the child rendered: nothing where it died before saying (the parent renders it)."""
    if not data:
        return {}
    try:
        found = pickle.loads(data)  # our own child's, written just now
    except Exception:
        return {}
    return found if isinstance(found, dict) else {}
