"""Check a request's credentials against those the stub was told to accept, for the auth schemes
its operation accepts (`OperationSpec.auth`, in the client's order).

The request passes with valid credentials of any one of the operation's alternatives, each a
scheme or several joined by `+` (OpenAPI's requirement naming several schemes: all of them
needed), one of several API keys named `api_key:<name>`. It is refused
with a `Rejection` when it brings credentials that do not match (a wrong token, password, key
or signature) or none the operation accepts, unless the operation may be called anonymously
(`@optionalAuth`, an empty `@auth`). A scheme the stub was told no credentials for accepts none.
SigV4 is checked by `_sigv4_check.SignatureChecker`, and its failures keep AWS's 403; the other
schemes are refused with 401 and a `WWW-Authenticate` challenge.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qsl, unquote

from ._events import RequestEvents


@dataclass(frozen=True)
class Rejection:
    """Why a request's credentials are refused: the error code and message of the answer."""

    code: str
    message: str
    status: int = 403
    headers: tuple[tuple[str, str], ...] = ()


def request_headers(environ: Mapping[str, Any]) -> dict[str, str]:
    """The request's headers, lowercased, from a WSGI environ."""
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key, name in (("CONTENT_TYPE", "content-type"), ("CONTENT_LENGTH", "content-length")):
        if environ.get(key):
            headers[name] = str(environ[key])
    return headers


class SignatureCheck(Protocol):
    def check(
        self, environ: Mapping[str, Any], body: bytes | RequestEvents
    ) -> Rejection | None: ...


@dataclass(frozen=True)
class ApiKeySpec:
    """Where the service's API key travels (`@httpApiKeyAuth`)."""

    name: str
    in_query: bool
    scheme: str | None = None
    in_cookie: bool = False


_ABSENT = Rejection("MissingAuthenticationTokenException", "no credentials", 401)
"""A scheme's credentials are not in the request at all (another scheme's may be)."""
_WANTED = {
    "sigv4": "a SigV4 signature",
    "bearer": "a bearer token",
    "basic": "a Basic user name and password",
    "api_key": "an API key",
}


def _wanted(scheme: str) -> str:
    kind, _, name = scheme.partition(":")
    if kind == "api_key" and name:
        return f"the API key {name!r}"
    return _WANTED.get(scheme, scheme)


def _same(given: str, expected: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII text, and a client may send any.
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def _unauthorized(message: str, challenge: str | None = None) -> Rejection:
    headers = () if challenge is None else (("WWW-Authenticate", challenge),)
    return Rejection("UnauthorizedException", message, 401, headers)


class AuthChecker:
    """The credentials the stub accepts, per scheme; `check` judges one request.

    Their repr says which schemes are checked, never the secrets."""

    def __init__(
        self,
        *,
        signature: SignatureCheck | None = None,
        token: str | None = None,
        basic: tuple[str, str] | None = None,
        api_key: str | None = None,
        api_key_spec: ApiKeySpec | None = None,
        api_keys: Mapping[str, str] | None = None,
        api_key_specs: Mapping[str, ApiKeySpec] | None = None,
    ) -> None:
        self._signature = signature
        self._token = token
        self._basic = basic
        self._api_key = api_key
        self._api_key_spec = api_key_spec
        self._api_keys = dict(api_keys or {})
        self._api_key_specs = dict(api_key_specs or {})

    def __repr__(self) -> str:
        told = [
            name
            for name, value in (
                ("sigv4", self._signature),
                ("bearer", self._token),
                ("basic", self._basic),
                ("api_key", self._api_key),
            )
            if value is not None
        ]
        told += [f"api_key:{name}" for name in self._api_keys]
        return f"AuthChecker(schemes={told!r})"

    def check(
        self, schemes: tuple[str, ...], environ: Mapping[str, Any], body: bytes | RequestEvents
    ) -> Rejection | None:
        """None if the request may go on; else why not."""
        headers = request_headers(environ)
        refused: list[Rejection] = []
        needs: list[str] = []
        missing: list[str] = []
        for alternative in schemes:
            if alternative == "anonymous":
                continue
            parts = alternative.split("+")
            absent = []
            for scheme in parts:
                found = self._check_one(scheme, headers, environ, body)
                if found is _ABSENT:
                    absent.append(scheme)
                elif found is not None:
                    refused.append(found)
                    break
            else:
                if not absent:
                    return None
            needs.append(" and ".join(_wanted(scheme) for scheme in parts))
            if len(absent) < len(parts):
                missing.append(" and ".join(_wanted(scheme) for scheme in absent))
        if refused:
            return refused[0]
        if "anonymous" in schemes:
            return None
        kinds = {part.partition(":")[0] for scheme in schemes for part in scheme.split("+")}
        challenge = "Bearer" if "bearer" in kinds else 'Basic realm="stub"'
        lacking = f"it lacks {' or '.join(missing)}" if missing else "the request has none"
        return _unauthorized(
            f"the operation needs {' or '.join(needs) or 'credentials'}, and {lacking}",
            challenge if {"bearer", "basic"} & kinds else None,
        )

    def _check_one(
        self,
        scheme: str,
        headers: Mapping[str, str],
        environ: Mapping[str, Any],
        body: bytes | RequestEvents,
    ) -> Rejection | None:
        authorization = headers.get("authorization", "")
        kind, _, credential = authorization.strip().partition(" ")
        if scheme == "sigv4":
            if not kind.startswith("AWS4-"):
                return _ABSENT
            if self._signature is None:
                return _unauthorized("the stub was told no SigV4 credentials")
            return self._signature.check(environ, body)
        if scheme == "bearer":
            if kind.lower() != "bearer":
                return _ABSENT
            if self._token is None or not _same(credential.strip(), self._token):
                return _unauthorized("the bearer token is not valid", "Bearer")
            return None
        if scheme == "basic":
            if kind.lower() != "basic":
                return _ABSENT
            return self._check_basic(credential.strip())
        kind, _, name = scheme.partition(":")
        if kind == "api_key" and name:
            spec = self._api_key_specs.get(name)
            expected = self._api_keys.get(name)
            return self._check_api_key(headers, environ, spec, expected, f"the API key {name!r}")
        if scheme == "api_key":
            return self._check_api_key(
                headers, environ, self._api_key_spec, self._api_key, "the API key"
            )
        return _unauthorized(f"the stub does not know the auth scheme {scheme!r}")

    def _check_basic(self, credential: str) -> Rejection | None:
        refused = _unauthorized("the user name or password is not valid", 'Basic realm="stub"')
        try:
            pair = base64.b64decode(credential, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return refused
        username, colon, password = pair.partition(":")
        if self._basic is None or not colon:
            return refused
        # Both compared, whatever the first gives: the time taken says nothing of which failed.
        right_user = _same(username, self._basic[0])
        right_password = _same(password, self._basic[1])
        return None if right_user and right_password else refused

    @staticmethod
    def _check_api_key(
        headers: Mapping[str, str],
        environ: Mapping[str, Any],
        spec: ApiKeySpec | None,
        expected: str | None,
        label: str,
    ) -> Rejection | None:
        if spec is None:
            return _ABSENT
        if spec.in_cookie:
            try:
                given = cookies(headers.get("cookie", "")).get(spec.name)
            except UnicodeDecodeError:
                return _unauthorized("a cookie is not UTF-8 once decoded")
            if not given:
                return _ABSENT
            key = given[0]
        elif spec.in_query:
            query = str(environ.get("QUERY_STRING", ""))
            given = [
                value
                for name, value in parse_qsl(query, keep_blank_values=True)
                if name == spec.name
            ]
            if not given:
                return _ABSENT
            key = given[0]
        else:
            value = headers.get(spec.name.lower())
            if value is None:
                return _ABSENT
            key = value.strip()
            if spec.scheme is not None:
                kind, _, key = key.partition(" ")
                if kind.lower() != spec.scheme.lower():
                    return _unauthorized(f"the API key must follow {spec.scheme!r}")
        if expected is None or not _same(key.strip(), expected):
            return _unauthorized(f"{label} is not valid")
        return None


def cookies(header: str, *, raw: bool = False) -> dict[str, list[str]]:
    """The cookies of a `Cookie` header: each name -> every value it was given, in order,
    percent-decoded (UTF-8; `UnicodeDecodeError` where a value is not; as sent with `raw`) and
    unquoted where it is in double quotes, as RFC 6265 allows; a piece without `=` is no cookie
    and is passed over, as browsers do."""
    found: dict[str, list[str]] = {}
    for piece in header.split(";"):
        name, equals, value = piece.strip().partition("=")
        if not equals or not name.strip():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        found.setdefault(name.strip(), []).append(value if raw else unquote(value, errors="strict"))
    return found
