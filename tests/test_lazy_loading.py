"""A whole-service package loads per operation: calling one operation imports the parts of
the modules that operation needs (`generator/lazy_parts.py`), never those of another."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import generate_files, reference_file, run_isolated

_STUB = """
import sys
sys.path.insert(0, sys.argv[1])
from rekognition.stub import serve
server = serve().start()
print(server.url, flush=True)
sys.stdin.read()
"""

_CALL = """
import ast
import json
import rekognition
before = sorted(m for m in sys.modules if m.startswith("rekognition."))
client = rekognition.RekognitionClient(region_name="us-east-1", endpoint_url=sys.argv[1],
    aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
built = sorted(m for m in sys.modules if m.startswith("rekognition."))
client.detect_labels(image=rekognition.Image(bytes=b"an image"))
parts = {m: (sys.modules[m].__doc__ or "") for m in sys.modules if "_parts." in m}
print(json.dumps({"before": before, "built": built, "parts": parts}))
"""


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = reference_file("models", "rekognition-2016-06-27.json")
    root = tmp_path_factory.mktemp("whole-rekognition")
    code, errors = generate_files(root, [model])
    assert code == 0, errors
    return root / "out"


@pytest.fixture(scope="module")
def stub_url(whole: Path) -> Iterator[str]:
    stub = subprocess.Popen(
        [sys.executable, "-I", "-c", _STUB, str(whole)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert stub.stdout is not None
        yield stub.stdout.readline().strip()
    finally:
        stub.kill()
        stub.wait()


def _operations_of(docstring: str) -> set[str]:
    listed = docstring.partition(":")[2]
    return {name.strip() for name in listed.replace("\n", " ").split(",") if name.strip()}


def test_calling_one_operation_imports_only_its_parts(whole: Path, stub_url: str) -> None:
    result = run_isolated(whole, _CALL, stub_url)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    # importing the package and building a client loads no part at all
    assert not [m for m in found["built"] if "_parts" in m]
    parts = {name: doc for name, doc in found["parts"].items() if not name.endswith("_parts")}
    assert parts, "the call imported no part: the package was not cut"
    for module, docstring in sorted(parts.items()):
        operations = _operations_of(docstring)
        assert "detect_labels" in operations, f"{module} serves {sorted(operations)}"
    # each kind of module has the operation's own part (enums too, where it has an enum of its own)
    kinds = {name.rpartition(".")[0] for name in parts if name.endswith(".detect_labels")}
    assert kinds >= {
        "rekognition._operations_parts",
        "rekognition._shapes_parts",
        "rekognition._validators_parts",
        "rekognition._awsjson_parts",
    }


def test_every_name_of_a_facade_resolves(whole: Path) -> None:
    code = """
import importlib, pickle
for module in ("shapes", "validators", "enums", "_awsjson", "_operations"):
    facade = importlib.import_module(f"rekognition.{module}")
    for name in facade._PARTS:
        value = getattr(facade, name)
        assert value is getattr(facade, name), name
        assert name in dir(facade), name
from rekognition import shapes
image = shapes.Image(bytes=b"x")
assert pickle.loads(pickle.dumps(image)) == image
from rekognition.shapes import Image
assert isinstance(image, Image)
print("ok")
"""
    result = run_isolated(whole, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def _cycle(imports: dict[str, set[str]]) -> list[str] | None:
    """An import cycle among the parts, depth first, or None."""
    done: set[str] = set()

    def visit(part: str, path: list[str]) -> list[str] | None:
        if part in path:
            return [*path, part]
        if part in done:
            return None
        for other in sorted(imports.get(part, ())):
            found = visit(other, [*path, part])
            if found:
                return found
        done.add(part)
        return None

    for part in sorted(imports):
        found = visit(part, [])
        if found:
            return found
    return None


def test_each_name_lives_in_one_part_and_parts_import_without_cycles(whole: Path) -> None:
    package = whole / "rekognition"
    for parts in sorted(package.glob("_*_parts")):
        homes: dict[str, str] = {}
        imports: dict[str, set[str]] = {}
        for path in sorted(parts.glob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            for node in tree.body:
                if isinstance(node, ast.FunctionDef | ast.ClassDef):
                    assert node.name not in homes, f"{node.name} in {homes.get(node.name)} too"
                    homes[node.name] = path.stem
            imports[path.stem] = {
                node.module
                for node in tree.body
                if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
            }
        assert homes, parts
        # a part imports only parts that serve more operations: no cycle
        assert _cycle(imports) is None, f"{parts.name}: {_cycle(imports)}"


def _reads_by_walking(node: ast.AST) -> tuple[set[str], set[tuple[str, str]]]:
    names: set[str] = set()
    attributes: set[tuple[str, str]] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load):
            names.add(inner.id)
        elif isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
            attributes.add((inner.value.id, inner.attr))
    return names, attributes


def test_the_cut_reads_the_names_ast_walk_finds() -> None:
    """The cut's own walk (it skips constants and contexts) against `ast.walk`, statement by
    statement, over the committed package and shapesmith's own code (every kind of statement)."""
    from generator.lazy_parts import _reads

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "generated").rglob("*.py")) + sorted((root / "generator").rglob("*.py"))
    statements = [s for f in files for s in ast.parse(f.read_text("utf-8")).body]
    assert len(statements) > 1000
    for statement in statements:
        assert _reads(statement) == _reads_by_walking(statement), ast.unparse(statement)[:200]


def test_a_definition_moved_into_a_part_imports_from_one_level_further_up() -> None:
    """A function-level `from . import X` (a union's import of the validators, which would be a
    cycle at the top) reaches the package from the part too; nothing else changes."""
    from generator.lazy_parts import _one_level_down

    text = (
        "class Pet:\n"
        "    def f(self) -> None:\n"
        "        from . import _json_values\n"
        "        from .validators import check  # from . in a comment stays\n"
        "        text = 'from . import x'\n"
    )
    moved = _one_level_down(text)
    assert moved == text.replace("from . import _json", "from .. import _json").replace(
        "from .validators", "from ..validators"
    )
    ast.parse(moved)
    assert _one_level_down("def f() -> int:\n    return 1\n") == "def f() -> int:\n    return 1\n"
