"""The restJson1 protocol on the wire, for `_protocol.Caller`.

Each operation has its own method and URI pattern (`@http`). The codec (`_restjson.py`) turns an
input into the parts of a request: the text of each URI label, the query parameters, the headers
and the body; this module puts them together as botocore does: labels percent-encoded per
RFC 3986 (a greedy `{Label+}` keeps its `/`), the pattern's literal query kept before the
members' parameters, `Content-Type: application/json` on a body the input did not give a type.
An empty label is refused, as Smithy's clients refuse it: its empty segment would be another
route's path (`/bots/{botName}/aliases/{name}` with no name is `/bots/{botName}/aliases/`).

A response is handed to the codec's reader whole (status, headers in lower case, body), since
its members may be in any of them; a `@streaming` payload is handed over unread, as a
`StreamingBody` or, for an event stream, as an `EventStream` of the union's events, read from
the body's frames as they arrive (`_event_wire`). An error names its code in the `X-Amzn-Errortype` header or
the body's `code` or `__type`, possibly as `namespace#Code` or `Code:extra`; only `Code` counts.
"""

from __future__ import annotations

import datetime
import decimal
import email.utils
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any, NoReturn

from . import _json_values, _protocol, _runtime, _transport

# The codec's (`_restjson.py`) readers and writers of JSON and of streams, kept where they are
# shared with the other protocols.
from ._event_wire import json_bytes as json_bytes
from ._event_wire import json_value as json_value
from ._protocol import streaming_body as streaming_body

_LABEL = re.compile(r"\{([^}]*)\}")


class RestJsonWire:
    """Requests and responses of one service in restJson1; `routes` maps each operation's name
    to its method and URI pattern."""

    def __init__(self, *, routes: Mapping[str, tuple[str, str]]) -> None:
        self._routes = routes

    def request(
        self, operation: _protocol.Operation, payload: Mapping[str, Any]
    ) -> _protocol.WireRequest:
        method, pattern = self._routes[operation.name]
        labels: Mapping[str, str] = payload.get("labels", {})
        path, _, literal_query = pattern.partition("?")

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            greedy = name.endswith("+")
            value = labels.get(name.rstrip("+"))
            if value is None:
                raise ValueError(f"{operation.name}: the URI label {name.rstrip('+')} is unset")
            if not value:  # an empty segment would be another route's path
                raise ValueError(f"{operation.name}: the URI label {name.rstrip('+')} is empty")
            if isinstance(value, Expanded):
                return value
            return percent_encode(value, safe="/" if greedy else "")

        target = _LABEL.sub(fill, path)
        query = "&".join(
            f"{percent_encode(key)}={item if isinstance(item, Expanded) else percent_encode(item)}"
            for key, value in payload.get("query", {}).items()
            for item in ([value] if isinstance(value, str) else value)
        )
        joined = "&".join(part for part in (literal_query, query) if part)
        if joined:
            target += f"?{joined}"
        headers = dict(payload.get("headers", {}))
        body: _transport.RequestBody = payload.get("body", b"")
        if body and not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = payload.get("content_type") or "application/json"
        return _protocol.WireRequest(method, target, headers, body)

    def output(self, response: _transport.HttpResponse) -> dict[str, Any]:
        return _protocol.response_parts(response)

    def error(self, response: _transport.HttpResponse) -> _protocol.WireError:
        parts = _protocol.response_parts(response)
        try:
            body = document(parts)
        except ValueError:
            body = {}  # the status and headers still say what went wrong
        parts["document"] = body
        return _protocol.WireError(
            _protocol.error_code(parts["headers"], body, ("code", "__type")),
            _protocol.error_message(body),
            parts,
        )


def document(parts: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object of a response's body ({} for an empty body); ValueError for other JSON."""
    found = parts.get("document")
    if found is not None:
        return dict(found)
    return _protocol.parse_json(parts["body"])


def json_body(body: Mapping[str, Any], *, required: bool) -> bytes:
    """The request body of the members in the JSON document: nothing where no member is set and
    the input has no body member (`required` false), else the JSON object, `{}` included."""
    if not body and not required:
        return b""
    return json_bytes(body)


def percent_encode(text: str, safe: str = "") -> str:
    """`text` in UTF-8 with every byte but RFC 3986's unreserved ones (and `safe`) as `%XX`:
    `urllib.parse.quote`'s own rule (its always-safe set is exactly the unreserved one)."""
    return urllib.parse.quote(text, safe=safe)


# -- OpenAPI's parameter styles ----------------------------------------------------------------


class Expanded(str):
    """A parameter's text in its OpenAPI style, percent-encoded already: its separators reach the
    wire as they are, the characters of its values encoded."""


Styled = str | list[str] | dict[str, str | None]
"""A styled parameter's value: a simple value's text, a list's items' texts, or an object's
properties' texts by name (an unset property: None)."""

_DELIMITERS = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "|", "simple": ","}


def expand(value: Styled, *, name: str, style: str, explode: bool) -> Expanded:
    """`value` in the OpenAPI `style`, as RFC 6570 expands it (the OpenAPI style table): path
    `simple` (`a,b`), `label` (`.a,b`; exploded `.a.b`) and `matrix` (`;n=a,b`; exploded
    `;n=a;n=b`); query `form`, `spaceDelimited` and `pipeDelimited` without `explode`, the text
    after `n=` (`a,b`, `a%20b`, `a|b`). An object's properties are `k,v,...` (exploded `k=v`
    joined as a list's items). An empty list or object is the style table's "empty" form (`.`,
    `;n`, the query's `n=`; a path's `simple` has none: the label is empty). A value holding a
    space cannot be told from the separator of `spaceDelimited`: ValueError."""

    def encode(text: str) -> str:
        if style == "spaceDelimited" and " " in text:
            raise ValueError(
                f"the parameter {name}: {text[:100]!r} holds a space, which spaceDelimited "
                "cannot tell from its separator"
            )
        # A label's `.` is a separator: the values' own are encoded (RFC 3986 allows it).
        encoded = percent_encode(text)
        return encoded.replace(".", "%2E") if style == "label" else encoded

    if isinstance(value, dict):
        pairs = [(key, text) for key, text in value.items() if text is not None]
        if explode:
            items = [
                encode(key) + ("" if style == "matrix" and not text else "=" + encode(text))
                for key, text in pairs
            ]
        else:
            items = [encode(part) for pair in pairs for part in pair]
    elif isinstance(value, list):
        items = [encode(text) for text in value]
    else:
        items = [encode(value)]
    named = ";" + encode(name)
    if style == "label":
        return Expanded("." + ("." if explode else ",").join(items))
    if style == "matrix" and explode and isinstance(value, dict):
        return Expanded("".join(";" + item for item in items) or named)
    if style == "matrix" and explode and items:
        return Expanded("".join(named + ("=" + item if item else "") for item in items))
    if style == "matrix":
        joined = ",".join(items)
        return Expanded(named + ("=" + joined if joined else ""))
    return Expanded(_DELIMITERS[style].join(items))


def header_object(value: dict[str, str | None], *, explode: bool) -> str | None:
    """An object in a header, OpenAPI's `simple` style: `k,v,...`, exploded `k=v,...`; an item
    holding `,` or `"` quoted, as `header_list` quotes a list's strings. None for no property."""
    pairs = [(key, text) for key, text in value.items() if text is not None]
    if not pairs:
        return None
    if explode:
        items = [f"{key}={text}" for key, text in pairs]
    else:
        items = [part for pair in pairs for part in pair]
    return header_list(items, quoted=True)


# -- text forms of simple values (labels, query parameters, headers) --------------------------


def float_text(value: float) -> str:
    return str(_json_values.encode_float(value))


def float_from_text(text: str) -> float:
    return _json_values.decode_float(float(text) if text.strip() not in _SPECIAL else text.strip())


_SPECIAL = frozenset({"NaN", "Infinity", "-Infinity"})


def decimal_from_text(text: str) -> decimal.Decimal:
    return decimal.Decimal(text.strip())


def boolean_from_text(text: str) -> bool:
    value = text.strip()
    if value not in ("true", "false"):
        raise ValueError(f"not a boolean: {value[:100]!r}")
    return value == "true"


def timestamp_text(value: datetime.datetime, timestamp_format: str) -> str:
    return str(_json_values.encode_timestamp(value, timestamp_format))


def timestamp_from_text(text: str, timestamp_format: str) -> datetime.datetime:
    value = text.strip()
    if timestamp_format == "epoch-seconds":
        return _json_values.decode_timestamp(float(value) if "." in value else int(value))
    if timestamp_format == "http-date":
        parsed = email.utils.parsedate_to_datetime(value)
        return parsed.astimezone(datetime.UTC)
    return _json_values.decode_timestamp(value)


blob_text = _json_values.encode_blob
blob_from_text = _json_values.decode_blob


def cookie_header(cookies: list[tuple[str, str]]) -> str:
    """A `Cookie` header of `cookies` (name, value): their pairs joined by `; `, a value in a
    style (`Expanded`) as it is, any other percent-encoded where RFC 6265 does not allow it."""
    return "; ".join(
        f"{name}={value}" if isinstance(value, Expanded) else _transport.cookie_pair(name, value)
        for name, value in cookies
    )


def cookie_items(value: Styled, *, name: str, explode: bool) -> list[tuple[str, str]]:
    """The cookies (name, value) of the cookie parameter `name` in the `form` style, its
    values percent-encoded as the style does: without `explode`, one cookie of the table's
    form value (`a,b`, `k,v,...`); with it, one cookie per item (`n=a; n=b`) or per property
    (`k=v; ...`), the pairs separated as RFC 6265 separates cookies (what OpenAPI 3.2's `cookie`
    style writes), since form's `&` has no meaning in a `Cookie` header. A property name that
    is no cookie name cannot travel: ValueError."""
    if not explode or isinstance(value, str):
        return [(name, expand(value, name=name, style="form", explode=False))]
    if isinstance(value, list):
        return [(name, Expanded(percent_encode(text))) for text in value]
    pairs = [(key, text) for key, text in value.items() if text is not None]
    for key, _ in pairs:
        if not _transport.is_token(key):
            raise ValueError(
                f"the parameter {name}: {key[:100]!r} is no cookie name, which each of its "
                "properties is when exploded"
            )
    return [(key, Expanded(percent_encode(text))) for key, text in pairs]


def header_list(items: list[str], *, quoted: bool) -> str:
    """A list in one header, as botocore writes it: items joined with `,`; with `quoted`
    (strings), an item holding `,` or `"` in double quotes, its `"` and (unlike botocore, which
    leaves `,\\` ambiguous) its `\\` escaped, as an RFC 9110 quoted-string has them."""
    if quoted:
        items = [
            (
                '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
                if ("," in item or '"' in item)
                else item
            )
            for item in items
        ]
    return ",".join(items)


def split_header(text: str, *, http_dates: bool = False) -> list[str]:
    """The items of a list in one header: split at commas outside double quotes, each item
    stripped and unquoted; http-dates (`Mon, 16 Dec 2019 ...`) are split at every other comma."""
    if http_dates:
        pieces = [piece.strip() for piece in text.split(",")]
        return [", ".join(pieces[i : i + 2]) for i in range(0, len(pieces), 2)]
    items: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return items


def prefix_headers(headers: Mapping[str, str], prefix: str) -> dict[str, str]:
    """The headers whose (lower-case) names start with `prefix`, by the rest of their name."""
    start = prefix.lower()
    return {name[len(start) :]: value for name, value in headers.items() if name.startswith(start)}


# -- streams ----------------------------------------------------------------------------------


def stream_body(value: _runtime.StreamingInput) -> _transport.RequestBody:
    """A `@streaming` blob as a request body: bytes as they are, a file object to be read as
    it is sent."""
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if not callable(getattr(value, "read", None)):
        raise TypeError(f"a streaming payload is bytes or a binary file object, not {value!r}")
    return value


def not_in_document(value: object) -> NoReturn:
    """A stream's place in a JSON document, where it never is: it is the whole payload."""
    raise TypeError("a stream is not a member of a JSON document")
