"""Endpoints per operation, as botocore resolves them, over AWS's corpus of AWS JSON models.

For every operation of a corpus model, seeded inputs (string members ARN-like, host labels
label-like) under regions of every partition, FIPS, dual-stack and a custom endpoint go two ways:

- ours: the `_endpoints.ParameterBinding` literal the generator emits for the operation
  (`generator.endpoint_params`, printed by `_operations.py.jinja`), evaluated by the generated
  runtime (`templates/_endpoints.py`), resolved by `ClientEndpoints` and addressed by
  `_protocol.address` with the operation's host prefix;
- botocore's: `EndpointRulesetResolver` over a botocore service model carrying the same
  `contextParam`, `staticContextParams`, `operationContextParams` and `endpoint` data, built
  from the model's own rule set, and botocore's serializer for the host prefix.

The URL, headers, properties, signing name and region and host must be equal, or both refuse.
The binding level does not need the whole package to generate (many corpus models do not yet,
for reasons outside endpoints); `test_generated_client_sends_where_botocore_would` also calls
real generated clients for models that do.

Default runs take the documented `SAMPLE`; `pytest -m corpus` runs all 128 models.
"""

from __future__ import annotations

import importlib
import json
import random
import subprocess
import sys
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import botocore.exceptions  # type: ignore[import-untyped]
import pytest
from botocore.hooks import HierarchicalEmitter  # type: ignore[import-untyped]
from botocore.loaders import create_loader  # type: ignore[import-untyped]
from botocore.model import ServiceModel  # type: ignore[import-untyped]
from botocore.regions import EndpointRulesetResolver  # type: ignore[import-untyped]
from botocore.serialize import Serializer  # type: ignore[import-untyped]
from jmespath.exceptions import JMESPathTypeError  # type: ignore[import-untyped]

from generator import endpoint_params, naming
from generator.cli import main
from generator.diagnostics import ShapesmithError
from generator.loader import AssembledModel, SourcedShape, load_model
from generator.prelude import PRELUDE_FILE, prelude_shapes
from tests.conftest import FIXTURES, REFERENCE, REPO

CORPUS = REFERENCE / "models" / "aws-corpus"
PROTOCOLS = ("awsJson1_0", "awsJson1_1")

# Default runs: models chosen for what their endpoints do.
SAMPLE = (
    "eventbridge-2015-10-07",  # @contextParam EndpointId, SigV4a auth scheme for it
    "cloudwatch-events-2015-10-07",  # the same service under its older name
    "datasync-2018-11-09",  # @endpoint host prefixes, with and without labels
    "servicediscovery-2017-03-14",  # host prefixes
    "organizations-2016-11-28",  # global service: signing region from authSchemes
    "budgets-2016-10-20",  # signing region per partition
    "dynamodb-streams-2012-08-10",  # signing name differs from the endpoint prefix
    "billing-2023-09-07",  # signing region from a template (implicitGlobalRegion)
    "sagemaker-2017-07-24",  # the largest
    "kinesis-analytics-v2-2018-05-23",  # plain regional rule set, dual-stack
)

REGIONS = (
    "us-east-1",
    "us-west-2",
    "eu-central-1",
    "aws-global",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-south-1",
    "eusc-de-east-1",
    "mars-east-1",
)
ENDPOINTS = (None, None, None, "https://example.com:8443/base")
ARNS = (
    "arn:aws:events:us-east-1:123456789012:event-bus/default",
    "arn:aws-cn:kinesis:cn-north-1:123456789012:stream/s1",
    "arn:aws-us-gov:iam::123456789012:role/r",
    "arn:aws:s3:::bucket",
    "not-an-arn",
    "abc.veo",
    "a b",
)
LABELS = ("abc", "a-1", "x.y", "Z9")
CASES_PER_OPERATION = 3


def _corpus_paths() -> list[Path]:
    return sorted(path for protocol in PROTOCOLS for path in (CORPUS / protocol).glob("*.json"))


def _params() -> list[Any]:
    paths = _corpus_paths()
    if not paths:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [
        pytest.param(path, id=path.stem, marks=() if path.stem in SAMPLE else pytest.mark.corpus)
        for path in paths
    ]


# --- ours -----------------------------------------------------------------------------------


@cache
def generated_modules() -> tuple[ModuleType, ModuleType]:
    """`_endpoints` and `_protocol` as a generated package holds them (the Rekognition one)."""
    import rekognition._endpoints
    import rekognition._protocol

    return rekognition._endpoints, rekognition._protocol


@cache
def assembled(path: Path) -> AssembledModel:
    """The model as the generator's loader assembles it; where the loader refuses the model for
    reasons outside endpoints, its shapes with the prelude, as the loader would merge them."""
    try:
        return load_model([path], path.parent)
    except ShapesmithError:
        shapes = {sid: SourcedShape(PRELUDE_FILE, data) for sid, data in prelude_shapes().items()}
        document = json.loads(path.read_text("utf-8"))
        shapes |= {sid: SourcedShape(path.name, data) for sid, data in document["shapes"].items()}
        return AssembledModel(shapes=shapes, files=(path.name,), model_hash="")


def service_id(model: AssembledModel) -> str:
    (found,) = [sid for sid, shape in model.shapes.items() if shape.type == "service"]
    return found


def operations(model: AssembledModel) -> list[str]:
    return sorted(sid for sid, shape in model.shapes.items() if shape.type == "operation")


def rule_set(model: AssembledModel) -> dict[str, Any]:
    rules: dict[str, Any] = model.shapes[service_id(model)].traits["smithy.rules#endpointRuleSet"]
    return rules


Outcome = dict[str, Any]


def our_outcome(
    model: AssembledModel,
    operation_id: str,
    request: object,
    labels: Mapping[str, str],
    builtins: Mapping[str, object],
) -> Outcome:
    endpoints, protocol = generated_modules()
    binding = endpoint_params.operation_binding(model, service_id(model), operation_id)
    bound = eval(binding.literal, {"_endpoints": endpoints}).parameters(request)
    template = model.shapes[operation_id].traits.get("smithy.api#endpoint", {}).get("hostPrefix")
    try:
        client = endpoints.ClientEndpoints(rule_set(model), builtins)
        prefix = protocol.host_prefix(template, labels) if template else ""
        where = protocol.address(client.resolve(bound), prefix)
    except (endpoints.EndpointResolutionError, ValueError) as error:
        return {"error": type(error).__name__, "message": str(error)}
    return {
        "url": where.url,
        "host": where.host,
        "headers": dict(where.headers),
        "signing": (where.signing_name, where.signing_region),
    }


# --- botocore's -----------------------------------------------------------------------------


def botocore_service(model: AssembledModel, operation_id: str) -> ServiceModel:
    """A botocore service model with what endpoint resolution reads for one operation."""
    operation = model.shapes[operation_id]
    name = operation_id.partition("#")[2]
    spec: dict[str, Any] = {"name": name, "http": {"method": "POST", "requestUri": "/"}}
    traits = operation.traits
    for trait, key in (
        ("smithy.rules#staticContextParams", "staticContextParams"),
        ("smithy.rules#operationContextParams", "operationContextParams"),
        ("smithy.api#endpoint", "endpoint"),
    ):
        if trait in traits:
            spec[key] = traits[trait]
    shapes: dict[str, Any] = {}
    input_id = operation.data.get("input", {}).get("target")
    if input_id:
        members = {}
        for member_name, member in model.shapes[input_id].data.get("members", {}).items():
            ref: dict[str, Any] = {"shape": "M_" + member_name}
            member_traits = member.get("traits", {})
            if "smithy.rules#contextParam" in member_traits:
                ref["contextParam"] = member_traits["smithy.rules#contextParam"]
            if "smithy.api#hostLabel" in member_traits:
                ref["hostLabel"] = True
            members[member_name] = ref
            shapes["M_" + member_name] = {"type": "string"}
        shapes["Input"] = {"type": "structure", "members": members}
        spec["input"] = {"shape": "Input"}
    return ServiceModel(
        {
            "metadata": {
                "protocol": "json",
                "jsonVersion": "1.1",
                "apiVersion": "2000-01-01",
                "endpointPrefix": "corpus",
                "serviceId": "Corpus",
                "signatureVersion": "v4",
                "targetPrefix": "Corpus",
            },
            "operations": {name: spec},
            "shapes": shapes,
        },
        service_name="corpus",
    )


@cache
def botocore_partitions() -> Any:
    return create_loader().load_data("partitions")


def botocore_outcome(
    model: AssembledModel,
    operation_id: str,
    call_args: Mapping[str, Any],
    builtins: Mapping[str, object],
) -> Outcome:
    service = botocore_service(model, operation_id)
    operation = service.operation_model(operation_id.partition("#")[2])
    resolver = EndpointRulesetResolver(
        rule_set(model),
        botocore_partitions(),
        service,
        dict(builtins),
        client_context={},
        event_emitter=HierarchicalEmitter(),
    )
    try:
        endpoint = resolver.construct_endpoint(operation, dict(call_args), {})
        schemes = endpoint.properties.get("authSchemes")
        signing: dict[str, Any] = {}
        if schemes is not None:
            _, signing = resolver.auth_schemes_to_signing_ctx(schemes)
        prefix = Serializer()._expand_host_prefix(call_args, operation) or ""
    except (
        botocore.exceptions.EndpointResolutionError,
        botocore.exceptions.ParamValidationError,
        botocore.exceptions.MissingDependencyException,
        botocore.exceptions.UnknownSignatureVersionError,
        JMESPathTypeError,
    ) as error:
        return {"error": type(error).__name__, "message": str(error)}
    url = endpoint.url.rstrip("/") + "/"
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    return {
        "url": f"{scheme}://{prefix}{host}/{path}",
        "host": prefix + host,
        "headers": dict(endpoint.headers),
        "signing": (signing.get("signing_name"), signing.get("region")),
    }


# --- inputs ---------------------------------------------------------------------------------


class Inputs:
    """Seeded values for an operation's input, in botocore's form (dicts by member name) and
    ours (objects with the generated attribute names)."""

    def __init__(self, model: AssembledModel, seed: str) -> None:
        self.model = model
        self.random = random.Random(seed)

    def structure(self, shape_id: str, depth: int = 0) -> tuple[dict[str, Any], SimpleNamespace]:
        theirs: dict[str, Any] = {}
        ours = SimpleNamespace()
        for name, member in self.model.shapes[shape_id].data.get("members", {}).items():
            traits = member.get("traits", {})
            bound = "smithy.rules#contextParam" in traits or "smithy.api#hostLabel" in traits
            if not bound and self.random.random() < 0.3:
                continue
            value = self.value(member["target"], depth, "smithy.api#hostLabel" in traits)
            if value is None:
                continue
            theirs[name], setattr_value = value
            setattr(ours, naming.attribute_name(name), setattr_value)
        return theirs, ours

    def value(self, shape_id: str, depth: int, label: bool) -> tuple[Any, Any] | None:
        shape = self.model.shapes[shape_id]
        kind = shape.type
        if kind in ("string", "enum"):
            if label:
                text = self.random.choice(LABELS)
            elif kind == "enum":
                values = [
                    m.get("traits", {}).get("smithy.api#enumValue", name)
                    for name, m in shape.data.get("members", {}).items()
                ]
                text = self.random.choice(values)
            else:
                text = self.random.choice(ARNS + LABELS)
            return text, text
        if kind == "boolean":
            flag = self.random.random() < 0.5
            return flag, flag
        if depth >= 3:
            return None
        if kind in ("list", "set"):
            items = [
                self.value(shape.data["member"]["target"], depth + 1, False)
                for _ in range(self.random.randint(0, 2))
            ]
            kept = [item for item in items if item is not None]
            return [t for t, _ in kept], [o for _, o in kept]
        if kind == "map":
            entries = {}
            for _ in range(self.random.randint(0, 2)):
                item = self.value(shape.data["value"]["target"], depth + 1, False)
                if item is not None:
                    entries[self.random.choice(LABELS)] = item
            return {k: t for k, (t, _) in entries.items()}, {k: o for k, (_, o) in entries.items()}
        if kind in ("structure", "union"):
            return self.structure(shape_id, depth + 1)
        return None


def cases(
    model: AssembledModel, operation_id: str, count: int = CASES_PER_OPERATION
) -> Iterator[tuple[Any, Any, Any, Any]]:
    inputs = Inputs(model, operation_id)
    pick = inputs.random
    input_id = model.shapes[operation_id].data.get("input", {}).get("target")
    for _ in range(count):
        theirs, ours = inputs.structure(input_id) if input_id else ({}, None)
        labels = {
            name: theirs[name]
            for name, member in (
                model.shapes[input_id].data.get("members", {}) if input_id else {}
            ).items()
            if "smithy.api#hostLabel" in member.get("traits", {}) and name in theirs
        }
        builtins = {
            "AWS::Region": pick.choice(REGIONS),
            "AWS::UseFIPS": pick.random() < 0.3,
            "AWS::UseDualStack": pick.random() < 0.3,
            "SDK::Endpoint": pick.choice(ENDPOINTS),
        }
        yield theirs, ours, labels, builtins


def agree(ours: Outcome, theirs: Outcome) -> bool:
    """Equal, or both refused; an `error` rule's message must be the same on both sides."""
    if theirs.get("error") == "JMESPathTypeError":
        # `keys()` of a map the input leaves out: botocore fails inside JMESPath; we leave the
        # parameter unset (test_keys_of_an_unset_map_leave_the_parameter_unset).
        return True
    if "error" in ours or "error" in theirs:
        if "error" not in ours or "error" not in theirs:
            return False
        if theirs["error"] == "EndpointResolutionError":
            return bool(ours["message"] == theirs["message"])
        return True
    return ours == theirs


@pytest.mark.parametrize("path", _params())
def test_every_operation_resolves_where_botocore_does(path: Path | None) -> None:
    assert path is not None
    model = assembled(path)
    checked = 0
    for operation_id in operations(model):
        for theirs, ours, labels, builtins in cases(model, operation_id):
            mine = our_outcome(model, operation_id, ours, labels, builtins)
            expected = botocore_outcome(model, operation_id, theirs, builtins)
            assert agree(mine, expected), (operation_id, theirs, builtins, mine, expected)
            checked += 1
    assert checked >= CASES_PER_OPERATION


def test_the_sample_is_in_the_corpus() -> None:
    paths = _corpus_paths()
    if not paths:
        pytest.skip(f"no corpus at {CORPUS}")
    assert set(SAMPLE) <= {path.stem for path in paths}


def test_eventbridge_global_endpoint_goes_to_the_endpoint_id_host() -> None:
    """PutEvents' `EndpointId` (`@contextParam`) picks the global endpoint's host, which asks for
    SigV4a: botocore needs its CRT extra for that, and the generated client, which signs with
    SigV4 only, refuses with a clear message rather than sending a request that cannot work."""
    path = CORPUS / "awsJson1_1" / "eventbridge-2015-10-07.json"
    if not path.exists():
        pytest.skip(f"no corpus at {CORPUS}")
    model = assembled(path)
    operation_id = "com.amazonaws.eventbridge#PutEvents"
    endpoints, _ = generated_modules()
    binding = endpoint_params.operation_binding(model, service_id(model), operation_id)
    assert binding.literal == ('_endpoints.ParameterBinding(members={"EndpointId": "endpoint_id"})')
    request = SimpleNamespace(endpoint_id="abcde.veo", entries=[])
    bound = eval(binding.literal, {"_endpoints": endpoints}).parameters(request)
    builtins = {"AWS::Region": "us-east-1", "AWS::UseFIPS": False, "AWS::UseDualStack": False}
    ours = endpoints.ClientEndpoints(rule_set(model), builtins).resolve(bound)
    assert ours.url == "https://abcde.veo.endpoint.events.amazonaws.com"
    service = botocore_service(model, operation_id)
    resolver = EndpointRulesetResolver(
        rule_set(model),
        botocore_partitions(),
        service,
        builtins,
        client_context={},
        event_emitter=HierarchicalEmitter(),
    )
    theirs = resolver.construct_endpoint(
        service.operation_model("PutEvents"), {"EndpointId": "abcde.veo", "Entries": []}, {}
    )
    assert (ours.url, ours.properties) == (theirs.url, theirs.properties)
    outcome = our_outcome(model, operation_id, request, {}, builtins)
    assert "sigv4a" in outcome["message"] and "SigV4 only" in outcome["message"]


# --- through a generated client ---------------------------------------------------------------

BINDINGS_MODEL = FIXTURES / "models" / "endpoint_bindings.json"
"""Our model of a Kinesis- and DynamoDB-like service: `@staticContextParams` (on operations with
and without input), `@contextParam` (on a string, an enum and a boolean member), and
`@operationContextParams` paths (`keys(...)`, `[*]` with sub-expressions, a plain member), a
labelled host prefix, endpoint headers and signing regions taken from the stream ARN."""


class RecordingTransport:
    def __init__(self) -> None:
        self.requests: list[Any] = []

    def send(self, request: Any) -> Any:
        self.requests.append(request)
        return self.response_class(status=200, headers={}, body=b"{}")

    def close(self) -> None:
        pass

    response_class: Any = None


@pytest.fixture(scope="module")
def streams(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("bindings")
    config = root / "shapesmith.toml"
    config.write_text(f'models = [{json.dumps(str(BINDINGS_MODEL))}]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(config)]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        return importlib.import_module("streams")
    finally:
        sys.path.remove(str(root / "out"))


def recorded(transport: RecordingTransport) -> Outcome:
    """The one request `transport` saw: URL, Host, headers the endpoint added, signing scope."""
    (http,) = transport.requests
    credential = http.headers["Authorization"].split("Credential=")[1].split(",")[0]
    _, _, region, service, _ = credential.split("/")
    extra = {k: v for k, v in http.headers.items() if k.startswith("x-first")}
    return {
        "url": http.url,
        "host": http.headers["Host"],
        "headers": extra,
        "signing": (service, region),
    }


def sent(package: ModuleType, operation: str, request: Any, **settings: Any) -> Outcome:
    """Where the generated client sends `request`: URL, Host, headers the endpoint added and the
    signing scope in its Authorization header; or the error it raised instead."""
    transport = RecordingTransport()
    transport.response_class = package.HttpResponse
    client = package.StreamsClient(
        aws_access_key_id="AKID",
        aws_secret_access_key="secret",
        transport=transport,
        **settings,
    )
    try:
        if request is None:
            getattr(client, naming.operation_name(operation))()
        else:
            getattr(client, naming.operation_name(operation))(request)
    except ValueError as error:  # EndpointResolutionError and bad host labels
        return {"error": type(error).__name__, "message": str(error)}
    return recorded(transport)


def test_generated_client_sends_where_botocore_would(streams: ModuleType) -> None:
    model = assembled(BINDINGS_MODEL)
    shapes = importlib.import_module("streams.shapes")
    checked = 0
    for operation_id in operations(model):
        name = operation_id.partition("#")[2]
        input_id = model.shapes[operation_id].data.get("input", {}).get("target")
        for theirs, _, _, builtins in cases(model, operation_id, 40):
            request = None
            if input_id:
                request = getattr(shapes, input_id.partition("#")[2]).from_dict(theirs)
            settings = {
                "region_name": builtins["AWS::Region"],
                "use_fips_endpoint": builtins["AWS::UseFIPS"],
                "use_dualstack_endpoint": builtins["AWS::UseDualStack"],
                "endpoint_url": builtins["SDK::Endpoint"],
            }
            mine = sent(streams, name, request, **settings)
            expected = botocore_outcome(model, operation_id, theirs, builtins)
            if "error" not in expected and expected["signing"][0] is None:
                expected["signing"] = ("streams", builtins["AWS::Region"])
            if "error" not in expected:
                expected["headers"] = {
                    k: v for k, v in expected["headers"].items() if k.startswith("x-first")
                }
            assert agree(mine, expected), (name, theirs, builtins, mine, expected)
            checked += 1
    assert checked == 40 * len(operations(model))


def test_a_client_for_a_local_stub_can_leave_the_host_prefix_out(streams: ModuleType) -> None:
    request = streams.shapes.PutShardRecordInput(shard="s-1")
    local = {"region_name": "us-west-2", "endpoint_url": "http://127.0.0.1:1/"}
    assert sent(streams, "PutShardRecord", request, **local)["host"] == "s-1.shards.127.0.0.1:1"
    plain = sent(streams, "PutShardRecord", request, inject_host_prefix=False, **local)
    assert (plain["url"], plain["host"]) == ("http://127.0.0.1:1/", "127.0.0.1:1")


def test_an_enum_member_binds_its_plain_value(streams: ModuleType) -> None:
    arn = "arn:aws:streams:eu-west-1:123456789012:stream/s"
    kind = streams.enums.Kind.DATA
    request = streams.shapes.DescribeStreamInput(stream_arn=arn, kind=kind)
    outcome = sent(streams, "DescribeStream", request, region_name="eu-west-1")
    # The static value wins over the member, as in botocore.
    assert outcome["url"] == "https://123456789012.control-streams.eu-west-1.amazonaws.com/"
    assert outcome["signing"] == ("streams", "eu-west-1")


def test_keys_of_an_unset_map_leave_the_parameter_unset(streams: ModuleType) -> None:
    request = streams.shapes.BatchGetItemsInput()
    outcome = sent(streams, "BatchGetItems", request, region_name="us-west-2")
    assert outcome["url"] == "https://streams.us-west-2.amazonaws.com/"
    keyed = streams.shapes.BatchGetItemsInput(request_items={"orders": ["k"]})
    outcome = sent(streams, "BatchGetItems", keyed, region_name="us-west-2")
    assert outcome["url"] == "https://orders.tables.us-west-2.amazonaws.com/"
    assert outcome["headers"] == {"x-first-table": "orders"}


@pytest.mark.slow
def test_the_generated_package_is_type_checked_and_lint_clean(streams: ModuleType) -> None:
    assert streams.__file__ is not None
    folder = Path(streams.__file__).parent
    config = str(REPO / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", folder.name],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, folder.name],
        [sys.executable, "-m", "black", "--check", "--quiet", "--config", config, folder.name],
    ):
        result = subprocess.run(
            command, cwd=folder.parent, capture_output=True, text=True, timeout=900, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


# --- bindings the generator refuses -----------------------------------------------------------

OPERATION = "/shapes/example.streams#TransactGetItems/traits"
BAD_BINDINGS: list[tuple[str, Any, str, str]] = [
    (
        "smithy.rules#operationContextParams",
        {"TableNames": {"path": "TransactItems[*].Get.TableName | [0]"}},
        f"{OPERATION}/smithy.rules#operationContextParams/TableNames/path",
        "goes beyond that",
    ),
    (
        "smithy.rules#operationContextParams",
        {"TableNames": {"path": "TransactItems[*].Get.Missing"}},
        f"{OPERATION}/smithy.rules#operationContextParams/TableNames/path",
        "no member 'Missing'",
    ),
    (
        "smithy.rules#operationContextParams",
        {"TableNames": {"path": "keys(TransactItems)"}},
        f"{OPERATION}/smithy.rules#operationContextParams/TableNames/path",
        "keys() needs a map",
    ),
    (
        "smithy.rules#operationContextParams",
        {"StreamARN": {"path": "TransactItems[*].Get.TableName"}},
        f"{OPERATION}/smithy.rules#operationContextParams/StreamARN/path",
        "cannot be the string parameter 'StreamARN'",
    ),
    (
        "smithy.rules#operationContextParams",
        {"Nope": {"path": "TransactItems[*].Get.TableName"}},
        f"{OPERATION}/smithy.rules#operationContextParams/Nope",
        "does not declare",
    ),
    (
        "smithy.rules#staticContextParams",
        {"Strict": {"value": "yes"}},
        f"{OPERATION}/smithy.rules#staticContextParams/Strict/value",
        "not a value for the boolean parameter 'Strict'",
    ),
    (
        "smithy.rules#staticContextParams",
        ["OperationType"],
        f"{OPERATION}/smithy.rules#staticContextParams",
        "must be an object",
    ),
]


@pytest.mark.parametrize(("trait", "value", "pointer", "message"), BAD_BINDINGS)
def test_bindings_shapesmith_cannot_honour_are_refused_at_their_pointer(
    tmp_path: Path, trait: str, value: Any, pointer: str, message: str
) -> None:
    document = json.loads(BINDINGS_MODEL.read_text("utf-8"))
    document["shapes"]["example.streams#TransactGetItems"]["traits"] = {trait: value}
    model = tmp_path / "bad.json"
    model.write_text(json.dumps(document), "utf-8")
    with pytest.raises(ShapesmithError) as raised:
        endpoint_params.operation_binding(
            load_model([model], tmp_path),
            "example.streams#Streams",
            "example.streams#TransactGetItems",
        )
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.file, diagnostic.pointer) == ("bad.json", pointer)
    assert message in diagnostic.message


def test_a_context_param_on_a_member_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    document = json.loads(BINDINGS_MODEL.read_text("utf-8"))
    member = document["shapes"]["example.streams#TransactGetItemsInput"]["members"]["Strict"]
    member["traits"]["smithy.rules#contextParam"] = {"name": "StreamARN"}
    model = tmp_path / "bad.json"
    model.write_text(json.dumps(document), "utf-8")
    config = tmp_path / "shapesmith.toml"
    config.write_text('models = ["bad.json"]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(config)]) == 2
    assert not (tmp_path / "out").exists()


# --- corpus models through their generated clients -------------------------------------------

CLIENT_SAMPLE = (
    "servicediscovery-2017-03-14",  # host prefixes
    "support-2013-04-15",  # signing region per partition
    "dynamodb-streams-2012-08-10",  # signing name
    "eventbridge-2015-10-07",  # @contextParam
)


@pytest.mark.parametrize("stem", CLIENT_SAMPLE)
def test_corpus_clients_send_where_botocore_would(
    stem: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    found = [p for p in _corpus_paths() if p.stem == stem]
    if not found:
        pytest.skip(f"no corpus at {CORPUS}")
    (path,) = found
    root = tmp_path_factory.mktemp(stem)
    config = root / "shapesmith.toml"
    config.write_text(f'models = [{json.dumps(str(path))}]\noutput = "out"\n', "utf-8")
    if main(["generate", "-q", "--config", str(config)]) != 0:
        pytest.skip(f"{stem} does not generate yet, for reasons outside endpoints (issue 12)")
    (package_dir,) = [p for p in (root / "out").iterdir() if p.is_dir()]
    sys.path.insert(0, str(root / "out"))
    try:
        package = importlib.import_module(package_dir.name)
        shapes = importlib.import_module(f"{package_dir.name}.shapes")
    finally:
        sys.path.remove(str(root / "out"))
    model = assembled(path)
    service = model.shapes[service_id(model)]
    signing_name = service.traits["aws.auth#sigv4"]["name"]
    client_class = next(
        getattr(package, name) for name in package.__all__ if name.endswith("Client")
    )
    checked = 0
    for operation_id in operations(model):
        input_id = model.shapes[operation_id].data.get("input", {}).get("target")
        for theirs, _, _, builtins in cases(model, operation_id, 2):
            transport = RecordingTransport()
            transport.response_class = package.HttpResponse
            mine: Outcome
            try:  # the client resolves its endpoint when it is built
                client = client_class(
                    region_name=builtins["AWS::Region"],
                    use_fips_endpoint=builtins["AWS::UseFIPS"],
                    use_dualstack_endpoint=builtins["AWS::UseDualStack"],
                    endpoint_url=builtins["SDK::Endpoint"],
                    aws_access_key_id="AKID",
                    aws_secret_access_key="secret",
                    transport=transport,
                    validate_input=False,  # random values; only where they send the request matters
                )
                method = getattr(client, naming.operation_name(operation_id.partition("#")[2]))
                if input_id:
                    input_class = getattr(shapes, naming.class_name(input_id.partition("#")[2]))
                    method(input_class.from_dict(theirs))
                else:
                    method()
            except ValueError as error:  # EndpointResolutionError and bad host labels
                mine = {"error": type(error).__name__, "message": str(error)}
            else:
                mine = recorded(transport)
            expected = botocore_outcome(model, operation_id, theirs, builtins)
            if "error" not in expected:
                found_name, found_region = expected["signing"]
                expected["signing"] = (
                    found_name or signing_name,
                    found_region or builtins["AWS::Region"],
                )
            assert agree(mine, expected), (operation_id, theirs, builtins, mine, expected)
            checked += 1
    assert checked
