"""AWS query compatibility (`aws.protocols#awsQueryCompatible`, issue 12 item 5), end to end.

A query-compatible service is one that moved from the AWS query protocol to AWS JSON: its clients
send `x-amzn-query-mode: true`, and its error responses name each error's old query code and
whose fault it is in `x-amzn-query-error: <code>;<Sender|Receiver>`, the code coming from the
error's `@awsQueryError`. botocore reports that code as `Error.Code`.

No service of the reference corpus carries `@awsQueryCompatible` (SQS and CloudWatch, which do,
are not in it), so the corpus model used here is AWS Billing, whose errors carry
`@awsQueryError` codes unlike their shape names (`BillingAccessDenied`), with the service trait
applied from a second model file, as a user would add it. Servers are real (127.0.0.1), and so
are boto3 and botocore's parser.
"""

from __future__ import annotations

import http.client
import importlib
import json
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import ClientError  # type: ignore[import-untyped]
from botocore.parsers import create_parser  # type: ignore[import-untyped]
from hypothesis import given
from hypothesis import strategies as st

from generator.build import Selection, build_units
from generator.cli import main
from generator.loader import load_model
from tests.conftest import reference_file
from tests.scripted_server import ScriptedServer, send

MODEL = ("models", "aws-corpus", "awsJson1_0", "billing-2023-09-07.json")
SERVICE_ID = "com.amazonaws.billing#AWSBilling"
OPERATIONS = ("com.amazonaws.billing#GetBillingView", "com.amazonaws.billing#ListBillingViews")
QUERY_COMPATIBLE = {
    "smithy": "2.0",
    "shapes": {SERVICE_ID: {"type": "apply", "traits": {"aws.protocols#awsQueryCompatible": {}}}},
}
ARN = "arn:aws:billing::123456789012:billingview/primary"
REGION = "us-east-1"
KEYS = {"aws_access_key_id": "AKIDQUERYTEST", "aws_secret_access_key": "query-secret"}


def _write_project(folder: Path, *, query_compatible: bool = True) -> Path:
    models = [str(reference_file(*MODEL))]
    if query_compatible:
        (folder / "query-compatible.json").write_text(json.dumps(QUERY_COMPATIBLE), "utf-8")
        models.append("query-compatible.json")
    config = folder / "shapesmith.toml"
    config.write_text(
        f'models = {json.dumps(models)}\noutput = "out"\noperations = {json.dumps(OPERATIONS)}\n',
        "utf-8",
    )
    return config


@pytest.fixture(scope="module")
def billing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("query-compatible")
    assert main(["generate", "-q", "--config", str(_write_project(folder))]) == 0
    sys.path.insert(0, str(folder / "out"))
    try:
        yield importlib.import_module("billing")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "billing"]:
            del sys.modules[name]
        sys.path.remove(str(folder / "out"))


@pytest.fixture(autouse=True)
def _settings_from_arguments_only(no_aws_configuration: None) -> None:
    """conftest's no_aws_configuration for every test here."""


def _client(package: ModuleType, url: str) -> Any:
    return package.BillingClient(
        endpoint_url=url, region_name=REGION, max_attempts=1, read_timeout=10.0, **KEYS
    )


def _boto(url: str) -> Any:
    return boto3.client(
        "billing",
        endpoint_url=url,
        region_name=REGION,
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
        **KEYS,
    )


# -- the IR ----------------------------------------------------------------------------------------


def test_the_ir_reads_both_traits(tmp_path: Path) -> None:
    config = _write_project(tmp_path)
    selection = Selection(OPERATIONS, str(config), "/operations")
    (unit,) = build_units(
        load_model([reference_file(*MODEL), tmp_path / "query-compatible.json"], tmp_path),
        selection,
    )
    assert unit.service.query_compatible
    headers = {error.name: error.query_error_header for error in unit.errors}
    assert headers["AccessDeniedException"] == "BillingAccessDenied;Sender"
    assert headers["InternalServerException"] == "BillingInternalServer;Receiver"
    assert headers["ValidationException"] == "BillingValidation;Sender"

    (plain,) = build_units(load_model([reference_file(*MODEL)], tmp_path), selection)
    assert not plain.service.query_compatible


def test_an_error_without_a_query_code_uses_its_shape_name(tmp_path: Path) -> None:
    shapes: dict[str, Any] = {
        "example.query#Service": {
            "type": "service",
            "version": "2024-01-01",
            "operations": [{"target": "example.query#Op"}],
            "traits": {"aws.api#service": {"sdkId": "Query Example"}},
        },
        "example.query#Op": {
            "type": "operation",
            "errors": [{"target": "example.query#Busy"}, {"target": "example.query#Broken"}],
        },
        "example.query#Busy": {
            "type": "structure",
            "members": {},
            "traits": {"smithy.api#error": "client"},
        },
        "example.query#Broken": {
            "type": "structure",
            "members": {},
            "traits": {
                "smithy.api#error": "server",
                "aws.protocols#awsQueryError": {"code": "Kaputt", "httpResponseCode": 503},
            },
        },
    }
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"smithy": "2.0", "shapes": shapes}), "utf-8")
    (unit,) = build_units(load_model([path], tmp_path), Selection((), "x.toml", "/operations"))
    assert {e.name: e.query_error_header for e in unit.errors} == {
        "Broken": "Kaputt;Receiver",
        "Busy": "Busy;Sender",
    }


# -- the client ------------------------------------------------------------------------------------


def _response(status: int, headers: dict[str, str], body: bytes) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\nConnection: close\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


def _request_headers(raw: bytes) -> dict[str, str]:
    head = raw.partition(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
    return {
        name.lower(): value.strip() for name, _, value in (line.partition(":") for line in head)
    }


def test_the_client_of_a_query_compatible_service_says_so(billing: ModuleType) -> None:
    server = ScriptedServer()
    try:
        server.script = send(_response(200, {}, b"{}"))
        with _client(billing, server.url) as client:
            client.get_billing_view(arn=ARN)
            client.list_billing_views()
    finally:
        server.close()
    assert len(server.requests) == 2
    for raw in server.requests:
        headers = _request_headers(raw)
        assert headers["x-amzn-query-mode"] == "true"
        # Signed as botocore signs it: every header but the few that proxies change.
        assert "x-amzn-query-mode" in headers["authorization"]


def test_other_clients_do_not(tmp_path: Path) -> None:
    """The same model without the trait: no header, and no query attributes on its errors."""
    assert (
        main(["generate", "-q", "--config", str(_write_project(tmp_path, query_compatible=False))])
        == 0
    )
    server = ScriptedServer()
    try:
        server.script = send(_response(200, {}, b"{}"))
        code = (
            "import sys\n"
            "sys.path.insert(0, sys.argv[2])\n"
            "from billing import BillingClient, ServiceError\n"
            "c = BillingClient(endpoint_url=sys.argv[1], region_name='us-east-1', "
            "aws_access_key_id='a', aws_secret_access_key='b')\n"
            "c.list_billing_views()\n"
            "assert not hasattr(ServiceError(), 'query_error_code')\n"
        )
        subprocess.run(
            [sys.executable, "-I", "-c", code, server.url, str(tmp_path / "out")],
            check=True,
            timeout=60,
        )
    finally:
        server.close()
    (raw,) = server.requests
    assert "x-amzn-query-mode" not in _request_headers(raw)


HEADER_VALUES = [
    "BillingAccessDenied;Sender",
    "BillingAccessDenied;",
    ";Sender",
    "BillingAccessDenied",
    "a;b;c",
    "",
    ";",
    "A;Sender, B;Receiver",  # the header twice, as the transport joins repeats
    " spaced ; Sender ",
    "\u00ff\u00fe;\u00e9",  # bytes beyond ASCII, read as Latin-1
    "X" * 60_000 + ";Sender",
]


@pytest.mark.parametrize("value", HEADER_VALUES, ids=range(len(HEADER_VALUES)))
def test_the_client_reads_the_query_error_as_botocore_does(billing: ModuleType, value: str) -> None:
    """Whatever a server puts in `x-amzn-query-error`, the modelled error is raised, and the
    query code it reports is the `Error.Code` botocore's parser reads from the same bytes."""
    body = b'{"__type":"com.amazonaws.billing#AccessDeniedException","message":"no"}'
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-query-error": value}
    server = ScriptedServer()
    try:
        server.script = send(_response(403, headers, body))
        with (
            _client(billing, server.url) as client,
            pytest.raises(billing.AccessDeniedException) as raised,
        ):
            client.get_billing_view(arn=ARN)
    finally:
        server.close()
    error = raised.value
    assert (error.error_code, error.message, error.status_code) == (
        "AccessDeniedException",
        "no",
        403,
    )
    # What botocore would read from the wire: HTTP drops the spaces around a header value.
    received = {"x-amzn-query-error": value.strip(" \t")}
    parsed = create_parser("json").parse(
        {"status_code": 403, "headers": received, "body": body}, None
    )["Error"]
    assert (error.query_error_code or error.error_code) == parsed["Code"]
    assert error.query_error_type == parsed.get("Type")


@given(st.text(alphabet=st.sampled_from("ab;, \t\u00e9"), max_size=12))
def test_query_error_parsing_agrees_with_botocore(billing: ModuleType, value: str) -> None:
    """The header rule itself, on any text: botocore's reading, and ours."""
    parsed = create_parser("json").parse(
        {"status_code": 400, "headers": {"x-amzn-query-error": value}, "body": b"{}"}, None
    )["Error"]
    protocol = importlib.import_module("billing._awsjson_wire")
    ours = protocol.query_error({"x-amzn-query-error": value})
    assert (ours[0] if ours else "400") == parsed["Code"]
    assert (ours[1] if ours else None) == parsed.get("Type")


# -- the stub --------------------------------------------------------------------------------------


class RefusingBilling:
    """Answers GetBillingView with a client fault and ListBillingViews with a server fault."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package

    def get_billing_view(self, request: Any) -> Any:
        raise self.package.AccessDeniedException(message="not yours")

    def list_billing_views(self, request: Any) -> Any:
        raise self.package.InternalServerException(message="broken")


def test_boto3_sees_the_query_codes_the_stub_sends(billing: ModuleType) -> None:
    with billing.stub.serve(RefusingBilling(billing)) as server:
        client = _boto(server.url)
        with pytest.raises(ClientError) as denied:
            client.get_billing_view(arn=ARN)
        with pytest.raises(ClientError) as broken:
            client.list_billing_views()
        with pytest.raises(ClientError) as invalid:  # the stub's own validation failure
            client.get_billing_view(arn="arn:not-billing")
    assert denied.value.response["Error"] == {
        "Code": "BillingAccessDenied",
        "QueryErrorCode": "AccessDeniedException",
        "Type": "Sender",
        "Message": "not yours",
    }
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert broken.value.response["Error"]["Code"] == "BillingInternalServer"
    assert broken.value.response["Error"]["Type"] == "Receiver"
    assert broken.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert invalid.value.response["Error"]["Code"] == "BillingValidation"
    assert invalid.value.response["Error"]["QueryErrorCode"] == "ValidationException"


def test_errors_the_model_does_not_describe_keep_their_code(billing: ModuleType) -> None:
    with billing.stub.serve(RefusingBilling(billing)) as server:
        parts = urllib.parse.urlsplit(server.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request(
                "POST",
                "/",
                body=b"{}",
                headers={
                    "X-Amz-Target": "AWSBilling.NoSuchOperation",
                    "Content-Type": "application/x-amz-json-1.0",
                },
            )
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
    assert response.status == 400
    assert response.getheader("x-amzn-query-error") == "UnknownOperationException;Sender"


def test_our_client_sees_them_too(billing: ModuleType) -> None:
    with (
        billing.stub.serve(RefusingBilling(billing)) as server,
        _client(billing, server.url) as client,
    ):
        with pytest.raises(billing.AccessDeniedException) as denied:
            client.get_billing_view(arn=ARN)
        with pytest.raises(billing.InternalServerException) as broken:
            client.list_billing_views()
    assert (denied.value.error_code, denied.value.query_error_code) == (
        "AccessDeniedException",
        "BillingAccessDenied",
    )
    assert denied.value.query_error_type == "Sender"
    assert (broken.value.query_error_code, broken.value.query_error_type) == (
        "BillingInternalServer",
        "Receiver",
    )


def test_the_stubber_answers_as_the_stub_does(billing: ModuleType) -> None:
    client = _client(billing, "https://billing.example.com")
    with client, billing.stub.Stubber(client) as stubber:
        stubber.add_client_error("get_billing_view", "AccessDeniedException", "no")
        stubber.add_client_error("get_billing_view", "SomethingElse", "no", 503)
        with pytest.raises(billing.AccessDeniedException) as modelled:
            client.get_billing_view(arn=ARN)
        with pytest.raises(billing.ServiceError) as other:
            client.get_billing_view(arn=ARN)
    assert modelled.value.query_error_code == "BillingAccessDenied"
    assert (other.value.query_error_code, other.value.query_error_type) == (
        "SomethingElse",
        "Receiver",
    )
