"""HTTP transport of the generated client: `http.client` with a small keep-alive pool.

The client talks to a `Transport`; tests and users can pass their own. `HttpTransport` keeps one
idle connection per (scheme, host, port) up to `max_pool_connections`, verifies TLS with the
system's trust store by default, and turns socket-level failures into the exceptions below, each
saying whether the request may have reached the server (which decides whether a retry is safe).
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


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


_PoolKey = tuple[str, str, int]


def _dropped(connection: http.client.HTTPConnection) -> bool:
    """Whether an idle keep-alive connection was closed by the server (or has stray data)."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


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
        self._idle: dict[_PoolKey, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def _context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def _checkout(self, key: _PoolKey) -> http.client.HTTPConnection:
        while True:
            with self._lock:
                idle = self._idle.get(key)
                connection = idle.pop() if idle else None
            if connection is None:
                break
            if not _dropped(connection):
                return connection
            connection.close()
        scheme, host, port = key
        if scheme == "https":
            return http.client.HTTPSConnection(
                host, port, timeout=self.connect_timeout, context=self._context()
            )
        return http.client.HTTPConnection(host, port, timeout=self.connect_timeout)

    def _checkin(self, key: _PoolKey, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self.max_pool_connections:
                idle.append(connection)
                return
        connection.close()

    def send(self, request: HttpRequest) -> HttpResponse:
        parts = urllib.parse.urlsplit(request.url)
        scheme = parts.scheme.lower()
        if scheme not in {"http", "https"} or not parts.hostname:
            raise EndpointConnectionError(
                "unsupported endpoint URL", url=request.url, request_sent=False
            )
        port = parts.port or (443 if scheme == "https" else 80)
        key = (scheme, parts.hostname, port)
        target = parts.path or "/"
        if parts.query:
            target = f"{target}?{parts.query}"
        return self._exchange(self._checkout(key), key, request, target)

    def _exchange(
        self,
        connection: http.client.HTTPConnection,
        key: _PoolKey,
        request: HttpRequest,
        target: str,
    ) -> HttpResponse:
        url = request.url
        if connection.sock is None:
            try:
                connection.connect()
            except TimeoutError:
                connection.close()
                raise ConnectTimeoutError(
                    f"connecting timed out after {self.connect_timeout} s",
                    url=url,
                    request_sent=False,
                ) from None
            except (OSError, ssl.SSLError) as error:
                connection.close()
                raise EndpointConnectionError(
                    f"could not connect: {error}", url=url, request_sent=False
                ) from None
        assert connection.sock is not None
        connection.sock.settimeout(self.read_timeout)
        sent = False
        try:
            # A Host header that was signed is sent as it is; http.client must not add another.
            has_host = any(name.lower() == "host" for name in request.headers)
            connection.putrequest(
                request.method, target, skip_host=has_host, skip_accept_encoding=True
            )
            for name, value in request.headers.items():
                connection.putheader(name, value)
            connection.endheaders(request.body)
            sent = True
            response = connection.getresponse()
            body = response.read()
        except TimeoutError:
            connection.close()
            raise ReadTimeoutError(
                f"no response within {self.read_timeout} s", url=url, request_sent=True
            ) from None
        except (http.client.HTTPException, OSError) as error:
            connection.close()
            raise ConnectionClosedError(
                f"connection dropped: {error or type(error).__name__}", url=url, request_sent=sent
            ) from None
        headers: dict[str, str] = {}
        for name, value in response.getheaders():
            lowered = name.lower()
            headers[lowered] = f"{headers[lowered]}, {value}" if lowered in headers else value
        if response.will_close:
            connection.close()
        else:
            self._checkin(key, connection)
        return HttpResponse(status=response.status, headers=headers, body=body)

    def close(self) -> None:
        with self._lock:
            pools, self._idle = self._idle, {}
        for connections in pools.values():
            for connection in connections:
                connection.close()
