"""The printed tables and the JSON file."""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.contenders import Contender, Skipped
from benchmarks.machine import machine
from benchmarks.payloads import Finding, Payload, Probe
from benchmarks.targets import OURS, TargetResult
from benchmarks.timing import CommandTiming, Settings

if TYPE_CHECKING:
    from benchmarks.validators_bench import Cell

FORMAT_VERSION = 1
DISTRIBUTIONS = (
    "shapesmith",
    "jsonschema",
    "fastjsonschema",
    "jsonschema-rs",
    "pydantic",
    "pydantic-core",
    "msgspec",
    "botocore",
)
_LABEL_WIDTH = 36


@dataclass(frozen=True)
class Results:
    quick: bool
    settings: Settings
    contenders: list[Contender]
    skipped: list[Skipped]
    payloads: Sequence[Payload]
    probes: Sequence[Probe]
    probe_results: dict[str, dict[str, bool]]
    cells: list[Cell]
    targets: list[TargetResult]
    commands: dict[str, CommandTiming]
    schema_adjustments: tuple[str, ...]
    load_at_start: list[float] | None

    def cell(self, contender: str, payload: str) -> Cell | None:
        for cell in self.cells:
            if cell.contender.key == contender and cell.payload.name == payload:
                return cell
        return None

    def ratio_to_ours(self, cell: Cell) -> float | None:
        ours = self.cell(OURS, cell.payload.name)
        if ours is None:
            return None
        return cell.timing.per_second / ours.timing.per_second


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": sys.version.split()[0]}
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def rate(per_second: float) -> str:
    if per_second >= 1e6:
        return f"{per_second / 1e6:.2f}M"
    if per_second >= 1e3:
        return f"{per_second / 1e3:.1f}k"
    return f"{per_second:.0f}"


def _short_implementation(contender: Contender) -> str:
    return "pure" if contender.pure_python else "compiled"


def _finding_text(findings: Sequence[Finding]) -> str:
    return ", ".join(f"{path or '<root>'} {kind}" for path, kind in findings)


def print_results(results: Results) -> None:
    _print_header(results)
    _print_speed(results)
    _print_coverage(results)
    _print_targets(results)
    _print_commands(results)
    _print_notes(results)


def _print_header(results: Results) -> None:
    info = machine()
    mode = "quick (noisy: use a full run for numbers)" if results.quick else "full"
    print()
    print("shapesmith validator benchmark: Rekognition GetFaceLivenessSessionResults")
    print(
        f"mode {mode}; best of {results.settings.repeats} samples of >= "
        f"{results.settings.min_time * 1000:.0f} ms each, interleaved, gc off"
    )
    print(
        f"{info['platform']}, {info['cpu_model'] or info['machine']}, {info['cpu_count']} CPUs, "
        f"Python {info['python']} ({info['python_implementation']})"
    )
    loads = [load for load in (results.load_at_start, info.get("load_average")) if load]
    if loads:
        print(
            f"load average (1 min) at start / end: {' / '.join(f'{load[0]:.2f}' for load in loads)}"
        )
    if any(load[0] > 0.5 * (info["cpu_count"] or 1) for load in loads):
        print("WARNING: the machine was busy: absolute numbers are low; ratios are fairer")


def _print_speed(results: Results) -> None:
    print()
    print("Validations per second (x = relative to shapesmith generated (dict); above 1 is faster)")
    header = f"{'validator':<{_LABEL_WIDTH}} {'impl':<8} {'reports':<7}"
    for payload in results.payloads:
        header += f" {payload.name:>17}"
    print(header)
    print("-" * len(header))
    for contender in results.contenders:
        line = f"{contender.label:<{_LABEL_WIDTH}} {_short_implementation(contender):<8} "
        line += f"{contender.reports:<7}"
        for payload in results.payloads:
            cell = results.cell(contender.key, payload.name)
            if cell is None:
                line += f" {'-':>17}"
                continue
            ratio = results.ratio_to_ours(cell)
            shown = f"{ratio:.2f}x" if ratio is not None else "-"
            flag = "!" if payload.valid and cell.check.found else " "
            line += f" {rate(cell.timing.per_second):>8}{flag}{shown:>8}"
        print(line)
    for skipped in results.skipped:
        print(f"{skipped.label:<{_LABEL_WIDTH}} skipped: {skipped.reason}")
    if any(cell.payload.valid and cell.check.found for cell in results.cells):
        print("! = rejected a valid payload (see `unexpected` in the JSON)")


def _print_coverage(results: Results) -> None:
    print()
    print(
        "Violations reported (found/expected, total findings in brackets) and rules caught "
        f"of the {len(results.probes)} one-violation probes"
    )
    invalid = [payload for payload in results.payloads if not payload.valid]
    header = f"{'validator':<{_LABEL_WIDTH}}"
    for payload in invalid:
        header += f" {payload.name:>17}"
    header += f" {'probes':>7}  missed"
    print(header)
    print("-" * len(header))
    for contender in results.contenders:
        line = f"{contender.label:<{_LABEL_WIDTH}}"
        for payload in invalid:
            cell = results.cell(contender.key, payload.name)
            if cell is None:
                line += f" {'-':>17}"
                continue
            check = cell.check
            if contender.reports == "boolean":
                text = "rejected" if check.found else "ACCEPTED"
            else:
                text = f"{check.expected_reported}/{check.expected_total} ({len(check.found)})"
            line += f" {text:>17}"
        caught = results.probe_results.get(contender.key)
        if caught is None:
            line += f" {'n/a':>7}  (probes are dicts, so the dataclass form is not probed)"
        else:
            missed = [name for name, hit in caught.items() if not hit]
            line += f" {len(caught) - len(missed):>3}/{len(caught):<3}  {', '.join(missed) or '-'}"
        print(line)


def _print_targets(results: Results) -> None:
    print()
    print(
        "Targets (ours = shapesmith generated, dict form, every violation unless the target says "
        "first_only; ratio = ours / theirs)"
    )
    seen: list[str] = []
    for target in results.targets:
        if target.key in seen:
            continue
        seen.append(target.key)
        print(f"  {target.description}")
        for result in (item for item in results.targets if item.key == target.key):
            if result.status == "N/A" or result.ours_over_theirs is None:
                print(f"    N/A   {result.payload:<17} (not measured)")
                continue
            versus = f"vs {result.other} {rate(result.other_per_second or 0.0)}/s"
            print(
                f"    {result.status:<5} {result.payload:<17} {result.ours_over_theirs:5.2f}x "
                f"(need {result.needed:g}x)  ours {rate(result.ours_per_second or 0.0)}/s {versus}"
            )
    passed = sum(1 for item in results.targets if item.status == "PASS")
    missed = sum(1 for item in results.targets if item.status == "MISS")
    print(f"  {passed} PASS, {missed} MISS (reported, not enforced)")


def _print_commands(results: Results) -> None:
    print()
    print("shapesmith commands, end to end (fresh process each run)")
    for name, command in results.commands.items():
        runs = ", ".join(f"{seconds:.2f}" for seconds in command.runs)
        status = "ok" if command.returncode == 0 else f"EXIT {command.returncode}"
        print(f"  {name:<18} best {command.best:6.2f} s  (runs: {runs} s; {status})")


def _print_notes(results: Results) -> None:
    for note in results.schema_adjustments:
        print(f"\nnote: exported schema adjusted: {note}")


def _cell_json(results: Results, cell: Cell) -> dict[str, Any]:
    ratio = results.ratio_to_ours(cell)
    check = cell.check
    return {
        "validator": cell.contender.key,
        "payload": cell.payload.name,
        "per_second": round(cell.timing.per_second, 1),
        "best_seconds": cell.timing.best,
        "median_seconds": cell.timing.median,
        "calls_per_sample": cell.timing.number,
        "samples": cell.timing.repeats,
        "ratio_to_ours": None if ratio is None else round(ratio, 4),
        "outcome": check.outcome,
        "expected_violations": check.expected_total,
        "expected_reported": check.expected_reported,
        "reported": len(check.found),
        "unexpected": [list(finding) for finding in check.unexpected],
        "accepted": not check.found,
    }


def _contender_json(results: Results, contender: Contender) -> dict[str, Any]:
    try:
        version: str | None = metadata.version(contender.distribution)
    except metadata.PackageNotFoundError:
        version = None
    return {
        "key": contender.key,
        "label": contender.label,
        "role": contender.role,
        "implementation": contender.implementation,
        "pure_python": contender.pure_python,
        "reports": contender.reports,
        "checks": contender.checks,
        "input": contender.input_form,
        "distribution": contender.distribution,
        "version": version,
        "notes": contender.notes,
        "probes_caught": results.probe_results.get(contender.key, {}),
    }


def _payload_json(payload: Payload) -> dict[str, Any]:
    return {
        "name": payload.name,
        "operation": payload.operation,
        "description": payload.description,
        "json_size_bytes": len(payload.json_bytes),
        "expected_violations": [{"path": path, "kind": kind} for path, kind in payload.expected],
    }


def as_json(results: Results) -> dict[str, Any]:
    return {
        "benchmark": "shapesmith validators: Rekognition GetFaceLivenessSessionResults",
        "format_version": FORMAT_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "mode": "quick" if results.quick else "full",
        "settings": {
            "min_time_seconds": results.settings.min_time,
            "samples": results.settings.repeats,
            "cli_runs": results.settings.cli_runs,
        },
        "machine": {**machine(), "load_average_at_start": results.load_at_start},
        "versions": versions(),
        "ours": OURS,
        "payloads": [_payload_json(payload) for payload in results.payloads],
        "validators": [_contender_json(results, item) for item in results.contenders],
        "skipped": [vars(item) for item in results.skipped],
        "results": [_cell_json(results, cell) for cell in results.cells],
        "targets": [vars(item) for item in results.targets],
        "probes": [
            {
                "name": probe.name,
                "description": probe.description,
                "expected": probe.payload.expected[0],
            }
            for probe in results.probes
        ],
        "commands": {
            name: {
                "command": command.command,
                "best_seconds": command.best,
                "runs_seconds": command.runs,
                "returncode": command.returncode,
            }
            for name, command in results.commands.items()
        },
        "schema_adjustments": list(results.schema_adjustments),
    }


def write_json(results: Results, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(as_json(results), indent=2) + "\n", encoding="utf-8")
