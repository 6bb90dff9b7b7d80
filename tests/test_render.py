"""Render stage: each module template receives its typed view (`generator/views.py`), whose
imports come from the symbols of the members the module prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator import ir, render, views
from generator.template_set import open_templates
from tests.conftest import build_unit

NS = "example.views"


def unit_of(tmp_path: Path) -> ir.GenerationUnit:
    shapes: dict[str, Any] = {
        f"{NS}#Service": {
            "type": "service",
            "version": "1",
            "operations": [{"target": f"{NS}#Op"}],
            "traits": {
                "aws.api#service": {"sdkId": "Views"},
                "aws.protocols#awsJson1_1": {},
                "aws.auth#sigv4": {"name": "views"},
                "smithy.rules#endpointRuleSet": {
                    "version": "1.0",
                    "parameters": {
                        "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": True}
                    },
                    "rules": [
                        {
                            "type": "endpoint",
                            "conditions": [],
                            "endpoint": {"url": {"ref": "Endpoint"}},
                        }
                    ],
                },
            },
        },
        f"{NS}#Op": {
            "type": "operation",
            "input": {"target": f"{NS}#OpInput"},
            "output": {"target": f"{NS}#OpOutput"},
            "errors": [{"target": f"{NS}#Oops"}],
        },
        f"{NS}#OpInput": {
            "type": "structure",
            "members": {
                "When": {"target": "smithy.api#Timestamp"},
                "Tint": {"target": f"{NS}#Tint"},
            },
        },
        f"{NS}#OpOutput": {
            "type": "structure",
            "members": {
                "Amount": {"target": "smithy.api#BigDecimal"},
                "Part": {"target": f"{NS}#Part"},
            },
        },
        f"{NS}#Part": {"type": "structure", "members": {"Any": {"target": "smithy.api#Document"}}},
        f"{NS}#Oops": {
            "type": "structure",
            "members": {"Tints": {"target": f"{NS}#Tints"}},
            "traits": {"smithy.api#error": "client"},
        },
        f"{NS}#Tints": {"type": "list", "member": {"target": f"{NS}#Tint"}},
        f"{NS}#Tint": {"type": "enum", "members": {"RED": {"target": "smithy.api#Unit"}}},
    }
    unit: ir.GenerationUnit = build_unit(tmp_path, {"smithy": "2.0", "shapes": shapes})
    return unit


def test_each_module_gets_its_view_with_the_imports_of_what_it_prints(tmp_path: Path) -> None:
    unit = unit_of(tmp_path)
    shapes = views.view_for("shapes.py", unit, "# header", "9")
    errors = views.view_for("errors.py", unit, "# header", "9")
    client = views.view_for("client.py", unit, "# header", "9")
    assert isinstance(shapes, views.ShapesView)
    assert isinstance(errors, views.ErrorsView)
    assert isinstance(client, views.ClientView)
    assert {s.name for s in shapes.imports.symbols} == {
        "_datetime",
        "_decimal",
        "Document",
        "Tint",
        "Part",
    }
    assert shapes.uses_runtime  # an enum member is read through `_runtime`
    assert [e.name for e in errors.imports.enums] == ["Tint"]
    # The errors module reads its list of enums through the shapes module's converters.
    assert errors.converters == ("_tints_from_dict", "_tints_to_dict")
    assert client.imports.uses("_datetime") and not client.imports.uses("_decimal")
    assert [s.name for s in client.structures] == ["OpInput", "OpOutput"]
    other = views.view_for("validators.py", unit, "# header", "9")
    assert type(other) is views.ModuleView and other.unit is unit


def test_a_maintainers_template_can_print_from_its_view(tmp_path: Path) -> None:
    unit = unit_of(tmp_path)
    folder = tmp_path / "mine" / "extra"
    folder.mkdir(parents=True)
    (folder / "imports_report.py.jinja").write_text(
        "{{ view.header }}\n"
        '"""What the shapes module imports."""\n\n'
        "VERSION = {{ view.version | pystr }}\n",
        "utf-8",
    )
    templates = open_templates(tmp_path / "mine")
    files = render.render_package(unit, templates)
    assert 'VERSION = "' in files["imports_report.py"]
