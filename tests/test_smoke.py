"""Smoke over everything (issue 16, item 6): whole official services, every operation.

Whole Rekognition and Timestream for InfluxDB are generated (once per session, shared with
tests/test_official_models.py); each package's stub runs on 127.0.0.1 in its own interpreter.
Every operation is called with a minimal valid input made from the model, the one the stub's
own defaults are made by (`generator.stub_defaults.build`: required members only, each meeting
its constraints): first by real boto3, then by the generated client in an interpreter with the
standard library alone. No call may end in a 500, an unmodelled error or a response that does
not parse; and since the input is valid and the stub has no state, each must be answered with
the stub's default for the operation, read back as the stub sent it.

Then the models' `smithy.test#smokeTests` run against the stub through the generated client.
shapesmith does not generate smoke tests (the model warns that it leaves them out), so this
test reads the trait itself: `params` are the input, `vendorParams.region` the client's region,
`expect.success` means no error, `expect.failure` an error (`errorId`: that modelled one). A
failure case's input goes unchecked by the client, so an invalid input meets the stub's own
validation error, as it would meet the service's.
"""

from __future__ import annotations

import ast
import base64
import datetime
import json
import pickle
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from generator import ir, stub_defaults, value_fit
from generator.config import load_config
from generator.pipeline import build as build_pipeline
from tests.conftest import (
    GIVEN_ENDPOINT_RULES,
    generate_model,
    reference_file,
    service_with_stub,
)
from tests.test_official_models import OFFICIAL, generated
from tests.wire_agreement import RunningStub, botocore_model, stub_boto3_client
from tests.wire_values import SmithyFacts

SERVICES = ("rekognition", "timestream_influx_db")
SMOKE_TESTS = "smithy.test#smokeTests"
CLIENT_TIMEOUT = 300


@dataclass(frozen=True)
class Whole:
    """A whole official service: its model file, generated package and IR."""

    model: Path
    package: Path
    unit: ir.GenerationUnit

    @property
    def operations(self) -> dict[str, ir.OperationShape]:
        return {str(op.name): op for op in self.unit.operations}

    def default_answer(self, name: str) -> Any:
        """What the stub answers `name` with when nothing else does (JSON form)."""
        (default,) = [d for d in self.unit.stub_defaults if d.operation.name == name]
        assert default.literal is not None, f"the stub cannot answer {name}"
        return ast.literal_eval(default.literal)


@pytest.fixture(scope="module", params=SERVICES)
def whole(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Whole:
    name: str = request.param
    package = generated(name, tmp_path_factory)
    (unit,) = build_pipeline(load_config(package.parent.parent / "shapesmith.toml"))
    return Whole(reference_file("models", OFFICIAL[name]), package, unit)


# -- inputs ------------------------------------------------------------------------------------


def python_form(target: ir.Shape, value: Any) -> Any:
    """A value in JSON form (base64 blobs, epoch-second timestamps), as `stub_defaults` builds
    it and smoke tests write it, in the Python form clients take: bytes, datetimes. Names and
    enum values come out as plain `str` (the IR's are model text, a subclass the client lacks)."""
    if isinstance(target, ir.StructureShape) and isinstance(value, dict):
        members = {member.name: member for member in target.members}
        return {str(key): python_form(members[key].target, item) for key, item in value.items()}
    if isinstance(target, ir.ListShape):
        return [python_form(target.member.target, item) for item in value]
    if isinstance(target, ir.MapShape):
        return {str(key): python_form(target.value.target, item) for key, item in value.items()}
    if target.type is ir.ShapeType.BLOB and isinstance(value, str):
        return base64.b64decode(value)
    if target.type is ir.ShapeType.TIMESTAMP and isinstance(value, int | float):
        return datetime.datetime.fromtimestamp(value, datetime.UTC)
    return str(value) if isinstance(value, str) else value


def minimal_input(op: ir.OperationShape) -> dict[str, Any]:
    """The operation's smallest valid input, in Python form."""
    if not op.has_input:
        return {}
    built = stub_defaults.build(op.input)
    assert value_fit.problems(op.input, built) == [], op.name
    value: dict[str, Any] = python_form(op.input, built)
    return value


# -- boto3 -------------------------------------------------------------------------------------


def _boto3_client(model: Path, url: str, region: str = "us-east-1") -> Any:
    service = botocore_model(SmithyFacts.read(model))
    assert service is not None, f"the installed botocore does not know {model.name}"
    return stub_boto3_client(service.service_name, url, region, read_timeout=60)


def json_form(value: Any) -> Any:
    """What a client returned, in the JSON form the stub's defaults are written in."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {key: json_form(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_form(item) for item in value]
    return value


def _boto3_outcome(
    client: Any, op: ir.OperationShape, params: dict[str, Any], expected: Any
) -> str:
    """How one boto3 call ended: "answered" (with the stub's default, as `expected`),
    "modelled <Code>", or what went wrong."""
    method = next(m for m, o in client.meta.method_to_api_mapping.items() if o == op.name)
    try:
        answer = getattr(client, method)(**params)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in {e.name for e in op.errors} and status != 500:
            return f"modelled {code}"
        return f"unmodelled {status} {code}: {error}"[:400]
    except Exception as error:  # a parse error, a dropped connection: all failures to report
        return f"{type(error).__name__}: {error}"[:400]
    status = answer.pop("ResponseMetadata", {}).get("HTTPStatusCode")
    if status != 200:
        return f"answered with status {status}"
    parsed = json_form(answer)
    return "answered" if parsed == expected else f"answered {parsed!r:.300}, not {expected!r:.300}"


@pytest.mark.slow
def test_boto3_calls_every_operation_of_the_whole_service(whole: Whole) -> None:
    outcomes: dict[str, str] = {}
    with RunningStub(whole.package) as url:
        client = _boto3_client(whole.model, url)
        try:
            for name, op in sorted(whole.operations.items()):
                expected = whole.default_answer(name)
                outcomes[name] = _boto3_outcome(client, op, minimal_input(op), expected)
        finally:
            client.close()
    assert len(outcomes) == len(whole.unit.operations) >= 3
    failed = {
        name: outcome
        for name, outcome in outcomes.items()
        if outcome != "answered" and not outcome.startswith("modelled ")
    }
    assert failed == {}
    # A minimal valid input is valid: the stub answers it from its defaults, not an error.
    assert set(outcomes.values()) == {"answered"}


# -- the generated client ------------------------------------------------------------------------


_CALL_WITH_THE_CLIENT = """
import base64, datetime, enum, importlib, json, pickle, sys
package, client_class, url = sys.argv[1:4]

def json_form(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {key: json_form(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_form(item) for item in value]
    return value

calls = pickle.loads(bytes.fromhex(sys.stdin.read()))
client_module = importlib.import_module(package + ".client")
shapes = importlib.import_module(package + ".shapes")
errors = importlib.import_module(package + ".errors")
outcomes = {}
for call in calls:
    client = getattr(client_module, client_class)(
        endpoint_url=url, region_name=call["region"], aws_access_key_id="AKIDSTUB",
        aws_secret_access_key="secret", max_attempts=1, read_timeout=60.0,
        validate_input=call["validate"],
    )
    method = getattr(client, call["method"])
    try:
        if call["input_class"] is None:
            answer = method()
        else:
            answer = method(getattr(shapes, call["input_class"]).from_dict(call["params"]))
    except errors.ServiceError as error:
        outcomes[call["id"]] = {"error": error.error_code, "class": type(error).__name__,
                                "status": error.status_code}
    except Exception as error:
        outcomes[call["id"]] = {"crash": f"{type(error).__name__}: {error}"[:400]}
    else:
        output = None if answer is None else json_form(answer.to_dict())
        outcomes[call["id"]] = {"answered": True, "output": output}
    finally:
        client.close()
print(json.dumps(outcomes))
"""


@dataclass(frozen=True)
class ClientCall:
    id: str
    op: ir.OperationShape
    params: dict[str, Any]
    region: str = "us-east-1"
    validate: bool = True

    def as_data(self) -> dict[str, Any]:
        # Plain `str`s: the IR's names are model text, a subclass the client's interpreter lacks.
        return {
            "id": str(self.id),
            "method": str(self.op.py_name),
            "input_class": str(self.op.input.py_name) if self.op.has_input else None,
            "params": self.params,
            "region": self.region,
            "validate": self.validate,
        }


def call_with_the_client(whole: Whole, calls: list[ClientCall]) -> dict[str, dict[str, Any]]:
    """Each call made by the generated client, in an interpreter with the standard library and
    the package alone, against the package's stub: call id -> how it ended."""
    folder = whole.package.parent
    with RunningStub(whole.package) as url:
        done = subprocess.run(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                f"import sys; sys.path.insert(0, {str(folder)!r})\n{_CALL_WITH_THE_CLIENT}",
                whole.package.name,
                whole.unit.service.client_class,
                url,
            ],
            input=pickle.dumps([call.as_data() for call in calls]).hex(),
            capture_output=True,
            text=True,
            timeout=CLIENT_TIMEOUT,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-4000:]
    outcomes: dict[str, dict[str, Any]] = json.loads(done.stdout)
    return outcomes


def _is_modelled(op: ir.OperationShape, outcome: dict[str, Any]) -> bool:
    return outcome.get("class") in {e.py_name for e in op.errors} and outcome["status"] != 500


@pytest.mark.slow
def test_the_generated_client_calls_every_operation_of_the_whole_service(whole: Whole) -> None:
    calls = [ClientCall(name, op, minimal_input(op)) for name, op in whole.operations.items()]
    outcomes = call_with_the_client(whole, calls)
    assert set(outcomes) == set(whole.operations)
    failed = {
        name: outcome
        for name, outcome in outcomes.items()
        if "answered" not in outcome and not _is_modelled(whole.operations[name], outcome)
    }
    assert failed == {}
    # A minimal valid input is valid: the stub answers it with its default, read back as sent.
    wrong = {
        name: outcome
        for name, outcome in outcomes.items()
        if (outcome.get("output") or {}) != whole.default_answer(name)
    }
    assert wrong == {}


# -- the models' smoke tests ---------------------------------------------------------------------


@dataclass(frozen=True)
class SmokeCase:
    """One `smithy.test#smokeTests` entry of an operation."""

    op: ir.OperationShape
    case: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.op.name}/{self.case['id']}"

    @property
    def expects_success(self) -> bool:
        return "success" in self.case["expect"]

    def call(self) -> ClientCall:
        params = self.case.get("params", {})
        # `null` in params is a member left out (a smoke test of a missing required member).
        present = {key: value for key, value in params.items() if value is not None}
        region = self.case.get("vendorParams", {}).get("region", "us-east-1")
        return ClientCall(
            self.id,
            self.op,
            python_form(self.op.input, present),
            region=region,
            validate=self.expects_success,
        )

    def problem(self, outcome: dict[str, Any]) -> str | None:
        """What is wrong with how the call ended, if anything."""
        if "crash" in outcome:
            return f"the client failed: {outcome['crash']}"
        if self.expects_success:
            return None if "answered" in outcome else f"expected success, got {outcome}"
        expected = self.case["expect"]["failure"].get("errorId")
        if "answered" in outcome:
            return "expected a failure, got an answer"
        if expected is None:
            return None
        named = next((e for e in self.op.errors if e.id == expected), None)
        if named is None or outcome.get("class") != named.py_name:
            return f"expected {expected}, got {outcome}"
        return None


def smoke_cases(model: Path, operations: dict[str, ir.OperationShape]) -> Iterator[SmokeCase]:
    shapes = json.loads(model.read_text("utf-8"))["shapes"]
    for shape_id, shape in sorted(shapes.items()):
        for case in shape.get("traits", {}).get(SMOKE_TESTS, []):
            yield SmokeCase(operations[shape_id.partition("#")[2]], case)


@pytest.mark.slow
def test_the_models_smoke_tests_pass_against_the_stub(whole: Whole) -> None:
    cases = list(smoke_cases(whole.model, whole.operations))
    if not cases:
        pytest.skip(f"{whole.model.name} has no smoke tests")
    outcomes = call_with_the_client(whole, [case.call() for case in cases])
    problems = {case.id: case.problem(outcomes[case.id]) for case in cases}
    assert {case_id: p for case_id, p in problems.items() if p is not None} == {}


SMALL = "example.smoke"


def _small_model() -> dict[str, Any]:
    """One operation with smoke tests of every kind: a success, a failure the stub's validation
    meets (with and without an `errorId`), and one only the service's state could meet."""
    operation = f"{SMALL}#GetThing"
    failure = {"failure": {"errorId": f"{SMALL}#ValidationException"}}
    service = service_with_stub("Smoke Probe", "smoke", [operation])
    service["traits"]["smithy.rules#endpointRuleSet"] = GIVEN_ENDPOINT_RULES
    return {
        "smithy": "2.0",
        "shapes": {
            f"{SMALL}#Service": service,
            operation: {
                "type": "operation",
                "input": {"target": f"{SMALL}#GetThingInput"},
                "output": {"target": f"{SMALL}#GetThingOutput"},
                "errors": [
                    {"target": f"{SMALL}#ValidationException"},
                    {"target": f"{SMALL}#ThingNotFound"},
                ],
                "traits": {
                    SMOKE_TESTS: [
                        {"id": "Found", "params": {"Name": "abc"}, "expect": {"success": {}}},
                        {"id": "TooShort", "params": {"Name": "x"}, "expect": failure},
                        {"id": "Missing", "params": {"Name": None}, "expect": {"failure": {}}},
                        {
                            "id": "NotFound",
                            "params": {"Name": "absent"},
                            "vendorParams": {"region": "eu-west-1"},
                            "expect": {"failure": {"errorId": f"{SMALL}#ThingNotFound"}},
                        },
                    ]
                },
            },
            f"{SMALL}#GetThingInput": {
                "type": "structure",
                "members": {
                    "Name": {
                        "target": "smithy.api#String",
                        "traits": {"smithy.api#required": {}, "smithy.api#length": {"min": 3}},
                    }
                },
                "traits": {"smithy.api#input": {}},
            },
            f"{SMALL}#GetThingOutput": {
                "type": "structure",
                "members": {"Thing": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#output": {}},
            },
            **{
                f"{SMALL}#{name}": {
                    "type": "structure",
                    "members": {"message": {"target": "smithy.api#String"}},
                    "traits": {"smithy.api#error": "client"},
                }
                for name in ("ValidationException", "ThingNotFound")
            },
        },
    }


def test_smoke_tests_of_every_kind_are_judged_honestly(tmp_path: Path) -> None:
    code, err = generate_model(tmp_path, _small_model())
    assert code == 0, err
    (unit,) = build_pipeline(load_config(tmp_path / "shapesmith.toml"))
    small = Whole(tmp_path / "model.json", tmp_path / "out" / unit.service.package_name, unit)
    cases = list(smoke_cases(small.model, small.operations))
    outcomes = call_with_the_client(small, [case.call() for case in cases])
    problems = {case.case["id"]: case.problem(outcomes[case.id]) for case in cases}
    # Invalid inputs reach the stub unchecked and meet its validation error, the modelled one.
    assert outcomes["GetThing/TooShort"]["class"] == "ValidationException"
    assert outcomes["GetThing/Missing"]["class"] == "ValidationException"
    # A stub without state answers what only the service's state makes an error: reported,
    # never faked with a fixture made to agree.
    assert problems == {
        "Found": None,
        "TooShort": None,
        "Missing": None,
        "NotFound": "expected a failure, got an answer",
    }
