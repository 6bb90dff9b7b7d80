"""The restJson1 stub sends event streams: real boto3 calls Bedrock Runtime's ConverseStream on
the generated stub and reads, event by event, exactly the typed events the handler answered;
the generated client reads the same stream. The model is AWS's own, read from ../shared at run
time; only the stream's operations are generated, with the stub's own errors applied beside it
(`shapesmith.stub#errors`: its validation and internal errors are members of the stream's union,
so a fault once the answer has begun ends the stream as that modelled error)."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import reference_file
from tests.scripted_server import scripted_server, send

MODEL = ("models", "aws-corpus", "restJson1", "bedrock-runtime-2023-09-30.json")
OPERATIONS = ["ConverseStream", "InvokeModelWithResponseStream"]
NAMESPACE = "com.amazonaws.bedrockruntime"
STUB_ERRORS = {
    "smithy": "2.0",
    "shapes": {
        "shapesmith.stub#errors": {
            "type": "structure",
            "members": {
                role: {"target": "smithy.api#String"}
                for role in ("validation", "internal", "throttling")
            },
            "traits": {"smithy.api#trait": {"selector": "service"}},
        },
        f"{NAMESPACE}#AmazonBedrockFrontendService": {
            "type": "apply",
            "traits": {
                "shapesmith.stub#errors": {
                    "validation": f"{NAMESPACE}#ValidationException",
                    "internal": f"{NAMESPACE}#InternalServerException",
                }
            },
        },
    },
}


@pytest.fixture(scope="module")
def bedrock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    model = reference_file(*MODEL)
    root: Path = tmp_path_factory.mktemp("bedrock")
    chosen = [f"{NAMESPACE}#{name}" for name in OPERATIONS]
    (root / "stub-errors.json").write_text(json.dumps(STUB_ERRORS))
    models = [str(model), "stub-errors.json"]
    (root / "shapesmith.toml").write_text(
        f'models = {json.dumps(models)}\noutput = "out"\noperations = {json.dumps(chosen)}\n'
    )
    assert main(["generate", "-q", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("bedrock_runtime")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "bedrock_runtime"]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


def _events(shapes: ModuleType) -> list[Any]:
    union = shapes.ConverseStreamOutput
    return [
        union(message_start=shapes.MessageStartEvent(role="assistant")),
        union(
            content_block_delta=shapes.ContentBlockDeltaEvent(
                delta=shapes.ContentBlockDelta(text="Hello, "), content_block_index=0
            )
        ),
        union(
            content_block_delta=shapes.ContentBlockDeltaEvent(
                delta=shapes.ContentBlockDelta(text="wörld"), content_block_index=0
            )
        ),
        union(content_block_stop=shapes.ContentBlockStopEvent(content_block_index=0)),
        union(message_stop=shapes.MessageStopEvent(stop_reason="end_turn")),
    ]


class Streaming:
    """A handler that answers ConverseStream with a fixed stream of events."""

    def __init__(self, shapes: ModuleType) -> None:
        self.shapes = shapes

    def converse_stream(self, request: Any) -> Any:
        answers = {
            "failing": self._failing,
            "breaking": self._breaking,
            "buggy": self._buggy,
            "mistyped": self._mistyped,
            "json": self._json,
        }
        if request.model_id in answers:
            return self.shapes.ConverseStreamResponse(stream=answers[request.model_id]())
        return self.shapes.ConverseStreamResponse(stream=_events(self.shapes))

    def _breaking(self) -> Iterator[Any]:
        """The first event, then one that breaks the model (a stop reason of no enum value)."""
        yield _events(self.shapes)[0]
        yield self.shapes.ConverseStreamOutput(
            message_stop=self.shapes.MessageStopEvent(stop_reason="no-such-reason")
        )
        yield _events(self.shapes)[-1]

    def _buggy(self) -> Iterator[Any]:
        yield _events(self.shapes)[0]
        raise RuntimeError("a handler bug with a secret inside")

    def _mistyped(self) -> Iterator[Any]:
        """An event's structure where its union must be."""
        yield self.shapes.MessageStartEvent(role="assistant")

    def _json(self) -> Iterator[Any]:
        """Events in JSON form (as a fixture gives them): the first is read, the second breaks
        the model."""
        yield {"messageStart": {"role": "assistant"}}
        yield {"messageStop": {"stopReason": "end_turn", "extra": 1}}

    def _failing(self) -> Iterator[Any]:
        """The first event, then a modelled error of the stream (its exception message)."""
        yield _events(self.shapes)[0]
        error = importlib.import_module("bedrock_runtime.errors").ModelStreamErrorException
        raise error(message="stream broke", original_status_code=500, original_message="upstream")

    def invoke_model_with_response_stream(self, request: Any) -> Any:
        union = self.shapes.ResponseStream
        chunks = [union(chunk=self.shapes.PayloadPart(bytes=part)) for part in (b"{", b"}")]
        return self.shapes.InvokeModelWithResponseStreamResponse(
            body=chunks, content_type="application/json"
        )


@pytest.fixture(scope="module")
def stub_url(bedrock: ModuleType) -> Iterator[str]:
    stub = importlib.import_module("bedrock_runtime.stub")
    with stub.StubServer(stub.create_app(Streaming(bedrock.shapes))) as server:
        yield server.url


def _boto3(url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "bedrock-runtime",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        config=Config(retries={"total_max_attempts": 1}),
    )


def _client(bedrock: ModuleType, url: str) -> Any:
    return bedrock.BedrockRuntimeClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        max_attempts=1,
    )


def test_boto3_reads_the_stubs_event_stream_event_by_event(stub_url: str) -> None:
    client = _boto3(stub_url)
    answer = client.converse_stream(
        modelId="model-1", messages=[{"role": "user", "content": [{"text": "hi"}]}]
    )
    assert list(answer["stream"]) == [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"delta": {"text": "Hello, "}, "contentBlockIndex": 0}},
        {"contentBlockDelta": {"delta": {"text": "wörld"}, "contentBlockIndex": 0}},
        {"contentBlockStop": {"contentBlockIndex": 0}},
        {"messageStop": {"stopReason": "end_turn"}},
    ]


def test_boto3_reads_payload_events_and_header_bound_members(stub_url: str) -> None:
    client = _boto3(stub_url)
    answer = client.invoke_model_with_response_stream(modelId="model-1", body=b"{}")
    assert answer["contentType"] == "application/json"
    assert [event["chunk"]["bytes"] for event in answer["body"]] == [b"{", b"}"]


def test_boto3_raises_a_modelled_error_event_after_the_events_before_it(stub_url: str) -> None:
    from botocore.exceptions import EventStreamError  # type: ignore[import-untyped]

    client = _boto3(stub_url)
    answer = client.converse_stream(
        modelId="failing", messages=[{"role": "user", "content": [{"text": "hi"}]}]
    )
    read = []
    with pytest.raises(EventStreamError) as caught:
        for event in answer["stream"]:
            read.append(event)
    assert read == [{"messageStart": {"role": "assistant"}}]
    assert caught.value.response["Error"] == {
        "Code": "modelStreamErrorException",
        "Message": "stream broke",
    }


def test_the_generated_client_raises_the_same_error(bedrock: ModuleType, stub_url: str) -> None:
    client = _client(bedrock, stub_url)
    shapes = bedrock.shapes
    message = shapes.Message(role="user", content=[shapes.ContentBlock(text="hi")])
    read = []
    with client:
        answer = client.converse_stream(model_id="failing", messages=[message])
        error = bedrock.errors.ModelStreamErrorException
        with pytest.raises(error) as caught, answer.stream as stream:
            for event in stream:
                read.append(event)
    assert read == _events(shapes)[:1]
    assert caught.value.original_status_code == 500
    assert caught.value.error_code == "modelStreamErrorException"


def test_the_generated_client_reads_the_same_events(bedrock: ModuleType, stub_url: str) -> None:
    client = _client(bedrock, stub_url)
    shapes = bedrock.shapes
    message = shapes.Message(role="user", content=[shapes.ContentBlock(text="hi")])
    with client:
        answer = client.converse_stream(model_id="model-1", messages=[message])
        assert answer.stream is not None
        with answer.stream as stream:
            assert list(stream) == _events(shapes)


def test_the_in_memory_fake_answers_an_event_stream_that_ends_at_once(bedrock: ModuleType) -> None:
    """With no handler of its own, the fake's default answer is a stream of no events (found by
    the corpus run: boto3 got a 500 where the default was one event in wire form)."""
    stub = importlib.import_module("bedrock_runtime.stub")
    fake = next(v for k, v in vars(stub).items() if k.startswith("InMemory"))
    with stub.StubServer(stub.create_app(fake())) as server:
        answer = _boto3(server.url).invoke_model_with_response_stream(modelId="m", body=b"{}")
        assert list(answer["body"]) == []
        assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


@pytest.mark.parametrize(
    ("model_id", "event", "reason"),
    [
        ("breaking", 2, "messageStop.stopReason: enum violation"),
        ("json", 2, "messageStop.extra: unknown_member violation"),
        ("mistyped", 1, "a ConverseStreamOutput structure or a dict"),
    ],
)
def test_an_event_that_breaks_the_model_ends_the_stream_as_the_internal_error(
    stub_url: str, caplog: pytest.LogCaptureFixture, model_id: str, event: int, reason: str
) -> None:
    """Each event the handler yields is checked before it is framed: the events before it
    arrive whole, then the stream's own modelled internal error, naming the event and the
    violation, for boto3 and for the handler's author in the log."""
    from botocore.exceptions import EventStreamError

    client = _boto3(stub_url)
    answer = client.converse_stream(
        modelId=model_id, messages=[{"role": "user", "content": [{"text": "hi"}]}]
    )
    read = []
    with pytest.raises(EventStreamError) as caught:
        for found in answer["stream"]:
            read.append(found)
    assert read == [{"messageStart": {"role": "assistant"}}][: event - 1]
    error = caught.value.response["Error"]
    assert error["Code"] == "internalServerException"
    expected = f"the handler's event {event} of ConverseStream's stream breaks the model: "
    assert error["Message"].startswith(expected)
    assert reason in error["Message"]
    assert any(record.getMessage().startswith(expected) for record in caplog.records)


def test_a_handler_bug_mid_stream_is_the_streams_internal_error_without_details(
    bedrock: ModuleType, stub_url: str
) -> None:
    from botocore.exceptions import EventStreamError

    answer = _boto3(stub_url).converse_stream(
        modelId="buggy", messages=[{"role": "user", "content": [{"text": "hi"}]}]
    )
    with pytest.raises(EventStreamError) as caught:
        list(answer["stream"])
    assert caught.value.response["Error"] == {
        "Code": "internalServerException",
        "Message": "the stub's handler failed",
    }
    shapes = bedrock.shapes
    message = shapes.Message(role="user", content=[shapes.ContentBlock(text="hi")])
    read = []
    with _client(bedrock, stub_url) as client:
        stream = client.converse_stream(model_id="buggy", messages=[message]).stream
        with pytest.raises(bedrock.errors.InternalServerException) as typed, stream:
            for found in stream:
                read.append(found)
    assert read == _events(shapes)[:1]
    assert typed.value.error_code == "internalServerException"
    assert "secret" not in str(typed.value)


def test_what_a_newer_service_streams_is_kept(bedrock: ModuleType) -> None:
    """A union member inside an event's payload that the model does not have, and an event of
    a type the stream's union does not have, from a real server: our client keeps both, in
    their place (botocore keeps the member's name only, and drops the newer event)."""
    wire = importlib.import_module("bedrock_runtime._eventstream").EventStreamMessage
    delta = {"contentBlockIndex": 0, "delta": {"futureDelta": {"parts": [1, "two"]}}}
    frames = [
        wire.event(
            "contentBlockDelta", json.dumps(delta).encode(), content_type="application/json"
        ),
        wire.event("futureEvent", b'{"n":1}', content_type="application/json"),
        wire.event("contentBlockStop", b'{"contentBlockIndex":0}', content_type="application/json"),
    ]
    body = b"".join(frame.encode() for frame in frames)
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    ) + body
    shapes, runtime = bedrock.shapes, importlib.import_module("bedrock_runtime._runtime")
    message = shapes.Message(role="user", content=[shapes.ContentBlock(text="hi")])
    with scripted_server() as server:
        server.script = send(answer)
        with _client(bedrock, server.url) as client:
            reply = client.converse_stream(model_id="model-1", messages=[message])
            assert reply.stream is not None
            with reply.stream as stream:
                read = list(stream)
        answered = _boto3(server.url).converse_stream(
            modelId="model-1", messages=[{"role": "user", "content": [{"text": "hi"}]}]
        )
        theirs = list(answered["stream"])
    first, newer, last = read
    assert first.content_block_delta.delta.unknown == runtime.UnknownMember(
        "futureDelta", {"parts": [1, "two"]}
    )
    assert newer.unknown.name == "futureEvent" and newer.unknown.value.payload == b'{"n":1}'
    assert last.content_block_stop == shapes.ContentBlockStopEvent(content_block_index=0)
    assert theirs == [
        {
            "contentBlockDelta": {
                "delta": {"SDK_UNKNOWN_MEMBER": {"name": "futureDelta"}},
                "contentBlockIndex": 0,
            }
        },
        {"contentBlockStop": {"contentBlockIndex": 0}},
    ]
