"""OpenAPI's `security` end to end, over 127.0.0.1: any one requirement of the list suffices, a
requirement naming several schemes needs all of them, and a document may have several schemes of
one kind (three API keys: in a header, the query and a cookie). The generated client takes and
sends them all; the generated stub, told the credentials it accepts, enforces exactly these
rules and names what is missing in its 401.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.cli import main
from generator.openapi.spec_check import schema_problems
from tests.conftest import FIXTURES, generate_files, generated_package
from tests.generated_lint import assert_lint_clean

DOCUMENT = FIXTURES / "openapi" / "security-3.1.yaml"
KEYS = {"headerKey": "head-secret", "queryKey": "query-secret", "cookieKey": "cookie-secret"}
TOKEN = "token-secret"
BASIC = ("user", "basic-secret")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("security")
    # every requirement of the document is supported: no warning
    with generated_package(root, DOCUMENT, "guarded", no_warnings=True) as module:
        yield module


class _Counter:
    """A handler that counts the calls that reach it."""

    def __init__(self, shapes: ModuleType) -> None:
        self.shapes = shapes
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        output = getattr(self.shapes, "".join(p.capitalize() for p in name.split("_")) + "Output")

        def handle(request: Any) -> Any:
            self.calls.append(name)
            return output()

        return handle


@pytest.fixture(scope="module")
def stub(package: ModuleType) -> Iterator[tuple[str, _Counter]]:
    """(the URL of a stub told every credential, its handler)."""
    counter = _Counter(importlib.import_module("guarded.shapes"))
    stub_module = importlib.import_module("guarded.stub")
    with stub_module.serve(counter, api_keys=KEYS, token=TOKEN, basic=BASIC) as server:
        yield server.url, counter


def _call(url: str, operation: str, **credentials: Any) -> Any:
    client_module = importlib.import_module("guarded.client")
    shapes = importlib.import_module("guarded.shapes")
    input_class = getattr(shapes, "".join(p.capitalize() for p in operation.split("_")) + "Input")
    with client_module.GuardedClient(endpoint_url=url, max_attempts=1, **credentials) as client:
        return getattr(client, operation)(input_class())


def _raw(url: str, headers: dict[str, str]) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())["message"]


def _missing() -> type[Exception]:
    return importlib.import_module("guarded._auth").MissingCredentialsError  # type: ignore[no-any-return]


def _service_error() -> type[Exception]:
    return importlib.import_module("guarded.errors").ServiceError  # type: ignore[no-any-return]


def test_a_requirement_of_several_schemes_needs_them_all(stub: tuple[str, _Counter]) -> None:
    url, counter = stub
    _call(url, "both", api_keys={"headerKey": KEYS["headerKey"], "queryKey": KEYS["queryKey"]})
    assert counter.calls[-1] == "both"
    before = len(counter.calls)
    with pytest.raises(_missing(), match=r"API key 'queryKey'.*not all of them"):
        _call(url, "both", api_keys={"headerKey": KEYS["headerKey"]})
    assert len(counter.calls) == before  # refused before anything was sent
    status, message = _raw(url + "/both", {"X-Api-Key": KEYS["headerKey"]})
    assert status == 401
    assert message.endswith("and it lacks the API key 'queryKey'"), message
    status, message = _raw(url + "/both?api_key=" + KEYS["queryKey"], {})
    assert (status, message.rpartition(", and ")[2]) == (401, "it lacks the API key 'headerKey'")
    status, _ = _raw(url + "/both?api_key=" + KEYS["queryKey"], {"X-Api-Key": KEYS["headerKey"]})
    assert status == 204
    status, message = _raw(url + "/both?api_key=wrong", {"X-Api-Key": KEYS["headerKey"]})
    assert (status, message) == (401, "the API key 'queryKey' is not valid")


def test_any_one_requirement_suffices(stub: tuple[str, _Counter]) -> None:
    url, _ = stub
    _call(url, "either", api_keys={"queryKey": KEYS["queryKey"]})  # the second alternative
    _call(url, "either", api_keys={"headerKey": KEYS["headerKey"]})
    assert _raw(url + "/either", {"X-Api-Key": KEYS["headerKey"]})[0] == 204
    assert _raw(url + "/either?api_key=" + KEYS["queryKey"], {})[0] == 204
    status, message = _raw(url + "/either", {})
    assert status == 401
    assert "needs the API key 'headerKey' or the API key 'queryKey'" in message, message
    with pytest.raises(_missing(), match="the client was given none"):
        _call(url, "either")


def test_a_key_and_a_token_together_or_basic_alone(stub: tuple[str, _Counter]) -> None:
    url, _ = stub
    _call(url, "cookie_and_token", api_keys={"cookieKey": KEYS["cookieKey"]}, token=TOKEN)
    _call(url, "cookie_and_token", username=BASIC[0], password=BASIC[1])
    with pytest.raises(_missing()):
        _call(url, "cookie_and_token", token=TOKEN)
    status, message = _raw(url + "/cookie-and-token", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 401
    assert message.endswith("it lacks the API key 'cookieKey'"), message
    cookie = {"Cookie": f"session={KEYS['cookieKey']}", "Authorization": f"Bearer {TOKEN}"}
    assert _raw(url + "/cookie-and-token", cookie)[0] == 204


def test_an_optional_requirement_sends_credentials_held_and_goes_anonymous_otherwise(
    stub: tuple[str, _Counter],
) -> None:
    url, _ = stub
    _call(url, "optional")
    _call(
        url, "optional", api_keys={"headerKey": KEYS["headerKey"], "cookieKey": KEYS["cookieKey"]}
    )
    with pytest.raises(_service_error(), match="the API key 'cookieKey' is not valid"):
        # the keys held are sent, and the stub judges them
        _call(url, "optional", api_keys={"headerKey": KEYS["headerKey"], "cookieKey": "wrong"})


def test_an_empty_security_list_is_anonymous(stub: tuple[str, _Counter]) -> None:
    url, _ = stub
    _call(url, "public")
    assert _raw(url + "/public", {})[0] == 204


def test_api_key_is_the_key_of_every_scheme_api_keys_leaves_out(
    stub: tuple[str, _Counter],
) -> None:
    url, _ = stub
    with pytest.raises(_service_error(), match="the API key 'headerKey' is not valid"):
        _call(url, "either", api_key=KEYS["queryKey"])  # tried in the header first
    _call(url, "either", api_key=KEYS["queryKey"], api_keys={"headerKey": KEYS["headerKey"]})


def test_no_key_is_ever_shown(package: ModuleType) -> None:
    auth = importlib.import_module("guarded._auth")
    identities = auth.Identities(api_key="one-secret", api_keys={"queryKey": "two-secret"})
    assert "secret" not in repr(identities)
    client_auth = auth.ClientAuth(
        identities,
        api_key_places={
            "headerKey": auth.ApiKeyPlace("X-Api-Key", in_query=False),
            "queryKey": auth.ApiKeyPlace("api_key", in_query=True),
            "cookieKey": auth.ApiKeyPlace("session", in_query=False, in_cookie=True),
        },
    )
    assert client_auth.secret_names == {"x-api-key", "api_key", "cookie"}


def test_the_stub_refuses_a_key_name_the_service_lacks(package: ModuleType) -> None:
    stub_module = importlib.import_module("guarded.stub")
    with pytest.raises(ValueError, match="no API key named 'other'"):
        stub_module.create_app(api_keys={"other": "x"})


def test_the_package_is_lint_clean(tmp_path: Path) -> None:
    code, err = generate_files(tmp_path, [DOCUMENT])
    assert code == 0, err
    assert_lint_clean(tmp_path / "out" / "guarded")


# -- the document's security, exported and read back ------------------------------------------

_PROBES: list[tuple[str, dict[str, str]]] = [
    # (a request target, its headers): every operation with none, each credential, pairs
    (f"/{path}{query}", headers)
    for path in ("both", "either", "cookie-and-token", "optional", "public")
    for query, headers in [
        ("", {}),
        ("", {"X-Api-Key": KEYS["headerKey"]}),
        ("", {"X-Api-Key": "wrong"}),
        (f"?api_key={KEYS['queryKey']}", {}),
        (f"?api_key={KEYS['queryKey']}", {"X-Api-Key": KEYS["headerKey"]}),
        ("", {"Cookie": f"session={KEYS['cookieKey']}", "Authorization": f"Bearer {TOKEN}"}),
        ("", {"Cookie": "session=wrong", "Authorization": f"Bearer {TOKEN}"}),
        ("", {"Authorization": f"Bearer {TOKEN}"}),
        ("", {"Authorization": "Basic dXNlcjpiYXNpYy1zZWNyZXQ="}),  # user:basic-secret
        ("", {"Cookie": f"session={KEYS['cookieKey']}", "X-Api-Key": KEYS["headerKey"]}),
    ]
]


def _behaviour(root: Path, document: Path) -> dict[str, Any]:
    """What the package generated from `document` asks of callers and how its stub judges
    credentials: the client's parameters, each operation's alternatives, the stub's schemes
    and API keys, and the status and message of each probe."""
    with generated_package(root, document, "guarded", no_warnings=True) as module:
        client_class = importlib.import_module("guarded.client").GuardedClient
        spec = importlib.import_module("guarded.stub.service").SERVICE
        found: dict[str, Any] = {
            "client": [
                (p.name, p.kind, repr(p.default))
                for p in inspect.signature(client_class).parameters.values()
            ],
            "operations": {name: op.auth for name, op in spec.operations.items()},
            "schemes": spec.auth_schemes,
            "api_key": repr(spec.api_key),  # each run's own class: compared by what it holds
            "api_keys": repr(spec.api_keys),
        }
        counter = _Counter(importlib.import_module("guarded.shapes"))
        stub_module = importlib.import_module(f"{module.__name__}.stub")
        with stub_module.serve(counter, api_keys=KEYS, token=TOKEN, basic=BASIC) as server:
            found["probes"] = [_raw(server.url + target, headers) for target, headers in _PROBES]
    return found


def test_security_exported_and_read_back_asks_and_judges_the_same(tmp_path: Path) -> None:
    """document -> shapesmith -> `export openapi` -> shapesmith: the same client arguments, the
    same alternatives per operation, the same 401s (and 204s) from the stub."""
    before = _behaviour(tmp_path / "first", DOCUMENT)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        config = str(tmp_path / "first" / "shapesmith.toml")
        code = main(
            ["export", "openapi", "-q", "--config", config, "--output", str(tmp_path / "api")]
        )
    assert code == 0, err.getvalue()
    exported = tmp_path / "api" / "guarded.openapi.json"
    document = json.loads(exported.read_text("utf-8"))
    assert list(schema_problems(document, "3.1", exported.name)) == []
    assert document["security"] == [{"headerKey": [], "queryKey": []}]
    assert "security" not in document["paths"]["/both"]["get"]  # the document's own
    assert document["paths"]["/public"]["get"]["security"] == []
    after = _behaviour(tmp_path / "again", exported)
    assert after == before
    assert {status for status, _ in before["probes"]} == {204, 401}
