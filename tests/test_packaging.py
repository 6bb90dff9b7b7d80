"""The tool as users get it (a wheel), and the generated package as vendors get it (one folder)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import GENERATED, REPO


def run(*command: str | Path, cwd: Path | None = None, timeout: float = 600) -> str:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_wheel_install_finds_its_templates_and_reproduces_generated(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, REPO)
    (wheel,) = wheels.glob("shapesmith-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel)
    # The tool's dependencies come from this environment, without its editable install of the repo
    # (a path listed in a .pth file is added as is; .pth files inside it are not processed).
    venv_site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    (venv_site / "_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    where = run(
        python, "-c", "import generator.template_set as t; print(t.shipped_dir())", cwd=tmp_path
    )
    assert Path(where.strip()).is_relative_to(venv_site), where

    output = tmp_path / "out"
    shapesmith = venv / "bin" / "shapesmith"
    run(
        shapesmith,
        "generate",
        "-q",
        "--config",
        REPO / "pyproject.toml",
        "--output",
        output,
        cwd=tmp_path,
    )
    produced = sorted(p.relative_to(output) for p in output.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(GENERATED)
        for p in GENERATED.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert produced == committed
    for relative in produced:
        assert (output / relative).read_bytes() == (GENERATED / relative).read_bytes(), relative


def test_generated_package_imports_with_the_standard_library_only(tmp_path: Path) -> None:
    vendored = tmp_path / "vendor"
    shutil.copytree(GENERATED / "rekognition", vendored / "rekognition")
    probe = (
        "import sys\n"
        f"sys.path.insert(0, {str(vendored)!r})\n"
        "import rekognition, rekognition.validators\n"
        "assert rekognition.validate_get_face_liveness_session_results_request("
        "{'SessionId': '0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a'}) == []\n"
        "outside = sorted(\n"
        "    name for name, module in sys.modules.items()\n"
        "    if name.split('.')[0] not in sys.stdlib_module_names\n"
        "    and not name.startswith('rekognition') and name not in ('__main__', '__mp_main__')\n"
        ")\n"
        "assert not outside, outside\n"
        "assert not any('site-packages' in p for p in sys.path), sys.path\n"
    )
    # -I: no environment or user site; -S: no site-packages at all, only the standard library.
    run(sys.executable, "-I", "-S", "-c", probe, cwd=tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["generator", "generated/rekognition"])
def test_mypy_strict_clean(target: str) -> None:
    run(sys.executable, "-m", "mypy", "--strict", "--no-incremental", target, cwd=REPO)


@pytest.mark.parametrize("target", ["generator", "generated", "tests", "benchmarks"])
def test_ruff_clean(target: str) -> None:
    if not (REPO / target).exists():
        pytest.skip(f"{target} does not exist")
    run(sys.executable, "-m", "ruff", "check", "--no-cache", target, cwd=REPO)


@pytest.mark.parametrize("target", ["generator", "tests", "benchmarks"])
def test_black_formatted(target: str) -> None:
    if not (REPO / target).exists():
        pytest.skip(f"{target} does not exist")
    run(sys.executable, "-m", "black", "--check", "--quiet", target, cwd=REPO)
