"""Wire agreement with botocore for any AWS JSON service: what our generated client sends and what
our stub writes, compared case by case with botocore's serializer and parser.

Values are made at random (seeded) from botocore's own shape model of the service, so the two
sides describe the same data in two independent encodings. botocore's model may be newer than
the Smithy model we generate from: members and operations the Smithy model lacks are left out.
Our side runs in a fresh interpreter with only the generated package on its path; requests go
through the generated client, over a socket, to a recording server on 127.0.0.1.
"""

from __future__ import annotations

import datetime
import functools
import json
import pickle
import random
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_NOT_IN_SMITHY = object()
"""The "default" of a member botocore's (newer) model has and the Smithy model lacks."""


@dataclass(frozen=True)
class SmithyFacts:
    """What the cases need to know of the Smithy model the package was generated from."""

    sdk_id: str
    target_prefix: str
    defaults: dict[tuple[str, str], object]
    """(structure name, member name) -> the member's @default or None; (name, "") marks that a
    shape of that name exists."""
    required: frozenset[tuple[str, str]]
    """(structure name, member name) of each @required member: botocore's newer model may
    have made it optional, and a value is always made for it."""
    bounds: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Shape name -> the (min, max) of its Smithy @range or @length: botocore's newer model may
    allow more than the stub (strict) accepts."""
    enum_values: dict[str, frozenset[str]] = field(default_factory=dict)
    """Enum shape name -> the values the Smithy model lists: botocore's newer model may list
    more, which the stub (strict) rightly refuses."""
    member_bounds: dict[tuple[str, str], tuple[Any, Any]] = field(default_factory=dict)
    """(structure name, member name) -> the (min, max) of the member's @range or @length, its
    own or its target's: botocore's newer model may target another shape (Pricing's MaxResults,
    1..100 in Smithy, targets `GetAttributeValuesMaxResults`, 1..10000, in botocore)."""
    member_patterns: dict[tuple[str, str], str] = field(default_factory=dict)
    """(structure name, member name) -> the member's @pattern, its own or its target's (Support's
    `serviceCode` has one in Smithy, none in botocore's newer model)."""
    member_kinds: dict[tuple[str, str], str] = field(default_factory=dict)
    """(structure name, member name) -> "list", "map", "structure" or "scalar": what the Smithy
    model's member holds. botocore's newer model may have changed it (Health's `EntityFilter.tags`
    went from a list of maps to a map); such a member is left out of the cases."""

    @classmethod
    def read(cls, model_path: Path) -> SmithyFacts:
        shapes = json.loads(model_path.read_text("utf-8"))["shapes"]
        service_id, service = next((k, v) for k, v in shapes.items() if v["type"] == "service")
        defaults: dict[tuple[str, str], object] = {
            (shape_id.split("#")[1], ""): None for shape_id in shapes
        }
        required: set[tuple[str, str]] = set()
        member_bounds: dict[tuple[str, str], tuple[Any, Any]] = {}
        member_patterns: dict[tuple[str, str], str] = {}
        member_kinds: dict[tuple[str, str], str] = {}
        for shape_id, shape in shapes.items():
            for name, member in shape.get("members", {}).items():
                key = (shape_id.split("#")[1], name)
                traits = member.get("traits", {})
                target = shapes.get(member["target"], {})  # a prelude target: {}
                # A member's own trait, else its target's.
                target_traits = target.get("traits", {})
                defaults[key] = traits.get("smithy.api#default")
                if "smithy.api#required" in traits:
                    required.add(key)
                for trait in ("smithy.api#range", "smithy.api#length"):
                    limits = traits.get(trait) or target_traits.get(trait)
                    if isinstance(limits, dict):
                        member_bounds[key] = (limits.get("min"), limits.get("max"))
                pattern = traits.get("smithy.api#pattern") or target_traits.get(
                    "smithy.api#pattern"
                )
                if isinstance(pattern, str):
                    member_patterns[key] = pattern
                member_kinds[key] = _kind(target.get("type"))
        enum_values = {
            shape_id.split("#")[1]: frozenset(
                str(member.get("traits", {}).get("smithy.api#enumValue", name))
                for name, member in shape.get("members", {}).items()
            )
            for shape_id, shape in shapes.items()
            if shape["type"] == "enum"
        }
        bounds = {
            shape_id.split("#")[1]: (limits.get("min"), limits.get("max"))
            for shape_id, shape in shapes.items()
            for trait in ("smithy.api#range", "smithy.api#length")
            if isinstance(limits := shape.get("traits", {}).get(trait), dict)
        }
        return cls(
            member_kinds=member_kinds,
            member_bounds=member_bounds,
            member_patterns=member_patterns,
            bounds=bounds,
            enum_values=enum_values,
            sdk_id=service["traits"]["aws.api#service"]["sdkId"],
            target_prefix=service_id.split("#")[1],
            defaults=defaults,
            required=frozenset(required),
        )


def _kind(shape_type: str | None) -> str:
    """The botocore type class of a Smithy shape type (prelude targets are all scalars)."""
    if shape_type in ("list", "set", "map"):
        return "list" if shape_type == "set" else shape_type
    return "structure" if shape_type in ("structure", "union", "document") else "scalar"


@functools.cache
def _available_services() -> tuple[str, ...]:
    import botocore.session

    return tuple(botocore.session.get_session().get_available_services())


def botocore_model(facts: SmithyFacts) -> Any:
    """botocore's ServiceModel of the same service (same `X-Amz-Target` prefix, speaking AWS
    JSON), or None when the installed botocore does not have it (a service AWS has retired)."""
    import botocore.session

    session = botocore.session.get_session()
    guesses = [facts.sdk_id.lower().replace(" ", "-"), facts.sdk_id.lower().replace(" ", "")]
    available = _available_services()
    for name in [*guesses, *available]:
        if name not in available:
            continue
        model = session.get_service_model(name)
        # A newer model may prefer another protocol (e.g. CBOR); it still lists the JSON one.
        speaks_json = "json" in model.metadata.get("protocols", [model.protocol])
        if speaks_json and _same_prefix(model.metadata.get("targetPrefix", ""), facts):
            return model
    return None


def _same_prefix(botocore_prefix: str, facts: SmithyFacts) -> bool:
    """botocore keeps some services' older namespaced target prefix (CloudTrail's
    `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`); Smithy's is the service shape's
    name, which AWS routes too and which smithy-python sends."""
    ours = facts.target_prefix
    return botocore_prefix == ours or botocore_prefix.endswith("." + ours)


def random_value(
    shape: Any,
    rng: random.Random,
    facts: SmithyFacts,
    depth: int = 0,
    member_of: tuple[str, str] | None = None,
) -> Any:
    """A value both botocore's model and the Smithy one allow for `shape` (`member_of`: the
    structure and member it is made for): lengths, ranges, enums and patterns kept, so that the
    strict stub takes it too. A member that comes out equal to its @default is left out: we do
    not send defaults (the receiver assumes them), botocore sends whatever it is given."""
    kind = shape.type_name
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    smithy_low, smithy_high = facts.member_bounds.get(member_of or ("", "")) or facts.bounds.get(
        shape.name, (None, None)
    )
    if smithy_low is not None:
        low = smithy_low if low is None else max(low, smithy_low)
    if smithy_high is not None:
        high = smithy_high if high is None else min(high, smithy_high)
    if kind == "structure" and shape.metadata.get("document"):
        # Not a top-level null: a member set to None is unset in our API (botocore would send
        # `null`); nulls inside a document are kept.
        return rng.choice([True, 1, 2.5, "text", [1, None], {"k": {"n": [None]}}])
    if kind == "structure" and shape.metadata.get("union"):
        name = rng.choice(sorted(n for n in shape.members if (shape.name, n) in facts.defaults))
        return {name: random_value(shape.members[name], rng, facts, depth + 1)}
    if kind == "structure":
        chosen = {}
        for name, member in shape.members.items():
            default = facts.defaults.get((shape.name, name), _NOT_IN_SMITHY)
            if default is _NOT_IN_SMITHY or _kind(member.type_name) != facts.member_kinds.get(
                (shape.name, name), _kind(member.type_name)
            ):
                continue
            required = name in shape.required_members or (shape.name, name) in facts.required
            if required or (depth < 4 and rng.random() < 0.7):
                value = random_value(member, rng, facts, depth + 1, (shape.name, name))
                if required or default is None or default != value:
                    chosen[name] = value
        return chosen
    if kind == "list":
        size = rng.randint(int(low or 0), min(int(high or 2), max(int(low or 0), 2)))
        return [random_value(shape.member, rng, facts, depth + 1) for _ in range(size)]
    if kind == "map":
        size = rng.randint(int(low or 0), max(int(low or 0), 2))
        return {
            random_value(shape.key, rng, facts, depth + 1): random_value(
                shape.value, rng, facts, depth + 1
            )
            for _ in range(size)
        }
    if kind == "string":
        if shape.enum:
            known = facts.enum_values.get(shape.name)
            return rng.choice([v for v in shape.enum if known is None or v in known] or shape.enum)
        # The Smithy model's pattern first: the stub checks it, botocore checks none (and its
        # newer model's may allow more: AppConfig's role ARNs gained the `aws-eusc` partition).
        pattern = facts.member_patterns.get(member_of or ("", "")) or shape.metadata.get("pattern")
        if pattern is not None:
            fitting = _fitting_pattern(pattern, int(low or 0), high, rng)
            if fitting is not None:
                return fitting
        shortest = int(low or 1)
        longest = int(high) if high is not None else max(shortest, 12)
        shortest = min(shortest, longest)  # Proton's EmptyNextToken: @length(max: 0)
        size = rng.randint(shortest, min(longest, max(shortest, 12)))
        return "".join(rng.choice("abcdefXYZ019-_é") for _ in range(size))
    if kind in ("integer", "long"):
        lower = int(low) if low is not None else -1000
        return rng.randint(lower, int(high) if high is not None else max(lower, 0) + 1000)
    if kind in ("float", "double"):
        bottom = float(low) if low is not None else -1000.0
        top = float(high) if high is not None else 1000.0
        return round(rng.uniform(bottom, top), 3)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "blob":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    if kind == "timestamp":
        return datetime.datetime.fromtimestamp(rng.randint(0, 2_000_000_000), datetime.UTC)
    raise AssertionError(f"no value for a {kind}")


@functools.cache
def _planned_pattern(pattern: str) -> tuple[str, Any] | None:
    """The Python source of an ECMA `pattern` and its bound match method (None where it does
    not translate): planned once per pattern, not once per value."""
    import re

    from generator import ecma_regex

    try:
        source, method = ecma_regex.plan(pattern)
    except ecma_regex.PatternError:
        return None
    return source, getattr(re.compile(source), method)


def _fitting_pattern(pattern: str, low: int, high: Any, rng: random.Random) -> str | None:
    """A string `pattern` accepts within the length bounds (code points), or None when the
    sampler finds none: the stub checks patterns, so a call with a random string would only
    ever meet its validation error."""
    from generator import pattern_samples

    planned = _planned_pattern(pattern)
    if planned is None:
        return None
    source, matches = planned
    variant = rng.randrange(8)
    for candidate in pattern_samples.samples(source, low, variant=variant):
        fits = high is None or len(candidate) <= int(high)
        if fits and len(candidate) >= low and matches(candidate):
            return candidate
    return None


@dataclass
class Agreement:
    """The outcome of one service's comparison: counts, and the first few differences."""

    requests: int = 0
    responses: int = 0
    refused: list[str] = field(default_factory=list)
    """Requests the client refuses to send, as documented (an endpoint that asks for SigV4a)."""
    mismatches: list[str] = field(default_factory=list)


_PROBE = r"""
import http.server, json, pickle, sys, threading
package = sys.argv[1]
sys.path.insert(0, sys.argv[2])
import importlib
root = importlib.import_module(package)
shapes = importlib.import_module(package + ".shapes")
awsjson = importlib.import_module(package + "._awsjson")
client_module = importlib.import_module(package + ".client")
errors = importlib.import_module(package + ".errors")
endpoints = importlib.import_module(package + "._endpoints")
cases = pickle.load(sys.stdin.buffer)
seen = []

class Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        seen.append((dict(self.headers.items()), body))
        answer = b'{"__type":"ShapesmithWireProbe","message":"recorded"}'
        self.send_response(400)
        self.send_header("Content-Type", self.headers.get("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
threading.Thread(target=server.serve_forever, daemon=True).start()
client_class = getattr(client_module, root.__all__[[n.endswith("Client") for n in root.__all__].index(True)])
client = client_class(
    region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", max_attempts=1,
    validate_input=False, read_timeout=30.0, inject_host_prefix=False,
)
out = {"requests": [], "responses": []}
for method, shape_name, params in cases["requests"]:
    request = getattr(shapes, shape_name).from_dict(params)
    before = len(seen)
    try:
        getattr(client, method)(request)
    except errors.ServiceError:
        pass
    except endpoints.EndpointResolutionError as error:
        out["requests"].append({"refused": str(error)})
        continue
    except AttributeError:
        out["requests"].append({"missing client method": method})
        continue
    if len(seen) == before:
        out["requests"].append(None)
        continue
    headers, body = seen[-1]
    out["requests"].append({
        "target": headers.get("X-Amz-Target"),
        "content_type": headers.get("Content-Type"),
        "body": json.loads(body) if body else None,
    })
for shape_name, serializer, params in cases["responses"]:
    value = getattr(shapes, shape_name).from_dict(params)
    out["responses"].append(json.loads(json.dumps(getattr(awsjson, serializer)(value), allow_nan=False)))
client.close()
server.shutdown()
sys.stdout.write(json.dumps(out))
"""


def _mask_fresh_tokens(operation: Any, *sides: dict[str, Any]) -> None:
    """Idempotency tokens filled in by each client are fresh UUIDs on both sides: equal when
    both are UUIDs, so they are replaced by one placeholder before the bodies are compared."""
    shape = operation.input_shape
    for name, member in shape.members.items() if shape is not None else ():
        if not member.metadata.get("idempotencyToken"):
            continue
        bodies = [side.get("body") for side in sides]
        values = [body.get(name) if isinstance(body, dict) else None for body in bodies]
        if all(isinstance(value, str) and _is_uuid(value) for value in values):
            for body in bodies:
                assert isinstance(body, dict)
                body[name] = "<fresh uuid>"


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def compare(
    package: Path,
    model_path: Path,
    *,
    per_operation: int = 3,
    seed: int = 20261201,
) -> Agreement | None:
    """Compare the generated `package` (a folder) with botocore on every operation of the
    Smithy model it was generated from; None when botocore does not know the service."""
    from botocore.handlers import generate_idempotent_uuid
    from botocore.parsers import create_parser
    from botocore.serialize import create_serializer

    from generator import naming

    facts = SmithyFacts.read(model_path)
    model = botocore_model(facts)
    if model is None:
        return None
    serializer = create_serializer("json", include_validation=False)
    rng = random.Random(seed)
    requests: list[tuple[str, str, dict[str, Any]]] = []
    expected_requests: list[tuple[str, dict[str, Any]]] = []
    responses: list[tuple[str, str, dict[str, Any]]] = []
    output_shapes = []
    for name in sorted(model.operation_names):
        operation = model.operation_model(name)
        if (name, "") not in facts.defaults:
            continue  # an operation newer than the Smithy model
        for shape, into in ((operation.input_shape, "request"), (operation.output_shape, "")):
            if shape is None or (shape.name, "") not in facts.defaults:
                continue
            for _ in range(per_operation):
                params = random_value(shape, rng, facts)
                class_name = naming.class_name(shape.name)
                if into:
                    method = naming.snake_case(name)
                    requests.append((method, class_name, params))
                    with_token = dict(params)
                    generate_idempotent_uuid(with_token, operation)  # what boto3's client does
                    for filled in set(with_token) - set(params):
                        if (shape.name, filled) not in facts.defaults:
                            del with_token[filled]  # a token member newer than the Smithy model
                    sent = serializer.serialize_to_request(with_token, operation)
                    expected_requests.append((name, sent))
                else:
                    serialize = naming.serializer_function(shape.name)
                    responses.append((class_name, serialize, params))
                    output_shapes.append(shape)
    probe_input = pickle.dumps({"requests": requests, "responses": responses})
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, package.name, str(package.parent)],
        input=probe_input,
        capture_output=True,
        timeout=600,
    )
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace")[-3000:]
        return Agreement(mismatches=[f"the probe failed:\n{tail}"])
    ours = json.loads(result.stdout)
    agreement = Agreement(requests=len(requests), responses=len(responses))
    for (name, sent), got in zip(expected_requests, ours["requests"], strict=True):
        if got is not None and "refused" in got:
            agreement.refused.append(f"{name}: {got['refused']}")
            continue
        target = sent["headers"].get("X-Amz-Target")
        theirs = {
            "target": f"{facts.target_prefix}.{target.rpartition('.')[2]}" if target else target,
            "content_type": sent["headers"].get("Content-Type"),
            "body": json.loads(sent["body"] or b"{}"),
        }
        _mask_fresh_tokens(model.operation_model(name), got, theirs)
        if got != theirs:
            agreement.mismatches.append(
                f"{name} request:\n ours   {json.dumps(got, sort_keys=True, default=str)}"
                f"\n theirs {json.dumps(theirs, sort_keys=True, default=str)}"
            )
    parser = create_parser("json")
    for (class_name, _, params), shape, body in zip(
        responses, output_shapes, ours["responses"], strict=True
    ):
        reply = {"body": json.dumps(body).encode(), "headers": {}, "status_code": 200}
        parsed = parser.parse(reply, shape)
        parsed.pop("ResponseMetadata", None)
        if parsed != params:
            agreement.mismatches.append(
                f"{class_name} response: sent {params!r:.500}\n read back {parsed!r:.500}"
            )
    return agreement


@dataclass
class StubCalls:
    """The outcome of real boto3 calling the generated stub: how each call ended."""

    answered: int = 0
    """Calls that got a 200 botocore parsed."""
    modelled_errors: int = 0
    """Calls that got an error the operation models (e.g. a validation error for an input our
    model constrains more tightly than botocore's)."""
    failures: list[str] = field(default_factory=list)
    unbuildable: tuple[str, ...] = ()
    """Operations left out: the model contradicts itself on their output (generation warned),
    so the stub answers them 501 without a fixture."""


def _unbuildable(package: Path) -> tuple[str, ...]:
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        f"from {package.name}.stub.defaults import UNBUILDABLE; print(json.dumps(sorted(UNBUILDABLE)))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code, str(package.parent)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return tuple(json.loads(found.stdout))


class RunningStub:
    """The generated package's stub, `python -m <package>.stub`, in its own interpreter with only
    the package on its path; stopped (and reaped) on exit, whatever happens."""

    def __init__(self, package: Path, *extra: str) -> None:
        self.command = [sys.executable, "-m", f"{package.name}.stub", "--port", "0", *extra]
        self.folder = package.parent
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> str:
        import selectors

        self.process = subprocess.Popen(
            self.command,
            cwd=self.folder,
            env={"PYTHONPATH": str(self.folder), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=60):
                raise AssertionError(f"{' '.join(self.command)} did not start within 60 s")
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            raise AssertionError(f"the stub did not start: {line!r} {self._stderr()}")
        return line.removeprefix("listening on ").strip()

    def _stderr(self) -> str:
        assert self.process is not None and self.process.stderr is not None
        if self.process.poll() is None:
            return ""
        return self.process.stderr.read()[-2000:]

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def _newer_token_dropper(facts: SmithyFacts) -> Callable[..., None]:
    """A boto3 event handler that runs after boto3 fills in idempotency tokens and takes back
    those of members the Smithy model does not have (botocore's model may be newer: Marketplace
    Metering's `MeterUsage.ClientToken`), so the call is one the model describes."""

    def drop(params: dict[str, Any], model: Any, **_: Any) -> None:
        shape = model.input_shape
        for name, member in shape.members.items() if shape is not None else ():
            if member.metadata.get("idempotencyToken") and (shape.name, name) not in facts.defaults:
                params.pop(name, None)

    return drop


def call_stub_with_boto3(
    package: Path,
    model_path: Path,
    *,
    operations: int | None = 5,
    per_operation: int = 1,
    seed: int = 20261201,
    service_name: str | None = None,
) -> StubCalls | None:
    """Real boto3 calls the generated stub (over a socket) on a seeded sample of `operations`
    operations of the service (None: every one), each `per_operation` times with a random input;
    None when botocore does not know the service (`service_name`: botocore's name for it, where
    the AWS JSON target prefix cannot find it). A call must end in a parsed answer or in an error
    the operation models."""
    import boto3
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ClientError

    facts = SmithyFacts.read(model_path)
    if service_name is None:
        model = botocore_model(facts)
    else:
        model = botocore.session.get_session().get_service_model(service_name)
    if model is None:
        return None
    rng = random.Random(seed)
    unbuildable = _unbuildable(package)
    names = [
        n
        for n in sorted(model.operation_names)
        if (n, "") in facts.defaults and n not in unbuildable
    ]
    count = len(names) if operations is None else min(operations, len(names))
    chosen = sorted(rng.sample(names, count))
    calls = StubCalls(unbuildable=unbuildable)
    with RunningStub(package) as url:
        client = boto3.session.Session().client(
            model.service_name,
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=Config(
                inject_host_prefix=False,
                retries={"mode": "standard", "total_max_attempts": 1},
                connect_timeout=10,
                read_timeout=30,
            ),
        )
        client.meta.events.register("before-parameter-build", _newer_token_dropper(facts))
        try:
            for name in [name for name in chosen for _ in range(per_operation)]:
                operation = model.operation_model(name)
                shape = operation.input_shape
                params = random_value(shape, rng, facts) if shape is not None else {}
                method = getattr(client, _python_method(client, name))
                modelled = {error.name for error in operation.error_shapes}
                try:
                    method(**params)
                except ClientError as error:
                    code = error.response.get("Error", {}).get("Code", "")
                    if code in modelled:
                        calls.modelled_errors += 1
                    else:
                        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                        calls.failures.append(f"{name}: {status} {code}: {error}"[:500])
                except Exception as error:  # anything else boto3 raises is a failure to report
                    calls.failures.append(f"{name}: {type(error).__name__}: {error}"[:500])
                else:
                    calls.answered += 1
        finally:
            client.close()
    return calls


def _python_method(client: Any, operation_name: str) -> str:
    method: str = next(
        m for m, o in client.meta.method_to_api_mapping.items() if o == operation_name
    )
    return method
