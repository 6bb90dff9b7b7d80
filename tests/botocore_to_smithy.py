"""botocore's inline service models (as its protocol test suites give them) as Smithy JSON AST 2.0.

botocore's suites describe each group of cases with `metadata`, `shapes` and, per case, the
operation (`given`). `service_model` turns one group into a Smithy model with one service, so that
shapesmith can generate a client for it; `python_params` and `botocore_form` convert values between
botocore's test notation and the Python values of the generated packages.

The converter understands what the JSON protocol suites use, and what the event-stream tests need
of botocore's shipped models (`eventstream` structures, constraints), and refuses anything else, so
that a new botocore feature shows up as an error here rather than as a silently different model.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

JsonObject = dict[str, Any]

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

_PROTOCOLS = {"1.0": "aws.protocols#awsJson1_0", "1.1": "aws.protocols#awsJson1_1"}
REST_JSON_SERVICE = "RestJsonProtocolTest"
"""The service shape's name in a rest-json model (botocore's has no `targetPrefix`)."""
# botocore's `location` -> the HTTP binding trait (a `querystring` map spreads over the query).
_LOCATIONS = {
    "uri": "smithy.api#httpLabel",
    "querystring": "smithy.api#httpQuery",
    "header": "smithy.api#httpHeader",
    "headers": "smithy.api#httpPrefixHeaders",
    "statusCode": "smithy.api#httpResponseCode",
}
_SCALARS = {
    "blob": "blob",
    "byte": "byte",
    "short": "short",
    "boolean": "boolean",
    "string": "string",
    "integer": "integer",
    "long": "long",
    "float": "float",
    "double": "double",
    "bigdecimal": "bigDecimal",
    "timestamp": "timestamp",
}
_TIMESTAMP_FORMATS = {
    "iso8601": "date-time",
    "rfc822": "http-date",
    "unixTimestamp": "epoch-seconds",
}
# Keys accepted everywhere. Some are dropped: `box` only says a value may be absent, which every
# member may be in botocore; `jsonvalue` changes nothing in a JSON body (the string travels as a
# string), only in rest-json headers; `http` is always `POST /` in the AWS JSON protocols.
_SHAPE_KEYS = {"type", "box", "documentation"}
_MEMBER_KEYS = {"shape", "jsonvalue", "documentation", "contextParam"}
_OPERATION_KEYS = {"name", "http", "documentation", "staticContextParams"}
# Constraints of botocore's shipped models: `min`/`max` are a length, or a range of a number.
_CONSTRAINT_KEYS = {"min", "max", "pattern"}
_NUMBERS = {"byte", "short", "integer", "long", "float", "double", "bigdecimal"}

# Rules that use the endpoint the client is given, and fail without one.
_ENDPOINT_RULES: JsonObject = {
    "version": "1.0",
    "parameters": {
        "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": False},
        "Region": {"type": "String", "builtIn": "AWS::Region", "required": False},
    },
    "rules": [
        {
            "type": "endpoint",
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "endpoint": {"url": {"ref": "Endpoint"}},
        },
        {"type": "error", "conditions": [], "error": "protocol tests pass an endpoint_url"},
    ],
}


class UnsupportedBotocoreModel(ValueError):
    """The botocore model uses something this converter does not translate."""


def service_model(
    *,
    namespace: str,
    sdk_id: str,
    metadata: Mapping[str, Any],
    shapes: Mapping[str, JsonObject],
    operations: Iterable[Mapping[str, Any]],
) -> JsonObject:
    """A Smithy model of one service whose shape ids are `namespace#<botocore shape name>`."""
    rest = metadata.get("protocol") == "rest-json"
    protocol = (
        "aws.protocols#restJson1" if rest else _PROTOCOLS.get(str(metadata.get("jsonVersion")))
    )
    if not rest and (metadata.get("protocol") != "json" or protocol is None):
        raise UnsupportedBotocoreModel(f"not an AWS JSON protocol: {dict(metadata)}")
    operations = list(operations)
    inputs = {operation["input"]["shape"] for operation in operations if "input" in operation}
    out: JsonObject = {
        f"{namespace}#{name}": _shape(namespace, name, shape, shapes, name in inputs)
        for name, shape in shapes.items()
    }
    operation_ids = []
    for operation in operations:
        operation_id = f"{namespace}#{operation['name']}"
        out[operation_id] = _operation(namespace, operation, rest=rest)
        operation_ids.append({"target": operation_id})
    traits: JsonObject = {
        protocol: {},
        "aws.auth#sigv4": {"name": "protocoltest"},
        "aws.api#service": {"sdkId": sdk_id},
        "smithy.rules#endpointRuleSet": _ENDPOINT_RULES,
    }
    if "awsQueryCompatible" in metadata:
        traits["aws.protocols#awsQueryCompatible"] = {}
    service_name = REST_JSON_SERVICE if rest else metadata["targetPrefix"]
    out[f"{namespace}#{service_name}"] = {
        "type": "service",
        "version": metadata.get("apiVersion", ""),
        "operations": operation_ids,
        "traits": traits,
    }
    return {"smithy": "2.0", "shapes": out}


def _refuse_unknown(what: str, data: Mapping[str, Any], known: set[str]) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise UnsupportedBotocoreModel(f"{what}: cannot translate {unknown}")


def _shape(
    namespace: str, name: str, shape: JsonObject, shapes: Mapping[str, JsonObject], is_input: bool
) -> JsonObject:
    kind = shape["type"]
    converted: JsonObject
    if kind == "structure":
        return _structure(namespace, name, shape, shapes, is_input)
    if kind == "list":
        _refuse_unknown(name, shape, _SHAPE_KEYS | _CONSTRAINT_KEYS | {"member"})
        converted = {"type": "list", "member": _member(namespace, name, shape["member"])}
    elif kind == "map":
        _refuse_unknown(name, shape, _SHAPE_KEYS | _CONSTRAINT_KEYS | {"key", "value"})
        converted = {
            "type": "map",
            "key": _member(namespace, name, shape["key"]),
            "value": _member(namespace, name, shape["value"]),
        }
    elif kind == "string" and "enum" in shape:
        _refuse_unknown(name, shape, _SHAPE_KEYS | {"enum"})
        return {"type": "enum", "members": _enum_members(shape["enum"])}
    elif kind in _SCALARS:
        _refuse_unknown(name, shape, _SHAPE_KEYS | _CONSTRAINT_KEYS | {"timestampFormat"})
        converted = {"type": _SCALARS[kind]}
        if "timestampFormat" in shape:
            timestamp_format = _TIMESTAMP_FORMATS[shape["timestampFormat"]]
            converted["traits"] = {"smithy.api#timestampFormat": timestamp_format}
    else:
        raise UnsupportedBotocoreModel(f"{name}: cannot translate shape type {kind!r}")
    constraints = _constraints(kind, shape)
    if constraints:
        converted["traits"] = {**converted.get("traits", {}), **constraints}
    return converted


def _constraints(kind: str, shape: Mapping[str, Any]) -> JsonObject:
    """`min`, `max` and `pattern` as Smithy's @range (numbers), @length and @pattern."""
    bounds = {key: shape[key] for key in ("min", "max") if key in shape}
    traits: JsonObject = {}
    if bounds:
        traits["smithy.api#range" if kind in _NUMBERS else "smithy.api#length"] = bounds
    if "pattern" in shape:
        traits["smithy.api#pattern"] = shape["pattern"]
    return traits


def _structure(
    namespace: str, name: str, shape: JsonObject, shapes: Mapping[str, JsonObject], is_input: bool
) -> JsonObject:
    _refuse_unknown(
        name,
        shape,
        _SHAPE_KEYS
        | {"members", "required", "exception", "fault", "document", "union", "error", "payload"}
        | {"eventstream", "event"},
    )
    if shape.get("document"):
        return {"type": "document"}
    traits: JsonObject = {}
    stream = bool(shape.get("eventstream"))
    if stream:
        # An event stream is a union of its events and error events, none of them required.
        traits["smithy.api#streaming"] = {}
    if shape.get("exception"):
        traits["smithy.api#error"] = "server" if shape.get("fault") else "client"
    if "error" in shape and "code" not in shape["error"]:
        # rest-json: only the error's status code.
        _refuse_unknown(f"{name} error", shape["error"], {"httpStatusCode", "senderFault"})
        traits["smithy.api#httpError"] = shape["error"]["httpStatusCode"]
    elif "error" in shape:
        # botocore's `error` is what Smithy's @awsQueryError becomes (plus whose fault it is).
        query = shape["error"]
        _refuse_unknown(f"{name} error", query, {"code", "httpStatusCode", "senderFault"})
        if query.get("senderFault", False) != (traits.get("smithy.api#error") == "client"):
            raise UnsupportedBotocoreModel(f"{name}: senderFault disagrees with fault")
        traits["aws.protocols#awsQueryError"] = {
            "code": query["code"],
            "httpResponseCode": query["httpStatusCode"],
        }
    required = set() if stream else set(shape.get("required", []))
    if is_input:
        # Smithy's labels must be @required; botocore's need not say so.
        required |= {m for m, member in shape["members"].items() if member.get("location") == "uri"}
    members = {
        member_name: _member(namespace, f"{name}${member_name}", member, member_name in required)
        for member_name, member in shape["members"].items()
    }
    for member_name, member in shape["members"].items():
        bound = members[member_name].setdefault("traits", {})
        location = member.get("location")
        if location == "uri" and not is_input:
            # A label binds nothing in a response, where botocore ignores it; Smithy's label
            # must be @required, so a structure only ever read from a response gets what also
            # binds nothing there and may be absent: a query parameter.
            location = "querystring"
        if location == "querystring" and shapes[member["shape"]]["type"] == "map":
            bound["smithy.api#httpQueryParams"] = {}
        elif location in ("uri", "statusCode"):
            bound[_LOCATIONS[location]] = {}
        elif location is not None:
            bound[_LOCATIONS[location]] = member.get("locationName", member_name)
        elif "locationName" in member:
            bound["smithy.api#jsonName"] = member["locationName"]
        if member_name == shape.get("payload"):
            bound["smithy.api#httpPayload"] = {}
        if "timestampFormat" in member:
            bound["smithy.api#timestampFormat"] = _TIMESTAMP_FORMATS[member["timestampFormat"]]
        if not bound:
            del members[member_name]["traits"]
    converted: JsonObject = {
        "type": "union" if shape.get("union") or stream else "structure",
        "members": members,
    }
    if traits:
        converted["traits"] = traits
    return converted


def _member(
    namespace: str, where: str, member: Mapping[str, Any], required: bool = False
) -> JsonObject:
    _refuse_unknown(
        where,
        member,
        _MEMBER_KEYS
        | {"hostLabel", "idempotencyToken", "location", "locationName", "timestampFormat"},
    )
    traits: JsonObject = {}
    if required:
        traits["smithy.api#required"] = {}
    if member.get("hostLabel"):
        traits["smithy.api#hostLabel"] = {}
    if member.get("idempotencyToken"):
        traits["smithy.api#idempotencyToken"] = {}
    converted: JsonObject = {"target": f"{namespace}#{member['shape']}"}
    if traits:
        converted["traits"] = traits
    return converted


def _enum_members(values: list[str]) -> JsonObject:
    """Smithy enum members need identifier names; botocore enums only have values."""
    members: JsonObject = {}
    for value in values:
        name = re.sub(r"\W+", "_", value).strip("_").upper() or "EMPTY"
        if name[0].isdigit():
            name = f"V{name}"
        while name in members:
            name += "_"
        members[name] = {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": value}}
    return members


def _operation(namespace: str, given: Mapping[str, Any], *, rest: bool = False) -> JsonObject:
    _refuse_unknown(
        given["name"],
        given,
        _OPERATION_KEYS
        | {"input", "output", "errors", "idempotent", "endpoint", "requestcompression"}
        | {"httpChecksumRequired"},
    )
    converted: JsonObject = {"type": "operation"}
    for key in ("input", "output"):
        if key in given:
            converted[key] = {"target": f"{namespace}#{given[key]['shape']}"}
    if given.get("errors"):
        converted["errors"] = [
            {"target": f"{namespace}#{error['shape']}"} for error in given["errors"]
        ]
    traits: JsonObject = {}
    if given.get("idempotent"):
        traits["smithy.api#idempotent"] = {}
    if "endpoint" in given:
        traits["smithy.api#endpoint"] = {"hostPrefix": given["endpoint"]["hostPrefix"]}
    if "requestcompression" in given:
        encodings = given["requestcompression"]["encodings"]
        traits["smithy.api#requestCompression"] = {"encodings": encodings}
    if given.get("httpChecksumRequired"):
        traits["smithy.api#httpChecksumRequired"] = {}
    if rest:
        http = given["http"]
        _refuse_unknown(f"{given['name']} http", http, {"method", "requestUri", "responseCode"})
        route: JsonObject = {"method": http["method"], "uri": http["requestUri"]}
        if "responseCode" in http:
            route["code"] = http["responseCode"]
        traits["smithy.api#http"] = route
    if traits:
        converted["traits"] = traits
    return converted


def python_params(shapes: Mapping[str, JsonObject], shape_name: str, value: Any) -> Any:
    """A value of botocore test `params` as the generated packages take it (`from_dict` form).

    The suites write timestamps as epoch seconds, blobs as text and special floats as strings.
    """
    if value is None:
        return None
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure" and not shape.get("document"):
        members = shape["members"]
        return {
            key: python_params(shapes, members[key]["shape"], item) for key, item in value.items()
        }
    if kind == "list":
        return [python_params(shapes, shape["member"]["shape"], item) for item in value]
    if kind == "map":
        item_shape = shape["value"]["shape"]
        return {key: python_params(shapes, item_shape, item) for key, item in value.items()}
    if kind == "timestamp":
        return EPOCH + datetime.timedelta(seconds=value)
    if kind == "blob":
        return value.encode() if isinstance(value, str) else bytes(value)
    if kind in ("float", "double"):
        return float(value)
    return value


def botocore_form(value: Any) -> Any:
    """A parsed value (from `to_dict()`) in the notation of the suites' expected results."""
    if isinstance(value, Mapping):
        return {key: botocore_form(item) for key, item in value.items()}
    if isinstance(value, list):
        return [botocore_form(item) for item in value]
    if isinstance(value, datetime.datetime):
        seconds = (value - EPOCH) / datetime.timedelta(seconds=1)
        return int(seconds) if seconds.is_integer() else seconds
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    return value
