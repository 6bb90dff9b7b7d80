"""Smithy names for OpenAPI things: shape names from schema names, titles and operationIds,
member names from property and parameter names (which may be any text)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+")
_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_CAMEL_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def pascal(text: str, fallback: str) -> str:
    """`find pets`, `find_pets`, `findPets` -> `FindPets`; a name starting with a digit gets
    `fallback` before it, and text without letters or digits is `fallback`."""
    words = [w for part in _WORD.findall(text) for w in _CAMEL_BREAK.split(part)]
    name = "".join(word[:1].upper() + word[1:] for word in words)
    if not name:
        return fallback
    return name if name[0].isalpha() else fallback + name


def member_name(text: str) -> str:
    """A Smithy member name for a property or parameter: the text itself where it is one."""
    if _IDENTIFIER.match(text):
        return text
    words: list[str] = _WORD.findall(text)
    if not words:
        return "member"
    name = words[0] + "".join(word[:1].upper() + word[1:] for word in words[1:])
    return name if name[0].isalpha() else "m" + name


def namespace(title: str) -> str:
    words = [word.lower() for word in _WORD.findall(title)]
    return ".".join(word if word[0].isalpha() else "n" + word for word in words) or "api"


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name2`, `name3`... whichever is not yet in `taken` (compared ignoring case,
    as Smithy does); the result is added to `taken`."""
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{name}{number}"
    taken.add(candidate.lower())
    return candidate
