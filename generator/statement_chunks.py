"""A module cut into runs of top-level statements that black formats, and Python compiles, alike
alone or together.

Black decides every line's layout from that line alone; only the blank lines *between* lines
depend on their neighbours. So a module cut at carefully chosen top-level boundaries, each piece
formatted by itself, joins back into exactly what black makes of the whole, provided the joins
use the blank lines black would have put there. `split` only cuts where those blank lines follow
from a few rules (read from black's `EmptyLineTracker`, and tested against black on whole
files); anywhere else it keeps statements together, and a module it cannot reason about at all
(`# fmt:` directives, form feeds, a syntax error, a module-level `global`) is one piece. A piece
compiles alone, with the module's `__future__` flags, exactly when it compiles in the module.
"""

from __future__ import annotations
import __future__

import ast
import itertools
from dataclasses import dataclass

FORMAT_SCHEME = "pieces-1"
"""Changes whenever `split` cuts modules differently (it keys the format cache and the inputs
digest of manifests)."""

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_IMPORTS = (ast.Import, ast.ImportFrom)


@dataclass(frozen=True)
class Piece:
    text: str
    """Source lines of one or more whole statements, ending with a newline."""
    blank_lines_before: int
    """How many blank lines black puts between the previous piece and this one."""
    in_class: bool = False
    """Whether the statements are members of a class (indented as they are in it): black
    formats them inside a stand-in class header, `CLASS_HEADER`."""


CLASS_HEADER = "class _:\n"


@dataclass(frozen=True)
class Cut:
    pieces: list[Piece]
    compile_flags: int
    """The `__future__` features the module turns on, for compiling a piece by itself."""


def split(source: str) -> Cut:
    """`source` as pieces that format independently; one piece when no cut is safe."""
    whole = Cut([Piece(source, 0)], 0)
    if "fmt:" in source or "\f" in source or "\r" in source:
        return whole
    try:
        statements = ast.parse(source).body
    except SyntaxError:
        return whole  # black, formatting the whole, reports it
    if len(statements) < 2 or any(isinstance(s, ast.Global | ast.Nonlocal) for s in statements):
        return whole
    return Cut(_pieces(source, statements), _future_flags(statements))


def _pieces(source: str, statements: list[ast.stmt]) -> list[Piece]:
    lines = source.splitlines(keepends=True)
    starts: list[tuple[int, int, bool]] = [(1, 0, False)]
    """Where each piece starts: its first line, the blank lines before it, and whether it is
    inside a class."""
    ends: list[int] = []
    for previous, statement in itertools.pairwise(statements):
        blank_lines = _gap(previous, statement, lines)
        if (
            blank_lines is None
            or (previous is statements[0] and _is_string(previous))  # the module docstring's
            or not _may_follow(previous, statement, lines, blank_lines)
        ):
            continue
        # a class is cut inside only when it ends a piece: its last member's piece must hold
        # nothing from outside it
        if isinstance(previous, ast.ClassDef):
            _cut_class(previous, lines, starts, ends)
        ends.append(previous.end_lineno or 0)
        starts.append(
            (_first_line(statement), _blank_lines(previous, statement, blank_lines), False)
        )
    last = statements[-1]
    if isinstance(last, ast.ClassDef) and not "".join(lines[last.end_lineno or 0 :]).strip():
        _cut_class(last, lines, starts, ends)
    ends.append(len(lines))
    return [
        Piece("".join(lines[first - 1 : last]), blank_lines, in_class)
        for (first, blank_lines, in_class), last in zip(starts, ends, strict=True)
    ]


def _cut_class(
    definition: ast.ClassDef,
    lines: list[str],
    starts: list[tuple[int, int, bool]],
    ends: list[int],
) -> None:
    """Cuts between the members of a top-level class, where black's blank lines between them
    follow from the rules for a class body (at most one; one around a definition)."""
    for previous, member in itertools.pairwise(definition.body):
        blank_lines = _gap(previous, member, lines)
        if (
            blank_lines is None
            or _is_string(previous)  # a class docstring has a blank line of its own after it
            or isinstance(previous, _IMPORTS)
            or isinstance(member, _IMPORTS)
            or not _may_follow(previous, member, lines, blank_lines)
        ):
            continue
        ends.append(previous.end_lineno or 0)
        if isinstance(member, _DEFINITIONS) or _ends_inside_definition(previous):
            blank_lines = 1
        starts.append((_first_line(member), min(blank_lines, 1), True))


def _gap(previous: ast.stmt, statement: ast.stmt, lines: list[str]) -> int | None:
    """How many blank lines separate the two statements; None when they share a line or
    anything else (a comment) lies between them."""
    start = _first_line(statement)
    end = previous.end_lineno or 0
    gap = lines[end : start - 1]
    if start <= end or any(line.strip() for line in gap):
        return None
    return len(gap)


def _future_flags(statements: list[ast.stmt]) -> int:
    flags = 0
    for statement in statements:
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            for alias in statement.names:
                feature = getattr(__future__, alias.name, None)
                if isinstance(feature, __future__._Feature):
                    flags |= int(feature.compiler_flag)
    return flags


def join(formatted: list[str], pieces: list[Piece]) -> str:
    """The formatted pieces, as black would have laid out the module they came from."""
    parts = []
    for index, (text, piece) in enumerate(zip(formatted, pieces, strict=True)):
        if index:
            parts.append("\n" * piece.blank_lines_before)
        parts.append(text)
    return "".join(parts)


def _first_line(statement: ast.stmt) -> int:
    if isinstance(statement, _DEFINITIONS) and statement.decorator_list:
        return min(statement.lineno, statement.decorator_list[0].lineno)
    return statement.lineno


def _is_string(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _may_follow(
    previous: ast.stmt, statement: ast.stmt, lines: list[str], blank_lines: int
) -> bool:
    """Whether black lays out `statement` the same after a cut as after `previous`."""
    if _is_string(statement):
        return False  # alone, it would be read as a module docstring
    if isinstance(statement, ast.AsyncFor | ast.AsyncWith):
        return False  # a top-level clause ending in a colon has a rule of its own
    if blank_lines == 0 and isinstance(statement, _DEFINITIONS):
        return False  # black keeps a definition tight against a "stub" (`def f(): ...`)
    last = _deepest_last(previous)
    if last is previous:
        return True
    # a body on its header's line (`def f(): ...`) is a "stub" with rules of its own
    return not lines[last.lineno - 1][: last.col_offset].strip()


def _blank_lines(previous: ast.stmt, statement: ast.stmt, blank_lines: int) -> int:
    """Black's blank lines between the top-level `previous` and `statement`, given how many
    the source had (black's `_maybe_empty_lines`, for the cases `_may_follow` lets through)."""
    if isinstance(statement, _DEFINITIONS):
        return 2
    if _ends_inside_definition(previous):
        return 2
    if isinstance(previous, _IMPORTS) and not isinstance(statement, _IMPORTS):
        return 1
    return min(blank_lines, 2)


def _deepest_last(statement: ast.stmt) -> ast.stmt:
    """The statement of the last line black writes for `statement` (`statement` itself when it
    has no body)."""
    node = statement
    while True:
        block = _last_block(node)
        if not block:
            return node
        node = block[-1]


def _ends_inside_definition(statement: ast.stmt) -> bool:
    """Whether the last line of `statement` is inside a function or class, which black
    remembers until the next top-level line."""
    node = statement
    while True:
        if isinstance(node, _DEFINITIONS):
            return True
        block = _last_block(node)
        if not block:
            return False
        node = block[-1]


def _last_block(node: ast.stmt) -> list[ast.stmt]:
    match node:
        case ast.Try(finalbody=[_, *_] as block) | ast.TryStar(finalbody=[_, *_] as block):
            return block
        case ast.Try(orelse=[_, *_] as block) | ast.TryStar(orelse=[_, *_] as block):
            return block
        case ast.Try(handlers=[*_, handler]) | ast.TryStar(handlers=[*_, handler]):
            return handler.body
        case ast.If(orelse=[_, *_] as block) | ast.For(orelse=[_, *_] as block):
            return block
        case ast.While(orelse=[_, *_] as block) | ast.AsyncFor(orelse=[_, *_] as block):
            return block
        case ast.Match(cases=[*_, case]):
            return case.body
    body = getattr(node, "body", None)
    return body if isinstance(body, list) else []
