"""The AWS JSON protocols (awsJson1_0, awsJson1_1) on the server side, for `_app.StubApp`.

Every operation is `POST /`, named by `X-Amz-Target: <target prefix>.<operation>`, with a JSON
object body of the protocol's content type. Errors are a JSON body with `__type` and the error's
members; `StubApp` adds the `x-amzn-ErrorType` header. An output with an event stream is answered
with the stream's frames, the first of them its other members (the codec writes them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ._app import Answer, OperationSpec, Rejected, Request
from ._documents import DocumentError, load_json
from ._events import RequestEvents

_EVENT_STREAM = "application/vnd.amazon.eventstream"


class AwsJsonServerWire:
    def __init__(self, *, target_prefix: str, content_type: str) -> None:
        self.target_prefix = target_prefix
        self.content_type = content_type

    def route(self, request: Request, operations: Mapping[str, OperationSpec]) -> OperationSpec:
        if request.path != "/":
            raise Rejected(404, "UnknownOperationException", f"no route for {request.path}")
        if request.method != "POST":
            raise Rejected(
                405,
                "UnknownOperationException",
                "use POST",
                headers=(("Allow", "POST"),),
                operations=tuple(operations),
            )
        target = request.headers.get("x-amz-target", "")
        prefix, dot, name = target.rpartition(".")
        operation = operations.get(name) if dot else None
        # Smithy names the target after the service shape (`CloudTrail_20131101.AddTags`);
        # botocore sends some services' older namespaced form, which AWS accepts too
        # (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.AddTags`).
        expected = self.target_prefix
        if (prefix != expected and not prefix.endswith("." + expected)) or operation is None:
            raise Rejected(
                400,
                "UnknownOperationException",
                f"unknown operation {target or '(no X-Amz-Target)'}",
            )
        self._check_content_type(
            request, _EVENT_STREAM if operation.streams_input else None, operation.name
        )
        return operation

    def _check_content_type(self, request: Request, expected: str | None, operation: str) -> None:
        expected = expected or self.content_type
        content_type = request.content_type
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != expected:
            raise Rejected(
                415,
                "UnsupportedMediaTypeException",
                f"expected Content-Type {expected}, got {content_type or 'none'}",
                close=True,
                operations=(operation,),
            )

    def read_input(
        self, request: Request, body: bytes | RequestEvents, operation: OperationSpec
    ) -> Any:
        if operation.streams_input:  # the generated reader takes the event stream
            return operation.read_input(body)
        if isinstance(body, RequestEvents):
            raise Rejected(415, "UnsupportedMediaTypeException", "the operation takes no stream")
        return operation.read_input(self._document(body))

    def _document(self, body: bytes) -> dict[str, Any]:
        try:
            data = load_json(body.decode("utf-8")) if body else {}
        except UnicodeDecodeError as error:
            raise Rejected(
                400, "SerializationException", f"the body is not UTF-8: {error}"
            ) from None
        except DocumentError as error:
            raise Rejected(400, "SerializationException", f"the JSON body at {error}") from None
        except ValueError as error:
            raise Rejected(
                400, "SerializationException", f"the body is not JSON: {error}"
            ) from None
        if not isinstance(data, dict):
            raise Rejected(400, "SerializationException", "the body must be a JSON object")
        return data

    def output(
        self, operation: OperationSpec, serialized: Mapping[str, Any]
    ) -> tuple[int, bytes | Iterator[bytes], list[tuple[str, str]]]:
        if operation.streams_output:
            return 200, serialized["body"], [("Content-Type", _EVENT_STREAM)]
        body = json.dumps(serialized, separators=(",", ":")).encode("utf-8")
        return 200, body, [("Content-Type", self.content_type)]

    def error(self, code: str, serialized: Mapping[str, Any]) -> Answer:
        body = json.dumps({"__type": code, **serialized}, separators=(",", ":")).encode("utf-8")
        return body, [("Content-Type", self.content_type)]

    unmodelled_error = error
