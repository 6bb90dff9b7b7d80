"""Loading and assembling models: several files, `apply`, IDL 1.0, mixins, operation selection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.build import Selection, build_units
from generator.diagnostics import ShapesmithError
from generator.loader import load_model
from generator.semantics import check_model

NS = "example.weather"


def service(
    *operations: str, version: str = "2.0", extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    shapes: dict[str, Any] = {
        f"{NS}#Weather": {
            "type": "service",
            "version": "2024-01-01",
            "operations": [{"target": f"{NS}#{op}"} for op in operations],
            "traits": {"aws.api#service": {"sdkId": "Weather Service"}},
        }
    }
    shapes.update(extra or {})
    return {"smithy": version, "shapes": shapes}


def operation(name: str, members: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{NS}#{name}": {
            "type": "operation",
            "input": {"target": f"{NS}#{name}Input"},
            "output": {"target": f"{NS}#{name}Output"},
        },
        f"{NS}#{name}Input": {"type": "structure", "members": members},
        f"{NS}#{name}Output": {"type": "structure", "members": {}},
    }


def write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def units(
    tmp_path: Path, *paths: Path, operations: tuple[str, ...] = ()
) -> tuple[ir.GenerationUnit, ...]:
    model = load_model(paths, tmp_path)
    check_model(model)
    return build_units(model, Selection(operations, "shapesmith.toml", "/operations"))


def messages(error: pytest.ExceptionInfo[ShapesmithError]) -> list[str]:
    return [str(d) for d in error.value.diagnostics]


def test_an_operation_added_in_a_file_of_its_own(tmp_path: Path) -> None:
    base = write(
        tmp_path,
        "base.json",
        service(
            "GetCity",
            "GetForecast",
            extra=operation("GetCity", {"Name": {"target": "smithy.api#String"}}),
        ),
    )
    added = write(
        tmp_path,
        "forecast.json",
        {
            "smithy": "2.0",
            "shapes": operation("GetForecast", {"Days": {"target": "smithy.api#Integer"}}),
        },
    )
    (unit,) = units(tmp_path, base, added)
    assert [op.py_name for op in unit.operations] == ["get_city", "get_forecast"]
    assert unit.service.package_name == "weather_service"
    assert unit.model_files == ("base.json", "forecast.json")


def test_identical_duplicates_merge_and_different_ones_are_refused(tmp_path: Path) -> None:
    shared = operation("GetCity", {"Name": {"target": "smithy.api#String"}})
    a = write(tmp_path, "a.json", service("GetCity", extra=shared))
    b = write(tmp_path, "b.json", {"smithy": "2.0", "shapes": shared})
    assert len(units(tmp_path, a, b)) == 1
    changed = json.loads(json.dumps(shared))
    changed[f"{NS}#GetCityInput"]["members"]["Name"]["target"] = "smithy.api#Integer"
    c = write(tmp_path, "c.json", {"smithy": "2.0", "shapes": changed})
    with pytest.raises(ShapesmithError) as error:
        units(tmp_path, a, c)
    assert messages(error) == [
        f"c.json: /shapes/{NS}#GetCityInput: shape is also defined, differently, in a.json; "
        "a shape defined in several files must be identical in each"
    ]


def test_apply_adds_traits_and_refuses_conflicts(tmp_path: Path) -> None:
    base = write(
        tmp_path,
        "base.json",
        service("GetCity", extra=operation("GetCity", {"Name": {"target": "smithy.api#String"}})),
    )
    apply = write(
        tmp_path,
        "apply.json",
        {
            "smithy": "2.0",
            "shapes": {
                f"{NS}#GetCityInput$Name": {
                    "type": "apply",
                    "traits": {"smithy.api#required": {}, "smithy.api#length": {"min": 2}},
                }
            },
        },
    )
    (unit,) = units(tmp_path, base, apply)
    (name,) = unit.operations[0].input.members
    assert name.required and name.length == ir.Length(min=2, max=None)
    conflict = write(
        tmp_path,
        "conflict.json",
        {
            "smithy": "2.0",
            "shapes": {
                f"{NS}#GetCityInput$Name": {
                    "type": "apply",
                    "traits": {"smithy.api#length": {"min": 3}},
                }
            },
        },
    )
    with pytest.raises(ShapesmithError) as error:
        units(tmp_path, base, apply, conflict)
    assert messages(error) == [
        f"conflict.json: /shapes/{NS}#GetCityInput$Name/traits/smithy.api#length: "
        "conflicts with the value of smithy.api#length defined in base.json"
    ]


def test_smithy_1_documents_are_upgraded(tmp_path: Path) -> None:
    extra = operation(
        "GetCity", {"Tags": {"target": f"{NS}#TagSet"}, "Kind": {"target": f"{NS}#Kind"}}
    )
    extra[f"{NS}#TagSet"] = {"type": "set", "member": {"target": "smithy.api#String"}}
    extra[f"{NS}#Kind"] = {
        "type": "string",
        "traits": {"smithy.api#enum": [{"value": "big-city", "name": "BIG"}, {"value": "village"}]},
    }
    path = write(tmp_path, "v1.json", service("GetCity", version="1.0", extra=extra))
    (unit,) = units(tmp_path, path)
    tags, kind = unit.operations[0].input.members
    assert isinstance(tags.target, ir.ListShape) and tags.target.unique_items
    assert isinstance(kind.target, ir.EnumShape)
    assert [(v.py_name, v.value) for v in kind.target.values] == [
        ("BIG", "big-city"),
        ("VILLAGE", "village"),
    ]


def test_mixins_are_flattened(tmp_path: Path) -> None:
    extra = operation("GetCity", {"Name": {"target": "smithy.api#String"}})
    extra[f"{NS}#Paged"] = {
        "type": "structure",
        "members": {"NextToken": {"target": "smithy.api#String"}},
        "traits": {"smithy.api#mixin": {}},
    }
    extra[f"{NS}#GetCityInput"]["mixins"] = [{"target": f"{NS}#Paged"}]
    path = write(tmp_path, "mixins.json", service("GetCity", extra=extra))
    (unit,) = units(tmp_path, path)
    assert [m.name for m in unit.operations[0].input.members] == ["NextToken", "Name"]


def test_recursive_structures_are_legal(tmp_path: Path) -> None:
    extra = operation("GetCity", {"Root": {"target": f"{NS}#Node"}})
    extra[f"{NS}#Node"] = {
        "type": "structure",
        "members": {"Children": {"target": f"{NS}#Nodes"}, "Parent": {"target": f"{NS}#Node"}},
    }
    extra[f"{NS}#Nodes"] = {"type": "list", "member": {"target": f"{NS}#Node"}}
    path = write(tmp_path, "tree.json", service("GetCity", extra=extra))
    (unit,) = units(tmp_path, path)
    node = next(s for s in unit.structures if s.name == "Node")
    children, parent = node.members
    assert parent.target is node
    assert isinstance(children.target, ir.ListShape) and children.target.member.target is node


def test_only_the_closure_of_selected_operations_is_built(tmp_path: Path) -> None:
    extra = operation("GetCity", {"Name": {"target": "smithy.api#String"}})
    extra.update(operation("GetForecast", {"Days": {"target": f"{NS}#Days"}}))
    extra[f"{NS}#Days"] = {"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 14}}}
    path = write(tmp_path, "two.json", service("GetCity", "GetForecast", extra=extra))
    (unit,) = units(tmp_path, path, operations=(f"{NS}#GetCity",))
    assert {s.name for s in unit.structures} == {"GetCityInput", "GetCityOutput"}


def test_selection_errors_name_the_config(tmp_path: Path) -> None:
    extra = operation("GetCity", {"Name": {"target": "smithy.api#String"}})
    extra.update(operation("Orphan", {}))
    path = write(tmp_path, "m.json", service("GetCity", extra=extra))
    with pytest.raises(ShapesmithError) as error:
        units(tmp_path, path, operations=(f"{NS}#Nope", f"{NS}#Orphan", f"{NS}#GetCityInput"))
    assert messages(error) == [
        f"shapesmith.toml: /operations/0: {NS}#Nope is not defined; expected an operation",
        f"shapesmith.toml: /operations/1: {NS}#Orphan is not bound to any service",
        f"shapesmith.toml: /operations/2: {NS}#GetCityInput is a structure; expected an operation",
    ]


def test_model_hash_ignores_formatting(tmp_path: Path) -> None:
    document = service("GetCity", extra=operation("GetCity", {}))
    compact = write(tmp_path, "m.json", document)
    first = load_model([compact], tmp_path).model_hash
    compact.write_text(json.dumps(document, indent=4).replace("\n", "\r\n"))
    assert load_model([compact], tmp_path).model_hash == first


@pytest.mark.parametrize(
    ("where", "bad"),
    [
        ("shape", f"{NS}#_"),
        ("shape", f"{NS}#__"),
        ("shape", "_.weather#City"),
        ("shape", f"{NS}#9City"),
        ("shape", f"{NS}#City\n"),
        ("target", f"{NS}#__"),
        ("member", "_"),
        ("member", "Na-me"),
    ],
)
def test_ids_and_member_names_follow_smithys_grammar(tmp_path: Path, where: str, bad: str) -> None:
    """Smithy's identifier is `(_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*`: underscores alone are not
    one; whatever breaks the grammar is refused where it is written, before any name is made."""
    members: dict[str, Any] = {"Name": {"target": "smithy.api#String"}}
    extra = operation("GetCity", members)
    if where == "shape":
        extra[bad] = {"type": "string"}
    elif where == "target":
        members["Other"] = {"target": bad}
    else:
        members[bad] = {"target": "smithy.api#String"}
    path = write(tmp_path, "model.json", service("GetCity", extra=extra))
    with pytest.raises(ShapesmithError) as error:
        units(tmp_path, path)
    pointer, expected = {
        "shape": ("/shapes", "expected a shape id, namespace#Name or namespace#Name$member"),
        "target": (f"/shapes/{NS}#GetCityInput/members/Other/target", "expected a shape id"),
        "member": (f"/shapes/{NS}#GetCityInput/members", "expected a member name"),
    }[where]
    assert any(
        m.startswith(f"model.json: {pointer}: found {json.dumps(bad)}, {expected}")
        for m in messages(error)
    ), messages(error)


HTTP_TRAIT_FAULTS: list[tuple[str, Any, str, str]] = [
    # (trait, value, pointer below the trait, message)
    ("http", {"method": "GET"}, "", "'uri' is a required property"),
    (
        "http",
        {"method": "GET", "uri": "/", "code": 42},
        "/code",
        "found 42, expected a value >= 100",
    ),
    ("http", {"method": "", "uri": "/"}, "/method", 'found "", expected a non-empty string'),
    (
        "http",
        {"method": "GET", "uri": "/", "code": 200.0},
        "/code",
        "expected integer, found a number",
    ),
    (
        "http",
        {"method": "GET", "uri": "/", "path": "/x"},
        "",
        "Additional properties are not allowed ('path' was unexpected)",
    ),
    ("httpLabel", True, "", "expected object, found a boolean"),
    ("httpQuery", "", "", 'found "", expected a non-empty string'),
    ("httpQueryParams", {"all": True}, "", 'found {"all": true}, expected an empty object {}'),
    ("httpHeader", 5, "", "expected string, found an integer"),
    ("httpPrefixHeaders", ["x-"], "", "expected string, found an array"),
    ("httpPayload", "", "", "expected object, found a string"),
    ("httpResponseCode", None, "", "expected object, found null"),
]


@pytest.mark.parametrize(("trait", "value", "below", "message"), HTTP_TRAIT_FAULTS)
def test_malformed_http_binding_trait_values_are_refused_at_load(
    tmp_path: Path, trait: str, value: Any, below: str, message: str
) -> None:
    members = {"Name": {"target": "smithy.api#String", "traits": {f"smithy.api#{trait}": value}}}
    path = write(tmp_path, "model.json", service("GetCity", extra=operation("GetCity", members)))
    with pytest.raises(ShapesmithError) as error:
        load_model([path], tmp_path)
    pointer = f"/shapes/{NS}#GetCityInput/members/Name/traits/smithy.api#{trait}{below}"
    assert messages(error) == [f"model.json: {pointer}: {message}"]
