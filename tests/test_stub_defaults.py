"""The stub's answer for an operation nothing else answers (issue 12, item 6).

By stage: the default built for tricky shapes (patterns, lengths, ranges, enums, unions,
recursion, timestamps, blobs, maps with key constraints), `@examples` outputs chosen or warned
about, outputs that cannot be built. Against the generated validators: Hypothesis draws
constrained members, the package is generated and its own validator judges the default. End
to end: the whole official Rekognition model's stub answers real boto3 on every operation.
"""

from __future__ import annotations

import base64
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import ecma_regex, ir, pattern_samples, stub_defaults, value_fit
from generator.build import Selection, build_units
from generator.cli import main
from generator.config import load_config
from generator.diagnostics import ShapesmithError, Warnings, json_pointer
from generator.kinds import timestamp
from generator.loader import load_model
from generator.modeltext import ModelText
from generator.pipeline import build as build_pipeline
from generator.semantics import check_model
from tests.conftest import reference_file, service_with_stub
from tests.test_official_models import OFFICIAL, generated
from tests.wire_agreement import RunningStub

JsonObject = dict[str, Any]
NS = "example.defaults"
OPERATION = f"{NS}#Op"
EXAMPLES = "smithy.api#examples"


def model(
    output_members: JsonObject,
    shapes: JsonObject | None = None,
    operation_traits: JsonObject | None = None,
) -> JsonObject:
    """A service (with a stub) of one operation whose output has `output_members`."""
    return {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Service": service_with_stub("Defaults Probe", "probe", [OPERATION]),
            OPERATION: {
                "type": "operation",
                "input": {"target": "smithy.api#Unit"},
                "output": {"target": f"{NS}#OpOutput"},
                "traits": operation_traits or {},
            },
            f"{NS}#OpOutput": {
                "type": "structure",
                "members": output_members,
                "traits": {"smithy.api#output": {}},
            },
            **(shapes or {}),
        },
    }


def required(target: str, **traits: Any) -> JsonObject:
    return {"target": target, "traits": {"smithy.api#required": {}, **traits}}


def unit_of(folder: Path, document: JsonObject) -> tuple[ir.GenerationUnit, Warnings]:
    path = folder / "model.json"
    path.write_text(json.dumps(document), "utf-8")
    checked = load_model([path], folder)
    warnings = Warnings()
    check_model(checked, warnings)
    (unit,) = build_units(checked, Selection((OPERATION,), "shapesmith.toml", "/o"), warnings)
    return unit, warnings


def default_of(unit: ir.GenerationUnit) -> Any:
    (default,) = unit.stub_defaults
    return None if default.literal is None else eval(default.literal, {})


def output_of(unit: ir.GenerationUnit) -> ir.StructureShape:
    return unit.operations[0].output


# -- by stage: tricky shapes -------------------------------------------------------------------


def test_strings_meet_their_pattern_and_length_together(tmp_path: Path) -> None:
    members = {
        "Arn": required(
            f"{NS}#Arn",
        ),
        "Code": required("smithy.api#String", **{"smithy.api#pattern": r"^[A-Z]{2}-\d{3}$"}),
        "Long": required(
            "smithy.api#String",
            **{"smithy.api#pattern": "^[a-f0-9]+$", "smithy.api#length": {"min": 20, "max": 24}},
        ),
        "Sized": required("smithy.api#String", **{"smithy.api#length": {"min": 7, "max": 9}}),
        "Unanchored": required(
            "smithy.api#String",
            **{"smithy.api#pattern": "[0-9]", "smithy.api#length": {"min": 5}},
        ),
    }
    arn = {
        "type": "string",
        "traits": {"smithy.api#pattern": r"^arn:aws:[a-z0-9-]+:[a-z]{2}-[a-z]+-\d:\d{12}:.+$"},
    }
    unit, warnings = unit_of(tmp_path, model(members, {f"{NS}#Arn": arn}))
    value = default_of(unit)
    assert value_fit.problems(output_of(unit), value) == []
    assert len(value["Code"]) == 6 and value["Code"][2] == "-"
    assert 20 <= len(value["Long"]) <= 24
    assert 7 <= len(value["Sized"]) <= 9
    assert value["Arn"].startswith("arn:aws:")
    assert not list(warnings)


def test_numbers_sit_inside_their_ranges_and_widths(tmp_path: Path) -> None:
    members = {
        "Small": required("smithy.api#Integer", **{"smithy.api#range": {"min": 10, "max": 20}}),
        "Negative": required("smithy.api#Long", **{"smithy.api#range": {"max": -3}}),
        "Fraction": required(
            "smithy.api#Double", **{"smithy.api#range": {"min": 0.25, "max": 0.75}}
        ),
        "Float": required("smithy.api#Float", **{"smithy.api#range": {"min": 1e-7}}),
        "Decimal": required("smithy.api#BigDecimal", **{"smithy.api#range": {"min": 2.5}}),
        "Ceiling": required("smithy.api#Integer", **{"smithy.api#range": {"min": 1.5}}),
        "Byte": required("smithy.api#Byte"),
    }
    unit, _ = unit_of(tmp_path, model(members))
    value = default_of(unit)
    assert value_fit.problems(output_of(unit), value) == []
    assert value["Small"] == 10 and value["Negative"] == -3 and value["Ceiling"] == 2
    assert 0.25 <= value["Fraction"] <= 0.75 and value["Float"] >= 1e-7
    assert value["Decimal"] >= 2.5 and value["Byte"] == 0


def test_numbers_keep_exclusive_bounds_and_multiples(tmp_path: Path) -> None:
    exclusive = "shapesmith.api#exclusiveRange"
    multiple = "shapesmith.api#multipleOf"
    members = {
        "Open": required("smithy.api#Double", **{exclusive: {"min": 0, "max": 1}}),
        "Above": required("smithy.api#Double", **{exclusive: {"min": 0}}),
        "Below": required("smithy.api#Float", **{exclusive: {"max": 0}}),
        "Whole": required("smithy.api#Integer", **{exclusive: {"min": 7.5}, multiple: 4}),
        "Halves": required(
            "smithy.api#Double", **{"smithy.api#range": {"min": 3.2}, multiple: 0.5}
        ),
        "Tie": required(
            "smithy.api#Double", **{"smithy.api#range": {"min": 2}, exclusive: {"min": 2}}
        ),
    }
    unit, _ = unit_of(tmp_path, model(members))
    value = default_of(unit)
    assert value_fit.problems(output_of(unit), value) == []
    assert 0 < value["Open"] < 1 and value["Above"] > 0 and value["Below"] < 0
    assert value["Whole"] == 8 and value["Halves"] == 3.5 and value["Tie"] > 2
    broken = {**value, "Open": 1, "Whole": 12.0, "Halves": 3.75, "Tie": 2}
    assert sorted(value_fit.problems(output_of(unit), broken)) == [
        "Halves: 3.75 is not a multiple of 0.5",
        "Open: 1 breaks @range 0..1 excluding 0 and 1",
        "Tie: 2 breaks @range 2.. excluding 2",
        "Whole: expected an integer, found 12.0",
    ]


def test_enums_take_a_value_that_meets_the_member_constraints(tmp_path: Path) -> None:
    shapes = {
        f"{NS}#Color": {
            "type": "enum",
            "members": {
                "LONG_NAME": {
                    "target": "smithy.api#Unit",
                    "traits": {"smithy.api#enumValue": "a very long value"},
                },
                "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
            },
        },
        f"{NS}#Level": {
            "type": "intEnum",
            "members": {
                "LOW": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}},
                "HIGH": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 9}},
            },
        },
    }
    members = {
        "Color": required(f"{NS}#Color", **{"smithy.api#length": {"max": 5}}),
        "Level": required(f"{NS}#Level", **{"smithy.api#range": {"min": 5}}),
    }
    unit, _ = unit_of(tmp_path, model(members, shapes))
    assert default_of(unit) == {"Color": "red", "Level": 9}


def test_unions_recursion_and_optional_members(tmp_path: Path) -> None:
    shapes = {
        f"{NS}#Tree": {
            "type": "union",
            "members": {
                "Branch": {"target": f"{NS}#Tree"},
                "Leaves": {"target": f"{NS}#Leaves"},
                "Leaf": {"target": "smithy.api#String"},
            },
        },
        f"{NS}#Leaves": {
            "type": "list",
            "member": {"target": f"{NS}#Tree"},
            "traits": {"smithy.api#length": {"min": 1}},
        },
        f"{NS}#Node": {
            "type": "structure",
            "members": {
                "Children": required(f"{NS}#Nodes"),
                "Parent": {"target": f"{NS}#Node"},
            },
        },
        f"{NS}#Nodes": {"type": "list", "member": {"target": f"{NS}#Node"}},
    }
    members = {
        "Tree": required(f"{NS}#Tree"),
        "Node": required(f"{NS}#Node"),
        "Optional": {"target": "smithy.api#String"},
    }
    unit, warnings = unit_of(tmp_path, model(members, shapes))
    # The union's first member would contain itself; its list needs one item, which would too.
    assert default_of(unit) == {"Tree": {"Leaf": "x"}, "Node": {"Children": []}}
    assert not list(warnings)


def test_timestamps_blobs_and_documents(tmp_path: Path) -> None:
    members = {
        "When": required("smithy.api#Timestamp"),
        "Data": required("smithy.api#Blob", **{"smithy.api#length": {"min": 3, "max": 3}}),
        "Anything": required("smithy.api#Document"),
        "Flag": required("smithy.api#Boolean"),
    }
    unit, _ = unit_of(tmp_path, model(members))
    value = default_of(unit)
    assert value["When"] == timestamp.SAMPLE_MOMENT
    assert len(base64.b64decode(value["Data"])) == 3
    assert value["Anything"] == {} and value["Flag"] is False


def test_maps_and_unique_lists_get_distinct_keys_and_items(tmp_path: Path) -> None:
    shapes = {
        f"{NS}#Tags": {
            "type": "map",
            "key": {
                "target": "smithy.api#String",
                "traits": {"smithy.api#pattern": r"^k[0-9]$"},
            },
            "value": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": 2}}},
            "traits": {"smithy.api#length": {"min": 3}},
        },
        f"{NS}#Codes": {
            "type": "list",
            "member": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": 4}}},
            "traits": {"smithy.api#uniqueItems": {}, "smithy.api#length": {"min": 3}},
        },
    }
    members = {"Tags": required(f"{NS}#Tags"), "Codes": required(f"{NS}#Codes")}
    unit, _ = unit_of(tmp_path, model(members, shapes))
    value = default_of(unit)
    assert value_fit.problems(output_of(unit), value) == []
    assert len(value["Tags"]) == 3 and all(len(v) >= 2 for v in value["Tags"].values())
    assert sorted(value["Codes"]) == [4, 5, 6]


def test_an_output_no_value_can_meet_is_a_warning_and_a_501(tmp_path: Path) -> None:
    members = {
        "Impossible": required(
            "smithy.api#String",
            **{"smithy.api#pattern": "^[a-z]{2}$", "smithy.api#length": {"min": 5}},
        )
    }
    unit, warnings = unit_of(tmp_path, model(members))
    assert unit.stub_defaults[0].literal is None
    (warning,) = list(warnings)
    assert warning.pointer == json_pointer("shapes", OPERATION, "output")
    assert "OpOutput.Impossible" in warning.message and "501" in warning.message


def test_a_structure_that_must_contain_itself_cannot_be_built(tmp_path: Path) -> None:
    # Through a list that may not be empty: a direct cycle of required members is refused by
    # the check already (semantics' required_cycles).
    shapes = {
        f"{NS}#Loop": {"type": "structure", "members": {"Next": required(f"{NS}#Loops")}},
        f"{NS}#Loops": {
            "type": "list",
            "member": {"target": f"{NS}#Loop"},
            "traits": {"smithy.api#length": {"min": 1}},
        },
    }
    unit, warnings = unit_of(tmp_path, model({"Loop": required(f"{NS}#Loop")}, shapes))
    assert default_of(unit) is None
    assert "would have to contain itself" in next(iter(warnings)).message


def test_the_first_fitting_example_is_the_default_and_others_are_warnings(tmp_path: Path) -> None:
    members = {
        "Count": required("smithy.api#Integer", **{"smithy.api#range": {"max": 10}}),
        "Name": {"target": "smithy.api#String"},
    }
    examples: list[JsonObject] = [
        {"title": "an error", "error": {"shapeId": "x#Y", "content": {}}},
        {"title": "too many", "output": {"Count": 99}},
        {"title": "fits", "output": {"Count": 3, "Name": "three"}},
        {"title": "unknown member", "output": {"Count": 1, "Extra": True}},
    ]
    unit, warnings = unit_of(tmp_path, model(members, operation_traits={EXAMPLES: examples}))
    assert default_of(unit) == {"Count": 3, "Name": "three"}
    assert unit.stub_defaults[0].source == "example 2"
    found = {w.pointer: w.message for w in warnings}
    assert sorted(found) == [
        json_pointer("shapes", OPERATION, "traits", EXAMPLES, index, "output") for index in (1, 3)
    ]
    assert (
        "Count: 99 breaks @range ..10"
        in found[json_pointer("shapes", OPERATION, "traits", EXAMPLES, 1, "output")]
    )
    assert (
        "Extra: OpOutput has no such member"
        in found[json_pointer("shapes", OPERATION, "traits", EXAMPLES, 3, "output")]
    )


def _planned(pattern: str) -> tuple[str, ir.Pattern]:
    """The Python source of `pattern` and the IR pattern validators check it with."""
    source, method = ecma_regex.plan(pattern)
    plan = ir.Pattern(
        ecma=ModelText(pattern),
        python=source,
        constant="_P",
        method=method,
        found_means_broken=False,
    )
    return source, plan


def test_pattern_samples_are_deterministic_and_fit_aws_patterns() -> None:
    patterns = [
        r"^[a-zA-Z0-9_.\-]+$",
        r"^(arn:aws:[a-z]+:[a-z0-9-]*:\d{12}:\S+|\*)$",
        r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$",
        r"^(?!aws:)[a-zA-Z+-=._:/]+$",
        r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*",
    ]
    for pattern in patterns:
        source, plan = _planned(pattern)
        first = list(pattern_samples.samples(source, 3))
        assert first == list(pattern_samples.samples(source, 3))
        assert any(value_fit.fits_pattern(plan, text) for text in first), pattern


def test_nearly_every_pattern_of_the_reference_models_gets_a_sample() -> None:
    from tests.test_corpus_patterns import corpus_patterns

    sampled = unsampled = 0
    for pattern in corpus_patterns():
        try:
            source, plan = _planned(pattern)
        except ecma_regex.PatternError:
            continue  # not enforced, so any string does
        candidates = pattern_samples.samples(source, 1)
        if any(value_fit.fits_pattern(plan, text) for text in candidates):
            sampled += 1
        else:
            unsampled += 1
    assert sampled > 1600 and unsampled < sampled / 100


# -- against the generated validators ------------------------------------------------------------

_PATTERNS = [
    None,
    r"^[a-z]+$",
    r"^\d{3}-[A-Z]{2}$",
    r"^[\w\-]+(\.[\w\-]+)*$",
    r"[0-9]",
    r"^(foo|ba+r)$",
]


@st.composite
def _constrained_member(draw: st.DrawFn) -> JsonObject:
    kind = draw(st.sampled_from(["string", "integer", "long", "double", "blob", "list"]))
    traits: JsonObject = {"smithy.api#required": {}}
    if kind in ("string", "blob", "list"):
        low = draw(st.integers(0, 12))
        high = draw(st.one_of(st.none(), st.integers(low, low + 20)))
        traits["smithy.api#length"] = {"min": low} if high is None else {"min": low, "max": high}
    if kind == "string":
        pattern = draw(st.sampled_from(_PATTERNS))
        if pattern is not None:
            traits["smithy.api#pattern"] = pattern
    if kind in ("integer", "long", "double"):
        low_bound = draw(st.integers(-1000, 1000))
        traits["smithy.api#range"] = {"min": low_bound, "max": low_bound + draw(st.integers(0, 50))}
    target = {"string": "smithy.api#String", "integer": "smithy.api#Integer"}.get(kind, "")
    target = (
        target
        or {
            "long": "smithy.api#Long",
            "double": "smithy.api#Double",
            "blob": "smithy.api#Blob",
            "list": f"{NS}#Numbers",
        }[kind]
    )
    return {"target": target, "traits": traits}


_generated_count = 0


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(members=st.lists(_constrained_member(), min_size=1, max_size=6))
def test_the_default_passes_the_generated_validator(
    members: list[JsonObject], tmp_path_factory: pytest.TempPathFactory
) -> None:
    global _generated_count
    _generated_count += 1
    folder = tmp_path_factory.mktemp("probe")
    shapes = {
        f"{NS}#Numbers": {
            "type": "list",
            "member": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": 7}}},
            "traits": {"smithy.api#uniqueItems": {}},
        }
    }
    document = model({f"M{i}": member for i, member in enumerate(members)}, shapes)
    (folder / "model.json").write_text(json.dumps(document), "utf-8")
    package = f"defaults_probe_{_generated_count}"
    (folder / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(folder / "shapesmith.toml")]) == 0
    unit, _ = unit_of(folder, document)
    value = default_of(unit)
    if value is None:
        # Only a pattern that cannot meet its length may leave nothing to answer.
        assert any("smithy.api#pattern" in m["traits"] for m in members)
        return
    # Import the fresh package under a name of its own: each example is a different model.
    (folder / "out" / "defaults_probe").rename(folder / "out" / package)
    sys.path.insert(0, str(folder / "out"))
    try:
        validators = importlib.import_module(f"{package}.validators")
        wire = importlib.import_module(f"{package}.stub.service").SERVICE.operations["Op"]
        assert validators.validate_op_output(wire.read_output(value), strict=True) == []
    finally:
        sys.path.remove(str(folder / "out"))
        for name in [m for m in sys.modules if m.startswith(package)]:
            del sys.modules[name]


# -- the setting, on the committed package ------------------------------------------------------


def test_fixtures_and_fake_behaviour_win_over_the_501_setting() -> None:
    from rekognition.stub import SERVICE, fixtures_from_data, serve

    session = "3f1c6a52-0b8e-4c1e-9a57-6f1b2c3d4e5f"
    fixtures = fixtures_from_data(
        {
            "GetFaceLivenessSessionResults": [
                {
                    "match": {"SessionId": session},
                    "response": {"SessionId": session, "Status": "EXPIRED"},
                }
            ]
        },
        SERVICE,
    )
    with serve(fixtures=fixtures, unimplemented="501") as server:
        client = _boto(server.url)
        created = client.create_face_liveness_session()["SessionId"]
        read = client.get_face_liveness_session_results(SessionId=created)["Status"]
        canned = client.get_face_liveness_session_results(SessionId=session)["Status"]
    assert (read, canned) == ("CREATED", "EXPIRED")


def test_the_setting_is_checked_and_belongs_to_the_fake() -> None:
    from rekognition.stub import InMemoryRekognition, create_app

    with pytest.raises(ValueError, match="unimplemented must be one of default, 501"):
        InMemoryRekognition(unimplemented="404")
    with pytest.raises(TypeError, match="in-memory fake's setting"):
        create_app(InMemoryRekognition(), unimplemented="501")


def _boto(url: str) -> Any:
    return boto3.client(
        "rekognition",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIDSTUB",
        aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )


# -- end to end: the official Rekognition model --------------------------------------------------

_CALL_EVERY_OPERATION = """
import base64, datetime, json, sys
sys.path.insert(0, sys.argv[1])
import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from rekognition.stub import serve
from rekognition.stub import fake

calls = json.loads(sys.argv[2])
mode = sys.argv[3]
if mode == "broken":
    fake.DEFAULT_OUTPUTS["ListCollections"] = {"CollectionIds": 5}

def to_boto(shape, value):
    if shape.type_name == "blob":
        return base64.b64decode(value)
    if shape.type_name == "structure":
        return {k: to_boto(shape.members[k], v) for k, v in value.items()}
    if shape.type_name == "list":
        return [to_boto(shape.member, v) for v in value]
    if shape.type_name == "map":
        return {k: to_boto(shape.value, v) for k, v in value.items()}
    return value

def to_json(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value

results = {}
with serve(unimplemented="501" if mode == "501" else "default") as server:
    client = boto3.client(
        "rekognition", endpoint_url=server.url, region_name="us-east-1",
        aws_access_key_id="AKIDSTUB", aws_secret_access_key="secret",
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )
    model = client.meta.service_model
    for name, params in calls:
        operation = model.operation_model(name)
        method = getattr(client, xform_name(name))
        try:
            answer = method(**to_boto(operation.input_shape, params))
        except ClientError as error:
            results[name] = {"error": error.response["Error"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
            continue
        status = answer.pop("ResponseMetadata")["HTTPStatusCode"]
        results[name] = {"status": status, "output": to_json(answer)}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ir.GenerationUnit]:
    package = generated("rekognition", tmp_path_factory)
    model_path = reference_file("models", OFFICIAL["rekognition"])
    config = package.parent.parent / "shapesmith.toml"
    (unit,) = build_pipeline(load_config(config))
    assert str(model_path) in config.read_text("utf-8")
    return package, unit


def _call(package: Path, calls: list[tuple[str, Any]], mode: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _CALL_EVERY_OPERATION, str(package.parent), json.dumps(calls), mode],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    answers: dict[str, Any] = json.loads(result.stdout)
    return answers


def _inputs(unit: ir.GenerationUnit) -> list[tuple[str, Any]]:
    return [
        (op.name, stub_defaults.build(op.input) if op.has_input else {}) for op in unit.operations
    ]


def test_boto3_gets_a_parsed_200_from_every_rekognition_operation(
    official: tuple[Path, ir.GenerationUnit],
) -> None:
    package, unit = official
    answers = _call(package, _inputs(unit), "default")
    assert len(answers) == len(unit.operations) > 70
    failed = {name: answer for name, answer in answers.items() if answer["status"] != 200}
    assert failed == {}
    examples = [d for d in unit.stub_defaults if d.source.startswith("example")]
    assert len(examples) > 20
    for default in unit.stub_defaults:
        assert default.literal is not None, default.operation.name
        # What boto3 parsed is the default, an @examples output where one fits.
        assert answers[default.operation.name]["output"] == eval(default.literal, {})


def test_the_501_setting_answers_every_operation_not_implemented(
    official: tuple[Path, ir.GenerationUnit],
) -> None:
    package, unit = official
    answers = _call(package, _inputs(unit)[:10], "501")
    assert len(answers) == 10
    for name, answer in answers.items():
        assert answer["status"] == 501
        assert answer["error"] == {
            "Code": "NotImplemented",
            "Message": f"not implemented by this stub: {name}",
        }


def test_a_default_that_breaks_the_model_is_a_500_that_says_so(
    official: tuple[Path, ir.GenerationUnit],
) -> None:
    package, unit = official
    calls = [call for call in _inputs(unit) if call[0] in ("ListCollections", "ListFaces")]
    answers = _call(package, calls, "broken")
    assert answers["ListFaces"]["status"] == 200
    broken = answers["ListCollections"]
    assert broken["status"] == 500 and broken["error"]["Code"] == "InternalFailure"
    assert (
        "the stub's default ListCollections answer breaks the model" in broken["error"]["Message"]
    )


def test_the_command_line_chooses_501(official: tuple[Path, ir.GenerationUnit]) -> None:
    package, _ = official
    with (
        RunningStub(package, "--unimplemented", "501") as url,
        pytest.raises(ClientError) as raised,
    ):
        _boto(url).list_collections()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert raised.value.response["Error"]["Code"] == "NotImplemented"


# -- the AWS JSON corpus (pytest -m corpus) ------------------------------------------------------


@pytest.mark.corpus
def test_nearly_every_corpus_operation_gets_a_default_and_the_rest_a_warning() -> None:
    """5,060 operations of 125 services when written: 6 outputs cannot be built, each because
    the model contradicts itself (App Runner's ServiceId: a 36-character UUID @pattern with
    @length 32)."""
    corpus = reference_file("models", "aws-corpus")
    operations = unbuilt = 0
    for path in sorted(corpus.glob("awsJson1_*/*.json")):
        checked = load_model([path], path.parent)
        warnings = Warnings()
        check_model(checked, warnings)
        try:
            units = build_units(checked, Selection((), "shapesmith.toml", "/o"), warnings)
        except ShapesmithError:
            continue  # names the generator refuses; not this stage's business
        warned = {w.pointer for w in warnings if "cannot build a default" in w.message}
        for unit in units:
            for default in unit.stub_defaults:
                operations += 1
                if default.literal is None:
                    unbuilt += 1
                    assert json_pointer("shapes", default.operation.id, "output") in warned
    assert operations > 4000 and unbuilt < operations / 500


def test_a_pattern_that_backtracks_on_an_example_is_bounded(tmp_path: Path) -> None:
    """`^(a+)+$` on 36 a's and a `!` takes hours in `re`: checking the example must give up
    after the regex budget, with a warning, and generation must finish (in a subprocess with a
    timeout, so a regression fails instead of holding the suite)."""
    members = {"Word": required("smithy.api#String", **{"smithy.api#pattern": "^(a+)+$"})}
    examples = [{"title": "evil", "output": {"Word": "a" * 36 + "!"}}]
    (tmp_path / "model.json").write_text(
        json.dumps(model(members, operation_traits={EXAMPLES: examples})), "utf-8"
    )
    (tmp_path / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n', "utf-8")
    finished = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--config", "shapesmith.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    pointer = json_pointer("shapes", OPERATION, "traits", EXAMPLES, 0, "output")
    assert pointer in finished.stderr
    assert "did not decide within" in finished.stderr
