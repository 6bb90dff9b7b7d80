"""The restJson1 stub sends event streams: real boto3 calls Bedrock Runtime's ConverseStream on
the generated stub and reads, event by event, exactly the typed events the handler answered;
the generated client reads the same stream. The model is AWS's own, read from ../shared at run
time; only the stream's operations are generated."""

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


@pytest.fixture(scope="module")
def bedrock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    model = reference_file(*MODEL)
    root: Path = tmp_path_factory.mktemp("bedrock")
    chosen = [f"com.amazonaws.bedrockruntime#{name}" for name in OPERATIONS]
    (root / "shapesmith.toml").write_text(
        f'models = [{json.dumps(str(model))}]\noutput = "out"\noperations = {json.dumps(chosen)}\n'
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
        if request.model_id == "failing":
            return self.shapes.ConverseStreamResponse(stream=self._failing())
        return self.shapes.ConverseStreamResponse(stream=_events(self.shapes))

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
