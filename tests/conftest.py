"""Shared fixtures: where the repository, its models and the reference data are."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
GENERATED = REPO / "generated"
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# These machines are shared and noisy: how long Hypothesis takes to make or run an example is no
# finding, so no property test fails on time (a test's own @settings keeps these unless it says
# otherwise).
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")

# Black's remembered work (generator/format_cache.py) lives for the session only, not in the
# user's cache folder: no test reads what another run left, and none leaves anything behind.
_FORMAT_CACHE = tempfile.TemporaryDirectory(prefix="shapesmith-format-cache-")
os.environ["SHAPESMITH_CACHE_DIR"] = _FORMAT_CACHE.name

# The generated packages are imported the way a vendoring project would: their folder on the path.
if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

GIVEN_ENDPOINT_RULES: dict[str, Any] = {
    "version": "1.0",
    "parameters": {"Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"}},
    "rules": [
        {
            "type": "endpoint",
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "endpoint": {"url": {"ref": "Endpoint"}},
        }
    ],
}
"""An endpoint rule set for test models: the client's `endpoint_url`, nothing else."""


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


def generate_model(root: Path, model: dict[str, Any]) -> tuple[int, str]:
    """Write `model` and a configuration into `root` and generate it into `root / "out"` in
    this process: (exit code, what was written to stderr)."""
    from generator.cli import main

    root.mkdir(parents=True, exist_ok=True)
    (root / "model.json").write_text(json.dumps(model), "utf-8")
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n', "utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["generate", "-q", "--config", str(root / "shapesmith.toml")])
    return code, err.getvalue()


def generate_files(root: Path, models: list[Path], *extra: str) -> tuple[int, str]:
    """Generate `models` (files anywhere) into `root / "out"` through a configuration written
    in `root`, in this process; `extra` are more lines of it: (exit code, stderr)."""
    from generator.cli import main

    root.mkdir(parents=True, exist_ok=True)
    names = json.dumps([str(model) for model in models])
    lines = [f"models = {names}", 'output = "out"', *extra]
    (root / "shapesmith.toml").write_text("\n".join(lines) + "\n", "utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["generate", "-q", "--config", str(root / "shapesmith.toml")])
    return code, err.getvalue()


@contextlib.contextmanager
def generated_package(
    root: Path, model: Path, package: str, *, no_warnings: bool = False
) -> Iterator[ModuleType]:
    """`model` (a Smithy model or an OpenAPI document) generated into `root / "out"` and its
    package imported; `no_warnings` holds the run to a silent stderr."""
    code, err = generate_files(root, [model])
    assert code == 0, err
    if no_warnings:
        assert err == "", err
    with imported(root / "out", package) as module:
        yield module


def export_repository_openapi(out: Path) -> Path:
    """`shapesmith export openapi` of the repository's own models into `out`, in this process:
    the exported document's path."""
    from generator.cli import main

    argv = ["export", "openapi", "-q", "--config", str(REPO / "pyproject.toml"), "--output"]
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([*argv, str(out)])
    assert code == 0, err.getvalue()
    return out / "rekognition.openapi.json"


@contextlib.contextmanager
def imported(folder: Path, module: str) -> Iterator[ModuleType]:
    """`module` imported with `folder` on the path; its package forgotten afterwards, so that
    another test may generate a package of the same name. A package of that name imported
    before (the committed `rekognition`, which other test modules hold) is set aside meanwhile
    and put back after."""
    package = module.partition(".")[0]

    def ours(name: str) -> bool:
        return name.partition(".")[0] == package

    held = {name: sys.modules.pop(name) for name in [n for n in sys.modules if ours(n)]}
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(module)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if ours(n)]:
            del sys.modules[name]
        sys.modules.update(held)


def build_unit(tmp_path: Path, document: dict[str, Any]) -> Any:
    """The one generation unit (`ir.GenerationUnit`) of a model document with one service,
    written to `tmp_path / "model.json"`, loaded, checked and built with every operation."""
    from generator.build import Selection, build_units
    from generator.loader import load_model
    from generator.semantics import check_model

    path = tmp_path / "model.json"
    path.write_text(json.dumps(document), "utf-8")
    model = load_model([path], tmp_path)
    check_model(model)
    (unit,) = build_units(model, Selection((), "shapesmith.toml", "/operations"))
    return unit


def ruff_check(path: Path, *, select: str | None = None) -> subprocess.CompletedProcess[str]:
    """ruff with the project's rules (or only `select`) over generated code."""
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--config"]
    command += [str(REPO / "pyproject.toml"), *(["--select", select] if select else []), str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def service_with_stub(sdk_id: str, signing_name: str, operations: list[str]) -> dict[str, Any]:
    """A Smithy service shape with what makes shapesmith generate a client and a stub too: the
    AWS JSON 1.1 protocol, SigV4 and (empty) endpoint rules."""
    return {
        "type": "service",
        "version": "2024-01-01",
        "operations": [{"target": operation} for operation in operations],
        "traits": {
            "aws.api#service": {"sdkId": sdk_id},
            "aws.protocols#awsJson1_1": {},
            "aws.auth#sigv4": {"name": signing_name},
            "smithy.rules#endpointRuleSet": {"version": "1.0", "parameters": {}, "rules": []},
        },
    }


@pytest.fixture
def no_aws_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings come from the arguments only, never from the machine running the tests."""
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
