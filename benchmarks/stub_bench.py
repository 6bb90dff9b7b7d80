"""`python -m benchmarks stub`: requests/s and latency of the generated stub server under a
local keep-alive load (1 and 8 concurrent clients), next to moto's server mode in the same run.

moto 5 has no face-liveness operations, so the comparison runs on operations moto implements,
selected from the official Rekognition model in a benchmark-only generation (a temp directory);
the committed stub's `GetFaceLivenessSessionResults` is measured on its own. Every server runs in
a process of its own (`stub_servers.py`) and the load in others (`load.py`).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from botocore.auth import SigV4Auth  # type: ignore[import-untyped]
from botocore.awsrequest import AWSRequest  # type: ignore[import-untyped]
from botocore.credentials import Credentials  # type: ignore[import-untyped]

from benchmarks import load, machine
from benchmarks.stub_servers import LIVENESS_SESSION

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "stub.json"
OFFICIAL_MODEL = ROOT.parent / "shared" / "reference" / "models" / "rekognition-2016-06-27.json"
FORMAT_VERSION = 1

NAMESPACE = "com.amazonaws.rekognition#"
SERVICE_SHAPE = NAMESPACE + "RekognitionService"
TARGET_PREFIX = "RekognitionService."
CONTENT_TYPE = "application/x-amz-json-1.1"
REGION = "us-east-1"
CREDENTIALS = Credentials("AKIDSTUBBENCH", "stub-bench-secret")
OURS, MOTO = "shapesmith stub", "moto server"
TARGET_RATIO = 3.0
CONCURRENCIES = (1, 8)
CLIENT_PROCESSES = {1: 1, 8: 2}
"""Client processes per concurrency. On 2 cores, with the server on one, 8 threads in one process
and 2 processes of 4 gave the same rates within noise (the client used about a third of a core
either way, well short of saturating); more processes only took CPU from the server."""
NAGLE_CALLS = 200
DELAYED_ACK_MS = 40.0
"""Linux's delayed-ACK timeout: what one call would cost if a response were split across writes."""


@dataclass(frozen=True)
class Compared:
    """An operation measured on both servers, with the request both are sent."""

    name: str
    request: dict[str, Any]
    about: str
    varies: tuple[str, ...] = ()
    """Output members moto makes up anew on every call (left out of the parity check)."""


COMPARED = (
    Compared(
        "DetectText",
        {"Image": {"S3Object": {"Bucket": "bench-bucket", "Name": "sign.png"}}},
        "moto's canned answer: 4 KB of text detections, validated and serialized by ours",
    ),
    Compared(
        "StartTextDetection",
        {"Video": {"S3Object": {"Bucket": "bench-bucket", "Name": "clip.mp4"}}},
        "a small request and a 64-character JobId: mostly protocol overhead",
        varies=("JobId",),
    ),
)
LIVENESS = "GetFaceLivenessSessionResults"
LIVENESS_REQUEST = {"SessionId": LIVENESS_SESSION}


@dataclass(frozen=True)
class Settings:
    duration: float
    warmup: float

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        return cls(duration=1.5, warmup=0.3) if quick else cls(duration=5.0, warmup=1.0)


@dataclass(frozen=True)
class Generation:
    """The benchmark-only package: where it is, and what it took to generate it."""

    package_dir: Path | None
    model: str
    """`official` (as is) or `filtered copy`."""
    official_problems: list[str]
    """What the generator said about the official model as is (empty if it took it)."""
    problems: list[str]
    """What went wrong with the model finally used (empty on success)."""


@dataclass(frozen=True)
class Row:
    operation: str
    server: str
    result: load.LoadResult
    server_cpu: float | None
    """Server CPU over the whole load run, warm-up included, as a fraction of one core."""

    @property
    def key(self) -> tuple[str, str, int]:
        return self.operation, self.server, self.result.concurrency

    def to_json(self) -> dict[str, Any]:
        cpu = None if self.server_cpu is None else round(100 * self.server_cpu, 1)
        return {
            "operation": self.operation,
            "server": self.server,
            **self.result.summary(),
            "server_cpu_percent": cpu,
        }


@dataclass
class Results:
    quick: bool
    settings: Settings
    generation: Generation
    rows: list[Row] = field(default_factory=list)
    parity: dict[str, Any] = field(default_factory=dict)
    moto_liveness: dict[str, Any] = field(default_factory=dict)
    nagle: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    machine: dict[str, Any] = field(default_factory=dict)

    def row(self, operation: str, server: str, concurrency: int) -> Row | None:
        wanted = (operation, server, concurrency)
        found = (row for row in self.rows if row.key == wanted)
        return next(found, None)

    def ratios(self) -> list[dict[str, Any]]:
        found = []
        for compared in COMPARED:
            for concurrency in CONCURRENCIES:
                ours = self.row(compared.name, OURS, concurrency)
                moto = self.row(compared.name, MOTO, concurrency)
                if ours is None or moto is None or not moto.result.requests:
                    continue
                ratio = ours.result.per_second / moto.result.per_second
                found.append(
                    {
                        "operation": compared.name,
                        "concurrency": concurrency,
                        "ours_requests_per_s": round(ours.result.per_second, 1),
                        "moto_requests_per_s": round(moto.result.per_second, 1),
                        "ratio": round(ratio, 2),
                        "target": TARGET_RATIO,
                        "result": "PASS" if ratio >= TARGET_RATIO else "MISS",
                    }
                )
        return found


# -- the benchmark-only generation -------------------------------------------------------------


def _references(shape: dict[str, Any]) -> Iterator[str]:
    for key in ("input", "output", "member", "key", "value"):
        if isinstance(shape.get(key), dict):
            yield shape[key]["target"]
    for error in shape.get("errors", []):
        yield error["target"]
    for member in shape.get("members", {}).values():
        yield member["target"]


def closure(shapes: dict[str, Any], roots: Sequence[str]) -> set[str]:
    """Every shape the roots reach (prelude shapes such as `smithy.api#Unit` are not in `shapes`)."""
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        shape_id = pending.pop()
        if shape_id in seen or shape_id not in shapes:
            continue
        seen.add(shape_id)
        pending.extend(_references(shapes[shape_id]))
    return seen


def filtered_model(document: dict[str, Any], operations: Sequence[str]) -> dict[str, Any]:
    """The service shape (all its traits, only `operations`) and the closure of `operations`."""
    shapes = document["shapes"]
    service = {**shapes[SERVICE_SHAPE], "operations": [{"target": op} for op in operations]}
    kept = {shape_id: shapes[shape_id] for shape_id in sorted(closure(shapes, operations))}
    return {**document, "shapes": {SERVICE_SHAPE: service, **kept}}


def _generate(directory: Path, model: Path, operations: Sequence[str]) -> tuple[int, list[str]]:
    from generator.cli import main as shapesmith

    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "shapesmith.toml"
    lines = [
        f"models = [{json.dumps(str(model))}]",
        'output = "out"',
        f"operations = {json.dumps(list(operations))}",
    ]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    said = io.StringIO()
    with contextlib.redirect_stderr(said), contextlib.redirect_stdout(said):
        status = shapesmith(["generate", "-q", "--config", str(config)])
    return status, [line for line in said.getvalue().splitlines() if line.strip()]


def generate_selection(scratch: Path, official: Path) -> Generation:
    """Generate the compared operations from the official model; if the generator refuses it,
    from a copy holding only what those operations need (and say why)."""
    operations = [NAMESPACE + compared.name for compared in COMPARED]
    if not official.is_file():
        return Generation(None, "official", [], [f"{official} not found"])
    status, official_said = _generate(scratch / "official", official, operations)
    if status == 0:
        return Generation(scratch / "official" / "out", "official", [], [])
    copy = scratch / "filtered" / "rekognition-selected.json"
    copy.parent.mkdir(parents=True)
    document = json.loads(official.read_text("utf-8"))
    copy.write_text(json.dumps(filtered_model(document, operations)), encoding="utf-8")
    status, said = _generate(scratch / "filtered", copy, operations)
    if status != 0:
        return Generation(None, "filtered copy", official_said, said)
    return Generation(scratch / "filtered" / "out", "filtered copy", official_said, [])


# -- servers -----------------------------------------------------------------------------------


class ServerProcess:
    """One server of `stub_servers.py` (or of `module`), in its own process, stderr to a log
    file."""

    def __init__(
        self, args: Sequence[str], log: Path, module: str = "benchmarks.stub_servers"
    ) -> None:
        self.log = log
        with log.open("w", encoding="utf-8") as stderr:
            self._process = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if not line.startswith("listening on http://"):
            self.stop()
            raise RuntimeError(f"{' '.join(args)} did not start: {self.log_tail()}")
        self.url = line.removeprefix("listening on ")

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        return host, int(port)

    def cpu_seconds(self) -> float | None:
        """User and system CPU so far (Linux; None elsewhere)."""
        try:
            fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 5) -> str:
        return " | ".join(self.log.read_text("utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


@contextlib.contextmanager
def running(
    args: Sequence[str], log: Path, module: str = "benchmarks.stub_servers"
) -> Iterator[ServerProcess]:
    server = ServerProcess(args, log, module)
    try:
        yield server
    finally:
        server.stop()


# -- requests ----------------------------------------------------------------------------------


def signed(server: ServerProcess, operation: str, payload: dict[str, Any]) -> load.Request:
    """The request as boto3 would send it, signed once with botocore (neither server checks)."""
    body = json.dumps(payload).encode("utf-8")
    request = AWSRequest(
        method="POST",
        url=server.url + "/",
        data=body,
        headers={"X-Amz-Target": TARGET_PREFIX + operation, "Content-Type": CONTENT_TYPE},
    )
    SigV4Auth(CREDENTIALS, "rekognition", REGION).add_auth(request)
    host, port = server.host_port
    return load.Request(host, port, body, dict(request.headers.items()))


def send_once(request: load.Request) -> tuple[int, str, bytes]:
    """Status, Content-Type and body of one request on a fresh connection."""
    connection = http.client.HTTPConnection(request.host, request.port, timeout=10)
    try:
        connection.request("POST", "/", request.body, request.headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def moto_answers(moto: ServerProcess) -> dict[str, Any]:
    """moto's answer to each compared request: the data the stub's handler will give back."""
    answers = {}
    for compared in COMPARED:
        status, _, body = send_once(signed(moto, compared.name, compared.request))
        if status != 200:
            raise RuntimeError(f"moto answered {compared.name} with {status}: {body[:200]!r}")
        answers[compared.name] = json.loads(body)
    return answers


def check_parity(ours: ServerProcess, answers: dict[str, Any]) -> dict[str, Any]:
    """Does ours answer each compared request with moto's data? (The same bytes of JSON need not
    follow: key order and spacing differ.)"""
    parity: dict[str, Any] = {}
    for compared in COMPARED:
        status, _, body = send_once(signed(ours, compared.name, compared.request))
        same = status == 200 and _without(json.loads(body), compared.varies) == _without(
            answers[compared.name], compared.varies
        )
        parity[compared.name] = {
            "status": status,
            "same_data_as_moto": same,
            "ours_bytes": len(body),
            "moto_bytes": len(json.dumps(answers[compared.name])),
            "ignored_members": list(compared.varies),
        }
    return parity


def _without(data: dict[str, Any], members: Sequence[str]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in members}


def probe_moto_liveness(moto: ServerProcess) -> dict[str, Any]:
    """What moto says to the liveness operation (its backend has none)."""
    status, content_type, body = send_once(signed(moto, LIVENESS, LIVENESS_REQUEST))
    reason: list[str] = []
    for _ in range(20):  # moto may log the traceback just after it answers
        reason = re.findall(r"NotImplementedError: .*", moto.log.read_text("utf-8", "replace"))
        if reason:
            break
        time.sleep(0.05)
    return {
        "operation": LIVENESS,
        "status": status,
        "content_type": content_type,
        "body_excerpt": body[:160].decode("utf-8", errors="replace"),
        "reason_in_moto_log": reason[-1] if reason else None,
    }


# -- measuring ---------------------------------------------------------------------------------


def measure_row(
    operation: str,
    server_name: str,
    server: ServerProcess,
    request: load.Request,
    concurrency: int,
    settings: Settings,
) -> Row:
    machine.progress(f"{operation} on {server_name}, {concurrency} client(s)")
    cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
    result = load.measure(
        request,
        concurrency=concurrency,
        processes=CLIENT_PROCESSES[concurrency],
        warmup=settings.warmup,
        duration=settings.duration,
    )
    cpu_after, wall = server.cpu_seconds(), time.perf_counter() - wall_before
    cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / wall
    return Row(operation, server_name, result, cpu)


def nagle_check(server: ServerProcess, request: load.Request) -> dict[str, Any]:
    """Sequential calls on one keep-alive connection: a response split across writes would meet
    the client's delayed ACK and cost ~40 ms a call."""
    connection = http.client.HTTPConnection(*server.host_port, timeout=10)
    latencies, statuses, reconnected = [], set(), 0
    started = time.perf_counter()
    try:
        for _ in range(NAGLE_CALLS):
            began = time.perf_counter()
            connection.request("POST", "/", request.body, request.headers)
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - began)
            statuses.add(response.status)
            reconnected += response.will_close
    finally:
        connection.close()
    total = time.perf_counter() - started
    latencies.sort()
    return {
        "calls": NAGLE_CALLS,
        "total_s": round(total, 4),
        "per_call_ms": round(1e3 * total / NAGLE_CALLS, 3),
        "p50_ms": round(1e3 * latencies[len(latencies) // 2], 3),
        "max_ms": round(1e3 * latencies[-1], 3),
        "statuses": sorted(statuses),
        "connection_closed_by_server": reconnected,
        "stall": 1e3 * latencies[len(latencies) // 2] >= DELAYED_ACK_MS / 2,
    }


def compare(results: Results, package_dir: Path, scratch: Path) -> None:
    """The compared operations on ours and on moto; ours gets moto's answers to give back."""
    with running(["moto"], scratch / "moto.log") as moto:
        answers = moto_answers(moto)
        results.moto_liveness = probe_moto_liveness(moto)
        answers_file = scratch / "answers.json"
        answers_file.write_text(json.dumps(answers), encoding="utf-8")
        args = ["selected", "--path", str(package_dir), "--answers", str(answers_file)]
        with running(args, scratch / "selected.log") as ours:
            results.parity = check_parity(ours, answers)
            for compared in COMPARED:
                _alternate(results, compared.name, compared.request, {OURS: ours, MOTO: moto})


def _alternate(
    results: Results, operation: str, payload: dict[str, Any], servers: dict[str, ServerProcess]
) -> None:
    """One server after the other at each concurrency, so a busy spell of the machine hits both."""
    requests = {name: signed(server, operation, payload) for name, server in servers.items()}
    for concurrency in CONCURRENCIES:
        for name, server in servers.items():
            row = measure_row(
                operation, name, server, requests[name], concurrency, results.settings
            )
            results.rows.append(row)


def liveness(results: Results, scratch: Path) -> None:
    args = ["liveness", "--path", str(ROOT / "generated")]
    with running(args, scratch / "liveness.log") as ours:
        request = signed(ours, LIVENESS, LIVENESS_REQUEST)
        status, _, body = send_once(request)
        if status != 200:
            raise RuntimeError(f"the committed stub answered {LIVENESS} with {status}: {body!r}")
        _alternate(results, LIVENESS, LIVENESS_REQUEST, {OURS: ours})
        machine.progress(f"{NAGLE_CALLS} sequential keep-alive calls")
        results.nagle = nagle_check(ours, request)


def measure_all(quick: bool, official: Path, scratch: Path) -> Results:
    settings = Settings.for_mode(quick)
    info = machine_info()
    machine.progress(f"generating {', '.join(c.name for c in COMPARED)} from {official}")
    generation = generate_selection(scratch / "generation", official)
    results = Results(quick=quick, settings=settings, generation=generation, machine=info)
    if generation.package_dir is not None:
        compare(results, generation.package_dir, scratch)
    liveness(results, scratch)
    results.machine["load_average_at_end"] = machine.load_average()
    results.notes = notes(results)
    return results


# -- machine, notes, report --------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    info = machine.machine()
    info["load_average_at_start"] = info.pop("load_average")
    for name in ("moto", "werkzeug", "flask", "botocore", "shapesmith"):
        info[f"{name}_version"] = _version(name)
    return info


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def notes(results: Results) -> list[str]:
    found = [
        f"{results.machine.get('usable_cpus', results.machine['cpu_count'])} CPUs: each server "
        "runs in its own process and the load in others, so server and clients share them; "
        "the busier machine hurts both servers alike (they are measured in alternation).",
        "clients: "
        + "; ".join(
            f"c={c}: {n} process(es) x {c // n} thread(s), one keep-alive "
            "http.client connection each"
            for c, n in CLIENT_PROCESSES.items()
        )
        + ".",
        "moto runs werkzeug's threaded server (as `python -m moto.server` does) with its "
        "per-request log line turned off; werkzeug answers every request with `Connection: "
        "close`, so each moto request pays for a new connection (connections_opened).",
    ]
    if results.generation.official_problems:
        found.append(
            "the official model as is was refused by the generator, so the compared operations "
            "were generated from a copy holding only the service shape and their closure: "
            + " / ".join(results.generation.official_problems)
        )
    return found


def to_json(results: Results) -> dict[str, Any]:
    generation = results.generation
    return {
        "format_version": FORMAT_VERSION,
        "suite": "stub",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": results.quick,
        "settings": {
            "duration_s": results.settings.duration,
            "warmup_s": results.settings.warmup,
            "concurrencies": list(CONCURRENCIES),
            "client_processes": {str(c): n for c, n in CLIENT_PROCESSES.items()},
            "nagle_calls": NAGLE_CALLS,
        },
        "machine": results.machine,
        "generation": {
            "operations": [compared.name for compared in COMPARED],
            "about": {compared.name: compared.about for compared in COMPARED},
            "model": generation.model,
            "official_model_problems": generation.official_problems,
            "problems": generation.problems,
        },
        "rows": [row.to_json() for row in results.rows],
        "ratios": results.ratios(),
        "target": f"{OURS} >= {TARGET_RATIO:g}x {MOTO} requests/s at c=1 and c=8",
        "parity": results.parity,
        "moto_liveness": results.moto_liveness,
        "nagle": results.nagle,
        "notes": results.notes,
    }


def print_results(results: Results) -> None:
    machine, settings = results.machine, results.settings
    print(
        f"\nstub server benchmark: python {machine['python']}, {machine['cpu_count']} CPUs, "
        f"moto {machine['moto_version']} (werkzeug {machine['werkzeug_version']}); "
        f"{settings.duration:g} s per row after {settings.warmup:g} s of warm-up"
    )
    header = f"{'operation':<30} {'server':<16} {'c':>2} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    header += f" {'errors':>6} {'conns':>6} {'client cpu':>10} {'server cpu':>10}"
    print(f"\n{header}\n{'-' * len(header)}")
    for row in results.rows:
        result, cpu = row.result, row.server_cpu
        server_cpu = "-" if cpu is None else f"{100 * cpu:.0f}%"
        print(
            f"{row.operation:<30} {row.server:<16} {result.concurrency:>2} "
            f"{result.per_second:>8.0f} {result.percentile_ms(0.5):>8.2f} "
            f"{result.percentile_ms(0.99):>8.2f} {result.errors:>6} {result.connections:>6} "
            f"{100 * result.client_cpu / result.duration:>9.0f}% {server_cpu:>10}"
        )
    if results.moto_liveness:
        moto = results.moto_liveness
        answer = f"not implemented: HTTP {moto['status']} ({moto['content_type']})"
        print(f"{moto['operation']:<30} {MOTO:<16} {'-':>2} {answer}")
    _print_targets(results)
    _print_checks(results)
    for note in results.notes:
        print(f"note: {note}")


def _print_targets(results: Results) -> None:
    print(f"\ntarget: {OURS} >= {TARGET_RATIO:g}x {MOTO} requests/s")
    for ratio in results.ratios():
        print(
            f"  {ratio['operation']:<20} c={ratio['concurrency']}: {ratio['ratio']:.1f}x "
            f"({ratio['ours_requests_per_s']:.0f} vs {ratio['moto_requests_per_s']:.0f})  "
            f"{ratio['result']}"
        )
    if not results.ratios():
        print(f"  not evaluated: {' / '.join(results.generation.problems)}")


def _print_checks(results: Results) -> None:
    print()
    for name, parity in results.parity.items():
        same = "same data as moto" if parity["same_data_as_moto"] else "DIFFERENT data from moto"
        print(f"parity {name}: {same} ({parity['ours_bytes']} vs {parity['moto_bytes']} bytes)")
    if results.moto_liveness:
        moto = results.moto_liveness
        print(
            f"moto {moto['operation']}: HTTP {moto['status']}; its log says: "
            f"{moto['reason_in_moto_log'] or '(nothing)'}"
        )
    nagle = results.nagle
    verdict = "a delayed-ACK stall" if nagle["stall"] else "no delayed-ACK stall"
    print(
        f"{nagle['calls']} sequential keep-alive calls to {OURS}: {nagle['total_s']:.3f} s "
        f"({nagle['per_call_ms']:.2f} ms a call, max {nagle['max_ms']:.2f} ms): {verdict}"
    )


def write_json(results: Results, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(to_json(results), indent=2) + "\n", encoding="utf-8")


def main(*, quick: bool, output: Path, official_model: Path = OFFICIAL_MODEL) -> None:
    """Measure, print the table, write the JSON. A missed target does not fail the run."""
    scratch = Path(tempfile.mkdtemp(prefix="shapesmith-stub-bench-"))
    try:
        results = measure_all(quick, official_model, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print_results(results)
    write_json(results, output)
    print(f"\nresults written to {output}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.stub_bench",
        description="Benchmark the generated stub server against moto's server mode.",
    )
    parser.add_argument("--quick", action="store_true", help="1.5 s per measurement, not 5 s")
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where to write the JSON results (default: {DEFAULT_OUTPUT.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--official-model",
        type=Path,
        default=OFFICIAL_MODEL,
        help="the official Rekognition model, read at run time (default: %(default)s)",
    )
    return parser


def command_line(argv: Sequence[str] | None = None) -> int:
    """The suite on its own, with the one option the registry does not have: --official-model."""
    args = _parser().parse_args(argv)
    main(quick=args.quick, output=args.output, official_model=args.official_model)
    return 0


if __name__ == "__main__":
    raise SystemExit(command_line())
