"""The server side of a service, as a WSGI application.

`StubApp` has the service's wire protocol (`ServerWire`: `_awsjson_server` for the AWS JSON
protocols, `_restjson_server` for restJson1) route a request to its operation and check its form,
checks its size and (optionally) its SigV4 signature, has the protocol read the input from the
request, validates it in strict mode, calls the handler, validates what the handler returned and
has the protocol write it. An input's event stream is not read here: the handler gets its events
as they arrive (`_events.RequestEvents`), and an output's event stream is sent as the handler
yields it, in chunked transfer coding, so that one may answer the other while the client is
still sending; a fault of the request's stream found once the answer has begun ends the answer's
stream with an error message (`:message-type error`) that names it. Every failure is
answered the way the protocol answers errors (a query-compatible service's errors also carry
their AWS query code and whose fault they are in `x-amzn-query-error`). A handler bug becomes a
500 without a traceback; the traceback goes to the log.

Nothing here knows the service: `ServiceSpec` (built in `service.py`) carries its operations,
their (de)serializers and validators, its errors and its wire protocol.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .. import _eventstream
from .._runtime import Violation
from ..errors import ServiceError
from . import faults as _faults
from ._auth_check import ApiKeySpec, AuthChecker
from ._documents import DocumentError, check_value
from ._events import BadEvent, BadStream, RequestEvents
from ._http_reader import TOKEN, parse_length
from ._sigv4_check import SignatureChecker
from ._wire import describe_violations

_LOG = logging.getLogger(__name__.rpartition(".")[0])

HEALTH_PATH = "/_stub/health"
OPENAPI_PATH = "/openapi.json"
"""Where the stub serves the service's OpenAPI 3.1 document (`openapi.json` beside this file),
written by the same generation."""
_OPENAPI_FILE = Path(__file__).with_name("openapi.json")
"""Answers GET with 200 while the stub runs; no service's route (AWS JSON's `POST /`, a restJson1
`@http` pattern) can start with `/_stub/`, which the stub keeps for itself."""
DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
# What may not be in a header value the stub writes: anything that would end its line, for HTTP
# or for a client that splits text on Unicode line breaks.
_LINE_BREAKING = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]")
DROP_CONNECTION_KEY = "shapesmith.stub.drop_connection"
"""The WSGI environ key of a callable that makes the runner close the connection unanswered."""
RENEW_DEADLINE_KEY = "shapesmith.stub.renew_deadline"
"""The WSGI environ key of a callable that gives the request's body another request timeout to
arrive in: an event stream's reader calls it after each message, so a stream may last as long
as its messages keep coming."""
_MAX_ERROR_MESSAGE = 2000

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
Validate = Callable[..., list[Violation]]


@dataclass(frozen=True)
class EventsSpec:
    """An operation's event stream member, as a fixture gives its events: a list of the union's
    values in JSON form, each checked on its own (a stream's member is not checked with the
    structure that holds it)."""

    member: str
    """The member's name (its key in the structure's JSON form)."""
    validate: Callable[..., list[Violation]]
    from_dict: Callable[[Any], Any]
    read: Callable[[Any], Any] | None = None
    """One event in JSON form -> its wire form, where it holds values to decode."""
    errors: Mapping[str, str] = field(default_factory=dict)
    """The union's members that are modelled errors -> the error's code (`ServiceSpec.errors`)."""
    attribute: str = ""
    """An output's stream: the member's attribute, where the handler puts its events."""
    write_error: Callable[[ServiceError], _eventstream.EventStreamMessage | None] | None = None
    """An output's stream: the exception message of one of its modelled errors (None for any
    other error), as the stub ends the stream with it."""


@dataclass(frozen=True)
class OperationSpec:
    """One operation, as the server side of the protocol needs it."""

    name: str
    method_name: str
    """The handler method that answers it."""
    read_input: Callable[[Any], Any]
    """The input in JSON form, keyed by member name (a fixture's `match`, a Stubber's expected
    parameters, an AWS JSON body) -> its wire-form dict (blobs, timestamps and float words
    decoded)."""
    validate_input: Validate
    input_from_dict: Callable[[Any], Any]
    output_type: type
    read_output: Callable[[Any], Any]
    output_from_dict: Callable[[Any], Any]
    validate_output: Validate
    serialize_output: Callable[[Any], dict[str, Any]]
    errors: tuple[type[ServiceError], ...]
    """The errors the model lists for the operation."""
    read_message: Callable[[Any], Any] | None = None
    """restJson1: a request's parts (`_restjson_server.RequestParts`) -> the input's wire form."""
    status: int = 200
    """The status of a successful answer (`@http`'s code)."""
    auth: tuple[str, ...] = ("sigv4",)
    """The auth schemes the operation accepts, as the client tries them (`_auth_check`)."""
    streams_input: bool = False
    """The input sends an event stream: its body is read as the handler asks for its events
    (`_events.RequestEvents`), not before the handler is called."""
    read_document: Callable[[Any], Any] | None = None
    """AWS JSON, where `read_input` reads the event stream: the input's JSON form (a fixture's
    `match`) -> its wire form."""
    input_events: EventsSpec | None = None
    output_events: EventsSpec | None = None
    streams_output: bool = False
    """AWS JSON: the output has an event stream, and `serialize_output` gives the whole body
    (`{"body": frames}`) instead of the JSON object."""
    status_errors: tuple[tuple[int, str], ...] = ()
    """Where the model says the body of every error answer (`shapesmith.api#errorsByStatus`,
    OpenAPI's responses): the error code that the stub's own refusals of each status take."""
    default_error: str | None = None
    """...and the code they take at any other status (OpenAPI's `default` response)."""


@dataclass(frozen=True)
class Request:
    """A request's line and headers as a protocol's server side reads them, whether it came over
    the network (`from_environ`) or from the generated client to the Stubber (`from_client`)."""

    method: str
    path: str
    """As sent: percent-encoded."""
    query: str
    """As sent, without the `?`."""
    headers: Mapping[str, str]
    """Names in lower case; a repeated header's values joined with `,`."""

    @classmethod
    def from_environ(cls, environ: Environ) -> Request:
        """The request of a WSGI environ whose `PATH_INFO` is as sent (the stub's own server
        does not decode it, so that an encoded `/` inside a URI label stays one label)."""
        headers = {
            key[5:].lower().replace("_", "-"): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = str(environ["CONTENT_TYPE"])
        return cls(
            method=environ.get("REQUEST_METHOD", "GET"),
            path=environ.get("PATH_INFO", "") or "/",
            query=environ.get("QUERY_STRING", ""),
            headers=headers,
        )

    @classmethod
    def from_client(cls, method: str, url: str, headers: Iterable[tuple[str, str]]) -> Request:
        split = urlsplit(url)
        lowered: dict[str, str] = {}
        for name, value in headers:
            key = name.lower()
            lowered[key] = f"{lowered[key]},{value}" if key in lowered else value
        return cls(method, split.path or "/", split.query, lowered)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def cannot_make(code: str) -> Callable[[str], ServiceError]:
    """`ErrorSpec.make` for an error that a message alone cannot build: it has a required member
    with no plain zero value, so only a handler (or the Stubber, given the members) can raise it."""

    def refuse(message: str) -> ServiceError:
        raise TypeError(
            f"{code} has required members besides its message; raise it from the handler"
        )

    return refuse


@dataclass(frozen=True)
class ErrorSpec:
    """A modelled error: its code, status and how to build and serialize it."""

    error_type: type[ServiceError]
    serialize: Callable[[Any], dict[str, Any]]
    """The error -> what the protocol's `ServerWire.error` writes."""
    make: Callable[[str], ServiceError]
    """Build the error with a message (for errors the stub raises itself)."""
    read: Callable[[Any], Any]
    validate: Validate
    from_dict: Callable[[Any], ServiceError]
    query_error: str = ""
    """For a query-compatible service: the `x-amzn-query-error` value, `<code>;<Sender|Receiver>`."""

    @property
    def code(self) -> str:
        return self.error_type.shape_name


Answer = tuple[bytes, list[tuple[str, str]]]
"""The body and headers of an answer."""


class ServerWire(Protocol):
    """One protocol's server side: which operation a request calls, its input's wire form, and
    the status, bytes and headers of an answer. Raises `Rejected` for a request it cannot take."""

    def route(self, request: Request, operations: Mapping[str, OperationSpec]) -> OperationSpec:
        """The operation the request calls, its method and content type checked."""
        ...

    def read_input(
        self, request: Request, body: bytes | RequestEvents, operation: OperationSpec
    ) -> Any:
        """The input's wire form (for the validator), from wherever the protocol puts it; an
        event stream body (`OperationSpec.streams_input`) as it arrives, or read whole."""
        ...

    def output(
        self, operation: OperationSpec, serialized: Any
    ) -> tuple[int, bytes | Iterator[bytes], list[tuple[str, str]]]:
        """The status, body and headers of an answer, from `OperationSpec.serialize_output`."""
        ...

    def error(self, code: str, serialized: Any) -> Answer:
        """A modelled error's answer, from `ErrorSpec.serialize`."""
        ...

    def unmodelled_error(self, code: str, members: Mapping[str, Any]) -> Answer:
        """The answer of an error the model does not have (its `message`, say), in JSON form."""
        ...


@dataclass(frozen=True)
class ServiceSpec:
    sdk_id: str
    wire: ServerWire
    signing_name: str
    operations: Mapping[str, OperationSpec]
    errors: Mapping[str, ErrorSpec]
    """Every modelled error, by code."""
    validation_error: str | None
    """The code of the modelled error that reports constraint violations, if the model names one."""
    internal_error: str | None
    throttling_error: str | None
    query_compatible: bool = False
    """`@awsQueryCompatible`: every error also names its AWS query code in `x-amzn-query-error`."""
    auth_schemes: tuple[str, ...] = ("sigv4",)
    """The auth schemes the service supports; with SigV4 alone every request is signed."""
    api_key: ApiKeySpec | None = None
    """Where the API key travels, where the service supports one."""
    api_keys: Mapping[str, ApiKeySpec] = field(default_factory=dict)
    """Where each of several API keys travels, by name (operations name `api_key:<name>`)."""

    def query_error(self, code: str, status: int) -> str:
        """The `x-amzn-query-error` value of an error answered with `code`: a modelled error's
        own; for others, the code itself, and the status says whose fault it is."""
        spec = self.errors.get(code)
        if spec is not None and spec.query_error:
            return spec.query_error
        return f"{code};{'Sender' if status < 500 else 'Receiver'}"

    def operation_named(self, name: str) -> OperationSpec | None:
        """Look an operation up by its model name or its snake_case method name."""
        found = self.operations.get(name)
        if found is None:
            found = next((op for op in self.operations.values() if op.method_name == name), None)
        return found


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes | Iterator[bytes]
    """The whole body, or the frames of an event stream, sent as they are made."""
    headers: list[tuple[str, str]] = field(default_factory=list)
    close: bool = False
    """Close the connection after answering (the request body was not read whole)."""


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    411: "Length Required",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
    501: "Not Implemented",
}


class Rejected(Exception):
    """A request the stub answers with an error before any handler sees it."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        close: bool = False,
        headers: tuple[tuple[str, str], ...] = (),
        operations: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.close = status, code, message, close
        self.headers = headers
        # A refusal made before routing (a 405) names the operations it concerns (the path's),
        # whose errors may say how it is answered.
        self.operations = operations


class NotImplementedByStub(Exception):
    """The handler does not answer this operation: the stub replies 501 `NotImplemented`."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"not implemented by this stub: {operation}")


class StubFailure(Exception):
    """A failure of the stub's own making whose message is safe to send (a 500 that says why)."""


class BreaksModel(ValueError):
    """A value given to the stub (a fixture, a stubbed answer) that the service could never send."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(describe_violations(violations))
        self.violations = violations


def checked(
    value: Any,
    read: Callable[[Any], Any],
    validate: Validate,
    from_dict: Callable[[Any], Any],
) -> Any:
    """`value` as its dataclass, checked strictly against the model; raises `BreaksModel`, or
    `DocumentError` for data beyond the stub's limits (nesting, integer size).

    A mapping is taken in JSON form (base64 blobs) and checked before it becomes the dataclass,
    which would fill in the required members it lacks; anything else is checked as it is.
    """
    check_value(value)
    if isinstance(value, Mapping):
        wire = read(dict(value))
        found = validate(wire, strict=True)
        if found:
            raise BreaksModel(found)
        return from_dict(wire)
    found = validate(value, strict=True)
    if found:
        raise BreaksModel(found)
    return value


class StubApp:
    """A WSGI application that answers the service's operations through `handler`."""

    def __init__(
        self,
        service: ServiceSpec,
        handler: object,
        *,
        faults: _faults.Faults | None = None,
        signature_checker: SignatureChecker | None = None,
        auth_checker: AuthChecker | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        missing = [
            op.method_name
            for op in service.operations.values()
            if not callable(getattr(handler, op.method_name, None))
        ]
        if missing:
            raise TypeError(f"{type(handler).__name__} has no method {', '.join(missing)}")
        self.service = service
        self.handler = handler
        self.faults = faults or _faults.Faults()
        self.signature_checker = signature_checker
        self.auth_checker = auth_checker
        self.max_body_bytes = max_body_bytes

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        reply = self.respond(environ)
        headers = list(reply.headers)
        if isinstance(reply.body, bytes):
            headers.append(("Content-Length", str(len(reply.body))))
        if reply.close:
            headers.append(("Connection", "close"))
        start_response(f"{reply.status} {_REASONS.get(reply.status, 'Unknown')}", headers)
        return [reply.body] if isinstance(reply.body, bytes) else reply.body

    def respond(self, environ: Environ) -> Reply:
        request_id = str(uuid.uuid4())
        reply = self._reply(environ, request_id)
        # Members become header values (restJson1's bindings): one that could end its line, or
        # a name that is not a token, is never written.
        for name, value in reply.headers:
            if not TOKEN.fullmatch(name) or _LINE_BREAKING.search(value):
                message = (
                    f"the answer's header {name[:100]!r} cannot be sent: its name is not a token"
                    " or its value holds a control character"
                )
                _LOG.error("%s (request %s)", message, request_id)
                return self._internal_error_reply(message, request_id)
        return reply

    def _reply(self, environ: Environ, request_id: str) -> Reply:
        try:
            return self._respond(environ, request_id)
        except Rejected as rejected:
            reply = self._error_reply(
                rejected.status, rejected.code, rejected.message, request_id, close=rejected.close
            )
            return replace(reply, headers=[*reply.headers, *rejected.headers])
        except ServiceError as error:  # the model's validation error, or an injected one
            return self._modelled_error_reply(error, request_id)
        except StubFailure as error:  # an answer that cannot be written (a status code)
            _LOG.error("%s (request %s)", error, request_id)
            return self._internal_error_reply(str(error), request_id)
        except Exception:
            _LOG.exception("the stub failed on request %s", request_id)
            return self._internal_error_reply("the stub failed", request_id)

    # -- the steps of one request -------------------------------------------------------------

    def _respond(self, environ: Environ, request_id: str) -> Reply:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "") or "/"
        if path == HEALTH_PATH:
            if method not in {"GET", "HEAD"}:
                raise Rejected(
                    405, "MethodNotAllowedException", "use GET", headers=(("Allow", "GET, HEAD"),)
                )
            return Reply(200, b'{"status":"ok"}', [("Content-Type", "application/json")])
        if path == OPENAPI_PATH and method in {"GET", "HEAD"}:
            return self._openapi_reply()
        request = Request.from_environ(environ)
        try:
            operation = self.service.wire.route(request, self.service.operations)
        except Rejected as rejected:
            agreed = self._agreed_operation(rejected)
            documented = (
                None if agreed is None else self._documented_error(agreed, rejected, request_id)
            )
            if documented is None:
                raise
            return documented
        try:
            return self._answer(environ, request, operation, request_id)
        except Rejected as rejected:
            documented = self._documented_error(operation, rejected, request_id)
            if documented is None:
                raise
            return documented

    def _answer(
        self, environ: Environ, request: Request, operation: OperationSpec, request_id: str
    ) -> Reply:
        body: bytes | RequestEvents = (
            self._event_body(environ) if operation.streams_input else self._read_body(environ)
        )
        rejection = None
        if self.auth_checker is not None:
            rejection = self.auth_checker.check(operation.auth, environ, body)
        elif self.signature_checker is not None:
            rejection = self.signature_checker.check(environ, body)
        if rejection is not None:
            raise Rejected(
                rejection.status, rejection.code, rejection.message, headers=rejection.headers
            )
        fault = self.faults.next(operation.name)
        if fault is not None:
            injected = self._inject(fault, environ, request_id)
            if injected is not None:
                return injected
        events = body if isinstance(body, RequestEvents) else None
        given = self._parse_input(request, operation, body)
        return self._call_handler(operation, given, request_id, events)

    def _openapi_reply(self) -> Reply:
        try:
            document = _OPENAPI_FILE.read_bytes()
        except OSError:
            raise Rejected(404, "NotFoundException", "this stub has no OpenAPI document") from None
        return Reply(200, document, [("Content-Type", "application/json")])

    def _read_body(self, environ: Environ) -> bytes:
        declared = environ.get("CONTENT_LENGTH") or ""
        if not declared:
            if not environ.get("HTTP_TRANSFER_ENCODING"):
                return b""
            if not environ.get("wsgi.input_terminated"):
                # This WSGI server hands over the raw stream: the end of the body is unknown.
                raise Rejected(411, "LengthRequiredException", "send a Content-Length", close=True)
            # A chunked body the server decodes: read one byte past the limit to see it is over.
            body = self._read(environ, self.max_body_bytes + 1)
            if len(body) > self.max_body_bytes:
                raise self._too_large(f"the body is over {self.max_body_bytes} bytes")
            return body
        length = parse_length(declared.strip())
        if length is None:
            raise Rejected(
                400, "SerializationException", "Content-Length must be ASCII digits", close=True
            )
        if length > self.max_body_bytes:
            raise self._too_large(f"the body is {length} bytes; the limit is {self.max_body_bytes}")
        body = self._read(environ, length)
        if len(body) != length:
            raise Rejected(
                400,
                "SerializationException",
                f"the body ended after {len(body)} of {length} bytes",
                close=True,
            )
        return body

    def _event_body(self, environ: Environ) -> RequestEvents:
        """A request's event stream, to be read as its events are asked for: each frame within
        the body limit, each message within the request timeout of the one before."""
        renew = environ.get(RENEW_DEADLINE_KEY)
        declared = environ.get("CONTENT_LENGTH") or ""
        reader: Any
        if environ.get("wsgi.input_terminated"):  # the server ends the body where it ends
            reader = environ["wsgi.input"]
        elif declared:
            length = parse_length(declared.strip())
            if length is None:
                raise Rejected(
                    400, "SerializationException", "Content-Length must be ASCII digits", close=True
                )
            reader = _Bounded(environ["wsgi.input"], length)
        elif not environ.get("HTTP_TRANSFER_ENCODING"):
            reader = b""
        else:  # chunked, and this WSGI server hands over the raw stream
            raise Rejected(411, "LengthRequiredException", "send a Content-Length", close=True)
        return RequestEvents(
            reader, max_frame_bytes=self.max_body_bytes, renew=renew if callable(renew) else None
        )

    def _too_large(self, message: str) -> Rejected:
        return Rejected(413, "RequestEntityTooLargeException", message, close=True)

    def _read(self, environ: Environ, size: int) -> bytes:
        try:
            body: bytes = environ["wsgi.input"].read(size)
        except TimeoutError:
            raise Rejected(
                408, "RequestTimeoutException", "the body did not arrive", close=True
            ) from None
        except OSError as error:
            raise Rejected(
                400, "SerializationException", f"reading the body: {error}", close=True
            ) from None
        return body

    def _parse_input(
        self, request: Request, operation: OperationSpec, body: bytes | RequestEvents
    ) -> Any:
        try:
            wire = self.service.wire.read_input(request, body, operation)
        except BadStream as error:  # an input's event stream
            raise Rejected(error.status, error.code, str(error), close=True) from None
        except BadEvent as error:
            raise self._validation_failure(str(error)) from None
        violations = operation.validate_input(wire, strict=True)
        if violations:
            raise self._validation_failure(describe_violations(violations))
        return operation.input_from_dict(wire)

    def _call_handler(
        self,
        operation: OperationSpec,
        request: Any,
        request_id: str,
        events: RequestEvents | None = None,
    ) -> Reply:
        try:
            output = getattr(self.handler, operation.method_name)(request)
        except (BadStream, BadEvent) as error:  # the request's event stream, read by the handler
            return self._stream_failure_reply(error, request_id)
        except ServiceError as error:
            return self._modelled_error_reply(error, request_id)
        except NotImplementedByStub as error:
            return self._error_reply(501, "NotImplemented", str(error), request_id)
        except StubFailure as error:
            _LOG.error("%s (request %s)", error, request_id)
            return self._internal_error_reply(str(error), request_id)
        except Exception:
            _LOG.exception("the handler failed on %s (request %s)", operation.name, request_id)
            return self._internal_error_reply("the stub's handler failed", request_id)
        if events is not None and events.failure is not None:  # even if the handler caught it
            return self._stream_failure_reply(events.failure, request_id)
        return self._output_reply(operation, output, request_id, events)

    def _stream_failure_reply(self, error: BadStream | BadEvent, request_id: str) -> Reply:
        """The answer to a request whose event stream broke before the answer began."""
        try:
            if isinstance(error, BadStream):
                raise Rejected(error.status, error.code, str(error), close=True)
            raise self._validation_failure(str(error))
        except Rejected as rejected:
            return self._error_reply(
                rejected.status, rejected.code, rejected.message, request_id, close=True
            )
        except ServiceError as modelled:
            return replace(self._modelled_error_reply(modelled, request_id), close=True)

    def _output_reply(
        self,
        operation: OperationSpec,
        output: Any,
        request_id: str,
        events: RequestEvents | None = None,
    ) -> Reply:
        if isinstance(output, Mapping):
            try:
                output = operation.output_from_dict(output)
            except Exception:
                _LOG.exception("the handler's %s answer is not its output", operation.name)
                return self._internal_error_reply("the stub's handler failed", request_id)
        if not isinstance(output, operation.output_type):
            _LOG.error(
                "the handler returned %s from %s, not %s",
                type(output).__name__,
                operation.name,
                operation.output_type.__name__,
            )
            return self._internal_error_reply("the stub's handler failed", request_id)
        violations = operation.validate_output(output, strict=True)
        if violations:
            message = f"the handler's {operation.output_type.__name__} breaks the model: "
            message += describe_violations(violations)
            _LOG.error("%s (request %s)", message, request_id)
            return self._internal_error_reply(message, request_id)
        sent = operation.output_events
        if sent is not None and sent.attribute:
            given = getattr(output, sent.attribute, None)
            if given is not None:
                checked_events = _checked_events(given, sent, operation.name)
                output = _with_member(output, sent.attribute, checked_events)
        status, body, headers = self.service.wire.output(
            operation, operation.serialize_output(output)
        )
        if not isinstance(body, bytes):
            body = self._streamed(body, sent, events, request_id)
        return Reply(status, body, [*headers, ("x-amzn-RequestId", request_id)])

    def _streamed(
        self,
        frames: Iterable[bytes],
        sent: EventsSpec | None,
        events: RequestEvents | None,
        request_id: str,
    ) -> Iterator[bytes]:
        """The frames of an answer's event stream as the handler makes them. A failure once the
        answer has begun (the request's own stream broke, an event of the handler's that breaks
        the model, an error the stream does not model, a handler bug) ends it with the stream's
        modelled error of that code where the stream has one (its exception message, which a
        client raises as that error), else with an error message."""
        try:
            yield from frames
        except (BadStream, BadEvent) as error:
            yield self._failure_message(error, sent, events)
            return
        except ServiceError as error:  # the stream's own were written by the codec
            yield _error_frame(error.shape_name or "ServiceError", str(error))
            return
        except BadHandlerEvent as error:
            _LOG.error("%s (request %s)", error, request_id)
            yield self._stream_error(sent, self._internal_code, str(error))
            return
        except Exception:
            _LOG.exception("the handler's event stream failed (request %s)", request_id)
            yield self._stream_error(sent, self._internal_code, "the stub's handler failed")
            return
        if events is not None and events.failure is not None:  # the handler swallowed it
            yield self._failure_message(events.failure, sent, events)

    @property
    def _internal_code(self) -> str:
        return self.service.internal_error or "InternalFailure"

    def _failure_message(
        self, error: BadStream | BadEvent, sent: EventsSpec | None, events: RequestEvents | None
    ) -> bytes:
        """How a fault of the request's stream (its first, whatever the handler caught) ends
        the answer's."""
        error = events.failure if events is not None and events.failure is not None else error
        if isinstance(error, BadStream):
            return self._stream_error(sent, error.code, str(error))
        code = self.service.validation_error or "ValidationException"
        return self._stream_error(sent, code, str(error))

    def _stream_error(self, sent: EventsSpec | None, code: str, message: str) -> bytes:
        """The message that ends an answer's stream with the error `code`: the stream's modelled
        error of that code, made with `message`, where it has one and the message alone can
        make it; else an error message (`:message-type error`)."""
        message = _shortened(message)
        spec = self.service.errors.get(code)
        if (
            sent is not None
            and sent.write_error is not None
            and spec is not None
            and code in sent.errors.values()
        ):
            try:
                modelled = sent.write_error(spec.make(message))
            except TypeError:  # `cannot_make`: a required member no stand-in value fills
                modelled = None
            if modelled is not None:
                return modelled.encode()
        return _error_frame(code, message)

    def _inject(self, fault: _faults.Fault, environ: Environ, request_id: str) -> Reply | None:
        if fault.kind == "delay":
            time.sleep(fault.seconds)
            return None
        if fault.kind == "drop":
            drop = environ.get(DROP_CONNECTION_KEY)
            if callable(drop):
                drop()
                return Reply(500, b"", close=True)
            return self._internal_error_reply("injected fault: dropped connection", request_id)
        if fault.kind == "throttle":
            code = self.service.throttling_error
            if code is None:
                return self._error_reply(
                    400, "ThrottlingException", "Rate exceeded (injected fault)", request_id
                )
            return self._modelled_error_reply(
                self.service.errors[code].make("Rate exceeded (injected fault)"), request_id
            )
        if fault.kind == "internal":
            return self._internal_error_reply("injected fault", request_id)
        spec = self.service.errors[str(fault.code)]
        return self._modelled_error_reply(spec.make("injected fault"), request_id)

    # -- error replies ------------------------------------------------------------------------

    def _validation_failure(self, message: str) -> Exception:
        code = self.service.validation_error
        if code is None:
            return Rejected(400, "ValidationException", message)
        return self.service.errors[code].make(message)

    def _documented_error(
        self, operation: OperationSpec, rejected: Rejected, request_id: str
    ) -> Reply | None:
        """The stub's own refusal as the operation's error of that status (else its default
        error) says error answers look, where the model says so; None where it does not."""
        code = dict(operation.status_errors).get(rejected.status, operation.default_error)
        spec = None if code is None else self.service.errors.get(code)
        if spec is None:
            return None
        try:
            error = spec.make(rejected.message)
        except TypeError:  # `cannot_make`: a required member no stand-in value fills
            return None
        answer = self.service.wire.error(spec.code, spec.serialize(error))
        reply = self._wire_error(
            rejected.status, spec.code, answer, request_id, close=rejected.close
        )
        return replace(reply, headers=[*reply.headers, *rejected.headers])

    def _agreed_operation(self, rejected: Rejected) -> OperationSpec | None:
        """One of the operations a refusal made before routing concerns, where they all answer
        its status with the same error (so that error's body is the refusal's); else None."""
        concerned = [self.service.operations[name] for name in rejected.operations]
        codes = {
            dict(operation.status_errors).get(rejected.status, operation.default_error)
            for operation in concerned
        }
        if len(codes) != 1 or None in codes:
            return None
        return concerned[0]

    def _internal_error_reply(self, message: str, request_id: str) -> Reply:
        code = self.service.internal_error
        if code is None:
            return self._error_reply(500, "InternalFailure", message, request_id)
        return self._modelled_error_reply(self.service.errors[code].make(message), request_id)

    def _modelled_error_reply(self, error: ServiceError, request_id: str) -> Reply:
        spec = self.service.errors.get(error.shape_name)
        if spec is None or type(error) is not spec.error_type:
            _LOG.error("the handler raised %s, which the model does not know", type(error).__name__)
            return self._internal_error_reply("the stub's handler failed", request_id)
        answer = self.service.wire.error(spec.code, spec.serialize(error))
        return self._wire_error(error.http_status, spec.code, answer, request_id)

    def _error_reply(
        self, status: int, code: str, message: str, request_id: str, *, close: bool = False
    ) -> Reply:
        answer = self.service.wire.unmodelled_error(code, {"message": message})
        return self._wire_error(status, code, answer, request_id, close=close)

    def _wire_error(
        self, status: int, code: str, answer: Answer, request_id: str, *, close: bool = False
    ) -> Reply:
        body, wire_headers = answer
        headers = [*wire_headers, ("x-amzn-RequestId", request_id), ("x-amzn-ErrorType", code)]
        if self.service.query_compatible:
            headers.append(("x-amzn-query-error", self.service.query_error(code, status)))
        return Reply(status, body, headers, close=close)


def _error_frame(code: str, message: str) -> bytes:
    """An error message of an event stream (`:message-type error`)."""
    return _eventstream.EventStreamMessage.error(code, _shortened(message)).encode()


def _shortened(message: str) -> str:
    if len(message) > _MAX_ERROR_MESSAGE:
        return message[: _MAX_ERROR_MESSAGE - 3] + "..."
    return message


class BadHandlerEvent(StubFailure):
    """An event the handler gave for an answer's stream that breaks the model (a handler bug,
    found before the event is framed: its message says which event and how)."""


def _checked_events(given: Iterable[Any], sent: EventsSpec, operation: str) -> Iterator[Any]:
    """The handler's events for an answer's stream, each checked strictly against the stream's
    union as it comes, before it is framed. An event in JSON form is read as a fixture's is
    (within the document limits first); a typed one is validated as it is, as the handler's
    output is (the limits walk would cost more than the validator)."""
    for number, event in enumerate(given, 1):
        try:
            if isinstance(event, Mapping):
                yield checked(event, sent.read or _as_is, sent.validate, sent.from_dict)
                continue
            violations = sent.validate(event, strict=True)
            if violations:
                raise BreaksModel(violations)
            yield event
        except (BreaksModel, DocumentError) as broken:
            raise BadHandlerEvent(
                f"the handler's event {number} of {operation}'s {sent.member} breaks the model: "
                f"{broken}"
            ) from None


def _as_is(value: Any) -> Any:
    return value


def _with_member(structure: Any, attribute: str, value: Any) -> Any:
    """A copy of the (dataclass) `structure` with its `attribute` set to `value`."""
    return replace(structure, **{attribute: value})


class _Bounded:
    """A WSGI input read no further than its `Content-Length`."""

    def __init__(self, stream: Any, length: int) -> None:
        self._stream = stream
        self._left = length

    def read(self, size: int = -1, /) -> bytes:
        size = self._left if size < 0 else min(size, self._left)
        data: bytes = self._stream.read(size) if size else b""
        self._left -= len(data)
        return data
