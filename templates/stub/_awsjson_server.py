"""The AWS JSON protocols (awsJson1_0, awsJson1_1) on the server side, for `_app.StubApp`.

Every operation is `POST /`, named by `X-Amz-Target: <target prefix>.<operation>`, with a JSON
object body of the protocol's content type. Errors are a JSON body with `__type` and the error's
members; `StubApp` adds the `x-amzn-ErrorType` header.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._app import Environ, OperationSpec, Rejected
from ._documents import DocumentError, load_json


class AwsJsonServerWire:
    def __init__(self, *, target_prefix: str, content_type: str) -> None:
        self.target_prefix = target_prefix
        self.content_type = content_type

    def route(self, environ: Environ, operations: Mapping[str, OperationSpec]) -> OperationSpec:
        path = environ.get("PATH_INFO", "") or "/"
        if path != "/":
            raise Rejected(404, "UnknownOperationException", f"no route for {path}")
        if environ.get("REQUEST_METHOD", "GET") != "POST":
            raise Rejected(
                405, "UnknownOperationException", "use POST", headers=(("Allow", "POST"),)
            )
        target = environ.get("HTTP_X_AMZ_TARGET", "")
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
        self._check_content_type(environ)
        return operation

    def _check_content_type(self, environ: Environ) -> None:
        content_type = environ.get("CONTENT_TYPE", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != self.content_type:
            raise Rejected(
                415,
                "UnsupportedMediaTypeException",
                f"expected Content-Type {self.content_type}, got {content_type or 'none'}",
                close=True,
            )

    def operation_name(self, headers: Mapping[str, str]) -> str:
        return headers.get("x-amz-target", "").rpartition(".")[2]

    def read_input(self, body: bytes) -> dict[str, Any]:
        try:
            data = load_json(body.decode("utf-8")) if body else {}
        except UnicodeDecodeError as error:
            raise Rejected(
                400, "SerializationException", f"the body is not UTF-8: {error}"
            ) from None
        except DocumentError as error:
            raise Rejected(400, "SerializationException", f"the JSON body at {error}") from None
        except ValueError as error:
            raise Rejected(400, "SerializationException", f"the body is not JSON: {error}") from None
        if not isinstance(data, dict):
            raise Rejected(400, "SerializationException", "the body must be a JSON object")
        return data

    def output(self, data: Mapping[str, Any]) -> tuple[bytes, list[tuple[str, str]]]:
        body = json.dumps(data, separators=(",", ":")).encode("utf-8")
        return body, [("Content-Type", self.content_type)]

    def error(self, code: str, members: Mapping[str, Any]) -> tuple[bytes, list[tuple[str, str]]]:
        body = json.dumps({"__type": code, **members}, separators=(",", ":")).encode("utf-8")
        return body, [("Content-Type", self.content_type)]
