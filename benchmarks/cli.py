"""`python -m benchmarks [SUITE ...] [--quick] [--output PATH]`: run benchmark suites.

Each suite is a module with `main(*, quick: bool, output: Path) -> None` that prints its tables
and writes its JSON to `output`. Adding a suite is one entry in `SUITES`. Missed targets are
reported by the suites, never turned into a non-zero exit. The `corpus` suite runs only when
named (it takes hours) and also takes `--service` and `--jobs`.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


@dataclass(frozen=True)
class Suite:
    name: str
    module: str
    """Imported only when the suite runs, so one suite's dependencies never slow another."""
    description: str
    by_default: bool = True
    """Whether it runs when no suite is named."""
    corpus_options: bool = False
    """Whether its `main` also takes `services` and `jobs`."""


SUITES = {
    suite.name: suite
    for suite in (
        Suite(
            "validators",
            "benchmarks.validators_bench",
            "generated validators against a hand-written baseline and other validators",
        ),
        Suite(
            "client",
            "benchmarks.client_bench",
            "generated client against boto3 on a local server: start-up, calls/s, memory",
        ),
        Suite(
            "stub",
            "benchmarks.stub_bench",
            "generated stub server against moto's server mode: requests/s, p50/p99 latency",
        ),
        Suite(
            "events",
            "benchmarks.events_bench",
            "event streams through the generated client and stub: output streams against "
            "boto3 (events/s, CPU per event), input and duplex streams (ours alone)",
        ),
        Suite(
            "generate",
            "benchmarks.generate_bench",
            "shapesmith, openapi-python-client and datamodel-code-generator on the same OpenAPI "
            "documents: wall time of one generation each",
        ),
        Suite(
            "scale",
            "benchmarks.scale_bench",
            "AWS's whole Rekognition: generate (cold, unchanged, edited), check, peak memory, "
            "first call of one operation, against datamodel-code-generator",
        ),
        Suite(
            "corpus",
            "benchmarks.corpus",
            "every AWS JSON and restJson1 model of ../shared's corpus generated whole, type-checked, linted and "
            "imported (only when named; --quick runs the CI sample)",
            by_default=False,
            corpus_options=True,
        ),
    )
}


def _parser() -> argparse.ArgumentParser:
    listing = "; ".join(f"{suite.name}: {suite.description}" for suite in SUITES.values())
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=f"Benchmark the generated Rekognition package, or the corpus. Suites: {listing}.",
    )
    parser.add_argument(
        "suites",
        nargs="*",
        metavar="SUITE",
        help=f"the suites to run ({', '.join(SUITES)}); all of them when none is named",
    )
    parser.add_argument(
        "--suite",
        action="append",
        choices=list(SUITES),
        default=[],
        help="a suite to run (may be repeated); the same as naming it",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer and shorter samples (a smoke run, noisier)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=(
            "where to write the JSON results: a directory (each suite writes SUITE.json in it), "
            "or a .json file (one suite: that file; several: NAME-SUITE.json next to it) "
            f"(default: {RESULTS.relative_to(ROOT)}/SUITE.json)"
        ),
    )
    parser.add_argument(
        "--service",
        action="extend",
        nargs="+",
        default=[],
        metavar="NAME",
        help="corpus: run these services only (model file names without .json)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="corpus: services checked at once (default 1; each job runs one tool at a time)",
    )
    return parser


def output_path(output: Path | None, suite: str, several: bool) -> Path:
    if output is None:
        return RESULTS / f"{suite}.json"
    if output.suffix != ".json":
        return output / f"{suite}.json"
    if several:
        return output.with_name(f"{output.stem}-{suite}.json")
    return output


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    unknown = [name for name in args.suites if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite {', '.join(unknown)} (choose from {', '.join(SUITES)})")
    chosen = list(dict.fromkeys([*args.suites, *args.suite])) or [
        suite.name for suite in SUITES.values() if suite.by_default
    ]
    if (args.service or args.jobs != 1) and not any(SUITES[n].corpus_options for n in chosen):
        parser.error("--service and --jobs apply to the corpus suite only")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    for name in chosen:
        module = importlib.import_module(SUITES[name].module)
        path = output_path(args.output, name, len(chosen) > 1)
        if SUITES[name].corpus_options:
            module.main(quick=args.quick, output=path, services=args.service, jobs=args.jobs)
        else:
            module.main(quick=args.quick, output=path)
    return 0
