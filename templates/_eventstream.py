"""AWS event-stream framing (`application/vnd.amazon.eventstream`): messages to bytes and back.

An event stream is a sequence of binary frames. Each frame is, in network byte order:

    total length (uint32)   headers length (uint32)   prelude CRC (uint32)
    headers (headers length bytes)
    payload (the rest)
    message CRC (uint32)

The prelude CRC is the CRC32 of the two lengths; the message CRC is the CRC32 of every byte of the
frame before it. A header is a name (a one-byte length, then 1 to 255 bytes of UTF-8), a one-byte
value type, and the value, whose layout the type fixes (see `HeaderType`).

Header values are Python values whose class says which of the ten wire types they travel as:
`True`/`False`, `Byte`, `Short`, `Integer`, `Long`, `bytes` (byte array), `str` (string),
`Timestamp` (milliseconds since the epoch) and `uuid.UUID`. The four sized integers and
`Timestamp` are `int`s that know their width, so a plain `int`, whose width would be a guess, is
refused when encoding.

`encode_message` builds a frame; `EventStreamMessage.encode` does the same for a message.
`EventStreamDecoder` takes the stream's bytes in whatever chunks the transport hands over and
returns each message once its last byte has arrived; `decode_stream` runs one over an iterable of
chunks, and `decode_message` decodes one whole frame already in hand. What arrives is not trusted: a frame that fails any check (either CRC, a length out of
range, a header that does not parse) ends the stream with an `EventStreamDecodeError` that says
what was wrong and at which byte of the stream. Between calls the decoder holds at most one
partial frame, and a frame's prelude is checked as soon as its 12 bytes are in, so a frame that
announces more than the limits allow is refused before its body is waited for.

The limits are those of the Smithy event-stream specification, which botocore enforces too:
headers at most 128 KiB (`MAX_HEADERS_LENGTH`) and a payload at most 24 MiB
(`MAX_PAYLOAD_LENGTH`), so a frame is at most `MAX_FRAME_LENGTH` bytes.
"""

from __future__ import annotations

import operator
import struct
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import ClassVar, Final, Self, SupportsIndex, TypeAlias
from uuid import UUID

CONTENT_TYPE: Final = "application/vnd.amazon.eventstream"
"""The media type of an event stream body."""

PRELUDE_LENGTH: Final = 12
"""Total length, headers length and prelude CRC: three uint32s."""

MIN_FRAME_LENGTH: Final = PRELUDE_LENGTH + 4
"""A frame with no headers and no payload: the prelude and the message CRC."""

MAX_HEADERS_LENGTH: Final = 128 * 1024
"""The most bytes of encoded headers a frame may carry (Smithy's event-stream specification)."""

MAX_PAYLOAD_LENGTH: Final = 24 * 1024 * 1024
"""The most bytes of payload a frame may carry (Smithy's event-stream specification)."""

MAX_FRAME_LENGTH: Final = MIN_FRAME_LENGTH + MAX_HEADERS_LENGTH + MAX_PAYLOAD_LENGTH
"""The longest frame within both limits (25,296,912 bytes)."""

MAX_HEADER_NAME_LENGTH: Final = 255
"""The longest header name in UTF-8 bytes: its length travels in one byte."""

MAX_HEADER_VALUE_LENGTH: Final = 32767
"""The longest byte array or string value the encoder writes (the specification's 2**15 - 1); the
decoder accepts what the two-byte length can say."""

_UINT32: Final = struct.Struct("!I")
_PRELUDE: Final = struct.Struct("!III")
_VALUE_LENGTH: Final = struct.Struct("!H")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


class EventStreamError(Exception):
    """Something about an event stream is wrong; the subclasses say whether encoding or decoding."""


class EventStreamEncodeError(EventStreamError, ValueError):
    """A message that cannot be framed: a header value of no wire type, a name or value too long,
    text that is not UTF-8, or headers or payload above the limits."""


class EventStreamDecodeError(EventStreamError):
    """Bytes that are not a valid event stream. `reason` says what was wrong and `offset` at which
    byte of the stream (counted from 0, across every chunk fed so far) the fault lies."""

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(f"{reason} (at byte {offset} of the event stream)")
        self.reason = reason
        self.offset = offset

    def __reduce__(self) -> tuple[type[Self], tuple[str, int]]:
        return type(self), (self.reason, self.offset)


class HeaderType(IntEnum):
    """The wire type of a header value: the byte that follows the header's name."""

    BOOL_TRUE = 0
    BOOL_FALSE = 1
    BYTE = 2
    SHORT = 3
    INTEGER = 4
    LONG = 5
    BYTE_ARRAY = 6
    STRING = 7
    TIMESTAMP = 8
    UUID = 9


class _SizedInt(int):
    """An `int` that travels as a signed big-endian integer of `_bytes` bytes."""

    __slots__ = ()
    _bytes: ClassVar[int] = 8
    header_type: ClassVar[HeaderType] = HeaderType.LONG

    def __new__(cls, value: SupportsIndex = 0) -> Self:
        number = operator.index(value)
        limit = 1 << (8 * cls._bytes - 1)
        if not -limit <= number < limit:
            raise ValueError(f"{cls.__name__} is from {-limit} to {limit - 1}, not {number}")
        return super().__new__(cls, number)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"


class Byte(_SizedInt):
    """A header value of type byte: a signed 8-bit integer."""

    __slots__ = ()
    _bytes = 1
    header_type = HeaderType.BYTE


class Short(_SizedInt):
    """A header value of type short: a signed 16-bit integer."""

    __slots__ = ()
    _bytes = 2
    header_type = HeaderType.SHORT


class Integer(_SizedInt):
    """A header value of type integer: a signed 32-bit integer."""

    __slots__ = ()
    _bytes = 4
    header_type = HeaderType.INTEGER


class Long(_SizedInt):
    """A header value of type long: a signed 64-bit integer."""

    __slots__ = ()


class Timestamp(_SizedInt):
    """A header value of type timestamp: milliseconds since 1970-01-01T00:00:00Z, a signed 64-bit
    integer (milliseconds, not the seconds of Smithy's epoch-seconds format)."""

    __slots__ = ()
    header_type = HeaderType.TIMESTAMP

    @classmethod
    def from_datetime(cls, moment: datetime) -> Self:
        """The timestamp of an aware datetime; a fraction of a millisecond is dropped (rounding
        towards the past, so 1969-12-31T23:59:59.9995Z is -1)."""
        if moment.utcoffset() is None:
            raise ValueError(f"a timestamp needs a datetime with a time zone, not {moment!r}")
        delta = moment - _EPOCH
        return cls((delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000)

    def to_datetime(self) -> datetime:
        """This moment as an aware UTC datetime; ValueError outside the years 1 to 9999."""
        try:
            return _EPOCH + timedelta(milliseconds=int(self))
        except OverflowError:
            raise ValueError(f"{self!r} is outside the years a datetime holds") from None


HeaderValue: TypeAlias = "bool | Byte | Short | Integer | Long | bytes | str | Timestamp | UUID"
"""A header value; its Python class chooses its wire type."""


class MessageType(StrEnum):
    """The `:message-type` header: a modelled event, a modelled error, or an unmodelled error."""

    EVENT = "event"
    EXCEPTION = "exception"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class EventStreamMessage:
    """One frame's content: its headers (read-only, in wire order) and its payload."""

    headers: Mapping[str, HeaderValue] = field(default_factory=dict, hash=False)
    payload: bytes = b""

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))

    @classmethod
    def event(
        cls,
        event_type: str,
        payload: bytes = b"",
        *,
        content_type: str | None = None,
        headers: Mapping[str, HeaderValue] | None = None,
    ) -> Self:
        """A message event: `:message-type` event, `:event-type`, and `:content-type` if given."""
        reserved: dict[str, HeaderValue] = {":message-type": "event", ":event-type": event_type}
        if content_type is not None:
            reserved[":content-type"] = content_type
        return cls(_with_reserved(headers, reserved), payload)

    @classmethod
    def exception(
        cls,
        exception_type: str,
        payload: bytes = b"",
        *,
        content_type: str | None = None,
        headers: Mapping[str, HeaderValue] | None = None,
    ) -> Self:
        """A modelled error event: `:message-type` exception and `:exception-type`."""
        reserved: dict[str, HeaderValue] = {
            ":message-type": "exception",
            ":exception-type": exception_type,
        }
        if content_type is not None:
            reserved[":content-type"] = content_type
        return cls(_with_reserved(headers, reserved), payload)

    @classmethod
    def error(
        cls,
        error_code: str,
        error_message: str,
        *,
        headers: Mapping[str, HeaderValue] | None = None,
    ) -> Self:
        """An unmodelled error: `:message-type` error, `:error-code` and `:error-message`."""
        reserved: dict[str, HeaderValue] = {
            ":message-type": "error",
            ":error-code": error_code,
            ":error-message": error_message,
        }
        return cls(_with_reserved(headers, reserved))

    def encode(self) -> bytes:
        """This message as one frame (`encode_message`)."""
        return encode_message(self.headers, self.payload)

    @property
    def message_type(self) -> MessageType:
        """`:message-type`; EventStreamError when it is missing or none of the three."""
        value = self._string(":message-type")
        if value is None:
            raise EventStreamError("the message has no ':message-type' header")
        try:
            return MessageType(value)
        except ValueError:
            raise EventStreamError(
                f"header ':message-type' is {value!r}, not 'event', 'exception' or 'error'"
            ) from None

    @property
    def event_type(self) -> str | None:
        """`:event-type`: which member of the event union a message event is."""
        return self._string(":event-type")

    @property
    def exception_type(self) -> str | None:
        """`:exception-type`: which error member of the event union a modelled error is."""
        return self._string(":exception-type")

    @property
    def error_code(self) -> str | None:
        """`:error-code` of an unmodelled error."""
        return self._string(":error-code")

    @property
    def error_message(self) -> str | None:
        """`:error-message` of an unmodelled error."""
        return self._string(":error-message")

    @property
    def content_type(self) -> str | None:
        """`:content-type`: the media type of the payload."""
        return self._string(":content-type")

    def _string(self, name: str) -> str | None:
        value = self.headers.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            kind = value.header_type.name if isinstance(value, _SizedInt) else type(value).__name__
            raise EventStreamError(f"header {name!r} is {kind.lower()}, not a string")
        return value


def _with_reserved(
    headers: Mapping[str, HeaderValue] | None, reserved: dict[str, HeaderValue]
) -> dict[str, HeaderValue]:
    given = dict(headers or {})
    clash = sorted(given.keys() & reserved.keys())
    if clash:
        raise ValueError(f"headers {clash} are set by the message kind; do not pass them")
    return reserved | given


# -- encoding -------------------------------------------------------------------------------


def encode_message(
    headers: Mapping[str, HeaderValue], payload: bytes | bytearray | memoryview = b""
) -> bytes:
    """One frame holding `headers` (in their order) and `payload`.

    EventStreamEncodeError when a header cannot be encoded or headers or payload exceed
    `MAX_HEADERS_LENGTH` or `MAX_PAYLOAD_LENGTH`.
    """
    if not isinstance(payload, bytes | bytearray | memoryview):
        raise EventStreamEncodeError(f"the payload is {type(payload).__name__}, not bytes")
    encoded_headers = encode_headers(headers)
    if len(encoded_headers) > MAX_HEADERS_LENGTH:
        raise EventStreamEncodeError(
            f"the headers take {len(encoded_headers)} bytes, above the maximum of "
            f"{MAX_HEADERS_LENGTH}"
        )
    if len(payload) > MAX_PAYLOAD_LENGTH:
        raise EventStreamEncodeError(
            f"the payload is {len(payload)} bytes, above the maximum of {MAX_PAYLOAD_LENGTH}"
        )
    total = MIN_FRAME_LENGTH + len(encoded_headers) + len(payload)
    frame = bytearray(struct.pack("!II", total, len(encoded_headers)))
    frame += _UINT32.pack(zlib.crc32(frame))
    frame += encoded_headers
    frame += payload
    frame += _UINT32.pack(zlib.crc32(frame))
    return bytes(frame)


def encode_headers(headers: Mapping[str, HeaderValue]) -> bytes:
    """The headers section of a frame: each header's name, value type and value, in order."""
    out = bytearray()
    for name, value in headers.items():
        if not isinstance(name, str):
            raise EventStreamEncodeError(f"header name {name!r} is not a string")
        raw_name = _utf8(name, f"header name {name!r}")
        if not 1 <= len(raw_name) <= MAX_HEADER_NAME_LENGTH:
            raise EventStreamEncodeError(
                f"header name {name!r} is {len(raw_name)} bytes of UTF-8; a name is 1 to "
                f"{MAX_HEADER_NAME_LENGTH}"
            )
        out.append(len(raw_name))
        out += raw_name
        _encode_value(out, name, value)
    return bytes(out)


def _encode_value(out: bytearray, name: str, value: HeaderValue) -> None:
    header_type = _header_type(name, value)
    out.append(header_type)
    if isinstance(value, _SizedInt):
        out += int(value).to_bytes(value._bytes, "big", signed=True)
    elif isinstance(value, UUID):
        out += value.bytes
    elif isinstance(value, str | bytes):
        raw = value if isinstance(value, bytes) else _utf8(value, f"header {name!r}")
        if len(raw) > MAX_HEADER_VALUE_LENGTH:
            raise EventStreamEncodeError(
                f"header {name!r} is {len(raw)} bytes long, above the maximum of "
                f"{MAX_HEADER_VALUE_LENGTH}"
            )
        out += _VALUE_LENGTH.pack(len(raw))
        out += raw


def _header_type(name: str, value: object) -> HeaderType:
    if value is True:
        return HeaderType.BOOL_TRUE
    if value is False:
        return HeaderType.BOOL_FALSE
    if isinstance(value, _SizedInt):
        return value.header_type
    if isinstance(value, bytes):
        return HeaderType.BYTE_ARRAY
    if isinstance(value, str):
        return HeaderType.STRING
    if isinstance(value, UUID):
        return HeaderType.UUID
    if isinstance(value, int):
        raise EventStreamEncodeError(
            f"header {name!r} is a plain int ({value}); say its wire type with Byte, Short, "
            "Integer, Long or Timestamp"
        )
    raise EventStreamEncodeError(
        f"header {name!r} is {type(value).__name__}, which no header value type holds"
    )


def _utf8(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise EventStreamEncodeError(
            f"{what} cannot be encoded as UTF-8 (character {error.start})"
        ) from None


# -- decoding -------------------------------------------------------------------------------


class EventStreamDecoder:
    """Turns the bytes of an event stream, fed in chunks of any size, into messages.

    `feed` returns the messages each chunk completes. A frame that fails a check ends the stream:
    the messages before it are still returned, and `EventStreamDecodeError` is raised by that call
    (if it has no message to return) or by the next `feed` or `close`, and by every call after.
    Call `close` when the stream ends: bytes left over are a frame cut short.
    """

    __slots__ = ("_buffer", "_error", "_frame_length", "_max_headers", "_max_payload", "_offset")

    def __init__(
        self,
        *,
        max_headers_length: int = MAX_HEADERS_LENGTH,
        max_payload_length: int = MAX_PAYLOAD_LENGTH,
    ) -> None:
        if max_headers_length < 0 or max_payload_length < 0:
            raise ValueError("the limits on headers and payload cannot be negative")
        self._max_headers = max_headers_length
        self._max_payload = max_payload_length
        self._buffer = bytearray()
        self._offset = 0
        """The stream offset of the buffer's first byte."""
        self._frame_length: int | None = None
        """The checked total length of the frame the buffer starts with, once its prelude is in."""
        self._error: EventStreamDecodeError | None = None

    @property
    def position(self) -> int:
        """How many bytes of the stream have been decoded into messages (or up to the error)."""
        return self._offset

    @property
    def buffered(self) -> int:
        """How many bytes of an incomplete frame are held, waiting for the rest."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[EventStreamMessage]:
        """Add the stream's next bytes; the messages they complete, in order."""
        if self._error is not None:
            raise self._error
        self._buffer += data
        messages: list[EventStreamMessage] = []
        start = 0
        try:
            while len(self._buffer) - start >= PRELUDE_LENGTH:
                if self._frame_length is None:
                    self._frame_length = self._check_prelude(start)
                end = start + self._frame_length
                if len(self._buffer) < end:
                    break
                messages.append(self._decode_frame(start, end))
                start = end
                self._frame_length = None
        except EventStreamDecodeError as error:
            self._error = error
            self._buffer = bytearray()
            self._offset += start
            if not messages:
                raise
            return messages
        del self._buffer[:start]
        self._offset += start
        return messages

    def close(self) -> None:
        """The stream has ended: EventStreamDecodeError if it stopped inside a frame."""
        if self._error is not None:
            raise self._error
        if self._buffer:
            expected = (
                f"of the {self._frame_length} its prelude announced"
                if self._frame_length is not None
                else "of a 12-byte prelude"
            )
            self._error = EventStreamDecodeError(
                f"the stream ended inside a frame: {len(self._buffer)} bytes {expected}",
                self._offset,
            )
            self._buffer = bytearray()
            raise self._error

    def _check_prelude(self, start: int) -> int:
        """The total length of the frame at `start`, once its prelude passes every check."""
        return _frame_length(
            self._buffer, start, self._offset + start, self._max_headers, self._max_payload
        )

    def _decode_frame(self, start: int, end: int) -> EventStreamMessage:
        """The message of the whole frame at buffer[start:end], its prelude already checked."""
        return _frame_message(self._buffer, start, end, self._offset + start)


def _frame_length(
    buffer: bytes | bytearray, start: int, base: int, max_headers: int, max_payload: int
) -> int:
    """The total length of the frame at buffer[start] (`base` its stream offset), once its
    prelude passes every check."""
    total, headers_length, prelude_crc = _PRELUDE.unpack_from(buffer, start)
    computed = zlib.crc32(buffer[start : start + 8])
    if computed != prelude_crc:
        raise EventStreamDecodeError(
            f"prelude CRC mismatch: the frame says 0x{prelude_crc:08x}, its lengths give "
            f"0x{computed:08x}",
            base + 8,
        )
    if total < MIN_FRAME_LENGTH:
        raise EventStreamDecodeError(
            f"total length {total} is below the minimum of {MIN_FRAME_LENGTH}", base
        )
    if headers_length > total - MIN_FRAME_LENGTH:
        raise EventStreamDecodeError(
            f"headers length {headers_length} does not fit in a frame of total length {total}",
            base + 4,
        )
    if headers_length > max_headers:
        raise EventStreamDecodeError(
            f"headers length {headers_length} is above the maximum of {max_headers}", base + 4
        )
    payload_length = total - MIN_FRAME_LENGTH - headers_length
    if payload_length > max_payload:
        raise EventStreamDecodeError(
            f"total length {total} leaves a payload of {payload_length} bytes, above the "
            f"maximum of {max_payload}",
            base,
        )
    return int(total)


def _frame_message(
    buffer: bytes | bytearray, start: int, end: int, base: int
) -> EventStreamMessage:
    """The message of the whole frame at buffer[start:end] (`base` its stream offset), its
    prelude already checked."""
    (message_crc,) = _UINT32.unpack_from(buffer, end - 4)
    with memoryview(buffer) as view:
        computed = zlib.crc32(view[start : end - 4])
        headers_start = start + PRELUDE_LENGTH
        headers_end = headers_start + _UINT32.unpack_from(buffer, start + 4)[0]
        raw_headers = bytes(view[headers_start:headers_end])
        payload = bytes(view[headers_end : end - 4])
    if computed != message_crc:
        raise EventStreamDecodeError(
            f"message CRC mismatch: the frame says 0x{message_crc:08x}, its bytes give "
            f"0x{computed:08x}",
            base + (end - start) - 4,
        )
    headers = decode_headers(raw_headers, base + PRELUDE_LENGTH)
    return EventStreamMessage(headers, payload)


def decode_message(
    frame: bytes,
    *,
    max_headers_length: int = MAX_HEADERS_LENGTH,
    max_payload_length: int = MAX_PAYLOAD_LENGTH,
) -> EventStreamMessage:
    """The message of `frame`, which must be exactly one whole frame (the message a signed
    message carries, say): every check the streaming decoder makes, in one pass over bytes
    already in hand, none of them copied into a buffer first."""
    if len(frame) < PRELUDE_LENGTH:
        raise EventStreamDecodeError(
            f"{len(frame)} bytes are not a frame: its prelude alone is {PRELUDE_LENGTH}", 0
        )
    total = _frame_length(frame, 0, 0, max_headers_length, max_payload_length)
    if total != len(frame):
        raise EventStreamDecodeError(
            f"the prelude announces a frame of {total} bytes, not the {len(frame)} given", 0
        )
    return _frame_message(frame, 0, total, 0)


def decode_stream(
    chunks: Iterable[bytes],
    *,
    max_headers_length: int = MAX_HEADERS_LENGTH,
    max_payload_length: int = MAX_PAYLOAD_LENGTH,
) -> Iterator[EventStreamMessage]:
    """The messages of a stream read as `chunks`, each as soon as it is complete; a stream that
    ends inside a frame, or any bad frame, raises EventStreamDecodeError after the messages
    before it."""
    decoder = EventStreamDecoder(
        max_headers_length=max_headers_length, max_payload_length=max_payload_length
    )
    for chunk in chunks:
        yield from decoder.feed(chunk)
    decoder.close()


_FIXED_WIDTH: Final[dict[int, type[Byte | Short | Integer | Long | Timestamp]]] = {
    HeaderType.BYTE: Byte,
    HeaderType.SHORT: Short,
    HeaderType.INTEGER: Integer,
    HeaderType.LONG: Long,
    HeaderType.TIMESTAMP: Timestamp,
}


def decode_headers(data: bytes, offset: int = 0) -> dict[str, HeaderValue]:
    """The headers of a frame's headers section; `offset` is the stream offset of `data[0]`, for
    the position an EventStreamDecodeError names."""
    headers: dict[str, HeaderValue] = {}
    position = 0
    while position < len(data):
        header_start = position
        name, position = _decode_name(data, position, offset)
        if position >= len(data):
            raise EventStreamDecodeError(f"header {name!r} has no value type", offset + position)
        value, position = _decode_value(data, position + 1, offset, name)
        if name in headers:
            raise EventStreamDecodeError(f"header {name!r} appears twice", offset + header_start)
        headers[name] = value
    return headers


def _decode_name(data: bytes, position: int, offset: int) -> tuple[str, int]:
    length = data[position]
    if length == 0:
        raise EventStreamDecodeError("a header name is empty", offset + position)
    left = len(data) - position - 1
    if length > left:
        raise EventStreamDecodeError(
            f"a header name of {length} bytes runs past the end of the headers ({left} left)",
            offset + position,
        )
    raw = data[position + 1 : position + 1 + length]
    try:
        return raw.decode("utf-8"), position + 1 + length
    except UnicodeDecodeError as error:
        raise EventStreamDecodeError(
            f"a header name is not valid UTF-8: {raw!r}", offset + position + 1 + error.start
        ) from None


def _decode_value(data: bytes, position: int, offset: int, name: str) -> tuple[HeaderValue, int]:
    """The value of type data[position - 1] starting at data[position], and where it ends."""
    code = data[position - 1]
    if code == HeaderType.BOOL_TRUE:
        return True, position
    if code == HeaderType.BOOL_FALSE:
        return False, position
    sized = _FIXED_WIDTH.get(code)
    if sized is not None:
        end = _take(data, position, sized._bytes, offset, name)
        return sized(int.from_bytes(data[position:end], "big", signed=True)), end
    if code == HeaderType.UUID:
        end = _take(data, position, 16, offset, name)
        return UUID(bytes=data[position:end]), end
    if code in (HeaderType.BYTE_ARRAY, HeaderType.STRING):
        start = _take(data, position, 2, offset, name)
        (length,) = _VALUE_LENGTH.unpack_from(data, position)
        end = _take(data, start, length, offset, name)
        if code == HeaderType.BYTE_ARRAY:
            return data[start:end], end
        try:
            return data[start:end].decode("utf-8"), end
        except UnicodeDecodeError as error:
            raise EventStreamDecodeError(
                f"header {name!r} is a string that is not valid UTF-8", offset + start + error.start
            ) from None
    raise EventStreamDecodeError(
        f"header {name!r} has unknown value type {code}", offset + position - 1
    )


def _take(data: bytes, position: int, length: int, offset: int, name: str) -> int:
    """Where `length` bytes from `position` end, if the headers hold them."""
    end = position + length
    if end > len(data):
        raise EventStreamDecodeError(
            f"header {name!r} needs {length} bytes of value, the headers have "
            f"{len(data) - position} left",
            offset + position,
        )
    return end
