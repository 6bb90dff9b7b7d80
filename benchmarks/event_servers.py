"""The generated stubs of the events benchmark, each in a process of its own:
`python -m benchmarks.event_servers KIND --path DIR [--events N]`.

- `converse`: Bedrock Runtime's stub (`--path` holds the generated `bedrock_runtime`), whose
  `ConverseStream` answers every call with the same `--events` events: a message start, text
  deltas of one word each, a message stop. The stub checks each event against the model before
  it frames it, as it does for any handler.
- `events`: the fixture model's stub, generated as `event_stream_bench` (`--path` holds it), with
  SigV4 verification on (every message's chained signature checked as it arrives): `Publish`
  reads every event and answers how many, `Chat` answers each event as it reads it.

Prints `listening on URL`, then serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.stub_servers import wait_for_signal

ACCESS_KEY = "AKIDEVENTSBENCH"
SECRET_KEY = "events-bench-secret"
REGION = "us-east-1"
EVENTS_PACKAGE = "event_stream_bench"
"""The fixture model's package, as the events suite generates it."""


class Converse:
    """Answers ConverseStream with the same events every time."""

    def __init__(self, shapes: Any, count: int) -> None:
        union = shapes.ConverseStreamOutput
        middle = [
            union(
                content_block_delta=shapes.ContentBlockDeltaEvent(
                    delta=shapes.ContentBlockDelta(text=f"word{index % 10} "),
                    content_block_index=0,
                )
            )
            for index in range(max(0, count - 2))
        ]
        self.events = [
            union(message_start=shapes.MessageStartEvent(role="assistant")),
            *middle,
            union(message_stop=shapes.MessageStopEvent(stop_reason="end_turn")),
        ][:count]
        self.response = shapes.ConverseStreamResponse

    def converse_stream(self, request: Any) -> Any:
        return self.response(stream=self.events)


class Events:
    """Publish counts the events it reads; Chat answers each one as it reads it."""

    def __init__(self, shapes: Any) -> None:
        self.shapes = shapes

    def publish(self, request: Any) -> Any:
        return self.shapes.PublishOutput(read=sum(1 for _ in request.events))

    def chat(self, request: Any) -> Any:
        shapes = self.shapes

        def replies() -> Iterator[Any]:
            for number, event in enumerate(request.events, 1):
                text = event.text.text if event.text is not None else None
                yield shapes.Replies(echo=shapes.EchoEvent(number=number, kind="text", text=text))

        return shapes.ChatOutput(replies=replies())


def _server(kind: str, path: Path, events: int) -> Any:
    sys.path.insert(0, str(path))
    if kind == "converse":
        package = importlib.import_module("bedrock_runtime")
        stub = importlib.import_module("bedrock_runtime.stub")
        return stub.serve(Converse(package.shapes, events))
    package = importlib.import_module(EVENTS_PACKAGE)
    stub = importlib.import_module(f"{EVENTS_PACKAGE}.stub")
    return stub.serve(Events(package.shapes), credentials=(ACCESS_KEY, SECRET_KEY))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.event_servers")
    parser.add_argument("kind", choices=["converse", "events"])
    parser.add_argument("--path", type=Path, required=True, help="the directory of the package")
    parser.add_argument("--events", type=int, default=1000, help="converse: events per answer")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    server = _server(args.kind, args.path, args.events)
    server.start()
    print(f"listening on {server.url}", flush=True)
    try:
        wait_for_signal()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
