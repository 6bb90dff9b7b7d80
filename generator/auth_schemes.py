"""Read a service's auth traits, and the auth schemes each of its operations accepts.

Smithy's rules: the schemes a service supports are its auth traits (`@aws.auth#sigv4`,
`@httpBearerAuth`, `@httpBasicAuth`, `@httpApiKeyAuth`, ...), in the order of their shape ids;
an operation accepts those its `@auth` lists, else those the service's `@auth` lists, else all of
them. An empty `@auth` list (or `smithy.api#noAuth` in one) lets the call go anonymous, and so
does `@optionalAuth` when no credentials are at hand. The result per operation is an ordered
tuple of scheme kinds (`ir.AUTH_KINDS`), `anonymous` standing for "send without credentials".

Beyond Smithy, as OpenAPI's `security` says it: `shapesmith.api#apiKeys` names several API keys
(each `api_key:<name>`), and `shapesmith.api#authRequirements` lists requirements of which any
one suffices, each needing all its schemes; such an alternative is its kinds joined by `+`
(`api_key:header+api_key:query`).
"""

from __future__ import annotations

from generator import ir, naming
from generator.diagnostics import Diagnostic, ShapesmithError, json_pointer
from generator.extension_traits import API_KEYS, AUTH_REQUIREMENTS
from generator.loader import JsonObject

SIGV4 = "aws.auth#sigv4"
NO_AUTH = "smithy.api#noAuth"
_KINDS = {
    SIGV4: "sigv4",
    "smithy.api#httpApiKeyAuth": "api_key",
    "smithy.api#httpBasicAuth": "basic",
    "smithy.api#httpBearerAuth": "bearer",
}
AUTH_TRAITS = frozenset(
    {*_KINDS, "aws.auth#sigv4a", "smithy.api#httpDigestAuth"},
)
"""The auth definitions Smithy and AWS publish; shapesmith speaks those in `_KINDS`."""


def service_auth(file: str, service_id: str, traits: JsonObject) -> ir.ServiceAuth:
    """The schemes the service supports, checked: a bad `@httpApiKeyAuth` is a model error."""
    found = sorted(trait for trait in traits if trait in AUTH_TRAITS)
    api_key = None
    if "smithy.api#httpApiKeyAuth" in traits:
        api_key = _api_key(file, service_id, traits["smithy.api#httpApiKeyAuth"])
    named = traits.get(API_KEYS, {})
    service = (file, service_id, traits)
    return ir.ServiceAuth(
        schemes=tuple(_KINDS[trait] for trait in found if trait in _KINDS),
        unsupported=tuple(trait for trait in found if trait not in _KINDS),
        api_key=api_key,
        api_keys=tuple(
            (name, _api_key(file, service_id, value, (API_KEYS, name)))
            for name, value in named.items()
        ),
        default=operation_auth(service, (file, service_id, {})),
    )


def operation_auth(
    service: tuple[str, str, JsonObject], operation: tuple[str, str, JsonObject]
) -> tuple[str, ...]:
    """The scheme kinds the operation accepts, in the order the client tries them; empty when
    every scheme it accepts is one shapesmith does not speak. `service` and `operation` are each
    (file, shape id, traits)."""
    supported = sorted(trait for trait in service[2] if trait in AUTH_TRAITS)
    for owner in (operation, service):
        if AUTH_REQUIREMENTS in owner[2]:
            return _requirements(service, owner)
        if "smithy.api#auth" in owner[2]:
            break
    file, shape_id, traits = operation if "smithy.api#auth" in operation[2] else service
    listed = traits.get("smithy.api#auth")
    if listed is None:
        chosen = supported or [NO_AUTH]  # a service without auth traits is called anonymously
    elif not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        pointer = json_pointer("shapes", shape_id, "traits", "smithy.api#auth")
        raise ShapesmithError(
            [Diagnostic(file, pointer, f"expected a list of shape ids, found {listed!r}")]
        )
    else:
        chosen = [trait for trait in listed if trait in supported or trait == NO_AUTH]
        chosen = chosen if listed else [NO_AUTH]
    kinds = ["anonymous" if trait == NO_AUTH else _KINDS.get(trait, "") for trait in chosen]
    if "smithy.api#optionalAuth" in operation[2]:
        kinds.append("anonymous")
    return tuple(dict.fromkeys(kind for kind in kinds if kind))


def _requirements(
    service: tuple[str, str, JsonObject], owner: tuple[str, str, JsonObject]
) -> tuple[str, ...]:
    """`shapesmith.api#authRequirements` of `owner` as the operation's alternatives: each a
    requirement's kinds joined by `+`, `anonymous` for one that needs none; a requirement
    naming a scheme the service lacks or shapesmith does not speak is a model error."""
    file, shape_id, traits = owner
    named = service[2].get(API_KEYS, {})
    alternatives: list[str] = []
    for index, requirement in enumerate(traits[AUTH_REQUIREMENTS]):
        kinds: list[str] = []
        for position, scheme in enumerate(requirement):
            prefix, slash, name = scheme.partition("/")
            if prefix == API_KEYS and slash and name in named:
                kinds.append(f"api_key:{name}")
            elif scheme in service[2] and scheme in _KINDS:
                kinds.append(_KINDS[scheme])
            else:
                pointer = json_pointer(
                    "shapes", shape_id, "traits", AUTH_REQUIREMENTS, index, position
                )
                raise ShapesmithError(
                    [
                        Diagnostic(
                            file,
                            pointer,
                            f"{scheme!r} is no auth scheme of the service shapesmith speaks "
                            f"(an auth trait of the service, or {API_KEYS}/<name>)",
                        )
                    ]
                )
        alternatives.append("+".join(kinds) or "anonymous")
    # As `@optionalAuth`: credentials are sent where the client holds them, else none.
    ordered = sorted(dict.fromkeys(alternatives), key=lambda found: found == "anonymous")
    return tuple(ordered or ["anonymous"])


def _api_key(
    file: str, service_id: str, value: object, at: tuple[str, ...] = ("smithy.api#httpApiKeyAuth",)
) -> ir.ApiKeyPlace:

    def fail(key: str, message: str) -> ShapesmithError:
        pointer = json_pointer("shapes", service_id, "traits", *at, *((key,) if key else ()))
        return ShapesmithError([Diagnostic(file, pointer, message)])

    if not isinstance(value, dict):
        raise fail("", f"expected an object with name and in, found {value!r}")
    name, where, scheme = value.get("name"), value.get("in"), value.get("scheme")
    if where not in ("header", "query", "cookie"):
        raise fail("in", f"expected 'header', 'query' or 'cookie', found {where!r}")
    if not isinstance(name, str) or not name:
        raise fail("name", f"expected a non-empty string, found {name!r}")
    if where == "header" and not naming.HTTP_TOKEN.fullmatch(name):
        raise fail("name", f"{name!r} is not an HTTP header name")
    if where == "cookie" and not naming.HTTP_TOKEN.fullmatch(name):
        raise fail("name", f"{name!r} is not a cookie name a Cookie header can carry")
    if scheme is not None and (
        not isinstance(scheme, str) or not naming.HTTP_TOKEN.fullmatch(scheme)
    ):
        raise fail("scheme", f"expected an auth scheme name like Bearer, found {scheme!r}")
    if scheme is not None and where != "header":
        raise fail("scheme", "a scheme is only sent with a key in a header")
    return ir.ApiKeyPlace(
        name=name, in_query=where == "query", scheme=scheme, in_cookie=where == "cookie"
    )
