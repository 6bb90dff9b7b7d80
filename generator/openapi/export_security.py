"""A service's auth as OpenAPI's `components.securitySchemes` and `security` (the export).

Each scheme an operation may use becomes a security scheme, named as Smithy's own OpenAPI
converter names it (the auth trait's shape id with `.` for `#`: `smithy.api.httpBearerAuth`),
and each of several API keys (`shapesmith.api#apiKeys`, an OpenAPI document's) by its own name.
SigV4 is written as Smithy writes it for API Gateway: an API key in `Authorization`, marked
`x-amazon-apigateway-authtype: awsSigv4`. An `@httpApiKeyAuth` with a `scheme` stays an API key
(OpenAPI's `http` type has no place for a key's name), its scheme said in `x-shapesmith-scheme`,
which shapesmith reads back.

An operation's alternatives (`ir.OperationShape.auth`: any one suffices, each needing every
scheme it joins with `+`; `anonymous` is none) are a `security` list of requirements, `{}` for
an anonymous one. The document's `security` is what an operation without auth of its own
accepts (`ir.ServiceAuth.default`); an operation that accepts otherwise says its own.
"""

from __future__ import annotations

from typing import Any

from generator import ir

JsonObject = dict[str, Any]

SIGV4_AUTHTYPE = "x-amazon-apigateway-authtype"
API_KEY_SCHEME = "x-shapesmith-scheme"
"""The scheme (`Authorization: <scheme> <key>`) of an exported `@httpApiKeyAuth`."""

_NAMES = {
    "sigv4": "aws.auth.sigv4",
    "bearer": "smithy.api.httpBearerAuth",
    "basic": "smithy.api.httpBasicAuth",
    "api_key": "smithy.api.httpApiKeyAuth",
}
ANONYMOUS = "anonymous"


def scheme_name(kind: str) -> str:
    """The security scheme of one kind of credential (`ir.AUTH_KINDS`, or `api_key:<name>`)."""
    prefix, colon, name = kind.partition(":")
    return name if colon and prefix == "api_key" else _NAMES[kind]


def requirements(alternatives: tuple[str, ...]) -> list[JsonObject]:
    """A `security` list of the alternatives; `[]` where the only one is anonymous."""
    if alternatives == (ANONYMOUS,):
        return []
    return [
        {} if alternative == ANONYMOUS else {scheme_name(k): [] for k in alternative.split("+")}
        for alternative in alternatives
    ]


def security_schemes(
    service: ir.ServiceShape, operations: tuple[ir.OperationShape, ...]
) -> JsonObject:
    """The schemes of the service that its operations (or its default) name, and every
    scheme of a service from a Smithy model (whose auth traits are all schemes it supports)."""
    auth = service.auth
    used = {
        kind
        for alternatives in (auth.default, *(operation.auth for operation in operations))
        for alternative in alternatives
        for kind in alternative.split("+")
        if kind != ANONYMOUS
    }
    # A document's first API key is also `@httpApiKeyAuth`; it is written under its own name.
    kinds = [kind for kind in auth.schemes if kind != "api_key" or not auth.api_keys]
    kinds += sorted(kind for kind in used if kind not in kinds)
    found: JsonObject = {}
    for kind in kinds:
        if kind == "sigv4":
            found[scheme_name(kind)] = {
                "type": "apiKey",
                "description": "AWS Signature Version 4 authentication",
                "name": "Authorization",
                "in": "header",
                SIGV4_AUTHTYPE: "awsSigv4",
            }
        elif kind in ("bearer", "basic"):
            found[scheme_name(kind)] = {"type": "http", "scheme": kind}
        elif kind == "api_key" and auth.api_key is not None:
            found[scheme_name(kind)] = _api_key(auth.api_key)
    for name, place in auth.api_keys:
        found[name] = _api_key(place)
    return found


def _api_key(place: ir.ApiKeyPlace) -> JsonObject:
    where = "query" if place.in_query else "cookie" if place.in_cookie else "header"
    found: JsonObject = {"type": "apiKey", "name": place.name, "in": where}
    if place.scheme is not None:
        found["description"] = f"The key follows the scheme {place.scheme!r}."
        found[API_KEY_SCHEME] = place.scheme
    return found
