"""A raw HTTP server on 127.0.0.1 that answers each connection's request with a script: fixed
bytes, a drip, an endless stream, whatever a hostile server might send."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Script = Callable[[socket.socket], None]


class ScriptedServer:
    """Answers each connection's first request by running the next script on its socket, then
    closes it (a script that wants the client to wait keeps the socket open itself)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.script: Script = send(b"")
        self.connections = 0
        self.requests: list[bytes] = []
        """Each request received, head and body, as it came."""
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/"

    def _serve(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(sock, self.script), daemon=True).start()

    def _answer(self, sock: socket.socket, script: Script) -> None:
        with sock:
            try:
                self.requests.append(_read_request(sock))
                script(sock)
            except OSError:
                return

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.listener.close()
        self._thread.join(timeout=5)


def _read_request(sock: socket.socket) -> bytes:
    sock.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data:
        received = sock.recv(65536)
        if not received:
            raise ConnectionResetError
        data += received
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length:
        received = sock.recv(65536)
        if not received:
            raise ConnectionResetError
        body += received
    return head + b"\r\n\r\n" + body


def send(data: bytes, *, hold: bool = False) -> Script:
    """Send `data`; with `hold`, keep the connection open until the client gives up."""

    def script(sock: socket.socket) -> None:
        sock.sendall(data)
        if hold:
            _wait_for_close(sock)

    return script


def _wait_for_close(sock: socket.socket, limit: float = 10.0) -> None:
    sock.settimeout(limit)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        pass


def repeat(piece: bytes, *, first: bytes = b"", every: float = 0.0, limit: float = 10.0) -> Script:
    """Send `first`, then `piece` again and again (every `every` seconds) until the client
    closes the connection or `limit` seconds have passed."""

    def script(sock: socket.socket) -> None:
        sock.sendall(first)
        ends = time.monotonic() + limit
        while time.monotonic() < ends:
            sock.sendall(piece)
            if every:
                time.sleep(every)

    return script


@contextmanager
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    try:
        yield server
    finally:
        server.close()
