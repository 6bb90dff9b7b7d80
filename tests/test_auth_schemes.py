"""Auth schemes besides SigV4: which scheme each operation accepts (Smithy's rules, in
`generator.auth_schemes`), and what the generated client sends for it to a real server on
127.0.0.1: a bearer token, Basic user and password, an API key in a header or the query,
SigV4, or nothing; a call that needs credentials the client lacks fails before sending."""

from __future__ import annotations

import base64
import importlib
import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator import auth_schemes
from generator.cli import main
from generator.diagnostics import ShapesmithError
from tests.conftest import REPO
from tests.generated_lint import assert_lint_clean
from tests.scripted_server import ScriptedServer, scripted_server, send
from tests.test_botocore_protocols import RecordingTransport

MODEL = REPO / "tests" / "fixtures" / "models" / "auth_schemes.json"
OK = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{"Name": "x"}'


def _generate(root: Path, model: dict[str, Any], package: str) -> Iterator[ModuleType]:
    (root / "model.json").write_text(json.dumps(model))
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module(package)
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == package]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _generate(tmp_path_factory.mktemp("auth"), json.loads(MODEL.read_text()), "keys")


@pytest.fixture(scope="module")
def query_keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    model = json.loads(MODEL.read_text())
    service = model["shapes"]["example.auth#QueryKeys"] = model["shapes"].pop("example.auth#Keys")
    traits = service["traits"]
    traits["smithy.api#httpApiKeyAuth"] = {"name": "api key", "in": "query"}
    yield from _generate(tmp_path_factory.mktemp("auth-query"), model, "query_keys")


@pytest.fixture(scope="module")
def cookie_keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The API key in a cookie (OpenAPI's `in: cookie`), beside a cookie of the operation's."""
    model = json.loads(MODEL.read_text())
    shapes = model["shapes"]
    service = shapes["example.auth#CookieKeys"] = shapes.pop("example.auth#Keys")
    service["traits"]["smithy.api#httpApiKeyAuth"] = {"name": "key", "in": "cookie"}
    shapes["example.auth#GetThingInput"]["members"]["Theme"] = {
        "target": "smithy.api#String",
        "traits": {"shapesmith.api#httpCookie": "theme"},
    }
    yield from _generate(tmp_path_factory.mktemp("auth-cookie"), model, "cookie_keys")


@pytest.fixture(autouse=True)
def _no_ambient_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials or settings from the machine running the tests."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as found:
        found.script = send(OK)
        yield found


def _client(package: ModuleType, server: ScriptedServer, **credentials: Any) -> Any:
    return _client_at(package, server.url, **credentials)


def _client_at(package: ModuleType, url: str, **credentials: Any) -> Any:
    client_class = getattr(package, package.__name__.title().replace("_", "") + "Client")
    return client_class(endpoint_url=url, max_attempts=1, **credentials)


def _sent(server: ScriptedServer) -> tuple[str, dict[str, str]]:
    """The last request's line and headers (names lowercased)."""
    head = server.requests[-1].partition(b"\r\n\r\n")[0].decode("latin-1")
    line, *fields = head.split("\r\n")
    pairs = (field.partition(":") for field in fields)
    return line, {name.lower(): value.strip() for name, _, value in pairs}


# --- which schemes an operation accepts (Smithy's rules) -------------------------------------

SIGV4, BEARER, BASIC = "aws.auth#sigv4", "smithy.api#httpBearerAuth", "smithy.api#httpBasicAuth"
API_KEY = "smithy.api#httpApiKeyAuth"
API_KEYS, REQUIREMENTS = "shapesmith.api#apiKeys", "shapesmith.api#authRequirements"


def _accepted(service_traits: dict[str, Any], operation_traits: dict[str, Any]) -> tuple[str, ...]:
    return auth_schemes.operation_auth(
        ("model.json", "ns#Service", service_traits), ("model.json", "ns#Op", operation_traits)
    )


@pytest.mark.parametrize(
    ("service_traits", "operation_traits", "accepted"),
    [
        # Without @auth anywhere: every scheme of the service, in shape id order.
        (
            {BEARER: {}, SIGV4: {"name": "s"}, API_KEY: {}, BASIC: {}},
            {},
            ("sigv4", "api_key", "basic", "bearer"),
        ),
        ({BEARER: {}, BASIC: {}, "smithy.api#auth": [BASIC, BEARER]}, {}, ("basic", "bearer")),
        (
            {BEARER: {}, BASIC: {}, "smithy.api#auth": [BASIC]},
            {"smithy.api#auth": [BEARER]},
            ("bearer",),
        ),
        ({BEARER: {}}, {"smithy.api#auth": []}, ("anonymous",)),
        ({BEARER: {}}, {"smithy.api#optionalAuth": {}}, ("bearer", "anonymous")),
        ({BEARER: {}}, {"smithy.api#auth": ["smithy.api#noAuth"]}, ("anonymous",)),
        ({}, {}, ("anonymous",)),
        # A scheme the service does not have, or shapesmith does not speak, is not offered.
        ({BEARER: {}}, {"smithy.api#auth": [BASIC, BEARER]}, ("bearer",)),
        ({"smithy.api#httpDigestAuth": {}}, {}, ()),
        # shapesmith.api#authRequirements (OpenAPI's `security`): any one requirement, each
        # needing all its schemes; it wins over @auth where both say something.
        (
            {BEARER: {}, BASIC: {}, REQUIREMENTS: [[BEARER, BASIC], [BASIC]]},
            {},
            ("bearer+basic", "basic"),
        ),
        (
            {BEARER: {}, API_KEY: {}, API_KEYS: {"a": {}, "b": {}}, REQUIREMENTS: [[BEARER]]},
            {REQUIREMENTS: [[f"{API_KEYS}/a", f"{API_KEYS}/b"], [], [BEARER]]},
            ("api_key:a+api_key:b", "bearer", "anonymous"),
        ),
        ({BEARER: {}}, {REQUIREMENTS: []}, ("anonymous",)),
        ({BEARER: {}, REQUIREMENTS: [[BEARER]]}, {"smithy.api#auth": []}, ("anonymous",)),
    ],
)
def test_the_schemes_an_operation_accepts_follow_smithy(
    service_traits: dict[str, Any], operation_traits: dict[str, Any], accepted: tuple[str, ...]
) -> None:
    assert _accepted(service_traits, operation_traits) == accepted


@pytest.mark.parametrize(
    ("value", "pointer", "message"),
    [
        ({"name": "k", "in": "body"}, "/in", "expected 'header', 'query' or 'cookie'"),
        ({"name": "a;b", "in": "cookie"}, "/name", "is not a cookie name"),
        ({"name": "k", "in": "cookie", "scheme": "ApiKey"}, "/scheme", "only sent with a key in"),
        ({"in": "query"}, "/name", "expected a non-empty string"),
        ({"name": "a b", "in": "header"}, "/name", "is not an HTTP header name"),
        ({"name": "k", "in": "header", "scheme": "Api Key"}, "/scheme", "auth scheme name"),
        (
            {"name": "k", "in": "query", "scheme": "ApiKey"},
            "/scheme",
            "only sent with a key in a header",
        ),
        ("k", "", "expected an object"),
    ],
)
def test_a_malformed_api_key_trait_is_a_model_error_at_its_pointer(
    value: object, pointer: str, message: str
) -> None:
    with pytest.raises(ShapesmithError) as raised:
        auth_schemes.service_auth("model.json", "ns#Service", {API_KEY: value})
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.pointer == f"/shapes/ns#Service/traits/{API_KEY}{pointer}"
    assert message in diagnostic.message


@pytest.mark.parametrize("scheme", [BASIC, f"{API_KEYS}/c", "ns#Other"])
def test_a_requirement_naming_a_scheme_the_service_lacks_is_a_model_error(scheme: str) -> None:
    service = {BEARER: {}, API_KEY: {}, API_KEYS: {"a": {}}}
    with pytest.raises(ShapesmithError) as raised:
        _accepted(service, {REQUIREMENTS: [[BEARER], [f"{API_KEYS}/a", scheme]]})
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.pointer == f"/shapes/ns#Op/traits/{REQUIREMENTS}/1/1"
    assert repr(scheme) in diagnostic.message


# --- the generated client -------------------------------------------------------------------


def test_the_package_is_type_checked_and_lint_clean(keys: ModuleType) -> None:
    assert_lint_clean(Path(keys.__file__).parent)


def test_the_package_with_cookies_is_type_checked_and_lint_clean(cookie_keys: ModuleType) -> None:
    assert_lint_clean(Path(cookie_keys.__file__).parent)


def test_the_first_scheme_the_client_holds_credentials_for_is_used(
    keys: ModuleType, server: ScriptedServer
) -> None:
    # GetThing accepts what the service's @auth lists: bearer, then API key, then basic.
    _client(keys, server, token="tok-1", api_key="k-1").get_thing(id="a")
    line, headers = _sent(server)
    assert line == "GET /things/a HTTP/1.1"
    assert headers["authorization"] == "Bearer tok-1" and "x-api-key" not in headers

    _client(keys, server, api_key="k-1", username="u", password="p").get_thing(id="a")
    _, headers = _sent(server)
    assert headers["x-api-key"] == "ApiKey k-1" and "authorization" not in headers

    _client(keys, server, username="ann", password="pa:ss é").get_thing(id="a")
    _, headers = _sent(server)
    expected = base64.b64encode("ann:pa:ss é".encode()).decode()
    assert headers["authorization"] == f"Basic {expected}"


def test_an_operation_s_own_auth_list_wins_over_the_service_s(
    keys: ModuleType, server: ScriptedServer
) -> None:
    client = _client(keys, server, token="tok", username="u", password="p")
    client.put_thing(id="a", name="n")
    _, headers = _sent(server)
    assert headers["authorization"] == "Basic " + base64.b64encode(b"u:p").decode()


def test_optional_auth_sends_credentials_when_held_and_goes_anonymous_otherwise(
    keys: ModuleType, server: ScriptedServer
) -> None:
    _client(keys, server, token="tok").list_things(limit=2)
    line, headers = _sent(server)
    assert line == "GET /things?limit=2 HTTP/1.1" and headers["authorization"] == "Bearer tok"
    _client(keys, server, api_key="unused").list_things()
    _, headers = _sent(server)
    assert "authorization" not in headers and "x-api-key" not in headers


def test_an_empty_auth_list_is_anonymous_whatever_the_client_holds(
    keys: ModuleType, server: ScriptedServer
) -> None:
    _client(keys, server, token="t", api_key="k", username="u", password="p").ping()
    _, headers = _sent(server)
    assert "authorization" not in headers and "x-api-key" not in headers


def test_sigv4_signs_where_the_operation_asks_for_it(
    keys: ModuleType, server: ScriptedServer
) -> None:
    client = _client(
        keys,
        server,
        token="tok",
        region_name="eu-west-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
    )
    client.signed_thing(name="n")
    _, headers = _sent(server)
    assert headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKID/") and headers[
        "authorization"
    ].count("/eu-west-1/keys/aws4_request")


@pytest.mark.parametrize(
    ("call", "given", "needed"),
    [
        (lambda c: c.signed_thing(), {"token": "t"}, "AWS credentials"),
        (lambda c: c.put_thing(id="a"), {"token": "t"}, "a user name and password"),
        (lambda c: c.get_thing(id="a"), {}, "a token (token=...) or an API key"),
    ],
)
def test_a_call_without_the_credentials_it_needs_fails_before_sending(
    keys: ModuleType,
    server: ScriptedServer,
    call: Callable[[Any], object],
    given: dict[str, str],
    needed: str,
) -> None:
    client = _client(keys, server, region_name="eu-west-1", **given)
    with pytest.raises(keys.NoCredentialsError) as raised:
        call(client)
    assert needed in str(raised.value)
    assert server.requests == []


def test_a_token_function_is_asked_for_every_request(
    keys: ModuleType, server: ScriptedServer
) -> None:
    tokens = iter(["first", "second"])
    client = _client(keys, server, token=lambda: next(tokens))
    client.get_thing(id="a")
    assert _sent(server)[1]["authorization"] == "Bearer first"
    client.get_thing(id="a")
    assert _sent(server)[1]["authorization"] == "Bearer second"


def test_an_api_key_in_the_query_is_added_to_the_operation_s_own_query(
    query_keys: ModuleType, server: ScriptedServer
) -> None:
    client = _client(query_keys, server, api_key="k&1=2")
    client.get_thing(id="a")
    line, headers = _sent(server)
    assert line == "GET /things/a?api%20key=k%261%3D2 HTTP/1.1"
    assert "authorization" not in headers


def test_an_api_key_in_a_cookie_joins_the_operation_s_own_cookies(
    cookie_keys: ModuleType, server: ScriptedServer
) -> None:
    client = _client(cookie_keys, server, api_key="k; 1=é")
    client.get_thing(id="a", theme="dark mode")
    line, headers = _sent(server)
    assert line == "GET /things/a HTTP/1.1"
    assert headers["cookie"] == "theme=dark%20mode; key=k%3B%201=%C3%A9"
    assert "authorization" not in headers
    client.get_thing(id="b")
    assert _sent(server)[1]["cookie"] == "key=k%3B%201=%C3%A9"


def test_an_api_key_in_a_cookie_is_checked_by_the_stub(cookie_keys: ModuleType) -> None:
    with cookie_keys.stub.serve(api_key="k; 1=é") as running:
        with _stub_client(cookie_keys, running.url, api_key="k; 1=é") as client:
            client.get_thing(id="a", theme="light")
            client.get_thing(id="a")
        with (
            _stub_client(cookie_keys, running.url, api_key="k") as client,
            pytest.raises(cookie_keys.ServiceError) as raised,
        ):
            client.get_thing(id="a", theme="light")
    assert raised.value.status_code == 401


def test_secrets_are_never_shown(keys: ModuleType, server: ScriptedServer) -> None:
    client = _client(keys, server, token="tok-secret", username="u", password="pw-secret")
    client.get_thing(id="a")
    shown = repr(client) + repr(client._caller._signer) + repr(client._identities)
    assert "secret" not in shown


def test_an_api_key_is_hidden_in_the_request_s_repr(keys: ModuleType) -> None:
    response = keys.HttpResponse(status=200, headers={}, body=b"{}")
    transport = RecordingTransport(response)
    client = keys.KeysClient(
        endpoint_url="https://example.com", api_key="k-secret", transport=transport
    )
    client.get_thing(id="a")
    (request,) = transport.requests
    assert request.headers["X-Api-Key"] == "ApiKey k-secret"
    assert "k-secret" not in repr(request) and "'X-Api-Key': '<hidden>'" in repr(request)


def test_an_api_key_in_the_query_is_hidden_in_transport_errors(query_keys: ModuleType) -> None:
    with socket.socket() as unused:  # a port nothing listens on: the connection is refused
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}"
    client = _client_at(query_keys, url, api_key="k-secret")
    with pytest.raises(query_keys.EndpointConnectionError) as raised:
        client.get_thing(id="a")
    assert "k-secret" not in str(raised.value)
    assert "/things/a?api%20key=<hidden>" in str(raised.value)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"token": "a\r\nX-Evil: 1"}, "token holds a control character"),
        ({"api_key": ""}, "api_key must be a non-empty string"),
        ({"username": "u"}, "username is given but password is not"),
        ({"username": "a:b", "password": "p"}, "username must not hold ':'"),
    ],
)
def test_unusable_credentials_are_refused_when_given(
    keys: ModuleType, server: ScriptedServer, given: dict[str, str], message: str
) -> None:
    with pytest.raises(keys.ConfigError, match=message) as raised:
        _client(keys, server, **given)
    assert "X-Evil" not in str(raised.value)


def test_a_token_function_that_returns_a_broken_value_fails_before_sending(
    keys: ModuleType, server: ScriptedServer
) -> None:
    client = _client(keys, server, token=lambda: "t\nX-Evil: 1")
    with pytest.raises(keys.ConfigError, match="token holds a control character"):
        client.get_thing(id="a")
    assert server.requests == []


# --- the stub checks the same schemes -----------------------------------------------------


STUB_CREDENTIALS: dict[str, Any] = {
    "credentials": ("AKIDSTUB", "stub-secret"),
    "token": "stub-token",
    "basic": ("ann", "stub-password"),
    "api_key": "stub-key",
}


@pytest.fixture(scope="module")
def verifying(keys: ModuleType) -> Iterator[Any]:
    with keys.stub.serve(**STUB_CREDENTIALS) as running:
        yield running


def _stub_client(package: ModuleType, url: str, **credentials: Any) -> Any:
    client_class = getattr(package, package.__name__.title().replace("_", "") + "Client")
    return client_class(endpoint_url=url, region_name="eu-west-1", max_attempts=1, **credentials)


@pytest.mark.parametrize(
    ("credentials", "call"),
    [
        ({"token": "stub-token"}, lambda c: c.get_thing(id="a")),
        ({"api_key": "stub-key"}, lambda c: c.get_thing(id="a")),
        ({"username": "ann", "password": "stub-password"}, lambda c: c.put_thing(id="a")),
        ({"token": "stub-token"}, lambda c: c.list_things()),
        ({}, lambda c: c.list_things()),
        ({}, lambda c: c.ping()),
        (
            {"aws_access_key_id": "AKIDSTUB", "aws_secret_access_key": "stub-secret"},
            lambda c: c.signed_thing(name="n"),
        ),
    ],
)
def test_the_stub_accepts_the_right_credentials_of_each_scheme(
    keys: ModuleType, verifying: Any, credentials: dict[str, str], call: Callable[[Any], object]
) -> None:
    with _stub_client(keys, verifying.url, **credentials) as client:
        call(client)


@pytest.mark.parametrize(
    ("credentials", "call", "status", "message"),
    [
        ({"token": "wrong"}, lambda c: c.get_thing(id="a"), 401, "bearer token is not valid"),
        ({"api_key": "wrong"}, lambda c: c.get_thing(id="a"), 401, "API key is not valid"),
        (
            {"username": "ann", "password": "wrong"},
            lambda c: c.put_thing(id="a"),
            401,
            "user name or password is not valid",
        ),
        ({"token": "wrong"}, lambda c: c.list_things(), 401, "bearer token is not valid"),
        (
            {"aws_access_key_id": "AKIDSTUB", "aws_secret_access_key": "wrong"},
            lambda c: c.signed_thing(name="n"),
            403,
            "signature we calculated does not match",
        ),
    ],
)
def test_the_stub_refuses_wrong_credentials_of_each_scheme(
    keys: ModuleType,
    verifying: Any,
    credentials: dict[str, str],
    call: Callable[[Any], object],
    status: int,
    message: str,
) -> None:
    with (
        _stub_client(keys, verifying.url, **credentials) as client,
        pytest.raises(keys.ServiceError) as raised,
    ):
        call(client)
    assert raised.value.status_code == status
    assert message in str(raised.value)


def test_the_stub_answers_a_request_without_credentials_with_401_naming_what_is_missing(
    verifying: Any,
) -> None:
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(verifying.url + "/things/a", timeout=10)
    answer = raised.value
    assert answer.code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"
    body = json.loads(answer.read())
    assert "needs a bearer token or an API key or a Basic user name and password" in str(body)


def test_an_api_key_in_the_query_is_checked_by_the_stub(query_keys: ModuleType) -> None:
    with query_keys.stub.serve(api_key="k&1") as running:
        with _stub_client(query_keys, running.url, api_key="k&1") as client:
            client.get_thing(id="a")
        with (
            _stub_client(query_keys, running.url, api_key="k") as client,
            pytest.raises(query_keys.ServiceError) as raised,
        ):
            client.get_thing(id="a")
    assert raised.value.status_code == 401


def test_a_stub_told_no_credentials_accepts_every_request(keys: ModuleType) -> None:
    with keys.stub.serve() as running:
        with _stub_client(keys, running.url, token="anything") as client:
            client.get_thing(id="a")
        with _stub_client(keys, running.url, username="u", password="p") as client:
            client.put_thing(id="a")


def test_the_stub_refuses_credentials_for_a_scheme_the_service_lacks() -> None:
    from rekognition import stub as rekognition_stub  # signed with SigV4 alone

    with pytest.raises(ValueError, match="Rekognition supports no bearer credentials"):
        rekognition_stub.create_app(token="t")


def test_the_stub_never_shows_the_credentials_it_accepts(keys: ModuleType) -> None:
    app = keys.stub.create_app(**STUB_CREDENTIALS)
    assert "stub-" not in repr(app.auth_checker)
    assert repr(app.auth_checker) == "AuthChecker(schemes=['sigv4', 'bearer', 'basic', 'api_key'])"


def test_the_stub_command_takes_the_credentials_it_accepts(keys: ModuleType) -> None:
    folder = Path(keys.__file__).parent.parent
    process = subprocess.Popen(
        [sys.executable, "-m", "keys.stub", "--port", "0", "--token", "cli-token"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        with _stub_client(keys, url, token="cli-token") as client:
            client.get_thing(id="a")
        with _stub_client(keys, url, token="other") as client, pytest.raises(keys.ServiceError):
            client.get_thing(id="a")
    finally:
        process.terminate()
        process.wait(timeout=20)
