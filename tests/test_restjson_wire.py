"""AWS's official restJson1 models, whole, against botocore on the wire (issue 14, item 5).

AppConfig and EFS (labels, greedy-free URIs with literal segments, query parameters, headers,
blob payloads, idempotency tokens in the body) generate whole, pass mypy --strict, ruff and black,
and for every operation three seeded random inputs, sent by the generated client over a socket,
make exactly the request botocore's own client makes (`tests/restjson_agreement.py` says what is
compared and which documented differences are set aside). The models are read from
../shared/reference at run time and never copied into the repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO, reference_file
from tests.generated_lint import functions_over_budget
from tests.restjson_agreement import compare_rest

OFFICIAL = {
    "app_config": "appconfig-2019-10-09.json",
    "efs": "efs-2015-02-01.json",
}

_generated: dict[str, Path] = {}


def generated(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package generated from the whole official model (once per test session)."""
    if name in _generated:
        return _generated[name]
    model = reference_file("models", OFFICIAL[name])
    root = tmp_path_factory.mktemp(name)
    config = root / "shapesmith.toml"
    config.write_text(f'models = [{json.dumps(str(model))}]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(config)]) == 0
    assert (root / "out" / name / "client.py").is_file()
    _generated[name] = root / "out" / name
    return _generated[name]


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_every_operation_generates_type_checked_and_lint_clean(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    package = generated(name, tmp_path_factory)
    config = str(REPO / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package.name],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, package.name],
        [sys.executable, "-m", "black", "--check", "--quiet", "--config", config, package.name],
    ):
        result = subprocess.run(
            command, cwd=package.parent, capture_output=True, text=True, timeout=900
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert functions_over_budget(package) == []


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_every_operation_sends_what_botocore_sends(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    package = generated(name, tmp_path_factory)
    model = reference_file("models", OFFICIAL[name])
    operations = sum(
        shape["type"] == "operation"
        for shape in json.loads(model.read_text("utf-8"))["shapes"].values()
    )
    agreement = compare_rest(package, model)
    if agreement is None:
        pytest.skip(f"the installed botocore does not know {name}")
    set_aside = ", ".join(f"{count} {why}" for why, count in agreement.documented.items())
    print(
        f"{name}: {agreement.requests} requests on {operations} operations, "
        f"{len(agreement.mismatches)} mismatches, {len(agreement.refused)} refused"
        + (f"; set aside: {set_aside}" if set_aside else "")
    )
    assert agreement.mismatches == [], "\n".join(agreement.mismatches[:3])
    assert agreement.refused == []
    assert agreement.requests == 3 * operations
