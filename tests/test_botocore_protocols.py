"""botocore's AWS JSON protocol test suites, run against clients that shapesmith generates.

The suites (`../shared/reference/protocol-tests/botocore/{input,output}/`: `json.json`,
`json_1_0.json`, `json_1_0-query-compatible.json`) are read at run time. Each group of cases
brings its own botocore model; groups that agree on every shape and operation they share are
merged into one Smithy model (see `botocore_to_smithy`), generated once, and imported. A recording transport stands in for the network: input cases check the request the
client sends, output cases feed the case's response through it and check what the client returns
or raises. Cases on botocore's own ignore list are skipped, and reported as such.
"""

from __future__ import annotations

import importlib
import json
import sys
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from botocore.serialize import HOST_PREFIX_RE  # type: ignore[import-untyped]

from generator import naming
from generator.cli import main
from tests.botocore_to_smithy import botocore_form, python_params, service_model
from tests.conftest import REFERENCE, reference_file

SUITES_DIR = ("protocol-tests", "botocore")
SUITE_FILES = {
    "json": "json.json",
    "json_1_0": "json_1_0.json",
    "json_1_0-query-compatible": "json_1_0-query-compatible.json",
}
"""botocore's name for each protocol in its ignore list -> the suite file of that protocol."""
DIRECTIONS = ("input", "output")
ENDPOINT = "https://example.com"

UNSUPPORTED: dict[str, str] = {}
"""Cases shapesmith cannot pass, by test id, with the reason. They run as strict xfails, so that a
case that starts passing must be taken off this list."""


@dataclass
class Service:
    """Groups of cases whose botocore models agree, generated as one package."""

    protocol: str
    index: int
    metadata: dict[str, Any]
    shapes: dict[str, Any] = field(default_factory=dict)
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def sdk_id(self) -> str:
        return f"Protocol Test {self.protocol.replace('_', ' ').replace('-', ' ')} {self.index}"

    @property
    def namespace(self) -> str:
        return f"protocoltest.{self.protocol.replace('-', '_')}.s{self.index}"

    def accepts(
        self, metadata: Mapping[str, Any], shapes: Mapping[str, Any], operations: Mapping[str, Any]
    ) -> bool:
        return (
            metadata == self.metadata
            and all(self.shapes.get(name, shape) == shape for name, shape in shapes.items())
            and all(self.operations.get(name, op) == op for name, op in operations.items())
        )

    def smithy_model(self) -> dict[str, Any]:
        return service_model(
            namespace=self.namespace,
            sdk_id=self.sdk_id,
            metadata=self.metadata,
            shapes=self.shapes,
            operations=self.operations.values(),
        )


@dataclass(frozen=True)
class Case:
    direction: str
    protocol: str
    data: dict[str, Any]
    service: Service
    ignored: bool

    @property
    def id(self) -> str:
        return f"{self.direction}/{self.protocol}/{self.data['id']}"

    @property
    def operation(self) -> dict[str, Any]:
        return self.service.operations[self.data["given"]["name"]]


def _without_documentation(value: Mapping[str, Any]) -> dict[str, Any]:
    return {key: item for key, item in value.items() if key != "documentation"}


def _ignore_list(
    protocols: Iterable[str] = SUITE_FILES,
) -> tuple[set[str], dict[str, dict[str, set[str]]]]:
    """botocore's ignore list: input suites skipped for every protocol, and case ids by protocol
    (of `protocols`) and direction."""
    document = json.loads(
        REFERENCE.joinpath(*SUITES_DIR, "protocol-tests-ignore-list.json").read_text()
    )
    suites = set(document["general"]["input"]["suites"])
    cases = {
        protocol: {
            direction: set(
                document["protocols"].get(protocol, {}).get(direction, {}).get("cases", [])
            )
            for direction in DIRECTIONS
        }
        for protocol in protocols
    }
    return suites, cases


def load_cases(suite_files: Mapping[str, str] = SUITE_FILES) -> list[Case]:
    """Every case of the suites (protocol -> suite file), each tied to the service it is
    generated into."""
    ignored_suites, ignored_cases = _ignore_list(suite_files)
    cases: list[Case] = []
    for protocol, file_name in suite_files.items():
        services: list[Service] = []
        for direction in DIRECTIONS:
            path = REFERENCE.joinpath(*SUITES_DIR, direction, file_name)
            for group in json.loads(path.read_text()):
                operations = {
                    case["given"]["name"]: _without_documentation(case["given"])
                    for case in group["cases"]
                }
                service = _service_for(services, protocol, group, operations)
                for case in group["cases"]:
                    ignored = (direction == "input" and group["description"] in ignored_suites) or (
                        case["id"] in ignored_cases[protocol][direction]
                    )
                    cases.append(Case(direction, protocol, case, service, ignored))
    return cases


def _service_for(
    services: list[Service],
    protocol: str,
    group: Mapping[str, Any],
    operations: dict[str, dict[str, Any]],
) -> Service:
    shapes = {name: _without_documentation(shape) for name, shape in group["shapes"].items()}
    service = next((s for s in services if s.accepts(group["metadata"], shapes, operations)), None)
    if service is None:
        service = Service(protocol, len(services), group["metadata"])
        services.append(service)
    service.shapes.update(shapes)
    service.operations.update(operations)
    return service


CASES = load_cases() if REFERENCE.joinpath(*SUITES_DIR).is_dir() else []
PASSED: set[str] = set()


def params_of(cases: list[Case], unsupported: Mapping[str, str], direction: str) -> list[Any]:
    """The cases of one direction as test parameters, those `unsupported` as strict xfails."""
    if not cases:
        # Collected anyway, so that the run says why nothing was checked.
        return [pytest.param(None, id=f"{direction}-suites-missing")]
    params = []
    for case in cases:
        if case.direction != direction:
            continue
        marks = []
        if case.id in unsupported:
            marks.append(pytest.mark.xfail(reason=unsupported[case.id], strict=True))
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def case_params(direction: str) -> list[Any]:
    return params_of(CASES, UNSUPPORTED, direction)


# -- generated packages ----------------------------------------------------------------------------


class Packages:
    """Generates each service's package on first use, under one temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.loaded: dict[str, ModuleType] = {}

    def get(self, service: Service) -> ModuleType:
        if service.sdk_id not in self.loaded:
            self.loaded[service.sdk_id] = self._generate(service)
        return self.loaded[service.sdk_id]

    def _generate(self, service: Service) -> ModuleType:
        where = self.root / naming.package_name(service.sdk_id)
        where.mkdir()
        (where / "model.json").write_text(json.dumps(service.smithy_model(), indent=1))
        (where / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
        assert main(["generate", "-q", "--config", str(where / "shapesmith.toml")]) == 0
        sys.path.insert(0, str(where / "out"))
        return importlib.import_module(naming.package_name(service.sdk_id))

    def unload(self) -> None:
        names = {package.__name__ for package in self.loaded.values()}
        for name in [n for n in sys.modules if n.partition(".")[0] in names]:
            del sys.modules[name]
        sys.path[:] = [p for p in sys.path if not p.startswith(str(self.root))]


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    generated = Packages(tmp_path_factory.mktemp("botocore-protocols"))
    try:
        yield generated
    finally:
        generated.unload()


@pytest.fixture(autouse=True)
def _settings_from_arguments_only(no_aws_configuration: None) -> None:
    """conftest's no_aws_configuration for every test here."""


class RecordingTransport:
    """The client's transport seam: records each request and answers with one canned response."""

    def __init__(self, response: Any) -> None:
        self.response = response
        self.requests: list[Any] = []

    def send(self, request: Any) -> Any:
        self.requests.append(request)
        return self.response

    def close(self) -> None:
        pass


def call(case: Case, package: ModuleType, transport: RecordingTransport) -> Any:
    """Call the case's operation through a fresh client, with the case's params if it has any."""
    operation = case.operation
    client_class = getattr(package, naming.pascal_case(case.service.sdk_id) + "Client")
    client = client_class(
        region_name="us-east-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="AKID",
        aws_secret_access_key="SECRET",
        max_attempts=1,
        transport=transport,
    )
    with client:
        method = getattr(client, naming.attribute_name(operation["name"]))
        if "input" not in operation:
            return method()
        input_shape = operation["input"]["shape"]
        params = python_params(case.service.shapes, input_shape, case.data.get("params", {}))
        return method(getattr(package, naming.class_name(input_shape)).from_dict(params))


# -- input cases -----------------------------------------------------------------------------------


def canonical_json(text: str | bytes) -> str:
    """JSON text with members sorted and no whitespace: equal for equal documents, and still telling
    `1` from `1.0` and `true`."""
    return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))


def check_request(request: Any, expected: Mapping[str, Any]) -> None:
    url = urllib.parse.urlsplit(request.url)
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert request.method == expected["method"]
    assert url.path + (f"?{url.query}" if url.query else "") == expected["uri"]
    for name, value in expected.get("headers", {}).items():
        assert headers.get(name.lower()) == value, name
    for name in expected.get("requireHeaders", []):
        assert name.lower() in headers, name
    for name in expected.get("forbidHeaders", []):
        assert name.lower() not in headers, name
    if "body" in expected:
        assert canonical_json(request.body) == canonical_json(expected["body"])
    if "host" in expected:
        assert url.netloc == headers["host"] == expected["host"]


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


def canned_response(package: ModuleType, response: Mapping[str, Any]) -> Any:
    """The case's response as the transport hands it over: header names in lower case."""
    headers = {name.lower(): value for name, value in response.get("headers", {}).items()}
    body = response.get("body", "").encode()
    return package.HttpResponse(status=response["status_code"], headers=headers, body=body)


def parsed_result(value: Any) -> Any:
    """What the client returned, in the notation of the suites' `result`."""
    return {} if value is None else botocore_form(value.to_dict())


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
        # botocore's `errorCode` is the query code where the response names one (query
        # compatibility), and it finds the class by the code modelled for it; our class is picked
        # by the JSON code, which is its shape name, and the query code is an attribute.
        expected_shape = _shape_with_query_code(case.service, case.data["errorCode"])
        assert (error.error_code, type(error).shape_name) == (expected_shape,) * 2
        query_error = (
            getattr(error, "query_error_code", None),
            getattr(error, "query_error_type", None),
        )
        header = case.data["response"].get("headers", {}).get("x-amzn-query-error")
        assert query_error == (tuple(header.split(";")) if header else (None, None))
        assert (query_error[0] or error.error_code) == case.data["errorCode"]
        if "errorMessage" in case.data:
            assert str(error) == case.data["errorMessage"]
        assert botocore_form(error.to_dict()) == case.data["error"]
    PASSED.add(case.id)


def _shape_with_query_code(service: Service, code: str) -> str:
    """The error shape botocore raises for `code`: the one whose modelled query code it is, else
    the shape of that name."""
    for name, shape in service.shapes.items():
        if shape.get("error", {}).get("code") == code:
            return name
    return code


def test_host_labels_are_checked_as_botocore_checks_them(packages: Packages) -> None:
    """Beyond the suites: a `@hostLabel` value goes into the host name, so boto3 lets only
    letters, digits, hyphens and dots in (dots and a leading hyphen included); so do we. The
    one difference: botocore's `$` also lets a trailing newline through, which we refuse."""
    reference_file(*SUITES_DIR)
    (case,) = [c for c in CASES if c.id == "input/json/AwsJson11EndpointTraitWithHostLabel"]
    package = packages.get(case.service)
    ok = package.HttpResponse(status=200, headers={}, body=b"{}")
    labels = ("evil.com/", "a.b", "-a", "", "a b", "a_b", "\u00fc", "a@b", "a:1", "a\n", "A-1.b")
    for label in labels:
        transport = RecordingTransport(ok)
        given = replace(case, data={**case.data, "params": {"label": label}})
        botocore_accepts = HOST_PREFIX_RE.match(label) is not None and not label.endswith("\n")
        if botocore_accepts:
            call(given, package, transport)
            (request,) = transport.requests
            assert request.headers["Host"].startswith(f"foo.{label}.")
        else:
            with pytest.raises(ValueError, match="not a valid host name label"):
                call(given, package, transport)
            assert transport.requests == []


# -- totals ----------------------------------------------------------------------------------------


class _SummaryLine:
    """Adds one line to pytest's terminal summary."""

    def __init__(self, line: str) -> None:
        self.line = line

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.write_line(self.line)


def check_totals(
    request: pytest.FixtureRequest,
    cases: list[Case],
    passed: set[str],
    unsupported: Mapping[str, str],
    module: ModuleType,
) -> dict[str, int]:
    """That every case of `cases` not on botocore's ignore list passed (is in `passed`), and the
    exceptions are exactly listed; the number passed by direction. Skips unless every case of
    `module` was selected."""
    reference_file(*SUITES_DIR)
    ids = {case.id for case in cases}
    assert len(ids) == len(cases), "case ids must be unique within a suite"
    ignored = {case.id for case in cases if case.ignored}
    _, ignored_by_protocol = _ignore_list({case.protocol for case in cases})
    listed = {
        f"{direction}/{protocol}/{case_id}"
        for protocol, directions in ignored_by_protocol.items()
        for direction, case_ids in directions.items()
        for case_id in case_ids
    }
    assert listed <= ids, "the ignore list names cases the suites no longer have"
    assert set(unsupported) <= ids - ignored, "UNSUPPORTED names cases that do not run"
    runnable = ids - ignored - set(unsupported)
    selected = {
        item.callspec.id
        for item in request.session.items
        if isinstance(item, pytest.Function) and item.module is module and hasattr(item, "callspec")
    }
    if not runnable <= selected:
        pytest.skip("only part of the suites was selected; the totals need all of them")
    assert runnable == passed, f"did not pass: {sorted(runnable - passed)}"
    return {
        direction: sum(1 for i in passed if i.startswith(direction)) for direction in DIRECTIONS
    }


def test_totals(request: pytest.FixtureRequest) -> None:
    """Every case not on botocore's ignore list passed, and the exceptions are exactly listed."""
    passed = check_totals(request, CASES, PASSED, UNSUPPORTED, sys.modules[__name__])
    ignored = {case.id for case in CASES if case.ignored}
    by_suite = ", ".join(
        f"{protocol} {sum(1 for i in PASSED if i.split('/')[1] == protocol)}"
        for protocol in SUITE_FILES
    )
    line = (
        f"botocore json protocol suites: {passed['input']} input + {passed['output']} output "
        f"cases passed ({by_suite}), {len(ignored)} ignored by botocore's list, "
        f"{len(UNSUPPORTED)} unsupported"
    )
    request.config.pluginmanager.register(_SummaryLine(line))
