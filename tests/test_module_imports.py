"""Every module of the generator imports first, on its own, in a fresh interpreter: an import
cycle shows up only in the order that closes it (the OpenAPI reader once needed the kinds before
the loader had finished), so each order a user or a test may start from is tried."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

MODULES = sorted(
    ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
    for path in (REPO / "generator").rglob("*.py")
    if path.name != "__main__.py"
)


def test_every_module_imports_first() -> None:
    # One interpreter per module, started together: seconds, not one import after another.
    runs = {
        module: subprocess.Popen(
            [sys.executable, "-c", f"import {module}"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for module in MODULES
    }
    failed = {}
    for module, run in runs.items():
        _, err = run.communicate(timeout=120)
        if run.returncode != 0:
            failed[module] = err.strip().splitlines()[-1:]
    assert failed == {}


@pytest.mark.parametrize("module", ["generator.loader", "generator.openapi.schemas"])
def test_the_list_covers_the_modules_that_once_closed_a_cycle(module: str) -> None:
    assert module in MODULES
