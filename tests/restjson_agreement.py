"""Wire agreement with botocore for a restJson1 service. Request side: for every operation, seeded
random inputs sent by our generated client and by botocore's own client, each over a socket to the
same recording server (`wire_recorder`), must make the same request. Answer side: seeded random
outputs written by the generated stub's answer writers (status, headers, body) must be read back
by botocore's rest-json parser into exactly those values.

Both sides are real clients, so what is compared is what goes on the wire after every step each
takes (endpoint resolution, host prefixes — off on both sides, as the server is 127.0.0.1 —,
label and query encoding, idempotency tokens, headers, payloads). Compared, per request:

- the method;
- the path exactly as sent, still percent-encoded (not decoded: `%2F` and `/` differ on the wire);
- the query as a multiset of `key=value` pairs, still percent-encoded (order is free);
- the headers botocore sets from members: every header an input member of botocore's model is
  bound to (`location: header` by name, `location: headers` by prefix), and `Content-Type`;
  names case-insensitive. Not compared: Host, User-Agent, Authorization, X-Amz-Date,
  X-Amz-Security-Token, X-Amz-Content-SHA256, Content-Length, Transfer-Encoding, Expect,
  Accept-Encoding, amz-sdk-invocation-id, amz-sdk-request (transport, signing and telemetry,
  no member's value), and the flexible-checksum headers botocore adds of its own accord (its
  client runs with `request_checksum_calculation="when_required"`, so a checksum header appears
  only where a member asks for one);
- the body: as parsed JSON where it is a JSON document (no payload member, or a structure,
  union or document payload), else its bytes exactly; an empty body against `{}` differs.

Idempotency tokens each client fills in are fresh UUIDs: equal where both are UUIDs. A URI
label's random value is never empty: botocore sends an empty one as an empty segment (`//`),
which is another route's path; Smithy's clients, ours among them, refuse it.

Answers are compared whole, as botocore parses them, with two normalisations where botocore reads
more than was sent: a blob payload that is not `@streaming` is read by botocore as UTF-8 text (so
the random payloads are UTF-8, compared as bytes) and an unset one as empty text, an unset
member bound to `Content-Type` still reads the payload's own type, which every answer with a body
carries, and an unset `@httpResponseCode` member reads the operation's success code (set, it is
a random 2xx: an output is a success).

Documented differences (each skipped where it applies, and counted):
- botocore sends a blob or string payload without `Content-Type` (it treats every such payload
  as a stream); Smithy's restJson1 says `application/octet-stream`, `text/plain` or the target's
  `@mediaType`, and ours sends that. Compared only where botocore sets one (from a member).
- botocore's client sends CloudSearch Domain's `Search`, a GET with its members in the query,
  as a POST with that query as a form body (its `change_get_to_post` handler): the same pairs.
- botocore's model may differ from the Smithy model. Its members, operations and idempotency
  tokens the Smithy model lacks are left out (`wire_values`, `_newer_token_dropper`). Its
  `requestUri` may differ from the Smithy `@http` uri (EFS's `DescribeTags` ends in a `/`,
  Geo Maps' paths start with `/v2` in botocore's newer model only): the paths then agree when
  each fits its own model's template with the same (encoded) label values. Its model may make a member an idempotency token that the Smithy model does not
  (Backup's `CreateBackupVault.CreatorRequestId`): botocore's filled-in value is taken back.
  Its input may have body members where the Smithy one has none (Clean Rooms'
  `PopulateIdMappingTable`): botocore then sends `{}` where ours sends no body.
"""

from __future__ import annotations

import base64
import json
import pickle
import random
import re
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.wire_agreement import _python_method
from tests.wire_recorder import Recorded, Recorder
from tests.wire_values import URI_TEXT, SmithyFacts, find_botocore_model, random_value

RECORDER = Path(__file__).with_name("wire_recorder.py")
_LABEL = re.compile(r"\{[^}]*\}")

_PROBE = r"""
import importlib, importlib.util, json, pickle, sys
package, folder, recorder_path = sys.argv[1:4]
sys.path.insert(0, folder)
spec = importlib.util.spec_from_file_location("wire_recorder", recorder_path)
wire_recorder = importlib.util.module_from_spec(spec)
sys.modules["wire_recorder"] = wire_recorder
spec.loader.exec_module(wire_recorder)
root = importlib.import_module(package)
shapes = importlib.import_module(package + ".shapes")
client_module = importlib.import_module(package + ".client")
errors = importlib.import_module(package + ".errors")
endpoints = importlib.import_module(package + "._endpoints")
cases = pickle.load(sys.stdin.buffer)
out = []
with wire_recorder.Recorder() as recorder:
    name = next(n for n in root.__all__ if n.endswith("Client"))
    client = getattr(client_module, name)(
        region_name="us-east-1", endpoint_url=recorder.url,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", max_attempts=1,
        validate_input=False, read_timeout=30.0, inject_host_prefix=False,
    )
    for method, shape_name, params in cases:
        before = len(recorder.seen)
        try:
            call = getattr(client, method)
            call(getattr(shapes, shape_name).from_dict(params)) if shape_name else call()
        except errors.ServiceError:
            pass
        except endpoints.EndpointResolutionError as error:
            out.append({"refused": str(error)})
            continue
        except Exception as error:
            out.append({"raised": f"{type(error).__name__}: {error}"[:500]})
            continue
        out.append(recorder.seen[-1].as_json() if len(recorder.seen) > before else None)
    client.close()
sys.stdout.write(json.dumps(out))
"""


_ANSWER_PROBE = r"""
import base64, importlib, json, pickle, sys
package, folder = sys.argv[1:3]
sys.path.insert(0, folder)
shapes = importlib.import_module(package + ".shapes")
service = importlib.import_module(package + ".stub").SERVICE
out = []
for operation, shape_name, params in pickle.load(sys.stdin.buffer):
    spec = service.operations[operation]
    try:
        value = getattr(shapes, shape_name).from_dict(params)
        status, body, headers = service.wire.output(spec, spec.serialize_output(value))
    except Exception as error:
        out.append({"raised": f"{type(error).__name__}: {error}"[:500]})
        continue
    out.append({"status": status, "headers": headers, "body": base64.b64encode(body).decode()})
sys.stdout.write(json.dumps(out))
"""


@dataclass
class RestAgreement:
    """One restJson1 service's comparison: counts, and the first few differences."""

    requests: int = 0
    responses: int = 0
    refused: list[str] = field(default_factory=list)
    """Requests the client refuses to send, as documented (an endpoint that asks for SigV4a)."""
    mismatches: list[str] = field(default_factory=list)
    documented: Counter[str] = field(default_factory=Counter)
    """How often each documented difference was set aside."""


def botocore_rest_model(facts: SmithyFacts) -> Any:
    """botocore's ServiceModel of the same service (its `serviceId` is the Smithy sdkId) speaking
    rest-json, or None when the installed botocore does not have it."""

    def same_service(model: Any) -> bool:
        protocols = model.metadata.get("protocols", [model.protocol])
        return bool(model.metadata.get("serviceId") == facts.sdk_id and "rest-json" in protocols)

    return find_botocore_model(facts, same_service)


def compare_rest(
    package: Path, model_path: Path, *, per_operation: int = 3, seed: int = 20261201
) -> RestAgreement | None:
    """Compare the generated restJson1 `package` (a folder) with botocore on every operation of
    the Smithy model it was generated from; None when botocore does not know the service."""
    from generator import naming

    facts = SmithyFacts.read(model_path)
    model = botocore_rest_model(facts)
    if model is None:
        return None
    rng = random.Random(seed)
    cases: list[tuple[str, str, dict[str, Any]]] = []
    names: list[str] = []
    for name in sorted(model.operation_names):
        if (name, "") not in facts.defaults:
            continue  # an operation newer than the Smithy model
        shape = model.operation_model(name).input_shape
        if shape is not None and (shape.name, "") not in facts.defaults:
            continue
        for _ in range(per_operation):
            params = random_value(shape, rng, facts, alphabet=URI_TEXT) if shape is not None else {}
            class_name = naming.class_name(shape.name) if shape is not None else ""
            cases.append((naming.snake_case(name), class_name, params))
            names.append(name)
    ours = _our_requests(package, cases)
    agreement = RestAgreement(requests=len(cases))
    inputs = [params for _, _, params in cases]
    theirs = _botocore_requests(model, facts, names, inputs, agreement.documented)
    for name, (_, _, params), got, sent in zip(names, cases, ours, theirs, strict=True):
        if got is not None and "refused" in got:
            agreement.refused.append(f"{name}: {got['refused']}")
            continue
        operation = model.operation_model(name)
        if got is None or "raised" in got or isinstance(sent, str):
            agreement.mismatches.append(
                f"{name} {params!r:.300}:\n ours   {got}\n theirs {sent!r:.500}"
            )
            continue
        mine, its = _request_view(operation, got), _request_view(operation, sent.as_json())
        _set_aside(operation, facts, name, mine, its, agreement.documented)
        if mine != its:
            agreement.mismatches.append(
                f"{name} {params!r:.300}:\n ours   {json.dumps(mine, sort_keys=True)}"
                f"\n theirs {json.dumps(its, sort_keys=True)}"
            )
    if (package / "stub").is_dir():
        _compare_answers(package, model, facts, rng, per_operation, agreement)
    return agreement


def _compare_answers(
    package: Path,
    model: Any,
    facts: SmithyFacts,
    rng: random.Random,
    per_operation: int,
    agreement: RestAgreement,
) -> None:
    """What the stub answers, read back by botocore's parser, against the values answered."""
    from botocore.awsrequest import HeadersDict
    from botocore.parsers import create_parser

    from generator import naming

    cases: list[tuple[str, str, dict[str, Any]]] = []
    shapes = []
    for name in sorted(model.operation_names):
        shape = model.operation_model(name).output_shape
        if (name, "") not in facts.defaults or shape is None:
            continue
        if (shape.name, "") not in facts.defaults:
            continue
        payload = shape.serialization.get("payload")
        if payload is not None and shape.members[payload].serialization.get("eventstream"):
            agreement.documented["an event stream answer (not compared here)"] += 1
            continue
        for _ in range(per_operation):
            params = random_value(shape, rng, facts)
            for key, member in shape.members.items():
                if member.serialization.get("location") == "statusCode" and key in params:
                    params[key] = rng.choice([200, 201, 202, 206])  # a success's status
            if isinstance(params.get(payload), bytes):
                params[payload] = "".join(rng.choice("abcé{}") for _ in range(9)).encode()
            cases.append((name, naming.class_name(shape.name), params))
            shapes.append(shape)
    result = subprocess.run(
        [sys.executable, "-c", _ANSWER_PROBE, package.name, str(package.parent)],
        input=pickle.dumps(cases),
        capture_output=True,
        timeout=600,
    )
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace")[-3000:]
        raise AssertionError(f"the restJson1 answer probe failed:\n{tail}")
    parser = create_parser("rest-json")
    for (name, _, sent), shape, answer in zip(
        cases, shapes, json.loads(result.stdout), strict=True
    ):
        agreement.responses += 1
        if "raised" in answer:
            agreement.mismatches.append(f"{name} answer {sent!r:.300}: {answer['raised']}")
            continue
        reply = {
            "status_code": answer["status"],
            "headers": HeadersDict([tuple(pair) for pair in answer["headers"]]),
            "body": base64.b64decode(answer["body"]),
        }
        parsed = _as_sent(shape, parser.parse(reply, shape), sent)
        if parsed != sent:
            agreement.mismatches.append(f"{name} answer: sent {sent!r:.400}\n read {parsed!r:.400}")


def _as_sent(shape: Any, parsed: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    """botocore's parse of an answer, with what it reads beyond the values sent taken back (see
    the module's docstring)."""
    from botocore.response import StreamingBody

    parsed.pop("ResponseMetadata", None)
    for key, member in shape.members.items():
        where = member.serialization
        content_type = (
            where.get("location") == "header" and where.get("name", "").lower() == "content-type"
        )
        if content_type and key not in sent and key in parsed:
            del parsed[key]
        if where.get("location") == "statusCode" and key not in sent:
            parsed.pop(key, None)  # the operation's own success code, which botocore reads
    payload = shape.serialization.get("payload")
    if payload not in sent and parsed.get(payload) in ("", b""):
        del parsed[payload]  # no payload: an empty body, which botocore reads as empty text
    for key, found in parsed.items():
        if isinstance(found, StreamingBody):
            parsed[key] = found.read()
        elif isinstance(found, str) and isinstance(sent.get(key), bytes):
            parsed[key] = found.encode()
    return parsed


def _our_requests(
    package: Path, cases: list[tuple[str, str, dict[str, Any]]]
) -> list[dict[str, Any] | None]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, package.name, str(package.parent), str(RECORDER)],
        input=pickle.dumps(cases),
        capture_output=True,
        timeout=600,
    )
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace")[-3000:]
        raise AssertionError(f"the restJson1 probe failed:\n{tail}")
    found: list[dict[str, Any] | None] = json.loads(result.stdout)
    return found


def _botocore_requests(
    model: Any,
    facts: SmithyFacts,
    names: list[str],
    inputs: list[dict[str, Any]],
    counts: Counter[str],
) -> list[Recorded | str]:
    """What botocore's client sends for each (operation, input), or why it sent nothing."""
    import botocore.session
    from botocore.config import Config
    from botocore.exceptions import ClientError

    found: list[Recorded | str] = []
    with Recorder() as recorder:
        client = botocore.session.Session().create_client(
            model.service_name,
            endpoint_url=recorder.url,
            region_name="us-east-1",
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=Config(
                parameter_validation=False,
                inject_host_prefix=False,
                request_checksum_calculation="when_required",
                retries={"mode": "standard", "total_max_attempts": 1},
                read_timeout=30,
            ),
        )
        given: set[str] = set()
        client.meta.events.register("before-parameter-build", _token_dropper(facts, given, counts))
        try:
            for name, params in zip(names, inputs, strict=True):
                before = len(recorder.seen)
                given.clear()
                given.update(params)
                try:
                    getattr(client, _python_method(client, name))(**params)
                except ClientError:
                    pass
                except Exception as error:  # botocore refused to send: reported as it is
                    found.append(f"botocore raised {type(error).__name__}: {error}"[:500])
                    continue
                sent = recorder.seen[-1] if len(recorder.seen) > before else None
                found.append(sent if sent is not None else "botocore sent nothing")
        finally:
            client.close()
    return found


def _token_dropper(
    facts: SmithyFacts, given: set[str], counts: Counter[str]
) -> Callable[..., None]:
    """A botocore event handler that runs after botocore fills in idempotency tokens and takes
    back those it filled in (not among the `given` members of the call's input) for members the
    Smithy model does not have as tokens (absent from it, or plain members there), so the call
    is one the model describes."""

    def drop(params: dict[str, Any], model: Any, **_: Any) -> None:
        shape = model.input_shape
        for name, member in shape.members.items() if shape is not None else ():
            token = member.metadata.get("idempotencyToken")
            filled = name in params and name not in given
            if token and filled and (shape.name, name) not in facts.tokens:
                del params[name]
                counts["an idempotency token in botocore's model only"] += 1

    return drop


def _request_view(operation: Any, recorded: dict[str, Any]) -> dict[str, Any]:
    """The parts of a recorded request that are compared (see the module's docstring)."""
    path, _, query = recorded["target"].partition("?")
    names, prefixes = _member_headers(operation)
    headers = {
        name.lower(): value
        for name, value in recorded["headers"]
        if name.lower() in names or name.lower().startswith(prefixes)
    }
    body: bytes = recorded["body"].encode("latin-1")
    view: dict[str, Any] = {
        "method": recorded["method"],
        "path": path,
        "query": sorted(query.split("&")) if query else [],
        "headers": headers,
    }
    if body and _json_body(operation):
        try:
            view["body"] = json.loads(body)
        except ValueError:
            view["body"] = f"<not JSON> {body!r}"
    else:
        view["body"] = body.decode("latin-1")
    return view


def _member_headers(operation: Any) -> tuple[frozenset[str], tuple[str, ...]]:
    shape = operation.input_shape
    names = {"content-type"}
    prefixes = []
    for member in shape.members.values() if shape is not None else ():
        where, wire = member.serialization.get("location"), member.serialization.get("name", "")
        if where == "header":
            names.add(wire.lower())
        elif where == "headers":
            prefixes.append(wire.lower())
    return frozenset(names), tuple(prefixes)


def _payload(operation: Any) -> Any:
    shape = operation.input_shape
    name = shape.serialization.get("payload") if shape is not None else None
    return shape.members[name] if name is not None else None


def _json_body(operation: Any) -> bool:
    payload = _payload(operation)
    return payload is None or payload.type_name not in ("blob", "string")


def _set_aside(
    operation: Any,
    facts: SmithyFacts | None,
    name: str,
    mine: dict[str, Any],
    its: dict[str, Any],
    counts: Counter[str],
) -> None:
    """Take the documented differences (module docstring) out of both views, counting each."""
    theirs = operation.http["requestUri"].partition("?")[0]
    uri = facts.http_uris.get(name) if facts is not None else None
    ours = (uri or theirs).partition("?")[0]
    if _LABEL.sub("{}", theirs) != _LABEL.sub("{}", ours):
        labels = _label_values(theirs, its["path"])
        if labels is not None and labels == _label_values(ours, mine["path"]):
            its["path"] = mine["path"]
            counts["botocore's requestUri differs from the Smithy @http uri"] += 1
    if _is_form_post(its, mine):
        its.update(method=mine["method"], query=mine["query"], body=mine["body"])
        del its["headers"]["content-type"]
        counts["botocore's change_get_to_post handler (CloudSearch Domain's Search)"] += 1
    shape = operation.input_shape
    newer_body = facts is not None and shape is not None and _payload(operation) is None
    if newer_body and (mine["body"], its["body"]) == ("", {}):
        assert facts is not None
        body = [n for n, m in shape.members.items() if "location" not in m.serialization]
        if all((shape.name, n) not in facts.defaults for n in body):
            its["body"] = ""
            its["headers"].pop("content-type", None)
            counts["`{}` for body members in botocore's model only"] += 1
    bare = not _json_body(operation) and "content-type" not in its["headers"]
    if bare and mine["headers"].pop("content-type", None) is not None:
        counts["no Content-Type on a blob/string payload (botocore)"] += 1
    _mask_fresh_tokens(operation, mine, its)


def _label_values(template: str, path: str) -> list[str] | None:
    """The (still encoded) label values of `path` sent for the URI `template`, or None when the
    path does not fit it."""
    pattern = "".join(
        ("(.*)" if part.endswith("+}") else "([^/]*)") if part.startswith("{") else re.escape(part)
        for part in re.split(r"(\{[^}]*\})", template)
    )
    found = re.fullmatch(pattern, path)
    return list(found.groups()) if found is not None else None


def _is_form_post(its: dict[str, Any], mine: dict[str, Any]) -> bool:
    """Whether botocore sent as a form POST what ours sent as a GET with the same query."""
    form = its["headers"].get("content-type") == "application/x-www-form-urlencoded"
    if not form or not isinstance(its["body"], str):
        return False
    body = its["body"].removeprefix("<not JSON> b'").removesuffix("'")
    sent_as_get = (mine["method"], its["method"], its["query"], mine["body"]) == (
        "GET",
        "POST",
        [],
        "",
    )
    return sent_as_get and sorted(body.split("&")) == mine["query"]


def _mask_fresh_tokens(operation: Any, *views: dict[str, Any]) -> None:
    """A token member both clients filled in with a UUID (wherever it is bound) is replaced by
    one placeholder on both sides."""
    shape = operation.input_shape
    for name, member in shape.members.items() if shape is not None else ():
        if not member.metadata.get("idempotencyToken"):
            continue
        where, wire = member.serialization.get("location"), member.serialization.get("name", name)
        if where == "header":
            spots = [(view["headers"], wire.lower()) for view in views]
        elif where is None and isinstance(views[0]["body"], dict):
            spots = [(view["body"], wire) for view in views if isinstance(view["body"], dict)]
        elif where == "querystring":
            _mask_query_tokens(wire, views)
            continue
        else:
            continue
        if len(spots) == len(views) and all(_is_uuid(place.get(key)) for place, key in spots):
            for place, key in spots:
                place[key] = "<fresh uuid>"


def _mask_query_tokens(wire: str, views: tuple[dict[str, Any], ...]) -> None:
    prefix = wire + "="
    found = [[pair for pair in view["query"] if pair.startswith(prefix)] for view in views]
    if all(len(pairs) == 1 and _is_uuid(pairs[0][len(prefix) :]) for pairs in found):
        for view, pairs in zip(views, found, strict=True):
            view["query"] = sorted(
                [p for p in view["query"] if p != pairs[0]] + [prefix + "<fresh uuid>"]
            )


def _is_uuid(text: object) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False
