"""The client benchmark's restJson1 rows (`python -m benchmarks client`): the local server answers
EFS's `DescribeTags` and `PutBackupPolicy` as both clients expect and refuses any other request
with a 4xx, and a small run of the suite goes through every step of both protocols and writes
their tables and JSON. No timing is asserted: on a test machine the numbers mean nothing."""

from __future__ import annotations

import http.client
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from benchmarks import client_bench, client_report, local_server
from benchmarks.client_probe import (
    ACCESS_KEY,
    BACKUP_POLICY_STATUS,
    FILE_SYSTEM_ID,
    MARKER,
    MAX_ITEMS,
    REGION,
    SECRET_KEY,
)
from tests.conftest import reference_file

CREDENTIALS = {
    "region_name": REGION,
    "aws_access_key_id": ACCESS_KEY,
    "aws_secret_access_key": SECRET_KEY,
}
TINY = client_bench.Settings(
    startup_runs=1,
    construction_seconds=0.01,
    rounds=2,
    calls_per_round=4,
    warm_up_calls=2,
    memory_runs=1,
    memory_calls=4,
)


@pytest.fixture(scope="module")
def generation(tmp_path_factory: pytest.TempPathFactory) -> client_bench.Generation:
    model = reference_file("models", "efs-2015-02-01.json")
    generated = client_bench.generate_efs(tmp_path_factory.mktemp("efs") / "work", model)
    assert generated.problem is None, generated.problem
    return generated


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with local_server.running() as running:
        yield running


@pytest.fixture
def efs(generation: client_bench.Generation) -> Iterator[ModuleType]:
    """The generated package, imported here and forgotten afterwards (other tests generate
    packages of the same name)."""
    saved = list(sys.path)
    sys.path.insert(0, str(generation.packages))
    try:
        yield importlib.import_module("efs")
    finally:
        sys.path[:] = saved
        for name in [name for name in sys.modules if name == "efs" or name.startswith("efs.")]:
            del sys.modules[name]


def _boto3(url: str) -> Any:
    return boto3.client("efs", endpoint_url=url, **CREDENTIALS)


def test_both_clients_read_the_answers(efs: ModuleType, url: str) -> None:
    tags = local_server.TAGS
    with efs.EFSClient(endpoint_url=url, **CREDENTIALS) as ours:
        page = ours.describe_tags(file_system_id=FILE_SYSTEM_ID, max_items=MAX_ITEMS, marker=MARKER)
        assert page.to_dict() == tags
        policy = efs.BackupPolicy(status=BACKUP_POLICY_STATUS)
        answer = ours.put_backup_policy(file_system_id=FILE_SYSTEM_ID, backup_policy=policy)
        assert answer.to_dict() == local_server.BACKUP_POLICY
    theirs = _boto3(url)
    page = theirs.describe_tags(FileSystemId=FILE_SYSTEM_ID, MaxItems=MAX_ITEMS, Marker=MARKER)
    assert {key: value for key, value in page.items() if key != "ResponseMetadata"} == tags
    answer = theirs.put_backup_policy(
        FileSystemId=FILE_SYSTEM_ID, BackupPolicy={"Status": BACKUP_POLICY_STATUS}
    )
    assert {key: value for key, value in answer.items() if key != "ResponseMetadata"} == (
        local_server.BACKUP_POLICY
    )
    theirs.close()


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"file_system_id": "fs-00000000000000000"}, 404, "UnknownOperationException"),
        ({"max_items": MAX_ITEMS + 1}, 400, "BadRequest"),
        ({"marker": MARKER + "x"}, 400, "BadRequest"),
        ({"status": "DISABLED"}, 400, "BadRequest"),
    ],
)
def test_a_wrong_request_gets_a_4xx(
    efs: ModuleType, url: str, change: dict[str, Any], status: int, code: str
) -> None:
    values = {
        "file_system_id": FILE_SYSTEM_ID,
        "max_items": MAX_ITEMS,
        "marker": MARKER,
        "status": BACKUP_POLICY_STATUS,
        **change,
    }
    policy_call = "status" in change or "file_system_id" in change

    ours = efs.EFSClient(endpoint_url=url, max_attempts=1, **CREDENTIALS)
    with ours, pytest.raises(efs.ServiceError) as raised:
        if policy_call:
            policy = efs.BackupPolicy(status=values["status"])
            ours.put_backup_policy(file_system_id=values["file_system_id"], backup_policy=policy)
        else:
            ours.describe_tags(
                file_system_id=values["file_system_id"],
                max_items=values["max_items"],
                marker=values["marker"],
            )
    assert (raised.value.status_code, raised.value.error_code) == (status, code)

    theirs = _boto3(url)
    with pytest.raises(ClientError) as refused:
        if policy_call:
            theirs.put_backup_policy(
                FileSystemId=values["file_system_id"], BackupPolicy={"Status": values["status"]}
            )
        else:
            theirs.describe_tags(
                FileSystemId=values["file_system_id"],
                MaxItems=values["max_items"],
                Marker=values["marker"],
            )
    error = refused.value.response
    assert (error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Code"]) == (status, code)
    theirs.close()


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "OPTIONS", "HEAD", "POST", "GET", "PUT"])
def test_any_other_request_gets_a_4xx(url: str, method: str) -> None:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request(method, "/2015-02-01/file-systems", b"{}")
        response = connection.getresponse()
        response.read()
        assert 400 <= response.status < 500
    finally:
        connection.close()


def test_a_small_run_covers_both_protocols(
    generation: client_bench.Generation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(client_bench, "generate_efs", lambda work, model: generation)
    saved = (list(sys.path), set(sys.modules))
    try:
        results = client_bench.run(quick=True, settings=TINY)
    finally:
        sys.path[:] = saved[0]
        for name in set(sys.modules) - saved[1]:
            if name.split(".")[0] in ("efs", "rekognition"):
                del sys.modules[name]

    restjson1 = results.restjson1
    assert restjson1.skipped is None
    efs_keys = {client_bench.OURS_EFS, client_bench.BOTO3_EFS, client_bench.BARE_EFS}
    assert set(restjson1.startup) == set(restjson1.calls) == efs_keys
    assert all(value is not None for value in restjson1.ratios.values())
    statuses = {target.key: target.status for target in results.targets}
    assert statuses["restjson1_import_and_first_client"] in ("PASS", "MISS")
    assert statuses["restjson1_calls_vs_boto3"] in ("PASS", "MISS")

    client_report.print_results(results)
    printed = capsys.readouterr().out
    assert "restJson1: EFS DescribeTags" in printed
    assert "shapesmith generated (EFS)" in printed and "boto3 (EFS)" in printed

    output = tmp_path / "client.json"
    client_report.write_json(results, output)
    written = json.loads(output.read_text("utf-8"))
    aws_json_keys = {"startup", "import_breakdown", "repeated_construction", "calls", "memory"}
    assert aws_json_keys <= set(written) and "restjson1" in written
    assert set(written["calls"]) == {"shapesmith", "boto3", "http.client"}
    assert set(written["restjson1"]["calls"]) == efs_keys
    assert written["targets"][0]["key"] == "import_and_first_client"


def test_without_the_model_the_restjson1_rows_say_why(tmp_path: Path) -> None:
    missing = tmp_path / "efs-2015-02-01.json"
    generated = client_bench.generate_efs(tmp_path / "work", missing)
    assert generated.packages is None and generated.problem is not None
    assert str(missing) in generated.problem
    fresh = client_bench.FreshProcess.in_directory(tmp_path)
    restjson1 = client_bench.measure_restjson1(
        generated, missing, {}, "http://127.0.0.1:9", fresh, TINY
    )
    assert restjson1.skipped == generated.problem
    assert restjson1.startup == {} and restjson1.calls == {}
    targets = client_bench.evaluate_targets(client_bench.compute_ratios({}, {}, {}, {}), restjson1)
    assert {target.key: target.status for target in targets if "restjson1" in target.key} == {
        "restjson1_import_and_first_client": "N/A",
        "restjson1_calls_vs_boto3": "N/A",
    }
    assert client_report._restjson1_json(restjson1)["skipped"] == generated.problem
