"""Load stage: jsonschema-rs's quick "valid" before jsonschema's detailed check.

The gate may make a run faster, never make it say something else: wherever it lets a document
through, jsonschema (with shapesmith's own integer rule for Smithy) finds nothing wrong with it,
on the documents Hypothesis makes by breaking one value of a real model or OpenAPI document;
and loading gives the same diagnostics as before, pointer for pointer.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import loader
from generator.diagnostics import ShapesmithError
from generator.openapi import spec_check
from generator.schema_gate import SchemaGate

REPO = Path(__file__).resolve().parent.parent
LIVENESS_SMITHY = REPO / "models" / "rekognition.json"
OPENAPI = sorted((REPO / "tests" / "fixtures" / "openapi").glob("*.yaml"))

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([1.0, 0.5, -2.0])
    | st.text(max_size=4)
    | st.sampled_from(["200", "200\n", "x-a", "/", "#/x", "example.bad#Name\n", "string"]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=4,
)


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _edited(document: Any, data: st.DataObject) -> Any:
    """`document` with one value replaced, one key renamed, or one value removed."""
    path = data.draw(st.sampled_from(_paths(document)[1:]))
    edited = copy.deepcopy(document)
    holder = edited
    for step in path[:-1]:
        holder = holder[step]
    change = data.draw(st.integers(0, 5))
    if change == 0 and isinstance(holder, dict):
        holder[data.draw(st.text(max_size=6))] = holder.pop(path[-1])
    elif change == 1:
        del holder[path[-1]]
    else:
        holder[path[-1]] = data.draw(_JSON)
    return edited


def _smithy() -> Any:
    return json.loads(LIVENESS_SMITHY.read_text("utf-8"))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_smithy_model_the_gate_lets_through_has_no_schema_problem(data: st.DataObject) -> None:
    document = _edited(_smithy(), data)
    if loader._gate().passes(document):
        assert list(loader.schema_problems(document, "m.json")) == []


@pytest.mark.parametrize("path", OPENAPI, ids=lambda p: p.name)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_an_openapi_document_the_gate_lets_through_has_no_schema_problem(
    path: Path, data: st.DataObject
) -> None:
    original = yaml.safe_load(path.read_text("utf-8"))
    document = _edited(original, data)
    version = "3.0" if str(document.get("openapi", "")).startswith("3.0") else "3.1"
    if spec_check.surely_valid(document, version):
        assert list(spec_check.schema_problems(document, version, path.name)) == []


def test_the_gate_lets_the_real_documents_through() -> None:
    assert loader._gate().passes(_smithy())
    for path in OPENAPI:
        document = yaml.safe_load(path.read_text("utf-8"))
        assert spec_check.surely_valid(document, document["openapi"][:3]), path.name


def test_a_whole_float_where_smithy_wants_an_integer_is_left_to_jsonschema() -> None:
    document = _smithy()
    shape = next(
        s for s in document["shapes"].values() if "smithy.api#length" in s.get("traits", {})
    )
    shape["traits"]["smithy.api#length"]["max"] = 10.0  # JSON Schema: an integer; Smithy: no
    assert not loader._gate().passes(document)
    assert list(loader.schema_problems(document, "m.json"))


@pytest.mark.parametrize(
    "document",
    [
        {"openapi": "3.1.0", 1: "an integer key"},
        {"openapi": "3.1.0", "info": {"title": __import__("datetime").date(2024, 1, 1)}},
        {"openapi": "3.1.0", "info": {"version": 2**80}},
    ],
)
def test_what_is_not_plain_json_is_left_to_jsonschema(document: dict[Any, Any]) -> None:
    assert not SchemaGate(spec_check.official_schema("3.1")).passes(document)


def test_a_schema_object_is_held_to_json_schema_2020_12(tmp_path: Path) -> None:
    # The 3.1 schema alone takes any object as a Schema Object: this reached the translation.
    text = (REPO / "tests" / "fixtures" / "openapi" / "liveness-3.1.yaml").read_text("utf-8")
    document = yaml.safe_load(text)
    schemas = document["components"]["schemas"]
    name = next(n for n, s in schemas.items() if s.get("required"))
    schemas[name]["required"] = [[]]
    (tmp_path / "api.json").write_text(json.dumps(document), "utf-8")
    with pytest.raises(ShapesmithError) as raised:
        loader.load_model([tmp_path / "api.json"], tmp_path)
    (found,) = raised.value.diagnostics
    assert (found.file, found.pointer) == ("api.json", f"/components/schemas/{name}/required/0")
    assert "is not of type 'string'" in found.message
