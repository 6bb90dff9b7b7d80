"""The call loop, whatever the protocol: address, sign, send, retry, read or raise.

A call's request is built by the service's wire protocol (`WireProtocol`: `_awsjson_wire` for the
AWS JSON protocols), signed with SigV4 on every attempt, sent through the transport, and retried
as the retry strategy says; the protocol reads the answer back: the output's data, or the error's
code, message and members.

The answer is not trusted: a successful response whose body the protocol cannot read (not JSON,
nested deeper than the parser's recursion limit) or that holds a value of the wrong type for the
model raises `ResponseParseError` (a `TransportError`), never the `ValueError`, `RecursionError`
or `AttributeError` that reading it ran into.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from . import _endpoints, _retries, _runtime, _transport

if TYPE_CHECKING:
    import logging

_T = TypeVar("_T")


def new_uuid4() -> str:
    """A random (version 4) UUID in its canonical text form, as `str(uuid.uuid4())` gives, without
    importing `uuid` (a call needs one per invocation id)."""
    data = bytearray(os.urandom(16))
    data[6] = data[6] & 0x0F | 0x40
    data[8] = data[8] & 0x3F | 0x80
    text = data.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


_BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods whose request without a body says nothing of its length, as botocore sends them."""


class ResponseParseError(_transport.TransportError):
    """The service's successful answer is not the JSON the protocol promises: not JSON, nested
    too deeply, or a value of the wrong type for the model (a list where an object belongs, a
    number too large for a float). Not retried: the same request would get the same answer."""


MALFORMED_VALUE_ERRORS = (
    AttributeError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    RecursionError,
)
"""What reading a JSON value of the wrong shape into the model's classes can raise: `.get` on a
list, `float()` of a huge int, base64 that is not, a structure nested past the recursion limit."""


def parse_json(body: bytes) -> dict[str, Any]:
    """The body's JSON object ({} for an empty body); ValueError saying what else it is.

    The nesting depth is bounded by the recursion limit, which the C parser checks (a body
    100,000 levels deep fails at the limit, fast): parsing catches that, not a pre-scan, which
    would cost every response a pass over its bytes."""
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except RecursionError:
        raise ValueError("is JSON nested too deeply") from None
    except ValueError:  # UnicodeDecodeError and too-long integers included
        raise ValueError("is not JSON") from None
    if not isinstance(parsed, dict):
        raise ValueError(f"is JSON {type(parsed).__name__}, not an object")
    return parsed


def error_code(
    headers: Mapping[str, str], body: Mapping[str, Any], body_keys: tuple[str, ...]
) -> str | None:
    """An error response's code: the `x-amzn-errortype` header, else the first of `body_keys`
    the body has (the protocols differ in which they read first), without a `:`-suffix or a
    namespace: `ns#Code:extra` -> `Code`."""
    raw = headers.get("x-amzn-errortype")
    for key in body_keys:
        raw = raw or body.get(key)
    if not isinstance(raw, str) or not raw:
        return None
    code = raw.split(":", 1)[0]
    return code.rsplit("#", 1)[-1] or None


def error_message(body: Mapping[str, Any]) -> str | None:
    """An error response body's message, under any of the names services give it."""
    for key in ("message", "Message", "errorMessage"):
        value = body.get(key)
        if isinstance(value, str):
            return value
    return None


def response_parts(response: _transport.HttpResponse) -> dict[str, Any]:
    """A response as a codec's readers of whole responses take it: status, headers (names in
    lower case), body, and the body's stream where the transport left it unread."""
    return {
        "status": response.status,
        "headers": {name.lower(): value for name, value in response.headers.items()},
        "body": response.body,
        "stream": response.stream,
    }


def streaming_body(parts: Mapping[str, Any]) -> _runtime.StreamingBody:
    """A response's body that is a stream (`response_parts`), unread; its `Content-Length`,
    where the response has one, is checked as it is read."""
    length_text = parts["headers"].get("content-length")
    length = (
        int(length_text)
        if isinstance(length_text, str) and length_text.isascii() and length_text.isdigit()
        else None
    )
    stream = parts.get("stream")
    if stream is None:  # a transport that read the body whole
        return _runtime.StreamingBody.from_bytes(parts["body"])
    return _runtime.StreamingBody(stream, length)


@dataclass(frozen=True)
class WireRequest:
    """What the protocol puts on the wire for one call; the caller adds address and signature."""

    method: str
    path: str
    """The path (and query) after the endpoint's own path: `/` for the AWS JSON protocols."""
    headers: Mapping[str, str]
    body: _transport.RequestBody
    """The body: bytes, or a file object (a `@streaming` blob) sent as it is read."""


@dataclass(frozen=True)
class WireError:
    """What the protocol reads from an error response."""

    code: str | None
    message: str | None
    members: Mapping[str, Any]
    """The error's members in their wire form (a JSON protocol's body object)."""


class WireProtocol(Protocol):
    """One protocol's side of a call: the request from the input's wire form, and the answer."""

    def request(self, operation: Operation, payload: Mapping[str, Any]) -> WireRequest: ...

    def output(self, response: _transport.HttpResponse) -> dict[str, Any]:
        """The output's wire form; ValueError saying what the body is instead."""
        ...

    def error(self, response: _transport.HttpResponse) -> WireError: ...


class Signer(Protocol):
    """Puts the caller's credentials on a request: `_sigv4.RequestSigner` signs every request
    with SigV4, `_auth.ClientAuth` uses the operation's first scheme it has credentials for."""

    def authorize(
        self,
        operation: Operation,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes,
        now: datetime.datetime,
        *,
        service: str | None = None,
        region: str | None = None,
    ) -> tuple[str, dict[str, str]]:
        """The URL to send (an API key may go in its query) and the headers to set."""
        ...

    @property
    def secret_names(self) -> frozenset[str]:
        """Lowercased names of the headers and query parameters `authorize` puts credentials
        in, besides `Authorization`: hidden wherever a request is shown."""
        ...


@dataclass(frozen=True)
class Operation:
    name: str
    safe_to_repeat: bool
    """`@idempotent` or `@readonly`: repeating it after a lost answer does no harm."""
    host_prefix: str = ""
    """`@endpoint`: put in front of the endpoint's host, its labels already filled in."""
    streams_input: bool = False
    """The input sends an event stream: the codec's writer gives the whole body, an
    `_event_wire.EventBody` (`{"body": ...}`), not the input's JSON form."""
    streams_output: bool = False
    """The output's payload is a `@streaming` blob or an event stream: a successful response's
    body is handed to the output reader unread (`HttpRequest.stream_response`), in the parts
    of `response_parts`, whatever the protocol."""
    auth: tuple[str, ...] = ("sigv4",)
    """The auth schemes the operation accepts, in the order they are tried: `sigv4`, `bearer`,
    `basic`, `api_key`, `anonymous` (sent without credentials)."""
    status_errors: tuple[tuple[int, str], ...] = ()
    """(HTTP status, error code) for each status exactly one of the operation's modelled errors
    is answered with: an error answer that names no type (as servers other than AWS's answer)
    is that error."""


_HOST_PREFIX_LABEL = re.compile(r"\{([^}]*)\}")
# What boto3 lets into a host prefix: letters, digits, hyphens and dots, at least one.
_HOST_LABEL_VALUE = re.compile(r"[A-Za-z0-9.-]+")


def host_prefix(template: str, labels: Mapping[str, object]) -> str:
    """`@endpoint`'s hostPrefix with each `{label}` replaced by its `@hostLabel` member's value.

    A value must be letters, digits, hyphens and dots, as boto3 checks it; anything else could
    change more of the URL than the host."""

    def fill(match: re.Match[str]) -> str:
        value = labels[match.group(1)]
        if not isinstance(value, str) or not _HOST_LABEL_VALUE.fullmatch(value):
            raise ValueError(
                f"{match.group(1)}: {value!r} is not a valid host name label "
                "(letters, digits, hyphens and dots only)"
            )
        return value

    return _HOST_PREFIX_LABEL.sub(fill, template)


@dataclass(frozen=True)
class Address:
    """Where one request goes: its URL, `Host`, the endpoint's headers and signing scope."""

    url: str
    host: str
    headers: Mapping[str, str]
    signing_name: str | None
    signing_region: str | None


def address(endpoint: _endpoints.Endpoint, host_prefix: str) -> Address:
    """The request's address for `endpoint`, with `host_prefix` put in front of its host.

    Of the endpoint's headers the first value of each is sent, and its first `sigv4` auth scheme
    gives the signing name and region, as in botocore (without its optional SigV4a support).
    """
    url = endpoint.url.rstrip("/") + "/"
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    host = host_prefix + host.rpartition("@")[2]
    signing_name, signing_region = _signing_scope(endpoint.properties.get("authSchemes"))
    return Address(
        url=f"{scheme}://{host}/{path}",
        host=host,
        headers={name: values[0] for name, values in endpoint.headers.items() if values},
        signing_name=signing_name,
        signing_region=signing_region,
    )


def _signing_scope(schemes: object) -> tuple[str | None, str | None]:
    if schemes is None:
        return None, None
    names = []
    for scheme in schemes if isinstance(schemes, list) else ():
        if not isinstance(scheme, Mapping):
            continue
        if scheme.get("name") == "sigv4":
            name, region = scheme.get("signingName"), scheme.get("signingRegion")
            return (
                name if isinstance(name, str) else None,
                region if isinstance(region, str) else None,
            )
        names.append(str(scheme.get("name")))
    raise _endpoints.EndpointResolutionError(
        f"the endpoint asks for {', '.join(names) or 'no'} signing, and this client signs "
        "with SigV4 only"
    )


ErrorFactory = Callable[
    [str | None, str | None, Mapping[str, Any], _transport.HttpResponse], Exception
]
"""Builds the exception for an error response from (code, message, body, response)."""


@dataclass(frozen=True)
class Failed:
    """The outcome of a failed attempt: what to raise, and what the retry strategy needs."""

    error: Exception
    failure: _retries.Failure


class Caller:
    """Sends one operation's request, with signing, retries and error mapping.

    `service_headers` go on every request of the service (a query-compatible one sends
    `x-amzn-query-mode: true`)."""

    def __init__(
        self,
        *,
        endpoints: _endpoints.ClientEndpoints,
        wire: WireProtocol,
        user_agent: str,
        signer: Signer,
        transport: _transport.Transport,
        retry: _retries.RetryStrategy,
        make_error: ErrorFactory,
        logger_name: str,
        inject_host_prefix: bool = True,
        service_headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC),
    ) -> None:
        self._endpoints = endpoints
        self._inject_host_prefix = inject_host_prefix
        self._service_headers = dict(service_headers or {})
        self._addresses: dict[str, Address] = {}
        has_default = endpoints.default_url is not None
        self.endpoint_url = address(endpoints.default, "").url if has_default else None
        self._wire = wire
        self._user_agent = user_agent
        self._signer = signer
        self._transport = transport
        self._retry = retry
        self._make_error = make_error
        self._logger_name = logger_name
        self._logger: logging.Logger | None = None
        self._sleep = sleep
        self._clock = clock

    @property
    def transport(self) -> _transport.Transport:
        """Where requests go; a test stubber takes this seat for a while."""
        return self._transport

    @transport.setter
    def transport(self, transport: _transport.Transport) -> None:
        self._transport = transport

    def call(
        self,
        operation: Operation,
        payload: Mapping[str, Any],
        read: Callable[[dict[str, Any]], _T],
        endpoint_params: Mapping[str, object] | None = None,
    ) -> _T:
        """Send `payload` (the wire form of the input) and return the output, read by `read` (an
        output deserializer, whose errors become `ResponseParseError`) from its wire form.

        `endpoint_params` are the endpoint rule set parameters the operation binds from its
        input; the endpoint is resolved with them on top of the client's."""
        where = self._address(operation, endpoint_params)
        request = self._wire.request(operation, payload)
        body = None if isinstance(request.body, bytes | bytearray) else _StreamedBody(request.body)
        invocation = new_uuid4()
        attempt = 1
        retry_cost = 0
        while True:
            outcome = self._attempt(operation, where, request, invocation, attempt, read, body)
            if not isinstance(outcome, Failed):
                self._retry.record_success(retry_cost)
                return outcome
            decision = self._retry.decide(
                attempt, outcome.failure, safe_to_repeat=operation.safe_to_repeat
            )
            if decision is None or (body is not None and not body.rewind()):
                # A streamed body that cannot be read again cannot be sent again.
                raise outcome.error
            self._debug(
                "%s attempt %d failed (%s); retrying in %.3f s",
                operation.name,
                attempt,
                type(outcome.error).__name__,
                decision.delay,
            )
            self._sleep(decision.delay)
            retry_cost = decision.cost
            attempt += 1

    def _address(
        self, operation: Operation, endpoint_params: Mapping[str, object] | None
    ) -> Address:
        """Where the operation's request goes. Most operations bind no endpoint parameters, so
        the addresses of the client's own endpoint are kept, one per host prefix."""
        prefix = operation.host_prefix if self._inject_host_prefix else ""
        if endpoint_params:
            return address(self._endpoints.resolve(endpoint_params), prefix)
        found = self._addresses.get(prefix)
        if found is None:
            if len(self._addresses) >= 64:  # host labels make a prefix per value
                self._addresses.clear()
            found = self._addresses[prefix] = address(self._endpoints.default, prefix)
        return found

    def _attempt(
        self,
        operation: Operation,
        where: Address,
        wire_request: WireRequest,
        invocation: str,
        attempt: int,
        read: Callable[[dict[str, Any]], _T],
        streamed: _StreamedBody | None = None,
    ) -> _T | Failed:
        url = where.url + wire_request.path.lstrip("/")
        body = wire_request.body
        signed_body: bytes | bytearray = b""
        if streamed is not None:
            # A file object is hashed (and rewound) where it can be, and sent as it is read.
            length = {} if streamed.length is None else {"Content-Length": str(streamed.length)}
            framing = length or {"Transfer-Encoding": "chunked"}
            framing["X-Amz-Content-Sha256"] = streamed.payload_hash()
        else:
            signed_body = body if isinstance(body, bytes | bytearray) else b""
            framing = (
                {"Content-Length": str(len(signed_body))}
                if signed_body or wire_request.method not in _BODILESS
                else {}
            )
        headers = {
            **where.headers,
            "Host": where.host,
            **wire_request.headers,
            **framing,
            "User-Agent": self._user_agent,
            "amz-sdk-invocation-id": invocation,
            "amz-sdk-request": f"attempt={attempt}; max={self._retry.max_attempts}",
            **self._service_headers,
        }
        url, added = self._signer.authorize(
            operation,
            wire_request.method,
            url,
            headers,
            bytes(signed_body),
            self._clock(),
            service=where.signing_name,
            region=where.signing_region,
        )
        headers.update(added)
        if streamed is not None:
            self._sign_events(streamed.body, headers, where)
        request = _transport.HttpRequest(
            wire_request.method,
            url,
            headers,
            bytes(signed_body),
            stream_response=operation.streams_output,
            body_stream=None if streamed is None else streamed.body,
            hidden=self._signer.secret_names,
            duplex=operation.streams_input and operation.streams_output,
        )
        try:
            response = self._transport.send(request)
        except _transport.TransportError as error:
            failure = _retries.Failure(
                # A body over the size limit would be over it again: not a transient failure.
                connection_error=not isinstance(error, _transport.ResponseTooLargeError),
                timeout=isinstance(
                    error, _transport.ReadTimeoutError | _transport.ConnectTimeoutError
                ),
                request_sent=error.request_sent,
            )
            return Failed(error, failure)
        self._debug("%s attempt %d: HTTP %d", operation.name, attempt, response.status)
        if 200 <= response.status < 300:
            return self._read_output(operation, response, request.shown_url, read)
        found = self._wire.error(response)
        code = found.code
        if code is None:
            code = next((c for s, c in operation.status_errors if s == response.status), None)
        raised = self._make_error(code, found.message, found.members, response)
        retry_after = None
        if response.status in _retries.RETRY_AFTER_STATUSES:
            retry_after = _retries.retry_after(response.headers.get("retry-after"), self._clock())
        failure = _retries.Failure(
            code=code,
            status=response.status,
            modeled_retryable=bool(getattr(raised, "retryable", False)),
            modeled_throttling=bool(getattr(raised, "throttling", False)),
            retry_after=retry_after,
        )
        return Failed(raised, failure)

    def _sign_events(
        self, body: _transport.BodyReader, headers: Mapping[str, str], where: Address
    ) -> None:
        """Have an event stream body (`_event_wire.EventBody`) sign its messages, chained to the
        request's signature, where the signer can (an unsigned request sends them unsigned)."""
        sign_with = getattr(body, "sign_with", None)
        event_signing = getattr(self._signer, "event_signing", None)
        if not callable(sign_with) or not callable(event_signing):
            return
        signing = event_signing(headers, service=where.signing_name, region=where.signing_region)
        if signing is not None:
            sign_with(signing, self._clock)

    def _read_output(
        self,
        operation: Operation,
        response: _transport.HttpResponse,
        url: str,
        read: Callable[[dict[str, Any]], _T],
    ) -> _T:
        try:
            parsed = (
                response_parts(response)
                if operation.streams_output
                else self._wire.output(response)
            )
        except ValueError as error:
            if response.stream is not None:
                response.stream.close()
            raise ResponseParseError(
                f"{operation.name}: the response body {error} (HTTP {response.status})",
                url=url,
                request_sent=True,
            ) from None
        try:
            return read(parsed)
        except MALFORMED_VALUE_ERRORS as error:
            if response.stream is not None:
                response.stream.close()
            raise ResponseParseError(
                f"{operation.name}: the response body does not match the model: "
                f"{type(error).__name__}: {str(error)[:200]} (HTTP {response.status})",
                url=url,
                request_sent=True,
            ) from None

    def _debug(self, message: str, *args: object) -> None:
        """Log at DEBUG level, without importing `logging`: until something has imported it,
        nothing can have configured a handler or a level that would let a DEBUG record out."""
        logger = self._logger
        if logger is None:
            logging = sys.modules.get("logging")
            if logging is None:
                return
            logger = self._logger = logging.getLogger(self._logger_name)
        logger.debug(message, *args)

    def close(self) -> None:
        self._transport.close()


class _StreamedBody:
    """A request body that is a file object: its size and SHA-256 where it can tell them
    without being consumed, and a way back to its start for a retry."""

    _HASH_CHUNK = 1024 * 1024

    def __init__(self, body: _transport.BodyReader) -> None:
        self.body = body
        self.length = _transport.stream_length(body)
        self._start: int | None = None
        try:
            seekable = getattr(body, "seekable", None)
            tell = getattr(body, "tell", None)
            if tell is not None and hasattr(body, "seek") and (seekable is None or seekable()):
                self._start = int(tell())
        except (OSError, ValueError, TypeError):
            self._start = None
        self._hash: str | None = None

    def payload_hash(self) -> str:
        """The body's SHA-256 for the signature, read in chunks and rewound (as botocore
        does for a seekable body); `UNSIGNED-PAYLOAD` for one that can be read only once; what
        a body says of itself (an event stream, whose messages are signed one by one)."""
        declared = getattr(self.body, "content_sha256", None)
        if isinstance(declared, str):
            return declared
        if self._start is None:
            return "UNSIGNED-PAYLOAD"
        if self._hash is None:
            import hashlib

            digest = hashlib.sha256()
            while chunk := self.body.read(self._HASH_CHUNK):
                digest.update(chunk)
            self._hash = digest.hexdigest()
            self.rewind()
        return self._hash

    def rewind(self) -> bool:
        """Back to where the body started, for another attempt; False if it cannot go back."""
        if self._start is None:
            return False
        try:
            self.body.seek(self._start)  # type: ignore[attr-defined]
        except (OSError, ValueError):
            return False
        return True


def no_output(data: dict[str, Any]) -> None:
    """The `read` of an operation without output: the body is not looked at."""
