"""Problems found in user input, reported the way a compiler would: file, location, what and why."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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


def fail(file: str, pointer: str, message: str) -> ShapesmithError:
    return ShapesmithError([Diagnostic(file, pointer, message)])
