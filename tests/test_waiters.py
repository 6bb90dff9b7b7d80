"""Waiters (`smithy.waiters#waitable`): read and checked at generation, and the generated waiters
run against the generated stub on 127.0.0.1, whose handler answers a script of states.

A model of our own has a waiter for each matcher and comparator; AWS's Rekognition model gives
`ProjectVersionRunning`, which boto3's own waiter runs against the same scripted stub.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pytest
from botocore import xform_name
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import naming
from tests.conftest import (
    GIVEN_ENDPOINT_RULES,
    REFERENCE,
    generate_files,
    generate_model,
    imported,
    reference_file,
    service_with_stub,
)
from tests.generated_lint import assert_lint_clean

NS = "example.wait"
PROJECT = "arn:aws:rekognition:us-east-1:123456789012:project/p/1"
KEYS = {"region_name": "us-east-1", "aws_access_key_id": "AKID", "aws_secret_access_key": "S"}


def _waiters() -> dict[str, Any]:
    def output(path: str, expected: str, comparator: str = "stringEquals") -> dict[str, Any]:
        return {"output": {"path": path, "expected": expected, "comparator": comparator}}

    return {
        "JobDone": {
            "minDelay": 2,
            "maxDelay": 10,
            "documentation": "Wait until the job is done.",
            "acceptors": [
                {"state": "success", "matcher": output("Status", "DONE")},
                {"state": "failure", "matcher": output("Status", "BROKEN")},
                {"state": "retry", "matcher": {"errorType": f"{NS}#NoSuchJob"}},
            ],
        },
        "JobReady": {
            "acceptors": [
                {"state": "success", "matcher": output("Ready", "true", "booleanEquals")}
            ],
        },
        "JobTagged": {
            "acceptors": [
                {
                    "state": "success",
                    "matcher": {
                        "inputOutput": {
                            "path": "contains(output.Tags, input.JobId)",
                            "expected": "true",
                            "comparator": "booleanEquals",
                        }
                    },
                }
            ],
        },
        "TagsAllDone": {
            "acceptors": [
                {"state": "success", "matcher": output("Tags", "done", "allStringEquals")},
                {"state": "failure", "matcher": output("Tags", "lost", "anyStringEquals")},
            ],
        },
        "JobGone": {
            "acceptors": [
                {"state": "success", "matcher": {"errorType": "NoSuchJob"}},
                {"state": "retry", "matcher": {"success": True}},
            ],
        },
    }


def wait_model(
    waiters: dict[str, Any] | None = None, protocol: str = "awsJson1_1"
) -> dict[str, Any]:
    """A service with one operation and the waiters on it, in AWS JSON 1.1 or restJson1."""
    service = service_with_stub("Wait", "wait", [f"{NS}#GetJob"])
    service["traits"]["smithy.rules#endpointRuleSet"] = GIVEN_ENDPOINT_RULES
    model = {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Service": service,
            f"{NS}#GetJob": {
                "type": "operation",
                "input": {"target": f"{NS}#GetJobInput"},
                "output": {"target": f"{NS}#GetJobOutput"},
                "errors": [{"target": f"{NS}#NoSuchJob"}, {"target": f"{NS}#Busy"}],
                "traits": {"smithy.waiters#waitable": waiters or _waiters()},
            },
            f"{NS}#GetJobInput": {
                "type": "structure",
                "members": {
                    "JobId": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}
                },
                "traits": {"smithy.api#input": {}},
            },
            f"{NS}#GetJobOutput": {
                "type": "structure",
                "members": {
                    "Status": {"target": "smithy.api#String"},
                    "Ready": {"target": "smithy.api#Boolean"},
                    "Tags": {"target": f"{NS}#Tags"},
                },
                "traits": {"smithy.api#output": {}},
            },
            f"{NS}#Tags": {"type": "list", "member": {"target": "smithy.api#String"}},
            f"{NS}#NoSuchJob": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "client"},
            },
            f"{NS}#Busy": {
                "type": "structure",
                "members": {"Message": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#error": "client"},
            },
        },
    }
    if protocol == "restJson1":
        shapes = model["shapes"]
        del service["traits"]["aws.protocols#awsJson1_1"]
        service["traits"]["aws.protocols#restJson1"] = {}
        shapes[f"{NS}#GetJob"]["traits"]["smithy.api#http"] = {"method": "POST", "uri": "/job"}
        shapes[f"{NS}#NoSuchJob"]["traits"]["smithy.api#httpError"] = 404
        shapes[f"{NS}#Busy"]["traits"]["smithy.api#httpError"] = 409
    return model


# -- generation: reading and checking the trait -----------------------------------------------


def _problems(tmp_path: Path, waiters: dict[str, Any]) -> tuple[int, str]:
    return generate_model(tmp_path, wait_model(waiters))


def test_every_problem_of_a_waiter_is_reported_at_its_pointer(tmp_path: Path) -> None:
    bad = {
        "Broken": {
            "minDelay": 30,
            "maxDelay": 5,
            "acceptors": [
                {"state": "done", "matcher": {"success": True}},
                {"state": "success", "matcher": {"success": True, "errorType": "NoSuchJob"}},
                {
                    "state": "retry",
                    "matcher": {"output": {"path": "Status[", "expected": "x", "comparator": "is"}},
                },
                {
                    "state": "success",
                    "matcher": {
                        "output": {
                            "path": "Ready",
                            "expected": "yes",
                            "comparator": "booleanEquals",
                        }
                    },
                },
            ],
        },
        "lower": {"acceptors": [{"state": "success", "matcher": {"success": True}}]},
        "NoSuccess": {"acceptors": [{"state": "retry", "matcher": {"success": True}}]},
        "NotAnObject": 3,
        "NoAcceptors": {"acceptors": []},
        "TextDelay": {"minDelay": "5", "acceptors": [{"state": "success", "matcher": "x"}]},
        "OddMatchers": {
            "acceptors": [
                {"state": "success", "matcher": {"success": "yes"}},
                {"state": "success", "matcher": {"errorType": 7}},
                {"state": "success", "matcher": {"output": {"path": 1, "expected": 2}}},
                "acceptor",
            ]
        },
    }
    code, err = _problems(tmp_path, bad)
    assert code == 2
    at = f"model.json: /shapes/{NS}#GetJob/traits/smithy.waiters#waitable"
    for expected in (
        f"{at}/Broken/minDelay: minDelay 30 is greater than maxDelay 5",
        f"{at}/Broken/acceptors/0/state: expected one of success, failure, retry, found 'done'",
        f"{at}/Broken/acceptors/1/matcher: expected exactly one of output, inputOutput, success,"
        " errorType, found ['errorType', 'success']",
        f"{at}/Broken/acceptors/2/matcher/output/path: expected a number, ':' or '*' inside '[]',"
        " found the end at position 7 of the expression 'Status['",
        f"{at}/Broken/acceptors/2/matcher/output/comparator: expected one of stringEquals,",
        f'{at}/Broken/acceptors/3/matcher/output/expected: booleanEquals expects "true" or'
        " \"false\", found 'yes'",
        f"{at}/lower: a waiter's name is UpperCamelCase letters and digits, found 'lower'",
        f"{at}/NoSuccess/acceptors: a waiter needs an acceptor with the success state",
        f"{at}/NotAnObject: expected a waiter object, found 3",
        f"{at}/NoAcceptors/acceptors: expected a non-empty list of acceptors, found []",
        f"{at}/TextDelay/minDelay: expected a whole number of seconds >= 1, found '5'",
        f"{at}/TextDelay/acceptors/0/matcher: expected exactly one of",
        f"{at}/OddMatchers/acceptors/0/matcher/success: expected true or false, found 'yes'",
        f"{at}/OddMatchers/acceptors/1/matcher/errorType: expected an error's name or shape id",
        f"{at}/OddMatchers/acceptors/2/matcher/output/path: expected a JMESPath expression",
        f"{at}/OddMatchers/acceptors/2/matcher/output/expected: expected a string, found 2",
        f"{at}/OddMatchers/acceptors/3: expected an acceptor object, found 'acceptor'",
    ):
        assert expected in err, err
    assert "Traceback" not in err


def test_an_error_type_the_operation_does_not_declare_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    waiters = {
        "Gone": {
            "acceptors": [
                {"state": "success", "matcher": {"errorType": "ResourceNotFoundException"}}
            ]
        }
    }
    code, _ = _problems(tmp_path, waiters)
    assert code == 0
    warned = [record.getMessage() for record in caplog.records]
    assert (
        len(warned) == 1
        and (
            f"model.json: /shapes/{NS}#GetJob/traits/smithy.waiters#waitable/Gone/acceptors/0/"
            f"matcher/errorType: ResourceNotFoundException is not an error {NS}#GetJob declares"
        )
        in warned[0]
    )


def test_waiter_names_are_spelt_as_boto3_spells_them() -> None:
    names = {"ProjectVersionRunning", "DBInstanceAvailable", "CertificateValidated", "JobDone"}
    models = REFERENCE / "models"
    for path in sorted(models.glob("**/*.json")) if models.is_dir() else []:
        for shape in json.loads(path.read_text("utf-8"))["shapes"].values():
            names.update(shape.get("traits", {}).get("smithy.waiters#waitable", {}))
    for name in sorted(names):
        assert naming.waiter_name(name) == xform_name(name)
        assert naming.waiter_method(name) == f"wait_until_{xform_name(name)}"


# -- the generated waiters against the generated stub -----------------------------------------


@pytest.fixture(scope="module", params=["awsJson1_1", "restJson1"])
def package(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("waiters")
    code, err = generate_model(root, wait_model(protocol=request.param))
    assert code == 0, err
    with imported(root / "out", "wait") as module:
        importlib.import_module("wait._waiting")  # the tests name its classes: `wait._waiting`
        yield module


def test_the_package_with_waiters_is_lint_clean(package: ModuleType) -> None:
    assert_lint_clean(Path(package.__file__).parent)
    assert package.WaiterError is package._waiting.WaiterError


class Clock:
    """Time that passes only when the waiter sleeps (or a call is said to take some)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def scripted_fake(package: ModuleType, steps: list[Any]) -> Any:
    """The generated fake, answering GetJob with each step in turn (the last one again):
    a dict of output members, or a modelled error to raise."""
    stub = __import__("wait.stub", fromlist=["InMemoryWait"])
    shapes = package.shapes

    class Scripted(stub.InMemoryWait):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.calls: list[str] = []

        def get_job(self, request: Any) -> Any:
            self.calls.append(request.job_id)
            step = steps[min(len(self.calls), len(steps)) - 1]
            if isinstance(step, Exception):
                raise step
            return shapes.GetJobOutput.from_dict(step)

    return Scripted()


def run(
    package: ModuleType, steps: list[Any], name: str, **config: Any
) -> tuple[Any, Clock, BaseException | None]:
    """Run waiter `name` with the generated client against the stub answering `steps`:
    (the fake, the clock, the error it ended with)."""
    fake = scripted_fake(package, steps)
    clock = Clock()
    with package.stub.serve(fake) as server:
        client = package.client.WaitClient(
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="AKID",
            aws_secret_access_key="SECRET",
        )
        waiter = client.get_waiter(name)
        waiter.clock, waiter.sleep, waiter.uniform = clock.clock, clock.sleep, max
        try:
            if "max_wait" in config:
                waiter.wait_until(None, {"job_id": "j-1"}, config["max_wait"])
            else:
                waiter.wait(job_id="j-1", **config)
        except Exception as error:
            return fake, clock, error
    return fake, clock, None


def test_success_on_the_first_answer_does_not_sleep(package: ModuleType) -> None:
    fake, clock, error = run(package, [{"Status": "DONE"}], "job_done")
    assert error is None and fake.calls == ["j-1"] and clock.sleeps == []


def test_retry_until_success_sleeps_the_models_backoff(package: ModuleType) -> None:
    steps = [{"Status": "QUEUED"}, {"Status": "RUNNING"}, {"Status": "RUNNING"}, {"Status": "DONE"}]
    fake, clock, error = run(package, steps, "job_done")
    assert error is None and len(fake.calls) == 4
    # minDelay 2, maxDelay 10, jitter at its top: 2, 4, 8.
    assert clock.sleeps == [2, 4, 8]


def test_a_failure_acceptor_raises_a_waiter_error_naming_the_waiter(package: ModuleType) -> None:
    _, _, error = run(package, [{"Status": "RUNNING"}, {"Status": "BROKEN"}], "job_done")
    assert isinstance(error, package._waiting.WaiterError)
    assert error.name == "JobDone" and "a failure state was reached" in str(error)
    assert error.last_output.status == "BROKEN"


def test_an_error_type_acceptor_matches_the_modelled_error(package: ModuleType) -> None:
    missing = package.errors.NoSuchJob(message="not yet")
    fake, _, error = run(package, [missing, missing, {"Status": "DONE"}], "job_done")
    assert error is None and len(fake.calls) == 3  # NoSuchJob is retry for JobDone
    fake, _, error = run(package, [{}, {}, missing], "job_gone")
    assert error is None and len(fake.calls) == 3  # and success for JobGone


def test_an_error_no_acceptor_expects_ends_the_wait(package: ModuleType) -> None:
    busy = package.errors.Busy(message="try later")
    fake, _, error = run(package, [{"Status": "RUNNING"}, busy], "job_done")
    assert isinstance(error, package._waiting.WaiterError)
    assert "the service answered Busy, which no acceptor expects" in str(error)
    assert isinstance(error.last_error, package.errors.Busy) and len(fake.calls) == 2


def test_boolean_input_output_and_list_comparators(package: ModuleType) -> None:
    _, _, error = run(package, [{"Ready": False}, {"Ready": True}], "job_ready")
    assert error is None
    fake, _, error = run(package, [{"Tags": ["x"]}, {"Tags": ["j-1", "x"]}], "job_tagged")
    assert error is None and len(fake.calls) == 2
    # allStringEquals is false on an empty list; anyStringEquals finds one.
    steps = [{"Tags": []}, {"Tags": ["done", "no"]}, {"Tags": ["done", "done"]}]
    fake, _, error = run(package, steps, "tags_all_done")
    assert error is None and len(fake.calls) == 3
    _, _, error = run(package, [{"Tags": []}, {"Tags": ["done", "lost"]}], "tags_all_done")
    assert isinstance(error, package._waiting.WaiterError)


def test_timeout_keeps_within_max_wait_and_says_how_long(package: ModuleType) -> None:
    fake, clock, error = run(package, [{"Status": "RUNNING"}], "job_done", max_wait=30)
    assert isinstance(error, package._waiting.WaiterError)
    assert "still not done after 6 attempts in 30 s" in str(error)
    # 2, 4, 8, then maxDelay 10; the last is cut so the final attempt starts minDelay (2 s)
    # before the 30 s are up, and no sleep is left after it.
    assert clock.sleeps == [2, 4, 8, 10, 4] and len(fake.calls) == 6
    assert sum(clock.sleeps) <= 30


def test_waiter_config_is_boto3s_fixed_delay_and_attempts(package: ModuleType) -> None:
    config = {"WaiterConfig": {"Delay": 5, "MaxAttempts": 3}}
    fake, clock, error = run(package, [{"Status": "RUNNING"}], "job_done", **config)
    assert isinstance(error, package._waiting.WaiterError)
    assert "still not done after 3 attempts" in str(error)
    assert clock.sleeps == [5, 5] and len(fake.calls) == 3


def test_the_typed_method_and_unknown_names(package: ModuleType) -> None:
    fake = scripted_fake(package, [{"Status": "DONE"}])
    with package.stub.serve(fake) as server:
        client = package.client.WaitClient(
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="AKID",
            aws_secret_access_key="SECRET",
        )
        assert client.wait_until_job_done(job_id="j-2", max_wait=60) is None
        request = package.shapes.GetJobInput(job_id="j-3")
        assert client.wait_until_job_done(request, max_wait=60) is None
        assert fake.calls == ["j-2", "j-3"]
        with pytest.raises(ValueError, match="no waiter 'JobDone'; the waiters are job_done"):
            client.get_waiter("JobDone")
        with pytest.raises(ValueError, match="max_wait must be a number of seconds"):
            client.wait_until_job_done(job_id="j-4", max_wait=-1)
        with pytest.raises(TypeError, match="unknown WaiterConfig keys"):
            client.get_waiter("job_done").wait(job_id="j-4", WaiterConfig={"Delay": 1, "X": 2})


# -- AWS's waiters beside boto3's: Rekognition (AWS JSON 1.1), Omics (restJson1) ---------------


def _official(
    tmp_path_factory: pytest.TempPathFactory, model: Path, package: str, operation: str
) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp(package)
    code, err = generate_files(root, [model], f"operations = {json.dumps([operation])}")
    assert code == 0, err
    with imported(root / "out", package) as module:
        importlib.import_module(f"{package}._waiting")
        yield module


@pytest.fixture(scope="module")
def rekognition(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    model = reference_file("models", "rekognition-2016-06-27.json")
    operation = "com.amazonaws.rekognition#DescribeProjectVersions"
    yield from _official(tmp_path_factory, model, "rekognition", operation)


@pytest.fixture(scope="module")
def omics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    model = reference_file("models", "aws-corpus", "restJson1", "omics-2022-11-28.json")
    yield from _official(tmp_path_factory, model, "omics", "com.amazonaws.omics#GetRun")


def scripted(package: ModuleType, method: str, answer: Any, steps: list[Any]) -> Any:
    """The package's generated fake, answering `method` with `answer(step)` for each step in
    turn (the last one again), or raising the step where it is an error."""
    stub = importlib.import_module(f"{package.__name__}.stub")
    fake_class = next(value for name, value in vars(stub).items() if name.startswith("InMemory"))

    def call(self: Any, request: Any) -> Any:
        self.calls += 1
        step = steps[min(self.calls, len(steps)) - 1]
        if isinstance(step, Exception):
            raise step
        return answer(step)

    fake = type("Scripted", (fake_class,), {method: call})()
    fake.calls = 0
    return fake


def outcomes(
    package: ModuleType,
    fakes: tuple[Any, Any],
    waiter: str,
    ours: dict[str, Any],
    theirs: dict[str, Any],
) -> tuple[tuple[str, int], tuple[str, int]]:
    """How our waiter and boto3's end against the stub, each with its own scripted fake, with
    `WaiterConfig` Delay 0 and MaxAttempts 4: (outcome, calls) each."""
    config = {"Delay": 0, "MaxAttempts": 4}
    keys = {**KEYS, "inject_host_prefix": False}
    with package.stub.serve(fakes[0]) as server:
        client_class = next(
            value for name, value in vars(package.client).items() if name.endswith("Client")
        )
        client = client_class(endpoint_url=server.url, **keys)
        try:
            client.get_waiter(waiter).wait(WaiterConfig=config, **ours)
            our_outcome = "success"
        except package.WaiterError as error:
            failed = "failure state" in error.reason
            our_outcome = "error" if error.last_error else "failure" if failed else "gave up"
    with package.stub.serve(fakes[1]) as server:
        boto = boto3.client(
            package.__name__,
            endpoint_url=server.url,
            config=botocore.config.Config(inject_host_prefix=False),
            **KEYS,
        )
        try:
            boto.get_waiter(waiter).wait(WaiterConfig=config, **theirs)
            their_outcome = "success"
        except botocore.exceptions.WaiterError as error:
            reason = str(error)
            their_outcome = (
                "failure"
                if "terminal failure state" in reason
                else "error" if "Unexpected error" in reason or "Exception" in reason else "gave up"
            )
    return (our_outcome, fakes[0].calls), (their_outcome, fakes[1].calls)


@pytest.mark.parametrize(
    "script",
    [
        [["RUNNING"]],
        [["STARTING"], ["STARTING", "RUNNING"], ["RUNNING", "RUNNING"]],
        [["STARTING"], ["RUNNING", "FAILED"]],
        [[], ["RUNNING"]],
        [["STARTING"]],
        ["ResourceNotFoundException"],
    ],
    ids=json.dumps,
)
def test_rekognition_project_version_running_agrees_with_boto3(
    rekognition: ModuleType, script: list[Any], no_aws_configuration: None
) -> None:
    shapes = rekognition.shapes

    def answer(statuses: list[str]) -> Any:
        versions = [shapes.ProjectVersionDescription(status=status) for status in statuses]
        return shapes.DescribeProjectVersionsResponse(project_version_descriptions=versions)

    def fake() -> Any:
        missing = rekognition.errors.ResourceNotFoundException(message="no such project")
        steps = [missing if step == "ResourceNotFoundException" else step for step in script]
        return scripted(rekognition, "describe_project_versions", answer, steps)

    ours, theirs = outcomes(
        rekognition,
        (fake(), fake()),
        "project_version_running",
        {"project_arn": PROJECT},
        {"ProjectArn": PROJECT},
    )
    assert ours == theirs


@pytest.mark.parametrize("waiter", ["run_running", "run_completed"])
@pytest.mark.parametrize(
    "script",
    [
        ["PENDING", "STARTING", "RUNNING", "COMPLETED"],
        ["STARTING", "CANCELLED"],
        ["RUNNING", "STOPPING", "FAILED"],
        ["DELETED"],
        ["PENDING", "ResourceNotFoundException"],
    ],
    ids=json.dumps,
)
def test_omics_run_waiters_agree_with_boto3(
    omics: ModuleType, waiter: str, script: list[str], no_aws_configuration: None
) -> None:
    def fake() -> Any:
        missing = omics.errors.ResourceNotFoundException(message="no such run")
        steps = [missing if step == "ResourceNotFoundException" else step for step in script]
        return scripted(
            omics,
            "get_run",
            lambda status: omics.shapes.GetRunResponse.from_dict({"status": status}),
            steps,
        )

    ours, theirs = outcomes(omics, (fake(), fake()), waiter, {"id": "1234"}, {"id": "1234"})
    assert ours == theirs


def test_every_waiter_of_the_reference_models_reads_without_a_problem() -> None:
    from types import SimpleNamespace

    from generator import ir, waiters

    models = REFERENCE / "models"
    if not models.is_dir():
        pytest.skip("reference data not available (CI provides ../shared beside the repo)")
    read = 0
    for path in sorted(models.glob("**/*.json")):
        shapes = json.loads(path.read_text("utf-8"))["shapes"]
        for shape_id, shape in shapes.items():
            trait = shape.get("traits", {}).get(waiters.TRAIT)
            if trait is None:
                continue
            # What the reader looks at: the input's members, the output's id, the errors' names.
            errors = [
                SimpleNamespace(name=ref["target"].partition("#")[2])
                for ref in shape.get("errors", [])
            ]
            output = SimpleNamespace(id=shape.get("output", {}).get("target", ir.UNIT_ID))
            operation = (SimpleNamespace(members=[]), output, errors)
            found, _ = waiters.read(path.name, shape_id, trait, operation)  # type: ignore[arg-type]
            read += len(found)
    # 117 waiters in the snapshot; some errorType acceptors name errors the operation does not
    # declare (the service-wide errors are not looked at here), which is a warning, not a fault.
    assert read >= 117


@settings(max_examples=20, database=None)
@given(
    min_delay=st.integers(1, 30),
    spread=st.integers(0, 200),
    max_wait=st.integers(0, 400),
    jitter=st.floats(0, 1),
)
def test_the_backoff_stays_within_the_model_and_the_max_wait(
    package: ModuleType, min_delay: int, spread: int, max_wait: int, jitter: float
) -> None:
    # The engine with any delays of the model, against the stub answering RUNNING for ever.
    waiting = package._waiting
    max_delay = min_delay + spread
    model = waiting.WaiterModel(
        name="JobDone",
        operation="get_job",
        input_class=package.shapes.GetJobInput,
        acceptors=(waiting.Acceptor("success", "output", "DONE", "Status", "stringEquals"),),
        min_delay=min_delay,
        max_delay=max_delay,
    )
    fake = scripted_fake(package, [{"Status": "RUNNING"}])
    clock = Clock()
    with package.stub.serve(fake) as server:
        client = package.client.WaitClient(endpoint_url=server.url, **KEYS)
        waiter = waiting.Waiter(client, model)
        waiter.clock, waiter.sleep = clock.clock, clock.sleep
        waiter.uniform = lambda low, high: low + (high - low) * jitter
        with pytest.raises(waiting.WaiterError, match="still not done"):
            waiter.wait_until(None, {"job_id": "j-1"}, max_wait)
    sleeps = clock.sleeps
    assert len(fake.calls) == len(sleeps) + 1
    assert all(0 < pause <= max_delay for pause in sleeps)
    assert all(pause >= min_delay for pause in sleeps[:-1])
    # The last attempt started at least minDelay before max_wait, and none could follow it.
    assert sum(sleeps) <= max(0, max_wait - min_delay)
    assert max_wait - sum(sleeps) <= min_delay
