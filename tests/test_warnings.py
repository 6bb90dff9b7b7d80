"""Warnings: what the generated code leaves out is said, per shape and trait; `strict` refuses it."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.unsupported import LEFT_OUT
from tests.conftest import REPO

SERVICE = "example.warn#Service"


def _model(**operation_traits: Any) -> dict[str, Any]:
    """Two operations: `Listed` carries `operation_traits`, `Other` carries @requestCompression."""
    return {
        "smithy": "2.0",
        "shapes": {
            SERVICE: {
                "type": "service",
                "version": "2024-01-01",
                "operations": [
                    {"target": "example.warn#Listed"},
                    {"target": "example.warn#Other"},
                ],
                "traits": {
                    "aws.api#service": {"sdkId": "Warn"},
                    "aws.protocols#awsJson1_1": {},
                    "aws.auth#sigv4": {"name": "warn"},
                    "smithy.rules#endpointRuleSet": {
                        "version": "1.0",
                        "parameters": {},
                        "rules": [],
                    },
                    "smithy.api#paginated": {"inputToken": "Next", "outputToken": "Next"},
                },
            },
            "example.warn#Listed": {
                "type": "operation",
                "input": {"target": "example.warn#ListedInput"},
                "output": {"target": "example.warn#ListedOutput"},
                "traits": operation_traits,
            },
            "example.warn#ListedInput": {
                "type": "structure",
                "members": {"Next": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#input": {}},
            },
            "example.warn#ListedOutput": {
                "type": "structure",
                "members": {
                    "Next": {"target": "smithy.api#String"},
                    "Items": {"target": "example.warn#Items"},
                },
                "traits": {"smithy.api#output": {}},
            },
            "example.warn#Items": {"type": "list", "member": {"target": "smithy.api#String"}},
            "example.warn#Other": {
                "type": "operation",
                "traits": {"smithy.api#requestCompression": {"encodings": ["gzip"]}},
            },
        },
    }


def _project(root: Path, model: dict[str, Any], operations: list[str], extra: str = "") -> Path:
    (root / "model.json").write_text(json.dumps(model), "utf-8")
    config = root / "shapesmith.toml"
    selected = json.dumps(operations)
    config.write_text(
        f'models = ["model.json"]\noutput = "out"\noperations = {selected}\n{extra}', "utf-8"
    )
    return config


COMPRESSED = {"smithy.api#requestCompression": {"encodings": ["gzip"]}}


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_an_unsupported_trait_is_a_warning_naming_the_shape_and_trait(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _project(tmp_path, _model(**COMPRESSED), ["example.warn#Listed"])
    assert main(["generate", "-q", "--config", str(config)]) == 0
    assert (tmp_path / "out" / "warn" / "shapes.py").is_file()
    assert _warnings(caplog) == [
        "warning: model.json: /shapes/example.warn#Listed/traits/"
        "smithy.api#requestCompression: @requestCompression is not supported yet: "
        + LEFT_OUT["smithy.api#requestCompression"]
    ]


def test_only_the_selected_closure_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _project(tmp_path, _model(), ["example.warn#Listed"])
    assert main(["generate", "--config", str(config)]) == 0
    assert _warnings(caplog) == []  # @requestCompression is on the unselected Other

    config = _project(tmp_path, _model(), [])
    assert main(["check", "-q", "--config", str(config)]) == 1
    err = "\n".join(_warnings(caplog))
    assert "/shapes/example.warn#Other/traits/smithy.api#requestCompression" in err
    assert (
        "/shapes/example.warn#Service/" not in err
    )  # the service's @paginated only gives defaults (and paginators are generated)


@pytest.mark.parametrize("how", ["flag", "config"])
def test_strict_makes_every_warning_an_error_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    extra = "strict = true\n" if how == "config" else ""
    config = _project(tmp_path, _model(**COMPRESSED), [], extra)
    args = ["generate", "--config", str(config)] + (["--strict"] if how == "flag" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2 and all(line.endswith("(an error under strict)") for line in errors)
    assert "2 errors; nothing was written" in err


def test_strict_must_be_a_boolean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path, _model(), [], 'strict = "yes"\n')
    assert main(["generate", "--config", str(config)]) == 2
    assert "/strict: expected true or false" in capsys.readouterr().err


def test_the_readme_lists_every_unsupported_trait() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Not supported yet", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z.]+#\w+)` \|", section, re.MULTILINE))
    assert listed == set(LEFT_OUT)
