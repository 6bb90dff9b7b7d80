"""A scriptable AWS JSON server on 127.0.0.1 for client tests.

It records every request, verifies its SigV4 signature by recomputing it with botocore's signer
(an independent implementation), and answers from a script: canned responses, delays, or a
dropped connection. Each response goes out in one write, so Nagle's algorithm never stalls a
keep-alive client.
"""

from __future__ import annotations

import datetime
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = field(default_factory=dict)
    """A JSON-able value, or bytes sent as they are."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    """Close the connection without answering."""


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    def json(self) -> Any:
        return json.loads(self.body)


class AwsJsonServer:
    def __init__(self, *, access_key: str, secret_key: str, region: str, service: str) -> None:
        self.credentials = Credentials(access_key, secret_key)
        self.region = region
        self.service = service
        self.requests: list[Recorded] = []
        self.script: deque[Reply] = deque()
        self.default = Reply()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def reply(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def _next(self) -> Reply:
        with self._lock:
            return self.script.popleft() if self.script else self.default

    def verify(self, method: str, path: str, headers: dict[str, str], body: bytes) -> bool:
        """Recompute the signature with botocore for the request's own X-Amz-Date."""
        lowered = {name.lower(): value for name, value in headers.items()}
        authorization = lowered.get("authorization", "")
        if "SignedHeaders=" not in authorization:
            return False
        signed = authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
        request = AWSRequest(
            method=method,
            url=f"http://{lowered['host']}{path}",
            data=body,
            headers={name: lowered[name] for name in signed if name in lowered},
        )
        timestamp = datetime.datetime.strptime(lowered["x-amz-date"], "%Y%m%dT%H%M%SZ")
        request.context["timestamp"] = timestamp.strftime("%Y%m%dT%H%M%SZ")
        signer = SigV4Auth(self.credentials, self.service, self.region)
        string_to_sign = signer.string_to_sign(request, signer.canonical_request(request))
        expected = signer.signature(string_to_sign, request)
        return authorization.endswith(f"Signature={expected}")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = dict(self.headers.items())
                recorded = Recorded(
                    "POST",
                    self.path,
                    headers,
                    body,
                    server.verify("POST", self.path, headers, body),
                )
                with server._lock:
                    server.requests.append(recorded)
                reply = server._next()
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                payload = (
                    reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                )
                lines = [f"HTTP/1.1 {reply.status} Status"]
                headers_out = {
                    "Content-Type": "application/x-amz-json-1.1",
                    "Content-Length": str(len(payload)),
                    "x-amzn-RequestId": f"request-{len(server.requests)}",
                    **reply.headers,
                }
                lines += [f"{name}: {value}" for name, value in headers_out.items()]
                self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
                self.wfile.flush()

        return Handler


@contextmanager
def running(**kwargs: Any) -> Iterator[AwsJsonServer]:
    server = AwsJsonServer(**kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()
