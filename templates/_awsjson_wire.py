"""The AWS JSON protocols (awsJson1_0, awsJson1_1) on the wire, for `_protocol.Caller`.

A call is `POST /` with `X-Amz-Target: <service>.<operation>` and the input as a JSON object;
an input with an event stream is sent as the stream (`_event_wire.EventBody`), its other members
in the first event.
An error response names its error in the `x-amzn-ErrorType` header or the `__type` body member,
possibly as `namespace#Code` or `Code:extra`; only `Code` identifies the error. A query-compatible
service's error also carries its code in the AWS query protocol (see `query_error`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from . import _protocol, _transport

EVENT_STREAM = "application/vnd.amazon.eventstream"


class AwsJsonWire:
    """Requests and responses of one service in AWS JSON `1.0` or `1.1` (`content_type`)."""

    def __init__(self, *, target_prefix: str, content_type: str) -> None:
        self._target_prefix = target_prefix
        self._content_type = content_type

    def request(
        self, operation: _protocol.Operation, payload: Mapping[str, Any]
    ) -> _protocol.WireRequest:
        headers = {"X-Amz-Target": f"{self._target_prefix}.{operation.name}"}
        if operation.streams_input:
            headers["Content-Type"] = EVENT_STREAM
            return _protocol.WireRequest("POST", "/", headers, payload["body"])
        body = json.dumps(payload, separators=(",", ":"), allow_nan=False).encode()
        headers["Content-Type"] = self._content_type
        return _protocol.WireRequest("POST", "/", headers, body)

    def output(self, response: _transport.HttpResponse) -> dict[str, Any]:
        return _protocol.parse_json(response.body)

    def error(self, response: _transport.HttpResponse) -> _protocol.WireError:
        try:
            body = _protocol.parse_json(response.body)
        except ValueError:
            body = {}  # the status and headers still say what went wrong
        return _protocol.WireError(
            _protocol.error_code(response.headers, body, ("__type", "code")),
            _protocol.error_message(body),
            body,
        )


def query_error(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """`x-amzn-query-error: <code>;<type>` of a query-compatible service's error response: the
    error's code in the AWS query protocol and `Sender` or `Receiver`. None unless the header is
    exactly two parts with a code, as botocore reads it (a repeated header, joined with `, `,
    has more)."""
    value = headers.get("x-amzn-query-error")
    if value is None:
        return None
    parts = value.split(";")
    if len(parts) != 2 or not parts[0]:
        return None
    return parts[0], parts[1]
