"""Event streams on the wire, whatever the protocol: the events of a response read from its
frames (`_eventstream`) as they arrive, and the frames of the stub's answers.

The codec of each protocol has, per event stream union, a reader of one event from its message
and a writer of one event's message; this module runs them over a stream. restJson1 binds the
stream to the whole body (`@httpPayload`); the AWS JSON protocols put it among the output's
members and send the others first, as the JSON object of an `initial-response` event
(`initial_response`, `initial_response_body`).

An exception message (`:message-type exception`) is one of the union's modelled errors, an error
message (`:message-type error`) any other failure: either ends the stream and is raised.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from . import _eventstream, _protocol, _runtime, _sigv4
from .errors import ServiceError

_EventT = TypeVar("_EventT")

INITIAL_RESPONSE = "initial-response"
"""The `:event-type` of the AWS JSON protocols' first event: the output's other members."""
INITIAL_REQUEST = "initial-request"
"""The `:event-type` of the first event an AWS JSON request sends: the input's other members."""

_CHUNK = 65536

ReadEvent = Callable[[_eventstream.EventStreamMessage], Any]
"""The codec's reader of one event of a union: the event (one of a type it does not know keeps
its message as the union's unknown member); an exception or error message is raised as its
error."""


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), allow_nan=False).encode()


def json_value(body: bytes) -> Any:
    """Any JSON value of a payload (a document), None for an empty body."""
    if not body.strip():
        return None
    return json.loads(body)


# -- reading ----------------------------------------------------------------------------------


def _frames(body: _runtime.StreamingBody) -> Iterator[_eventstream.EventStreamMessage]:
    return _eventstream.decode_stream(iter(lambda: body.read1(_CHUNK), b""))


def _events(
    frames: Iterator[_eventstream.EventStreamMessage],
    read_event: Callable[[_eventstream.EventStreamMessage], _EventT | None],
) -> Iterator[_EventT]:
    for frame in frames:
        event = read_event(frame)
        if event is not None:
            yield event


def event_stream(
    parts: Mapping[str, Any],
    read_event: Callable[[_eventstream.EventStreamMessage], _EventT | None],
) -> _runtime.EventStream[_EventT]:
    """A response whose whole body is an event stream: its frames decoded as they arrive, each
    message read by `read_event` (None skips it)."""
    body = _protocol.streaming_body(parts)
    return _runtime.EventStream(_events(_frames(body), read_event), body.close)


def initial_response(
    parts: Mapping[str, Any],
    read_event: Callable[[_eventstream.EventStreamMessage], _EventT | None],
) -> tuple[dict[str, Any], _runtime.EventStream[_EventT]]:
    """An AWS JSON response whose body is an event stream: the JSON object of its first event,
    which must be `initial-response`, and the stream of the events after it.

    ValueError for a stream that does not start so (the caller reports it as a response that
    cannot be read); a modelled error sent first is raised as it is."""
    body = _protocol.streaming_body(parts)
    frames = _frames(body)
    try:
        first = next(frames, None)
        if first is None:
            raise ValueError("is an event stream without an initial-response event")
        if first.message_type != "event":
            read_event(first)  # raises the error the message is
        if first.event_type != INITIAL_RESPONSE:
            raise ValueError(
                f"is an event stream whose first event is {str(first.event_type)[:100]!r}, "
                f"not {INITIAL_RESPONSE!r}"
            )
        document = _protocol.parse_json(first.payload)
    except _eventstream.EventStreamError as error:
        body.close()
        raise ValueError(f"is not a valid event stream: {error}") from None
    except BaseException:
        body.close()
        raise
    return document, _runtime.EventStream(_events(frames, read_event), body.close)


def event_parts(frame: _eventstream.EventStreamMessage) -> dict[str, Any]:
    """An event message as a codec's response readers take a response: its string headers and
    its payload as the body."""
    return {
        "status": 200,
        "headers": {
            name.lower(): value for name, value in frame.headers.items() if isinstance(value, str)
        },
        "body": frame.payload,
    }


def event_document(frame: _eventstream.EventStreamMessage) -> dict[str, Any]:
    """The JSON object of an event's payload ({} for an empty one)."""
    return _protocol.parse_json(frame.payload)


def event_header(frame: _eventstream.EventStreamMessage, name: str) -> Any:
    """The value of an event's header `name` as a plain Python value (None without it): the
    framing's sized integers as `int`, a timestamp as a UTC datetime, a UUID as its text."""
    value = frame.headers.get(name)
    if isinstance(value, _eventstream.Timestamp):
        return value.to_datetime()
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if value is None or isinstance(value, bool | str | bytes):
        return value
    return str(value)


def unknown_event(frame: _eventstream.EventStreamMessage) -> _runtime.UnknownMember:
    """An event of a type this package does not know (a newer peer's), kept whole: its type
    and its message, headers and payload as they came."""
    return _runtime.UnknownMember(frame.event_type or "", frame)


def unknown_event_message(member: _runtime.UnknownMember) -> _eventstream.EventStreamMessage:
    """The message of an event kept by `unknown_event`, unchanged; a value made by hand (any
    JSON) goes as the JSON payload of an event of its name."""
    if isinstance(member.value, _eventstream.EventStreamMessage):
        return member.value
    return _eventstream.EventStreamMessage.event(
        member.name, json_bytes(member.value), content_type="application/json"
    )


def event_timestamp(value: Any) -> datetime.datetime:
    """An event header's timestamp, as `event_header` gives it."""
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"expected a timestamp header, not {type(value).__name__}")
    return value


def event_error(
    frame: _eventstream.EventStreamMessage,
    readers: Mapping[str, Callable[[dict[str, Any]], ServiceError]],
) -> ServiceError:
    """The error an exception message (a modelled error: `readers` holds the union's, by member
    name, each reading the message's parts) or an error message (`ServiceError`, with its code
    and message) is."""
    error: ServiceError
    if frame.message_type == "error":
        error = ServiceError(frame.error_message)
        error.error_code = frame.error_code or "error"
    else:
        code = frame.exception_type or ""
        read = readers.get(code)
        parts = event_parts(frame)
        try:
            parts["document"] = _protocol.parse_json(frame.payload)
        except ValueError:
            parts["document"] = {}
        message = _protocol.error_message(parts["document"])
        if message is not None:
            parts["Message"] = message
        try:
            error = ServiceError(message) if read is None else read(parts)
        except _protocol.MALFORMED_VALUE_ERRORS:
            error = ServiceError(message)
        error.error_code = code
    error.raw_body = frame.payload
    return error


def from_document(
    read: Callable[[dict[str, Any]], ServiceError],
) -> Callable[[dict[str, Any]], ServiceError]:
    """An error reader of a protocol without HTTP bindings, for `event_error`: the error from
    the message's JSON object alone, its message under `Message` as `make_error` puts it."""

    def read_parts(parts: dict[str, Any]) -> ServiceError:
        members = dict(parts["document"])
        if "Message" in parts:
            members.setdefault("Message", parts["Message"])
        return read(members)

    return read_parts


def read_stream(value: Any) -> Any:
    """An event stream member's value in a codec's document: only ever the stream that
    `initial_response` read; anything else (a value the server put in a JSON object) is
    refused."""
    if not isinstance(value, _runtime.EventStream):
        raise TypeError("an event stream is not a value of a JSON document")
    return value


def write_stream(value: Any) -> Any:
    """An event stream member's value (the handler's iterable of events) as a codec's writer
    leaves it in the document, for `initial_response_body` to take out."""
    return value


# -- sending (the client's requests) --------------------------------------------------------


class EventBody:
    """An event stream a request sends, as the file object the transport reads its body from
    (in chunked transfer coding: its length is not known): each event is written as its message
    (`write_event`) when the transport asks for more bytes, so a generator of events is sent as
    it yields them. `first` goes before them (AWS JSON's `initial-request`).

    Once the request is signed, `sign_with` has each message sent inside a signed one (`:date`,
    `:chunk-signature`), each signature chained to the one before, and an empty signed message
    end the stream, as SigV4 signs event streams (`_sigv4.EVENTS_PAYLOAD`)."""

    content_sha256 = _sigv4.EVENTS_PAYLOAD
    """The payload hash the request is signed with (`_protocol.Caller` reads it)."""

    def __init__(
        self,
        events: Iterable[_EventT],
        write_event: Callable[[_EventT], _eventstream.EventStreamMessage],
        *,
        first: _eventstream.EventStreamMessage | None = None,
    ) -> None:
        self._events = iter(events)
        self._write_event = write_event
        self._first = first
        self._buffer = bytearray()
        self._sent = 0
        self._done = False
        self._signing: _sigv4.EventSigning | None = None
        self._prior = ""
        self._clock: Callable[[], datetime.datetime] | None = None

    def sign_with(
        self, signing: _sigv4.EventSigning, clock: Callable[[], datetime.datetime]
    ) -> None:
        """Sign every message from now on with `signing` (the request's), dated by `clock`."""
        self._signing = signing
        self._prior = signing.seed
        self._clock = clock

    def read(self, size: int = -1, /) -> bytes:
        """`size` bytes (all the rest for a negative `size`), fewer only at the end: events
        are taken until they fill it, so that many small ones leave in one write."""
        return self._read(size, whole=True)

    def read1(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes as soon as one message is written, so that each event leaves
        when it is given: a full-duplex request's (the server may answer it before the next)."""
        return self._read(size, whole=False)

    def _read(self, size: int, *, whole: bool) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < (size if whole else 1)):
            message = self._next_message()
            if message is None:
                self._done = True
                if self._signing is not None:
                    self._buffer += self._signed(b"")
                break
            frame = message.encode()
            self._buffer += frame if self._signing is None else self._signed(frame)
        count = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        chunk = bytes(self._buffer[:count])
        del self._buffer[:count]
        return chunk

    def _next_message(self) -> _eventstream.EventStreamMessage | None:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        try:
            event = next(self._events)
        except StopIteration:
            return None
        self._sent += 1
        try:
            return self._write_event(event)
        except (TypeError, ValueError, AttributeError) as error:
            # The transport reports a ValueError of the body as what stopped the request.
            raise ValueError(f"event {self._sent} cannot be sent: {error}") from None

    def _signed(self, frame: bytes) -> bytes:
        assert self._signing is not None and self._clock is not None
        now = self._clock()
        date: dict[str, _eventstream.HeaderValue] = {
            ":date": _eventstream.Timestamp.from_datetime(now)
        }
        signature = self._signing.signature(
            _sigv4.format_amz_date(now), self._prior, _eventstream.encode_headers(date), frame
        )
        self._prior = signature.hex()
        envelope = _eventstream.EventStreamMessage({**date, ":chunk-signature": signature}, frame)
        return envelope.encode()


def initial_request(document: Mapping[str, Any]) -> _eventstream.EventStreamMessage:
    """The first event of an AWS JSON request's event stream: the input's other members."""
    return _eventstream.EventStreamMessage.event(
        INITIAL_REQUEST, json_bytes(dict(document)), content_type="application/json"
    )


# -- writing (the stub's answers) -----------------------------------------------------------


def events_body(
    events: Iterable[_EventT],
    write_event: Callable[[_EventT], _eventstream.EventStreamMessage],
    write_error: Callable[[ServiceError], _eventstream.EventStreamMessage | None],
) -> Iterator[bytes]:
    """The frames of `events`, each written by `write_event` when the events give it (the
    stub sends each as it comes). A modelled error of the stream raised by the handler's
    iterator (`write_error` writes it; None for one the stream does not have, which is raised
    on) ends the stream as its exception message."""
    try:
        for event in events:
            yield write_event(event).encode()
    except ServiceError as error:
        message = write_error(error)
        if message is None:
            raise
        yield message.encode()


def initial_response_body(
    document: Mapping[str, Any],
    events: Iterable[_EventT] | None,
    write_event: Callable[[_EventT], _eventstream.EventStreamMessage],
    write_error: Callable[[ServiceError], _eventstream.EventStreamMessage | None],
) -> Iterator[bytes]:
    """An AWS JSON answer's body: the `initial-response` event with the output's other members
    (`document`), then the frames of `events` as they come."""
    yield _eventstream.EventStreamMessage.event(
        INITIAL_RESPONSE, json_bytes(dict(document)), content_type="application/json"
    ).encode()
    if events is not None:
        yield from events_body(events, write_event, write_error)
