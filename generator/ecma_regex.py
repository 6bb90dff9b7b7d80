"""Translate Smithy `@pattern` values (ECMA 262 regular expressions, no flags) into Python `re` syntax.

The two dialects look alike but differ where it matters for validation:

- ECMA `$` matches only at the very end; Python's `$` also matches before a trailing newline.
- ECMA `\\d` and `\\w` are ASCII; Python's match any Unicode digit or letter. ECMA `\\s` is a fixed
  Unicode set that differs from Python's.
- ECMA `.` excludes four line terminators; Python's excludes only `\\n`.
- Python gives meaning to syntax ECMA rejects or reads literally: `\\Z`, `(?P...)`, `{,n}`.

Matching is over code points, as Smithy's `@length` counts them: an astral character is one
character to `.` and to negated classes (ECMA 262 without the `u` flag would see two UTF-16 units).
`\\p{...}` with a Unicode General_Category (`L`, `Lu`, `Letter`, `gc=N`, ...) means what it means
with ECMA's `u` flag, and a UTF-16 surrogate pair of `\\u` escapes is the code point it encodes.

AWS writes its patterns for Java's `java.util.regex` as much as for ECMA 262. Where ECMA gives a
construct no meaning (its `u` flag refuses it) and Java does, the translation follows Java: the
POSIX classes (`\\p{Alnum}`, `\\p{Print}`, ... US-ASCII), `\\p{IsAlphabetic}`-style names and
scripts (`java_classes`), `\\S`, `\\W`, `\\D` and a `-` after them inside classes, inline flags
`(?i)`, `(?s)`, `(?m)` (Java's scope: to the end of the enclosing group), possessive
quantifiers, atomic groups, `\\A`, `\\z`, octal escapes, quantified anchors. What ECMA defines
keeps ECMA's meaning (`\\s`, `.`, `$` outside `(?m)`), as Smithy specifies.

Everything is translated explicitly rather than through flags, so the result means the same thing
whatever flags it is compiled with (Java's `(?i)` becomes Python's scoped `(?ai:...)`: both fold
ASCII letters only). A pattern is refused with `InvalidPattern` when neither dialect accepts it (a
model error), and with `PatternError` when it cannot be translated faithfully: ECMA and Java read
it differently, or it uses what is not supported; the constraint is then left unenforced with a
warning. Nothing is approximated.
"""

from __future__ import annotations

import re

from generator import java_classes, unicode_categories

ECMA_WHITESPACE = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
_WHITESPACE_RANGES: unicode_categories.Ranges = (
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
_LINE_TERMINATORS = "\\n\\r\\u2028\\u2029"
_DIGIT = "0-9"
_WORD = "A-Za-z0-9_"
_DOT = f"[^{_LINE_TERMINATORS}]"
_ANY = "[\\x00-\\U0010ffff]"

_CLASS_ESCAPES = {"d": _DIGIT, "w": _WORD, "s": ECMA_WHITESPACE}
_NEGATED_CLASS_ESCAPES = {
    "D": unicode_categories.complement(((0x30, 0x39),)),
    "W": unicode_categories.complement(((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))),
    "S": unicode_categories.complement(_WHITESPACE_RANGES),
}
_CONTROL_ESCAPES = {"n": "\\n", "r": "\\r", "t": "\\t", "f": "\\x0c", "v": "\\x0b"}
_CONTROL_CODES = {"n": 0x0A, "r": 0x0D, "t": 0x09, "f": 0x0C, "v": 0x0B}
_SYNTAX_CHARACTERS = frozenset("^$\\.*+?()[]{}|/")
_HEX = frozenset("0123456789abcdefABCDEF")
_OCTAL = frozenset("01234567")
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")
_GROUP_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_FLAG_GROUP = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?(?:(\))|:)")
"""`(?flags)` or `(?flags-flags)` (group 3 is the `)`), or the opening of `(?flags:...)`."""

_JAVA_FLAGS = {
    "i": "case-insensitive (ASCII)",
    "s": "dot matches all",
    "m": "multiline",
    "d": "UNIX_LINES changes which characters end a line",
    "u": "UNICODE_CASE folds case as Unicode does",
    "U": "UNICODE_CHARACTER_CLASS makes the classes Unicode",
    "x": "COMMENTS makes whitespace and # comments part of the syntax",
}
_TRANSLATED_FLAGS = frozenset("ism")
_JAVA_ONLY_ESCAPES = {
    "a": "bell",
    "e": "escape",
    "G": "end of the previous match",
    "h": "horizontal whitespace",
    "H": "non-horizontal whitespace",
    "N": "named character",
    "Q": "quotation",
    "E": "end of quotation",
    "R": "linebreak matcher",
    "V": "non-vertical whitespace",
    "X": "grapheme cluster",
    "Z": "end of input but for a final line terminator",
}
"""Escapes that mean something to Java only and are not translated (`\\A`, `\\z` are)."""

_JAVA_LINE_TERMINATOR = "[\\n\\r\\x85\\u2028\\u2029]"
_JAVA_LINE_START = f"(?=[\\x00-\\U0010ffff])(?:(?<![\\x00-\\U0010ffff])|(?<={_JAVA_LINE_TERMINATOR})(?!(?<=\\r)\\n))"
"""Java's `^` under `(?m)`: at the start or after a line terminator (`\\r\\n` is one), never at
the end of input."""
_JAVA_LINE_END = f"(?:\\Z|(?={_JAVA_LINE_TERMINATOR})(?!(?<=\\r)\\n))"
"""Java's `$` under `(?m)`: at the end or before a line terminator (`\\r\\n` is one)."""


MAX_GROUP_DEPTH = 64
"""How deeply a pattern may nest groups. Python's `re` compiles by recursion, two stack frames a
level, in the generator and again when the generated package is imported; AWS patterns nest a few
levels."""


class PatternError(ValueError):
    """The pattern cannot be translated faithfully: what it means is not enforced."""


class InvalidPattern(PatternError):
    """The pattern is a regular expression in neither ECMA 262 nor Java, the dialects AWS
    writes for: the model is wrong."""


def translate(pattern: str) -> str:
    """Return Python `re` source that matches exactly what `pattern` matches under ECMA 262
    (and, where ECMA gives it no meaning, Java)."""
    return _compiled(_Translator(pattern).run())


def _compiled(translated: str) -> str:
    """`translated`, once Python's `re` has accepted it: whatever it refuses, and however it
    fails, is a pattern that cannot be enforced, never an exception of `re`."""
    try:
        re.compile(translated)
    except re.error as error:
        raise PatternError(f"Python cannot compile its translation: {error}") from None
    except (RecursionError, MemoryError, OverflowError) as error:
        raise PatternError(
            f"Python cannot compile its translation ({type(error).__name__})"
        ) from None
    return translated


def plan(pattern: str) -> tuple[str, str]:
    """The Python source and the `re.Pattern` method that together search like ECMA 262.

    `^X$` (no top-level alternative) becomes `X` with `fullmatch`, `^X` becomes `^X` with
    `match`; anything else is searched. All three find a match exactly when the ECMA `search`
    does, and the first two skip trying every start position.
    """
    translator = _Translator(pattern)
    whole = translator.run()
    if anchored_at_start(pattern) and _ends_with_anchor(pattern) and not translator.multiline:
        return translate(pattern[1:-1]), "fullmatch"
    if anchored_at_start(pattern):
        return _compiled(whole), "match"
    return _compiled(whole), "search"


def breaking_plan(pattern: str) -> tuple[str, str, bool]:
    """Like `plan`, and a third item that says whether a match means the value *breaks* the
    pattern.

    For patterns anchored at the start, the source is the negative lookahead of the plan's,
    so that a value that fits (the common case) finds nothing and no `re.Match` is built;
    a value that breaks the pattern finds an empty match. Others are searched as `plan` says.
    """
    source, method = plan(pattern)
    if method == "fullmatch":
        return _compiled(f"(?!(?:{source})\\Z)"), "match", True
    if method == "match":
        return _compiled(f"(?!(?:{source}))"), "match", True
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


class _Level:
    """A group being translated: the Java flags to restore when it closes, and the scoped groups
    (`(?ai:`) opened inside it by inline flags, which `|` and `)` must close first."""

    def __init__(self, saved_flags: frozenset[str]) -> None:
        self.saved_flags = saved_flags
        self.openers: list[str] = []


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.source = pattern
        self.position = 0
        self.output: list[str] = []
        self.can_quantify = False
        self.just_quantified = False
        self.after_anchor = False
        self.depth = 0
        self.flags: frozenset[str] = frozenset()
        self.levels = [_Level(self.flags)]
        self.multiline = False
        """Whether `(?m)` appears: `$` then is not only the end of input."""

    def run(self) -> str:
        while self.position < len(self.source):
            self._atom()
        if self.depth:
            raise InvalidPattern("a group is opened and never closed")
        self.output.append(")" * len(self.levels[0].openers))
        return "".join(self.output)

    def _peek(self, offset: int = 0) -> str:
        index = self.position + offset
        return self.source[index] if index < len(self.source) else ""

    def _emit(self, text: str, *, quantifiable: bool, anchor: bool = False) -> None:
        self.output.append(text)
        self.can_quantify = quantifiable
        self.just_quantified = False
        self.after_anchor = anchor

    def _atom(self) -> None:
        char = self._peek()
        if char == "\\":
            text, _ = self._escape(in_class=False)
            self._emit(text, quantifiable=True, anchor=text in (r"\A", r"\Z"))
        elif char == "[":
            self._emit(self._character_class(), quantifiable=True)
        elif char == "(":
            self._group_open()
        elif char == ")":
            if self.depth == 0:
                raise InvalidPattern(f"unmatched ')' at position {self.position}")
            self.position += 1
            self.depth -= 1
            level = self.levels.pop()
            self.flags = level.saved_flags
            self._emit(")" * len(level.openers) + ")", quantifiable=True)
        elif char == ".":
            self.position += 1
            self._emit(_ANY if "s" in self.flags else _DOT, quantifiable=True)
        elif char == "$":
            self.position += 1
            self._emit(
                _JAVA_LINE_END if "m" in self.flags else r"\Z", quantifiable=False, anchor=True
            )
        elif char == "^":
            self.position += 1
            self._emit(
                _JAVA_LINE_START if "m" in self.flags else "^", quantifiable=False, anchor=True
            )
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
            openers = self.levels[-1].openers
            self._emit(")" * len(openers) + "|" + "".join(openers), quantifiable=False)
        else:
            self.position += 1
            self._emit(re.escape(char), quantifiable=True)

    def _quantifier(self, text: str) -> None:
        if self.after_anchor:
            # Java repeats an anchor like any atom (`^[a-z]*${1,128}`); ECMA refuses it.
            self.output[-1] = f"(?:{self.output[-1]})"
        elif self.just_quantified or not self.can_quantify:
            raise InvalidPattern(
                f"nothing to repeat at position {self.position} (no dialect stacks quantifiers)"
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
                raise InvalidPattern(f"quantifier {text} has its numbers out of order")
        mode = ""
        if self._peek() in ("?", "+"):
            # `?` makes it lazy (ECMA and Java); `+` possessive (Java; Python has the same).
            mode = self._peek()
            self.position += 1
        self.output.append(text + mode)
        self.can_quantify = False
        self.just_quantified = True
        self.after_anchor = False

    def _group_open(self) -> None:
        start = self.position
        rest = self.source[self.position : self.position + 4]
        flags = _FLAG_GROUP.match(self.source, self.position)
        if flags and flags.group(3):
            self._inline_flags(flags.group(1), flags.group(2) or "", start)
            self.position = flags.end()
            return
        self.depth += 1
        if self.depth > MAX_GROUP_DEPTH:
            raise PatternError(
                f"groups nest deeper than {MAX_GROUP_DEPTH} levels at position {self.position}"
            )
        self.levels.append(_Level(self.flags))
        if flags:
            self.position = flags.end()
            opener = self._flag_opener(flags.group(1), flags.group(2) or "", start)
            self._emit(opener or "(?:", quantifiable=False)
            return
        for prefix, python in (
            ("(?:", "(?:"),
            ("(?=", "(?="),
            ("(?!", "(?!"),
            ("(?<=", "(?<="),
            ("(?<!", "(?<!"),
            ("(?>", "(?>"),  # Java's atomic group; Python 3.11 has the same
        ):
            if rest.startswith(prefix):
                self.position += len(prefix)
                self._emit(python, quantifiable=False)
                return
        if rest.startswith("(?<"):
            match = _GROUP_NAME.match(self.source, self.position + 3)
            end = match.end() if match else -1
            if not match or self.source[end : end + 1] != ">" or "$" in match.group(0):
                raise InvalidPattern(f"invalid group name at position {self.position}")
            self.position = end + 1
            self._emit(f"(?P<{match.group(0)}>", quantifiable=False)
            return
        if rest.startswith("(?"):
            raise InvalidPattern(
                f"group syntax {rest[:3]!r} at position {self.position} is neither ECMA 262 nor "
                "Java (Python's (?P...) forms and comments exist in neither)"
            )
        self.position += 1
        self._emit("(", quantifiable=False)

    def _inline_flags(self, on: str, off: str, start: int) -> None:
        """`(?i)`: Java turns the flags on (or, after `-`, off) until the enclosing group closes,
        across its `|` alternatives too; Python's scoped `(?ai:...)` is closed and reopened at
        each `|` to keep the alternatives apart."""
        opener = self._flag_opener(on, off, start)
        if opener:
            self.levels[-1].openers.append(opener)
        self._emit(opener, quantifiable=False)

    def _flag_opener(self, on: str, off: str, start: int) -> str:
        """Set the Java flags and return the Python scoped group that gives the same case
        sensitivity, or "" when that does not change."""
        for letter in on + off:
            if letter not in _JAVA_FLAGS:
                raise InvalidPattern(f"unknown inline flag {letter!r} at position {start}")
            if letter not in _TRANSLATED_FLAGS:
                raise PatternError(
                    f"inline flag ({'?' + letter}) at position {start}: {_JAVA_FLAGS[letter]}"
                )
        before = self.flags
        self.flags = (self.flags | set(on)) - set(off)
        self.multiline = self.multiline or "m" in self.flags
        if ("i" in before) == ("i" in self.flags):
            return ""
        # Java's (?i) folds ASCII letters only (no UNICODE_CASE): so does Python's with `a`.
        return "(?ai:" if "i" in self.flags else "(?-i:"

    def _escape(self, *, in_class: bool) -> tuple[str, int | None]:
        """Read one escape; return its Python source and, for one character, its code point
        (None for a set of characters or an assertion)."""
        start = self.position
        self.position += 1
        char = self._peek()
        if not char:
            raise InvalidPattern("pattern ends with a lone backslash")
        self.position += 1
        if char in _CLASS_ESCAPES:
            body = _CLASS_ESCAPES[char]
            return (body if in_class else f"[{body}]"), None
        if char in "DWS":
            if in_class:
                # A class is a union: the complement's ranges join the others'.
                return _class_body(_NEGATED_CLASS_ESCAPES[char]), None
            return f"[^{_CLASS_ESCAPES[char.lower()]}]", None
        if char in "bB":
            if in_class:
                if char == "B":
                    raise InvalidPattern(
                        f"\\B is not allowed in a character class (position {start})"
                    )
                return "\\x08", 0x08
            return f"(?a:\\{char})", None
        if char in _CONTROL_ESCAPES:
            text = _CONTROL_ESCAPES[char]
            return text, _CONTROL_CODES[char]
        if char == "0":
            return self._octal(start)
        if char.isdigit():
            digits = char
            while self._peek().isdigit():
                digits += self._peek()
                self.position += 1
            if in_class:
                raise PatternError(
                    f"\\{digits} in a character class at position {start} is an octal escape to "
                    "ECMA 262 (Annex B) and an error to Java"
                )
            return f"(?:\\{digits})", None
        if char == "x":
            hex_digits = self.source[self.position : self.position + 2]
            if len(hex_digits) == 2 and all(c in _HEX for c in hex_digits):
                self.position += 2
                return f"\\x{hex_digits}", int(hex_digits, 16)
            if self._peek() == "{":
                raise PatternError(f"\\x{{...}} at position {start} (Java) is not supported")
            raise InvalidPattern(f"\\x at position {start} needs two hex digits")
        if char == "u":
            return self._unicode_escape(start)
        if char == "c":
            letter = self._peek()
            if letter.isascii() and letter.isalpha():
                self.position += 1
                return f"\\x{ord(letter) % 32:02x}", ord(letter) % 32
            raise PatternError(
                f"\\c at position {start} is followed by something other than a letter, which "
                "ECMA 262 and Java read differently"
            )
        if char in "pP":
            spans = self._property(negated=char == "P", start=start)
            return (_class_body(spans) if in_class else f"[{_class_body(spans)}]"), None
        if char == "k" and not in_class and self._peek() == "<":
            match = _GROUP_NAME.match(self.source, self.position + 1)
            end = match.end() if match else -1
            if not match or self.source[end : end + 1] != ">":
                raise InvalidPattern(f"invalid named back-reference at position {start}")
            self.position = end + 1
            return f"(?P={match.group(0)})", None
        if char in "Az" and not in_class:
            # Java's start and end of input; ECMA's `u` flag refuses them.
            return ("\\A" if char == "A" else "\\Z"), None
        if char in _SYNTAX_CHARACTERS or char == "-":
            return "\\" + char, ord(char)
        if char in _JAVA_ONLY_ESCAPES:
            raise PatternError(
                f"\\{char} at position {start} is Java's {_JAVA_ONLY_ESCAPES[char]}, which is not "
                "supported"
            )
        if char.isascii() and char.isalnum():
            raise InvalidPattern(
                f"\\{char} at position {start} is an escape of neither ECMA 262 nor Java "
                "(Python's \\U, \\N and similar have no meaning there)"
            )
        return re.escape(char), ord(char)

    def _octal(self, start: int) -> tuple[str, int]:
        """`\\0`, or `\\0` and one or two octal digits: NUL, or the octal number to ECMA 262
        (Annex B) and Java alike. A third digit ends the number for ECMA and not for Java."""
        digits = ""
        while len(digits) < 3 and self._peek() in _OCTAL:
            digits += self._peek()
            self.position += 1
        if len(digits) == 3 or self._peek() in ("8", "9"):
            raise PatternError(
                f"octal escape at position {start} means one thing to ECMA 262 and another to Java"
            )
        value = int(digits or "0", 8)
        return f"\\x{value:02x}", value

    def _unicode_escape(self, start: int) -> tuple[str, int]:
        """`\\uXXXX`, where a UTF-16 surrogate pair of them (`\\uD83D\\uDE00`) is the one code
        point they encode, as under ECMA's `u` flag and in Java."""
        hex_digits = self.source[self.position : self.position + 4]
        if not (len(hex_digits) == 4 and all(c in _HEX for c in hex_digits)):
            raise InvalidPattern(
                f"\\u at position {start} needs four hex digits (\\u{{...}} needs the u flag, "
                "which Smithy patterns do not have)"
            )
        self.position += 4
        value = int(hex_digits, 16)
        trail = self.source[self.position : self.position + 6]
        if 0xD800 <= value <= 0xDBFF and trail.startswith("\\u"):
            low_digits = trail[2:]
            if len(low_digits) == 4 and all(c in _HEX for c in low_digits):
                low = int(low_digits, 16)
                if 0xDC00 <= low <= 0xDFFF:
                    self.position += 6
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    return _code_point(value), value
        return f"\\u{hex_digits}", value

    def _property(self, *, negated: bool, start: int) -> unicode_categories.Ranges:
        """The code points of `\\p{Name}` or Java's one-letter `\\pL` (or, negated, of
        `\\P{Name}`), the backslash and letter read."""
        if self._peek() == "{":
            end = self.source.find("}", self.position)
            if end < 0:
                raise InvalidPattern(f"\\p{{ at position {start} is never closed")
            name = self.source[self.position + 1 : end]
            self.position = end + 1
        elif self._peek().isascii() and self._peek().isalpha():
            name = self._peek()
            self.position += 1
        else:
            raise InvalidPattern(f"\\p at position {start} names no property")
        try:
            try:
                spans = unicode_categories.ranges(unicode_categories.category(name))
            except unicode_categories.UnknownCategory:
                spans = java_classes.ranges(name)
        except unicode_categories.UnknownCategory as error:
            raise PatternError(f"property escape at position {start}: {error}") from None
        if "i" in self.flags and not _closed_under_ascii_case(spans):
            raise PatternError(
                f"property escape at position {start} under (?i): Java and Python fold its case "
                "differently"
            )
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
            return _ANY if negated else "(?!)"
        parts: list[str] = []
        while True:
            char = self._peek()
            if not char:
                raise InvalidPattern(f"character class opened at position {start} is never closed")
            if char == "]":
                self.position += 1
                break
            item_at = self.position
            text, code = self._class_atom(start)
            if self._peek() != "-" or self._peek(1) in ("]", ""):
                parts.append(text)
                continue
            self.position += 1
            if code is None:
                # `[\w-.]`: ECMA's `u` flag refuses it; ECMA without it (Annex B) and Java
                # both read the `-` as itself.
                parts += [text, "\\-"]
                continue
            end_at = self.position
            end_text, end_code = self._class_atom(start)
            if end_code is None:
                raise PatternError(
                    f"a class escape ends the range at position {end_at}, which ECMA 262 "
                    "(Annex B) reads as a '-' and Java refuses"
                )
            if end_code < code:
                raise InvalidPattern(f"range out of order at position {item_at}")
            parts.append(f"{text}-{end_text}")
        return "[" + ("^" if negated else "") + "".join(parts) + "]"

    def _class_atom(self, class_start: int) -> tuple[str, int | None]:
        char = self._peek()
        if char == "\\":
            return self._escape(in_class=True)
        if char == "[" or self.source.startswith("&&", self.position):
            raise PatternError(
                f"{char * (2 if char == '&' else 1)!r} in the character class at position "
                f"{class_start} is literal to ECMA 262 and a nested class or an intersection "
                "to Java"
            )
        self.position += 1
        # Escaped where Python's class syntax would read it (or warns it someday will).
        return ("\\" + char if char in "\\]^-[&~|" else char), ord(char)


def _code_point(value: int) -> str:
    return f"\\u{value:04x}" if value <= 0xFFFF else f"\\U{value:08x}"


def _class_body(spans: unicode_categories.Ranges) -> str:
    """Ranges as the inside of a Python character class, in escapes so the source stays ASCII."""
    return "".join(
        _code_point(low) if low == high else f"{_code_point(low)}-{_code_point(high)}"
        for low, high in spans
    )


def _closed_under_ascii_case(spans: unicode_categories.Ranges) -> bool:
    """Whether each ASCII letter is in `spans` exactly when its other case is."""

    def inside(code_point: int) -> bool:
        return any(low <= code_point <= high for low, high in spans)

    return all(inside(c) == inside(c ^ 0x20) for c in range(ord("A"), ord("Z") + 1))
