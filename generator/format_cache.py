"""What black made of each piece of source it was given, kept between runs (content-addressed).

A key is the SHA-256 of black's version, its mode, the splitting scheme and the unformatted
piece, so an entry can only ever answer for exactly what produced it. The store is one SQLite
file in the user's cache folder (`$SHAPESMITH_CACHE_DIR`, else `$XDG_CACHE_HOME/shapesmith`, else
`~/.cache/shapesmith`), like black's own cache. It is an accelerator and nothing more: when it
cannot be opened, read or written, shapesmith formats everything itself and says so with -v.
Its size is bounded: past `MAX_ENTRIES`, the entries used longest ago are dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

log = logging.getLogger("shapesmith")

MAX_ENTRIES = 200_000
"""About thirty whole AWS services' worth of pieces; a few hundred megabytes at most."""
_FILE_NAME = "format-cache.sqlite3"
_BATCH = 500  # SQLite's default limit on bound parameters is far above this


def cache_folder() -> Path:
    configured = os.environ.get("SHAPESMITH_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "shapesmith"


def piece_key(salt: str, text: str) -> str:
    return hashlib.sha256(f"{salt}\0{text}".encode()).hexdigest()


class FormatCache:
    """Formatted pieces by key; `FormatCache(None)` remembers nothing (`--no-cache`)."""

    def __init__(self, folder: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(folder / _FILE_NAME, timeout=10, isolation_level=None)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS pieces"
                " (key TEXT PRIMARY KEY, text TEXT NOT NULL, used REAL NOT NULL)"
            )
        except (OSError, sqlite3.Error) as error:
            self._give_up(error)

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        if self._db is None:
            return {}
        wanted = sorted(set(keys))
        found: dict[str, str] = {}
        try:
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    f"SELECT key, text FROM pieces WHERE key IN ({marks})", batch
                )
                found.update((key, text) for key, text in rows)
            self._touch(found)
        except sqlite3.Error as error:
            self._give_up(error)
            return {}
        return found

    def put_many(self, entries: Mapping[str, str]) -> None:
        if self._db is None or not entries:
            return
        now = time.time()
        try:
            with self._transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO pieces (key, text, used) VALUES (?, ?, ?)",
                    [(key, text, now) for key, text in entries.items()],
                )
                (count,) = db.execute("SELECT COUNT(*) FROM pieces").fetchone()
                if count > MAX_ENTRIES:
                    db.execute(
                        "DELETE FROM pieces WHERE key IN"
                        " (SELECT key FROM pieces ORDER BY used LIMIT ?)",
                        (count - MAX_ENTRIES,),
                    )
        except sqlite3.Error as error:
            self._give_up(error)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _touch(self, found: Mapping[str, str]) -> None:
        if not found:
            return
        assert self._db is not None
        now = time.time()
        with self._transaction() as db:
            db.executemany("UPDATE pieces SET used = ? WHERE key = ?", [(now, k) for k in found])

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        assert self._db is not None
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _give_up(self, error: Exception) -> None:
        log.info("the format cache is not used: %s", error)
        self.close()
