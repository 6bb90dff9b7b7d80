"""Verify a request's SigV4 signature the way AWS does: recompute it and compare.

The check uses the same canonical-request steps as the client's signer (`_sigv4`), fed with the
request as it arrived: the headers the `Authorization` header says were signed, the path and
query, and the body's SHA-256. A request signed more than 15 minutes away from the stub's clock
is refused as AWS refuses it.

A request whose body is an event stream signs `STREAMING-AWS4-HMAC-SHA256-EVENTS` in place of
the body's hash, and each of its messages inside a signed one (`:date`, `:chunk-signature`).
A message's signature is the HMAC-SHA256, under the request's signing key, of the lines
`AWS4-HMAC-SHA256-PAYLOAD`, the message's `:date` (as X-Amz-Date), the request's credential
scope, the signature before it (hex; the request's own for the first message), and the SHA-256
(hex) of the encoded `:date` header and of the message it carries. Every one is checked as it
arrives (`MessageVerifier`, handed to the stream's reader), its `:date` within 15 minutes of the
stub's clock, and the stream must end with an empty signed message, so that a message cut off,
added, reordered or changed is refused at the first that is wrong.
"""

from __future__ import annotations

import datetime
import hmac
from collections.abc import Callable, Mapping
from typing import Any

from .. import _eventstream, _sigv4
from ._auth_check import Rejection, request_headers
from ._events import BadSignature, BadStream, RequestEvents, unwrap_signed

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

    def check(self, environ: Mapping[str, Any], body: bytes | RequestEvents) -> Rejection | None:
        """None if the request's signature holds; else why not. An event stream body not yet
        read (`RequestEvents`) is given a `MessageVerifier` that checks each message as it
        arrives; one read whole (bytes) has every message checked now."""
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
        if isinstance(body, RequestEvents) and not events:
            return _incomplete(
                f"an event stream body is signed as {_sigv4.EVENTS_PAYLOAD}"
                " (X-Amz-Content-Sha256)"
            )
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
            (
                _sigv4.EVENTS_PAYLOAD
                if events or not isinstance(body, bytes)
                else _sigv4.payload_hash(body)
            ),
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
            verifier = MessageVerifier(signing, self._clock)
            if isinstance(body, RequestEvents):
                body.verify_with(verifier)
                return None
            return _check_messages(body, verifier)
        return None


class MessageVerifier:
    """Checks the signed messages of one request's event stream in order, each chained to the
    signature before it (the first to the request's)."""

    def __init__(
        self, signing: _sigv4.EventSigning, clock: Callable[[], datetime.datetime]
    ) -> None:
        self._signing = signing
        self._clock = clock
        self._prior = signing.seed

    def __call__(
        self, frame: _eventstream.EventStreamMessage, number: int
    ) -> _eventstream.EventStreamMessage | None:
        """The message signed message `number` carries (None for the empty one that ends the
        stream); `BadSignature` for one that is not signed as it must be."""
        date = frame.headers.get(":date")
        given = frame.headers.get(":chunk-signature")
        if not isinstance(date, _eventstream.Timestamp) or not isinstance(given, bytes):
            raise BadSignature(f"message {number} has no :date and :chunk-signature headers")
        moment = date.to_datetime()
        if abs(self._clock() - moment) > MAX_CLOCK_SKEW:
            raise BadSignature(
                f"message {number} of the event stream is dated more than 15 minutes from now"
            )
        expected = self._signing.signature(
            _sigv4.format_amz_date(moment),
            self._prior,
            _eventstream.encode_headers({":date": date}),
            frame.payload,
        )
        if not hmac.compare_digest(expected, given):
            raise BadSignature(
                f"the signature of message {number} of the event stream does not match"
            )
        self._prior = expected.hex()
        return unwrap_signed(frame, number) if frame.payload else None


def _check_messages(body: bytes, verifier: MessageVerifier) -> Rejection | None:
    """Each signed message of a whole event stream body, in order, the last one empty."""
    try:
        for _ in RequestEvents(body, unwrap=verifier):
            pass
    except BadSignature as error:
        return _invalid(str(error))
    except BadStream as error:
        return _invalid(f"the body is not a signed event stream: {error}")
    return None
