"""Streaming payloads in the restJson1 client, against a real HTTP server on 127.0.0.1.

- `@streaming` blobs: a request payload that is a binary file object is sent as it is read (a
  50 MB file with a small, measured memory peak; with `Content-Length` where its size is known,
  chunked where not); a response payload is a `StreamingBody` read in chunks, whose short body
  raises, and whose connection goes back to the pool only when it has been read to its end.
- Event streams (`@streaming` unions): typed events from frames as they arrive, `@eventHeader`
  and `@eventPayload` members, modelled error events raised as their class, error frames as
  `ServiceError`; a hostile stream (bad CRC, oversize frame, cut prelude) ends with a clear error
  at once, never a hang.
- botocore as a peer: a generated bedrock-runtime client and botocore's own client read the same
  ConverseStream frames (encoded by our `_eventstream`) into the same events and errors.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import importlib
import io
import json
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

import pytest

from generator.cli import main
from templates import _eventstream as es
from tests.conftest import GIVEN_ENDPOINT_RULES, REPO

NS = "example.streams"
SERVICE = f"{NS}#StreamThings"
BEDROCK_MODEL = (
    Path(__file__).resolve().parents[2]
    / "shared/reference/models/aws-corpus/restJson1/bedrock-runtime-2023-09-30.json"
)
EVENT_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n"
    b"x-amzn-RequestId: req-1\r\nTransfer-Encoding: chunked\r\n\r\n"
)


def _member(target: str, **traits: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"target": target}
    if traits:
        found["traits"] = {f"smithy.api#{name}": value for name, value in traits.items()}
    return found


def _model() -> dict[str, Any]:
    def operation(name: str, method: str, uri: str, **traits: Any) -> dict[str, Any]:
        return {
            "type": "operation",
            "input": {"target": f"{NS}#{name}Input"},
            "output": {"target": f"{NS}#{name}Output"},
            "traits": {
                "smithy.api#http": {"method": method, "uri": uri},
                **{f"smithy.api#{name}": value for name, value in traits.items()},
            },
        }

    def structure(members: dict[str, Any], **traits: Any) -> dict[str, Any]:
        return {
            "type": "structure",
            "members": members,
            "traits": {f"smithy.api#{name}": value for name, value in traits.items()},
        }

    return {
        "smithy": "2.0",
        "shapes": {
            SERVICE: {
                "type": "service",
                "version": "2024-01-01",
                "operations": [
                    {"target": f"{NS}#PutObject"},
                    {"target": f"{NS}#GetObject"},
                    {"target": f"{NS}#Subscribe"},
                ],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "aws.auth#sigv4": {"name": "things"},
                    "aws.api#service": {"sdkId": "Stream Things"},
                    "smithy.rules#endpointRuleSet": GIVEN_ENDPOINT_RULES,
                },
            },
            f"{NS}#Stream": {"type": "blob", "traits": {"smithy.api#streaming": {}}},
            f"{NS}#PutObject": operation("PutObject", "PUT", "/objects/{Key}", idempotent={}),
            f"{NS}#PutObjectInput": structure(
                {
                    "Key": _member("smithy.api#String", required={}, httpLabel={}),
                    "Body": _member(f"{NS}#Stream", httpPayload={}),
                },
                input={},
            ),
            f"{NS}#PutObjectOutput": structure(
                {"ETag": _member("smithy.api#String", httpHeader="ETag")}, output={}
            ),
            f"{NS}#GetObject": operation("GetObject", "GET", "/objects/{Key}", readonly={}),
            f"{NS}#GetObjectInput": structure(
                {"Key": _member("smithy.api#String", required={}, httpLabel={})}, input={}
            ),
            f"{NS}#GetObjectOutput": structure(
                {
                    "Body": _member(f"{NS}#Stream", httpPayload={}, default=""),
                    "ETag": _member("smithy.api#String", httpHeader="ETag"),
                },
                output={},
            ),
            f"{NS}#Subscribe": operation("Subscribe", "POST", "/subscribe"),
            f"{NS}#SubscribeInput": structure(
                {"Topic": _member("smithy.api#String", httpQuery="topic")}, input={}
            ),
            f"{NS}#SubscribeOutput": structure(
                {
                    "Events": _member(f"{NS}#Events", httpPayload={}),
                    "Since": _member("smithy.api#String", httpHeader="X-Since"),
                },
                output={},
            ),
            f"{NS}#Events": {
                "type": "union",
                "members": {
                    "Tick": _member(f"{NS}#Tick"),
                    "Data": _member(f"{NS}#Data"),
                    "Failed": _member(f"{NS}#StreamFailed"),
                },
                "traits": {"smithy.api#streaming": {}},
            },
            f"{NS}#Tick": structure(
                {
                    "At": _member("smithy.api#Timestamp", eventHeader={}),
                    "Count": _member("smithy.api#Integer", eventHeader={}),
                    "Urgent": _member("smithy.api#Boolean", eventHeader={}),
                    "Note": _member("smithy.api#String"),
                }
            ),
            f"{NS}#Data": structure(
                {
                    "Payload": _member("smithy.api#Blob", eventPayload={}),
                    "Kind": _member("smithy.api#String", eventHeader={}),
                }
            ),
            f"{NS}#StreamFailed": structure(
                {
                    "message": _member("smithy.api#String"),
                    "Reason": _member("smithy.api#String"),
                },
                error="server",
            ),
        },
    }


def _generate(root: Path, model: Path, package: str) -> Iterator[ModuleType]:
    (root / "shapesmith.toml").write_text(f'models = ["{model}"]\noutput = "out"\n')
    assert main(["generate", "-q", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module(package)
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == package]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


@pytest.fixture(scope="module")
def things(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("stream-things")
    (root / "model.json").write_text(json.dumps(_model()))
    yield from _generate(root, root / "model.json", "stream_things")


@pytest.fixture(scope="module")
def bedrock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    if not BEDROCK_MODEL.exists():
        pytest.skip(f"{BEDROCK_MODEL} is not here")
    yield from _generate(tmp_path_factory.mktemp("bedrock"), BEDROCK_MODEL, "bedrock_runtime")


# -- a raw HTTP/1.1 server ----------------------------------------------------------------------

Handler = Callable[[BinaryIO, socket.socket], None]


class Server:
    """Each connection is served by `handler(rfile, sock)` on a thread of its own; a handler
    may answer several requests of a kept-alive connection."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.handler: Handler = lambda rfile, sock: None
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(sock, self.handler), daemon=True).start()

    @staticmethod
    def _answer(sock: socket.socket, handler: Handler) -> None:
        sock.settimeout(20)
        with sock, sock.makefile("rb") as rfile, contextlib.suppress(OSError):
            handler(rfile, sock)

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self._thread.join(timeout=5)


@pytest.fixture
def server() -> Iterator[Server]:
    started = Server()
    try:
        yield started
    finally:
        started.close()


def read_head(rfile: BinaryIO) -> tuple[str, str, dict[str, str]] | None:
    line = rfile.readline()
    if not line:
        return None
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while (line := rfile.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return method, target, headers


def body_chunks(rfile: BinaryIO, headers: dict[str, str]) -> Iterator[bytes]:
    """The request body as it arrives, never held whole."""
    if "content-length" in headers:
        left = int(headers["content-length"])
        while left:
            chunk = rfile.read(min(left, 65536))
            if not chunk:
                raise ConnectionResetError
            left -= len(chunk)
            yield chunk
    elif headers.get("transfer-encoding") == "chunked":
        while size := int(rfile.readline().split(b";")[0], 16):
            yield rfile.read(size)
            assert rfile.readline() == b"\r\n"
        while rfile.readline() not in (b"\r\n", b""):
            pass


def chunked(*pieces: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def _client(package: ModuleType, server: Server, **settings: Any) -> Any:
    client_class = next(
        getattr(package, name) for name in package.__all__ if name.endswith("Client")
    )
    return client_class(
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        **{"max_attempts": 1, "read_timeout": 10.0, **settings},
    )


# -- @streaming blobs: requests -----------------------------------------------------------------


class Received:
    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.size = 0
        self.sha256 = ""


def _upload_handler(received: Received) -> Handler:
    def handler(rfile: BinaryIO, sock: socket.socket) -> None:
        while (head := read_head(rfile)) is not None:
            received.headers = head[2]
            digest = hashlib.sha256()
            received.size = 0
            for chunk in body_chunks(rfile, head[2]):
                digest.update(chunk)
                received.size += len(chunk)
            received.sha256 = digest.hexdigest()
            sock.sendall(b'HTTP/1.1 200 OK\r\nETag: "e1"\r\nContent-Length: 0\r\n\r\n')

    return handler


def test_a_50_mb_file_object_is_uploaded_with_its_length_and_bounded_memory(
    things: ModuleType, server: Server, tmp_path: Path, no_aws_configuration: None
) -> None:
    size = 50 * 1024 * 1024
    digest = hashlib.sha256()
    path = tmp_path / "big.bin"
    with path.open("wb") as out:
        block = bytes(range(256)) * 4096  # 1 MiB
        for i in range(50):
            piece = block[i:] + block[:i]
            digest.update(piece)
            out.write(piece)
    received = Received()
    server.handler = _upload_handler(received)
    with _client(things, server) as client, path.open("rb") as body:
        client.put_object(key="k", body=b"warm-up")  # imports and connections before measuring
        tracemalloc.start()
        try:
            output = client.put_object(key="big", body=body)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert output.e_tag == '"e1"'
    assert received.size == size
    assert received.sha256 == digest.hexdigest()
    assert received.headers["content-length"] == str(size)
    assert "transfer-encoding" not in received.headers
    # Signed with the file's real hash, read in chunks and rewound before sending.
    assert received.headers["x-amz-content-sha256"] == digest.hexdigest()
    assert received.headers["content-type"] == "application/octet-stream"
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes while sending {size}"


class OnlyRead:
    """A binary stream that can be read once, front to back: no seek, no tell, no fileno."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1, /) -> bytes:
        return self._data.read(min(size, 1000) if size > 0 else size)


def test_a_stream_of_unknown_size_is_sent_chunked_and_unsigned(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    data = bytes(range(256)) * 1000
    received = Received()
    server.handler = _upload_handler(received)
    with _client(things, server) as client:
        client.put_object(key="k", body=OnlyRead(data))
    assert received.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in received.headers
    assert received.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert (received.size, received.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_bytes_are_sent_as_before(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    received = Received()
    server.handler = _upload_handler(received)
    with _client(things, server) as client:
        client.put_object(key="k", body=b"hello")
    assert received.headers["content-length"] == "5"
    assert "x-amz-content-sha256" not in received.headers
    assert received.sha256 == hashlib.sha256(b"hello").hexdigest()


def test_a_file_object_is_retried_from_where_it_started(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    bodies: list[bytes] = []

    def handler(rfile: BinaryIO, sock: socket.socket) -> None:
        while (head := read_head(rfile)) is not None:
            bodies.append(b"".join(body_chunks(rfile, head[2])))
            if len(bodies) == 1:
                sock.sendall(b"HTTP/1.1 503 Slow Down\r\nContent-Length: 0\r\n\r\n")
            else:
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    server.handler = handler
    body = io.BytesIO(b"skip:payload")
    body.seek(5)
    with _client(things, server, max_attempts=2) as client:
        client.put_object(key="k", body=body)
    assert bodies == [b"payload", b"payload"]


@pytest.mark.slow
def test_the_package_is_type_checked_and_lint_clean(things: ModuleType) -> None:
    folder = Path(str(things.__file__)).parents[1]
    config = str(REPO / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null"],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config],
    ):
        result = subprocess.run(
            [*command, "stream_things"], cwd=folder, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_stream_annotations_say_which_way_the_stream_goes(things: ModuleType) -> None:
    hints = typing.get_type_hints
    assert typing.get_args(hints(things.shapes.PutObjectInput)["body"]) == (
        bytes,
        bytearray,
        things._runtime.Readable,
        type(None),
    )
    assert hints(things.shapes.GetObjectOutput)["body"] is things._runtime.StreamingBody
    # `@default("")`: an empty body to read, a fresh one each time.
    first, second = things.shapes.GetObjectOutput(), things.shapes.GetObjectOutput()
    assert first.body is not second.body
    assert first.body.read() == b""


def test_a_stream_that_cannot_be_read_again_is_not_retried(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    bodies: list[bytes] = []

    def handler(rfile: BinaryIO, sock: socket.socket) -> None:
        while (head := read_head(rfile)) is not None:
            bodies.append(b"".join(body_chunks(rfile, head[2])))
            sock.sendall(b"HTTP/1.1 503 Slow Down\r\nContent-Length: 0\r\n\r\n")

    server.handler = handler
    with _client(things, server, max_attempts=3) as client, pytest.raises(things.ServiceError):
        client.put_object(key="k", body=OnlyRead(b"once"))
    assert bodies == [b"once"]


def test_validation_does_not_read_a_stream(things: ModuleType) -> None:
    class Untouchable:
        def read(self, size: int = -1, /) -> bytes:
            raise AssertionError("read during validation")

    request = things.shapes.PutObjectInput(key="k", body=Untouchable())
    assert things.validators.validate_put_object_input(request) == []
    wrong = things.validators.validate_put_object_input(
        things.shapes.PutObjectInput(key="k", body=42)
    )
    assert [(v.path, v.constraint) for v in wrong] == [("Body", "type")]


# -- @streaming blobs: responses ----------------------------------------------------------------


def _download_handler(size: int, *, send: int | None = None) -> Handler:
    """Answer each GET with `size` bytes announced and `send` of them sent (all by default);
    a short body ends the connection."""

    def handler(rfile: BinaryIO, sock: socket.socket) -> None:
        while read_head(rfile) is not None:
            sock.sendall(
                b'HTTP/1.1 200 OK\r\nETag: "d1"\r\nContent-Type: application/octet-stream\r\n'
                b"Content-Length: %d\r\n\r\n" % size
            )
            left = size if send is None else send
            block = bytes(range(256)) * 256
            while left:
                piece = block[: min(left, len(block))]
                sock.sendall(piece)
                left -= len(piece)
            if send is not None:
                return

    return handler


def test_a_download_is_read_in_chunks_and_releases_its_connection(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    size = 5 * 1024 * 1024 + 7
    server.handler = _download_handler(size)
    with _client(things, server) as client:
        output = client.get_object(key="k")
        assert output.e_tag == '"d1"'
        body = output.body
        assert isinstance(body, things._runtime.StreamingBody)
        assert body.content_length == size
        with body:
            total = 0
            chunk_sizes = set()
            for chunk in body.iter_chunks(65536):
                total += len(chunk)
                chunk_sizes.add(len(chunk))
        assert total == size
        assert chunk_sizes == {65536, size % 65536}
        # Read to its end: the connection went back to the pool and serves the next call.
        with client.get_object(key="k").body as again:
            assert len(again.read()) == size
    assert server.connections == 1


def test_a_body_closed_early_closes_its_connection(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    server.handler = _download_handler(1024 * 1024)
    with _client(things, server) as client:
        with client.get_object(key="k").body as body:
            assert len(body.read(10)) == 10
        assert body.closed
        with client.get_object(key="k").body as body:
            assert len(body.read()) == 1024 * 1024
    assert server.connections == 2  # the unread rest would have been taken for an answer


def test_a_short_body_raises_incomplete_read(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    server.handler = _download_handler(100_000, send=60_000)
    with _client(things, server) as client:
        body = client.get_object(key="k").body
        with pytest.raises(things._runtime.IncompleteReadError) as raised:
            body.read()
    assert (raised.value.actual_bytes, raised.value.expected_bytes) == (60_000, 100_000)
    assert "ended after 60000 of the 100000 bytes" in str(raised.value)


def test_a_failed_streaming_call_reads_its_error_as_any_other(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    def handler(rfile: BinaryIO, sock: socket.socket) -> None:
        read_head(rfile)
        body = b'{"message": "no such key"}'
        sock.sendall(
            b"HTTP/1.1 404 Not Found\r\nX-Amzn-ErrorType: NoSuchKey\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )

    server.handler = handler
    with _client(things, server) as client, pytest.raises(things.ServiceError) as raised:
        client.get_object(key="k")
    assert (raised.value.error_code, str(raised.value)) == ("NoSuchKey", "no such key")


def test_a_transport_that_reads_whole_bodies_still_gives_a_streaming_body(
    things: ModuleType, no_aws_configuration: None
) -> None:
    class WholeBodies:
        def send(self, request: Any) -> Any:
            assert request.stream_response
            return things.HttpResponse(status=200, headers={"content-length": "3"}, body=b"abc")

        def close(self) -> None:
            pass

    client = things.StreamThingsClient(
        region_name="us-east-1",
        endpoint_url="https://example.com",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        transport=WholeBodies(),
    )
    with client.get_object(key="k").body as body:
        assert list(body.iter_chunks(2)) == [b"ab", b"c"]


# -- event streams ------------------------------------------------------------------------------


def _stream_handler(*pieces: bytes, close_after: bool = False, hold: float = 0.0) -> Handler:
    """Answer with an event-stream response whose body is `pieces` as chunks; with
    `close_after`, the connection is closed instead of ending the body; with `hold`, the
    connection then stays open that long without another byte."""

    def handler(rfile: BinaryIO, sock: socket.socket) -> None:
        head = read_head(rfile)
        assert head is not None
        for _ in body_chunks(rfile, head[2]):
            pass
        if close_after:
            sock.sendall(EVENT_STREAM_HEAD + chunked(*pieces)[: -len(b"0\r\n\r\n")])
        elif hold:
            sock.sendall(EVENT_STREAM_HEAD + chunked(*pieces)[: -len(b"0\r\n\r\n")])
            time.sleep(hold)
        else:
            sock.sendall(EVENT_STREAM_HEAD + chunked(*pieces))

    return handler


def _tick(count: int, note: str) -> bytes:
    return es.EventStreamMessage.event(
        "Tick",
        json.dumps({"Note": note}).encode(),
        content_type="application/json",
        headers={
            "At": es.Timestamp(1_700_000_000_250),
            "Count": es.Integer(count),
            "Urgent": count % 2 == 1,
        },
    ).encode()


def test_events_are_typed_with_their_header_and_payload_members(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    data = es.EventStreamMessage.event(
        "Data", b"\x00raw\xff", content_type="application/octet-stream", headers={"Kind": "bin"}
    ).encode()
    future = es.EventStreamMessage.event("NewKind", b"{}").encode()
    server.handler = _stream_handler(_tick(1, "first"), data[:7], data[7:], future, _tick(2, "b"))
    with _client(things, server) as client:
        output = client.subscribe(topic="t")
        with output.events as events:
            found = list(events)
    shapes = things.shapes
    moment = datetime.datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=datetime.UTC)
    # A kind of event the model does not have is no lost event: it keeps its place and message.
    newer = found.pop(2)
    assert (newer.tick, newer.data, newer.unknown.name) == (None, None, "NewKind")
    assert newer.unknown.value.encode() == future
    assert found == [
        shapes.Events(tick=shapes.Tick(at=moment, count=1, urgent=True, note="first")),
        shapes.Events(data=shapes.Data(payload=b"\x00raw\xff", kind="bin")),
        shapes.Events(tick=shapes.Tick(at=moment, count=2, urgent=False, note="b")),
    ]
    assert events.closed


def test_events_arrive_as_they_are_sent(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    first_read = threading.Event()

    def handler(rfile: BinaryIO, sock: socket.socket) -> None:
        read_head(rfile)
        sock.sendall(EVENT_STREAM_HEAD + b"%x\r\n%s\r\n" % (len(_tick(1, "a")), _tick(1, "a")))
        assert first_read.wait(10), "the client did not see the first event alone"
        sock.sendall(chunked(_tick(2, "b")))

    server.handler = handler
    with _client(things, server) as client, client.subscribe().events as events:
        assert next(events).tick.note == "a"
        first_read.set()
        assert [event.tick.note for event in events] == ["b"]


def test_a_modelled_error_event_is_raised_as_its_class(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    failure = es.EventStreamMessage.exception(
        "Failed",
        json.dumps({"message": "went wrong", "Reason": "disk"}).encode(),
        content_type="application/json",
    ).encode()
    server.handler = _stream_handler(_tick(1, "a"), failure, _tick(2, "never"))
    with _client(things, server) as client:
        events = client.subscribe().events
        assert next(events).tick.note == "a"
        with pytest.raises(things.errors.StreamFailed) as raised:
            next(events)
    error = raised.value
    assert (error.error_code, str(error), error.reason) == ("Failed", "went wrong", "disk")
    assert events.closed
    assert list(events) == []


def test_an_error_frame_is_a_service_error_with_its_code_and_message(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    frame = es.EventStreamMessage.error("InternalFailure", "the stream broke").encode()
    server.handler = _stream_handler(frame)
    with _client(things, server) as client, pytest.raises(things.ServiceError) as raised:
        list(client.subscribe().events)
    assert type(raised.value) is things.ServiceError
    assert (raised.value.error_code, str(raised.value)) == ("InternalFailure", "the stream broke")


def _expect_decode_error(things: ModuleType, server: Server, handler: Handler, reason: str) -> None:
    server.handler = handler
    started = time.monotonic()
    with _client(things, server, read_timeout=5.0) as client:
        events = client.subscribe().events
        with pytest.raises(things._eventstream.EventStreamDecodeError) as raised:
            list(events)
    assert time.monotonic() - started < 3, "the client waited for a stream that cannot be read"
    assert reason in str(raised.value)
    assert events.closed


def test_a_frame_with_a_bad_crc_ends_the_stream(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    frame = bytearray(_tick(2, "bad"))
    frame[-6] ^= 0x01  # a payload byte: the message CRC no longer matches
    _expect_decode_error(
        things, server, _stream_handler(_tick(1, "ok"), bytes(frame)), "message CRC mismatch"
    )


def test_an_oversize_frame_is_refused_from_its_prelude_without_waiting(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    import struct
    import zlib

    lengths = struct.pack("!II", 64 * 1024 * 1024, 0)
    prelude = lengths + struct.pack("!I", zlib.crc32(lengths))
    _expect_decode_error(things, server, _stream_handler(prelude, hold=8.0), "above the maximum")


def test_a_stream_that_ends_inside_a_prelude_says_so(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    _expect_decode_error(
        things, server, _stream_handler(_tick(1, "a"), _tick(2, "b")[:5]), "ended inside a frame"
    )


def test_a_stalled_stream_times_out_after_read_timeout_per_read(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    server.handler = _stream_handler(_tick(1, "a"), hold=8.0)
    with _client(things, server, read_timeout=1.0) as client:
        events = client.subscribe().events
        assert next(events).tick.note == "a"
        started = time.monotonic()
        with pytest.raises(things.TransportError, match="no more of the response body"):
            next(events)
    assert 0.8 < time.monotonic() - started < 3
    assert events.closed


def test_a_connection_dropped_inside_the_stream_is_a_transport_error(
    things: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    server.handler = _stream_handler(_tick(1, "a"), _tick(2, "b")[:5], close_after=True)
    with _client(things, server) as client:
        events = client.subscribe().events
        with pytest.raises(things.TransportError, match="middle of a chunked body"):
            list(events)


# -- botocore as a peer: bedrock-runtime ConverseStream -----------------------------------------


def _converse_frames() -> list[bytes]:
    def event(name: str, body: dict[str, Any]) -> bytes:
        payload = json.dumps({**body, "p": "abcdefgh"}).encode()  # Bedrock pads its events
        return es.EventStreamMessage.event(name, payload, content_type="application/json").encode()

    return [
        event("messageStart", {"role": "assistant"}),
        event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hel"}}),
        event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "lo"}}),
        event("contentBlockStop", {"contentBlockIndex": 0}),
        event("messageStop", {"stopReason": "end_turn"}),
        event(
            "metadata",
            {
                "usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
                "metrics": {"latencyMs": 42},
            },
        ),
    ]


def _botocore_client(server: Server) -> Any:
    import botocore.session  # type: ignore[import-untyped]

    return botocore.session.get_session().create_client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=server.url,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
    )


def _converse(bedrock: ModuleType, server: Server) -> Any:
    shapes = bedrock.shapes
    with _client(bedrock, server) as client:
        return client.converse_stream(
            model_id="m",
            messages=[shapes.Message(role="user", content=[shapes.ContentBlock(text="hi")])],
        )


def test_converse_stream_reads_as_botocore_reads_it(
    bedrock: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    frames = _converse_frames()
    server.handler = _stream_handler(*frames)
    with _converse(bedrock, server).stream as stream:
        ours = [event.to_dict() for event in stream]
    boto = _botocore_client(server).converse_stream(
        modelId="m", messages=[{"role": "user", "content": [{"text": "hi"}]}]
    )
    theirs = list(boto["stream"])
    assert ours == theirs
    assert len(ours) == len(frames)


def test_converse_stream_error_event_as_botocore_reads_it(
    bedrock: ModuleType, server: Server, no_aws_configuration: None
) -> None:
    from botocore.exceptions import EventStreamError  # type: ignore[import-untyped]

    failure = es.EventStreamMessage.exception(
        "modelStreamErrorException",
        json.dumps(
            {"message": "stream failed", "originalStatusCode": 500, "originalMessage": "o"}
        ).encode(),
        content_type="application/json",
    ).encode()
    server.handler = _stream_handler(_converse_frames()[0], failure)
    stream = _converse(bedrock, server).stream
    assert next(stream).message_start.role == "assistant"
    with pytest.raises(bedrock.errors.ModelStreamErrorException) as raised:
        next(stream)
    ours = raised.value
    boto = _botocore_client(server).converse_stream(
        modelId="m", messages=[{"role": "user", "content": [{"text": "hi"}]}]
    )
    with pytest.raises(EventStreamError) as boto_raised:
        list(boto["stream"])
    theirs = boto_raised.value.response
    assert ours.error_code == theirs["Error"]["Code"] == "modelStreamErrorException"
    assert str(ours) == theirs["Error"]["Message"] == "stream failed"
    # botocore keeps the code and message only; ours reads the modelled members too.
    assert (ours.original_status_code, ours.original_message) == (500, "o")


def test_botocore_and_ours_decode_the_same_frames(bedrock: ModuleType) -> None:
    from botocore.eventstream import EventStreamBuffer  # type: ignore[import-untyped]

    stream = b"".join(_converse_frames())
    buffer = EventStreamBuffer()
    buffer.add_data(stream)
    theirs = [(dict(message.headers), message.payload) for message in buffer]
    ours = [
        (dict(message.headers), message.payload)
        for message in bedrock._eventstream.decode_stream(
            [stream[i : i + 13] for i in range(0, len(stream), 13)]
        )
    ]
    assert ours == theirs
