"""`shapesmith export openapi`: a Smithy model as an OpenAPI 3.1 document, and back.

Our Rekognition model (AWS JSON) goes out as a valid OpenAPI 3.1 document in the `X-Amz-Target`
form and comes back as the same AWS JSON service: on Hypothesis values made from the exported
schemas, the validators generated from the document report exactly what the ones generated from
the model report (same shape names, same paths, constraints and limits). AWS's restJson1 models
go out with their HTTP bindings as documents that are valid and generate again.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import rekognition.validators as smithy_validators
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.openapi.spec_check import schema_problems
from tests.conftest import REPO, imported, reference_file
from tests.schema_values import SchemaValues, flat_path
from tests.scripted_server import scripted_server, send


def _run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, err.getvalue()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("export") / "openapi"
    code, err = _run(
        "export", "openapi", "-q", "--config", str(REPO / "pyproject.toml"), "--output", str(out)
    )
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        "rekognition.openapi.json",
        "shapesmith-manifest.json",
    ]
    document: dict[str, Any] = json.loads((out / "rekognition.openapi.json").read_text("utf-8"))
    document["__file__"] = str(out / "rekognition.openapi.json")
    return document


@pytest.fixture(scope="module")
def reimported(
    exported: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("reimport")
    (root / "shapesmith.toml").write_text(
        f'models = [{json.dumps(exported["__file__"])}]\noutput = "out"\n', "utf-8"
    )
    code, err = _run("generate", "--config", str(root / "shapesmith.toml"))
    assert code == 0, err
    assert "not supported" not in err, err  # nothing of the export is left out on the way back
    (package,) = [p.parent.name for p in (root / "out").glob("*/validators.py")]
    with imported(root / "out", f"{package}.validators") as validators:
        yield validators


def test_the_document_is_valid_openapi_3_1(exported: dict[str, Any]) -> None:
    document = {k: v for k, v in exported.items() if k != "__file__"}
    assert document["openapi"] == "3.1.0"
    assert list(schema_problems(document, "3.1", "rekognition.openapi.json")) == []


def test_aws_json_operations_are_told_apart_by_their_target(exported: dict[str, Any]) -> None:
    paths = exported["paths"]
    assert sorted(paths) == [
        "/#X-Amz-Target=RekognitionService.CreateFaceLivenessSession",
        "/#X-Amz-Target=RekognitionService.GetFaceLivenessSessionResults",
    ]
    operation = paths["/#X-Amz-Target=RekognitionService.GetFaceLivenessSessionResults"]["post"]
    assert operation["parameters"] == [
        {
            "name": "X-Amz-Target",
            "in": "header",
            "required": True,
            "schema": {
                "type": "string",
                "enum": ["RekognitionService.GetFaceLivenessSessionResults"],
            },
        }
    ]
    body = operation["requestBody"]["content"]["application/x-amz-json-1.1"]["schema"]
    assert body == {"$ref": "#/components/schemas/GetFaceLivenessSessionResultsRequest"}
    assert sorted(operation["responses"]) == ["200", "400", "500"]
    errors = operation["responses"]["400"]["content"]["application/x-amz-json-1.1"]["schema"]
    assert {"$ref": "#/components/schemas/SessionNotFoundException"} in errors["oneOf"]


PUBLIC = [
    "create_face_liveness_session_request",
    "create_face_liveness_session_response",
    "get_face_liveness_session_results_request",
    "get_face_liveness_session_results_response",
    "access_denied_exception",
    "session_not_found_exception",
]


def _found(violations: list[Any]) -> set[tuple[object, ...]]:
    return {(*flat_path(v._path), v.constraint, v.limit) for v in violations}


def _cases(exported: dict[str, Any]) -> st.SearchStrategy[tuple[str, Any, bool]]:
    """(a public validator's name, a value of its shape, strict or not)."""
    schemas = exported["components"]["schemas"]
    made = SchemaValues(schemas)

    def cases_of(name: str) -> st.SearchStrategy[tuple[str, Any, bool]]:
        shape = "".join(word.capitalize() for word in name.split("_"))
        key = next(k for k in schemas if k.lower() == shape.lower())
        values = made.values({"$ref": f"#/components/schemas/{key}"})
        return st.tuples(st.just(name), values, st.booleans())

    return st.one_of([cases_of(name) for name in PUBLIC])


def test_the_validators_of_both_routes_agree(
    exported: dict[str, Any], reimported: ModuleType
) -> None:
    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=_cases(exported))
    def agree(case: tuple[str, Any, bool]) -> None:
        name, value, strict = case
        ours = getattr(smithy_validators, f"validate_{name}")(value, strict=strict)
        theirs = getattr(reimported, f"validate_{name}")(value, strict=strict)
        assert _found(theirs) == _found(ours)

    agree()


@pytest.mark.parametrize("model", ["appconfig-2019-10-09.json", "efs-2015-02-01.json"])
def test_rest_json_models_export_with_their_bindings_and_generate_again(
    tmp_path: Path, model: str
) -> None:
    path = reference_file("models", model)
    config = tmp_path / "shapesmith.toml"
    config.write_text(f'models = [{json.dumps(str(path))}]\noutput = "out"\n', "utf-8")
    code, err = _run(
        "export", "openapi", "-q", "--config", str(config), "--output", str(tmp_path / "api")
    )
    assert code == 0, err
    (exported,) = (tmp_path / "api").glob("*.openapi.json")
    document = json.loads(exported.read_text("utf-8"))
    assert list(schema_problems(document, "3.1", exported.name)) == []
    methods = {method for item in document["paths"].values() for method in item}
    assert {"get", "post", "delete"} <= methods
    again = tmp_path / "again"
    again.mkdir()
    (again / "shapesmith.toml").write_text(
        f'models = [{json.dumps(str(exported))}]\noutput = "out"\n', "utf-8"
    )
    code, err = _run("generate", "--config", str(again / "shapesmith.toml"))
    assert code == 0, err
    # nothing the export wrote is left out on the way back: no constraint, body or union
    assert "warning" not in err, err


def test_targets_of_two_services_are_refused_at_their_path(tmp_path: Path) -> None:
    operation = {"post": {"responses": {"200": {"description": "ok"}}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Two", "version": "1"},
        "paths": {"/#X-Amz-Target=One.Ping": operation, "/#X-Amz-Target=Two.Pong": operation},
    }
    (tmp_path / "api.json").write_text(json.dumps(document), "utf-8")
    (tmp_path / "shapesmith.toml").write_text('models = ["api.json"]\noutput = "out"\n', "utf-8")
    code, err = _run("generate", "-q", "--config", str(tmp_path / "shapesmith.toml"))
    assert code == 2
    assert "api.json: /paths/~1#X-Amz-Target=Two.Pong: every target names one service" in err


def test_each_auth_trait_is_a_security_scheme_and_each_operation_s_auth_a_requirement(
    tmp_path: Path,
) -> None:
    """tests/fixtures/models/auth_schemes.json has every auth trait shapesmith speaks: the
    service lists three of them in `@auth`, one operation narrows it, one adds `@optionalAuth`,
    one has none and one is signed."""
    config, api = tmp_path / "shapesmith.toml", tmp_path / "api"
    model = REPO / "tests" / "fixtures" / "models" / "auth_schemes.json"
    config.write_text(f'models = [{json.dumps(str(model))}]\noutput = "out"\n', "utf-8")
    code, err = _run("export", "openapi", "-q", "--config", str(config), "--output", str(api))
    assert code == 0, err
    document = json.loads((api / "keys.openapi.json").read_text("utf-8"))
    assert list(schema_problems(document, "3.1", "keys.openapi.json")) == []
    assert document["components"]["securitySchemes"] == {
        "aws.auth.sigv4": {
            "type": "apiKey",
            "description": "AWS Signature Version 4 authentication",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "awsSigv4",
            "x-shapesmith-signing-name": "keys",
        },
        "smithy.api.httpApiKeyAuth": {
            "type": "apiKey",
            "name": "X-Api-Key",
            "in": "header",
            "description": "The key follows the scheme 'ApiKey'.",
            "x-shapesmith-scheme": "ApiKey",
        },
        "smithy.api.httpBasicAuth": {"type": "http", "scheme": "basic"},
        "smithy.api.httpBearerAuth": {"type": "http", "scheme": "bearer"},
    }
    # the service's @auth, in its order
    assert document["security"] == [
        {"smithy.api.httpBearerAuth": []},
        {"smithy.api.httpApiKeyAuth": []},
        {"smithy.api.httpBasicAuth": []},
    ]
    paths = document["paths"]
    assert "security" not in paths["/things/{Id}"]["get"]  # the service's
    assert paths["/things/{Id}"]["put"]["security"] == [{"smithy.api.httpBasicAuth": []}]
    assert paths["/things"]["get"]["security"] == [{"smithy.api.httpBearerAuth": []}, {}]
    assert paths["/ping"]["get"]["security"] == []
    assert paths["/signed"]["post"]["security"] == [{"aws.auth.sigv4": []}]


def test_an_api_key_s_scheme_and_sigv4_s_signing_name_come_back(tmp_path: Path) -> None:
    """Read back, the exported `@httpApiKeyAuth` keeps its scheme and SigV4 its signing name
    (shapesmith's extension); a document's awsSigv4 scheme without it is a warning at the
    scheme's pointer, the client not signing."""
    from generator import openapi

    model = REPO / "tests" / "fixtures" / "models" / "auth_schemes.json"
    config, api = tmp_path / "shapesmith.toml", tmp_path / "api"
    config.write_text(f'models = [{json.dumps(str(model))}]\noutput = "out"\n', "utf-8")
    code, err = _run("export", "openapi", "-q", "--config", str(config), "--output", str(api))
    assert code == 0, err
    path = api / "keys.openapi.json"
    document, problems = openapi.read_document(path, path.name)
    assert document is not None and not problems
    result = openapi.translate(document, path.parent)
    (service,) = [s for s in result.model["shapes"].values() if s["type"] == "service"]
    assert service["traits"]["smithy.api#httpApiKeyAuth"] == {
        "name": "X-Api-Key",
        "in": "header",
        "scheme": "ApiKey",
    }
    assert service["traits"]["aws.auth#sigv4"] == {"name": "keys"}
    assert not [w for w in result.warnings if "awsSigv4" in w.message]

    exported = json.loads(path.read_text("utf-8"))
    for unusable in (None, "Keys Service", "a\nb", 7):
        scheme = exported["components"]["securitySchemes"]["aws.auth.sigv4"]
        scheme.pop("x-shapesmith-signing-name", None)
        if unusable is not None:
            scheme["x-shapesmith-signing-name"] = unusable
        path.write_text(json.dumps(exported), "utf-8")
        document, _ = openapi.read_document(path, path.name)
        assert document is not None
        result = openapi.translate(document, path.parent)
        (service,) = [s for s in result.model["shapes"].values() if s["type"] == "service"]
        assert "aws.auth#sigv4" not in service["traits"]
        (warning,) = [w for w in result.warnings if "awsSigv4" in w.message]
        assert warning.pointer == "/components/securitySchemes/aws.auth.sigv4"


_MATRIX_DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Items", "version": "1"},
    "paths": {
        "/items/{item-id}/{kind}": {
            "get": {
                "operationId": "GetItem",
                "parameters": [
                    {
                        "name": "item-id",
                        "in": "path",
                        "required": True,
                        "style": "matrix",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "kind",
                        "in": "path",
                        "required": True,
                        "style": "matrix",
                        "explode": True,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"id": {"type": "string"}},
                                }
                            }
                        },
                    }
                },
            }
        }
    },
}
"""A matrix label whose name (`item-id`) is no Smithy or Python identifier: its member is
`item_id`, but the name is on the wire (`;item-id=...`)."""


def _sent_path(folder: Path) -> str:
    """The path the generated client in `folder` (package `items`) sends for one GetItem."""
    with imported(folder, "items") as items, scripted_server() as server:
        server.script = send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        with items.ItemsClient(endpoint_url=server.url, max_attempts=1) as client:
            client.get_item(item_id="a;b=c", kind=["x", "y z"])
    return server.requests[0].split(b" ")[1].decode()


def test_a_matrix_label_exports_under_its_documents_name(tmp_path: Path) -> None:
    """Document -> shapesmith -> export -> shapesmith: the exported parameter and path label are
    named as the document named them, so the client generated from the export writes the same
    `;item-id=...` as the one generated from the document, and the export's stub reads it."""
    (tmp_path / "api.json").write_text(json.dumps(_MATRIX_DOCUMENT), "utf-8")
    (tmp_path / "shapesmith.toml").write_text('models = ["api.json"]\noutput = "out"\n', "utf-8")
    code, err = _run("generate", "-q", "--config", str(tmp_path / "shapesmith.toml"))
    assert code == 0, err
    code, err = _run(
        "export",
        "openapi",
        "-q",
        "--config",
        str(tmp_path / "shapesmith.toml"),
        "--output",
        str(tmp_path / "api"),
    )
    assert code == 0, err
    exported = json.loads((tmp_path / "api" / "items.openapi.json").read_text("utf-8"))
    assert list(schema_problems(exported, "3.1", "items.openapi.json")) == []
    (path,) = exported["paths"]
    assert path == "/items/{item-id}/{kind}"
    parameters = exported["paths"][path]["get"]["parameters"]
    assert [(p["name"], p["style"], p["explode"]) for p in parameters] == [
        ("item-id", "matrix", False),
        ("kind", "matrix", True),
    ]
    again = tmp_path / "again"
    again.mkdir()
    (again / "api.json").write_text(json.dumps(exported), "utf-8")
    (again / "shapesmith.toml").write_text('models = ["api.json"]\noutput = "out"\n', "utf-8")
    code, err = _run("generate", "-q", "--config", str(again / "shapesmith.toml"))
    assert code == 0, err
    sent = _sent_path(tmp_path / "out")
    assert sent == "/items/;item-id=a%3Bb%3Dc/;kind=x;kind=y%20z"
    assert _sent_path(again / "out") == sent
    with imported(again / "out", "items") as items:
        got: list[Any] = []

        class Handler:
            def get_item(self, request: Any) -> Any:
                got.append(request)
                return items.shapes.GetItemOutput(body=items.shapes.GetItemOutputBody())

        stub = importlib.import_module("items.stub")
        with (
            stub.serve(Handler()) as server,
            urllib.request.urlopen(server.url.rstrip("/") + sent) as answer,
        ):
            assert answer.status == 200
    assert [(request.item_id, request.kind) for request in got] == [("a;b=c", ["x", "y z"])]
