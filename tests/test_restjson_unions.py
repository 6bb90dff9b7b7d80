"""A Smithy union over restJson1 when the peer sends a member the model does not have: in a
body member (whose members' keys are their `@jsonName`s), in a list, and as the whole payload of
an answer. The generated client keeps the member's name and JSON (where botocore's parser keeps
the name alone), refuses it as input, and sends it back unchanged when told to skip its checks;
the generated stub refuses it as the service would."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import GIVEN_ENDPOINT_RULES, generate_files, generated_package
from tests.generated_lint import assert_lint_clean
from tests.scripted_server import scripted_server, send

NS = "example.picks"


def _model() -> dict[str, Any]:
    return {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Picks": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": f"{NS}#PutPick"}],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "aws.auth#sigv4": {"name": "picks"},
                    "aws.api#service": {"sdkId": "Picks"},
                    "smithy.rules#endpointRuleSet": GIVEN_ENDPOINT_RULES,
                },
            },
            f"{NS}#PutPick": {
                "type": "operation",
                "input": {"target": f"{NS}#PutPickInput"},
                "output": {"target": f"{NS}#PutPickOutput"},
                "traits": {"smithy.api#http": {"method": "POST", "uri": "/picks", "code": 200}},
            },
            f"{NS}#PutPickInput": {
                "type": "structure",
                "members": {
                    "Pick": {"target": f"{NS}#Pick", "traits": {"smithy.api#required": {}}},
                    "Others": {"target": f"{NS}#PickList"},
                },
                "traits": {"smithy.api#input": {}},
            },
            f"{NS}#PutPickOutput": {
                "type": "structure",
                "members": {
                    "Pick": {"target": f"{NS}#Pick", "traits": {"smithy.api#httpPayload": {}}}
                },
                "traits": {"smithy.api#output": {}},
            },
            f"{NS}#PickList": {"type": "list", "member": {"target": f"{NS}#Pick"}},
            f"{NS}#Pick": {
                "type": "union",
                "members": {
                    "Word": {
                        "target": "smithy.api#String",
                        "traits": {"smithy.api#jsonName": "word"},
                    },
                    "Count": {"target": "smithy.api#Integer"},
                },
            },
        },
    }


BOTOCORE_OUTPUT: dict[str, Any] = {
    "type": "structure",
    "members": {"Pick": {"shape": "Pick"}},
    "payload": "Pick",
}
BOTOCORE_SHAPES: dict[str, Any] = {
    "PutPickOutput": BOTOCORE_OUTPUT,
    "Pick": {
        "type": "structure",
        "union": True,
        "members": {
            "Word": {"shape": "String", "locationName": "word"},
            "Count": {"shape": "Integer"},
        },
    },
    "String": {"type": "string"},
    "Integer": {"type": "integer"},
}
"""botocore's description of the output, written by hand: its parser is the independent peer."""

_KNOWN_KEYS = {"word", "Count", "__type"}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("picks-model") / "picks.json"
    path.write_text(json.dumps(_model()), "utf-8")
    return path


@pytest.fixture(scope="module")
def picks(tmp_path_factory: pytest.TempPathFactory, model_path: Path) -> Iterator[ModuleType]:
    with generated_package(tmp_path_factory.mktemp("picks"), model_path, "picks") as module:
        yield module


def _client(picks: ModuleType, url: str, *, validate_input: bool = True) -> Any:
    return picks.PicksClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        max_attempts=1,
        validate_input=validate_input,
    )


def _answered(picks: ModuleType, payload: Any, sent: Any = None) -> tuple[Any, bytes]:
    """What our client reads from a real server answering with `payload` as the body (to the
    request `sent`, unchecked), and the body of the request it received."""
    body = json.dumps(payload).encode()
    answer = (
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    ) + body
    shapes = picks.shapes
    with scripted_server() as server:
        server.script = send(answer)
        with _client(picks, server.url, validate_input=False) as client:
            read = client.put_pick(sent or shapes.PutPickInput(pick=shapes.Pick(count=1)))
    return read, server.requests[0].partition(b"\r\n\r\n")[2]


def _botocore_reads(body: bytes) -> Any:
    from botocore.model import ShapeResolver
    from botocore.parsers import create_parser

    shape = ShapeResolver(BOTOCORE_SHAPES).get_shape_by_name("PutPickOutput")
    parsed = create_parser("rest-json").parse(
        {"status_code": 200, "headers": {}, "body": body}, shape
    )
    return parsed["Pick"]


def test_an_unknown_payload_member_is_kept_as_botocore_names_it(picks: ModuleType) -> None:
    """The payload's key `Word` is not the member `Word` (whose key is `word`): it is kept as a
    member the model does not have, by its name on the wire, as botocore names it."""
    for payload in ({"Word": "hi"}, {"Shape": {"Sides": [3]}}):
        answer, _ = _answered(picks, payload)
        ((name, value),) = payload.items()
        assert answer.pick.unknown == picks._runtime.UnknownMember(name, value)
        assert answer.pick.word is None and answer.pick.count is None
        assert _botocore_reads(json.dumps(payload).encode()) == {
            "SDK_UNKNOWN_MEMBER": {"name": name}
        }
    known, _ = _answered(picks, {"word": "hi", "__type": "example.picks#Pick"})
    assert known.pick == picks.shapes.Pick(word="hi")


def test_an_unknown_member_is_no_valid_input(picks: ModuleType) -> None:
    shapes = picks.shapes
    value = shapes.PutPickInput(
        pick=shapes.Pick(word="a"),
        others=[shapes.Pick(unknown=picks._runtime.UnknownMember("Later", [1]))],
    )
    found = picks.validators.validate_put_pick_input(value)
    assert [(v.path, v.constraint) for v in found] == [
        ("Others[0].Later", "unknown_member"),
        ("Others[0]", "union"),
    ]
    with (
        pytest.raises(picks._runtime.ValidationError),
        _client(picks, "http://127.0.0.1:9/") as client,
    ):
        client.put_pick(value)


def test_the_stub_refuses_a_member_it_does_not_know(picks: ModuleType) -> None:
    """Sent anyway, the stub answers with a validation error naming the member; its handler
    never sees the request."""
    shapes = picks.shapes
    received: list[Any] = []

    class Handler:
        def put_pick(self, request: Any) -> Any:
            received.append(request)
            return shapes.PutPickOutput(pick=request.pick)

    stub = importlib.import_module("picks.stub")
    with (
        stub.StubServer(stub.create_app(Handler())) as server,
        _client(picks, server.url, validate_input=False) as client,
    ):
        assert client.put_pick(shapes.PutPickInput(pick=shapes.Pick(word="a"))).pick == (
            shapes.Pick(word="a")
        )
        unknown = shapes.Pick(unknown=picks._runtime.UnknownMember("Shape", {"Sides": 3}))
        with pytest.raises(picks.errors.ServiceError) as raised:
            client.put_pick(shapes.PutPickInput(pick=unknown))
    assert raised.value.error_code == "ValidationException"
    assert "Pick.Shape" in str(raised.value)
    assert len(received) == 1


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(min_size=1, max_size=12).filter(lambda name: name not in _KNOWN_KEYS),
    value=_JSON.filter(lambda value: value is not None),
)
def test_an_unknown_member_goes_back_as_it_came(picks: ModuleType, name: str, value: Any) -> None:
    """Read from the payload of a real server's answer and sent again in a body member and a
    list, the member's JSON is what came; botocore reads the same name."""
    shapes = picks.shapes
    answer, _ = _answered(picks, {name: value})
    assert answer.pick.unknown == picks._runtime.UnknownMember(name, value)
    assert _botocore_reads(json.dumps({name: value}).encode()) == {
        "SDK_UNKNOWN_MEMBER": {"name": name}
    }
    assert shapes.Pick.from_dict(answer.pick.to_dict()) == answer.pick
    _, body = _answered(
        picks, {"word": "x"}, shapes.PutPickInput(pick=answer.pick, others=[answer.pick])
    )
    assert json.loads(body) == {"Pick": {name: value}, "Others": [{name: value}]}


def test_the_package_is_lint_clean(tmp_path: Path, model_path: Path) -> None:
    code, err = generate_files(tmp_path, [model_path])
    assert code == 0, err
    assert_lint_clean(tmp_path / "out" / "picks")
