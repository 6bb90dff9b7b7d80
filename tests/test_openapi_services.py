"""Services generated from OpenAPI documents, end to end: the generated stub judged by
schemathesis against the document it was generated from, and the generated client calling every
operation of the stub.

The documents: the OAI's petstore-expanded (from ../shared) and our hand-written liveness
document (OpenAPI 3.1).
"""

from __future__ import annotations

import importlib
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from schemathesis.generation import GenerationMode

from tests.conftest import FIXTURES, REFERENCE, generate_files, imported
from tests.schemathesis_run import run_schemathesis
from tests.wire_agreement import RunningStub

DOCUMENTS = {
    "petstore-expanded": (
        REFERENCE / "openapi" / "oai-examples-3.0" / "petstore-expanded.yaml",
        "swagger_petstore",
    ),
    "liveness": (FIXTURES / "openapi" / "liveness-3.1.yaml", "rekognition_liveness"),
}


@pytest.fixture(scope="module", params=sorted(DOCUMENTS))
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dict[str, Any], Path, str]]:
    """(the document, the generated package, the running stub's URL)."""
    document, package = DOCUMENTS[request.param]
    if not document.is_file():
        pytest.skip(f"reference data not available: {document} (CI provides ../shared)")
    root = tmp_path_factory.mktemp(request.param)
    code, err = generate_files(root, [document])
    assert code == 0, err
    assert (root / "out" / package / "client.py").is_file(), err
    with RunningStub(root / "out" / package) as url:
        yield yaml.safe_load(document.read_text("utf-8")), root / "out" / package, url


def test_the_stub_answers_as_the_document_says(service: tuple[dict[str, Any], Path, str]) -> None:
    document, _, url = service
    failures, statuses = run_schemathesis(document, url)
    assert failures == []
    assert sum(n for status, n in statuses.items() if 200 <= status < 300) > 0, statuses


def test_the_stub_s_own_refusals_answer_as_the_document_says(
    service: tuple[dict[str, Any], Path, str],
) -> None:
    """Requests the document does not allow (schemathesis' negative mode): the stub refuses
    them with the error body the document gives that status (else its `default` response)."""
    document, _, url = service
    failures, statuses = run_schemathesis(document, url, examples=40, mode=GenerationMode.NEGATIVE)
    assert failures == []
    assert statuses[400] > 0, statuses


def _send(url: str, method: str, body: bytes, content_type: str) -> tuple[int, Any, Any]:
    request = urllib.request.Request(
        url, data=body or None, method=method, headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def test_refusals_before_an_operation_is_known_take_the_document_s_error_body(
    service: tuple[dict[str, Any], Path, str],
) -> None:
    """A method the path has no operation for (405), and a body of a media type the operation
    does not take (415): where every operation of the path answers that status with one error
    (petstore's `default`), the refusal is written as that error, as the document says."""
    document, package, url = service
    if package.name != "swagger_petstore":
        pytest.skip("the liveness document gives no error for every status")
    error_schema = document["components"]["schemas"]["Error"]
    for method, content_type, status in (
        ("PATCH", "application/json", 405),
        ("POST", "text/plain", 415),
    ):
        code, headers, body = _send(url + "/pets", method, b'{"name": "x"}', content_type)
        assert code == status, body
        jsonschema.validate(body, error_schema)
        assert body["message"], body
        if status == 405:
            assert headers["Allow"] == "GET, POST"


CALLS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "swagger_petstore": [
        ("find_pets", {"limit": 3, "tags": ["a", "b"]}),
        ("add_pet", {"body": {"name": "Rex", "tag": "dog"}}),
        ("find_pet_by_id", {"id": 7}),
        ("delete_pet", {"id": 7}),
    ],
    "rekognition_liveness": [
        (
            "get_face_liveness_session_results",
            {"body": {"SessionId": "0f6c0b3e-3bb8-4a4e-9f3f-0a1b2c3d4e5f"}},
        ),
    ],
}


def test_the_client_calls_every_operation(service: tuple[dict[str, Any], Path, str]) -> None:
    document, package, url = service
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    in_document = sum(len(set(item) & methods) for item in document["paths"].values())
    assert len(CALLS[package.name]) == in_document
    with imported(package.parent, package.name) as module:
        client_module = importlib.import_module(f"{package.name}.client")
        shapes = importlib.import_module(f"{package.name}.shapes")
        validators = importlib.import_module(f"{package.name}.validators")
        client_class = next(
            v for k, v in vars(client_module).items() if k.endswith("Client") and k != "Client"
        )
        calls = CALLS[package.name]
        operations = {name for name in dir(client_class) if not name.startswith("_")}
        assert {name for name, _ in calls} <= operations
        with client_class(endpoint_url=url) as client:
            for name, members in calls:
                input_class = getattr(shapes, f"{_pascal(name)}Input")
                output = getattr(client, name)(input_class.from_dict(members))
                check = getattr(validators, f"validate_{name}_output")
                assert check(output) == [], (name, output)
        assert module is not None


def _pascal(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))
