"""HTTP transport of the generated client: HTTP/1.1 on plain sockets, with a small keep-alive pool.

The client talks to a `Transport`; tests and users can pass their own. `HttpTransport` keeps one
idle connection per (scheme, host, port) up to `max_pool_connections`, verifies TLS with the
system's trust store by default, and turns socket-level failures into the exceptions below, each
saying whether the request may have reached the server (which decides whether a retry is safe).

It speaks just the HTTP/1.1 a JSON API needs, without `http.client` (whose import and per-response
header parsing cost more than the rest of a call): the request leaves in one write, and the
response is read by Content-Length, chunked transfer coding, or until the server closes. Modules
are imported when first needed, so building a client costs no socket or TLS set-up.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    import socket
    import ssl


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    """Header names lowercased; repeated headers joined with ", "."""
    body: bytes = field(repr=False)


class TransportError(Exception):
    """The request could not be completed at the HTTP level."""

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
    """The server did not answer within `read_timeout` after the request was sent."""


class ConnectionClosedError(TransportError):
    """The connection was dropped before a complete response arrived."""


class Transport(Protocol):
    def send(self, request: HttpRequest) -> HttpResponse: ...

    def close(self) -> None: ...


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.1 this transport can read."""


_PoolKey = tuple[str, str, int]

_MAX_LINE = 65536
_MAX_HEADERS = 100
_NO_BODY_STATUSES = frozenset({204, 304})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class _Connection:
    """One socket and its buffered reader; used by one request at a time."""

    __slots__ = ("reader", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader: BinaryIO = sock.makefile("rb")

    def idle_and_open(self) -> bool:
        """Whether an idle keep-alive connection can be reused: not closed by the server and
        with nothing unread (stray bytes would be taken for the next response)."""
        import select

        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


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
    if port and not port.isdigit():
        raise ValueError(f"port {port!r} is not a number")
    number = int(port) if port else _DEFAULT_PORTS[scheme]
    return (scheme, host, number), target


def _request_head(request: HttpRequest, key: _PoolKey, target: str) -> bytes:
    lines = [f"{request.method} {target} HTTP/1.1"]
    names: set[str] = set()
    for name, value in request.headers.items():
        if not name or any(char in name for char in " \t\r\n:") or "\r" in value or "\n" in value:
            raise ValueError(f"header {name!r} cannot be sent: a name or value breaks the line")
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
    return "\r\n".join(lines).encode("latin-1")


def _read_line(reader: BinaryIO) -> bytes:
    line = reader.readline(_MAX_LINE + 1)
    if len(line) > _MAX_LINE:
        raise ProtocolError("a response line is too long")
    if not line:
        raise ProtocolError("the server closed the connection before answering")
    return line


def _read_head(reader: BinaryIO) -> tuple[int, str, dict[str, str]]:
    """The final (non-1xx) status line and headers: status, HTTP version, lowercased headers."""
    while True:
        version, _, rest = _read_line(reader).decode("latin-1").rstrip("\r\n").partition(" ")
        code = rest[:3]
        if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit():
            raise ProtocolError(f"not an HTTP/1.x status line: {version} {rest}"[:200])
        headers: dict[str, str] = {}
        for _ in range(_MAX_HEADERS + 1):
            line = _read_line(reader)
            if line in (b"\r\n", b"\n"):
                break
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon:
                raise ProtocolError(f"not a header line: {line[:200]!r}")
            name, value = name.strip().lower(), value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        else:
            raise ProtocolError(f"more than {_MAX_HEADERS} headers")
        status = int(code)
        if status >= 200 or status == 101:
            return status, version, headers


def _read_exactly(reader: BinaryIO, size: int) -> bytes:
    data = reader.read(size)
    if len(data) != size:
        raise ProtocolError(f"the body ended after {len(data)} of {size} bytes")
    return data


def _read_chunked(reader: BinaryIO) -> bytes:
    chunks: list[bytes] = []
    while True:
        size_text = _read_line(reader).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise ProtocolError(f"not a chunk size: {size_text[:40]!r}") from None
        if size == 0:
            break
        chunks.append(_read_exactly(reader, size))
        _read_exactly(reader, 2)
    while _read_line(reader) not in (b"\r\n", b"\n"):
        pass  # trailer fields carry nothing a JSON API needs
    return b"".join(chunks)


def _read_body(
    reader: BinaryIO, method: str, status: int, headers: Mapping[str, str]
) -> tuple[bytes, bool]:
    """The body, and whether it ended with the connection (which then cannot be reused)."""
    if method == "HEAD" or status in _NO_BODY_STATUSES or status < 200:
        return b"", False
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return _read_chunked(reader), False
    length = headers.get("content-length")
    if length is not None:
        if not length.isdigit():
            raise ProtocolError(f"Content-Length {length[:40]!r} is not a number")
        return _read_exactly(reader, int(length)), False
    return reader.read(), True


def _keeps_alive(version: str, headers: Mapping[str, str]) -> bool:
    tokens = {token.strip().lower() for token in headers.get("connection", "").split(",")}
    if version == "HTTP/1.0":
        return "keep-alive" in tokens
    return "close" not in tokens


class HttpTransport:
    """Thread-safe: a connection is used by one request at a time, then returned to the pool."""

    def __init__(
        self,
        *,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_pool_connections: int = 10,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_pool_connections = max_pool_connections
        self._ssl_context = ssl_context
        self._idle: dict[_PoolKey, list[_Connection]] = {}
        self._lock = threading.Lock()

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
        except OSError as error:
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
        except OSError as error:  # ssl.SSLError included: an untrusted certificate ends here
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
        url = request.url
        try:
            key, target = _split_url(url)
        except ValueError as error:
            raise EndpointConnectionError(
                f"unsupported endpoint URL: {error}", url=url, request_sent=False
            ) from None
        head = _request_head(request, key, target)
        connection = self._checkout(key, url)
        sent = False
        try:
            connection.sock.settimeout(self.read_timeout)
            connection.sock.sendall(head + request.body)
            sent = True
            status, version, headers = _read_head(connection.reader)
            body, ended = _read_body(connection.reader, request.method, status, headers)
        except TimeoutError:
            connection.close()
            raise ReadTimeoutError(
                f"no response within {self.read_timeout} s", url=url, request_sent=True
            ) from None
        except (ProtocolError, OSError) as error:
            connection.close()
            raise ConnectionClosedError(
                f"connection dropped: {error or type(error).__name__}", url=url, request_sent=sent
            ) from None
        if ended or not _keeps_alive(version, headers):
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
