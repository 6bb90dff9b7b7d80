"""Answers from servers that are not AWS (anything an OpenAPI document describes): an error that
names no type is the operation's modelled error for its status, where exactly one has it; and a
429 or 503 with `Retry-After` waits what the server asks (capped at the maximum backoff), with
hostile values ignored or capped. Against a scripted server on 127.0.0.1; the waits are
recorded, not slept."""

from __future__ import annotations

import datetime
import importlib
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import GIVEN_ENDPOINT_RULES
from tests.generated_lint import assert_lint_clean
from tests.scripted_server import ScriptedServer, scripted_server

NS = "example.status"
OK = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"


def _error(name: str, status: int) -> dict[str, Any]:
    return {
        "type": "structure",
        "members": {"message": {"target": "smithy.api#String"}},
        "traits": {
            "smithy.api#error": "client" if status < 500 else "server",
            "smithy.api#httpError": status,
        },
    }


def _model() -> dict[str, Any]:
    errors = [{"target": f"{NS}#{name}"} for name in ("NotFound", "Conflict", "GoneA", "GoneB")]

    def operation(method: str, uri: str, **traits: Any) -> dict[str, Any]:
        return {
            "type": "operation",
            "input": {"target": f"{NS}#ThingInput"},
            "output": {"target": f"{NS}#ThingOutput"},
            "errors": errors,
            "traits": {
                "smithy.api#http": {"method": method, "uri": uri},
                **{f"smithy.api#{name}": value for name, value in traits.items()},
            },
        }

    return {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Statuses": {
                "type": "service",
                "version": "2026-01-01",
                "operations": [{"target": f"{NS}#GetThing"}, {"target": f"{NS}#PutThing"}],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "smithy.rules#endpointRuleSet": GIVEN_ENDPOINT_RULES,
                },
            },
            f"{NS}#GetThing": operation("GET", "/things/{Id}", readonly={}),
            f"{NS}#PutThing": operation("PUT", "/things/{Id}"),
            f"{NS}#ThingInput": {
                "type": "structure",
                "members": {
                    "Id": {
                        "target": "smithy.api#String",
                        "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}},
                    }
                },
                "traits": {"smithy.api#input": {}},
            },
            f"{NS}#ThingOutput": {
                "type": "structure",
                "members": {},
                "traits": {"smithy.api#output": {}},
            },
            f"{NS}#NotFound": _error("NotFound", 404),
            f"{NS}#Conflict": _error("Conflict", 409),
            f"{NS}#GoneA": _error("GoneA", 410),
            f"{NS}#GoneB": _error("GoneB", 410),
        },
    }


@pytest.fixture(scope="module")
def statuses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = tmp_path_factory.mktemp("statuses")
    (root / "model.json").write_text(json.dumps(_model()))
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("statuses")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "statuses"]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as found:
        yield found


def _answers(server: ScriptedServer, *answers: bytes) -> None:
    """Answer the connections in turn with `answers`, then with 500s."""
    pending = iter(answers)

    def script(sock: socket.socket) -> None:
        sock.sendall(next(pending, _answer(500, b"")))

    server.script = script


def _answer(status: int, body: bytes, *headers: str) -> bytes:
    head = [f"HTTP/1.1 {status} Whatever", *headers, f"Content-Length: {len(body)}"]
    head += ["Content-Type: application/json", "Connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def _client(
    package: ModuleType, server: ScriptedServer, waits: list[float], **settings: Any
) -> Any:
    client = package.StatusesClient(endpoint_url=server.url, **settings)
    client._caller._sleep = waits.append
    return client


def test_the_package_is_type_checked_and_lint_clean(statuses: ModuleType) -> None:
    assert_lint_clean(Path(statuses.__file__).parent)


def test_an_untyped_error_is_the_one_modelled_error_of_its_status(
    statuses: ModuleType, server: ScriptedServer
) -> None:
    _answers(server, _answer(404, b'{"message": "no such thing"}'))
    with pytest.raises(statuses.errors.NotFound) as raised:
        _client(statuses, server, [], max_attempts=1).get_thing(id="a")
    assert raised.value.message == "no such thing" and raised.value.status_code == 404


def test_a_status_two_modelled_errors_share_is_the_generic_error(
    statuses: ModuleType, server: ScriptedServer
) -> None:
    _answers(server, _answer(410, b'{"message": "gone"}'))
    with pytest.raises(statuses.ServiceError) as raised:
        _client(statuses, server, [], max_attempts=1).get_thing(id="a")
    assert type(raised.value) is statuses.ServiceError
    assert raised.value.error_code == "HTTP 410" and raised.value.status_code == 410


def test_a_named_type_still_wins_over_the_status(
    statuses: ModuleType, server: ScriptedServer
) -> None:
    _answers(server, _answer(404, b"{}", "X-Amzn-Errortype: Conflict"))
    with pytest.raises(statuses.errors.Conflict):
        _client(statuses, server, [], max_attempts=1).get_thing(id="a")
    _answers(server, _answer(404, b'{"code": "NoSuchCode"}'))
    with pytest.raises(statuses.ServiceError) as raised:
        _client(statuses, server, [], max_attempts=1).get_thing(id="a")
    assert type(raised.value) is statuses.ServiceError and raised.value.error_code == "NoSuchCode"


@pytest.mark.parametrize(
    ("status", "retry_after", "wait"),
    [
        (429, "2", 2.0),
        (503, "3", 3.0),
        (429, "0", 0.0),
        (503, "Thu, 03 Dec 2026 06:00:05 GMT", 5.0),
        (503, "Thu, 03 Dec 2026 05:00:00 GMT", 0.0),  # already past
        (429, "100000000000000000000000000000", 20.0),  # capped at the maximum backoff
        (429, "Fri, 31 Dec 9999 23:59:59 GMT", 20.0),
    ],
)
def test_retry_after_is_the_wait_before_the_next_attempt(
    statuses: ModuleType, server: ScriptedServer, status: int, retry_after: str, wait: float
) -> None:
    _answers(server, _answer(status, b"{}", f"Retry-After: {retry_after}"), OK)
    waits: list[float] = []
    client = _client(statuses, server, waits, max_attempts=3)
    client._caller._clock = lambda: datetime.datetime(2026, 12, 3, 6, 0, tzinfo=datetime.UTC)
    client.get_thing(id="a")
    assert waits == [wait] and server.connections == 2


@pytest.mark.parametrize(
    "retry_after",
    ["-5", "soon", "nan", "inf", "1e400", "0x10", "", "Thu, 99 Dec 2026 06:00:05 GMT"],
)
def test_a_hostile_retry_after_is_ignored(
    statuses: ModuleType, server: ScriptedServer, retry_after: str
) -> None:
    _answers(server, _answer(429, b"{}", f"Retry-After: {retry_after}"), OK)
    waits: list[float] = []
    _client(statuses, server, waits, max_attempts=3).get_thing(id="a")
    # The standard backoff instead: a jittered wait below 2 ** 0 seconds for the first retry.
    assert len(waits) == 1 and 0 <= waits[0] < 1


def test_retry_after_on_another_status_is_not_a_reason_to_wait(
    statuses: ModuleType, server: ScriptedServer
) -> None:
    _answers(server, _answer(500, b"{}", "Retry-After: 7"), OK)
    waits: list[float] = []
    _client(statuses, server, waits, max_attempts=3).get_thing(id="a")
    assert len(waits) == 1 and waits[0] < 1


def test_a_429_without_an_error_code_is_throttling_and_retried_even_when_unsafe(
    statuses: ModuleType, server: ScriptedServer
) -> None:
    # 429 says the request was not processed: PutThing (neither @idempotent nor @readonly) is
    # sent again; the retry quota takes what a throttling retry costs.
    _answers(server, _answer(429, b""), OK)
    waits: list[float] = []
    client = _client(statuses, server, waits, max_attempts=3)
    client.put_thing(id="a")
    assert server.connections == 2 and len(waits) == 1


def test_retries_stop_after_max_attempts_whatever_retry_after_says(
    statuses: ModuleType, server: ScriptedServer
) -> None:
    answer = _answer(503, b"{}", "Retry-After: 1")
    _answers(server, answer, answer, answer, answer)
    waits: list[float] = []
    with pytest.raises(statuses.ServiceError) as raised:
        _client(statuses, server, waits, max_attempts=3).get_thing(id="a")
    assert raised.value.status_code == 503 and waits == [1.0, 1.0]
