"""Serve a WSGI application on `http.server.ThreadingHTTPServer`, HTTP/1.1 with keep-alive.

Requests are read by `_http_reader` (strict framing, bounded lines and headers, a deadline for
the whole request); a request it refuses gets a JSON error and the connection is closed, and
the server goes on serving. Each response leaves in one write (status line, headers and body
together) with Nagle's algorithm off, so a keep-alive client never waits on a delayed ACK; a
HEAD answer has the headers only. An answer without a `Content-Length` (an event stream) is
sent as the application makes it instead, each piece as one chunk of a chunked body, while
the request's body may still be arriving (the application reads it as it answers). A request whose body the application did not read whole
closes its connection, so the next request cannot be read from the middle of the old body.
At most `max_connections` connections are served at once; more are answered 503 and closed.

`StubServer` runs it on a background thread: as a context manager in tests, or from `serve`
on the command line, where SIGINT and SIGTERM stop it cleanly.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import urlsplit

from ._app import DROP_CONNECTION_KEY, RENEW_DEADLINE_KEY
from ._http_reader import (
    BadRequest,
    ChunkedBody,
    ClientGone,
    DeadlineStream,
    LengthBody,
    RequestHead,
    body_length,
    read_head,
)

_LOG = logging.getLogger(__name__.rpartition(".")[0])

DEFAULT_REQUEST_TIMEOUT = 30.0
"""Seconds a client may take to send a whole request (and to read its answer)."""
DEFAULT_MAX_CONNECTIONS = 128
_LONGEST_TIMEOUT = 86400.0
_LINGER_SECONDS = 2.0
_LINGER_BYTES = 4 * 1024 * 1024

# `__type` of the errors the server answers before the application sees a request.
_ERROR_TYPES = {
    400: "BadRequestException",
    408: "RequestTimeoutException",
    414: "RequestUriTooLongException",
    431: "RequestHeaderFieldsTooLargeException",
    501: "NotImplementedException",
    503: "ServiceUnavailableException",
    505: "HttpVersionNotSupportedException",
}
_REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
    501: "Not Implemented",
    503: "Service Unavailable",
    505: "HTTP Version Not Supported",
}

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _refusal(status: int, message: str, *, with_body: bool = True) -> bytes:
    """A whole response refusing a request, closing the connection."""
    code = _ERROR_TYPES.get(status, "BadRequestException")
    body = json.dumps({"__type": code, "message": message})
    head = (
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\nServer: shapesmith-stub\r\n"
        f"Content-Type: application/json\r\nx-amzn-ErrorType: {code}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + (body.encode() if with_body else b"")


class _Gateway(BaseHTTPRequestHandler):
    """Turns each HTTP request into one WSGI call."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self._incoming = DeadlineStream(self.connection)
        self.rfile = io.BufferedReader(self._incoming, 65536)

    def handle_one_request(self) -> None:
        self.close_connection = True
        self.command = ""  # until a request line is read
        self._incoming.set_deadline(self.server.request_timeout)
        try:
            head = read_head(self.rfile)
            if head is None:
                return
            self.command, self.path, self.request_version = head.method, head.target, head.version
            self.requestline = head.request_line
            length = body_length(head)
        except BadRequest as refused:
            self.command = refused.method or self.command
            self._refuse(refused.status, refused.message)
            return
        except TimeoutError:
            if self._incoming.received:  # a request began and did not finish in time
                self._refuse(408, "the request did not arrive within the request timeout")
            return
        except (ClientGone, OSError) as error:
            self.log_message("connection ended: %s", error)
            return
        try:
            self._run(head, length)
        except OSError as error:
            # The client went away, or stopped reading its answer for the request timeout.
            self.log_message("connection ended: %s", error)
            self.close_connection = True

    def _refuse(self, status: int, message: str) -> None:
        self.close_connection = True
        self.log_message("refused: %d %s", status, message)
        with contextlib.suppress(OSError):  # the client may be gone already
            self._send(_refusal(status, message, with_body=self.command != "HEAD"))

    def _send(self, data: bytes) -> None:
        self.connection.settimeout(self.server.request_timeout)
        self.wfile.write(data)

    def _run(self, head: RequestHead, length: int | None) -> None:
        body = LengthBody(self.rfile, length) if length is not None else ChunkedBody(self.rfile)
        if head.expects_continue and length != 0:
            self._send(b"HTTP/1.1 100 Continue\r\n\r\n")
        dropped: list[bool] = []
        environ = self._environ(head, body, length)
        environ[DROP_CONNECTION_KEY] = lambda: dropped.append(True)
        environ[RENEW_DEADLINE_KEY] = lambda: self._incoming.set_deadline(
            self.server.request_timeout
        )
        status_and_headers: list[Any] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            status_and_headers[:] = [status, headers]
            return lambda data: None

        chunks = self.server.app(environ, start_response)
        try:
            pieces = iter(chunks)
            first = next(pieces, b"")  # start_response has been called by now
            status, headers = status_and_headers
            if not dropped and head.method != "HEAD" and self._unsized(status, headers):
                self._stream(head, body, status, headers, first, pieces)
                return
            payload = first + b"".join(pieces)
        finally:
            close = getattr(chunks, "close", None)
            if callable(close):
                close()
        if dropped:
            return
        closing = any(name.lower() == "connection" for name, _ in headers)
        if not body.finished and not closing:
            # What is left of the body would be read as the next request: close instead.
            headers = [*headers, ("Connection", "close")]
            closing = True
        self.close_connection = closing or not head.keep_alive
        lines = [f"{self.protocol_version} {status}", f"Server: {self.server.server_name_header}"]
        lines += [f"Date: {self.date_time_string()}"]
        lines += [f"{name}: {value}" for name, value in headers]
        # Header values go in UTF-8, as the clients send theirs (and read ours).
        response = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
        if head.method != "HEAD":
            response += payload
        self._send(response)
        self.log_request(status.split(" ", 1)[0], len(payload))

    @staticmethod
    def _unsized(status: str, headers: list[tuple[str, str]]) -> bool:
        """Whether an answer's body is sent as it is made: it has no `Content-Length`."""
        if status[:3] in {"204", "304"} or status[:1] == "1":
            return False
        return not any(name.lower() == "content-length" for name, _ in headers)

    def _stream(
        self,
        head: RequestHead,
        body: LengthBody | ChunkedBody,
        status: str,
        headers: list[tuple[str, str]],
        first: bytes,
        pieces: Iterable[bytes],
    ) -> None:
        """Send an answer as its pieces come, in chunked transfer coding (or, to an HTTP/1.0
        client, until the connection closes). The request's body may still be arriving, so
        the connection is closed after it unless the body had ended when the answer began."""
        chunked = head.version == "HTTP/1.1"
        closing = not chunked or not head.keep_alive or not body.finished
        closing = closing or any(name.lower() == "connection" for name, _ in headers)
        lines = [f"{self.protocol_version} {status}", f"Server: {self.server.server_name_header}"]
        lines += [f"Date: {self.date_time_string()}"]
        lines += [f"{name}: {value}" for name, value in headers]
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        if closing and not any(name.lower() == "connection" for name, _ in headers):
            lines.append("Connection: close")
        self.close_connection = True  # until the last chunk is out
        self._send(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        sent = self._send_piece(first, chunked)
        for piece in pieces:
            sent += self._send_piece(piece, chunked)
        if chunked:
            self._send(b"0\r\n\r\n")
        self.close_connection = closing
        self.log_request(status.split(" ", 1)[0], sent)

    def _send_piece(self, piece: bytes, chunked: bool) -> int:
        if not piece:
            return 0
        self._send(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        return len(piece)

    def _environ(self, head: RequestHead, body: io.RawIOBase, length: int | None) -> dict[str, Any]:
        target = head.target
        if "://" in target.partition("?")[0]:  # absolute form: the path is what matters here
            split = urlsplit(target)
            target = (split.path or "/") + (f"?{split.query}" if split.query else "")
        path, _, query = target.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": head.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": head.version,
            "REMOTE_ADDR": self.client_address[0],
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": body,
            "wsgi.input_terminated": True,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        if length is not None:
            environ["CONTENT_LENGTH"] = str(length)
        for name, value in head.headers:
            if "_" in name:
                # `X_Amz_Target` would pass for `X-Amz-Target` once in the environ: drop it.
                continue
            key = name.upper().replace("-", "_")
            if key == "CONTENT_LENGTH":
                continue  # framing decided above, from every copy of the header
            if key == "CONTENT_TYPE":
                environ[key] = value
            else:
                key = "HTTP_" + key
                environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        _LOG.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        app: WsgiApp,
        request_timeout: float,
        max_connections: int,
    ) -> None:
        if not 0 < request_timeout <= _LONGEST_TIMEOUT:
            raise ValueError(
                f"request_timeout must be more than 0 and at most {_LONGEST_TIMEOUT:.0f} seconds,"
                f" not {request_timeout}"
            )
        if max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {max_connections}")
        super().__init__(address, _Gateway)
        self.app = app
        self.request_timeout = float(request_timeout)
        self.server_name_header = "shapesmith-stub"
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            _LOG.warning("refused a connection from %s: too many connections", client_address[0])
            with contextlib.suppress(OSError):  # a best effort: never wait on this client
                request.setblocking(False)
                request.send(_refusal(503, "too many connections; try again"))
            self.close_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def shutdown_request(self, request: Any) -> None:
        # Closing a socket with unread data resets the connection, and the client may lose the
        # answer it was sent (a 413 for a body it is still sending). Stop writing, then read and
        # drop what still comes, for a bounded time and amount, before closing.
        with contextlib.suppress(OSError):
            request.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + _LINGER_SECONDS
            drained = 0
            while drained < _LINGER_BYTES:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                request.settimeout(left)
                chunk = request.recv(65536)
                if not chunk:
                    break
                drained += len(chunk)
        self.close_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Only a bug of the stub gets here (the gateway answers every fault of a client).
        _LOG.error("the stub failed serving %s", client_address, exc_info=True)


class StubServer:
    """A WSGI app served on a background thread; `port=0` picks a free port."""

    def __init__(
        self,
        app: WsgiApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self.app = app
        self._server = _Server((host, port), app, request_timeout, max_connections)
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
