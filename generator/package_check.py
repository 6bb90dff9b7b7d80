"""`shapesmith check --package DIR`: is a copy of one generated package (vendored, its folder
perhaps renamed) exactly what the configuration's models generate for it now?

The package's own manifest says which service and operations it was generated for; the package
is rendered again for those, the way `generate` would render it, and compared file by file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import pipeline, render
from generator.config import Config
from generator.identity import PACKAGE_MANIFEST_NAME, explain_drift, read_package_manifest
from generator.output import diff_tree
from generator.template_set import open_templates


@dataclass(frozen=True)
class PackageComparison:
    explanations: tuple[str, ...]
    """One line for each way the package's recorded origin differs from what it would be now."""
    diffs: tuple[str, ...]
    """A unified diff for each file that is missing, extra or changed."""
    files: int
    """How many files the package should hold."""

    @property
    def in_sync(self) -> bool:
        return not self.explanations and not self.diffs


def compare_package(config: Config, folder: Path) -> PackageComparison:
    found = read_package_manifest(folder)
    templates = open_templates(config.templates)
    source = str(folder / PACKAGE_MANIFEST_NAME)
    unit = pipeline.build_package(config, found.service, found.operations, source)
    files = render.render_package(unit, templates)
    explanations = explain_drift(found, render.package_identity(unit, templates))
    diffs = diff_tree(folder, files, str(folder))
    return PackageComparison(tuple(explanations), tuple(diffs), len(files))
