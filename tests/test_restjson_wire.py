"""AWS's official restJson1 models, whole, against botocore on the wire (issue 14, item 5).

AppConfig and EFS (labels, greedy-free URIs with literal segments, query parameters, headers,
blob payloads, idempotency tokens in the body) generate whole, pass mypy --strict, ruff and black,
and for every operation three seeded random inputs, sent by the generated client over a socket,
make exactly the request botocore's own client makes, three seeded random outputs written by the
generated stub are read back by botocore's parser into exactly those values
(`tests/restjson_agreement.py` says what is compared and which documented differences are set
aside), and real boto3 calls the generated stub on every operation. The models are read from
../shared/reference at run time and never copied into the repository.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import reference_file
from tests.restjson_agreement import botocore_rest_model, compare_rest
from tests.test_official_models import OFFICIAL as MODELS
from tests.test_official_models import generated
from tests.wire_agreement import call_stub_with_boto3

OFFICIAL = {name: MODELS[name] for name in ("app_config", "efs")}
"""The restJson1 models; test_official_models generates them (once) and checks their lint."""


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_every_operation_sends_what_botocore_sends(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    package = generated(name, tmp_path_factory)
    model = reference_file("models", OFFICIAL[name])
    operations = sum(
        shape["type"] == "operation"
        for shape in json.loads(model.read_text("utf-8"))["shapes"].values()
    )
    agreement = compare_rest(package, model)
    if agreement is None:
        pytest.skip(f"the installed botocore does not know {name}")
    set_aside = ", ".join(f"{count} {why}" for why, count in agreement.documented.items())
    print(
        f"{name}: {agreement.requests} requests and {agreement.responses} answers on"
        f" {operations} operations, {len(agreement.mismatches)} mismatches,"
        f" {len(agreement.refused)} refused" + (f"; set aside: {set_aside}" if set_aside else "")
    )
    assert agreement.mismatches == [], "\n".join(agreement.mismatches[:3])
    assert agreement.refused == []
    assert agreement.requests == 3 * operations
    assert agreement.responses > 0


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_boto3_calls_every_operation_of_the_stub(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Real boto3 calls the generated stub (its own process) on every operation, three seeded
    random inputs each: a modelled answer or a modelled error every time, never a 500, a refusal
    of a request boto3 wrote correctly, or an answer botocore cannot parse."""
    package = generated(name, tmp_path_factory)
    model = reference_file("models", OFFICIAL[name])
    calls = call_stub_with_boto3(
        package, model, operations=None, per_operation=3, find_model=botocore_rest_model
    )
    if calls is None:
        pytest.skip(f"the installed botocore does not know {name}")
    print(f"{name}: boto3 {calls.answered} answered, {calls.modelled_errors} modelled errors")
    assert calls.failures == [], "\n".join(calls.failures[:5])
    assert calls.answered > calls.modelled_errors


# -- what the comparison looks at ----------------------------------------------------------------


def _operation(payload: str | None = None) -> Any:
    from botocore.model import ServiceModel

    members: dict[str, Any] = {
        "Key": {"shape": "String", "location": "uri", "locationName": "Key"},
        "Mode": {"shape": "String", "location": "header", "locationName": "X-Mode"},
        "Meta": {"shape": "Meta", "location": "headers", "locationName": "x-meta-"},
        "Token": {"shape": "String", "idempotencyToken": True},
        "Data": {"shape": "Blob" if payload else "String"},
    }
    request: dict[str, Any] = {"type": "structure", "members": members}
    if payload:
        request["payload"] = payload
    model = {
        "metadata": {"protocol": "rest-json", "serviceId": "X", "apiVersion": "1"},
        "operations": {
            "Put": {
                "name": "Put",
                "http": {"method": "PUT", "requestUri": "/{Key}"},
                "input": {"shape": "PutRequest"},
            }
        },
        "shapes": {
            "PutRequest": request,
            "String": {"type": "string"},
            "Blob": {"type": "blob"},
            "Meta": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
        },
    }
    return ServiceModel(model).operation_model("Put")


def _recorded(target: str, headers: list[tuple[str, str]], body: str) -> dict[str, Any]:
    return {"method": "PUT", "target": target, "headers": headers, "body": body}


def test_the_view_keeps_what_members_decide_and_nothing_else() -> None:
    from tests.restjson_agreement import _request_view

    operation = _operation()
    ours = _recorded(
        "/a%2Fb?x=1&y=%20",
        [("x-mode", "m"), ("X-Meta-One", "1"), ("User-Agent", "ours"), ("Content-Type", "j")],
        '{"Data":"d","Token":"t"}',
    )
    theirs = _recorded(
        "/a%2Fb?y=%20&x=1",
        [("X-Mode", "m"), ("x-meta-one", "1"), ("User-Agent", "botocore"), ("content-type", "j")],
        '{"Token": "t", "Data": "d"}',
    )
    assert _request_view(operation, ours) == _request_view(operation, theirs)
    for changed in ("/a/b?x=1&y=%20", "/a%2Fb?x=1&y=+", "/a%2Fb?x=1&x=1&y=%20"):
        assert _request_view(operation, {**ours, "target": changed}) != _request_view(
            operation, theirs
        )
    assert _request_view(operation, {**ours, "body": ""}) != _request_view(
        operation, {**theirs, "body": "{}"}
    )


def test_a_blob_payload_is_compared_byte_for_byte_and_tokens_as_uuids() -> None:
    import uuid
    from collections import Counter

    from tests.restjson_agreement import _request_view, _set_aside

    operation = _operation(payload="Data")
    ours = _request_view(operation, _recorded("/k", [("Content-Type", "x/y")], "{ }"))
    theirs = _request_view(operation, _recorded("/k", [], "{}"))
    assert ours["body"] != theirs["body"]
    counts: Counter[str] = Counter()
    _set_aside(operation, None, "Put", ours, theirs, counts)
    assert "content-type" not in ours["headers"] and sum(counts.values()) == 1

    token = '{"Token":"%s"}'
    plain = _operation()
    mine = _request_view(plain, _recorded("/k", [], token % uuid.uuid4()))
    its = _request_view(plain, _recorded("/k", [], token % uuid.uuid4()))
    _set_aside(plain, None, "Put", mine, its, Counter())
    assert mine == its
    mine = _request_view(plain, _recorded("/k", [], token % "not-a-uuid"))
    _set_aside(plain, None, "Put", mine, its, Counter())
    assert mine != its


def _renaming_models(tmp_path: Any) -> tuple[Any, Any]:
    """A Smithy model and botocore's model of the same input, where botocore names the nested
    shapes otherwise (as Deadline's does) and the Smithy model targets the prelude's Document
    (as Control Tower's does)."""
    from botocore.model import ServiceModel

    from tests.wire_values import SmithyFacts

    ns = "example.values"
    required = {"smithy.api#required": {}}
    smithy = {
        "smithy": "2.0",
        "shapes": {
            f"{ns}#Service": {
                "type": "service",
                "operations": [{"target": f"{ns}#Put"}],
                "traits": {"aws.api#service": {"sdkId": "Values"}},
            },
            f"{ns}#Put": {"type": "operation", "input": {"target": f"{ns}#PutRequest"}},
            f"{ns}#PutRequest": {
                "type": "structure",
                "members": {
                    "id": {
                        "target": f"{ns}#Id",
                        "traits": {**required, "smithy.api#httpLabel": {}},
                    },
                    "doc": {"target": "smithy.api#Document", "traits": required},
                    "settings": {"target": f"{ns}#Settings"},
                    "many": {"target": f"{ns}#SettingsList"},
                    "named": {"target": f"{ns}#SettingsMap"},
                    "choice": {"target": f"{ns}#Choice", "traits": required},
                },
            },
            f"{ns}#Choice": {
                "type": "union",
                "members": {
                    "text": {"target": "smithy.api#String"},
                    "number": {"target": f"{ns}#Kind"},
                },
            },
            f"{ns}#Settings": {
                "type": "structure",
                "members": {
                    "bucket": {"target": f"{ns}#Bucket", "traits": required},
                    "kind": {"target": f"{ns}#Kind", "traits": required},
                },
            },
            f"{ns}#Bucket": {"type": "string", "traits": {"smithy.api#length": {"min": 3}}},
            f"{ns}#Id": {"type": "string", "traits": {"smithy.api#pattern": "^[\\s\\S]*$"}},
            f"{ns}#Kind": {"type": "enum", "members": {"A": {"target": "smithy.api#Unit"}}},
            f"{ns}#SettingsList": {"type": "list", "member": {"target": f"{ns}#Settings"}},
            f"{ns}#SettingsMap": {
                "type": "map",
                "key": {"target": "smithy.api#String"},
                "value": {"target": f"{ns}#Settings"},
            },
        },
    }
    path = tmp_path / "values.json"
    path.write_text(json.dumps(smithy), "utf-8")

    def settings() -> dict[str, Any]:
        return {
            "type": "structure",
            "required": ["bucket", "kind"],
            "members": {"bucket": {"shape": "Text"}, "kind": {"shape": "NewerKind"}},
        }

    botocore = {
        "metadata": {"protocol": "rest-json", "serviceId": "Values", "apiVersion": "1"},
        "operations": {
            "Put": {
                "name": "Put",
                "http": {"method": "POST", "requestUri": "/{id}"},
                "input": {"shape": "PutRequest"},
            }
        },
        "shapes": {
            "PutRequest": {
                "type": "structure",
                "required": ["id", "doc", "choice"],
                "members": {
                    "id": {"shape": "Text", "location": "uri", "locationName": "id"},
                    "doc": {"shape": "Document"},
                    "settings": {"shape": "PutSettings"},
                    "many": {"shape": "PutSettingsList"},
                    "named": {"shape": "PutSettingsMap"},
                    "choice": {"shape": "Choice"},
                },
            },
            "Choice": {
                "type": "structure",
                "members": {"text": {"shape": "Text"}, "number": {"shape": "NewerKind"}},
            },
            "Document": {"type": "structure", "members": {}, "document": True},
            "PutSettings": settings(),
            "ListedSettings": settings(),
            "MappedSettings": settings(),
            "PutSettingsList": {"type": "list", "member": {"shape": "ListedSettings"}},
            "PutSettingsMap": {
                "type": "map",
                "key": {"shape": "Text"},
                "value": {"shape": "MappedSettings"},
            },
            "Text": {"type": "string"},
            "NewerKind": {"type": "string", "enum": ["A", "B"]},
        },
    }
    return SmithyFacts.read(path), ServiceModel(botocore).operation_model("Put").input_shape


def test_random_values_keep_the_smithy_facts_of_shapes_botocore_names_otherwise(
    tmp_path: Any,
) -> None:
    """The harness found a nested shape's Smithy facts by botocore's name of it, so renamed
    shapes lost their required members (Deadline's answers) and a member targeting the prelude's
    Document was taken for a scalar and left out (Control Tower's calls); and a URI label whose
    pattern allows "" was made empty, which botocore sends as `//` and Smithy's clients refuse
    (Network Manager's GlobalNetworkId); and a union botocore models as a plain structure got no
    member or several (IoT's AssetPropertyVariant). Every value made must pass botocore's own
    validation and carry what the Smithy model requires."""
    import random

    from botocore.validate import ParamValidator

    from tests.wire_values import random_value

    facts, shape = _renaming_models(tmp_path)
    for seed in range(40):
        value = random_value(shape, random.Random(seed), facts)
        assert "doc" in value and value["id"] != ""
        assert len(value["choice"]) == 1  # a Smithy union, a plain structure in botocore's model
        report = ParamValidator().validate(value, shape)
        assert not report.has_errors(), report.generate_report()
        nested = [value.get("settings"), *value.get("many", []), *value.get("named", {}).values()]
        for settings in [s for s in nested if s is not None]:
            assert len(settings["bucket"]) >= 3  # the Smithy @length, not in botocore's model
            assert settings["kind"] == "A"  # the Smithy enum, narrower than botocore's
