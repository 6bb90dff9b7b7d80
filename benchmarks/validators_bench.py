"""The `validators` suite: time every validator on every payload, print a table, write JSON."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import findings as normalise
from benchmarks import machine, report, targets, timing
from benchmarks.contenders import Contender, Schemas, build
from benchmarks.payloads import Finding, Payload, Probe, payloads, probes

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Check:
    """What one contender reported on one payload (computed once, outside the timed loops)."""

    outcome: str
    """The type of what the call returned or raised."""
    found: list[Finding]
    expected_total: int
    expected_reported: int
    unexpected: list[Finding]
    """Findings that are not among the expected violations (on a valid payload: all of them)."""


@dataclass(frozen=True)
class Cell:
    contender: Contender
    payload: Payload
    timing: timing.Timing
    check: Check


def shapesmith_command() -> list[str]:
    """The console script next to this interpreter, or `python -m generator` without it."""
    script = Path(sys.executable).with_name("shapesmith")
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


def export_schemas(directory: Path, runs: int) -> tuple[timing.CommandTiming, Schemas | None]:
    command = [*shapesmith_command(), "--quiet", "export", "jsonschema", "--output"]
    timed = timing.time_command([*command, str(directory)], ROOT, runs)
    if timed.returncode != 0:
        return timed, None
    return timed, Schemas.load(directory / "rekognition")


def time_cli(scratch: Path, runs: int) -> dict[str, timing.CommandTiming]:
    command = [*shapesmith_command(), "--quiet"]
    output = scratch / "generated"
    return {
        "generate": timing.time_command(
            [*command, "generate", "--output", str(output)], ROOT, runs
        ),
        "check": timing.time_command([*command, "check"], ROOT, runs),
    }


def outcome_of(contender: Contender, payload: Payload) -> object:
    """What the contender returns for the payload, or the exception it raises."""
    try:
        return contender.validate(payload.operation)(payload.form(contender.input_form))
    except Exception as error:
        return error


def check(contender: Contender, payload: Payload) -> Check:
    outcome = outcome_of(contender, payload)
    try:
        found = contender.findings(outcome)
    except Exception as error:  # a report this benchmark does not understand: say so
        found = [("", f"unreadable report: {error!r}")]
    return Check(
        outcome=type(outcome).__name__,
        found=found,
        expected_total=len(payload.expected),
        expected_reported=normalise.matched(payload.expected, found),
        unexpected=[finding for finding in found if finding not in payload.expected],
    )


def probe_contenders(
    contenders: Sequence[Contender], all_probes: Sequence[Probe]
) -> dict[str, dict[str, bool]]:
    """Which probes each contender catches. Probes exist as dicts only (`from_dict` is not meant
    for invalid data), so a dataclass-form contender is not probed; a yes/no validator catches a
    probe when it says no."""
    caught: dict[str, dict[str, bool]] = {}
    for contender in contenders:
        if contender.input_form == "dataclass":
            continue
        caught[contender.key] = {}
        for probe in all_probes:
            found = check(contender, probe.payload).found
            hit = bool(found) if contender.reports == "boolean" else None
            caught[contender.key][probe.name] = (
                normalise.caught(probe.payload.expected[0], found) if hit is None else hit
            )
    return caught


def time_payload(
    contenders: Sequence[Contender], payload: Payload, settings: timing.Settings
) -> list[Cell]:
    calls = [
        (contender.validate(payload.operation), payload.form(contender.input_form))
        for contender in contenders
    ]
    timings = timing.measure_interleaved(calls, settings)
    return [
        Cell(contender, payload, measured, check(contender, payload))
        for contender, measured in zip(contenders, timings, strict=True)
    ]


def main(*, quick: bool, output: Path) -> None:
    """Run everything, print the tables, write the JSON. Missed targets do not fail the run."""
    scratch = Path(tempfile.mkdtemp(prefix="shapesmith-bench-"))
    try:
        results = run(quick=quick, scratch=scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.print_results(results)
    report.write_json(results, output)
    print(f"\nresults written to {output}")


def run(*, quick: bool, scratch: Path) -> report.Results:
    settings = timing.Settings.for_mode(quick)
    load_at_start = machine.load_average()
    all_payloads = payloads()
    all_probes = probes()
    export, schemas = export_schemas(scratch / "schemas", settings.cli_runs)
    problem = "" if schemas else f"`shapesmith export jsonschema` failed: {export.stderr_tail}"
    contenders, skipped = build(schemas, problem)
    machine.progress(f"{len(contenders)} validators, {len(all_payloads)} payloads")
    probe_results = probe_contenders(contenders, all_probes)
    _warm_up(contenders, all_payloads[0], 0.05 if quick else 0.5)
    cells: list[Cell] = []
    for payload in all_payloads:
        machine.progress(f"timing {payload.name}")
        cells += time_payload(contenders, payload, settings)
    machine.progress("timing shapesmith generate / check")
    commands = {"export jsonschema": export, **time_cli(scratch, settings.cli_runs)}
    return report.Results(
        quick=quick,
        settings=settings,
        contenders=contenders,
        skipped=skipped,
        payloads=all_payloads,
        probes=all_probes,
        probe_results=probe_results,
        cells=cells,
        targets=_targets(contenders, cells),
        commands=commands,
        schema_adjustments=schemas.adjustments if schemas else (),
        load_at_start=load_at_start,
    )


def _warm_up(contenders: Sequence[Contender], payload: Payload, seconds: float) -> None:
    if contenders:
        first = contenders[0]
        timing.warm_up(first.validate(payload.operation), payload.form(first.input_form), seconds)


def _targets(contenders: Sequence[Contender], cells: Sequence[Cell]) -> list[targets.TargetResult]:
    labels = {contender.key: contender.label for contender in contenders}
    results: list[targets.TargetResult] = []
    for spec in targets.specs(contenders):
        chosen = (
            cell.payload.name for cell in cells if not (spec.invalid_only and cell.payload.valid)
        )
        for payload in dict.fromkeys(chosen):
            per_second = {
                cell.contender.key: cell.timing.per_second
                for cell in cells
                if cell.payload.name == payload
            }
            results.append(targets.evaluate(spec, payload, per_second, labels))
    return results
