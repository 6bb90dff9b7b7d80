"""The event-stream framing runtime (templates/_eventstream.py): encoder, incremental decoder,
message helpers.

- Round trips: every header type and payloads up to the limits, through our encoder and decoder,
  split into chunks anywhere (Hypothesis).
- Differential: botocore's `EventStreamBuffer` decodes what we encode into the same headers and
  payload; the frames of botocore's own unit tests, and frames built here from the documented
  layout by an encoder that shares no code with ours, decode identically with ours, and ours
  re-encodes them to the same bytes.
- Hostile input: each kind of corruption raises `EventStreamDecodeError` naming the fault and its
  byte offset in the stream; fuzzing (random bytes, bit flips, truncations, random header bytes
  in frames whose CRCs check) never raises anything else and never yields a message that is not
  exactly a frame of the stream whose CRCs check.
- The module imports under `python -I -S` with nothing outside the standard library.
"""

from __future__ import annotations

import ast
import binascii
import itertools
import pickle
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from botocore import eventstream as boto_eventstream  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates import _eventstream as es
from tests.conftest import REPO

MODULE = REPO / "templates" / "_eventstream.py"

# -- a reference encoder, from the documented layout only -----------------------------------


def ref_header(name: bytes, code: int, raw: bytes = b"") -> bytes:
    """One header: name length, name, value type, value bytes, exactly as given."""
    return bytes([len(name)]) + name + bytes([code]) + raw


def ref_frame(
    headers: bytes = b"",
    payload: bytes = b"",
    *,
    total: int | None = None,
    headers_length: int | None = None,
) -> bytes:
    """A frame around raw header bytes, with correct CRCs whatever the lengths say."""
    total = 16 + len(headers) + len(payload) if total is None else total
    headers_length = len(headers) if headers_length is None else headers_length
    prelude = struct.pack(">II", total, headers_length)
    prelude += struct.pack(">I", binascii.crc32(prelude))
    body = prelude + headers + payload
    return body + struct.pack(">I", binascii.crc32(body))


def ref_value(value: es.HeaderValue) -> tuple[int, bytes]:
    """(type code, value bytes) of a header value, per the specification's table."""
    if value is True or value is False:
        return (0 if value else 1), b""
    for cls, code, fmt in (
        (es.Byte, 2, ">b"),
        (es.Short, 3, ">h"),
        (es.Integer, 4, ">i"),
        (es.Long, 5, ">q"),
        (es.Timestamp, 8, ">q"),
    ):
        if type(value) is cls:
            return code, struct.pack(fmt, value)
    if isinstance(value, bytes):
        return 6, struct.pack(">H", len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return 7, struct.pack(">H", len(raw)) + raw
    assert isinstance(value, UUID)
    return 9, value.bytes


def ref_encode(message: es.EventStreamMessage) -> bytes:
    headers = b"".join(
        ref_header(name.encode("utf-8"), *ref_value(value))
        for name, value in message.headers.items()
    )
    return ref_frame(headers, message.payload)


def as_botocore(value: es.HeaderValue) -> object:
    """A header value the way botocore's decoder gives it: ints, and a UUID's 16 bytes."""
    if isinstance(value, UUID):
        return value.bytes
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    return value


def botocore_decode(stream: bytes) -> list[tuple[dict[str, Any], bytes]]:
    buffer = boto_eventstream.EventStreamBuffer()
    buffer.add_data(stream)
    return [(dict(m.headers), m.payload) for m in buffer]


def chunks(stream: bytes, cuts: Sequence[int]) -> list[bytes]:
    """`stream` cut at each of `cuts` (empty chunks included where cuts repeat an end)."""
    bounds = [0, *sorted(set(cuts)), len(stream)]
    return [stream[start:end] for start, end in itertools.pairwise(bounds)]


def decode_all(stream: bytes, cuts: Sequence[int] = ()) -> list[es.EventStreamMessage]:
    """Feed `stream` cut at `cuts`, then close."""
    decoder = es.EventStreamDecoder()
    messages: list[es.EventStreamMessage] = []
    for chunk in chunks(stream, cuts):
        messages += decoder.feed(chunk)
    decoder.close()
    return messages


def decode_error(stream: bytes, **limits: int) -> es.EventStreamDecodeError:
    """The error decoding `stream` (fed whole, then closed) raises."""
    decoder = es.EventStreamDecoder(**limits)
    with pytest.raises(es.EventStreamDecodeError) as caught:
        decoder.feed(stream)
        decoder.close()
    return caught.value


# -- strategies ------------------------------------------------------------------------------


def _sized(cls: Callable[[int], es.HeaderValue], bits: int) -> st.SearchStrategy[es.HeaderValue]:
    return st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1).map(cls)


HEADER_VALUES: st.SearchStrategy[es.HeaderValue] = st.one_of(
    st.booleans(),
    _sized(es.Byte, 8),
    _sized(es.Short, 16),
    _sized(es.Integer, 32),
    _sized(es.Long, 64),
    _sized(es.Timestamp, 64),
    st.binary(max_size=300),
    st.text(max_size=80),
    st.uuids(),
)
HEADER_NAMES = st.text(min_size=1, max_size=80).filter(lambda n: len(n.encode("utf-8")) <= 255)
MESSAGES = st.builds(
    es.EventStreamMessage,
    st.dictionaries(HEADER_NAMES, HEADER_VALUES, max_size=8),
    st.binary(max_size=3000),
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _cuts(data: st.DataObject, length: int) -> list[int]:
    return data.draw(st.lists(st.integers(0, length), max_size=12), label="cuts")


# -- botocore's unit-test frames (boto/botocore tests/unit/test_eventstream.py) ---------------

BOTOCORE_FRAMES: list[tuple[str, bytes, dict[str, es.HeaderValue], bytes]] = [
    ("empty", b"\x00\x00\x00\x10\x00\x00\x00\x00\x05\xc2H\xeb}\x98\xc8\xff", {}, b""),
    (
        "int8",
        b"\x00\x00\x00\x17\x00\x00\x00\x07)\x86\x01X\x04byte\x02\xff\xc2\xf8i\xdc",
        {"byte": es.Byte(-1)},
        b"",
    ),
    (
        "int16",
        b"\x00\x00\x00\x19\x00\x00\x00\tq\x0e\x92>\x05short\x03\xff\xff\xb2|\xb6\xcc",
        {"short": es.Short(-1)},
        b"",
    ),
    (
        "int32",
        b"\x00\x00\x00\x1d\x00\x00\x00\r\x83\xe3\xf0\xe7\x07integer\x04\xff\xff\xff\xff"
        b"\x8b\x8e\x12\xeb",
        {"integer": es.Integer(-1)},
        b"",
    ),
    (
        "int64",
        b"\x00\x00\x00\x1e\x00\x00\x00\x0e]J\xdb\x8d\x04long\x05\xff\xff\xff\xff\xff\xff\xff"
        b"\xffK\xc22\xda",
        {"long": es.Long(-1)},
        b"",
    ),
    (
        "payload",
        b"\x00\x00\x00\x1d\x00\x00\x00\x00\xfdR\x8cZ{'foo':'bar'}\xc3e96",
        {},
        b"{'foo':'bar'}",
    ),
    (
        "string-header-and-payload",
        b"\x00\x00\x00=\x00\x00\x00 \x07\xfd\x83\x96\x0ccontent-type\x07\x00\x10"
        b"application/json{'foo':'bar'}\x8d\x9c\x08\xb1",
        {"content-type": "application/json"},
        b"{'foo':'bar'}",
    ),
    (
        "every-type",
        b"\x00\x00\x00\x62\x00\x00\x00\x52\x03\xb5\xcb\x9c"
        b"\x010\x00\x011\x01\x012\x02\x02\x013\x03\x00\x03"
        b"\x014\x04\x00\x00\x00\x04\x015\x05\x00\x00\x00\x00\x00\x00\x00\x05"
        b"\x016\x06\x00\x05bytes\x017\x07\x00\x04utf8"
        b"\x018\x08\x00\x00\x00\x00\x00\x00\x00\x08\x019\x090123456789abcdef"
        b"\x63\x35\x36\x71",
        {
            "0": True,
            "1": False,
            "2": es.Byte(2),
            "3": es.Short(3),
            "4": es.Integer(4),
            "5": es.Long(5),
            "6": b"bytes",
            "7": "utf8",
            "8": es.Timestamp(8),
            "9": UUID(bytes=b"0123456789abcdef"),
        },
        b"",
    ),
    (
        "error",
        b"\x00\x00\x00\x52\x00\x00\x00\x42\xbf\x23\x63\x7e"
        b"\x0d:message-type\x07\x00\x05error\x0b:error-code\x07\x00\x04code"
        b"\x0e:error-message\x07\x00\x07message\x6b\x6c\xea\x3d",
        {":message-type": "error", ":error-code": "code", ":error-message": "message"},
        b"",
    ),
    (
        "initial-response",
        b"\x00\x00\x00~\x00\x00\x00O\xc5\xa3\xdd\xc6\r:message-type\x07\x00\x05event"
        b"\x0b:event-type\x07\x00\x10initial-response\r:content-type\x07\x00\ttext/json"
        b'{"InitialResponse": "sometext"}\xf6\x98$\x83',
        {
            ":message-type": "event",
            ":event-type": "initial-response",
            ":content-type": "text/json",
        },
        b'{"InitialResponse": "sometext"}',
    ),
]

BOTOCORE_BAD_FRAMES: list[tuple[str, bytes, str, int]] = [
    (
        "corrupted-length",
        b"\x01\x00\x00\x1d\x00\x00\x00\x00\xfdR\x8cZ{'foo':'bar'}\xc3e96",
        "prelude CRC mismatch",
        8,
    ),
    (
        "corrupted-payload",
        b"\x00\x00\x00\x1d\x00\x00\x00\x00\xfdR\x8cZ{'foo':'bar'\x8d\xc3e96",
        "message CRC mismatch",
        25,
    ),
    (
        "corrupted-headers",
        b"\x00\x00\x00=\x00\x00\x00 \x07\xfd\x83\x96\x0ccontent+type\x07\x00\x10"
        b"application/json{'foo':'bar'}\x8d\x9c\x08\xb1",
        "message CRC mismatch",
        57,
    ),
    (
        "corrupted-header-length",
        b"\x00\x00\x00=\xff\x00\x01\x02\x07\xfd\x83\x96\x0ccontent-type\x07\x00"
        b"\x10application/json{'foo':'bar'}\x8d\x9c\x08\xb1",
        "prelude CRC mismatch",
        8,
    ),
    (
        "duplicate-header",
        b"\x00\x00\x00\x24\x00\x00\x00\x14\x4b\xb9\x82\xd0"
        b"\x04test\x04asdf\x04test\x04asdf\xf3\xf4\x75\x63",
        "header 'test' appears twice",
        22,
    ),
]


@pytest.mark.parametrize(
    ("frame", "headers", "payload"),
    [case[1:] for case in BOTOCORE_FRAMES],
    ids=[case[0] for case in BOTOCORE_FRAMES],
)
def test_botocore_frames_decode_and_reencode_byte_for_byte(
    frame: bytes, headers: dict[str, es.HeaderValue], payload: bytes
) -> None:
    (message,) = decode_all(frame)
    assert dict(message.headers) == headers
    assert [type(v) for v in message.headers.values()] == [type(v) for v in headers.values()]
    assert message.payload == payload
    assert message.encode() == frame
    assert es.encode_message(headers, payload) == frame


def test_botocore_frames_in_one_stream_cut_anywhere() -> None:
    stream = b"".join(case[1] for case in BOTOCORE_FRAMES)
    expected = [es.EventStreamMessage(case[2], case[3]) for case in BOTOCORE_FRAMES]
    for cut in range(len(stream) + 1):
        assert decode_all(stream, [cut]) == expected
    assert decode_all(stream, range(len(stream))) == expected  # one byte at a time


@pytest.mark.parametrize(
    ("frame", "reason", "offset"),
    [case[1:] for case in BOTOCORE_BAD_FRAMES],
    ids=[case[0] for case in BOTOCORE_BAD_FRAMES],
)
def test_botocore_bad_frames_are_refused(frame: bytes, reason: str, offset: int) -> None:
    error = decode_error(frame)
    assert error.reason.startswith(reason)
    assert error.offset == offset
    assert str(error) == f"{error.reason} (at byte {offset} of the event stream)"
    with pytest.raises(boto_eventstream.ParserError):
        botocore_decode(frame)


# -- round trips and differential ------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(MESSAGES, max_size=5), st.data())
def test_messages_round_trip_through_any_chunking(
    messages: list[es.EventStreamMessage], data: st.DataObject
) -> None:
    stream = b"".join(m.encode() for m in messages)
    decoded = decode_all(stream, _cuts(data, len(stream)))
    assert decoded == messages
    for ours, theirs in zip(decoded, messages, strict=True):
        assert [type(v) for v in ours.headers.values()] == [
            type(v) for v in theirs.headers.values()
        ]
        assert list(ours.headers) == list(theirs.headers)


@settings(max_examples=200, deadline=None)
@given(st.lists(MESSAGES, min_size=1, max_size=4))
def test_botocore_decodes_what_we_encode(messages: list[es.EventStreamMessage]) -> None:
    stream = b"".join(m.encode() for m in messages)
    assert botocore_decode(stream) == [
        ({k: as_botocore(v) for k, v in m.headers.items()}, m.payload) for m in messages
    ]


@settings(max_examples=200, deadline=None)
@given(MESSAGES)
def test_our_encoder_agrees_with_the_reference_layout(message: es.EventStreamMessage) -> None:
    frame = ref_encode(message)
    assert message.encode() == frame
    assert decode_all(frame) == [message]


def test_every_header_type_at_its_bounds_round_trips_and_matches_botocore() -> None:
    headers: dict[str, es.HeaderValue] = {
        "true": True,
        "false": False,
        "byte-": es.Byte(-128),
        "byte+": es.Byte(127),
        "short-": es.Short(-(2**15)),
        "short+": es.Short(2**15 - 1),
        "int-": es.Integer(-(2**31)),
        "int+": es.Integer(2**31 - 1),
        "long-": es.Long(-(2**63)),
        "long+": es.Long(2**63 - 1),
        "ts-": es.Timestamp(-(2**63)),
        "ts+": es.Timestamp(2**63 - 1),
        "bytes-empty": b"",
        "bytes-max": bytes(range(256)) * 127 + bytes(range(255)),
        "str-empty": "",
        "str-max": "é" * 16383 + "x",
        "str-astral": "\U0001f600 \u0000 \ufeff",
        "uuid": UUID("01234567-89ab-cdef-0123-456789abcdef"),
        "n" * 255: True,
        "\u00e9\u4e2d": "name in UTF-8",
    }
    assert len(headers["bytes-max"]) == len(str(headers["str-max"]).encode()) == 32767  # type: ignore[arg-type]
    message = es.EventStreamMessage(headers, b"\x00\xff" * 100)
    frame = message.encode()
    assert frame == ref_encode(message)
    assert decode_all(frame) == [message]
    ((theirs, payload),) = botocore_decode(frame)
    assert theirs == {k: as_botocore(v) for k, v in headers.items()}
    assert payload == message.payload


def test_payload_and_headers_at_the_limits_are_accepted_by_both_decoders() -> None:
    payload = bytes(range(256)) * (es.MAX_PAYLOAD_LENGTH // 256)
    assert len(payload) == es.MAX_PAYLOAD_LENGTH
    # 3 headers of 32,767-byte byte arrays and one filler make exactly 128 KiB of headers.
    value = b"\xab" * 32767
    headers: dict[str, es.HeaderValue] = {f"h{i}": value for i in range(3)}
    used = len(es.encode_headers(headers))
    filler_name = "f"
    headers[filler_name] = b"\xcd" * (es.MAX_HEADERS_LENGTH - used - 2 - len(filler_name) - 2)
    assert len(es.encode_headers(headers)) == es.MAX_HEADERS_LENGTH
    frame = es.encode_message(headers, payload)
    assert len(frame) == es.MAX_FRAME_LENGTH
    (message,) = decode_all(frame, [5, 70000, len(frame) - 3])
    assert message.payload == payload
    assert dict(message.headers) == headers
    ((theirs, their_payload),) = botocore_decode(frame)
    assert their_payload == payload
    assert theirs == headers


def test_frames_beyond_the_limits_are_refused_by_both_decoders_from_the_prelude() -> None:
    too_much_payload = ref_frame(
        total=es.MAX_FRAME_LENGTH + 1, headers_length=es.MAX_HEADERS_LENGTH
    )
    prelude = too_much_payload[:12]
    error = decode_error(prelude)
    assert error.offset == 0
    assert error.reason == (
        f"total length {es.MAX_FRAME_LENGTH + 1} leaves a payload of "
        f"{es.MAX_PAYLOAD_LENGTH + 1} bytes, above the maximum of {es.MAX_PAYLOAD_LENGTH}"
    )
    with pytest.raises(boto_eventstream.InvalidPayloadLength):
        botocore_decode(prelude)

    too_many_headers = ref_frame(total=1 << 20, headers_length=es.MAX_HEADERS_LENGTH + 1)[:12]
    error = decode_error(too_many_headers)
    assert (error.reason, error.offset) == (
        f"headers length {es.MAX_HEADERS_LENGTH + 1} is above the maximum of "
        f"{es.MAX_HEADERS_LENGTH}",
        4,
    )
    with pytest.raises(boto_eventstream.InvalidHeadersLength):
        botocore_decode(too_many_headers)


def test_limits_can_be_lowered() -> None:
    frame = es.encode_message({"a": "bc"}, b"12345")
    assert decode_all(frame)
    error = decode_error(frame, max_payload_length=4)
    assert error.reason.endswith("leaves a payload of 5 bytes, above the maximum of 4")
    error = decode_error(frame, max_headers_length=5)
    assert error.reason == "headers length 7 is above the maximum of 5"
    with pytest.raises(ValueError, match="cannot be negative"):
        es.EventStreamDecoder(max_payload_length=-1)


# -- hostile frames: each fault, its reason and its offset -----------------------------------

GOOD = es.encode_message({":message-type": "event"}, b"first")
"""A valid frame put before each hostile one, so offsets count across frames."""
BASE = len(GOOD)


def _bad(frame: bytes) -> es.EventStreamDecodeError:
    """The error of a stream that is GOOD then `frame`; GOOD is decoded first."""
    decoder = es.EventStreamDecoder()
    assert decoder.feed(GOOD) == [es.EventStreamMessage({":message-type": "event"}, b"first")]
    with pytest.raises(es.EventStreamDecodeError) as caught:
        decoder.feed(frame)
        decoder.close()
    with pytest.raises(es.EventStreamDecodeError) as again:
        decoder.feed(GOOD)  # the stream is over: the same error, every time
    assert again.value is caught.value
    assert decoder.buffered == 0
    return caught.value


def _flip(frame: bytes, index: int, mask: int = 0x01) -> bytes:
    return frame[:index] + bytes([frame[index] ^ mask]) + frame[index + 1 :]


HOSTILE: list[tuple[str, bytes, str, int]] = [
    (
        "prelude-crc",
        _flip(es.encode_message({"a": True}, b"xy"), 3),
        "prelude CRC mismatch: the frame says 0x",
        8,
    ),
    (
        "message-crc",
        _flip(es.encode_message({"a": True}, b"xy"), 17),
        "message CRC mismatch: the frame says 0x",
        es.MIN_FRAME_LENGTH + 3 + 2 - 4,
    ),
    (
        "message-crc-itself",
        _flip(es.encode_message({}, b"xy"), 17),
        "message CRC mismatch",
        14,
    ),
    (
        "total-below-minimum",
        ref_frame(total=15)[:12],
        "total length 15 is below the minimum of 16",
        0,
    ),
    ("total-zero", ref_frame(total=0)[:12], "total length 0 is below the minimum of 16", 0),
    (
        "headers-longer-than-frame",
        ref_frame(ref_header(b"a", 0), headers_length=4),
        "headers length 4 does not fit in a frame of total length 19",
        4,
    ),
    (
        "headers-length-huge",
        ref_frame(total=100, headers_length=0xFFFFFFFF)[:12],
        "headers length 4294967295 does not fit in a frame of total length 100",
        4,
    ),
    ("empty-name", ref_frame(b"\x00\x00"), "a header name is empty", 12),
    (
        "name-past-the-end",
        ref_frame(ref_header(b"ok", 0) + b"\x09abc\x00"),
        "a header name of 9 bytes runs past the end of the headers (4 left)",
        12 + 4,
    ),
    (
        "name-longest-past-the-end",
        ref_frame(b"\xff" + b"n" * 200),
        "a header name of 255 bytes runs past the end of the headers (200 left)",
        12,
    ),
    ("name-not-utf8", ref_frame(ref_header(b"ab\xff", 0)), "a header name is not valid UTF-8", 15),
    (
        "name-surrogate",
        ref_frame(ref_header(b"\xed\xa0\x80", 0)),
        "a header name is not valid UTF-8",
        13,
    ),
    ("no-value-type", ref_frame(b"\x03abc"), "header 'abc' has no value type", 16),
    (
        "unknown-type-10",
        ref_frame(ref_header(b"t", 10)),
        "header 't' has unknown value type 10",
        14,
    ),
    (
        "unknown-type-255",
        ref_frame(ref_header(b"t", 255, b"\x00" * 8)),
        "header 't' has unknown value type 255",
        14,
    ),
    (
        "truncated-long",
        ref_frame(ref_header(b"n", 5, b"\x00" * 7)),
        "header 'n' needs 8 bytes of value, the headers have 7 left",
        15,
    ),
    (
        "truncated-uuid",
        ref_frame(ref_header(b"u", 9, b"\x00" * 15), b"payload"),
        "header 'u' needs 16 bytes of value, the headers have 15 left",
        15,
    ),
    (
        "truncated-string-length",
        ref_frame(ref_header(b"s", 7, b"\x00")),
        "header 's' needs 2 bytes of value, the headers have 1 left",
        15,
    ),
    (
        "string-past-the-end",
        ref_frame(ref_header(b"s", 7, b"\x00\x05abc"), b"de"),
        "header 's' needs 5 bytes of value, the headers have 3 left",
        17,
    ),
    (
        "byte-array-past-the-end",
        ref_frame(ref_header(b"b", 6, b"\xff\xff")),
        "header 'b' needs 65535 bytes of value, the headers have 0 left",
        17,
    ),
    (
        "string-not-utf8",
        ref_frame(ref_header(b"s", 7, b"\x00\x04ok\xc3(")),
        "header 's' is a string that is not valid UTF-8",
        19,
    ),
    (
        "duplicate",
        ref_frame(ref_header(b"d", 0) + ref_header(b"d", 1)),
        "header 'd' appears twice",
        15,
    ),
    (
        "truncated-stream-in-prelude",
        es.encode_message({}, b"abc")[:11],
        "the stream ended inside a frame: 11 bytes of a 12-byte prelude",
        0,
    ),
    (
        "truncated-stream-in-body",
        es.encode_message({}, b"abc")[:-1],
        "the stream ended inside a frame: 18 bytes of the 19 its prelude announced",
        0,
    ),
]


@pytest.mark.parametrize(
    ("frame", "reason", "offset"),
    [case[1:] for case in HOSTILE],
    ids=[case[0] for case in HOSTILE],
)
def test_hostile_frames_name_the_fault_and_its_offset(
    frame: bytes, reason: str, offset: int
) -> None:
    error = _bad(frame)
    assert error.reason.startswith(reason), error.reason
    assert error.offset == BASE + offset
    assert str(error).endswith(f"(at byte {BASE + offset} of the event stream)")


def test_messages_before_a_bad_frame_come_first_and_the_error_next() -> None:
    bad = _flip(GOOD, 20)
    decoder = es.EventStreamDecoder()
    assert len(decoder.feed(GOOD + GOOD + bad + GOOD)) == 2
    assert decoder.position == 2 * BASE
    with pytest.raises(es.EventStreamDecodeError) as caught:
        decoder.close()
    assert caught.value.offset == 3 * BASE - 4
    with pytest.raises(es.EventStreamDecodeError):
        decoder.feed(b"")
    stream = iter([GOOD, GOOD + bad[:5], bad[5:]])
    seen: list[es.EventStreamMessage] = []
    with pytest.raises(es.EventStreamDecodeError, match="message CRC mismatch"):
        seen.extend(es.decode_stream(stream))
    assert len(seen) == 2


def test_decode_stream_reports_a_truncated_end() -> None:
    frames = [GOOD, GOOD[:7], GOOD[7:], GOOD[:3]]
    seen: list[es.EventStreamMessage] = []
    with pytest.raises(es.EventStreamDecodeError) as caught:
        seen.extend(es.decode_stream(frames))
    assert len(seen) == 2
    assert caught.value.offset == 2 * BASE
    assert list(es.decode_stream([])) == []
    assert list(es.decode_stream([b"", GOOD, b""])) == [es.EventStreamMessage(*_parts(GOOD))]


def _parts(frame: bytes) -> tuple[dict[str, es.HeaderValue], bytes]:
    (message,) = decode_all(frame)
    return dict(message.headers), message.payload


def test_the_buffer_holds_at_most_one_frame_and_refuses_a_huge_one_at_once() -> None:
    decoder = es.EventStreamDecoder()
    frame = es.encode_message({"k": "v"}, b"p" * 1000)
    for index in range(len(frame) - 1):
        assert decoder.feed(frame[index : index + 1]) == []
        assert decoder.buffered == index + 1
    assert len(decoder.feed(frame[-1:])) == 1
    assert (decoder.buffered, decoder.position) == (0, len(frame))
    # A prelude that announces 4 GiB is refused on its 12th byte, before any more is read.
    decoder = es.EventStreamDecoder()
    huge = ref_frame(total=0xFFFFFFFF)[:12]
    assert decoder.feed(huge[:11]) == []
    with pytest.raises(es.EventStreamDecodeError, match="total length 4294967295"):
        decoder.feed(huge[11:])
    assert decoder.buffered == 0


def test_the_error_pickles_with_its_fields() -> None:
    error = decode_error(ref_frame(b"\x00"))
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.reason, copy.offset, str(copy)) == (
        es.EventStreamDecodeError,
        error.reason,
        error.offset,
        str(error),
    )
    assert isinstance(error, es.EventStreamError)


# -- fuzzing ---------------------------------------------------------------------------------


def _decode_checked(stream: bytes, cuts: Sequence[int]) -> tuple[list[es.EventStreamMessage], bool]:
    """Decode `stream` cut at `cuts`: (messages, whether it raised). Anything other than our
    error fails the test; every message must be a frame of the stream whose CRCs check."""
    decoder = es.EventStreamDecoder()
    messages: list[es.EventStreamMessage] = []
    failed = False
    try:
        for chunk in chunks(stream, cuts):
            messages += decoder.feed(chunk)
        decoder.close()
    except es.EventStreamDecodeError as error:
        failed = True
        assert 0 <= error.offset <= len(stream)
    position = 0
    for message in messages:
        frame = ref_encode(message)
        assert stream[position : position + len(frame)] == frame
        prelude_crc, message_crc = struct.unpack(">I", frame[8:12]), struct.unpack(">I", frame[-4:])
        assert prelude_crc == (binascii.crc32(frame[:8]),)
        assert message_crc == (binascii.crc32(frame[:-4]),)
        position += len(frame)
    assert failed or position == len(stream)
    return messages, failed


@FUZZ
@given(st.binary(max_size=400), st.data())
def test_random_bytes_raise_only_our_error(stream: bytes, data: st.DataObject) -> None:
    _decode_checked(stream, _cuts(data, len(stream)))


_LENGTH_PREFIXED = st.binary(max_size=40).map(lambda b: len(b).to_bytes(2, "big") + b)
_NEAR_HEADER = st.builds(
    lambda name, code, value: bytes([len(name)]) + name + bytes([code]) + value,
    st.binary(max_size=4) | st.text(max_size=3).map(str.encode),
    st.integers(0, 11),
    st.binary(max_size=20) | _LENGTH_PREFIXED,
)
RAW_HEADERS = st.binary(max_size=200) | st.lists(_NEAR_HEADER, max_size=5).map(b"".join)
"""Headers sections: random bytes, or headers that are nearly right (any type code, values of
any length, names that may be empty or not UTF-8)."""


@FUZZ
@given(RAW_HEADERS, st.data())
def test_random_headers_in_frames_whose_crcs_check(headers: bytes, data: st.DataObject) -> None:
    headers = headers[: data.draw(st.integers(0, len(headers)), label="keep")]
    frame = ref_frame(headers, b"payload")
    messages, failed = _decode_checked(frame, _cuts(data, len(frame)))
    try:
        theirs = botocore_decode(frame)
    except Exception:  # botocore's header parser lets IndexError, struct.error and others out
        return
    if not failed:
        ((their_headers, payload),) = theirs
        assert {k: as_botocore(v) for k, v in messages[0].headers.items()} == their_headers
        assert payload == b"payload"


@FUZZ
@given(st.lists(MESSAGES, min_size=1, max_size=3), st.data())
def test_a_flipped_bit_is_always_caught(
    messages: list[es.EventStreamMessage], data: st.DataObject
) -> None:
    frames = [m.encode() for m in messages]
    stream = b"".join(frames)
    bit = data.draw(st.integers(0, 8 * len(stream) - 1), label="bit")
    damaged = _flip(stream, bit // 8, 1 << (bit % 8))
    decoded, failed = _decode_checked(damaged, _cuts(data, len(damaged)))
    assert failed
    # Exactly the frames before the damaged one come out.
    ends = [sum(len(f) for f in frames[: i + 1]) for i in range(len(frames))]
    assert decoded == messages[: sum(end <= bit // 8 for end in ends)]


@FUZZ
@given(st.lists(MESSAGES, min_size=1, max_size=3), st.data())
def test_random_damage_and_truncation_raise_only_our_error(
    messages: list[es.EventStreamMessage], data: st.DataObject
) -> None:
    stream = bytearray(b"".join(m.encode() for m in messages))
    for _ in range(data.draw(st.integers(0, 4), label="damages")):
        index = data.draw(st.integers(0, len(stream) - 1), label="index")
        stream[index] = data.draw(st.integers(0, 255), label="byte")
    keep = data.draw(st.integers(0, len(stream)), label="keep")
    damaged = bytes(stream[:keep])
    _decode_checked(damaged, _cuts(data, len(damaged)))


@FUZZ
@given(st.lists(MESSAGES, min_size=1, max_size=3), st.data())
def test_a_truncated_stream_yields_the_whole_frames_then_fails(
    messages: list[es.EventStreamMessage], data: st.DataObject
) -> None:
    frames = [m.encode() for m in messages]
    stream = b"".join(frames)
    keep = data.draw(st.integers(0, len(stream) - 1), label="keep")
    decoded, failed = _decode_checked(stream[:keep], _cuts(data, keep))
    ends = [sum(len(f) for f in frames[: i + 1]) for i in range(len(frames))]
    assert decoded == messages[: sum(end <= keep for end in ends)]
    assert failed == (keep not in [0, *ends])


# -- one whole frame in hand (a signed message's payload) ------------------------------------


def _damaged(data: st.DataObject, frames: bytes) -> bytes:
    stream = bytearray(frames)
    for _ in range(data.draw(st.integers(0, 2), label="damages")):
        if stream:
            index = data.draw(st.integers(0, len(stream) - 1), label="index")
            stream[index] = data.draw(st.integers(0, 255), label="byte")
    keep = data.draw(st.integers(0, len(stream)), label="keep")
    return bytes(stream[:keep])


@FUZZ
@given(st.lists(MESSAGES, min_size=0, max_size=2), st.data())
def test_decode_message_agrees_with_the_streaming_decoder(
    messages: list[es.EventStreamMessage], data: st.DataObject
) -> None:
    """`decode_message` gives a message exactly where the stream decoder finds that one whole
    frame and nothing else, and otherwise raises our error (no frame, a damaged or truncated
    one, two frames, bytes after one), whatever the damage."""
    stream = b"".join(m.encode() for m in messages)
    if data.draw(st.booleans(), label="damage"):
        stream = _damaged(data, stream)
    try:
        streamed: list[es.EventStreamMessage] | None = list(es.decode_stream([stream]))
    except es.EventStreamDecodeError:
        streamed = None
    try:
        found = es.decode_message(stream)
    except es.EventStreamDecodeError:
        assert streamed is None or len(streamed) != 1
        return
    assert streamed == [found]


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (b"", "0 bytes are not a frame: its prelude alone is 12"),
        (GOOD[:11], "11 bytes are not a frame"),
        (GOOD[:-1], f"the prelude announces a frame of {len(GOOD)} bytes, not the"),
        (GOOD + GOOD, f"the prelude announces a frame of {len(GOOD)} bytes, not the"),
        (_flip(GOOD, len(GOOD) - 1), "message CRC mismatch"),
    ],
)
def test_decode_message_names_what_is_wrong(frame: bytes, reason: str) -> None:
    with pytest.raises(es.EventStreamDecodeError) as caught:
        es.decode_message(frame)
    assert reason in str(caught.value)


def test_decode_message_keeps_the_limits() -> None:
    frame = es.EventStreamMessage({"h": "v"}, b"x" * 10).encode()
    assert es.decode_message(frame) == es.EventStreamMessage({"h": "v"}, b"x" * 10)
    with pytest.raises(es.EventStreamDecodeError, match="above the maximum of 9"):
        es.decode_message(frame, max_payload_length=9)
    with pytest.raises(
        es.EventStreamDecodeError, match="headers length 6 is above the maximum of 5"
    ):
        es.decode_message(frame, max_headers_length=5)


# -- encoder refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "payload", "message"),
    [
        ({"n": 5}, b"", "header 'n' is a plain int (5); say its wire type with Byte"),
        ({"n": 1.5}, b"", "header 'n' is float, which no header value type holds"),
        ({"n": None}, b"", "header 'n' is NoneType"),
        ({"n": bytearray(b"x")}, b"", "header 'n' is bytearray"),
        ({"n": datetime.now(UTC)}, b"", "header 'n' is datetime"),
        ({"": True}, b"", "header name '' is 0 bytes of UTF-8; a name is 1 to 255"),
        ({"é" * 128: True}, b"", "is 256 bytes of UTF-8; a name is 1 to 255"),
        ({7: True}, b"", "header name 7 is not a string"),
        ({"\ud800": True}, b"", "header name '\\ud800' cannot be encoded as UTF-8 (character 0)"),
        ({"s": "ok\udfff"}, b"", "header 's' cannot be encoded as UTF-8 (character 2)"),
        ({"s": "x" * 32768}, b"", "header 's' is 32768 bytes long, above the maximum of 32767"),
        ({"b": b"x" * 32768}, b"", "header 'b' is 32768 bytes long"),
        (
            {f"h{i}": b"x" * 32767 for i in range(5)},
            b"",
            "the headers take 163865 bytes, above the maximum of 131072",
        ),
        ({}, "text", "the payload is str, not bytes"),
    ],
)
def test_the_encoder_refuses_what_it_cannot_frame(
    headers: dict[Any, Any], payload: Any, message: str
) -> None:
    with pytest.raises(es.EventStreamEncodeError) as caught:
        es.encode_message(headers, payload)
    assert message in str(caught.value), str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_the_encoder_refuses_a_payload_above_the_limit() -> None:
    with pytest.raises(es.EventStreamEncodeError, match="above the maximum of 25165824"):
        es.encode_message({}, bytes(es.MAX_PAYLOAD_LENGTH + 1))
    assert es.encode_message({}, bytearray(b"ab")) == es.encode_message({}, b"ab")
    assert es.encode_message({}, memoryview(b"ab")) == es.encode_message({}, b"ab")


@pytest.mark.parametrize(
    ("cls", "low", "high"),
    [
        (es.Byte, -(2**7), 2**7 - 1),
        (es.Short, -(2**15), 2**15 - 1),
        (es.Integer, -(2**31), 2**31 - 1),
        (es.Long, -(2**63), 2**63 - 1),
        (es.Timestamp, -(2**63), 2**63 - 1),
    ],
)
def test_sized_integers_hold_their_range_only(
    cls: Callable[[int], es.HeaderValue], low: int, high: int
) -> None:
    assert cls(low) == low and cls(high) == high
    assert repr(cls(high)) == f"{cls.__name__}({high})"
    for outside in (low - 1, high + 1):
        with pytest.raises(ValueError, match=f"is from {low} to {high}, not {outside}"):
            cls(outside)
    with pytest.raises(TypeError):
        cls(1.5)  # type: ignore[arg-type]


def test_timestamps_and_datetimes() -> None:
    moment = datetime(2024, 2, 29, 12, 30, 15, 123999, tzinfo=UTC)
    stamp = es.Timestamp.from_datetime(moment)
    assert stamp == 1709209815123
    assert stamp.to_datetime() == moment.replace(microsecond=123000)
    before = datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=UTC)
    assert es.Timestamp.from_datetime(before) == -1  # towards the past
    plus_two = timezone(timedelta(hours=2))
    assert es.Timestamp.from_datetime(datetime(1970, 1, 1, 2, tzinfo=plus_two)) == 0
    with pytest.raises(ValueError, match="needs a datetime with a time zone"):
        es.Timestamp.from_datetime(datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="outside the years a datetime holds"):
        es.Timestamp(2**63 - 1).to_datetime()
    assert es.Timestamp.from_datetime(datetime.max.replace(tzinfo=UTC)).to_datetime() == (
        datetime.max.replace(microsecond=999000, tzinfo=UTC)
    )


# -- the message object and its helpers ------------------------------------------------------


def test_event_exception_and_error_messages() -> None:
    event = es.EventStreamMessage.event(
        "Chunk", b'{"a":1}', content_type="application/json", headers={"seq": es.Integer(4)}
    )
    assert list(event.headers) == [":message-type", ":event-type", ":content-type", "seq"]
    assert (event.message_type, event.event_type, event.content_type) == (
        es.MessageType.EVENT,
        "Chunk",
        "application/json",
    )
    assert event.exception_type is event.error_code is event.error_message is None
    exception = es.EventStreamMessage.exception("ThrottlingException", b"{}")
    assert (exception.message_type, exception.exception_type) == (
        "exception",
        "ThrottlingException",
    )
    assert exception.content_type is None
    error = es.EventStreamMessage.error("InternalError", "it broke")
    assert (error.message_type, error.error_code, error.error_message) == (
        es.MessageType.ERROR,
        "InternalError",
        "it broke",
    )
    for message in (event, exception, error):
        assert decode_all(message.encode()) == [message]
    with pytest.raises(ValueError, match=r"headers \[':event-type'\] are set by the message kind"):
        es.EventStreamMessage.event("A", headers={":event-type": "B"})


def test_the_helpers_refuse_headers_of_the_wrong_kind() -> None:
    with pytest.raises(es.EventStreamError, match="the message has no ':message-type' header"):
        _ = es.EventStreamMessage().message_type
    with pytest.raises(es.EventStreamError, match="is 'evnt', not 'event', 'exception' or 'error'"):
        _ = es.EventStreamMessage({":message-type": "evnt"}).message_type
    with pytest.raises(es.EventStreamError, match="header ':message-type' is short, not a string"):
        _ = es.EventStreamMessage({":message-type": es.Short(1)}).message_type
    with pytest.raises(es.EventStreamError, match="header ':content-type' is bytes, not a string"):
        _ = es.EventStreamMessage({":content-type": b"application/json"}).content_type


def test_a_message_is_frozen_and_its_headers_read_only() -> None:
    headers: dict[str, es.HeaderValue] = {"a": True}
    message = es.EventStreamMessage(headers, b"x")
    headers["b"] = False
    assert dict(message.headers) == {"a": True}
    with pytest.raises(TypeError):
        message.headers["c"] = True  # type: ignore[index]
    with pytest.raises(AttributeError):
        message.payload = b"y"  # type: ignore[misc]
    assert message == es.EventStreamMessage({"a": True}, b"x")
    assert hash(message) == hash(es.EventStreamMessage({"a": True}, b"x"))
    assert not hasattr(message, "__dict__")


# -- the module stands alone -----------------------------------------------------------------


def test_the_module_imports_with_the_standard_library_only(tmp_path: Path) -> None:
    tree = ast.parse(MODULE.read_text("utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(tree))
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
    package = tmp_path / "vendor" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    shutil.copy(MODULE, package / "_eventstream.py")
    probe = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path / 'vendor')!r})\n"
        "from pkg import _eventstream as es\n"
        "m = es.EventStreamMessage.event('E', b'p', headers={'t': es.Timestamp(1), 'u': True})\n"
        "assert list(es.decode_stream([m.encode()[:5], m.encode()[5:]])) == [m]\n"
        "outside = sorted(n for n in sys.modules if n.split('.')[0] not in sys.stdlib_module_names"
        " and not n.startswith('pkg') and n not in ('__main__', '__mp_main__'))\n"
        "assert not outside, outside\n"
        "assert not any('site-packages' in p for p in sys.path), sys.path\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", probe],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
