"""The generated Rekognition client end to end, against a real HTTP server on 127.0.0.1.

The server checks every request's SigV4 signature by recomputing it with botocore, so a wrong
signature fails these tests; it answers from a script (responses, errors, delays, drops).
"""

from __future__ import annotations

import base64
import json
import math
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import rekognition
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rekognition import (
    AccessDeniedException,
    ChallengeType,
    ConnectionClosedError,
    GetFaceLivenessSessionResultsRequest,
    InternalServerError,
    InvalidParameterException,
    LivenessSessionStatus,
    ProvisionedThroughputExceededException,
    ReadTimeoutError,
    RekognitionClient,
    ServiceError,
    SessionNotFoundException,
    ThrottlingException,
    ValidationError,
)

from tests.aws_json_server import AwsJsonServer, Reply, running
from tests.conftest import GENERATED

SESSION_ID = "0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a"
ACCESS_KEY, SECRET_KEY, REGION = (
    "AKIDEXAMPLE",
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "us-east-1",
)
IMAGE = base64.b64encode(b"\xff\xd8 fake jpeg").decode()
RESPONSE = {
    "SessionId": SESSION_ID,
    "Status": "SUCCEEDED",
    "Confidence": 99.25,
    "ReferenceImage": {
        "Bytes": IMAGE,
        "BoundingBox": {"Width": 0.5, "Height": 0.6, "Left": 0.1, "Top": 0.2},
    },
    "AuditImages": [
        {"S3Object": {"Bucket": "audit-bucket", "Name": "a/1.jpg"}},
        {"Bytes": IMAGE},
    ],
    "Challenge": {"Type": "FaceMovementAndLightChallenge", "Version": "1.0.0"},
}


@pytest.fixture
def server() -> Iterator[AwsJsonServer]:
    with running(
        access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION, service="rekognition"
    ) as started:
        yield started


def local_client(server: AwsJsonServer, **settings: Any) -> RekognitionClient:
    """A client of the local server, with the test keys and whatever else `settings` says."""
    return RekognitionClient(
        region_name=REGION,
        endpoint_url=server.url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        **settings,
    )


@pytest.fixture
def client(server: AwsJsonServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[RekognitionClient]:
    for name in (
        "AWS_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    with local_client(server, read_timeout=2.0, connect_timeout=2.0) as made:
        yield made


def test_a_successful_call(server: AwsJsonServer, client: RekognitionClient) -> None:
    server.reply(Reply(body=RESPONSE))
    result = client.get_face_liveness_session_results(session_id=SESSION_ID)
    assert result.status is LivenessSessionStatus.SUCCEEDED
    assert result.confidence == 99.25
    assert result.challenge is not None
    assert result.challenge.type is ChallengeType.FACE_MOVEMENT_AND_LIGHT_CHALLENGE
    assert (
        result.reference_image is not None and result.reference_image.bytes == b"\xff\xd8 fake jpeg"
    )
    assert result.audit_images is not None and result.audit_images[0].s3_object is not None
    (request,) = server.requests
    assert request.signature_ok
    assert request.method == "POST" and request.path == "/"
    assert request.headers["X-Amz-Target"] == "RekognitionService.GetFaceLivenessSessionResults"
    assert request.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert request.headers["User-Agent"].startswith("shapesmith/")
    assert request.json() == {"SessionId": SESSION_ID}


def test_a_request_dataclass_works_too(server: AwsJsonServer, client: RekognitionClient) -> None:
    server.reply(Reply(body=RESPONSE))
    result = client.get_face_liveness_session_results(
        GetFaceLivenessSessionResultsRequest(session_id=SESSION_ID)
    )
    assert result.session_id == SESSION_ID
    with pytest.raises(TypeError):
        client.get_face_liveness_session_results(  # type: ignore[call-overload]
            GetFaceLivenessSessionResultsRequest(session_id=SESSION_ID), session_id=SESSION_ID
        )


def test_unknown_members_and_enum_values_in_responses(
    server: AwsJsonServer, client: RekognitionClient
) -> None:
    server.reply(Reply(body={**RESPONSE, "Status": "PAUSED", "SomethingNew": {"x": 1}}))
    result = client.get_face_liveness_session_results(session_id=SESSION_ID)
    assert result.status == "PAUSED"


def test_invalid_input_costs_no_request(server: AwsJsonServer, client: RekognitionClient) -> None:
    with pytest.raises(ValidationError) as raised:
        client.get_face_liveness_session_results(session_id="not-a-uuid")
    assert isinstance(raised.value, ValueError)
    assert [v.constraint for v in raised.value.violations] == ["length", "pattern"]
    assert server.requests == []


ERRORS = [
    (AccessDeniedException, 400),
    (InternalServerError, 500),
    (InvalidParameterException, 400),
    (ProvisionedThroughputExceededException, 400),
    (SessionNotFoundException, 400),
    (ThrottlingException, 500),
]


@pytest.mark.parametrize(("error_class", "status"), ERRORS)
def test_each_modelled_error(
    server: AwsJsonServer,
    client: RekognitionClient,
    error_class: type[ServiceError],
    status: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = {
        "__type": f"com.amazonaws.rekognition#{error_class.shape_name}",
        "Message": "it went wrong",
        "Code": "E42",
        "Logref": "log-1",
    }
    # Retryable errors are answered the same way on every attempt.
    server.default = Reply(status=status, body=body)
    monkeypatch.setattr(client._caller, "_sleep", lambda seconds: None)
    with pytest.raises(error_class) as raised:
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    error = raised.value
    assert isinstance(error, rekognition.RekognitionError)
    assert str(error) == "it went wrong"
    assert (error.code, error.logref) == ("E42", "log-1")  # type: ignore[attr-defined]
    assert error.error_code == error_class.shape_name
    assert error.status_code == status
    assert error.request_id is not None and error.request_id.startswith("request-")
    expected_attempts = 3 if error_class.retryable or status >= 500 else 1
    assert len(server.requests) == expected_attempts
    assert all(r.signature_ok for r in server.requests)


def test_an_unknown_error_keeps_everything(
    server: AwsJsonServer, client: RekognitionClient
) -> None:
    server.reply(
        Reply(
            status=403,
            body={"message": "nope"},
            headers={"x-amzn-ErrorType": "UnrecognizedClientException:http://internal/"},
        )
    )
    with pytest.raises(ServiceError) as raised:
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    error = raised.value
    assert type(error) is ServiceError
    assert error.error_code == "UnrecognizedClientException"
    assert str(error) == "nope"
    assert error.status_code == 403
    assert error.raw_body == b'{"message": "nope"}'


def test_throttling_then_success_on_the_third_attempt(
    server: AwsJsonServer, client: RekognitionClient
) -> None:
    throttled = Reply(
        status=400,
        body={"__type": "ProvisionedThroughputExceededException", "Message": "slow down"},
    )
    server.reply(throttled, throttled, Reply(body=RESPONSE))
    started = time.monotonic()
    result = client.get_face_liveness_session_results(session_id=SESSION_ID)
    assert result.session_id == SESSION_ID
    assert len(server.requests) == 3
    attempts = [r.headers["amz-sdk-request"] for r in server.requests]
    assert attempts == ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
    assert len({r.headers["amz-sdk-invocation-id"] for r in server.requests}) == 1
    assert len({r.headers["X-Amz-Date"] for r in server.requests}) >= 1
    assert time.monotonic() - started < 10  # full jitter: at most 1 s + 2 s of waiting


def test_a_timeout_is_not_repeated_for_a_call_that_is_not_idempotent(
    server: AwsJsonServer, client: RekognitionClient
) -> None:
    server.reply(Reply(body=RESPONSE, delay=3.0))
    with pytest.raises(ReadTimeoutError) as raised:
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    assert raised.value.request_sent
    assert len(server.requests) == 1


def test_a_dropped_connection(server: AwsJsonServer, client: RekognitionClient) -> None:
    server.reply(Reply(drop=True))
    with pytest.raises(ConnectionClosedError):
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    assert len(server.requests) == 1
    server.reply(Reply(body=RESPONSE))
    assert client.get_face_liveness_session_results(session_id=SESSION_ID).session_id == SESSION_ID


def test_retry_mode_off(server: AwsJsonServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.default = Reply(status=500, body={"__type": "InternalServerError"})
    with local_client(server, retry_mode="off") as client, pytest.raises(InternalServerError):
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    assert len(server.requests) == 1


def test_waits_between_attempts_are_jittered_exponential_backoff(
    server: AwsJsonServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.default = Reply(status=500, body={"__type": "InternalServerError"})
    waits: list[float] = []
    with local_client(server, max_attempts=5) as client:
        monkeypatch.setattr(client._caller, "_sleep", waits.append)
        with pytest.raises(InternalServerError):
            client.get_face_liveness_session_results(session_id=SESSION_ID)
    assert len(server.requests) == 5
    # Full jitter: a uniform draw below 1, 2, 4 and 8 seconds.
    assert len(waits) == 4
    assert all(0 <= wait < 2**attempt for attempt, wait in enumerate(waits))


def test_the_jitter_is_uniform_on_the_unit_interval() -> None:
    from rekognition._retries import uniform_draw

    draws = [uniform_draw() for _ in range(2000)]
    assert all(0.0 <= draw < 1.0 for draw in draws)
    # Mean and spread of 2000 uniform draws: 0.5 +- 0.0065 and 0.289 (outside the bounds
    # below only with a probability far under 1e-20).
    assert 0.45 < sum(draws) / len(draws) < 0.55
    assert len(set(draws)) == len(draws)
    assert min(draws) < 0.05 and max(draws) > 0.95


def test_keep_alive_reuses_one_connection(server: AwsJsonServer, client: RekognitionClient) -> None:
    server.default = Reply(body=RESPONSE)
    started = time.monotonic()
    for _ in range(200):
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    # Well under a second unless something (Nagle, reconnects) stalls every call.
    assert time.monotonic() - started < 5
    assert len(server.requests) == 200


# -- wire equality with botocore -------------------------------------------------------------


def botocore_client(url: str) -> Any:
    return boto3.client(
        "rekognition",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def test_the_request_equals_botocores(server: AwsJsonServer, client: RekognitionClient) -> None:
    server.default = Reply(body=RESPONSE)
    client.get_face_liveness_session_results(session_id=SESSION_ID)
    botocore_client(server.url).get_face_liveness_session_results(SessionId=SESSION_ID)
    ours, theirs = server.requests
    assert theirs.signature_ok and ours.signature_ok
    assert (ours.method, ours.path, ours.json()) == (theirs.method, theirs.path, theirs.json())
    for header in ("X-Amz-Target", "Content-Type", "Host"):
        assert ours.headers[header] == theirs.headers[header], header

    def signed(request: Any) -> str:
        return str(request.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0])

    assert set(signed(theirs).split(";")) <= set(signed(ours).split(";")) | {"x-amz-content-sha256"}


@pytest.mark.parametrize(
    "body",
    [
        RESPONSE,
        {**RESPONSE, "Confidence": 0, "AuditImages": []},
        {"SessionId": SESSION_ID, "Status": "EXPIRED"},
        {**RESPONSE, "ReferenceImage": {"BoundingBox": {"Width": 1e-9, "Height": 1.5}}},
    ],
)
def test_responses_parse_like_botocore(
    server: AwsJsonServer, client: RekognitionClient, body: dict[str, Any]
) -> None:
    server.default = Reply(body=body)
    ours = client.get_face_liveness_session_results(session_id=SESSION_ID).to_dict()
    theirs = botocore_client(server.url).get_face_liveness_session_results(SessionId=SESSION_ID)
    theirs.pop("ResponseMetadata")
    assert ours == theirs


def test_error_bodies_parse_like_botocore(server: AwsJsonServer, client: RekognitionClient) -> None:
    server.default = Reply(
        status=400,
        body={"__type": "SessionNotFoundException", "Message": "no such session", "Code": "X"},
    )
    with pytest.raises(SessionNotFoundException) as ours:
        client.get_face_liveness_session_results(session_id=SESSION_ID)
    with pytest.raises(ClientError) as theirs:
        botocore_client(server.url).get_face_liveness_session_results(SessionId=SESSION_ID)
    error = theirs.value.response["Error"]
    assert ours.value.error_code == error["Code"]
    assert str(ours.value) == error["Message"]
    assert ours.value.status_code == theirs.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_nan_and_infinity_travel_as_the_protocol_spells_them() -> None:
    from rekognition import _awsjson, _json_values

    assert _json_values.encode_float(math.nan) == "NaN"
    assert _json_values.encode_float(-math.inf) == "-Infinity"
    assert math.isnan(_json_values.decode_float("NaN"))
    parsed = _awsjson._deserialize_bounding_box({"Width": "Infinity", "Height": "-Infinity"})
    assert parsed.width == math.inf and parsed.height == -math.inf


# -- the same, over generated inputs ---------------------------------------------------------

json_floats = st.floats(allow_nan=False, allow_infinity=False, width=32)
boxes = st.fixed_dictionaries(
    {},
    optional={"Width": json_floats, "Height": json_floats, "Left": json_floats, "Top": json_floats},
)
images = st.fixed_dictionaries(
    {},
    optional={
        "Bytes": st.binary(max_size=16).map(lambda b: base64.b64encode(b).decode()),
        "S3Object": st.fixed_dictionaries(
            {}, optional={"Bucket": st.text(max_size=8), "Name": st.text(max_size=8)}
        ),
        "BoundingBox": boxes,
    },
)
responses = st.fixed_dictionaries(
    {"SessionId": st.text(max_size=40), "Status": st.sampled_from(["CREATED", "FAILED", "NEW"])},
    optional={
        "Confidence": json_floats,
        "ReferenceImage": images,
        "AuditImages": st.lists(images, max_size=3),
        "Challenge": st.fixed_dictionaries(
            {
                "Type": st.sampled_from(["FaceMovementChallenge", "X"]),
                "Version": st.text(max_size=5),
            }
        ),
        "Feedback": st.lists(
            st.fixed_dictionaries(
                {
                    "Code": st.sampled_from(["FACE_NOT_VISIBLE", "OTHER"]),
                    "Message": st.text(max_size=9),
                }
            ),
            max_size=2,
        ),
        "Unmodelled": st.integers(),
    },
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(session_id=st.text(min_size=36, max_size=36), body=responses)
def test_requests_and_responses_agree_with_botocore_on_generated_values(
    server: AwsJsonServer, session_id: str, body: dict[str, Any]
) -> None:
    server.requests.clear()
    server.default = Reply(body=body)
    # botocore checks lengths, not patterns: send what it would send.
    with local_client(server, validate_input=False) as client:
        ours = client.get_face_liveness_session_results(session_id=session_id).to_dict()
    theirs = botocore_client(server.url).get_face_liveness_session_results(SessionId=session_id)
    theirs.pop("ResponseMetadata")
    first, second = server.requests
    assert first.signature_ok and second.signature_ok
    assert first.json() == second.json()
    assert ours == theirs


# -- what building a client costs ------------------------------------------------------------

_STARTUP_PROBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
before = set(sys.modules)
import rekognition
for options in (
    {"region_name": "us-east-1"},
    {"region_name": "eu-west-1", "endpoint_url": "http://127.0.0.1:1", "use_fips_endpoint": False},
    {"region_name": "cn-north-1", "use_dualstack_endpoint": True},
):
    client = rekognition.RekognitionClient(aws_access_key_id="a", aws_secret_access_key="b", **options)
    client.close()
built = sorted(set(sys.modules) - before)
client = rekognition.RekognitionClient(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
try:
    client.get_face_liveness_session_results(session_id="not valid")
except rekognition.ValidationError:
    pass
print(json.dumps({"built": built, "called": sorted(set(sys.modules) - before)}))
"""


def test_building_a_client_imports_only_its_own_small_modules(tmp_path: Path) -> None:
    """The import-time design, checked by what is imported rather than by a clock: building a
    client loads the package root, the client, settings and endpoint rules, and no standard
    library module beyond `__future__` and `types` (no typing, dataclasses, re, logging, json,
    http or ssl). The first call brings in the rest."""
    environment = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    completed = subprocess.run(
        [sys.executable, "-I", "-c", _STARTUP_PROBE, str(GENERATED)],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    loaded = json.loads(completed.stdout)
    standard_library = {name for name in loaded["built"] if not name.startswith("rekognition")}
    assert standard_library <= {"__future__", "types"}
    assert {"rekognition", "rekognition.client", "rekognition._config"} <= set(loaded["built"])
    assert "rekognition.shapes" not in loaded["built"]
    assert {"rekognition.shapes", "rekognition.validators", "dataclasses"} <= set(loaded["called"])
    assert "socket" not in loaded["called"], "invalid input must not open a connection"


def test_invocation_ids_and_idempotency_tokens_are_version_4_uuids() -> None:
    from rekognition._protocol import new_uuid4

    made = {new_uuid4() for _ in range(2000)}
    assert len(made) == 2000
    for text in made:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == text
