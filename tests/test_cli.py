"""The `shapesmith` command line, end to end, with no mocks.

- Bad models (tests/fixtures/bad_models, one fault per file) exit 2 with `error: <file>: <json
  pointer>: <message>` lines and a count line, no traceback, and leave the output untouched.
- A hostile but valid model (tests/fixtures/hostile_model.json) gives code that compiles, imports,
  round-trips, keeps its documentation verbatim, type-checks and lints.
- `check` passes on the repository and reports every kind of drift with a unified diff.
- `generate` is deterministic and replaces the output tree exactly; it refuses an output that is
  or holds the project, and one holding files it did not write unless `--force`; Ctrl-C exits 130
  with no traceback and nothing left behind; a run killed midway is finished by the next.
- `--version`, `--help` and `export jsonschema` work.
"""

from __future__ import annotations

import ast
import copy
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator import __version__
from generator.cli import main
from generator.loader import load_model
from generator.replace import (
    CRASH_AT,
    CRASH_EXIT_CODE,
    INTERRUPT_AT,
    NO_EXCHANGE,
    PAUSE_AT,
    journal_path,
)
from generator.semantics import check_model
from tests.conftest import ruff_check, run_isolated

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD_MODELS_DIR = FIXTURES / "bad_models"
HOSTILE_MODEL = FIXTURES / "hostile_model.json"
REPO_CONFIG = REPO / "pyproject.toml"
REPO_GENERATED = REPO / "generated"
BAD_OPERATION = "example.bad#Op"
HOSTILE_OPERATION = "example.hostile#Op"
SUBPROCESS_TIMEOUT = 600

JsonObject = dict[str, Any]

# File (or folder, for faults that need several files) -> what stderr must contain. Every entry
# names the file and the JSON pointer (or line) of the fault, then the substance of the message.
BAD_MODELS: dict[str, list[str]] = {
    "api_key_header_name_not_a_token.json": [
        "error: api_key_header_name_not_a_token.json: "
        "/shapes/example.bad#Service/traits/smithy.api#httpApiKeyAuth/name: ",
        "'X-Key\\r\\nX-Evil' is not an HTTP header name",
    ],
    "auth_not_a_list.json": [
        "error: auth_not_a_list.json: /shapes/example.bad#Op/traits/smithy.api#auth: ",
        "expected a list of shape ids, found 'smithy.api#httpBearerAuth'",
    ],
    "broken_json.json": [
        "error: broken_json.json:20: invalid JSON at column 13: Expecting ',' delimiter",
    ],
    "conflicting_definitions": [
        "error: conflict_b.json: /shapes/example.bad#Name: ",
        "shape is also defined, differently, in conflict_a.json",
    ],
    "dangling_member_target.json": [
        "error: dangling_member_target.json: /shapes/example.bad#OpInput/members/Name/target: ",
        "targets example.bad#Missing, which is not defined in the model",
    ],
    "dangling_operation_input.json": [
        "error: dangling_operation_input.json: /shapes/example.bad#Op/input/target: ",
        "targets example.bad#NoSuchInput, which is not defined in the model",
    ],
    "default_beyond_byte_width.json": [
        "error: default_beyond_byte_width.json: "
        "/shapes/example.bad#OpInput/members/Name/traits/smithy.api#default: ",
        "default value 300 is outside the range of a byte: -128..127",
    ],
    "default_breaks_range.json": [
        "error: default_breaks_range.json: "
        "/shapes/example.bad#OpInput/members/Name/traits/smithy.api#default: ",
        "default value -1 breaks @range 1..",
    ],
    "default_not_a_json_number.json": [
        "error: default_not_a_json_number.json: "
        "/shapes/example.bad#OpInput/members/Name/traits/smithy.api#default: ",
        "NaN is not JSON",
    ],
    "default_timestamp_not_a_date.json": [
        "error: default_timestamp_not_a_date.json: "
        "/shapes/example.bad#OpInput/members/Name/traits/smithy.api#default: ",
        "'2024-02-30T00:00:00Z' is not a timestamp: day is out of range for month",
    ],
    "default_wrong_type.json": [
        "error: default_wrong_type.json: "
        "/shapes/example.bad#OpInput/members/Name/traits/smithy.api#default: ",
        "default value 5 does not fit a string",
    ],
    "duplicate_enum_value.json": [
        "error: duplicate_enum_value.json: "
        "/shapes/example.bad#Color/members/CRIMSON/traits/smithy.api#enumValue: ",
        "duplicate enum value 'red' (also used by RED)",
    ],
    "duplicate_json_key.json": [
        "error: duplicate_json_key.json: /shapes/example.bad#OpInput/members/Name: ",
        "this key appears more than once in its object",
    ],
    "enum_constant_collision.json": [
        "error: enum_constant_collision.json: /shapes/example.bad#AbTest: ",
        "/shapes/example.bad#ABTest and /shapes/example.bad#AbTest both become the values constant"
        " '_AB_TEST_VALUES' in validators.py; rename one of them in the model",
    ],
    "enum_member_name_collision.json": [
        "error: enum_member_name_collision.json: /shapes/example.bad#Color/members/_RED: ",
        "/shapes/example.bad#Color/members/RED and /shapes/example.bad#Color/members/_RED both "
        "become the enum member 'RED'; rename one of them in the model",
    ],
    "enum_trait_value_name_collision.json": [
        "error: enum_trait_value_name_collision.json: "
        "/shapes/example.bad#Name/traits/smithy.api#enum/1: ",
        "'foo-bar' and 'foo bar' both become the Python name 'FOO_BAR'",
    ],
    "error_without_error_trait.json": [
        "error: error_without_error_trait.json: /shapes/example.bad#Op/errors/0/target: ",
        "example.bad#Oops is listed as an error but has no @error trait",
    ],
    "query_compatible_on_operation.json": [
        "error: query_compatible_on_operation.json: "
        "/shapes/example.bad#Op/traits/aws.protocols#awsQueryCompatible: ",
        "@awsQueryCompatible applies to services, not to an operation",
    ],
    "query_error_code_breaks_header.json": [
        "error: query_error_code_breaks_header.json: "
        "/shapes/example.bad#Throttled/traits/aws.protocols#awsQueryError/code: ",
        "cannot be sent in the x-amzn-query-error header (<code>;<Sender|Receiver>): "
        "use visible ASCII characters other than ';'",
    ],
    "query_error_on_non_error.json": [
        "error: query_error_on_non_error.json: "
        "/shapes/example.bad#OpOutput/traits/aws.protocols#awsQueryError: ",
        "@awsQueryError applies to structures with @error, not to a structure without it",
    ],
    "query_error_status_not_an_integer.json": [
        "error: query_error_status_not_an_integer.json: "
        "/shapes/example.bad#Throttled/traits/aws.protocols#awsQueryError/httpResponseCode: ",
        "expected integer, found a string",
    ],
    "http_error_not_an_integer.json": [
        "error: http_error_not_an_integer.json: "
        "/shapes/example.bad#Throttled/traits/smithy.api#httpError: ",
        "expected integer, found a number",
    ],
    "invalid_regex_unbalanced_paren.json": [
        "error: invalid_regex_unbalanced_paren.json: "
        "/shapes/example.bad#Name/traits/smithy.api#pattern: ",
        "'^(abc$' is a regular expression in neither ECMA 262 nor Java",
        "a group is opened and never closed",
    ],
    "length_min_greater_than_max.json": [
        "error: length_min_greater_than_max.json: "
        "/shapes/example.bad#Name/traits/smithy.api#length/min: ",
        "min 10 is greater than max 2",
    ],
    "length_min_is_a_float.json": [
        "error: length_min_is_a_float.json: "
        "/shapes/example.bad#OpInput/members/Name/traits/smithy.api#length/min: ",
        "expected integer, found a number",
    ],
    "length_on_integer.json": [
        "error: length_on_integer.json: /shapes/example.bad#Count/traits/smithy.api#length: ",
        "@length applies to strings, blobs, lists and maps",
    ],
    "map_key_not_string.json": [
        "error: map_key_not_string.json: /shapes/example.bad#Tags/key/target: ",
        "map keys must be strings",
    ],
    "member_name_trailing_newline.json": [
        "error: member_name_trailing_newline.json: /shapes/example.bad#OpInput/members: ",
        'found "Name\\n", expected a member name (Smithy\'s identifier',
    ],
    "member_snake_case_collision.json": [
        "error: member_snake_case_collision.json: /shapes/example.bad#OpInput/members/Foo_Bar: ",
        "/shapes/example.bad#OpInput/members/FooBar and /shapes/example.bad#OpInput/members/"
        "Foo_Bar both become the attribute 'foo_bar'; rename one of them in the model",
    ],
    "operation_input_not_structure.json": [
        "error: operation_input_not_structure.json: /shapes/example.bad#Op/input/target: ",
        "targets example.bad#Name, a string; expected a structure",
    ],
    "operation_output_is_error.json": [
        "error: operation_output_is_error.json: /shapes/example.bad#Op/output/target: ",
        "the output of an operation cannot be an error structure",
    ],
    "python_only_pattern_backslash_capital_u.json": [
        "error: python_only_pattern_backslash_capital_u.json: "
        "/shapes/example.bad#Name/traits/smithy.api#pattern: ",
        "\\U at position 1 is an escape of neither ECMA 262 nor Java",
    ],
    "python_only_pattern_inline_flag.json": [
        "error: python_only_pattern_inline_flag.json: "
        "/shapes/example.bad#Name/traits/smithy.api#pattern: ",
        "'(?a)abc' is a regular expression in neither ECMA 262 nor Java",
        "unknown inline flag 'a' at position 0",
    ],
    "range_beyond_double.json": [
        "error: range_beyond_double.json: "
        "/shapes/example.bad#OpInput/members/Name/traits/smithy.api#range/max: ",
        "number 1e309 is beyond the range of a 64-bit float",
    ],
    "range_min_greater_than_max.json": [
        "error: range_min_greater_than_max.json: "
        "/shapes/example.bad#Count/traits/smithy.api#range/min: ",
        "min 5 is greater than max 1",
    ],
    "sdk_id_class_names_taken.json": [
        "error: sdk_id_class_names_taken.json: "
        "/shapes/example.bad#Service/traits/aws.api#service/sdkId: ",
        "gives the base error class 'ValidationError', a name generated code already uses in "
        "the package; rename it in the model",
    ],
    "sdk_id_not_an_identifier.json": [
        "error: sdk_id_not_an_identifier.json: "
        "/shapes/example.bad#Service/traits/aws.api#service/sdkId: ",
        'found "Bad %(prog)s 100%", expected a value matching ^[A-Za-z][A-Za-z0-9]*( [A-Za-z0-9]+)*$',
    ],
    "shape_id_trailing_newline.json": [
        "error: shape_id_trailing_newline.json: /shapes: ",
        'found "example.bad#Name\\n", expected a shape id, namespace#Name',
    ],
    "stub_creates_unknown_member.json": [
        "error: stub_creates_unknown_member.json: "
        "/shapes/example.bad#Op/traits/shapesmith.stub#creates/identifier: ",
        "example.bad#OpOutput has no member 'Id' (its members: Result)",
    ],
    "stub_reads_not_found_is_not_an_error.json": [
        "error: stub_reads_not_found_is_not_an_error.json: "
        "/shapes/example.bad#Op/traits/shapesmith.stub#reads/notFound: ",
        "example.bad#OpOutput is not one of example.bad#Op's errors",
    ],
    "stub_resource_name_unsafe.json": [
        "error: stub_resource_name_unsafe.json: "
        "/shapes/example.bad#Op/traits/shapesmith.stub#creates/resource: ",
        'expected a name like FaceLivenessSession, found \'Thing"""{x}\'',
    ],
    "target_trailing_newline.json": [
        "error: target_trailing_newline.json: /shapes/example.bad#OpInput/members/Name/target: ",
        'found "example.bad#Name\\n", expected a shape id, namespace#Name',
    ],
    "trait_wrong_type_length_min_string.json": [
        "error: trait_wrong_type_length_min_string.json: "
        "/shapes/example.bad#Name/traits/smithy.api#length/min: ",
        "expected integer, found a string",
    ],
    "undefined_mixin.json": [
        "error: undefined_mixin.json: /shapes/example.bad#OpInput/mixins/0/target: ",
        "mixin example.bad#NoSuchMixin is not defined",
    ],
    "wrong_smithy_version.json": [
        "error: wrong_smithy_version.json: /smithy: ",
        'unsupported Smithy version "3.0"; expected "2.0"',
    ],
    "smithy_version_a_list.json": [
        "error: smithy_version_a_list.json: /smithy: ",
        'unsupported Smithy version ["2.0"]; expected "2.0"',
    ],
}


# -- helpers ----------------------------------------------------------------------------------


def _bad_model_files(name: str) -> list[Path]:
    source = BAD_MODELS_DIR / name
    return sorted(source.glob("*.json")) if source.is_dir() else [source]


def _minimal_model() -> JsonObject:
    """The valid service every bad model is built on (each fixture adds one fault to it)."""
    return {
        "smithy": "2.0",
        "shapes": {
            "example.bad#Service": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": "example.bad#Op"}],
                "traits": {"aws.api#service": {"sdkId": "Bad"}},
            },
            "example.bad#Op": {
                "type": "operation",
                "input": {"target": "example.bad#OpInput"},
                "output": {"target": "example.bad#OpOutput"},
            },
            "example.bad#OpInput": {
                "type": "structure",
                "members": {"Name": {"target": "example.bad#Name"}},
                "traits": {"smithy.api#input": {}},
            },
            "example.bad#OpOutput": {
                "type": "structure",
                "members": {"Result": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#output": {}},
            },
            "example.bad#Name": {"type": "string"},
        },
    }


def _project(
    root: Path, models: list[Path], operation: str = BAD_OPERATION, *, sentinel: bool = True
) -> Path:
    """A project folder: copies of `models`, a shapesmith.toml, and a generated/ with a sentinel."""
    root.mkdir(parents=True, exist_ok=True)
    for model in models:
        shutil.copyfile(model, root / model.name)
    names = ", ".join(json.dumps(model.name) for model in models)
    config = root / "shapesmith.toml"
    config.write_text(
        f'models = [{names}]\noutput = "generated"\noperations = ["{operation}"]\n', "utf-8"
    )
    if sentinel:
        (root / "generated" / "pkg").mkdir(parents=True)
        (root / "generated" / "SENTINEL.txt").write_bytes(b"do not touch\r\n\x00\xff")
        (root / "generated" / "pkg" / "module.py").write_bytes(b"# hand written\n")
    return config


def _project_with_model(root: Path, model: JsonObject, operation: str) -> Path:
    """A project folder with `model` written as model.json, and its shapesmith.toml."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "model.json").write_text(json.dumps(model, indent=2, ensure_ascii=False), "utf-8")
    config = root / "shapesmith.toml"
    config.write_text(
        f'models = ["model.json"]\noutput = "generated"\noperations = ["{operation}"]\n', "utf-8"
    )
    return config


def _snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under `root`, ignoring Python caches."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if "__pycache__" in relative.parts:
            continue
        found[relative.as_posix()] = path.read_bytes() if path.is_file() else None
    return found


def _tree(root: Path) -> dict[str, bytes]:
    return {path: data for path, data in _snapshot(root).items() if data is not None}


def _assert_reported(stderr: str, expected: list[str], count: int = 1) -> None:
    for text in expected:
        assert text in stderr, f"{text!r} not in stderr:\n{stderr}"
    lines = stderr.rstrip("\n").splitlines()
    plural = "s" if count != 1 else ""
    assert re.fullmatch(
        rf"{count} error{plural}; nothing was (written|compared)", lines[-1]
    ), stderr
    errors = [line for line in lines[:-1] if line.startswith("error: ")]
    assert len(errors) == count, stderr


def _hostile_model() -> JsonObject:
    model: JsonObject = json.loads(HOSTILE_MODEL.read_text("utf-8"))
    return model


def _generate_variant(
    root: Path, mutate: Callable[[JsonObject], None], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, Path]:
    """Generate a changed copy of the hostile model: (exit code, stderr, output folder)."""
    model = copy.deepcopy(_hostile_model())
    mutate(model["shapes"])
    config = _project_with_model(root, model, HOSTILE_OPERATION)
    code = main(["generate", "--config", str(config)])
    return code, capsys.readouterr().err, root / "generated"


def _compile_all(folder: Path) -> None:
    for path in sorted(folder.rglob("*.py")):
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)


def _copy_repo_project(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the repository's models, pyproject.toml and generated/: (config, output)."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "models", project / "models")
    shutil.copyfile(REPO_CONFIG, project / "pyproject.toml")
    output = tmp_path / "generated_copy"
    shutil.copytree(REPO_GENERATED, output, ignore=shutil.ignore_patterns("__pycache__"))
    return project / "pyproject.toml", output


# -- bad models -------------------------------------------------------------------------------


def test_every_bad_model_fixture_is_in_the_table() -> None:
    on_disk = {path.name for path in BAD_MODELS_DIR.iterdir()}
    assert on_disk == set(BAD_MODELS)
    assert sorted(p.name for p in _bad_model_files("conflicting_definitions")) == [
        "conflict_a.json",
        "conflict_b.json",
    ]


def test_bad_models_start_from_a_valid_model(tmp_path: Path) -> None:
    """The base the faults are added to passes every model check: each fixture has one fault."""
    path = tmp_path / "base.json"
    path.write_text(json.dumps(_minimal_model()), "utf-8")
    check_model(load_model([path], tmp_path))


@pytest.mark.parametrize("name", sorted(BAD_MODELS))
def test_bad_model_is_refused_and_nothing_is_written(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, _bad_model_files(name))
    before = _snapshot(tmp_path)

    code = main(["generate", "--config", str(config)])

    captured = capsys.readouterr()
    assert code == 2, captured.err
    _assert_reported(captured.err, BAD_MODELS[name])
    assert "Traceback" not in captured.out + captured.err
    # generated/ with its sentinel, the models and the config are byte-for-byte as they were, and
    # no staging folder was left behind.
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["generate", "check", "export"])
def test_bad_model_is_refused_by_every_command(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, _bad_model_files("length_min_greater_than_max.json"))
    before = _snapshot(tmp_path)
    args = {
        "generate": ["generate"],
        "check": ["check"],
        "export": ["export", "jsonschema", "--output", str(tmp_path / "schemas")],
    }[command]

    code = main([*args, "--config", str(config)])

    captured = capsys.readouterr()
    assert code == 2
    _assert_reported(captured.err, BAD_MODELS["length_min_greater_than_max.json"])
    assert "Traceback" not in captured.out + captured.err
    assert _snapshot(tmp_path) == before


def test_several_faults_are_all_reported_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _minimal_model()
    shapes = model["shapes"]
    shapes["example.bad#Name"]["traits"] = {
        "smithy.api#length": {"min": 10, "max": 2},
        "smithy.api#pattern": "(?a)abc",
    }
    shapes["example.bad#OpInput"]["members"]["Other"] = {"target": "example.bad#Missing"}
    shapes["example.bad#OpInput"]["members"]["Count"] = {"target": "example.bad#Count"}
    shapes["example.bad#Count"] = {
        "type": "integer",
        "traits": {"smithy.api#range": {"min": 5, "max": 1}},
    }
    shapes["example.bad#OpOutput"]["members"]["Result"]["traits"] = {"smithy.api#default": 5}
    config = _project_with_model(tmp_path, model, BAD_OPERATION)
    before = _snapshot(tmp_path)

    code = main(["generate", "--config", str(config)])

    err = capsys.readouterr().err
    assert code == 2
    _assert_reported(
        err,
        [
            "model.json: /shapes/example.bad#Name/traits/smithy.api#length/min: min 10",
            "model.json: /shapes/example.bad#Name/traits/smithy.api#pattern: '(?a)abc'",
            "model.json: /shapes/example.bad#OpInput/members/Other/target: targets "
            "example.bad#Missing",
            "model.json: /shapes/example.bad#Count/traits/smithy.api#range/min: min 5",
            "model.json: /shapes/example.bad#OpOutput/members/Result/traits/smithy.api#default: ",
        ],
        count=5,
    )
    assert _snapshot(tmp_path) == before


def test_faults_in_several_files_are_all_reported_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [
        "broken_json.json",
        "trait_wrong_type_length_min_string.json",
        "wrong_smithy_version.json",
    ]
    config = _project(tmp_path, [BAD_MODELS_DIR / name for name in names])

    code = main(["generate", "--config", str(config)])

    err = capsys.readouterr().err
    assert code == 2
    _assert_reported(err, [text for name in names for text in BAD_MODELS[name]], count=3)


def test_bad_config_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _project(tmp_path, _bad_model_files("dangling_member_target.json"))
    config.write_text(
        'models = ["dangling_member_target.json"]\nopertions = ["example.bad#Op"]\n', "utf-8"
    )
    code = main(["generate", "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2
    _assert_reported(err, [f"error: {config}: /opertions: unknown setting"])


def test_selected_operation_that_does_not_exist_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _minimal_model()
    config = _project_with_model(tmp_path, model, "example.bad#Nope")
    code = main(["generate", "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2
    _assert_reported(
        err, [f"error: {config}: /operations/0: example.bad#Nope is not defined; expected"]
    )


def test_subprocess_bad_model_exits_2_and_shows_a_traceback_only_with_debug(
    tmp_path: Path,
) -> None:
    config = _project(tmp_path, _bad_model_files("dangling_member_target.json"))
    command = [sys.executable, "-m", "generator", "generate", "--config", str(config)]

    plain = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT, check=False
    )
    debug = subprocess.run(
        [*command, "--debug"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )

    assert plain.returncode == 2, plain.stderr
    assert "Traceback" not in plain.stdout + plain.stderr
    _assert_reported(plain.stderr, BAD_MODELS["dangling_member_target.json"])
    assert debug.returncode == 2, debug.stderr
    assert "Traceback (most recent call last)" in debug.stderr
    assert "ShapesmithError" in debug.stderr
    assert BAD_MODELS["dangling_member_target.json"][0] in debug.stderr


def test_duplicate_json_key_error_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, _bad_model_files("duplicate_json_key.json"))
    assert main(["generate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert re.search(
        r"^error: duplicate_json_key\.json(:\d+: |: /shapes/example\.bad#OpInput/members)",
        err,
        re.MULTILINE,
    ), err


# -- options ----------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"shapesmith {__version__}\n"


@pytest.mark.parametrize("command", [[], ["generate"], ["check"], ["export"]])
def test_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: shapesmith {' '.join(command)}".rstrip())
    for option in ("--config", "--quiet", "--verbose", "--debug"):
        assert option in out
    if command:
        assert "--output" in out
        assert "--model" in out and "--operation" in out
        assert "no configuration is read" in " ".join(out.split())


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "usage: shapesmith" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--config", "--debug"])
def test_common_options_work_before_the_subcommand(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no configuration here: only --config can point at one
    if option == "--config":
        assert main(["--config", str(REPO_CONFIG), "check"]) == 0
    else:
        config = _project(tmp_path / "p", _bad_model_files("dangling_member_target.json"))
        assert main(["--debug", "generate", "--config", str(config)]) == 2
        assert "Traceback (most recent call last)" in capsys.readouterr().err


# -- selections and one-off runs --------------------------------------------------------------

OTHER_OPERATION = "example.bad#Other"


def _two_operation_project(root: Path, operations: str) -> Path:
    """The minimal model with a second operation, in models/model.json, and a shapesmith.toml
    whose `operations` setting is the TOML text `operations`."""
    model = _minimal_model()
    shapes = model["shapes"]
    shapes["example.bad#Service"]["operations"].append({"target": OTHER_OPERATION})
    shapes[OTHER_OPERATION] = {"type": "operation"}
    (root / "models").mkdir(parents=True)
    (root / "models" / "model.json").write_text(json.dumps(model), "utf-8")
    config = root / "shapesmith.toml"
    config.write_text(
        f'models = ["models/model.json"]\noutput = "generated"\noperations = {operations}\n',
        "utf-8",
    )
    return config


def _operations_generated(output: Path) -> set[str]:
    """The operations the package in `output` was generated for, as its manifest lists them."""
    (package,) = [path for path in output.iterdir() if path.is_dir()]
    manifest = json.loads((package / "shapesmith-package.json").read_text("utf-8"))
    return set(manifest["operations"])


def test_every_operation_by_star_is_the_same_as_no_list(tmp_path: Path) -> None:
    star = _two_operation_project(tmp_path / "star", '"*"')
    empty = _two_operation_project(tmp_path / "empty", "[]")
    one = _two_operation_project(tmp_path / "one", f'["{BAD_OPERATION}"]')
    for config in (star, empty, one):
        assert main(["generate", "-q", "--config", str(config)]) == 0
    assert _tree(tmp_path / "star" / "generated") == _tree(tmp_path / "empty" / "generated")
    assert _operations_generated(tmp_path / "star" / "generated") == {
        BAD_OPERATION,
        OTHER_OPERATION,
    }
    assert _operations_generated(tmp_path / "one" / "generated") == {BAD_OPERATION}


@pytest.mark.parametrize("setting", ['"all"', '""', "3", '["*"]'])
def test_operations_other_than_star_or_a_list_of_ids_are_refused(
    setting: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _two_operation_project(tmp_path, setting)
    assert main(["generate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    if setting == '["*"]':  # "*" inside a list is an operation id, which no shape has
        _assert_reported(err, [f"error: {config}: /operations/0: * is not defined"])
    else:
        _assert_reported(err, [f'error: {config}: /operations: expected "*" (every operation'])
    assert not (tmp_path / "generated").exists()


def test_one_off_run_writes_what_the_configuration_would_and_does_not_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "models", project / "models")
    shutil.copyfile(REPO_CONFIG, project / "pyproject.toml")
    monkeypatch.chdir(project)
    configured = tomllib.loads(REPO_CONFIG.read_text("utf-8"))["tool"]["shapesmith"]
    assert main(["generate", "-q", "--output", "by-config"]) == 0

    command = ["generate", "--model", *configured["models"], "--out", "one-off"]
    caplog.set_level(logging.INFO, logger="shapesmith")
    assert main([*command, "--operation", *configured["operations"]]) == 0

    assert _tree(project / "one-off") == _tree(project / "by-config")
    # The configuration in the folder was not read: its `output` was never written.
    assert not (project / configured["output"]).exists()
    assert f"--model given: {project / 'pyproject.toml'} is not read" in caplog.messages
    # The repository's models bind these two operations only: every operation is the same.
    assert main(["check", "--model", *configured["models"], "--out", "one-off"]) == 0


def test_one_off_run_of_every_operation_in_a_subprocess(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _two_operation_project(project, f'["{BAD_OPERATION}"]')
    (project / "shapesmith.toml").unlink()
    command = [sys.executable, "-m", "generator", "generate", "-q", "--model", "models/model.json"]
    done = subprocess.run(
        [*command, "--out", "out"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    assert _operations_generated(project / "out") == {BAD_OPERATION, OTHER_OPERATION}


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            ["--model", "missing.json", "--out", "out"],
            ["error: missing.json: cannot read the model file: No such file"],
        ),
        (
            ["--model", "models/model.json", "--out", "out", "--operation", "Op"],
            [
                "error: --operation: Op is not defined; expected an operation "
                f"(did you mean {BAD_OPERATION}?)"
            ],
        ),
        (
            ["--model", "models/model.json", "--out", "out", "--operation", "example.bad#Name"],
            ["error: --operation: example.bad#Name is a string; expected an operation"],
        ),
        (["--model", "models/model.json"], ["error: --model: needs --output DIR"]),
        (
            ["--operation", BAD_OPERATION, "--out", "out"],
            ["error: --operation: selects from the --model files"],
        ),
        (
            ["--config", "shapesmith.toml", "--model", "models/model.json", "--out", "out"],
            ["error: --config: the models come from the configuration or from --model"],
        ),
        (
            ["--model", "models/model.json", "--out", "out", "--templates", "nowhere"],
            ["error: nowhere: --templates: no such folder"],
        ),
        (
            ["--model", "models/model.json", "--out", "."],
            ["error: .: is the project root, the current folder; choose another"],
        ),
    ],
    ids=[
        "missing-model",
        "bare-name",
        "not-an-operation",
        "no-output",
        "operation-without-model",
        "config-and-model",
        "templates",
        "output-is-cwd",
    ],
)
def test_bad_one_off_runs_are_refused(
    arguments: list[str],
    expected: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _two_operation_project(tmp_path, f'["{BAD_OPERATION}"]')
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    assert main(["generate", *arguments]) == 2
    _assert_reported(capsys.readouterr().err, expected)
    assert _snapshot(tmp_path) == before


def test_check_package_with_model_compares_the_operations_its_manifest_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _two_operation_project(tmp_path, f'["{BAD_OPERATION}"]')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    package = ["check", "--model", "models/model.json", "--package", "generated/bad"]
    assert main(package) == 0
    assert main([*package, "--operation", OTHER_OPERATION]) == 2
    _assert_reported(
        capsys.readouterr().err,
        ["error: --operation: check --package compares the operations its manifest records"],
    )


# -- hostile but valid ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    config = _project(root, [HOSTILE_MODEL], HOSTILE_OPERATION, sentinel=False)
    assert main(["generate", "--config", str(config)]) == 0
    output = root / "generated"
    assert sorted(_tree(output)) == [
        "hostile/__init__.py",
        "hostile/_runtime.py",
        "hostile/enums.py",
        "hostile/errors.py",
        "hostile/shapes.py",
        "hostile/shapesmith-package.json",
        "hostile/validators.py",
        "shapesmith-manifest.json",
    ]
    return output


def test_hostile_model_output_compiles(hostile_output: Path) -> None:
    _compile_all(hostile_output)


_HOSTILE_IMPORT_CHECK = r"""
import json

import hostile
from hostile import (
    Any_, Exception_, HostileError, None_, OpInput, OpOutput, ServiceError, ValidationError,
)

assert hostile.__file__.startswith(sys.path[0]), hostile.__file__
model = json.loads(open(sys.argv[1], encoding="utf-8").read())

# Keyword and builtin member names, as Python attributes.
nested = Any_(self="s", cls="c", data="d", value=None_.BACKSLASH, result=7)
value = OpInput(
    class_="k", from_=3, type=None_.QUOTE, id='a"\\', bytes=b"\x00\xff", list=["x", "y"],
    to_dict_=nested,
)
wire = value.to_dict()
assert wire == {
    "class": "k", "from": 3, "type": 'say "hi"', "id": 'a"\\', "bytes": b"\x00\xff",
    "list": ["x", "y"],
    "to_dict": {"self": "s", "cls": "c", "data": "d", "value": "C:\\path\\", "result": 7},
}, wire
assert OpInput.from_dict(wire) == value
assert OpInput.from_dict(json.loads(json.dumps({**wire, "bytes": None}))) == OpInput(
    class_="k", from_=3, type=None_.QUOTE, id='a"\\', list=["x", "y"], to_dict_=nested
)
assert hostile.validate_op_input(value) == []
assert hostile.validate_op_input(wire) == []
broken = hostile.validate_op_input({"from": 11, "id": "UPPER"})
assert sorted(v.constraint for v in broken) == ["pattern", "range"], broken

output = OpOutput(from_dict_="x", none=True)
assert output.to_dict() == {"from_dict": "x", "None": True}
assert OpOutput.from_dict(output.to_dict()) == output

# Enum values exactly as the model spells them, however they are quoted.
members = model["shapes"]["example.hostile#None"]["members"]
assert sorted(m.value for m in None_) == sorted(
    m["traits"]["smithy.api#enumValue"] for m in members.values()
)
assert None_.BACKSLASH == "C:\\path\\" and None_.TRIPLE == "'''\"\"\"" and None_.name_ == "name"
assert None_.JINJA == "{{ x }}{% raw %}" and None_.UNICODE == "\u65e5\u672c\u2028end"

# An error shape named like a builtin, with members an exception already has.
error = Exception_(message="boom", args_="a", class_="k")
assert isinstance(error, ServiceError) and isinstance(error, HostileError)
assert str(error) == "boom" and error.shape_name == "Exception" and error.fault == "client"
assert error.to_dict() == {"message": "boom", "args": "a", "class": "k"}
assert Exception_.from_dict(error.to_dict()).to_dict() == error.to_dict()
try:
    raise error
except HostileError as caught:
    assert caught is error
try:
    hostile.validate_or_raise({"id": ""}, shape="OpInput")
except ValidationError as invalid:
    assert [v.constraint for v in invalid.violations] == ["length", "pattern"], invalid
else:
    raise AssertionError("validate_or_raise accepted an invalid value")

print(json.dumps({
    name: getattr(hostile, name).__doc__
    for name in ("OpInput", "Any_", "Exception_", "None_")
}))
"""


def test_hostile_model_output_imports_and_round_trips(hostile_output: Path) -> None:
    result = run_isolated(hostile_output, _HOSTILE_IMPORT_CHECK, str(HOSTILE_MODEL))
    assert result.returncode == 0, result.stderr
    docs: dict[str, str] = json.loads(result.stdout)
    for name in ("OpInput", "Exception_", "None_"):
        text = " ".join(docs[name].split())
        assert 'Hostile text: triple quotes """ inside, jinja {{ jinja }} and {% raw %} tags' in (
            text
        )
        assert "Non-ASCII: Grüße, naïve café, 日本語, emoji 🐍, ends with a backslash \\" in text
        assert text.endswith("backslash \\")
        assert "<p>" not in text and "</p>" not in text
    assert docs["Any_"] == "Named like typing.Any: {{ jinja }} {% raw %}"


def _attribute_docstrings(path: Path, class_name: str) -> dict[str, str]:
    """The string statement after each annotated or assigned class attribute in a generated file."""
    tree = ast.parse(path.read_text("utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name == class_name):
            continue
        for statement, following in zip(node.body, node.body[1:], strict=False):
            target: ast.expr | None = None
            if isinstance(statement, ast.AnnAssign):
                target = statement.target
            elif isinstance(statement, ast.Assign):
                target = statement.targets[0]
            if (
                isinstance(target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                found[target.id] = following.value.value
    return found


def test_hostile_member_documentation_is_kept_verbatim(hostile_output: Path) -> None:
    shapes = hostile_output / "hostile" / "shapes.py"
    op_input = _attribute_docstrings(shapes, "OpInput")
    assert set(op_input) == {"class_", "from_"}
    assert "{{ jinja }} and {% raw %}" in " ".join(op_input["class_"].split())
    assert op_input["from_"] == "Ends with a backslash \\"
    assert _attribute_docstrings(shapes, "Any_") == {"self": 'Ends with a quote "'}
    enums = _attribute_docstrings(hostile_output / "hostile" / "enums.py", "None_")
    assert enums == {"QUOTE": 'Docs with """ and \\'}


@pytest.mark.slow
def test_hostile_model_output_passes_mypy_strict(hostile_output: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.11",
            "--cache-dir",
            str(tmp_path / "mypy_cache"),
            "hostile",
        ],
        cwd=hostile_output,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_hostile_model_output_passes_ruff(hostile_output: Path) -> None:
    result = ruff_check(hostile_output)
    assert result.returncode == 0, result.stdout + result.stderr


# -- generator bugs found with variants of the hostile model ----------------------------------


def test_service_without_errors_generates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project_with_model(tmp_path, _minimal_model(), BAD_OPERATION)
    code = main(["generate", "--config", str(config)])
    assert code == 0, capsys.readouterr().err
    _compile_all(tmp_path / "generated")


def test_error_member_named_self(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def mutate(shapes: JsonObject) -> None:
        shapes["example.hostile#Exception"]["members"]["self"] = {"target": "smithy.api#String"}

    code, err, output = _generate_variant(tmp_path, mutate, capsys)
    assert code in (0, 2), err
    if code == 0:
        _compile_all(output)


def test_structure_named_callable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def mutate(shapes: JsonObject) -> None:
        shapes["example.hostile#Callable"] = {
            "type": "structure",
            "members": {"a": {"target": "smithy.api#String"}},
        }
        shapes["example.hostile#OpOutput"]["members"]["cb"] = {"target": "example.hostile#Callable"}

    code, err, output = _generate_variant(tmp_path, mutate, capsys)
    assert code in (0, 2), err
    if code == 0:
        result = run_isolated(
            output, "import hostile\nprint(hostile.validate_op_output({'cb': {}}))"
        )
        assert result.returncode == 0, result.stderr


def test_error_named_like_the_package_base_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def mutate(shapes: JsonObject) -> None:
        shapes["example.hostile#HostileError"] = {
            "type": "structure",
            "members": {"message": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#error": "server"},
        }
        shapes["example.hostile#Op"]["errors"].append({"target": "example.hostile#HostileError"})

    code, err, output = _generate_variant(tmp_path, mutate, capsys)
    assert code in (0, 2), err
    if code == 0:
        result = run_isolated(
            output,
            "import hostile\n"
            "assert issubclass(hostile.ServiceError, hostile.HostileError)\n"
            "assert issubclass(hostile.Exception_, hostile.HostileError)\n",
        )
        assert result.returncode == 0, result.stderr


def test_member_patterns_with_colliding_constant_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def mutate(shapes: JsonObject) -> None:
        shapes["example.hostile#Foo"] = {
            "type": "structure",
            "members": {
                "BarBaz": {
                    "target": "smithy.api#String",
                    "traits": {"smithy.api#pattern": "^[0-9]+$"},
                }
            },
        }
        shapes["example.hostile#FooBar"] = {
            "type": "structure",
            "members": {
                "Baz": {"target": "smithy.api#String", "traits": {"smithy.api#pattern": "^x+$"}}
            },
        }
        members = shapes["example.hostile#OpOutput"]["members"]
        members["foo"] = {"target": "example.hostile#Foo"}
        members["foobar"] = {"target": "example.hostile#FooBar"}

    code, err, output = _generate_variant(tmp_path, mutate, capsys)
    assert code in (0, 2), err
    if code == 0:
        result = run_isolated(
            output,
            "import hostile\n"
            "v = hostile.validate_op_output\n"
            "assert v({'foo': {'BarBaz': '123'}, 'foobar': {'Baz': 'xx'}}) == [], "
            "v({'foo': {'BarBaz': '123'}})\n"
            "assert len(v({'foo': {'BarBaz': 'xxx'}})) == 1\n",
        )
        assert result.returncode == 0, result.stderr


def test_shapes_with_the_same_snake_case_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def mutate(shapes: JsonObject) -> None:
        shapes["example.hostile#ABTest"] = {
            "type": "structure",
            "members": {"a": {"target": "smithy.api#Integer"}},
        }
        shapes["example.hostile#AbTest"] = {
            "type": "structure",
            "members": {"b": {"target": "smithy.api#String"}},
        }
        members = shapes["example.hostile#OpOutput"]["members"]
        members["x"] = {"target": "example.hostile#ABTest"}
        members["y"] = {"target": "example.hostile#AbTest"}

    code, err, output = _generate_variant(tmp_path, mutate, capsys)
    assert code in (0, 2), err
    if code == 0:
        result = run_isolated(
            output,
            "import hostile\n"
            "v = hostile.validate_op_output\n"
            "assert v({'x': {'a': 1}, 'y': {'b': 's'}}) == [], v({'x': {'a': 1}})\n"
            "assert [e.constraint for e in v({'x': {'a': 'no'}})] == ['type']\n",
        )
        assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_members_named_dict_and_str_pass_mypy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def mutate(shapes: JsonObject) -> None:
        shapes["example.hostile#Any"]["members"]["dict"] = {"target": "smithy.api#String"}
        shapes["example.hostile#OpInput"]["members"]["str"] = {"target": "smithy.api#String"}

    code, err, output = _generate_variant(tmp_path, mutate, capsys)
    assert code == 0, err
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mc"), "hostile"],
        cwd=output,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout


# -- check ------------------------------------------------------------------------------------


def test_check_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--config", str(REPO_CONFIG)]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("change", "new_text"),
    [
        ("pattern", "^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$"),
        ("length", "<= 40"),
    ],
)
def test_check_reports_a_model_change(
    change: str, new_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, output = _copy_repo_project(tmp_path)
    model_path = config.parent / "models" / "rekognition.json"
    model = json.loads(model_path.read_text("utf-8"))
    traits = model["shapes"]["com.amazonaws.rekognition#LivenessSessionId"]["traits"]
    if change == "pattern":
        traits["smithy.api#pattern"] = new_text
    else:
        traits["smithy.api#length"] = {"min": 36, "max": 40}
    model_path.write_text(json.dumps(model, indent=4), "utf-8")
    before = _snapshot(output)

    code = main(["check", "--config", str(config), "--output", str(output)])

    captured = capsys.readouterr()
    assert code == 1, captured.err
    # the checks of the session id live in a part of validators.py (`_validators_parts/`)
    diffs = captured.out.split("\n--- ")
    validators_diffs = [d for d in diffs if "/_validators_parts/" in d.partition("\n")[0]]
    assert validators_diffs, captured.out
    added = [
        line for diff in validators_diffs for line in diff.splitlines() if line.startswith("+")
    ]
    assert any(new_text in line for line in added), validators_diffs
    assert "differ from what the models produce; run `shapesmith generate`" in captured.err
    assert _snapshot(output) == before  # check never writes


def test_check_reports_a_hand_edit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, output = _copy_repo_project(tmp_path)
    shapes = output / "rekognition" / "shapes.py"
    shapes.write_text(shapes.read_text("utf-8") + "# a hand edit\n", "utf-8")

    code = main(["check", "--config", str(REPO_CONFIG), "--output", str(output)])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.startswith("--- generated_copy/rekognition/shapes.py (on disk)\n")
    assert "+++ generated_copy/rekognition/shapes.py (from the model)\n" in captured.out
    assert "\n-# a hand edit\n" in captured.out
    assert "1 file(s) in" in captured.err


def test_check_reports_stray_and_missing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, output = _copy_repo_project(tmp_path)
    (output / "rekognition" / "stray.py").write_text("x = 1\n", "utf-8")
    (output / "rekognition" / "enums.py").unlink()

    code = main(["check", "--config", str(REPO_CONFIG), "--output", str(output)])

    captured = capsys.readouterr()
    assert code == 1
    assert "--- generated_copy/rekognition/stray.py (on disk)\n+++ /dev/null\n" in captured.out
    assert "--- /dev/null\n+++ generated_copy/rekognition/enums.py (from the model)\n" in (
        captured.out
    )
    assert "2 file(s) in" in captured.err


def test_check_ignores_tool_caches(tmp_path: Path) -> None:
    _, output = _copy_repo_project(tmp_path)
    for cache in ("rekognition/__pycache__", ".mypy_cache", ".ruff_cache"):
        (output / cache).mkdir(parents=True)
        (output / cache / "junk.bin").write_bytes(b"\x00")
    assert main(["check", "--config", str(REPO_CONFIG), "--output", str(output)]) == 0


def test_check_of_a_missing_output_reports_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "--config", str(REPO_CONFIG), "--output", str(tmp_path / "none")])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{len(_tree(REPO_GENERATED))} file(s) in" in captured.err
    assert not (tmp_path / "none").exists()


def _counting_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the renders `check` does from here on (each one still renders for real)."""
    from generator import pipeline

    calls: list[int] = []
    real = pipeline.render

    def counted(*args: Any, **kwargs: Any) -> dict[str, str]:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "render", counted)
    return calls


def test_check_vouches_for_an_unchanged_tree_from_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    config, output = _copy_repo_project(tmp_path)
    renders = _counting_renders(monkeypatch)
    caplog.set_level(logging.INFO, logger="shapesmith")
    assert main(["check", "--config", str(config), "--output", str(output)]) == 0
    assert renders == []
    assert "inputs unchanged since generated" in caplog.text
    assert main(["check", "--full", "--config", str(config), "--output", str(output)]) == 0
    assert renders == [1]


def _reformat_model(config: Path, output: Path) -> None:
    model = config.parent / "models" / "rekognition.json"
    model.write_text(json.dumps(json.loads(model.read_text("utf-8"))), "utf-8")


def _add_user_template(config: Path, output: Path) -> None:
    (config.parent / "templates" / "extra").mkdir(parents=True)
    (config.parent / "templates" / "extra" / "notes.py.jinja").write_text("X = 1\n", "utf-8")
    text = config.read_text("utf-8").replace(
        "[tool.shapesmith]\n", '[tool.shapesmith]\ntemplates = "templates"\n'
    )
    config.write_text(text, "utf-8")


def _drop_an_operation(config: Path, output: Path) -> None:
    text = config.read_text("utf-8")
    config.write_text(text.replace('"com.amazonaws.rekognition#CreateFaceLivenessSession",', ""))


def _touch_an_output_file(config: Path, output: Path) -> None:
    (output / "rekognition" / "enums.py").write_text("", "utf-8")


def _replace_the_manifest_inputs(config: Path, output: Path) -> None:
    manifest = output / "shapesmith-manifest.json"
    document = json.loads(manifest.read_text("utf-8"))
    document["inputs"]["files"] = []
    manifest.write_text(json.dumps(document), "utf-8")


@pytest.mark.parametrize(
    "change",
    [
        _reformat_model,
        _add_user_template,
        _drop_an_operation,
        _touch_an_output_file,
        _replace_the_manifest_inputs,
    ],
)
def test_check_renders_when_any_input_or_output_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path, Path], None]
) -> None:
    config, output = _copy_repo_project(tmp_path)
    change(config, output)
    renders = _counting_renders(monkeypatch)
    code = main(["check", "-q", "--config", str(config), "--output", str(output)])
    assert renders == [1]
    # a model written differently but meaning the same, or a manifest whose record of its
    # inputs is off, is in sync once rendered: that record is a memo, not content
    same = change in (_reformat_model, _replace_the_manifest_inputs)
    assert code == (0 if same else 1)


# -- generate ---------------------------------------------------------------------------------


def test_generate_replaces_the_output_exactly(tmp_path: Path) -> None:
    """An earlier output (its manifest lists what it wrote) loses its obsolete and stale files."""
    output = tmp_path / "out"
    (output / "rekognition").mkdir(parents=True)
    (output / "rekognition" / "obsolete.py").write_text("old = True\n", "utf-8")
    (output / "rekognition" / "shapes.py").write_text("# stale\n", "utf-8")
    listed = {"rekognition/obsolete.py": "", "rekognition/shapes.py": ""}
    manifest = {"generator": "shapesmith", "files": listed}
    (output / "shapesmith-manifest.json").write_text(json.dumps(manifest), "utf-8")

    assert main(["generate", "--config", str(REPO_CONFIG), "--output", str(output)]) == 0

    assert _tree(output) == _tree(REPO_GENERATED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left


def _generate_in_subprocess(config: Path, output: Path, hash_seed: str) -> None:
    command = ["generate", "--config", str(config), "--output", str(output), "-q"]
    result = subprocess.run(
        [sys.executable, "-m", "generator", *command],
        cwd=output.parent,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("which", ["repository", "hostile"])
def test_generate_is_deterministic_with_lf_endings(which: str, tmp_path: Path) -> None:
    if which == "repository":
        config = REPO_CONFIG
    else:
        config = _project(tmp_path / "project", [HOSTILE_MODEL], HOSTILE_OPERATION, sentinel=False)
    first, second = tmp_path / "first", tmp_path / "second"

    _generate_in_subprocess(config, first, "1")
    _generate_in_subprocess(config, second, "4242")

    tree = _tree(first)
    assert tree, "nothing was generated"
    assert tree == _tree(second)
    for path, data in tree.items():
        assert b"\r" not in data, path
        assert data.endswith(b"\n") and not data.endswith(b"\n\n"), path
        data.decode("utf-8")
    if which == "repository":
        assert tree == _tree(REPO_GENERATED)


# -- generate: what it may replace, Ctrl-C and crashes -----------------------------------------


def _minimal_project(root: Path, output: str = "generated") -> Path:
    """A project with the minimal valid model in models/model.json, writing to `output`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "models").mkdir()
    (root / "models" / "model.json").write_text(json.dumps(_minimal_model()), "utf-8")
    config = root / "shapesmith.toml"
    config.write_text(
        f'models = ["models/model.json"]\noutput = {json.dumps(output)}\n'
        f'operations = ["{BAD_OPERATION}"]\n',
        "utf-8",
    )
    return config


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["", "force"])
@pytest.mark.parametrize("output", [".", "..", "models", "models/..", "/"])
def test_generate_never_replaces_the_project_or_its_models(
    output: str, force: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _minimal_project(tmp_path / "project", output)
    (tmp_path / "project" / ".git").mkdir()
    (tmp_path / "project" / ".git" / "HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    before = _snapshot(tmp_path)

    code = main(["generate", "--config", str(config), *force])

    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "--force does not change this" in captured.err
    assert captured.err.endswith("; nothing was written\n")
    assert "Traceback" not in captured.err
    assert _snapshot(tmp_path) == before


def test_generate_refuses_files_it_did_not_write_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _minimal_project(tmp_path)
    assert main(["generate", "--config", str(config)]) == 0
    output = tmp_path / "generated"
    generated = _tree(output)
    (output / "bad" / "notes.txt").write_text("mine\n", "utf-8")
    (output / "scratch").mkdir()
    (output / "scratch" / "a.py").write_text("mine\n", "utf-8")
    capsys.readouterr()
    before = _snapshot(tmp_path)

    assert main(["generate", "--config", str(config)]) == 2

    err = capsys.readouterr().err
    assert f"error: {output}: holds 2 entries that are not shapesmith's output" in err
    assert f"error: {output}/bad/notes.txt: a file that is not shapesmith's output\n" in err
    assert f"error: {output}/scratch/: a folder that is not shapesmith's output\n" in err
    assert err.endswith("3 errors; nothing was written\n")
    assert _snapshot(tmp_path) == before

    assert main(["generate", "--config", str(config), "--force"]) == 0
    assert _tree(output) == generated


@pytest.mark.parametrize("command", [["generate"], ["export", "jsonschema"]])
def test_help_offers_force(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    assert "--force" in capsys.readouterr().out


def test_export_replaces_only_its_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _minimal_project(tmp_path)
    schemas = tmp_path / "schemas"
    export = ["export", "jsonschema", "--config", str(config), "--output", str(schemas)]
    assert main(export) == 0
    assert main(export) == 0
    (schemas / "mine.json").write_text("{}", "utf-8")
    assert main(export) == 2
    assert f"error: {schemas}/mine.json: a file that is not shapesmith's output" in (
        capsys.readouterr().err
    )
    assert main([*export, "--force"]) == 0
    assert not (schemas / "mine.json").exists()
    assert main([*export[:-1], str(tmp_path), "--force"]) == 2


def test_ctrl_c_exits_130_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _minimal_project(tmp_path)
    monkeypatch.setenv(INTERRUPT_AT, "file-written")

    assert main(["generate", "--config", str(config)]) == 130

    assert capsys.readouterr().err == "interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models", "shapesmith.toml"]


def _change_the_model(root: Path) -> None:
    path = root / "models" / "model.json"
    model = json.loads(path.read_text("utf-8"))
    model["shapes"]["example.bad#Name"]["traits"] = {"smithy.api#documentation": "Changed."}
    path.write_text(json.dumps(model), "utf-8")


def _generate_process(config: Path, **environment: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", "-q", "--config", str(config)],
        env={**os.environ, **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize(
    ("step", "exchange"),
    [("file-written", True), ("old-moved-aside", False), ("swapped", True), ("swapped", False)],
)
def test_sigint_during_generate_leaves_one_complete_tree_and_no_temporary_folder(
    step: str, exchange: bool, tmp_path: Path
) -> None:
    config = _minimal_project(tmp_path)
    assert main(["generate", "-q", "--config", str(config)]) == 0
    output = tmp_path / "generated"
    old = _tree(output)
    _change_the_model(tmp_path)
    environment = {PAUSE_AT: step, **({} if exchange else {NO_EXCHANGE: "1"})}

    process = _generate_process(config, **environment)
    assert process.stderr is not None
    for line in process.stderr:  # ends at the pause, or at the end of a run that never got there
        if line == f"shapesmith: paused at {step}\n":
            break
    else:
        pytest.fail(f"never paused at {step}: exit {process.wait(SUBPROCESS_TIMEOUT)}")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=SUBPROCESS_TIMEOUT)

    assert process.returncode == 130, err
    assert err == "interrupted\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "models", "shapesmith.toml"]
    if step == "swapped":
        assert _tree(output) != old
        assert main(["check", "--config", str(config)]) == 0
    else:
        assert _tree(output) == old


@pytest.mark.parametrize("step", ["staging-complete", "old-moved-aside", "old-partly-removed"])
def test_a_killed_generate_is_finished_by_the_next_run(step: str, tmp_path: Path) -> None:
    config = _minimal_project(tmp_path)
    assert main(["generate", "-q", "--config", str(config)]) == 0
    output = tmp_path / "generated"
    _change_the_model(tmp_path)

    process = _generate_process(config, **{CRASH_AT: step, NO_EXCHANGE: "1"})
    _, err = process.communicate(timeout=SUBPROCESS_TIMEOUT)

    assert process.returncode == CRASH_EXIT_CODE, err
    assert journal_path(output).exists()
    assert main(["generate", "-q", "--config", str(config)]) == 0
    assert main(["check", "--config", str(config)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "models", "shapesmith.toml"]


# -- export -----------------------------------------------------------------------------------


def _expected_schema_names(model: JsonObject, operations: list[str]) -> set[str]:
    """One schema per input, output and error shape of the operations (and of their service)."""
    shapes = model["shapes"]
    ids: list[str] = []
    for operation in operations:
        data = shapes[operation]
        ids += [data["input"]["target"], data["output"]["target"]]
        ids += [ref["target"] for ref in data.get("errors", [])]
    for shape in shapes.values():
        if shape["type"] == "service":
            ids += [ref["target"] for ref in shape.get("errors", [])]
    return {f"{shape_id.partition('#')[2]}.schema.json" for shape_id in ids}


def test_export_jsonschema_writes_valid_2020_12_schemas(tmp_path: Path) -> None:
    output = tmp_path / "schemas"
    assert (
        main(["export", "jsonschema", "--config", str(REPO_CONFIG), "--output", str(output)]) == 0
    )

    settings = tomllib.loads(REPO_CONFIG.read_text("utf-8"))["tool"]["shapesmith"]
    shapes: JsonObject = {}
    for model_file in settings["models"]:
        for shape_id, shape in json.loads((REPO / model_file).read_text("utf-8"))["shapes"].items():
            if shape["type"] != "apply":  # `apply` adds traits to a shape defined elsewhere
                shapes[shape_id] = shape
    expected = _expected_schema_names({"shapes": shapes}, settings["operations"])
    files = sorted(output.rglob("*.schema.json"))
    assert {p.name for p in files} == expected
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == sorted(
        [p.relative_to(output).as_posix() for p in files]
        + ["rekognition", "shapesmith-manifest.json"]
    )
    for path in files:
        schema = json.loads(path.read_text("utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)

    request_file = output / "rekognition" / "GetFaceLivenessSessionResultsRequest.schema.json"
    validator = jsonschema.Draft202012Validator(json.loads(request_file.read_text("utf-8")))
    assert validator.is_valid({"SessionId": "0123abcd-0123-4567-89ab-0123456789ab"})
    assert not validator.is_valid({"SessionId": "0123ABCD-0123-4567-89ab-0123456789ab"})
    assert not validator.is_valid({})
    assert not validator.is_valid({"SessionId": "0123abcd-0123-4567-89ab-0123456789ab", "x": 1})


def test_export_jsonschema_of_the_hostile_model(tmp_path: Path) -> None:
    config = _project(tmp_path / "project", [HOSTILE_MODEL], HOSTILE_OPERATION, sentinel=False)
    output = tmp_path / "schemas"
    assert main(["export", "jsonschema", "--config", str(config), "--output", str(output)]) == 0

    files = sorted((output / "hostile").iterdir())
    assert {p.name for p in files} == _expected_schema_names(_hostile_model(), [HOSTILE_OPERATION])
    for path in files:
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text("utf-8")))
    op_input = json.loads((output / "hostile" / "OpInput.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(op_input)
    assert validator.is_valid({"id": 'a"\\', "class": "k", "type": 'say "hi"', "from": 0})
    assert not validator.is_valid({"id": "A"})
    assert not validator.is_valid({"id": "a", "type": "unknown"})
