"""The event stream a request sends, read by the stub: every message decoded and each event
checked strictly against the model before the handler is called, so a bad event anywhere in the
stream refuses the request with what was wrong; the handler gets an iterator of the typed events.

A signed stream (SigV4's `STREAMING-AWS4-HMAC-SHA256-EVENTS`) wraps each message in one with
`:date` and `:chunk-signature` headers, and ends with an empty one; the stub unwraps them (its
signature checker, where SigV4 verification is on, has checked each chained signature). The service's generated readers (`stub/service.py`) read
each event's message into the union's wire form with the helpers here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from .. import _eventstream
from .._runtime import Violation
from ._documents import DocumentError, load_json
from ._wire import describe_violations

_EventT = TypeVar("_EventT")

INITIAL_REQUEST = "initial-request"


class BadStream(ValueError):
    """A request body that is not a stream of events: frames that fail a check, a message
    that is not an event, an event of no type the union has."""


class BadEvent(ValueError):
    """An event that breaks the model (`StubApp` answers it as the model's validation error)."""


def messages(body: bytes) -> Iterator[_eventstream.EventStreamMessage]:
    """The messages of an event stream body, unwrapped from their signed envelopes."""
    try:
        for frame in _eventstream.decode_stream([body]):
            if ":chunk-signature" not in frame.headers:
                yield frame
            elif frame.payload:
                (inner,) = _eventstream.decode_stream([frame.payload])
                yield inner
            # An empty signed message ends the stream.
    except _eventstream.EventStreamDecodeError as error:
        raise BadStream(f"the body is not a valid event stream: {error}") from None
    except ValueError:
        raise BadStream("a signed message does not carry exactly one message") from None


def initial_request(
    body: bytes,
) -> tuple[dict[str, Any], Iterator[_eventstream.EventStreamMessage]]:
    """An AWS JSON request's event stream: the JSON object of its `initial-request` event (the
    input's other members) and the messages after it."""
    found = messages(body)
    first = next(found, None)
    if first is None or _kind(first) != ("event", INITIAL_REQUEST):
        raise BadStream("the event stream does not start with an initial-request event")
    document = _json(first)
    if not isinstance(document, dict):
        raise BadStream("the initial-request event's payload is not a JSON object")
    return document, found


def read_events(
    source: bytes | Iterable[_eventstream.EventStreamMessage],
    read_event: Callable[[_eventstream.EventStreamMessage], _EventT],
) -> Iterator[_EventT]:
    """Every event of `source` (a body, or the messages after `initial_request`), read and
    checked by `read_event` (the generated reader of the union), before any is handed over."""
    found = messages(source) if isinstance(source, bytes) else source
    events: list[_EventT] = []
    for number, frame in enumerate(found, 1):
        message_type, event_type = _kind(frame)
        if message_type != "event":
            raise BadStream(f"message {number} is an {message_type} message, not an event")
        try:
            events.append(read_event(frame))
        except BadEvent as error:
            raise BadEvent(f"event {number} ({event_type}): {error}") from None
        except BadStream as error:
            raise BadStream(f"event {number} ({event_type}): {error}") from None
    return iter(events)


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
