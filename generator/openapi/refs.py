"""Follow `$ref`s: inside a document (`#/components/schemas/Pet`) and to files beside it
(`common.yaml#/Error`, `../shared/pet.json`), never to the network.

A reference names a file relative to the one it is written in, and a JSON pointer in it. Every
file is read once. A file must lie inside the project (the folder holding the configuration), so
an untrusted document cannot make shapesmith read `/etc/passwd`; an `http:` or `https:`
reference is refused rather than fetched (generation never touches the network).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.diagnostics import Diagnostic, json_pointer
from generator.openapi.documents import Document, read_document


@dataclass(frozen=True, order=True)
class Location:
    """Where a value is: a file (as reported) and the JSON pointer of the value in it."""

    file: str
    pointer: str

    def child(self, *parts: str | int) -> Location:
        return Location(self.file, self.pointer + json_pointer(*parts))


class RefProblem(Exception):
    """A `$ref` that cannot be followed; reported at the reference."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def _pointer_parts(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


class Documents:
    """The root document and every file its references reach, read on first use."""

    def __init__(self, root: Document, project: Path) -> None:
        self.root = root
        self._project = project.resolve()
        self._by_display: dict[str, Document] = {root.display: root}
        self._by_path: dict[Path, Document] = {root.path.resolve(): root}
        self.problems: list[Diagnostic] = []

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every file read so far, the root document first."""
        return tuple(document.path for document in self._by_display.values())

    def value(self, location: Location) -> object:
        """The value at `location`; raises KeyError where there is none."""
        node = self._by_display[location.file].content
        for part in _pointer_parts(location.pointer):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise KeyError(location.pointer)
        return node

    def resolve(self, at: Location, reference: object) -> Location:
        """Where the `$ref` written at `at` points."""
        here = at.child("$ref")
        if not isinstance(reference, str):
            raise RefProblem(Diagnostic(at.file, here.pointer, "a $ref must be a string"))
        parts = urlsplit(reference)
        if parts.scheme or parts.netloc:
            raise RefProblem(
                Diagnostic(
                    at.file,
                    here.pointer,
                    f"remote reference {reference!r:.120} refused: shapesmith reads only files "
                    "beside the document, never the network (download it and refer to the file)",
                )
            )
        fragment = unquote(parts.fragment)
        if fragment and not fragment.startswith("/"):
            raise RefProblem(
                Diagnostic(
                    at.file,
                    here.pointer,
                    f"{reference!r:.120}: the part after # must be a JSON pointer (start with /)",
                )
            )
        file = at.file if not parts.path else self._file(at, here, unquote(parts.path))
        target = Location(file, fragment)
        try:
            self.value(target)
        except KeyError:
            raise RefProblem(
                Diagnostic(
                    at.file,
                    here.pointer,
                    f"{reference!r:.120} points to nothing: no {fragment or '/'} in {file}",
                )
            ) from None
        return target

    def _file(self, at: Location, here: Location, relative: str) -> str:
        base = self._by_display[at.file].path.resolve().parent
        path = (base / relative).resolve()
        if not path.is_relative_to(self._project):
            raise RefProblem(
                Diagnostic(
                    at.file,
                    here.pointer,
                    f"{relative!r:.120} is outside the project folder {self._project}; "
                    "referenced files must lie inside it",
                )
            )
        known = self._by_path.get(path)
        if known is not None:
            return known.display
        display = path.relative_to(self._project).as_posix()
        document, problems = read_document(path, display)
        if document is None:
            raise RefProblem(
                Diagnostic(
                    at.file,
                    here.pointer,
                    f"cannot use {relative!r:.120}: "
                    + "; ".join(f"{p.pointer or '/'}: {p.message}" for p in problems[:3]),
                )
            )
        self._by_path[path] = document
        self._by_display[display] = document
        return display

    def follow(self, at: Location) -> tuple[Location, object]:
        """The value at `at` with its `$ref`s followed (a chain of them, cycles refused)."""
        seen = [at]
        node = self.value(at)
        while isinstance(node, dict) and "$ref" in node:
            at = self.resolve(at, node["$ref"])
            if at in seen:
                chain = " -> ".join(f"{loc.file}#{loc.pointer}" for loc in seen)
                raise RefProblem(
                    Diagnostic(
                        seen[0].file, seen[0].pointer, f"$ref cycle that names no value: {chain}"
                    )
                )
            seen.append(at)
            node = self.value(at)
        return at, node
