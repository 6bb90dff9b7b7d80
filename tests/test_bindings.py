"""Build: each operation's `@http` route and each member's binding in the IR, decided once from
the member's traits and what the service's protocol honours (`generator.protocols`).

Small models in memory, then AWS's own restJson1 models (AppConfig and EFS) from ../shared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import ir, protocols
from generator.build import Selection, build_units
from generator.ir import BindingLocation as At
from generator.loader import load_model
from generator.semantics import check_model
from tests.conftest import build_unit, reference_file

JsonObject = dict[str, Any]
NS = "example.bind"
REST_JSON = "aws.protocols#restJson1"
AWS_JSON = "aws.protocols#awsJson1_1"


def document(protocol: str | None, shapes: JsonObject) -> JsonObject:
    """A service with `protocol` whose operations are the operations among `shapes`."""
    operations = [
        {"target": shape_id} for shape_id, s in shapes.items() if s["type"] == "operation"
    ]
    service: JsonObject = {
        "type": "service",
        "version": "2024-01-01",
        "operations": operations,
        "traits": {"aws.api#service": {"sdkId": "Things"}},
    }
    if protocol is not None:
        service["traits"][protocol] = {}
    return {"smithy": "2.0", "shapes": {f"{NS}#Things": service, **shapes}}


def operation(
    name: str, http: JsonObject | None, inputs: JsonObject, outputs: JsonObject
) -> JsonObject:
    """An operation `name` with `@http` (unless None) and input and output members."""
    return {
        f"{NS}#{name}": {
            "type": "operation",
            "input": {"target": f"{NS}#{name}Input"},
            "output": {"target": f"{NS}#{name}Output"},
            "traits": {} if http is None else {"smithy.api#http": http},
        },
        f"{NS}#{name}Input": {
            "type": "structure",
            "members": inputs,
            "traits": {"smithy.api#input": {}},
        },
        f"{NS}#{name}Output": {
            "type": "structure",
            "members": outputs,
            "traits": {"smithy.api#output": {}},
        },
    }


def member(target: str, **traits: Any) -> JsonObject:
    """A member of `target` with traits given as `httpHeader="x-a"` (`smithy.api#` implied)."""
    return {"target": target, "traits": {f"smithy.api#{k}": v for k, v in traits.items()}}


def build(tmp_path: Path, doc: JsonObject) -> ir.GenerationUnit:
    unit: ir.GenerationUnit = build_unit(tmp_path, doc)
    return unit


def bindings(shape: ir.StructureShape) -> dict[str, tuple[At, str | None, str | None]]:
    """Each member's binding as (location, wire name, timestamp format)."""
    found: dict[str, tuple[At, str | None, str | None]] = {}
    for m in shape.members:
        assert m.binding is not None, m
        found[m.name] = (m.binding.location, m.binding.wire_name, m.binding.timestamp_format)
    return found


STRING = "smithy.api#String"
INTEGER = "smithy.api#Integer"
TIMESTAMP = "smithy.api#Timestamp"


# -- routes -----------------------------------------------------------------------------------


def test_an_operation_with_http_gets_its_route(tmp_path: Path) -> None:
    http = {"method": "PUT", "uri": "/things/{Id}/parts/{Key+}?kind=part&flag", "code": 201}
    inputs = {
        "Id": member(STRING, required={}, httpLabel={}),
        "Key": member(STRING, required={}, httpLabel={}),
    }
    unit = build(tmp_path, document(REST_JSON, operation("PutPart", http, inputs, {})))
    (op,) = unit.operations
    route = op.http
    assert route is not None
    assert (route.method, route.uri, route.path, route.query) == (
        "PUT",
        "/things/{Id}/parts/{Key+}?kind=part&flag",
        "/things/{Id}/parts/{Key+}",
        "kind=part&flag",
    )
    assert route.query_literals == (("kind", "part"), ("flag", ""))
    assert [(label.name, label.greedy) for label in route.labels] == [("Id", False), ("Key", True)]
    assert route.code == 201


def test_the_success_code_defaults_to_200_and_an_operation_without_http_has_no_route(
    tmp_path: Path,
) -> None:
    shapes = {
        **operation("ListThings", {"method": "GET", "uri": "/things"}, {}, {}),
        **operation("Ping", None, {}, {}),
    }
    unit = build(tmp_path, document(REST_JSON, shapes))
    routes = {op.name: op.http for op in unit.operations}
    assert routes["Ping"] is None
    route = routes["ListThings"]
    assert route is not None
    assert (route.code, route.path, route.query, route.query_literals, route.labels) == (
        200,
        "/things",
        "",
        (),
        (),
    )


# -- what each protocol honours ---------------------------------------------------------------


def test_the_protocol_registry_says_which_protocols_follow_http_bindings_and_json_name() -> None:
    facts = {
        trait: (protocols.layout(trait).http_bindings, protocols.layout(trait).json_name)
        for trait in ("aws.protocols#awsJson1_0", AWS_JSON, REST_JSON)
    }
    assert facts == {
        "aws.protocols#awsJson1_0": (False, False),
        AWS_JSON: (False, False),
        REST_JSON: (True, True),
    }
    assert protocols.PLUGINS[REST_JSON].http_codec
    assert "stub/_restjson_server.py" in protocols.PLUGINS[REST_JSON].stub_static_files


EVERY_LOCATION_INPUT = {
    "Id": member(STRING, required={}, httpLabel={}),
    "Filter": member(STRING, httpQuery="filter"),
    "Extra": member(f"{NS}#StringMap", httpQueryParams={}),
    "Tag": member(STRING, httpHeader="X-Tag"),
    "Meta": member(f"{NS}#StringMap", httpPrefixHeaders="x-meta-"),
    "Name": member(STRING, jsonName="name"),
    "Size": member(INTEGER),
}
EVERY_LOCATION_OUTPUT = {
    "Status": member(INTEGER, httpResponseCode={}),
    "ETag": member(STRING, httpHeader="ETag"),
    "Content": member("smithy.api#Blob", httpPayload={}),
}
STRING_MAP = {
    f"{NS}#StringMap": {"type": "map", "key": {"target": STRING}, "value": {"target": STRING}}
}


def _every_location(tmp_path: Path, protocol: str | None) -> ir.OperationShape:
    http = {"method": "POST", "uri": "/things/{Id}"}
    shapes = {
        **operation("PutThing", http, EVERY_LOCATION_INPUT, EVERY_LOCATION_OUTPUT),
        **STRING_MAP,
    }
    (op,) = build(tmp_path, document(protocol, shapes)).operations
    return op


def test_rest_json_binds_every_member_where_its_trait_says(tmp_path: Path) -> None:
    op = _every_location(tmp_path, REST_JSON)
    assert bindings(op.input) == {
        "Id": (At.LABEL, "Id", None),
        "Filter": (At.QUERY, "filter", None),
        "Extra": (At.QUERY_PARAMS, None, None),
        "Tag": (At.HEADER, "X-Tag", None),
        "Meta": (At.PREFIX_HEADERS, "x-meta-", None),
        "Name": (At.BODY, "name", None),
        "Size": (At.BODY, "Size", None),
    }
    assert bindings(op.output) == {
        "Status": (At.RESPONSE_CODE, None, None),
        "ETag": (At.HEADER, "ETag", None),
        "Content": (At.PAYLOAD, None, None),
    }


def test_aws_json_puts_every_member_in_the_body_under_its_member_name(tmp_path: Path) -> None:
    op = _every_location(tmp_path, AWS_JSON)
    names = [*EVERY_LOCATION_INPUT, *EVERY_LOCATION_OUTPUT]
    found = {**bindings(op.input), **bindings(op.output)}
    assert found == {name: (At.BODY, name, None) for name in names}


@pytest.mark.parametrize(
    ("protocol", "http_bindings", "json_key"),
    [
        (REST_JSON, True, "name"),
        (AWS_JSON, False, "Name"),
        ("aws.protocols#awsJson1_0", False, "Name"),
        # A protocol shapesmith does not know: the model's HTTP traits, member names in the body.
        ("aws.protocols#restXml", True, "Name"),
        (None, True, "Name"),
    ],
)
def test_json_name_and_http_traits_count_where_the_protocol_honours_them(
    tmp_path: Path, protocol: str | None, http_bindings: bool, json_key: str
) -> None:
    op = _every_location(tmp_path, protocol)
    found = bindings(op.input)
    assert found["Name"] == (At.BODY, json_key, None)
    assert found["Tag"][0] is (At.HEADER if http_bindings else At.BODY)


def test_union_members_are_body_members_and_list_and_map_members_have_no_binding(
    tmp_path: Path,
) -> None:
    shapes = {
        **operation(
            "PutThing",
            {"method": "POST", "uri": "/things"},
            {"Choice": member(f"{NS}#Choice"), "Names": member(f"{NS}#Names")},
            {},
        ),
        f"{NS}#Choice": {"type": "union", "members": {"Text": member(STRING, jsonName="text")}},
        f"{NS}#Names": {"type": "list", "member": {"target": STRING}},
        **STRING_MAP,
    }
    unit = build(tmp_path, document(REST_JSON, shapes))
    (choice,) = [s for s in unit.structures if s.name == "Choice"]
    assert bindings(choice) == {"Text": (At.BODY, "text", None)}
    (names,) = unit.lists
    assert names.member.binding is None


# -- timestamp formats per location -----------------------------------------------------------


def test_timestamps_take_the_format_of_their_location_unless_the_model_names_one(
    tmp_path: Path,
) -> None:
    inputs = {
        "At": member(TIMESTAMP, required={}, httpLabel={}),
        "Since": member(TIMESTAMP, httpQuery="since"),
        "Days": member(f"{NS}#Times", httpQuery="day"),
        "Modified": member(TIMESTAMP, httpHeader="If-Modified-Since"),
        "Stamps": member(f"{NS}#Times", httpHeader="X-Stamps"),
        "Seconds": member(f"{NS}#EpochTime", httpHeader="X-Seconds"),
        "Created": member(TIMESTAMP),
        "Written": member(TIMESTAMP, timestampFormat="date-time"),
        "History": member(f"{NS}#Times"),
        "Count": member(INTEGER, httpHeader="X-Count"),
    }
    shapes = {
        **operation("GetThing", {"method": "GET", "uri": "/things/{At}"}, inputs, {}),
        f"{NS}#Times": {"type": "list", "member": {"target": TIMESTAMP}},
        f"{NS}#EpochTime": {
            "type": "timestamp",
            "traits": {"smithy.api#timestampFormat": "epoch-seconds"},
        },
    }
    (op,) = build(tmp_path, document(REST_JSON, shapes)).operations
    formats = {
        name: timestamp_format for name, (_, _, timestamp_format) in bindings(op.input).items()
    }
    assert formats == {
        "At": "date-time",
        "Since": "date-time",
        "Days": "date-time",
        "Modified": "http-date",
        "Stamps": "http-date",
        "Seconds": "epoch-seconds",  # the target's own format wins over the header's
        "Created": "epoch-seconds",
        "Written": "date-time",
        "History": None,  # items inside a body document carry their own
        "Count": None,
    }


def test_a_list_member_format_applies_to_each_item_of_a_header(tmp_path: Path) -> None:
    inputs = {"Stamps": member(f"{NS}#Times", httpHeader="X-Stamps")}
    shapes = {
        **operation("GetThing", {"method": "GET", "uri": "/things"}, inputs, {}),
        f"{NS}#Times": {
            "type": "list",
            "member": {
                "target": TIMESTAMP,
                "traits": {"smithy.api#timestampFormat": "epoch-seconds"},
            },
        },
    }
    (op,) = build(tmp_path, document(REST_JSON, shapes)).operations
    assert bindings(op.input)["Stamps"] == (At.HEADER, "X-Stamps", "epoch-seconds")


def test_aws_json_writes_timestamps_as_its_body_does_whatever_their_http_trait(
    tmp_path: Path,
) -> None:
    inputs = {"Modified": member(TIMESTAMP, httpHeader="If-Modified-Since")}
    shapes = operation("GetThing", {"method": "GET", "uri": "/things"}, inputs, {})
    (op,) = build(tmp_path, document(AWS_JSON, shapes)).operations
    assert bindings(op.input)["Modified"] == (At.BODY, "Modified", "epoch-seconds")


# -- AWS's own restJson1 models ---------------------------------------------------------------


@pytest.mark.parametrize("model", ["appconfig-2019-10-09.json", "efs-2015-02-01.json"])
def test_every_operation_of_an_official_rest_json_model_is_routed_and_bound(model: str) -> None:
    path = reference_file("models", model)
    checked = load_model([path], path.parent)
    check_model(checked)
    (unit,) = build_units(checked, Selection((), "shapesmith.toml", "/operations"))
    assert unit.operations
    for op in unit.operations:
        assert op.http is not None, op.id
        label_members = {
            m.name for m in op.input.members if m.binding and m.binding.location is At.LABEL
        }
        assert label_members == {label.name for label in op.http.labels}, op.id
        for shape in (op.input, op.output, *op.errors):
            assert all(m.binding is not None for m in shape.members), shape.id
