"""A Rekognition stand-in on 127.0.0.1 for the client benchmark, run in a process of its own.

`python -m benchmarks.local_server` prints its URL on the first line of stdout, then answers
every `GetFaceLivenessSessionResults` call with the same awsJson1_1 response until it is killed.
It is a `ThreadingHTTPServer` speaking HTTP/1.1 with keep-alive. Each response is built once and
sent in one write, with Nagle's algorithm off: a server that writes the headers and the body in
separate packets makes a keep-alive client wait for a delayed ACK (about 40 ms) on every call,
and the benchmark would measure that wait rather than the clients.

Signatures are not checked. A request for another operation gets a 400 with an awsJson error, so
a contender that sent the wrong request could not pass for a fast one.

It runs in its own process so that its CPU time does not share the benchmark's GIL.
`running()` starts and stops it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
OPERATION = "GetFaceLivenessSessionResults"
TARGET = f"RekognitionService.{OPERATION}"
SESSION_ID = "0f959dbb-37cc-45d8-a08d-dc42cce85fa8"
CONTENT_TYPE = "application/x-amz-json-1.1"


def _image(name: str, left: float, top: float) -> dict[str, object]:
    return {
        "S3Object": {
            "Bucket": "liveness-audit-images",
            "Name": f"sessions/{SESSION_ID}/{name}.jpg",
        },
        "BoundingBox": {"Width": 0.3125, "Height": 0.4583, "Left": left, "Top": top},
    }


RESPONSE: dict[str, object] = {
    "SessionId": SESSION_ID,
    "Status": "SUCCEEDED",
    "Confidence": 98.7421875,
    "ReferenceImage": _image("reference", 0.3441, 0.2187),
    "AuditImages": [_image("audit-1", 0.3402, 0.2211), _image("audit-2", 0.3467, 0.2169)],
    "Challenge": {"Type": "FaceMovementAndLightChallenge", "Version": "1.0.0"},
}
"""What a finished session looks like when its images went to S3 (no inline bytes)."""


def http_response(status: int, reason: str, body: bytes) -> bytes:
    """A whole HTTP/1.1 response, status line to body, ready for one write."""
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {CONTENT_TYPE}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "x-amzn-RequestId: 5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


OK = http_response(200, "OK", json.dumps(RESPONSE).encode())
UNKNOWN_OPERATION = http_response(
    400,
    "Bad Request",
    json.dumps(
        {"__type": "UnknownOperationException", "message": f"this server only answers {TARGET}"}
    ).encode(),
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        answer = OK if self.headers.get("X-Amz-Target") == TARGET else UNKNOWN_OPERATION
        self.wfile.write(answer)


def serve() -> None:
    server = ThreadingHTTPServer((HOST, 0), Handler)
    server.daemon_threads = True
    print(f"http://{HOST}:{server.server_port}", flush=True)
    server.serve_forever()


@contextmanager
def running() -> Iterator[str]:
    """Start the server in a child process; yield its URL; stop it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.local_server"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"the benchmark server did not start (exit {process.poll()})")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


if __name__ == "__main__":
    serve()
