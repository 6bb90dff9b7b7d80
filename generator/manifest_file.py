"""Reading back a JSON manifest shapesmith wrote, from a folder that anyone may have edited since.

A manifest is read only if it is a regular file of bounded size: no following a symbolic link
swapped in, no waiting on a pipe, no reading a huge file into memory.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

# Far more than any manifest shapesmith writes (a few kilobytes per package).
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


class Unreadable(Exception):
    """Why a manifest cannot be read, in words that follow its name ("is not a regular file")."""


def read_manifest(path: Path) -> object:
    """The JSON document in `path`; `Unreadable` says why there is none."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise Unreadable("does not exist") from None
    except OSError as error:
        raise Unreadable(f"cannot be read: {error}") from None
    if not stat.S_ISREG(mode):
        raise Unreadable("is not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as file:
            data = file.read(MAX_MANIFEST_BYTES + 1)
    except OSError as error:
        raise Unreadable(f"cannot be read: {error}") from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise Unreadable("is larger than any manifest shapesmith writes")
    try:
        document: object = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise Unreadable(f"is not valid JSON: {error}") from None
    return document
