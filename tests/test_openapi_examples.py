"""Every OpenAPI Initiative example document generates (warning about the parts shapesmith does
not support yet), and the packages are mypy --strict, ruff and black clean and import with the
standard library only."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REFERENCE, REPO, run_isolated
from tests.scripted_server import scripted_server, send

EXAMPLES = REFERENCE / "openapi" / "oai-examples-3.0"
NAMES = sorted(p.name for p in EXAMPLES.glob("*.yaml")) if EXAMPLES.is_dir() else []


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not NAMES:
        pytest.skip(f"reference data not available: {EXAMPLES} (CI provides ../shared)")
    root = tmp_path_factory.mktemp("oai")
    for name in NAMES:
        folder = root / name.removesuffix(".yaml")
        folder.mkdir()
        config = folder / "shapesmith.toml"
        model = json.dumps(str(EXAMPLES / name))
        config.write_text(f'models = [{model}]\noutput = "out"\n', "utf-8")
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["generate", "-q", "--config", str(config)])
        assert code == 0, f"{name}: {err.getvalue()}"
    return root


def _packages(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob("__init__.py") if p.parent.parent.name == "out")


def test_every_example_generates_a_package(generated: Path) -> None:
    assert len(_packages(generated)) == len(NAMES)


def test_the_packages_are_type_checked_and_lint_clean(generated: Path) -> None:
    config = str(REPO / "pyproject.toml")
    packages = _packages(generated)
    # Two examples are both "Swagger Petstore": mypy checks one package name at a time.
    for package in packages:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package.name],
            cwd=package.parent,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    names = [str(p) for p in packages]
    for command in (
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, *names],
        [sys.executable, "-m", "black", "--check", "--quiet", "--config", config, *names],
    ):
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize("name", NAMES)
def test_each_package_imports_with_the_standard_library_only(generated: Path, name: str) -> None:
    (package,) = _packages(generated / name.removesuffix(".yaml"))
    result = run_isolated(
        package.parent, f"import {package.name}, {package.name}.validators; print('ok')"
    )
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


def test_petstore_validators_enforce_the_documents_constraints(generated: Path) -> None:
    (package,) = _packages(generated / "petstore-expanded")
    script = (
        f"from {package.name} import validators as v\n"
        "print(sorted(x.path for x in v.validate_add_pet_input({'body': {'tag': 1}})))\n"
        "print(v.validate_add_pet_input({'body': {'name': 'Rex'}}))\n"
    )
    result = run_isolated(package.parent, script)
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stderr[-2000:]
    assert "name" in lines[0] and "tag" in lines[0]
    assert lines[1] == "[]"


def test_petstore_gets_a_client_that_calls_a_server_without_credentials(generated: Path) -> None:
    # The document has no security schemes: every operation is called anonymously.
    (package,) = _packages(generated / "petstore-expanded")
    assert (package / "client.py").is_file() and (package / "stub").is_dir()
    answer = b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
    with scripted_server() as server:
        server.script = send(answer)
        script = (
            f"import sys\nfrom {package.name} import SwaggerPetstoreClient\n"
            "client = SwaggerPetstoreClient(endpoint_url=sys.argv[1], max_attempts=1)\n"
            "print(client.delete_pet(id=7))\n"
        )
        result = run_isolated(package.parent, script, server.url)
    assert result.returncode == 0, result.stderr[-2000:]
    head = server.requests[0].partition(b"\r\n\r\n")[0].decode()
    assert head.startswith("DELETE /pets/7 HTTP/1.1\r\n")
    assert "authorization:" not in head.lower()
