"""The generated stub against real peers: boto3, the generated client, raw sockets and WSGI servers.

Every server here is real (127.0.0.1, a free port) and every client is real; nothing is mocked.
botocore parses every response the stub sends, including the error responses to requests boto3
itself would never send, so a response it could not parse fails the test.
"""

from __future__ import annotations

import http.client
import json
import socket
import socketserver
import threading
import uuid
import wsgiref.simple_server
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import create_parser
from rekognition import (
    AccessDeniedException,
    InternalServerError,
    InvalidParameterException,
    LivenessSessionStatus,
    ProvisionedThroughputExceededException,
    ReadTimeoutError,
    RekognitionClient,
    SessionNotFoundException,
    ThrottlingException,
    ValidationError,
)
from rekognition.errors import ServiceError
from rekognition.shapes import (
    CreateFaceLivenessSessionRequest,
    CreateFaceLivenessSessionResponse,
    GetFaceLivenessSessionResultsRequest,
    GetFaceLivenessSessionResultsResponse,
)
from rekognition.stub import (
    HEALTH_PATH,
    Faults,
    InMemoryRekognition,
    StubServer,
    create_app,
    fixtures_from_data,
    serve,
)

REGION = "us-east-1"
ACCESS_KEY, SECRET_KEY = "AKIDSTUBTEST", "stub-secret"
TARGET = "RekognitionService."
CONTENT_TYPE = "application/x-amz-json-1.1"
SESSION = "3f1c6a52-0b8e-4c1e-9a57-6f1b2c3d4e5f"


def boto(url: str, **config: Any) -> Any:
    return boto3.client(
        "rekognition",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"mode": "standard", "max_attempts": 1}, **config),
    )


def ours(url: str, **options: Any) -> RekognitionClient:
    return RekognitionClient(
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        **options,
    )


@pytest.fixture
def fake() -> InMemoryRekognition:
    return InMemoryRekognition()


@pytest.fixture
def server(fake: InMemoryRekognition) -> Iterator[StubServer]:
    with serve(fake) as running:
        yield running


# -- raw HTTP, and botocore's parser as the judge of every answer -------------------------------

_OPERATIONS = botocore.session.get_session().get_service_model("rekognition")
_PARSER = create_parser("json")


def raw_post(
    url: str, body: bytes, *, target: str = "GetFaceLivenessSessionResults", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        sent = {"Content-Type": CONTENT_TYPE, "X-Amz-Target": TARGET + target, **headers}
        connection.request("POST", "/", body=body, headers=sent)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def botocore_parses_error(status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """botocore's reading of an error response: it must find the code the stub sent."""
    operation = _OPERATIONS.operation_model("GetFaceLivenessSessionResults")
    parsed = _PARSER.parse(
        {"status_code": status, "headers": headers, "body": body}, operation.output_shape
    )
    error: dict[str, Any] = parsed["Error"]
    assert error["Code"] == headers["x-amzn-errortype"]
    assert json.loads(body)["__type"] == error["Code"]
    return error


def healthy(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", HEALTH_PATH)
        return connection.getresponse().status == 200
    finally:
        connection.close()


# -- boto3 against the stub ----------------------------------------------------------------------


def test_boto3_creates_a_session_and_polls_it_through_its_states(
    server: StubServer, fake: InMemoryRekognition
) -> None:
    client = boto(server.url)
    created = client.create_face_liveness_session(
        Settings={"AuditImagesLimit": 2, "OutputConfig": {"S3Bucket": "liveness-bucket"}}
    )
    session_id = created["SessionId"]
    assert uuid.UUID(session_id).version == 4
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert created["ResponseMetadata"]["RequestId"]

    fake.script(
        "FaceLivenessSession",
        session_id,
        [
            {"Status": "IN_PROGRESS"},
            {
                "Status": "SUCCEEDED",
                "Confidence": 98.25,
                "ReferenceImage": {
                    "Bytes": b"\x89PNG reference",
                    "BoundingBox": {"Width": 0.5, "Height": 0.5, "Left": 0.25, "Top": 0.25},
                },
                "AuditImages": [{"S3Object": {"Bucket": "liveness-bucket", "Name": "audit-1"}}],
                "Challenge": {"Type": "FaceMovementChallenge", "Version": "1.0.0"},
            },
        ],
    )
    seen = [
        client.get_face_liveness_session_results(SessionId=session_id)["Status"] for _ in range(2)
    ]
    assert seen == ["IN_PROGRESS", "SUCCEEDED"]
    final = client.get_face_liveness_session_results(SessionId=session_id)
    assert final["Status"] == "SUCCEEDED" and final["Confidence"] == 98.25
    assert final["ReferenceImage"]["Bytes"] == b"\x89PNG reference"
    assert final["AuditImages"][0]["S3Object"]["Name"] == "audit-1"
    assert final["Challenge"] == {"Type": "FaceMovementChallenge", "Version": "1.0.0"}


@pytest.mark.parametrize("status", ["FAILED", "EXPIRED"])
def test_sessions_end_failed_or_expired_when_a_test_says_so(
    server: StubServer, fake: InMemoryRekognition, status: str
) -> None:
    client = boto(server.url)
    session_id = client.create_face_liveness_session()["SessionId"]
    fake.update("FaceLivenessSession", session_id, {"Status": status})
    assert client.get_face_liveness_session_results(SessionId=session_id)["Status"] == status


def test_the_same_client_request_token_returns_the_same_session(server: StubServer) -> None:
    client = boto(server.url)
    first = client.create_face_liveness_session(ClientRequestToken="retry-me-1")["SessionId"]
    again = client.create_face_liveness_session(ClientRequestToken="retry-me-1")["SessionId"]
    other = client.create_face_liveness_session(ClientRequestToken="retry-me-2")["SessionId"]
    assert first == again != other


def test_an_unknown_session_is_session_not_found(server: StubServer) -> None:
    with pytest.raises(ClientError) as raised:
        boto(server.url).get_face_liveness_session_results(SessionId=SESSION)
    error = raised.value.response["Error"]
    assert error["Code"] == "SessionNotFoundException"
    assert SESSION in error["Message"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_test_cannot_move_a_session_into_a_state_the_model_forbids(
    server: StubServer, fake: InMemoryRekognition
) -> None:
    session_id = boto(server.url).create_face_liveness_session()["SessionId"]
    with pytest.raises(ValidationError, match="Confidence"):
        fake.update("FaceLivenessSession", session_id, {"Confidence": 101.0})
    with pytest.raises(ValidationError, match="Status"):
        fake.script("FaceLivenessSession", session_id, [{"Status": "DONE"}])
    with pytest.raises(ValueError, match="/Confidence: an integer of more than 1000 digits"):
        fake.update("FaceLivenessSession", session_id, {"Confidence": 10**5000})
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValueError, match=r"/AuditImages/0/0/0/.*: nested more than"):
        fake.script("FaceLivenessSession", session_id, [{"AuditImages": deep}])


@pytest.mark.parametrize(
    ("params", "violations"),
    [
        ({"SessionId": "not-a-uuid"}, ["SessionId: length", "SessionId: pattern"]),
        ({"SessionId": SESSION.upper()}, ["SessionId: pattern"]),
    ],
)
def test_constraint_violations_are_invalid_parameter_exceptions_listing_each(
    server: StubServer, params: dict[str, str], violations: list[str]
) -> None:
    # botocore checks lengths, not patterns; turn its own checks off to reach the stub.
    client = boto(server.url, parameter_validation=False)
    with pytest.raises(ClientError) as raised:
        client.get_face_liveness_session_results(**params)
    error = raised.value.response["Error"]
    assert error["Code"] == "InvalidParameterException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Message"].startswith(f"{len(violations)} validation error")
    for violation in violations:
        assert violation in error["Message"]


def test_nested_violations_name_their_path(server: StubServer) -> None:
    client = boto(server.url, parameter_validation=False)
    with pytest.raises(ClientError) as raised:
        client.create_face_liveness_session(
            Settings={
                "AuditImagesLimit": 5,
                "OutputConfig": {"S3Bucket": "b"},
                "ChallengePreferences": [
                    {"Type": "FaceMovementChallenge", "Versions": {"Minimum": "1.0"}}
                ],
            }
        )
    message = raised.value.response["Error"]["Message"]
    assert message.startswith("4 validation errors")
    for path in (
        "Settings.AuditImagesLimit: range",
        "Settings.OutputConfig.S3Bucket: length",
        "Settings.ChallengePreferences[0].Versions.Minimum: length",
        "Settings.ChallengePreferences[0].Versions.Minimum: pattern",
    ):
        assert path in message


class RaisesEveryError:
    """A handler of our own: answers GetFaceLivenessSessionResults with the error it is told."""

    def __init__(self) -> None:
        self.error: Exception = RuntimeError("unset")

    def create_face_liveness_session(
        self, request: CreateFaceLivenessSessionRequest
    ) -> CreateFaceLivenessSessionResponse:
        return CreateFaceLivenessSessionResponse(session_id=SESSION)

    def get_face_liveness_session_results(
        self, request: GetFaceLivenessSessionResultsRequest
    ) -> GetFaceLivenessSessionResultsResponse:
        raise self.error


MODELLED = [
    (AccessDeniedException, 400),
    (InternalServerError, 500),
    (InvalidParameterException, 400),
    (ProvisionedThroughputExceededException, 400),
    (SessionNotFoundException, 400),
    (ThrottlingException, 500),
]


@pytest.fixture(scope="module")
def error_server() -> Iterator[tuple[StubServer, RaisesEveryError]]:
    handler = RaisesEveryError()
    with serve(handler) as running:
        yield running, handler


@pytest.mark.parametrize(
    ("error_type", "status"), MODELLED, ids=lambda x: getattr(x, "__name__", x)
)
def test_each_modelled_error_reaches_boto3_with_its_status_and_members(
    error_server: tuple[StubServer, RaisesEveryError], error_type: type[Any], status: int
) -> None:
    server, handler = error_server
    handler.error = error_type(message="it went wrong", code="E42", logref="log-1")
    with pytest.raises(ClientError) as raised:
        boto(server.url).get_face_liveness_session_results(SessionId=SESSION)
    response = raised.value.response
    assert response["Error"]["Code"] == error_type.__name__
    assert response["Error"]["Message"] == "it went wrong"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == error_type.__name__
    assert response["ResponseMetadata"]["RequestId"]


@pytest.mark.parametrize(
    ("error_type", "status"), MODELLED, ids=lambda x: getattr(x, "__name__", x)
)
def test_each_modelled_error_reaches_the_generated_client_as_its_class(
    error_server: tuple[StubServer, RaisesEveryError], error_type: type[Any], status: int
) -> None:
    server, handler = error_server
    handler.error = error_type(message="it went wrong", code="E42", logref="log-1")
    with ours(server.url, retry_mode="off") as client, pytest.raises(error_type) as raised:
        client.get_face_liveness_session_results(session_id=SESSION)
    assert raised.value.status_code == status
    assert (raised.value.message, raised.value.code, raised.value.logref) == (
        "it went wrong",
        "E42",
        "log-1",
    )


def test_a_handler_crash_is_a_500_without_its_details(
    error_server: tuple[StubServer, RaisesEveryError], caplog: pytest.LogCaptureFixture
) -> None:
    server, handler = error_server
    handler.error = KeyError("secret internal detail")
    status, headers, body = raw_post(server.url, json.dumps({"SessionId": SESSION}).encode())
    assert status == 500
    error = botocore_parses_error(status, headers, body)
    assert error["Code"] == "InternalServerError"
    assert b"secret" not in body and b"Traceback" not in body
    assert "secret internal detail" in caplog.text  # the log keeps what the body must not


class ReturnsBadOutput(RaisesEveryError):
    def get_face_liveness_session_results(
        self, request: GetFaceLivenessSessionResultsRequest
    ) -> GetFaceLivenessSessionResultsResponse:
        return GetFaceLivenessSessionResultsResponse(
            session_id="short", status=LivenessSessionStatus.SUCCEEDED, confidence=250.0
        )


def test_a_handler_answer_that_breaks_the_model_is_a_500_never_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with serve(ReturnsBadOutput()) as server, pytest.raises(ClientError) as raised:
        boto(server.url).get_face_liveness_session_results(SessionId=SESSION)
    response = raised.value.response
    assert response["Error"]["Code"] == "InternalServerError"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "Confidence: range" in response["Error"]["Message"]
    assert "SessionId: length" in caplog.text


# -- protocol errors, for requests boto3 would never send ---------------------------------------


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        (b'{"SessionId": ', {}, 400, "SerializationException"),
        (b"[1, 2]", {}, 400, "SerializationException"),
        (b'{"SessionId": NaN}', {}, 400, "SerializationException"),
        (b'{"SessionId": "\xff\xfe"}', {}, 400, "SerializationException"),
        (b"[" * 100_000 + b"]" * 100_000, {}, 400, "SerializationException"),
        (
            b"{}",
            {"X-Amz-Target": "RekognitionService.DeleteEverything"},
            400,
            "UnknownOperationException",
        ),
        (
            b"{}",
            {"X-Amz-Target": "OtherService.GetFaceLivenessSessionResults"},
            400,
            "UnknownOperationException",
        ),
        (
            b"{}",
            {"X-Amz-Target": "XRekognitionService.GetFaceLivenessSessionResults"},
            400,
            "UnknownOperationException",
        ),
        (
            b"{}",
            {"X-Amz-Target": "RekognitionService.GetFaceLivenessSessionResults.Again"},
            400,
            "UnknownOperationException",
        ),
        (b"{}", {"Content-Type": "application/json"}, 415, "UnsupportedMediaTypeException"),
        (b"{}", {"Content-Type": "text/plain"}, 415, "UnsupportedMediaTypeException"),
        (b'{"SessionId": 7}', {}, 400, "InvalidParameterException"),
        (
            b'{"SessionId": "' + SESSION.encode() + b'", "Extra": 1}',
            {},
            400,
            "InvalidParameterException",
        ),
        (b"{}", {}, 400, "InvalidParameterException"),
    ],
    ids=[
        "truncated-json",
        "not-an-object",
        "nan-literal",
        "not-utf8",
        "deeply-nested",
        "unknown-operation",
        "other-service",
        "look-alike-prefix",
        "dotted-operation",
        "json-content-type",
        "text-content-type",
        "wrong-type",
        "unknown-member",
        "missing-required",
    ],
)
def test_malformed_requests_get_a_clear_4xx_botocore_can_read(
    server: StubServer, body: bytes, headers: dict[str, str], status: int, code: str
) -> None:
    got_status, got_headers, got_body = raw_post(server.url, body, **headers)
    assert (got_status, botocore_parses_error(got_status, got_headers, got_body)["Code"]) == (
        status,
        code,
    )
    assert healthy(server.url)


def test_a_namespaced_target_prefix_routes_like_the_service_name(server: StubServer) -> None:
    """botocore sends some services' targets in an older namespaced form (CloudTrail's
    `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.AddTags`); AWS routes both."""
    body = json.dumps({"SessionId": SESSION}).encode()
    for prefix in ("RekognitionService", "com.amazonaws.rekognition.v1.RekognitionService"):
        status, _, answer = raw_post(
            server.url, body, **{"X-Amz-Target": f"{prefix}.GetFaceLivenessSessionResults"}
        )
        assert (status, json.loads(answer)["__type"]) == (400, "SessionNotFoundException")


def test_other_paths_and_methods_are_refused_and_health_is_not_on_the_service_path(
    server: StubServer,
) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert response.status == 405 and json.loads(response.read())["__type"]
    connection.request("POST", "/elsewhere", body=b"{}")
    response = connection.getresponse()
    assert response.status == 404 and json.loads(response.read())["__type"]
    connection.request("GET", HEALTH_PATH)
    response = connection.getresponse()
    assert response.status == 200 and json.loads(response.read()) == {"status": "ok"}
    connection.close()


def _raw_exchange(url: str, request: bytes, *, shutdown_write: bool = False) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        if shutdown_write:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and not shutdown_write:
                break
        return b"".join(chunks)


def _head(target: str, length: int | str, extra: str = "") -> bytes:
    return (
        f"POST / HTTP/1.1\r\nHost: stub\r\nContent-Type: {CONTENT_TYPE}\r\n"
        f"X-Amz-Target: {TARGET}{target}\r\nContent-Length: {length}\r\n{extra}\r\n"
    ).encode()


def test_hostile_connections_get_a_4xx_and_the_stub_keeps_serving(server: StubServer) -> None:
    truncated = _raw_exchange(
        server.url, _head("GetFaceLivenessSessionResults", 100) + b'{"Sess', shutdown_write=True
    )
    assert truncated.startswith(b"HTTP/1.1 400") and b"SerializationException" in truncated

    huge = _raw_exchange(server.url, _head("GetFaceLivenessSessionResults", 10**12))
    assert huge.startswith(b"HTTP/1.1 413") and b"Connection: close" in huge

    flood = "".join(f"X-Flood-{i}: {'v' * 50}\r\n" for i in range(500))
    flooded = _raw_exchange(server.url, _head("GetFaceLivenessSessionResults", 2, flood) + b"{}")
    assert flooded.startswith(b"HTTP/1.1 431")

    long_line = _raw_exchange(server.url, b"POST /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert long_line.startswith(b"HTTP/1.1 414")

    garbage = _raw_exchange(server.url, b"\x00\x01\x02 nonsense\r\n\r\n", shutdown_write=True)
    assert garbage.startswith(b"HTTP/1.1 400") and b"BadRequestException" in garbage

    assert healthy(server.url)
    assert boto(server.url).create_face_liveness_session()["SessionId"]


def test_a_body_over_the_configured_limit_is_refused_before_it_is_read() -> None:
    with serve(max_body_bytes=64) as server:
        status, headers, body = raw_post(server.url, json.dumps({"SessionId": "x" * 100}).encode())
        assert status == 413
        assert json.loads(body)["__type"] == "RequestEntityTooLargeException"
        assert headers["connection"] == "close"
        status, _, _ = raw_post(server.url, json.dumps({"SessionId": SESSION}).encode())
        assert status == 400  # small enough: read, and answered SessionNotFound


# -- the generated client against the stub: faults and retries -------------------------------


def test_the_generated_client_runs_the_whole_flow(
    server: StubServer, fake: InMemoryRekognition
) -> None:
    with ours(server.url) as client:
        session_id = client.create_face_liveness_session(client_request_token="token-1").session_id
        fake.update("FaceLivenessSession", session_id, {"Status": "SUCCEEDED", "Confidence": 77.5})
        result = client.get_face_liveness_session_results(session_id=session_id)
    assert result.status is LivenessSessionStatus.SUCCEEDED and result.confidence == 77.5


def test_throttling_twice_then_success_takes_three_attempts() -> None:
    faults = Faults().queue("GetFaceLivenessSessionResults", "throttle", "throttle")
    fake = InMemoryRekognition()
    with serve(fake, faults=faults) as server, ours(server.url, max_attempts=3) as client:
        session_id = client.create_face_liveness_session().session_id
        assert (
            client.get_face_liveness_session_results(session_id=session_id).session_id == session_id
        )
        assert faults.pending("GetFaceLivenessSessionResults") == 0


def test_throttling_past_the_attempt_budget_raises_the_modelled_error() -> None:
    faults = Faults().queue("GetFaceLivenessSessionResults", *["throttle"] * 3)
    with (
        serve(faults=faults) as server,
        ours(server.url, max_attempts=2) as client,
        pytest.raises(ThrottlingException) as raised,
    ):
        client.get_face_liveness_session_results(session_id=SESSION)
    assert raised.value.status_code == 500
    assert faults.pending("GetFaceLivenessSessionResults") == 1


def test_injected_500s_errors_and_dropped_connections_are_retried() -> None:
    faults = Faults().queue(
        "CreateFaceLivenessSession",
        "internal",
        "drop",
        "error:ProvisionedThroughputExceededException",
    )
    with serve(faults=faults) as server, ours(server.url, max_attempts=4) as client:
        assert client.create_face_liveness_session().session_id
    assert faults.pending("CreateFaceLivenessSession") == 0


def test_an_injected_error_that_is_not_retryable_is_raised_at_once() -> None:
    faults = Faults().queue("CreateFaceLivenessSession", "error:AccessDeniedException")
    with (
        serve(faults=faults) as server,
        ours(server.url) as client,
        pytest.raises(AccessDeniedException),
    ):
        client.create_face_liveness_session()


def test_an_injected_delay_is_a_read_timeout() -> None:
    faults = Faults().queue("CreateFaceLivenessSession", "delay:1.5")
    with serve(faults=faults) as server:
        with (
            ours(server.url, read_timeout=0.3, retry_mode="off") as client,
            pytest.raises(ReadTimeoutError),
        ):
            client.create_face_liveness_session()
        assert healthy(server.url)


def test_chances_are_drawn_with_a_seed() -> None:
    faults = Faults(seed=3).chance("GetFaceLivenessSessionResults", "internal", 0.5)
    with serve(faults=faults) as server:
        statuses = [
            raw_post(server.url, json.dumps({"SessionId": SESSION}).encode())[0] for _ in range(40)
        ]
    assert 5 < statuses.count(500) < 35 and statuses.count(400) == 40 - statuses.count(500)


def test_unknown_fault_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="not a modelled error"):
        create_app(faults=Faults().queue("CreateFaceLivenessSession", "error:NoSuchError"))
    with pytest.raises(ValueError, match="unknown fault"):
        Faults().queue("CreateFaceLivenessSession", "explode")


# -- concurrency and keep-alive ------------------------------------------------------------------


def test_eight_threads_of_200_calls_get_their_own_answers(server: StubServer) -> None:
    failures: list[str] = []

    def worker(index: int) -> None:
        with ours(server.url) as client:
            own = client.create_face_liveness_session(client_request_token=f"worker-{index}")
            for _ in range(200):
                got = client.get_face_liveness_session_results(session_id=own.session_id)
                if got.session_id != own.session_id:
                    failures.append(f"worker {index} got {got.session_id}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []


def test_each_response_leaves_in_one_write_with_nagle_off(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With headers and body in separate writes, Nagle's algorithm and delayed ACKs stall each
    # keep-alive call for ~40 ms (200 calls: 8 s or more). Rather than time the calls (the
    # benchmark does: `python -m benchmarks stub`), count the writes the server makes on its real
    # sockets and check that each socket has Nagle off.
    writes: list[tuple[int, bool]] = []
    real_write = socketserver._SocketWriter.write

    def counted(writer: Any, data: bytes) -> int:
        sock = writer._sock
        if sock.getsockname()[1] == server.port:  # not another server still running in-process
            nodelay = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            writes.append((len(data), bool(nodelay)))
        return int(real_write(writer, data))

    monkeypatch.setattr(socketserver._SocketWriter, "write", counted)
    with ours(server.url) as client:
        session_id = client.create_face_liveness_session().session_id
        for _ in range(200):
            client.get_face_liveness_session_results(session_id=session_id)
    assert len(writes) == 201, writes
    assert all(nodelay for _, nodelay in writes), writes
    assert all(size > 100 for size, _ in writes), f"a write without its body: {writes}"


# -- fixtures --------------------------------------------------------------------------------


def test_fixtures_answer_in_turn_and_keep_their_last_answer() -> None:
    from rekognition.stub import SERVICE

    fixtures = fixtures_from_data(
        {
            "GetFaceLivenessSessionResults": [
                {
                    "match": {"SessionId": SESSION},
                    "responses": [
                        {"response": {"SessionId": SESSION, "Status": "IN_PROGRESS"}},
                        {
                            "response": {
                                "SessionId": SESSION,
                                "Status": "SUCCEEDED",
                                "ReferenceImage": {"Bytes": "aW1hZ2U="},
                            }
                        },
                    ],
                },
                {
                    "match": {"SessionId": "00000000-0000-4000-8000-000000000000"},
                    "error": {"code": "AccessDeniedException", "Message": "not yours"},
                },
            ]
        },
        SERVICE,
    )
    with serve(fixtures=fixtures) as server:
        client = boto(server.url)
        statuses = [
            client.get_face_liveness_session_results(SessionId=SESSION)["Status"] for _ in range(3)
        ]
        image = client.get_face_liveness_session_results(SessionId=SESSION)["ReferenceImage"]
        with pytest.raises(ClientError) as raised:
            client.get_face_liveness_session_results(
                SessionId="00000000-0000-4000-8000-000000000000"
            )
    assert statuses == ["IN_PROGRESS", "SUCCEEDED", "SUCCEEDED"]
    assert image["Bytes"] == b"image"
    assert raised.value.response["Error"] == {
        "Code": "AccessDeniedException",
        "Message": "not yours",
    }


# -- WSGI: any server can mount the app ----------------------------------------------------------


def test_the_app_runs_under_the_standard_library_wsgi_server() -> None:
    app = create_app()

    class Quiet(wsgiref.simple_server.WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = wsgiref.simple_server.make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        client = boto(url)
        session_id = client.create_face_liveness_session()["SessionId"]
        assert client.get_face_liveness_session_results(SessionId=session_id)["Status"] == "CREATED"
        with pytest.raises(ClientError, match="SessionNotFoundException"):
            client.get_face_liveness_session_results(SessionId=SESSION)
    finally:
        httpd.shutdown()
        thread.join()
        httpd.server_close()


def test_modelled_errors_carry_their_status(
    error_server: tuple[StubServer, RaisesEveryError],
) -> None:
    for error_type, status in MODELLED:
        assert issubclass(error_type, ServiceError) and error_type.http_status == status
