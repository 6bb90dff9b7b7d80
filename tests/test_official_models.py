"""AWS's official models, whole: every operation generated, and the output type-checked and linted.

Our own models cover two operations; these cover Rekognition's ~100 and Timestream for
InfluxDB's (awsJson1_0, errors with required members besides their message, typographic quotes
in documentation, Unicode property escapes in tag patterns). The models are read from
../shared/reference at run time and never copied into the repository.
"""

from __future__ import annotations

import datetime
import json
import pickle
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import REPO, reference_file

OFFICIAL = {
    "rekognition": "rekognition-2016-06-27.json",
    "timestream_influx_db": "timestream-influxdb-2023-01-27.json",
}


_generated: dict[str, Path] = {}


def generated(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package generated from the whole official model (once per test session)."""
    if name in _generated:
        return _generated[name]
    model = reference_file("models", OFFICIAL[name])
    root = tmp_path_factory.mktemp(name)
    config = root / "shapesmith.toml"
    config.write_text(f'models = [{json.dumps(str(model))}]\noutput = "out"\n', "utf-8")
    assert main(["generate", "-q", "--config", str(config)]) == 0
    assert (root / "out" / name / "client.py").is_file()
    _generated[name] = root / "out" / name
    return _generated[name]


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_every_operation_generates_type_checked_and_lint_clean(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    package = generated(name, tmp_path_factory)
    config = str(REPO / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package.name],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, package.name],
        [sys.executable, "-m", "black", "--check", "--quiet", "--config", config, package.name],
    ):
        result = subprocess.run(
            command, cwd=package.parent, capture_output=True, text=True, timeout=900
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_tag_patterns_with_unicode_properties_validate(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    package = generated("rekognition", tmp_path_factory)  # TagResource: \p{L} in tag patterns
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); "
        "from rekognition import validate_tag_resource_request as v; "
        "arn = 'arn:aws:rekognition:us-east-1:123456789012:collection/c'; "
        "print(json.dumps([[x.path, x.constraint] for x in v({'ResourceArn': arn, "
        "'Tags': {'Größe': 'wert 1', 'aws:reserved': 'x', 'ok': 'semi;colon'}})]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(package.parent)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert sorted(map(tuple, json.loads(result.stdout))) == [
        ("Tags", "pattern"),
        ("Tags.ok", "pattern"),
    ]


def test_the_stub_builds_errors_whose_other_members_are_required(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Timestream's ConflictException requires resourceId and resourceType besides its message.
    package = generated("timestream_influx_db", tmp_path_factory)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from timestream_influx_db.stub import SERVICE; "
        "error = SERVICE.errors['ConflictException'].make('busy'); "
        "print(type(error).__name__, error.message, repr(error.resource_id))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(package.parent)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["ConflictException", "busy", "''"]


# -- the wire form of every operation, against botocore ----------------------------------------

_WIRE_PROBE = """
import json, pickle, sys
sys.path.insert(0, sys.argv[1])
from generator import naming
from rekognition import _awsjson, shapes
cases = pickle.load(sys.stdin.buffer)
out = []
for shape_name, params in cases:
    cls = getattr(shapes, naming.class_name(shape_name))
    serialize = getattr(_awsjson, "_serialize_" + naming.snake_case(shape_name))
    out.append(json.loads(json.dumps(serialize(cls.from_dict(params)), allow_nan=False)))
sys.stdout.write(json.dumps(out))
"""


def _our_wire_form(package: Path, cases: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """The JSON body our serializer writes for each (shape name, wire-form params) case, made in
    a fresh interpreter with the generated package on its path."""
    result = subprocess.run(
        [sys.executable, "-c", _WIRE_PROBE, str(package.parent)],
        input=pickle.dumps(cases),
        capture_output=True,
        check=True,
        timeout=300,
    )
    found: list[Any] = json.loads(result.stdout)
    return found


_NOT_IN_SMITHY = object()
"""The "default" of a member botocore's (newer) model has and the official Smithy model lacks."""


def _smithy_defaults(model: Path) -> dict[tuple[str, str], object]:
    """(structure name, member name) -> the member's @default in the official Smithy model, or
    None when it has none; members botocore knows and this model does not are absent."""
    shapes = json.loads(model.read_text("utf-8"))["shapes"]
    facts: dict[tuple[str, str], object] = {
        (shape_id.split("#")[1], name): member.get("traits", {}).get("smithy.api#default")
        for shape_id, shape in shapes.items()
        for name, member in shape.get("members", {}).items()
    }
    # (structure name, "") marks that the structure itself is in the model.
    facts.update({(shape_id.split("#")[1], ""): None for shape_id in shapes})
    return facts


def _value(
    shape: Any, rng: random.Random, defaults: dict[tuple[str, str], object], depth: int = 0
) -> Any:
    """A value botocore's model allows for `shape` (lengths and ranges kept; patterns ignored,
    since only the wire form is compared). A member that comes out equal to its @default is left
    out: we do not send defaults (the receiver assumes them), botocore sends what it is given."""
    kind = shape.type_name
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if kind == "structure":
        chosen = {}
        for name, member in shape.members.items():
            default = defaults.get((shape.name, name), _NOT_IN_SMITHY)
            if default is _NOT_IN_SMITHY:
                continue  # e.g. Feedback and Metadata, added to the service after that model
            if name in shape.required_members or (depth < 4 and rng.random() < 0.7):
                value = _value(member, rng, defaults, depth + 1)
                if name in shape.required_members or default is None or default != value:
                    chosen[name] = value
        return chosen
    if kind == "list":
        size = rng.randint(int(low or 0), min(int(high or 2), max(int(low or 0), 2)))
        return [_value(shape.member, rng, defaults, depth + 1) for _ in range(size)]
    if kind == "map":
        return {
            _value(shape.key, rng, defaults, depth + 1): _value(
                shape.value, rng, defaults, depth + 1
            )
            for _ in range(rng.randint(int(low or 0), max(int(low or 0), 2)))
        }
    if kind == "string":
        if shape.enum:
            return rng.choice(shape.enum)
        size = rng.randint(int(low or 1), min(int(high or 12), max(int(low or 1), 12)))
        return "".join(rng.choice("abcdefXYZ019-_") for _ in range(size))
    if kind in ("integer", "long"):
        return rng.randint(
            int(low if low is not None else 0), int(high if high is not None else 1000)
        )
    if kind in ("float", "double"):
        lower = float(low) if low is not None else -1000.0
        upper = float(high) if high is not None else 1000.0
        return round(rng.uniform(lower, upper), 3)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "blob":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    if kind == "timestamp":
        return datetime.datetime.fromtimestamp(rng.randint(0, 2_000_000_000), datetime.UTC)
    raise AssertionError(f"no value for a {kind}")


def test_every_request_serializes_like_botocore(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Three inputs per operation of the official Rekognition model, members chosen at random
    (seeded): our `from_dict` and serializer give the JSON body botocore's serializer gives."""
    import botocore.session
    from botocore.serialize import create_serializer

    package = generated("rekognition", tmp_path_factory)
    defaults = _smithy_defaults(reference_file("models", OFFICIAL["rekognition"]))
    model = botocore.session.get_session().get_service_model("rekognition")
    serializer = create_serializer("json", include_validation=False)
    rng = random.Random(20261130)
    cases: list[tuple[str, dict[str, Any]]] = []
    expected: list[Any] = []
    for name in sorted(model.operation_names):
        operation = model.operation_model(name)
        if operation.input_shape is None or (operation.input_shape.name, "") not in defaults:
            continue  # no input, or an operation newer than the reference model
        for _ in range(3):
            params = _value(operation.input_shape, rng, defaults)
            body = serializer.serialize_to_request(params, operation)["body"]
            cases.append((operation.input_shape.name, params))
            expected.append(json.loads(body or b"{}"))
    ours = _our_wire_form(package, cases)
    mismatches = [
        (shape, ours_body, theirs)
        for (shape, _), ours_body, theirs in zip(cases, ours, expected, strict=True)
        if ours_body != theirs
    ]
    assert len(cases) > 200
    assert mismatches == [], "\n".join(
        f"{shape}:\n ours   {json.dumps(a, sort_keys=True)}\n theirs {json.dumps(b, sort_keys=True)}"
        for shape, a, b in mismatches[:3]
    )


def test_botocore_parses_every_response_the_stub_would_send(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The other direction: three outputs per operation, serialized by our (stub-side)
    serializer, read back by botocore's JSON parser into exactly what was serialized."""
    import botocore.session
    from botocore.parsers import create_parser

    package = generated("rekognition", tmp_path_factory)
    defaults = _smithy_defaults(reference_file("models", OFFICIAL["rekognition"]))
    model = botocore.session.get_session().get_service_model("rekognition")
    rng = random.Random(20261201)
    cases: list[tuple[str, dict[str, Any]]] = []
    shapes = []
    for name in sorted(model.operation_names):
        output = model.operation_model(name).output_shape
        if output is None or (output.name, "") not in defaults:
            continue  # no output, or an operation newer than the reference model
        for _ in range(3):
            cases.append((output.name, _value(output, rng, defaults)))
            shapes.append(output)
    parser = create_parser("json")
    mismatches = []
    for (shape_name, params), shape, body in zip(
        cases, shapes, _our_wire_form(package, cases), strict=True
    ):
        response = {"body": json.dumps(body).encode(), "headers": {}, "status_code": 200}
        parsed = parser.parse(response, shape)
        parsed.pop("ResponseMetadata", None)
        if parsed != params:
            mismatches.append((shape_name, params, parsed))
    assert len(cases) > 200
    assert mismatches == [], [
        (
            name,
            sorted(set(sent) ^ set(back)),
            {k: (sent.get(k), back.get(k)) for k in sent if sent.get(k) != back.get(k)},
        )
        for name, sent, back in mismatches[:2]
    ]
