"""A Stubber for the generated client, in the spirit of botocore's: queue the calls a test expects,
with the parameters they must carry and the answers they get, then assert that all were made.

```python
with Stubber(client) as stubber:
    stubber.add_response(
        "get_face_liveness_session_results",
        {"SessionId": session_id, "Status": "SUCCEEDED", "Confidence": 99.0},
        expected_params={"SessionId": session_id},
    )
    code_under_test(client)
    stubber.assert_no_pending_responses()
```

The stubber takes the client's transport seat while active, so each call still goes through the
client's validation, serialization, signing and parsing; only the network is replaced. Expected
parameters and responses are wire-form dicts (the model's member names, as in botocore) or the
generated dataclasses, and are checked against the model when queued: a stub cannot answer what
the service never would. An answer whose error the client retries (throttling, 5xx) is retried
against the queue like any other.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol

from .._transport import HttpRequest, HttpResponse, Transport
from ._app import BreaksModel, OperationSpec, Rejected, Request, checked
from ._documents import DocumentError
from ._events import BadEvent, BadStream
from .service import SERVICE


class StubAssertionError(AssertionError):
    """The client made a call the stubber did not expect, or with other parameters."""


class UnknownOperationError(ValueError):
    pass


class StubResponseError(ValueError):
    """A queued response, error or expected parameters that break the model."""


class _Caller(Protocol):
    transport: Transport


class _Client(Protocol):
    _caller: _Caller


@dataclass(frozen=True)
class _Expected:
    operation: OperationSpec
    status: int
    body: bytes
    headers: Mapping[str, str]
    expected_params: Any
    """The input dataclass the call must carry, or None to accept any."""


class Stubber:
    def __init__(self, client: Any) -> None:
        self.client: _Client = client
        self._queue: deque[_Expected] = deque()
        self._saved: Transport | None = None

    # -- activation ---------------------------------------------------------------------------

    def activate(self) -> None:
        if self._saved is None:
            self._saved = self.client._caller.transport
            self.client._caller.transport = self

    def deactivate(self) -> None:
        if self._saved is not None:
            self.client._caller.transport = self._saved
            self._saved = None

    def __enter__(self) -> Stubber:
        self.activate()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.deactivate()

    # -- queueing -----------------------------------------------------------------------------

    def add_response(
        self,
        operation: str,
        service_response: Any,
        expected_params: Any = None,
    ) -> None:
        """Answer the next call of `operation` with `service_response` (wire-form dict or the
        output dataclass)."""
        spec = self._operation(operation)
        try:
            output = checked(
                service_response, spec.read_output, spec.validate_output, spec.output_from_dict
            )
        except (BreaksModel, DocumentError) as broken:
            raise StubResponseError(f"{spec.name} response: {broken}") from None
        status, body, headers = SERVICE.wire.output(spec, spec.serialize_output(output))
        body = body if isinstance(body, bytes) else b"".join(body)  # an event stream's frames
        self._queue.append(
            _Expected(spec, status, body, _lower(headers), self._params(spec, expected_params))
        )

    def add_client_error(
        self,
        operation: str,
        service_error_code: str = "",
        service_message: str = "",
        http_status_code: int | None = None,
        service_error_meta: Mapping[str, Any] | None = None,
        expected_params: Any = None,
    ) -> None:
        """Answer the next call of `operation` with an error. A modelled code gets the model's
        status and its members (`service_error_meta`) are checked; another code is sent as an
        unmodelled error (status 400 unless given)."""
        spec = self._operation(operation)
        members: dict[str, Any] = dict(service_error_meta or {})
        error = SERVICE.errors.get(service_error_code)
        status = http_status_code
        code = service_error_code or "ServiceError"
        if error is not None:
            if service_message:
                made: Any = error.make(service_message)  # a modelled error: it has to_dict
                members = {**made.to_dict(), **members}
            try:
                modelled = checked(members, error.read, error.validate, error.from_dict)
            except (BreaksModel, DocumentError) as broken:
                raise StubResponseError(f"{service_error_code}: {broken}") from None
            body, wire_headers = SERVICE.wire.error(code, error.serialize(modelled))
            status = status or error.error_type.http_status
        else:
            if service_message:
                members.setdefault("message", service_message)
            body, wire_headers = SERVICE.wire.unmodelled_error(code, members)
        headers = {**_lower(wire_headers), "x-amzn-errortype": code}
        if SERVICE.query_compatible:
            headers["x-amzn-query-error"] = SERVICE.query_error(code, status or 400)
        self._queue.append(
            _Expected(spec, status or 400, body, headers, self._params(spec, expected_params))
        )

    def assert_no_pending_responses(self) -> None:
        if self._queue:
            names = ", ".join(expected.operation.name for expected in self._queue)
            raise StubAssertionError(f"{len(self._queue)} stubbed call(s) not made: {names}")

    # -- the transport seat -------------------------------------------------------------------

    def send(self, request: HttpRequest) -> HttpResponse:
        seen = Request.from_client(request.method, request.url, request.headers.items())
        try:
            called = SERVICE.wire.route(seen, SERVICE.operations)
        except Rejected as rejected:
            message = f"the client sent a request no operation takes: {rejected}"
            raise StubAssertionError(message) from None
        name = called.name
        if not self._queue:
            raise StubAssertionError(f"unexpected call of {name}: nothing is queued")
        expected = self._queue.popleft()
        if expected.operation.name != name:
            raise StubAssertionError(f"expected a call of {expected.operation.name}, got {name}")
        if expected.expected_params is not None:
            body = request.body
            if request.body_stream is not None:  # an event stream: its messages, all of them
                body = request.body_stream.read(-1)
            try:
                wire = SERVICE.wire.read_input(seen, body, called)
                sent = _listed(expected.operation.input_from_dict(wire))
            except (BadStream, BadEvent) as error:
                raise StubAssertionError(
                    f"{name} sent an event stream it may not: {error}"
                ) from None
            if sent != expected.expected_params:
                raise StubAssertionError(
                    f"{name} was called with {sent!r}, expected {expected.expected_params!r}"
                )
        headers = {"x-amzn-requestid": str(uuid.uuid4()), **expected.headers}
        return HttpResponse(expected.status, headers, expected.body)

    def close(self) -> None:
        """The client closes its transport; the stubber holds nothing to close."""

    # -- helpers ------------------------------------------------------------------------------

    def _operation(self, name: str) -> OperationSpec:
        spec = SERVICE.operation_named(name)
        if spec is None:
            known = ", ".join(sorted(SERVICE.operations))
            raise UnknownOperationError(f"unknown operation {name!r} (known: {known})")
        return spec

    def _params(self, spec: OperationSpec, expected: Any) -> Any:
        if expected is None:
            return None
        try:
            found = checked(expected, spec.read_input, spec.validate_input, spec.input_from_dict)
        except (BreaksModel, DocumentError) as broken:
            raise StubResponseError(f"{spec.name} expected_params: {broken}") from None
        return _listed(found)


def _listed(value: Any) -> Any:
    """An input with its event stream (an iterator: the stub's reading, or a generator given)
    as a list, so that the events sent compare with the events expected."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    streams = {
        field.name: list(found)
        for field in dataclasses.fields(value)
        if isinstance(found := getattr(value, field.name), Iterator)
    }
    return dataclasses.replace(value, **streams) if streams else value


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}
