"""AWS's official restJson1 models against real boto3: AppConfig and EFS (labels, query
parameters, headers, blob payloads, success codes other than 200) generated whole, their stubs
called by boto3 on every operation, three seeded random inputs each, built from botocore's own
shape model. Every call must get a modelled answer or a modelled error: never a 500, a refusal
of a request boto3 wrote correctly, or an answer botocore cannot parse."""

from __future__ import annotations

import importlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.naming import class_name
from tests.conftest import reference_file
from tests.restjson_agreement import botocore_rest_model
from tests.wire_agreement import call_stub_with_boto3
from tests.wire_values import SmithyFacts, random_value

SERVICES = {
    # package name: (model file, botocore's service name)
    "app_config": ("appconfig-2019-10-09.json", "appconfig"),
    "efs": ("efs-2015-02-01.json", "efs"),
}


_generated: dict[str, Path] = {}


def generated(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package generated from the whole official model (once per test session)."""
    if name not in _generated:
        model = reference_file("models", SERVICES[name][0])
        root = tmp_path_factory.mktemp(name)
        config = root / "shapesmith.toml"
        config.write_text(f'models = [{json.dumps(str(model))}]\noutput = "out"\n', "utf-8")
        assert main(["generate", "-q", "--config", str(config)]) == 0
        _generated[name] = root / "out" / name
    return _generated[name]


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_boto3_calls_every_operation_of_the_stub(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    model = reference_file("models", SERVICES[name][0])
    package = generated(name, tmp_path_factory)
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


@pytest.fixture()
def imported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    name = request.param
    package = generated(name, tmp_path_factory)
    sys.path.insert(0, str(package.parent))
    try:
        yield importlib.import_module(name)
    finally:
        for loaded in [n for n in sys.modules if n.partition(".")[0] == name]:
            del sys.modules[loaded]
        sys.path.remove(str(package.parent))


@pytest.mark.parametrize("imported", sorted(SERVICES), indirect=True)
def test_botocore_reads_what_the_stub_answers(imported: Any) -> None:
    """Three seeded random outputs per operation (from botocore's shape model), written by the
    stub's answer writers, read back by botocore's rest-json parser into exactly those values."""
    import botocore.session
    from botocore.awsrequest import HeadersDict
    from botocore.parsers import create_parser
    from botocore.response import StreamingBody

    name = imported.__name__
    model_file, service_name = SERVICES[name]
    facts = SmithyFacts.read(reference_file("models", model_file))
    model = botocore.session.get_session().get_service_model(service_name)
    service = importlib.import_module(f"{name}.stub").SERVICE
    shapes = importlib.import_module(f"{name}.shapes")
    parser = create_parser("rest-json")
    rng = random.Random(20261202)
    checked, mismatches = 0, []
    for operation_name in sorted(service.operations):
        shape = model.operation_model(operation_name).output_shape
        if shape is None:
            continue
        spec = service.operations[operation_name]
        for _ in range(3):
            sent = random_value(shape, rng, facts)
            payload = shape.serialization.get("payload")
            if isinstance(sent.get(payload), bytes):
                # botocore reads a blob payload that is not @streaming as UTF-8 text.
                sent[payload] = "".join(rng.choice("abcé{}") for _ in range(9)).encode()
            value = getattr(shapes, class_name(shape.name)).from_dict(sent)
            status, body, headers = service.wire.output(spec, spec.serialize_output(value))
            reply = {"status_code": status, "headers": HeadersDict(headers), "body": body}
            parsed = parser.parse(reply, shape)
            parsed.pop("ResponseMetadata", None)
            for key, member in shape.members.items():
                where = member.serialization
                named = str(where.get("name", "")).lower()
                # Unset, a Content-Type member still has the payload's own type on the wire,
                # which botocore reads.
                content_type = where.get("location") == "header" and named == "content-type"
                if (
                    content_type
                    and key not in sent
                    and parsed.get(key) == "application/octet-stream"
                ):
                    del parsed[key]
            for key, found in parsed.items():
                if isinstance(found, StreamingBody):
                    parsed[key] = found.read()
                elif isinstance(found, str) and isinstance(sent.get(key), bytes):
                    parsed[key] = found.encode()
            checked += 1
            if parsed != sent:
                mismatches.append(f"{operation_name}: sent {sent!r:.400}\n read {parsed!r:.400}")
    print(f"{name}: {checked} answers read back by botocore")
    assert mismatches == [], "\n".join(mismatches[:3])
    assert checked > 50
