"""Formatting piece by piece (generator/formatting.py, statement_chunks.py) is byte-identical to
black formatting each module whole: on generated packages, on real Python, and on modules
Hypothesis assembles from the constructs black's blank-line rules treat differently."""

from __future__ import annotations

import json
import sqlite3
import sysconfig
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import format_cache, formatting, protocols, render, statement_chunks
from generator.format_cache import FormatCache
from generator.formatting import FormatStats, InvalidModule, black_mode, format_sources
from generator.template_set import SHIPPED
from tests.conftest import FIXTURES, REPO, build_unit

STATEMENTS = [
    "import os",
    "from typing import TYPE_CHECKING, Any",
    "import a.b as c",
    "X = 1",
    "X: int = 1",
    'X = 1\n"""What X is."""',
    "NAMES = call(" + ", ".join(f"argument_number_{i}" for i in range(9)) + ")",
    "NAMES = [\n    'a',\n]",
    "x = 1; y = 2",
    "print('hi')  # a trailing comment",
    "def f(a, b):\n    return a",
    "def g(\n    a,\n    b,\n):\n    pass",
    "def stub(): ...",
    "async def h():\n    await x",
    "@decorator\ndef decorated():\n    pass",
    "@decorator(\n    1\n)\nclass Decorated:\n    pass",
    'class C:\n    """Doc."""',
    "class D(Base):\n    x: int\n\n    def m(self):\n        pass",
    "class E: pass",
    "class F:\n    class G:\n        def m(self):\n            return 1",
    "if TYPE_CHECKING:\n    import y",
    "if x:\n    def f():\n        pass\nelse:\n    y = 2",
    "if x:\n    pass\nelif y:\n    class K:\n        pass",
    "try:\n    import z\nexcept ImportError:\n    z = None",
    "try:\n    pass\nfinally:\n    def cleanup():\n        pass",
    "for i in range(3):\n    pass\nelse:\n    pass",
    "while False:\n    pass",
    "with context:\n    def inner():\n        pass",
    "match x:\n    case 1:\n        pass",
    "global q",
    "__all__ = [\n    'a', 'b'\n]",
    'S = """\nA string\nat column 0\n"""',
    "value = (\n  1 +\n  2\n)",
]
MEMBERS = [
    "x: int",
    "x: int = 1",
    'y = 2\n"""What y is."""',
    '"""A string in the body."""',
    "def m(self):\n    return 1",
    "def n(\n    self,\n    a,\n):\n    pass",
    "@property\ndef p(self):\n    return 1",
    "@overload\ndef o(self, a: int) -> int: ...",
    "def stub(self): ...",
    "async def am(self):\n    await x",
    "class Inner:\n    def inner(self):\n        pass",
    "if TYPE_CHECKING:\n    z = 1",
    "import os",
    "pass",
    "KEYS = frozenset(\n    {'a', 'b'}\n)",
]
SEPARATORS = [
    "\n",
    "\n\n",
    "\n\n\n",
    "\n\n\n\n",
    "\n# a comment\n",
    "\n\n# a comment\n\n",
    "\n   \n",
]


@st.composite
def classes(draw: st.DrawFn) -> str:
    """A class whose members black's blank-line rules treat apart, in any order and spacing."""
    lines = [draw(st.sampled_from(["", "@decorator\n", "@dataclass(kw_only=True)\n"]))]
    lines.append("class K(Base):\n")
    if draw(st.booleans()):
        lines.append('    """The class docstring."""' + draw(st.sampled_from(SEPARATORS)))
    for member in draw(st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=6)):
        indented = "\n".join(f"    {line}" for line in member.split("\n"))
        lines.append(indented + draw(st.sampled_from(SEPARATORS)))
    return "".join(lines)


@st.composite
def modules(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append('"""A module docstring."""\n' + draw(st.sampled_from(SEPARATORS)))
    if draw(st.booleans()):
        parts.append("from __future__ import annotations\n" + draw(st.sampled_from(SEPARATORS)))
    statements = st.one_of(st.sampled_from(STATEMENTS), classes())
    for statement in draw(st.lists(statements, min_size=1, max_size=8)):
        parts.append(statement + draw(st.sampled_from(SEPARATORS)))
    return "".join(parts)


def black_whole(source: str) -> str:
    return black.format_str(source, mode=black_mode())


@settings(max_examples=300)
@given(modules())
def test_pieces_join_into_what_black_makes_of_the_module(source: str) -> None:
    assert format_sources({"m.py": source})["m.py"] == black_whole(source)


@settings(max_examples=50)
@given(modules())
def test_pieces_are_formatted_once_then_remembered(tmp_path_factory, source: str) -> None:
    cache = FormatCache(tmp_path_factory.mktemp("cache"))
    first, second = FormatStats(), FormatStats()
    assert format_sources({"m.py": source}, cache, first) == {"m.py": black_whole(source)}
    again = FormatStats()
    assert format_sources({"m.py": source}, cache, again) == {"m.py": black_whole(source)}
    assert again.pieces == again.formatted == 0  # remembered whole
    edited = source + "\nTRAILING = 1\n"
    assert format_sources({"m.py": edited}, cache, second) == {"m.py": black_whole(edited)}

    def pieces(text: str) -> set[tuple[str, bool]]:
        return {(piece.text, piece.in_class) for piece in statement_chunks.split(text).pieces}

    # black formats exactly the pieces it has not seen; the rest come from the cache
    assert second.formatted == len(pieces(edited) - pieces(source))
    cache.close()


def raw_modules(unit: object) -> dict[str, str]:
    """The modules of a unit's package as the templates render them, before black."""
    captured: dict[str, str] = {}

    def capture(sources: dict[str, str], cache: object = None) -> dict[str, str]:
        captured.update(sources)
        return dict(sources)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "format_modules", capture)
        render.render_package(unit)  # type: ignore[arg-type]
    return captured


@pytest.mark.parametrize("model", ["kitchen_sink.json", "auth_schemes.json", "event_input.json"])
def test_generated_packages_format_as_black_formats_them_whole(tmp_path: Path, model: str) -> None:
    unit = build_unit(tmp_path, json.loads((FIXTURES / "models" / model).read_text("utf-8")))
    sources = raw_modules(unit)
    formatted = format_sources(sources)
    for path, source in sources.items():
        assert formatted[path] == black_whole(source), path
    assert sum(len(statement_chunks.split(s).pieces) for s in sources.values()) > 3 * len(sources)


def python_files() -> list[Path]:
    """Real Python nobody wrote for this test: the standard library's json and email packages,
    and shapesmith's own generator."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    found = sorted((stdlib / "json").glob("*.py")) + sorted((stdlib / "email").glob("*.py"))
    return found[:20] + sorted((REPO / "generator").glob("*.py"))[:20]


@pytest.mark.parametrize("path", python_files(), ids=lambda path: path.name)
def test_real_python_formats_as_black_formats_it_whole(path: Path) -> None:
    source = path.read_text("utf-8")
    try:
        expected = black_whole(source)
    except black.parsing.InvalidInput:
        pytest.skip(f"black cannot parse {path} for Python 3.11")
    assert format_sources({path.name: source})[path.name] == expected


def test_many_pieces_are_formatted_by_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = {f"m{index}.py": "\n\n".join(STATEMENTS) + f"\nN = {index}\n" for index in range(4)}
    monkeypatch.setattr(formatting, "_PARALLEL_FROM", 1000)
    monkeypatch.setattr(formatting, "_cpus", lambda: 2)
    stats = FormatStats()
    formatted = format_sources(sources, None, stats)
    assert stats.workers == 2
    assert formatted == {path: black_whole(source) for path, source in sources.items()}


def test_a_module_the_compiler_refuses_is_reported_with_its_path() -> None:
    source = "import os\n\n\ndef f(a, a):\n    return a\n\n\nX = 1\n"
    with pytest.raises(InvalidModule, match="duplicate argument 'a'") as raised:
        format_sources({"pkg/bad.py": source})
    assert raised.value.path == "pkg/bad.py"
    with pytest.raises(InvalidModule, match="cannot parse"):
        format_sources({"pkg/worse.py": "X = 1\n\n\ndef f(:\n    pass\n"})


def test_a_cut_module_compiles_its_pieces_with_the_modules_future_flags() -> None:
    # Under `from __future__ import annotations` an annotation may not yield; without it, this
    # one is fine. The future import is in the first piece, the annotation in the last.
    source = (
        "from __future__ import annotations\nimport os\n\n\n"
        "def outer():\n    def f() -> (yield):\n        pass\n"
    )
    cut = statement_chunks.split(source)
    assert len(cut.pieces) == 3 and cut.compile_flags
    with pytest.raises(InvalidModule, match="annotation"):
        format_sources({"m.py": source})
    # and nothing is cut around a module-level `global`, which speaks of the whole module
    assert len(statement_chunks.split("x = 1\n\n\nglobal x\n").pieces) == 1


def test_an_unusable_cache_only_costs_time(tmp_path: Path) -> None:
    (tmp_path / "format-cache.sqlite3").write_bytes(b"not a database at all" * 100)
    cache = FormatCache(tmp_path)
    source = "\n\n".join(STATEMENTS) + "\n"
    assert format_sources({"m.py": source}, cache) == {"m.py": black_whole(source)}
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    assert format_sources({"m.py": source}, FormatCache(blocked)) == {"m.py": black_whole(source)}


def test_the_cache_stays_within_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(format_cache, "MAX_ENTRIES", 10)
    cache = FormatCache(tmp_path)
    for index in range(5):
        format_sources(
            {"m.py": "\n\n\n".join(f"X{index}_{n} = {n}" for n in range(8)) + "\n"}, cache
        )
    cache.close()
    with sqlite3.connect(tmp_path / "format-cache.sqlite3") as db:
        (count,) = db.execute("SELECT COUNT(*) FROM pieces").fetchone()
    assert count <= 10


_STATIC_FILES = sorted({*render.STATIC_FILES, *protocols.every_static_file()})


@pytest.mark.parametrize("name", _STATIC_FILES)
def test_our_static_files_under_our_header_are_what_black_makes_of_them(
    tmp_path: Path, name: str
) -> None:
    """`render` takes our static runtime files as they are, without black: hold them to black,
    under the header as a run renders it (with the stand-in for the model's hash)."""
    unit = build_unit(tmp_path, json.loads((FIXTURES / "models" / "kitchen_sink.json").read_text()))
    env = render.environment(SHIPPED)
    header = render._header(unit, SHIPPED, env, render._HASH_STAND_IN)
    assert header.startswith("#") and render._plain_comments(
        render._header(unit, SHIPPED, env, unit.model_hash), header
    )
    source = header + render.static_source(env, name)
    assert black_whole(source) == source
