"""Replace a folder with a new tree so that, whenever the process dies, the folder's path holds
the complete old tree or the complete new one.

The new tree is written into a staging folder beside the target and swapped in with one
renameat2(RENAME_EXCHANGE); the old tree, left where the staging folder was, is then removed.
Where that swap is not available, the old tree is renamed aside before the new one is renamed in;
a crash between the two leaves no tree at the path, and the next run puts the old one back.

A journal beside the target (`.<name>.shapesmith-journal`) names both temporary folders before
either exists and is removed last; it is also the lock that keeps two runs apart. A run that finds
a journal left behind finishes what it says: it restores the old tree if the target is missing,
and removes the temporary folders the journal names (only names of the form this module gives
them, beside the target; nothing else is ever deleted on a journal's word).
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from generator import atomic_rename
from generator.diagnostics import fail

if sys.platform != "win32":
    import fcntl

log = logging.getLogger("shapesmith")

# The points at which a test can stop a real run (see `_reached`), in the order a run meets them.
# "old-moved-aside" happens only without RENAME_EXCHANGE, the last three only if there was an
# old tree.
STEPS = (
    "journal-written",
    "staging-created",
    "file-written",
    "staging-complete",
    "old-moved-aside",
    "swapped",
    "old-partly-removed",
    "old-removed",
)
CRASH_AT = "SHAPESMITH_TEST_CRASH_AT"  # os._exit(99) at this step
INTERRUPT_AT = "SHAPESMITH_TEST_INTERRUPT_AT"  # raise KeyboardInterrupt at this step
PAUSE_AT = "SHAPESMITH_TEST_PAUSE_AT"  # say so on stderr and sleep, for a real SIGINT
NO_EXCHANGE = "SHAPESMITH_TEST_NO_EXCHANGE"  # "1": take the two-rename path
CRASH_EXIT_CODE = 99
PAUSE_SECONDS = 60

_JOURNAL_KIND = "shapesmith output journal"
_MAX_JOURNAL_BYTES = 64 * 1024
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_SYNCING_WRITERS = 8
_LOCK_ATTEMPTS = 10


def _reached(step: str) -> None:
    """Test hooks: tests stop a real process here, at each step, to prove any stop is safe."""
    assert step in STEPS, step
    if os.environ.get(CRASH_AT) == step:
        os._exit(CRASH_EXIT_CODE)
    if os.environ.get(INTERRUPT_AT) == step:
        raise KeyboardInterrupt
    if os.environ.get(PAUSE_AT) == step:
        print(f"shapesmith: paused at {step}", file=sys.stderr, flush=True)
        time.sleep(PAUSE_SECONDS)


def journal_path(target: Path) -> Path:
    return target.parent / f".{target.name}.shapesmith-journal"


class Replacement:
    """`with Replacement(target) as r: r.replace(files)`. Entering takes the lock and finishes
    whatever a crashed run left; leaving removes what this run left (after an error or Ctrl-C:
    the staging folder, and the old tree is put back if it had been moved aside)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.journal = journal_path(target)
        self._descriptor = -1
        self._plan: dict[str, str] | None = None

    def __enter__(self) -> Replacement:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._descriptor = _lock(self.target, self.journal)
        left_behind = None
        try:
            left_behind = _read_plan(self._descriptor, self.target)
            if left_behind is not None:
                log.info("finishing what an interrupted run left beside %s", self.target)
                _finish(self.target, left_behind)
        except BaseException:
            if left_behind is None:  # nothing to finish: do not leave an empty journal behind
                os.unlink(self.journal)
            os.close(self._descriptor)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if self._plan is not None:
                _finish(self.target, self._plan)
            os.unlink(self.journal)
            _sync_folder(self.target.parent)
        finally:
            os.close(self._descriptor)

    def replace(self, files: Mapping[str, bytes]) -> None:
        """Put exactly `files` at the target. The target folder keeps its permission bits."""
        target, parent = self.target, self.target.parent
        self._plan = {
            "kind": _JOURNAL_KIND,
            "target": target.name,
            "staging": _temporary_name(target, "new"),
            "aside": _temporary_name(target, "old"),
        }
        _write_plan(self._descriptor, self._plan)
        _sync_folder(parent)
        _reached("journal-written")

        staging = parent / self._plan["staging"]
        os.mkdir(staging, 0o777)
        _reached("staging-created")
        _write_files(staging, files)
        existed = os.path.lexists(target)
        if existed:
            os.chmod(staging, stat.S_IMODE(os.stat(target).st_mode))
        _reached("staging-complete")

        if not existed:
            atomic_rename.rename_new(staging, target)
            _sync_folder(parent)
            _reached("swapped")
            return
        if os.environ.get(NO_EXCHANGE) != "1" and atomic_rename.exchange(staging, target):
            old = staging
        else:
            old = parent / self._plan["aside"]
            os.rename(target, old)
            _sync_folder(parent)
            _reached("old-moved-aside")
            os.rename(staging, target)
        _sync_folder(parent)
        _reached("swapped")
        _remove_tree(old, step="old-partly-removed")
        _reached("old-removed")


def recover(target: Path) -> None:
    """Finish what a run that died while replacing `target` left, if anything."""
    with Replacement(target):
        pass


def _temporary_name(target: Path, role: str) -> str:
    return f".{target.name}.shapesmith-{role}-{secrets.token_hex(8)}"


def _is_temporary_name(target: Path, name: object) -> bool:
    pattern = re.escape(f".{target.name}.shapesmith-") + r"(new|old)-[0-9a-f]{16}"
    return isinstance(name, str) and re.fullmatch(pattern, name) is not None


def _finish(target: Path, plan: Mapping[str, str]) -> None:
    """Leave the target holding a complete tree, and no temporary folder beside it."""
    parent = target.parent
    aside, staging = plan.get("aside"), plan.get("staging")
    if _is_temporary_name(target, aside) and _is_folder(parent / str(aside)):
        if os.path.lexists(target):
            _remove_tree(parent / str(aside))
        else:  # died between moving the old tree aside and the new one in
            atomic_rename.rename_new(parent / str(aside), target)
    if _is_temporary_name(target, staging) and _is_folder(parent / str(staging)):
        _remove_tree(parent / str(staging))
    _sync_folder(parent)


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def _lock(target: Path, journal: Path) -> int:
    """Open the journal and lock it; refuse if another run holds it."""
    for _ in range(_LOCK_ATTEMPTS):
        descriptor = os.open(journal, os.O_RDWR | os.O_CREAT | _NO_FOLLOW, 0o666)
        try:
            if not _try_lock(descriptor):
                raise fail(
                    str(target),
                    "",
                    f"another shapesmith run is writing this folder (it holds {journal})",
                )
            opened = os.fstat(descriptor)
            if not stat.S_ISREG(opened.st_mode):
                raise fail(str(journal), "", "is not a regular file; remove it")
            try:
                current = os.lstat(journal)
            except FileNotFoundError:
                current = None
            # The run before us may have removed the journal between our open and our lock.
            if current is not None and (current.st_dev, current.st_ino) == (
                opened.st_dev,
                opened.st_ino,
            ):
                return descriptor
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)
    raise fail(str(journal), "", "could not be locked; is another shapesmith run busy?")


def _try_lock(descriptor: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - no advisory locks; runs are not kept apart
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _read_plan(descriptor: int, target: Path) -> dict[str, str] | None:
    """The plan of a run that died, if its journal says one. A journal cut short while being
    written names no folder that exists yet, so one that cannot be read is safely ignored."""
    data = os.pread(descriptor, _MAX_JOURNAL_BYTES, 0)
    try:
        plan = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if (
        not isinstance(plan, dict)
        or plan.get("kind") != _JOURNAL_KIND
        or plan.get("target") != target.name
    ):
        return None
    return {key: value for key, value in plan.items() if isinstance(value, str)}


def _write_plan(descriptor: int, plan: Mapping[str, str]) -> None:
    data = json.dumps(plan, sort_keys=True).encode("utf-8")
    os.ftruncate(descriptor, 0)
    written = 0
    while written < len(data):
        written += os.pwrite(descriptor, data[written:], written)
    os.fsync(descriptor)


def _write_files(staging: Path, files: Mapping[str, bytes]) -> None:
    """Write every file (new files, the umask's modes), each synced before the tree is swapped in."""
    folders = {staging}
    targets: list[tuple[Path, bytes]] = []
    for relative, data in sorted(files.items()):
        parts = relative.split("/")
        if relative.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"not a relative path inside the output: {relative!r}")
        folder = staging
        for part in parts[:-1]:
            folder = folder / part
            if folder not in folders:
                os.mkdir(folder, 0o777)
                folders.add(folder)
        targets.append((folder / parts[-1], data))
    if targets:
        _write_file(*targets[0])
        _reached("file-written")
    # Each file's fsync waits for the disk; waited for side by side, the file system commits
    # them together (a whole service's 500 files: about 0.8 s one by one, 0.3 s this way).
    pool = ThreadPoolExecutor(max_workers=_SYNCING_WRITERS)
    try:
        for _ in pool.map(lambda target: _write_file(*target), targets[1:]):
            pass
    finally:
        # An interrupted or failed run writes no more files than those already under way.
        pool.shutdown(wait=True, cancel_futures=True)
    for folder in folders:
        _sync_folder(folder)


def _write_file(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """Make the names in `folder` durable (a rename is only on disk once its folder is synced)."""
    if sys.platform == "win32":  # pragma: no cover - folders cannot be opened there
        return
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_tree(folder: Path, step: str | None = None) -> None:
    """Remove a temporary folder of ours, entry by entry. Symbolic links inside are removed, never
    followed; read-only folders (an old tree may have them) are made writable first."""
    mode = stat.S_IMODE(os.lstat(folder).st_mode)
    if mode & stat.S_IRWXU != stat.S_IRWXU:
        os.chmod(folder, mode | stat.S_IRWXU)
    with os.scandir(folder) as found:
        names = sorted(item.name for item in found)
    for index, name in enumerate(names):
        _remove_entry(folder / name)
        if index == 0 and step is not None:
            _reached(step)
    os.rmdir(folder)


def _remove_entry(path: Path) -> None:
    if not _is_folder(path):
        os.unlink(path)
        return
    try:
        shutil.rmtree(path)
    except PermissionError:
        _make_writable(path)
        shutil.rmtree(path)


def _make_writable(folder: Path) -> None:
    pending = [folder]
    while pending:
        current = pending.pop()
        os.chmod(current, stat.S_IMODE(os.lstat(current).st_mode) | stat.S_IRWXU)
        with os.scandir(current) as found:
            pending.extend(Path(item.path) for item in found if item.is_dir(follow_symlinks=False))
