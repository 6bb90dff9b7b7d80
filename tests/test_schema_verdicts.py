"""Load stage: schema checks a document passed before are skipped, and only those.

The remembered verdicts may make a run faster, never make it say something else: every document
gets exactly the diagnostics a run without them gives, whatever was remembered before.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic, ShapesmithError
from generator.format_cache import FormatCache
from generator.loader import load_model
from generator.schema_verdicts import SchemaVerdicts

REPO = Path(__file__).resolve().parent.parent
LIVENESS_SMITHY = REPO / "models" / "rekognition.json"
LIVENESS_OPENAPI = REPO / "tests" / "fixtures" / "openapi" / "liveness-3.1.yaml"


class Counted:
    """A check that finds what it is given and counts how often it ran."""

    def __init__(self, found: list[Diagnostic]) -> None:
        self.found = found
        self.runs = 0

    def __call__(self) -> list[Diagnostic]:
        self.runs += 1
        return self.found


def test_a_document_that_passed_is_not_checked_again_and_an_edited_one_is(
    tmp_path: Path,
) -> None:
    verdicts = SchemaVerdicts(FormatCache(tmp_path))
    document: dict[str, Any] = {"a": [1, 2, {"b": "c"}]}
    passing = Counted([])
    for _ in range(3):
        assert verdicts.problems("check", {"type": "object"}, document, passing) == []
    assert passing.runs == 1
    # the same check with another schema, another check, another document: each checked anew
    verdicts.problems("check", {"type": "array"}, document, passing)
    verdicts.problems("other check", {"type": "object"}, document, passing)
    verdicts.problems("check", {"type": "object"}, {"a": [1, 2, {"b": "d"}]}, passing)
    assert passing.runs == 4
    # remembered across runs: another store on the same folder
    again = SchemaVerdicts(FormatCache(tmp_path))
    again.problems("check", {"type": "object"}, document, passing)
    assert passing.runs == 4


def test_a_document_with_problems_is_checked_and_reported_every_time(tmp_path: Path) -> None:
    verdicts = SchemaVerdicts(FormatCache(tmp_path))
    problem = Diagnostic("api.yaml", "/paths", "not valid OpenAPI: 1 is not of type 'object'")
    failing = Counted([problem])
    for _ in range(3):
        assert verdicts.problems("check", {}, {"paths": 1}, failing) == [problem]
    assert failing.runs == 3


def test_without_a_usable_store_every_document_is_checked(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    for verdicts in (SchemaVerdicts(), SchemaVerdicts(None), SchemaVerdicts(FormatCache(blocked))):
        passing = Counted([])
        verdicts.problems("check", {}, {"a": 1}, passing)
        verdicts.problems("check", {}, {"a": 1}, passing)
        assert passing.runs == 2


def test_a_document_that_is_not_plain_json_is_checked_every_time(tmp_path: Path) -> None:
    # YAML can say what JSON cannot (integer keys beside string keys); no verdict is kept for it
    verdicts = SchemaVerdicts(FormatCache(tmp_path))
    passing = Counted([])
    for _ in range(2):
        verdicts.problems("check", {}, {1: "one", "two": 2}, passing)
    assert passing.runs == 2


def test_a_document_holding_any_text_is_remembered(tmp_path: Path) -> None:
    verdicts = SchemaVerdicts(FormatCache(tmp_path))
    passing = Counted([])
    document = {"lone surrogate \ud800": ["\udfff", "\x00", "\U0001f600"]}
    for _ in range(2):
        verdicts.problems("check", {}, document, passing)
    assert passing.runs == 1


def _outcome(path: Path, root: Path, verdicts: SchemaVerdicts) -> object:
    try:
        return load_model([path], root, verdicts).model_hash
    except ShapesmithError as error:
        return sorted((d.file, d.pointer, d.message) for d in error.diagnostics)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=4,
)


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replaced(document: Any, path: tuple[Any, ...], value: object) -> Any:
    if not path:
        return value
    edited = copy.deepcopy(document)
    holder = edited
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return edited


@pytest.mark.parametrize("original", [LIVENESS_SMITHY, LIVENESS_OPENAPI], ids=lambda p: p.name)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_remembered_verdicts_never_change_what_a_run_says(
    tmp_path_factory: pytest.TempPathFactory, original: Path, data: st.DataObject
) -> None:
    import yaml

    folder = tmp_path_factory.mktemp("verdicts")
    text = original.read_text("utf-8")
    document = yaml.safe_load(text) if original.suffix == ".yaml" else json.loads(text)
    path = folder / ("api.json" if original.suffix == ".yaml" else "model.json")
    remembered = SchemaVerdicts(FormatCache(folder / "cache"))
    path.write_text(json.dumps(document), "utf-8")
    assert _outcome(path, folder, remembered) == _outcome(path, folder, SchemaVerdicts())
    where = data.draw(st.sampled_from(_paths(document)[1:]))
    edited = _replaced(document, where, data.draw(_JSON))
    path.write_text(json.dumps(edited), "utf-8")
    assert _outcome(path, folder, remembered) == _outcome(path, folder, SchemaVerdicts())
