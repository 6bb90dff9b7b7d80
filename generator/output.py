"""Put rendered files on disk atomically, or compare them with what is on disk."""

from __future__ import annotations

import difflib
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

# Left behind by tools that import or type-check the generated code; never part of the output.
_IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


def write_tree(output: Path, files: Mapping[str, str]) -> None:
    """Replace `output` with exactly `files`, so a failure never leaves half a tree behind.

    Everything is written into a temporary sibling directory first; only then is the old tree
    moved aside and the new one moved into its place.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for relative, text in sorted(files.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        backup = None
        if output.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
            backup.rmdir()
            output.rename(backup)
        try:
            staging.rename(output)
        except BaseException:
            if backup is not None:
                backup.rename(output)
            raise
        if backup is not None:
            shutil.rmtree(backup)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _files_on_disk(output: Path) -> dict[str, Path]:
    if not output.is_dir():
        return {}
    found = {}
    for path in output.rglob("*"):
        relative = path.relative_to(output)
        if path.is_file() and not _IGNORED_PARTS.intersection(relative.parts):
            found[relative.as_posix()] = path
    return found


def diff_tree(output: Path, files: Mapping[str, str], label: str) -> list[str]:
    """Unified diffs of every file that differs between `files` and `output` (empty if in sync)."""
    on_disk = _files_on_disk(output)
    diffs = []
    for relative in sorted(set(files) | set(on_disk)):
        expected = files.get(relative, "")
        path = on_disk.get(relative)
        try:
            actual = path.read_bytes().decode("utf-8") if path is not None else ""
        except UnicodeDecodeError:
            actual = "<not UTF-8 text>\n"
        if expected == actual and (path is not None) == (relative in files):
            continue
        name = f"{label}/{relative}"
        lines = difflib.unified_diff(
            actual.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            fromfile=f"{name} (on disk)" if path is not None else "/dev/null",
            tofile=f"{name} (from the model)" if relative in files else "/dev/null",
        )
        diffs.append("".join(lines))
    return diffs
