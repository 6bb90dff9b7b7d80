"""HTTP transport of the generated client: HTTP/1.1 on plain sockets, with a small keep-alive pool.

The client talks to a `Transport`; tests and users can pass their own. `HttpTransport` keeps one
idle connection per (scheme, host, port) up to `max_pool_connections`, verifies TLS with the
system's trust store by default, and turns socket-level failures into the exceptions below, each
saying whether the request may have reached the server (which decides whether a retry is safe).

It speaks just the HTTP/1.1 a JSON API needs, without `http.client` (whose import and per-response
header parsing cost more than the rest of a call): the request leaves in one write, and the
response is read by Content-Length, chunked transfer coding, or until the server closes. Modules
are imported when first needed, so building a client costs no socket or TLS set-up.

An operation that sends an event stream and answers with one is full duplex
(`HttpRequest.duplex`): a thread sends the request's body as its events come while the caller
reads the answer's events, so each side may wait on the other. Such a connection has one
`read_timeout` per send and per read, and is never reused.

A `@streaming` payload goes both ways without being held whole: a request body that is a binary
file object is sent as it is read (with its `Content-Length` when the caller knows its size,
else in chunked transfer coding), and a request with `stream_response` gets a successful
response back with its body unread (`HttpResponse.stream`), which holds the connection until it
is read to its end or closed. Each read of such a body waits at most `read_timeout`.

The server is not trusted: whatever it sends ends in one of the `TransportError`s below, within
`read_timeout` (a deadline for the whole response, not for each read) and without reading more
than `max_response_bytes` of body or `_MAX_HEAD_BYTES` of head. Nothing a caller passes can add a
line to the request: a control character in the URL, a header name or a value is refused with
`ValueError` before anything is sent.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias
from urllib.parse import quote

if TYPE_CHECKING:
    import socket
    import ssl

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The largest response body read by default (64 MiB); a larger one is refused unread."""

_SECRET_HEADERS = frozenset({"x-amz-security-token", "proxy-authorization", "cookie"})
_SIGNATURE = "Signature="


def _shown_headers(
    headers: Mapping[str, str], hidden: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The headers as a repr may show them: the session token, signatures and the headers named
    in `hidden` (lowercased) hidden."""
    shown = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered == "authorization":
            # Credential and SignedHeaders help debugging and are not secret; the signature is.
            kept, marker, _ = value.partition(_SIGNATURE)
            value = f"{kept}{_SIGNATURE}<hidden>" if marker else "<hidden>"
        elif lowered in _SECRET_HEADERS or lowered in hidden:
            value = "<hidden>"
        shown[name] = value
    return shown


_COOKIE_SAFE = "!#$&'()*+/:<=>?@[]^`{|}"
"""RFC 6265's cookie-octets that `quote` would escape, less `%`, which must be."""


def is_token(text: str) -> bool:
    """Whether `text` is an RFC 9110 token: a method, header or cookie name."""
    return _TOKEN.fullmatch(text) is not None


def cookie_pair(name: str, value: str) -> str:
    """`name=value` for a `Cookie` header, the value percent-encoded (UTF-8) where RFC 6265
    does not allow the character (space, `"`, `,`, `;`, `\\`, controls, beyond ASCII) and at
    `%` itself, so that the receiver decodes exactly what was sent."""
    return f"{name}={quote(value, safe=_COOKIE_SAFE)}"


def shown_url(url: str, hidden: frozenset[str]) -> str:
    """The URL with the values of the query parameters named in `hidden` (lowercased, as
    encoded in the URL) replaced by `<hidden>`."""
    if not hidden or "?" not in url:
        return url
    base, _, query = url.partition("?")
    parameters = []
    for parameter in query.split("&"):
        name, equals, _ = parameter.partition("=")
        parameters.append(f"{name}=<hidden>" if equals and name.lower() in hidden else parameter)
    return f"{base}?{'&'.join(parameters)}"


class BodyReader(Protocol):
    """A request body read as it is sent: a binary file object, or anything whose `read(size)`
    gives up to `size` bytes and `b""` at the end."""

    def read(self, size: int = ..., /) -> bytes: ...


class BodyStream(Protocol):
    """A response body read as it arrives (`HttpResponse.stream`): `read(size)` gives `size`
    bytes, fewer only at the end, and `b""` after it; `close` releases the connection."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


RequestBody: TypeAlias = "bytes | bytearray | BodyReader"
"""A request body as a protocol makes it: bytes, or a file object (a `@streaming` blob)."""


@dataclass(frozen=True)
class HttpRequest:
    """One request as the transport sends it. Its repr hides the session token, the
    signature and the body (which may hold `@sensitive` values).

    A `body_stream` (a `@streaming` blob's file object) is sent instead of `body`, read as it is
    sent: with a `Content-Length` header, exactly that many bytes of it; without one, in chunked
    transfer coding to its end. A transport that cannot send one must refuse the request.
    `stream_response` asks for a successful response's body unread (`HttpResponse.stream`); a
    transport that cannot do that may read it whole instead."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes = b""
    stream_response: bool = False
    body_stream: BodyReader | None = None
    hidden: frozenset[str] = frozenset()
    duplex: bool = False
    """Send `body_stream` from a thread while the response is read (with `stream_response`):
    the server may answer before the body ends, and the body may wait for the answer."""
    """Lowercased names of headers and (percent-encoded) query parameters that hold credentials
    (an API key): hidden in the repr and in error messages, as `Authorization` always is."""

    def __repr__(self) -> str:
        body = "<stream>" if self.body_stream is not None else f"<{len(self.body)} bytes>"
        return (
            f"HttpRequest(method={self.method!r}, url={self.shown_url!r}, "
            f"headers={_shown_headers(self.headers, self.hidden)!r}, body={body})"
        )

    @property
    def shown_url(self) -> str:
        """The URL as a message may show it: credentials in its query hidden."""
        return shown_url(self.url, self.hidden)


@dataclass(frozen=True)
class HttpResponse:
    """One response, read whole, or for a request with `stream_response` with its body unread
    in `stream` (and `body` empty). Its repr hides the body and secret headers, as a request's."""

    status: int
    headers: Mapping[str, str]
    """Header names lowercased; repeated headers joined with ", "."""
    body: bytes
    stream: BodyStream | None = None
    """The body, not yet read, of a successful response to a request with `stream_response`;
    whoever takes it reads and closes it."""

    def __repr__(self) -> str:
        body = "<stream>" if self.stream is not None else f"<{len(self.body)} bytes>"
        return (
            f"HttpResponse(status={self.status!r}, headers={_shown_headers(self.headers)!r}, "
            f"body={body})"
        )


def stream_length(body: BodyReader) -> int | None:
    """How many bytes are left to read of a file object, where it can say so without reading
    (`seek`/`tell`, else `fstat` of its file descriptor); None when it cannot."""
    seek = getattr(body, "seek", None)
    tell = getattr(body, "tell", None)
    if seek is not None and tell is not None:
        try:
            seekable = getattr(body, "seekable", None)
            if seekable is None or seekable():
                here = tell()
                end = seek(0, 2)
                seek(here)
                return max(int(end) - int(here), 0)
        except (OSError, ValueError, TypeError):
            pass
    fileno = getattr(body, "fileno", None)
    if fileno is not None:
        import os
        import stat

        try:
            info = os.fstat(fileno())
        except (OSError, ValueError, TypeError):
            return None
        if stat.S_ISREG(info.st_mode):
            return info.st_size
    return None


class TransportError(Exception):
    """No usable answer came back: the connection failed or timed out, or the server's answer
    could not be read."""

    def __init__(self, message: str, *, url: str, request_sent: bool) -> None:
        super().__init__(f"{message} ({url})")
        self.url = url
        self.request_sent = request_sent
        """Whether the server may have received the request (so a retry might repeat it)."""


class EndpointConnectionError(TransportError):
    """No connection could be made (refused, unreachable, DNS failure, TLS failure)."""


class ConnectTimeoutError(EndpointConnectionError):
    """Connecting took longer than `connect_timeout`."""


class ReadTimeoutError(TransportError):
    """The whole response did not arrive within `read_timeout` after the request was sent."""


class ConnectionClosedError(TransportError):
    """The connection was dropped, or the answer broke HTTP/1.1, before a complete response
    arrived."""


class ResponseTooLargeError(TransportError):
    """The response body is larger than `max_response_bytes`; it was not read. Not retried:
    the same request would get the same answer."""


class Transport(Protocol):
    def send(self, request: HttpRequest) -> HttpResponse: ...

    def close(self) -> None: ...


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.1 this transport can read."""


class _TooLarge(Exception):
    """The body would pass the size limit (turned into `ResponseTooLargeError`)."""


class RequestBodyError(TransportError):
    """A streamed request body could not be sent as announced: reading it failed, or it ended
    before its `Content-Length`."""


_PoolKey = tuple[str, str, int]

_MAX_HEAD_BYTES = 65536
"""The longest status line and header section read, and the longest chunk-size or trailer line."""
_MAX_HEADERS = 100
_MAX_INTERIM_RESPONSES = 16
_MAX_LENGTH_DIGITS = 18  # a longer Content-Length is larger than any limit; int() is not asked
_RECV_SIZE = 65536
_SEND_SIZE = 65536
_NO_BODY_STATUSES = frozenset({204, 304})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HEX_DIGITS = b"0123456789abcdefABCDEF"

# What a response head may hold besides its line ends: visible ASCII, space, tab, and the
# Latin-1 upper half (obs-text); `bytes.translate` deletes these and whatever is left is not.
_HEAD_TEXT = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\r\n"
# In a header value: every control character (C0 with tab, DEL, C1), Unicode's line and
# paragraph separators, and lone surrogates (which UTF-8 cannot carry). Other text is sent in
# UTF-8, as botocore sends it (and signs it).
_BAD_REQUEST_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# The method and header names are RFC 9110 tokens; names are checked at once, joined by ":".
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_TOKENS = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+(?::[!#$%&'*+.^_`|~0-9A-Za-z-]+)*")

# A request target: visible ASCII only (anything else must be percent-encoded).
_TARGET = re.compile(r"[!-~]+")
# A host: visible ASCII but for the characters that end or delimit one ([ ] / \ @).
_HOST = re.compile(r"[!-.0-?A-Z^-~]+")
_MAX_ROUTES = 64


class _Connection:
    """One socket and what has been received but not yet read; used by one request at a time."""

    __slots__ = ("answered", "buffer", "deadline", "duplex", "send_failure", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.answered = False
        """Whether any byte of the current request's response has arrived."""
        self.deadline = 0.0
        """`time.monotonic()` after which the response has taken too long."""
        self.duplex = False
        """Sent and read by two threads at once: the socket's own timeout (set once) bounds
        each send and each read, since one thread's deadline would cut the other's short."""
        self.send_failure: RequestBodyError | None = None
        """Why the body of a duplex request stopped being sent, if its events failed."""

    def idle_and_open(self) -> bool:
        """Whether an idle keep-alive connection can be reused: not closed by the server and
        with nothing unread (stray bytes would be taken for the next response)."""
        if self.buffer:
            return False
        import select

        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def reset_by_peer(self, error: Exception) -> bool:
        """Whether `error` came of the server resetting the connection, which it does to bytes
        that reach a socket it has closed. An end of stream read before the reset arrived
        hides it, but leaves it in the socket's pending error."""
        if isinstance(error, ConnectionResetError | BrokenPipeError):
            return True
        import errno
        import socket

        try:
            pending = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        except OSError:
            return False
        return pending in (errno.ECONNRESET, errno.EPIPE)

    def close(self) -> None:
        self.sock.close()

    def send_all(self, data: bytes) -> None:
        """Send `data` before the deadline: `sendall` is documented to bound the whole send on
        a plain socket only, and the deadline must hold for TLS as well."""
        if self.duplex:
            self.sock.sendall(data)
            return
        with memoryview(data) as view:
            while view:
                remaining = self.deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                self.sock.settimeout(remaining)
                view = view[self.sock.send(view) :]

    def fill(self) -> bool:
        """Receive more; False when the server has closed its side. Each wait gets only the
        time left before the deadline, so a server dripping bytes cannot stretch the call."""
        if not self.duplex:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            self.sock.settimeout(remaining)
        data = self.sock.recv(_RECV_SIZE)
        if not data:
            return False
        self.answered = True
        self.buffer += data
        return True

    def take(self, size: int) -> bytes:
        if size == len(self.buffer):
            data = bytes(self.buffer)
            self.buffer.clear()
            return data
        with memoryview(self.buffer) as view:
            data = bytes(view[:size])
        del self.buffer[:size]
        return data

    def read_head(self) -> tuple[int, str, dict[str, str]]:
        """The final (non-1xx) status line and headers: status, HTTP version, lowercased headers."""
        for _ in range(_MAX_INTERIM_RESPONSES + 1):
            status, version, headers = _parse_head(self._take_head())
            if status >= 200 or status == 101:
                return status, version, headers
        raise ProtocolError(f"more than {_MAX_INTERIM_RESPONSES} interim (1xx) responses")

    def _take_head(self) -> bytes:
        """The head up to its empty line, without the line ends after its last field."""
        searched = 0
        while True:
            # The empty line ends CRLF CRLF, or with bare LFs (which RFC 9112 lets us accept).
            start = max(searched - 2, 0)
            crlf = self.buffer.find(b"\n\r\n", start)
            lf = self.buffer.find(b"\n\n", start)
            if crlf >= 0 or lf >= 0:
                end, skip = (crlf, 3) if lf < 0 or 0 <= crlf < lf else (lf, 2)
                if end > _MAX_HEAD_BYTES:
                    break
                return self.take(end + skip)[:end].removesuffix(b"\r")
            if len(self.buffer) > _MAX_HEAD_BYTES:
                break
            searched = len(self.buffer)
            if not self.fill():
                if self.buffer:
                    raise ProtocolError("the connection closed in the middle of the response head")
                raise ProtocolError("the server closed the connection before answering")
        raise ProtocolError(f"the response head is longer than {_MAX_HEAD_BYTES} bytes")

    def read_line(self) -> bytes:
        """One line of the chunked framing, without its line end."""
        searched = 0
        while True:
            end = self.buffer.find(b"\n", searched)
            if end >= 0:
                return self.take(end + 1).rstrip(b"\r\n")
            if len(self.buffer) > _MAX_HEAD_BYTES:
                raise ProtocolError(f"a chunked-body line is longer than {_MAX_HEAD_BYTES} bytes")
            searched = len(self.buffer)
            if not self.fill():
                raise ProtocolError("the connection closed in the middle of a chunked body")

    def read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self.fill():
                raise ProtocolError(f"the body ended after {len(self.buffer)} of {size} bytes")
        return self.take(size)

    def read_chunked(self, limit: int) -> bytes:
        # One bytearray, not a list of chunks: a million 1-byte chunks would cost 34 MB as bytes.
        body = bytearray()
        while True:
            size_text = self.read_line().split(b";", 1)[0].strip(b" \t")
            # int(text, 16) would also take "0x", "_", signs and spaces: ASCII hex digits only.
            if not size_text or size_text.translate(None, _HEX_DIGITS) or len(size_text) > 16:
                raise ProtocolError(f"not a chunk size: {size_text[:40]!r}")
            size = int(size_text, 16)
            if size == 0:
                break
            if len(body) + size > limit:
                raise _TooLarge
            body += self.read_exactly(size)
            if self.read_exactly(2) != b"\r\n":
                raise ProtocolError("a chunk does not end with CRLF")
        for _ in range(_MAX_HEADERS + 1):
            if not self.read_line():
                return bytes(body)  # trailer fields carry nothing a JSON API needs
        raise ProtocolError(f"more than {_MAX_HEADERS} trailer fields")

    def read_to_close(self, limit: int) -> bytes:
        while self.fill():
            if len(self.buffer) > limit:
                raise _TooLarge
        return self.take(len(self.buffer))

    def read_body(
        self, method: str, status: int, headers: Mapping[str, str], limit: int
    ) -> tuple[bytes, bool]:
        """The body, and whether the connection is spent: the body ended with it, the server
        switched protocols, or it framed the body two ways (a request smuggled past a proxy
        looks like that), so that the next response could not be trusted."""
        if status == 101:
            return b"", True
        if method == "HEAD" or status in _NO_BODY_STATUSES or status < 200:
            return b"", False
        coding = headers.get("transfer-encoding")
        length = headers.get("content-length")
        if coding is not None and "chunked" in coding.lower():
            return self.read_chunked(limit), length is not None
        if length is None:
            return self.read_to_close(limit), True
        # str.isdigit() takes "²" and int() takes Arabic-Indic digits: ASCII digits only.
        if not (length.isascii() and length.isdigit()):
            raise ProtocolError(f"Content-Length {length[:40]!r} is not a number")
        if len(length) > _MAX_LENGTH_DIGITS or int(length) > limit:
            raise _TooLarge
        return self.read_exactly(int(length)), False


def _parse_head(head: bytes) -> tuple[int, str, dict[str, str]]:
    if head.translate(None, _HEAD_TEXT):
        raise ProtocolError("the response head holds a control character")
    try:  # header values in UTF-8, as requests carry them; else Latin-1 (obs-text), byte for byte
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    line_ends = text.count("\n")
    if text.count("\r") == line_ends:
        status_line, *lines = text.split("\r\n")
        if len(lines) != line_ends:  # a CR and an LF, but not together
            raise ProtocolError("the response head holds a CR that does not end a line")
    elif "\r" in text.replace("\r\n", ""):
        raise ProtocolError("the response head holds a CR that does not end a line")
    else:  # some lines end with a bare LF
        status_line, *lines = text.replace("\r\n", "\n").split("\n")
    version, _, rest = status_line.partition(" ")
    code = rest[:3]
    if (
        not version.startswith("HTTP/1.")
        or not (code.isascii() and code.isdigit())
        or rest[3:4] not in ("", " ")
        or code < "100"
    ):
        raise ProtocolError(f"not an HTTP/1.x status line: {status_line[:200]!r}")
    if len(lines) > _MAX_HEADERS:
        raise ProtocolError(f"more than {_MAX_HEADERS} headers")
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        # A name with whitespace around it (or a folded line) could be read two ways.
        if not colon or not name or name[0] in " \t" or name[-1] in " \t":
            raise ProtocolError(f"not a header line: {line[:200]!r}")
        name, value = name.lower(), value.strip(" \t")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return int(code), version, headers


def _split_url(url: str) -> tuple[_PoolKey, str]:
    """(scheme, host, port) and the request target of an absolute http(s) URL."""
    scheme, separator, rest = url.partition("://")
    scheme = scheme.lower()
    if not separator or scheme not in _DEFAULT_PORTS:
        raise ValueError("not an http or https URL")
    authority, slash, path = rest.partition("/")
    authority, _, query = authority.partition("?")
    target = slash + path if slash else "/"
    if query and not slash:
        target = f"/?{query}"
    target = target.partition("#")[0] or "/"
    host, port = authority.rpartition("@")[2], ""
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            raise ValueError("unclosed [ in the host")
        host, port = host[1:end], host[end + 1 :].removeprefix(":")
    elif ":" in host:
        host, port = host.rsplit(":", 1)
    if not host:
        raise ValueError("no host")
    if not _HOST.fullmatch(host):
        raise ValueError(f"host {host!r} holds a character a host name cannot have")
    if port and not (port.isascii() and port.isdigit() and len(port) <= 5):
        raise ValueError(f"port {port!r} is not a number")
    number = int(port) if port else _DEFAULT_PORTS[scheme]
    if not 0 < number < 65536:
        raise ValueError(f"port {number} is out of range")
    if not _TARGET.fullmatch(target):
        raise ValueError(
            f"the path or query {target[:200]!r} holds a space, a control character or "
            "non-ASCII text (which must be percent-encoded)"
        )
    return (scheme, host, number), target


def _request_head(request: HttpRequest, key: _PoolKey, target: str) -> bytes:
    headers = request.headers
    # One check for every name and one for every value: the head is built for each request.
    if not _TOKENS.fullmatch(":".join((request.method, *headers))) or _BAD_REQUEST_CHARACTER.search(
        "".join(headers.values())
    ):
        _refuse(request)
    lines = [f"{request.method} {target} HTTP/1.1"]
    names: set[str] = set()
    for name, value in headers.items():
        names.add(name.lower())
        lines.append(f"{name}: {value}")
    if "host" not in names:
        scheme, host, port = key
        shown = f"[{host}]" if ":" in host else host
        lines.append(
            f"Host: {shown}" if port == _DEFAULT_PORTS[scheme] else f"Host: {shown}:{port}"
        )
    if request.body_stream is not None:
        if "content-length" not in names and "transfer-encoding" not in names:
            lines.append("Transfer-Encoding: chunked")
    elif "content-length" not in names and (request.body or request.method in {"POST", "PUT"}):
        lines.append(f"Content-Length: {len(request.body)}")
    lines.append("\r\n")
    # The request line and names are ASCII (checked); values go as UTF-8, like botocore's.
    return "\r\n".join(lines).encode()


def _refuse(request: HttpRequest) -> None:
    """Raise ValueError naming what cannot go into the request head (never a value: it may be
    a credential)."""
    if not _TOKEN.fullmatch(request.method):
        raise ValueError(f"method {request.method[:40]!r} cannot be sent: it is not a token")
    for name, value in request.headers.items():
        if not _TOKEN.fullmatch(name) or _BAD_REQUEST_CHARACTER.search(value):
            raise ValueError(
                f"header {name[:100]!r} cannot be sent: its name is not a token, or its value "
                "holds a control character (CR, LF, ...), a line separator or a lone surrogate"
            )


def _keeps_alive(version: str, headers: Mapping[str, str]) -> bool:
    tokens = {token.strip().lower() for token in headers.get("connection", "").split(",")}
    if version == "HTTP/1.0":
        return "keep-alive" in tokens
    return "close" not in tokens


class HttpTransport:
    """Thread-safe: a connection is used by one request at a time, then returned to the pool.

    `read_timeout` bounds each exchange as a whole, from sending the request to the end of the
    response; `max_response_bytes` bounds the body (a larger one raises `ResponseTooLargeError`
    without being read).
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        for name, seconds in (("connect_timeout", connect_timeout), ("read_timeout", read_timeout)):
            # A deadline needs a finite number; None (wait forever) is not one.
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise TypeError(f"{name} must be a number of seconds, not {seconds!r}")
            if not 0 < seconds < 1e9:
                raise ValueError(f"{name} must be above 0 and finite, not {seconds!r}")
        if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int):
            raise TypeError(f"max_response_bytes must be an int, not {max_response_bytes!r}")
        if max_response_bytes < 0:
            raise ValueError(f"max_response_bytes must not be negative, not {max_response_bytes}")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_pool_connections = max_pool_connections
        self.max_response_bytes = max_response_bytes
        self._ssl_context = ssl_context
        self._idle: dict[_PoolKey, list[_Connection]] = {}
        self._routes: dict[str, tuple[_PoolKey, str]] = {}
        """URL -> what `_split_url` makes of it, for the few URLs a client sends to."""
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"HttpTransport(connect_timeout={self.connect_timeout!r}, "
            f"read_timeout={self.read_timeout!r}, "
            f"max_pool_connections={self.max_pool_connections!r}, "
            f"max_response_bytes={self.max_response_bytes!r})"
        )

    def _context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            import ssl

            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def _connect(self, key: _PoolKey, url: str) -> _Connection:
        import socket

        scheme, host, port = key
        try:
            sock = socket.create_connection((host, port), timeout=self.connect_timeout)
        except TimeoutError:
            raise ConnectTimeoutError(
                f"connecting timed out after {self.connect_timeout} s", url=url, request_sent=False
            ) from None
        except (OSError, UnicodeError) as error:  # UnicodeError: a host IDNA cannot encode
            raise EndpointConnectionError(
                f"could not connect: {error}", url=url, request_sent=False
            ) from None
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == "https":
                sock = self._context().wrap_socket(sock, server_hostname=host)
        except TimeoutError:
            sock.close()
            raise ConnectTimeoutError(
                f"the TLS handshake timed out after {self.connect_timeout} s",
                url=url,
                request_sent=False,
            ) from None
        except (OSError, UnicodeError) as error:  # ssl.SSLError included
            sock.close()
            raise EndpointConnectionError(
                f"could not connect: {error}", url=url, request_sent=False
            ) from None
        return _Connection(sock)

    def _checkout(
        self, key: _PoolKey, url: str, *, fresh: bool = False
    ) -> tuple[_Connection, bool]:
        """A connection for one request, and whether it was reused from the pool: an idle
        one the server has not closed (a zero-timeout readability check), else a new one
        (always with `fresh`)."""
        while not fresh:
            with self._lock:
                idle = self._idle.get(key)
                connection = idle.pop() if idle else None
            if connection is None:
                break
            if connection.idle_and_open():
                connection.answered = False
                return connection, True
            connection.close()
        return self._connect(key, url), False

    def _checkin(self, key: _PoolKey, connection: _Connection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self.max_pool_connections:
                idle.append(connection)
                return
        connection.close()

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send `request` and read its response. Raises `ValueError` for a request that cannot
        be sent as it is (before connecting) and a `TransportError` for everything else.

        A server may close an idle keep-alive connection at any moment, so one can pass the
        readability check and be closed by the time the request arrives. Where the server
        then resets the connection before a byte of the answer (its side was closed: what was
        sent went unread), the request is sent once more on a new connection, if its body can
        be sent again; a connection closed without a reset (the server may have read the
        request) is reported, for the retry policy to judge."""
        return self._send(request, fresh=False)

    def _send(self, request: HttpRequest, *, fresh: bool) -> HttpResponse:
        url = request.shown_url  # for messages: the request's own may hold an API key
        route = self._routes.get(request.url)
        if route is None:
            try:
                route = _split_url(request.url)
            except ValueError as error:
                raise EndpointConnectionError(
                    f"unsupported endpoint URL: {error}", url=url, request_sent=False
                ) from None
            if len(self._routes) >= _MAX_ROUTES:
                self._routes.clear()
            self._routes[request.url] = route
        key, target = route
        head = _request_head(request, key, target)
        connection, reused = self._checkout(key, url, fresh=fresh)
        sent = False
        try:
            connection.deadline = time.monotonic() + self.read_timeout
            if request.body_stream is None:
                connection.send_all(head + request.body)
            elif request.duplex and request.stream_response:
                connection.duplex = True
                connection.sock.settimeout(self.read_timeout)
                connection.send_all(head)
                self._send_beside(connection, request.headers, request.body_stream, url)
            else:
                connection.send_all(head)
                self._send_stream(connection, request.headers, request.body_stream, url)
            sent = True
            status, version, headers = connection.read_head()
            if (
                request.stream_response
                and 200 <= status < 300
                and status not in _NO_BODY_STATUSES
                and request.method != "HEAD"
            ):
                stream = _ResponseStream(self, key, connection, url, headers, version)
                return HttpResponse(status=status, headers=headers, body=b"", stream=stream)
            body, spent = connection.read_body(
                request.method, status, headers, self.max_response_bytes
            )
            if connection.duplex:
                connection.close()
        except RequestBodyError:
            connection.close()
            raise
        except TimeoutError:
            connection.close()
            raise ReadTimeoutError(
                f"no complete response within {self.read_timeout} s", url=url, request_sent=True
            ) from None
        except _TooLarge:
            connection.close()
            raise ResponseTooLargeError(
                f"the response body is larger than max_response_bytes={self.max_response_bytes}",
                url=url,
                request_sent=True,
            ) from None
        except (ProtocolError, OSError) as error:
            unread = reused and not connection.answered and connection.reset_by_peer(error)
            connection.close()
            if connection.send_failure is not None:  # the body's events failed: say so
                raise connection.send_failure from None
            if unread and request.body_stream is None:
                return self._send(request, fresh=True)
            raise ConnectionClosedError(
                f"connection dropped: {error or type(error).__name__}", url=url, request_sent=sent
            ) from None
        if connection.duplex:
            return HttpResponse(status=status, headers=headers, body=body)
        if spent or not _keeps_alive(version, headers):
            connection.close()
        else:
            self._checkin(key, connection)
        return HttpResponse(status=status, headers=headers, body=body)

    def _send_beside(
        self, connection: _Connection, headers: Mapping[str, str], body: BodyReader, url: str
    ) -> None:
        """Send a duplex request's body from a thread of its own. If its events fail, the
        connection is shut so the reader stops at once and raises that failure; if the server
        stops reading (it answered, and closed), the rest is not sent."""

        def send() -> None:
            try:
                self._send_stream(connection, headers, body, url, eager=True)
            except RequestBodyError as error:
                connection.send_failure = error
                import contextlib
                import socket

                with contextlib.suppress(OSError):
                    connection.sock.shutdown(socket.SHUT_RDWR)
            except (OSError, ValueError):
                pass  # the connection is gone: the reader finds out and says so

        threading.Thread(target=send, name=f"send {url}", daemon=True).start()

    def _send_stream(
        self,
        connection: _Connection,
        headers: Mapping[str, str],
        body: BodyReader,
        url: str,
        *,
        eager: bool = False,
    ) -> None:
        """Send a file object's bytes as they are read: exactly `Content-Length` of them where
        the headers give one, else all of them in chunked transfer coding. Each write gets
        `read_timeout` of its own, so a large body is not cut off by one deadline. `eager`
        sends what the body's `read1` has at once, where it has one (a duplex request's
        events), rather than waiting for a full buffer."""
        read = getattr(body, "read1", body.read) if eager else body.read
        length_text = next(
            (value for name, value in headers.items() if name.lower() == "content-length"), None
        )
        left = int(length_text) if length_text is not None else None
        sent = 0
        while left is None or left > 0:
            size = _SEND_SIZE if left is None else min(_SEND_SIZE, left)
            try:
                chunk = read(size)
            except (OSError, ValueError) as error:
                raise RequestBodyError(
                    f"reading the request body failed after {sent} bytes: {error}",
                    url=url,
                    request_sent=True,
                ) from None
            if not isinstance(chunk, bytes | bytearray):
                raise RequestBodyError(
                    f"the request body's read() gave {type(chunk).__name__}, not bytes",
                    url=url,
                    request_sent=sent > 0,
                )
            connection.deadline = time.monotonic() + self.read_timeout
            if not chunk:
                if left is not None:
                    raise RequestBodyError(
                        f"the request body ended after {sent} of the {length_text} bytes "
                        "its Content-Length announced",
                        url=url,
                        request_sent=True,
                    )
                break
            sent += len(chunk)
            if left is None:
                connection.send_all(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            else:
                left -= len(chunk)
                connection.send_all(bytes(chunk))
        if left is None:
            connection.send_all(b"0\r\n\r\n")
        connection.deadline = time.monotonic() + self.read_timeout

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            pools, self._idle = self._idle, {}
        for connections in pools.values():
            for connection in connections:
                connection.close()


class _ResponseStream:
    """The body of a response, read as the caller asks for it (`BodyStream`).

    It holds the connection: when the body has been read to its end the connection goes back to
    the pool (if the server keeps it alive), and `close` before the end closes it. A body framed
    by `Content-Length` that ends early reads as ended (`b""`): the caller, which knows the
    length it expected, says so (`_runtime.StreamingBody`). Failures are `TransportError`s."""

    __slots__ = (
        "_chunk_left",
        "_connection",
        "_done",
        "_framing",
        "_keep_alive",
        "_key",
        "_left",
        "_transport",
        "_url",
    )

    def __init__(
        self,
        transport: HttpTransport,
        key: _PoolKey,
        connection: _Connection,
        url: str,
        headers: Mapping[str, str],
        version: str,
    ) -> None:
        self._transport = transport
        self._key = key
        self._connection: _Connection | None = connection
        self._url = url
        self._done = False
        self._chunk_left = 0
        self._left = 0
        coding = headers.get("transfer-encoding")
        length = headers.get("content-length")
        # A body framed two ways leaves the connection unusable after it (see `read_body`); a
        # duplex request may still be sending its own.
        self._keep_alive = (
            _keeps_alive(version, headers) and not (coding and length) and not connection.duplex
        )
        if coding is not None and "chunked" in coding.lower():
            self._framing = "chunked"
        elif length is not None:
            if not (length.isascii() and length.isdigit()) or len(length) > _MAX_LENGTH_DIGITS:
                connection.close()
                raise ConnectionClosedError(
                    f"connection dropped: Content-Length {length[:40]!r} is not a number",
                    url=url,
                    request_sent=True,
                )
            self._framing = "length"
            self._left = int(length)
        else:
            self._framing = "close"
            self._keep_alive = False

    def read(self, size: int = -1, /) -> bytes:
        """`size` bytes of the body (all the rest for a negative `size`), fewer only at its
        end; `b""` after it."""
        return self._read(size, whole=True)

    def read1(self, size: int = -1, /) -> bytes:
        """What has arrived of the body, at most `size` bytes (waiting only for the first);
        `b""` after its end. An event stream reads its frames as they come with this."""
        return self._read(size, whole=False)

    def _read(self, size: int, *, whole: bool) -> bytes:
        connection = self._connection
        if self._done or connection is None:
            return b""
        out = bytearray()
        try:
            while size < 0 or len(out) < size:
                connection.deadline = time.monotonic() + self._transport.read_timeout
                piece = self._read_some(connection, _RECV_SIZE if size < 0 else size - len(out))
                out += piece
                if not piece or not whole:
                    break
        except TimeoutError:
            self._abandon()
            raise ReadTimeoutError(
                f"no more of the response body within {self._transport.read_timeout} s",
                url=self._url,
                request_sent=True,
            ) from None
        except (ProtocolError, OSError) as error:
            self._abandon()
            if connection.send_failure is not None:  # the request's events failed: say so
                raise connection.send_failure from None
            raise ConnectionClosedError(
                f"connection dropped: {error or type(error).__name__}",
                url=self._url,
                request_sent=True,
            ) from None
        return bytes(out)

    def _read_some(self, connection: _Connection, most: int) -> bytes:
        """Some of the body, at most `most` bytes; b"" at its end."""
        if self._framing == "length":
            if self._left == 0:
                self._finish(reusable=True)
                return b""
            if not connection.buffer and not connection.fill():
                self._finish(reusable=False)  # cut short; the caller says by how much
                return b""
            data = connection.take(min(most, self._left, len(connection.buffer)))
            self._left -= len(data)
            if self._left == 0:
                self._finish(reusable=True)
            return data
        if self._framing == "close":
            if not connection.buffer and not connection.fill():
                self._finish(reusable=False)
                return b""
            return connection.take(min(most, len(connection.buffer)))
        if self._chunk_left == 0:
            size_text = connection.read_line().split(b";", 1)[0].strip(b" \t")
            if not size_text or size_text.translate(None, _HEX_DIGITS) or len(size_text) > 16:
                raise ProtocolError(f"not a chunk size: {size_text[:40]!r}")
            self._chunk_left = int(size_text, 16)
            if self._chunk_left == 0:
                for _ in range(_MAX_HEADERS + 1):
                    if not connection.read_line():
                        self._finish(reusable=True)
                        return b""
                raise ProtocolError(f"more than {_MAX_HEADERS} trailer fields")
        if not connection.buffer and not connection.fill():
            raise ProtocolError("the connection closed in the middle of a chunked body")
        data = connection.take(min(most, self._chunk_left, len(connection.buffer)))
        self._chunk_left -= len(data)
        if self._chunk_left == 0 and connection.read_exactly(2) != b"\r\n":
            raise ProtocolError("a chunk does not end with CRLF")
        return data

    def _finish(self, *, reusable: bool) -> None:
        connection, self._connection = self._connection, None
        self._done = True
        if connection is None:
            return
        if reusable and self._keep_alive and not connection.buffer:
            self._transport._checkin(self._key, connection)
        else:
            connection.close()

    def _abandon(self) -> None:
        self._finish(reusable=False)

    def close(self) -> None:
        """Release the connection: back to the pool if the body was read to its end, closed
        if not (the rest of the body would be taken for the next response)."""
        if not self._done:
            self._abandon()
