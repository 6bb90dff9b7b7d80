"""Every shape type and behaviour-changing trait, generated from one fixture model and exercised.

The Rekognition closure uses a handful of shape types; this model uses all of them (unions, maps,
sparse maps, intEnums, timestamps, big numbers, documents, defaults, recursion, resources,
keyword and builtin member names), so that the templates are proven beyond one service.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import FIXTURES, ruff_check
from tests.generated_lint import functions_over_budget

MODEL = FIXTURES / "models" / "kitchen_sink.json"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("kitchen")
    shutil.copy(MODEL, root / "kitchen_sink.json")
    (root / "shapesmith.toml").write_text('models = ["kitchen_sink.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield root / "out"
    finally:
        sys.path.remove(str(root / "out"))
        for name in [
            n for n in sys.modules if n == "kitchen_sink" or n.startswith("kitchen_sink.")
        ]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def sink(generated: Path) -> ModuleType:
    return importlib.import_module("kitchen_sink")


def kinds(found: list[Any]) -> list[tuple[str, str]]:
    return [(v.path, v.constraint) for v in found]


def put_thing(sink: ModuleType) -> Any:
    """The PutThingInput validator, on dicts that have the one required member."""

    def validate(value: dict[str, Any], strict: bool = False) -> list[Any]:
        return sink.validate_put_thing_input({"Required": "r", **value}, strict=strict)

    return validate


def test_whole_closure_including_resource_operations(sink: ModuleType) -> None:
    for name in (
        "PutThingInput",
        "PutThingOutput",
        "GetWidgetInput",
        "GetWidgetOutput",
        "Node",
        "Choice",
    ):
        assert hasattr(sink, name), name
    assert sink.BadThing.http_status == 422 and sink.BadThing.fault == "client"
    assert sink.ServiceUnavailable.http_status == 500 and sink.ServiceUnavailable.retryable
    assert issubclass(sink.BadThing, sink.KitchenSinkError)


def test_defaults_keywords_and_builtins(sink: ModuleType) -> None:
    thing = sink.PutThingInput(class_="c", type="t", list=["a"], bytes=b"b", required="r")
    assert (thing.flag, thing.count, thing.color, thing.tags, thing.data) == (
        False,
        0,
        sink.Color.RED,
        [],
        b"hi",
    )
    assert thing.since == datetime.datetime.fromtimestamp(0, datetime.UTC)
    assert thing.tags is not sink.PutThingInput().tags  # a fresh list per instance
    wire = thing.to_dict()
    assert wire["class"] == "c" and wire["type"] == "t" and wire["list"] == ["a"]
    assert sink.PutThingInput.from_dict(wire) == thing
    assert sink.PutThingInput.from_dict({}) == sink.PutThingInput(required=None)
    assert kinds(sink.validate_put_thing_input(sink.PutThingInput())) == [("Required", "required")]


def test_shapes_behave_as_the_dataclasses_they_are(sink: ModuleType) -> None:
    """__init__, __eq__ and __repr__ are written out; the rest is still @dataclass's."""
    thing = sink.PutThingInput(class_="c", required="r")
    assert dataclasses.is_dataclass(thing)
    names = {field.name for field in dataclasses.fields(thing)}
    assert {"class_", "type", "tags", "count"} <= names
    changed = dataclasses.replace(thing, count=3)
    assert (changed.count, changed.class_, thing.count) == (3, "c", 0)
    assert changed != thing and dataclasses.replace(changed, count=0) == thing
    assert dataclasses.asdict(thing)["class_"] == "c"
    assert repr(thing).startswith("PutThingInput(") and "class_='c'" in repr(thing)
    assert thing.__eq__(object()) is NotImplemented
    with pytest.raises(TypeError):
        hash(thing)
    with pytest.raises(TypeError):
        sink.PutThingInput("positional")
    with pytest.raises(AttributeError):
        thing.not_a_member = 1  # slots, as before


def test_errors_honour_defaults_and_redact_as_shapes_do(sink: ModuleType) -> None:
    """Errors and shapes share one structure template: `@default` reads back the same way
    (absent means the default, not zero) and a list default is a fresh list, not a required
    argument; sensitive members are redacted with the runtime's one text."""
    error = sink.BadThing(message="m")
    assert (error.attempts, error.hints) == (3, [])
    assert error.hints is not sink.BadThing().hints
    assert sink.BadThing.from_dict({}).attempts == 3
    assert sink.BadThing.from_dict({"Attempts": 0}).attempts == 0
    read = sink.BadThing.from_dict({"Hints": ["a"], "Token": "hush"})
    assert (read.hints, read.token) == (["a"], "hush")
    assert read.to_dict() == {"Attempts": 3, "Hints": ["a"], "Token": "hush"}
    redacted = importlib.import_module("kitchen_sink._runtime").REDACTED
    assert f"token={redacted}" in repr(read) and "hush" not in repr(read)
    assert "token=None" in repr(error)


def test_enum_values_with_quotes_and_int_enums(sink: ModuleType) -> None:
    assert sink.Color.DARK_BLUE == 'dark "blue" \\'
    assert sink.Level.HIGH == 10
    thing = sink.PutThingInput.from_dict({"Color": "green", "Level": 3, "Required": "r"})
    assert thing.color == "green" and thing.level == 3
    assert kinds(sink.validate_put_thing_input(thing)) == []
    assert kinds(sink.validate_put_thing_input(thing, strict=True)) == [
        ("Color", "enum"),
        ("Level", "enum"),
    ]


def test_numbers(sink: ModuleType) -> None:
    validate = put_thing(sink)
    assert kinds(validate({"TinyNumber": 6, "Small": 2**15, "Big": 2**63, "Count": -1})) == [
        ("TinyNumber", "range"),
        ("Small", "range"),
        ("Count", "range"),
        ("Big", "range"),
    ]
    assert kinds(validate({"Huge": 2**100, "Precise": 1.5, "Ratio": float("nan")})) == []
    assert kinds(validate({"Precise": 1.5000001})) == [("Precise", "range")]
    assert kinds(validate({"Money": decimal.Decimal("0.01")})) == []
    assert kinds(validate({"Money": decimal.Decimal("0.009")})) == [("Money", "range")]
    assert kinds(validate({"Money": decimal.Decimal("NaN")})) == [("Money", "type")]
    assert kinds(validate({"Money": 0.5})) == [("Money", "type")]
    assert kinds(validate({"TinyNumber": True})) == [("TinyNumber", "type")]


def test_collections(sink: ModuleType) -> None:
    validate = put_thing(sink)
    assert kinds(validate({"Tags": ["a", "a"]})) == [("Tags", "unique_items")]
    assert kinds(validate({"Tags": ["a", "b", "c", "d"]})) == [("Tags", "length")]
    assert kinds(validate({"Tags": [""]})) == [("Tags[0]", "length")]
    assert kinds(validate({"Attributes": {"ok": 1, "Bad": 2, "x": "three"}})) == [
        ("Attributes", "length"),
        ("Attributes", "pattern"),
        ("Attributes.x", "type"),
    ]
    assert kinds(validate({"Sparse": {"a": None, "b": {"Label": 5}}})) == [
        ("Sparse.b.Label", "type")
    ]
    assert kinds(validate({"Attributes": {"a": None}})) == [("Attributes.a", "type")]


def test_union_needs_exactly_one_member(sink: ModuleType) -> None:
    validate = put_thing(sink)
    assert kinds(validate({"Choice": {"Number": 1}})) == []
    assert kinds(validate({"Choice": {"Number": 1, "Word": "w"}})) == [("Choice", "union")]
    assert kinds(validate({"Choice": {}})) == [("Choice", "union")]
    choice = sink.Choice(node=sink.Node(label="x"))
    assert sink.Choice.from_dict(choice.to_dict()) == choice


def test_recursion(sink: ModuleType) -> None:
    tree = sink.Node(label="root", children=[sink.Node(label="leaf", parent=sink.Node(label=1))])
    assert kinds(sink.validate_get_widget_output(sink.GetWidgetOutput(tree=tree))) == [
        ("Tree.Children[0].Parent.Label", "type")
    ]
    wire = {"Tree": {"Label": "a", "Children": [{"Label": "b", "Children": []}]}}
    parsed = sink.GetWidgetOutput.from_dict(wire)
    assert parsed.to_dict() == wire


def test_timestamps_blobs_documents_and_patterns(sink: ModuleType) -> None:
    validate = put_thing(sink)
    assert kinds(validate({"When": "2024-01-01"})) == [("When", "type")]
    assert kinds(validate({"When": datetime.datetime.now(datetime.UTC)})) == []
    assert kinds(validate({"Blob": b"12345"})) == [("Blob", "length")]
    assert kinds(validate({"Blob": "text"})) == [("Blob", "type")]
    assert kinds(validate({"Anything": {"any": [1, None, "x"]}})) == []
    assert kinds(validate({"Text": "caf\u00e9"})) == [("Text", "pattern")]  # \w is ASCII
    assert kinds(validate({"Secret": 5})) == [("Secret", "type")]
    assert validate({"Secret": 5})[0].value == "*** sensitive ***"
    assert "hunter2" not in repr(sink.PutThingInput(secret="hunter2"))


def test_nested_lists_of_maps_of_enums(sink: ModuleType) -> None:
    wire = {"Nested": [[{"a": "red", "b": "purple"}]], "Items": ["x"]}
    parsed = sink.PutThingOutput.from_dict(wire)
    assert parsed.nested[0][0]["a"] is sink.Color.RED
    assert parsed.nested[0][0]["b"] == "purple"
    assert parsed.to_dict() == wire
    assert kinds(sink.validate_put_thing_output(wire, strict=True)) == [("Nested[0][0].b", "enum")]


@pytest.mark.slow
def test_type_checks_and_lint(generated: Path) -> None:
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "kitchen_sink"]
    result = subprocess.run(command, cwd=generated, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    result = ruff_check(generated / "kitchen_sink")
    assert result.returncode == 0, result.stdout + result.stderr
    assert functions_over_budget(generated / "kitchen_sink") == []


def test_client_over_aws_json_1_0(sink: ModuleType) -> None:
    from tests.aws_json_server import Reply, running

    with running(
        access_key="AKID", secret_key="SECRET", region="eu-west-1", service="sink"
    ) as server:
        server.default = Reply(body={"NextToken": "n", "Nested": [[{"a": "red", "b": "new"}]]})
        with sink.KitchenSinkClient(
            region_name="eu-west-1",
            endpoint_url=server.url,
            aws_access_key_id="AKID",
            aws_secret_access_key="SECRET",
        ) as client:
            when = datetime.datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=datetime.UTC)
            result = client.put_thing(
                required="r",
                when=when,
                ratio=float("nan"),
                money=decimal.Decimal("2.5"),
                choice=sink.Choice(word="w"),
                attributes={"a": 1},
                since=datetime.datetime(1970, 1, 1, 0, 0, 5, tzinfo=datetime.UTC),
                data=b"yo",
            )
            client.put_thing(required="r", token="mine")
        first, second = server.requests
        assert first.signature_ok and second.signature_ok
        assert first.headers["Content-Type"] == "application/x-amz-json-1.0"
        assert first.headers["X-Amz-Target"] == "Sink.PutThing"
        body = first.json()
        assert body["When"] == "2024-05-06T07:08:09.500Z"  # @timestampFormat("date-time")
        assert body["Since"] == 5  # epoch seconds by default
        assert body["Data"] == "eW8="  # blobs travel as base64
        # Members left at their @default are not sent: the receiver assumes the default.
        for member in ("Flag", "Count", "Color", "Tags"):
            assert member not in body
        assert set(second.json()) == {"Required", "Token"}
        assert body["Ratio"] == "NaN"
        assert body["Money"] == 2.5
        assert body["Choice"] == {"Word": "w"}
        assert len(body["Token"]) == 36  # @idempotencyToken filled in
        assert second.json()["Token"] == "mine"
        assert "renamed_on_the_wire" not in body  # @jsonName does not apply to AWS JSON
        assert result.next_token == "n"
        assert result.nested == [[{"a": sink.Color.RED, "b": "new"}]]


def test_stub_over_aws_json_1_0_reads_every_wire_type_back(sink: ModuleType) -> None:
    """The generated client and the generated stub of the same model agree on every type the
    wire encodes specially: timestamps in both formats, blobs, float words, big decimals."""
    stub = importlib.import_module("kitchen_sink.stub")
    received: list[Any] = []

    class Echo:
        def put_thing(self, request: Any) -> Any:
            received.append(request)
            return sink.PutThingOutput(next_token="n")

        def get_widget(self, request: Any) -> Any:
            raise sink.ServiceUnavailable(message="down")

    with (
        stub.serve(Echo()) as server,
        sink.KitchenSinkClient(
            region_name="eu-west-1",
            endpoint_url=server.url,
            aws_access_key_id="AKID",
            aws_secret_access_key="SECRET",
            max_attempts=1,
        ) as client,
    ):
        when = datetime.datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=datetime.UTC)
        sent = sink.PutThingInput(
            required="r",
            when=when,
            ratio=float("inf"),
            money=decimal.Decimal("2.5"),
            data=b"\x00\xffbytes",
            choice=sink.Choice(word="w"),
            token="t-1",
        )
        assert client.put_thing(sent).next_token == "n"
        with pytest.raises(sink.ServiceUnavailable):
            client.get_widget(sink.GetWidgetInput.from_dict({}))
    (got,) = received
    assert got.when == when and got.ratio == float("inf") and got.money == decimal.Decimal("2.5")
    assert got.data == b"\x00\xffbytes" and got.choice == sink.Choice(word="w")
    assert got == sent
