"""Imports are computed from the symbols each module prints (`ir.Symbol`), not found by searching
annotation text: whatever types, defaults and names a model has, no generated module imports
what it does not use (ruff F401, F811) or uses what it did not import (F821)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import ir, views
from tests.conftest import build_unit, generate_model, ruff_check

NS = "example.imports"

# Member kinds that bring an import of their own, with a @default each may carry.
KINDS: dict[str, tuple[dict[str, Any], object]] = {
    "timestamp": ({"type": "timestamp"}, 0),
    "decimal": ({"type": "bigDecimal"}, 1.5),
    "document": ({"type": "document"}, None),
    "color": (
        {"type": "enum", "members": {"RED": {"target": "smithy.api#Unit"}}},
        "RED",
    ),
    "level": (
        {
            "type": "intEnum",
            "members": {
                "HIGH": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}}
            },
        },
        1,
    ),
    "blob": ({"type": "blob"}, ""),
    "count": ({"type": "integer"}, 0),
}
# Member names that shadow builtins the annotations use, and names like the aliases.
NAMES = ["Value", "list", "dict", "str", "int", "bytes", "float", "Document", "Decimal", "Datetime"]
PLACES = ("input", "output", "error", "nested", "listed", "mapped")


@st.composite
def models(draw: st.DrawFn) -> dict[str, Any]:
    """One operation whose input, output, error and a nested structure (held directly, in a
    list and in a map) get members of drawn kinds, names and defaults."""
    structures: dict[str, dict[str, Any]] = {place: {} for place in PLACES}
    chosen = draw(
        st.lists(
            st.tuples(
                st.sampled_from(PLACES),
                st.sampled_from(sorted(KINDS)),
                st.sampled_from(NAMES),
                st.booleans(),
            ),
            min_size=1,
            max_size=8,
        )
    )
    for place, kind, name, with_default in chosen:
        member: dict[str, Any] = {"target": f"{NS}#{kind.capitalize()}"}
        default = KINDS[kind][1]
        if with_default and default is not None and place not in ("error",):
            member["traits"] = {"smithy.api#default": default}
        structures[place][name] = member
    shapes: dict[str, Any] = {
        f"{NS}#{kind.capitalize()}": shape for kind, (shape, _) in KINDS.items()
    }
    shapes[f"{NS}#Service"] = {
        "type": "service",
        "version": "1",
        "operations": [{"target": f"{NS}#Op"}],
        "traits": {"aws.api#service": {"sdkId": "Imports"}, "aws.protocols#awsJson1_1": {}},
    }
    shapes[f"{NS}#Op"] = {
        "type": "operation",
        "input": {"target": f"{NS}#OpInput"},
        "output": {"target": f"{NS}#OpOutput"},
        "errors": [{"target": f"{NS}#Failed"}],
    }
    nested = structures["nested"]
    shapes[f"{NS}#Nested"] = {"type": "structure", "members": nested}
    shapes[f"{NS}#NestedList"] = {"type": "list", "member": {"target": f"{NS}#Nested"}}
    shapes[f"{NS}#NestedMap"] = {
        "type": "map",
        "key": {"target": "smithy.api#String"},
        "value": {"target": f"{NS}#Nested"},
    }
    holders = {"input": "OpInput", "output": "OpOutput", "error": "Failed"}
    for place, shape_name in holders.items():
        shapes[f"{NS}#{shape_name}"] = {"type": "structure", "members": structures[place]}
    shapes[f"{NS}#Failed"]["traits"] = {"smithy.api#error": "client"}
    where = {"nested": "Nested", "listed": "NestedList", "mapped": "NestedMap"}
    for place, target in where.items():
        if structures[place] or (place == "nested" and nested):
            holder = draw(st.sampled_from(sorted(holders.values())))
            shapes[f"{NS}#{holder}"]["members"][f"Holds{target}"] = {"target": f"{NS}#{target}"}
    nested.update(structures["listed"])
    nested.update(structures["mapped"])
    return {"smithy": "2.0", "shapes": shapes}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(model=models())
def test_every_module_imports_exactly_what_it_prints(model: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        code, err = generate_model(root, model)
        assert code == 0, err
        result = ruff_check(root / "out" / "imports", select="F401,F811,F821")
        assert result.returncode == 0, result.stdout + result.stderr


def test_symbols_come_from_the_types_not_from_text(tmp_path: Path) -> None:
    """A structure whose name reads like an alias (`Datetime`) brings no `_datetime` import;
    a member that shadows `list` brings `_builtins`; a bigDecimal default brings `_decimal`."""
    model = {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Service": {
                "type": "service",
                "version": "1",
                "operations": [{"target": f"{NS}#Op"}],
                "traits": {"aws.api#service": {"sdkId": "Imports"}},
            },
            f"{NS}#Op": {"type": "operation", "input": {"target": f"{NS}#OpInput"}},
            f"{NS}#OpInput": {
                "type": "structure",
                "members": {
                    "list": {"target": f"{NS}#Names"},
                    "When": {"target": f"{NS}#Datetime"},
                    "Amount": {
                        "target": f"{NS}#Amount",
                        "traits": {"smithy.api#default": 2.5},
                    },
                },
            },
            f"{NS}#Names": {"type": "list", "member": {"target": "smithy.api#String"}},
            f"{NS}#Datetime": {"type": "structure", "members": {}},
            f"{NS}#Amount": {"type": "bigDecimal"},
        },
    }
    unit: ir.GenerationUnit = build_unit(tmp_path, model)
    members = {m.name: m for m in unit.operations[0].input.members}
    assert members["list"].annotation_symbols == {ir.BUILTINS_ALIAS}
    assert members["When"].annotation_symbols == {ir.Symbol("shapes", "Datetime")}
    assert members["Amount"].default_symbols == {ir.DECIMAL_ALIAS}
    view = views.view_for("shapes.py", unit, "", "")
    assert isinstance(view, views.ShapesView)
    assert not view.imports.uses("_datetime")
    assert view.imports.uses("_builtins") and view.imports.uses("_decimal")
