"""Semantics: the checks of Smithy's HTTP binding traits, one small bad model per rule, each with
its exact diagnostic (file, JSON pointer, message); AWS's own restJson1 models pass them all.

Every bad model is the good one below with one change. The checks are protocol-independent, as
Smithy's are: they apply wherever the traits appear.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import ShapesmithError
from generator.loader import load_model
from generator.semantics import check_model
from tests.conftest import REFERENCE, reference_file

JsonObject = dict[str, Any]
STRING = "smithy.api#String"
INTEGER = "smithy.api#Integer"
DELETE = object()
"""Where a change puts this, the key is removed."""


def member(target: str, **traits: Any) -> JsonObject:
    """A member of `target` with traits given as `httpHeader="X-A"` (`smithy.api#` implied)."""
    return {"target": target, "traits": {f"smithy.api#{k}": v for k, v in traits.items()}}


def cookie(target: str, name: object) -> JsonObject:
    """A member bound to a cookie (`shapesmith.api#httpCookie`, shapesmith's own binding)."""
    return {"target": target, "traits": {"shapesmith.api#httpCookie": name}}


def good_model() -> JsonObject:
    """A restJson1 service whose one operation uses every HTTP binding trait correctly."""
    return {
        "smithy": "2.0",
        "shapes": {
            "ex#Things": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{"target": "ex#GetThing"}],
                "traits": {"aws.protocols#restJson1": {}},
            },
            "ex#GetThing": {
                "type": "operation",
                "input": {"target": "ex#GetThingInput"},
                "output": {"target": "ex#GetThingOutput"},
                "errors": [{"target": "ex#NotFound"}],
                "traits": {"smithy.api#http": {"method": "GET", "uri": "/things/{Id}"}},
            },
            "ex#GetThingInput": {
                "type": "structure",
                "members": {
                    "Id": member(STRING, required={}, httpLabel={}),
                    "Filter": member(STRING, httpQuery="filter"),
                    "Kinds": member("ex#Names", httpQuery="kind"),
                    "Tag": member(STRING, httpHeader="X-Tag"),
                    "Session": cookie(STRING, "session"),
                    "Meta": member("ex#StringMap", httpPrefixHeaders="x-meta-"),
                    "Extra": member("ex#ListMap", httpQueryParams={}),
                    "Name": member(STRING, jsonName="name"),
                },
                "traits": {"smithy.api#input": {}},
            },
            "ex#GetThingOutput": {
                "type": "structure",
                "members": {
                    "Status": member(INTEGER, httpResponseCode={}),
                    "Body": member("smithy.api#Blob", httpPayload={}),
                    "ETag": member(STRING, httpHeader="ETag"),
                },
                "traits": {"smithy.api#output": {}},
            },
            "ex#NotFound": {
                "type": "structure",
                "members": {
                    "Message": member(STRING),
                    "Status": member(INTEGER, httpResponseCode={}),
                    "Reason": member(STRING, httpHeader="X-Reason"),
                },
                "traits": {"smithy.api#error": "client"},
            },
            "ex#Names": {"type": "list", "member": {"target": STRING}},
            "ex#StringMap": {"type": "map", "key": {"target": STRING}, "value": {"target": STRING}},
            "ex#ListMap": {
                "type": "map",
                "key": {"target": STRING},
                "value": {"target": "ex#Names"},
            },
            "ex#IntMap": {"type": "map", "key": {"target": STRING}, "value": {"target": INTEGER}},
            "ex#Filter": {"type": "structure", "members": {}},
            "ex#Filters": {"type": "list", "member": {"target": "ex#Filter"}},
        },
    }


STYLE = "shapesmith.api#httpStyle"
MATRIX = {"style": "matrix", "explode": False, "name": "id"}


def styled(target: str, style: object, **traits: Any) -> JsonObject:
    """A member bound by `traits` in an OpenAPI `style` (`shapesmith.api#httpStyle`)."""
    found = member(target, **traits)
    found["traits"][STYLE] = style
    return found


def styled_cookie(target: str, name: str, style: object) -> JsonObject:
    """A cookie member in an OpenAPI `style`."""
    found = cookie(target, name)
    found["traits"][STYLE] = style
    return found


Change = tuple[tuple[str, ...], object]
"""A path under /shapes and the value to put there (or DELETE)."""


def changed(*changes: Change) -> JsonObject:
    document = good_model()
    for path, value in changes:
        holder = document["shapes"]
        for key in path[:-1]:
            holder = holder.setdefault(key, {})
        if value is DELETE:
            del holder[path[-1]]
        else:
            holder[path[-1]] = copy.deepcopy(value)
    return document


def diagnostics(tmp_path: Path, document: JsonObject) -> list[str]:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document), "utf-8")
    model = load_model([path], tmp_path)
    try:
        check_model(model)
    except ShapesmithError as error:
        return [str(diagnostic) for diagnostic in error.diagnostics]
    return []


def uri(value: str) -> Change:
    return ("ex#GetThing", "traits", "smithy.api#http", "uri"), value


def input_member(name: str, value: object) -> Change:
    return ("ex#GetThingInput", "members", name), value


def output_member(name: str, value: object) -> Change:
    return ("ex#GetThingOutput", "members", name), value


URI_AT = "model.json: /shapes/ex#GetThing/traits/smithy.api#http/uri: "
INPUT_AT = "model.json: /shapes/ex#GetThingInput/members/"
OUTPUT_AT = "model.json: /shapes/ex#GetThingOutput/members/"
SIMPLE = "a string, enum, number, boolean or timestamp"

CASES: dict[str, tuple[list[Change], list[str]]] = {
    # -- the URI pattern
    "uri must start with a slash": (
        [uri("things/{Id}")],
        [URI_AT + "a URI pattern must start with '/'"],
    ),
    "uri has a fragment": (
        [uri("/things/{Id}/x#top")],
        [URI_AT + "a URI pattern cannot have a fragment ('#')"],
    ),
    "uri ends with a question mark": (
        [uri("/things/{Id}?")],
        [URI_AT + "a URI pattern cannot end with '?'"],
    ),
    "uri has an empty segment": (
        [uri("/things//{Id}")],
        [URI_AT + "the path has an empty segment ('//')"],
    ),
    "label without a name": (
        [uri("/things/{}/{Id}")],
        [URI_AT + "the label '{}' has no name"],
    ),
    "label is not a whole segment": (
        [uri("/things/x{Id}")],
        [
            URI_AT + "the segment 'x{Id}' mixes a label with other text or has an unmatched "
            "brace; a label is a whole segment, '{Name}' or '{Name+}'",
            INPUT_AT + "Id/traits/smithy.api#httpLabel: the URI pattern '/things/x{Id}' of "
            "ex#GetThing has no label {Id} for this @httpLabel member",
        ],
    ),
    "label name is not an identifier": (
        [uri("/things/{Id}/{a-b}")],
        [
            URI_AT + "the label '{a-b}' is not named like a member (a letter, or underscores "
            "and a letter or digit, then letters, digits and underscores)"
        ],
    ),
    "label appears twice": (
        [uri("/things/{Id}/{id}")],
        [URI_AT + "the label 'id' appears more than once"],
    ),
    "two greedy labels": (
        [
            uri("/things/{Id+}/{Rest+}"),
            input_member("Rest", member(STRING, required={}, httpLabel={})),
        ],
        [URI_AT + "a URI pattern has at most one greedy label, found {Id+}, {Rest+}"],
    ),
    "label in the query string": (
        [uri("/things/{Id}?x={Id}")],
        [URI_AT + "the query string 'x={Id}' cannot have labels; use @httpQuery members"],
    ),
    "literal query parameter twice": (
        [uri("/things/{Id}?a=1&a=2")],
        [URI_AT + "the literal query parameter 'a' appears more than once"],
    ),
    # -- labels and the members that fill them
    "label without a member": (
        [uri("/things/{Id}/{Other}")],
        [
            URI_AT + "the label {Other} has no member named 'Other' with @httpLabel in the "
            "input ex#GetThingInput"
        ],
    ),
    "label of an operation without input": (
        [(("ex#GetThing", "input"), DELETE)],
        [
            URI_AT + "the label {Id} needs an input member named 'Id' with @httpLabel, but the "
            "operation has no input"
        ],
    ),
    "label member missing from the uri": (
        [input_member("Version", member(STRING, required={}, httpLabel={}))],
        [
            INPUT_AT + "Version/traits/smithy.api#httpLabel: the URI pattern '/things/{Id}' of "
            "ex#GetThing has no label {Version} for this @httpLabel member"
        ],
    ),
    "label member not required": (
        [input_member("Id", member(STRING, httpLabel={}))],
        [
            INPUT_AT + "Id/traits/smithy.api#httpLabel: an @httpLabel member must be @required: "
            "a URI cannot leave a label out"
        ],
    ),
    "label member targets a list": (
        [input_member("Id", member("ex#Names", required={}, httpLabel={}))],
        [
            INPUT_AT + f"Id/traits/smithy.api#httpLabel: @httpLabel members must target {SIMPLE}, "
            "not a list of strings (ex#Names)"
        ],
    ),
    "greedy label member is not a string": (
        [uri("/things/{Id+}"), input_member("Id", member(INTEGER, required={}, httpLabel={}))],
        [
            INPUT_AT + "Id/traits/smithy.api#httpLabel: the member fills the greedy label {Id+} "
            "of ex#GetThing, so it must target a string, not an integer"
        ],
    ),
    # -- the payload
    "two payload members": (
        [output_member("More", member("smithy.api#Blob", httpPayload={}))],
        [
            OUTPUT_AT + "More/traits/smithy.api#httpPayload: a structure has at most one "
            "@httpPayload member, and 'Body' is one already"
        ],
    ),
    "body member beside the payload": (
        [output_member("Note", member(STRING))],
        [
            OUTPUT_AT + "Note: a body member beside the @httpPayload member 'Body': where one "
            "member is the body, every other member needs an HTTP binding trait"
        ],
    ),
    # A list or a map may be a whole payload (shapesmith's extension, for OpenAPI's array and
    # map bodies); a number may not.
    "payload targets an integer": (
        [output_member("Body", member(INTEGER, httpPayload={}))],
        [
            OUTPUT_AT + "Body/traits/smithy.api#httpPayload: @httpPayload members must target a "
            "string, enum, blob, structure, union, document, list or map, not an integer "
            "(smithy.api#Integer)"
        ],
    ),
    # -- query parameters
    "query targets a list of structures": (
        [input_member("Filter", member("ex#Filters", httpQuery="filter"))],
        [
            INPUT_AT + f"Filter/traits/smithy.api#httpQuery: @httpQuery members must target "
            f"{SIMPLE}, or a list of them, not a list of structures (ex#Filters)"
        ],
    ),
    "query targets a map": (
        [input_member("Filter", member("ex#StringMap", httpQuery="filter"))],
        [
            INPUT_AT + f"Filter/traits/smithy.api#httpQuery: @httpQuery members must target "
            f"{SIMPLE}, or a list of them, not a map of strings (ex#StringMap)"
        ],
    ),
    "query key bound twice": (
        [input_member("Filter2", member(STRING, httpQuery="filter"))],
        [
            INPUT_AT + "Filter2/traits/smithy.api#httpQuery: the query parameter 'filter' is "
            "bound by the member 'Filter' too"
        ],
    ),
    "query params target a map of integers": (
        [input_member("Extra", member("ex#IntMap", httpQueryParams={}))],
        [
            INPUT_AT + "Extra/traits/smithy.api#httpQueryParams: @httpQueryParams members must "
            "target a map of strings, or of lists of strings, not a map of integers (ex#IntMap)"
        ],
    ),
    "two query params members": (
        [input_member("Extra2", member("ex#StringMap", httpQueryParams={}))],
        [
            INPUT_AT + "Extra2/traits/smithy.api#httpQueryParams: a structure has at most one "
            "@httpQueryParams member, and 'Extra' is one already"
        ],
    ),
    # -- headers
    "header targets a structure": (
        [input_member("Tag", member("ex#Filter", httpHeader="X-Tag"))],
        [
            INPUT_AT + f"Tag/traits/smithy.api#httpHeader: @httpHeader members must target "
            f"{SIMPLE}, or a list of them, not a structure (ex#Filter)"
        ],
    ),
    "header bound twice ignoring case": (
        [input_member("Tag2", member(STRING, httpHeader="x-tag"))],
        [
            INPUT_AT + "Tag2/traits/smithy.api#httpHeader: the header 'x-tag' is bound by the "
            "member 'Tag' too (header names ignore case)"
        ],
    ),
    "header under the prefix of prefix headers": (
        [input_member("Color", member(STRING, httpHeader="X-Meta-Color"))],
        [
            INPUT_AT + "Color/traits/smithy.api#httpHeader: the header 'X-Meta-Color' starts "
            "with the prefix 'x-meta-' that the member 'Meta' binds with @httpPrefixHeaders"
        ],
    ),
    "prefix headers target a map of integers": (
        [input_member("Meta", member("ex#IntMap", httpPrefixHeaders="x-meta-"))],
        [
            INPUT_AT + "Meta/traits/smithy.api#httpPrefixHeaders: @httpPrefixHeaders members "
            "must target a map of strings, not a map of integers (ex#IntMap)"
        ],
    ),
    "two prefix headers members": (
        [input_member("Other", member("ex#StringMap", httpPrefixHeaders="x-other-"))],
        [
            INPUT_AT + "Other/traits/smithy.api#httpPrefixHeaders: a structure has at most one "
            "@httpPrefixHeaders member, and 'Meta' is one already"
        ],
    ),
    # -- cookies (shapesmith.api#httpCookie)
    "cookie targets a list": (
        [input_member("Session", cookie("ex#Names", "session"))],
        [
            INPUT_AT + f"Session/traits/shapesmith.api#httpCookie: @httpCookie members must "
            f"target {SIMPLE}, not a list of strings (ex#Names)"
        ],
    ),
    "cookie bound twice": (
        [input_member("Session2", cookie(STRING, "session"))],
        [
            INPUT_AT + "Session2/traits/shapesmith.api#httpCookie: the cookie 'session' is bound "
            "by the member 'Session' too"
        ],
    ),
    "cookie name a Cookie header cannot carry": (
        [input_member("Session", cookie(STRING, "a=b; c"))],
        [
            INPUT_AT + "Session/traits/shapesmith.api#httpCookie: expected a cookie name "
            "(letters, digits and !#$%&'*+.^_`|~-), found 'a=b; c'"
        ],
    ),
    "cookie name not a string": (
        [input_member("Session", cookie(STRING, 7))],
        [
            INPUT_AT + "Session/traits/shapesmith.api#httpCookie: expected a cookie name "
            "(letters, digits and !#$%&'*+.^_`|~-), found 7"
        ],
    ),
    "cookie on an output member": (
        [output_member("Session", cookie(STRING, "session"))],
        [
            OUTPUT_AT + "Session/traits/shapesmith.api#httpCookie: @httpCookie applies to "
            "members of operation inputs: a response sets cookies, it does not carry them"
        ],
    ),
    # -- the response code
    "response code on an input member": (
        [input_member("Code", member(INTEGER, httpResponseCode={}))],
        [
            INPUT_AT + "Code/traits/smithy.api#httpResponseCode: @httpResponseCode applies to "
            "members of operation outputs and errors, and ex#GetThingInput is neither"
        ],
    ),
    "response code targets a string": (
        [output_member("Status", member(STRING, httpResponseCode={}))],
        [
            OUTPUT_AT + "Status/traits/smithy.api#httpResponseCode: @httpResponseCode members "
            "must target an integer, not a string (smithy.api#String)"
        ],
    ),
    # -- where the traits may be
    "member bound twice": (
        [input_member("Tag", member(STRING, httpHeader="X-Tag", httpQuery="tag"))],
        [
            INPUT_AT + "Tag/traits: a member has one place in the HTTP message, this one has "
            "@httpQuery and @httpHeader"
        ],
    ),
    "binding trait on a list member": (
        [(("ex#Names", "member", "traits"), {"smithy.api#httpHeader": "X-Name"})],
        [
            "model.json: /shapes/ex#Names/member/traits/smithy.api#httpHeader: @httpHeader "
            "applies to structure members, not to the members of a list"
        ],
    ),
    "binding trait on a shape": (
        [(("ex#Names", "traits"), {"smithy.api#httpQuery": "name"})],
        [
            "model.json: /shapes/ex#Names/traits/smithy.api#httpQuery: @httpQuery applies to "
            "structure members, not to a list"
        ],
    ),
    "http on a structure": (
        [(("ex#Filter", "traits"), {"smithy.api#http": {"method": "GET", "uri": "/"}})],
        [
            "model.json: /shapes/ex#Filter/traits/smithy.api#http: @http applies to operations, "
            "not to a structure"
        ],
    ),
    # -- shapesmith.api#httpStyle (OpenAPI's parameter styles)
    "a style on a body member": (
        [
            input_member(
                "Name", {"target": STRING, "traits": {STYLE: {"style": "form", "explode": False}}}
            )
        ],
        [
            INPUT_AT + f"Name/traits/{STYLE}: httpStyle applies to members with @httpLabel, "
            "@httpQuery, @httpHeader or @httpCookie"
        ],
    ),
    "a label's style on a query parameter": (
        [
            input_member(
                "Kinds", styled("ex#Names", {"style": "label", "explode": False}, httpQuery="kind")
            )
        ],
        [
            INPUT_AT + f"Kinds/traits/{STYLE}: expected {{style, explode, name?}}: style one of "
            "form, spaceDelimited, pipeDelimited, deepObject here, explode true or false, found "
            "{'style': 'label', 'explode': False}"
        ],
    ),
    "a list label without a style": (
        [input_member("Id", member("ex#Names", required={}, httpLabel={}))],
        [
            INPUT_AT + f"Id/traits/smithy.api#httpLabel: @httpLabel members must target {SIMPLE}, "
            "not a list of strings (ex#Names)"
        ],
    ),
    "a styled label of a structure of structures": (
        [
            input_member("Id", styled("ex#Outer", MATRIX, required={}, httpLabel={})),
            (("ex#Outer",), {"type": "structure", "members": {"In": {"target": "ex#Filter"}}}),
        ],
        [
            INPUT_AT + f"Id/traits/smithy.api#httpLabel: @httpLabel members must target {SIMPLE}, "
            "or a list, structure or map of them, not a structure (ex#Outer)"
        ],
    ),
    "a styled cookie of a map of lists": (
        [
            input_member(
                "Session",
                styled_cookie("ex#ListMap", "s", {"style": "form", "explode": True}),
            )
        ],
        [
            INPUT_AT + "Session/traits/shapesmith.api#httpCookie: @httpCookie members must "
            f"target {SIMPLE}, or a list, structure or map of them, not a map of lists of strings (ex#ListMap)"
        ],
    ),
    "a cookie's style on a header": (
        [
            input_member(
                "Tag", styled("ex#IntMap", {"style": "form", "explode": True}, httpHeader="X-Tag")
            )
        ],
        [
            INPUT_AT + f"Tag/traits/{STYLE}: expected {{style, explode, name?}}: style one of "
            "simple here, explode true or false, found {'style': 'form', 'explode': True}"
        ],
    ),
    "styled maps, cookies and a deepObject map are fine": (
        [
            input_member("Id", styled("ex#IntMap", MATRIX, required={}, httpLabel={})),
            input_member(
                "Kinds",
                styled("ex#StringMap", {"style": "deepObject", "explode": True}, httpQuery="k"),
            ),
            input_member(
                "Tag",
                styled("ex#IntMap", {"style": "simple", "explode": False}, httpHeader="X-Tag"),
            ),
            input_member(
                "Session",
                styled_cookie("ex#Names", "s", {"style": "form", "explode": True}),
            ),
            input_member(
                "Rest",
                styled_cookie("ex#StringMap", "r", {"style": "form", "explode": True}),
            ),
        ],
        [],
    ),
    "a styled list label and a styled structure header are fine": (
        [
            input_member("Id", styled("ex#Names", MATRIX, required={}, httpLabel={})),
            input_member(
                "Tag", styled("ex#Filter", {"style": "simple", "explode": True}, httpHeader="X-Tag")
            ),
        ],
        [],
    ),
}


def test_the_good_model_passes(tmp_path: Path) -> None:
    assert diagnostics(tmp_path, good_model()) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_misuse_of_an_http_binding_trait_is_refused(tmp_path: Path, case: str) -> None:
    changes, expected = CASES[case]
    assert diagnostics(tmp_path, changed(*changes)) == sorted(expected)


def test_http_traits_are_checked_whatever_the_protocol(tmp_path: Path) -> None:
    document = changed(
        (("ex#Things", "traits"), {"aws.protocols#awsJson1_1": {}}),
        uri("things/{Id}"),
    )
    assert diagnostics(tmp_path, document) == [URI_AT + "a URI pattern must start with '/'"]


def test_an_operation_is_not_asked_for_http(tmp_path: Path) -> None:
    document = changed((("ex#GetThing", "traits"), {}))
    assert diagnostics(tmp_path, document) == []


# -- AWS's own restJson1 models ---------------------------------------------------------------


@pytest.mark.parametrize("model", ["appconfig-2019-10-09.json", "efs-2015-02-01.json"])
def test_official_rest_json_models_pass(model: str) -> None:
    path = reference_file("models", model)
    check_model(load_model([path], path.parent))


REST_JSON_CORPUS = REFERENCE / "models" / "aws-corpus" / "restJson1"


@pytest.mark.parametrize(
    "model",
    sorted(path.name for path in REST_JSON_CORPUS.glob("*.json")) or ["(corpus not available)"],
)
def test_every_rest_json_model_of_the_corpus_passes(model: str) -> None:
    path = reference_file("models", "aws-corpus", "restJson1", model)
    check_model(load_model([path], path.parent))


# -- required members that require themselves -----------------------------------------------


def test_a_cycle_of_required_members_is_refused_once_at_its_first_member(tmp_path: Path) -> None:
    document = changed(
        (("ex#Filter", "members"), {"Next": member("ex#Other", required={})}),
        (
            ("ex#Other",),
            {"type": "structure", "members": {"Back": member("ex#Filter", required={})}},
        ),
    )
    assert diagnostics(tmp_path, document) == [
        "model.json: /shapes/ex#Filter/members/Next: required members form a "
        "cycle no finite value can satisfy (Filter.Next -> Other.Back); make one of them optional"
    ]


@pytest.mark.parametrize(
    "escape",
    [
        pytest.param(member("ex#Filter"), id="an optional member"),
        pytest.param(member("ex#Filters", required={}), id="a list on the way"),
    ],
)
def test_a_recursion_that_can_end_is_not_a_cycle(tmp_path: Path, escape: JsonObject) -> None:
    document = changed((("ex#Filter", "members"), {"Self": escape}))
    assert diagnostics(tmp_path, document) == []
