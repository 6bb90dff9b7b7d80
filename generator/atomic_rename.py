"""Linux's renameat2(2): swap two folders in one step, or rename without replacing.

Where the call or its flag is not available (another system, an old C library, a file system
that does not support it), `exchange` says so and the caller falls back to two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
# What renameat2 answers when the kernel, or the file system, does not know the call or the flag.
_UNSUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP})


def _load() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    renameat2: Callable[..., int] = function
    return renameat2


_renameat2 = _load()


def _call(source: Path, destination: Path, flags: int) -> bool:
    """True if done; False if this system cannot do it. Any other failure raises OSError."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(destination), flags)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(source), None, str(destination))


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically: True if done, False if this system cannot."""
    return _call(first, second, _RENAME_EXCHANGE)


def rename_new(source: Path, destination: Path) -> None:
    """Rename `source` to `destination`, which must not exist (not even as an empty folder)."""
    if not _call(source, destination, _RENAME_NOREPLACE):
        if os.path.lexists(destination):
            raise FileExistsError(errno.EEXIST, "already exists", str(destination))
        os.rename(source, destination)
