"""The clients the client benchmark compares, and what it runs of them in a fresh interpreter.

Two sets of contenders: Rekognition's `GetFaceLivenessSessionResults` (awsJson1_1: the committed
`generated/rekognition`, boto3, a bare `http.client` loop) and EFS's `DescribeTags` and
`PutBackupPolicy` (restJson1: an `efs` package generated at benchmark time into the directory
named by the `SHAPESMITH_BENCH_EFS_PACKAGES` variable, boto3, a bare loop). Each contender can `prepare` (outside any timing: put a directory on `sys.path`), `load` (import
its package), `construct` a client for a URL and `call` it once. The benchmark uses them in its
own process (calls per second, repeated construction) and runs this module's `main` in fresh
interpreters for what only a fresh process shows:

    startup KEY URL                  print seconds to import, to construct, to make the first call
    memory KEY URL CALLS [traced]    make CALLS calls; print peak RSS bytes (and tracemalloc's peak)

This module imports only `sys`, `os` and `time` at the top (all three are loaded before any
script runs), so that everything a contender's import costs is counted to that contender.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    import http.client

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATED = os.path.join(ROOT, "generated")
REGION = "us-east-1"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_ID = "0f959dbb-37cc-45d8-a08d-dc42cce85fa8"
EFS_PACKAGES = "SHAPESMITH_BENCH_EFS_PACKAGES"
"""The variable naming the directory that holds the generated `efs` package (`generated/` holds
Rekognition only)."""
FILE_SYSTEM_ID = "fs-0123456789abcdef0"
MARKER = "eyJvZmZzZXQiOiA4fQ=="
"""A page token as EFS hands them out; its `=` must be percent-encoded in the query."""
MAX_ITEMS = 100
BACKUP_POLICY_STATUS = "ENABLED"


class Contender:
    key = ""
    label = ""

    def prepare(self) -> None:
        """Whatever must happen before the clock starts (nothing, for most)."""

    def load(self) -> None:
        """Import the client's package."""

    def construct(self, url: str) -> None:
        """Build a client for the server at `url` and keep it as the one `call` uses."""

    def call(self) -> None:
        """One call, response read and parsed: a `GetFaceLivenessSessionResults`, or for the
        restJson1 contenders a `DescribeTags` and a `PutBackupPolicy` in turn."""

    def close(self) -> None:
        """Close the client's connections."""


class Shapesmith(Contender):
    key = "shapesmith"
    label = "shapesmith generated"

    def prepare(self) -> None:
        if GENERATED not in sys.path:
            sys.path.insert(0, GENERATED)

    def load(self) -> None:
        import rekognition  # type: ignore[import-not-found]  # generated/, put on sys.path

        self._module = rekognition

    def construct(self, url: str) -> None:
        self._client = self._module.RekognitionClient(
            region_name=REGION,
            endpoint_url=url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def call(self) -> None:
        self._client.get_face_liveness_session_results(session_id=SESSION_ID)

    def close(self) -> None:
        self._client.close()


class Boto3(Contender):
    key = "boto3"
    label = "boto3"

    def load(self) -> None:
        import boto3  # type: ignore[import-untyped]

        self._module = boto3

    def construct(self, url: str) -> None:
        self._client = self._module.client(
            "rekognition",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def call(self) -> None:
        self._client.get_face_liveness_session_results(SessionId=SESSION_ID)

    def close(self) -> None:
        self._client.close()


class BareHttpClient(Contender):
    """The floor: a keep-alive `http.client` connection sending a request of the same size as
    the clients' (a fixed, unchecked signature) and reading the response body, nothing more."""

    key = "http.client"
    label = "bare http.client loop"

    def load(self) -> None:
        import http.client

        self._module = http.client

    def construct(self, url: str) -> None:
        host, _, port = url.removeprefix("http://").rstrip("/").rpartition(":")
        self._connection: http.client.HTTPConnection = self._module.HTTPConnection(host, int(port))
        self._body = b'{"SessionId":"' + SESSION_ID.encode() + b'"}'
        self._headers = {
            "X-Amz-Target": "RekognitionService.GetFaceLivenessSessionResults",
            "Content-Type": "application/x-amz-json-1.1",
            "User-Agent": "bare-http.client/1.0 python/3",
            "X-Amz-Date": "20250101T000000Z",
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20250101/{REGION}/rekognition/"
                "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                f"Signature={'0' * 64}"
            ),
        }

    def call(self) -> None:
        self._connection.request("POST", "/", self._body, self._headers)
        response = self._connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"the server answered HTTP {response.status}")

    def close(self) -> None:
        self._connection.close()


class Alternating(Contender):
    """A restJson1 contender: its calls are a `DescribeTags` (GET, a label and a query) and a
    `PutBackupPolicy` (PUT, a label and a JSON body) in turn, starting with the GET for every new
    client, so that one row covers both kinds of request and every contender makes the same
    sequence (in start-up, the first call is the GET)."""

    def construct(self, url: str) -> None:
        self.open(url)
        self._put_next = False

    def open(self, url: str) -> None:
        """Build a client for the server at `url`."""

    def call(self) -> None:
        if self._put_next:
            self.put()
        else:
            self.get()
        self._put_next = not self._put_next

    def get(self) -> None:
        """One `DescribeTags` call."""

    def put(self) -> None:
        """One `PutBackupPolicy` call."""


class ShapesmithEfs(Alternating):
    key = "shapesmith-efs"
    label = "shapesmith generated (EFS)"

    def prepare(self) -> None:
        directory = os.environ.get(EFS_PACKAGES)
        if not directory:
            raise RuntimeError(f"{EFS_PACKAGES} must name the directory of the generated efs")
        if directory not in sys.path:
            sys.path.insert(0, directory)

    def load(self) -> None:
        import efs  # type: ignore[import-not-found]  # generated at benchmark time

        self._module = efs

    def open(self, url: str) -> None:
        self._client = self._module.EFSClient(
            region_name=REGION,
            endpoint_url=url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def get(self) -> None:
        self._client.describe_tags(
            file_system_id=FILE_SYSTEM_ID, max_items=MAX_ITEMS, marker=MARKER
        )

    def put(self) -> None:
        policy = self._module.BackupPolicy(status=BACKUP_POLICY_STATUS)
        self._client.put_backup_policy(file_system_id=FILE_SYSTEM_ID, backup_policy=policy)

    def close(self) -> None:
        self._client.close()


class Boto3Efs(Alternating):
    key = "boto3-efs"
    label = "boto3 (EFS)"

    def load(self) -> None:
        import boto3

        self._module = boto3

    def open(self, url: str) -> None:
        self._client = self._module.client(
            "efs",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def get(self) -> None:
        self._client.describe_tags(FileSystemId=FILE_SYSTEM_ID, MaxItems=MAX_ITEMS, Marker=MARKER)

    def put(self) -> None:
        self._client.put_backup_policy(
            FileSystemId=FILE_SYSTEM_ID, BackupPolicy={"Status": BACKUP_POLICY_STATUS}
        )

    def close(self) -> None:
        self._client.close()


class BareHttpClientEfs(Alternating):
    """The restJson1 floor: the same two requests, with headers of the same size as the
    clients' (a fixed, unchecked signature), each response body read and not parsed."""

    key = "http.client-efs"
    label = "bare http.client loop (EFS)"

    def load(self) -> None:
        import http.client

        self._module = http.client

    def open(self, url: str) -> None:
        host, _, port = url.removeprefix("http://").rstrip("/").rpartition(":")
        self._connection: http.client.HTTPConnection = self._module.HTTPConnection(host, int(port))
        marker = MARKER.replace("=", "%3D")
        self._get_target = f"/2015-02-01/tags/{FILE_SYSTEM_ID}?MaxItems={MAX_ITEMS}&Marker={marker}"
        self._put_target = f"/2015-02-01/file-systems/{FILE_SYSTEM_ID}/backup-policy"
        self._put_body = b'{"BackupPolicy":{"Status":"' + BACKUP_POLICY_STATUS.encode() + b'"}}'
        self._get_headers = _bare_headers("host;x-amz-date")
        self._put_headers = {
            "Content-Type": "application/json",
            **_bare_headers("content-type;host;x-amz-date"),
        }

    def get(self) -> None:
        self._connection.request("GET", self._get_target, None, self._get_headers)
        _read(self._connection)

    def put(self) -> None:
        self._connection.request("PUT", self._put_target, self._put_body, self._put_headers)
        _read(self._connection)

    def close(self) -> None:
        self._connection.close()


def _bare_headers(signed: str) -> dict[str, str]:
    return {
        "User-Agent": "bare-http.client/1.0 python/3",
        "X-Amz-Date": "20250101T000000Z",
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20250101/{REGION}/elasticfilesystem/"
            f"aws4_request, SignedHeaders={signed}, Signature={'0' * 64}"
        ),
    }


def _read(connection: http.client.HTTPConnection) -> None:
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"the server answered HTTP {response.status}")


class NothingImported(Contender):
    """The interpreter alone: the memory every process starts with."""

    key = "python"
    label = "python, nothing imported"


CONTENDERS: dict[str, Contender] = {
    contender.key: contender
    for contender in (
        Shapesmith(),
        Boto3(),
        BareHttpClient(),
        NothingImported(),
        ShapesmithEfs(),
        Boto3Efs(),
        BareHttpClientEfs(),
    )
}


def startup(contender: Contender, url: str) -> list[float]:
    """Seconds to import, to construct the first client and to make its first call."""
    contender.prepare()
    start = time.perf_counter()
    contender.load()
    loaded = time.perf_counter()
    contender.construct(url)
    constructed = time.perf_counter()
    contender.call()
    called = time.perf_counter()
    return [loaded - start, constructed - loaded, called - constructed]


def memory(contender: Contender, url: str, calls: int, traced: bool) -> list[int]:
    """Peak RSS in bytes after `calls` calls, and tracemalloc's peak in bytes when `traced`
    (tracing slows everything down and adds its own memory, so it gets a process of its own)."""
    if traced:
        import tracemalloc

        tracemalloc.start()
    contender.prepare()
    contender.load()
    contender.construct(url)
    for _ in range(calls):
        contender.call()
    traced_peak = tracemalloc.get_traced_memory()[1] if traced else 0
    return [peak_rss(), traced_peak]


def peak_rss() -> int:
    """This process's peak resident set size, in bytes.

    On Linux it is `VmHWM` from /proc/self/status: `ru_maxrss` would report the parent's size
    when that is larger, as the kernel carries it over the fork and exec that started us.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS: bytes; others: KiB


def main(argv: list[str]) -> None:
    mode, key, url, *rest = argv
    contender = CONTENDERS[key]
    if mode == "startup":
        numbers: list[float] | list[int] = startup(contender, url)
    else:
        numbers = memory(contender, url, int(rest[0]), rest[1:] == ["traced"])
    print(" ".join(repr(number) for number in numbers))


if __name__ == "__main__":
    main(sys.argv[1:])
