"""The generated stub judged by an independent OpenAPI tool, schemathesis
(`tests/schemathesis_run.py`), by the document the stub serves at `/openapi.json`: the same
that `shapesmith export openapi` writes for our Rekognition model, so the stub, the export and
the model must all agree. The stubs of services generated from OpenAPI documents are judged in
`tests/test_openapi_services.py`.
"""

from __future__ import annotations

import copy
import json
import urllib.request
from typing import Any

import pytest

from tests.conftest import GENERATED, export_repository_openapi
from tests.schemathesis_run import run_schemathesis
from tests.wire_agreement import RunningStub


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = export_repository_openapi(tmp_path_factory.mktemp("export"))
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


@pytest.fixture(scope="module")
def stub_url() -> Any:
    with RunningStub(GENERATED / "rekognition") as url:
        yield url


@pytest.fixture(scope="module")
def served(stub_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{stub_url}/openapi.json", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        document: dict[str, Any] = json.loads(response.read())
    return document


def test_the_stub_serves_the_document_the_export_writes(
    served: dict[str, Any], exported: dict[str, Any]
) -> None:
    assert served == exported


def test_the_stub_answers_as_its_document_says(served: dict[str, Any], stub_url: str) -> None:
    failures, statuses = run_schemathesis(served, stub_url)
    assert failures == []
    # Both kinds of answer were judged: results and modelled errors.
    assert statuses[200] > 0 and statuses[400] > 0, statuses


def test_the_checks_catch_an_answer_the_document_does_not_allow(
    served: dict[str, Any], stub_url: str
) -> None:
    """A document that says an error has no `__type` makes every error answer wrong."""
    document = copy.deepcopy(served)
    session_not_found = document["components"]["schemas"]["SessionNotFoundException"]
    del session_not_found["properties"]["__type"]
    session_not_found["required"].remove("__type")
    failures, _ = run_schemathesis(document, stub_url)
    assert any("SessionNotFoundException" in failure for failure in failures), failures
