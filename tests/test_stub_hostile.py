"""The generated stub against hostile clients: raw bytes over real sockets on 127.0.0.1.

Whatever a client sends, the stub answers a clear 4xx (or closes the connection), logs no
traceback, holds no worker thread past its request timeout and goes on serving everyone else.
Every read in these tests has a socket timeout, so a stub that hangs fails instead of hanging.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import logging
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rekognition.stub import HEALTH_PATH, StubServer, serve

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET = "RekognitionService."
SESSION = "3f1c6a52-0b8e-4c1e-9a57-6f1b2c3d4e5f"
READ_TIMEOUT = 10.0


class _Problems(logging.Handler):
    """Collects what the stub logs at WARNING or above, and every record with a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.WARNING:
            self.found.append(self.format(record))


@contextlib.contextmanager
def watched() -> Iterator[tuple[_Problems, io.StringIO]]:
    """What the stub logs (its logger) and what anything prints to stderr, while it runs."""
    problems = _Problems()
    logger = logging.getLogger("rekognition")
    old_level = logger.level
    logger.addHandler(problems)
    logger.setLevel(logging.DEBUG)
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr):
            yield problems, stderr
    finally:
        logger.removeHandler(problems)
        logger.setLevel(old_level)


def assert_quiet(problems: _Problems, stderr: io.StringIO) -> None:
    assert problems.found == []
    assert "Traceback" not in stderr.getvalue(), stderr.getvalue()


def exchange(server: StubServer, data: bytes, *, shutdown_write: bool = True) -> bytes:
    """Send `data`, then read until the stub closes (or a read times out)."""
    with socket.create_connection((server.host, server.port), timeout=READ_TIMEOUT) as sock:
        with contextlib.suppress(OSError):  # the stub may refuse and close before all is sent
            sock.sendall(data)
            if shutdown_write:
                sock.shutdown(socket.SHUT_WR)
        received = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                received += chunk
        return received


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response[9:12])


def split_response(response: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status_of(response), headers, body


def healthy(server: StubServer) -> bool:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=READ_TIMEOUT)
    try:
        connection.request("GET", HEALTH_PATH)
        response = connection.getresponse()
        return response.status == 200 and json.loads(response.read()) == {"status": "ok"}
    finally:
        connection.close()


def request(
    body: bytes = b"{}",
    *,
    method: str = "POST",
    target: str = "CreateFaceLivenessSession",
    length: str | None = None,
    extra: str = "",
) -> bytes:
    length_line = f"Content-Length: {len(body) if length is None else length}\r\n"
    head = (
        f"{method} / HTTP/1.1\r\nHost: stub\r\nContent-Type: {CONTENT_TYPE}\r\n"
        f"X-Amz-Target: {TARGET}{target}\r\n{length_line if length != '' else ''}{extra}\r\n"
    )
    return wire(head) + body


def wire(text: str) -> bytes:
    """Text as a client would put it on the wire: Latin-1 where it can (so that U+00B2 arrives
    as the one byte 0xB2, which Python reads back as a digit), UTF-8 where it cannot."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def chunked(*chunks: bytes | tuple[str, bytes], target: str = "CreateFaceLivenessSession") -> bytes:
    """A chunked request; a chunk is its data, or (the size line to send, its data)."""
    framed = b""
    for chunk in chunks:
        size, data = chunk if isinstance(chunk, tuple) else (f"{len(chunk):x}", chunk)
        framed += wire(size) + b"\r\n" + data + b"\r\n"
    return request(framed + b"0\r\n\r\n", length="", extra="Transfer-Encoding: chunked\r\n")


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with serve(max_body_bytes=4096, request_timeout=5) as running:
        yield running


@pytest.fixture
def quiet(server: StubServer) -> Iterator[None]:
    """The test's exchanges log no problem, and the stub still serves afterwards."""
    with watched() as (problems, stderr):
        yield
        assert healthy(server)
    assert_quiet(problems, stderr)


# -- HEAD and other methods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "status"), [("/", 405), (HEALTH_PATH, 200), ("/elsewhere", 404)]
)
def test_head_answers_carry_headers_and_no_body(
    server: StubServer, quiet: None, target: str, status: int
) -> None:
    answer = exchange(server, f"HEAD {target} HTTP/1.1\r\nHost: stub\r\n\r\n".encode())
    got, headers, body = split_response(answer)
    assert (got, body) == (status, b"")
    assert int(headers["content-length"]) > 0  # the length a GET would have had


def test_a_head_answer_leaves_a_keep_alive_connection_in_step(
    server: StubServer, quiet: None
) -> None:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=READ_TIMEOUT)
    try:
        for method in ("HEAD", "GET", "HEAD", "GET"):
            connection.request(method, HEALTH_PATH)
            response = connection.getresponse()
            assert response.status == 200
            assert response.read() == (b"" if method == "HEAD" else b'{"status":"ok"}')
    finally:
        connection.close()


def test_a_refused_head_request_has_no_body_either(server: StubServer, quiet: None) -> None:
    answer = exchange(server, b"HEAD / HTTP/1.1\r\nContent-Length: \xd9\xa1\r\n\r\n")
    got, headers, body = split_response(answer)
    assert (got, body, headers["connection"]) == (400, b"", "close")


@pytest.mark.parametrize(
    "method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "BREW"]
)
def test_every_method_but_post_on_the_service_path_is_a_405_naming_post(
    server: StubServer, quiet: None, method: str
) -> None:
    answer = exchange(server, f"{method} / HTTP/1.1\r\nHost: stub\r\n\r\n".encode())
    got, headers, body = split_response(answer)
    assert (got, headers["allow"]) == (405, "POST")
    assert headers["x-amzn-errortype"] == json.loads(body)["__type"]


def test_health_refuses_other_methods_with_405(server: StubServer, quiet: None) -> None:
    got, headers, _ = split_response(
        exchange(server, request(method="POST").replace(b"POST /", b"POST " + HEALTH_PATH.encode()))
    )
    assert (got, headers["allow"]) == (405, "GET, HEAD")


# -- Content-Length and Transfer-Encoding ------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "status"),
    [
        ("\u0661", 400),  # ARABIC-INDIC DIGIT ONE, as UTF-8
        ("\u00b2", 400),  # SUPERSCRIPT TWO, the byte 0xB2: str.isdigit() says yes, int() no
        ("\u00b9\u00b3", 400),  # SUPERSCRIPT ONE and THREE
        ("\uff12", 400),  # FULLWIDTH DIGIT TWO
        ("-1", 400),
        ("+2", 400),
        ("0x2", 400),
        ("2.0", 400),
        ("1e3", 400),
        ("", 400),
        ("2 2", 400),
        ("1" * 5000, 413),  # Python will not convert it; it is over any limit anyway
        ("0" * 5000 + "2", 200),  # ...but leading zeros do not make a number large
        ("99999999999999999999999", 413),
    ],
)
def test_content_length_is_ascii_digits_only(
    server: StubServer, quiet: None, length: str, status: int
) -> None:
    answer = exchange(
        server, request(length=length, extra="" if length else "Content-Length: \r\n")
    )
    got, headers, body = split_response(answer)
    assert got == status, answer[:300]
    if status != 200:
        assert headers["connection"] == "close" and json.loads(body)["__type"]


@pytest.mark.parametrize(
    ("extra", "status", "code"),
    [
        ("Content-Length: 5\r\n", 400, "BadRequestException"),  # a second, different length
        ("Transfer-Encoding: chunked\r\n", 400, "BadRequestException"),  # both framings
        ("Transfer-Encoding: gzip\r\n", 400, "BadRequestException"),
    ],
)
def test_conflicting_framings_are_refused(
    server: StubServer, quiet: None, extra: str, status: int, code: str
) -> None:
    got, _, body = split_response(exchange(server, request(extra=extra)))
    assert (got, json.loads(body)["__type"]) == (status, code)


def test_the_same_length_twice_is_one_length(server: StubServer, quiet: None) -> None:
    assert status_of(exchange(server, request(extra="Content-Length: 2\r\n"))) == 200
    assert status_of(exchange(server, request(length="2, 2"))) == 200


@pytest.mark.parametrize(
    ("codings", "version"),
    [("gzip", "1.1"), ("chunked, gzip", "1.1"), ("gzip, chunked", "1.1"), ("chunked", "1.0")],
)
def test_transfer_codings_other_than_chunked_are_501(
    server: StubServer, quiet: None, codings: str, version: str
) -> None:
    data = (
        f"POST / HTTP/{version}\r\nContent-Type: {CONTENT_TYPE}\r\n"
        f"X-Amz-Target: {TARGET}CreateFaceLivenessSession\r\nTransfer-Encoding: {codings}\r\n\r\n"
        "2\r\n{}\r\n0\r\n\r\n"
    ).encode()
    assert status_of(exchange(server, data)) == 501


# -- chunked bodies ----------------------------------------------------------------------------


def test_a_chunked_body_is_read(server: StubServer, quiet: None) -> None:
    got, _, body = split_response(
        exchange(server, chunked(b"{", b'"ClientRequestToken"', b': "c-1"}'))
    )
    assert got == 200 and json.loads(body)["SessionId"]
    with_extras = chunked(("2;name=value", b"{}")).replace(
        b"0\r\n\r\n", b"0\r\nX-Trailer: 1\r\n\r\n"
    )
    assert status_of(exchange(server, with_extras)) == 200


@pytest.mark.parametrize(
    "size",
    ["\u0662", "\u00b2", "\uff12", "-2", "+2", "0x2", "", " ", "g", "2" * 17, "1" * 5000],
    ids=repr,
)
def test_chunk_sizes_are_ascii_hex_digits_only(server: StubServer, quiet: None, size: str) -> None:
    got, headers, body = split_response(exchange(server, chunked((size, b"{}"))))
    assert (got, json.loads(body)["__type"]) == (400, "SerializationException")
    assert headers["connection"] == "close"


@pytest.mark.parametrize(
    "framed",
    [
        b"2\r\n{}XX0\r\n\r\n",  # no CRLF after the data
        b"5\r\n{}\r\n0\r\n\r\n",  # the size is more than the data before the end
        b"2\r\n{}\r\n",  # no last chunk
        b"2\r\n{}\r\n0\r\n" + b"X-Trailer: " + b"v" * 70_000 + b"\r\n\r\n",  # endless trailer
        b"2\r\n{}\r\n0\r\n" + b"X: 1\r\n" * 200 + b"\r\n",  # too many trailer fields
    ],
    ids=["no-crlf", "short", "no-last-chunk", "long-trailer", "many-trailers"],
)
def test_broken_chunk_framing_is_a_400(server: StubServer, quiet: None, framed: bytes) -> None:
    data = request(framed, length="", extra="Transfer-Encoding: chunked\r\n")
    got, headers, _ = split_response(exchange(server, data))
    assert got == 400 and headers["connection"] == "close"


def test_a_chunked_body_over_the_limit_is_refused_without_reading_it_all(
    server: StubServer, quiet: None
) -> None:
    # 4 KiB is the limit here; the client announces chunks without end.
    with socket.create_connection((server.host, server.port), timeout=READ_TIMEOUT) as sock:
        sock.sendall(request(b"", length="", extra="Transfer-Encoding: chunked\r\n"))
        answer = b""
        with contextlib.suppress(OSError):
            for _ in range(1000):  # far more than the limit, if the stub read it all
                sock.sendall(b"400\r\n" + b" " * 1024 + b"\r\n")
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                answer += chunk
    assert status_of(answer) == 413


# -- request lines and headers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"POST / HTTP/2.0\r\n\r\n", 505),
        (b"POST / HTTP/1.1x\r\n\r\n", 400),
        (b"POST / HTTP/\xd9\xa1.1\r\n\r\n", 400),
        (b"POST /  HTTP/1.1\r\n\r\n", 400),
        (b"PO\x01ST / HTTP/1.1\r\n\r\n", 400),
        (b"POST /\xff HTTP/1.1\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length : 2\r\n\r\n{}", 400),
        (b"POST / HTTP/1.1\r\nNo colon here\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nX-A: a\x00b\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", 400),
        (b"\r\n\r\n", 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40 + b"\r\n\r\n", 400),  # TLS
        (b"POST /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"POST / HTTP/1.1\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n", 431),
        (b"POST / HTTP/1.1\r\n" + b"X-A: " + b"v" * 70_000 + b"\r\n\r\n", 431),
        (b"POST / HTTP/1.1\r\n" + (b"X-A: " + b"v" * 1000 + b"\r\n") * 80 + b"\r\n", 431),
    ],
    ids=[
        "http2",
        "bad-version",
        "non-ascii-version",
        "two-spaces",
        "control-in-method",
        "non-ascii-target",
        "folded-header",
        "space-before-colon",
        "no-colon",
        "nul-in-value",
        "cr-in-value",
        "empty-request-line",
        "tls-hello",
        "long-request-line",
        "many-headers",
        "long-header",
        "large-header-block",
    ],
)
def test_malformed_heads_get_a_clear_4xx(
    server: StubServer, quiet: None, data: bytes, status: int
) -> None:
    got, headers, body = split_response(exchange(server, data))
    assert got == status
    assert headers["connection"] == "close"
    assert headers["x-amzn-errortype"] == json.loads(body)["__type"]


def test_a_header_spelled_with_underscores_does_not_pass_for_one_with_hyphens(
    server: StubServer, quiet: None
) -> None:
    spoofed = request().replace(b"X-Amz-Target:", b"X_Amz_Target:")
    got, _, body = split_response(exchange(server, spoofed))
    assert (got, json.loads(body)["__type"]) == (400, "UnknownOperationException")


def test_pipelined_requests_each_get_their_answer_in_order(server: StubServer, quiet: None) -> None:
    body = chunked(b"{}")
    answer = exchange(server, request() + body + request(method="GET"))
    statuses = []
    while answer:
        status, headers, rest = split_response(answer)
        statuses.append(status)
        answer = rest[int(headers["content-length"]) :]
    assert statuses == [200, 200, 405]


def test_one_empty_line_before_a_request_is_ignored(server: StubServer, quiet: None) -> None:
    assert status_of(exchange(server, b"\r\n" + request())) == 200


def test_expect_100_continue_gets_a_continue_first(server: StubServer, quiet: None) -> None:
    answer = exchange(server, request(extra="Expect: 100-continue\r\nConnection: close\r\n"))
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")


# -- JSON bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        (b'{"SessionId": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "/SessionId/0/0/0/"),
        (b'{"SessionId": ' + b"[" * 980 + b"]" * 980 + b"}", "/SessionId/0/0/0/"),
        (b'{"a": {"b": ' + b'{"c": ' * 200 + b"1" + b"}" * 200 + b"}}", "/a/b/c/c/c/"),
        (b'{"SessionId": ' + b"7" * 5000 + b"}", "/SessionId: an integer"),
        (b'{"SessionId": [0, -' + b"7" * 1001 + b"]}", "/SessionId/1: an integer"),
    ],
    ids=["100000-deep", "980-deep", "200-deep-objects", "5000-digits", "1001-digits"],
)
def test_json_beyond_the_limits_is_a_serialization_exception(
    server: StubServer, quiet: None, body: bytes, pointer: str
) -> None:
    length = str(len(body))
    with serve(max_body_bytes=1 << 20) as roomy:
        got, headers, answer = split_response(
            exchange(roomy, request(body, target="GetFaceLivenessSessionResults", length=length))
        )
    assert (got, headers["x-amzn-errortype"]) == (400, "SerializationException")
    assert pointer in json.loads(answer)["message"]


_MEMBERS = [
    "SessionId",
    "ClientRequestToken",
    "KmsKeyId",
    "Settings",
    "OutputConfig",
    "S3Bucket",
    "S3KeyPrefix",
    "AuditImagesLimit",
    "ChallengePreferences",
    "Type",
    "Versions",
    "Minimum",
    "Maximum",
]
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from([SESSION, "FaceMovementChallenge", "1.0.0", "bucket-name"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.one_of(st.sampled_from(_MEMBERS), st.text(max_size=8)), inner, max_size=4),
    max_leaves=12,
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.dictionaries(st.sampled_from(_MEMBERS), _JSON, max_size=4),
    operation=st.sampled_from(["CreateFaceLivenessSession", "GetFaceLivenessSessionResults"]),
)
def test_fuzzed_json_bodies_are_answered_200_or_400_never_500(
    server: StubServer, body: dict[str, Any], operation: str
) -> None:
    data = json.dumps(body).encode()
    with watched() as (problems, stderr):
        answer = exchange(server, request(data, target=operation, extra="Connection: close\r\n"))
    assert_quiet(problems, stderr)
    assert status_of(answer) in {200, 400}, answer[:400]


# -- slow and idle clients -----------------------------------------------------------------------


def drip(server: StubServer, prefix: bytes, data: bytes, *, every: float) -> tuple[int, bytes]:
    """Send `prefix`, then `data` a byte at a time until the stub answers or closes; how many
    bytes of `data` went out, and the stub's answer."""
    with socket.create_connection((server.host, server.port), timeout=READ_TIMEOUT) as sock:
        sock.sendall(prefix)
        sent = 0
        with contextlib.suppress(OSError):
            for byte in data:
                sock.sendall(bytes([byte]))
                sent += 1
                time.sleep(every)
                if select.select([sock], [], [], 0)[0]:
                    break  # an answer, or the end of the connection
        answer = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                answer += chunk
        return sent, answer


@pytest.mark.parametrize("part", ["head", "body"])
def test_a_client_that_drips_its_request_gets_a_408_within_the_request_timeout(
    part: str,
) -> None:
    data = request(b'{"ClientRequestToken": "slow"}')
    at_once = data.index(b"\r\n\r\n") + 4 if part == "body" else 0
    with watched() as (problems, stderr), serve(request_timeout=1) as server:
        sent, answer = drip(server, data[:at_once], data[at_once:], every=0.2)
        # A byte every 0.2 s: the whole request would take far longer than the 1 s allowed.
        assert sent < len(data) - at_once
        assert status_of(answer) == 408
        assert healthy(server)
    assert_quiet(problems, stderr)


def test_an_idle_connection_is_closed_quietly_after_the_request_timeout() -> None:
    with watched() as (problems, stderr), serve(request_timeout=0.5) as server:
        with socket.create_connection((server.host, server.port), timeout=READ_TIMEOUT) as idle:
            assert idle.recv(1) == b""  # closed, no answer: nothing was asked
        connection = http.client.HTTPConnection(server.host, server.port, timeout=READ_TIMEOUT)
        connection.request("GET", HEALTH_PATH)
        assert connection.getresponse().read()
        assert connection.sock is not None
        assert connection.sock.recv(1) == b""  # and after an answer, the same
        connection.close()
    assert_quiet(problems, stderr)


def test_stalled_clients_do_not_keep_others_out() -> None:
    with watched() as (problems, stderr), serve(request_timeout=2, max_connections=4) as server:
        stalled = [
            socket.create_connection((server.host, server.port), timeout=READ_TIMEOUT)
            for _ in range(3)
        ]
        for sock in stalled:
            sock.sendall(b"POST / HTTP/1.1\r\nContent-Le")
        assert healthy(server)  # the fourth slot
        for sock in stalled:
            sock.close()
    assert_quiet(problems, stderr)


def test_connections_past_the_limit_get_a_503_and_slots_come_back() -> None:
    with watched() as (_, stderr), serve(max_connections=2) as server:
        held = [
            socket.create_connection((server.host, server.port), timeout=READ_TIMEOUT)
            for _ in range(2)
        ]
        for sock in held:  # a request each, so the stub has taken both slots
            sock.sendall(b"GET " + HEALTH_PATH.encode() + b" HTTP/1.1\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        assert status_of(exchange(server, b"GET / HTTP/1.1\r\n\r\n")) == 503
        for sock in held:
            sock.close()
        deadline = time.monotonic() + READ_TIMEOUT
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if healthy(server):
                    break
            time.sleep(0.05)
        assert healthy(server)
    assert "Traceback" not in stderr.getvalue()


# -- the fuzzer --------------------------------------------------------------------------------


def _or(good: Any, bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`good` seven times in ten, else something drawn from `bad`: most examples then get far
    enough to reach the next check."""
    return st.integers(0, 9).flatmap(lambda n: st.just(good) if n < 7 else bad)


def _mostly(good: Any, *bad: Any) -> st.SearchStrategy[Any]:
    return _or(good, st.sampled_from(bad))


_METHOD = _mostly("POST", "GET", "HEAD", "PUT", "OPTIONS", "BREW", "", "P\x00ST", "P\u00d6ST")
_TARGET = _mostly("/", HEALTH_PATH, "*", "http://stub/", "/a b", "/%00", "/\x7f", "", "/?q=1")
_VERSION = _mostly("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", "HTTP/\u0661.1", "HTTP/1", "")
_NEWLINE = _mostly("\r\n", "\n", "\r", "\r\r\n", "\n\r")
_NUMBERS = st.sampled_from(
    [
        "0",
        "-1",
        "+2",
        "\u0661",
        "\u00b2",
        "\u00b9",
        "\uff12",
        "0x10",
        "1" * 5000,
        "5, 6",
        " ",
        "9" * 20,
    ]
)
_CODINGS = st.sampled_from(["chunked", "gzip", "chunked, gzip", "", "Chunked", "chunked\x00"])
_CHUNK_SIZE = st.one_of(
    st.integers(0, 40).map(lambda n: f"{n:x}"),
    st.sampled_from(["\u0662", "\u00b2", "-1", "g", "", "1;ext", "2 ", "f" * 20, "0" * 30 + "2"]),
)
_CHUNK_END = _mostly(b"\r\n", b"\n", b"", b"xx")
_PLAIN_BODY = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"{}",
            b'{"SessionId": "' + SESSION.encode() + b'"}',
            b"[" * 3000,
            b'{"a": ' + b"9" * 5000 + b"}",
        ]
    ),
)
_CHUNKED_BODY = st.tuples(
    st.lists(st.tuples(_CHUNK_SIZE, st.binary(max_size=40), _CHUNK_END), max_size=4),
    _mostly(b"0\r\n\r\n", b"0\r\n", b"", b"0\r\nX: 1\r\n\r\n", b"0\r\nbroken\r\n\r\n"),
).map(lambda parts: b"".join(wire(s) + b"\r\n" + d + e for s, d, e in parts[0]) + parts[1])
_HOSTILE_HEADER = st.one_of(
    st.tuples(st.just("Content-Length"), _NUMBERS),
    st.tuples(st.just("Transfer-Encoding"), _CODINGS),
    st.tuples(st.just("Connection"), st.sampled_from(["close", "keep-alive", "upgrade"])),
    st.tuples(st.just("Expect"), st.sampled_from(["100-continue", "200-ok"])),
    st.tuples(
        st.sampled_from(["Content_Length", " Content-Length", "Content-Length ", "X-\u00e9", ""]),
        st.text(max_size=20),
    ),
    st.tuples(st.text(max_size=12), st.text(max_size=40)),
)


@st.composite
def broken_requests(draw: Any) -> bytes:
    """Requests that are mostly well formed, with one or more things wrong."""
    newline = draw(_NEWLINE)
    method = draw(_METHOD)
    lines = [f"{method} {draw(_TARGET)} {draw(_VERSION)}"]
    if draw(_mostly(True, False)):
        lines.append(f"Content-Type: {CONTENT_TYPE}")
    if draw(_mostly(True, False)):
        operation = draw(
            st.sampled_from(["CreateFaceLivenessSession", "GetFaceLivenessSessionResults", ""])
        )
        lines.append(f"X-Amz-Target: {TARGET}{operation}")
    framing = draw(st.sampled_from(["length", "chunked", "hostile length", "hostile coding", ""]))
    body: bytes = draw(_CHUNKED_BODY if "chunked" in framing else _PLAIN_BODY)
    if framing == "length":
        lines.append(f"Content-Length: {len(body)}")
    elif framing == "chunked":
        lines.append("Transfer-Encoding: chunked")
    elif framing == "hostile length":
        lines.append(f"Content-Length: {draw(_NUMBERS)}")
    elif framing == "hostile coding":
        lines.append(f"Transfer-Encoding: {draw(_CODINGS)}")
    lines += [f"{name}: {value}" for name, value in draw(st.lists(_HOSTILE_HEADER, max_size=3))]
    head = newline.join(lines) + newline + newline
    data = wire(head) + body
    if draw(st.integers(0, 4)) == 0:  # cut anywhere
        data = data[: int(draw(st.integers(0, len(data))))]
    return data


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.one_of(broken_requests(), st.binary(max_size=2000)), pipelined=st.booleans())
def test_fuzzed_requests_never_break_the_stub(
    server: StubServer, data: bytes, pipelined: bool
) -> None:
    if pipelined:  # a good request after the broken one, on the same connection
        data += b"GET " + HEALTH_PATH.encode() + b" HTTP/1.1\r\n\r\n"
    with watched() as (problems, stderr):
        answer = exchange(server, data)
        assert healthy(server)
    assert_quiet(problems, stderr)
    if answer:
        # Answers are whole HTTP/1.1 responses the client can read, one after another.
        while answer:
            status, headers, rest = split_response(answer)
            assert 100 <= status <= 599
            if status == 100:
                answer = rest
                continue
            length = int(headers.get("content-length", "0"))
            # only an answer to HEAD itself has no body (b"HEADGET ..." is another method)
            answer = rest if data.split(b" ", 1)[0] == b"HEAD" else rest[length:]


# -- SigV4 headers -------------------------------------------------------------------------------


_TEXT = st.text(max_size=16)


@st.composite
def authorizations(draw: Any) -> tuple[str, str]:
    """An Authorization header (and its X-Amz-Date) right in form, wrong in a part or more."""
    now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    date = draw(_or(now, st.one_of(_TEXT, st.just("20000101T000000Z"))))
    scope = [
        draw(_or("AKIDSTUBTEST", _TEXT)),
        draw(_or(now[:8], _TEXT)),
        draw(_or("us-east-1", _TEXT)),
        draw(_or("rekognition", _TEXT)),
        draw(_or("aws4_request", _TEXT)),
    ]
    if draw(st.integers(0, 9)) == 0:
        scope = scope[: draw(st.integers(0, 4))]
    fields = [
        "Credential=" + "/".join(scope),
        "SignedHeaders="
        + draw(_or("host;x-amz-date", st.sampled_from(["host", "", "host;\u00e9", "x;y"]))),
        "Signature=" + draw(_or("0" * 64, st.one_of(_TEXT, st.just("\u00e9" * 64)))),
    ]
    if draw(st.integers(0, 9)) == 0:
        fields = [*draw(st.permutations(fields))[: draw(st.integers(0, 3))], draw(_TEXT)]
    algorithm = draw(_or("AWS4-HMAC-SHA256", st.sampled_from(["AWS4-HMAC-SHA1", "", "x y"])))
    return f"{algorithm} {', '.join(fields)}", date


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    signed=authorizations(),
    path=_or("/", st.sampled_from(["/?a=1&b", "/%zz", "/./../x", "/?%ff=%", "/?a=%C3"])),
)
def test_fuzzed_signatures_are_refused_with_a_403_never_a_500(
    verifying: StubServer, signed: tuple[str, str], path: str
) -> None:
    authorization, date = signed
    head = (
        f"POST {path} HTTP/1.1\r\nHost: stub\r\nX-Amz-Date: {date}\r\n"
        f"Content-Type: {CONTENT_TYPE}\r\nX-Amz-Target: {TARGET}CreateFaceLivenessSession\r\n"
        f"Authorization: {authorization}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
    )
    with watched() as (problems, stderr):
        answer = exchange(verifying, wire(head) + b"{}")
        assert healthy(verifying)
    assert_quiet(problems, stderr)
    assert status_of(answer) in {400, 403, 404}, answer[:300]


@pytest.fixture(scope="module")
def verifying() -> Iterator[StubServer]:
    with serve(credentials=("AKIDSTUBTEST", "stub-secret")) as running:
        yield running
