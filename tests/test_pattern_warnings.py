"""A `@pattern` that cannot be translated faithfully: a warning naming the shape, that one
constraint left unchecked (said in the generated docstrings), every other one still checked;
`--strict` refuses it. A pattern that is no regular expression at all is a model error."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import REPO, run_isolated, service_with_stub

NS = "example.pat"
UNTRANSLATABLE = "^[\\p{Print}&&[^|:/]]+$"  # Java's class intersection (AWS writes it)
POINTER = f"/shapes/{NS}#Path/traits/smithy.api#pattern"
MEMBER_POINTER = f"/shapes/{NS}#OpInput/members/Note/traits/smithy.api#pattern"


def _model() -> dict[str, Any]:
    return {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Service": service_with_stub("Pat", "pat", [f"{NS}#Op"]),
            f"{NS}#Op": {
                "type": "operation",
                "input": {"target": f"{NS}#OpInput"},
                "output": {"target": "smithy.api#Unit"},
                "errors": [{"target": f"{NS}#Refused"}],
            },
            f"{NS}#Refused": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "client"},
            },
            f"{NS}#OpInput": {
                "type": "structure",
                "members": {
                    "Path": {"target": f"{NS}#Path", "traits": {"smithy.api#required": {}}},
                    "Paths": {"target": f"{NS}#Paths"},
                    "Note": {
                        "target": "smithy.api#String",
                        "traits": {
                            "smithy.api#pattern": "^(?i)<b>x</b>\\Q$",
                            "smithy.api#documentation": "A note.",
                        },
                    },
                    "Code": {
                        "target": "smithy.api#String",
                        "traits": {"smithy.api#pattern": "^(?i)[\\p{Alpha}]{2}\\d{1}+$"},
                    },
                },
                "traits": {"smithy.api#input": {}},
            },
            f"{NS}#Path": {
                "type": "string",
                "traits": {
                    "smithy.api#pattern": UNTRANSLATABLE,
                    "smithy.api#length": {"min": 2, "max": 5},
                },
            },
            f"{NS}#Paths": {"type": "list", "member": {"target": f"{NS}#Path"}},
        },
    }


def _project(root: Path, extra: str = "") -> Path:
    (root / "model.json").write_text(json.dumps(_model()), "utf-8")
    config = root / "shapesmith.toml"
    config.write_text(f'models = ["model.json"]\noutput = "out"\n{extra}', "utf-8")
    return config


def test_an_untranslatable_pattern_is_one_warning_per_trait_and_only_it_is_unchecked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _project(tmp_path)
    assert main(["generate", "-q", "--config", str(config)]) == 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2, warnings
    path_warning, note_warning = sorted(warnings, key=lambda w: MEMBER_POINTER in w)
    assert path_warning.startswith(f"warning: model.json: {POINTER}: @pattern is not enforced: ")
    assert "intersection" in path_warning
    assert note_warning.startswith(f"warning: model.json: {MEMBER_POINTER}: @pattern is not")
    assert "quotation" in note_warning

    package = tmp_path / "out"
    script = """
import json
from pat import OpInput, validate_op_input
from pat import validators, shapes

def found(value):
    return sorted([str(v.path), v.constraint] for v in validate_op_input(value))

print(json.dumps([
    found({"Path": "a|b", "Paths": ["ok", "x"], "Code": "aB1"}),
    found({"Path": "toolong", "Code": "a1"}),
    found({"Note": "<B>X</B>", "Code": "Ab12"}),
]))
print(json.dumps([validate_op_input.__doc__, validators.__doc__, shapes.OpInput.__doc__]))
"""
    result = run_isolated(package, script)
    assert result.returncode == 0, result.stderr
    verdicts_line, docs_line = result.stdout.splitlines()
    verdicts = json.loads(verdicts_line)
    # `a|b` breaks the pattern Java would check, which is not checked; the lengths still are.
    assert verdicts[0] == [["Paths[1]", "length"]]
    # Every other constraint of the members holds: length, required, the translated patterns.
    assert verdicts[1] == [["Code", "pattern"], ["Path", "length"]]
    assert verdicts[2] == [["Code", "pattern"], ["Path", "required"]]
    validator_doc, module_doc, _ = json.loads(docs_line)
    assert "Note: The pattern ``^(?i)<b>x</b>\\Q$`` is not enforced: " in validator_doc
    assert "OpInput.Path: The pattern ``^[\\p{Print}&&[^|:/]]+$`` is not" in module_doc
    assert "Paths.member: The pattern" in module_doc
    # the module and its parts, where it was cut by operation (`generator/lazy_parts.py`)
    shapes_paths = [package / "pat" / "shapes.py", *sorted(package.glob("pat/_shapes_parts/*.py"))]
    shapes_text = "".join(path.read_text("utf-8") for path in shapes_paths)
    assert "A note.\n\n    The pattern ``^(?i)<b>x</b>\\\\Q$`` is not enforced" in shapes_text
    config = str(REPO / "pyproject.toml")
    for tool in (
        ["mypy", "--strict", "--no-incremental"],
        ["ruff", "check", "--no-cache", "--config", config],
        ["black", "--check", "--quiet", "--config", config],
    ):
        checked = subprocess.run(
            [sys.executable, "-m", *tool, "pat"],
            cwd=package,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert checked.returncode == 0, (tool, checked.stdout, checked.stderr)


@pytest.mark.parametrize("how", ["flag", "config"])
def test_strict_refuses_an_untranslatable_pattern(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    config = _project(tmp_path, "strict = true\n" if how == "config" else "")
    args = ["generate", "--config", str(config)] + (["--strict"] if how == "flag" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"error: model.json: {POINTER}: @pattern is not enforced: " in err
    assert "(an error under strict)" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "pattern",
    [
        "(" * 3000 + "a" + ")" * 3000,  # nests deeper than Python's `re` is asked to compile
        "(?<=a+)b",  # Python's lookbehind needs a fixed width
        "\\p{InGreek}",  # a Java block
    ],
)
def test_what_python_cannot_compile_is_the_same_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, pattern: str
) -> None:
    model = _model()
    model["shapes"][f"{NS}#Path"]["traits"]["smithy.api#pattern"] = pattern
    (tmp_path / "model.json").write_text(json.dumps(model), "utf-8")
    config = tmp_path / "shapesmith.toml"
    config.write_text('models = ["model.json"]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(config)]) == 0
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert [m for m in messages if POINTER in m] == [
        m for m in messages if "@pattern is not enforced" in m and POINTER in m
    ]
    assert len([m for m in messages if POINTER in m]) == 1, messages


def test_a_pattern_no_dialect_accepts_is_a_model_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _model()
    model["shapes"][f"{NS}#Path"]["traits"]["smithy.api#pattern"] = "[a-"
    (tmp_path / "model.json").write_text(json.dumps(model), "utf-8")
    config = tmp_path / "shapesmith.toml"
    config.write_text('models = ["model.json"]\noutput = "out"\n', "utf-8")
    assert main(["generate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert f"error: model.json: {POINTER}: '[a-' is a regular expression in neither" in err
