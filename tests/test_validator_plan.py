"""Build stage: where the validators check a structure in place and where they call it
(`generator/validator_plan.py`), and which members share a value check function."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator import ir, validator_plan
from tests.conftest import build_unit, generate_model
from tests.generated_lint import functions_over_budget

NS = "example.plan"


def unit_of(tmp_path: Path, shapes: dict[str, Any], members: dict[str, Any]) -> ir.GenerationUnit:
    document = {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Service": {
                "type": "service",
                "version": "1",
                "operations": [{"target": f"{NS}#Op"}],
                "traits": {"aws.api#service": {"sdkId": "Plan"}},
            },
            f"{NS}#Op": {"type": "operation", "input": {"target": f"{NS}#OpInput"}},
            f"{NS}#OpInput": {"type": "structure", "members": members},
            **shapes,
        },
    }
    unit: ir.GenerationUnit = build_unit(tmp_path, document)
    return unit


def structure(**members: str) -> dict[str, Any]:
    return {
        "type": "structure",
        "members": {name: {"target": target} for name, target in members.items()},
    }


def in_place(unit: ir.GenerationUnit) -> set[str]:
    """`Container.Member` for each member whose structure is checked in place."""
    plan = unit.validator_plan
    members = [m for s in unit.validated_structures for m in s.members]
    members += [s.member for s in unit.lists]
    return {f"{m.container_id.partition('#')[2]}.{m.name}" for m in members if plan.in_place(m)}


def wide(count: int) -> dict[str, Any]:
    """A structure of `count` constrained strings: too big to copy."""
    return structure(**{f"M{i}": f"{NS}#Code" for i in range(count)})


CODE = {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 8}}}


def test_small_structures_are_checked_in_place_wherever_they_are_held(tmp_path: Path) -> None:
    shapes = {f"{NS}#Point": structure(X="smithy.api#Integer", Y="smithy.api#Integer")}
    shapes[f"{NS}#Line"] = structure(From=f"{NS}#Point", To=f"{NS}#Point")
    unit = unit_of(
        tmp_path, shapes, {"A": {"target": f"{NS}#Point"}, "L": {"target": f"{NS}#Line"}}
    )
    assert in_place(unit) == {"OpInput.A", "OpInput.L", "Line.From", "Line.To"}
    assert unit.checked_by_function == ()


def test_a_big_structure_held_twice_keeps_one_function(tmp_path: Path) -> None:
    shapes = {f"{NS}#Code": CODE, f"{NS}#Big": wide(40)}
    shapes[f"{NS}#Holder"] = structure(Big=f"{NS}#Big")
    members = {"A": {"target": f"{NS}#Big"}, "H": {"target": f"{NS}#Holder"}}
    unit = unit_of(tmp_path, shapes, members)
    assert "OpInput.A" not in in_place(unit) and "Holder.Big" not in in_place(unit)
    assert [s.name for s in unit.checked_by_function] == ["Big"]


def test_a_structure_held_once_is_checked_in_place_while_the_function_has_room(
    tmp_path: Path,
) -> None:
    shapes = {f"{NS}#Code": CODE, f"{NS}#Medium": wide(8), f"{NS}#Huge": wide(60)}
    unit = unit_of(
        tmp_path, shapes, {"M": {"target": f"{NS}#Medium"}, "H": {"target": f"{NS}#Huge"}}
    )
    plan = unit.validator_plan
    assert plan.estimated_lines(f"{NS}#Medium") > validator_plan.INLINE_LINES
    # Held once: no copy is made, so size alone does not stop it, but the function's budget does.
    assert in_place(unit) == {"OpInput.M"}
    assert plan.estimated_lines(f"{NS}#OpInput") <= validator_plan.FUNCTION_LINES


def test_unions_and_recursive_structures_are_always_called(tmp_path: Path) -> None:
    shapes = {
        f"{NS}#Tree": structure(Left=f"{NS}#Tree", Label="smithy.api#String"),
        f"{NS}#Choice": {
            "type": "union",
            "members": {"A": {"target": "smithy.api#String"}},
        },
    }
    unit = unit_of(
        tmp_path, shapes, {"T": {"target": f"{NS}#Tree"}, "C": {"target": f"{NS}#Choice"}}
    )
    assert in_place(unit) == set()
    assert sorted(s.name for s in unit.checked_by_function) == ["Choice", "Tree"]


def test_validators_grow_with_shapes_not_with_uses(tmp_path: Path) -> None:
    """Holding a big structure in 20 more places adds a call each, not a copy each."""

    def lines(holders: int) -> int:
        shapes = {f"{NS}#Code": CODE, f"{NS}#Big": wide(30)}
        members = {f"H{i}": {"target": f"{NS}#Big"} for i in range(holders)}
        unit = unit_of(tmp_path, shapes, members)
        plan = unit.validator_plan
        functions = [*unit.validated_structures, *unit.lists, *unit.maps]
        return sum(plan.estimated_lines(s.id) for s in functions)

    assert lines(22) - lines(2) <= 20 * 20


def test_members_checked_alike_share_one_value_check(tmp_path: Path) -> None:
    shapes = {
        f"{NS}#Code": CODE,
        f"{NS}#Other": structure(Code=f"{NS}#Code", Name="smithy.api#String"),
    }
    members = {
        "Code": {"target": f"{NS}#Code"},
        "Longer": {"target": f"{NS}#Code", "traits": {"smithy.api#length": {"max": 20}}},
        "O": {"target": f"{NS}#Other"},
    }
    unit = unit_of(tmp_path, shapes, members)
    plan = unit.validator_plan
    checks = {
        f"{m.container_id.partition('#')[2]}.{m.name}": check.check_function
        for s in unit.validated_structures
        for m in s.members
        if (check := plan.value_check(m)) is not None
    }
    assert checks == {
        "OpInput.Code": "_check_code_value",
        "Other.Code": "_check_code_value",
        "OpInput.Longer": "_check_op_input_longer_value",
        "Other.Name": "_check_string_value",
    }
    assert [c.check_function for c in plan.value_checks] == sorted(set(checks.values()))


def test_value_check_names_step_aside_for_the_shapes_own(tmp_path: Path) -> None:
    """A structure named `CodeValue` takes `_check_code_value`; the value check of `Code`
    then gets the next free name, never the same one."""
    shapes = {
        f"{NS}#Code": CODE,
        f"{NS}#CodeValue": structure(Name="smithy.api#String"),
    }
    members = {"C": {"target": f"{NS}#Code"}, "V": {"target": f"{NS}#CodeValue"}}
    unit = unit_of(tmp_path, shapes, members)
    (member,) = [m for m in unit.operations[0].input.members if m.name == "C"]
    check = unit.validator_plan.value_check(member)
    assert check is not None and check.check_function == "_check_code_value_2"


def test_a_lists_items_are_checked_in_place_even_when_big(tmp_path: Path) -> None:
    """In a list's function a call would be paid per item: its item structure is copied in
    when it fits the function, though it is held elsewhere too and too big to copy there."""
    shapes = {f"{NS}#Code": CODE, f"{NS}#Item": wide(12)}
    shapes[f"{NS}#Items"] = {"type": "list", "member": {"target": f"{NS}#Item"}}
    members = {"One": {"target": f"{NS}#Item"}, "Many": {"target": f"{NS}#Items"}}
    unit = unit_of(tmp_path, shapes, members)
    assert unit.validator_plan.estimated_lines(f"{NS}#Item") > validator_plan.INLINE_LINES
    assert in_place(unit) == {"Items.member"}
    assert [s.name for s in unit.checked_by_function] == ["Item"]


REQUIRED = (1, 15, 28)
"""The members of `Wide` that must be present: one in each part the plan splits it into."""


def split_model() -> dict[str, Any]:
    """`Wide`: 30 constrained strings, some required (`REQUIRED`), and a small structure
    halfway; `Choice`: a union of 24. `Wide` is an operation's input (a public validator) and,
    with `Choice`, a member of another's (nested check functions)."""
    wide: dict[str, Any] = {}
    for i in range(30):
        wide[f"M{i}"] = {"target": f"{NS}#Code"}
        if i in REQUIRED:
            wide[f"M{i}"]["traits"] = {"smithy.api#required": {}}
        if i == 14:
            wide["Point"] = {"target": f"{NS}#Point"}
    service: dict[str, Any] = {
        "type": "service",
        "version": "1",
        "traits": {"aws.api#service": {"sdkId": "Wide Plan"}},
    }
    service["operations"] = [{"target": f"{NS}#Op"}, {"target": f"{NS}#Put"}]
    return {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Service": service,
            f"{NS}#Op": {"type": "operation", "input": {"target": f"{NS}#OpInput"}},
            f"{NS}#Put": {"type": "operation", "input": {"target": f"{NS}#Wide"}},
            f"{NS}#OpInput": structure(Wide=f"{NS}#Wide", Choice=f"{NS}#Choice"),
            f"{NS}#Wide": {"type": "structure", "members": wide},
            f"{NS}#Choice": {
                "type": "union",
                "members": {f"C{i}": {"target": f"{NS}#Code"} for i in range(24)},
            },
            f"{NS}#Point": structure(X="smithy.api#Integer", Y="smithy.api#Integer"),
            f"{NS}#Code": CODE,
        },
    }


def generated_validators(root: Path) -> ModuleType:
    """The validators module of `split_model` generated into `root`, imported and then
    forgotten by `sys.modules` (the test generates the package twice under one name)."""
    code, err = generate_model(root, split_model())
    assert code == 0, err
    sys.path.insert(0, str(root / "out"))
    try:
        return importlib.import_module("wide_plan.validators")
    finally:
        sys.path.remove(str(root / "out"))
        for name in [n for n in sys.modules if n.partition(".")[0] == "wide_plan"]:
            del sys.modules[name]


def shown(violation: Any) -> tuple[str, str, str, str]:
    """What a violation says (the two packages' `Violation` classes do not compare)."""
    return (violation.path, violation.constraint, violation.limit, violation.value)


def test_a_structure_with_too_many_members_for_one_function_is_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = build_unit(tmp_path, split_model())
    plan = unit.validator_plan
    shapes = {shape.name: shape for shape in unit.validated_structures}
    for name in ("Wide", "Choice"):
        parts = plan.parts(shapes[name])
        assert len(parts) >= 2
        assert [m for part in parts for m in part.members] == list(shapes[name].members)
    wide = [{m.name for m in part.members} for part in plan.parts(shapes["Wide"])]
    assert [sorted(part & {f"M{i}" for i in REQUIRED}) for part in wide] == [
        ["M1"],
        ["M15"],
        ["M28"],
    ]
    assert [p.check_function for p in plan.parts(shapes["Wide"])][:2] == [
        "_check_wide_part_1",
        "_check_wide_part_2",
    ]
    point = next(m for m in shapes["Wide"].members if m.name == "Point")
    assert plan.in_place(point)  # a part takes small structures in place, as a function does

    split = generated_validators(tmp_path / "split")
    assert functions_over_budget(tmp_path / "split" / "out" / "wide_plan") == []
    # The same model, its structures checked in one function each: what the parts must match.
    monkeypatch.setattr(validator_plan, "FUNCTION_LINES", 10_000)
    whole = generated_validators(tmp_path / "whole")
    assert not hasattr(whole, "_check_wide_part_1")
    assert functions_over_budget(tmp_path / "whole" / "out" / "wide_plan") != []

    cases: list[tuple[str, Any, list[tuple[str, str]]]] = [
        (
            "validate_op_input",
            {"Wide": {"M1": "a", "M15": "b", "M28": "c"}, "Choice": {"C0": "x"}},
            [],
        ),
        (
            "validate_op_input",
            {"Wide": {}, "Choice": {}},
            [
                ("Wide.M1", "required"),
                ("Wide.M15", "required"),
                ("Wide.M28", "required"),
                ("Choice", "union"),
            ],
        ),
        (
            "validate_op_input",
            {
                "Wide": {
                    "M1": "",
                    "M5": "123456789",
                    "Point": {"X": "one"},
                    "M15": "c",
                    "M28": None,
                    "M29": None,
                    "Stray": 0,
                },
                "Choice": {"C0": "x", "C23": "y", "Other": 1},
            },
            [
                ("Wide.M1", "length"),
                ("Wide.M5", "length"),
                ("Wide.Point.X", "type"),
                ("Wide.M28", "required"),
                ("Wide.M29", "type"),  # an optional member set to null
                ("Wide.Stray", "unknown_member"),
                ("Choice.Other", "unknown_member"),
                ("Choice", "union"),
            ],
        ),
        ("validate_op_input", {"Wide": 5, "Choice": []}, [("Wide", "type"), ("Choice", "type")]),
        (
            "validate_wide",
            {"M0": 1, "M28": "b", "M29": "123456789"},
            [("M0", "type"), ("M1", "required"), ("M15", "required"), ("M29", "length")],
        ),
        ("validate_wide", split.Wide(m1="", m15="ok", m28="ok"), [("M1", "length")]),
        ("validate_wide", [], [("", "type")]),
    ]
    for function, value, expected in cases:
        found = getattr(split, function)(value, strict=True)
        assert [(v.path, v.constraint) for v in found] == expected, (function, value)
        if isinstance(value, split.Wide):
            value = whole.Wide(m1=value.m1, m15=value.m15, m28=value.m28)
        unsplit = getattr(whole, function)(value, strict=True)
        assert [shown(v) for v in found] == [shown(v) for v in unsplit], (function, value)
