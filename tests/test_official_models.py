"""AWS's official models, whole: every operation generated, and the output type-checked and linted.

Our own models cover two operations; these cover Rekognition's ~100 and Timestream for
InfluxDB's (awsJson1_0, errors with required members besides their message, typographic quotes
in documentation, Unicode property escapes in tag patterns). The models are read from
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
from tests.wire_agreement import compare

OFFICIAL = {
    "app_config": "appconfig-2019-10-09.json",  # restJson1 (tests/test_restjson_wire.py)
    "efs": "efs-2015-02-01.json",  # restJson1
    "rekognition": "rekognition-2016-06-27.json",
    "timestream_influx_db": "timestream-influxdb-2023-01-27.json",
}


# Functions known to be over the budget, by package, each with its reason; the lists must stay
# exact, so a fix (or a new one) shows here. None is known: the validator plan splits a structure
# whose own members do not fit one function (Timestream for InfluxDB's InfluxDBv2Parameters).
OVER_BUDGET: dict[str, list[str]] = {}

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
    assert functions_over_budget(package) == OVER_BUDGET.get(name, [])


def test_tag_patterns_with_unicode_properties_validate(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    package = generated("rekognition", tmp_path_factory)  # TagResource: \p{L} in tag patterns
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); "
        "from rekognition import validate_tag_resource_request as v; "
        "arn = 'arn:aws:rekognition:us-east-1:123456789012:collection/c'; "
        "print(json.dumps([[x.path, x.constraint] for x in v({'ResourceArn': arn, "
        "'Tags': {'Größe': 'wert 1', 'aws:reserved': 'x', 'ok': 'semi;colon'}})]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(package.parent)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert sorted(map(tuple, json.loads(result.stdout))) == [
        ("Tags", "pattern"),
        ("Tags.ok", "pattern"),
    ]


def test_the_stub_builds_errors_whose_other_members_are_required(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Timestream's ConflictException requires resourceId and resourceType besides its message.
    package = generated("timestream_influx_db", tmp_path_factory)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from timestream_influx_db.stub import SERVICE; "
        "error = SERVICE.errors['ConflictException'].make('busy'); "
        "print(type(error).__name__, error.message, repr(error.resource_id))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(package.parent)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["ConflictException", "busy", "''"]


# -- the wire form of every operation, against botocore ----------------------------------------


def test_every_operation_agrees_with_botocore_on_the_wire(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Three random inputs and outputs per operation of the official Rekognition model
    (seeded, from botocore's shape model): the generated client sends botocore's body, target
    and content type, and botocore's parser reads back what the stub's serializer writes.
    Members left at their @default are not sent (Smithy clients do not send defaults)."""
    package = generated("rekognition", tmp_path_factory)
    agreement = compare(package, reference_file("models", OFFICIAL["rekognition"]))
    assert agreement is not None
    assert agreement.requests > 200 and agreement.responses > 200
    assert agreement.mismatches == [], "\n".join(agreement.mismatches[:3])
