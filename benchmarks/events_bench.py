"""The `events` suite: event streams through the generated client and the generated stub, on
127.0.0.1.

* Output stream: Bedrock Runtime's `ConverseStream` (restJson1, AWS's model from
  `../shared/reference`, generated at run time), whose stub answers every call with the same
  events. Our generated client and boto3 (botocore's event-stream parser) read the same answers
  from the same stub process, in interleaved rounds.
* Input stream and full duplex: the fixture model's `Publish` (the client sends N events, the
  stub reads them all and answers how many) and `Chat` (the stub answers each event as it reads
  it: the client sending freely, and in lockstep, each event sent only once the answer to the one
  before has been read). Every message is SigV4-signed by the client and its chained signature
  checked by the stub. Our client only: no peer can send input streams (botocore reads event
  streams but has no writer for them), so these rows have nothing to be compared with.

Each stub runs in a process of its own, so the client's CPU time (this process's, the client
alone: it makes its calls from this thread, and a duplex call's sending thread is ours too) and
the stub's (its process's) are told apart. Per row and contender: events per second of wall time
(the median round), client and stub CPU per event (median rounds); the ratio against boto3 is the
median of the ratios of rounds run back to back (as the client suite does: they hold up best on a
shared machine). With one stub answering both clients, a stub slower than both would make the
wall-time ratio 1: the CPU per event of each client says which side bounds the row.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import machine
from benchmarks.event_servers import ACCESS_KEY, EVENTS_PACKAGE, REGION, SECRET_KEY
from benchmarks.stub_bench import ServerProcess, running

ROOT = Path(__file__).resolve().parent.parent
FORMAT_VERSION = 1
BEDROCK_MODEL = (
    ROOT.parent
    / "shared"
    / "reference"
    / "models"
    / "aws-corpus"
    / "restJson1"
    / "bedrock-runtime-2023-09-30.json"
)
BEDROCK_OPERATION = "com.amazonaws.bedrockruntime#ConverseStream"
EVENTS_MODEL = ROOT / "tests" / "fixtures" / "models" / "event_input.json"
EVENTS_SERVICE = "example.events#Events"
EVENTS_SDK_ID = "Event Stream Bench"
GENERATE_TIMEOUT = 600.0
REPLY_TIMEOUT = 30.0
OURS = "shapesmith"
BOTO3 = "boto3"
OUTPUT_ROW = "output stream (ConverseStream)"
INPUT_ROW = "input stream (Publish)"
DUPLEX_ROW = "duplex, free (Chat)"
LOCKSTEP_ROW = "duplex, lockstep (Chat)"
NO_PEER = (
    "input and duplex rows: no peer can send input streams (botocore reads event streams but "
    "has no writer for them), so they are ours alone"
)


@dataclass(frozen=True)
class Settings:
    output_events: int
    """Events in each ConverseStream answer."""
    input_events: int
    """Events each Publish and free Chat call sends."""
    lockstep_events: int
    """Events each lockstep Chat call sends."""
    rounds: int

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        if quick:
            return cls(output_events=2000, input_events=2000, lockstep_events=200, rounds=3)
        return cls(output_events=10000, input_events=5000, lockstep_events=1000, rounds=7)


@dataclass(frozen=True)
class Sample:
    wall: float
    client_cpu: float
    server_cpu: float | None


@dataclass
class Row:
    name: str
    contender: str
    events: int
    """Events each call sends or reads."""
    samples: list[Sample] = field(default_factory=list)

    @property
    def events_per_second(self) -> float:
        return statistics.median(self.events / sample.wall for sample in self.samples)

    @property
    def client_us_per_event(self) -> float:
        return statistics.median(1e6 * s.client_cpu / self.events for s in self.samples)

    @property
    def server_us_per_event(self) -> float | None:
        found = [s.server_cpu for s in self.samples if s.server_cpu is not None]
        if not found:
            return None
        return statistics.median(1e6 * cpu / self.events for cpu in found)

    def to_json(self) -> dict[str, Any]:
        server = self.server_us_per_event
        return {
            "row": self.name,
            "contender": self.contender,
            "events_per_call": self.events,
            "rounds": len(self.samples),
            "events_per_second": round(self.events_per_second),
            "client_cpu_us_per_event": round(self.client_us_per_event, 2),
            "stub_cpu_us_per_event": None if server is None else round(server, 2),
            "wall_seconds": [round(sample.wall, 4) for sample in self.samples],
        }


@dataclass
class Results:
    quick: bool
    settings: Settings
    rows: list[Row] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    """Rows or contenders that did not run, and why."""
    notes: list[str] = field(default_factory=list)
    machine: dict[str, Any] = field(default_factory=dict)

    def row(self, name: str, contender: str) -> Row | None:
        return next((r for r in self.rows if (r.name, r.contender) == (name, contender)), None)

    def ratios(self) -> dict[str, float | None]:
        """Ours over boto3 on the output stream: events/s (the median of the rounds' ratios)
        and client CPU per event (boto3's over ours: how many times less CPU ours takes)."""
        ours, theirs = self.row(OUTPUT_ROW, OURS), self.row(OUTPUT_ROW, BOTO3)
        if ours is None or theirs is None:
            return {"events_per_second": None, "client_cpu_per_event": None}
        by_round = [
            their.wall / mine.wall for mine, their in zip(ours.samples, theirs.samples, strict=True)
        ]
        return {
            "events_per_second": round(statistics.median(by_round), 2),
            "client_cpu_per_event": round(theirs.client_us_per_event / ours.client_us_per_event, 2),
        }


# -- generation --------------------------------------------------------------------------------


def generate(work: Path, models: Sequence[Path], operations: Sequence[str] = ()) -> str | None:
    """Generate `models` (only `operations`, if given) into work/out with this checkout's
    generator, in a process of its own; None, or why it failed."""
    work.mkdir(parents=True)
    config = f'models = {json.dumps([str(m) for m in models])}\noutput = "out"\n'
    if operations:
        config += f"operations = {json.dumps(list(operations))}\n"
    (work / "shapesmith.toml").write_text(config, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "-q", "--config", "shapesmith.toml"],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=GENERATE_TIMEOUT,
        check=False,
    )
    if completed.returncode != 0:
        said = [line for line in completed.stderr.splitlines() if line.strip()][-3:]
        return f"shapesmith generate exited {completed.returncode}: {' / '.join(said)}"
    return None


@contextlib.contextmanager
def _imported(path: Path, name: str) -> Iterator[Any]:
    """The package `name` generated in `path`, imported for the duration and forgotten after
    (another run, or a test in the same process, may generate one of the same name)."""
    sys.path.insert(0, str(path))
    try:
        yield importlib.import_module(name)
    finally:
        for module in [m for m in sys.modules if m.partition(".")[0] == name]:
            del sys.modules[module]
        sys.path.remove(str(path))


# -- the calls -----------------------------------------------------------------------------------

Call = Callable[[], int]
"""One call: how many events it sent or read."""


def _credentials() -> dict[str, str]:
    return {
        "region_name": REGION,
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
    }


def converse_calls(package: Any, url: str, skipped: dict[str, str]) -> dict[str, Call]:
    """ConverseStream read whole by our client, and by boto3 where it is installed."""
    shapes = package.shapes
    client = package.BedrockRuntimeClient(endpoint_url=url, max_attempts=1, **_credentials())
    message = shapes.Message(role="user", content=[shapes.ContentBlock(text="hi")])

    def ours() -> int:
        answer = client.converse_stream(model_id="bench", messages=[message])
        with answer.stream as stream:
            return sum(1 for _ in stream)

    calls = {OURS: ours}
    if importlib.util.find_spec("boto3") is None:
        skipped[BOTO3] = "boto3 is not installed"
        return calls
    import boto3  # type: ignore[import-untyped]
    from botocore.config import Config  # type: ignore[import-untyped]

    theirs = boto3.session.Session().client(
        "bedrock-runtime",
        endpoint_url=url,
        config=Config(retries={"total_max_attempts": 1}),
        **_credentials(),
    )

    def boto() -> int:
        answer = theirs.converse_stream(
            modelId="bench", messages=[{"role": "user", "content": [{"text": "hi"}]}]
        )
        return sum(1 for _ in answer["stream"])

    calls[BOTO3] = boto
    return calls


def input_calls(package: Any, url: str, settings: Settings) -> dict[str, Call]:
    """Publish, free Chat and lockstep Chat, by our client."""
    shapes = package.shapes
    client = package.EventStreamBenchClient(endpoint_url=url, max_attempts=1, **_credentials())
    words = [shapes.PublishEvents(text=shapes.TextEvent(text=f"w{i % 10}")) for i in range(10)]

    def events(count: int) -> Iterator[Any]:
        return (words[index % 10] for index in range(count))

    def publish() -> int:
        read: int = client.publish(channel="bench", events=events(settings.input_events)).read
        return read

    def chat() -> int:
        answer = client.chat(channel="bench", events=events(settings.input_events))
        with answer.replies as replies:
            return sum(1 for _ in replies)

    def lockstep() -> int:
        answered = threading.Semaphore(0)

        def sent() -> Iterator[Any]:
            for index, event in enumerate(events(settings.lockstep_events)):
                if index and not answered.acquire(timeout=REPLY_TIMEOUT):
                    raise RuntimeError(f"no answer to event {index} in {REPLY_TIMEOUT:g} s")
                yield event

        count = 0
        answer = client.chat(channel="bench", events=sent())
        with answer.replies as replies:
            for _ in replies:
                count += 1
                answered.release()
        return count

    return {INPUT_ROW: publish, DUPLEX_ROW: chat, LOCKSTEP_ROW: lockstep}


# -- measuring -----------------------------------------------------------------------------------


def sample(call: Call, expected: int, server: ServerProcess) -> Sample:
    """One call, timed; it must send or read exactly `expected` events."""
    stub_before = server.cpu_seconds()
    cpu_before = time.process_time()
    start = time.perf_counter()
    count = call()
    wall = time.perf_counter() - start
    client_cpu = time.process_time() - cpu_before
    stub_after = server.cpu_seconds()
    if count != expected:
        raise RuntimeError(f"a call gave {count} events, not {expected}")
    stub_cpu = None if stub_before is None or stub_after is None else stub_after - stub_before
    return Sample(wall, client_cpu, stub_cpu)


def measure(rows: Sequence[tuple[Row, Call]], server: ServerProcess, rounds: int) -> None:
    """Each row's call once to warm up, then `rounds` interleaved rounds (each round starts
    with the next row, so no row always follows the same one)."""
    for row, call in rows:
        sample(call, row.events, server)
    for turn in range(rounds):
        for index in range(len(rows)):
            row, call = rows[(turn + index) % len(rows)]
            row.samples.append(sample(call, row.events, server))


def run(*, quick: bool, settings: Settings | None = None) -> Results:
    settings = settings or Settings.for_mode(quick)
    results = Results(quick=quick, settings=settings, machine=machine.machine())
    results.notes.append(NO_PEER)
    with tempfile.TemporaryDirectory(prefix="shapesmith-events-bench-") as scratch:
        work = Path(scratch)
        _output_rows(results, work)
        _input_rows(results, work)
    return results


def _output_rows(results: Results, work: Path) -> None:
    settings = results.settings
    if not BEDROCK_MODEL.is_file():
        results.skipped[OUTPUT_ROW] = f"{BEDROCK_MODEL} not found (../shared/reference)"
        return
    machine.progress(f"generating ConverseStream from {BEDROCK_MODEL.name}")
    problem = generate(work / "bedrock", [BEDROCK_MODEL], [BEDROCK_OPERATION])
    if problem is not None:
        results.skipped[OUTPUT_ROW] = problem
        return
    out = work / "bedrock" / "out"
    args = ["converse", "--path", str(out), "--events", str(settings.output_events)]
    with (
        running(args, work / "converse.log", module="benchmarks.event_servers") as server,
        _imported(out, "bedrock_runtime") as package,
    ):
        calls = converse_calls(package, server.url, results.skipped)
        rows = [
            (Row(OUTPUT_ROW, name, settings.output_events), call) for name, call in calls.items()
        ]
        machine.progress(
            f"{OUTPUT_ROW}: {settings.rounds} rounds of {settings.output_events} events"
        )
        measure(rows, server, settings.rounds)
    results.rows += [row for row, _ in rows]


def _input_rows(results: Results, work: Path) -> None:
    settings = results.settings
    machine.progress(f"generating {EVENTS_MODEL.name}")
    # Under a name of its own: the tests generate this model as `event_input`.
    model = json.loads(EVENTS_MODEL.read_text("utf-8"))
    model["shapes"][EVENTS_SERVICE]["traits"]["aws.api#service"]["sdkId"] = EVENTS_SDK_ID
    (work / "events-model.json").write_text(json.dumps(model), encoding="utf-8")
    problem = generate(work / "events", [work / "events-model.json"])
    if problem is not None:
        for name in (INPUT_ROW, DUPLEX_ROW, LOCKSTEP_ROW):
            results.skipped[name] = problem
        return
    out = work / "events" / "out"
    with (
        running(
            ["events", "--path", str(out)], work / "events.log", module="benchmarks.event_servers"
        ) as server,
        _imported(out, EVENTS_PACKAGE) as package,
    ):
        calls = input_calls(package, server.url, settings)
        counts = {
            INPUT_ROW: settings.input_events,
            DUPLEX_ROW: settings.input_events,
            LOCKSTEP_ROW: settings.lockstep_events,
        }
        rows = [(Row(name, OURS, counts[name]), call) for name, call in calls.items()]
        machine.progress(f"input and duplex streams: {settings.rounds} rounds")
        measure(rows, server, settings.rounds)
    results.rows += [row for row, _ in rows]


# -- report --------------------------------------------------------------------------------------


def to_json(results: Results) -> dict[str, Any]:
    settings = results.settings
    return {
        "format_version": FORMAT_VERSION,
        "suite": "events",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": results.quick,
        "settings": {
            "output_events": settings.output_events,
            "input_events": settings.input_events,
            "lockstep_events": settings.lockstep_events,
            "rounds": settings.rounds,
        },
        "machine": results.machine,
        "rows": [row.to_json() for row in results.rows],
        "ratios_vs_boto3": results.ratios(),
        "skipped": results.skipped,
        "notes": results.notes,
    }


def print_results(results: Results) -> None:
    info = results.machine
    print(
        f"\nevent streams benchmark: python {info['python']}, {info['cpu_count']} CPUs, "
        f"load {info['load_average']}; {results.settings.rounds} rounds"
    )
    header = (
        f"{'row':<31} {'contender':<11} {'events':>7} {'events/s':>9} "
        f"{'client us/ev':>12} {'stub us/ev':>10}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for row in results.rows:
        server = row.server_us_per_event
        print(
            f"{row.name:<31} {row.contender:<11} {row.events:>7} {row.events_per_second:>9.0f} "
            f"{row.client_us_per_event:>12.1f} {'-' if server is None else f'{server:.1f}':>10}"
        )
    ratios = results.ratios()
    if ratios["events_per_second"] is not None:
        print(
            f"\n{OUTPUT_ROW}: {OURS} / {BOTO3} = {ratios['events_per_second']:.2f}x events/s; "
            f"{BOTO3} takes {ratios['client_cpu_per_event']:.2f}x the client CPU per event"
        )
    for name, reason in results.skipped.items():
        print(f"skipped {name}: {reason}")
    for note in results.notes:
        print(f"note: {note}")


def write_json(results: Results, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(to_json(results), indent=2) + "\n", encoding="utf-8")


def main(*, quick: bool, output: Path) -> None:
    results = run(quick=quick)
    print_results(results)
    write_json(results, output)
    print(f"\nresults written to {output}")
