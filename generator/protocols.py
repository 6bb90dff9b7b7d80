"""Protocols as plug-ins: which protocol traits shapesmith speaks, the typed value each becomes in
the IR, the files each adds to a package's client and stub, and where each protocol puts the
members of a structure (whether it follows the HTTP binding traits and honours `@jsonName`).

A service whose protocol has no plug-in still gets its shapes, enums, errors and validators; what
it does not get (a client, a stub) is a warning naming the service and the trait, never silence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from generator import ir, naming
from generator.loader import JsonObject

KNOWN_PROTOCOL_TRAITS = (
    "aws.protocols#awsJson1_1",
    "aws.protocols#awsJson1_0",
    "aws.protocols#restJson1",
    "aws.protocols#restXml",
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "smithy.protocols#rpcv2Cbor",
)
"""Protocol traits a model may carry, in the order one is picked where a service has several."""

# What every client and every stub is made of, whatever its protocol.
CLIENT_TEMPLATES = ("client.py", "_operations.py")
CLIENT_STATIC_FILES = (
    "_record.py",
    "_config.py",
    "_endpoints.py",
    "_protocol.py",
    "_retries.py",
    "_sigv4.py",
    "_transport.py",
)
PAGINATOR_STATIC_FILES = ("_paginators.py",)
"""What a client with a paginated operation adds."""
AUTH_STATIC_FILES = ("_auth.py",)
"""What a client that picks an auth scheme per operation adds (a SigV4-only client signs all)."""
WAITER_TEMPLATES = ("_waiters.py",)
WAITER_STATIC_FILES = ("_waiting.py", "_jmespath.py")
"""What a client whose operations have waiters (`smithy.waiters#waitable`) adds."""
STUB_TEMPLATES = ("stub/__init__.py", "stub/service.py", "stub/fake.py", "stub/defaults.py")
STUB_STATIC_FILES = (
    "stub/__main__.py",
    "stub/_app.py",
    "stub/_auth_check.py",
    "stub/_documents.py",
    "stub/_events.py",
    "stub/_factory.py",
    "stub/_http_reader.py",
    "stub/_records.py",
    "stub/_server.py",
    "stub/_sigv4_check.py",
    "stub/_wire.py",
    "stub/faults.py",
    "stub/fixtures.py",
    "stub/stubber.py",
)


@dataclass(frozen=True)
class Plugin:
    """One protocol family: the typed value of its trait, and what it adds to the common client
    and stub files (templates are rendered per service, static files copied as they are)."""

    describe: Callable[[str, str, JsonObject], ir.WireProtocol]
    """(trait id, service shape name, trait value) -> the protocol as the IR holds it."""
    macros: str
    """The macro file the common client and stub templates import as `protocol`: the module of
    the protocol's serializers, the client's wire, the stub's wire (`_awsjson_protocol.jinja`
    says what each macro prints)."""
    codec_module: str = "_awsjson.py"
    """The module of `client_templates` with the protocol's serializers (its names are claimed
    there: see `ir.GenerationUnit.symbol_table`)."""
    http_codec: bool = False
    """Whether the codec also has each operation's whole-message writer and readers
    (`StructureShape.http_serializer`, `http_deserializer`): protocols with HTTP bindings."""
    client_templates: tuple[str, ...] = ()
    client_static_files: tuple[str, ...] = ()
    stub_templates: tuple[str, ...] = ()
    stub_static_files: tuple[str, ...] = ()
    fixed_names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """The top-level names the plug-in's templates bind in each generated module, its own and
    the common ones it adds to (see `naming.GENERATED_MODULE_NAMES`)."""


def _aws_json(trait: str, service_name: str, value: JsonObject) -> ir.WireProtocol:
    version = "1.0" if trait.endswith("1_0") else "1.1"
    return ir.AwsJson(trait=trait, version=version, target_prefix=service_name)


_AWS_JSON = Plugin(
    describe=_aws_json,
    macros="_awsjson_protocol.jinja",
    client_templates=("_awsjson.py",),
    client_static_files=(
        "_awsjson_wire.py",
        "_json_values.py",
        "_eventstream.py",
        "_event_wire.py",
    ),
    stub_static_files=("stub/_awsjson_server.py",),
    fixed_names={
        "_operations.py": frozenset(
            {"_awsjson", "_awsjson_wire", "_TARGET_PREFIX", "_CONTENT_TYPE"}
        ),
        "_awsjson.py": frozenset(
            {"annotations", "_datetime", "_decimal", "Any", "_json_values", "_runtime"}
            | {"_wrong_type", "ERROR_DESERIALIZERS"}
            | {"_eventstream", "_event_wire", "ServiceError"}
            | naming.FACADE_NAMES
        ),
        "stub/service.py": frozenset({"_awsjson", "_awsjson_server", "_json_values"}),
    },
)


def _rest_json(trait: str, service_name: str, value: JsonObject) -> ir.WireProtocol:
    return ir.RestJson(trait=trait)


_REST_JSON = Plugin(
    describe=_rest_json,
    macros="_restjson_protocol.jinja",
    codec_module="_restjson.py",
    http_codec=True,
    client_templates=("_restjson.py",),
    client_static_files=(
        "_restjson_wire.py",
        "_json_values.py",
        "_eventstream.py",
        "_event_wire.py",
    ),
    stub_static_files=("stub/_restjson_server.py",),
    fixed_names={
        "_operations.py": frozenset({"_restjson", "_restjson_wire", "_ROUTES"}),
        "stub/service.py": frozenset({"_restjson", "_restjson_server", "_json_values"}),
        "_restjson.py": frozenset(
            {"annotations", "_datetime", "_decimal", "Any", "_json_values", "_runtime"}
            | {"_restjson_wire", "_wrong_type", "ERROR_DESERIALIZERS"}
            | {"_eventstream", "_event_wire", "ServiceError"}
            | naming.FACADE_NAMES
        ),
    },
)


@dataclass(frozen=True)
class MemberLayout:
    """Where a protocol puts the members of a structure and what it calls them: facts about the
    protocol, whether or not shapesmith has a client for it, from which `build` makes every
    member's `ir.Binding`."""

    http_bindings: bool
    """Whether `@httpLabel`, `@httpHeader`, `@httpPayload`... place members; without them every
    member is in the body."""
    json_name: bool
    """Whether a body member's key is its `@jsonName` rather than its member name."""
    body_timestamp_format: str = "epoch-seconds"
    """How a timestamp in the body is written where no `@timestampFormat` says otherwise."""
    streams: bool = False
    """Whether shapesmith's client for the protocol sends and reads `@streaming` blob payloads
    as file objects and `StreamingBody`; without it a streaming blob is plain bytes (with a
    warning)."""
    event_streams: bool = False
    """Whether shapesmith's client for the protocol reads `@streaming` unions as event streams;
    without it an event stream's union is a plain union (with a warning)."""


@dataclass(frozen=True)
class Protocol:
    """What shapesmith knows of one protocol trait: its member layout, and its plug-in where
    shapesmith generates a client and a stub for it."""

    layout: MemberLayout
    plugin: Plugin | None = None


_AWS_JSON_LAYOUT = MemberLayout(http_bindings=False, json_name=False, event_streams=True)

PROTOCOLS: dict[str, Protocol] = {
    "aws.protocols#awsJson1_0": Protocol(_AWS_JSON_LAYOUT, _AWS_JSON),
    "aws.protocols#awsJson1_1": Protocol(_AWS_JSON_LAYOUT, _AWS_JSON),
    "aws.protocols#restJson1": Protocol(
        MemberLayout(http_bindings=True, json_name=True, streams=True, event_streams=True),
        _REST_JSON,
    ),
}
"""Protocol trait id -> what shapesmith knows of it: the one place that knows protocols."""

MODEL_LAYOUT = MemberLayout(http_bindings=True, json_name=False)
"""For a service whose protocol is not in `PROTOCOLS`, or that has none: the HTTP binding traits
as the model has them (Smithy defines them apart from any protocol), member names in the body."""

PLUGINS: dict[str, Plugin] = {
    trait: protocol.plugin for trait, protocol in PROTOCOLS.items() if protocol.plugin is not None
}
"""Protocol trait id -> its plug-in, for the protocols shapesmith generates clients for."""


def layout(trait: str | None) -> MemberLayout:
    """Where the protocol `trait` (the service's `protocol_trait`) puts structure members."""
    known = PROTOCOLS.get(trait) if trait is not None else None
    return MODEL_LAYOUT if known is None else known.layout


def protocol_trait(traits: JsonObject) -> str | None:
    """The service's protocol trait: one shapesmith speaks first, else the first one known."""
    known = [trait for trait in KNOWN_PROTOCOL_TRAITS if trait in traits]
    spoken = [trait for trait in known if trait in PLUGINS]
    return next(iter(spoken or known), None)


def describe(trait: str | None, service_id: str, traits: JsonObject) -> ir.WireProtocol | None:
    """The protocol `trait` (the service's `protocol_trait`) as a typed value; None without a
    plug-in."""
    if trait is None or trait not in PLUGINS:
        return None
    return PLUGINS[trait].describe(trait, service_id.partition("#")[2], traits[trait])


def plugin(service: ir.ServiceShape) -> Plugin | None:
    """The plug-in that renders the service's client and stub; None when it gets neither."""
    if not service.supports_client or service.protocol is None:
        return None
    return PLUGINS[service.protocol.trait]


def client_files(
    service: ir.ServiceShape, *, waiters: bool = False
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(templates, static files) of the service's client and stub, with the waiters' where
    an operation has one; empty without a plug-in."""
    found = plugin(service)
    if found is None:
        return (), ()
    templates = CLIENT_TEMPLATES + found.client_templates + STUB_TEMPLATES + found.stub_templates
    static = CLIENT_STATIC_FILES + found.client_static_files
    if waiters:
        templates += WAITER_TEMPLATES
        static += WAITER_STATIC_FILES
    if service.auth.chosen_per_operation:
        static += AUTH_STATIC_FILES
    if any(operation.paginated for operation in service.operations):
        static += PAGINATOR_STATIC_FILES
    static += STUB_STATIC_FILES + found.stub_static_files
    return templates, static


def every_static_file() -> frozenset[str]:
    """Every static file some package may get: the common ones and each plug-in's."""
    files = set(CLIENT_STATIC_FILES + AUTH_STATIC_FILES + STUB_STATIC_FILES + WAITER_STATIC_FILES)
    files.update(PAGINATOR_STATIC_FILES)
    for found in PLUGINS.values():
        files.update(found.client_static_files + found.stub_static_files)
    return frozenset(files)
