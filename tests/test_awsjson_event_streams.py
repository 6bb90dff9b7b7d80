"""The AWS JSON stub sends event streams: real boto3 calls Kinesis's SubscribeToShard
(awsJson1_1) on the generated stub and reads its `initial-response` and then, event by event,
exactly the records the handler answered; a modelled error the handler's stream raises reaches
boto3 as botocore's `EventStreamError` with its code. The generated client reads the same stream.

The model is botocore's own (`botocore/data/kinesis`), read at run time and converted by
`tests/botocore_to_smithy.py`; only SubscribeToShard and the shapes it reaches are generated.
"""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from botocore.loaders import Loader  # type: ignore[import-untyped]

from generator.cli import main
from templates import _eventstream
from tests.botocore_to_smithy import service_model
from tests.conftest import REPO
from tests.scripted_server import ScriptedServer, scripted_server, send

OPERATION = "SubscribeToShard"
CONSUMER = "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1"
WHEN = datetime.datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=datetime.UTC)


def kinesis_model() -> dict[str, Any]:
    """SubscribeToShard and every shape it reaches, from botocore's kinesis model."""
    botocore_model = Loader().load_service_model("kinesis", "service-2")
    operation = botocore_model["operations"][OPERATION]
    shapes = botocore_model["shapes"]
    reached: set[str] = set()
    pending = [operation["input"]["shape"], operation["output"]["shape"]]
    pending += [error["shape"] for error in operation["errors"]]
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        shape = shapes[name]
        pending += [member["shape"] for member in shape.get("members", {}).values()]
        pending += [shape[key]["shape"] for key in ("member", "key", "value") if key in shape]
    return service_model(
        namespace="com.amazonaws.kinesis",
        sdk_id="Kinesis",
        metadata=botocore_model["metadata"],
        shapes={name: shapes[name] for name in sorted(reached)},
        operations=[operation],
    )


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root: Path = tmp_path_factory.mktemp("kinesis")
    (root / "kinesis.json").write_text(json.dumps(kinesis_model()))
    (root / "shapesmith.toml").write_text('models = ["kinesis.json"]\noutput = "out"\n')
    # --strict: the event stream is supported, so nothing about it is left out with a warning.
    assert main(["generate", "-q", "--strict", "--config", str(root / "shapesmith.toml")]) == 0
    return root / "out"


@pytest.fixture(scope="module")
def kinesis(package_dir: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(package_dir))
    try:
        yield importlib.import_module("kinesis")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "kinesis"]:
            del sys.modules[name]
        sys.path.remove(str(package_dir))


def _events(shapes: ModuleType) -> list[Any]:
    union = shapes.SubscribeToShardEventStream
    first = shapes.SubscribeToShardEvent(
        records=[
            shapes.Record(
                sequence_number="1",
                data=b"\x00hello",
                partition_key="key-1",
                approximate_arrival_timestamp=WHEN,
                encryption_type="NONE",
            ),
            shapes.Record(sequence_number="2", data=b"", partition_key="wörld"),
        ],
        continuation_sequence_number="2",
        millis_behind_latest=1500,
    )
    second = shapes.SubscribeToShardEvent(
        records=[],
        continuation_sequence_number="3",
        millis_behind_latest=0,
        child_shards=[
            shapes.ChildShard(
                shard_id="shardId-000000000002",
                parent_shards=["shardId-000000000001"],
                hash_key_range=shapes.HashKeyRange(starting_hash_key="0", ending_hash_key="9"),
            )
        ],
    )
    return [union(subscribe_to_shard_event=first), union(subscribe_to_shard_event=second)]


BOTOCORE_EVENTS = [
    {
        "SubscribeToShardEvent": {
            "Records": [
                {
                    "SequenceNumber": "1",
                    "Data": b"\x00hello",
                    "PartitionKey": "key-1",
                    "ApproximateArrivalTimestamp": WHEN,
                    "EncryptionType": "NONE",
                },
                {"SequenceNumber": "2", "Data": b"", "PartitionKey": "wörld"},
            ],
            "ContinuationSequenceNumber": "2",
            "MillisBehindLatest": 1500,
        }
    },
    {
        "SubscribeToShardEvent": {
            "Records": [],
            "ContinuationSequenceNumber": "3",
            "MillisBehindLatest": 0,
            "ChildShards": [
                {
                    "ShardId": "shardId-000000000002",
                    "ParentShards": ["shardId-000000000001"],
                    "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": "9"},
                }
            ],
        }
    },
]


class Subscriptions:
    """Answers SubscribeToShard with two events; on shard `taken` the stream then ends with a
    modelled error event, on shard `gone` with an error the stream does not model."""

    def __init__(self, kinesis: ModuleType) -> None:
        self.shapes = kinesis.shapes
        self.errors = kinesis.errors

    def subscribe_to_shard(self, request: Any) -> Any:
        def events() -> Iterator[Any]:
            yield from _events(self.shapes)
            if request.shard_id == "taken":
                raise self.errors.ResourceInUseException(message="another consumer has it")

        return self.shapes.SubscribeToShardOutput(event_stream=events())


@pytest.fixture(scope="module")
def stub_url(kinesis: ModuleType) -> Iterator[str]:
    stub = importlib.import_module("kinesis.stub")
    with stub.StubServer(stub.create_app(Subscriptions(kinesis))) as server:
        yield server.url


def _boto3(url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "kinesis",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        config=Config(retries={"total_max_attempts": 1}),
    )


def _client(kinesis: ModuleType, url: str) -> Any:
    return kinesis.KinesisClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        max_attempts=1,
    )


def _subscribe_boto3(url: str, shard: str) -> Any:
    return _boto3(url).subscribe_to_shard(
        ConsumerARN=CONSUMER, ShardId=shard, StartingPosition={"Type": "LATEST"}
    )


def _utc(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """botocore's events with its local-zone timestamps in UTC, to compare with ours."""
    for event in events:
        for record in event["SubscribeToShardEvent"]["Records"]:
            if "ApproximateArrivalTimestamp" in record:
                stamp = record["ApproximateArrivalTimestamp"]
                record["ApproximateArrivalTimestamp"] = stamp.astimezone(datetime.UTC)
    return events


def test_boto3_reads_every_event_of_the_stubs_stream(stub_url: str) -> None:
    answer = _subscribe_boto3(stub_url, "shardId-000000000001")
    assert set(answer) == {"EventStream", "ResponseMetadata"}
    assert _utc(list(answer["EventStream"])) == BOTOCORE_EVENTS


def test_a_modelled_error_event_is_botocores_event_stream_error(stub_url: str) -> None:
    from botocore.exceptions import EventStreamError  # type: ignore[import-untyped]

    answer = _subscribe_boto3(stub_url, "taken")
    read: list[dict[str, Any]] = []
    with pytest.raises(EventStreamError) as caught:
        for event in answer["EventStream"]:
            read.append(event)
    assert _utc(read) == BOTOCORE_EVENTS
    assert caught.value.response["Error"] == {
        "Code": "ResourceInUseException",
        "Message": "another consumer has it",
    }


def test_the_generated_client_reads_the_same_events(kinesis: ModuleType, stub_url: str) -> None:
    shapes = kinesis.shapes
    with _client(kinesis, stub_url) as client:
        answer = client.subscribe_to_shard(
            consumer_arn=CONSUMER,
            shard_id="shardId-000000000001",
            starting_position=shapes.StartingPosition(type="LATEST"),
        )
        with answer.event_stream as stream:
            assert list(stream) == _events(shapes)
        assert answer.event_stream.closed


def test_the_generated_client_raises_the_modelled_error_event(
    kinesis: ModuleType, stub_url: str
) -> None:
    shapes = kinesis.shapes
    with _client(kinesis, stub_url) as client:
        answer = client.subscribe_to_shard(
            consumer_arn=CONSUMER,
            shard_id="taken",
            starting_position=shapes.StartingPosition(type="LATEST"),
        )
        read = []
        with pytest.raises(kinesis.errors.ResourceInUseException) as caught:
            for event in answer.event_stream:
                read.append(event)
    assert read == _events(shapes)
    assert caught.value.message == "another consumer has it"
    assert caught.value.error_code == "ResourceInUseException"
    assert answer.event_stream.closed


def _frames(*messages: _eventstream.EventStreamMessage) -> bytes:
    return b"".join(message.encode() for message in messages)


def _answer(body: bytes) -> bytes:
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def _subscribe_scripted(kinesis: ModuleType, server: ScriptedServer) -> Any:
    with _client(kinesis, server.url) as client:
        return client.subscribe_to_shard(
            consumer_arn=CONSUMER,
            shard_id="shardId-000000000001",
            starting_position=kinesis.shapes.StartingPosition(type="LATEST"),
        )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"", "without an initial-response event"),
        (
            _frames(_eventstream.EventStreamMessage.event("SubscribeToShardEvent", b"{}")),
            "whose first event is 'SubscribeToShardEvent', not 'initial-response'",
        ),
        (b"\x00\x00\x00\x10" + b"\x00" * 12, "is not a valid event stream: prelude CRC"),
        (
            _frames(_eventstream.EventStreamMessage.event("initial-response", b"[1]")),
            "is JSON list, not an object",
        ),
    ],
    ids=["empty", "no-initial-response", "bad-frame", "initial-response-not-an-object"],
)
def test_a_stream_that_does_not_start_with_initial_response_is_a_parse_error(
    kinesis: ModuleType, body: bytes, says: str
) -> None:
    with scripted_server() as server:
        server.script = send(_answer(body))
        with pytest.raises(kinesis._protocol.ResponseParseError) as caught:
            _subscribe_scripted(kinesis, server)
    assert says in str(caught.value)


def test_an_error_message_first_is_raised_as_its_error(kinesis: ModuleType) -> None:
    refused = _eventstream.EventStreamMessage.exception(
        "ResourceNotFoundException", b'{"message":"no such consumer"}'
    )
    with scripted_server() as server:
        server.script = send(_answer(_frames(refused)))
        with pytest.raises(kinesis.errors.ResourceNotFoundException) as caught:
            _subscribe_scripted(kinesis, server)
    assert caught.value.message == "no such consumer"


def test_a_bad_frame_mid_stream_ends_it_with_a_decode_error(kinesis: ModuleType) -> None:
    initial = _eventstream.EventStreamMessage.event("initial-response", b"{}")
    event = _eventstream.EventStreamMessage.event(
        "SubscribeToShardEvent",
        b'{"Records":[],"ContinuationSequenceNumber":"7","MillisBehindLatest":0}',
    )
    corrupt = bytearray(event.encode())
    corrupt[-1] ^= 0xFF
    with scripted_server() as server:
        server.script = send(_answer(_frames(initial, event) + bytes(corrupt)))
        answer = _subscribe_scripted(kinesis, server)
        read = []
        with pytest.raises(kinesis._eventstream.EventStreamDecodeError) as caught:
            for item in answer.event_stream:
                read.append(item)
    assert [item.subscribe_to_shard_event.continuation_sequence_number for item in read] == ["7"]
    assert "message CRC mismatch" in str(caught.value)


def test_an_event_of_a_type_it_does_not_know_is_kept_whole(kinesis: ModuleType) -> None:
    """A newer service's kind of event is not skipped: it arrives in its place in the stream as
    the union's unknown member, holding the event's message (type, headers, payload), and the
    codec writes that message again byte for byte."""
    initial = _eventstream.EventStreamMessage.event("initial-response", b"{}")
    known = _eventstream.EventStreamMessage.event(
        "SubscribeToShardEvent",
        b'{"Records":[],"ContinuationSequenceNumber":"7","MillisBehindLatest":0}',
    )
    newer = _eventstream.EventStreamMessage.event(
        "ShardResizedEvent",
        b'{"Shards":4}',
        content_type="application/json",
        headers={"n": _eventstream.Integer(4)},
    )
    with scripted_server() as server:
        server.script = send(_answer(_frames(initial, newer, known)))
        answer = _subscribe_scripted(kinesis, server)
        with answer.event_stream as stream:
            read = list(stream)
    assert [event.subscribe_to_shard_event is None for event in read] == [True, False]
    kept = read[0].unknown
    assert kept.name == "ShardResizedEvent"
    assert (dict(kept.value.headers), kept.value.payload) == (dict(newer.headers), newer.payload)
    assert kinesis.validators.validate_subscribe_to_shard_event_stream(read[0]) != []
    writer = kinesis._awsjson._event_serialize_subscribe_to_shard_event_stream
    assert writer(read[0]).encode() == newer.encode()


def test_the_generated_package_is_type_checked_and_lint_clean(package_dir: Path) -> None:
    config = str(REPO / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "kinesis"],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, "kinesis"],
        [sys.executable, "-m", "black", "--check", "--quiet", "--config", config, "kinesis"],
    ):
        result = subprocess.run(
            command, cwd=package_dir, capture_output=True, text=True, timeout=900
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
