"""Running schemathesis (property-based API testing) against a stub on 127.0.0.1: each
operation's requests generated from an OpenAPI document, each answer judged by the document (no
server error; status, content type, headers and body as it says). schemathesis is told that AWS
JSON's media type is JSON (it knows `application/json` and `+json` types only)."""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

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


def _messages(error: BaseException) -> str:
    inner = getattr(error, "exceptions", ())
    return " | ".join(str(e)[:500] for e in inner)


def run_schemathesis(
    document: dict[str, Any],
    url: str,
    examples: int = 60,
    mode: GenerationMode = GenerationMode.POSITIVE,
) -> tuple[list[str], Counter[int]]:
    """Each operation's failures (schemathesis' own report, shortened) and the statuses seen;
    `mode` NEGATIVE sends requests the document does not allow, each answer still judged by
    it (the error responses it documents)."""
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for found in openapi.from_dict(document).get_all_operations():
        operation = found.ok()

        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(mode))
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
