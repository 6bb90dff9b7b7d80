"""Put rendered files on disk, replacing a folder only if it is ours; or compare them with disk.

What may be replaced is decided in `ownership`; how it is replaced safely, in `replace`.
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from generator import ownership
from generator.diagnostics import fail
from generator.ownership import Keep
from generator.replace import Replacement


def write_tree(output: Path, files: Mapping[str, str], keep: Keep, *, force: bool = False) -> bool:
    """Replace the folder `output` with exactly `files` (one of which is the manifest); False
    when it already holds exactly them, byte for byte, and is left untouched.

    Refused, with nothing written, if `output` is or holds what `keep` names, or (unless `force`)
    if it holds anything the manifest there does not list. At every moment `output` holds the
    complete old tree or the complete new one.
    """
    target = ownership.real_folder(output)
    ownership.refuse_unsafe(output, target, keep)
    encoded = {path: text.encode("utf-8") for path, text in files.items()}
    try:
        with Replacement(target) as replacement:
            ownership.refuse_contents(output, target, force=force)
            # Rewriting an identical tree would cost a sync per file and new modification
            # times for the build tools downstream, and change nothing.
            if _holds_exactly(target, encoded):
                return False
            replacement.replace(encoded)
    except OSError as error:
        raise fail(str(output), "", f"cannot replace the output folder: {error}") from None
    return True


def _holds_exactly(folder: Path, files: Mapping[str, bytes]) -> bool:
    on_disk = files_on_disk(folder)
    if on_disk.keys() != files.keys():
        return False
    for relative, path in on_disk.items():
        if not stat.S_ISREG(os.lstat(path).st_mode) or path.read_bytes() != files[relative]:
            return False
    return True


def files_on_disk(output: Path) -> dict[str, Path]:
    """What `check` compares: every file (or link, or other non-folder) under `output`, by its
    path there, but for what version control and Python leave behind."""
    if not output.is_dir():
        return {}
    return {
        entry.relative: output / entry.relative
        for entry in ownership.walk(output)
        if entry.kind != "folder" and not entry.ignored
    }


def _text_on_disk(path: Path) -> str:
    if not stat.S_ISREG(os.lstat(path).st_mode):
        return "<not a regular file>\n"
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "<not UTF-8 text>\n"


def diff_tree(output: Path, files: Mapping[str, str], label: str) -> list[str]:
    """Unified diffs of every file that differs between `files` and `output` (empty if in sync)."""
    on_disk = files_on_disk(output)
    diffs = []
    for relative in sorted(set(files) | set(on_disk)):
        expected = files.get(relative, "")
        path = on_disk.get(relative)
        actual = _text_on_disk(path) if path is not None else ""
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
