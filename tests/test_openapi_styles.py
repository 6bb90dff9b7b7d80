"""OpenAPI's parameter styles (`style`/`explode`) end to end: the generated client writes each
one, the generated stub reads each back, over 127.0.0.1.

Three ways of checking: Hypothesis values sent from the client through the stub to a handler
that keeps what it got (the same values must arrive); the OpenAPI style table's own examples
(the array `blue, black, brown`, the object `R: 100, G: 200, B: 150`), which the client must
write exactly as the table shows and the stub must read when sent as raw requests; and
malformed texts, which the stub refuses with a 400 naming the parameter.

schemathesis, which writes each style its own way, sends requests made from the document too.
No implementation with deserialisers is used: openapi-core (the pip-installable one with parameter
deserialisers) pins older openapi-spec-validator and openapi-schema-validator than the ones
shapesmith checks documents with, and splits values after percent-decoding them, so it cannot
tell a value's own `,` from a separator. The spec's table is the reference instead.
"""

from __future__ import annotations

import contextlib
import http.server
import importlib
import io
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import FIXTURES, generate_files, generated_package
from tests.generated_lint import assert_lint_clean
from tests.schemathesis_run import run_schemathesis

DOCUMENT = FIXTURES / "openapi" / "styles-3.1.yaml"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("styles")
    # every style of the document is supported: no warning
    with generated_package(root, DOCUMENT, "styles", no_warnings=True) as module:
        yield module


class _Keeper:
    """A handler that keeps each input it gets and answers with an empty output."""

    def __init__(self, shapes: ModuleType) -> None:
        self.shapes = shapes
        self.got: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        output = getattr(self.shapes, "".join(p.capitalize() for p in name.split("_")) + "Output")

        def handle(request: Any) -> Any:
            self.got.append(request)
            return output()

        return handle


@pytest.fixture(scope="module")
def running(package: ModuleType) -> Iterator[tuple[Any, _Keeper, str]]:
    """(a client of the stub, the stub's handler, the stub's URL)."""
    shapes = importlib.import_module("styles.shapes")
    stub = importlib.import_module("styles.stub")
    client_module = importlib.import_module("styles.client")
    keeper = _Keeper(shapes)
    with (
        stub.serve(keeper) as server,
        client_module.StylesClient(endpoint_url=server.url, max_attempts=1) as client,
    ):
        yield client, keeper, server.url


# -- Hypothesis: what the client sends is what the stub reads --------------------------------

_INT = st.integers(-(2**63), 2**63 - 1)
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12).map(
    str.strip
)
_TINT = st.fixed_dictionaries(
    {}, optional={"R": _INT, "name": st.from_regex(r"[A-Za-z0-9]*", fullmatch=True)}
)


def _colors(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={"R": _INT, "G": _INT, "B": _INT, "name": text})


_SAFE = st.from_regex(r"[A-Za-z0-9]*", fullmatch=True)
_COOKIE_NAME = st.from_regex(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", fullmatch=True)


def _maps(
    keys: st.SearchStrategy[str], values: st.SearchStrategy[Any], min_size: int = 0
) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(keys, values, min_size=min_size, max_size=4)


def _inputs() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    some_color = _colors(_TEXT).filter(bool)  # a simple label is never empty
    color = _colors(_TEXT)
    words = st.lists(_TEXT, max_size=4)
    names = _maps(_TEXT, _TEXT)
    no_space = _TEXT.filter(lambda text: " " not in text)
    return st.one_of(
        st.tuples(
            st.just("map_path"),
            st.fixed_dictionaries(
                {
                    "sMap": _maps(_TEXT, _INT, min_size=1),
                    "sMapX": _maps(_TEXT, _INT, min_size=1),
                    "lMap": names,
                    "lMapX": names,
                    "mMap": names,
                    "mMapX": names,
                }
            ),
        ),
        st.tuples(
            st.just("map_query"),
            st.fixed_dictionaries(
                {},
                optional={
                    "counts": _maps(_TEXT, _INT),
                    "spacedMap": _maps(no_space, _INT),
                    "pipedMap": names,
                    "deepMap": names,
                    # every key the others leave: not theirs, nor a deepMap[...] key
                    "others": _maps(
                        _TEXT.filter(
                            lambda k: k not in ("counts", "spacedMap", "pipedMap")
                            and not (k.startswith("deepMap[") and k.endswith("]"))
                        ),
                        _TEXT,
                    ),
                },
            ),
        ),
        st.tuples(
            st.just("map_headers"),
            st.fixed_dictionaries(
                {},
                optional={
                    "XMap": _maps(_SAFE.filter(bool), _SAFE),
                    "XMapExploded": _maps(_SAFE.filter(bool), _SAFE),
                },
            ),
        ),
        st.tuples(
            st.just("cookies"),
            st.fixed_dictionaries(
                {},
                optional={
                    "cList": st.lists(_INT, max_size=4),
                    "cObject": color,
                    "cMap": _maps(_TEXT, _INT),
                    "cListX": words,
                    "cObjectX": _TINT,
                },
            ),
        ),
        st.tuples(
            st.just("cookie_map"),
            st.fixed_dictionaries(
                {},
                optional={
                    "plain": _TEXT,
                    "rest": _maps(_COOKIE_NAME.filter(lambda k: k != "plain"), _TEXT),
                },
            ),
        ),
        st.tuples(
            st.just("simple_path"),
            st.fixed_dictionaries(
                {
                    "sList": st.lists(_INT, min_size=1, max_size=4),
                    "sObject": some_color,
                    "sObjectX": some_color,
                }
            ),
        ),
        st.tuples(
            st.just("label_path"),
            st.fixed_dictionaries(
                {
                    "lValue": _TEXT,
                    "lList": st.lists(_TEXT, min_size=1, max_size=4),
                    "lListX": st.lists(_TEXT, min_size=1, max_size=4),
                    "lObject": color,
                    "lObjectX": color,
                }
            ),
        ),
        st.tuples(
            st.just("matrix_path"),
            st.fixed_dictionaries(
                {
                    "mValue": _TEXT,
                    "mList": st.lists(_TEXT, min_size=1, max_size=4),
                    "mListX": st.lists(_TEXT, min_size=1, max_size=4),
                    "mObject": color,
                    "mObjectX": color,
                }
            ),
        ),
        st.tuples(
            st.just("query"),
            st.fixed_dictionaries(
                {"required": st.lists(_INT, max_size=4)},
                optional={
                    "ids": st.lists(_INT, max_size=4),
                    "words": words,
                    "spaced": st.lists(_TEXT.filter(lambda text: " " not in text), max_size=4),
                    "piped": words,
                    "repeated": words,
                    "color": color,
                    "deep": color,
                },
            ),
        ),
        st.tuples(
            st.just("headers"),
            st.fixed_dictionaries(
                {},
                optional={
                    "XList": st.lists(_HEADER_TEXT, min_size=1, max_size=4),
                    "XObject": _TINT,
                    "XObjectExploded": _TINT,
                },
            ),
        ),
    )


_LEFT_OUT_EMPTY = {
    "repeated",
    "XList",
    "XObject",
    "XObjectExploded",
    "deepMap",
    "XMap",
    "XMapExploded",
    "cListX",
    "cObjectX",
    "rest",
    "others",
}
"""Parameters an empty list, object or map is not sent in (exploded query lists, deepObject
maps, headers, exploded cookies)."""


def _expected(operation: str, sent: dict[str, Any]) -> dict[str, Any]:
    """What arrives of `sent`: an empty list or object travels as the style table's "empty"
    form except where it is left out; a list of one empty string is written as that form too,
    and read as an empty list; a deepObject's properties are members of their own."""
    out: dict[str, Any] = {}
    for key, value in sent.items():
        if key == "deep":
            out.update({f"deep[{prop}]": item for prop, item in value.items()})
        elif key in _LEFT_OUT_EMPTY and value in ([], {}):
            continue
        else:
            out[key] = [] if value == [""] and key not in _LEFT_OUT_EMPTY else value
    return out


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=_inputs())
def test_what_the_client_sends_in_each_style_the_stub_reads(
    running: tuple[Any, _Keeper, str], case: tuple[str, dict[str, Any]]
) -> None:
    client, keeper, _ = running
    operation, sent = case
    shapes = importlib.import_module("styles.shapes")
    input_class = getattr(shapes, "".join(p.capitalize() for p in operation.split("_")) + "Input")
    wire = _expected(operation, sent)
    members = _as_members(input_class, wire)
    value = input_class.from_dict(members)
    assert value.to_dict() == members  # every member name is right: nothing left out
    getattr(client, operation)(value)
    assert keeper.got[-1] == value


def _as_members(input_class: Any, wire: dict[str, Any]) -> dict[str, Any]:
    """`from_dict` takes member names; a deepObject's keys are its members' wire names."""
    renamed = {"deep[R]": "deepR", "deep[G]": "deepG", "deep[B]": "deepB", "deep[name]": "deepName"}
    return {renamed.get(key, key): value for key, value in wire.items()}


# -- the style table of the OpenAPI Specification ---------------------------------------------

_TABLE_CALLS: list[tuple[str, dict[str, Any], str, dict[str, str]]] = [
    # (operation, its input, the request target the table gives, the headers it gives)
    (
        "simple_path",
        {
            "sList": [1, 2, 3],
            "sObject": {"R": 100, "G": 200, "B": 150},
            "sObjectX": {"R": 100, "G": 200, "B": 150},
        },
        "/simple/1,2,3/R,100,G,200,B,150/R=100,G=200,B=150",
        {},
    ),
    (
        "label_path",
        {
            "lValue": "blue",
            "lList": ["blue", "black", "brown"],
            "lListX": ["blue", "black", "brown"],
            "lObject": {"R": 100, "G": 200, "B": 150},
            "lObjectX": {"R": 100, "G": 200, "B": 150},
        },
        "/label/.blue/.blue,black,brown/.blue.black.brown/.R,100,G,200,B,150/.R=100.G=200.B=150",
        {},
    ),
    (
        "matrix_path",
        {
            "mValue": "blue",
            "mList": ["blue", "black", "brown"],
            "mListX": ["blue", "black", "brown"],
            "mObject": {"R": 100, "G": 200, "B": 150},
            "mObjectX": {"R": 100, "G": 200, "B": 150},
        },
        "/matrix/;mValue=blue/;mList=blue,black,brown/;mListX=blue;mListX=black;mListX=brown"
        "/;mObject=R,100,G,200,B,150/;R=100;G=200;B=150",
        {},
    ),
    (
        "matrix_path",
        {
            "mValue": "",
            "mList": ["blue"],
            "mListX": ["blue"],
            "mObject": {"R": 100},
            "mObjectX": {"R": 100},
        },
        "/matrix/;mValue/;mList=blue/;mListX=blue/;mObject=R,100/;R=100",
        {},
    ),
    (
        "query",
        {
            "ids": [1, 2, 3],
            "words": ["blue", "black", "brown"],
            "spaced": ["blue", "black", "brown"],
            "piped": ["blue", "black", "brown"],
            "repeated": ["blue", "black", "brown"],
            "color": {"R": 100, "G": 200, "B": 150},
            "deepR": 100,
            "deepG": 200,
            "required": [7],
        },
        "/query?ids=1,2,3&words=blue,black,brown&spaced=blue%20black%20brown"
        "&piped=blue|black|brown&repeated=blue&repeated=black&repeated=brown"
        "&color=R,100,G,200,B,150&deep%5BR%5D=100&deep%5BG%5D=200&required=7",
        {},
    ),
    (
        "query",
        {"ids": [], "color": {}, "required": []},
        "/query?ids=&color=&required=",  # the table's "empty" column
        {},
    ),
    (
        "map_path",
        {
            "sMap": {"R": 100, "G": 200},
            "sMapX": {"R": 100, "G": 200},
            "lMap": {"R": "100", "G": "200"},
            "lMapX": {"R": "100", "G": "200"},
            "mMap": {"R": "100", "G": "200"},
            "mMapX": {"R": "100", "G": "200"},
        },
        "/maps/R,100,G,200/R=100,G=200/.R,100,G,200/.R=100.G=200/;mMap=R,100,G,200/;R=100;G=200",
        {},
    ),
    (
        "map_path",
        {"sMap": {"R": 100}, "sMapX": {"R": 100}, "lMap": {}, "lMapX": {}, "mMap": {}, "mMapX": {}},
        "/maps/R,100/R=100/././;mMap/;mMapX",  # the table's "empty" forms
        {},
    ),
    (
        "map_query",
        {
            "counts": {"R": 100, "G": 200, "B": 150},
            "spacedMap": {"R": 100, "G": 200, "B": 150},
            "pipedMap": {"R": "100", "G": "200", "B": "150"},
            "deepMap": {"R": "100", "G": "200", "B": "150"},
            "others": {"x": "1"},
        },
        "/map-query?counts=R,100,G,200,B,150&spacedMap=R%20100%20G%20200%20B%20150"
        "&pipedMap=R|100|G|200|B|150"
        "&deepMap%5BR%5D=100&deepMap%5BG%5D=200&deepMap%5BB%5D=150&x=1",
        {},
    ),
    (
        "map_headers",
        {"XMap": {"R": "100", "G": "200"}, "XMapExploded": {"R": "100", "G": "200"}},
        "/map-headers",
        {"X-Map": "R,100,G,200", "X-Map-Exploded": "R=100,G=200"},
    ),
    (
        "cookies",
        {
            "cList": [1, 2, 3],
            "cObject": {"R": 100, "G": 200, "B": 150},
            "cMap": {"R": 100, "G": 200, "B": 150},
            "cListX": ["blue", "black", "brown"],
            "cObjectX": {"R": 100, "name": "blue"},
        },
        "/cookies",
        # explode false: the form table's value; explode true: a cookie per item or property
        {
            "Cookie": "cList=1,2,3; cObject=R,100,G,200,B,150; cMap=R,100,G,200,B,150; "
            "cListX=blue; cListX=black; cListX=brown; R=100; name=blue"
        },
    ),
    (
        "cookies",
        {"cList": [], "cObject": {}, "cMap": {}},
        "/cookies",
        {"Cookie": "cList=; cObject=; cMap="},  # the table's "empty" column
    ),
    (
        "cookie_map",
        {"plain": "a b", "rest": {"R": "100", "G": "200"}},
        "/cookie-map",
        {"Cookie": "plain=a%20b; R=100; G=200"},
    ),
    (
        "headers",
        {
            "XList": ["blue", "black", "brown"],
            "XObject": {"R": 100, "name": "blue"},
            "XObjectExploded": {"R": 100, "name": "blue"},
        },
        "/headers",
        {
            "X-List": "blue,black,brown",
            "X-Object": "R,100,name,blue",
            "X-Object-Exploded": "R=100,name=blue",
        },
    ),
]


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("index", range(len(_TABLE_CALLS)))
def test_the_client_writes_the_style_table_s_examples(
    package: ModuleType, recorder: str, index: int
) -> None:
    operation, members, target, headers = _TABLE_CALLS[index]
    shapes = importlib.import_module("styles.shapes")
    client_module = importlib.import_module("styles.client")
    input_class = getattr(shapes, "".join(p.capitalize() for p in operation.split("_")) + "Input")
    with client_module.StylesClient(endpoint_url=recorder, max_attempts=1) as client:
        getattr(client, operation)(input_class.from_dict(members))
    path, sent_headers = _Recorder.seen[-1]
    assert sorted(path.replace("[", "%5B").replace("]", "%5D").split("&")) == sorted(
        target.split("&")
    )
    for name, value in headers.items():
        assert sent_headers[name.lower()] == value


@pytest.mark.parametrize("index", range(len(_TABLE_CALLS)))
def test_the_stub_reads_the_style_table_s_examples(
    running: tuple[Any, _Keeper, str], index: int
) -> None:
    _, keeper, url = running
    operation, members, target, headers = _TABLE_CALLS[index]
    shapes = importlib.import_module("styles.shapes")
    input_class = getattr(shapes, "".join(p.capitalize() for p in operation.split("_")) + "Input")
    request = urllib.request.Request(url + target, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 204
    assert keeper.got[-1] == input_class.from_dict(members)


@pytest.mark.parametrize(
    ("target", "headers", "parameter"),
    [
        ("/label/blue/.a/.a/.R,1/.R=1", {}, "lValue"),  # no leading `.`
        ("/label/.b/.a/.a/.R,1,G/.R=1", {}, "lObject"),  # a key without its value
        ("/label/.b/.a/.a/.R,1/.R", {}, "lObjectX"),  # exploded: no `=`
        ("/label/.b/.a/.a/.R,1,R,2/.R=1", {}, "lObject"),  # a key twice
        ("/matrix/;other=b/;mList=a/;mListX=a/;mObject=R,1/;R=1", {}, "mValue"),
        ("/matrix/;mValue=b/;mList=a/;mListX=a;x=b/;mObject=R,1/;R=1", {}, "mListX"),
        ("/matrix/;mValue=b/;mList=a/;mListX=a/;mObject=R,1/;R=1", {}, None),  # fine
        ("/matrix/;mValue=%FF/;mList=a/;mListX=a/;mObject=R,1/;R=1", {}, ""),  # not UTF-8
        ("/query?required=1&ids=1&ids=2", {}, "ids"),  # one key, given twice
        ("/query?required=1&color=R,1,G", {}, "color"),
        ("/headers", {"X-Object": "R,1,G"}, "X-Object"),
        ("/headers", {"X-Object-Exploded": "R=1,G"}, "X-Object-Exploded"),
        ("/maps/R,1,G/R=1/././;mMap/;mMapX", {}, "sMap"),
        ("/maps/R,1/R=1/./.R/;mMap/;mMapX", {}, "lMapX"),
        ("/map-query?deepMap%5Ba%5D=1&deepMap%5Ba%5D=2", {}, "deepMap"),
        ("/map-query?counts=a,1,a,2", {}, "counts"),
        ("/map-headers", {"X-Map": "a,1,b"}, "X-Map"),
        ("/cookies", {"Cookie": "cList=1,2; cList=3"}, "cList"),
        ("/cookies", {"Cookie": "cObject=R,1,G"}, "cObject"),
        ("/cookies", {"Cookie": "cMap=R,1,R,2"}, "cMap"),
        ("/cookies", {"Cookie": "R=1; R=2"}, "cObjectX"),
        ("/cookies", {"Cookie": "cListX=a; cListX=%FF"}, "cListX"),
        ("/cookie-map", {"Cookie": "plain=a; x=1; x=2"}, "rest"),
        ("/cookies", {"Cookie": "cListX=a; cListX=b; R=1; name=x; other=1"}, None),  # fine
    ],
)
def test_a_malformed_styled_parameter_is_a_400_naming_it(
    running: tuple[Any, _Keeper, str], target: str, headers: dict[str, str], parameter: str | None
) -> None:
    _, _, url = running
    request = urllib.request.Request(url + target, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            status, body = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    if parameter is None:
        assert status == 204
        return
    assert status == 400, body
    if parameter:
        assert f"the parameter {parameter!r}" in json.loads(body)["message"]


def test_schemathesis_s_requests_in_each_style_are_read(
    running: tuple[Any, _Keeper, str],
) -> None:
    """schemathesis writes each parameter in its style its own way (an independent writer):
    every request it makes from the document is one the stub reads and answers as documented.

    Its copy of the document is narrowed where schemathesis writes what no reader can tell
    apart: it writes no `spaceDelimited` or `pipeDelimited` object (it sends the object's keys
    as repeated values), so the delimited maps are left out; it percent-encodes an unexploded
    object's separators with its keys and values (`k%2Cv`), and RFC 6570 leaves a label's `.`
    unencoded, so a map key or text holding `,` or `.` is lost among the separators: the maps
    have fixed keys and plain text in its copy (the stub still reads them as maps), and so has
    `Color`'s name (an exploded label object's). It sends a cookie's text as it is, where the
    form style percent-encodes it, so a `%` there reads as an escape: the cookies' texts are
    plain in its copy. Every other
    form it writes for maps (path simple, label, matrix, query form and deepObject, header
    simple) and for cookies (without explode; exploded, it writes the unexploded form, which
    the stub reads as the one item or the one other cookie it then is) is sent as it is."""
    _, keeper, url = running
    before = len(keeper.got)
    document = yaml.safe_load(DOCUMENT.read_text("utf-8"))
    map_query = document["paths"]["/map-query"]["get"]
    map_query["parameters"] = [
        parameter
        for parameter in map_query["parameters"]
        if parameter["name"] not in ("spacedMap", "pipedMap")
    ]
    plain = {"type": "string", "pattern": "^[A-Za-z0-9]*$"}
    number = {"type": "integer", "format": "int64"}
    schemas = document["components"]["schemas"]
    for name, value in (("Counts", number), ("Names", plain), ("Tags", plain)):
        schemas[name] = {
            "type": "object",
            "properties": {"R": value, "G": value},
            "additionalProperties": False,
        }
    schemas["Color"]["properties"]["name"] = plain
    for parameter in document["paths"]["/cookies"]["get"]["parameters"]:
        if parameter["name"] == "cListX":
            parameter["schema"] = {"type": "array", "items": plain}
    for parameter in document["paths"]["/cookie-map"]["get"]["parameters"]:
        if parameter["name"] == "plain":
            parameter["schema"] = plain
    failures, statuses = run_schemathesis(document, url, 30)
    assert failures == []
    assert set(statuses) == {204}, statuses
    assert len(keeper.got) - before == statuses[204]


def test_a_value_holding_a_space_is_refused_for_space_delimited(running: Any) -> None:
    client = running[0]
    shapes = importlib.import_module("styles.shapes")
    with pytest.raises(ValueError, match=r"spaced.*holds a space"):
        client.query(shapes.QueryInput(required=[], spaced=["a b"]))


def test_a_map_key_that_is_no_cookie_name_is_refused_for_an_exploded_cookie(
    running: Any,
) -> None:
    client = running[0]
    shapes = importlib.import_module("styles.shapes")
    with pytest.raises(ValueError, match=r"rest: 'a b' is no cookie name"):
        client.cookie_map(shapes.CookieMapInput(rest={"a b": "1"}))


def test_only_combinations_the_style_table_leaves_undefined_are_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Nested values (an array of arrays, an object of objects), `spaceDelimited` exploded and
    an exploded cookie object whose property is no cookie name: each a warning at its pointer;
    everything else in the fixture generates silently (the `package` fixture)."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Undefined", "version": "1"},
        "paths": {
            "/u": {
                "get": {
                    "operationId": "u",
                    "parameters": [
                        {
                            "in": "query",
                            "name": "nested",
                            "explode": False,
                            "schema": {"type": "array", "items": {"type": "array", "items": {}}},
                        },
                        {
                            "in": "query",
                            "name": "spaced",
                            "style": "spaceDelimited",
                            "explode": True,
                            "schema": {"type": "array", "items": {"type": "string"}},
                        },
                        {
                            "in": "cookie",
                            "name": "c",
                            "schema": {
                                "type": "object",
                                "properties": {"a b": {"type": "string"}},
                            },
                        },
                        {
                            "in": "header",
                            "name": "X-Deep",
                            "schema": {
                                "type": "object",
                                "additionalProperties": {"type": "object"},
                            },
                        },
                    ],
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    path = tmp_path / "undefined.json"
    path.write_text(json.dumps(document), "utf-8")
    code, err = generate_files(tmp_path / "gen", [path])
    assert code == 0, err
    where, err = "/paths/~1u/get/parameters", caplog.text
    assert f"{where}/0/schema: a query parameter of type array whose values" in err
    assert f"{where}/1/explode: spaceDelimited with explode: true is undefined" in err
    assert f"{where}/2/schema/properties/a b: 'a b' is no cookie name" in err
    assert f"{where}/3/schema: a header parameter of type object whose values" in err
    assert err.count("warning:") == 4, err


def test_the_package_is_lint_clean(tmp_path: Path) -> None:
    code, err = generate_files(tmp_path, [DOCUMENT])
    assert code == 0, err
    assert_lint_clean(tmp_path / "out" / "styles")


def test_the_export_writes_each_style_back(tmp_path: Path) -> None:
    """document -> shapesmith -> `export openapi`: every parameter that stays one parameter
    (all but the query objects spread over their properties) keeps its place, style and
    explode, lists, objects and maps in cookies, deepObject maps and a query params map
    (an exploded form object) included."""
    code, err = generate_files(tmp_path, [DOCUMENT])
    assert code == 0, err
    err_text = io.StringIO()
    with contextlib.redirect_stderr(err_text):
        config, out = str(tmp_path / "shapesmith.toml"), str(tmp_path / "api")
        code = main(["export", "openapi", "-q", "--config", config, "--output", out])
    assert code == 0, err_text.getvalue()
    exported = json.loads((tmp_path / "api" / "styles.openapi.json").read_text("utf-8"))

    def styles(document: dict[str, Any]) -> dict[tuple[str, str, str], tuple[str, bool]]:
        found = {}
        for path, item in document["paths"].items():
            for parameter in item["get"].get("parameters", []):
                place = parameter["in"]
                style = parameter.get("style", "simple" if place in ("path", "header") else "form")
                explode = parameter.get("explode", style in ("form", "deepObject"))
                found[(path, place, parameter["name"])] = (style, explode)
        return found

    theirs, ours = styles(yaml.safe_load(DOCUMENT.read_text("utf-8"))), styles(exported)
    kept = {key: ours[key] for key in theirs if key in ours}
    assert kept == {key: theirs[key] for key in kept}
    assert {key[2] for key in theirs if key not in ours} == {"deep"}  # deep[R], deep[G], ...


def test_an_exploded_cookie_map_leaves_the_api_key_s_cookie(tmp_path: Path) -> None:
    """A map spread over the cookies takes every cookie no other parameter names, and no API
    key's either: the key is the stub's to judge, not the handler's to see."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Cookie Jar", "version": "1"},
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "cookie", "name": "session"}}
        },
        "security": [{"key": []}],
        "paths": {
            "/jar": {
                "get": {
                    "operationId": "jar",
                    "parameters": [
                        {
                            "in": "cookie",
                            "name": "rest",
                            "schema": {
                                "type": "object",
                                "additionalProperties": {"type": "string"},
                            },
                        }
                    ],
                    "responses": {"204": {"description": "done"}},
                }
            }
        },
    }
    path = tmp_path / "jar.json"
    path.write_text(json.dumps(document), "utf-8")
    with generated_package(tmp_path / "gen", path, "cookie_jar", no_warnings=True) as package:
        keeper = _Keeper(importlib.import_module("cookie_jar.shapes"))
        client_module = importlib.import_module("cookie_jar.client")
        with (
            importlib.import_module("cookie_jar.stub").serve(keeper, api_key="k") as server,
            client_module.CookieJarClient(
                endpoint_url=server.url, max_attempts=1, api_key="k"
            ) as client,
        ):
            client.jar(package.shapes.JarInput(rest={"a": "1", "b": "x y"}))
            assert keeper.got[-1].rest == {"a": "1", "b": "x y"}
            request = urllib.request.Request(server.url + "/jar", headers={"Cookie": "session=k"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                assert answer.status == 204
            assert keeper.got[-1].rest is None
