"""A recording HTTP server on 127.0.0.1 for wire-agreement tests: it keeps every request exactly
as it arrived (method, raw request target, headers in order, body) and answers each with a 400
error that any JSON client reads as a service error it does not model.

Standard library only: the restJson1 probe loads this file by its path into an interpreter that
has nothing but the generated package on its path, and botocore's side uses it in-process, so
the two clients are recorded by the same code.
"""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field
from typing import Any

ERROR_CODE = "ShapesmithWireProbe"
_ANSWER = b'{"__type":"ShapesmithWireProbe","code":"ShapesmithWireProbe","message":"recorded"}'


@dataclass(frozen=True)
class Recorded:
    method: str
    target: str
    """The request target as sent: path and query, still percent-encoded."""
    headers: list[tuple[str, str]]
    body: bytes

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "target": self.target,
            "headers": self.headers,
            "body": self.body.decode("latin-1"),
        }


@dataclass
class Recorder:
    """The server and what it has seen; a context manager that starts and stops it."""

    seen: list[Recorded] = field(default_factory=list)
    _server: http.server.HTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Recorder:
        seen = self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _record(self) -> None:
                seen.append(
                    Recorded(self.command, self.path, list(self.headers.items()), self._body())
                )
                self.send_response(400)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Amzn-Errortype", ERROR_CODE)
                body = b"" if self.command == "HEAD" else _ANSWER
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> bytes:
                if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                    parts = []
                    while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                        parts.append(self.rfile.read(size))
                        self.rfile.readline()
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(parts)
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _record

            def log_message(self, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
