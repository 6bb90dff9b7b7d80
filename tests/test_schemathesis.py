"""The generated stub judged by an independent OpenAPI tool: schemathesis (property-based API
testing) generates requests from an OpenAPI document, sends them to the stub on 127.0.0.1, and
checks every answer: no server error, a status, content type, headers and body the document
allows.

The document is the one the stub serves at `/openapi.json`, the same that `shapesmith export
openapi` writes for our Rekognition model, so the stub, the export and the model must all agree. schemathesis is told that AWS JSON's media type
is JSON (it knows `application/json` and `+json` types only).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from generator.cli import main
from tests.conftest import GENERATED, REPO
from tests.wire_agreement import RunningStub

AMZ_JSON = "application/x-amz-json-1.1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

with contextlib.suppress(ValueError):  # registered once per process
    schemathesis.serializer.alias(AMZ_JSON, "application/json")


@schemathesis.deserializer(AMZ_JSON)
def _amz_json(_context: Any, response: Any) -> Any:
    return json.loads(response.content)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("export")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(
            [
                "export",
                "openapi",
                "-q",
                "--config",
                str(REPO / "pyproject.toml"),
                "--output",
                str(out),
            ]
        )
    assert code == 0, err.getvalue()
    document: dict[str, Any] = json.loads(Path(out, "rekognition.openapi.json").read_text("utf-8"))
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


def run_schemathesis(document: dict[str, Any], url: str) -> tuple[list[str], Counter[int]]:
    """Each operation's failures (schemathesis' own report, shortened) and the statuses seen."""
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for found in openapi.from_dict(document).get_all_operations():
        operation = found.ok()

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            response = case.call(base_url=url, timeout=10)
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

        try:
            call()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # schemathesis' failure group: kept as its report
            failures.append(f"{operation.label}: {error!s:.1500} {_messages(error)}")
    return failures, statuses


def _messages(error: BaseException) -> str:
    inner = getattr(error, "exceptions", ())
    return " | ".join(str(e)[:500] for e in inner)


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
