"""Wire agreement with botocore for any AWS JSON service: what our generated client sends and what
our stub writes, compared case by case with botocore's serializer and parser.

Values are made at random (seeded) from botocore's own shape model of the service, so the two
sides describe the same data in two independent encodings. botocore's model may be newer than
the Smithy model we generate from: members and operations the Smithy model lacks are left out.
Our side runs in a fresh interpreter with only the generated package on its path; requests go
through the generated client, over a socket, to a recording server on 127.0.0.1.
"""

from __future__ import annotations

import json
import pickle
import random
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.wire_values import SmithyFacts, find_botocore_model, random_value


def botocore_model(facts: SmithyFacts) -> Any:
    """botocore's ServiceModel of the same service (same `X-Amz-Target` prefix, speaking AWS
    JSON), or None when the installed botocore does not have it (a service AWS has retired)."""

    def speaks_json(model: Any) -> bool:
        # A newer model may prefer another protocol (e.g. CBOR); it still lists the JSON one.
        speaks = "json" in model.metadata.get("protocols", [model.protocol])
        return speaks and _same_prefix(model.metadata.get("targetPrefix", ""), facts)

    return find_botocore_model(facts, speaks_json)


def _same_prefix(botocore_prefix: str, facts: SmithyFacts) -> bool:
    """botocore keeps some services' older namespaced target prefix (CloudTrail's
    `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`); Smithy's is the service shape's
    name, which AWS routes too and which smithy-python sends."""
    ours = facts.target_prefix
    return botocore_prefix == ours or botocore_prefix.endswith("." + ours)


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
    routed_elsewhere: tuple[str, ...] = ()
    """Operations left out: botocore's (newer) model sends them to another path than the Smithy
    model's `@http` uri (Geo Maps' `/v2` prefix), which the stub rightly does not route."""


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
    find_model: Callable[[SmithyFacts], Any] | None = None,
) -> StubCalls | None:
    """Real boto3 calls the generated stub (over a socket) on a seeded sample of `operations`
    operations of the service (None: every one), each `per_operation` times with a random input;
    None when botocore does not know the service (`find_model` finds botocore's model of it: `botocore_model`, AWS JSON's, by
    default). A call must end in a parsed 200 or in an error the operation models."""
    from botocore.exceptions import ClientError

    facts = SmithyFacts.read(model_path)
    model = (find_model or botocore_model)(facts)
    if model is None:
        return None
    rng = random.Random(seed)
    unbuildable = _unbuildable(package)
    known = [n for n in sorted(model.operation_names) if (n, "") in facts.defaults]
    elsewhere = tuple(n for n in known if not _same_route(model.operation_model(n), facts))
    names = [n for n in known if n not in unbuildable and n not in elsewhere]
    count = len(names) if operations is None else min(operations, len(names))
    chosen = sorted(rng.sample(names, count))
    calls = StubCalls(unbuildable=unbuildable, routed_elsewhere=elsewhere)
    with RunningStub(package) as url:
        client = stub_boto3_client(model.service_name, url)
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


def _same_route(operation: Any, facts: SmithyFacts) -> bool:
    """Whether botocore sends the operation to the path the Smithy model's `@http` gives it (a
    trailing `/` and the labels' names aside); always for AWS JSON, which has one path."""
    ours = facts.http_uris.get(operation.name)
    if ours is None:
        return True

    def shape(uri: str) -> str:
        return re.sub(r"\{[^}]*\}", "{}", uri.partition("?")[0]).rstrip("/")

    return shape(operation.http.get("requestUri", "/")) == shape(ours)


def _python_method(client: Any, operation_name: str) -> str:
    method: str = next(
        m for m, o in client.meta.method_to_api_mapping.items() if o == operation_name
    )
    return method


def stub_boto3_client(
    service_name: str, url: str, region: str = "us-east-1", read_timeout: float = 30
) -> Any:
    """A boto3 client of `service_name` for a generated stub at `url`: test credentials, no
    host prefix (the stub has one host), one attempt (a retry would hide what it answered)."""
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        service_name,
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(
            inject_host_prefix=False,
            retries={"mode": "standard", "total_max_attempts": 1},
            connect_timeout=10,
            read_timeout=read_timeout,
        ),
    )
