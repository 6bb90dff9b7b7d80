"""Which folders shapesmith may replace with its output, and which it must leave alone.

- Never, `--force` or not: the project root (the configuration's folder) or a parent of it, a
  folder that holds the configuration or a model file, a folder that holds or sits inside a
  version-control folder, a file, a dangling symbolic link.
- Without `--force`: only a folder that is absent, empty, or holds nothing but what its
  `shapesmith-manifest.json` lists (tool caches such as `__pycache__` aside).

The manifest is only ever compared with names found on disk; its entries are never used to find,
open or delete anything, so a hostile manifest (`../x`, `/etc`) can at most fail to match.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, ShapesmithError, fail
from generator.manifest_file import Unreadable, read_manifest

MANIFEST_NAME = "shapesmith-manifest.json"

# Left behind by tools that import or type-check the generated code; never part of the output.
IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})
VCS_FOLDERS = frozenset({".git", ".hg", ".svn", ".bzr"})

# Far more than any output (a package is a few dozen files); a folder this large is not ours, and
# looking through it any further would only make a mistaken `output` slow to report.
MAX_ENTRIES = 100_000
# Files listed by name in a refusal; the rest are counted.
MAX_LISTED = 20


@dataclass(frozen=True)
class Keep:
    """What an output folder may never be, hold or be a parent of, whatever `--force` says."""

    project_root: Path
    files: tuple[Path, ...]  # the configuration and the model files
    root_is: str = "the folder of the configuration"
    """What the project root is, for refusals (a `--model` run's is the current folder)."""


@dataclass(frozen=True)
class Entry:
    """A name under a folder, found without following symbolic links."""

    parts: tuple[str, ...]
    kind: str  # "file", "folder", "link" or "other"

    @property
    def relative(self) -> str:
        return "/".join(self.parts)

    @property
    def ignored(self) -> bool:
        return not IGNORED_PARTS.isdisjoint(self.parts)


def file_hashes(files: Mapping[str, str]) -> dict[str, str]:
    """The `files` section of a manifest: every path written, with the sha256 of its text."""
    return {path: hashlib.sha256(text.encode()).hexdigest() for path, text in sorted(files.items())}


def walk(folder: Path) -> Iterator[Entry]:
    """Every name under `folder`, depth first; symbolic links are reported, never followed."""
    pending: list[tuple[str, ...]] = [()]
    while pending:
        parts = pending.pop()
        with os.scandir(folder.joinpath(*parts)) as found:
            for item in sorted(found, key=lambda item: item.name):
                kind = _kind(item)
                yield Entry((*parts, item.name), kind)
                if kind == "folder":
                    pending.append((*parts, item.name))


def _kind(item: os.DirEntry[str]) -> str:
    if item.is_symlink():
        return "link"
    if item.is_dir(follow_symlinks=False):
        return "folder"
    if item.is_file(follow_symlinks=False):
        return "file"
    return "other"


def real_folder(output: Path) -> Path:
    """The folder `output` names, symbolic links resolved: what would really be replaced."""
    try:
        target = output.resolve()
    except (OSError, RuntimeError) as error:  # a loop of symbolic links
        raise fail(str(output), "", f"cannot resolve the output folder: {error}") from None
    if os.path.islink(output) and not os.path.lexists(target):
        raise fail(str(output), "", f"is a symbolic link to {target}, which does not exist")
    if os.path.lexists(target) and not target.is_dir():
        raise fail(str(output), "", "is a file, not a folder; shapesmith writes a folder here")
    return target


def refuse_unsafe(output: Path, target: Path, keep: Keep) -> None:
    """Refuse, `--force` or not, an output that is or holds the project, its models or its VCS."""
    shown = str(output)
    root = keep.project_root.resolve()
    never = "; choose another output folder (--force does not change this)"
    if target == root:
        raise fail(shown, "", f"is the project root, {keep.root_is}{never}")
    if root.is_relative_to(target):
        raise fail(shown, "", f"is a parent of the project root {root}{never}")
    problems = []
    for file in keep.files:
        # Both where the name is and where a symbolic link of that name leads.
        for place in (file.parent.resolve() / file.name, file.resolve()):
            if place.is_relative_to(target):
                problems.append(f"holds {file}, which this project reads{never}")
                break
    inside = [part for part in target.parts if part in VCS_FOLDERS]
    if inside:
        problems.append(f"is inside a version-control folder ({inside[0]}){never}")
    home = _home()
    if home is not None and home.is_relative_to(target):
        problems.append(f"is the home folder or a parent of it{never}")
    if problems:
        raise ShapesmithError(Diagnostic(shown, "", problem) for problem in problems)


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (OSError, RuntimeError, KeyError):
        return None


def refuse_contents(output: Path, target: Path, *, force: bool) -> None:
    """Refuse a folder holding a version-control folder; without `force`, one holding anything
    that its manifest does not list."""
    if not os.path.lexists(target):
        return
    entries = _survey(output, target)
    vcs = [entry for entry in entries if entry.parts[-1] in VCS_FOLDERS]
    if vcs:
        raise ShapesmithError(
            Diagnostic(
                _shown(output, entry),
                "",
                "a version-control folder: shapesmith never replaces a folder that holds one "
                "(--force does not change this)",
            )
            for entry in vcs[:MAX_LISTED]
        )
    if force:
        return
    owned, why_not = manifest_files(target)
    strangers = _strangers(entries, owned)
    if not strangers:
        return
    reason = why_not or f"not listed in its {MANIFEST_NAME}"
    count = len(strangers)
    one = count == 1
    listed = f"; the first {MAX_LISTED} follow" if count > MAX_LISTED else ""
    headline = (
        f"holds {count} {'entry' if one else 'entries'} that {'is' if one else 'are'} not "
        f"shapesmith's output ({reason}){listed}; move {'it' if one else 'them'} out of the "
        f"folder, or pass --force to replace the folder anyway (deleting {'it' if one else 'them'})"
    )
    diagnostics = [Diagnostic(str(output), "", headline)]
    for entry in strangers[:MAX_LISTED]:
        what = {"file": "file", "folder": "folder", "link": "symbolic link"}.get(
            entry.kind, "special file"
        )
        diagnostics.append(
            Diagnostic(_shown(output, entry), "", f"a {what} that is not shapesmith's output")
        )
    raise ShapesmithError(diagnostics)


def _survey(output: Path, target: Path) -> list[Entry]:
    entries = []
    for entry in walk(target):
        entries.append(entry)
        if len(entries) > MAX_ENTRIES:
            raise fail(
                str(output),
                "",
                f"holds more than {MAX_ENTRIES} files and folders, far more than shapesmith "
                "ever writes; choose another output folder",
            )
    return entries


def _strangers(entries: list[Entry], owned: frozenset[str]) -> list[Entry]:
    """The topmost entries the manifest does not list: a foreign folder, not all its contents.
    A folder holding nothing but tool caches is as good as empty and not listed."""
    owned_folders = {
        "/".join(path.split("/")[:end]) for path in owned for end in range(1, path.count("/") + 1)
    }
    holding = _folders_holding_something(entries)
    strangers: list[Entry] = []
    foreign: set[tuple[str, ...]] = set()
    for entry in sorted(entries, key=lambda entry: entry.parts):
        if entry.ignored or any(entry.parts[:end] in foreign for end in range(1, len(entry.parts))):
            continue
        if entry.kind == "folder":
            if entry.relative not in owned_folders and entry.parts in holding:
                strangers.append(entry)
                foreign.add(entry.parts)
        elif entry.kind != "file" or entry.relative not in owned:
            strangers.append(entry)
    return strangers


def _folders_holding_something(entries: list[Entry]) -> set[tuple[str, ...]]:
    """Folders that are empty, or hold (at any depth) something other than tool caches."""
    parents = {entry.parts[:-1] for entry in entries}
    holding: set[tuple[str, ...]] = set()
    for entry in entries:
        if entry.ignored or (entry.kind == "folder" and entry.parts in parents):
            continue
        last = len(entry.parts) if entry.kind == "folder" else len(entry.parts) - 1
        holding.update(entry.parts[:end] for end in range(1, last + 1))
    return holding


def manifest_files(folder: Path) -> tuple[frozenset[str], str]:
    """The paths a folder's manifest lists (the manifest included), or nothing and why."""
    path = folder / MANIFEST_NAME
    if not os.path.lexists(path):
        return frozenset(), f"it has no {MANIFEST_NAME}"
    try:
        document = read_manifest(path)
    except Unreadable as why:
        return frozenset(), f"its {MANIFEST_NAME} {why}"
    if (
        not isinstance(document, dict)
        or document.get("generator") != "shapesmith"
        or not isinstance(document.get("files"), dict)
    ):
        return frozenset(), f"its {MANIFEST_NAME} is not a shapesmith manifest"
    return frozenset(document["files"]) | {MANIFEST_NAME}, ""


def _shown(output: Path, entry: Entry) -> str:
    """A path for a diagnostic line; names that would break the line are escaped."""
    text = str(output / entry.relative) + ("/" if entry.kind == "folder" else "")
    return text if text.isprintable() else ascii(text)
