"""Strings that a translated `@pattern` accepts, for the stub's model-built answers.

A sample is made by walking the parse tree Python's own `re` builds from the translated source
(`ecma_regex.plan`): a literal gives itself, a class its most readable member, a repetition its
minimum count (more where the string must reach a minimum length), an alternative the one a
`variant` picks. Lookarounds and anchors give nothing here; callers keep only candidates that
the compiled pattern really accepts, so this never has to be exact, only deterministic.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

MAX_SAMPLE_LENGTH = 65_536
"""Longer samples are not tried: a stub answer that big helps nobody."""

# Preferred characters, most readable first: what a class or a negated class offers.
_READABLE = string.ascii_lowercase + string.ascii_uppercase + string.digits + "-_.:/ "
_POOL = _READABLE + "".join(chr(i) for i in range(0x21, 0x7F) if chr(i) not in _READABLE)
_POOL += "\u00e9\u00fc\u4e2d\U0001f600\t\n"
_CATEGORY_TESTS = {
    c.CATEGORY_DIGIT: re.compile(r"\d"),
    c.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    c.CATEGORY_SPACE: re.compile(r"\s"),
    c.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    c.CATEGORY_WORD: re.compile(r"\w"),
    c.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT))


class _NoSample(Exception):
    """This walk cannot produce a string (an empty class, a construct not walked)."""


def samples(source: str, min_length: int = 0, *, variant: int = 0, tries: int = 8) -> Iterator[str]:
    """Candidate strings for the Python pattern `source`, each at least `min_length` long
    where the walk manages it; candidates for `variant` come first, then those of the next
    `tries - 1` variants. Deterministic: the same arguments give the same candidates."""
    try:
        parsed = _parser.parse(source)
    except (re.error, RecursionError, OverflowError):
        return
    seen: set[str] = set()
    for choice in range(variant, variant + tries):
        for candidate in _candidates(parsed, choice, min_length):
            if candidate not in seen:
                seen.add(candidate)
                yield candidate


def _candidates(parsed: Any, variant: int, min_length: int) -> Iterator[str]:
    base = _walk(parsed, variant, 0)
    if base is None:
        return
    yield base
    missing = min_length - len(base)
    if missing <= 0:
        return
    longer = _walk(parsed, variant, missing)
    if longer is not None:
        yield longer
    if min_length <= MAX_SAMPLE_LENGTH:
        # An unanchored pattern is searched: filler around a match keeps it a match.
        yield base + "a" * missing
        yield "a" * missing + base


def _walk(parsed: Any, variant: int, extra: int) -> str | None:
    walker = _Walker(variant, extra)
    try:
        text = walker.sequence(parsed)
    except (_NoSample, RecursionError):
        return None
    return text if len(text) <= MAX_SAMPLE_LENGTH else None


class _Walker:
    def __init__(self, variant: int, extra: int) -> None:
        self.variant = variant
        """Mixed-radix digits, one per choice met in order; 0 once used up (first choices)."""
        self.extra = extra
        """Characters still to add through repetitions beyond their minimum."""
        self.groups: dict[int, str] = {}
        self.length = 0

    def choose(self, count: int) -> int:
        index = self.variant % count
        self.variant //= count
        return index

    def sequence(self, items: Any) -> str:
        return "".join(self.item(op, argument) for op, argument in items)

    def item(self, op: Any, argument: Any) -> str:
        text = self._item(op, argument)
        self.length += len(text)
        if self.length > MAX_SAMPLE_LENGTH:
            raise _NoSample
        return text

    def _item(self, op: Any, argument: Any) -> str:
        if op is c.LITERAL:
            return chr(argument)
        if op is c.NOT_LITERAL:
            return "a" if argument != ord("a") else "b"
        if op is c.ANY:
            return "a"
        if op is c.IN:
            return self.character(argument)
        if op is c.CATEGORY:
            return self.character([(c.CATEGORY, argument)])
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return ""
        if op is c.SUBPATTERN:
            group, _add_flags, _del_flags, inner = argument
            text = self.sequence(inner)
            if group:
                self.groups[group] = text
            return text
        if op is getattr(c, "ATOMIC_GROUP", None):
            return self.sequence(argument)
        if op is c.BRANCH:
            alternatives = argument[1]
            return self.sequence(alternatives[self.choose(len(alternatives))])
        if op in _REPEATS:
            return self.repeat(*argument)
        if op is c.GROUPREF:
            return self.groups.get(argument, "")
        if op is c.GROUPREF_EXISTS:
            group, yes, no = argument
            return self.sequence(yes if group in self.groups else (no or []))
        raise _NoSample

    def repeat(self, low: int, high: int, inner: Any) -> str:
        if low > MAX_SAMPLE_LENGTH:
            raise _NoSample
        pieces = [self.sequence(inner) for _ in range(low)]
        count = low
        while self.extra > 0 and (high == c.MAXREPEAT or count < high):
            piece = self.sequence(inner)
            if not piece:
                break
            pieces.append(piece)
            self.extra -= len(piece)
            count += 1
        return "".join(pieces)

    def character(self, items: list[tuple[Any, Any]]) -> str:
        offered = _offered(items)
        if not offered:
            raise _NoSample
        return offered[self.choose(len(offered))]


def _offered(items: list[tuple[Any, Any]]) -> list[str]:
    """Members of a character class, readable ones first (a few of each range)."""
    negated = bool(items) and items[0][0] is c.NEGATE
    if negated or any(op is c.CATEGORY for op, _ in items):
        return [char for char in _POOL if _in_class(items, char)]
    chars: list[str] = []
    for op, argument in items:
        if op is c.LITERAL:
            chars.append(chr(argument))
        elif op is c.RANGE:
            low, high = argument
            chars += [ch for ch in _READABLE if low <= ord(ch) <= high]
            chars += [chr(code) for code in range(low, min(high, low + 16) + 1)]
    unique = list(dict.fromkeys(chars))
    return sorted(unique, key=lambda ch: ch not in _READABLE)


def _in_class(items: list[tuple[Any, Any]], char: str) -> bool:
    negated = bool(items) and items[0][0] is c.NEGATE
    found = False
    for op, argument in items[1:] if negated else items:
        if op is c.LITERAL:
            found = ord(char) == argument
        elif op is c.RANGE:
            found = argument[0] <= ord(char) <= argument[1]
        elif op is c.CATEGORY:
            test = _CATEGORY_TESTS.get(argument)
            found = test is not None and test.fullmatch(char) is not None
        if found:
            break
    return found != negated
