"""A generated package knows where it came from, and `check --package` holds a copy of it to that.

- Identity: `RUNTIME_VERSION` and `GENERATOR_VERSION` from the package root; the package's own
  `shapesmith-package.json` lists every other file of the package with its sha256.
- `check --package DIR`: a vendored, renamed copy is compared with what the models generate for
  the service and operations its manifest records; an edited, missing or stray file is drift
  (exit 1, a diff naming it), so is a model that changed since (one line saying so); a manifest
  that is missing or not one shapesmith wrote is bad input (exit 2, naming the file).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import __version__, manifest_file, naming, render, template_set
from generator.cli import main
from generator.identity import PACKAGE_MANIFEST_NAME
from generator.ownership import MANIFEST_NAME
from tests.conftest import GENERATED, REPO, run_isolated

REPO_CONFIG = REPO / "pyproject.toml"
PACKAGE = GENERATED / "rekognition"
OPERATIONS = [
    "com.amazonaws.rekognition#CreateFaceLivenessSession",
    "com.amazonaws.rekognition#GetFaceLivenessSessionResults",
]


def _manifest(package: Path = PACKAGE) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((package / PACKAGE_MANIFEST_NAME).read_text("utf-8"))
    return document


def _vendored(tmp_path: Path) -> Path:
    """generated/rekognition copied into another project under another folder name."""
    copy = tmp_path / "elsewhere" / "vendor" / "rek"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _check_package(folder: Path, config: Path = REPO_CONFIG) -> int:
    return main(["--config", str(config), "check", "--package", str(folder)])


# -- identity ---------------------------------------------------------------------------------


def test_runtime_and_generator_versions_are_importable_from_a_vendored_copy(
    tmp_path: Path,
) -> None:
    vendored = tmp_path / "vendor"
    shutil.copytree(PACKAGE, vendored / "rekognition", ignore=shutil.ignore_patterns("__pycache__"))
    result = run_isolated(
        vendored,
        "import json, rekognition\n"
        "from rekognition import GENERATOR_VERSION, RUNTIME_VERSION\n"
        "from rekognition._runtime import RUNTIME_VERSION as declared\n"
        "assert RUNTIME_VERSION is declared\n"
        "print(json.dumps([GENERATOR_VERSION, RUNTIME_VERSION, rekognition.__all__]))\n",
    )
    assert result.returncode == 0, result.stderr
    generator_version, runtime_version, exported = json.loads(result.stdout)
    assert generator_version == __version__
    assert runtime_version == render.runtime_version()
    assert runtime_version.isdigit()  # a whole number, as README.md says
    assert {"GENERATOR_VERSION", "RUNTIME_VERSION"} <= set(exported)
    assert exported == sorted(exported, key=naming.all_order)


def test_the_versions_are_recorded_in_the_package_manifest() -> None:
    manifest = _manifest()
    assert manifest["generator"] == "shapesmith"
    assert manifest["generator_version"] == __version__
    assert manifest["runtime_version"] == render.runtime_version()
    assert manifest["templates_sha256"] == template_set.shipped_hash()


def test_the_package_manifest_lists_every_other_file_of_the_package_with_its_hash() -> None:
    manifest = _manifest()
    on_disk = {
        path.relative_to(PACKAGE).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    del on_disk[PACKAGE_MANIFEST_NAME]
    assert manifest["files"] == on_disk
    assert "_runtime.py" in on_disk and "stub/_app.py" in on_disk


def test_the_package_manifest_records_the_service_operations_and_models() -> None:
    manifest = _manifest()
    header = (PACKAGE / "shapes.py").read_text("utf-8")
    assert manifest["package"] == "rekognition"
    assert manifest["service"] == "com.amazonaws.rekognition#RekognitionService"
    assert manifest["operations"] == OPERATIONS
    assert manifest["model_files"] == [
        "models/rekognition.json",
        "models/rekognition-liveness-create.json",
        "models/rekognition-stub.json",
    ]
    assert re.fullmatch("[0-9a-f]{64}", manifest["model_sha256"])
    assert f"# Model sha256: {manifest['model_sha256']}\n" in header


def test_the_package_manifest_is_sorted_json_with_a_final_newline() -> None:
    text = (PACKAGE / PACKAGE_MANIFEST_NAME).read_text("utf-8")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_the_output_manifest_lists_the_package_manifest_like_any_other_file() -> None:
    listed = json.loads((GENERATED / MANIFEST_NAME).read_text("utf-8"))["files"]
    data = (PACKAGE / PACKAGE_MANIFEST_NAME).read_bytes()
    assert listed[f"rekognition/{PACKAGE_MANIFEST_NAME}"] == hashlib.sha256(data).hexdigest()


# -- check --package: in sync -----------------------------------------------------------------


def test_a_vendored_renamed_copy_is_in_sync(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "shapesmith")
    copy = _vendored(tmp_path)
    # What tools leave in a package is not part of it.
    for cache in ("__pycache__", ".mypy_cache"):
        (copy / cache).mkdir()
        (copy / cache / "shapes.data").write_bytes(b"\x00")
    assert _check_package(copy) == 0
    assert capsys.readouterr().out == ""
    files = len(_manifest()["files"]) + 1
    assert caplog.messages[-1] == f"{copy} is in sync with the models ({files} files)"


def test_the_manifests_operations_are_checked_not_the_configurations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A package generated for one operation is in sync, though the configuration lists two."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "models", project / "models")
    config = project / "shapesmith.toml"
    models = _manifest()["model_files"]
    config.write_text(
        f"models = {json.dumps(models)}\noutput = 'out'\noperations = {json.dumps(OPERATIONS[1:])}\n",
        "utf-8",
    )
    assert main(["--config", str(config), "generate", "-q"]) == 0
    package = project / "out" / "rekognition"
    assert _manifest(package)["operations"] == OPERATIONS[1:]
    assert _check_package(package) == 0, capsys.readouterr()


# -- check --package: drift -------------------------------------------------------------------


def test_an_edited_file_is_drift_with_a_diff_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _vendored(tmp_path)
    shapes = copy / "shapes.py"
    shapes.write_text(shapes.read_text("utf-8") + "PATCHED_BY_HAND = True\n", "utf-8")
    assert _check_package(copy) == 1
    captured = capsys.readouterr()
    assert f"--- {copy}/shapes.py (on disk)\n" in captured.out
    assert f"+++ {copy}/shapes.py (from the model)\n" in captured.out
    assert "\n-PATCHED_BY_HAND = True\n" in captured.out
    assert captured.out.count("\n--- ") + captured.out.startswith("--- ") == 1
    assert f"1 file(s) in {copy} differ" in captured.err


def test_a_missing_file_is_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _vendored(tmp_path)
    (copy / "stub" / "_wire.py").unlink()
    assert _check_package(copy) == 1
    out = capsys.readouterr().out
    assert f"--- /dev/null\n+++ {copy}/stub/_wire.py (from the model)\n" in out


def test_a_stray_file_is_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = _vendored(tmp_path)
    (copy / "local_patch.py").write_text("FIX = 1\n", "utf-8")
    assert _check_package(copy) == 1
    out = capsys.readouterr().out
    assert f"--- {copy}/local_patch.py (on disk)\n+++ /dev/null\n" in out


def _small_model(documentation: str) -> dict[str, Any]:
    return {
        "smithy": "2.0",
        "shapes": {
            "example.small#Small": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": "example.small#Ping"}],
                "traits": {"aws.api#service": {"sdkId": "Small"}},
            },
            "example.small#Ping": {
                "type": "operation",
                "input": {"target": "smithy.api#Unit"},
                "output": {"target": "smithy.api#Unit"},
                "traits": {"smithy.api#documentation": documentation},
            },
        },
    }


def _small_project(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "model.json").write_text(json.dumps(_small_model("Ping.")), "utf-8")
    config = root / "shapesmith.toml"
    config.write_text(
        'models = ["model.json"]\noutput = "out"\noperations = ["example.small#Ping"]\n', "utf-8"
    )
    assert main(["--config", str(config), "generate", "-q"]) == 0
    return config


def test_a_model_changed_since_is_drift_said_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _small_project(tmp_path / "project")
    copy = tmp_path / "vendor" / "small"
    shutil.copytree(tmp_path / "project" / "out" / "small", copy)
    assert _check_package(copy, config) == 0
    old_hash = _manifest(copy)["model_sha256"]
    (tmp_path / "project" / "model.json").write_text(
        json.dumps(_small_model("Ping, documented better.")), "utf-8"
    )
    capsys.readouterr()
    assert _check_package(copy, config) == 1
    captured = capsys.readouterr()
    (line,) = [line for line in captured.err.splitlines() if line.startswith("drift: ")]
    assert line.startswith(f"drift: {copy}/{PACKAGE_MANIFEST_NAME}: made from models with sha256 ")
    assert f"sha256 {old_hash}; the configuration's models now hash to " in line
    assert f"\n-# Model sha256: {old_hash}\n" in captured.out


# -- check --package: bad input ---------------------------------------------------------------


def _refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert _check_package(folder) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert captured.err.endswith("; nothing was compared\n")
    return [line for line in captured.err.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"generator": "shapesmith",', ": is not valid JSON: "),
        (b"\xff\xfe", ": is not valid JSON: "),
        (b"[" * 100_000 + b"]" * 100_000, ": is not valid JSON: "),
        (b"[]", ": is not a package manifest shapesmith wrote"),
        (b'{"generator": "other"}', ": is not a package manifest shapesmith wrote"),
    ],
)
def test_a_corrupt_manifest_is_refused_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    copy = _vendored(tmp_path)
    (copy / PACKAGE_MANIFEST_NAME).write_bytes(content)
    (error,) = _refused(copy, capsys)
    assert error.startswith(f"error: {copy}/{PACKAGE_MANIFEST_NAME}{message}")


def test_wrong_fields_are_refused_at_their_pointers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _vendored(tmp_path)
    manifest = _manifest(copy)
    manifest["operations"] = [OPERATIONS[0], 7]
    manifest["model_files"] = "models/rekognition.json"
    del manifest["service"]
    (copy / PACKAGE_MANIFEST_NAME).write_text(json.dumps(manifest), "utf-8")
    shown = f"error: {copy}/{PACKAGE_MANIFEST_NAME}"
    assert _refused(copy, capsys) == [
        f"{shown}: /model_files: expected a list of strings",
        f"{shown}: /operations/1: expected a string",
        f"{shown}: /service: expected a string",
    ]


def test_a_manifest_too_large_to_be_ours_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _vendored(tmp_path)
    monkeypatch.setattr(manifest_file, "MAX_MANIFEST_BYTES", 1000)
    (error,) = _refused(copy, capsys)
    assert error == (
        f"error: {copy}/{PACKAGE_MANIFEST_NAME}: is larger than any manifest shapesmith writes"
    )


@pytest.mark.parametrize("kind", ["folder", "link", "fifo"])
def test_a_manifest_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    copy = _vendored(tmp_path)
    manifest = copy / PACKAGE_MANIFEST_NAME
    elsewhere = tmp_path / "elsewhere.json"
    manifest.rename(elsewhere)
    if kind == "folder":
        manifest.mkdir()
    elif kind == "link":
        manifest.symlink_to(elsewhere)
    else:
        os.mkfifo(manifest)  # reading it would wait forever for a writer
    (error,) = _refused(copy, capsys)
    assert error == f"error: {manifest}: is not a regular file"


def test_a_folder_without_a_manifest_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _vendored(tmp_path)
    (copy / PACKAGE_MANIFEST_NAME).unlink()
    (error,) = _refused(copy, capsys)
    assert error.startswith(f"error: {copy}/{PACKAGE_MANIFEST_NAME}: does not exist; ")


def test_the_output_folder_given_as_a_package_is_refused_with_a_hint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (error,) = _refused(GENERATED, capsys)
    assert f"{GENERATED} is an output folder" in error
    assert "to --output" in error


def test_a_missing_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (error,) = _refused(tmp_path / "nowhere", capsys)
    assert error.startswith(f"error: {tmp_path / 'nowhere'}: is not a folder; ")


def test_operations_the_models_no_longer_define_are_refused_at_their_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _vendored(tmp_path)
    manifest = _manifest(copy)
    manifest["operations"] = [OPERATIONS[0], "com.amazonaws.rekognition#DeleteEverything"]
    (copy / PACKAGE_MANIFEST_NAME).write_text(json.dumps(manifest), "utf-8")
    assert _refused(copy, capsys) == [
        f"error: {copy}/{PACKAGE_MANIFEST_NAME}: /operations/1: "
        "com.amazonaws.rekognition#DeleteEverything is not defined; expected an operation"
    ]


def test_a_service_that_does_not_bind_the_operations_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _vendored(tmp_path)
    manifest = _manifest(copy)
    manifest["service"] = "com.amazonaws.rekognition#Other"
    (copy / PACKAGE_MANIFEST_NAME).write_text(json.dumps(manifest), "utf-8")
    (error,) = _refused(copy, capsys)
    assert error.startswith(f"error: {copy}/{PACKAGE_MANIFEST_NAME}: /service: ")
    assert "com.amazonaws.rekognition#RekognitionService does" in error


def test_package_and_output_are_not_given_together(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--package", str(PACKAGE), "--output", str(GENERATED)])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


# -- documentation ----------------------------------------------------------------------------


def test_readme_documents_check_package_and_the_versions() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    commands = readme.split("```text\nshapesmith generate", 1)[1].split("```", 1)[0]
    assert "shapesmith check --package DIR" in commands
    for name in ("RUNTIME_VERSION", "GENERATOR_VERSION", PACKAGE_MANIFEST_NAME):
        assert name in readme, name
