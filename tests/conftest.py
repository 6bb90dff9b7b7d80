"""Shared fixtures: where the repository, its models and the reference data are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "generated"
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The generated packages are imported the way a vendoring project would: their folder on the path.
if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


def reference_file(*parts: str) -> Path:
    """A file of ../shared/reference, or a skip saying why it is missing."""
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not available: {path} (CI provides ../shared beside the repo)")
    return path


def run_isolated(folder: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in an isolated interpreter that has only `folder` added to its path."""
    script = f"import sys\nsys.path.insert(0, {str(folder)!r})\n{code}"
    return subprocess.run(
        [sys.executable, "-I", "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
