"""Black, the formatter of record, paid for once per distinct piece of source, not once per run.

Each rendered module is cut into pieces that black formats alike alone or together
(`statement_chunks`); a piece black has formatted before comes from the cache, the rest are
formatted, in parallel when there are many, and the pieces are joined back. The result is
byte-identical to `black.format_str` on the whole module (tests/test_formatting.py holds it to
that on every generated package and on a corpus of other Python).
"""

from __future__ import annotations

import concurrent.futures
import functools
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING

from generator import statement_chunks
from generator.diagnostics import TemplateBug
from generator.format_cache import FormatCache, piece_key

if TYPE_CHECKING:
    from black.mode import Mode

log = logging.getLogger("shapesmith")


class InvalidModule(TemplateBug):
    """A rendered module that is not valid Python; `path` names it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"rendering {path} produced invalid Python: {message}")
        self.path = path


LINE_LENGTH = 100
TARGET_VERSION = "py311"
"""black's target version (its `--target-version`, `TargetVersion.PY311`)."""
_SALT = (
    f"{statement_chunks.FORMAT_SCHEME}\0{metadata.version('black')}\0{TARGET_VERSION} {LINE_LENGTH}"
)
"""What decides black's output besides the source; black itself is imported only when a
piece is not in the cache (it is a fifth of a warm run's start-up)."""


@functools.cache
def black_mode() -> Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion[TARGET_VERSION.upper()]}, line_length=LINE_LENGTH)


_PARALLEL_FROM = 200_000
"""Characters of unformatted source below which starting worker processes costs more than
it saves."""


@dataclass
class FormatStats:
    pieces: int = 0
    formatted: int = 0
    """Pieces black formatted in this run (the rest came from the cache)."""
    workers: int = 1


def format_sources(
    sources: Mapping[str, str], cache: FormatCache | None = None, stats: FormatStats | None = None
) -> dict[str, str]:
    """Every module of `sources` formatted by black and proven to compile; a module that does
    not raises `InvalidModule` naming its path."""
    cache = cache if cache is not None else FormatCache(None)
    stats = stats if stats is not None else FormatStats()
    # Only what compiled is remembered, so a module, or a piece, seen before needs neither
    # formatting nor compiling again (a piece compiles alone exactly when in its module).
    module_keys = {path: piece_key(_SALT, f"module\0{source}") for path, source in sources.items()}
    seen = cache.get_many(module_keys.values())
    formatted = {path: seen[key] for path, key in module_keys.items() if key in seen}
    cuts = {
        path: statement_chunks.split(source)
        for path, source in sources.items()
        if path not in formatted
    }
    keys = {
        path: [
            piece_key(_SALT, f"{cut.compile_flags}\0{piece.in_class}\0{piece.text}")
            for piece in cut.pieces
        ]
        for path, cut in cuts.items()
    }
    known = cache.get_many(key for found in keys.values() for key in found)
    missing: dict[str, _Job] = {}
    for path, cut in cuts.items():
        for key, piece in zip(keys[path], cut.pieces, strict=True):
            if key not in known:
                missing[key] = (piece.text, cut.compile_flags, piece.in_class)
    stats.pieces = sum(len(found) for found in keys.values())
    stats.formatted = len(missing)
    fresh = _format_all(missing, stats)
    failed = {key for key, text in fresh.items() if text is None}
    known.update((key, text) for key, text in fresh.items() if text is not None)
    for path, cut in cuts.items():
        if failed.intersection(keys[path]):
            _raise_for(path, sources[path])
        formatted[path] = statement_chunks.join([known[key] for key in keys[path]], cut.pieces)
    remembered = {key: text for key, text in fresh.items() if text is not None}
    remembered.update((module_keys[path], formatted[path]) for path in cuts)
    cache.put_many(remembered)
    log.debug(
        "black: %d of %d modules remembered whole; of the others' %d pieces, %d formatted "
        "(%d worker%s), the rest remembered",
        len(sources) - len(cuts),
        len(sources),
        stats.pieces,
        stats.formatted,
        stats.workers,
        "" if stats.workers == 1 else "s",
    )
    return {path: formatted[path] for path in sources}


def _raise_for(path: str, source: str) -> None:
    """Formats and compiles the whole module, to report what is wrong with it where it is."""
    import black
    from black.parsing import InvalidInput

    try:
        # black parses leniently (it accepts, say, a parameter named twice); the compiler
        # does not.
        compile(black.format_str(source, mode=black_mode()), path, "exec", dont_inherit=True)
    except (InvalidInput, SyntaxError) as error:
        raise InvalidModule(path, str(error)) from error
    raise InvalidModule(path, "the whole module compiles but a piece of it does not")


_Job = tuple[str, int, bool]
"""A piece to format: its text, its module's `__future__` flags, whether it is in a class."""


def _format_all(missing: Mapping[str, _Job], stats: FormatStats) -> dict[str, str | None]:
    if not missing:
        return {}
    import black  # noqa: F401  (before the workers fork, so that each has it already)

    size = sum(len(job[0]) for job in missing.values())
    workers = min(_cpus(), 1 + size // _PARALLEL_FROM)
    if workers < 2:
        return {key: _format_piece(piece) for key, piece in missing.items()}
    stats.workers = workers
    keys = sorted(missing, key=lambda key: -len(missing[key][0]))
    # the longest pieces first, dealt round-robin, so the batches come out about even
    batches = [keys[index::workers] for index in range(workers)]
    context = multiprocessing.get_context(_start_method())
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        results = pool.map(_format_batch, [[missing[key] for key in batch] for batch in batches])
        return {
            key: text
            for batch, texts in zip(batches, results, strict=True)
            for key, text in zip(batch, texts, strict=True)
        }


def _format_batch(pieces: list[_Job]) -> list[str | None]:
    return [_format_piece(piece) for piece in pieces]


def _format_piece(piece: _Job) -> str | None:
    """The piece formatted, or None when black or the compiler refuses it."""
    import black
    from black.parsing import InvalidInput

    text, compile_flags, in_class = piece
    header = statement_chunks.CLASS_HEADER if in_class else ""
    try:
        formatted = black.format_str(header + text, mode=black_mode())
        compile(formatted, "<piece>", "exec", flags=compile_flags, dont_inherit=True)
    except (InvalidInput, SyntaxError):
        return None
    if not formatted.startswith(header):
        return None
    return formatted.removeprefix(header)


def _start_method() -> str:
    """ "fork" where it is safe (Linux, no other thread): workers start at once and nothing of
    the caller's `__main__` is run again; "spawn" elsewhere (a program with threads, such as a
    test's server, must not be forked)."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1
