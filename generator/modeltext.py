"""Marks for text by where it came from, so that model text can never reach generated code as code.

Every string the loader reads from a model file becomes `ModelText`. The mark travels with it into
the IR, and the template environment (`generator/render.py`) refuses to print a `ModelText`: model
text reaches a generated file only through the escaping filter of its context, whose result is
`Escaped`.

A `str` subclass loses its type under most operations (`"a" + text`, `text.strip()`, `text[1:]`
all return plain `str`), which would let derived model text pass as code. So `ModelText`'s own
operations return `ModelText` again, and the template environment marks whatever a template
derives from model text by any other route (`~`, `%`, filters, method calls). The way round that
fails open is Python code in the generator that formats model text with an f-string or
`str.join`: everything such code makes for templates is either a name (`render.prove_names`
proves each one an identifier) or a literal made by `generator/pyliterals.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


class ModelText(str):
    """Text taken from a model file: data, never code."""

    __slots__ = ()

    def __iter__(self) -> Iterator[str]:
        return (ModelText(char) for char in str.__iter__(self))


class Escaped(str):
    """Text that an escaping filter made safe for one context of a generated file."""

    __slots__ = ()


def plain(text: str) -> str:
    """The characters of `text` as a plain `str`, without a mark (for escaping functions)."""
    return str.__str__(text)


def _mark(result: object) -> Any:
    if isinstance(result, str) and not isinstance(result, ModelText):
        return ModelText(result)
    if isinstance(result, list):
        return [_mark(item) for item in result]
    if isinstance(result, tuple):
        return tuple(_mark(item) for item in result)
    return result


def _keep_mark(name: str) -> Callable[..., Any]:
    method = getattr(str, name)

    def marked(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        return NotImplemented if result is NotImplemented else _mark(result)

    marked.__name__ = name
    return marked


# Every `str` operation whose result holds the text's characters.
_DERIVING = (
    "__add__",
    "__format__",
    "__getitem__",
    "__mod__",
    "__mul__",
    "__repr__",
    "__rmod__",
    "__rmul__",
    "capitalize",
    "casefold",
    "center",
    "expandtabs",
    "format",
    "format_map",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "strip",
    "swapcase",
    "title",
    "translate",
    "upper",
    "zfill",
)
for _name in _DERIVING:
    setattr(ModelText, _name, _keep_mark(_name))


def _radd(self: ModelText, other: object) -> Any:
    if not isinstance(other, str):
        return NotImplemented
    return ModelText(str.__add__(other, self))


ModelText.__radd__ = _radd  # type: ignore[attr-defined]


def is_marked(value: object, depth: int = 4) -> bool:
    """Whether `value` is model text, or a list, tuple, set or dict (keys too) holding some."""
    # Loops, not any() over generators: rendering a whole service asks this 100,000 times.
    if isinstance(value, ModelText):
        return True
    if depth == 0 or isinstance(value, str):
        return False
    if isinstance(value, dict):
        for key, item in value.items():
            if is_marked(key, depth - 1) or is_marked(item, depth - 1):
                return True
        return False
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            if is_marked(item, depth - 1):
                return True
    return False


def derive(result: object, *inputs: object) -> Any:
    """`result`, marked as model text where some input was model text."""
    if not isinstance(result, str | list | tuple) or isinstance(result, Escaped | ModelText):
        return result  # marking would leave it as it is: no need to look at the inputs
    for value in inputs:
        if is_marked(value):
            return _mark(result)
    return result


def mark_document(document: object) -> object:
    """The JSON document with every string in it, object keys too, marked as `ModelText`.

    Walked with a work list: a model's nesting is bounded, but not by this function's caller."""

    def marked(value: object) -> object:
        if isinstance(value, str):
            return ModelText(value)
        if isinstance(value, dict):
            members: dict[str, object] = {}
            work.append((value, members))
            return members
        if isinstance(value, list):
            items: list[object] = []
            work.append((value, items))
            return items
        return value

    work: list[tuple[Any, Any]] = []
    root = marked(document)
    while work:
        source, target = work.pop()
        if isinstance(source, dict):
            for key, value in source.items():
                target[ModelText(key)] = marked(value)
        else:
            target.extend(marked(item) for item in source)
    return root
