"""HTTP transport of the generated client: HTTP/1.1 on plain sockets, with a small keep-alive pool.

The client talks to a `Transport`; tests and users can pass their own. `HttpTransport` keeps one
idle connection per (scheme, host, port) up to `max_pool_connections`, verifies TLS with the
system's trust store by default, and turns socket-level failures into the exceptions below, each
saying whether the request may have reached the server (which decides whether a retry is safe).

It speaks just the HTTP/1.1 a JSON API needs, without `http.client` (whose import and per-response
header parsing cost more than the rest of a call): the request leaves in one write, and the
response is read by Content-Length, chunked transfer coding, or until the server closes. Modules
are imported when first needed, so building a client costs no socket or TLS set-up.

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
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import socket
    import ssl

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""The largest response body read by default (64 MiB); a larger one is refused unread."""

_SECRET_HEADERS = frozenset({"x-amz-security-token", "proxy-authorization", "cookie"})
_SIGNATURE = "Signature="


def _shown_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers as a repr may show them: the session token and signatures hidden."""
    shown = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered == "authorization":
            # Credential and SignedHeaders help debugging and are not secret; the signature is.
            kept, marker, _ = value.partition(_SIGNATURE)
            value = f"{kept}{_SIGNATURE}<hidden>" if marker else "<hidden>"
        elif lowered in _SECRET_HEADERS:
            value = "<hidden>"
        shown[name] = value
    return shown


@dataclass(frozen=True)
class HttpRequest:
    """One request as the transport sends it. Its repr hides the session token, the
    signature and the body (which may hold `@sensitive` values)."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes = b""

    def __repr__(self) -> str:
        return (
            f"HttpRequest(method={self.method!r}, url={self.url!r}, "
            f"headers={_shown_headers(self.headers)!r}, body=<{len(self.body)} bytes>)"
        )


@dataclass(frozen=True)
class HttpResponse:
    """One response, read whole. Its repr hides the body and secret headers, as a request's."""

    status: int
    headers: Mapping[str, str]
    """Header names lowercased; repeated headers joined with ", "."""
    body: bytes

    def __repr__(self) -> str:
        return (
            f"HttpResponse(status={self.status!r}, headers={_shown_headers(self.headers)!r}, "
            f"body=<{len(self.body)} bytes>)"
        )


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


_PoolKey = tuple[str, str, int]

_MAX_HEAD_BYTES = 65536
"""The longest status line and header section read, and the longest chunk-size or trailer line."""
_MAX_HEADERS = 100
_MAX_INTERIM_RESPONSES = 16
_MAX_LENGTH_DIGITS = 18  # a longer Content-Length is larger than any limit; int() is not asked
_RECV_SIZE = 65536
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

    __slots__ = ("buffer", "deadline", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.deadline = 0.0
        """`time.monotonic()` after which the response has taken too long."""

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

    def close(self) -> None:
        self.sock.close()

    def send_all(self, data: bytes) -> None:
        """Send `data` before the deadline: `sendall` is documented to bound the whole send on
        a plain socket only, and the deadline must hold for TLS as well."""
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
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self.sock.settimeout(remaining)
        data = self.sock.recv(_RECV_SIZE)
        if not data:
            return False
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
    if "content-length" not in names and (request.body or request.method in {"POST", "PUT"}):
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

    def _checkout(self, key: _PoolKey, url: str) -> _Connection:
        while True:
            with self._lock:
                idle = self._idle.get(key)
                connection = idle.pop() if idle else None
            if connection is None:
                return self._connect(key, url)
            if connection.idle_and_open():
                return connection
            connection.close()

    def _checkin(self, key: _PoolKey, connection: _Connection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self.max_pool_connections:
                idle.append(connection)
                return
        connection.close()

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send `request` and read its response. Raises `ValueError` for a request that cannot
        be sent as it is (before connecting) and a `TransportError` for everything else."""
        url = request.url
        route = self._routes.get(url)
        if route is None:
            try:
                route = _split_url(url)
            except ValueError as error:
                raise EndpointConnectionError(
                    f"unsupported endpoint URL: {error}", url=url, request_sent=False
                ) from None
            if len(self._routes) >= _MAX_ROUTES:
                self._routes.clear()
            self._routes[url] = route
        key, target = route
        head = _request_head(request, key, target)
        connection = self._checkout(key, url)
        sent = False
        try:
            connection.deadline = time.monotonic() + self.read_timeout
            connection.send_all(head + request.body)
            sent = True
            status, version, headers = connection.read_head()
            body, spent = connection.read_body(
                request.method, status, headers, self.max_response_bytes
            )
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
            connection.close()
            raise ConnectionClosedError(
                f"connection dropped: {error or type(error).__name__}", url=url, request_sent=sent
            ) from None
        if spent or not _keeps_alive(version, headers):
            connection.close()
        else:
            self._checkin(key, connection)
        return HttpResponse(status=status, headers=headers, body=body)

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
