"""What a generated package says about itself: `shapesmith-package.json`, kept inside the package
so that a vendored copy (the folder copied, perhaps renamed) still says where it came from.

Written with the package, read back by `shapesmith check --package`; like the output's manifest,
what it lists is only compared, never used to find or open anything.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, ShapesmithError, fail, json_pointer
from generator.manifest_file import Unreadable, read_manifest
from generator.ownership import MANIFEST_NAME, file_hashes

PACKAGE_MANIFEST_NAME = "shapesmith-package.json"


@dataclass(frozen=True)
class PackageIdentity:
    """Where a package came from: what generated it, from which models, for which operations."""

    generator_version: str
    runtime_version: str
    package: str
    service: str
    operations: tuple[str, ...]
    model_files: tuple[str, ...]
    model_sha256: str
    templates_sha256: str
    """shapesmith's own templates."""
    user_templates: tuple[tuple[str, str], ...]
    """The maintainer's templates (`templates` in the configuration): (path, sha256) of each
    file of their folder, sorted; none without one."""


def package_manifest(identity: PackageIdentity, files: Mapping[str, str]) -> str:
    """The manifest of a package holding `files` (paths inside the package, the manifest aside)."""
    document = {
        "generator": "shapesmith",
        "generator_version": identity.generator_version,
        "runtime_version": identity.runtime_version,
        "package": identity.package,
        "service": identity.service,
        "operations": list(identity.operations),
        "model_files": list(identity.model_files),
        "model_sha256": identity.model_sha256,
        "templates_sha256": identity.templates_sha256,
        "user_templates": dict(identity.user_templates),
        "files": file_hashes(files),
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


_TEXT_FIELDS = (
    "generator_version",
    "runtime_version",
    "package",
    "service",
    "model_sha256",
    "templates_sha256",
)
_LIST_FIELDS = ("operations", "model_files")


def read_package_manifest(folder: Path) -> PackageIdentity:
    """The identity `folder`'s package manifest records; every problem with it is an error."""
    if not folder.is_dir():
        raise fail(str(folder), "", f"is not a folder; {_EXPECTED}")
    path = folder / PACKAGE_MANIFEST_NAME
    shown = str(path)
    if not os.path.lexists(path):
        raise fail(shown, "", f"does not exist; {_missing_hint(folder)}")
    try:
        document = read_manifest(path)
    except Unreadable as why:
        raise fail(shown, "", str(why)) from None
    if not isinstance(document, dict) or document.get("generator") != "shapesmith":
        raise fail(shown, "", "is not a package manifest shapesmith wrote")
    problems = [
        Diagnostic(shown, f"/{key}", "expected a string")
        for key in _TEXT_FIELDS
        if not isinstance(document.get(key), str)
    ]
    for key in _LIST_FIELDS:
        items = document.get(key)
        if not isinstance(items, list):
            problems.append(Diagnostic(shown, f"/{key}", "expected a list of strings"))
            continue
        problems += [
            Diagnostic(shown, f"/{key}/{index}", "expected a string")
            for index, item in enumerate(items)
            if not isinstance(item, str)
        ]
    # Manifests written before templates could be overridden have no user_templates.
    user_templates = document.get("user_templates", {})
    if not isinstance(user_templates, dict):
        problems.append(Diagnostic(shown, "/user_templates", "expected an object"))
    else:
        problems += [
            Diagnostic(shown, json_pointer("user_templates", name), "expected a string")
            for name, sha256 in user_templates.items()
            if not isinstance(sha256, str)
        ]
    if problems:
        raise ShapesmithError(problems)
    return PackageIdentity(
        generator_version=document["generator_version"],
        runtime_version=document["runtime_version"],
        package=document["package"],
        service=document["service"],
        operations=tuple(document["operations"]),
        model_files=tuple(document["model_files"]),
        model_sha256=document["model_sha256"],
        templates_sha256=document["templates_sha256"],
        user_templates=tuple(sorted(user_templates.items())),
    )


_EXPECTED = "--package expects the folder of one package shapesmith generated"


def _missing_hint(folder: Path) -> str:
    if os.path.lexists(folder / MANIFEST_NAME):
        return (
            f"{folder} is an output folder (it has a {MANIFEST_NAME}): pass one package "
            "inside it to --package, or the folder itself to --output"
        )
    return _EXPECTED


def explain_drift(found: PackageIdentity, expected: PackageIdentity) -> Iterator[str]:
    """One line for each way a package's recorded origin differs from what it would be now."""
    if found.generator_version != expected.generator_version:
        yield (
            f"generated by shapesmith {_shown(found.generator_version)}; "
            f"this is shapesmith {expected.generator_version}"
        )
    if found.runtime_version != expected.runtime_version:
        yield (
            f"carries runtime {_shown(found.runtime_version)}; "
            f"the templates now carry runtime {expected.runtime_version}"
        )
    if found.templates_sha256 != expected.templates_sha256:
        yield (
            f"rendered by templates with sha256 {_shown(found.templates_sha256)}; "
            f"they now hash to {expected.templates_sha256}"
        )
    yield from _user_template_drift(dict(found.user_templates), dict(expected.user_templates))
    if found.model_files != expected.model_files:
        yield (
            f"made from the model files {_shown_list(found.model_files)}; "
            f"the configuration now names {_shown_list(expected.model_files)}"
        )
    if found.model_sha256 != expected.model_sha256:
        yield (
            f"made from models with sha256 {_shown(found.model_sha256)}; "
            f"the configuration's models now hash to {expected.model_sha256}"
        )
    if found.package != expected.package:
        yield (
            f"generated as the package {_shown(found.package)}; "
            f"the models now name it {expected.package}"
        )


def _user_template_drift(found: dict[str, str], expected: dict[str, str]) -> Iterator[str]:
    for name in sorted(found.keys() - expected.keys()):
        yield f"rendered with your template {_shown(name)}, which the templates folder no longer has"
    for name in sorted(expected.keys() - found.keys()):
        yield f"rendered without your template {_shown(name)}, which the templates folder now has"
    for name in sorted(found.keys() & expected.keys()):
        if found[name] != expected[name]:
            yield (
                f"rendered with your template {_shown(name)} at sha256 {_shown(found[name])}; "
                f"it now hashes to {expected[name]}"
            )


def _shown(text: str) -> str:
    """Text read from a manifest, safe to print on one line of a terminal."""
    return text if text.isprintable() and len(text) <= 200 else ascii(text[:200])


def _shown_list(texts: tuple[str, ...]) -> str:
    return ", ".join(_shown(text) for text in texts) or "(none)"
