"""The generated client against a hostile server: whatever comes back, a call ends in the
package's own exceptions, within `read_timeout`, without reading more than it may.

A scripted server on 127.0.0.1 (`tests/scripted_server.py`) reads each request whole and then
plays a script on the socket: fixed bytes, a drip, an endless stream. A Hypothesis fuzzer sends it generated answers, from
broken-but-plausible HTTP to raw garbage; the regression tests below name each case that once
escaped (a drip held a call for 10 s, an endless chunked body was read without limit, `int()`
took Arabic-Indic digits, `json.loads` raised `RecursionError`).
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rekognition import (
    ConnectionClosedError,
    HttpRequest,
    HttpResponse,
    HttpTransport,
    ReadTimeoutError,
    RekognitionClient,
    ResponseParseError,
    ResponseTooLargeError,
    ServiceError,
    TransportError,
)

from tests.scripted_server import Script, ScriptedServer, repeat, scripted_server, send

T = TypeVar("T")
SESSION_ID = "0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a"
READ_TIMEOUT = 0.3
TIME_BOUND = 10 * READ_TIMEOUT + 2.0
"""A generous bound on one call: a hung call would take the server's 10 s hold instead."""
LIBRARY_ERRORS = (ServiceError, TransportError)


@pytest.fixture(scope="module")
def hostile() -> Iterator[ScriptedServer]:
    with scripted_server() as server:
        yield server


def make_client(url: str, **options: Any) -> RekognitionClient:
    settings: dict[str, Any] = {
        "read_timeout": READ_TIMEOUT,
        "connect_timeout": 2.0,
        "retry_mode": "off",
    }
    settings.update(options)
    return RekognitionClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        **settings,
    )


def call(
    server: ScriptedServer, script: Script, time_bound: float = TIME_BOUND, **options: Any
) -> object:
    """One call answered by `script`: its result, or the exception it raised. Fails the test if
    the exception is not the package's own or the call outlives `time_bound` (a hang, not a
    speed: tests that need a long read_timeout pass a bound to match)."""
    server.script = script
    started = time.monotonic()
    with make_client(server.url, **options) as client:
        try:
            outcome: object = client.get_face_liveness_session_results(session_id=SESSION_ID)
        except LIBRARY_ERRORS as error:
            outcome = error
    elapsed = time.monotonic() - started
    assert elapsed < time_bound, f"the call took {elapsed:.1f} s"
    return outcome


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """The peak of Python allocations in the block, in bytes (tracemalloc), as `[peak]`.

    The package's modules are imported first: the first call imports several MB of them."""
    from rekognition import _awsjson, _operations  # noqa: F401

    result = [0]
    tracemalloc.start()
    try:
        yield result
    finally:
        result[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def ok(body: bytes, *extra: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n" + b"".join(extra)
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body


VALID_BODY = json.dumps({"SessionId": SESSION_ID, "Status": "SUCCEEDED"}).encode()


# -- the fuzzer ------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False),
    st.text(max_size=8),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
# The output's members, each with a value of any JSON type: a list where an object belongs, a
# string where a number does, a 400-digit integer where a float does.
wrong_types = st.fixed_dictionaries(
    {},
    optional={
        name: json_values
        for name in (
            "SessionId",
            "Status",
            "Confidence",
            "ReferenceImage",
            "AuditImages",
            "Challenge",
        )
    },
)
deep = st.integers(min_value=1, max_value=200_000).map(lambda depth: b"[" * depth + b"]" * depth)
bodies = st.one_of(
    st.just(VALID_BODY),
    st.just(VALID_BODY),
    wrong_types.map(lambda value: json.dumps(value).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    deep,
    st.binary(max_size=64),
)
digits = st.sampled_from(
    [
        "0",
        "2",
        "10",
        "-1",
        "+5",
        " 7",
        "1_0",
        "0x10",
        "\u00b2",
        "9" * 30,
        "9" * 5000,
        "",
        "\u0661\u0662",
    ]
)


def mostly(good: st.SearchStrategy[T], bad: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """`good` five times in six, so that many answers get far enough to break late."""
    return st.one_of(good, good, good, good, good, bad)


statuses = mostly(
    st.sampled_from(
        [
            b"HTTP/1.1 200 OK",
            b"HTTP/1.1 400 Bad Request",
            b"HTTP/1.1 500 Oops",
            b"HTTP/1.0 200 OK",
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK",
        ]
    ),
    st.sampled_from(
        [
            b"HTTP/1.1 2\xb2\xb2 OK",
            b"HTTP/1.1 20",
            b"HTTP/1.1 099 Low",
            b"HTTP/1.1 204 No Content",
            b"HTTP/1.1 101 Switching",
            b"HTTP/2 200",
            b"ICY 200 OK",
            b"",
        ]
    ),
)
header_lines = mostly(
    st.sampled_from(
        [
            b"Connection: close",
            b"Connection: keep-alive",
            b"Content-Type: application/x-amz-json-1.1",
            b"X-Amzn-RequestId: r1",
            b"X-Amzn-ErrorType: ThrottlingException",
            b"X-Amzn-ErrorType: AccessDeniedException:http://x",
        ]
    ),
    st.one_of(
        st.sampled_from(
            [
                b"X-Amzn-ErrorType: \xff\xfe",
                b"no colon here",
                b": empty name",
                b" Folded: value",
                b"Bad\x00Name: v",
                b"X-Null: a\x00b",
                b"X-CR: a\rb",
                b"Transfer-Encoding: gzip",
            ]
        ),
        digits.map(lambda text: b"Content-Length: " + text.encode()),
        st.binary(max_size=40),
    ),
)


@st.composite
def chunked_bodies(draw: st.DrawFn, body: bytes) -> bytes:
    cut = draw(st.integers(min_value=0, max_value=len(body)))
    framed = b""
    for piece in (body[:cut], body[cut:]):
        size = draw(mostly(st.just(b"%x" % len(piece)), digits.map(str.encode)))
        framed += size + b"\r\n" + piece + b"\r\n"
    end = mostly(
        st.sampled_from([b"0\r\n\r\n", b"0\r\nX-T: t\r\n\r\n"]),
        st.sampled_from([b"", b"0\r\n", b"0\r\n" + b"X: y\r\n" * 200]),
    )
    return framed + draw(end)


@st.composite
def answers(draw: st.DrawFn) -> bytes:
    """A response that is right in most places and wrong in a few, or raw garbage."""
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        return draw(st.binary(max_size=300))
    body: bytes = draw(bodies)
    lines: list[bytes] = [draw(statuses), *draw(st.lists(header_lines, max_size=4))]
    framing = draw(st.sampled_from(["length", "chunked", "until close"]))
    if framing == "length":
        lines.append(b"Content-Length: %d" % len(body))
    elif framing == "chunked":
        lines.append(b"Transfer-Encoding: chunked")
        body = draw(chunked_bodies(body))
    answer = b"\r\n".join(lines) + b"\r\n\r\n" + body
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        return answer[: draw(st.integers(min_value=0, max_value=len(answer)))]
    return answer


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answer=answers(), hold=st.sampled_from([False, False, False, False, True]))
def test_any_answer_ends_in_a_library_exception_in_bounded_time_and_memory(
    hostile: ScriptedServer, answer: bytes, hold: bool
) -> None:
    with peak_memory() as peak:
        call(hostile, send(answer, hold=hold), max_response_bytes=65536)
    assert peak[0] < 16 * 1024 * 1024


# -- each case that once escaped ----------------------------------------------------------------


def test_a_drip_feed_cannot_stretch_the_read_timeout(hostile: ScriptedServer) -> None:
    drip = repeat(b"X-Drip: 1\r\n", first=b"HTTP/1.1 200 OK\r\n", every=0.05)
    assert isinstance(call(hostile, drip), ReadTimeoutError)


def test_a_drip_of_the_body_cannot_either(hostile: ScriptedServer) -> None:
    drip = repeat(b" ", first=b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", every=0.05)
    assert isinstance(call(hostile, drip), ReadTimeoutError)


def test_a_slow_flood_of_100_continue_heads_times_out(hostile: ScriptedServer) -> None:
    flood = repeat(b"HTTP/1.1 100 Continue\r\n\r\n", every=0.05)
    assert isinstance(call(hostile, flood), ReadTimeoutError)


def test_a_fast_flood_of_100_continue_heads_is_cut_off(hostile: ScriptedServer) -> None:
    flood = repeat(b"HTTP/1.1 100 Continue\r\n\r\n")
    outcome = call(hostile, flood, time_bound=30.0, read_timeout=5.0)
    assert isinstance(outcome, ConnectionClosedError)
    assert "interim" in str(outcome)


def test_an_endless_chunked_body_is_refused_at_the_limit(hostile: ScriptedServer) -> None:
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    endless = repeat(chunk, first=b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    with peak_memory() as peak:
        outcome = call(
            hostile, endless, time_bound=30.0, read_timeout=5.0, max_response_bytes=1024 * 1024
        )
    assert isinstance(outcome, ResponseTooLargeError)
    assert outcome.request_sent
    assert peak[0] < 8 * 1024 * 1024


def test_many_tiny_chunks_cost_no_more_memory_than_their_bytes(
    hostile: ScriptedServer,
) -> None:
    body = b'{"SessionId": "s", "Status": "' + b"x" * 100_000 + b'"}'
    pieces = [body[start : start + 2] for start in range(0, len(body), 2)]
    framed = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"
    answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + framed
    with peak_memory() as peak:
        outcome = call(hostile, send(answer), time_bound=60.0, read_timeout=20.0)
    assert getattr(outcome, "status", None) == "x" * 100_000
    # 50,000 two-byte bytes objects in a list would take 2 MB before they were joined.
    assert peak[0] < 1024 * 1024


def test_an_endless_body_read_until_close_is_refused_at_the_limit(
    hostile: ScriptedServer,
) -> None:
    endless = repeat(b"x" * 65536, first=b"HTTP/1.1 200 OK\r\n\r\n")
    outcome = call(
        hostile, endless, time_bound=30.0, read_timeout=5.0, max_response_bytes=1024 * 1024
    )
    assert isinstance(outcome, ResponseTooLargeError)


@pytest.mark.parametrize("length", [b"99999999999999999999", b"9" * 5000, b"67108865", b"1048577"])
def test_a_huge_content_length_is_refused_unread(hostile: ScriptedServer, length: bytes) -> None:
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: " + length + b"\r\n\r\n{}"
    with peak_memory() as peak:
        outcome = call(hostile, send(answer, hold=True), max_response_bytes=1024 * 1024)
    assert isinstance(outcome, ResponseTooLargeError)
    assert peak[0] < 8 * 1024 * 1024


def test_the_default_limit_is_64_mib() -> None:
    import inspect

    from rekognition import _transport

    assert _transport.DEFAULT_MAX_RESPONSE_BYTES == 64 * 1024 * 1024
    assert HttpTransport().max_response_bytes == _transport.DEFAULT_MAX_RESPONSE_BYTES
    default = inspect.signature(RekognitionClient).parameters["max_response_bytes"].default
    assert default == _transport.DEFAULT_MAX_RESPONSE_BYTES


@pytest.mark.parametrize(
    "answer",
    [
        ok(b"{}").replace(b"Content-Length: 2", "Content-Length: ²".encode("latin-1")),
        ok(b"{}").replace(b"Content-Length: 2", "Content-Length: \u0661\u0662".encode()),
        ok(b"{}").replace(b"Content-Length: 2", b"Content-Length: -2"),
        ok(b"{}").replace(b"Content-Length: 2", b"Content-Length: +2"),
        ok(b"{}").replace(b"Content-Length: 2", b"Content-Length: 2, 2"),
        b"HTTP/1.1 2\xb2\xb2 OK\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "\u0661".encode()
        + b"\r\n{\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\n{}\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1_0\r\n{}\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\n{}\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Null: a\x00b\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Split: a\rInjected: b\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n Folded: v\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nNo colon\r\n\r\n{}",
        b"HTTP/1.1 OK\r\n\r\n{}",
        b"HTTP/1.1 000 Zero\r\n\r\n{}",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello, as from a TLS port
        ok(b"{}", b"X-Long: " + b"a" * 70000 + b"\r\n"),
        ok(b"{}", b"".join(b"X-%d: v\r\n" % i for i in range(101))),
        ok(b'{"SessionId": "abc", "Status": "SUCC')[:-5],  # truncated
    ],
    ids=[
        "length-superscript",
        "length-arabic-indic",
        "length-negative",
        "length-plus",
        "length-twice",
        "status-superscript",
        "chunk-arabic-indic",
        "chunk-0x",
        "chunk-underscore",
        "chunk-negative",
        "chunk-no-crlf",
        "header-nul",
        "header-bare-cr",
        "header-folded",
        "header-no-colon",
        "status-no-code",
        "status-zero",
        "tls-hello",
        "header-too-long",
        "header-flood",
        "truncated",
    ],
)
def test_broken_framing_raises_connection_closed(hostile: ScriptedServer, answer: bytes) -> None:
    outcome = call(hostile, send(answer), time_bound=30.0, read_timeout=5.0)
    assert isinstance(outcome, ConnectionClosedError), outcome


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b"not json",
        b"\xff\xfe{}",
        b"[1, 2]",
        b'"a string"',
        b"1" * 5000,
        b'{"SessionId": ["a list"], "Status": "SUCCEEDED"}',
        b'{"SessionId": "s", "Status": "SUCCEEDED", "Confidence": ' + b"9" * 400 + b"}",
        b'{"SessionId": "s", "Status": "SUCCEEDED", "Confidence": "many"}',
        b'{"SessionId": "s", "Status": "SUCCEEDED", "ReferenceImage": [1]}',
        b'{"SessionId": "s", "Status": "SUCCEEDED", "ReferenceImage": {"Bytes": "@@"}}',
        b'{"SessionId": "s", "Status": "SUCCEEDED", "AuditImages": {"a": 1}}',
        b'{"SessionId": "s", "Status": "SUCCEEDED", "AuditImages": 7}',
        b'{"SessionId": "s", "Status": ["SUCCEEDED"]}',
    ],
    ids=[
        "deep-list",
        "deep-object",
        "not-json",
        "not-utf8",
        "a-list",
        "a-string",
        "5000-digit-int",
        "list-for-string",
        "huge-int-for-float",
        "string-for-float",
        "list-for-structure",
        "bad-base64",
        "object-for-list",
        "int-for-list",
        "list-for-enum",
    ],
)
def test_a_body_that_is_not_the_models_json_raises_response_parse_error(
    hostile: ScriptedServer, body: bytes
) -> None:
    outcome = call(hostile, send(ok(body)))
    assert isinstance(outcome, ResponseParseError), outcome
    assert outcome.request_sent


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b"not json",
        b'{"__type": "AccessDeniedException", "Message": ["x"]}',
        b'{"__type": ["AccessDeniedException"]}',
        b'{"__type": "AccessDeniedException", "Code": {"a": 1}}',
    ],
)
def test_an_error_body_that_is_not_json_still_raises_a_service_error(
    hostile: ScriptedServer, body: bytes
) -> None:
    answer = b"HTTP/1.1 400 Bad\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    outcome = call(hostile, send(answer))
    assert isinstance(outcome, ServiceError), outcome
    assert outcome.status_code == 400


class _Answering:
    """A transport that answers every request with one response, for the wrong-type fuzzer."""

    def __init__(self, body: bytes, status: int = 200) -> None:
        self.response = HttpResponse(status, {}, body)

    def send(self, request: HttpRequest) -> HttpResponse:
        return self.response

    def close(self) -> None:
        pass


@settings(max_examples=150, deadline=None)
@given(body=wrong_types, status=st.sampled_from([200, 400, 503]))
def test_json_of_the_wrong_type_anywhere_ends_in_a_library_exception(
    body: dict[str, Any], status: int
) -> None:
    transport = _Answering(json.dumps(body).encode(), status)
    with (
        make_client("http://127.0.0.1:1/", transport=transport) as client,
        suppress(*LIBRARY_ERRORS),
    ):
        client.get_face_liveness_session_results(session_id=SESSION_ID)


def test_a_well_behaved_server_still_works(hostile: ScriptedServer) -> None:
    outcome = call(hostile, send(ok(VALID_BODY)))
    assert not isinstance(outcome, Exception)
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (
        len(VALID_BODY),
        VALID_BODY,
    )
    assert not isinstance(call(hostile, send(chunked)), Exception)
    exact = call(hostile, send(ok(VALID_BODY)), max_response_bytes=len(VALID_BODY))
    assert not isinstance(exact, Exception)
    bare_lf = ok(VALID_BODY).replace(b"\r\n", b"\n")
    mixed = ok(VALID_BODY).replace(b"OK\r\n", b"OK\n", 1)
    for answer in (bare_lf, mixed):
        assert not isinstance(call(hostile, send(answer)), Exception)
