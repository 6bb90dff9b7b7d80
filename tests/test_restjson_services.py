"""AWS's official restJson1 models against real boto3: AppConfig and EFS (labels, query
parameters, headers, blob payloads, success codes other than 200) generated whole, their stubs
called by boto3 on every operation, three seeded random inputs each, built from botocore's own
shape model. Every call must get a modelled answer or a modelled error: never a 500, a refusal
of a request boto3 wrote correctly, or an answer botocore cannot parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import reference_file
from tests.wire_agreement import call_stub_with_boto3

SERVICES = {
    # package name: (model file, botocore's service name)
    "app_config": ("appconfig-2019-10-09.json", "appconfig"),
    "efs": ("efs-2015-02-01.json", "efs"),
}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_boto3_calls_every_operation_of_the_stub(tmp_path: Path, name: str) -> None:
    model_file, service_name = SERVICES[name]
    model = reference_file("models", model_file)
    config = tmp_path / "shapesmith.toml"
    config.write_text(f'models = [{json.dumps(str(model))}]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(config)]) == 0
    package = tmp_path / "out" / name
    calls = call_stub_with_boto3(
        package, model, operations=None, per_operation=3, find_model=botocore_rest_model
    )
    assert calls is not None
    print(
        f"{name}: boto3 {calls.answered} answered, {calls.modelled_errors} modelled errors,"
        f" {len(calls.unbuildable)} left out (their outputs contradict the model)"
    )
    assert calls.failures == [], "\n".join(calls.failures[:5])
    assert calls.answered > calls.modelled_errors
