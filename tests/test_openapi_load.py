"""Loading OpenAPI documents: what a bad one is told (file, JSON pointer, exit 2, every problem at
once), and what a good one becomes (the Smithy model the rest of shapesmith reads)."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator import ecma_regex
from generator.cli import main
from generator.diagnostics import ShapesmithError
from generator.loader import load_model
from generator.openapi import schemas
from generator.openapi.documents import MAX_NODES
from tests.conftest import FIXTURES

PETS = """\
openapi: 3.0.3
info: {title: Pet Shop, version: "1.0"}
servers: [{url: "https://pets.example.com/v1"}]
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: the pet
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 20}
"""


def _generate(
    root: Path, files: dict[str, str], model: str = "api.yaml", *, quiet: bool = True
) -> tuple[int, str]:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    (root / "shapesmith.toml").write_text(f'models = ["{model}"]\noutput = "out"\n', "utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(
            ["generate", *(["-q"] if quiet else []), "--config", str(root / "shapesmith.toml")]
        )
    return code, err.getvalue()


def _load(root: Path, text: str, name: str = "api.yaml") -> dict[str, Any]:
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, "utf-8")
    model = load_model([root / name], root)
    return {shape_id: shape.data for shape_id, shape in model.shapes.items()}


BAD_DOCUMENTS: dict[str, tuple[dict[str, str], list[str]]] = {
    "broken YAML": (
        {"api.yaml": "openapi: 3.0.3\ninfo: {title: x\n"},
        ["api.yaml:3: invalid YAML"],
    ),
    "not OpenAPI 3": (
        {"api.yaml": "openapi: 2.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n"},
        ["api.yaml: /openapi: found '2.0.0'; shapesmith reads OpenAPI 3.0.x and 3.1.x"],
    ),
    "a dangling $ref": (
        {"api.yaml": PETS.replace("#/components/schemas/Pet", "#/components/schemas/Nope")},
        [
            "api.yaml: /paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema/$ref:"
            " '#/components/schemas/Nope' points to nothing"
        ],
    ),
    "a path parameter that is not required": (
        {"api.yaml": PETS.replace("in: path, required: true,", "in: path,")},
        ["api.yaml: /paths/~1pets~1{petId}/get/parameters/0: not valid OpenAPI"],
    ),
    "a status code that is not one": (
        {"api.yaml": PETS.replace('"200":', '"2000":')},
        ["api.yaml: /paths/~1pets~1{petId}/get/responses: not valid OpenAPI: '2000'"],
    ),
    "a remote ref": (
        {
            "api.yaml": PETS.replace(
                "#/components/schemas/Pet", "https://example.com/schemas.yaml#/Pet"
            )
        },
        ["/schema/$ref: remote reference 'https://example.com/schemas.yaml#/Pet' refused"],
    ),
    "a ref outside the project": (
        {"api.yaml": PETS.replace("#/components/schemas/Pet", "../../elsewhere.yaml#/Pet")},
        ["is outside the project folder"],
    ),
    "a $ref cycle that names no value": (
        {
            "api.yaml": PETS.replace(
                "      type: object\n      required: [name]",
                "      $ref: '#/components/schemas/Other'\n    Other:\n"
                "      $ref: '#/components/schemas/Pet'\n    Unused:\n      type: object\n"
                "      required: [name]",
            )
        },
        ["$ref cycle that names no value"],
    ),
    "a $ref cycle through required members": (
        {
            "api.yaml": PETS.replace(
                "        name: {type: string, maxLength: 20}",
                "        name: {type: string, maxLength: 20}\n"
                "        parent: {$ref: '#/components/schemas/Pet'}",
            ).replace("required: [name]", "required: [name, parent]")
        },
        ["api.yaml: /components/schemas/Pet"],
    ),
    "a path variable without its parameter": (
        {"api.yaml": PETS.replace("/pets/{petId}:", "/pets/{petId}/{toy}:")},
        ["the path's {toy} has no path parameter of that name"],
    ),
    "two operations of one name": (
        {
            "api.yaml": PETS.replace(
                "paths:\n",
                "paths:\n  /other:\n    get:\n      operationId: GetPet\n"
                "      responses: {'204': {description: none}}\n",
            )
        },
        ["the operation name GetPet is also the name of the operation"],
    ),
    "YAML aliases that expand past the budget": (
        {
            "api.yaml": "a: &a ["
            + ",".join(["x"] * 60)
            + "]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 60) + "]\n"
                for i in range(4)
            )
        },
        [f"more than {MAX_NODES} values once YAML aliases are expanded"],
    ),
    "a mapping key YAML reads as something else": (
        {"api.yaml": "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\ntrue: x\n"},
        ["api.yaml: a key of this mapping is not text"],
    ),
    "a referenced file that is not there": (
        {"api.yaml": PETS.replace("#/components/schemas/Pet", "schemas/pet.yaml")},
        ["cannot use 'schemas/pet.yaml': /: cannot read the file"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_a_bad_document_is_reported_with_its_file_and_pointer(tmp_path: Path, case: str) -> None:
    files, expected = BAD_DOCUMENTS[case]
    code, err = _generate(tmp_path, files)
    assert code == 2, err
    for fragment in expected:
        assert fragment in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_every_problem_of_a_document_is_reported_at_once(tmp_path: Path) -> None:
    text = PETS.replace("#/components/schemas/Pet", "#/components/schemas/Nope").replace(
        "/pets/{petId}:", "/pets/{petId}/{toy}:"
    )
    code, err = _generate(tmp_path, {"api.yaml": text})
    assert code == 2
    assert "points to nothing" in err and "{toy}" in err


def test_yaml_is_read_by_yaml_1_2_rules(tmp_path: Path) -> None:
    text = PETS.replace(
        "name: {type: string, maxLength: 20}",
        "name: {type: string, maxLength: 20, enum: [no, yes, on, 2024-01-01, '1:20']}",
    )
    shapes = _load(tmp_path, text)
    values = [
        member["traits"]["smithy.api#enumValue"]
        for member in shapes["pet.shop#PetName"]["members"].values()
    ]
    assert values == ["no", "yes", "on", "2024-01-01", "1:20"]


def test_a_document_in_json_is_read_too(tmp_path: Path) -> None:
    document = yaml.safe_load(PETS)
    shapes = _load(tmp_path, json.dumps(document), name="api.json")
    assert "pet.shop#GetPet" in shapes


def test_refs_to_other_files_are_followed_and_recursion_becomes_recursive_shapes(
    tmp_path: Path,
) -> None:
    (tmp_path / "schemas").mkdir(parents=True)
    (tmp_path / "schemas" / "pet.yaml").write_text(
        "Pet:\n  type: object\n  required: [name]\n  properties:\n"
        "    name: {type: string}\n    children:\n      type: array\n"
        "      items: {$ref: '#/Pet'}\n",
        "utf-8",
    )
    text = PETS.replace("#/components/schemas/Pet", "schemas/pet.yaml#/Pet")
    shapes = _load(tmp_path, text)
    # The component schema keeps its name; the file's schema of the same name yields.
    assert set(shapes["pet.shop#Pet"]["members"]) == {"name"}
    children = shapes[shapes["pet.shop#Pet2"]["members"]["children"]["target"]]
    assert children["member"]["target"] == "pet.shop#Pet2"


def test_later_problems_point_into_the_openapi_document(tmp_path: Path) -> None:
    # minLength above maxLength passes the OpenAPI schema; Smithy's check finds it, and the
    # message must name the property in the document, not a Smithy shape nobody wrote.
    text = PETS.replace(
        "{type: string, maxLength: 20}", "{type: string, minLength: 30, maxLength: 20}"
    )
    code, err = _generate(tmp_path, {"api.yaml": text})
    assert code == 2
    assert "api.yaml: /components/schemas/Pet/properties/name" in err, err


def test_a_good_document_becomes_restjson1_with_http_bindings(tmp_path: Path) -> None:
    shapes = _load(tmp_path, PETS)
    operation = shapes["pet.shop#GetPet"]
    assert operation["traits"]["smithy.api#http"] == {
        "method": "GET",
        "uri": "/pets/{petId}",
        "code": 200,
    }
    assert operation["traits"]["smithy.api#readonly"] == {}
    service = shapes["pet.shop#PetShop"]
    assert "aws.protocols#restJson1" in service["traits"]
    rules = service["traits"]["smithy.rules#endpointRuleSet"]["rules"]
    assert rules[-1]["endpoint"]["url"] == "https://pets.example.com/v1"
    pet = shapes["pet.shop#Pet"]
    assert pet["members"]["name"]["traits"] == {
        "smithy.api#length": {"max": 20},
        "smithy.api#required": {},
    }


def test_errors_by_status_share_one_shape_per_schema_and_status(tmp_path: Path) -> None:
    text = PETS.replace(
        "components:\n",
        "    delete:\n      operationId: dropPet\n      parameters:\n"
        "        - {name: petId, in: path, required: true, schema: {type: string}}\n"
        "      responses:\n        '204': {description: gone}\n"
        "        '404': {description: no such pet, content: {application/json: {schema: "
        "{$ref: '#/components/schemas/Problem'}}}}\n"
        "components:\n",
    ).replace(
        "  schemas:\n",
        "  schemas:\n    Problem:\n      type: object\n      properties:\n"
        "        message: {type: string}\n",
    )
    shapes = _load(tmp_path, text)
    error = shapes["pet.shop#ProblemStatus404"]
    assert error["traits"]["smithy.api#error"] == "client"
    assert error["traits"]["smithy.api#httpError"] == 404
    assert shapes["pet.shop#DropPet"]["errors"] == [{"target": "pet.shop#ProblemStatus404"}]
    assert shapes["pet.shop#DropPet"]["traits"]["smithy.api#idempotent"] == {}


def test_unsupported_keywords_are_warned_about_at_their_pointer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = PETS.replace(
        "name: {type: string, maxLength: 20}",
        "name: {type: string, maxLength: 20, not: {enum: [x]}}",
    )
    code, err = _generate(tmp_path, {"api.yaml": text}, quiet=False)
    assert code == 0, err
    warned = caplog.text
    assert "api.yaml: /components/schemas/Pet/properties/name/not: `not` is not supported" in warned


@pytest.mark.parametrize(
    ("schema", "warned"),
    [
        # a map: its keys are checked against a string schema, warned about otherwise
        ("{type: object, propertyNames: {maxLength: 2}, additionalProperties: true}", None),
        (
            "{type: object, propertyNames: {type: integer}, additionalProperties: true}",
            "/propertyNames: `propertyNames` that is not a string schema is not checked yet",
        ),
        # an object of named properties
        (
            "{type: object, propertyNames: {maxLength: 2}, properties: {a: {type: string}}}",
            "/propertyNames: `propertyNames` is not supported yet",
        ),
    ],
)
def test_property_names_are_a_maps_keys_and_warned_about_elsewhere(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, schema: str, warned: str | None
) -> None:
    text = PETS.replace("name: {type: string, maxLength: 20}", f"name: {schema}")
    text = text.replace("openapi: 3.0.3", "openapi: 3.1.0")  # 3.0 has no propertyNames
    code, err = _generate(tmp_path, {"api.yaml": text}, quiet=False)
    assert code == 0, err
    where = "api.yaml: /components/schemas/Pet/properties/name"
    if warned is None:
        assert where not in caplog.text
    else:
        assert where + warned in caplog.text


def test_a_bad_document_raises_no_traceback_through_the_api(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text("openapi: 3.1.0\n", "utf-8")
    with pytest.raises(ShapesmithError) as raised:
        load_model([tmp_path / "api.yaml"], tmp_path)
    assert all(d.file == "api.yaml" for d in raised.value.diagnostics)


@pytest.mark.parametrize(
    ("schema", "length"),
    [
        ("{type: string, format: byte, minLength: 5, maxLength: 8}", {"min": 4, "max": 6}),
        ("{type: string, contentEncoding: base64, minLength: 1}", {"min": 1}),
        ("{type: string, format: byte, maxLength: 3}", {"max": 0}),
    ],
)
def test_base64_text_lengths_become_the_byte_lengths_they_allow(
    tmp_path: Path, schema: str, length: dict[str, int]
) -> None:
    text = PETS.replace("{type: string, maxLength: 20}", schema)
    if "contentEncoding" in schema:
        text = text.replace("openapi: 3.0.3", "openapi: 3.1.0")
    shapes = _load(tmp_path, text)
    member = shapes["pet.shop#Pet"]["members"]["name"]
    assert member["target"] == "smithy.api#Blob"
    assert member["traits"]["smithy.api#length"] == length


@pytest.mark.parametrize(
    "schema",
    [
        "{type: string, format: binary, maxLength: 20}",
        "{type: string, format: date-time, maxLength: 20}",
        "{type: string, format: byte, maxLength: 20}",
    ],
)
def test_a_length_or_pattern_that_cannot_be_kept_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, schema: str
) -> None:
    kept = "byte" in schema
    text = PETS.replace("{type: string, maxLength: 20}", schema.replace("}", ", pattern: x}"))
    code, err = _generate(tmp_path, {"api.yaml": text}, quiet=False)
    assert code == 0, err
    at = "api.yaml: /components/schemas/Pet/properties/name"
    assert f"{at}/pattern: `pattern`" in caplog.text
    assert (f"{at}/maxLength:" in caplog.text) is not kept


def test_read_only_and_write_only_properties_are_left_out_of_requests_and_responses(
    tmp_path: Path,
) -> None:
    text = (FIXTURES / "openapi" / "read-write-only.yaml").read_text("utf-8")
    shapes = _load(tmp_path, text)
    assert shapes["users#CreateUserInput"]["members"]["body"]["target"] == "users#UserRequest"
    assert shapes["users#CreateUserOutput"]["members"]["body"]["target"] == "users#UserResponse"
    request, response = shapes["users#UserRequest"], shapes["users#UserResponse"]
    assert sorted(request["members"]) == ["name", "password", "tags"]
    assert sorted(response["members"]) == ["id", "name", "tags"]
    assert "smithy.api#required" in request["members"]["password"]["traits"]
    # A schema that reaches a variant gets one too; one that reaches none is shared.
    page = shapes["users#ListUsersOutput"]["members"]["body"]["target"]
    assert page == "users#UserPageResponse"
    assert "users#TagRequest" not in shapes and "users#TagResponse" not in shapes
    # The component on its own keeps every property.
    assert sorted(shapes["users#User"]["members"]) == ["id", "name", "password", "tags"]


def test_date_and_uuid_formats_become_patterns_and_const_a_one_value_enum(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = PETS.replace(
        "name: {type: string, maxLength: 20}",
        "name: {type: string, format: date}\n"
        "        tag: {type: string, format: uuid, pattern: '^x'}\n"
        "        kind: {type: string, enum: [dog], description: one kind only}",
    )
    shapes = _load(tmp_path, text)
    members = shapes["pet.shop#Pet"]["members"]
    assert members["name"]["traits"]["smithy.api#pattern"] == schemas._FORMAT_PATTERNS["date"]
    assert members["tag"]["traits"]["smithy.api#pattern"] == "^x"
    code, err = _generate(tmp_path / "warned", {"api.yaml": text}, quiet=False)
    assert code == 0, err
    assert "properties/tag/format: `format: uuid` beside a `pattern` is not enforced" in caplog.text
    const = PETS.replace("name: {type: string, maxLength: 20}", "name: {const: cat}")
    const = const.replace("openapi: 3.0.3", "openapi: 3.1.0")
    shapes = _load(tmp_path / "const", const)
    target = shapes["pet.shop#Pet"]["members"]["name"]["target"]
    assert shapes[target]["type"] == "enum"
    assert [m["traits"]["smithy.api#enumValue"] for m in shapes[target]["members"].values()] == [
        "cat"
    ]


def test_object_query_parameters_spread_over_the_query_in_their_style(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = (FIXTURES / "openapi" / "parameter-styles.yaml").read_text("utf-8")
    members = _load(tmp_path, text)["q#FindInput"]["members"]
    bindings = {
        name: {
            k: v
            for k, v in member["traits"].items()
            if k.partition("#")[2].startswith("http") and k != "shapesmith.api#httpStyle"
        }
        for name, member in members.items()
    }
    assert bindings == {
        "ids": {"smithy.api#httpLabel": {}},
        "color": {"smithy.api#httpQuery": "color"},  # form, exploded: the properties
        "size": {"smithy.api#httpQuery": "size"},
        "extra": {"smithy.api#httpQueryParams": {}},  # form, exploded, a map: every other key
        "tags": {"smithy.api#httpQuery": "tags"},
        "deepA": {"smithy.api#httpQuery": "deep[a]"},  # deepObject
        "session": {"shapesmith.api#httpCookie": "session"},
        "visits": {"shapesmith.api#httpCookie": "visits"},
        "seen": {"shapesmith.api#httpCookie": "seen"},
    }
    styles = {
        name: member["traits"]["shapesmith.api#httpStyle"]
        for name, member in members.items()
        if "shapesmith.api#httpStyle" in member["traits"]
    }
    assert styles == {
        "ids": {"style": "simple", "explode": False, "name": "ids"},  # a list label
        "tags": {"style": "form", "explode": False},  # `tags=a,b`
        "seen": {"style": "form", "explode": True},  # a cookie per item: `seen=a; seen=b`
    }
    assert members["seen"]["target"] != "smithy.api#String"  # a list, no longer its text
    assert members["visits"]["target"] == "smithy.api#Long"  # an integer of no format
    service = _load(tmp_path / "service", text)["q#Q"]
    assert service["traits"]["smithy.api#httpApiKeyAuth"] == {"name": "key", "in": "cookie"}
    code, err = _generate(tmp_path / "warned", {"api.yaml": text}, quiet=False)
    assert code == 0, err
    assert "parameters/0/" not in caplog.text and "parameters/3/" not in caplog.text
    assert "parameters/7/name: 'no name' is no cookie name a Cookie header can carry" in caplog.text
    assert "parameters/8/" not in caplog.text  # a list in a cookie has its form


@settings(max_examples=2000, deadline=None)
@example(year=1900, month=2, day=29)
@example(year=2100, month=2, day=29)
@example(year=2023, month=2, day=29)
@example(year=2000, month=2, day=29)
@example(year=2024, month=2, day=29)
@example(year=0, month=2, day=29)
@example(year=2023, month=4, day=31)
@example(year=2023, month=12, day=31)
@given(
    year=st.integers(0, 9999),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
)
def test_the_date_format_accepts_exactly_the_days_of_the_calendar(
    year: int, month: int, day: int
) -> None:
    """`format: date` against Python's calendar (proleptic Gregorian; its years start at 1,
    RFC 3339's at 0, which the same rule makes a leap year)."""
    text = f"{year:04d}-{month:02d}-{day:02d}"
    found = re.search(ecma_regex.translate(schemas._FORMAT_PATTERNS["date"]), text) is not None
    try:
        datetime.date(year or 2000, month, day)
    except ValueError:
        assert not found, text
    else:
        assert found, text
