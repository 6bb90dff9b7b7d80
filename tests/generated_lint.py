"""A size budget for generated functions, checked on every package the tests generate.

A generated function that grows with the model (a validator that copies the checks of every
structure it reaches) is slow to import, hard to read in a traceback and, past some size, more
than Python will compile; `generator/validator_plan.py` splits validators to stay well within
this budget, and the tests hold every generated module to it.
"""

from __future__ import annotations

import ast
from pathlib import Path

FUNCTION_LINES_BUDGET = 300


def functions_over_budget(package: Path, budget: int = FUNCTION_LINES_BUDGET) -> list[str]:
    """Every function or method of the package longer than `budget` lines, as `file:name (N)`."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                if length > budget:
                    found.append(f"{path.relative_to(package)}:{node.name} ({length} lines)")
    return found


def assert_lint_clean(folder: Path) -> None:
    """The generated package in `folder` passes mypy --strict, ruff and black (with the
    repository's configuration)."""
    import subprocess
    import sys

    config = str(Path(__file__).resolve().parent.parent / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", folder.name],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, folder.name],
        [sys.executable, "-m", "black", "--check", "--quiet", "--config", config, folder.name],
    ):
        result = subprocess.run(
            command, cwd=folder.parent, capture_output=True, text=True, timeout=900, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
