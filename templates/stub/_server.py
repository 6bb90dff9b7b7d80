"""Serve a WSGI application on `http.server.ThreadingHTTPServer`, HTTP/1.1 with keep-alive.

Each response leaves in one write (status line, headers and body together) with Nagle's
algorithm off, so a keep-alive client never waits on a delayed ACK. A request whose body the
application did not read whole closes its connection, so the next request cannot be read from
the middle of the old body. Malformed requests (a header flood, an over-long line) get
`http.server`'s own 4xx, and the server goes on serving.

`StubServer` runs it on a background thread: as a context manager in tests, or from `serve`
on the command line, where SIGINT and SIGTERM stop it cleanly.
"""

from __future__ import annotations

import io
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any

from ._app import DROP_CONNECTION_KEY

_LOG = logging.getLogger(__name__.rpartition(".")[0])

# `__type` of the errors `http.server` raises before the application sees a request.
_ERROR_TYPES = {
    400: "BadRequestException",
    414: "RequestUriTooLongException",
    431: "RequestHeaderFieldsTooLargeException",
    501: "NotImplementedException",
}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Body(io.RawIOBase):
    """`wsgi.input`: the request body, never read past its Content-Length."""

    def __init__(self, stream: io.BufferedIOBase, length: int) -> None:
        self._stream = stream
        self.remaining = length

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


class _Gateway(BaseHTTPRequestHandler):
    """Turns each HTTP request into one WSGI call."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def _run(self) -> None:
        length_header = self.headers.get("Content-Length", "")
        length = int(length_header) if length_header.isdigit() else 0
        body = _Body(self.rfile, length)
        dropped: list[bool] = []
        environ = self._environ(body)
        environ[DROP_CONNECTION_KEY] = lambda: dropped.append(True)
        status_and_headers: list[Any] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            status_and_headers[:] = [status, headers]
            return lambda data: None

        chunks = self.server.app(environ, start_response)
        try:
            payload = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if callable(close):
                close()
        if dropped:
            self.close_connection = True
            return
        status, headers = status_and_headers
        closing = any(name.lower() == "connection" for name, _ in headers)
        if body.remaining and not closing:
            # What is left of the body would be read as the next request: close instead.
            headers = [*headers, ("Connection", "close")]
            closing = True
        if closing or self.headers.get("Connection", "").lower() == "close":
            self.close_connection = True
        lines = [f"{self.protocol_version} {status}", f"Server: {self.server.server_name_header}"]
        lines += [f"Date: {self.date_time_string()}"]
        lines += [f"{name}: {value}" for name, value in headers]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + payload)
        self.log_request(status.split(" ", 1)[0], len(payload))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _run

    def _environ(self, body: _Body) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": body,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = name.upper().replace("-", "_")
            if key in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
                environ[key] = value
            else:
                key = "HTTP_" + key
                environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """`http.server`'s own refusals (bad request line, header flood, over-long line) as JSON
        errors, like every other answer of the stub; the connection is closed after them."""
        self.close_connection = True
        text = message or self.responses.get(code, ("Error",))[0]
        body = json.dumps(
            {"__type": _ERROR_TYPES.get(code, "BadRequestException"), "message": text}
        )
        reason = self.responses.get(code, ("Error",))[0]
        head = (
            f"HTTP/1.1 {code} {reason}\r\nServer: {self.server.server_name_header}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        self.log_error("refused: %d %s", code, text)
        self.wfile.write(head.encode("latin-1") + body.encode())

    def log_message(self, format: str, *args: Any) -> None:
        _LOG.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: WsgiApp, request_timeout: float) -> None:
        handler = type("Gateway", (_Gateway,), {"timeout": request_timeout})
        super().__init__(address, handler)
        self.app = app
        self.server_name_header = "shapesmith-stub"


class StubServer:
    """A WSGI app served on a background thread; `port=0` picks a free port."""

    def __init__(
        self,
        app: WsgiApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        request_timeout: float = 30.0,
    ) -> None:
        self.app = app
        self._server = _Server((host, port), app, request_timeout)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> StubServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"stub {self.url}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def run_until_signalled(self) -> None:
        """Serve until SIGINT or SIGTERM, then stop accepting and close."""
        stopping = threading.Event()

        def on_signal(number: int, frame: FrameType | None) -> None:
            stopping.set()

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            while not stopping.wait(0.5):
                pass
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.stop()
