"""Event streams both ways at once, and an input stream read as it arrives.

The fixture model's `Chat` sends an event stream and answers with one; the generated stub's
handler answers each event as it reads it, while the generated client is still sending (its
events wait for the answers: were either side to hold the whole stream first, the call could
not finish). A request's stream is read by the stub frame by frame as the handler asks: a fault
mid-stream (a bad frame, a frame over the body limit, a bad signature, a stall) ends the
answer with an error that names it, never a hang; and however TCP cuts the frames, the events
are the same (a property test over raw sockets). Both protocols: restJson1 (the stream is the
`@httpPayload`) and AWS JSON 1.0 (after `initial-request` / `initial-response`).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import socket
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from templates import _eventstream
from tests.test_event_input_streams import PROTOCOLS, SECRET, _client, _model

WAIT = 10.0
"""How long a test waits for what must come; nothing here should take near as long."""


@pytest.fixture(scope="module", params=PROTOCOLS)
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, ModuleType]]:
    protocol: str = request.param
    root: Path = tmp_path_factory.mktemp(f"event-duplex-{protocol}")
    (root / "model.json").write_text(json.dumps(_model(protocol)))
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--strict", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield protocol, importlib.import_module("event_input")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "event_input"]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


@pytest.fixture(scope="module")
def package(generated: tuple[str, ModuleType]) -> ModuleType:
    return generated[1]


class Echo:
    """Answers each event of a Chat as it reads it; Publish reads every event."""

    def __init__(self, shapes: ModuleType) -> None:
        self.shapes = shapes
        self.published: list[Any] = []

    def chat(self, request: Any) -> Any:
        def replies() -> Iterator[Any]:
            for number, event in enumerate(request.events, 1):
                kind = next(f.name for f in dataclasses.fields(event) if getattr(event, f.name))
                text = event.text.text if kind == "text" else None
                yield self.shapes.Replies(
                    echo=self.shapes.EchoEvent(number=number, kind=kind, text=text)
                )

        return self.shapes.ChatOutput(replies=replies())

    def publish(self, request: Any) -> Any:
        self.published = list(request.events)
        return self.shapes.PublishOutput(read=len(self.published))


def _texts(shapes: ModuleType, words: list[str]) -> list[Any]:
    return [shapes.PublishEvents(text=shapes.TextEvent(text=word)) for word in words]


class Conversation:
    """Events sent one at a time, each only once the answer to the one before has been read."""

    def __init__(self, events: list[Any]) -> None:
        self.events = events
        self.answered = [threading.Event() for _ in events]
        self.in_time: list[bool] = []

    def sent(self) -> Iterator[Any]:
        for index, event in enumerate(self.events):
            if index:
                self.in_time.append(self.answered[index - 1].wait(WAIT))
            yield event

    def read(self, replies: Any) -> list[Any]:
        found = []
        for reply in replies:
            found.append(reply)
            self.answered[len(found) - 1].set()
        return found


def _stub(package: ModuleType, handler: Any, **options: Any) -> Any:
    stub = importlib.import_module("event_input.stub")
    timeout = options.pop("request_timeout", 30.0)
    return stub.StubServer(stub.create_app(handler, **options), request_timeout=timeout)


@pytest.mark.parametrize("verify", [False, True], ids=["unsigned-check", "sigv4-verified"])
def test_each_event_is_answered_while_the_client_is_still_sending(
    package: ModuleType, verify: bool
) -> None:
    shapes = package.shapes
    words = ["one", "two", "three", "four"]
    talk = Conversation(_texts(shapes, words))
    options = {"credentials": ("AKID", SECRET)} if verify else {}
    with _stub(package, Echo(shapes), **options) as server, _client(package, server.url) as client:
        answer = client.chat(channel="news", events=talk.sent())
        with answer.replies as replies:
            found = talk.read(replies)
    assert talk.in_time == [True, True, True]
    assert found == [
        shapes.Replies(echo=shapes.EchoEvent(number=n, kind="text", text=word))
        for n, word in enumerate(words, 1)
    ]


def test_a_duplex_call_signed_with_the_wrong_key_is_refused_before_any_event(
    package: ModuleType,
) -> None:
    shapes = package.shapes
    handler = Echo(shapes)
    with (
        _stub(package, handler, credentials=("AKID", "another secret")) as server,
        _client(package, server.url) as client,
        pytest.raises(package.errors.ServiceError) as caught,
    ):
        client.chat(channel="news", events=_texts(shapes, ["never", "read"]))
    assert caught.value.error_code == "InvalidSignatureException"
    assert caught.value.status_code == 403


class Tampered:
    """A signed event stream body with the signature of one message changed (a test's man in
    the middle): the frames are decoded as the client writes them and written again."""

    def __init__(self, body: Any, message: int) -> None:
        self._body = body
        self._message = message
        self._decoder = _eventstream.EventStreamDecoder()
        self._seen = 0
        self._out = bytearray()

    def read(self, size: int = -1, /) -> bytes:
        while not self._out:
            data = self._body.read(size)
            if not data:
                return b""
            for frame in self._decoder.feed(data):
                self._seen += 1
                if self._seen == self._message:
                    signature = bytearray(frame.headers[":chunk-signature"])
                    signature[0] ^= 1
                    headers = {**frame.headers, ":chunk-signature": bytes(signature)}
                    frame = _eventstream.EventStreamMessage(headers, frame.payload)
                self._out += frame.encode()
        chunk = bytes(self._out)
        self._out.clear()
        return chunk


class TamperingTransport:
    """The client's own transport, handing it the request with its body tampered."""

    def __init__(self, package: ModuleType, message: int) -> None:
        self._inner = package._transport.HttpTransport(read_timeout=WAIT)
        self._message = message

    def send(self, request: Any) -> Any:
        changed = Tampered(request.body_stream, self._message)
        return self._inner.send(dataclasses.replace(request, body_stream=changed))

    def close(self) -> None:
        self._inner.close()


def test_a_bad_signature_mid_stream_ends_the_answer_naming_the_message(
    generated: tuple[str, ModuleType],
) -> None:
    protocol, package = generated
    shapes = package.shapes
    # AWS JSON signs its initial-request first: the third message is the second event there.
    bad = 3
    good = bad - 1 - (protocol != "restJson1")
    with _stub(package, Echo(shapes), credentials=("AKID", SECRET)) as server:
        client = package.EventInputClient(
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKID",
            aws_secret_access_key=SECRET,
            max_attempts=1,
            transport=TamperingTransport(package, bad),
        )
        with client:
            answer = client.chat(channel="news", events=_texts(shapes, ["a", "b", "c", "d"]))
            found = []
            with pytest.raises(package.errors.ServiceError) as caught, answer.replies as replies:
                for reply in replies:
                    found.append(reply)
    assert [reply.echo.text for reply in found] == ["a", "b", "c"][:good]
    assert caught.value.error_code == "InvalidSignatureException"
    assert f"the signature of message {bad} of the event stream does not match" in str(caught.value)


# -- raw requests -----------------------------------------------------------------------------


def _head(protocol: str, operation: str) -> bytes:
    if protocol == "restJson1":
        line = f"POST /channels/news/{operation.lower() if operation == 'Chat' else 'events'}"
        target = ""
    else:
        line, target = "POST /", f"X-Amz-Target: Events.{operation}\r\n"
    return (
        f"{line} HTTP/1.1\r\nHost: stub\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
        f"{target}Transfer-Encoding: chunked\r\n\r\n"
    ).encode()


def _first(protocol: str) -> bytes:
    if protocol == "restJson1":
        return b""
    return _eventstream.EventStreamMessage.event("initial-request", b'{"Channel":"news"}').encode()


def _text(word: str) -> bytes:
    return _eventstream.EventStreamMessage.event("Text", word.encode()).encode()


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def _answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """The status, headers and (de-chunked) body of the answer on `sock`."""
    stream = sock.makefile("rb")
    status = int(stream.readline().split()[1])
    headers: dict[str, str] = {}
    while (line := stream.readline().rstrip(b"\r\n")) != b"":
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        return status, headers, stream.read(int(headers["content-length"]))
    body = bytearray()
    while (size := int(stream.readline().strip(), 16)) != 0:
        body += stream.read(size)
        stream.readline()
    return status, headers, bytes(body)


def _connect(server: Any) -> socket.socket:
    netloc = urllib.parse.urlsplit(server.url)
    sock = socket.create_connection((str(netloc.hostname), int(netloc.port or 80)), timeout=WAIT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _messages(body: bytes) -> list[_eventstream.EventStreamMessage]:
    return list(_eventstream.decode_stream([body]))


def test_a_malformed_frame_mid_stream_ends_the_answer_with_an_error_message(
    generated: tuple[str, ModuleType],
) -> None:
    protocol, package = generated
    broken = bytearray(_text("two"))
    broken[-1] ^= 0xFF  # its message CRC
    with _stub(package, Echo(package.shapes)) as server, _connect(server) as sock:
        body = _first(protocol) + _text("one") + bytes(broken)
        sock.sendall(_head(protocol, "Chat") + _chunk(body) + b"0\r\n\r\n")
        status, headers, answer = _answer(sock)
    assert status == 200
    assert headers["connection"] == "close"
    messages = _messages(answer)
    kinds = [message.message_type for message in messages]
    first = ["event"] if protocol != "restJson1" else []  # initial-response
    assert kinds == [*first, "event", "error"]
    assert messages[-1].error_code == "SerializationException"
    assert "message CRC mismatch" in str(messages[-1].error_message)


@pytest.mark.parametrize("operation", ["Chat", "Publish"])
@pytest.mark.parametrize("before", [b"", _text("one")], ids=["first", "after-an-event"])
def test_a_frame_over_the_body_limit_is_refused_from_its_prelude(
    generated: tuple[str, ModuleType], operation: str, before: bytes
) -> None:
    """The prelude announces 10 MB and nothing more is sent: the stub answers at once (also
    when the prelude arrives with a whole event before it, in one read)."""
    protocol, package = generated
    total = 10 * 1024 * 1024
    lengths = total.to_bytes(4, "big") + (0).to_bytes(4, "big")
    prelude = lengths + _crc32(lengths)
    with (
        _stub(package, Echo(package.shapes), max_body_bytes=4096) as server,
        _connect(server) as sock,
    ):
        sock.sendall(_head(protocol, operation) + _chunk(_first(protocol) + before + prelude))
        status, _, answer = _answer(sock)
    if operation == "Publish":  # the handler reads every event before it answers
        assert status == 400
        message = json.loads(answer)["message"]
    else:
        assert status == 200
        *_, last = _messages(answer)
        assert last.error_code == "SerializationException"
        message = str(last.error_message)
    assert "above the maximum of 4096" in message


def _crc32(data: bytes) -> bytes:
    import zlib

    return zlib.crc32(data).to_bytes(4, "big")


def test_a_stream_that_stalls_ends_within_the_request_timeout(
    generated: tuple[str, ModuleType],
) -> None:
    """Half a frame, then silence: each message has the request timeout to arrive."""
    protocol, package = generated
    with (
        _stub(package, Echo(package.shapes), request_timeout=0.5) as server,
        _connect(server) as sock,
    ):
        half = _text("stalled")[:10]
        sock.sendall(_head(protocol, "Publish") + _chunk(_first(protocol) + _text("one") + half))
        status, _, answer = _answer(sock)
    assert status == 408
    assert "did not arrive in time" in json.loads(answer)["message"]


def test_an_event_the_client_cannot_write_ends_a_duplex_call(package: ModuleType) -> None:
    shapes = package.shapes

    def events() -> Iterator[Any]:
        yield _texts(shapes, ["fine"])[0]
        yield shapes.PublishEvents()  # no member set

    with (
        _stub(package, Echo(shapes)) as server,
        _client(package, server.url) as client,
        pytest.raises(package._transport.RequestBodyError) as caught,
    ):
        answer = client.chat(channel="news", events=events())
        with answer.replies as replies:
            list(replies)
    assert "event 2 cannot be sent: an event has one member set" in str(caught.value)


# -- faults once the answer has begun ---------------------------------------------------------


@pytest.fixture(scope="module")
def refusing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The AWS JSON model under another name, its stub's validation error `Refused`
    (`shapesmith.stub#errors`), which the answer's stream (`Replies`) models."""
    root: Path = tmp_path_factory.mktemp("event-refusing")
    model = _model("awsJson1_0")
    traits = model["shapes"]["example.events#Events"]["traits"]
    traits["aws.api#service"]["sdkId"] = "Event Refusing"
    traits["shapesmith.stub#errors"] = {"validation": "example.events#Refused"}
    model["shapes"]["shapesmith.stub#errors"] = {
        "type": "structure",
        "members": {"validation": {"target": "smithy.api#String"}},
        "traits": {"smithy.api#trait": {"selector": "service"}},
    }
    (root / "model.json").write_text(json.dumps(model))
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--strict", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("event_refusing")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "event_refusing"]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


class Shouting(Echo):
    """Echoes each word in capitals, past the model's length for `EchoEvent.Text` from the
    third on (an event of the handler's that breaks the model)."""

    def chat(self, request: Any) -> Any:
        def replies() -> Iterator[Any]:
            for number, event in enumerate(request.events, 1):
                text = event.text.text.upper() * number
                yield self.shapes.Replies(echo=self.shapes.EchoEvent(number=number, text=text))

        return self.shapes.ChatOutput(replies=replies())


def _refusing_call(package: ModuleType, handler: Any, words: list[str]) -> tuple[list[Any], Any]:
    """The replies read before the stream ended, and the error that ended it."""
    stub = importlib.import_module("event_refusing.stub")
    shapes = package.shapes
    read: list[Any] = []
    with (
        stub.StubServer(stub.create_app(handler)) as server,
        package.EventRefusingClient(
            region_name="us-east-1",
            endpoint_url=server.url,
            aws_access_key_id="AKID",
            aws_secret_access_key=SECRET,
            max_attempts=1,
        ) as client,
        pytest.raises(package.errors.ServiceError) as caught,
    ):
        answer = client.chat(channel="news", events=_texts(shapes, words))
        with answer.replies as replies:
            for reply in replies:
                read.append(reply)
    return read, caught.value


def test_a_bad_event_mid_stream_ends_the_answer_as_the_streams_modelled_error(
    refusing: ModuleType,
) -> None:
    """The stub's validation error is one of the answer's stream: a request's event that
    breaks the model, found once the answer has begun, ends it as that error's exception
    message, which the client raises as its class."""
    read, error = _refusing_call(refusing, Echo(refusing.shapes), ["one", "elevenchars"])
    assert [reply.echo.text for reply in read] == ["one"]
    assert type(error) is refusing.errors.Refused
    assert error.error_code == "Refused"
    assert str(error).startswith("event 2 (Text): 1 validation error detected: Text.Text")


def test_an_answer_event_that_breaks_the_model_is_never_framed(
    refusing: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """The handler's third reply breaks the model: the two before it arrive, then an error
    message naming it (the stream does not model the stub's internal error), for the client
    and in the log."""
    read, error = _refusing_call(
        refusing, Shouting(refusing.shapes), ["abcd", "efgh", "ijkl", "mnop"]
    )
    assert [reply.echo.text for reply in read] == ["ABCD", "EFGHEFGH"]
    assert type(error) is refusing.errors.ServiceError
    assert error.error_code == "InternalFailure"
    expected = "the handler's event 3 of Chat's Replies breaks the model: "
    assert str(error).startswith(expected)
    assert "Echo.Text: length violation" in str(error)
    assert any(record.getMessage().startswith(expected) for record in caplog.records)


# -- frame boundaries -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def publishing(package: ModuleType) -> Iterator[tuple[Any, Echo]]:
    handler = Echo(package.shapes)
    with _stub(package, handler) as server:
        yield server, handler


WORDS = st.lists(st.text(max_size=10), max_size=8)
CUTS = st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=40)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=WORDS, cuts=CUTS, http_cuts=CUTS)
def test_the_events_are_the_same_however_tcp_cuts_the_frames(
    generated: tuple[str, ModuleType],
    publishing: tuple[Any, Echo],
    words: list[str],
    cuts: list[int],
    http_cuts: list[int],
) -> None:
    """The stream is cut into HTTP chunks of one set of sizes and sent in TCP writes of
    another, each write on its own (Nagle off); the handler gets every event, in order."""
    protocol, package = generated
    server, handler = publishing
    body = _first(protocol) + b"".join(_text(word) for word in words)
    chunked = b"".join(_chunk(part) for part in _cut(body, http_cuts)) + b"0\r\n\r\n"
    with _connect(server) as sock:
        for piece in _cut(_head(protocol, "Publish") + chunked, cuts):
            sock.sendall(piece)
        status, _, answer = _answer(sock)
    assert status == 200, answer
    assert json.loads(answer) == {"Read": len(words)}
    assert handler.published == _texts(package.shapes, words)


def _cut(data: bytes, sizes: list[int]) -> list[bytes]:
    """`data` in pieces of the sizes in turn (repeated), none empty."""
    pieces, start, turn = [], 0, 0
    while start < len(data):
        size = sizes[turn % len(sizes)]
        pieces.append(data[start : start + size])
        start += size
        turn += 1
    return pieces


# -- fixtures ---------------------------------------------------------------------------------

CHAT_FIXTURES = {
    "Chat": [
        {
            "match": {
                "Channel": "news",
                "Events": [{"Text": {"Text": "hi"}}, {"Text": {"Text": "bye"}}],
            },
            "response": {
                "Replies": [
                    {"Echo": {"Number": 1, "Kind": "greeting", "Text": "hello"}},
                    {"Echo": {"Number": 2}},
                    {"Refused": {"Message": "that is all"}},
                ]
            },
        },
        {
            "match": {"Events": [{"Headed": {"Kind": "k", "Content": "AHBheWxvYWQ="}}]},
            "response": {"Replies": [{"Echo": {"Number": 7, "Kind": "headed"}}]},
        },
    ]
}


def test_a_fixture_matches_the_events_sent_and_answers_with_its_events(
    package: ModuleType, tmp_path: Path
) -> None:
    shapes, errors = package.shapes, package.errors
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps(CHAT_FIXTURES))
    with _stub(package, None, fixtures=str(path)) as server, _client(package, server.url) as client:
        for _ in range(2):  # each call gets the fixture's events afresh
            answer = client.chat(channel="news", events=_texts(shapes, ["hi", "bye"]))
            found = []
            with pytest.raises(errors.Refused) as caught, answer.replies as replies:
                found.extend(replies)
            assert found == [
                shapes.Replies(echo=shapes.EchoEvent(number=1, kind="greeting", text="hello")),
                shapes.Replies(echo=shapes.EchoEvent(number=2)),
            ]
            assert caught.value.message == "that is all"
        headed = shapes.PublishEvents(headed=shapes.HeadedEvent(kind="k", content=b"\x00payload"))
        with client.chat(channel="other", events=[headed]).replies as replies:
            assert list(replies) == [shapes.Replies(echo=shapes.EchoEvent(number=7, kind="headed"))]
        # More events than the fixture lists, or fewer: no match, so the default (no events).
        for words in (["hi", "bye", "again"], ["hi"]):
            with client.chat(channel="news", events=_texts(shapes, words)).replies as replies:
                assert list(replies) == []


BAD_FIXTURES: list[tuple[str, Any, str]] = [
    (
        "event-breaks-the-union",
        {"Chat": [{"match": {"Events": [{"Text": {"Text": "elevenchars"}}]}, "response": {}}]},
        "/Chat/0/match/Events/0/Text/Text: length violation",
    ),
    (
        "unknown-event",
        {"Chat": [{"match": {"Events": [{"Nope": {}}]}, "response": {}}]},
        "/Chat/0/match/Events/0/Nope: unknown_member violation",
    ),
    (
        "events-not-a-list",
        {"Chat": [{"match": {"Events": {"Text": {"Text": "a"}}}, "response": {}}]},
        "/Chat/0/match/Events: expected a list of events",
    ),
    (
        "reply-breaks-the-union",
        {"Chat": [{"response": {"Replies": [{"Echo": {"Number": "one"}}]}}]},
        "/Chat/0/response/Replies/0/Echo/Number: type violation",
    ),
    (
        "reply-not-an-object",
        {"Chat": [{"responses": [{"response": {"Replies": [5]}}]}]},
        "/Chat/0/responses/0/response/Replies/0: expected an object",
    ),
    (
        "error-before-the-end",
        {"Chat": [{"response": {"Replies": [{"Refused": {}}, {"Echo": {}}]}}]},
        "/Chat/0/response/Replies/0: Refused is an error: it ends the stream",
    ),
    (
        "error-breaks-its-shape",
        {"Chat": [{"response": {"Replies": [{"Refused": {"Message": 3}}]}}]},
        "/Chat/0/response/Replies/0/Refused/Message: type violation",
    ),
    (
        "blob-not-base64",
        {"Publish": [{"match": {"Events": [{"Headed": {"Content": "%%"}}]}, "response": {}}]},
        "/Publish/0/match/Events/0/Headed/Content: type violation",
    ),
]


@pytest.mark.parametrize(
    ("data", "says"), [case[1:] for case in BAD_FIXTURES], ids=[case[0] for case in BAD_FIXTURES]
)
def test_a_bad_event_fixture_is_refused_naming_the_file_and_pointer(
    package: ModuleType, tmp_path: Path, data: Any, says: str
) -> None:
    stub = importlib.import_module("event_input.stub")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(stub.FixtureError) as caught:
        stub.create_app(fixtures=str(path))
    assert str(caught.value).startswith(f"{path}: ")
    assert says in str(caught.value)


class Dribble:
    """A body handed over in pieces of the given sizes in turn: with `read1`, as a socket gives
    what has arrived; without it, only what each `read` asks for exists."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self._data = data
        self._sizes = sizes
        self._turn = 0

    def read(self, size: int = -1, /) -> bytes:
        size = len(self._data) if size < 0 else size
        data, self._data = self._data[:size], self._data[size:]
        return data

    def read1(self, size: int = -1, /) -> bytes:
        most = self._sizes[self._turn % len(self._sizes)]
        self._turn += 1
        return self.read(most if size < 0 else min(size, most))


class Plain:
    def __init__(self, body: Dribble) -> None:
        self.read = body.read


@settings(max_examples=60, deadline=None)
@given(words=WORDS, cuts=CUTS, signed=st.booleans(), plain=st.booleans())
def test_the_stub_reads_the_same_messages_however_its_reader_hands_them_over(
    package: ModuleType, words: list[str], cuts: list[int], signed: bool, plain: bool
) -> None:
    """In process, over both of `RequestEvents`' ways of reading (what has arrived, or each
    frame's exact bytes), signed envelopes included (unwrapped unchecked)."""
    events = importlib.import_module("event_input.stub._events")
    framing = package._eventstream  # the package's own classes, which its messages compare with
    messages = [framing.EventStreamMessage.event("Text", word.encode()) for word in words]
    frames = [message.encode() for message in messages]
    if signed:
        envelope = {":date": framing.Timestamp(0), ":chunk-signature": b"\0" * 32}
        frames = [framing.EventStreamMessage(envelope, f).encode() for f in [*frames, b""]]
    body = Dribble(b"".join(frames), cuts)
    assert list(events.RequestEvents(Plain(body) if plain else body)) == messages
