"""Our hand-written model agrees with AWS's: the official Smithy model and botocore's JSON model.

Our model is written from the seed document and public documentation; these tests prove that it
describes the same API, constraint by constraint, over the whole closure of the operation.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import botocore.session
import pytest

from tests.conftest import REPO, reference_file

NAMESPACE = "com.amazonaws.rekognition"
OPERATIONS = (
    f"{NAMESPACE}#CreateFaceLivenessSession",
    f"{NAMESPACE}#GetFaceLivenessSessionResults",
)
MODEL_FILES = ("rekognition.json", "rekognition-liveness-create.json")

# Traits that change what a value may be: they must be identical in both models.
CONSTRAINT_TRAITS = (
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#required",
    "smithy.api#enumValue",
    "smithy.api#error",
    "smithy.api#sensitive",
    "smithy.api#uniqueItems",
    "smithy.api#sparse",
    "smithy.api#default",
    "smithy.api#timestampFormat",
    "smithy.api#idempotencyToken",
    "smithy.api#jsonName",
    "smithy.api#idempotent",
    "smithy.api#input",
    "smithy.api#output",
)

# Traits our model adds, each with the public fact it comes from.
ADDITIONS = {
    # The seed document gives every error's HTTP status code; the official model leaves it out.
    "smithy.api#httpError",
    # The documentation says to try these calls again; the official model does not say it.
    "smithy.api#retryable",
}


@cache
def ours() -> dict[str, Any]:
    """Our model files' shapes together (the loader's merge is tested elsewhere)."""
    shapes: dict[str, Any] = {}
    for name in MODEL_FILES:
        shapes.update(json.loads((REPO / "models" / name).read_text())["shapes"])
    return shapes


@cache
def official() -> dict[str, Any]:
    path = reference_file("models", "rekognition-2016-06-27.json")
    shapes: dict[str, Any] = json.loads(path.read_text())["shapes"]
    return shapes


def closure(shapes: dict[str, Any], roots: tuple[str, ...] = OPERATIONS) -> set[str]:
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        shape_id = pending.pop()
        if shape_id in seen or not shape_id.startswith(NAMESPACE):
            continue
        seen.add(shape_id)
        shape = shapes[shape_id]
        references = [
            shape[key] for key in ("input", "output", "member", "key", "value") if key in shape
        ]
        references += shape.get("errors", []) + list(shape.get("members", {}).values())
        pending.extend(reference["target"] for reference in references)
    return seen


def constraints(traits: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in traits.items() if name in CONSTRAINT_TRAITS}


# Response members newer than the reference Smithy model, modelled from botocore's newer model
# (botocore >= 1.44 ships them): member -> the shapes only it brings into the closure.
NEWER_MEMBERS = {
    "GetFaceLivenessSessionResultsResponse$Feedback": {
        "FeedbackList",
        "FeedbackItem",
        "FeedbackCode",
        "FeedbackMessage",
    },
    "GetFaceLivenessSessionResultsResponse$Metadata": {"SessionMetadata", "SDKTypeString"},
}
NEWER_SHAPES = {f"{NAMESPACE}#{name}" for names in NEWER_MEMBERS.values() for name in names}


def test_closures_have_the_same_shapes() -> None:
    assert closure(ours()) - NEWER_SHAPES == closure(official())


def _shared_shapes() -> list[str]:
    return sorted(closure(ours()) - NEWER_SHAPES)


@pytest.mark.parametrize("shape_id", _shared_shapes())
def test_every_shape_has_the_same_constraints(shape_id: str) -> None:
    mine, theirs = ours()[shape_id], official()[shape_id]
    assert mine["type"] == theirs["type"]
    assert constraints(mine.get("traits", {})) == constraints(theirs.get("traits", {}))
    assert set(mine.get("traits", {})) - set(theirs.get("traits", {})) <= ADDITIONS | {
        "smithy.api#documentation"
    }
    for key in ("input", "output", "member", "key", "value"):
        assert mine.get(key, {}).get("target") == theirs.get(key, {}).get("target"), key
    assert sorted(e["target"] for e in mine.get("errors", [])) == sorted(
        e["target"] for e in theirs.get("errors", [])
    )
    my_members, their_members = mine.get("members", {}), theirs.get("members", {})
    newer = {
        m.partition("$")[2] for m in NEWER_MEMBERS if shape_id.endswith("#" + m.partition("$")[0])
    }
    assert set(my_members) - newer == set(their_members)
    my_members = {name: member for name, member in my_members.items() if name not in newer}
    for name, member in my_members.items():
        assert member["target"] == their_members[name]["target"], name
        assert constraints(member.get("traits", {})) == constraints(
            their_members[name].get("traits", {})
        ), name


def test_service_traits_agree() -> None:
    service_id = f"{NAMESPACE}#RekognitionService"
    mine, theirs = ours()[service_id]["traits"], official()[service_id]["traits"]
    for trait in (
        "aws.api#service",
        "aws.auth#sigv4",
        "aws.protocols#awsJson1_1",
        "smithy.api#title",
    ):
        assert mine[trait] == theirs[trait], trait
    assert ours()[service_id]["version"] == official()[service_id]["version"]


def test_endpoint_rules_are_equivalent() -> None:
    """Same parameters and the same decision tree (documentation strings may be our own)."""
    service_id = f"{NAMESPACE}#RekognitionService"

    def without_docs(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: without_docs(v) for k, v in node.items() if k != "documentation"}
        if isinstance(node, list):
            return [without_docs(item) for item in node]
        return node

    mine = ours()[service_id]["traits"]["smithy.rules#endpointRuleSet"]
    theirs = official()[service_id]["traits"]["smithy.rules#endpointRuleSet"]
    assert without_docs(mine) == without_docs(theirs)


# -- botocore ------------------------------------------------------------------------------------


# Newer botocore models (1.44) spell these patterns without `^...$`. botocore never checks patterns,
# so it does not notice; under Smithy's unanchored (search) semantics the difference is real for
# S3Bucket (`[0-9A-Za-z\.\-_]*` alone matches every string). Our model keeps the anchors of the
# Smithy model, which is the source the SDKs are generated from.
UNANCHORED_IN_BOTOCORE = {
    "LivenessSessionId": "equivalent: the length is fixed at 36, the pattern matches 36 characters",
    "S3Bucket": "botocore's spelling would accept any string; the Smithy model's restricts characters",
    "LivenessS3KeyPrefix": "botocore's `\\S*` matches the empty prefix of any string; `^\\S*$` bans spaces",
}


@cache
def botocore_shapes() -> dict[str, Any]:
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model("rekognition", "service-2")
    shapes: dict[str, Any] = model["shapes"]
    return shapes


def test_botocore_agrees_on_every_shape_of_the_closure() -> None:
    shapes = botocore_shapes()
    botocore_is_older = "Feedback" not in shapes["GetFaceLivenessSessionResultsResponse"]["members"]
    for shape_id in sorted(closure(ours())):
        mine = ours()[shape_id]
        if mine["type"] == "operation" or (botocore_is_older and shape_id in NEWER_SHAPES):
            continue
        name = shape_id.partition("#")[2]
        theirs = shapes[name]
        traits = mine.get("traits", {})
        length = traits.get("smithy.api#length", {})
        value_range = traits.get("smithy.api#range", {})
        if mine["type"] in {"string", "blob", "list", "map"}:
            # botocore leaves out a minimum length of 0, which constrains nothing.
            assert (theirs.get("min", 0), theirs.get("max")) == (
                length.get("min", 0),
                length.get("max"),
            ), name
        if mine["type"] in {"float", "double", "integer", "long"}:
            assert (theirs.get("min"), theirs.get("max")) == (
                value_range.get("min"),
                value_range.get("max"),
            ), name
        if "smithy.api#pattern" in traits:
            pattern = traits["smithy.api#pattern"]
            if name in UNANCHORED_IN_BOTOCORE and theirs["pattern"] != pattern:
                assert f"^{theirs['pattern']}$" == pattern, name
            else:
                assert theirs["pattern"] == pattern, name
        if mine["type"] == "enum":
            values = [m["traits"]["smithy.api#enumValue"] for m in mine["members"].values()]
            assert sorted(theirs["enum"]) == sorted(values), name
        if mine["type"] == "structure" and "smithy.api#error" in traits:
            # botocore's error shapes carry no members: it reads Message and Code generically.
            assert theirs["members"] == {}, name
            assert bool(theirs.get("fault")) == (traits["smithy.api#error"] == "server"), name
        elif mine["type"] == "structure":
            members = mine["members"]
            if botocore_is_older:
                members = {n: m for n, m in members.items() if f"{name}${n}" not in NEWER_MEMBERS}
            assert set(theirs["members"]) == set(members), name
            required = sorted(
                n for n, m in members.items() if "smithy.api#required" in m.get("traits", {})
            )
            assert sorted(theirs.get("required", [])) == required, name
            for member_name, member in members.items():
                assert theirs["members"][member_name]["shape"] == member["target"].partition("#")[2]
        assert bool(theirs.get("sensitive")) == ("smithy.api#sensitive" in traits), name
        assert bool(theirs.get("exception")) == ("smithy.api#error" in traits), name
