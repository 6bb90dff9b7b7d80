"""The clients the client benchmark compares, and what it runs of them in a fresh interpreter.

Each contender can `prepare` (outside any timing: put a directory on `sys.path`), `load` (import
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
        """One `GetFaceLivenessSessionResults` call, response read and parsed."""

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


class NothingImported(Contender):
    """The interpreter alone: the memory every process starts with."""

    key = "python"
    label = "python, nothing imported"


CONTENDERS: dict[str, Contender] = {
    contender.key: contender
    for contender in (Shapesmith(), Boto3(), BareHttpClient(), NothingImported())
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
