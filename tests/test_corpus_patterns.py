"""Every distinct `@pattern` of the reference models (AWS's official corpus and the others):
each either translates and compiles, or is exactly one warning naming where it is (never an
error, never an exception); how many of each is printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator import ecma_regex
from generator.build import Selection, build_units
from generator.diagnostics import Warnings, json_pointer
from generator.loader import load_model
from generator.semantics import check_model
from tests.conftest import reference_file, service_with_stub

NS = "example.corpus"


def _patterns(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "smithy.api#pattern" and isinstance(value, str):
                found.add(value)
            else:
                _patterns(value, found)
    elif isinstance(node, list):
        for value in node:
            _patterns(value, found)


def corpus_patterns() -> list[str]:
    models = reference_file("models")
    found: set[str] = set()
    for path in sorted(models.rglob("*.json")):
        _patterns(json.loads(path.read_text("utf-8")), found)
    return sorted(found)


def _model(patterns: list[str]) -> dict[str, Any]:
    shapes: dict[str, Any] = {
        f"{NS}#P{index}": {"type": "string", "traits": {"smithy.api#pattern": pattern}}
        for index, pattern in enumerate(patterns)
    }
    shapes[f"{NS}#OpInput"] = {
        "type": "structure",
        "members": {f"M{index}": {"target": f"{NS}#P{index}"} for index in range(len(patterns))},
        "traits": {"smithy.api#input": {}},
    }
    shapes[f"{NS}#Op"] = {"type": "operation", "input": {"target": f"{NS}#OpInput"}}
    shapes[f"{NS}#Service"] = service_with_stub("Corpus", "corpus", [f"{NS}#Op"])
    return {"smithy": "2.0", "shapes": shapes}


def test_every_corpus_pattern_translates_or_is_one_warning(tmp_path: Path) -> None:
    patterns = corpus_patterns()
    untranslatable = []
    for index, pattern in enumerate(patterns):
        try:
            ecma_regex.breaking_plan(pattern)
        except ecma_regex.InvalidPattern as error:
            raise AssertionError(f"{pattern!r} is a valid AWS pattern: {error}") from None
        except ecma_regex.PatternError:
            untranslatable.append(index)

    path = tmp_path / "model.json"
    path.write_text(json.dumps(_model(patterns)), "utf-8")
    model = load_model([path], tmp_path)
    warnings = Warnings()
    check_model(model, warnings)
    (unit,) = build_units(model, Selection((f"{NS}#Op",), "shapesmith.toml", "/o"), warnings)
    pointers = sorted(warning.pointer for warning in warnings)
    assert pointers == sorted(
        json_pointer("shapes", f"{NS}#P{index}", "traits", "smithy.api#pattern")
        for index in untranslatable
    )
    assert len(unit.patterns) == len(patterns) - len(untranslatable)
    print(
        f"\n{len(patterns)} distinct @pattern values in the reference models: "
        f"{len(patterns) - len(untranslatable)} translated, {len(untranslatable)} warned about"
    )
    for index in untranslatable:
        print(f"  not enforced: {patterns[index]}")
