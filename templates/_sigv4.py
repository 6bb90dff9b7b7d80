"""AWS Signature Version 4 for the generated client: sign an HTTP request with the Authorization header.

`SigV4Signer.sign` takes the request as the transport will send it (method, URL, headers, body)
and returns the headers to add, replacing any of the same name whatever their case: `X-Amz-Date`,
`X-Amz-Security-Token` when the credentials carry a session token, `X-Amz-Content-Sha256` when the
signer is asked for it (S3 wants it, other services do not), and `Authorization`. A client holds
a `RequestSigner`: the same, bound to its credentials.

The steps of the algorithm are public functions so that tests can check each one against the
published test suite: `canonical_request`, `string_to_sign`, `signing_key` and `signature`.

Nothing here logs, and nothing that holds a secret shows it in its repr.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import KW_ONLY, dataclass, field
from datetime import UTC, datetime
from typing import Final, TypeAlias
from urllib.parse import SplitResult, quote, unquote_to_bytes, urlsplit

from ._config import Credentials

HeaderItems: TypeAlias = "Mapping[str, str] | Iterable[tuple[str, str]]"
"""Request headers: a mapping, or (name, value) pairs when a name repeats."""

ALGORITHM: Final = "AWS4-HMAC-SHA256"
EVENTS_PAYLOAD: Final = "STREAMING-AWS4-HMAC-SHA256-EVENTS"
"""The payload hash a request whose body is an event stream signs: each message is signed."""
EVENT_ALGORITHM: Final = "AWS4-HMAC-SHA256-PAYLOAD"
AMZ_DATE_FORMAT: Final = "%Y%m%dT%H%M%SZ"

_UNRESERVED: Final = "-_.~"  # with ASCII letters and digits, which `quote` never encodes
_SCOPE_TERMINATOR: Final = "aws4_request"
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_SIGNING_KEY_CACHE_SIZE: Final = 32

UNSIGNED_HEADERS: Final = frozenset(
    {
        # Hop-by-hop headers (RFC 9110 section 7.6.1) and headers that proxies, HTTP libraries or
        # tracing agents add or rewrite on the way: signing them would break the signature.
        "authorization",
        "baggage",
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "traceparent",
        "tracestate",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)
"""Lowercased names of request headers that are sent but never signed."""


@dataclass(frozen=True)
class SigningResult:
    """The headers to add to a request, and the intermediate texts that produced them."""

    headers: dict[str, str] = field(repr=False)
    """Header name -> value, to set on the request (replacing any header of the same name)."""
    canonical_request: str = field(repr=False)  # holds the session token when it is signed
    string_to_sign: str
    signature: str = field(repr=False)


@dataclass(frozen=True)
class SigV4Signer:
    """Signs requests for one service in one region.

    `normalize_path` and `double_encode_path` are right for every service but S3, which wants
    the path as sent: `SigV4Signer("s3", region, normalize_path=False, double_encode_path=False,
    content_sha256_header=True)`.
    """

    service: str
    region: str
    _: KW_ONLY
    normalize_path: bool = True
    """Remove `.` and `..` segments and empty segments from the path before signing it."""
    double_encode_path: bool = True
    """Percent-encode the path as sent (so `%20` is signed as `%2520`)."""
    content_sha256_header: bool = False
    """Add an `X-Amz-Content-Sha256` header holding the payload hash, and sign it."""
    sign_session_token: bool = True
    """Whether `X-Amz-Security-Token` is signed; a few services want it added after signing."""

    def sign(
        self,
        method: str,
        url: str,
        headers: HeaderItems,
        body: bytes = b"",
        *,
        credentials: Credentials,
        timestamp: datetime | None = None,
    ) -> dict[str, str]:
        """The headers to set on the request so that AWS accepts it as signed by `credentials`.

        `timestamp` must be timezone-aware; it defaults to now. Without a `Host` header the host
        is taken from `url`, as an HTTP client would send it.
        """
        return self.sign_with_details(
            method, url, headers, body, credentials=credentials, timestamp=timestamp
        ).headers

    def sign_with_details(
        self,
        method: str,
        url: str,
        headers: HeaderItems,
        body: bytes = b"",
        *,
        credentials: Credentials,
        timestamp: datetime | None = None,
    ) -> SigningResult:
        """`sign`, also returning the canonical request, string to sign and signature."""
        amz_date = format_amz_date(timestamp)
        date = amz_date[:8]
        token = credentials.session_token or None
        parts = urlsplit(url)

        replaced = {"x-amz-date"}
        if token is not None:
            replaced.add("x-amz-security-token")
        if self.content_sha256_header:
            replaced.add("x-amz-content-sha256")
        kept: list[tuple[str, str]] = []
        declared_payload_hash: str | None = None
        for name, value in _pairs(headers):
            lowered = name.lower()
            if lowered in replaced or lowered in UNSIGNED_HEADERS:
                continue
            if lowered == "x-amz-content-sha256" and declared_payload_hash is None:
                # The caller states the payload hash (e.g. UNSIGNED-PAYLOAD): sign that.
                declared_payload_hash = value
            kept.append((lowered, value))

        added = {"X-Amz-Date": amz_date}
        to_sign = [*kept, ("x-amz-date", amz_date)]
        if not any(name == "host" for name, _ in kept):
            to_sign.append(("host", _host_header(parts)))
        if token is not None:
            added["X-Amz-Security-Token"] = token
            if self.sign_session_token:
                to_sign.append(("x-amz-security-token", token))
        if self.content_sha256_header:
            hashed = payload_hash(body)
            added["X-Amz-Content-Sha256"] = hashed
            to_sign.append(("x-amz-content-sha256", hashed))
        elif declared_payload_hash is not None:
            hashed = declared_payload_hash
        else:
            hashed = payload_hash(body)

        canonical = canonical_headers(to_sign)
        request_text = canonical_request(
            method,
            canonical_uri(
                parts.path, normalize=self.normalize_path, double_encode=self.double_encode_path
            ),
            canonical_query_string(parts.query),
            canonical,
            hashed,
        )
        scope = credential_scope(date, self.region, self.service)
        text_to_sign = string_to_sign(amz_date, scope, request_text)
        key = signing_key(credentials.secret_key, date, self.region, self.service)
        signed = signature(key, text_to_sign)
        added["Authorization"] = (
            f"{ALGORITHM} Credential={credentials.access_key}/{scope}, "
            f"SignedHeaders={signed_headers(canonical)}, Signature={signed}"
        )
        return SigningResult(added, request_text, text_to_sign, signed)


@dataclass(frozen=True)
class RequestSigner:
    """A `SigV4Signer` bound to one set of credentials, as a client holds it.

    `RequestSigner(credentials, service="rekognition", region="eu-west-1").sign(method, url,
    headers, body, now)` returns the headers to set, like `SigV4Signer.sign`.
    """

    credentials: Credentials  # its repr hides the secrets
    _: KW_ONLY
    service: str
    region: str
    secret_names = frozenset[str]()
    """SigV4 puts nothing secret beyond `Authorization` (the session token is hidden anyway)."""

    def sign(
        self,
        method: str,
        url: str,
        headers: HeaderItems,
        body: bytes,
        now: datetime,
        *,
        service: str | None = None,
        region: str | None = None,
    ) -> dict[str, str]:
        """Sign for the client's service and region, or the ones an endpoint asks for."""
        return SigV4Signer(service or self.service, region or self.region).sign(
            method, url, headers, body, credentials=self.credentials, timestamp=now
        )

    def authorize(
        self,
        operation: object,
        method: str,
        url: str,
        headers: HeaderItems,
        body: bytes,
        now: datetime,
        *,
        service: str | None = None,
        region: str | None = None,
    ) -> tuple[str, dict[str, str]]:
        """`sign`, as the client's call loop asks for it: every operation is signed, and the
        URL is sent as it is."""
        return url, self.sign(method, url, headers, body, now, service=service, region=region)

    def event_signing(
        self, signed: Mapping[str, str], *, service: str | None = None, region: str | None = None
    ) -> EventSigning | None:
        """What signs the messages of the event stream a request `signed` so sends."""
        return event_signing(
            self.credentials,
            signed,
            service=service or self.service,
            region=region or self.region,
        )


@dataclass(frozen=True)
class EventSigning:
    """What signs the messages of an event stream a request sends (`EVENTS_PAYLOAD`): the
    request's signing key and scope, and its signature, to which the first message's signature
    is chained (each later one to the one before it)."""

    key: bytes = field(repr=False)
    scope: str
    seed: str
    """The request's signature, in hex."""

    def signature(self, amz_date: str, prior: str, headers: bytes, payload: bytes) -> bytes:
        """The signature of one message: `headers` are its encoded headers but the signature
        (its `:date`), `payload` the message it carries, `prior` the signature before it."""
        text = "\n".join(
            (
                EVENT_ALGORITHM,
                amz_date,
                self.scope,
                prior,
                hashlib.sha256(headers).hexdigest(),
                hashlib.sha256(payload).hexdigest(),
            )
        )
        return hmac.new(self.key, text.encode(), hashlib.sha256).digest()


def event_signing(
    credentials: Credentials, signed: Mapping[str, str], *, service: str, region: str
) -> EventSigning | None:
    """The `EventSigning` of a request `signed` with these headers (`SigV4Signer.sign`'s);
    None for one that carries no signature."""
    authorization = signed.get("Authorization", "")
    amz_date = signed.get("X-Amz-Date", "")
    _, found, seed = authorization.rpartition("Signature=")
    if not found or len(amz_date) < 8:
        return None
    date = amz_date[:8]
    return EventSigning(
        signing_key(credentials.secret_key, date, region, service),
        credential_scope(date, region, service),
        seed.strip(),
    )


def format_amz_date(timestamp: datetime | None = None) -> str:
    """`20150830T123600Z`: the signing time in UTC, to the second (now if not given)."""
    if timestamp is None:
        timestamp = datetime.now(UTC)
    elif timestamp.utcoffset() is None:
        # A naive datetime is local time to some callers and UTC to others; guessing would sign
        # with the wrong time and fail hours later, so refuse it.
        raise ValueError("the signing timestamp must be timezone-aware")
    return timestamp.astimezone(UTC).strftime(AMZ_DATE_FORMAT)


def uri_encode(value: str | bytes, *, keep_slash: bool = False) -> str:
    """Percent-encode every byte but the RFC 3986 unreserved characters, in upper-case hex."""
    return quote(value, safe=_UNRESERVED + "/" if keep_slash else _UNRESERVED)


def remove_dot_segments(path: str) -> str:
    """`//a/./b/../c//` -> `/a/c/`: resolve `.` and `..` and drop empty segments.

    A trailing slash is kept only after a named segment (`/a/b/..` -> `/a`), as botocore does.
    """
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment and segment != ".":
            segments.append(segment)
    leading = "/" if path.startswith("/") else ""
    trailing = "/" if path.endswith("/") and segments else ""
    return leading + "/".join(segments) + trailing


def canonical_uri(path: str, *, normalize: bool = True, double_encode: bool = True) -> str:
    """The path as signed. `path` is as sent, so already percent-encoded once."""
    if normalize:
        path = remove_dot_segments(path)
    if double_encode:
        path = uri_encode(path, keep_slash=True)
    return path or "/"


def canonical_query_string(query: str) -> str:
    """Parameters re-encoded with `uri_encode` and sorted by name, then value.

    A parameter without `=` has an empty value; empty parameters (`a=1&&b=2`) are dropped.
    """
    pairs: list[tuple[str, str]] = []
    for parameter in query.split("&"):
        if not parameter:
            continue
        name, _, value = parameter.partition("=")
        pairs.append((_reencode(name), _reencode(value)))
    pairs.sort()
    return "&".join(f"{name}={value}" for name, value in pairs)


def _reencode(component: str) -> str:
    # Decoding to bytes first leaves a canonical component as it is, and encodes what a raw or
    # loosely encoded one (`%2f`, `+`, non-ASCII text) would otherwise sign differently.
    return uri_encode(unquote_to_bytes(component))


def canonical_headers(headers: HeaderItems) -> dict[str, str]:
    """Lowercased name -> value, sorted by name.

    Each value is trimmed with its runs of whitespace (line folds included) collapsed to one
    space; the values of a repeated name are joined with commas in the order given.
    """
    values: dict[str, list[str]] = {}
    for name, value in _pairs(headers):
        values.setdefault(name.lower(), []).append(" ".join(value.split()))
    return {name: ",".join(values[name]) for name in sorted(values)}


def signed_headers(canonical: Mapping[str, str]) -> str:
    """`host;x-amz-date`: the names of the canonical headers."""
    return ";".join(canonical)


def payload_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str,
    canonical_uri: str,
    canonical_query: str,
    canonical_headers: Mapping[str, str],
    payload_hash: str,
) -> str:
    header_lines = "".join(f"{name}:{value}\n" for name, value in canonical_headers.items())
    return "\n".join(
        (
            method.upper(),
            canonical_uri,
            canonical_query,
            header_lines,
            signed_headers(canonical_headers),
            payload_hash,
        )
    )


def credential_scope(date: str, region: str, service: str) -> str:
    """`20150830/us-east-1/service/aws4_request`; `date` is `YYYYMMDD`."""
    return f"{date}/{region}/{service}/{_SCOPE_TERMINATOR}"


def string_to_sign(amz_date: str, scope: str, canonical_request: str) -> str:
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"


def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    """The key derived from the secret for one day, region and service (cached)."""
    return _derive_signing_key(secret_key, date, region, service)


@functools.lru_cache(maxsize=_SIGNING_KEY_CACHE_SIZE)
def _derive_signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (date, region, service, _SCOPE_TERMINATOR):
        key = hmac.digest(key, part.encode("utf-8"), "sha256")
    return key


def signature(signing_key: bytes, string_to_sign: str) -> str:
    return hmac.new(signing_key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def _pairs(headers: HeaderItems) -> Iterable[tuple[str, str]]:
    return headers.items() if isinstance(headers, Mapping) else headers


def _host_header(parts: SplitResult) -> str:
    """The Host header an HTTP client sends for this URL: no user info, no default port."""
    host = parts.hostname
    if not host:
        raise ValueError("cannot sign a request without a Host header or a host in its URL")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{port}"
    return host
