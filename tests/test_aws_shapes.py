"""Shapes as AWS's own models write them (issue 12, item 3), end to end.

tests/fixtures/models/aws_shapes.json gathers the habits of AWS's models that shapesmith used to
refuse or turn into broken code: @length and @pattern on an enum, a structure with a list and a
map of itself, an event-stream union with an error member, an error with list and map members,
enum members named like `str` attributes, a Smithy 1.0 zero default below its own @range,
@paginated with a key Smithy does not define, and what made the corpus's packages fail ruff:
names that read like digits (`l`, `O`), a structure without members checked in place, an enum
used only as a map key, a pattern with a typographic quote (Cost Explorer's), an enum named
Unit like the prelude's unit type (EMR's). Its package must generate (warning only about what
is documented as not supported yet), pass mypy --strict, ruff and black, import with the
standard library alone, and behave as the model says.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.conftest import FIXTURES, REPO, run_isolated

MODEL = FIXTURES / "models" / "aws_shapes.json"
PACKAGE = "aws_shapes"
NS = "example.awsshapes#"


def _generate(root: Path, model: dict[str, Any] | Path) -> tuple[int, str]:
    """Generate `model` into `root / "out"` in this process: (exit code, what it reported)."""
    root.mkdir(parents=True, exist_ok=True)
    if isinstance(model, Path):
        shutil.copy(model, root / "model.json")
    else:
        (root / "model.json").write_text(json.dumps(model), "utf-8")
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n', "utf-8")
    err = io.StringIO()
    handler = logging.StreamHandler(err)  # warnings are logged; errors printed
    logging.getLogger("shapesmith").addHandler(handler)
    try:
        with contextlib.redirect_stderr(err):
            code = main(["generate", "-q", "--config", str(root / "shapesmith.toml")])
    finally:
        logging.getLogger("shapesmith").removeHandler(handler)
    return code, err.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("aws_shapes")
    code, err = _generate(root, MODEL)
    assert code == 0, err
    return root / "out", err


def _run(output: Path, code: str) -> Any:
    """Run `code` beside the package with the standard library alone; what it prints, as JSON."""
    result = run_isolated(output, code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_warnings_name_only_what_is_not_supported_yet(generated: tuple[Path, str]) -> None:
    _, err = generated
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    # The event stream is one since AWS JSON streams events: nothing of it is left out.
    # @paginated (with a key Smithy does not define) is one since paginators are generated.
    assert warnings == []


@pytest.mark.slow
def test_package_is_type_checked_lint_clean_and_imports_with_the_stdlib_alone(
    generated: tuple[Path, str],
) -> None:
    output, _ = generated
    config = str(REPO / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null"],
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config],
        [sys.executable, "-m", "black", "--check", "--quiet", "--config", config],
    ):
        result = subprocess.run(
            [*command, PACKAGE], cwd=output, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    modules = sorted(
        ".".join(p.relative_to(output).with_suffix("").parts).removesuffix(".__init__")
        for p in (output / PACKAGE).rglob("*.py")
        if p.name != "__main__.py"
    )
    isolated = subprocess.run(
        [sys.executable, "-I", "-S", "-c", "import importlib, sys; "
         "sys.path.insert(0, sys.argv[1]); [importlib.import_module(m) for m in sys.argv[2:]]",
         str(output), *modules],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert isolated.returncode == 0, isolated.stderr


def test_length_and_pattern_on_an_enum_bind_unknown_values(generated: tuple[Path, str]) -> None:
    found = _run(
        generated[0],
        "import json\nfrom aws_shapes.validators import validate_put_input as v\n"
        "cases = [{'Mode': 'FAST'}, {'Mode': 'TOOLONG'}, {'Mode': 'ab'}, {'Currency': 'x1'},"
        " {'Currency': 'SLOW'}]\n"
        "print(json.dumps([[(x.path, x.constraint) for x in v(c)] for c in cases]))",
    )
    assert found == [
        [],
        [["Mode", "length"]],
        [["Mode", "pattern"]],
        [["Currency", "pattern"]],  # the member's @pattern, which replaces the enum's
        [],
    ]


def test_a_structure_with_a_list_and_a_map_of_itself_round_trips(
    generated: tuple[Path, str],
) -> None:
    tree = {"Name": "root", "Children": [{"Name": "a", "ByName": {"k": {"Name": "b"}}}]}
    found = _run(
        generated[0],
        "import json\nfrom aws_shapes.shapes import PutInput, PutOutput\n"
        "from aws_shapes.validators import validate_put_input\n"
        f"tree = {tree!r}\n"
        "value = PutInput.from_dict({'Tree': tree})\n"
        "out = PutOutput.from_dict({'Index': {'x': tree}})\n"
        "print(json.dumps([value.to_dict()['Tree'], out.to_dict()['Index']['x'],"
        " type(value.tree.children[0].by_name['k']).__name__, len(validate_put_input(value))]))",
    )
    assert found == [tree, tree, "Node", 0]


def test_an_error_with_list_and_map_members_reads_and_writes_them(
    generated: tuple[Path, str],
) -> None:
    wire = {
        "message": "bad",
        "Fields": [{"Path": "a.b"}],
        "Reasons": {"a": {"Path": "a"}},
        "Modes": ["FAST", "NEW"],
    }
    found = _run(
        generated[0],
        "import json\nfrom aws_shapes.errors import BadInput\n"
        f"error = BadInput.from_dict({wire!r})\n"
        "print(json.dumps([error.to_dict(), type(error.fields[0]).__name__,"
        " type(error.reasons['a']).__name__, [type(m).__name__ for m in error.modes]]))",
    )
    assert found == [wire, "Field", "Field", ["Mode", "str"]]


def test_an_event_stream_union_leaves_its_error_events_out(generated: tuple[Path, str]) -> None:
    found = _run(
        generated[0],
        "import dataclasses, json\nfrom aws_shapes import shapes\n"
        "print(json.dumps([[f.name for f in dataclasses.fields(shapes.Events)],"
        " hasattr(shapes, 'StreamFailed'), shapes.Events.from_dict({'Tick': {'At': 1}}).to_dict()]))",
    )
    # `unknown` keeps an event of a kind the model does not have; the error events are no fields.
    assert found == [["tick", "unknown"], False, {"Tick": {"At": 1}}]


def test_enum_members_named_like_str_attributes_keep_str_working(
    generated: tuple[Path, str],
) -> None:
    found = _run(
        generated[0],
        "import json\nfrom aws_shapes.enums import StrWords\n"
        "print(json.dumps([[m.name, m.value] for m in StrWords] + [StrWords('upper').upper(),"
        " StrWords.count_.count('u'), StrWords('value').value, StrWords.name_.name]))",
    )
    words = ["upper", "count", "format", "join", "title", "value", "name"]
    assert found == [[f"{w}_", w] for w in words] + ["UPPER", 1, "value", "name_"]


def test_a_zero_default_below_its_range_means_unset(generated: tuple[Path, str]) -> None:
    found = _run(
        generated[0],
        "import json\nfrom aws_shapes.shapes import PutInput\n"
        "from aws_shapes.validators import validate_put_input as v\n"
        "print(json.dumps([PutInput().timeout, len(v(PutInput())), len(v({'Timeout': 0})),"
        " [(x.path, x.constraint, x.limit) for x in v({'Timeout': 59})], len(v({'Timeout': 60}))]))",
    )
    assert found == [0, 0, 0, [["Timeout", "range", "60..28800 or 0 (unset)"]], 0]


def _variant(**timeout_traits: Any) -> dict[str, Any]:
    model: dict[str, Any] = copy.deepcopy(json.loads(MODEL.read_text("utf-8")))
    model["shapes"][f"{NS}TimeoutSeconds"]["traits"].update(timeout_traits)
    model["shapes"][f"{NS}PutInput"]["members"]["Timeout"]["traits"].update(timeout_traits)
    return model


@pytest.mark.parametrize("default", [5, 30000, -1])
def test_any_other_default_outside_its_range_is_still_refused(tmp_path: Path, default: int) -> None:
    code, err = _generate(tmp_path, _variant(**{"smithy.api#default": default}))
    assert code == 2
    assert f"/shapes/{NS}TimeoutSeconds/traits/smithy.api#default: default value" in err
    assert "breaks @range 60..28800" in err


def test_names_that_read_like_digits_step_aside(generated: tuple[Path, str]) -> None:
    found = _run(
        generated[0],
        "import json\nfrom aws_shapes.enums import Letters\nfrom aws_shapes.shapes import PutInput\n"
        "value = PutInput.from_dict({'L': 'O', 'Empty': {}, 'Counts': {'big': 2}})\n"
        "print(json.dumps([[m.name for m in Letters], value.l_, value.to_dict()]))",
    )
    assert found == [
        ["O_", "I_", "X"],
        "O",
        {"L": "O", "Empty": {}, "Counts": {"big": 2}, "Timeout": 0},
    ]


def _module_text(package: Path, module: str) -> str:
    """A module's text and its parts' (`generator/lazy_parts.py`), where it was cut."""
    paths = [package / f"{module}.py", *sorted(package.glob(f"_{module}_parts/*.py"))]
    return "".join(path.read_text("utf-8") for path in paths)


def test_a_pattern_with_typographic_characters_is_shown_in_ascii(
    generated: tuple[Path, str],
) -> None:
    (package,) = [path for path in generated[0].iterdir() if path.is_dir()]
    validators = _module_text(package, "validators")
    # the docstring escapes its backslashes: the file holds two before each u
    assert r"+=?^_\\u2018{|}~-]+@" in validators
    assert r"^\\u{1f600}+$" in validators
    assert "\u2018" not in validators and "\U0001f600" not in validators


def test_a_model_shape_named_unit_keeps_its_name(generated: tuple[Path, str]) -> None:
    (package,) = [path for path in generated[0].iterdir() if path.is_dir()]
    assert "class Unit(" in _module_text(package, "enums")
