"""A Rekognition and EFS stand-in on 127.0.0.1 for the client benchmark, in a process of its own.

`python -m benchmarks.local_server` prints its URL on the first line of stdout, then answers until
it is killed:

* awsJson1_1: every `GetFaceLivenessSessionResults` call (a POST with its `X-Amz-Target`), with
  the same response;
* restJson1: EFS `DescribeTags` (GET `/2015-02-01/tags/{FileSystemId}`, with or without the
  trailing slash botocore's copy of the model has, and the query `MaxItems` and `Marker`) and
  `PutBackupPolicy` (PUT `/2015-02-01/file-systems/{FileSystemId}/backup-policy` with a JSON
  body), each with the same response. The label, the query and the body must be exactly the
  values `client_probe` sends (the query and the body compared parsed, as the clients encode them
  differently).

It is a `ThreadingHTTPServer` speaking HTTP/1.1 with keep-alive. Each response is built once and
sent in one write, with Nagle's algorithm off: a server that writes the headers and the body in
separate packets makes a keep-alive client wait for a delayed ACK (about 40 ms) on every call,
and the benchmark would measure that wait rather than the clients.

Signatures are not checked. Any other request gets a 4xx: a POST for another operation a 400 with
an awsJson error, a restJson1 request with another label, query or body a 400 `BadRequest` (an
error both EFS operations model), any other method or path a 404; so a contender that sent the
wrong request could not pass for a fast one.

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
from urllib.parse import parse_qs

from benchmarks.client_probe import BACKUP_POLICY_STATUS, FILE_SYSTEM_ID, MARKER, MAX_ITEMS

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


def http_response(
    status: int, reason: str, body: bytes, content_type: str = CONTENT_TYPE, extra: str = ""
) -> bytes:
    """A whole HTTP/1.1 response, status line to body, ready for one write; `extra` is more
    header lines, each ending in CRLF."""
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "x-amzn-RequestId: 5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d\r\n"
        f"{extra}\r\n"
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


TAGS_PATH = f"/2015-02-01/tags/{FILE_SYSTEM_ID}"
BACKUP_POLICY_PATH = f"/2015-02-01/file-systems/{FILE_SYSTEM_ID}/backup-policy"
TAGS_QUERY = {"MaxItems": [str(MAX_ITEMS)], "Marker": [MARKER]}
BACKUP_POLICY = {"BackupPolicy": {"Status": BACKUP_POLICY_STATUS}}
"""What a `PutBackupPolicy` body must hold, and what its response holds."""
REST_CONTENT_TYPE = "application/json"
TAGS: dict[str, object] = {
    "Marker": MARKER,
    "Tags": [
        {"Key": "Name", "Value": "shared-build-cache"},
        {"Key": "Environment", "Value": "production"},
        {"Key": "Team", "Value": "platform-storage"},
        {"Key": "CostCenter", "Value": "cc-4471"},
        {"Key": "Owner", "Value": "storage-oncall@example.com"},
        {"Key": "Backup", "Value": "daily"},
        {"Key": "DataClassification", "Value": "internal"},
        {"Key": "ManagedBy", "Value": "terraform/modules/efs"},
    ],
    "NextMarker": "eyJvZmZzZXQiOjE2fQ==",
}
"""A `DescribeTags` page: eight tags, the request's marker echoed and the next page's."""


def rest_json_error(status: int, reason: str, code: str, message: str) -> bytes:
    """A restJson1 error: the code in `x-amzn-ErrorType` and in the body, as AWS sends it."""
    body = json.dumps({"ErrorCode": code, "Message": message}).encode()
    return http_response(status, reason, body, REST_CONTENT_TYPE, f"x-amzn-ErrorType: {code}\r\n")


TAGS_OK = http_response(200, "OK", json.dumps(TAGS).encode(), REST_CONTENT_TYPE)
BACKUP_POLICY_OK = http_response(200, "OK", json.dumps(BACKUP_POLICY).encode(), REST_CONTENT_TYPE)
WRONG_REQUEST = rest_json_error(
    400,
    "Bad Request",
    "BadRequest",
    "the label, the query or the body is not the one the benchmark sends",
)
NOT_FOUND = rest_json_error(
    404,
    "Not Found",
    "UnknownOperationException",
    f"this server only answers {TARGET}, EFS DescribeTags and EFS PutBackupPolicy",
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

    def do_GET(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path, _, query = self.path.partition("?")
        if path.removesuffix("/") != TAGS_PATH:
            self.wfile.write(NOT_FOUND)
        elif parse_qs(query, keep_blank_values=True) != TAGS_QUERY:
            self.wfile.write(WRONG_REQUEST)
        else:
            self.wfile.write(TAGS_OK)

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != BACKUP_POLICY_PATH:
            self.wfile.write(NOT_FOUND)
        elif self.headers.get("Content-Type") != REST_CONTENT_TYPE or _json(body) != BACKUP_POLICY:
            self.wfile.write(WRONG_REQUEST)
        else:
            self.wfile.write(BACKUP_POLICY_OK)

    def _refuse(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.wfile.write(NOT_FOUND)

    do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def do_HEAD(self) -> None:
        self.wfile.write(NOT_FOUND.partition(b"\r\n\r\n")[0] + b"\r\n\r\n")


def _json(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return None


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
