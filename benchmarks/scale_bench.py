"""`python -m benchmarks scale`: shapesmith on AWS's whole Rekognition model (75 operations).

Every step runs as a user runs it, in a fresh process:
- `generate` cold (empty output folder, empty format cache), again with nothing changed, and
  after an edit of one operation's documentation (black's remembered work reused);
- `check` on the unchanged tree (the manifest's short-cut) and `check --full`;
- black alone reading the output once (`black --check`, its own cache off, every core): the
  least any cold run costs while black formats every line of it;
- peak memory (RSS of the generating process and its formatting workers) and lines written;
- a client: importing the package and building a client, then the first call of
  `detect_labels` against the package's own stub (in another process), next to the first
  `get_face_liveness_session_results` of the committed two-operation package;
- datamodel-code-generator on the JSON Schemas `shapesmith export jsonschema` writes for the
  same service, in the same run (models only, where shapesmith also writes validators, a
  client and a stub).
`--quick` measures the client alone: one generation (through the user's format cache, not
timed against a target) and the first calls, which is what a change to the generated layout
needs to see.
Targets (issue 16): generate <= 8 s and <= 200 MB, check <= 1 s, first call <= 1.5x the
two-operation package's, client construction < 5 ms, shapesmith faster than
datamodel-code-generator.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.machine import machine, progress
from generator import formatting

ROOT = Path(__file__).resolve().parent.parent
REKOGNITION = ROOT.parent / "shared" / "reference" / "models" / "rekognition-2016-06-27.json"
GENERATED = ROOT / "generated"
CREDENTIALS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}
TARGETS = {
    # issue 16 says "generate <= 8 s" without saying with which cache: held to both
    "generate_cold_seconds": 8.0,
    "generate_edited_seconds": 8.0,
    "generate_peak_mb": 200.0,
    "check_seconds": 1.0,
    "first_call_ratio": 1.5,
    "client_build_ms": 5.0,
}


@dataclass
class Step:
    name: str
    seconds: float
    peak_mb: float
    exit_code: int


def run(name: str, command: list[str], cwd: Path, env: dict[str, str]) -> Step:
    """One process: wall time, and the peak RSS of it and the children it waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        progress(f"{name} failed: {errors.decode(errors='replace')[-400:]}")
    return Step(name, seconds, usage.ru_maxrss / 1024, process.returncode)


def shapesmith(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def black_check(output: Path) -> list[str]:
    """black as shapesmith runs it (`generator.formatting`'s mode), over a tree it has
    already formatted: one pass per file, in parallel, nothing rewritten."""
    return [
        sys.executable,
        "-m",
        "black",
        "--check",
        "-q",
        "--line-length",
        str(formatting.LINE_LENGTH),
        "--target-version",
        formatting.TARGET_VERSION,
        "--workers",
        str(os.cpu_count() or 1),
        str(output),
    ]


def edit_one_operation(model: Path, edited: Path) -> None:
    document = json.loads(model.read_text("utf-8"))
    traits = document["shapes"]["com.amazonaws.rekognition#ListFaces"]["traits"]
    traits["smithy.api#documentation"] = "<p>Returns metadata for faces (edited).</p>"
    edited.write_text(json.dumps(document, indent=2), "utf-8")


def generation_steps(folder: Path, env: dict[str, str]) -> list[Step]:
    model = folder / "rekognition.json"
    black_env = {**env, "BLACK_CACHE_DIR": str(folder / "black-cache")}
    shutil.copyfile(REKOGNITION, model)
    (folder / "shapesmith.toml").write_text(
        'models = ["rekognition.json"]\noutput = "out"\n', "utf-8"
    )
    steps = [
        run("generate (cold)", shapesmith("generate", "-q"), folder, env),
        run("black --check on the output", black_check(folder / "out"), folder, black_env),
        run("generate (unchanged)", shapesmith("generate", "-q"), folder, env),
        run("check (short-cut)", shapesmith("check", "-q"), folder, env),
        run("check --full", shapesmith("check", "-q", "--full"), folder, env),
    ]
    edit_one_operation(REKOGNITION, model)
    steps.append(run("generate (one operation edited)", shapesmith("generate", "-q"), folder, env))
    return steps


_PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
started = time.perf_counter()
import rekognition
imported = time.perf_counter()
client = rekognition.RekognitionClient(region_name="us-east-1", endpoint_url=sys.argv[2],
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
built = time.perf_counter()
answer = "output"
try:
    if sys.argv[3] == "whole":
        client.detect_labels(image=rekognition.Image(bytes=b"an image"))
    else:
        client.get_face_liveness_session_results(
            session_id="0f959dbb-37cc-45d8-a08d-dc42cce85fa8"
        )
except rekognition.ServiceError as error:  # a modelled answer too (the fake knows no session)
    answer = type(error).__name__
called = time.perf_counter()
print(json.dumps({"import_s": imported - started, "build_ms": (built - imported) * 1000,
    "first_call_s": called - built, "import_and_first_call_s": called - started,
    "answer": answer}))
"""

_STUB = """
import sys
sys.path.insert(0, sys.argv[1])
from rekognition.stub import serve
server = serve().start()
print(server.url, flush=True)
sys.stdin.read()
"""


def first_call(package_folder: Path, which: str, env: dict[str, str]) -> dict[str, Any]:
    stub = subprocess.Popen(
        [sys.executable, "-c", _STUB, str(package_folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert stub.stdout is not None
        url = stub.stdout.readline().strip()
        best: dict[str, Any] | None = None
        for _ in range(7):  # best of 7: the machine is shared
            probe = subprocess.run(
                [sys.executable, "-c", _PROBE, str(package_folder), url, which],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
                check=True,
            )
            found = json.loads(probe.stdout)
            if best is None or found["import_and_first_call_s"] < best["import_and_first_call_s"]:
                best = found
        assert best is not None
        return best
    finally:
        stub.kill()
        stub.wait()


def datamodel_codegen(folder: Path, env: dict[str, str]) -> Step | None:
    if shutil.which("datamodel-codegen") is None and not _has_module("datamodel_code_generator"):
        progress("datamodel-code-generator is not installed (pip install '.[bench]')")
        return None
    exported = folder / "schemas"
    subprocess.run(
        shapesmith("export", "jsonschema", "-q", "--output", str(exported)),
        cwd=folder,
        env=env,
        check=True,
    )
    command = [
        sys.executable,
        "-m",
        "datamodel_code_generator",
        "--input",
        str(exported),
        "--input-file-type",
        "jsonschema",
        "--output",
        str(folder / "dcg"),
    ]
    return run("datamodel-code-generator (models only)", command, folder, env)


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def lines_written(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*.py") if "__pycache__" not in path.parts]
    return len(files), sum(len(path.read_text("utf-8").splitlines()) for path in files)


def quick_generation(folder: Path, env: dict[str, str]) -> list[Step]:
    model = folder / "rekognition.json"
    shutil.copyfile(REKOGNITION, model)
    (folder / "shapesmith.toml").write_text(
        'models = ["rekognition.json"]\noutput = "out"\n', "utf-8"
    )
    cached = {**env}
    cached.pop("SHAPESMITH_CACHE_DIR", None)
    return [run("generate (user's cache)", shapesmith("generate", "-q"), folder, cached)]


def main(*, quick: bool, output: Path) -> None:
    if not REKOGNITION.exists():
        print(f"skipped: {REKOGNITION} is not available (../shared beside the repository)")
        return
    folder = Path(tempfile.mkdtemp(prefix="shapesmith-scale-bench-"))
    env = {**os.environ, "SHAPESMITH_CACHE_DIR": str(folder / "cache"), "PYTHONPATH": str(ROOT)}
    # as users run it: with byte code written once and read after (the first probe writes it)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        if quick:
            progress("generating whole Rekognition (once, for the first calls)")
            steps = quick_generation(folder, env)
        else:
            progress("generating whole Rekognition (cold, unchanged, checked, edited)")
            steps = generation_steps(folder, env)
        files, lines = lines_written(folder / "out")
        progress("first calls against the stubs")
        whole = first_call(folder / "out", "whole", env)
        two = first_call(GENERATED, "two", env)
        theirs = None
        if not quick:
            progress("datamodel-code-generator on the exported JSON Schemas")
            theirs = datamodel_codegen(folder, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    by_name = {step.name: step for step in steps}
    for step in [*steps, *([theirs] if theirs else [])]:
        print(
            f"{step.name:<40} {step.seconds:8.2f} s {step.peak_mb:8.0f} MB  exit {step.exit_code}"
        )
    print(f"{'output':<40} {files:>8} files {lines:>8} lines")
    floor = by_name.get("black --check on the output")
    if floor is not None:
        cold = by_name["generate (cold)"]
        print(
            f"{'cold generate / black alone':<40} {cold.seconds / floor.seconds:.2f}x "
            "(black reading every line once is the floor of a cold run)"
        )
    ratio = whole["import_and_first_call_s"] / two["import_and_first_call_s"]
    print(
        f"{'first call, whole / two operations':<40} {whole['import_and_first_call_s']:.3f} s / "
        f"{two['import_and_first_call_s']:.3f} s = {ratio:.2f}x (import + build + call)"
    )
    print(f"{'client build (whole)':<40} {whole['build_ms']:8.2f} ms")
    if theirs is not None:
        cold = by_name["generate (cold)"]
        print(
            f"{'datamodel-code-generator / shapesmith':<40} "
            f"{theirs.seconds / cold.seconds:.2f}x cold, "
            f"{theirs.seconds / by_name['generate (one operation edited)'].seconds:.2f}x edited"
        )
    edited = by_name.get("generate (one operation edited)")
    checked = by_name.get("check (short-cut)")
    cold_run = by_name.get("generate (cold)")
    measured: dict[str, float | None] = {
        "generate_cold_seconds": cold_run.seconds if cold_run else None,
        "generate_edited_seconds": edited.seconds if edited else None,
        "generate_peak_mb": (
            max(step.peak_mb for step in steps if "generate" in step.name) if edited else None
        ),
        "check_seconds": checked.seconds if checked else None,
        "first_call_ratio": ratio,
        "client_build_ms": whole["build_ms"],
    }
    missed = [
        name
        for name, limit in TARGETS.items()
        if (value := measured[name]) is not None and value > limit
    ]
    print(f"\ntargets {TARGETS}: {'met' if not missed else 'missed: ' + ', '.join(missed)}")
    report: dict[str, Any] = {
        "suite": "scale",
        "machine": machine(),
        "quick": quick,
        "steps": [asdict(step) for step in steps],
        "output_files": files,
        "output_lines": lines,
        "first_call_whole": whole,
        "first_call_two_operations": two,
        "datamodel_code_generator": asdict(theirs) if theirs else None,
        "targets": TARGETS,
        "measured": measured,
        "targets_missed": missed,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(f"\nresults written to {output}")
