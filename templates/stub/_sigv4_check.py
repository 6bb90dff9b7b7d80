"""Verify a request's SigV4 signature the way AWS does: recompute it and compare.

The check uses the same canonical-request steps as the client's signer (`_sigv4`), fed with the
request as it arrived: the headers the `Authorization` header says were signed, the path and
query, and the body's SHA-256. A request signed more than 15 minutes away from the stub's clock
is refused as AWS refuses it.

A request whose body is an event stream signs `STREAMING-AWS4-HMAC-SHA256-EVENTS` in place of
the body's hash, and each of its messages inside a signed one (`:date`, `:chunk-signature`),
chained from the request's signature; every one is checked, and the stream must end with an
empty signed message, so that a message cut off, added or changed is refused.
"""

from __future__ import annotations

import datetime
import hmac
from collections.abc import Callable, Mapping
from typing import Any

from .. import _eventstream, _sigv4
from ._auth_check import Rejection, request_headers

MAX_CLOCK_SKEW = datetime.timedelta(minutes=15)


def _incomplete(message: str) -> Rejection:
    return Rejection("IncompleteSignatureException", message)


def _invalid(message: str) -> Rejection:
    return Rejection("InvalidSignatureException", message)


def _parse_authorization(value: str) -> dict[str, str] | Rejection:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != _sigv4.ALGORITHM:
        return _incomplete(f"unsupported signing algorithm {algorithm!r}")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, equals, field_value = part.strip().partition("=")
        if equals:
            fields[name] = field_value
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if name not in fields]
    if missing:
        return _incomplete(f"Authorization header requires {', '.join(missing)}")
    return fields


class SignatureChecker:
    def __init__(
        self,
        access_key: str,
        secret_key: str,
        *,
        signing_name: str,
        clock: Callable[[], datetime.datetime] | None = None,
    ) -> None:
        self.access_key = access_key
        self._secret_key = secret_key
        self.signing_name = signing_name
        self._clock = clock or (lambda: datetime.datetime.now(datetime.UTC))

    def __repr__(self) -> str:
        return f"SignatureChecker(access_key={self.access_key!r}, secret_key='***')"

    def check(self, environ: Mapping[str, Any], body: bytes) -> Rejection | None:
        headers = request_headers(environ)
        authorization = headers.get("authorization")
        if not authorization:
            return _incomplete("Missing Authentication Token: no Authorization header")
        fields = _parse_authorization(authorization)
        if isinstance(fields, Rejection):
            return fields
        scope = fields["Credential"].split("/")
        if len(scope) != 5 or scope[4] != "aws4_request":
            return _incomplete(f"malformed Credential {fields['Credential']!r}")
        access_key, day, region, service, _ = scope
        if access_key != self.access_key:
            return Rejection(
                "UnrecognizedClientException",
                "The security token included in the request is invalid.",
            )
        amz_date = headers.get("x-amz-date", "")
        try:
            signed_at = datetime.datetime.strptime(amz_date, _sigv4.AMZ_DATE_FORMAT).replace(
                tzinfo=datetime.UTC
            )
        except ValueError:
            return _incomplete("X-Amz-Date is missing or malformed")
        if abs(self._clock() - signed_at) > MAX_CLOCK_SKEW:
            return _invalid(f"Signature expired: {amz_date} is more than 15 minutes from now")
        if day != amz_date[:8]:
            return _invalid("Credential date does not match X-Amz-Date")
        if service != self.signing_name:
            return _invalid(
                f"Credential should be scoped to correct service: '{self.signing_name}'"
            )
        events = headers.get("x-amz-content-sha256") == _sigv4.EVENTS_PAYLOAD
        signed_names = fields["SignedHeaders"].split(";")
        if "host" not in signed_names:
            return _incomplete("SignedHeaders must include host")
        absent = [name for name in signed_names if name not in headers]
        if absent:
            return _incomplete(f"signed headers are missing: {', '.join(absent)}")
        canonical = _sigv4.canonical_request(
            environ.get("REQUEST_METHOD", "POST"),
            _sigv4.canonical_uri(environ.get("PATH_INFO", "") or "/"),
            _sigv4.canonical_query_string(environ.get("QUERY_STRING", "")),
            _sigv4.canonical_headers([(name, headers[name]) for name in signed_names]),
            _sigv4.EVENTS_PAYLOAD if events else _sigv4.payload_hash(body),
        )
        to_sign = _sigv4.string_to_sign(
            amz_date, _sigv4.credential_scope(day, region, service), canonical
        )
        key = _sigv4.signing_key(self._secret_key, day, region, service)
        expected = _sigv4.signature(key, to_sign)
        # As bytes: compare_digest refuses str with non-ASCII text, and a client may send any.
        given = fields["Signature"].encode("utf-8", "surrogatepass")
        if not hmac.compare_digest(expected.encode("ascii"), given):
            return _invalid(
                "The request signature we calculated does not match the signature you provided."
            )
        if events:
            signing = _sigv4.EventSigning(
                key, _sigv4.credential_scope(day, region, service), expected
            )
            return _check_messages(body, signing)
        return None


def _check_messages(body: bytes, signing: _sigv4.EventSigning) -> Rejection | None:
    """Each signed message of an event stream body, its signature chained from the one before
    (the first from the request's), the last one empty."""
    try:
        frames = list(_eventstream.decode_stream([body]))
    except _eventstream.EventStreamDecodeError as error:
        return _invalid(f"the body is not a signed event stream: {error}")
    if not frames or frames[-1].payload:
        return _invalid("the signed event stream does not end with an empty signed message")
    prior = signing.seed
    for number, frame in enumerate(frames, 1):
        date = frame.headers.get(":date")
        given = frame.headers.get(":chunk-signature")
        if not isinstance(date, _eventstream.Timestamp) or not isinstance(given, bytes):
            return _incomplete(f"message {number} has no :date and :chunk-signature headers")
        expected = signing.signature(
            _sigv4.format_amz_date(date.to_datetime()),
            prior,
            _eventstream.encode_headers({":date": date}),
            frame.payload,
        )
        if not hmac.compare_digest(expected, given):
            return _invalid(f"the signature of message {number} of the event stream does not match")
        prior = expected.hex()
    return None
