"""What an output folder was generated from, as one sha256, so that `check` can vouch for an
unchanged tree without rendering it again.

The digest covers everything the output is a function of: shapesmith itself (its code, its
templates and static files, black's version and the formatting scheme), the configuration's
selection and model list, the maintainer's templates, and the bytes of every file the model was
read from (OpenAPI documents' `$ref`ed files included). The manifest records it with the list of
files it hashed; when all of them hash the same today and the output files still match the
manifest's own hashes, `generate` would write exactly what is there.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path

from generator.config import Config
from generator.output import files_on_disk
from generator.ownership import MANIFEST_NAME
from generator.statement_chunks import FORMAT_SCHEME
from generator.template_set import TemplateSet, shipped_hash


def inputs_record(
    config: Config, read_files: Iterable[Path], templates: TemplateSet
) -> dict[str, object]:
    """The manifest's `inputs` section."""
    files = [_display(path, config.root) for path in read_files]
    return {"files": files, "sha256": _digest(config, files, templates)}


def unchanged(config: Config, templates: TemplateSet) -> int | None:
    """How many files the output folder holds, if its manifest vouches that generating again
    would write exactly them; None when only rendering can tell."""
    try:
        manifest = json.loads((config.output / MANIFEST_NAME).read_text("utf-8"))
        inputs = manifest["inputs"]
        recorded_files = manifest["files"]
        listed = inputs["files"]
        if not isinstance(listed, list) or not all(isinstance(f, str) for f in listed):
            return None
        if inputs["sha256"] != _digest(config, listed, templates):
            return None
        if not isinstance(recorded_files, dict) or not _output_matches(
            config.output, recorded_files
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return len(recorded_files) + 1


def _digest(config: Config, files: list[str], templates: TemplateSet) -> str:
    document = {
        "tool": tool_digest(),
        "operations": list(config.operations),
        "models": [_display(path, config.root) for path in config.models],
        "user_templates": templates.user_hashes(),
        "files": {name: _input_hash(config.root / name) for name in files},
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


@cache
def tool_digest() -> str:
    """shapesmith as it is installed: its code, data, templates, and its formatter. The same
    for a checkout and a wheel of one commit (a wheel keeps the templates inside the package;
    `shipped_hash` covers them wherever they are), and for either line ending."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*"), key=lambda p: p.relative_to(package).parts):
        parts = path.relative_to(package).parts
        if parts[0] == "templates" or any(p == "__pycache__" or p[0] == "." for p in parts):
            continue
        if path.is_file():
            digest.update("/".join(parts).encode() + b"\0")
            digest.update(hashlib.sha256(_normalized(path)).digest())
    digest.update(shipped_hash().encode())
    digest.update(f"black {metadata.version('black')} {FORMAT_SCHEME}".encode())
    return digest.hexdigest()


def _output_matches(output: Path, recorded: Mapping[str, object]) -> bool:
    found = files_on_disk(output)
    if set(found) != {*recorded, MANIFEST_NAME}:
        return False
    return all(
        stat.S_ISREG(os.lstat(found[name]).st_mode) and _file_hash(found[name]) == sha
        for name, sha in recorded.items()
    )


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _input_hash(path: Path) -> str:
    """A model file's hash, alike for either line ending (a checkout on Windows may have
    either)."""
    try:
        return hashlib.sha256(_normalized(path)).hexdigest()
    except OSError:
        return "unreadable"


def _normalized(path: Path) -> bytes:
    return path.read_bytes().replace(b"\r\n", b"\n")


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def inputs_as_on_disk(output: Path, files: Mapping[str, str]) -> dict[str, str]:
    """`files`, but with the manifest on disk in place of the rendered one where the two differ
    only in their `inputs`: that record is a memo for the short-cut, not generated content, so
    a model file written differently but meaning the same (or a selection spelt differently)
    is no drift."""
    rendered = files.get(MANIFEST_NAME)
    try:
        on_disk = (output / MANIFEST_NAME).read_text("utf-8")
        if rendered is not None and _without_inputs(on_disk) == _without_inputs(rendered):
            return {**files, MANIFEST_NAME: on_disk}
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    return dict(files)


def _without_inputs(manifest: str) -> object:
    document = json.loads(manifest)
    if isinstance(document, dict):
        document.pop("inputs", None)
    return document
