"""The stub's tools: the Stubber, SigV4 verification, fixture files and the command line."""

from __future__ import annotations

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from rekognition import (
    AccessDeniedException,
    LivenessSessionStatus,
    RekognitionClient,
    ServiceError,
    ThrottlingException,
    ValidationError,
    _sigv4,
)
from rekognition.shapes import GetFaceLivenessSessionResultsResponse
from rekognition.stub import (
    HEALTH_PATH,
    SERVICE,
    FixtureError,
    StubAssertionError,
    Stubber,
    StubResponseError,
    fixtures_from_data,
    load_fixtures,
    serve,
)

from tests.conftest import GENERATED

REGION = "us-east-1"
SESSION = "3f1c6a52-0b8e-4c1e-9a57-6f1b2c3d4e5f"
ACCESS_KEY, SECRET_KEY = "AKIDSTUBTEST", "stub-secret"


def client(url: str = "http://127.0.0.1:9", **options: Any) -> RekognitionClient:
    return RekognitionClient(
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        **options,
    )


# -- Stubber -------------------------------------------------------------------------------------


def test_stubber_answers_queued_calls_through_the_real_client_pipeline() -> None:
    with client() as rekognition, Stubber(rekognition) as stubber:
        stubber.add_response(
            "CreateFaceLivenessSession", {"SessionId": SESSION}, {"ClientRequestToken": "t-1"}
        )
        stubber.add_response(
            "get_face_liveness_session_results",
            {"SessionId": SESSION, "Status": "SUCCEEDED", "Confidence": 99.5},
            expected_params={"SessionId": SESSION},
        )
        created = rekognition.create_face_liveness_session(client_request_token="t-1")
        result = rekognition.get_face_liveness_session_results(session_id=created.session_id)
        stubber.assert_no_pending_responses()
    assert result.status is LivenessSessionStatus.SUCCEEDED and result.confidence == 99.5


def test_stubber_accepts_dataclasses_and_raises_modelled_errors() -> None:
    response = GetFaceLivenessSessionResultsResponse(
        session_id=SESSION, status=LivenessSessionStatus.IN_PROGRESS
    )
    with client(retry_mode="off") as rekognition, Stubber(rekognition) as stubber:
        stubber.add_client_error(
            "GetFaceLivenessSessionResults",
            "AccessDeniedException",
            "not yours",
            service_error_meta={"Code": "E1"},
        )
        stubber.add_response("GetFaceLivenessSessionResults", response)
        with pytest.raises(AccessDeniedException) as raised:
            rekognition.get_face_liveness_session_results(session_id=SESSION)
        assert rekognition.get_face_liveness_session_results(session_id=SESSION) == response
    assert (raised.value.message, raised.value.code, raised.value.status_code) == (
        "not yours",
        "E1",
        400,
    )


def test_stubbed_throttling_is_retried_like_a_real_one() -> None:
    with client(max_attempts=3) as rekognition, Stubber(rekognition) as stubber:
        stubber.add_client_error("GetFaceLivenessSessionResults", "ThrottlingException")
        stubber.add_client_error("GetFaceLivenessSessionResults", "ThrottlingException")
        stubber.add_response(
            "GetFaceLivenessSessionResults", {"SessionId": SESSION, "Status": "CREATED"}
        )
        assert rekognition.get_face_liveness_session_results(session_id=SESSION)
        stubber.assert_no_pending_responses()
    with client(retry_mode="off") as rekognition, Stubber(rekognition) as stubber:
        stubber.add_client_error("GetFaceLivenessSessionResults", "ThrottlingException")
        with pytest.raises(ThrottlingException):
            rekognition.get_face_liveness_session_results(session_id=SESSION)


def test_stubber_passes_unmodelled_codes_as_generic_service_errors() -> None:
    with client(retry_mode="off") as rekognition, Stubber(rekognition) as stubber:
        stubber.add_client_error(
            "GetFaceLivenessSessionResults", "UnrecognizedClientException", "bad token", 403
        )
        with pytest.raises(ServiceError) as raised:
            rekognition.get_face_liveness_session_results(session_id=SESSION)
    assert type(raised.value) is ServiceError
    assert (raised.value.error_code, raised.value.status_code) == (
        "UnrecognizedClientException",
        403,
    )


def test_stubber_refuses_what_the_service_could_never_say() -> None:
    with client() as rekognition:
        stubber = Stubber(rekognition)
        with pytest.raises(StubResponseError, match="Confidence: range"):
            stubber.add_response(
                "GetFaceLivenessSessionResults",
                {"SessionId": SESSION, "Status": "SUCCEEDED", "Confidence": 120.0},
            )
        with pytest.raises(StubResponseError, match="Status: required"):
            stubber.add_response("GetFaceLivenessSessionResults", {"SessionId": SESSION})
        with pytest.raises(StubResponseError, match="SessionId: pattern"):
            stubber.add_response(
                "GetFaceLivenessSessionResults",
                {"SessionId": SESSION, "Status": "CREATED"},
                expected_params={"SessionId": SESSION.upper()},
            )
        with pytest.raises(StubResponseError, match="Code: type"):
            stubber.add_client_error(
                "CreateFaceLivenessSession", "AccessDeniedException", service_error_meta={"Code": 5}
            )
        with pytest.raises(ValueError, match="unknown operation"):
            stubber.add_response("DeleteEverything", {})


def test_stubber_fails_the_test_on_unexpected_calls_and_params() -> None:
    with client() as rekognition, Stubber(rekognition) as stubber:
        with pytest.raises(StubAssertionError, match="nothing is queued"):
            rekognition.get_face_liveness_session_results(session_id=SESSION)
        stubber.add_response("CreateFaceLivenessSession", {"SessionId": SESSION})
        with pytest.raises(
            StubAssertionError, match="expected a call of CreateFaceLivenessSession"
        ):
            rekognition.get_face_liveness_session_results(session_id=SESSION)
        stubber.add_response(
            "CreateFaceLivenessSession", {"SessionId": SESSION}, {"ClientRequestToken": "a"}
        )
        with pytest.raises(StubAssertionError, match="was called with"):
            rekognition.create_face_liveness_session(client_request_token="b")
        stubber.add_response("CreateFaceLivenessSession", {"SessionId": SESSION})
        with pytest.raises(StubAssertionError, match="1 stubbed call"):
            stubber.assert_no_pending_responses()


def test_the_stubber_gives_the_transport_back() -> None:
    with client() as rekognition:
        original = rekognition._caller.transport
        with Stubber(rekognition):
            assert rekognition._caller.transport is not original
        assert rekognition._caller.transport is original


def test_input_validation_still_runs_before_the_stubber() -> None:
    with client() as rekognition, Stubber(rekognition), pytest.raises(ValidationError):
        rekognition.get_face_liveness_session_results(session_id="short")


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


def _cycle() -> dict[str, Any]:
    looped: dict[str, Any] = {"SessionId": SESSION, "Status": "CREATED"}
    looped["AuditImages"] = [looped]
    return looped


BEYOND_LIMITS = [
    ({"SessionId": _nested(100_000), "Status": "CREATED"}, "/SessionId/0/0/0/"),
    (
        {"SessionId": SESSION, "Status": "CREATED", "Confidence": 10**5000},
        "/Confidence: an integer",
    ),
    (
        {"SessionId": SESSION, "Status": "CREATED", "Confidence": -(10**1000)},
        "/Confidence: an integer",
    ),
    (_cycle(), "/AuditImages/0/AuditImages/0/"),
]


@pytest.mark.parametrize(
    ("value", "message"), BEYOND_LIMITS, ids=["deep", "5000-digits", "1001-digits", "cycle"]
)
def test_stubber_refuses_data_beyond_the_limits_with_its_usual_error(
    value: dict[str, Any], message: str
) -> None:
    with client() as rekognition:
        stubber = Stubber(rekognition)
        with pytest.raises(
            StubResponseError, match="GetFaceLivenessSessionResults response"
        ) as raised:
            stubber.add_response("GetFaceLivenessSessionResults", value)
        assert message in str(raised.value)
        with pytest.raises(StubResponseError, match="expected_params"):
            stubber.add_response(
                "GetFaceLivenessSessionResults",
                {"SessionId": SESSION, "Status": "CREATED"},
                expected_params={"SessionId": value["SessionId"], "Extra": value},
            )
        with pytest.raises(StubResponseError, match="AccessDeniedException"):
            stubber.add_client_error(
                "GetFaceLivenessSessionResults",
                "AccessDeniedException",
                service_error_meta={"Code": value},
            )
    big = GetFaceLivenessSessionResultsResponse(
        session_id=SESSION, status=LivenessSessionStatus.CREATED, confidence=10**5000
    )
    with client() as rekognition, pytest.raises(StubResponseError, match="confidence: an integer"):
        Stubber(rekognition).add_response("GetFaceLivenessSessionResults", big)


# -- SigV4 verification --------------------------------------------------------------------------


def boto(url: str, secret: str = SECRET_KEY, access: str = ACCESS_KEY) -> Any:
    return boto3.client(
        "rekognition",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=access,
        aws_secret_access_key=secret,
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def verifying() -> Any:
    with serve(credentials=(ACCESS_KEY, SECRET_KEY)) as server:
        yield server


def test_correct_signatures_from_boto3_and_our_client_are_accepted(verifying: Any) -> None:
    session_id = boto(verifying.url).create_face_liveness_session()["SessionId"]
    with client(verifying.url) as rekognition:
        assert rekognition.get_face_liveness_session_results(session_id=session_id).session_id


@pytest.mark.parametrize(
    ("secret", "access", "code"),
    [
        ("wrong-secret", ACCESS_KEY, "InvalidSignatureException"),
        (SECRET_KEY, "AKIDSOMEONEELSE", "UnrecognizedClientException"),
    ],
)
def test_wrong_credentials_are_refused_with_403(
    verifying: Any, secret: str, access: str, code: str
) -> None:
    with pytest.raises(ClientError) as raised:
        boto(verifying.url, secret, access).create_face_liveness_session()
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def _signed(url: str, body: bytes, timestamp: datetime.datetime | None = None) -> dict[str, str]:
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "RekognitionService.GetFaceLivenessSessionResults",
        "Host": url.removeprefix("http://"),
    }
    signer = _sigv4.SigV4Signer("rekognition", REGION)
    credentials = _sigv4.Credentials(ACCESS_KEY, SECRET_KEY)
    return {
        **headers,
        **signer.sign(
            "POST", url + "/", headers, body, credentials=credentials, timestamp=timestamp
        ),
    }


def _refusal(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(url + "/", data=body, headers=headers, method="POST")
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 403
    answer: dict[str, Any] = json.loads(raised.value.read())
    return answer


BODY = b'{"SessionId":"' + SESSION.encode() + b'"}'


def test_a_tampered_body_or_a_missing_signature_is_refused(verifying: Any) -> None:
    signed = _signed(verifying.url, BODY)
    tampered = BODY.replace(b"3f1c", b"0000")
    assert _refusal(verifying.url, tampered, signed)["__type"] == "InvalidSignatureException"
    unsigned = {k: v for k, v in signed.items() if k != "Authorization"}
    assert _refusal(verifying.url, BODY, unsigned)["__type"] == "IncompleteSignatureException"


def test_a_signature_in_non_ascii_text_is_invalid_not_a_500(verifying: Any) -> None:
    signed = _signed(verifying.url, BODY)
    # urllib sends header values as Latin-1: U+00E9 arrives as the one byte 0xE9.
    signed["Authorization"] = signed["Authorization"][:-1] + "\u00e9"
    assert _refusal(verifying.url, BODY, signed)["__type"] == "InvalidSignatureException"


def test_a_signature_from_more_than_15_minutes_ago_is_expired(verifying: Any) -> None:
    then = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    answer = _refusal(verifying.url, BODY, _signed(verifying.url, BODY, then))
    assert answer["__type"] == "InvalidSignatureException" and "expired" in answer["message"]


# -- fixture files -------------------------------------------------------------------------------

GOOD = {
    "GetFaceLivenessSessionResults": [
        {"match": {"SessionId": SESSION}, "response": {"SessionId": SESSION, "Status": "EXPIRED"}}
    ]
}


def test_fixtures_load_from_json_and_yaml(tmp_path: Path) -> None:
    import yaml

    (tmp_path / "f.json").write_text(json.dumps(GOOD))
    (tmp_path / "f.yaml").write_text(yaml.safe_dump(GOOD))
    for name in ("f.json", "f.yaml"):
        with serve(fixtures=tmp_path / name) as server:
            answer = boto(server.url).get_face_liveness_session_results(SessionId=SESSION)
        assert answer["Status"] == "EXPIRED", name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "f.json:1:2: not JSON"),
        ('{"Nope": []}', "f.json: /Nope: unknown operation"),
        (
            '{"GetFaceLivenessSessionResults": [{"match": {}, "response": {"SessionId": "x", "Status": "CREATED"}}]}',
            "f.json: /GetFaceLivenessSessionResults/0/response/SessionId: length violation",
        ),
        (
            '{"GetFaceLivenessSessionResults": [{"responses": [{"response": {"SessionId": "'
            + SESSION
            + '", "Status": "DONE"}}]}]}',
            "/GetFaceLivenessSessionResults/0/responses/0/response/Status: enum violation",
        ),
        (
            '{"GetFaceLivenessSessionResults": [{"error": {"code": "NoSuchThing"}}]}',
            "/GetFaceLivenessSessionResults/0/error/code: 'NoSuchThing' is not an error",
        ),
        (
            '{"CreateFaceLivenessSession": [{"error": {"code": "SessionNotFoundException"}}]}',
            "is not an error of CreateFaceLivenessSession",
        ),
        (
            '{"GetFaceLivenessSessionResults": [{"match": {"SessionId": 5}, "error": {"code": "AccessDeniedException"}}]}',
            "/GetFaceLivenessSessionResults/0/match/SessionId: type violation",
        ),
        (
            '{"GetFaceLivenessSessionResults": [{"match": {}}]}',
            "give exactly one of 'response', 'error' or 'responses'",
        ),
    ],
)
def test_a_bad_fixture_file_is_refused_with_its_name_and_pointer(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "f.json"
    path.write_text(content)
    with pytest.raises(FixtureError) as raised:
        load_fixtures(path, SERVICE)
    assert str(path) in str(raised.value)
    assert message in str(raised.value)


DEEP = "[" * 100_000 + "]" * 100_000
LONG = "7" * 5000
RESPONSE = '{"GetFaceLivenessSessionResults": [{"match": {}, "response": {"SessionId": %s, "Status": "CREATED"%s}}]}'
YAML_RESPONSE = "GetFaceLivenessSessionResults:\n- match: {}\n  response:\n    SessionId: %s\n    Status: CREATED\n%s"
POINTER = "/GetFaceLivenessSessionResults/0/response"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("f.json", RESPONSE % (DEEP, ""), f"{POINTER}/SessionId/0/0/0/0/"),
        ("f.json", RESPONSE % ("[" * 300 + "]" * 300, ""), f"{POINTER}/SessionId/0/0/0/0/"),
        (
            "f.json",
            RESPONSE % ('"x"', ', "Confidence": ' + LONG),
            f"{POINTER}/Confidence: an integer",
        ),
        (
            "f.json",
            RESPONSE % ('"x"', ', "Confidence": -' + "1" * 1001),
            f"{POINTER}/Confidence: an integer",
        ),
        (
            "f.json",
            '{"GetFaceLivenessSessionResults": ' + '{"a": ' * 200 + "1" + "}" * 201,
            "/GetFaceLivenessSessionResults/a/a/a/",
        ),
        ("f.yaml", YAML_RESPONSE % (DEEP, ""), f"{POINTER}/SessionId/0/0/0/0/"),
        (
            "f.yaml",
            YAML_RESPONSE % ('"x"', "    Confidence: " + LONG + "\n"),
            f"{POINTER}/Confidence: an integer",
        ),
        (
            "f.yaml",
            YAML_RESPONSE % ('"x"', "    Confidence: !!int '" + LONG + "'\n"),
            f"{POINTER}/Confidence: an integer",
        ),
        (
            "f.yaml",
            YAML_RESPONSE % ('"x"', "    Confidence: 0x" + "f" * 1000 + "\n"),
            f"{POINTER}/Confidence: an integer",
        ),
        ("f.yaml", YAML_RESPONSE % ("&loop [*loop]", ""), f"{POINTER}/SessionId/0/0/0/"),
        (
            "f.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
                for i in range(8)
            ),
            "aliases expand to more values than the text has characters",
        ),
        (
            "f.yaml",
            "GetFaceLivenessSessionResults:\n- match: {}\n  response: 2024-13-45\n",
            "not YAML",
        ),
    ],
    ids=[
        "json-100000-deep",
        "json-300-deep",
        "json-5000-digits",
        "json-1001-digits",
        "json-deep-objects",
        "yaml-100000-deep",
        "yaml-5000-digits",
        "yaml-tagged-int",
        "yaml-hex-int",
        "yaml-cycle",
        "yaml-billion-laughs",
        "yaml-bad-date",
    ],
)
def test_fixtures_beyond_the_limits_are_refused_with_the_file_and_pointer(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    pytest.importorskip("yaml")
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(FixtureError) as raised:
        load_fixtures(path, SERVICE)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)


def test_fixture_data_given_in_python_is_held_to_the_same_limits() -> None:
    with pytest.raises(FixtureError, match=r"^<fixtures>: /GetFaceLivenessSessionResults/0/0/0/"):
        fixtures_from_data({"GetFaceLivenessSessionResults": _nested(100_000)}, SERVICE)
    entry = {"match": {"SessionId": 10**5000}, "error": {"code": "AccessDeniedException"}}
    with pytest.raises(
        FixtureError, match="/GetFaceLivenessSessionResults/0/match/SessionId: an integer"
    ):
        fixtures_from_data({"GetFaceLivenessSessionResults": [entry]}, SERVICE)


# -- the command line ----------------------------------------------------------------------------


def run_stub(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(GENERATED)}
    return subprocess.Popen(
        [sys.executable, "-m", "rekognition.stub", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_command_prints_its_url_serves_and_stops_on_a_signal(
    tmp_path: Path, stop: signal.Signals
) -> None:
    (tmp_path / "f.json").write_text(json.dumps(GOOD))
    process = run_stub("--port", "0", "--fixtures", str(tmp_path / "f.json"))
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:"), line
        url = line.split()[-1]
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=10) as health:
            assert health.status == 200
        assert boto(url).get_face_liveness_session_results(SessionId=SESSION)["Status"] == "EXPIRED"
        process.send_signal(stop)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fixtures", "/nonexistent/f.json"], "cannot read the fixtures"),
        (["--verify-sigv4"], "--verify-sigv4 needs --credentials ACCESS:SECRET"),
        (["--credentials", "a:b"], "--credentials is only used with --verify-sigv4"),
        (["--request-timeout", "0"], "request_timeout must be more than 0"),
        (["--request-timeout", "nan"], "request_timeout must be more than 0"),
        (["--request-timeout", "inf"], "request_timeout must be more than 0"),
        (["--max-connections", "0"], "max_connections must be at least 1"),
    ],
)
def test_the_command_refuses_bad_arguments_without_a_traceback(
    args: list[str], message: str
) -> None:
    process = run_stub(*args)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 2
    assert message in stderr and "Traceback" not in stderr


def test_the_command_closes_a_stalled_connection_after_its_request_timeout() -> None:
    process = run_stub("--port", "0", "--request-timeout", "0.5")
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as stalled:
            stalled.sendall(b"POST / HTTP/1.1\r\nContent-Le")
            assert stalled.recv(65536).startswith(b"HTTP/1.1 408 ")
        with urllib.request.urlopen(url + HEALTH_PATH, timeout=10) as health:
            assert health.status == 200
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 0 and "Traceback" not in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
