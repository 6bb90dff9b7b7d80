"""Reading HTTP/1.1 requests off a connection: strictly, and within bounds.

`http.server`'s own reader takes any Unicode digit for a length (`'²'.isdigit()` is true, and
`int('²')` raises), lets two framings of one body disagree, and gives a client as long as it
likes between bytes. This one accepts what RFC 9112 allows and refuses the rest with a
`BadRequest` carrying its status:

- the request line and each header line are ASCII tokens where the grammar says so, a line is
  at most `MAX_LINE` bytes (414 for the request line), the header block at most
  `MAX_HEAD_BYTES` and `MAX_HEADERS` fields (431);
- `Content-Length` is ASCII digits (copies must agree); `Transfer-Encoding` is `chunked` alone
  and never comes with a `Content-Length`; chunk sizes are ASCII hex digits;
- `DeadlineStream` bounds the time a whole request may take to arrive, not each `recv`, so a
  client sending a byte a second cannot hold a worker thread.

A body is read lazily (`LengthBody`, `ChunkedBody`), only as far as the application asks, so a
declared length or an endless chunked stream costs no memory the application did not want.
"""

from __future__ import annotations

import io
import re
import socket
import time
from dataclasses import dataclass

MAX_LINE = 65536
MAX_HEAD_BYTES = 65536
MAX_HEADERS = 100
MAX_CHUNK_SIZE_DIGITS = 15
"""Hex digits of one chunk size: 15 is about a petabyte, more than any body is allowed."""
LARGEST_LENGTH = 10**18
"""What a longer `Content-Length` is read as: it is over any body limit all the same."""

TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_TARGET = re.compile(r"[\x21-\x7e]+")
_VERSION = re.compile(r"HTTP/([0-9])\.([0-9])")
_DIGITS = re.compile(r"[0-9]+")
_HEX_DIGITS = re.compile(r"[0-9A-Fa-f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class BadRequest(Exception):
    """A request the server refuses before the application sees it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.method = ""
        """The request's method as far as it could be read (a HEAD answer has no body)."""


class ClientGone(Exception):
    """The connection ended in the middle of a request: nobody is left to answer."""


class BadFraming(OSError):
    """A chunked body whose framing is broken. An `OSError`, as any failure to read the body is
    for a WSGI application."""


class DeadlineStream(io.RawIOBase):
    """A socket's reads, each given only the time left until `deadline` (`time.monotonic()`)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.deadline: float | None = None
        self.received = 0
        """Bytes received since the deadline was last set."""

    def set_deadline(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request did not arrive within the request timeout")
            self._sock.settimeout(left)
        count = self._sock.recv_into(buffer)
        self.received += count
        return count


@dataclass(frozen=True)
class RequestHead:
    method: str
    target: str
    version: str
    headers: tuple[tuple[str, str], ...]
    """In the order received, names as the client spelled them."""

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.target} {self.version}"

    def values(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    @property
    def keep_alive(self) -> bool:
        tokens = {t.strip().lower() for v in self.values("connection") for t in v.split(",")}
        if self.version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens

    @property
    def expects_continue(self) -> bool:
        return any(v.strip().lower() == "100-continue" for v in self.values("expect"))


def _line(stream: io.BufferedIOBase, limit: int, too_long: BadRequest) -> bytes | None:
    """One line without its CRLF (or bare LF); None at a clean end of the stream."""
    line = stream.readline(limit + 1)
    if not line:
        return None
    if len(line) > limit:
        raise too_long
    if not line.endswith(b"\n"):
        raise ClientGone("the connection ended in the middle of a line")
    return line[:-2] if line.endswith(b"\r\n") else line[:-1]


def read_head(stream: io.BufferedIOBase) -> RequestHead | None:
    """The next request's line and headers, or None when the client closed between requests."""
    too_long = BadRequest(414, "the request line is too long")
    raw = _line(stream, MAX_LINE, too_long)
    if raw == b"":
        # RFC 9112 2.2: ignore an empty line before the request line (some clients send a
        # CRLF after a body).
        raw = _line(stream, MAX_LINE, too_long)
    if raw is None:
        return None
    parts = raw.decode("latin-1").split(" ")
    try:
        return _parse_head(parts, stream)
    except BadRequest as refused:
        refused.method = parts[0]
        raise


def _parse_head(parts: list[str], stream: io.BufferedIOBase) -> RequestHead:
    if len(parts) != 3:
        raise BadRequest(400, "a request line is METHOD TARGET HTTP/1.1")
    method, target, version = parts
    if not TOKEN.fullmatch(method):
        raise BadRequest(400, "the method is not a token")
    if not _TARGET.fullmatch(target):
        raise BadRequest(400, "the request target must be visible ASCII")
    found = _VERSION.fullmatch(version)
    if found is None:
        raise BadRequest(400, "the HTTP version is not HTTP/1.x")
    if found.group(1) != "1":
        raise BadRequest(505, f"{version} is not supported; use HTTP/1.1")
    return RequestHead(method, target, version, read_fields(stream))


def read_fields(stream: io.BufferedIOBase) -> tuple[tuple[str, str], ...]:
    """Header (or trailer) fields up to the empty line that ends them."""
    fields: list[tuple[str, str]] = []
    budget = MAX_HEAD_BYTES
    while True:
        raw = _line(stream, budget, BadRequest(431, "the request's header fields are too large"))
        if raw is None:
            raise ClientGone("the connection ended in the header fields")
        if not raw:
            return tuple(fields)
        budget -= len(raw) + 2
        if len(fields) == MAX_HEADERS:
            raise BadRequest(431, f"more than {MAX_HEADERS} header fields")
        text = _field_text(raw)
        if text[0] in " \t":
            raise BadRequest(400, "folded header lines are not allowed")
        name, colon, value = text.partition(":")
        if not colon or not TOKEN.fullmatch(name):
            raise BadRequest(400, "a header field is NAME: VALUE, with no space before the colon")
        value = value.strip(" \t")
        if _CONTROL.search(value):
            raise BadRequest(400, f"the {name} header holds a control character")
        fields.append((name, value))


def _field_text(raw: bytes) -> str:
    """A field line as text: UTF-8, as botocore and the generated clients send (and sign) header
    values; a line that is not UTF-8 is read as Latin-1 (RFC 9110's obs-text), byte for byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def body_length(head: RequestHead) -> int | None:
    """The length of the request's body: a number of bytes, or None for a chunked body."""
    codings = [
        coding.strip().lower()
        for value in head.values("transfer-encoding")
        for coding in value.split(",")
    ]
    lengths = {text.strip() for value in head.values("content-length") for text in value.split(",")}
    if codings:
        if lengths:
            raise BadRequest(400, "Transfer-Encoding and Content-Length cannot come together")
        if codings != ["chunked"] or head.version == "HTTP/1.0":
            raise BadRequest(501, "the only transfer coding supported is chunked (HTTP/1.1)")
        return None
    if not lengths:
        return 0
    if len(lengths) != 1:
        raise BadRequest(400, "Content-Length values disagree")
    (text,) = lengths
    length = parse_length(text)
    if length is None:
        raise BadRequest(400, "Content-Length must be ASCII digits")
    return length


def parse_length(text: str) -> int | None:
    """A `Content-Length` value, or None unless it is ASCII digits. A number too long to matter
    is read as `LARGEST_LENGTH` rather than converted (Python refuses to convert 4,300 digits)."""
    if not _DIGITS.fullmatch(text):
        return None
    significant = text.lstrip("0")
    return int(significant or "0") if len(significant) < 19 else LARGEST_LENGTH


class LengthBody(io.RawIOBase):
    """A body of a declared length, never read past it."""

    def __init__(self, stream: io.BufferedIOBase, length: int) -> None:
        self._stream = stream
        self.remaining = length

    @property
    def finished(self) -> bool:
        return self.remaining == 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        chunks: list[bytes] = []
        while size > 0:
            chunk = self._stream.read(size)
            if not chunk:
                break
            chunks.append(chunk)
            size -= len(chunk)
            self.remaining -= len(chunk)
        return b"".join(chunks)

    def read1(self, size: int = -1, /) -> bytes:
        """What has arrived of the body, at most `size` bytes (waiting only for the first)."""
        if size < 0 or size > self.remaining:
            size = self.remaining
        if size == 0:
            return b""
        data = self._stream.read1(size)
        self.remaining -= len(data)
        return data


class ChunkedBody(io.RawIOBase):
    """A chunked body, decoded as far as the reader asks; trailers are read and dropped."""

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self._stream = stream
        self._left_in_chunk = 0
        self.finished = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes; read only with a size unless the whole body may be held."""
        wanted = -1 if size is None else size
        chunks: list[bytes] = []
        while wanted != 0 and not self.finished:
            if self._left_in_chunk == 0:
                self._left_in_chunk = self._chunk_size()
                if self._left_in_chunk == 0:
                    self._end()
                    break
            count = self._left_in_chunk if wanted < 0 else min(wanted, self._left_in_chunk)
            data = self._stream.read(count)
            if len(data) != count:
                raise BadFraming("the chunked body ended in the middle of a chunk")
            chunks.append(data)
            self._left_in_chunk -= count
            wanted -= count if wanted > 0 else 0
            if self._left_in_chunk == 0 and self._stream.read(2) != b"\r\n":
                raise BadFraming("a chunk is not followed by CRLF")
        return b"".join(chunks)

    def read1(self, size: int = -1, /) -> bytes:
        """What has arrived of the body, at most `size` bytes (waiting only for the first);
        b"" at its end."""
        while not self.finished and self._left_in_chunk == 0:
            self._left_in_chunk = self._chunk_size()
            if self._left_in_chunk == 0:
                self._end()
        if self.finished or size == 0:
            return b""
        count = self._left_in_chunk if size < 0 else min(size, self._left_in_chunk)
        data = self._stream.read1(count)
        if not data:
            raise BadFraming("the chunked body ended in the middle of a chunk")
        self._left_in_chunk -= len(data)
        if self._left_in_chunk == 0 and self._stream.read(2) != b"\r\n":
            raise BadFraming("a chunk is not followed by CRLF")
        return data

    def _chunk_size(self) -> int:
        try:
            raw = _line(self._stream, 4096, BadRequest(400, ""))
        except (BadRequest, ClientGone):
            raw = None
        if raw is None:
            raise BadFraming("a chunk size line is missing or too long")
        size, _, _extensions = raw.decode("latin-1").partition(";")
        size = size.rstrip(" \t")
        if not _HEX_DIGITS.fullmatch(size):
            raise BadFraming("a chunk size must be ASCII hex digits")
        if len(size.lstrip("0")) > MAX_CHUNK_SIZE_DIGITS:
            raise BadFraming("a chunk is too large")
        return int(size, 16)

    def _end(self) -> None:
        try:
            read_fields(self._stream)
        except (BadRequest, ClientGone) as error:
            raise BadFraming(f"the chunked body's trailer: {error}") from None
        self.finished = True
