"""`validate_x(value, first_only=True)`: the generated validators stop at the first violation.

The contract, tested on Hypothesis values (valid and not) of our liveness shapes and of shapes of
AWS's official Rekognition and Timestream for InfluxDB models (lists, maps, a union, a structure
split into part functions): with `first_only`, a validator returns exactly the first violation
the full check reports, alone, and [] exactly when the full check finds none. The checks are the
same code in both modes (the first violation added unwinds them), so it is the first one in the
full report, not merely one of them. That it really stops, rather than checking everything and
keeping the first, is shown by a value that records being looked at after its first violation.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
import rekognition.validators as liveness_validators
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rekognition.shapes import GetFaceLivenessSessionResultsRequest

from generator import ir
from generator.config import load_config
from generator.jsonschema_export import shape_schema
from generator.pipeline import build
from tests.conftest import REPO, generate_files, imported, reference_file
from tests.schema_values import SchemaValues

Case = tuple[Callable[..., list[Any]], Any, bool]
"""A public validator, a value for it, and whether to check strictly."""

OFFICIAL = {
    "rekognition-2016-06-27.json": [
        "com.amazonaws.rekognition#DetectLabels",
        "com.amazonaws.rekognition#CreateStreamProcessor",
        "com.amazonaws.rekognition#IndexFaces",
    ],
    "timestream-influxdb-2023-01-27.json": [
        "com.amazonaws.timestreaminfluxdb#CreateDbParameterGroup",
        "com.amazonaws.timestreaminfluxdb#TagResource",
        "com.amazonaws.timestreaminfluxdb#CreateDbInstance",
    ],
}


def _described(violations: list[Any]) -> list[tuple[str, str, str, str]]:
    return [(v.pointer, v.constraint, v.limit, v.value) for v in violations]


def _cases(unit: ir.GenerationUnit, validators: ModuleType) -> st.SearchStrategy[Case]:
    """Values of every public structure of `unit`, made from its exported JSON Schema."""
    strategies = []
    for shape in unit.public_structures:
        schema = shape_schema(shape)
        values = SchemaValues(schema["$defs"]).values({"$ref": schema["$ref"]})
        validate = getattr(validators, shape.validate_function)
        strategies.append(st.tuples(st.just(validate), values, st.booleans()))
    return st.one_of(strategies)


def _check_agreement(cases: st.SearchStrategy[Case], examples: int) -> None:
    seen = {"valid": 0, "invalid": 0}

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def agree(case: Case) -> None:
        validate, value, strict = case
        full = validate(value, strict=strict)
        first = validate(value, strict=strict, first_only=True)
        assert type(first) is list
        assert _described(first) == _described(full[:1])
        seen["invalid" if full else "valid"] += 1

    agree()
    # The values reach both sides of the contract, or the test would prove little.
    assert seen["valid"] > 0 and seen["invalid"] > 0, seen


def test_liveness_validators_report_their_first_violation_alone() -> None:
    (unit,) = build(load_config(REPO / "pyproject.toml"))
    _check_agreement(_cases(unit, liveness_validators), 600)


@contextlib.contextmanager
def _set_aside(package: str) -> Iterator[None]:
    """The modules of `package` (our `rekognition`, which the official model's package is also
    called) out of `sys.modules` for a while, so that another package of that name imports."""
    saved = {
        name: module for name, module in sys.modules.items() if name.partition(".")[0] == package
    }
    for name in saved:
        del sys.modules[name]
    try:
        yield
    finally:
        sys.modules.update(saved)


@pytest.fixture(scope="module", params=sorted(OFFICIAL))
def official(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ir.GenerationUnit, ModuleType]]:
    model = str(request.param)
    root = tmp_path_factory.mktemp("first-only")
    operations = ", ".join(f'"{operation}"' for operation in OFFICIAL[model])
    code, err = generate_files(
        root, [reference_file("models", model)], f"operations = [{operations}]"
    )
    assert code == 0, err
    (unit,) = build(load_config(root / "shapesmith.toml"))
    (package,) = [path.parent.name for path in (root / "out").glob("*/validators.py")]
    with _set_aside(package), imported(root / "out", f"{package}.validators") as validators:
        yield unit, validators


def test_official_model_validators_report_their_first_violation_alone(
    official: tuple[ir.GenerationUnit, ModuleType],
) -> None:
    unit, validators = official
    _check_agreement(_cases(unit, validators), 400)


class _Watched(list[Any]):
    """A list that records being iterated, as a validator checking its items does."""

    iterated = False

    def __iter__(self) -> Iterator[Any]:
        self.iterated = True
        return super().__iter__()


def _response_with_bad_session_id() -> tuple[dict[str, Any], _Watched]:
    images = _Watched([{"Bytes": b"image", "BoundingBox": {"Width": 0.5}}, {"Bytes": b""}])
    value = {"SessionId": "not-a-uuid", "Status": "SUCCEEDED", "AuditImages": images}
    return value, images


def test_first_only_stops_before_looking_at_what_follows_the_first_violation() -> None:
    validate = liveness_validators.validate_get_face_liveness_session_results_response
    value, images = _response_with_bad_session_id()
    first = validate(value, first_only=True)
    assert [(v.pointer, v.constraint) for v in first] == [("/SessionId", "length")]
    assert not images.iterated
    # The full check goes on into the images and finds the empty blob there too.
    full = validate(value)
    assert images.iterated
    assert ("/AuditImages/1/Bytes", "length") in [(v.pointer, v.constraint) for v in full]
    assert _described(full[:1]) == _described(first)


def test_a_dataclass_is_checked_the_same_way() -> None:
    validate = liveness_validators.validate_get_face_liveness_session_results_request
    value = GetFaceLivenessSessionResultsRequest(session_id="short")
    full = validate(value)
    assert [v.constraint for v in full] == ["length", "pattern"]
    assert _described(validate(value, first_only=True)) == _described(full[:1])


def test_what_first_only_returns_is_an_ordinary_list() -> None:
    validate = liveness_validators.validate_get_face_liveness_session_results_request
    for value in ({"SessionId": "short"}, {"SessionId": "0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a"}):
        found = validate(value, first_only=True)
        assert (
            type(found) is list
        )  # not the list that stops the check, which a caller could not add to
