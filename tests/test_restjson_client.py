"""The restJson1 client beyond botocore's suites: a `@mediaType` string in a header travels as
base64 both ways, an idempotency token bound to the query is filled in, a greedy label keeps its
`/`, an error's header-bound member is read from its header, and a member left at its @default
is not sent, wherever it is bound."""

from __future__ import annotations

import base64
import importlib
import json
import re
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import GIVEN_ENDPOINT_RULES
from tests.test_botocore_protocols import RecordingTransport

NS = "example.rest"
SERVICE = f"{NS}#Things"


def _model() -> dict[str, Any]:
    def member(target: str, **traits: Any) -> dict[str, Any]:
        found = {"target": target}
        if traits:
            found["traits"] = {f"smithy.api#{name}": value for name, value in traits.items()}
        return found

    return {
        "smithy": "2.0",
        "shapes": {
            SERVICE: {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": f"{NS}#PutThing"}],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "aws.auth#sigv4": {"name": "things"},
                    "aws.api#service": {"sdkId": "Rest Things"},
                    "smithy.rules#endpointRuleSet": GIVEN_ENDPOINT_RULES,
                },
            },
            f"{NS}#PutThing": {
                "type": "operation",
                "input": {"target": f"{NS}#PutThingInput"},
                "output": {"target": f"{NS}#PutThingOutput"},
                "errors": [{"target": f"{NS}#Busy"}],
                "traits": {"smithy.api#http": {"method": "PUT", "uri": "/things/{Key+}?v=1"}},
            },
            f"{NS}#Json": {
                "type": "string",
                "traits": {"smithy.api#mediaType": "application/json"},
            },
            f"{NS}#PutThingInput": {
                "type": "structure",
                "members": {
                    "Key": member("smithy.api#String", required={}, httpLabel={}),
                    "Token": member("smithy.api#String", idempotencyToken={}, httpQuery="token"),
                    "Policy": member(f"{NS}#Json", httpHeader="X-Policy"),
                    "Size": member("smithy.api#Integer", jsonName="size"),
                    "Shared": member("smithy.api#Boolean", default=False, httpQuery="shared"),
                    "Limit": member("smithy.api#Integer", default=10, httpQuery="limit"),
                    "Mode": member("smithy.api#String", default="fast", httpHeader="X-Mode"),
                },
                "traits": {"smithy.api#input": {}},
            },
            f"{NS}#PutThingOutput": {
                "type": "structure",
                "members": {
                    "Policy": member(f"{NS}#Json", httpHeader="X-Policy"),
                    "Status": member("smithy.api#Integer", httpResponseCode={}),
                    "Size": member("smithy.api#Integer", jsonName="size"),
                },
                "traits": {"smithy.api#output": {}},
            },
            f"{NS}#Busy": {
                "type": "structure",
                "members": {
                    "message": member("smithy.api#String"),
                    "RetryAfter": member("smithy.api#Integer", httpHeader="Retry-After"),
                },
                "traits": {"smithy.api#error": "client", "smithy.api#httpError": 429},
            },
        },
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = tmp_path_factory.mktemp("restjson-client")
    (root / "model.json").write_text(json.dumps(_model()))
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("rest_things")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "rest_things"]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


def _client(package: ModuleType, transport: RecordingTransport) -> Any:
    return package.RestThingsClient(
        region_name="us-east-1",
        endpoint_url="https://example.com",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        max_attempts=1,
        transport=transport,
    )


def test_a_request_puts_each_member_where_its_binding_says(
    package: ModuleType, no_aws_configuration: None
) -> None:
    answer = package.HttpResponse(
        status=201,
        headers={"x-policy": base64.b64encode(b'{"a":1}').decode()},
        body=b'{"size": 3}',
    )
    transport = RecordingTransport(answer)
    with _client(package, transport) as client:
        output = client.put_thing(key="a b/c", policy='{"a":1}', size=3)
    (request,) = transport.requests
    url = urllib.parse.urlsplit(request.url)
    assert url.path == "/things/a%20b/c"
    query = urllib.parse.parse_qs(url.query)
    assert query["v"] == ["1"] and len(query["token"][0]) == 36  # the token, filled in
    assert request.headers["X-Policy"] == base64.b64encode(b'{"a":1}').decode()
    assert json.loads(request.body) == {"size": 3}
    assert request.headers["Content-Type"] == "application/json"
    assert (output.policy, output.status, output.size) == ('{"a":1}', 201, 3)


def test_an_error_reads_its_code_and_its_header_members(
    package: ModuleType, no_aws_configuration: None
) -> None:
    answer = package.HttpResponse(
        status=429,
        headers={"x-amzn-errortype": "Busy:http://internal", "retry-after": "7"},
        body=b'{"message": "slow down"}',
    )
    transport = RecordingTransport(answer)
    with _client(package, transport) as client, pytest.raises(package.Busy) as raised:
        client.put_thing(key="k")
    assert raised.value.retry_after == 7
    assert raised.value.error_code == "Busy"
    assert str(raised.value) == "slow down"


def test_a_member_at_its_default_is_not_sent_wherever_it_is_bound(
    package: ModuleType, no_aws_configuration: None
) -> None:
    """As in a body, so in the query and headers: the receiver assumes a default, and botocore
    sends none it was not given (Backup's `ListBackupVaults` sent `shared=false`)."""
    transport = RecordingTransport(package.HttpResponse(status=200, headers={}, body=b"{}"))
    with _client(package, transport) as client:
        client.put_thing(key="k")
        client.put_thing(key="k", shared=False, limit=10, mode="fast")
        client.put_thing(key="k", shared=True, limit=0, mode="slow")
    sent = []
    for request in transport.requests:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query)
        sent.append((query.get("shared"), query.get("limit"), request.headers.get("X-Mode")))
    assert sent == [(None, None, None), (None, None, None), (["true"], ["0"], "slow")]


@given(text=st.text(st.characters(exclude_categories=["Cs"])), greedy=st.booleans())
def test_a_label_is_percent_encoded_outside_the_unreserved_set(
    package: ModuleType, text: str, greedy: bool
) -> None:
    wire = importlib.import_module(f"{package.__name__}._restjson_wire")
    safe = "/" if greedy else ""
    encoded = wire.percent_encode(text, safe=safe)
    assert urllib.parse.unquote(encoded, errors="strict") == text
    unreserved = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~" + safe)
    plain = re.sub("%[0-9A-F]{2}", "", encoded)
    assert set(plain) <= unreserved
    assert len(plain) == sum(char in unreserved for char in text)
