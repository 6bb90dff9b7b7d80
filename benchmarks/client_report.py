"""The client suite's printed tables and JSON file."""

from __future__ import annotations

import datetime
import json
import statistics
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import local_server
from benchmarks.client_probe import CONTENDERS
from benchmarks.machine import machine

if TYPE_CHECKING:
    from benchmarks.client_bench import RestJson1, Results, Settings, Startup, Throughput

FORMAT_VERSION = 1
DISTRIBUTIONS = ("shapesmith", "boto3", "botocore", "urllib3")
SERVER = (
    "ThreadingHTTPServer on 127.0.0.1 in its own process: HTTP/1.1 keep-alive, "
    "each response sent in one write, Nagle's algorithm off"
)
_LABEL = 26


def _ms(seconds: float) -> str:
    milliseconds = seconds * 1000
    decimals = 3 if milliseconds < 1 else 2 if milliseconds < 10 else 1
    return f"{milliseconds:.{decimals}f} ms"


def _mb(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _label(key: str) -> str:
    return CONTENDERS[key].label


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def print_results(results: Results) -> None:
    _print_header(results)
    _print_startup(results)
    _print_import_breakdown(results)
    _print_construction(results)
    _print_calls(results)
    _print_memory(results)
    _print_restjson1(results)
    _print_targets(results)


def _print_header(results: Results) -> None:
    info = machine()
    mode = "quick (noisy: use a full run for numbers)" if results.quick else "full"
    print()
    print(
        "shapesmith client benchmark: Rekognition GetFaceLivenessSessionResults, "
        f"generated client against boto3 {versions()['boto3'] or '(not installed)'}"
    )
    print(f"mode {mode}; server: {SERVER}")
    print(
        f"{info['platform']}, {info['cpu_model'] or info['machine']}, {info['cpu_count']} CPUs, "
        f"Python {info['python']} ({info['python_implementation']})"
    )
    loads = [load for load in (results.load_at_start, info.get("load_average")) if load]
    if loads:
        print(f"load average (1 min) at start / end: {' / '.join(f'{x[0]:.2f}' for x in loads)}")
    if any(load[0] > 0.5 * (info["cpu_count"] or 1) for load in loads):
        print("WARNING: the machine was busy: absolute numbers are low; ratios are fairer")
    for key, reason in results.skipped.items():
        print(f"skipped {key}: {reason}")


_STARTUP_HEADINGS = ("import", "first client", "import+client", "first call", "through call")


def _print_startup(results: Results) -> None:
    _startup_table(results.startup, results.ratios, results.settings)


def _startup_table(
    startups: Mapping[str, Startup], ratios: Mapping[str, float | None], settings: Settings
) -> None:
    print()
    print(f"Start-up in a fresh process (median of {settings.startup_runs} runs, bytecode cached)")
    header = f"{'client':<{_LABEL}}" + "".join(f" {name:>13}" for name in _STARTUP_HEADINGS)
    print(header)
    print("-" * len(header))
    for key, startup in startups.items():
        medians = [statistics.median(seconds) for seconds in startup.spans().values()]
        cells = "".join(f" {_ms(value):>13}" for value in medians)
        print(f"{_label(key):<{_LABEL}}{cells}")
    spans = startups[next(iter(startups))].spans()
    speedups = [ratios[f"{span}_speedup_vs_boto3"] for span in spans]
    print(f"{'boto3 / shapesmith':<{_LABEL}}" + "".join(f" {_times(x):>13}" for x in speedups))


def _top(seconds: Mapping[str, float], count: int, prefix: str = "") -> str:
    shown = [f"{name.removeprefix(prefix)} {value * 1000:.1f}" for name, value in seconds.items()]
    rest = "" if len(shown) <= count else f", {len(shown) - count} more"
    return ", ".join(shown[:count]) + rest


def _print_import_breakdown(results: Results) -> None:
    breakdown = results.import_breakdown
    package = breakdown.package
    own = sum(breakdown.own_seconds.values())
    imported = sum(breakdown.imported_seconds.values())
    print()
    print(
        f"Where {package}'s imports go from `import {package}` through the first call "
        f"(-X importtime, one run, slowed by the tracing; the package root alone: "
        f"{_ms(breakdown.total_seconds)}), in ms"
    )
    print(f"  modules it is first to import ({imported * 1000:.1f}, each with what it imports):")
    print(f"    {_top(breakdown.imported_seconds, 10)}")
    print(f"  its own modules ({own * 1000:.1f}, each without what it imports):")
    print(f"    {_top(breakdown.own_seconds, 8, prefix=package + '.')}")


def _print_construction(results: Results) -> None:
    print()
    print("Repeated construction in one process (median per client, after a first one)")
    for key, construction in results.construction.items():
        median = _ms(statistics.median(construction.seconds))
        print(f"{_label(key):<{_LABEL}} {median:>10}  ({len(construction.seconds):,} clients)")
    ratio = _times(results.ratios["repeated_construction_speedup_vs_boto3"])
    print(f"{'boto3 / shapesmith':<{_LABEL}} {ratio:>10}")


def _print_calls(results: Results) -> None:
    _calls_table(results.calls, results.ratios, results.settings)


def _calls_table(
    calls: Mapping[str, Throughput], ratios: Mapping[str, float | None], settings: Settings
) -> None:
    print()
    print(
        f"Sequential calls on one keep-alive connection (median of {settings.rounds} rounds of "
        f"{settings.calls_per_round} calls, interleaved; best round in brackets)"
    )
    for key, throughput in calls.items():
        rates = f"{throughput.median:>8,.0f}/s  ({throughput.best:,.0f}/s)"
        print(f"{_label(key):<{_LABEL}} {rates}")
    print(
        f"shapesmith / boto3 {_times(ratios['calls_per_second_ours_over_boto3'])}; "
        f"shapesmith / bare http.client {_times(ratios['calls_per_second_ours_over_bare'])} "
        "(medians of the ratios of rounds run back to back)"
    )


def _print_memory(results: Results) -> None:
    settings = results.settings
    print()
    print(
        f"Peak memory of a fresh process making {settings.memory_calls:,} calls "
        f"(median of {settings.memory_runs} runs; tracemalloc in separate runs)"
    )
    print(f"{'client':<{_LABEL}} {'peak RSS':>12} {'tracemalloc':>12}")
    for key, memory in results.memory.items():
        label = _label(key)
        rss = _mb(statistics.median(memory.rss_bytes))
        traced = _mb(statistics.median(memory.traced_bytes))
        print(f"{label:<{_LABEL}} {rss:>12} {traced:>12}")
    ratios = results.ratios
    print(
        f"{'shapesmith / boto3':<{_LABEL}} {_times(ratios['peak_rss_ours_over_boto3']):>12} "
        f"{_times(ratios['tracemalloc_peak_ours_over_boto3']):>12}"
    )


def _print_restjson1(results: Results) -> None:
    restjson1 = results.restjson1
    print()
    print(
        "restJson1: EFS DescribeTags (GET, a label and a query) and PutBackupPolicy (PUT, a label "
        "and a JSON body), in turn; one call is one request"
    )
    if restjson1.skipped is not None:
        print(f"skipped: {restjson1.skipped}")
        return
    print(
        f"package generated from {restjson1.model} (those two operations) in "
        f"{restjson1.generation_seconds or 0:.1f} s"
    )
    for key, reason in restjson1.skipped_contenders.items():
        print(f"skipped {key}: {reason}")
    _startup_table(restjson1.startup, restjson1.ratios, results.settings)
    _calls_table(restjson1.calls, restjson1.ratios, results.settings)


def _print_targets(results: Results) -> None:
    print()
    print("Targets (reported, never enforced)")
    for target in results.targets:
        comparison = ">=" if target.higher_is_better else "<"
        print(
            f"  {target.status:<4}  {target.description}: {_times(target.value)} "
            f"(need {comparison} {target.needed:.3g}x)"
        )
    passed = sum(1 for target in results.targets if target.status == "PASS")
    missed = sum(1 for target in results.targets if target.status == "MISS")
    print(f"  {passed} PASS, {missed} MISS")


def _startup_json(startup: Startup) -> dict[str, Any]:
    return {
        span: {"median_seconds": statistics.median(seconds), "runs_seconds": _rounded(seconds)}
        for span, seconds in startup.spans().items()
    }


def _rounded(values: Sequence[float]) -> list[float]:
    return [round(value, 6) for value in values]


def _calls_json(calls: Mapping[str, Throughput]) -> dict[str, Any]:
    return {
        key: {
            "calls_per_second": round(item.median, 1),
            "best_round_calls_per_second": round(item.best, 1),
            "calls_per_round": item.calls_per_round,
            "rounds_seconds": _rounded(item.round_seconds),
        }
        for key, item in calls.items()
    }


def _ratios_json(ratios: Mapping[str, float | None]) -> dict[str, float | None]:
    return {name: None if value is None else round(value, 4) for name, value in ratios.items()}


def _restjson1_json(restjson1: RestJson1) -> dict[str, Any]:
    return {
        "service": "EFS",
        "model": restjson1.model,
        "operations": list(restjson1.operations),
        "call_sequence": "DescribeTags (GET) and PutBackupPolicy (PUT) in turn, from the GET",
        "skipped": restjson1.skipped,
        "generation_seconds": restjson1.generation_seconds,
        "generation_warnings": restjson1.generation_warnings,
        "server": {
            "describe_tags_response_bytes": len(local_server.TAGS_OK),
            "describe_tags_response_body_bytes": len(json.dumps(local_server.TAGS)),
            "put_backup_policy_response_bytes": len(local_server.BACKUP_POLICY_OK),
        },
        "contenders": {item.key: item.label for item in restjson1.contenders},
        "skipped_contenders": restjson1.skipped_contenders,
        "startup": {key: _startup_json(item) for key, item in restjson1.startup.items()},
        "calls": _calls_json(restjson1.calls),
        "ratios": _ratios_json(restjson1.ratios),
    }


def as_json(results: Results) -> dict[str, Any]:
    settings = results.settings
    return {
        "benchmark": "shapesmith client against boto3: Rekognition GetFaceLivenessSessionResults",
        "format_version": FORMAT_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "mode": "quick" if results.quick else "full",
        "settings": vars(settings),
        "machine": {**machine(), "load_average_at_start": results.load_at_start},
        "versions": versions(),
        "server": {
            "description": SERVER,
            "response_bytes": len(local_server.OK),
            "response_body_bytes": len(json.dumps(local_server.RESPONSE)),
        },
        "contenders": {item.key: item.label for item in results.contenders},
        "skipped": results.skipped,
        "startup": {key: _startup_json(item) for key, item in results.startup.items()},
        "import_breakdown": vars(results.import_breakdown),
        "repeated_construction": {
            key: {
                "median_seconds": statistics.median(item.seconds),
                "clients": len(item.seconds),
            }
            for key, item in results.construction.items()
        },
        "calls": _calls_json(results.calls),
        "memory": {
            key: {
                "calls": item.calls,
                "peak_rss_bytes": statistics.median(item.rss_bytes),
                "tracemalloc_peak_bytes": statistics.median(item.traced_bytes),
                "runs_peak_rss_bytes": item.rss_bytes,
                "runs_tracemalloc_peak_bytes": item.traced_bytes,
            }
            for key, item in results.memory.items()
        },
        "ratios": _ratios_json(results.ratios),
        "targets": [
            {
                "key": target.key,
                "description": target.description,
                "status": target.status,
                "value": None if target.value is None else round(target.value, 4),
                "needed": round(target.needed, 4),
                "higher_is_better": target.higher_is_better,
            }
            for target in results.targets
        ],
        "restjson1": _restjson1_json(results.restjson1),
    }


def write_json(results: Results, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(as_json(results), indent=2) + "\n", encoding="utf-8")
