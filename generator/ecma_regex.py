"""Translate Smithy `@pattern` values (ECMA 262 regular expressions, no flags) into Python `re` syntax.

The two dialects look alike but differ where it matters for validation:

- ECMA `$` matches only at the very end; Python's `$` also matches before a trailing newline.
- ECMA `\\d` and `\\w` are ASCII; Python's match any Unicode digit or letter. ECMA `\\s` is a fixed
  Unicode set that differs from Python's.
- ECMA `.` excludes four line terminators; Python's excludes only `\\n`.
- Python gives meaning to syntax ECMA rejects or reads literally: `\\A`, `\\Z`, `(?i)`, `(?P...)`,
  possessive `*+`, `{,n}`.

Matching is over code points, as Smithy's `@length` counts them: an astral character is one
character to `.` and to negated classes (ECMA 262 without the `u` flag would see two UTF-16 units).

Everything is translated explicitly rather than through flags, so the result means the same thing
whatever flags it is compiled with. Patterns that use ECMA features with no faithful Python
equivalent are refused with a reason instead of being approximated.

One extension: `\\p{...}` and `\\P{...}` with a Unicode General_Category (`L`, `Lu`, `Letter`,
`gc=N`, ...) mean what they mean with ECMA's `u` flag and in Java, whose regexes AWS services
validate with: AWS models use them (`[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*` for tags). Without the flag ECMA
would read `\\p` as a plain `p`, which no model means. They become explicit code point ranges from
the table in `unicode_categories` (a fixed Unicode version, so output does not depend on the
Python that generates it).
"""

from __future__ import annotations

import re

from generator import unicode_categories

ECMA_WHITESPACE = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
_LINE_TERMINATORS = "\\n\\r\\u2028\\u2029"
_DIGIT = "0-9"
_WORD = "A-Za-z0-9_"

_CLASS_ESCAPES = {"d": _DIGIT, "w": _WORD, "s": ECMA_WHITESPACE}
_CONTROL_ESCAPES = {"n": "\\n", "r": "\\r", "t": "\\t", "f": "\\x0c", "v": "\\x0b"}
_SYNTAX_CHARACTERS = frozenset("^$\\.*+?()[]{}|/")
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")
_GROUP_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")


MAX_GROUP_DEPTH = 64
"""How deeply a pattern may nest groups. Python's `re` compiles by recursion, two stack frames a
level, in the generator and again when the generated package is imported; AWS patterns nest a few
levels."""


class PatternError(ValueError):
    """The pattern is not valid ECMA 262, or uses a feature that has no faithful translation."""


def translate(pattern: str) -> str:
    """Return Python `re` source that matches exactly what `pattern` matches under ECMA 262."""
    translated = _Translator(pattern).run()
    try:
        re.compile(translated)
    except re.error as error:
        raise PatternError(f"not a valid regular expression: {error}") from None
    return translated


def plan(pattern: str) -> tuple[str, str]:
    """The Python source and the `re.Pattern` method that together search like ECMA 262.

    `^X$` (no top-level alternative) becomes `X` with `fullmatch`, `^X` becomes `^X` with
    `match`; anything else is searched. All three find a match exactly when the ECMA `search`
    does, and the first two skip trying every start position.
    """
    if anchored_at_start(pattern) and _ends_with_anchor(pattern):
        return translate(pattern[1:-1]), "fullmatch"
    if anchored_at_start(pattern):
        return translate(pattern), "match"
    return translate(pattern), "search"


def breaking_plan(pattern: str) -> tuple[str, str, bool]:
    """Like `plan`, and a third item that says whether a match means the value *breaks* the
    pattern.

    For patterns anchored at the start, the source is the negative lookahead of the plan's,
    so that a value that fits (the common case) finds nothing and no `re.Match` is built;
    a value that breaks the pattern finds an empty match. Others are searched as `plan` says.
    """
    source, method = plan(pattern)
    if method == "fullmatch":
        return f"(?!(?:{source})\\Z)", "match", True
    if method == "match":
        return f"(?!(?:{source}))", "match", True
    return source, method, False


def _ends_with_anchor(pattern: str) -> bool:
    """Whether the last `$` is an unescaped end anchor (an escaped one is `\\$`)."""
    if not pattern.endswith("$"):
        return False
    backslashes = len(pattern[:-1]) - len(pattern[:-1].rstrip("\\"))
    return backslashes % 2 == 0 and len(pattern) >= 2


def anchored_at_start(pattern: str) -> bool:
    """Whether every match must start at position 0 (`^` first, no top-level alternative).

    For such patterns `re.match` finds exactly what `re.search` finds, without trying the
    other start positions first.
    """
    if not pattern.startswith("^"):
        return False
    depth = 0
    in_class = False
    escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return True


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.source = pattern
        self.position = 0
        self.output: list[str] = []
        self.can_quantify = False
        self.just_quantified = False
        self.depth = 0

    def run(self) -> str:
        while self.position < len(self.source):
            self._atom()
        return "".join(self.output)

    def _peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.source[index] if index < len(self.source) else ""

    def _emit(self, text: str, *, quantifiable: bool) -> None:
        self.output.append(text)
        self.can_quantify = quantifiable
        self.just_quantified = False

    def _atom(self) -> None:
        char = self._peek()
        if char == "\\":
            self._emit(self._escape(in_class=False), quantifiable=True)
        elif char == "[":
            self._emit(self._character_class(), quantifiable=True)
        elif char == "(":
            self._group_open()
        elif char == ")":
            self.position += 1
            self.depth -= 1
            self._emit(")", quantifiable=True)
        elif char == ".":
            self.position += 1
            self._emit(f"[^{_LINE_TERMINATORS}]", quantifiable=True)
        elif char == "$":
            self.position += 1
            self._emit(r"\Z", quantifiable=False)
        elif char == "^":
            self.position += 1
            self._emit("^", quantifiable=False)
        elif char in "*+?":
            self._quantifier(char)
        elif char == "{":
            match = _QUANTIFIER.match(self.source, self.position)
            if match:
                self._quantifier(match.group(0))
            else:
                self.position += 1
                self._emit(r"\{", quantifiable=True)
        elif char == "}":
            self.position += 1
            self._emit(r"\}", quantifiable=True)
        elif char == "|":
            self.position += 1
            self._emit("|", quantifiable=False)
        else:
            self.position += 1
            self._emit(re.escape(char), quantifiable=True)

    def _quantifier(self, text: str) -> None:
        if self.just_quantified or not self.can_quantify:
            raise PatternError(
                f"nothing to repeat at position {self.position} (ECMA 262 has no possessive "
                "or stacked quantifiers)"
            )
        self.position += len(text)
        if text.startswith("{"):
            match = _QUANTIFIER.fullmatch(text)
            assert match is not None
            low, high = match.group(1), match.group(3)
            if max(len(low), len(high or "")) > 9:
                # Python's `re` repeats at most 4,294,967,295 times (and converting a much
                # longer number to int would fail on its own).
                raise PatternError(f"quantifier {text[:20]}... is too large")
            if match.group(2) and high and int(high) < int(low):
                raise PatternError(f"quantifier {text} has its numbers out of order")
        lazy = ""
        if self._peek() == "?":
            self.position += 1
            lazy = "?"
        self.output.append(text + lazy)
        self.can_quantify = False
        self.just_quantified = True

    def _group_open(self) -> None:
        self.depth += 1
        if self.depth > MAX_GROUP_DEPTH:
            raise PatternError(
                f"groups nest deeper than {MAX_GROUP_DEPTH} levels at position {self.position}"
            )
        rest = self.source[self.position : self.position + 4]
        for prefix, python in (
            ("(?:", "(?:"),
            ("(?=", "(?="),
            ("(?!", "(?!"),
            ("(?<=", "(?<="),
            ("(?<!", "(?<!"),
        ):
            if rest.startswith(prefix):
                self.position += len(prefix)
                self._emit(python, quantifiable=False)
                return
        if rest.startswith("(?<"):
            match = _GROUP_NAME.match(self.source, self.position + 3)
            end = match.end() if match else -1
            if not match or self.source[end : end + 1] != ">" or "$" in match.group(0):
                raise PatternError(f"invalid group name at position {self.position}")
            self.position = end + 1
            self._emit(f"(?P<{match.group(0)}>", quantifiable=False)
            return
        if rest.startswith("(?"):
            raise PatternError(
                f"group syntax {rest[:3]!r} at position {self.position} is not ECMA 262 "
                "(inline flags, atomic groups and Python's (?P...) forms do not exist there)"
            )
        self.position += 1
        self._emit("(", quantifiable=False)

    def _escape(self, *, in_class: bool) -> str:
        start = self.position
        self.position += 1
        char = self._peek()
        if not char:
            raise PatternError("pattern ends with a lone backslash")
        self.position += 1
        if char in _CLASS_ESCAPES:
            body = _CLASS_ESCAPES[char]
            return body if in_class else f"[{body}]"
        if char in "DWS":
            if in_class:
                raise PatternError(
                    f"\\{char} inside a character class at position {start} cannot be translated "
                    "faithfully; spell the set out"
                )
            return f"[^{_CLASS_ESCAPES[char.lower()]}]"
        if char in "bB":
            if in_class:
                if char == "B":
                    raise PatternError(
                        f"\\B is not allowed in a character class (position {start})"
                    )
                return "\\x08"
            return f"(?a:\\{char})"
        if char in _CONTROL_ESCAPES:
            return _CONTROL_ESCAPES[char]
        if char == "0" and not self._peek().isdigit():
            return "\\x00"
        if char.isdigit():
            digits = char
            while self._peek().isdigit():
                digits += self._peek()
                self.position += 1
            if in_class:
                raise PatternError(f"octal escape \\{digits} at position {start} is not supported")
            return f"(?:\\{digits})"
        if char == "x":
            hex_digits = self.source[self.position : self.position + 2]
            if len(hex_digits) == 2 and all(c in "0123456789abcdefABCDEF" for c in hex_digits):
                self.position += 2
                return f"\\x{hex_digits}"
            raise PatternError(f"\\x at position {start} needs two hex digits")
        if char == "u":
            hex_digits = self.source[self.position : self.position + 4]
            if len(hex_digits) == 4 and all(c in "0123456789abcdefABCDEF" for c in hex_digits):
                self.position += 4
                return f"\\u{hex_digits}"
            raise PatternError(
                f"\\u at position {start} needs four hex digits (\\u{{...}} needs the u flag, "
                "which Smithy patterns do not have)"
            )
        if char == "c":
            letter = self._peek()
            if letter.isascii() and letter.isalpha():
                self.position += 1
                return f"\\x{ord(letter) % 32:02x}"
            raise PatternError(f"\\c at position {start} must be followed by a letter")
        if char in "pP" and self._peek() == "{":
            spans = self._property(negated=char == "P", start=start)
            return _class_body(spans) if in_class else f"[{_class_body(spans)}]"
        if char == "k" and not in_class and self._peek() == "<":
            match = _GROUP_NAME.match(self.source, self.position + 1)
            end = match.end() if match else -1
            if not match or self.source[end : end + 1] != ">":
                raise PatternError(f"invalid named back-reference at position {start}")
            self.position = end + 1
            return f"(?P={match.group(0)})"
        if char in _SYNTAX_CHARACTERS or char == "-":
            return "\\" + char
        if char.isascii() and char.isalnum():
            raise PatternError(
                f"\\{char} at position {start} is not an ECMA 262 escape (Python's \\A, \\Z and "
                "similar have no meaning there)"
            )
        return re.escape(char)

    def _property(self, *, negated: bool, start: int) -> unicode_categories.Ranges:
        """The code points of `\\p{Name}` (or, negated, of `\\P{Name}`), the backslash and letter
        read; the position is on the `{`."""
        end = self.source.find("}", self.position)
        if end < 0:
            raise PatternError(f"\\p{{ at position {start} is never closed")
        name = self.source[self.position + 1 : end]
        self.position = end + 1
        try:
            spans = unicode_categories.ranges(unicode_categories.category(name))
        except unicode_categories.UnknownCategory as error:
            raise PatternError(f"property escape at position {start}: {error}") from None
        return unicode_categories.complement(spans) if negated else spans

    def _character_class(self) -> str:
        start = self.position
        self.position += 1
        negated = self._peek() == "^"
        if negated:
            self.position += 1
        if self._peek() == "]":
            # ECMA: `[]` matches nothing and `[^]` matches any character; Python rejects both.
            self.position += 1
            return "[\\s\\S]" if negated else "(?!)"
        parts: list[str] = []
        while True:
            char = self._peek()
            if not char:
                raise PatternError(f"character class opened at position {start} is never closed")
            if char == "]":
                self.position += 1
                break
            if char == "\\" and self._peek(1) in ("p", "P") and self._peek(2) == "{":
                escape_at = self.position
                if parts and parts[-1] == "-" and len(parts) > 1:
                    raise PatternError(
                        f"a property escape cannot end a range (position {escape_at})"
                    )
                parts.append(self._escape(in_class=True))
                if self._peek() == "-" and self._peek(1) not in ("]", ""):
                    raise PatternError(
                        f"a property escape cannot start a range (position {escape_at})"
                    )
            elif char == "\\":
                parts.append(self._escape(in_class=True))
            elif char in "[&~|":
                # Literal in ECMA; Python reserves doubled forms for future set operations.
                self.position += 1
                parts.append("\\" + char)
            else:
                self.position += 1
                parts.append(char)
        return "[" + ("^" if negated else "") + "".join(parts) + "]"


def _code_point(value: int) -> str:
    return f"\\u{value:04x}" if value <= 0xFFFF else f"\\U{value:08x}"


def _class_body(spans: unicode_categories.Ranges) -> str:
    """Ranges as the inside of a Python character class, in escapes so the source stays ASCII."""
    return "".join(
        _code_point(low) if low == high else f"{_code_point(low)}-{_code_point(high)}"
        for low, high in spans
    )
