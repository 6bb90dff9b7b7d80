"""Problems found in user input, reported the way a compiler would: file, location, what and why."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

log = logging.getLogger("shapesmith")


def json_pointer(*parts: str | int) -> str:
    """Build an RFC 6901 JSON pointer from unescaped reference tokens."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is (file plus JSON pointer or line) and what was expected."""

    file: str
    pointer: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        if self.pointer:
            where = f"{where}: {self.pointer}"
        return f"{where}: {self.message}"


class ShapesmithError(Exception):
    """Input the tool cannot work with. Carries every problem found, not just the first."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(set(diagnostics)))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class TemplateBug(RuntimeError):
    """A template produced something that is not Python, or printed model text unescaped: a bug
    in shapesmith's templates, not in the model (a maintainer's template is reported as input,
    see `generator/template_faults.py`)."""


def fail(file: str, pointer: str, message: str) -> ShapesmithError:
    return ShapesmithError([Diagnostic(file, pointer, message)])


class Warnings:
    """What a run leaves out and says so: a feature not supported yet, a constraint that cannot
    be enforced. Generation goes on; under `strict` each one is an error instead."""

    def __init__(self) -> None:
        self._found: list[Diagnostic] = []

    def add(self, file: str, pointer: str, message: str) -> None:
        self._found.append(Diagnostic(file, pointer, message))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self._found)))

    def __len__(self) -> int:
        return len(set(self._found))

    def relocate(self, move: Callable[[list[Diagnostic]], list[Diagnostic]]) -> None:
        """Replace every warning by where `move` says it is (OpenAPI: the document's pointer)."""
        self._found = move(self._found)

    def settle(self, *, strict: bool) -> None:
        """Raise every warning as an error under `strict`; log them otherwise."""
        if strict and self._found:
            raise ShapesmithError(
                Diagnostic(d.file, d.pointer, f"{d.message} (an error under strict)", d.line)
                for d in self._found
            )
        for diagnostic in self:
            log.warning("warning: %s", diagnostic)
