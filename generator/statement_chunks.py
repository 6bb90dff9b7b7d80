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
    """Source lines of one or more whole top-level statements, ending with a newline."""
    blank_lines_before: int
    """How many blank lines black puts between the previous piece and this one."""


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
    pieces: list[Piece] = []
    first_line = 1
    blank_before = 0
    for previous, statement in itertools.pairwise(statements):
        start = _first_line(statement)
        gap = lines[previous.end_lineno or 0 : start - 1]
        if (
            start <= (previous.end_lineno or 0)
            or any(line.strip() for line in gap)
            or not _may_follow(previous, statement, lines, len(gap))
            or (first_line == _first_line(statements[0]) and _is_string(statements[0]))
        ):
            continue
        text = "".join(lines[first_line - 1 : previous.end_lineno])
        pieces.append(Piece(text, blank_before))
        blank_before = _blank_lines(previous, statement, len(gap))
        first_line = start
    pieces.append(Piece("".join(lines[first_line - 1 :]), blank_before))
    return pieces


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
    """Whether black lays out `statement` the same after a cut as after `previous`. (The piece
    that opens with a module docstring is never cut after it: the line after one has a rule
    of its own.)"""
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
