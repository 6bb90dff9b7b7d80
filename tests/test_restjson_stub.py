"""The restJson1 stub: it routes by method and URI pattern (literal segments before labels, greedy
labels, the pattern's literal query), reads every HTTP binding back strictly, and answers with
the bindings of the output and of errors. Property-based round trips check the generated client
and the generated stub agree on every binding location: what the client sends is what the
handler gets, and what the handler returns is what the client reads."""

from __future__ import annotations

import datetime
import http.client
import http.cookies
import importlib
import io
import json
import math
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import GIVEN_ENDPOINT_RULES, reference_file

NS = "example.rest"
SERVICE = f"{NS}#Things"
STRING, INTEGER, LONG = "smithy.api#String", "smithy.api#Integer", "smithy.api#Long"
BOOLEAN, DOUBLE, BLOB = "smithy.api#Boolean", "smithy.api#Double", "smithy.api#Blob"
TIMESTAMP = "smithy.api#Timestamp"


def member(target: str, **traits: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"target": target}
    if traits:
        found["traits"] = {f"smithy.api#{name}": value for name, value in traits.items()}
    return found


def structure(members: dict[str, Any], *traits: str, **valued: Any) -> dict[str, Any]:
    all_traits: dict[str, Any] = {f"smithy.api#{name}": {} for name in traits}
    all_traits |= {f"smithy.api#{name}": value for name, value in valued.items()}
    return {"type": "structure", "members": members, "traits": all_traits}


def operation(method: str, uri: str, name: str, code: int = 200) -> dict[str, Any]:
    return {
        "type": "operation",
        "input": {"target": f"{NS}#{name}Input"},
        "output": {"target": f"{NS}#{name}Output"},
        "errors": [{"target": f"{NS}#Busy"}, {"target": f"{NS}#NoSuchThing"}],
        "traits": {"smithy.api#http": {"method": method, "uri": uri, "code": code}},
    }


def _model() -> dict[str, Any]:
    inner = {
        "Label": member(STRING, jsonName="label"),
        "Data": member(BLOB),
        "At": member(TIMESTAMP),
    }
    put_input = {
        "Bucket": member(STRING, required={}, httpLabel={}),
        "Key": member(STRING, required={}, httpLabel={}),
        "Limit": member(INTEGER, httpQuery="limit"),
        "Tags": member(f"{NS}#Strings", httpQuery="tag"),
        "Since": member(TIMESTAMP, httpQuery="since"),
        "Extra": member(f"{NS}#StringMap", httpQueryParams={}),
        "Flag": member(BOOLEAN, httpHeader="X-Flag"),
        "Ids": member(f"{NS}#Strings", httpHeader="X-Ids"),
        "When": member(TIMESTAMP, httpHeader="X-When"),
        "Policy": member(f"{NS}#Json", httpHeader="X-Policy"),
        "Meta": member(f"{NS}#StringMap", httpPrefixHeaders="x-meta-"),
        "Session": {"target": STRING, "traits": {"shapesmith.api#httpCookie": "session"}},
        "Visits": {"target": INTEGER, "traits": {"shapesmith.api#httpCookie": "visits"}},
        "Name": member(STRING, jsonName="name"),
        "Size": member(LONG),
        "Ratio": member(DOUBLE),
        "Nested": member(f"{NS}#Inner"),
    }
    put_output = {
        "Status": member(INTEGER, httpResponseCode={}),
        "Tag": member(STRING, httpHeader="ETag"),
        "Meta": member(f"{NS}#StringMap", httpPrefixHeaders="x-meta-"),
        "Name": member(STRING, jsonName="name"),
        "Nested": member(f"{NS}#Inner"),
    }
    bucket = {"Bucket": member(STRING, required={}, httpLabel={})}
    operations = {
        "PutThing": operation("PUT", "/things/{Bucket}/{Key+}?op=put", "PutThing"),
        "GetThing": operation("GET", "/things/{Bucket}", "GetThing"),
        "GetThingMeta": operation("GET", "/things/{Bucket}/meta", "GetThingMeta"),
        "GetObject": operation("GET", "/things/{Bucket}/{Key+}", "GetObject"),
        "UploadThing": operation("POST", "/things/{Bucket}/upload", "UploadThing", 201),
        "FindThings": operation("GET", "/things/{Bucket}/find?format=sdk&pretty", "FindThings"),
        "GetPart": operation("GET", "/things/{Bucket}/parts/{Part}", "GetPart"),
        "ListParts": operation("GET", "/things/{Bucket}/parts", "ListParts"),
    }
    shapes: dict[str, Any] = {
        SERVICE: {
            "type": "service",
            "version": "2024-01-01",
            "operations": [{"target": f"{NS}#{name}"} for name in sorted(operations)],
            "traits": {
                "aws.protocols#restJson1": {},
                "aws.auth#sigv4": {"name": "things"},
                "aws.api#service": {"sdkId": "Rest Stub Things"},
                "smithy.rules#endpointRuleSet": GIVEN_ENDPOINT_RULES,
            },
        },
        **{f"{NS}#{name}": shape for name, shape in operations.items()},
        f"{NS}#Json": {"type": "string", "traits": {"smithy.api#mediaType": "application/json"}},
        f"{NS}#Strings": {"type": "list", "member": {"target": STRING}},
        f"{NS}#StringMap": {"type": "map", "key": {"target": STRING}, "value": {"target": STRING}},
        f"{NS}#Inner": structure(inner),
        f"{NS}#PutThingInput": structure(put_input, "input"),
        f"{NS}#PutThingOutput": structure(put_output, "output"),
        f"{NS}#GetThingInput": structure(bucket, "input"),
        f"{NS}#GetThingOutput": structure({"Data": member(BLOB, httpPayload={})}, "output"),
        f"{NS}#GetThingMetaInput": structure(bucket, "input"),
        f"{NS}#GetThingMetaOutput": structure({"Name": member(STRING)}, "output"),
        f"{NS}#GetObjectInput": structure(
            {**bucket, "Key": member(STRING, required={}, httpLabel={})}, "input"
        ),
        f"{NS}#GetObjectOutput": structure({"Text": member(STRING, httpPayload={})}, "output"),
        f"{NS}#UploadThingInput": structure(
            {**bucket, "Body": member(f"{NS}#Inner", httpPayload={})}, "input"
        ),
        f"{NS}#UploadThingOutput": structure({}, "output"),
        f"{NS}#FindThingsInput": structure(
            {
                **bucket,
                "Query": member(STRING, required={}, httpQuery="q"),
                "Size": member(INTEGER, httpQuery="size"),
                "Fields": member(f"{NS}#Strings", httpQuery="return"),
                "Since": member(TIMESTAMP, httpQuery="since"),
                "Flag": member(BOOLEAN, httpHeader="X-Flag"),
            },
            "input",
        ),
        f"{NS}#FindThingsOutput": structure({"Found": member(INTEGER)}, "output"),
        f"{NS}#GetPartInput": structure(
            {**bucket, "Part": member(STRING, required={}, httpLabel={})}, "input"
        ),
        f"{NS}#GetPartOutput": structure({}, "output"),
        f"{NS}#ListPartsInput": structure(bucket, "input"),
        f"{NS}#ListPartsOutput": structure({}, "output"),
        f"{NS}#Busy": structure(
            {
                "message": member(STRING),
                "RetryAfter": member(INTEGER, httpHeader="Retry-After"),
            },
            error="client",
            httpError=429,
        ),
        f"{NS}#NoSuchThing": structure(
            {"message": member(STRING), "Bucket": member(STRING, jsonName="bucket")},
            error="client",
            httpError=404,
        ),
    }
    return {"smithy": "2.0", "shapes": shapes}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = tmp_path_factory.mktemp("restjson-stub")
    (root / "model.json").write_text(json.dumps(_model()))
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("rest_stub_things")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "rest_stub_things"]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


class Recorder:
    """A handler that keeps each request it gets and answers with what it is told to."""

    def __init__(self) -> None:
        self.requests: list[Any] = []
        self.answers: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)

        def answer(request: Any) -> Any:
            self.requests.append(request)
            found = self.answers.get(name)
            if isinstance(found, Exception):
                raise found
            return found

        return answer


@pytest.fixture(scope="module")
def served(package: ModuleType) -> Iterator[tuple[Any, Recorder]]:
    stub = importlib.import_module(f"{package.__name__}.stub")
    recorder = Recorder()
    server = stub.StubServer(stub.create_app(recorder)).start()
    try:
        yield server, recorder
    finally:
        server.stop()


def _client_for(package: ModuleType, url: str, secret: str = "SECRET") -> Any:
    """The generated client of the stub at `url`, one attempt per call."""
    return package.RestStubThingsClient(
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKID",
        aws_secret_access_key=secret,
        max_attempts=1,
    )


@pytest.fixture()
def client(package: ModuleType, served: tuple[Any, Recorder], no_aws_configuration: None) -> Any:
    server, recorder = served
    recorder.requests.clear()
    recorder.answers.clear()
    made = _client_for(package, server.url)
    with made:
        yield made


def _send(served: tuple[Any, Recorder], method: str, target: str, **kw: Any) -> tuple[int, Any]:
    server, _ = served
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(method, target, **kw)
        response = connection.getresponse()
        body = response.read()
        code = response.getheader("x-amzn-ErrorType")
        is_json = body and response.getheader("Content-Type") == "application/json"
        return response.status, (code, json.loads(body) if is_json else body)
    finally:
        connection.close()


# -- routing ------------------------------------------------------------------------------------


def test_a_literal_segment_wins_over_a_greedy_label(client: Any, served: Any) -> None:
    _, recorder = served
    shapes = sys.modules[f"{type(client).__module__.partition('.')[0]}.shapes"]
    recorder.answers["get_thing_meta"] = shapes.GetThingMetaOutput(name="meta!")
    recorder.answers["get_object"] = shapes.GetObjectOutput(text="object")
    assert client.get_thing_meta(bucket="b").name == "meta!"
    assert client.get_object(bucket="b", key="x/meta").text == "object"
    assert client.get_object(bucket="b", key="meta/x").text == "object"


def test_a_label_takes_a_segment_with_an_encoded_slash(client: Any, served: Any) -> None:
    _, recorder = served
    shapes = sys.modules[f"{type(client).__module__.partition('.')[0]}.shapes"]
    recorder.answers["get_thing"] = shapes.GetThingOutput(data=b"\x00\xff")
    assert client.get_thing(bucket="a/b c").data == b"\x00\xff"
    assert recorder.requests[-1].bucket == "a/b c"


def test_a_trailing_slash_still_routes(package: ModuleType, served: Any) -> None:
    # botocore's older URIs end in `/` where the Smithy model's do not (EFS's DescribeTags).
    _, recorder = served
    recorder.answers["get_thing"] = package.shapes.GetThingOutput(data=b"x")
    assert _send(served, "GET", "/things/b%2Fc/")[0] == 200
    assert recorder.requests[-1].bucket == "b/c"


@pytest.mark.parametrize(
    ("target", "called"),
    [
        ("/things/b/parts/", "ListPartsInput(bucket='b')"),
        ("/things/b/parts", "ListPartsInput(bucket='b')"),
        ("/things/b/parts/p", "GetPartInput(bucket='b', part='p')"),
        ("/things/b/parts/p/", "GetPartInput(bucket='b', part='p')"),
    ],
)
def test_an_empty_segment_is_never_a_label(
    package: ModuleType, served: Any, target: str, called: str
) -> None:
    """botocore's `/bots/{botName}/aliases/` (Lex's GetBotAliases, a trailing `/`) is not
    `/bots/{botName}/aliases/{name}` with an empty name (GetBotAlias): found by the restJson1
    corpus run, where the stub answered GetBotAliases as GetBotAlias."""
    _, recorder = served
    recorder.requests.clear()
    recorder.answers["get_part"] = package.shapes.GetPartOutput()
    recorder.answers["list_parts"] = package.shapes.ListPartsOutput()
    status, (_, answer) = _send(served, "GET", target)
    assert status == 200, answer
    assert [repr(request) for request in recorder.requests] == [called]


@pytest.mark.parametrize(
    ("method", "target", "status"),
    [
        ("GET", "/nothing", 404),
        ("GET", "/things", 404),
        ("DELETE", "/things/b", 405),
        ("PUT", "/things/b/k", 405),  # without the route's literal `?op=put`: GET's path
        ("PUT", "/things/b/k?op=get", 405),
        ("GET", "/things/%FF", 400),  # not UTF-8 once decoded
    ],
)
def test_requests_no_route_takes_are_refused(
    served: Any, method: str, target: str, status: int
) -> None:
    got, (code, body) = _send(served, method, target)
    assert got == status
    assert code in {"UnknownOperationException", "SerializationException"}
    assert body["message"]


def test_a_wrong_method_names_the_allowed_ones(served: Any) -> None:
    server, _ = served
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("DELETE", "/things/b")
        response = connection.getresponse()
        response.read()
        assert response.status == 405 and response.getheader("Allow") == "GET"
    finally:
        connection.close()


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    ("target", "body", "status", "code"),
    [
        ("/things/b/find", b"q=x&format=sdk", 404, "UnknownOperationException"),  # no `pretty`
        ("/things/b/find", b"q=x&format=json&pretty", 404, "UnknownOperationException"),
        ("/things/b/find", b"q=%FF&format=sdk&pretty", 400, "SerializationException"),
        ("/things/b/find", "q=é&format=sdk&pretty".encode(), 400, "SerializationException"),
        ("/things/b/find", b"format=sdk&pretty", 400, "ValidationException"),  # Query required
        ("/nothing", b"q=x", 404, "UnknownOperationException"),
        # A POST route takes its own POSTs, form or not: this one's payload is JSON.
        ("/things/b/upload", b"q=x", 415, "UnsupportedMediaTypeException"),
    ],
)
def test_a_form_post_is_a_get_only_where_its_form_fits_the_route(
    served: Any, target: str, body: bytes, status: int, code: str
) -> None:
    got, (found, answer) = _send(served, "POST", target, body=body, headers=_FORM)
    assert (got, found) == (status, code), answer


def _as_botocore_posts_it(app: Any) -> Any:
    """The stub's app behind botocore's `change_get_to_post` (which it applies to CloudSearch
    Domain's `Search`): a GET with a query arrives as a POST of that query in a form body."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] == "GET" and environ.get("QUERY_STRING"):
            form = environ["QUERY_STRING"].encode("ascii")
            environ = {
                **environ,
                "REQUEST_METHOD": "POST",
                "QUERY_STRING": "",
                "CONTENT_TYPE": _FORM["Content-Type"],
                "CONTENT_LENGTH": str(len(form)),
                "wsgi.input": io.BytesIO(form),
            }
        return app(environ, start_response)

    return wrapped


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_get_posted_as_a_form_reaches_the_handler_as_sent(
    package: ModuleType, no_aws_configuration: None, data: st.DataObject
) -> None:
    shapes, stub = package.shapes, _stub(package)
    sent = data.draw(
        st.builds(
            shapes.FindThingsInput,
            bucket=_ANY_TEXT,
            query=_ANY_TEXT,
            size=st.none() | st.integers(-(2**31), 2**31 - 1),
            fields=st.none() | st.lists(_ANY_TEXT, min_size=1, max_size=3),
            since=st.none() | _SECONDS,
            flag=st.none() | st.booleans(),
        )
    )
    recorder = Recorder()
    recorder.answers["find_things"] = shapes.FindThingsOutput(found=3)
    # Changed after signing, unlike botocore's: the signature is not checked here (it is with
    # boto3 below).
    app = stub.create_app(recorder)
    with (
        stub.StubServer(_as_botocore_posts_it(app)) as server,
        _client_for(package, server.url) as made,
    ):
        assert made.find_things(sent).found == 3
    assert recorder.requests == [sent]


def test_the_client_never_sends_an_empty_label(client: Any, served: Any) -> None:
    _, recorder = served
    with pytest.raises(ValueError, match="the URI label Part is empty"):
        client.get_part(bucket="b", part="")
    with pytest.raises(ValueError, match="the URI label Key is empty"):
        client.get_object(bucket="b", key="")
    assert recorder.requests == []


# -- strict reading -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "headers", "body", "violation"),
    [
        ("/things/b/k?op=put&limit=1_0", {}, b"", "Limit"),
        ("/things/b/k?op=put&limit=1&limit=2", {}, b"", "Limit"),
        ("/things/b/k?op=put&since=yesterday", {}, b"", "Since"),
        ("/things/b/k?op=put", {"X-Flag": "yes"}, b"", "Flag"),
        ("/things/b/k?op=put", {"X-When": "soon"}, b"", "When"),
        ("/things/b/k?op=put", {"X-Policy": "%%%"}, b"", "Policy"),
        ("/things/b/k?op=put", {"Cookie": "visits=many"}, b"", "Visits"),
        ("/things/b/k?op=put", {"Cookie": "visits=1; visits=2"}, b"", "Visits"),
        ("/things/b/k?op=put", {"Cookie": "a=1; session=x; session=y"}, b"", "Session"),
        ("/things/b/k?op=put", {}, b'{"Nope": 1}', "Nope"),
        ("/things/b/k?op=put", {}, b'{"Name": "x"}', "Name"),  # its JSON key is `name`
        ("/things/b/k?op=put", {}, b'{"Bucket": "x"}', "Bucket"),  # a label's member name
        ("/things/b/k?op=put", {}, b'{"Size": "3"}', "Size"),
        ("/things/b/k?op=put", {}, b'{"Nested": {"Label": "x"}}', "Nested.Label"),
        ("/things/b/k?op=put", {}, b'{"Nested": {"Data": "not base64!"}}', "Nested.Data"),
    ],
)
def test_what_does_not_fit_the_model_is_a_validation_error_naming_the_member(
    served: Any, target: str, headers: dict[str, str], body: bytes, violation: str
) -> None:
    sent = {"Content-Type": "application/json", **headers} if body else headers
    status, (code, answer) = _send(served, "PUT", target, body=body, headers=sent)
    assert (status, code) == (400, "ValidationException"), answer
    assert violation in answer["message"]


_MORSEL_ATTRIBUTES = frozenset(
    {"expires", "path", "comment", "domain", "max-age", "secure", "httponly", "version"}
    | {"samesite", "partitioned"}
)
"""Names `http.cookies` takes for attributes of the cookie before them, not for cookies (it
parses `Set-Cookie`'s grammar too): a `Cookie` header may carry them, that parser cannot."""


@settings(max_examples=300, deadline=None)
@given(
    cookies=st.dictionaries(
        st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=8).filter(
            lambda name: name not in _MORSEL_ATTRIBUTES
        ),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=16),
        max_size=4,
    )
)
def test_a_cookie_header_is_what_python_s_cookie_parser_reads_back(
    package: ModuleType, cookies: dict[str, str]
) -> None:
    """The client's `Cookie` header, read by an independent parser (`http.cookies`): the same
    names, and each value once percent-decoded; nothing it would refuse or misread."""
    wire = importlib.import_module(f"{package.__name__}._restjson_wire")
    header = wire.cookie_header(list(cookies.items()))
    parsed = http.cookies.SimpleCookie()
    parsed.load(header)
    assert {name: urllib.parse.unquote(morsel.value) for name, morsel in parsed.items()} == cookies
    assert all(morsel.coded_value == morsel.value for morsel in parsed.values())


@pytest.mark.parametrize(
    ("cookie", "session"),
    [
        ('session="quoted%20value"', "quoted value"),
        ("novalue; session=x; =y; ;", "x"),
        ("session=a%3Bb", "a;b"),
    ],
)
def test_the_stub_reads_cookies_as_rfc_6265_writes_them(
    served: Any, package: ModuleType, cookie: str, session: str
) -> None:
    _, recorder = served
    recorder.answers["put_thing"] = package.shapes.PutThingOutput()
    status, _ = _send(served, "PUT", "/things/b/k?op=put", headers={"Cookie": cookie})
    assert status == 200
    assert recorder.requests[-1].session == session


def test_a_cookie_that_is_not_utf_8_once_decoded_is_refused(served: Any) -> None:
    status, (code, answer) = _send(
        served, "PUT", "/things/b/k?op=put", headers={"Cookie": "session=%FF"}
    )
    assert (status, code) == (400, "SerializationException"), answer


@pytest.mark.parametrize(
    ("headers", "body", "status", "code"),
    [
        ({"Content-Type": "text/plain"}, b'{"name": "x"}', 415, "UnsupportedMediaTypeException"),
        ({"Content-Type": "application/json"}, b"{", 400, "SerializationException"),
        ({"Content-Type": "application/json"}, b"[1]", 400, "SerializationException"),
        ({"Content-Type": "application/json"}, b"\xff", 400, "SerializationException"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    served: Any, headers: dict[str, str], body: bytes, status: int, code: str
) -> None:
    got, (found, _) = _send(served, "PUT", "/things/b/k?op=put", body=body, headers=headers)
    assert (got, found) == (status, code)


# -- round trips through the generated client ---------------------------------------------------

_HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E) | st.sampled_from("éüß€中"),
    min_size=1,
    max_size=12,
)
"""Header values with no blank at either end (HTTP trims them); non-ASCII goes as UTF-8."""
_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12)
_SECONDS = st.datetimes(
    min_value=datetime.datetime(1970, 1, 2),
    max_value=datetime.datetime(2200, 1, 1),
    timezones=st.just(datetime.UTC),
).map(lambda moment: moment.replace(microsecond=0))
_MILLISECONDS = st.datetimes(
    min_value=datetime.datetime(1970, 1, 2),
    max_value=datetime.datetime(2200, 1, 1),
    timezones=st.just(datetime.UTC),
).map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000))
_QUERY_KEYS = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6).filter(
    lambda key: key not in {"limit", "tag", "since", "op"}
)
_HEADER_KEYS = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)


def _inner(shapes: ModuleType) -> st.SearchStrategy[Any]:
    return st.builds(
        shapes.Inner,
        label=st.none() | _ANY_TEXT,
        data=st.none() | st.binary(max_size=8),
        at=st.none() | _MILLISECONDS,
    )


def _put_input(shapes: ModuleType) -> st.SearchStrategy[Any]:
    return st.builds(
        shapes.PutThingInput,
        bucket=_ANY_TEXT,
        key=_ANY_TEXT.filter(lambda key: "/" not in (key[0], key[-1]) and "//" not in key),
        limit=st.none() | st.integers(-(2**31), 2**31 - 1),
        tags=st.none() | st.lists(_ANY_TEXT, min_size=1, max_size=3),
        since=st.none() | _SECONDS,
        extra=st.none() | st.dictionaries(_QUERY_KEYS, _ANY_TEXT, min_size=1, max_size=3),
        flag=st.none() | st.booleans(),
        ids=st.none() | st.lists(_HEADER_TEXT, min_size=1, max_size=3),
        when=st.none() | _SECONDS,
        policy=st.none() | _ANY_TEXT,
        meta=st.none() | st.dictionaries(_HEADER_KEYS, _HEADER_TEXT, min_size=1, max_size=3),
        # any text at all: what a Cookie header cannot carry is percent-encoded
        session=st.none() | st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
        visits=st.none() | st.integers(-(2**31), 2**31 - 1),
        name=st.none() | _ANY_TEXT,
        size=st.none() | st.integers(-(2**63), 2**63 - 1),
        ratio=st.none() | st.floats(allow_nan=False),
        nested=st.none() | _inner(shapes),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_handler_gets_exactly_what_the_client_sent(
    package: ModuleType, client: Any, served: Any, data: st.DataObject
) -> None:
    _, recorder = served
    sent = data.draw(_put_input(package.shapes))
    recorder.requests.clear()
    recorder.answers["put_thing"] = package.shapes.PutThingOutput()
    client.put_thing(sent)
    assert recorder.requests == [sent]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_client_reads_exactly_what_the_handler_answered(
    package: ModuleType, client: Any, served: Any, data: st.DataObject
) -> None:
    _, recorder = served
    shapes = package.shapes
    answer = data.draw(
        st.builds(
            shapes.PutThingOutput,
            status=st.none() | st.sampled_from([200, 201, 202, 206]),
            tag=st.none() | _HEADER_TEXT,
            meta=st.none() | st.dictionaries(_HEADER_KEYS, _HEADER_TEXT, min_size=1, max_size=3),
            name=st.none() | _ANY_TEXT,
            nested=st.none() | _inner(shapes),
        )
    )
    recorder.answers["put_thing"] = answer
    got = client.put_thing(bucket="b", key="k")
    expected = answer if answer.status is not None else _with(answer, status=200)
    assert got == expected


def _with(value: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(value, **changes)


def test_a_structure_payload_and_a_success_code_travel(
    package: ModuleType, client: Any, served: Any
) -> None:
    _, recorder = served
    recorder.answers["upload_thing"] = package.shapes.UploadThingOutput()
    moment = datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.UTC)
    body = package.shapes.Inner(label="x", data=b"\x01", at=moment)
    client.upload_thing(bucket="b", body=body)
    assert recorder.requests[-1].body == body
    payload = json.dumps({"label": "y"}).encode()
    headers = {"Content-Type": "application/json"}
    status, _ = _send(served, "POST", "/things/b/upload", body=payload, headers=headers)
    assert status == 201 and recorder.requests[-1].body == package.shapes.Inner(label="y")


def test_a_modelled_error_travels_with_its_header_and_json_members(
    package: ModuleType, client: Any, served: Any
) -> None:
    _, recorder = served
    errors = package.errors
    recorder.answers["get_thing"] = errors.Busy(message="slow down", retry_after=7)
    with pytest.raises(errors.Busy) as raised:
        client.get_thing(bucket="b")
    assert (raised.value.retry_after, str(raised.value)) == (7, "slow down")
    recorder.answers["get_thing"] = errors.NoSuchThing(message="gone", bucket="b")
    with pytest.raises(errors.NoSuchThing) as missing:
        client.get_thing(bucket="b")
    assert missing.value.bucket == "b" and missing.value.http_status == 404


@pytest.mark.parametrize("tag", ["a\r\nX-Injected: 1", "a\nb", "nul\x00"])
def test_a_header_value_that_would_break_the_line_is_never_written(
    package: ModuleType, served: Any, tag: str
) -> None:
    _, recorder = served
    recorder.answers["put_thing"] = package.shapes.PutThingOutput(tag=tag)
    server, _ = served
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("PUT", "/things/b/k?op=put")
        response = connection.getresponse()
        body = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 500 and response.getheader("X-Injected") is None
    assert "cannot be sent" in body["message"]


@pytest.mark.parametrize("status", [302, 404, 99])
def test_an_output_status_that_is_no_success_is_never_sent(
    package: ModuleType, client: Any, served: Any, status: int
) -> None:
    _, recorder = served
    recorder.answers["put_thing"] = package.shapes.PutThingOutput(status=status)
    with pytest.raises(package.errors.ServiceError) as raised:
        client.put_thing(bucket="b", key="k")
    assert raised.value.status_code == 500 and "not a success" in str(raised.value)


def test_floats_round_trip_as_their_words(package: ModuleType, client: Any, served: Any) -> None:
    _, recorder = served
    recorder.answers["put_thing"] = package.shapes.PutThingOutput()
    client.put_thing(bucket="b", key="k", ratio=math.inf)
    assert recorder.requests[-1].ratio == math.inf


# -- the stub's tools over restJson1: Stubber, fixtures, faults, SigV4 ---------------------------


def _stub(package: ModuleType) -> ModuleType:
    return importlib.import_module(f"{package.__name__}.stub")


def test_the_stubber_answers_through_the_http_bindings(package: ModuleType, client: Any) -> None:
    stub = _stub(package)
    with stub.Stubber(client) as stubber:
        stubber.add_response(
            "PutThing",
            {"Status": 202, "Tag": "v1", "Meta": {"a": "1"}, "Name": "n"},
            expected_params={"Bucket": "a b", "Key": "k/1", "Limit": 3, "Name": "n"},
        )
        stubber.add_client_error(
            "GetThing", "Busy", "slow down", service_error_meta={"RetryAfter": 9}
        )
        stubber.add_client_error("GetThing", "Teapot", "short and stout", http_status_code=418)
        got = client.put_thing(bucket="a b", key="k/1", limit=3, name="n")
        assert (got.status, got.tag, got.meta, got.name) == (202, "v1", {"a": "1"}, "n")
        with pytest.raises(package.errors.Busy) as busy:
            client.get_thing(bucket="b")
        assert (busy.value.retry_after, str(busy.value)) == (9, "slow down")
        with pytest.raises(package.errors.ServiceError) as teapot:
            client.get_thing(bucket="b")
        assert (teapot.value.error_code, teapot.value.status_code) == ("Teapot", 418)
        stubber.assert_no_pending_responses()


def test_the_stubber_routes_by_method_and_path(package: ModuleType, client: Any) -> None:
    stub = _stub(package)
    with stub.Stubber(client) as stubber:
        stubber.add_response(
            "GetObject", {"Text": "t"}, expected_params={"Bucket": "b", "Key": "meta/x"}
        )
        stubber.add_response("GetThingMeta", {"Name": "m"})
        assert client.get_object(bucket="b", key="meta/x").text == "t"
        with pytest.raises(stub.StubAssertionError, match="expected a call of GetThingMeta"):
            client.get_object(bucket="b", key="y")
    with stub.Stubber(client) as stubber:
        stubber.add_response(
            "GetObject", {"Text": "t"}, expected_params={"Bucket": "b", "Key": "z"}
        )
        with pytest.raises(stub.StubAssertionError, match="called with"):
            client.get_object(bucket="b", key="y")


def test_fixtures_match_members_from_any_binding(
    package: ModuleType, no_aws_configuration: None
) -> None:
    stub = _stub(package)
    fixtures = stub.fixtures_from_data(
        {
            "GetThingMeta": [
                {"match": {"Bucket": "special"}, "response": {"Name": "matched"}},
                {"match": {}, "error": {"code": "NoSuchThing", "message": "no"}},
            ]
        },
        stub.SERVICE,
    )
    with stub.StubServer(stub.create_app(fixtures=fixtures)) as server:
        made = _client_for(package, server.url)
        with made:
            assert made.get_thing_meta(bucket="special").name == "matched"
            with pytest.raises(package.errors.NoSuchThing):
                made.get_thing_meta(bucket="other")


def test_an_injected_error_answers_with_its_status(
    package: ModuleType, no_aws_configuration: None
) -> None:
    stub = _stub(package)
    faults = stub.Faults().queue("GetThingMeta", "error:NoSuchThing")
    with stub.StubServer(stub.create_app(faults=faults)) as server:
        made = _client_for(package, server.url)
        with made, pytest.raises(package.errors.NoSuchThing) as raised:
            made.get_thing_meta(bucket="b")
    assert raised.value.http_status == 404


@pytest.mark.parametrize(("secret", "accepted"), [("SECRET", True), ("WRONG", False)])
def test_sigv4_is_verified_over_encoded_labels_and_queries(
    package: ModuleType, no_aws_configuration: None, secret: str, accepted: bool
) -> None:
    stub = _stub(package)
    recorder = Recorder()
    recorder.answers["put_thing"] = package.shapes.PutThingOutput()
    app = stub.create_app(recorder, credentials=("AKID", "SECRET"))
    with stub.StubServer(app) as server:
        made = _client_for(package, server.url, secret=secret)
        with made:
            call = lambda: made.put_thing(  # noqa: E731
                bucket="a b/ü", key="x y/z~*", tags=["1 2", "ä"], extra={"q": "a+b"}, ids=["€"]
            )
            if accepted:
                call()
            else:
                with pytest.raises(package.errors.ServiceError) as raised:
                    call()
                assert raised.value.status_code == 403
    assert len(recorder.requests) == (1 if accepted else 0)


def test_a_required_response_code_at_its_default_answers_the_operations_code(
    tmp_path: Path,
) -> None:
    """MediaStore Data's GetObject has a required `StatusCode` with `@default(0)`: the fake's
    default answer carries 0, which is no status; the stub answers the operation's 200 (found by
    the restJson1 corpus run, where boto3 got a 500)."""
    model = reference_file("models", "aws-corpus", "restJson1", "mediastore-data-2017-09-01.json")
    (tmp_path / "shapesmith.toml").write_text(
        f'models = [{json.dumps(str(model))}]\noutput = "out"\n'
        'operations = ["com.amazonaws.mediastoredata#GetObject"]\n',
        "utf-8",
    )
    assert main(["generate", "-q", "--config", str(tmp_path / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        stub = importlib.import_module("media_store_data.stub")
        import boto3
        from botocore.config import Config

        with stub.serve(stub.InMemoryMediaStoreData()) as server:
            client = boto3.session.Session().client(
                "mediastore-data",
                endpoint_url=server.url,
                region_name="us-east-1",
                aws_access_key_id="AKID",
                aws_secret_access_key="SECRET",
                config=Config(retries={"total_max_attempts": 1}),
            )
            answer = client.get_object(Path="folder/object")
            assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
            assert answer["Body"].read() == b""
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [n for n in sys.modules if n.partition(".")[0] == "media_store_data"]:
            del sys.modules[name]


def test_boto3_searches_cloudsearch_domain_with_a_form_post(
    tmp_path: Path, no_aws_configuration: None
) -> None:
    """botocore sends CloudSearch Domain's `Search`, a GET in the model, as a POST of its query
    in a form body; the stub routes it as the GET, its signature verified (found by the restJson1
    corpus run: boto3 got a 404)."""
    model = reference_file(
        "models", "aws-corpus", "restJson1", "cloudsearch-domain-2013-01-01.json"
    )
    (tmp_path / "shapesmith.toml").write_text(
        f'models = [{json.dumps(str(model))}]\noutput = "out"\n'
        'operations = ["com.amazonaws.cloudsearchdomain#Search"]\n',
        "utf-8",
    )
    assert main(["generate", "-q", "--config", str(tmp_path / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        package = importlib.import_module("cloud_search_domain")
        stub = importlib.import_module("cloud_search_domain.stub")
        import boto3
        from botocore.config import Config

        recorder = Recorder()
        recorder.answers["search"] = package.shapes.SearchResponse(
            status=package.shapes.SearchStatus(rid="r1", timems=7)
        )
        app = stub.create_app(recorder, credentials=("AKID", "SECRET"))
        with stub.StubServer(app) as server:
            client = boto3.session.Session().client(
                "cloudsearchdomain",
                endpoint_url=server.url,
                region_name="us-east-1",
                aws_access_key_id="AKID",
                aws_secret_access_key="SECRET",
                config=Config(retries={"total_max_attempts": 1}),
            )
            answer = client.search(query="a b+c & é", size=3, sort="_score desc")
            assert answer["status"] == {"rid": "r1", "timems": 7}
        (request,) = recorder.requests
        assert (request.query, request.size, request.sort) == ("a b+c & é", 3, "_score desc")
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [n for n in sys.modules if n.partition(".")[0] == "cloud_search_domain"]:
            del sys.modules[name]


def test_a_rule_set_parameter_only_operations_bind_does_not_stop_the_client(
    tmp_path: Path, no_aws_configuration: None
) -> None:
    """Neptune Graph's rule set requires `ApiType`, which every operation binds by
    @staticContextParams: the client is made (no endpoint of its own), each call resolves its
    operation's endpoint, and a rule set that cannot resolve one is still refused by the call
    (found by the restJson1 corpus run: the client's constructor raised)."""
    model = _model()
    shapes = model["shapes"]
    rules = {
        "version": "1.0",
        "parameters": {
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"},
            "ApiType": {"type": "String", "required": True},
        },
        "rules": [
            {
                "type": "endpoint",
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                    {"fn": "stringEquals", "argv": [{"ref": "ApiType"}, "DataPlane"]},
                ],
                "endpoint": {"url": {"ref": "Endpoint"}},
            },
            {"type": "error", "conditions": [], "error": "no endpoint for this API type"},
        ],
    }
    shapes[SERVICE]["traits"]["smithy.rules#endpointRuleSet"] = rules
    # Its own package name: the module's fixture has imported `rest_stub_things`.
    shapes[SERVICE]["traits"]["aws.api#service"] = {"sdkId": "Rest Stub Planes"}
    shapes[f"{NS}#GetThingMeta"]["traits"]["smithy.rules#staticContextParams"] = {
        "ApiType": {"value": "DataPlane"}
    }
    shapes[f"{NS}#ListParts"]["traits"]["smithy.rules#staticContextParams"] = {
        "ApiType": {"value": "ControlPlane"}
    }
    (tmp_path / "model.json").write_text(json.dumps(model))
    (tmp_path / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--config", str(tmp_path / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        package = importlib.import_module("rest_stub_planes")
        stub = importlib.import_module("rest_stub_planes.stub")
        recorder = Recorder()
        recorder.answers["get_thing_meta"] = package.shapes.GetThingMetaOutput(name="m")
        with (
            stub.StubServer(stub.create_app(recorder)) as server,
            package.RestStubPlanesClient(
                region_name="us-east-1",
                endpoint_url=server.url,
                aws_access_key_id="AKID",
                aws_secret_access_key="SECRET",
                max_attempts=1,
            ) as made,
        ):
            assert made.endpoint_url is None
            assert made.get_thing_meta(bucket="b").name == "m"
            with pytest.raises(ValueError, match="no endpoint for this API type"):
                made.list_parts(bucket="b")
            with pytest.raises(ValueError, match="missing required endpoint parameter"):
                made.get_thing(bucket="b")  # binds no ApiType
        assert len(recorder.requests) == 1
    finally:
        sys.path.remove(str(tmp_path / "out"))
        for name in [n for n in sys.modules if n.partition(".")[0] == "rest_stub_planes"]:
            del sys.modules[name]
