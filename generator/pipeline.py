"""The one way through: models -> checked model -> IR -> rendered, formatted files.

`generate`, `check` and `export` share everything up to the last step, which is what makes `check`
trustworthy: it compares against exactly what `generate` would write.
"""

from __future__ import annotations

from pathlib import Path

from generator import ir
from generator.build import Selection, build_units
from generator.config import Config
from generator.diagnostics import ShapesmithError, Warnings, fail
from generator.format_cache import FormatCache
from generator.input_digest import inputs_record
from generator.loader import load_model
from generator.openapi.source_map import locate_all
from generator.render import render_all
from generator.semantics import check_model
from generator.stages import Stages
from generator.template_set import open_templates


def build(config: Config, selection: Selection | None = None) -> tuple[ir.GenerationUnit, ...]:
    """The IR of what `selection` chooses from the configuration's models (by default, what the
    configuration chooses)."""
    return _build(config, selection, Stages())[0]


def _build(
    config: Config, selection: Selection | None, stages: Stages
) -> tuple[tuple[ir.GenerationUnit, ...], tuple[Path, ...]]:
    with stages.stage("loading the models"):
        model = load_model(config.models, config.root)
    warnings = Warnings()
    for warning in model.warnings:
        warnings.add(warning.file, warning.pointer, warning.message)
    if selection is None:
        selection = Selection(config.operations, *config.operations_source)
    try:
        with stages.stage("checking the model"):
            check_model(model, warnings)
        with stages.stage("building the IR"):
            units = build_units(model, selection, warnings)
    except ShapesmithError as error:
        raise ShapesmithError(locate_all(model.source_maps, error.diagnostics)) from None
    warnings.relocate(lambda found: locate_all(model.source_maps, found))
    warnings.settle(strict=config.strict)
    return units, model.read_files


def render(
    config: Config, cache: FormatCache | None = None, stages: Stages | None = None
) -> dict[str, str]:
    """Every file of the output folder, by its path there (`cache`: black's earlier work)."""
    stages = stages if stages is not None else Stages()
    templates = open_templates(config.templates)
    units, read_files = _build(config, None, stages)
    inputs = inputs_record(config, read_files, templates)
    return render_all(units, templates, cache, inputs, stages)


def build_package(
    config: Config, service: str, operations: tuple[str, ...], source: str
) -> ir.GenerationUnit:
    """The IR of one package: `service` with `operations`, as the package manifest `source`
    lists them (its `/service` and `/operations`)."""
    units = build(config, Selection(operations, source, "/operations"))
    for unit in units:
        if unit.service.id == service:
            return unit
    found = ", ".join(unit.service.id for unit in units)
    raise fail(source, "/service", f"{service} does not bind these operations; {found} does")
