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

import http.server
import importlib
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


def _inputs() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    some_color = _colors(_TEXT).filter(bool)  # a simple label is never empty
    color = _colors(_TEXT)
    words = st.lists(_TEXT, max_size=4)
    return st.one_of(
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


_LEFT_OUT_EMPTY = {"repeated", "XList", "XObject", "XObjectExploded"}
"""Parameters an empty list or object is not sent in (exploded query lists, headers)."""


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
    every request it makes from the document is one the stub reads and answers as documented."""
    _, keeper, url = running
    before = len(keeper.got)
    failures, statuses = run_schemathesis(yaml.safe_load(DOCUMENT.read_text("utf-8")), url, 30)
    assert failures == []
    assert set(statuses) == {204}, statuses
    assert len(keeper.got) - before == statuses[204]


def test_a_value_holding_a_space_is_refused_for_space_delimited(running: Any) -> None:
    client = running[0]
    shapes = importlib.import_module("styles.shapes")
    with pytest.raises(ValueError, match=r"spaced.*holds a space"):
        client.query(shapes.QueryInput(required=[], spaced=["a b"]))


def test_the_package_is_lint_clean(tmp_path: Path) -> None:
    code, err = generate_files(tmp_path, [DOCUMENT])
    assert code == 0, err
    assert_lint_clean(tmp_path / "out" / "styles")
