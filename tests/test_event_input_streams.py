"""Event streams a request sends: the generated client sends a typed iterable of events as
event-stream messages in a chunked body, each signed in a chain from the request's SigV4
signature; the generated stub decodes them, checks every event strictly against the model
before the handler runs, and hands the handler an iterator of the typed events.

One hand-written model (`tests/fixtures/models/event_input.json`, restJson1: the stream is the
`@httpPayload`), and the same model in AWS JSON 1.0 (the stream follows an `initial-request`
event with the input's other members), each generated and run against its stub on 127.0.0.1.
botocore does not send event streams, so the message signatures are checked against an
implementation of the documented algorithm here, and the frames decoded with botocore's decoder.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import http.client
import importlib
import io
import json
import subprocess
import sys
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from botocore import eventstream as boto_eventstream  # type: ignore[import-untyped]

from generator.cli import main
from templates import _eventstream
from tests.conftest import REPO

MODEL = REPO / "tests" / "fixtures" / "models" / "event_input.json"
SERVICE = "example.events#Events"
WHEN = datetime.datetime(2024, 1, 2, 3, 4, 5, 250000, tzinfo=datetime.UTC)
SECRET = "SECRET/KEY"
PROTOCOLS = ["restJson1", "awsJson1_0"]


def _model(protocol: str) -> dict[str, Any]:
    """The fixture model, or the same service in AWS JSON 1.0 (no HTTP bindings)."""
    model: dict[str, Any] = json.loads(MODEL.read_text("utf-8"))
    if protocol == "restJson1":
        return model
    traits = model["shapes"][SERVICE]["traits"]
    del traits["aws.protocols#restJson1"]
    traits["aws.protocols#awsJson1_0"] = {}
    for shape in model["shapes"].values():
        shape.get("traits", {}).pop("smithy.api#http", None)
        for member in shape.get("members", {}).values():
            for bound in ("smithy.api#httpLabel", "smithy.api#httpPayload"):
                member.get("traits", {}).pop(bound, None)
    return model


@pytest.fixture(scope="module", params=PROTOCOLS)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, ModuleType]]:
    protocol: str = request.param
    root: Path = tmp_path_factory.mktemp(f"event-input-{protocol}")
    (root / "model.json").write_text(json.dumps(_model(protocol)))
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--strict", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield protocol, root / "out", importlib.import_module("event_input")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "event_input"]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


@pytest.fixture(scope="module")
def package(generated: tuple[str, Path, ModuleType]) -> ModuleType:
    return generated[2]


def _events(shapes: ModuleType) -> list[Any]:
    """Events of every kind: members in a JSON object, typed headers with a blob payload, a
    structure payload, a text payload."""
    union = shapes.PublishEvents
    return [
        union(
            body=shapes.BodyEvent(
                message="hello",
                count=3,
                ratio=0.25,
                sent=WHEN,
                data=b"\x00\xffbytes",
                words=["a", "wörd"],
                level="high",
                at=shapes.Point(x=1, y=-2),
                flag=True,
            )
        ),
        union(body=shapes.BodyEvent(message="only the required member")),
        union(
            headed=shapes.HeadedEvent(
                kind="k",
                flag=False,
                tiny=-128,
                small=32767,
                size=-(2**31),
                big=2**62,
                when=WHEN,
                raw=b"\x01\x02",
                content=b"\x00payload",
            )
        ),
        union(headed=shapes.HeadedEvent(content=b"")),
        union(shaped=shapes.ShapedEvent(kind="point", point=shapes.Point(x=3, y=4))),
        union(text=shapes.TextEvent(text="wörld")),
    ]


class Recorder:
    """Reads `limit` events of each request's stream (all of them without one) and answers
    how many it read."""

    def __init__(self, shapes: ModuleType, limit: int | None = None) -> None:
        self.shapes = shapes
        self.limit = limit
        self.channels: list[str] = []
        self.received: list[Any] = []

    def publish(self, request: Any) -> Any:
        self.channels.append(request.channel)
        read = 0
        for event in request.events:
            if self.limit is not None and read == self.limit:
                break
            self.received.append(event)
            read += 1
        return self.shapes.PublishOutput(read=read)

    def chat(self, request: Any) -> Any:
        raise AssertionError("Chat is tested in tests/test_event_duplex.py")


class Capturing:
    """WSGI middleware: keeps each request's body (as the stub's server decoded it) and its
    headers, then hands the request on."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self.environs: list[dict[str, Any]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        body = environ["wsgi.input"].read()
        self.bodies.append(body)
        self.environs.append({k: v for k, v in environ.items() if isinstance(v, str)})
        self.headers.append(
            {
                k[5:].replace("_", "-").lower(): str(v)
                for k, v in environ.items()
                if k[:5] == "HTTP_"
            }
        )
        environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)


def _serve(
    package: ModuleType, handler: Any, credentials: tuple[str, str] | None = None
) -> tuple[Any, Capturing]:
    stub = importlib.import_module("event_input.stub")
    app = Capturing(stub.create_app(handler, credentials=credentials))
    return stub.StubServer(app), app


def _client(package: ModuleType, url: str) -> Any:
    return package.EventInputClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKID",
        aws_secret_access_key=SECRET,
        max_attempts=1,
    )


def _generator(events: list[Any], taken: list[int]) -> Iterator[Any]:
    for event in events:
        taken.append(1)
        yield event


def test_every_kind_of_event_goes_round_trip(package: ModuleType) -> None:
    shapes = package.shapes
    handler = Recorder(shapes)
    taken: list[int] = []
    server, _ = _serve(package, handler)
    with server, _client(package, server.url) as client:
        answer = client.publish(channel="news", events=_generator(_events(shapes), taken))
    assert answer == shapes.PublishOutput(read=6)
    assert handler.channels == ["news"]
    assert handler.received == _events(shapes)
    assert len(taken) == 6


def test_an_empty_stream_and_a_list_of_events(package: ModuleType) -> None:
    shapes = package.shapes
    handler = Recorder(shapes)
    server, _ = _serve(package, handler)
    with server, _client(package, server.url) as client:
        assert client.publish(channel="empty", events=[]).read == 0
        assert client.publish(channel="listed", events=_events(shapes)[:2]).read == 2
    assert handler.received == _events(shapes)[:2]


def test_a_handler_that_reads_only_some_events(package: ModuleType) -> None:
    shapes = package.shapes
    handler = Recorder(shapes, limit=2)
    server, _ = _serve(package, handler)
    with server, _client(package, server.url) as client:
        assert client.publish(channel="first", events=_events(shapes)).read == 2
        # The stub read the whole stream: the connection and the next call are fine.
        assert client.publish(channel="second", events=_events(shapes)[3:]).read == 2
    assert handler.received == _events(shapes)[:2] + _events(shapes)[3:5]


def test_an_event_that_breaks_the_model_ends_the_stream_with_the_validation_error(
    package: ModuleType,
) -> None:
    shapes = package.shapes
    handler = Recorder(shapes)
    bad = [
        *_events(shapes)[:2],
        shapes.PublishEvents(body=shapes.BodyEvent(message="m", count=1001, words=["elevenchars"])),
    ]
    server, _ = _serve(package, handler)
    with (
        server,
        _client(package, server.url) as client,
        pytest.raises(package.errors.ServiceError) as caught,
    ):
        client.publish(channel="news", events=bad)
    assert caught.value.error_code == "ValidationException"
    assert caught.value.status_code == 400
    message = str(caught.value)
    assert message.startswith("event 3 (Body): 2 validation errors detected: ")
    assert "Body.Count: range violation" in message
    assert "Body.Words[0]: length violation" in message
    # The handler read the events as they came, up to the bad one.
    assert handler.channels == ["news"]
    assert handler.received == _events(shapes)[:2]


def _frames(*messages: _eventstream.EventStreamMessage) -> bytes:
    return b"".join(message.encode() for message in messages)


def _raw(protocol: str, body: bytes) -> tuple[str, str, dict[str, str]]:
    """(method, path, headers) of a request that sends `body` as the Publish event stream."""
    headers = {"Content-Type": "application/vnd.amazon.eventstream"}
    if protocol == "restJson1":
        return "POST", "/channels/news/events", headers
    return "POST", "/", {**headers, "X-Amz-Target": "Events.Publish"}


def _initial(protocol: str) -> list[_eventstream.EventStreamMessage]:
    if protocol == "restJson1":
        return []
    return [_eventstream.EventStreamMessage.event("initial-request", b'{"Channel":"news"}')]


def _event(event_type: str, payload: bytes, **headers: Any) -> _eventstream.EventStreamMessage:
    return _eventstream.EventStreamMessage.event(event_type, payload, headers=headers)


BAD_STREAMS: list[tuple[str, Callable[[], list[Any]], str, str]] = [
    (
        "unknown-event",
        lambda: [_event("Nope", b"{}")],
        "SerializationException",
        "event 1 (Nope): the stream has no event 'Nope'",
    ),
    (
        "unknown-header",
        lambda: [_event("Text", b"hi", Color="red")],
        "ValidationException",
        "event 1 (Text): unknown header 'Color'",
    ),
    (
        "unknown-member",
        lambda: [_event("Body", b'{"Message":"m","Colour":1}')],
        "ValidationException",
        "event 1 (Body): 1 validation error detected: Body.Colour",
    ),
    (
        "header-of-the-wrong-type",
        lambda: [_event("Headed", b"", Size="big")],
        "ValidationException",
        "event 1 (Headed): 1 validation error detected: Headed.Size: type",
    ),
    (
        "not-json",
        lambda: [_event("Body", b"{")],
        "SerializationException",
        "event 1 (Body): the payload is not JSON",
    ),
    (
        "nested-too-deep",
        lambda: [_event("Body", b'{"Message":' + b"[" * 5000 + b"]" * 5000 + b"}")],
        "SerializationException",
        "event 1 (Body): the payload's JSON at /Message",
    ),
    (
        "exception-message",
        lambda: [_eventstream.EventStreamMessage.exception("Refused", b"{}")],
        "SerializationException",
        "message 1 is an exception message, not an event",
    ),
    ("bad-frame", lambda: [b"\x00" * 16], "SerializationException", "not a valid event stream"),
]


@pytest.mark.parametrize(
    ("stream", "code", "says"),
    [case[1:] for case in BAD_STREAMS],
    ids=[case[0] for case in BAD_STREAMS],
)
def test_a_bad_stream_is_refused_saying_what_is_wrong(
    generated: tuple[str, Path, ModuleType],
    stream: Callable[[], list[Any]],
    code: str,
    says: str,
) -> None:
    protocol, _, package = generated
    handler = Recorder(package.shapes)
    parts = [*_initial(protocol), *stream()]
    body = b"".join(part if isinstance(part, bytes) else part.encode() for part in parts)
    method, path, headers = _raw(protocol, body)
    server, _ = _serve(package, handler)
    with server:
        netloc = urllib.parse.urlsplit(server.url).netloc
        connection = http.client.HTTPConnection(netloc, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = json.loads(response.read())
        finally:
            connection.close()
    assert response.status == 400
    assert response.getheader("x-amzn-ErrorType") == code
    assert says in answer["message"], answer
    # The handler was called (the stream is read as it asks for events) and got no event.
    assert handler.channels == ["news"]
    assert handler.received == []


def test_aws_json_needs_the_initial_request_event(generated: tuple[str, Path, ModuleType]) -> None:
    protocol, _, package = generated
    if protocol == "restJson1":
        pytest.skip("restJson1 sends the input's other members in the request's bindings")
    body = _frames(_event("Text", b"hi"))
    method, path, headers = _raw(protocol, body)
    server, _ = _serve(package, Recorder(package.shapes))
    with server:
        netloc = urllib.parse.urlsplit(server.url).netloc
        connection = http.client.HTTPConnection(netloc, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = json.loads(response.read())
        finally:
            connection.close()
    assert response.status == 400
    assert "does not start with an initial-request event" in answer["message"]


# -- signing ----------------------------------------------------------------------------------


def _reference_signature(
    key: bytes, scope: str, prior: str, date_header: bytes, payload: bytes, amz_date: str
) -> bytes:
    """One message's signature, from the documented algorithm (AWS4-HMAC-SHA256-PAYLOAD)."""
    text = "\n".join(
        [
            "AWS4-HMAC-SHA256-PAYLOAD",
            amz_date,
            scope,
            prior,
            hashlib.sha256(date_header).hexdigest(),
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _key(date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + SECRET).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _date_header(millis: int) -> bytes:
    """`:date` as a timestamp header (type 8), built from the documented layout."""
    name = b":date"
    return bytes([len(name)]) + name + bytes([8]) + millis.to_bytes(8, "big", signed=True)


def test_each_message_is_signed_in_a_chain_from_the_requests_signature(
    generated: tuple[str, Path, ModuleType],
) -> None:
    protocol, _, package = generated
    shapes = package.shapes
    server, app = _serve(package, Recorder(shapes))
    with server, _client(package, server.url) as client:
        client.publish(channel="news", events=_events(shapes)[:3])
    (headers,) = app.headers
    assert headers["x-amz-content-sha256"] == "STREAMING-AWS4-HMAC-SHA256-EVENTS"
    assert headers["transfer-encoding"] == "chunked"
    authorization = headers["authorization"]
    assert "x-amz-content-sha256" in authorization.partition("SignedHeaders=")[2]
    prior = authorization.rpartition("Signature=")[2]
    scope = authorization.partition("Credential=AKID/")[2].partition(",")[0]
    date, region, service, _ = scope.split("/")
    key = _key(date, region, service)

    buffer = boto_eventstream.EventStreamBuffer()
    buffer.add_data(app.bodies[0])  # as the stub's server de-chunked it
    envelopes = list(buffer)
    inner = [env.payload for env in envelopes]
    assert inner[-1] == b""  # the empty signed message that ends the stream
    for envelope in envelopes:
        assert set(envelope.headers) == {":date", ":chunk-signature"}
        millis = envelope.headers[":date"]
        moment = datetime.datetime.fromtimestamp(millis / 1000, datetime.UTC)
        expected = _reference_signature(
            key,
            scope,
            prior,
            _date_header(millis),
            envelope.payload,
            moment.strftime("%Y%m%dT%H%M%SZ"),
        )
        assert envelope.headers[":chunk-signature"] == expected
        prior = expected.hex()
    decoded = [boto_eventstream.EventStreamBuffer() for _ in inner[:-1]]
    types = []
    for part, decoder in zip(inner[:-1], decoded, strict=True):
        decoder.add_data(part)
        (message,) = list(decoder)
        types.append(message.headers[":event-type"])
    first = ["initial-request"] if protocol == "awsJson1_0" else []
    assert types == [*first, "Body", "Body", "Headed"]


def _resigned(body: bytes, change: Callable[[list[Any]], list[Any]]) -> bytes:
    messages = list(_eventstream.decode_stream([body]))
    return b"".join(message.encode() for message in change(messages))


def _flip_signature(messages: list[Any], index: int) -> list[Any]:
    signature = bytearray(messages[index].headers[":chunk-signature"])
    signature[0] ^= 1
    headers = {**messages[index].headers, ":chunk-signature": bytes(signature)}
    return [
        *messages[:index],
        _eventstream.EventStreamMessage(headers, messages[index].payload),
        *messages[index + 1 :],
    ]


def test_the_stub_checks_every_message_signature(package: ModuleType) -> None:
    shapes = package.shapes
    handler = Recorder(shapes)
    server, app = _serve(package, handler, credentials=("AKID", SECRET))
    with server, _client(package, server.url) as client:
        assert client.publish(channel="signed", events=_events(shapes)).read == 6
    assert handler.received == _events(shapes)

    stub = importlib.import_module("event_input.stub")
    checker = stub.SignatureChecker("AKID", SECRET, signing_name="events")
    (environ,) = app.environs
    (body,) = app.bodies
    assert checker.check(environ, body) is None
    flipped = checker.check(environ, _resigned(body, lambda found: _flip_signature(found, 2)))
    assert flipped is not None
    assert flipped.code == "InvalidSignatureException"
    assert "message 3 of the event stream does not match" in flipped.message
    cut = checker.check(environ, _resigned(body, lambda found: found[:-1]))
    assert cut is not None
    assert "does not end with an empty signed message" in cut.message
    dropped = checker.check(environ, _resigned(body, lambda found: found[:1] + found[2:]))
    assert dropped is not None
    assert "message 2 of the event stream does not match" in dropped.message


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (_eventstream.EventStreamMessage.event("Text", b"a").encode() * 2, "announces a frame"),
        (b"not a frame", "11 bytes are not a frame"),
        (_eventstream.EventStreamMessage.event("Text", b"a").encode()[:-1], "announces a frame"),
    ],
    ids=["two-messages", "garbage", "cut-short"],
)
def test_a_signed_message_must_carry_exactly_one_whole_message(
    package: ModuleType, payload: bytes, reason: str
) -> None:
    """The message inside a signed one is decoded from its payload in place: anything but one
    whole frame there ends the stream, naming the message."""
    events = importlib.import_module("event_input.stub._events")
    signed = {":date": _eventstream.Timestamp(0), ":chunk-signature": b"\x00" * 32}
    good = _eventstream.EventStreamMessage.event("Text", b"fine").encode()
    body = b"".join(
        _eventstream.EventStreamMessage(signed, inner).encode() for inner in (good, payload)
    )
    stream = events.RequestEvents(body)
    found = []
    with pytest.raises(events.BadStream) as caught:
        for message in stream:
            found.append(message.payload)
    assert found == [b"fine"]
    message = "signed message 2 does not carry a valid message: "
    assert str(caught.value).startswith(message)
    assert reason in str(caught.value)
    assert stream.failure is caught.value


def test_an_event_that_cannot_be_sent_stops_the_request(package: ModuleType) -> None:
    shapes = package.shapes
    handler = Recorder(shapes)

    def events() -> Iterable[Any]:
        yield _events(shapes)[0]
        yield shapes.PublishEvents()  # no member set

    server, _ = _serve(package, handler)
    with (
        server,
        _client(package, server.url) as client,
        pytest.raises(package._transport.RequestBodyError) as caught,
    ):
        client.publish(channel="news", events=events())
    assert "event 2 cannot be sent: an event has one member set" in str(caught.value)
    assert handler.channels == []


def test_the_generated_packages_are_type_checked_and_lint_clean(
    generated: tuple[str, Path, ModuleType],
) -> None:
    _, out, _ = generated
    config = str(REPO / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "event_input"],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, "event_input"],
        [sys.executable, "-m", "black", "--check", "--quiet", "--config", config, "event_input"],
    ):
        result = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_stubber_compares_the_events_sent_with_the_events_expected(
    package: ModuleType,
) -> None:
    shapes = package.shapes
    stubber_class = importlib.import_module("event_input.stub").Stubber
    events = _events(shapes)
    with _client(package, "http://127.0.0.1:9") as client, stubber_class(client) as stubber:
        expected = shapes.PublishInput(channel="news", events=events)
        stubber.add_response("Publish", shapes.PublishOutput(read=6), expected_params=expected)
        assert client.publish(channel="news", events=iter(events)).read == 6
        stubber.add_response("Publish", shapes.PublishOutput(read=6), expected_params=expected)
        with pytest.raises(
            importlib.import_module("event_input.stub").StubAssertionError
        ) as caught:
            client.publish(channel="news", events=events[:5])
        stubber.assert_no_pending_responses()
    assert "was called with" in str(caught.value)
