"""botocore's rest-json protocol test suites, run against restJson1 clients that shapesmith
generates.

The suites (`../shared/reference/protocol-tests/botocore/{input,output}/rest-json.json`) are read
at run time, grouped into services and generated as `test_botocore_protocols` does it (its
helpers are shared). Input cases check the request the client sends; output cases feed the
case's response through a recording transport and check what the client returns or raises.
Cases on botocore's ignore list are skipped, and those shapesmith cannot pass yet are strict
xfails in `UNSUPPORTED`, each with its reason.
"""

from __future__ import annotations

import re
import sys
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tests.botocore_to_smithy import botocore_form
from tests.conftest import REFERENCE, reference_file
from tests.test_botocore_protocols import (
    DIRECTIONS,
    SUITES_DIR,
    Case,
    Packages,
    RecordingTransport,
    _SummaryLine,
    call,
    canned_response,
    canonical_json,
    check_totals,
    load_cases,
    params_of,
    parsed_result,
)

PROTOCOL = "rest-json"
SUITE_FILE = "rest-json.json"

UNSUPPORTED: dict[str, str] = {}
"""Cases shapesmith cannot pass, by test id, with the reason. They run as strict xfails, so that a
case that starts passing must be taken off this list."""


CASES = load_cases({PROTOCOL: SUITE_FILE}) if REFERENCE.joinpath(*SUITES_DIR).is_dir() else []
PASSED: set[str] = set()


def case_params(direction: str) -> list[Any]:
    return params_of(CASES, UNSUPPORTED, direction)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    generated = Packages(tmp_path_factory.mktemp("botocore-rest-json"))
    try:
        yield generated
    finally:
        generated.unload()


@pytest.fixture(autouse=True)
def _settings_from_arguments_only(no_aws_configuration: None) -> None:
    """conftest's no_aws_configuration for every test here."""


# -- input cases -----------------------------------------------------------------------------------


def header_list(value: str) -> str:
    """A header value with the blanks after its commas dropped: botocore joins a list's items
    with `,` where the suites write `, `; both are the same list (an http-date's own `, ` is
    dropped alike on both sides)."""
    return re.sub(r",\s+", ",", value)


def check_request(request: Any, expected: Mapping[str, Any]) -> None:
    url = urllib.parse.urlsplit(request.url)
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert request.method == expected["method"]
    assert url.path + (f"?{url.query}" if url.query else "") == expected["uri"]
    for name, value in expected.get("headers", {}).items():
        assert header_list(headers.get(name.lower(), "<absent>")) == header_list(value), name
    for name in expected.get("requireHeaders", []):
        assert name.lower() in headers, name
    for name in expected.get("forbidHeaders", []):
        assert name.lower() not in headers, name
    body = expected.get("body")
    if body is None:
        return
    if body == "" or headers.get("content-type") != "application/json":
        assert request.body == body.encode()
    else:
        assert canonical_json(request.body) == canonical_json(body)


@pytest.mark.parametrize("case", case_params("input"))
def test_input(case: Case | None, packages: Packages) -> None:
    reference_file(*SUITES_DIR)
    assert case is not None
    if case.ignored:
        pytest.skip("on botocore's protocol-tests-ignore-list.json")
    package = packages.get(case.service)
    transport = RecordingTransport(package.HttpResponse(status=200, headers={}, body=b"{}"))
    call(case, package, transport)
    (request,) = transport.requests
    check_request(request, case.data["serialized"])
    PASSED.add(case.id)


# -- output cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", case_params("output"))
def test_output(case: Case | None, packages: Packages) -> None:
    reference_file(*SUITES_DIR)
    assert case is not None
    if case.ignored:
        pytest.skip("on botocore's protocol-tests-ignore-list.json")
    package = packages.get(case.service)
    transport = RecordingTransport(canned_response(package, case.data["response"]))
    if "error" not in case.data:
        assert parsed_result(call(case, package, transport)) == case.data["result"]
    else:
        with pytest.raises(package.ServiceError) as raised:
            call(case, package, transport)
        error = raised.value
        assert (error.error_code, type(error).shape_name) == (case.data["errorCode"],) * 2
        if "errorMessage" in case.data:
            assert str(error) == case.data["errorMessage"]
        assert botocore_form(error.to_dict()) == case.data["error"]
    PASSED.add(case.id)


# -- totals ----------------------------------------------------------------------------------------


def test_totals(request: pytest.FixtureRequest) -> None:
    """Every case not on botocore's ignore list passed, and the exceptions are exactly listed."""
    passed = check_totals(request, CASES, PASSED, UNSUPPORTED, sys.modules[__name__])
    ignored = {case.id for case in CASES if case.ignored}
    unsupported = {
        direction: sum(1 for i in UNSUPPORTED if i.startswith(direction))
        for direction in DIRECTIONS
    }
    ignored_count = {
        direction: sum(1 for i in ignored if i.startswith(direction)) for direction in DIRECTIONS
    }
    line = (
        f"botocore rest-json protocol suite: {passed['input']} input + {passed['output']} output "
        f"cases passed, {ignored_count['input']} + {ignored_count['output']} ignored by "
        f"botocore's list, {unsupported['input']} + {unsupported['output']} unsupported"
    )
    request.config.pluginmanager.register(_SummaryLine(line))
