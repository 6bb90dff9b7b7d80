"""Credentials per operation: the first auth scheme of the operation the client can serve.

Each operation names the schemes it accepts, in order (`_protocol.Operation.auth`). The client
uses the first one it holds credentials for:

- `sigv4`: AWS credentials, signed by `_sigv4`;
- `bearer`: a token, sent as `Authorization: Bearer <token>`;
- `basic`: a user name and password, sent as `Authorization: Basic base64(user:password)`;
- `api_key`: a key in the header or query parameter the model names (in a header after the
  model's scheme, `Authorization: ApiKey <key>`, where it names one);
- `api_key:<name>`: one of several API keys (`api_keys={name: key}`; a name it leaves out
  takes `api_key`), each where the model puts it;
- `anonymous`: nothing; the request is sent as it is.

An alternative may need several schemes together (OpenAPI's `security` requirement naming
more than one): their kinds joined by `+`, all applied, or the alternative is passed over.

An operation none of whose schemes the client can serve raises `MissingCredentialsError`
before anything is sent. A token, password or key may be a callable, asked again for every
request (a token that expires is refreshed by the caller's function).

Nothing here logs, and no secret reaches a repr, a str or an exception message.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import quote

from . import _config, _transport

if TYPE_CHECKING:
    from . import _protocol, _sigv4

Secret: TypeAlias = "str | Callable[[], str]"
"""A credential, or a function that returns the current one."""

_WANTED = {
    "sigv4": "AWS credentials and a region (aws_access_key_id, aws_secret_access_key and "
    "region_name, or a profile)",
    "bearer": "a token (token=...)",
    "basic": "a user name and password (username=..., password=...)",
    "api_key": "an API key (api_key=...)",
}


def _wanted(scheme: str) -> str:
    kind, _, name = scheme.partition(":")
    if kind == "api_key" and name:
        return f"the API key {name!r} (api_keys={{{name!r}: ...}})"
    return _WANTED.get(scheme, scheme)


class MissingCredentialsError(_config.NoCredentialsError):
    """An operation accepts only schemes the client has no credentials for."""


@dataclass(frozen=True)
class ApiKeyPlace:
    """Where the API key goes: the header, query parameter or cookie `name`; in a header,
    after `scheme` and a space when the model names one."""

    name: str
    in_query: bool
    scheme: str | None = None
    in_cookie: bool = False


def _checked(name: str, value: object) -> str:
    """A credential's text: a non-empty string that cannot break a header line."""
    if not isinstance(value, str) or not value:
        raise _config.ConfigError(f"{name} must be a non-empty string, not {type(value).__name__}")
    if not value.isprintable():
        # It goes into a header or a URL, where a CR or LF would add a line. Not shown: a secret.
        raise _config.ConfigError(
            f"{name} holds a control character (CR, LF, ...) or another character that is not "
            "printable"
        )
    return value


def _argument(name: str, value: Secret | None) -> Secret | None:
    if value is None or callable(value):
        return value
    return _checked(name, value)


def _current(name: str, value: Secret) -> str:
    """The credential now: the value, or what its function returns (checked every time)."""
    return _checked(name, value() if callable(value) else value)


class Identities:
    """The credentials of the schemes other than SigV4, as the client was given them.

    Each is checked when given (a function's result when it is called); the repr says which
    are set, never what they are."""

    __slots__ = ("_api_key", "_api_keys", "_password", "_token", "_username")

    def __init__(
        self,
        *,
        token: Secret | None = None,
        username: str | None = None,
        password: Secret | None = None,
        api_key: Secret | None = None,
        api_keys: Mapping[str, Secret] | None = None,
    ) -> None:
        if (username is None) != (password is None):
            given, missing = (
                ("username", "password") if password is None else ("password", "username")
            )
            raise _config.PartialCredentialsError(f"{given} is given but {missing} is not")
        if username is not None and ":" in _checked("username", username):
            raise _config.ConfigError("username must not hold ':' (Basic auth cannot send it)")
        self._token = _argument("token", token)
        self._username = username
        self._password = _argument("password", password)
        self._api_key = _argument("api_key", api_key)
        self._api_keys = {
            name: _argument(f"api_keys[{name!r}]", value)
            for name, value in (api_keys or {}).items()
        }

    def __repr__(self) -> str:
        held = [
            name
            for name, value in (
                ("token", self._token),
                ("username", self._username),
                ("password", self._password),
                ("api_key", self._api_key),
            )
            if value is not None
        ]
        held += [f"api_keys[{name!r}]" for name in self._api_keys]
        return f"Identities(set={held!r})"

    def bearer(self) -> dict[str, str] | None:
        if self._token is None:
            return None
        return {"Authorization": f"Bearer {_current('token', self._token)}"}

    def basic(self) -> dict[str, str] | None:
        if self._username is None or self._password is None:
            return None
        pair = f"{self._username}:{_current('password', self._password)}"
        return {"Authorization": f"Basic {base64.b64encode(pair.encode('utf-8')).decode('ascii')}"}

    def api_key(self, name: str | None = None) -> str | None:
        """The key of the API key scheme `name` (one of several), else the one `api_key`."""
        if name is not None and (named := self._api_keys.get(name)) is not None:
            return _current(f"api_keys[{name!r}]", named)
        return None if self._api_key is None else _current("api_key", self._api_key)


class ClientAuth:
    """A client's credentials of every scheme its service supports; `authorize` (the call
    loop's `_protocol.Signer`) applies the first the operation accepts and the client holds."""

    __slots__ = ("_api_key_place", "_api_key_places", "_identities", "_signer")

    def __init__(
        self,
        identities: Identities,
        *,
        signer: _sigv4.RequestSigner | None = None,
        api_key_place: ApiKeyPlace | None = None,
        api_key_places: Mapping[str, ApiKeyPlace] | None = None,
    ) -> None:
        self._identities = identities
        self._signer = signer
        self._api_key_place = api_key_place
        self._api_key_places = dict(api_key_places or {})

    def __repr__(self) -> str:
        return f"ClientAuth({self._identities!r}, sigv4={self._signer is not None})"

    @property
    def secret_names(self) -> frozenset[str]:
        """The API keys' headers or query parameters (as the URL encodes them), to be hidden."""
        places = [*self._api_key_places.values()]
        if self._api_key_place is not None:
            places.append(self._api_key_place)
        return frozenset(
            (
                "cookie"
                if place.in_cookie
                else (quote(place.name, safe="") if place.in_query else place.name)
            ).lower()
            for place in places
        )

    def authorize(
        self,
        operation: _protocol.Operation,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes,
        now: datetime,
        *,
        service: str | None = None,
        region: str | None = None,
    ) -> tuple[str, dict[str, str]]:
        """The URL to send and the headers to set for the operation's first servable
        alternative (every scheme it joins with `+`)."""
        for alternative in operation.auth:
            sent_url = url
            sent: dict[str, str] = {}
            for scheme in alternative.split("+"):
                found = self._one(
                    scheme, method, sent_url, {**headers, **sent}, body, now, service, region
                )
                if found is None:
                    break
                sent_url, extra = found
                sent.update(extra)
            else:
                return sent_url, sent
        wanted = " or ".join(
            " and ".join(_wanted(scheme) for scheme in alternative.split("+"))
            for alternative in operation.auth
        )
        lacking = "not all of them" if any("+" in found for found in operation.auth) else "none"
        raise MissingCredentialsError(
            f"{operation.name} needs {wanted}, and the client was given {lacking}"
        )

    def _one(
        self,
        scheme: str,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes,
        now: datetime,
        service: str | None,
        region: str | None,
    ) -> tuple[str, dict[str, str]] | None:
        """The URL and headers of one scheme's credentials; None where the client has none."""
        kind, _, name = scheme.partition(":")
        if kind == "anonymous":
            return url, {}
        if kind == "sigv4" and self._signer is not None:
            return url, self._signer.sign(
                method, url, headers, body, now, service=service, region=region
            )
        if kind == "bearer" and (found := self._identities.bearer()) is not None:
            return url, found
        if kind == "basic" and (found := self._identities.basic()) is not None:
            return url, found
        place = self._api_key_places.get(name) if name else self._api_key_place
        if kind == "api_key" and place is not None:
            key = self._identities.api_key(name or None)
            if key is not None:
                return self._with_api_key(place, url, headers, key)
        return None

    @staticmethod
    def _with_api_key(
        place: ApiKeyPlace, url: str, headers: Mapping[str, str], key: str
    ) -> tuple[str, dict[str, str]]:
        if place.in_cookie:
            # beside the operation's own cookies, in the one Cookie header RFC 6265 allows
            pair = _transport.cookie_pair(place.name, key)
            given = headers.get("Cookie")
            return url, {"Cookie": f"{given}; {pair}" if given else pair}
        if place.in_query:
            separator = "&" if "?" in url else "?"
            return f"{url}{separator}{quote(place.name, safe='')}={quote(key, safe='')}", {}
        return url, {place.name: key if place.scheme is None else f"{place.scheme} {key}"}
