"""What the generated client does with hostile input of its own: no setting, credential or value
can add a line to a request, and no repr, str or log shows a secret.

Every input that reaches the request head (endpoint URL, region, credentials, header values,
host labels) is tried with CR, LF and other control characters; each is refused with a library
error before anything is sent, and a property test checks that whatever is accepted reaches
the wire as exactly the headers the client writes. Reprs are checked across every object a
client holds after a call.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rekognition import (
    ConfigError,
    EndpointConnectionError,
    HttpRequest,
    HttpResponse,
    HttpTransport,
    RekognitionClient,
    ServiceError,
    TransportError,
    _config,
    _protocol,
    _sigv4,
)

from tests.scripted_server import ScriptedServer, scripted_server, send

SESSION_ID = "0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEBYaDHsecretsessiontoken=="
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
BREAKERS = ["\r\n", "\n", "\r", "\x00", "\x7f", "\x1b", "\r\nX-Injected: 1"]
"""Control characters, alone and as a whole injected header line."""
CLIENT_HEADERS = {
    "host",
    "x-amz-target",
    "content-type",
    "content-length",
    "user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "x-amz-date",
    "x-amz-security-token",
    "authorization",
}


@pytest.fixture(autouse=True)
def no_ambient_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_REKOGNITION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as started:
        started.script = send(OK)
        yield started


def client_of(url: str, **options: Any) -> RekognitionClient:
    settings: dict[str, Any] = {
        "region_name": "us-east-1",
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
        "aws_session_token": TOKEN,
        "retry_mode": "off",
        "read_timeout": 2.0,
    }
    settings.update(options)
    return RekognitionClient(endpoint_url=url, **settings)


# -- no injection ------------------------------------------------------------------------------


def _endpoint_urls(base: str) -> list[str]:
    """`base` with each breaker in its path, query, host and port."""
    scheme, _, authority = base.rstrip("/").partition("://")
    host, _, port = authority.partition(":")
    urls = []
    for breaker in BREAKERS:
        urls += [
            f"{base}path{breaker}",
            f"{base}?q={breaker}",
            f"{scheme}://{host}{breaker}:{port}/",
            f"{scheme}://{host}:{port}{breaker}/",
        ]
    return [*urls, f"{base}a b", f"{base}caf\u00e9", f"{scheme}://user:pw@{authority}/"]


def test_endpoint_urls_that_would_break_the_request_are_refused(server: ScriptedServer) -> None:
    before = server.connections
    for url in _endpoint_urls(server.url):
        with pytest.raises(ConfigError, match=r"URL|host|port"):
            client_of(url)
    assert server.connections == before


def test_the_user_information_of_a_refused_url_is_not_shown() -> None:
    with pytest.raises(ConfigError) as raised:
        client_of("https://user:hunter2@example.com/")
    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize("place", ["environment", "config file"])
def test_endpoint_urls_from_the_environment_and_files_are_checked_too(
    place: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = "http://127.0.0.1:1/x\r\nX-Injected: 1"
    if place == "environment":
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    else:
        # configparser joins indented continuation lines with LF: a multi-line value.
        (tmp_path / "config").write_text("[default]\nendpoint_url = http://h/x\n  X-Injected: 1\n")
    with pytest.raises(ConfigError, match="control character"):
        RekognitionClient(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")


def test_good_endpoint_urls_still_work(server: ScriptedServer) -> None:
    port = server.url.rsplit(":", 1)[1].rstrip("/")
    for url in (
        server.url,
        f"http://127.0.0.1:{port}",
        f"http://localhost:{port}/base/path%20encoded?x=1&y=%0D",
        f"http://[::1]:{port}/",
    ):
        client_of(url).close()


@pytest.mark.parametrize("breaker", BREAKERS)
@pytest.mark.parametrize(
    "field", ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"]
)
def test_credentials_with_control_characters_are_refused_without_being_shown(
    server: ScriptedServer, field: str, breaker: str
) -> None:
    value = f"SECRETPART{breaker}"
    before = server.connections
    with pytest.raises(ValueError, match="control character") as raised:
        client_of(server.url, **{field: value})
    assert "SECRETPART" not in str(raised.value)
    assert server.connections == before


@pytest.mark.parametrize(
    "variable", ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]
)
def test_credentials_from_the_environment_are_checked_too(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv(variable, "SECRETPART\r\nX-Injected: 1")
    with pytest.raises(ValueError, match="control character") as raised:
        RekognitionClient(region_name="us-east-1")
    assert "SECRETPART" not in str(raised.value)


def test_a_multi_line_token_in_the_credentials_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "credentials").write_text(
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = s\n"
        "aws_session_token = SECRETPART\n  X-Injected: 1\n"
    )
    with pytest.raises(ValueError, match="control character") as raised:
        RekognitionClient(region_name="us-east-1")
    assert "SECRETPART" not in str(raised.value)


@pytest.mark.parametrize("breaker", BREAKERS)
def test_regions_and_host_labels_with_control_characters_are_refused(breaker: str) -> None:
    with pytest.raises(ConfigError, match="region"):
        client_of("http://127.0.0.1:1/", region_name=f"us-east-1{breaker}")
    with pytest.raises(ValueError, match="host name label"):
        _protocol.host_prefix("{Name}.", {"Name": f"label{breaker}"})


@pytest.mark.parametrize("breaker", [*BREAKERS, "\t", "\u0100", "\u2028"])
def test_the_transport_refuses_control_characters_anywhere_in_the_head(
    server: ScriptedServer, breaker: str
) -> None:
    port = server.url.rsplit(":", 1)[1].rstrip("/")
    before = server.connections
    with HttpTransport() as transport:
        for url in (
            f"http://127.0.0.1:{port}/a{breaker}",
            f"http://127.0.0.1:{port}/?q={breaker}",
            f"http://127.0.0.1{breaker}:{port}/",
            f"http://127.0.0.1:{port}{breaker}/",
        ):
            with pytest.raises(EndpointConnectionError, match="unsupported endpoint URL"):
                transport.send(HttpRequest("POST", url, {}, b""))
        # Non-ASCII text is fine in a header value (sent in UTF-8), never in a name or method.
        values = [{"X-Value": f"v{breaker}"}, {"Authorization": f"AWS4 x{breaker}"}]
        values += [{"Host": f"127.0.0.1{breaker}"}]
        for method, headers in (
            *(("POST", value) for value in (values if breaker != "\u0100" else [])),
            ("POST", {f"X-Name{breaker}": "v"}),
            (f"POST{breaker}", {}),
        ):
            with pytest.raises(ValueError, match="cannot be sent"):
                transport.send(HttpRequest(method, server.url, headers, b""))
    assert server.connections == before


def test_header_values_travel_in_utf8_as_botocore_sends_them(server: ScriptedServer) -> None:
    """botocore encodes a header value's text in UTF-8 (`AWSRequestPreparer._to_utf8`), and signs
    that text: a Latin-1 byte for `é` would be a different value than the one signed."""
    with HttpTransport() as transport:
        transport.send(HttpRequest("POST", server.url, {"X-Value": "é€Ā"}, b""))
    head = server.requests[-1].partition(b"\r\n\r\n")[0]
    assert b"\r\nX-Value: " + "é€Ā".encode() + b"\r\n" in head + b"\r\n"


def _received_header_names(request: bytes) -> list[str]:
    head = request.partition(b"\r\n\r\n")[0].decode("latin-1")
    request_line, *lines = head.split("\r\n")
    assert re.fullmatch(r"POST /[!-~]* HTTP/1\.1", request_line), request_line
    assert "\n" not in head.replace("\r\n", "") and "\r" not in head.replace("\r\n", "")
    return [line.partition(":")[0].lower() for line in lines]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(
        ["path", "query", "region_name", "aws_access_key_id", "aws_session_token"]
    ),
    text=st.text(st.characters(codec="utf-8"), min_size=1, max_size=20),
)
def test_whatever_an_input_holds_the_wire_carries_only_the_clients_headers(
    server: ScriptedServer, field: str, text: str
) -> None:
    """An input is refused with a library error, or reaches the server as exactly the header
    lines the client writes (none added, none split)."""
    options: dict[str, Any] = {}
    url = server.url
    if field == "path":
        url += text
    elif field == "query":
        url += "?" + text
    else:
        options[field] = text
    server.requests.clear()
    try:
        client = client_of(url, **options)
    except (ValueError, ConfigError):
        return
    with client, suppress(ValueError, ServiceError, TransportError):
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    for request in server.requests:
        names = _received_header_names(request)
        assert set(names) <= CLIENT_HEADERS and len(names) == len(set(names)), names


# -- no secrets in reprs, strs or logs ---------------------------------------------------------


class Recording:
    """A transport that keeps what it is given and answers like the server would."""

    def __init__(self, answer: HttpResponse) -> None:
        self.answer = answer
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return self.answer

    def close(self) -> None:
        pass


def _reachable(root: object, depth: int = 8) -> Iterator[object]:
    """Every object reachable from `root` through attributes, slots and containers."""
    seen: set[int] = set()
    stack = [(root, 0)]
    while stack:
        item, level = stack.pop()
        if id(item) in seen or isinstance(item, type | str | bytes | int | float | bool):
            continue
        seen.add(id(item))
        yield item
        if level >= depth:
            continue
        children: list[object] = []
        if isinstance(item, dict):
            children += [*item.keys(), *item.values()]
        elif isinstance(item, list | tuple | set | frozenset):
            children += list(item)
        elif hasattr(item, "items") and callable(item.items):
            children += [value for pair in item.items() for value in pair]
        children += list(getattr(item, "__dict__", {}).values())
        for klass in type(item).__mro__:
            for name in getattr(klass, "__slots__", ()):
                if hasattr(item, name):
                    children.append(getattr(item, name))
        stack += [(child, level + 1) for child in children]


def _package_objects(*roots: object) -> list[object]:
    return [
        item
        for root in roots
        for item in _reachable(root)
        if type(item).__module__.startswith("rekognition")
    ]


def test_no_repr_str_or_log_of_the_clients_objects_shows_a_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = b'{"__type": "ThrottlingException", "Message": "slow down"}'
    transport = Recording(HttpResponse(400, {"x-amzn-requestid": "r1"}, body))
    caplog.set_level(logging.DEBUG, logger="rekognition")
    client = client_of("http://127.0.0.1:1/", transport=transport, max_attempts=2, retry_mode=None)
    client._caller._sleep = lambda seconds: None
    with pytest.raises(ServiceError) as raised:
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    request = transport.requests[0]
    signature = request.headers["Authorization"].rpartition("Signature=")[2]
    assert len(signature) == 64
    objects = _package_objects(client, raised.value, transport, request)
    kinds = {type(item).__name__ for item in objects}
    assert {"Credentials", "ClientSettings", "Caller", "RequestSigner", "HttpRequest"} <= kinds
    secrets = (SECRET_KEY, TOKEN, signature)
    for item in objects:
        for text in (repr(item), str(item)):
            assert not any(secret in text for secret in secrets), (type(item), text)
    assert caplog.records, "the retry is logged"
    for record in caplog.records:
        assert not any(secret in record.getMessage() for secret in secrets)


def test_request_and_response_reprs_hide_secrets_and_bodies() -> None:
    request = HttpRequest(
        "POST",
        "https://example.com/",
        {
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, "
            "Signature=abc123",
            "X-Amz-Security-Token": TOKEN,
            "authorization-like": "kept",
        },
        b'{"Password": "pw"}',
    )
    shown = repr(request)
    assert "abc123" not in shown and TOKEN not in shown and "pw" not in shown
    assert "Credential=AKID/x, SignedHeaders=host, Signature=<hidden>" in shown
    assert "body=<18 bytes>" in shown and "kept" in shown
    other = repr(HttpRequest("GET", "https://e/", {"authorization": "Bearer xyz"}))
    assert "xyz" not in other
    response = repr(HttpResponse(200, {"x-amz-security-token": TOKEN}, b"secret body"))
    assert TOKEN not in response and "secret body" not in response


def test_signing_results_and_credentials_hide_secrets() -> None:
    credentials = _config.Credentials(ACCESS_KEY, SECRET_KEY, TOKEN)
    result = _sigv4.SigV4Signer("rekognition", "us-east-1").sign_with_details(
        "POST", "https://example.com/", {}, b"{}", credentials=credentials
    )
    for text in (repr(result), repr(credentials), str(credentials)):
        assert result.signature not in text and SECRET_KEY not in text and TOKEN not in text


# -- limits that must be limits ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("read_timeout", 0),
        ("read_timeout", -1.0),
        ("read_timeout", None),
        ("read_timeout", float("nan")),
        ("read_timeout", float("inf")),
        ("connect_timeout", True),
        ("connect_timeout", "5"),
        ("max_response_bytes", -1),
        ("max_response_bytes", 1.5),
        ("max_response_bytes", True),
        ("max_response_bytes", None),
    ],
)
def test_timeouts_and_the_size_limit_must_be_limits(setting: str, value: object) -> None:
    with pytest.raises(ConfigError, match=setting):
        client_of("http://127.0.0.1:1/", **{setting: value})
    with pytest.raises((TypeError, ValueError), match=setting):
        HttpTransport(**{setting: value})  # type: ignore[arg-type]
