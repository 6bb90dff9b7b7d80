"""Wire agreement with botocore on services of AWS's corpus (issue 12, item 7).

For every operation of each sampled service: seeded random inputs sent by the generated client
(over a socket) carry exactly botocore's JSON body, `X-Amz-Target` and `Content-Type`, and
botocore's parser reads what the stub's serializer writes into exactly the values serialized;
then real boto3 calls the generated stub on a sample of operations and gets a modelled answer.
The sample is small enough for every CI run (tests/test_corpus.py checks its own sample the same
way); `python -m benchmarks corpus` runs all 128.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import reference_file
from tests.wire_agreement import call_stub_with_boto3, compare

WIRE_SAMPLE = {
    "ec2-instance-connect": "awsJson1_1/ec2-instance-connect-2018-04-02.json",
    # botocore's newer model prefers CBOR and made a required member optional
    "pi": "awsJson1_1/pi-2018-02-27.json",
    # botocore's newer model has an idempotency token (MeterUsage.ClientToken) boto3 fills in
    "marketplace-metering": "awsJson1_1/marketplace-metering-2016-01-14.json",
}


@pytest.mark.parametrize("service", sorted(WIRE_SAMPLE))
def test_every_operation_agrees_with_botocore_on_the_wire(tmp_path: Path, service: str) -> None:
    model = reference_file("models", "aws-corpus", *WIRE_SAMPLE[service].split("/"))
    config = tmp_path / "shapesmith.toml"
    config.write_text(f'models = [{json.dumps(str(model))}]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(config)]) == 0
    (package,) = [p for p in (tmp_path / "out").iterdir() if p.is_dir()]
    agreement = compare(package, model)
    if agreement is None:
        pytest.skip(f"the installed botocore does not know {service}")
    print(f"{service}: {agreement.requests} requests, {agreement.responses} responses")
    assert agreement.mismatches == []
    assert agreement.requests > 0
    calls = call_stub_with_boto3(package, model)
    assert calls is not None
    print(f"{service}: boto3 {calls.answered} answered, {calls.modelled_errors} modelled errors")
    assert calls.failures == []
    assert calls.answered + calls.modelled_errors > 0
