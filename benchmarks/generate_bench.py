"""`python -m benchmarks generate`: how long shapesmith takes to generate from an OpenAPI document,
next to openapi-python-client and datamodel-code-generator on the same documents.

Each tool runs as a user runs it, one fresh process per run (start-up included), best of a few
runs. The documents: the OpenAPI Initiative's examples (from ../shared) and our hand-written
GetFaceLivenessSessionResults (OpenAPI 3.1), and AWS's whole Rekognition model exported as
OpenAPI 3.1 by `shapesmith export openapi`. What each tool writes differs (shapesmith: shapes,
validators and, where the service has them, client and stub; openapi-python-client: models and
a client; datamodel-code-generator: models only), so the table shows files and lines beside the
time. Every run of every tool writes its whole output (shapesmith's folder is removed before
each run, untimed; the others overwrite theirs); shapesmith's runs after the first find
black's pieces in its cache, as a user's do. Target (issue 15): shapesmith faster than both on every document. A tool that is not
installed is reported as such (`pip install '.[bench]'` has both).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.machine import machine, progress
from benchmarks.timing import time_command

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT.parent / "shared" / "reference" / "openapi" / "oai-examples-3.0"
LIVENESS = ROOT / "tests" / "fixtures" / "openapi" / "liveness-3.1.yaml"
REKOGNITION = ROOT.parent / "shared" / "reference" / "models" / "rekognition-2016-06-27.json"
TOOLS = ("shapesmith", "openapi-python-client", "datamodel-code-generator")

_VALID: dict[str, Any] = {
    "SessionId": "0f6c0b3e-3bb8-4a4e-9f3f-0a1b2c3d4e5f",
    "Status": "SUCCEEDED",
    "Confidence": 99.5,
    "Challenge": {"Type": "FaceMovementChallenge", "Version": "1.0.0"},
    "Feedback": [{"Code": "FACE_NOT_VISIBLE", "Message": "Move closer"}],
    "ReferenceImage": {"S3Object": {"Bucket": "my-bucket", "Name": "a.jpg"}},
    "Metadata": {"SDKType": "web"},
}
BROKEN: dict[str, Any] = {
    "SessionId too short": {"SessionId": "abc"},
    "SessionId off its pattern": {"SessionId": "0F6C0B3E-3BB8-4A4E-9F3F-0A1B2C3D4E5F"},
    "Status not in the enum": {"Status": "DONE"},
    "Confidence above maximum": {"Confidence": 101},
    "Confidence not a number": {"Confidence": "high"},
    "Feedback beyond maxItems": {"Feedback": [_VALID["Feedback"][0]] * 11},
    "a required property missing": {"Feedback": [{"Code": "FACE_NOT_VISIBLE"}]},
    "Version below minLength": {"Challenge": {"Type": "FaceMovementChallenge", "Version": "1.0"}},
    "Version off its pattern": {
        "Challenge": {"Type": "FaceMovementChallenge", "Version": "01.0.0"}
    },
    "Bucket below minLength": {"ReferenceImage": {"S3Object": {"Bucket": "ab"}}},
    "SDKType empty": {"Metadata": {"SDKType": ""}},
    "a property the schema does not allow": {"Stray": 1},
}
"""Payloads of the liveness document's response, each breaking one constraint of it: how many
each tool's output rejects (the valid payload must pass in all)."""

_REJECTS = {
    "shapesmith": (
        "from rekognition_liveness.validators import "
        "validate_get_face_liveness_session_results_output as check\n"
        "def rejects(p):\n    return bool(check({'body': p}, strict=True))\n"
    ),
    "openapi-python-client": (
        "import importlib, pathlib\n"
        "name = next(p.parent.parent.name for p in pathlib.Path('.').glob('*/models/__init__.py'))\n"
        "M = importlib.import_module(name + '.models').GetFaceLivenessSessionResultsResponse\n"
        "def rejects(p):\n    try:\n        M.from_dict(p)\n    except Exception:\n"
        "        return True\n    return False\n"
    ),
    "datamodel-code-generator": (
        "from models import GetFaceLivenessSessionResultsResponse as M\n"
        "def rejects(p):\n    try:\n        M.model_validate(p)\n    except Exception:\n"
        "        return True\n    return False\n"
    ),
}


@dataclass(frozen=True)
class Coverage:
    tool: str
    rejected: list[str]
    """The broken payloads the tool's output rejects."""
    accepts_valid: bool
    problem: str | None = None


@dataclass(frozen=True)
class Run:
    document: str
    tool: str
    seconds: float | None
    """Best wall time; None where the tool is missing or failed."""
    files: int
    lines: int
    problem: str | None = None


def _executable(name: str) -> str | None:
    """The tool's script beside this interpreter (the same virtual environment), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


def _command(tool: str, document: Path, out: Path) -> list[str] | None:
    if tool == "shapesmith":
        out.mkdir(parents=True)
        config = out / "shapesmith.toml"
        config.write_text(f'models = [{json.dumps(str(document))}]\noutput = "out"\n', "utf-8")
        return [sys.executable, "-m", "generator", "generate", "-q", "--config", str(config)]
    if tool == "openapi-python-client":
        found = _executable("openapi-python-client")
        options = ["--meta", "none", "--overwrite"]
        return (
            None
            if found is None
            else [
                found,
                "generate",
                "--path",
                str(document),
                "--output-path",
                str(out / "client"),
                *options,
            ]
        )
    found = _executable("datamodel-codegen")
    if found is None:
        return None
    out.mkdir(parents=True, exist_ok=True)
    options = ["--input-file-type", "openapi", "--output", str(out / "models.py")]
    return [found, "--input", str(document), *options]


def _written(out: Path) -> tuple[int, int]:
    files = [p for p in out.rglob("*.py") if p.is_file()]
    return len(files), sum(len(p.read_text("utf-8").splitlines()) for p in files)


def coverage(tool: str, out: Path) -> Coverage:
    """Which of `BROKEN` the tool's output (generated from the liveness document into `out`)
    rejects, run in a fresh interpreter in the output's folder."""
    folder = out / "out" if tool == "shapesmith" else out
    payloads = {"valid": _VALID, **{k: {**_VALID, **v} for k, v in BROKEN.items()}}
    script = _REJECTS[tool] + (
        "import json, sys\n"
        "payloads = json.load(sys.stdin)\n"
        "print(json.dumps({k: rejects(v) for k, v in payloads.items()}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=folder,
        input=json.dumps(payloads),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if completed.returncode != 0:
        return Coverage(tool, [], False, completed.stderr.strip().splitlines()[-1:][0][:200])
    verdicts = json.loads(completed.stdout)
    rejected = [name for name in BROKEN if verdicts[name]]
    return Coverage(tool, rejected, not verdicts["valid"])


def measure(document: Path, tool: str, scratch: Path, runs: int) -> Run:
    out = scratch / f"{document.stem}-{tool}"
    command = _command(tool, document, out)
    if command is None:
        return Run(document.name, tool, None, 0, 0, "not installed")
    # Every tool writes its whole output on every run: shapesmith's folder is removed before
    # each (the others overwrite theirs), so no run finds its output already there.
    fresh = (
        (lambda: shutil.rmtree(out / "out", ignore_errors=True)) if tool == "shapesmith" else None
    )
    timing = time_command(command, scratch, runs, fresh)
    if timing.returncode != 0:
        last = timing.stderr_tail.strip().splitlines()[-1:] or ["failed"]
        return Run(document.name, tool, None, 0, 0, last[0][:200])
    files, lines = _written(out)
    return Run(document.name, tool, timing.best, files, lines)


def documents(scratch: Path) -> list[Path]:
    found = sorted(EXAMPLES.glob("*.yaml")) if EXAMPLES.is_dir() else []
    if not found:
        progress(f"{EXAMPLES} is absent: only the liveness document is measured")
    whole = _rekognition_document(scratch)
    return [*found, LIVENESS, *([whole] if whole else [])]


def _rekognition_document(scratch: Path) -> Path | None:
    """AWS's whole Rekognition model as OpenAPI 3.1, by `shapesmith export openapi` (not timed)."""
    if not REKOGNITION.is_file():
        progress(f"{REKOGNITION} is absent: the whole-Rekognition document is left out")
        return None
    folder = scratch / "rekognition-export"
    folder.mkdir()
    config = folder / "shapesmith.toml"
    config.write_text(f'models = [{json.dumps(str(REKOGNITION))}]\noutput = "unused"\n', "utf-8")
    command = [sys.executable, "-m", "generator", "export", "openapi", "-q", "--config"]
    completed = subprocess.run(
        [*command, str(config), "--output", str(folder / "api")],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        progress(f"exporting Rekognition failed: {completed.stderr.strip()[-300:]}")
        return None
    exported = folder / "api" / "rekognition.openapi.json"
    named = scratch / "rekognition-whole.openapi.json"
    named.write_bytes(exported.read_bytes())
    return named


def _cell(run: Run) -> str:
    if run.seconds is None:
        return f"({run.problem})"[:24]
    return f"{run.seconds:6.2f} s {run.lines:>6} lines"


def main(*, quick: bool, output: Path) -> None:
    runs = 1 if quick else 3
    scratch = Path(tempfile.mkdtemp(prefix="shapesmith-generate-bench-"))
    results: list[Run] = []
    covered: list[Coverage] = []
    try:
        for document in documents(scratch):
            for tool in TOOLS:
                progress(f"{tool} on {document.name}")
                results.append(measure(document, tool, scratch, runs))
                if document == LIVENESS and results[-1].seconds is not None:
                    covered.append(coverage(tool, scratch / f"{document.stem}-{tool}"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rows = _rows(results)
    print(f"{'document':<28} " + " ".join(f"{t:<26}" for t in TOOLS) + " ratios (them / us)")
    for name, by_tool in rows.items():
        cells = " ".join(f"{_cell(by_tool[t]):<26}" for t in TOOLS)
        print(f"{name:<28} {cells} {_ratios(by_tool)}")
    missed = [n for n, by_tool in rows.items() if not _faster_than_both(by_tool)]
    print(
        f"\ntarget: shapesmith faster than both on every document: "
        f"{'met' if not missed else 'missed on ' + ', '.join(missed)}"
    )
    print(f"\nconstraints of {LIVENESS.name} enforced ({len(BROKEN)} payloads, each breaking one):")
    for found in covered:
        verdict = f"{len(found.rejected)}/{len(BROKEN)} rejected"
        verdict += "" if found.accepts_valid else ", REJECTS THE VALID PAYLOAD"
        print(f"  {found.tool:<26} {found.problem or verdict}")
    report: dict[str, Any] = {
        "suite": "generate",
        "machine": machine(),
        "runs_per_measurement": runs,
        "results": [asdict(run) for run in results],
        "constraints_enforced": [asdict(found) for found in covered],
        "target_missed_on": missed,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(f"\nresults written to {output}")


def _rows(results: list[Run]) -> dict[str, dict[str, Run]]:
    rows: dict[str, dict[str, Run]] = {}
    for run in results:
        rows.setdefault(run.document, {})[run.tool] = run
    return rows


def _ratios(by_tool: dict[str, Run]) -> str:
    ours = by_tool["shapesmith"].seconds
    parts = []
    for tool in TOOLS[1:]:
        theirs = by_tool[tool].seconds
        ratio = "-" if ours is None or theirs is None else f"{theirs / ours:.2f}x"
        parts.append(f"{tool.split('-')[0]} {ratio}")
    return ", ".join(parts)


def _faster_than_both(by_tool: dict[str, Run]) -> bool:
    ours = by_tool["shapesmith"].seconds
    others = [by_tool[t].seconds for t in TOOLS[1:]]
    return ours is not None and all(t is None or ours < t for t in others)
