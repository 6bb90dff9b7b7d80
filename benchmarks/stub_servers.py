"""The servers of the stub benchmark, each in a process of its own:
`python -m benchmarks.stub_servers KIND [--path DIR] [--answers FILE] [--profile FILE]`.

- `liveness`: the committed stub (`--path generated`) with its in-memory fake holding one session;
- `selected`: a benchmark-only generation (`--path` its output directory), whose handler gives
  the same answer every time (`--answers`: a JSON object, operation name -> wire-form output);
- `moto`: moto's server mode, with werkzeug's per-request log line turned off.

Both generated packages are called `rekognition`, hence one process each. Prints
`listening on URL`, serves until SIGTERM or SIGINT, then writes `--profile` (cProfile of every
connection thread, merged) if asked.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import logging
import pstats
import signal
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

LIVENESS_SESSION = "3f1c6a52-0b8e-4c1e-9a57-6f1b2c3d4e5f"
LIVENESS_RECORD: dict[str, Any] = {
    "SessionId": LIVENESS_SESSION,
    "Status": "SUCCEEDED",
    "Confidence": 97.25,
    "ReferenceImage": {
        "S3Object": {"Bucket": "bench-bucket", "Name": "reference.jpg"},
        "BoundingBox": {"Width": 0.5, "Height": 0.6, "Left": 0.25, "Top": 0.2},
    },
}


class FixedAnswers:
    """A handler that answers each operation with one output, built once from wire-form JSON."""

    def __init__(self, service: Any, answers: dict[str, Any]) -> None:
        for name, data in answers.items():
            operation = service.operations[name]
            output = operation.output_from_dict(operation.read_output(data))
            setattr(self, operation.method_name, _constant(output))


def _constant(output: object) -> Callable[[object], object]:
    return lambda request: output


class _ThreadProfiles:
    """cProfile on every connection thread (cProfile only sees the thread that enables it)."""

    def __init__(self) -> None:
        self.started = 0
        self.finished: list[cProfile.Profile] = []
        original = socketserver.ThreadingMixIn.process_request_thread

        def profiled(server: Any, request: Any, client_address: Any) -> None:
            self.started += 1
            profile = cProfile.Profile()
            profile.enable()
            try:
                original(server, request, client_address)
            finally:
                profile.disable()
                self.finished.append(profile)

        setattr(socketserver.ThreadingMixIn, "process_request_thread", profiled)  # noqa: B010

    def dump(self, path: Path) -> None:
        deadline = time.monotonic() + 5.0
        while len(self.finished) < self.started and time.monotonic() < deadline:
            time.sleep(0.05)
        if not self.finished:
            return
        stats = pstats.Stats(self.finished[0])
        for profile in self.finished[1:]:
            stats.add(profile)
        stats.dump_stats(str(path))


def _stub(kind: str, path: Path, answers: Path | None) -> Any:
    sys.path.insert(0, str(path))
    stub = importlib.import_module("rekognition.stub")
    if kind == "selected":
        if answers is None:
            raise SystemExit("selected needs --answers")
        handler = FixedAnswers(stub.SERVICE, json.loads(answers.read_text("utf-8")))
        return stub.serve(handler)
    fake = stub.InMemoryRekognition()
    fake.put("FaceLivenessSession", LIVENESS_SESSION, LIVENESS_RECORD)
    return stub.serve(fake)


def wait_for_signal() -> None:
    """Return once the process gets SIGTERM or SIGINT."""
    stopping = threading.Event()

    def on_signal(number: int, frame: FrameType | None) -> None:
        stopping.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, on_signal)
    while not stopping.wait(0.5):
        pass


def _serve_moto() -> None:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer("127.0.0.1", 0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"listening on http://{host}:{port}", flush=True)
    try:
        wait_for_signal()
    finally:
        server.stop()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stub_servers")
    parser.add_argument("kind", choices=["liveness", "selected", "moto"])
    parser.add_argument("--path", type=Path, help="the directory that holds the package")
    parser.add_argument("--answers", type=Path, help="selected: operation name -> output (JSON)")
    parser.add_argument("--profile", type=Path, help="write merged cProfile stats here on exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.kind == "moto":
        _serve_moto()
        return 0
    if args.path is None:
        raise SystemExit(f"{args.kind} needs --path")
    profiles = _ThreadProfiles() if args.profile else None
    server = _stub(args.kind, args.path, args.answers)
    server.start()
    print(f"listening on {server.url}", flush=True)
    try:
        wait_for_signal()
    finally:
        server.stop()
    if profiles is not None:
        profiles.dump(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
