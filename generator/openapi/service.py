"""The service shape of a translated document: its protocol, title, version, auth and endpoint.

`servers` become an endpoint rule set: the client's `endpoint_url` first, then the first server's
URL with its variables as endpoint parameters (each with the server's default). Security schemes
become Smithy's auth traits: HTTP bearer, HTTP basic, and an API key in a header, the query or
a cookie; OAuth2 and OpenID Connect take a bearer token (the token's flows are the caller's
business). Two or more API keys are each named (`shapesmith.api#apiKeys`), and a `security`
whose requirements name several schemes together, or a named key, is said whole
(`shapesmith.api#authRequirements`: any one requirement suffices, each needs all its schemes)
beside the `@auth` list Smithy reads.
"""

from __future__ import annotations

import re
from typing import Any

from generator.extension_traits import API_KEYS, AUTH_REQUIREMENTS, ERRORS_BY_STATUS
from generator.openapi.context import JsonObject, Translation
from generator.openapi.export_security import API_KEY_SCHEME, SIGV4_AUTHTYPE
from generator.openapi.names import member_name
from generator.openapi.refs import Location, RefProblem

PROTOCOL = "aws.protocols#restJson1"
_VARIABLE = re.compile(r"\{([^{}]*)\}")
_BEARER = "smithy.api#httpBearerAuth"
_BASIC = "smithy.api#httpBasicAuth"
_API_KEY = "smithy.api#httpApiKeyAuth"


def service_shape(
    translation: Translation,
    operations: list[str],
    schemes: JsonObject,
    protocol: str = PROTOCOL,
) -> JsonObject:
    root = Location(translation.documents.root.display, "")
    document: Any = translation.documents.value(root)
    info = document.get("info") if isinstance(document.get("info"), dict) else {}
    traits: JsonObject = {protocol: {}, ERRORS_BY_STATUS: {}}
    if isinstance(info.get("title"), str):
        traits["smithy.api#title"] = info["title"]
    if isinstance(info.get("description"), str) and info["description"].strip():
        traits["smithy.api#documentation"] = info["description"]
    traits["smithy.rules#endpointRuleSet"] = endpoint_rules(translation, root, document)
    traits.update(schemes)
    traits.update(
        _security_traits(translation, root.child("security"), document.get("security"), schemes)
    )
    return {
        "type": "service",
        "version": str(info.get("version", "")),
        "operations": [{"target": operation} for operation in operations],
        "traits": traits,
    }


def operation_auth(
    translation: Translation, at: Location, operation: JsonObject, schemes: JsonObject
) -> JsonObject:
    """An operation's own `security`, as its `@auth` (and `@optionalAuth` where `{}` is one of
    the alternatives)."""
    if "security" not in operation:
        return {}
    traits = _security_traits(translation, at.child("security"), operation["security"], schemes)
    listed = operation["security"]
    if isinstance(listed, list) and {} in listed and listed != []:
        traits["smithy.api#optionalAuth"] = {}
    return traits


def endpoint_rules(translation: Translation, root: Location, document: JsonObject) -> JsonObject:
    parameters: JsonObject = {
        "Endpoint": {
            "type": "String",
            "builtIn": "SDK::Endpoint",
            "documentation": "The endpoint to call instead of the document's first server.",
        }
    }
    rules: list[JsonObject] = [
        {
            "type": "endpoint",
            "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "endpoint": {"url": {"ref": "Endpoint"}},
        }
    ]
    servers = document.get("servers")
    server = servers[0] if isinstance(servers, list) and servers else None
    url = server.get("url") if isinstance(server, dict) else None
    if isinstance(server, dict) and isinstance(url, str) and re.match(r"^https?://", url):
        variables = _object(server.get("variables"))
        names: dict[str, str] = {}
        for variable in _VARIABLE.findall(url):
            spec = variables.get(variable)
            if not isinstance(spec, dict) or not isinstance(spec.get("default"), str):
                translation.problem(
                    root.child("servers", 0, "url"),
                    f"server variable {{{variable}}} has no default in `variables`",
                )
                continue
            name = "Server" + member_name(variable)[:1].upper() + member_name(variable)[1:]
            names[variable] = name
            parameters[name] = {
                "type": "String",
                "required": True,
                "default": spec["default"],
                "documentation": f"The server variable {variable!r}.",
            }
        template = _VARIABLE.sub(lambda m: "{" + names.get(m.group(1), m.group(1)) + "}", url)
        rules.append({"type": "endpoint", "conditions": [], "endpoint": {"url": template}})
    else:
        if url is not None and url != "/":
            translation.warn(
                root.child("servers", 0, "url"),
                "a server URL without a scheme and host: the client needs an endpoint_url",
            )
        rules.append(
            {
                "type": "error",
                "conditions": [],
                "error": "the document names no server with a host: give the client an endpoint_url",
            }
        )
    return {"version": "1.0", "parameters": parameters, "rules": rules}


def auth_traits(translation: Translation) -> JsonObject:
    """The auth trait of each security scheme of `components`."""
    root = Location(translation.documents.root.display, "")
    document: Any = translation.documents.value(root)
    components = document.get("components") if isinstance(document.get("components"), dict) else {}
    schemes = components.get("securitySchemes")
    traits: JsonObject = {}
    api_keys: JsonObject = {}
    if not isinstance(schemes, dict):
        return traits
    for name in schemes:
        at = root.child("components", "securitySchemes", name)
        try:
            where, scheme = translation.documents.follow(at)
        except RefProblem as problem:
            translation.problems.append(problem.diagnostic)
            continue
        if not isinstance(scheme, dict):
            continue
        trait, value = _scheme_trait(translation, where, scheme)
        if trait == _API_KEY:
            api_keys[name] = value
        if trait is None or trait in traits:
            continue  # bearer schemes all take the one token, basic ones the one user
        traits[trait] = value
    if len(api_keys) > 1:
        traits[API_KEYS] = api_keys
    return traits


def scheme_trait_of(translation: Translation, name: str) -> str | None:
    """The auth trait the security scheme `name` became."""
    root = Location(translation.documents.root.display, "")
    at = root.child("components", "securitySchemes", name)
    try:
        _, scheme = translation.documents.follow(at)
    except (RefProblem, KeyError):
        return None
    if not isinstance(scheme, dict):
        return None
    kind, http = scheme.get("type"), str(scheme.get("scheme", "")).lower()
    if kind == "http":
        return _BASIC if http == "basic" else _BEARER if http == "bearer" else None
    if kind == "apiKey" and scheme.get(SIGV4_AUTHTYPE) != "awsSigv4":
        return _API_KEY
    if kind in {"oauth2", "openIdConnect"}:
        return _BEARER
    return None


def _scheme_trait(
    translation: Translation, where: Location, scheme: JsonObject
) -> tuple[str | None, JsonObject]:
    kind = scheme.get("type")
    if kind == "http":
        http = str(scheme.get("scheme", "")).lower()
        if http == "basic":
            return _BASIC, {}
        if http == "bearer":
            return _BEARER, {}
        translation.warn(where.child("scheme"), f"HTTP auth scheme {http!r} is not supported yet")
        return None, {}
    if kind == "apiKey" and scheme.get(SIGV4_AUTHTYPE) == "awsSigv4":
        translation.warn(
            where,
            "AWS SigV4 (awsSigv4) needs a signing name and region a document does not give: "
            "the client does not sign, and a requirement naming this scheme is left out",
        )
        return None, {}
    if kind == "apiKey":
        value: JsonObject = {"name": scheme.get("name"), "in": scheme.get("in")}
        if isinstance(scheme.get(API_KEY_SCHEME), str):
            value["scheme"] = scheme[API_KEY_SCHEME]  # an exported @httpApiKeyAuth's
        return _API_KEY, value
    if kind in {"oauth2", "openIdConnect"}:
        return _BEARER, {}
    translation.warn(where.child("type"), f"security scheme type {kind!r} is not supported yet")
    return None, {}


def _security_traits(
    translation: Translation, at: Location, listed: object, schemes: JsonObject
) -> JsonObject:
    """A `security` list as `@auth` (the auth traits it names, in order) and, where `@auth`
    cannot say it (several schemes together, or one of several API keys), as
    `shapesmith.api#authRequirements` too."""
    requirements = _requirements(translation, at, listed, schemes)
    if requirements is None:
        return {}
    found: list[str] = []
    for requirement in requirements:
        for reference in requirement:
            trait = _API_KEY if reference.startswith(API_KEYS) else reference
            if trait not in found:
                found.append(trait)
    traits: JsonObject = {"smithy.api#auth": found}
    if API_KEYS in schemes or any(len(requirement) > 1 for requirement in requirements):
        traits[AUTH_REQUIREMENTS] = requirements
    return traits


def _requirements(
    translation: Translation, at: Location, listed: object, schemes: JsonObject
) -> list[list[str]] | None:
    """Each requirement of a `security` list as the schemes it needs together: auth trait ids,
    or `shapesmith.api#apiKeys/<name>` for one of several API keys; `{}` is no scheme."""
    if not isinstance(listed, list):
        return None
    found: list[list[str]] = []
    for index, requirement in enumerate(listed):
        if not isinstance(requirement, dict):
            continue
        needed: list[str] = []
        usable = True
        for name in requirement:
            trait = scheme_trait_of(translation, name)
            if trait is None or trait not in schemes:
                if not _known_scheme(translation, name):
                    translation.problem(
                        at.child(index, name), f"no security scheme {name!r} in components"
                    )
                usable = False  # a scheme shapesmith does not speak: never met
                continue
            reference = f"{API_KEYS}/{name}" if trait == _API_KEY and API_KEYS in schemes else trait
            if reference not in needed:
                needed.append(reference)
        if usable and needed not in found:
            found.append(needed)
    return found


def _known_scheme(translation: Translation, name: str) -> bool:
    root = Location(translation.documents.root.display, "")
    try:
        translation.documents.value(root.child("components", "securitySchemes", name))
    except KeyError:
        return False
    return True


def _object(value: object) -> JsonObject:
    return value if isinstance(value, dict) else {}
