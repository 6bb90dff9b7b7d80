"""The event stream a request sends, read by the stub as it arrives: each message is decoded
when the handler asks for the next event, checked strictly against the model and handed over
typed, so a handler can answer (with an event stream of its own) while the client is still
sending. Nothing waits for the whole stream, and nothing holds more than one message.

What arrives is bounded: a frame larger than the stub's body limit is refused from its prelude,
before its bytes are read, and each message must arrive within the request timeout of the one
before it (the server's deadline is renewed per message). The first fault ends the stream: the
iterator raises `BadStream` (frames that fail a check, a message that is not an event, an event
of no type the union has; `BadSignature` for a signature that does not match) or `BadEvent`
(an event that breaks the model), and remembers it (`RequestEvents.failure`), so that the stub
answers with it even if the handler swallowed it.

A signed stream (SigV4's `STREAMING-AWS4-HMAC-SHA256-EVENTS`) wraps each message in one with
`:date` and `:chunk-signature` headers, and ends with an empty one; the stub unwraps them, and
with SigV4 verification on its signature checker checks each one as it arrives
(`RequestEvents.verify_with`). The service's generated readers (`stub/service.py`) read each
event's message into the union's wire form with the helpers here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

from .. import _eventstream
from .._runtime import Violation
from ._documents import DocumentError, load_json
from ._wire import describe_violations

_EventT = TypeVar("_EventT")

INITIAL_REQUEST = "initial-request"
_READ_SIZE = 65536


class BadStream(ValueError):
    """A request body that is not a stream of events: frames that fail a check, a message
    that is not an event, an event of no type the union has."""

    status = 400
    code = "SerializationException"


class BadSignature(BadStream):
    """A signed message whose signature does not match, or a signed stream cut short."""

    status = 403
    code = "InvalidSignatureException"


class StreamTimeout(BadStream):
    """The next message did not arrive within the request timeout."""

    status = 408
    code = "RequestTimeoutException"


class BadEvent(ValueError):
    """An event that breaks the model (`StubApp` answers it as the model's validation error)."""


class BodyReader(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


Unwrap = Callable[[_eventstream.EventStreamMessage, int], "_eventstream.EventStreamMessage | None"]
"""A signed message (its number in the stream) -> the message it carries, None for the empty
one that ends the stream; raises `BadSignature`."""


class RequestEvents:
    """The messages of a request's event stream body, unwrapped from their signed envelopes,
    read from `body` one frame at a time as they are asked for.

    `max_frame_bytes` bounds one frame (a larger one is refused from its prelude); `renew` is
    called after each message (the server's deadline for the next one). Iterate once."""

    def __init__(
        self,
        body: BodyReader | bytes,
        *,
        max_frame_bytes: int = _eventstream.MAX_FRAME_LENGTH,
        renew: Callable[[], None] | None = None,
        unwrap: Unwrap | None = None,
    ) -> None:
        self._body: BodyReader = io.BytesIO(body) if isinstance(body, bytes) else body
        self._max_payload = max(0, min(_eventstream.MAX_PAYLOAD_LENGTH, max_frame_bytes))
        self._renew = renew
        self._unwrap = unwrap
        self._started = False
        self.failure: BadStream | BadEvent | None = None
        """The fault that ended the stream, once one has."""
        self.finished = False
        """Whether the stream was read to its end."""

    def verify_with(self, unwrap: Unwrap) -> None:
        """Check every signed message with `unwrap` (before the first is read)."""
        if self._started:
            raise RuntimeError("the stream is already being read")
        self._unwrap = unwrap

    def fail(self, error: BadStream | BadEvent) -> BadStream | BadEvent:
        """Remember the first fault of the stream (whatever the handler does with it)."""
        if self.failure is None:
            self.failure = error
        return error

    def __iter__(self) -> Iterator[_eventstream.EventStreamMessage]:
        if self._started:
            raise RuntimeError("a request's event stream can be read once")
        self._started = True
        return self._messages()

    def _messages(self) -> Iterator[_eventstream.EventStreamMessage]:
        ended = False
        for number, frame in enumerate(self._frames(), 1):
            if ended:
                raise self.fail(BadStream(f"message {number} comes after the stream's end"))
            try:
                if self._unwrap is not None:
                    inner = self._unwrap(frame, number)
                elif ":chunk-signature" in frame.headers:
                    inner = _inner(frame, number) if frame.payload else None
                else:
                    inner = frame
            except BadStream as error:
                raise self.fail(error) from None
            if inner is None:  # the empty signed message ends the stream
                ended = True
                continue
            yield inner
        if self._unwrap is not None and not ended:
            raise self.fail(
                BadSignature("the signed event stream does not end with an empty signed message")
            )
        self.finished = True

    def _frames(self) -> Iterator[_eventstream.EventStreamMessage]:
        decoder = _eventstream.EventStreamDecoder(max_payload_length=self._max_payload)
        try:
            for data in self._pieces():
                # The decoder checks a frame's prelude as soon as its 12 bytes are in: one
                # that announces too much is refused before any more of it is read.
                found = decoder.feed(data)
                for message in found:
                    yield message
                    if self._renew is not None:
                        self._renew()
                if found:  # a fault after them is raised now, not once more bytes arrive
                    decoder.feed(b"")
            decoder.close()  # raises if the stream ended inside a frame
        except _eventstream.EventStreamDecodeError as error:
            raise self.fail(BadStream(f"the body is not a valid event stream: {error}")) from None

    def _pieces(self) -> Iterator[bytes]:
        """The body's bytes as they arrive: what each `read1` has (a body that can say so),
        else exactly each frame's bytes, its prelude first (a plain `read` of a block would
        wait for the whole block)."""
        read1 = getattr(self._body, "read1", None)
        if callable(read1):
            while data := self._read(read1, _READ_SIZE):
                yield data
            return
        read = self._body.read
        while prelude := self._read(read, _eventstream.PRELUDE_LENGTH):
            yield prelude
            if len(prelude) < _eventstream.PRELUDE_LENGTH:
                return
            left = int.from_bytes(prelude[:4], "big") - len(prelude)
            while left > 0 and (data := self._read(read, min(left, _READ_SIZE))):
                left -= len(data)
                yield data

    def _read(self, read: Callable[[int], bytes], size: int) -> bytes:
        try:
            return read(size)
        except TimeoutError:
            raise self.fail(
                StreamTimeout("the next message of the event stream did not arrive in time")
            ) from None
        except OSError as error:
            raise self.fail(BadStream(f"reading the event stream: {error}")) from None


def _inner(frame: _eventstream.EventStreamMessage, number: int) -> _eventstream.EventStreamMessage:
    """The one message signed message `number` carries, decoded from its payload in place."""
    try:
        return _eventstream.decode_message(frame.payload)
    except _eventstream.EventStreamDecodeError as error:
        raise BadStream(
            f"signed message {number} does not carry a valid message: {error}"
        ) from None


def unwrap_signed(
    frame: _eventstream.EventStreamMessage, number: int
) -> _eventstream.EventStreamMessage:
    """The message checked signed message `number` carries (`_sigv4_check`)."""
    return _inner(frame, number)


def _source(body: RequestEvents | bytes) -> RequestEvents:
    return body if isinstance(body, RequestEvents) else RequestEvents(body)


def messages(body: RequestEvents | bytes) -> Iterator[_eventstream.EventStreamMessage]:
    """The messages of an event stream body, unwrapped from their signed envelopes."""
    return iter(_source(body))


def initial_request(
    body: RequestEvents | bytes,
) -> tuple[dict[str, Any], RequestEvents, Iterator[_eventstream.EventStreamMessage]]:
    """An AWS JSON request's event stream: the JSON object of its `initial-request` event (the
    input's other members, read now) and the messages after it (read as they are asked for)."""
    source = _source(body)
    found = iter(source)
    first = next(found, None)
    if first is None or _kind(first) != ("event", INITIAL_REQUEST):
        raise source.fail(
            BadStream("the event stream does not start with an initial-request event")
        )
    document = _json(first)
    if not isinstance(document, dict):
        raise source.fail(BadStream("the initial-request event's payload is not a JSON object"))
    return document, source, found


def read_events(
    source: RequestEvents | bytes,
    read_event: Callable[[_eventstream.EventStreamMessage], _EventT],
    found: Iterator[_eventstream.EventStreamMessage] | None = None,
) -> Iterator[_EventT]:
    """The events of `source` (a body, or the stream `initial_request` began reading with
    `found` its messages left), each read and checked by `read_event` (the generated reader of
    the union) when it is asked for."""
    stream = _source(source)
    return _checked_events(stream, iter(stream) if found is None else found, read_event)


def _checked_events(
    stream: RequestEvents,
    found: Iterator[_eventstream.EventStreamMessage],
    read_event: Callable[[_eventstream.EventStreamMessage], _EventT],
) -> Iterator[_EventT]:
    for number, frame in enumerate(found, 1):
        try:
            message_type, event_type = _kind(frame)
        except BadStream as error:
            raise stream.fail(BadStream(f"message {number}: {error}")) from None
        if message_type != "event":
            raise stream.fail(
                BadStream(f"message {number} is an {message_type} message, not an event")
            )
        try:
            event = read_event(frame)
        except BadEvent as error:
            raise stream.fail(BadEvent(f"event {number} ({event_type}): {error}")) from None
        except BadStream as error:
            raise stream.fail(BadStream(f"event {number} ({event_type}): {error}")) from None
        yield event


def _kind(frame: _eventstream.EventStreamMessage) -> tuple[str, str]:
    try:
        return str(frame.message_type), str(frame.event_type)
    except _eventstream.EventStreamError as error:
        raise BadStream(str(error)) from None


def _json(frame: _eventstream.EventStreamMessage) -> Any:
    """The payload's JSON, within the limits the stub reads every JSON body with."""
    try:
        return load_json(frame.payload.decode("utf-8")) if frame.payload.strip() else {}
    except DocumentError as error:
        raise BadStream(f"the payload's JSON at {error}") from None
    except ValueError:  # not UTF-8, not JSON
        raise BadStream("the payload is not JSON") from None


def document(frame: _eventstream.EventStreamMessage) -> dict[str, Any]:
    """The JSON object of an event's payload ({} for an empty one)."""
    found = _json(frame)
    if not isinstance(found, dict):
        raise BadStream("the payload is not a JSON object")
    return found


def payload_value(frame: _eventstream.EventStreamMessage) -> Any:
    """Any JSON value of an event's payload (an `@eventPayload` structure's, say)."""
    return _json(frame) if frame.payload.strip() else None


def text(frame: _eventstream.EventStreamMessage) -> str:
    """An event's payload as text (an `@eventPayload` string)."""
    try:
        return frame.payload.decode("utf-8")
    except UnicodeDecodeError:
        raise BadStream("the payload is not UTF-8 text") from None


def headers(frame: _eventstream.EventStreamMessage, known: frozenset[str]) -> dict[str, Any]:
    """An event's headers but the framing's own (`:`-prefixed) as plain values (a timestamp as
    a UTC datetime, a sized integer as `int`, a UUID as its text); one the event does not model
    (not in `known`) breaks it."""
    out: dict[str, Any] = {}
    for name, value in frame.headers.items():
        if name.startswith(":"):
            continue
        if name not in known:
            raise BadEvent(f"unknown header {name[:100]!r}")
        if isinstance(value, _eventstream.Timestamp):
            out[name] = value.to_datetime()
        elif isinstance(value, int) and not isinstance(value, bool):
            out[name] = int(value)
        elif isinstance(value, bool | str | bytes):
            out[name] = value
        else:
            out[name] = str(value)
    return out


def unknown_event(frame: _eventstream.EventStreamMessage) -> BadStream:
    return BadStream(f"the stream has no event {str(frame.event_type)[:100]!r}")


def checked(
    wire: dict[str, Any],
    validate: Callable[..., list[Violation]],
    from_dict: Callable[[Any], _EventT],
) -> _EventT:
    """The event of the union's wire form `wire`, checked strictly against the model."""
    found = validate(wire, strict=True)
    if found:
        raise BadEvent(describe_violations(found))
    return from_dict(wire)
