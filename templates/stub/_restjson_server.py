"""restJson1 on the server side, for `_app.StubApp`.

A request is routed by its method and path to the operation whose `@http` pattern it fits:
literal segments are compared after percent-decoding, a `{Label}` takes one segment (never an
empty one), a greedy `{Label+}` one or more with their `/`, and the pattern's literal query keys
must be present. Where two patterns fit (a literal segment against a label), the one with more
literal parts wins, as Smithy's conflict rules intend. A POST of
`application/x-www-form-urlencoded` that no POST route takes is routed as the GET its form is
the query of: botocore sends CloudSearch Domain's `Search` (a GET in the model) that way (its
`change_get_to_post` handler), and the service takes both.

The generated reader of the operation's input (`_restjson_messages.py`) then reads each member
from where its HTTP binding puts it, in strict mode: text that does not parse as the member's
type is kept as text, for the validator to report with the member's path; unknown body members
are kept to be reported too. Headers and query parameters no member binds are ignored, as HTTP
servers must.

Answers are written by the codec's message writers (`_restjson.py`), from which this module
takes the status, headers and body. An error carries its code in `X-Amzn-Errortype` (added by
`StubApp`) and its members in a JSON body, where botocore and smithy clients look.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote, unquote_plus

from .. import _json_values, _restjson_wire
from . import _auth_check
from ._app import Answer, OperationSpec, Rejected, Request, StubFailure
from ._documents import DocumentError, load_json
from ._events import RequestEvents

_LABEL = re.compile(r"\{([^}]*)\}")
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_FLOAT_WORDS = frozenset({"NaN", "Infinity", "-Infinity"})
_FORM = "application/x-www-form-urlencoded"
_EVENT_STREAM = "application/vnd.amazon.eventstream"
_T = TypeVar("_T")


@dataclass(frozen=True)
class RequestParts:
    """What a generated input reader takes: the request's parts, decoded from the wire."""

    labels: Mapping[str, str]
    """URI label name -> its value, percent-decoded (a greedy label's with its `/`)."""
    query: Mapping[str, list[str]]
    """Query key -> every value it was given, in order, percent-decoded."""
    headers: Mapping[str, str]
    """Names in lower case."""
    body: bytes
    raw_labels: Mapping[str, str] = field(default_factory=dict)
    """URI label name -> its value as sent, percent-encoded (a styled label's separators)."""
    raw_query: Mapping[str, list[str]] = field(default_factory=dict)
    """Query key (decoded) -> every value it was given, as sent, percent-encoded."""
    events: RequestEvents | None = None
    """An input's event stream, read as its events are asked for (`body` is then empty)."""


@dataclass(frozen=True)
class _Pattern:
    """One operation's `@http` route, parsed once."""

    operation: str
    method: str
    segments: tuple[str, ...]
    """Literal segments as they are; labels as `{Name}` or `{Name+}`."""
    query: tuple[tuple[str, str], ...]
    """The pattern's literal query: key and value ("" where the pattern has no `=`)."""

    @classmethod
    def parse(cls, operation: str, method: str, uri: str) -> _Pattern:
        path, _, query = uri.partition("?")
        pairs = tuple(
            (key, value)
            for key, _, value in (item.partition("=") for item in query.split("&") if item)
        )
        return cls(operation, method.upper(), _split(path), pairs)

    @property
    def specificity(self) -> tuple[int, int, int]:
        """How much of the pattern is literal: the more, the better a fit it is."""
        literal = sum(1 for segment in self.segments if not _LABEL.fullmatch(segment))
        greedy = any(segment.endswith("+}") for segment in self.segments)
        return literal, len(self.query), 0 if greedy else 1

    def labels(
        self, segments: list[str], query: Mapping[str, list[str]] | None, *, literal: bool = True
    ) -> dict[str, str] | None:
        """The label values where `segments` (decoded) and `query` fit the pattern, else None;
        a `query` of None is not known yet (a form's), and only the path must fit. Without
        `literal`, the literal segments are not compared (`segments` as sent, which fit)."""
        if query is not None:
            for key, value in self.query:
                given = query.get(key)
                if given is None or (value and value not in given):
                    return None
        greedy = next((i for i, s in enumerate(self.segments) if s.endswith("+}")), None)
        if greedy is None:
            if len(segments) == len(self.segments) + 1 and segments[-1] == "":
                segments = segments[:-1]  # a trailing `/`, which botocore's older URIs have
            if len(segments) != len(self.segments):
                return None
            return self._fit(self.segments, segments, literal)
        before, after = self.segments[:greedy], self.segments[greedy + 1 :]
        if len(segments) < len(before) + len(after) + 1:
            return None
        head = self._fit(before, segments[: len(before)], literal)
        tail = self._fit(after, segments[len(segments) - len(after) :], literal)
        if head is None or tail is None:
            return None
        middle = "/".join(segments[len(before) : len(segments) - len(after)])
        if not middle:
            return None
        return {**head, **tail, self.segments[greedy][1:-2]: middle}

    @staticmethod
    def _fit(
        pattern: tuple[str, ...], segments: list[str], literal: bool = True
    ) -> dict[str, str] | None:
        labels: dict[str, str] = {}
        for expected, given in zip(pattern, segments, strict=True):
            label = _LABEL.fullmatch(expected)
            if label is None:
                if literal and expected != given:
                    return None
            elif not given:
                # A label is never empty (Smithy): `/bots/b/aliases/` is botocore's trailing `/`
                # on `/bots/{botName}/aliases`, not `/bots/{botName}/aliases/{name}` (Lex).
                return None
            else:
                labels[label.group(1)] = given
        return labels


class RestJsonServerWire:
    """The stub's restJson1; `routes` maps each operation's name to its method and URI pattern."""

    def __init__(self, *, routes: Mapping[str, tuple[str, str]]) -> None:
        self._patterns = {
            name: _Pattern.parse(name, method, uri) for name, (method, uri) in routes.items()
        }

    def route(self, request: Request, operations: Mapping[str, OperationSpec]) -> OperationSpec:
        segments, query = _decoded(request)
        fits = [
            pattern
            for pattern in self._patterns.values()
            if pattern.labels(segments, query) is not None
        ]
        same_method = [pattern for pattern in fits if pattern.method == request.method.upper()]
        if not same_method and _is_form_post(request):
            as_get = [
                pattern
                for pattern in self._patterns.values()
                if pattern.method == "GET" and pattern.labels(segments, None) is not None
            ]
            if as_get:  # its query, in the body, is checked against the pattern by `read_input`
                return operations[max(as_get, key=lambda pattern: pattern.specificity).operation]
        if not fits:
            raise Rejected(404, "UnknownOperationException", f"no route for {request.path}")
        if not same_method:
            allowed = ", ".join(sorted({pattern.method for pattern in fits}))
            raise Rejected(
                405,
                "UnknownOperationException",
                f"{request.method} is not allowed on {request.path}; use {allowed}",
                headers=(("Allow", allowed),),
                operations=tuple(pattern.operation for pattern in fits),
            )
        best = max(same_method, key=lambda pattern: pattern.specificity)
        return operations[best.operation]

    def read_input(
        self, request: Request, body: bytes | RequestEvents, operation: OperationSpec
    ) -> Any:
        if operation.read_message is None:
            return None  # an operation without input (smithy.api#Unit)
        segments, query = _decoded(request)
        pattern = self._patterns[operation.name]
        if isinstance(body, RequestEvents):
            raw_segments, raw_query = _raw(request, None)
            parts = RequestParts(
                pattern.labels(segments, query) or {},
                query,
                request.headers,
                b"",
                pattern.labels(raw_segments, None, literal=False) or {},
                raw_query,
                events=body,
            )
            return operation.read_message(parts)
        as_form = pattern.method != request.method.upper()  # a form POST routed as its GET
        form_body = body
        if as_form:
            for key, values in _form(body).items():
                query.setdefault(key, []).extend(values)
            body = b""
            if pattern.labels(segments, query) is None:
                raise Rejected(
                    404, "UnknownOperationException", f"no route for {request.path} and its form"
                )
        labels = pattern.labels(segments, query)
        raw_segments, raw_query = _raw(request, form_body if as_form else None)
        raw_labels = pattern.labels(raw_segments, None, literal=False)
        parts = RequestParts(
            labels or {}, query, request.headers, body, raw_labels or {}, raw_query
        )
        return operation.read_message(parts)

    def output(
        self, operation: OperationSpec, serialized: Mapping[str, Any]
    ) -> tuple[int, bytes | Iterator[bytes], list[tuple[str, str]]]:
        body, headers = _answer(serialized)
        status = serialized.get("status")
        if status is None:
            return operation.status, body, headers
        if not 200 <= status <= 299:  # `@httpResponseCode` of an output: a success is 2xx
            raise StubFailure(f"the answer's status code {status} is not a success (200-299)")
        return status, body, headers

    def error(self, code: str, serialized: Mapping[str, Any]) -> Answer:
        body, headers = _answer(serialized)
        return body if isinstance(body, bytes) else b"".join(body), headers

    def unmodelled_error(self, code: str, members: Mapping[str, Any]) -> Answer:
        body = json.dumps(dict(members), separators=(",", ":")).encode("utf-8")
        return body, [("Content-Type", "application/json")]


def _answer(parts: Mapping[str, Any]) -> tuple[bytes | Iterator[bytes], list[tuple[str, str]]]:
    headers = list(parts.get("headers", {}).items())
    body = parts.get("body", b"")
    if hasattr(body, "read"):  # a `@streaming` blob the handler gave as a file object
        body = body.read()
    elif not isinstance(body, bytes):  # an event stream's frames, sent as they are made
        return body, [*headers, ("Content-Type", parts.get("content_type") or _EVENT_STREAM)]
    # A member bound to `Content-Type` (a payload's media type) says it; else the payload's kind.
    if body and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", parts.get("content_type") or "application/json"))
    return body, headers


def _split(path: str) -> tuple[str, ...]:
    """The segments of a path: `/a/b` -> (a, b), `/` -> ()."""
    trimmed = path[1:] if path.startswith("/") else path
    return tuple(trimmed.split("/")) if trimmed else ()


def _decoded(request: Request) -> tuple[list[str], dict[str, list[str]]]:
    """The request's path segments and query, percent-decoded (UTF-8, `+` kept as `+`: restJson1
    clients write a space as `%20`)."""
    try:
        segments = [unquote(segment, errors="strict") for segment in _split(request.path)]
        query: dict[str, list[str]] = {}
        for item in request.query.split("&"):
            if item:
                key, _, value = item.partition("=")
                query.setdefault(unquote(key, errors="strict"), []).append(
                    unquote(value, errors="strict")
                )
    except UnicodeDecodeError:
        raise Rejected(
            400, "SerializationException", "the path or query is not UTF-8 once decoded"
        ) from None
    return list(segments), query


def _raw(request: Request, form: bytes | None) -> tuple[list[str], dict[str, list[str]]]:
    """The request's path segments and query values as sent (percent-encoded; keys decoded),
    and a form's values (`+` a space) where `form` is the body of a form POST."""
    query: dict[str, list[str]] = {}
    items = request.query.split("&")
    if form is not None:
        items += form.decode("ascii").replace("+", "%20").split("&")
    for item in items:
        if item:
            key, _, value = item.partition("=")
            query.setdefault(unquote(key), []).append(value)
    return list(_split(request.path)), query


def _is_form_post(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return request.method.upper() == "POST" and media_type == _FORM


def _form(body: bytes) -> dict[str, list[str]]:
    """A form body's pairs, decoded (`+` is a space in a form; botocore writes `+` as `%2B`)."""
    pairs: dict[str, list[str]] = {}
    try:
        for item in body.decode("ascii").split("&"):
            if item:
                key, _, value = item.partition("=")
                pairs.setdefault(unquote_plus(key, errors="strict"), []).append(
                    unquote_plus(value, errors="strict")
                )
    except UnicodeDecodeError:
        raise Rejected(
            400, "SerializationException", "the form is not ASCII, or not UTF-8 once decoded"
        ) from None
    return pairs


# -- what the generated readers call ------------------------------------------------------------


def document(parts: RequestParts) -> dict[str, Any]:
    """The JSON object in the request's body ({} for no body); a body that is not one, or not
    sent as `application/json`, is refused."""
    value = payload_document(parts)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Rejected(400, "SerializationException", "the body must be a JSON object")
    return value


def payload_document(parts: RequestParts) -> Any:
    """Any JSON value in the request's body (a structure, union or document payload); None for
    no body."""
    if not parts.body.strip():
        return None
    media_type = parts.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise Rejected(
            415,
            "UnsupportedMediaTypeException",
            f"expected Content-Type application/json, got {media_type or 'none'}",
        )
    try:
        return load_json(parts.body.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise Rejected(400, "SerializationException", f"the body is not UTF-8: {error}") from None
    except DocumentError as error:
        raise Rejected(400, "SerializationException", f"the JSON body at {error}") from None
    except ValueError as error:
        raise Rejected(400, "SerializationException", f"the body is not JSON: {error}") from None


def text_payload(body: bytes) -> str | bytes | None:
    """A string payload: None for no body; bytes that are not UTF-8 are kept, for the validator
    to report as the wrong type."""
    if not body:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body


split_header = _restjson_wire.split_header


def one(values: list[str], convert: Callable[[str], _T]) -> _T | list[str]:
    """A query parameter that carries one value; given several, they are kept as a list, which
    the validator reports as the wrong type."""
    return convert(values[0]) if len(values) == 1 else values


def renamed(data: Any, names: Mapping[str, str], members: frozenset[str]) -> Any:
    """A body object with its members under their member names, from their JSON keys
    (`@jsonName`); a key no member has is kept, marked where it would pass for a member name."""
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = names.get(key)
        if name is None:
            name = f"{key} (a member name, not its JSON name)" if key in members else key
        out[name] = value
    return out


def query_params(
    query: Mapping[str, list[str]],
    bound: frozenset[str],
    *,
    lists: bool,
    deep: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """`@httpQueryParams`: the query parameters no `@httpQuery` member binds (nor a deepObject
    parameter named in `deep`, as `name[key]`); a map of strings keeps a repeated key's values
    as a list, for the validator to report."""
    found: dict[str, Any] = {}
    for key, values in query.items():
        if key not in bound and not (key.endswith("]") and key.partition("[")[0] in deep):
            found[key] = list(values) if lists else one(values, str)
    return found


def cookies(headers: Mapping[str, str], *, raw: bool = False) -> dict[str, list[str]]:
    """The request's cookies (`shapesmith.api#httpCookie`), as `_auth_check.cookies` reads
    them (as sent, with `raw`: a styled cookie's separators are told from its values' before
    decoding); a value that is not UTF-8 once decoded is refused."""
    try:
        return _auth_check.cookies(headers.get("cookie", ""), raw=raw)
    except UnicodeDecodeError:
        raise Rejected(
            400, "SerializationException", "a cookie's value is not UTF-8 once decoded"
        ) from None


def prefix_headers(
    headers: Mapping[str, str], prefix: str, bound: frozenset[str]
) -> dict[str, str]:
    """`@httpPrefixHeaders`: the headers starting with `prefix` (lower case) that no `@httpHeader`
    member binds, by the rest of their name."""
    found = _restjson_wire.prefix_headers(headers, prefix)
    return {rest: value for rest, value in found.items() if prefix + rest not in bound}


# -- OpenAPI's parameter styles, read strictly: what does not fit the style is a 400 -------------

_DELIMITERS = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "|", "simple": ","}
_DECODED_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def _malformed(parameter: str, problem: str) -> Rejected:
    return Rejected(400, "SerializationException", f"the parameter {parameter!r}: {problem}")


def styled_query(values: list[str], *, parameter: str, style: str, explode: bool, form: str) -> Any:
    """A query parameter in a style that puts its value in one key (`form`, `spaceDelimited`
    and `pipeDelimited` without `explode`): its one value, read by `styled`."""
    if len(values) != 1:
        raise _malformed(parameter, f"given {len(values)} times; its style sends it once")
    return styled(values[0], parameter=parameter, style=style, explode=explode, form=form)


def styled(raw: str, *, parameter: str, style: str, explode: bool, form: str) -> Any:
    """The value of the parameter `parameter`, sent percent-encoded (`raw`) in the OpenAPI
    `style` (as `_restjson_wire.expand` writes it): the text of a simple value (`form`
    "value"), a list's items' texts ("list"), or an object's or map's properties' texts
    ("object", "map")."""
    named = ";" + _restjson_wire.percent_encode(parameter)
    if style == "label":
        if not raw.startswith("."):
            raise _malformed(parameter, "a label-style value starts with `.`")
        rest = raw[1:]
        pieces = rest.split("." if explode and form != "value" else ",")
    elif style == "matrix" and explode and form in ("object", "map"):
        if not raw.startswith(";"):
            raise _malformed(parameter, "a matrix-style object starts with `;`")
        rest = raw[1:]
        # `;n` is the object without properties; a property without `=` has an empty value
        pieces = [""] if raw == named else [p if "=" in p else p + "=" for p in rest.split(";")]
    elif style == "matrix" and explode and form == "list":
        rest = raw
        pieces = []
        for piece in raw.split(";")[1:] if raw.startswith(";") else [raw]:
            if piece == named[1:] and raw == named:
                pieces.append("")  # `;n`: no item
                break
            key, _, value = piece.partition("=")
            if ";" + key != named:
                raise _malformed(parameter, f"expected {named}=... for each item")
            pieces.append(value)
    elif style == "matrix":
        if raw != named and not raw.startswith(named + "="):
            raise _malformed(parameter, f"a matrix-style value starts with {named}=")
        rest = raw[len(named) + 1 :]
        pieces = rest.split(",")
    else:
        rest = raw
        pieces = rest.split(_DELIMITERS[style])
    if form == "value":
        return _decode(parameter, rest)
    if form != "list" and explode:  # `k=v` pieces, told apart before a key's `=` is decoded
        return _pairs(parameter, pieces, exploded=True, decode=lambda t: _decode(parameter, t))
    texts = [_decode(parameter, piece) for piece in pieces]
    if form == "list":
        return [] if texts == [""] else texts  # the table's "empty": `n=`, `.`, `;n`
    if len(texts) == 1 and texts[0]:
        # An object's keys and values sent with their separators percent-encoded too (as
        # clients that encode the whole value write it): its text is all one piece, which an
        # object never is when its separators are sent as they are.
        texts = texts[0].split(_DECODED_DELIMITERS.get(style, ","))
    return _pairs(parameter, texts, exploded=explode)


def styled_cookie(
    cookies: Mapping[str, list[str]],
    *,
    parameter: str,
    style: str,
    explode: bool,
    form: str,
    names: frozenset[str] = frozenset(),
) -> Any:
    """The value of a cookie parameter in the `form` style (as `_restjson_wire.cookie_items`
    writes it), from the request's cookies as sent; None where it is not there. Without
    `explode`, its one cookie read by `styled`; exploded, a list is every cookie of its name,
    an object (`form` "object") the cookies `names` names, a map every cookie but those
    `names` names (the other parameters' and API keys')."""
    if not explode or form in ("value", "list"):
        values = cookies.get(parameter)
        if values is None:
            return None
        if not explode or form == "value":
            if len(values) != 1:
                raise _malformed(parameter, f"given {len(values)} times; its style sends it once")
            return styled(values[0], parameter=parameter, style=style, explode=False, form=form)
        return [_decode(parameter, value) for value in values]
    keys = [key for key in cookies if (key in names) == (form == "object")]
    for key in keys:
        if len(cookies[key]) != 1:
            raise _malformed(parameter, f"its property {key!r} is given {len(cookies[key])} times")
    return {key: _decode(parameter, cookies[key][0]) for key in keys} or None


def deep_object(query: Mapping[str, list[str]], *, parameter: str) -> dict[str, str] | None:
    """A map in the `deepObject` style (`name[key]=value`, each key once), from the query as
    sent (keys decoded); None where no key of it is there."""
    found: dict[str, str] = {}
    for key, values in query.items():
        if key.startswith(parameter + "[") and key.endswith("]"):
            if len(values) != 1:
                raise _malformed(parameter, f"{key[:100]!r} is given {len(values)} times")
            found[key[len(parameter) + 1 : -1]] = _decode(parameter, values[0])
    return found or None


def header_styled(text: str, *, parameter: str, explode: bool) -> dict[str, str]:
    """An object in a header (`simple`: `k,v,...`, exploded `k=v,...`)."""
    return _pairs(parameter, split_header(text), exploded=explode)


def _pairs(
    parameter: str,
    texts: list[str],
    *,
    exploded: bool,
    decode: Callable[[str], str] | None = None,
) -> dict[str, str]:
    """An object's properties from its pieces (`k=v` each where `exploded`, else `k`, `v`
    in turn), each key and value passed through `decode` once the pieces are split."""
    found: list[tuple[str, str]] = []
    if texts == [""]:
        return {}  # an object without properties: RFC 6570 writes nothing of it
    if exploded:
        for text in texts:
            key, equals, value = text.partition("=")
            if not equals:
                raise _malformed(parameter, f"expected key=value, found {text[:100]!r}")
            found.append((key, value))
    elif len(texts) % 2:
        raise _malformed(parameter, "expected key,value pairs: a key has no value")
    else:
        found = list(zip(texts[::2], texts[1::2], strict=True))
    if decode is not None:
        found = [(decode(key), decode(value)) for key, value in found]
    pairs = dict(found)
    if len(pairs) != len(found):
        raise _malformed(parameter, "a key is given twice")
    return pairs


def _decode(parameter: str, piece: str) -> str:
    try:
        return unquote(piece, errors="strict")
    except UnicodeDecodeError:
        raise _malformed(parameter, "not UTF-8 once decoded") from None


def object_members(pairs: dict[str, str], readers: Mapping[str, tuple[str, Any]]) -> dict[str, Any]:
    """An object parameter's properties in the wire form the validators check: each key a
    member has (`readers`: key -> member name and its text reader) as that member, read; any
    other kept as it is, for the validator to report."""
    out: dict[str, Any] = {}
    for key, text in pairs.items():
        known = readers.get(key)
        if known is None:
            out[key] = text
        else:
            out[known[0]] = known[1](text)
    return out


# -- text of simple values, read strictly: what does not parse is kept as it is -----------------


def integer_from_text(text: str) -> int | str:
    value = text.strip()
    return int(value) if _INTEGER.fullmatch(value) else text


def float_from_text(text: str) -> float | str:
    value = text.strip()
    if value in _FLOAT_WORDS:
        return _json_values.decode_float(value)
    return float(value) if _NUMBER.fullmatch(value) else text


def decimal_from_text(text: str) -> Any:
    value = text.strip()
    return _json_values.decode_decimal(value) if _NUMBER.fullmatch(value) else text


def boolean_from_text(text: str) -> bool | str:
    value = text.strip()
    return value == "true" if value in ("true", "false") else text


def blob_from_text(text: str) -> bytes | str:
    return _json_values.decode_blob(text.strip(), strict=True)


def timestamp_from_text(text: str) -> Any:
    """Any of the three formats, as servers accept what clients vary in; text that is none of
    them is kept."""
    value = text.strip()
    return _json_values.decode_timestamp(value, strict=True) if value else text


def base64_text(text: str) -> str | bytes:
    """A `@mediaType` string in a header, which travels as base64; what does not decode to UTF-8
    text is kept as bytes, which the validator reports as the wrong type."""
    decoded = _json_values.decode_blob(text.strip(), strict=True)
    if isinstance(decoded, str):
        return text.encode("utf-8", "surrogatepass")
    try:
        return decoded.decode("utf-8")
    except UnicodeDecodeError:
        return decoded
