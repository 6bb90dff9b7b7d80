"""Paginators (issue 16, item 4): `@paginated` read and checked against the model, and the
generated client's `get_paginator` / `paginate_<operation>` against the generated stub on
127.0.0.1, against boto3's paginator on the same stub, and against a server that echoes its
token."""

from __future__ import annotations

import copy
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import PaginationError as BotoPaginationError

from tests.conftest import (
    GIVEN_ENDPOINT_RULES,
    generate_files,
    generate_model,
    imported,
    reference_file,
)
from tests.generated_lint import assert_lint_clean
from tests.scripted_server import ScriptedServer, send

REGION = "us-east-1"
KEYS = {"aws_access_key_id": "AKIDPAGES", "aws_secret_access_key": "pages-secret"}
FACES = [
    {"FaceId": f"{n:08d}-0000-4000-8000-000000000000", "Confidence": 90.5 + n} for n in range(7)
]
REKOGNITION_OPERATIONS = ["ListFaces", "ListCollections"]


FAKE_LISTS_FACES = {
    "smithy": "2.0",
    "shapes": {
        "com.amazonaws.rekognition#ListFaces": {
            "type": "apply",
            "traits": {"shapesmith.stub#lists": {"resource": "Face"}},
        }
    },
}
"""The stub's fake pages through its Face records for ListFaces."""


@pytest.fixture(scope="module")
def rekognition(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """Rekognition's ListFaces and ListCollections, from AWS's whole model."""
    model = reference_file("models", "rekognition-2016-06-27.json")
    root = tmp_path_factory.mktemp("rekognition-pages")
    (root / "fake.json").write_text(json.dumps(FAKE_LISTS_FACES), "utf-8")
    ids = json.dumps([f"com.amazonaws.rekognition#{name}" for name in REKOGNITION_OPERATIONS])
    code, err = generate_files(root, [model, root / "fake.json"], f"operations = {ids}")
    assert code == 0, err
    with imported(root / "out", "rekognition") as module:
        yield module


class FacePages:
    """Answers ListFaces from FACES, `MaxResults` (default 3) at a time; the token is the
    index of the next face, or what `tokens` says for a page's start."""

    def __init__(self, package: ModuleType, tokens: dict[int, str] | None = None) -> None:
        self.package = package
        self.tokens = tokens or {}
        self.requests: list[Any] = []

    def list_faces(self, request: Any) -> Any:
        self.requests.append(request)
        assert len(self.requests) < 50, "the client does not stop"
        start = int(request.next_token or 0)
        chunk = FACES[start : start + (request.max_results or 3)]
        wire: dict[str, Any] = {"Faces": copy.deepcopy(chunk), "FaceModelVersion": "7.0"}
        end = start + len(chunk)
        token = self.tokens.get(start, str(end) if end < len(FACES) else None)
        if token is not None:
            wire["NextToken"] = token
        return self.package.ListFacesResponse.from_dict(wire)

    def list_collections(self, request: Any) -> Any:
        return self.package.ListCollectionsResponse()


@pytest.fixture()
def served(rekognition: ModuleType, no_aws_configuration: None) -> Iterator[tuple[Any, FacePages]]:
    stub = importlib.import_module("rekognition.stub")
    pages = FacePages(rekognition)
    server = stub.StubServer(stub.create_app(pages)).start()
    try:
        yield server, pages
    finally:
        server.stop()


def _ours(package: ModuleType, url: str) -> Any:
    return package.RekognitionClient(
        region_name=REGION, endpoint_url=url, max_attempts=1, read_timeout=10, **KEYS
    )


def _boto(url: str) -> Any:
    retries = Config(retries={"mode": "standard", "max_attempts": 1}, read_timeout=10)
    return boto3.client("rekognition", endpoint_url=url, region_name=REGION, config=retries, **KEYS)


def _face_ids(pages: list[dict[str, Any]]) -> list[str]:
    return [face["FaceId"] for page in pages for face in page.get("Faces", [])]


CONFIGS = [
    {},
    {"PageSize": 2},
    {"PageSize": 4},
    {"MaxItems": 5},
    {"MaxItems": 5, "PageSize": 2},
    {"MaxItems": 6},  # a page boundary: the resume token is the service's next token
    {"MaxItems": 1, "PageSize": 4},
    {"MaxItems": 20},
]


@pytest.mark.parametrize("config", CONFIGS, ids=[json.dumps(c) for c in CONFIGS])
def test_pages_and_resume_tokens_agree_with_boto3(
    rekognition: ModuleType, served: tuple[Any, FacePages], config: dict[str, int]
) -> None:
    server, _ = served
    with _ours(rekognition, server.url) as client:
        resumed: list[str] = []
        ours_pages: list[dict[str, Any]] = []
        boto_pages: list[dict[str, Any]] = []
        start: dict[str, Any] = dict(config)
        for _ in range(10):  # go on from each resume token until the faces run out
            mine = client.get_paginator("list_faces").paginate(
                collection_id="c", PaginationConfig=start
            )
            theirs = (
                _boto(server.url)
                .get_paginator("list_faces")
                .paginate(CollectionId="c", PaginationConfig=start)
            )
            ours_pages += [page.to_dict() for page in mine]
            boto_pages += [
                {k: v for k, v in page.items() if k != "ResponseMetadata"} for page in theirs
            ]
            assert mine.resume_token == theirs.resume_token
            if mine.resume_token is None:
                break
            resumed.append(mine.resume_token)
            start = {**config, "StartingToken": mine.resume_token}
    assert ours_pages == boto_pages
    assert _face_ids(ours_pages) == [face["FaceId"] for face in FACES]
    if "MaxItems" in config and config["MaxItems"] < len(FACES):
        assert resumed
        for page in ours_pages[:-1]:
            assert len(page["Faces"]) <= config["MaxItems"]


def test_max_items_cuts_the_page_that_crosses_it(
    rekognition: ModuleType, served: tuple[Any, FacePages]
) -> None:
    server, pages = served
    with _ours(rekognition, server.url) as client:
        faces = client.paginate_list_faces(
            collection_id="c", PaginationConfig={"MaxItems": 4, "PageSize": 3}
        )
        got = [face.face_id for face in faces.items()]
    assert got == [face["FaceId"] for face in FACES[:4]]
    assert [r.max_results for r in pages.requests] == [3, 3]
    assert [r.next_token for r in pages.requests] == [None, "3"]


def test_typed_pages_take_a_request_object_and_send_the_page_size(
    rekognition: ModuleType, served: tuple[Any, FacePages]
) -> None:
    server, pages = served
    with _ours(rekognition, server.url) as client:
        request = rekognition.ListFacesRequest(collection_id="c")
        iterator = client.paginate_list_faces(request, PaginationConfig={"PageSize": 2})
        got = list(iterator)
        assert all(isinstance(page, rekognition.ListFacesResponse) for page in got)
        assert [len(page.faces) for page in got] == [2, 2, 2, 1]
        assert [r.max_results for r in pages.requests] == [2, 2, 2, 2]
        assert [r.next_token for r in pages.requests] == [None, "2", "4", "6"]
        assert [face.face_id for face in iterator.items()] == [f["FaceId"] for f in FACES]
        assert request.next_token is None  # the caller's request is not changed


def test_an_empty_token_ends_the_pages(
    rekognition: ModuleType, served: tuple[Any, FacePages]
) -> None:
    server, pages = served
    pages.tokens[3] = ""
    with _ours(rekognition, server.url) as client:
        got = list(client.paginate_list_faces(collection_id="c"))
    assert [len(page.faces) for page in got] == [3, 3]
    assert len(pages.requests) == 2


def test_a_token_sent_before_raises_instead_of_looping(
    rekognition: ModuleType, served: tuple[Any, FacePages]
) -> None:
    server, pages = served
    # A cycle, not an echo: page two's token "0" leads back to page one, whose token "3" was
    # sent already (boto3 only catches a token given twice in a row).
    pages.tokens[3] = "0"
    with _ours(rekognition, server.url) as client:
        received = []
        with pytest.raises(rekognition.PaginationError, match="already sent"):
            for page in client.paginate_list_faces(collection_id="c"):
                received.append(page)
    assert len(received) == 3 and [r.next_token for r in pages.requests] == [None, "3", "0"]


_ECHO_BODY = b'{"Faces": [], "NextToken": "same"}'
ECHO = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nConnection: close\r\n"
    + f"Content-Length: {len(_ECHO_BODY)}\r\n\r\n".encode()
    + _ECHO_BODY
)


def test_a_server_that_echoes_its_token_is_stopped(
    rekognition: ModuleType, no_aws_configuration: None
) -> None:
    server = ScriptedServer()
    server.script = send(ECHO)
    try:
        with _ours(rekognition, server.url) as client:
            pages = client.get_paginator("list_faces").paginate(collection_id="c")
            with pytest.raises(rekognition.PaginationError, match="'same'"):
                list(pages)
        ours = len(server.requests)
        with pytest.raises(BotoPaginationError):
            list(_boto(server.url).get_paginator("list_faces").paginate(CollectionId="c"))
    finally:
        server.close()
    assert ours == 2
    assert server.requests[1].endswith(b'"NextToken":"same"}')
    assert len(server.requests) == 4  # boto3 too stops after the second page


def test_names_as_boto3_spells_them(rekognition: ModuleType, served: tuple[Any, FacePages]) -> None:
    server, _ = served
    with _ours(rekognition, server.url) as client:
        assert client.can_paginate("list_faces") and client.can_paginate("list_collections")
        assert not client.can_paginate("ListFaces")
        with pytest.raises(rekognition.OperationNotPageableError) as raised:
            client.get_paginator("ListFaces")
        assert "list_collections, list_faces" in str(raised.value)
        for bad, message in [
            ({"MaxItem": 3}, "no key 'MaxItem'"),
            ({"PageSize": 0}, "PageSize must be"),
            ({"MaxItems": True}, "MaxItems must be"),
            ({"StartingToken": 3}, "StartingToken must be"),
        ]:
            with pytest.raises(rekognition.PaginationError, match=message):
                client.paginate_list_faces(collection_id="c", PaginationConfig=bad)
    boto = _boto(server.url)
    assert {"list_faces", "list_collections"} <= {
        name for name in ("list_faces", "list_collections") if boto.can_paginate(name)
    }


@pytest.fixture()
def fake(rekognition: ModuleType, no_aws_configuration: None) -> Iterator[tuple[Any, Any]]:
    """The generated stub with its in-memory fake, holding FACES (stored in reverse: the
    fake pages in the order of the keys)."""
    stub = importlib.import_module("rekognition.stub")
    held = stub.fake.FAKE_CLASS()
    for face in reversed(FACES):
        held.put("Face", face["FaceId"], face)
    server = stub.StubServer(stub.create_app(held)).start()
    try:
        yield server, held
    finally:
        server.stop()


@pytest.mark.parametrize("config", CONFIGS, ids=[json.dumps(c) for c in CONFIGS])
def test_the_fake_pages_through_its_records_as_boto3_sees_them(
    rekognition: ModuleType, fake: tuple[Any, Any], config: dict[str, int]
) -> None:
    server, _ = fake
    with _ours(rekognition, server.url) as client:
        mine = client.get_paginator("list_faces").paginate(
            collection_id="c", PaginationConfig=config
        )
        ours_pages = [page.to_dict() for page in mine]
    theirs = (
        _boto(server.url)
        .get_paginator("list_faces")
        .paginate(CollectionId="c", PaginationConfig=config)
    )
    boto_pages = [{k: v for k, v in page.items() if k != "ResponseMetadata"} for page in theirs]
    assert ours_pages == boto_pages
    assert mine.resume_token == theirs.resume_token
    wanted = [face["FaceId"] for face in FACES][: config.get("MaxItems")]
    assert _face_ids(ours_pages) == wanted
    if "PageSize" in config:
        assert {len(page["Faces"]) for page in ours_pages[:-1]} <= {config["PageSize"]}
    else:
        assert len(ours_pages) == 1  # the fake's default page holds 100


def test_the_fake_checks_a_listed_record_as_an_item(fake: tuple[Any, Any]) -> None:
    _, held = fake
    with pytest.raises(ValueError, match="FaceId"):
        held.put("Face", "x", {"FaceId": "not a uuid"})


# -- restJson1: the token and page size travel in the query -------------------------------------

NS = "example.pages#"


def _rest_model(**overrides: Any) -> dict[str, Any]:
    shapes: dict[str, Any] = {
        f"{NS}Pages": {
            "type": "service",
            "version": "2024-01-01",
            "operations": [{"target": f"{NS}ListThings"}, {"target": f"{NS}ListTags"}],
            "traits": {
                "aws.api#service": {"sdkId": "Rest Pages"},
                "aws.protocols#restJson1": {},
                "aws.auth#sigv4": {"name": "pages"},
                "smithy.rules#endpointRuleSet": GIVEN_ENDPOINT_RULES,
                "smithy.api#paginated": {
                    "inputToken": "NextToken",
                    "outputToken": "NextToken",
                    "pageSize": "Limit",
                },
            },
        },
        f"{NS}ListThings": {
            "type": "operation",
            "input": {"target": f"{NS}ListThingsInput"},
            "output": {"target": f"{NS}ListThingsOutput"},
            "traits": {
                "smithy.api#readonly": {},
                "smithy.api#http": {"method": "GET", "uri": "/things"},
                "smithy.api#paginated": {"items": "Things"},
                "shapesmith.stub#lists": {"resource": "Thing"},
            },
        },
        f"{NS}ListThingsInput": {
            "type": "structure",
            "members": {
                "NextToken": {
                    "target": "smithy.api#String",
                    "traits": {"smithy.api#httpQuery": "token"},
                },
                "Limit": {
                    "target": "smithy.api#Integer",
                    "traits": {"smithy.api#httpQuery": "limit"},
                },
            },
            "traits": {"smithy.api#input": {}},
        },
        f"{NS}ListThingsOutput": {
            "type": "structure",
            "members": {
                "Things": {"target": f"{NS}Things"},
                "NextToken": {"target": "smithy.api#String"},
            },
            "traits": {"smithy.api#output": {}},
        },
        f"{NS}Things": {"type": "list", "member": {"target": f"{NS}Thing"}},
        f"{NS}Thing": {
            "type": "structure",
            "members": {"Name": {"target": "smithy.api#String"}},
        },
        f"{NS}ListTags": {
            "type": "operation",
            "input": {"target": f"{NS}ListTagsInput"},
            "output": {"target": f"{NS}ListTagsOutput"},
            "traits": {
                "smithy.api#readonly": {},
                "smithy.api#http": {"method": "GET", "uri": "/tags"},
                # The operation's values win over the service's.
                "smithy.api#paginated": {
                    "inputToken": "Token",
                    "outputToken": "Meta.Next",
                    "items": "Tags",
                },
            },
        },
        f"{NS}ListTagsInput": {
            "type": "structure",
            "members": {
                "Token": {
                    "target": "smithy.api#String",
                    "traits": {"smithy.api#httpQuery": "after"},
                },
                "Limit": {
                    "target": "smithy.api#Integer",
                    "traits": {"smithy.api#httpQuery": "limit"},
                },
            },
            "traits": {"smithy.api#input": {}},
        },
        f"{NS}ListTagsOutput": {
            "type": "structure",
            "members": {
                "Tags": {"target": f"{NS}TagMap"},
                "Meta": {"target": f"{NS}Meta"},
            },
            "traits": {"smithy.api#output": {}},
        },
        f"{NS}TagMap": {
            "type": "map",
            "key": {"target": "smithy.api#String"},
            "value": {"target": "smithy.api#String"},
        },
        f"{NS}Meta": {"type": "structure", "members": {"Next": {"target": "smithy.api#String"}}},
    }
    for path, value in overrides.items():
        shape, _, rest = path.partition("/")
        target = shapes[f"{NS}{shape}"]
        *parents, last = rest.split("/")
        for key in parents:
            target = target[key]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return {"smithy": "2.0", "shapes": shapes}


@pytest.fixture(scope="module")
def rest_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("rest-pages")
    code, err = generate_model(root, _rest_model())
    assert code == 0, err
    with imported(root / "out", "rest_pages") as module:
        yield module


class RestPages:
    """ListThings pages through five things, `Limit` (default 2) at a time; ListTags through
    three tags one at a time, its token nested in `Meta`."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package
        self.requests: list[Any] = []

    def list_things(self, request: Any) -> Any:
        self.requests.append(request)
        start = int(request.next_token or 0)
        end = min(start + (request.limit or 2), 5)
        wire: dict[str, Any] = {"Things": [{"Name": f"t{n}"} for n in range(start, end)]}
        if end < 5:
            wire["NextToken"] = str(end)
        return self.package.ListThingsOutput.from_dict(wire)

    def list_tags(self, request: Any) -> Any:
        self.requests.append(request)
        start = int(request.token or 0)
        wire: dict[str, Any] = {"Tags": {f"k{start}": f"v{start}"}, "Meta": {}}
        if start < 2:
            wire["Meta"]["Next"] = str(start + 1)
        return self.package.ListTagsOutput.from_dict(wire)


def test_rest_json_pages_send_the_token_and_page_size_in_the_query(
    rest_pages: ModuleType, no_aws_configuration: None
) -> None:
    stub = importlib.import_module("rest_pages.stub")
    handler = RestPages(rest_pages)
    with stub.StubServer(stub.create_app(handler)) as server:
        client = rest_pages.RestPagesClient(
            region_name=REGION, endpoint_url=server.url, max_attempts=1, **KEYS
        )
        with client:
            things = client.paginate_list_things(PaginationConfig={"PageSize": 3})
            assert [thing.name for thing in things.items()] == [f"t{n}" for n in range(5)]
            assert [(r.next_token, r.limit) for r in handler.requests] == [(None, 3), ("3", 3)]
            handler.requests.clear()

            tags = client.get_paginator("list_tags").paginate(PaginationConfig={"MaxItems": 2})
            assert list(tags.items()) == [("k0", "v0"), ("k1", "v1")]
            assert [r.token for r in handler.requests] == [None, "1"]
            assert tags.resume_token is not None
            rest = client.paginate_list_tags(PaginationConfig={"StartingToken": tags.resume_token})
            assert list(rest.items()) == [("k2", "v2")]
            # ListTags takes the service's pageSize: its own @paginated does not name one.
            handler.requests.clear()
            assert len(list(client.paginate_list_tags(PaginationConfig={"PageSize": 1}))) == 3
            assert [(r.token, r.limit) for r in handler.requests] == [(None, 1), ("1", 1), ("2", 1)]


USAGE = """
from rest_pages import RestPagesClient, Thing


def names(client: RestPagesClient) -> list[str]:
    things: list[Thing] = list(client.paginate_list_things(limit=2).items())
    tags: list[tuple[str, str]] = list(client.get_paginator("list_tags").paginate().items())
    return [thing.name or "" for thing in things] + [key for key, _ in tags]
"""


@pytest.mark.slow
def test_paginators_are_typed_and_lint_clean(rest_pages: ModuleType, tmp_path: Path) -> None:
    package = Path(rest_pages.__file__).parent
    assert_lint_clean(package)

    def mypy(code: str) -> subprocess.CompletedProcess[str]:
        (package.parent / "usage.py").write_text(code, "utf-8")
        command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "usage.py"]
        return subprocess.run(
            command, cwd=package.parent, capture_output=True, text=True, timeout=900
        )

    right = mypy(USAGE)
    assert right.returncode == 0, right.stdout
    wrong = mypy(USAGE.replace("tags: list[tuple[str, str]]", "tags: list[str]"))
    assert wrong.returncode == 1 and "Iterator[tuple[str, str]]" in wrong.stdout, wrong.stdout


def test_the_rest_json_fake_pages_through_its_records(
    rest_pages: ModuleType, no_aws_configuration: None
) -> None:
    stub = importlib.import_module("rest_pages.stub")
    held = stub.fake.FAKE_CLASS()
    for n in range(5):
        held.put("Thing", f"t{n}", {"Name": f"t{n}"})
    with stub.StubServer(stub.create_app(held)) as server:
        client = rest_pages.RestPagesClient(
            region_name=REGION, endpoint_url=server.url, max_attempts=1, **KEYS
        )
        with client:
            pages = list(client.paginate_list_things(PaginationConfig={"PageSize": 2}))
    assert [[thing.name for thing in page.things or ()] for page in pages] == [
        ["t0", "t1"],
        ["t2", "t3"],
        ["t4"],
    ]
    assert [page.next_token for page in pages] == ["t2", "t4", None]


# -- the model: paths that name no member, or one of the wrong type -----------------------------

BAD_PATHS = [
    (
        {"ListThings/traits/smithy.api#paginated/items": "Nope"},
        f"/shapes/{NS}ListThings/traits/smithy.api#paginated/items: ListThings: 'Nope': "
        f"{NS}ListThingsOutput has no member 'Nope' (its members: Things, NextToken)",
    ),
    (
        {"ListThings/traits/smithy.api#paginated/items": "NextToken"},
        f"/shapes/{NS}ListThings/traits/smithy.api#paginated/items: ListThings: 'NextToken' "
        "must target a list or a map, not smithy.api#String (string)",
    ),
    (
        {"ListTags/traits/smithy.api#paginated/outputToken": "Meta.Gone"},
        f"/shapes/{NS}ListTags/traits/smithy.api#paginated/outputToken: ListTags: "
        f"'Meta.Gone': {NS}Meta has no member 'Gone' (its members: Next)",
    ),
    (
        {"ListTags/traits/smithy.api#paginated/outputToken": "Tags.Next"},
        f"/shapes/{NS}ListTags/traits/smithy.api#paginated/outputToken: ListTags: "
        "'Tags.Next': Tags is not a structure",
    ),
    (
        {"ListThings/traits/smithy.api#paginated/pageSize": "NextToken"},
        f"/shapes/{NS}ListThings/traits/smithy.api#paginated/pageSize: ListThings: "
        "'NextToken' must target an integer, not smithy.api#String (string)",
    ),
    (  # a service default that does not fit an operation is reported at the service
        {"Pages/traits/smithy.api#paginated/pageSize": "NextToken"},
        f"/shapes/{NS}Pages/traits/smithy.api#paginated/pageSize: ListTags: 'NextToken': "
        f"{NS}ListTagsInput has no member 'NextToken' (its members: Token, Limit)",
    ),
    (
        {"Pages/traits/smithy.api#paginated/outputToken": None},
        f"/shapes/{NS}ListThings/traits/smithy.api#paginated: ListThings is paginated but "
        "has no outputToken (on the operation or its service)",
    ),
    (
        {"ListTags/traits/shapesmith.stub#lists": {"resource": "Tag"}},
        f"/shapes/{NS}ListTags/traits/shapesmith.stub#lists: the fake pages only through a "
        "list of items that is a member of the output, with the output token beside it "
        "(@paginated's items and outputToken are paths)",
    ),
    (
        {"ListTags/traits/smithy.api#paginated/inputToken": 7},
        f"/shapes/{NS}ListTags/traits/smithy.api#paginated/inputToken: expected string, "
        "found an integer",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_PATHS)
def test_a_path_that_does_not_fit_the_model_is_refused_at_its_pointer(
    tmp_path: Path, overrides: dict[str, Any], expected: str
) -> None:
    code, err = generate_model(tmp_path, _rest_model(**overrides))
    assert code == 2, err
    assert f"error: model.json: {expected}" in err.splitlines()


def test_a_paginator_method_that_meets_an_operation_is_refused(tmp_path: Path) -> None:
    model = _rest_model()
    model["shapes"][f"{NS}Pages"]["operations"].append({"target": f"{NS}PaginateListThings"})
    model["shapes"][f"{NS}PaginateListThings"] = {
        "type": "operation",
        "traits": {"smithy.api#http": {"method": "GET", "uri": "/p"}},
    }
    code, err = generate_model(tmp_path, model)
    assert code == 2, err
    assert (
        "both become 'paginate_list_things' in class RestPagesClient, the paginator method "
        "of the first and the method of the second" in err
    )


# -- an AWS restJson1 model: Amazon MQ's ListBrokers, boto3's paginator beside ours -------------

MQ_FAKE = {
    "smithy": "2.0",
    "shapes": {
        "com.amazonaws.mq#ListBrokers": {
            "type": "apply",
            "traits": {"shapesmith.stub#lists": {"resource": "Broker"}},
        }
    },
}
BROKERS = [
    {
        "BrokerId": f"b-{n:02d}",
        "BrokerName": f"broker{n}",
        "DeploymentMode": "SINGLE_INSTANCE",
        "EngineType": "RABBITMQ",
    }
    for n in range(12)
]


@pytest.fixture(scope="module")
def mq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    model = reference_file("models", "aws-corpus", "restJson1", "mq-2017-11-27.json")
    root = tmp_path_factory.mktemp("mq-pages")
    (root / "fake.json").write_text(json.dumps(MQ_FAKE), "utf-8")
    operations = 'operations = ["com.amazonaws.mq#ListBrokers"]'
    code, err = generate_files(root, [model, root / "fake.json"], operations)
    assert code == 0, err
    with imported(root / "out", "mq") as module:
        yield module


MQ_CONFIGS = [{}, {"PageSize": 5}, {"MaxItems": 7, "PageSize": 5}, {"MaxItems": 10, "PageSize": 5}]


@pytest.mark.parametrize("config", MQ_CONFIGS, ids=[json.dumps(c) for c in MQ_CONFIGS])
def test_rest_json_pages_agree_with_boto3_on_an_aws_model(
    mq: ModuleType, no_aws_configuration: None, config: dict[str, int]
) -> None:
    stub = importlib.import_module("mq.stub")
    held = stub.fake.FAKE_CLASS()
    for broker in BROKERS:
        held.put("Broker", broker["BrokerId"], broker)
    with stub.StubServer(stub.create_app(held)) as server:
        with mq.MqClient(
            region_name=REGION, endpoint_url=server.url, max_attempts=1, **KEYS
        ) as client:
            mine = client.get_paginator("list_brokers").paginate(PaginationConfig=config)
            ours = [page.to_dict() for page in mine]
        retries = Config(retries={"mode": "standard", "max_attempts": 1})
        boto = boto3.client(
            "mq", endpoint_url=server.url, region_name=REGION, config=retries, **KEYS
        )
        theirs = boto.get_paginator("list_brokers").paginate(PaginationConfig=config)
        boto_pages = [{k: v for k, v in p.items() if k != "ResponseMetadata"} for p in theirs]
    assert ours == boto_pages
    assert mine.resume_token == theirs.resume_token
    got = [broker["BrokerId"] for page in ours for broker in page["BrokerSummaries"]]
    assert got == [broker["BrokerId"] for broker in BROKERS][: config.get("MaxItems")]
    assert len(ours) == (1 if not config else -(-min(config.get("MaxItems", 12), 12) // 5))
