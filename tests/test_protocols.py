"""Protocols as plug-ins: the typed protocol value in the IR, the files a plug-in adds, and the
warning (an error under strict) for a service that gets no client and no stub."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from generator import ir, protocols, render, template_set
from generator.build import Selection, build_units
from generator.cli import main
from generator.diagnostics import Warnings
from generator.loader import load_model
from generator.semantics import check_model
from tests.conftest import service_with_stub

SERVICE = "example.proto#Things"
OPERATION = "example.proto#GetThing"


def _model(service: dict[str, Any]) -> dict[str, Any]:
    return {
        "smithy": "2.0",
        "shapes": {
            SERVICE: service,
            OPERATION: {
                "type": "operation",
                "input": {"target": "example.proto#GetThingInput"},
                "output": {"target": "example.proto#GetThingOutput"},
                "traits": {"smithy.api#http": {"method": "GET", "uri": "/things/{Id}"}},
            },
            "example.proto#GetThingInput": {
                "type": "structure",
                "members": {
                    "Id": {
                        "target": "smithy.api#String",
                        "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}},
                    }
                },
                "traits": {"smithy.api#input": {}},
            },
            "example.proto#GetThingOutput": {
                "type": "structure",
                "members": {"Name": {"target": "smithy.api#String"}},
                "traits": {"smithy.api#output": {}},
            },
        },
    }


def _service(protocol: str | None, *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    service = copy.deepcopy(service_with_stub("Things", "things", [OPERATION]))
    traits = service["traits"]
    del traits["aws.protocols#awsJson1_1"]
    if protocol is not None:
        traits[protocol] = {}
    for trait in drop:
        del traits[trait]
    return service


def _unit(tmp_path: Path, service: dict[str, Any]) -> tuple[ir.GenerationUnit, list[str]]:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(_model(service)), "utf-8")
    model = load_model([path], tmp_path)
    warnings = Warnings()
    check_model(model, warnings)
    (unit,) = build_units(
        model, Selection((OPERATION,), "shapesmith.toml", "/operations"), warnings
    )
    return unit, [str(warning) for warning in warnings]


# build: the protocol as a typed value


@pytest.mark.parametrize(
    ("trait", "version"), [("aws.protocols#awsJson1_0", "1.0"), ("aws.protocols#awsJson1_1", "1.1")]
)
def test_aws_json_becomes_a_typed_protocol(tmp_path: Path, trait: str, version: str) -> None:
    unit, warnings = _unit(tmp_path, _service(trait))
    assert unit.service.protocol == ir.AwsJson(trait=trait, version=version, target_prefix="Things")
    assert unit.service.protocol.content_type == f"application/x-amz-json-{version}"
    assert unit.service.protocol_trait == trait
    assert warnings == []


def test_a_protocol_without_plug_in_keeps_its_trait_and_has_no_protocol_value(
    tmp_path: Path,
) -> None:
    unit, _ = _unit(tmp_path, _service("smithy.protocols#rpcv2Cbor"))
    assert unit.service.protocol_trait == "smithy.protocols#rpcv2Cbor"
    assert unit.service.protocol is None


def test_rest_json_becomes_a_typed_protocol_with_a_client_and_a_stub(tmp_path: Path) -> None:
    unit, warnings = _unit(tmp_path, _service("aws.protocols#restJson1"))
    assert unit.service.protocol == ir.RestJson(trait="aws.protocols#restJson1")
    assert unit.service.supports_client and "stub" in unit.public_modules
    assert warnings == []


def test_a_spoken_protocol_is_preferred_where_a_service_has_several(tmp_path: Path) -> None:
    service = _service("aws.protocols#restJson1")
    service["traits"]["aws.protocols#awsJson1_0"] = {}
    unit, warnings = _unit(tmp_path, service)
    assert unit.service.protocol_trait == "aws.protocols#awsJson1_0"
    assert warnings == []


def test_a_rest_json_operation_without_http_leaves_the_service_without_client(
    tmp_path: Path,
) -> None:
    path = tmp_path / "model.json"
    model = _model(_service("aws.protocols#restJson1"))
    del model["shapes"][OPERATION]["traits"]
    del model["shapes"]["example.proto#GetThingInput"]["members"]["Id"]["traits"][
        "smithy.api#httpLabel"
    ]
    path.write_text(json.dumps(model), "utf-8")
    loaded = load_model([path], tmp_path)
    warnings = Warnings()
    check_model(loaded, warnings)
    selection = Selection((OPERATION,), "shapesmith.toml", "/operations")
    (unit,) = build_units(loaded, selection, warnings)
    assert not unit.service.supports_client
    assert [str(w) for w in warnings] == [
        f"model.json: /shapes/{SERVICE}/traits/aws.protocols#restJson1: no client and no stub:"
        " aws.protocols#restJson1 needs @http on every operation, and GetThing has none"
    ]


# build: what is left out is said, naming the service and the trait


@pytest.mark.parametrize(
    ("protocol", "drop", "pointer", "reason"),
    [
        (
            "aws.protocols#restXml",
            (),
            "/traits/aws.protocols#restXml",
            "protocol aws.protocols#restXml is not supported",
        ),
        ("smithy.protocols#rpcv2Cbor", (), "/traits/smithy.protocols#rpcv2Cbor", "not supported"),
        (None, (), "", "the service has no protocol trait"),
        (
            "aws.protocols#awsJson1_0",
            ("smithy.rules#endpointRuleSet",),
            "",
            "no @smithy.rules#endpointRuleSet trait",
        ),
    ],
)
def test_a_service_without_client_is_a_warning_saying_why(
    tmp_path: Path, protocol: str | None, drop: tuple[str, ...], pointer: str, reason: str
) -> None:
    unit, warnings = _unit(tmp_path, _service(protocol, drop=drop))
    assert not unit.service.supports_client
    (warning,) = warnings
    assert warning.startswith(f"model.json: /shapes/{SERVICE}{pointer}: no client and no stub: ")
    assert reason in warning


def test_a_service_without_sigv4_gets_a_client_that_calls_anonymously(tmp_path: Path) -> None:
    unit, warnings = _unit(tmp_path, _service("aws.protocols#awsJson1_1", drop=("aws.auth#sigv4",)))
    assert unit.service.supports_client and warnings == []
    assert unit.service.auth.schemes == () and unit.operations[0].auth == ("anonymous",)
    assert not unit.service.needs_region


def test_a_service_whose_only_auth_scheme_is_unspoken_gets_no_client(tmp_path: Path) -> None:
    service = _service("aws.protocols#restJson1", drop=("aws.auth#sigv4",))
    service["traits"]["smithy.api#httpDigestAuth"] = {}
    unit, warnings = _unit(tmp_path, service)
    assert not unit.service.supports_client
    assert warnings == [
        f"model.json: /shapes/{SERVICE}: no client and no stub: GetThing accepts only auth "
        "schemes shapesmith does not speak (smithy.api#httpDigestAuth)"
    ]


# render: the files a plug-in adds


def test_a_spoken_protocol_renders_the_common_client_and_stub_files_and_its_own(
    tmp_path: Path,
) -> None:
    unit, _ = _unit(tmp_path, _service("aws.protocols#awsJson1_0"))
    files = {path.partition("/")[2] for path in render.render_unit(unit)}
    plugin = protocols.PLUGINS["aws.protocols#awsJson1_0"]
    assert {"client.py", "_operations.py", "stub/service.py", "_protocol.py"} <= files
    assert {template for template in plugin.client_templates} <= files
    assert "_awsjson.py" in files


def test_without_plug_in_only_shapes_enums_errors_and_validators_are_rendered(
    tmp_path: Path,
) -> None:
    unit, _ = _unit(tmp_path, _service("aws.protocols#restXml"))
    files = {path.partition("/")[2] for path in render.render_unit(unit)}
    assert files == {*render.MODULE_TEMPLATES, *render.STATIC_FILES, "shapesmith-package.json"}


def test_a_plug_in_renders_the_common_files_and_its_own(tmp_path: Path) -> None:
    unit, _ = _unit(tmp_path, _service("aws.protocols#restJson1"))
    files = {path.partition("/")[2] for path in render.render_unit(unit)}
    assert {"client.py", "_operations.py", "_protocol.py", "_restjson.py"} <= files
    assert {"_restjson_wire.py", "_json_values.py", "stub/_restjson_server.py"} <= files
    assert {"stub/service.py", "stub/stubber.py", "stub/fake.py"} <= files
    assert "stub/_awsjson_server.py" not in files
    assert "stub" in unit.public_modules


def test_every_file_a_plug_in_names_exists() -> None:
    root = template_set.shipped_dir()
    named = set(protocols.CLIENT_TEMPLATES + protocols.STUB_TEMPLATES)
    for plugin in protocols.PLUGINS.values():
        named |= set(plugin.client_templates + plugin.stub_templates)
    for template in named:
        assert (root / f"{template}.jinja").is_file(), template
    for static in protocols.every_static_file():
        assert (root / static).is_file(), static


# end to end: exit 0 with the warning, exit 2 under strict


def _project(root: Path, protocol: str = "aws.protocols#restXml") -> Path:
    (root / "model.json").write_text(json.dumps(_model(_service(protocol))), "utf-8")
    config = root / "shapesmith.toml"
    config.write_text('models = ["model.json"]\noutput = "out"\noperations = []\n', "utf-8")
    return config


def test_a_rest_xml_service_generates_shapes_and_validators_with_the_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert main(["generate", "-q", "--config", str(_project(tmp_path))]) == 0
    package = tmp_path / "out" / "things"
    assert (package / "shapes.py").is_file() and (package / "validators.py").is_file()
    assert not (package / "client.py").exists() and not (package / "stub").exists()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"warning: model.json: /shapes/{SERVICE}/traits/aws.protocols#restXml: no client and"
        " no stub: protocol aws.protocols#restXml is not supported"
    ]


def test_a_rest_xml_service_is_an_error_under_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--strict", "--config", str(_project(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "protocol aws.protocols#restXml is not supported (an error under strict)" in err
    assert not (tmp_path / "out").exists()


def test_a_rest_json_service_gets_a_client_and_a_stub_without_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _project(tmp_path, "aws.protocols#restJson1")
    assert main(["generate", "-q", "--config", str(config)]) == 0
    package = tmp_path / "out" / "things"
    assert (package / "client.py").is_file() and (package / "_restjson.py").is_file()
    assert (package / "stub" / "_restjson_server.py").is_file()
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == []
