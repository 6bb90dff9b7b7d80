"""What a generated package says about itself: `shapesmith-package.json`, kept inside the package
so that a vendored copy (the folder copied, perhaps renamed) still says where it came from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from generator.ownership import file_hashes

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
        "files": file_hashes(files),
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
