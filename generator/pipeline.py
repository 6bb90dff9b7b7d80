"""The one way through: models -> checked model -> IR -> rendered, formatted files.

`generate`, `check` and `export` share everything up to the last step, which is what makes `check`
trustworthy: it compares against exactly what `generate` would write.
"""

from __future__ import annotations

from generator import ir
from generator.build import Selection, build_units
from generator.config import Config
from generator.diagnostics import Warnings
from generator.loader import load_model
from generator.render import render_all
from generator.semantics import check_model


def build(config: Config) -> tuple[ir.GenerationUnit, ...]:
    model = load_model(config.models, config.root)
    warnings = Warnings()
    check_model(model, warnings)
    pointer = (
        "/operations" if config.file.name == "shapesmith.toml" else "/tool/shapesmith/operations"
    )
    units = build_units(model, Selection(config.operations, str(config.file), pointer), warnings)
    warnings.settle(strict=config.strict)
    return units


def render(config: Config) -> dict[str, str]:
    return render_all(build(config))
