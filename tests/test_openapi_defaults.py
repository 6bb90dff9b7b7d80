"""`default` in an OpenAPI document. OpenAPI says a schema's default "represents what would be
assumed by the consumer of the input as the value of the schema if one is not provided", and
JSON Schema makes it an annotation that never changes what is valid; so the default of an
optional property becomes Smithy's `@default` (the reader of a message fills it in, the
sender may leave it out, the validators are unchanged), and every other default is
documentation, named in a warning. openapi-python-client makes a default the Python default
of the attribute too (and sends it); shapesmith leaves an unchanged default out, as Smithy's
clients do, which the receiver reads back as the same value.
"""

from __future__ import annotations

import contextlib
import importlib
import io
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import FIXTURES, imported

DOCUMENT = FIXTURES / "openapi" / "defaults-3.1.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, str]]:
    """The package and the warnings its generation gave (logged to the `shapesmith` logger)."""
    import logging

    root = tmp_path_factory.mktemp("defaults")
    (root / "shapesmith.toml").write_text(f'models = ["{DOCUMENT}"]\noutput = "out"\n', "utf-8")
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger().addHandler(handler)
    try:
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["generate", "--config", str(root / "shapesmith.toml")])
    finally:
        logging.getLogger().removeHandler(handler)
    assert code == 0, err.getvalue()
    with imported(root / "out", "defaults") as module:
        yield module, "\n".join(records) + err.getvalue()


def test_an_absent_optional_property_reads_as_its_default(
    generated: tuple[ModuleType, str],
) -> None:
    shapes = importlib.import_module("defaults.shapes")
    read = shapes.Settings.from_dict({"name": "n"})
    enums = importlib.import_module("defaults.enums")
    assert read.mode == enums.Mode.SLOW
    assert (read.size, read.ratio, read.tags) == (10, 0.5, [])
    # Not applied: a required property's, one the schema refuses, one of the wrong type.
    assert (read.too_small, read.wrong_type) == (None, None)
    assert shapes.Settings(name="n").size == 10


def test_the_defaults_that_are_not_applied_are_warned_about(
    generated: tuple[ModuleType, str],
) -> None:
    _, warned = generated
    at = "defaults-3.1.yaml: /components/schemas/Settings/properties"
    assert (
        f"{at}/tooSmall/default: `default` is documentation only here: default value 1 breaks"
        in warned
    )
    assert f"{at}/wrongType/default: `default` is documentation only here" in warned
    assert f"{at}/name/default: `default` is documentation only here" in warned
    assert "/paths/~1settings/put/parameters/0/schema/default: `default` is documentation" in warned


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 12),
    st.sampled_from([0.5, 1.0, 0.99, 2.5]),
    st.sampled_from(["fast", "slow", "x", ""]),
    st.lists(st.text(max_size=1), max_size=2),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.dictionaries(
        st.sampled_from(["name", "mode", "size", "ratio", "tags", "tooSmall", "wrongType"]),
        _VALUES,
    )
)
def test_a_default_does_not_change_what_is_valid(
    generated: tuple[ModuleType, str], value: dict[str, Any]
) -> None:
    schemas = yaml.safe_load(DOCUMENT.read_text("utf-8"))["components"]
    reference = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/Settings", "components": schemas}
    )
    validators = importlib.import_module("defaults.validators")
    if any(isinstance(v, float) and v.is_integer() for v in value.values()):
        return  # 1.0 is an integer to JSON Schema, not to shapesmith (a documented difference)
    ours = validators.validate_put_settings_input({"body": value}, strict=True)
    assert (not ours) == reference.is_valid(value), ([(v.path, v.limit) for v in ours], value)


def test_the_generated_package_is_lint_clean(
    generated: tuple[ModuleType, str], tmp_path: Path
) -> None:
    from tests.conftest import generate_files
    from tests.generated_lint import assert_lint_clean

    code, err = generate_files(tmp_path, [DOCUMENT])
    assert code == 0, err
    assert_lint_clean(tmp_path / "out" / "defaults")
