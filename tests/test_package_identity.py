"""A generated package knows where it came from: `RUNTIME_VERSION` and `GENERATOR_VERSION` from
the package root; the package's own `shapesmith-package.json` lists every other file of the
package with its sha256.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

from generator import __version__, naming, render
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
    assert manifest["templates_sha256"] == render.templates_hash()


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


# -- documentation ----------------------------------------------------------------------------


def test_readme_documents_the_versions_and_the_package_manifest() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for name in ("RUNTIME_VERSION", "GENERATOR_VERSION", PACKAGE_MANIFEST_NAME):
        assert name in readme, name
