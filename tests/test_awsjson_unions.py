"""A Smithy union over AWS JSON 1.1, end to end (tests/fixtures/models/awsjson_unions.json): a
union whose members are a structure, a string, a timestamp, bytes and a list, alone and in a
list. The generated client sends values to the generated stub and reads them back over
127.0.0.1, real boto3 calls the same stub (with botocore's description of the same service),
and what our client sends is what botocore's serializer writes, on values Hypothesis makes.
"""

from __future__ import annotations

import datetime
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, generate_files, generated_package
from tests.generated_lint import assert_lint_clean
from tests.scripted_server import scripted_server, send

MODEL = FIXTURES / "models" / "awsjson_unions.json"
_ENDPOINT_RULES = json.loads(MODEL.read_text("utf-8"))["shapes"]["example.choices#Choices"][
    "traits"
]["smithy.rules#endpointRuleSet"]

BOTOCORE_MODEL: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2024-01-01",
        "endpointPrefix": "choices",
        "jsonVersion": "1.1",
        "protocol": "json",
        "protocols": ["json"],
        "serviceFullName": "Choices",
        "serviceId": "Choices",
        "signatureVersion": "v4",
        "signingName": "choices",
        "targetPrefix": "Choices",
        "uid": "choices-2024-01-01",
    },
    "operations": {
        "PutChoice": {
            "name": "PutChoice",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "PutChoiceInput"},
            "output": {"shape": "PutChoiceOutput"},
        }
    },
    "shapes": {
        "PutChoiceInput": {
            "type": "structure",
            "required": ["Choice"],
            "members": {"Choice": {"shape": "Choice"}, "Others": {"shape": "ChoiceList"}},
        },
        "PutChoiceOutput": {
            "type": "structure",
            "members": {"Choice": {"shape": "Choice"}, "Others": {"shape": "ChoiceList"}},
        },
        "ChoiceList": {"type": "list", "member": {"shape": "Choice"}},
        "Choice": {
            "type": "structure",
            "union": True,
            "members": {
                "Box": {"shape": "Box"},
                "Word": {"shape": "Word"},
                "When": {"shape": "Timestamp"},
                "Data": {"shape": "Data"},
                "Words": {"shape": "Words"},
            },
        },
        "Box": {
            "type": "structure",
            "required": ["Label"],
            "members": {
                "Label": {"shape": "Word"},
                "Size": {"shape": "Integer"},
                "Seen": {"shape": "Timestamp"},
            },
        },
        "Word": {"type": "string", "min": 1, "max": 20},
        "Data": {"type": "blob", "max": 64},
        "Words": {"type": "list", "member": {"shape": "Word"}, "max": 5},
        "Timestamp": {"type": "timestamp"},
        "Integer": {"type": "integer"},
    },
}
"""botocore's description of the fixture's service, written by hand: boto3 and botocore's
serializer are the independent peer."""


@pytest.fixture(scope="module")
def choices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("choices")
    with generated_package(root, MODEL, "choices") as module:
        yield module


@pytest.fixture(scope="module")
def boto3_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A botocore data folder holding the service's model and endpoint rules."""
    root = tmp_path_factory.mktemp("botocore-data")
    folder = root / "choices" / "2024-01-01"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(BOTOCORE_MODEL), "utf-8")
    (folder / "endpoint-rule-set-1.json").write_text(json.dumps(_ENDPOINT_RULES), "utf-8")
    return root


class Echo:
    """Answers with the choices it was sent, and keeps each request."""

    def __init__(self) -> None:
        self.received: list[Any] = []

    def put_choice(self, request: Any) -> Any:
        self.received.append(request)
        shapes = importlib.import_module("choices.shapes")
        return shapes.PutChoiceOutput(
            choice=request.choice, others=request.others, loose=request.loose
        )


@pytest.fixture(scope="module")
def stub_url(choices: ModuleType) -> Iterator[tuple[str, Echo]]:
    stub = importlib.import_module("choices.stub")
    echo = Echo()
    with stub.StubServer(stub.create_app(echo)) as server:
        yield server.url, echo


def _client(choices: ModuleType, url: str) -> Any:
    return choices.ChoicesClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        max_attempts=1,
    )


def _boto3(data: Path, url: str, *, validation: bool = True) -> Any:
    import boto3
    import botocore.session
    from botocore.config import Config

    session = botocore.session.Session()
    session.get_component("data_loader").search_paths.insert(0, str(data))
    return boto3.session.Session(botocore_session=session).client(
        "choices",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=validation),
    )


_WHEN = datetime.datetime(2024, 2, 29, 12, 30, 15, 250000, datetime.UTC)
_PARAMS: list[dict[str, Any]] = [
    {"Box": {"Label": "crate", "Size": 3, "Seen": _WHEN}},
    {"Word": "hello"},
    {"When": _WHEN},
    {"Data": b"\x00\x01\xff bytes"},
    {"Words": ["a", "bc"]},
    {"Words": []},
]
"""Each member in botocore's notation (which is also the shape of the wire form)."""


def _ours(shapes: Any, value: dict[str, Any]) -> Any:
    """botocore's notation of a Choice as the generated class."""
    ((name, item),) = value.items()
    if name == "Box":
        return shapes.Choice(
            box=shapes.Box(label=item["Label"], size=item.get("Size"), seen=item.get("Seen"))
        )
    return shapes.Choice(**{name.lower(): item})


@pytest.mark.parametrize("params", _PARAMS, ids=[next(iter(p)) for p in _PARAMS])
def test_client_stub_client_keeps_each_member(
    choices: ModuleType, stub_url: tuple[str, Echo], params: dict[str, Any]
) -> None:
    shapes = choices.shapes
    url, echo = stub_url
    sent = shapes.PutChoiceInput(
        choice=_ours(shapes, params), others=[_ours(shapes, p) for p in _PARAMS]
    )
    with _client(choices, url) as client:
        answer = client.put_choice(sent)
    assert echo.received[-1] == sent
    assert answer.choice == sent.choice and answer.others == sent.others


@pytest.mark.parametrize("params", _PARAMS, ids=[next(iter(p)) for p in _PARAMS])
def test_boto3_calls_the_stub_with_each_member(
    choices: ModuleType, stub_url: tuple[str, Echo], boto3_data: Path, params: dict[str, Any]
) -> None:
    shapes = choices.shapes
    url, echo = stub_url
    answer = _boto3(boto3_data, url).put_choice(Choice=params, Others=_PARAMS)
    assert echo.received[-1] == shapes.PutChoiceInput(
        choice=_ours(shapes, params), others=[_ours(shapes, p) for p in _PARAMS]
    )
    assert answer["Choice"] == params
    assert answer["Others"] == _PARAMS


@pytest.mark.parametrize(
    ("member", "value", "wire"),
    [
        ("when", _WHEN, "2024-02-29T12:30:15.250Z"),
        ("data", b"\x00\xff", "AP8="),
        ("count", 7, 7),
    ],
)
def test_a_oneof_union_over_aws_json_sends_its_members_json(
    choices: ModuleType, stub_url: tuple[str, Echo], member: str, value: Any, wire: Any
) -> None:
    """shapesmith.api#alternatives in a Smithy model over AWS JSON: a timestamp member goes as
    its date-time text, bytes as base64, a number as it is; the stub tells them apart by their
    JSON alone and the client reads each back into its member."""
    shapes = choices.shapes
    url, echo = stub_url
    loose = shapes.Loose(**{member: value})
    assert loose.to_dict() == wire
    sent = shapes.PutChoiceInput(choice=shapes.Choice(word="w"), loose=loose)
    with _client(choices, url) as client:
        answer = client.put_choice(sent)
    assert echo.received[-1].loose == loose
    assert answer.loose == loose


def test_the_stub_refuses_what_is_no_value_of_the_union(
    choices: ModuleType, stub_url: tuple[str, Echo], boto3_data: Path
) -> None:
    """Two members set, or none: boto3 is told why (its own validation is off, so the value
    reaches the stub)."""
    import botocore.exceptions

    url, _ = stub_url
    client = _boto3(boto3_data, url, validation=False)
    for choice in ({"Word": "a", "When": _WHEN}, {}):
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            client.put_choice(Choice=choice)
        assert raised.value.response["Error"]["Code"] == "ValidationException", choice


# -- what our client sends is what botocore's serializer writes ----------------------------------

_MOMENTS = st.datetimes(
    min_value=datetime.datetime(1970, 1, 1), max_value=datetime.datetime(2200, 1, 1)
).map(
    lambda moment: moment.replace(
        microsecond=moment.microsecond // 1000 * 1000, tzinfo=datetime.UTC
    )
)
_WORDS = st.text(min_size=1, max_size=20)
_CHOICES = st.one_of(
    st.builds(
        lambda label, size, seen: {
            "Box": {
                "Label": label,
                **({} if size is None else {"Size": size}),
                **({} if seen is None else {"Seen": seen}),
            }
        },
        _WORDS,
        st.none() | st.integers(-(2**31), 2**31 - 1),
        st.none() | _MOMENTS,
    ),
    _WORDS.map(lambda word: {"Word": word}),
    _MOMENTS.map(lambda moment: {"When": moment}),
    st.binary(max_size=64).map(lambda data: {"Data": data}),
    st.lists(_WORDS, max_size=5).map(lambda words: {"Words": words}),
)


@pytest.fixture(scope="module")
def botocore_serializer() -> Any:
    from botocore.model import ServiceModel
    from botocore.serialize import create_serializer

    operation = ServiceModel(BOTOCORE_MODEL, service_name="choices").operation_model("PutChoice")
    serializer = create_serializer("json", include_validation=True)
    return lambda params: serializer.serialize_to_request(params, operation)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(choice=_CHOICES, others=st.none() | st.lists(_CHOICES, max_size=3))
def test_our_client_sends_what_botocore_serializes(
    choices: ModuleType, botocore_serializer: Any, choice: dict[str, Any], others: Any
) -> None:
    params: dict[str, Any] = {"Choice": choice, **({} if others is None else {"Others": others})}
    theirs = botocore_serializer(params)
    shapes = choices.shapes
    value = shapes.PutChoiceInput(
        choice=_ours(shapes, choice),
        others=None if others is None else [_ours(shapes, item) for item in others],
    )
    with scripted_server() as server:
        server.script = send(
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.1"
            b"\r\nContent-Length: 2\r\n\r\n{}"
        )
        with _client(choices, server.url) as client:
            client.put_choice(value)
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    assert json.loads(body) == json.loads(theirs["body"])
    assert b"x-amz-target: choices.putchoice" in head.lower()


def test_the_package_is_lint_clean(tmp_path: Path) -> None:
    code, err = generate_files(tmp_path, [MODEL])
    assert code == 0, err
    assert_lint_clean(tmp_path / "out" / "choices")


# -- a member the model does not have: kept, readable, sent back, refused as input ---------------

_KNOWN_KEYS = {"Box", "Word", "When", "Data", "Words", "__type"}
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_UNKNOWN_NAMES = st.text(min_size=1, max_size=12).filter(lambda name: name not in _KNOWN_KEYS)


def _answer(document: Any) -> bytes:
    body = json.dumps(document).encode()
    return (
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    ) + body


def _answered(choices: ModuleType, document: Any, sent: Any = None) -> tuple[Any, list[bytes]]:
    """What our client reads from a real server answering `document` (to the request `sent`,
    unchecked), and the bodies of the requests it received."""
    shapes = choices.shapes
    with scripted_server() as server:
        server.script = send(_answer(document))
        with _client(choices, server.url) as client:
            client.validate_input = False
            answer = client.put_choice(
                sent or shapes.PutChoiceInput(choice=shapes.Choice(word="w"))
            )
    return answer, [request.partition(b"\r\n\r\n")[2] for request in server.requests]


def test_an_unknown_member_in_an_answer_is_kept_as_botocore_names_it(choices: ModuleType) -> None:
    """A newer service's member in a union is no empty union: its name (what botocore's parser
    gives as `SDK_UNKNOWN_MEMBER`) and its JSON are kept, in a member and in a list item;
    `__type` beside a member is no member (the protocols may name the shape there)."""
    from botocore.model import ServiceModel
    from botocore.parsers import create_parser

    document = {
        "Choice": {"Shape": {"Sides": 3, "Names": ["tri"]}},
        # botocore names the first key of the object, `__type` itself where it comes first;
        # ours is the member whichever the order.
        "Others": [{"Word": "a"}, {"Later": [1, None], "__type": "example.choices#Choice"}],
    }
    answer, _ = _answered(choices, document)
    runtime = choices._runtime
    assert answer.choice.unknown == runtime.UnknownMember("Shape", {"Sides": 3, "Names": ["tri"]})
    assert answer.choice.word is None and answer.others[0].unknown is None
    assert answer.others[1].unknown == runtime.UnknownMember("Later", [1, None])
    assert "Sides" not in repr(answer), "an unknown member's value may be sensitive"
    first, _ = _answered(choices, {"Choice": {"__type": "example.choices#Choice", "Later": 1}})
    assert first.choice.unknown == runtime.UnknownMember("Later", 1)
    operation = ServiceModel(BOTOCORE_MODEL, service_name="choices").operation_model("PutChoice")
    parsed = create_parser("json").parse(
        {"status_code": 200, "headers": {}, "body": json.dumps(document).encode()},
        operation.output_shape,
    )
    assert parsed["Choice"] == {"SDK_UNKNOWN_MEMBER": {"name": answer.choice.unknown.name}}
    assert parsed["Others"][1] == {"SDK_UNKNOWN_MEMBER": {"name": answer.others[1].unknown.name}}


def test_an_answer_with_two_members_it_does_not_know_is_malformed(choices: ModuleType) -> None:
    """Keeping one of two unknown members would lose the other: the answer is refused, as
    botocore refuses a union with more than one member."""
    with pytest.raises(choices._protocol.ResponseParseError) as raised:
        _answered(choices, {"Choice": {"Shape": 1, "Colour": "red"}})
    assert "Colour" in str(raised.value) and "Shape" in str(raised.value)


def test_an_unknown_member_is_no_valid_input(choices: ModuleType) -> None:
    """The validators report it (the value and its wire-form dict alike), so the client's check
    refuses to send it."""
    shapes, validators = choices.shapes, choices.validators
    choice = shapes.Choice(unknown=choices._runtime.UnknownMember("Shape", {"Sides": 3}))
    value = shapes.PutChoiceInput(choice=choice)
    for found in (
        validators.validate_put_choice_input(value),
        validators.validate_put_choice_input(value.to_dict()),
    ):
        assert [(v.path, v.constraint) for v in found] == [
            ("Choice.Shape", "unknown_member"),
            ("Choice", "union"),
        ]
    with (
        pytest.raises(choices._runtime.ValidationError) as raised,
        _client(choices, "http://127.0.0.1:9/") as client,
    ):
        client.put_choice(value)
    assert "Choice.Shape" in str(raised.value)


def test_the_stub_refuses_a_member_it_does_not_know(
    choices: ModuleType, stub_url: tuple[str, Echo]
) -> None:
    """Sent anyway (`validate_input=False`), the stub answers as the service would: a
    ValidationException naming the member, and its handler never sees the request."""
    shapes = choices.shapes
    url, echo = stub_url
    before = len(echo.received)
    choice = shapes.Choice(unknown=choices._runtime.UnknownMember("Shape", {"Sides": 3}))
    with _client(choices, url) as client:
        client.validate_input = False
        with pytest.raises(choices.errors.ServiceError) as raised:
            client.put_choice(
                shapes.PutChoiceInput(choice=choice, others=[shapes.Choice(word="a")])
            )
    assert raised.value.error_code == "ValidationException"
    assert "Choice.Shape" in str(raised.value)
    assert len(echo.received) == before


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_UNKNOWN_NAMES, value=_JSON.filter(lambda value: value is not None))
def test_an_unknown_member_goes_back_as_it_came(choices: ModuleType, name: str, value: Any) -> None:
    """Read from a real server's answer and sent again, the member's JSON is what came; the
    wire-form dict keeps it too."""
    shapes = choices.shapes
    answer, _ = _answered(choices, {"Choice": {name: value}, "Others": [{name: value}]})
    assert answer.choice.unknown == choices._runtime.UnknownMember(name, value)
    assert shapes.Choice.from_dict(answer.choice.to_dict()) == answer.choice
    again = shapes.PutChoiceInput(choice=answer.choice, others=answer.others)
    _, bodies = _answered(choices, {}, again)
    assert json.loads(bodies[0]) == {"Choice": {name: value}, "Others": [{name: value}]}
