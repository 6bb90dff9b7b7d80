"""What a run keeps for the next one: compiled templates and the cut into per-operation parts
(beside black's remembered pieces), so that a warm run neither compiles a template, nor parses
a module to cut it, nor imports black, and gives the same bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from generator.render import _CompiledTemplates
from tests.conftest import REPO

_RUN = """
import sys
import jinja2
from generator import lazy_parts
compiled, cut = [], []
compile_template = jinja2.Environment.compile
def counted(self, *args, **kwargs):
    compiled.append(args)
    return compile_template(self, *args, **kwargs)
jinja2.Environment.compile = counted
split = lazy_parts.split
def counted_split(*args, **kwargs):
    cut.append(args)
    return split(*args, **kwargs)
lazy_parts.split = counted_split
from generator.cli import main
code = main(["generate", "-q", "--config", sys.argv[1]])
print(code, "black" in sys.modules, bool(compiled), bool(cut))
"""


def _in_child(script: str, root: Path, cache: Path, *extra: str) -> list[str]:
    """What `script` prints, run on the configuration in `root` with `cache` as the cache."""
    environment = {**os.environ, "SHAPESMITH_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(root / "shapesmith.toml"), *extra],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=True,
    )
    return done.stdout.split()


def _generate(root: Path, cache: Path, *extra: str) -> tuple[int, bool, bool, bool]:
    code, black, compiler, cut = _in_child(_RUN, root, cache, *extra)
    return int(code), black == "True", compiler == "True", cut == "True"


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_warm_run_compiles_no_template_cuts_no_module_imports_no_black_and_writes_the_same(
    tmp_path: Path,
) -> None:
    models = [str(REPO / "models" / name) for name in sorted(os.listdir(REPO / "models"))]
    (tmp_path / "shapesmith.toml").write_text(
        f"models = {json.dumps(models)}\noutput = 'out'\n", "utf-8"
    )
    cache = tmp_path / "cache"
    assert _generate(tmp_path, cache) == (0, True, True, True)
    cold = _tree(tmp_path / "out")
    assert any((cache / "templates").iterdir())
    assert _generate(tmp_path, cache) == (0, False, False, False)
    assert _tree(tmp_path / "out") == cold
    for kept in (cache / "templates").iterdir():
        kept.write_bytes(kept.read_bytes()[:40])  # damaged: each is compiled afresh
    assert _generate(tmp_path, cache) == (0, False, True, False)
    assert _tree(tmp_path / "out") == cold


def _environment(compiled: _CompiledTemplates, source: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.DictLoader({"t.jinja": source}), bytecode_cache=compiled
    )


def test_a_kept_template_is_used_only_while_its_source_is_the_same(tmp_path: Path) -> None:
    first = _CompiledTemplates()
    first.keep_on_disk(tmp_path)
    assert _environment(first, "{{ 1 + 1 }}").get_template("t.jinja").render() == "2"
    later = _CompiledTemplates()
    later.keep_on_disk(tmp_path)
    assert _environment(later, "{{ 1 + 1 }}").get_template("t.jinja").render() == "2"
    edited = _CompiledTemplates()
    edited.keep_on_disk(tmp_path)
    assert _environment(edited, "{{ 2 + 2 }}").get_template("t.jinja").render() == "4"


def test_a_cache_folder_that_cannot_be_made_keeps_templates_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    compiled = _CompiledTemplates()
    compiled.keep_on_disk(blocker / "templates")
    assert _environment(compiled, "{{ 3 }}").get_template("t.jinja").render() == "3"


@pytest.mark.parametrize(
    "damage",
    [
        lambda kept: b"",
        lambda kept: b"garbage",
        lambda kept: b"\x00" * 64,
        lambda kept: kept[:-8],  # Jinja's header and the source's checksum intact, code cut
        lambda kept: kept[:-8] + b"\xff" * 8,
    ],
)
def test_a_damaged_kept_template_compiles_afresh(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    first = _CompiledTemplates()
    first.keep_on_disk(tmp_path)
    _environment(first, "{{ 5 }}").get_template("t.jinja")
    for kept in tmp_path.iterdir():
        kept.write_bytes(damage(kept.read_bytes()))
    later = _CompiledTemplates()
    later.keep_on_disk(tmp_path)
    assert _environment(later, "{{ 5 }}").get_template("t.jinja").render() == "5"


_COUNTING = """
import sys
from generator import formatting
formatted = []
format_all = formatting._format_all
def counted(missing, stats):
    formatted.extend(missing)
    return format_all(missing, stats)
formatting._format_all = counted
from generator.cli import main
code = main(["generate", "-q", "--config", sys.argv[1], *sys.argv[2:]])
print(code, len(formatted))
"""


def _formatted_pieces(root: Path, cache: Path, *extra: str) -> int:
    code, count = _in_child(_COUNTING, root, cache, *extra)
    assert code == "0"
    return int(count)


def test_editing_one_operation_formats_only_what_changed_and_matches_a_cold_run(
    tmp_path: Path,
) -> None:
    """Each module's header names the model's hash, which every edit changes: the format cache
    must still know the modules the edit did not touch, and the result equal a cold run's."""
    models = tmp_path / "models"
    models.mkdir()
    for name in os.listdir(REPO / "models"):
        (models / name).write_bytes((REPO / "models" / name).read_bytes())
    names = sorted(f"models/{name}" for name in os.listdir(models))
    (tmp_path / "shapesmith.toml").write_text(
        f"models = {json.dumps(names)}\noutput = 'out'\n", "utf-8"
    )
    cache = tmp_path / "cache"
    assert _formatted_pieces(tmp_path, cache) > 100
    model = models / "rekognition.json"
    document = json.loads(model.read_text("utf-8"))
    (operation,) = [
        shape
        for shape_id, shape in document["shapes"].items()
        if shape_id.endswith("#GetFaceLivenessSessionResults")
    ]
    operation.setdefault("traits", {})["smithy.api#documentation"] = "Edited: the results."
    model.write_text(json.dumps(document, indent=2), "utf-8")
    assert 0 < _formatted_pieces(tmp_path, cache) <= 6
    edited = _tree(tmp_path / "out")
    (tmp_path / "out").rename(tmp_path / "edited")
    assert _formatted_pieces(tmp_path, tmp_path / "empty-cache") > 100
    assert _tree(tmp_path / "out") == edited
