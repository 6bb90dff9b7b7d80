"""A closed-loop HTTP load generator: client threads that each send one pre-signed request over
their own keep-alive `http.client.HTTPConnection`, again and again, for a fixed time.

Run as `python -m benchmarks.load` (a JSON plan on stdin, JSON results on stdout) so that the load
runs in processes of its own, apart from the servers it measures; `measure` starts those processes
and merges what they report. A server that answers `Connection: close` costs a new connection per
request, and that cost is part of its latency (it is what every client of that server pays).
"""

from __future__ import annotations

import base64
import http.client
import json
import math
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
_CONNECT_TIMEOUT = 10.0
_START_MARGIN = 0.2
"""Seconds between sending the plan to the ready client processes and their common start."""


@dataclass(frozen=True)
class Request:
    """One raw request, identical on every send (signed once, never re-signed)."""

    host: str
    port: int
    body: bytes
    headers: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "body": base64.b64encode(self.body).decode("ascii"),
            "headers": self.headers,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Request:
        return cls(data["host"], data["port"], base64.b64decode(data["body"]), data["headers"])


@dataclass
class _Tally:
    """What one client thread saw while measuring."""

    latencies_ns: list[int] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0
    """Requests that got no HTTP answer at all (a reset, a timeout)."""
    connections: int = 0
    """Connections opened while measuring."""


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    processes: int
    duration: float
    requests: int
    statuses: dict[int, int]
    failures: int
    connections: int
    latencies_ns: list[int]
    """Sorted."""
    client_cpu: float
    """CPU seconds the client processes used while measuring (all their threads)."""
    start_skew: float
    """How late the last client process began (seconds); the windows overlap less by that much."""

    @property
    def per_second(self) -> float:
        return self.requests / self.duration

    @property
    def errors(self) -> int:
        """Answers other than 200, and requests that got no answer."""
        return self.failures + sum(n for status, n in self.statuses.items() if status != 200)

    def percentile_ms(self, fraction: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies_ns:
            return math.nan
        rank = max(1, math.ceil(fraction * len(self.latencies_ns)))
        return self.latencies_ns[rank - 1] / 1e6

    def summary(self) -> dict[str, Any]:
        return {
            "concurrency": self.concurrency,
            "client_processes": self.processes,
            "duration_s": self.duration,
            "requests": self.requests,
            "requests_per_s": round(self.per_second, 1),
            "p50_ms": round(self.percentile_ms(0.50), 3),
            "p99_ms": round(self.percentile_ms(0.99), 3),
            "max_ms": round(self.percentile_ms(1.0), 3),
            "errors": self.errors,
            "statuses": {str(status): n for status, n in sorted(self.statuses.items())},
            "failures": self.failures,
            "connections_opened": self.connections,
            "client_cpu_percent": round(100 * self.client_cpu / self.duration, 1),
            "start_skew_ms": round(self.start_skew * 1e3, 2),
        }


def _client(request: Request, measure_from: float, stop_at: float, tally: _Tally) -> None:
    """Send until `stop_at` (perf_counter seconds); record what starts at or after `measure_from`."""
    connection: http.client.HTTPConnection | None = None
    measure_from_ns, stop_at_ns = int(measure_from * 1e9), int(stop_at * 1e9)
    started = time.perf_counter_ns()
    while started < stop_at_ns:
        if connection is None:
            connection = http.client.HTTPConnection(
                request.host, request.port, timeout=_CONNECT_TIMEOUT
            )
            tally.connections += started >= measure_from_ns
        measuring = started >= measure_from_ns
        try:
            connection.request("POST", "/", request.body, request.headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = None
            tally.failures += measuring
            started = time.perf_counter_ns()
            continue
        finished = time.perf_counter_ns()
        if response.will_close:
            connection.close()
            connection = None
        if measuring:
            tally.latencies_ns.append(finished - started)
            tally.statuses[response.status] += 1
        started = finished
    if connection is not None:
        connection.close()


def run_clients(
    request: Request, threads: int, start_at: float, warmup: float, duration: float
) -> dict[str, Any]:
    """This process's share of the load: `threads` clients, from wall-clock `start_at`, warming
    up for `warmup` seconds and then measuring for `duration`."""
    late = time.time() - start_at
    begin = time.perf_counter() - late
    measure_from, stop_at = begin + warmup, begin + warmup + duration
    tallies = [_Tally() for _ in range(threads)]
    workers = [
        threading.Thread(target=_client, args=(request, measure_from, stop_at, tally), daemon=True)
        for tally in tallies
    ]
    time.sleep(max(0.0, begin - time.perf_counter()))
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu_at_start = time.process_time()
    time.sleep(max(0.0, stop_at - time.perf_counter()))
    cpu = time.process_time() - cpu_at_start
    for worker in workers:
        worker.join()
    statuses: Counter[int] = Counter()
    for tally in tallies:
        statuses.update(tally.statuses)
    return {
        "latencies_ns": [ns for tally in tallies for ns in tally.latencies_ns],
        "statuses": {str(status): n for status, n in statuses.items()},
        "failures": sum(tally.failures for tally in tallies),
        "connections": sum(tally.connections for tally in tallies),
        "client_cpu": cpu,
        "late_s": max(0.0, late),
    }


def measure(
    request: Request, *, concurrency: int, processes: int, warmup: float, duration: float
) -> LoadResult:
    """`concurrency` clients spread over `processes` client processes, all started together."""
    if concurrency % processes:
        raise ValueError(f"{concurrency} clients do not split evenly over {processes} processes")
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.load"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for child in children:
            if _stdout(child).readline().strip() != "ready":
                raise RuntimeError("a load client process did not start")
        # Interpreter start-up takes longer than the margin on a busy machine, so the common
        # start is only set once every process is up.
        plan = {
            "request": request.to_json(),
            "threads": concurrency // processes,
            "start_at": time.time() + _START_MARGIN,
            "warmup": warmup,
            "duration": duration,
        }
        for child in children:
            _stdin(child).write(json.dumps(plan))
            _stdin(child).close()
        reports = [_report(child, warmup + duration) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    return _merge(reports, concurrency, processes, duration)


def _stdin(child: subprocess.Popen[str]) -> IO[str]:
    assert child.stdin is not None
    return child.stdin


def _stdout(child: subprocess.Popen[str]) -> IO[str]:
    assert child.stdout is not None
    return child.stdout


def _report(child: subprocess.Popen[str], seconds: float) -> dict[str, Any]:
    out = _stdout(child).read()
    if child.wait(timeout=seconds + _START_MARGIN + 60) != 0:
        raise RuntimeError(f"a load client process failed (exit {child.returncode})")
    report: dict[str, Any] = json.loads(out)
    return report


def _merge(
    reports: list[dict[str, Any]], concurrency: int, processes: int, duration: float
) -> LoadResult:
    statuses: Counter[int] = Counter()
    for report in reports:
        statuses.update({int(status): n for status, n in report["statuses"].items()})
    latencies = sorted(ns for report in reports for ns in report["latencies_ns"])
    return LoadResult(
        concurrency=concurrency,
        processes=processes,
        duration=duration,
        requests=len(latencies),
        statuses=dict(statuses),
        failures=sum(report["failures"] for report in reports),
        connections=sum(report["connections"] for report in reports),
        latencies_ns=latencies,
        client_cpu=sum(report["client_cpu"] for report in reports),
        start_skew=max(report["late_s"] for report in reports),
    )


def _main() -> int:
    print("ready", flush=True)
    plan = json.load(sys.stdin)
    result = run_clients(
        Request.from_json(plan["request"]),
        plan["threads"],
        plan["start_at"],
        plan["warmup"],
        plan["duration"],
    )
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
