"""Java's names for `\\p{...}` classes, for `@pattern` values AWS wrote for `java.util.regex`.

ECMA 262 knows none of these names (its `u` flag refuses them), so each has one meaning: the one
`java.util.regex.Pattern` documents. The POSIX classes are US-ASCII only, as Java defines them
without the UNICODE_CHARACTER_CLASS flag; `Is` + a binary property, a General_Category or a script
is Unicode. Everything comes from fixed tables (`unicode_categories`, `unicode_properties`), never
from the generating Python's `unicodedata`.
"""

from __future__ import annotations

from generator import unicode_categories, unicode_properties
from generator.unicode_categories import Ranges, UnknownCategory

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = _LOWER.upper()
_DIGITS = "0123456789"
_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

POSIX: dict[str, str] = {
    "Lower": _LOWER,
    "Upper": _UPPER,
    "ASCII": "".join(map(chr, range(0x80))),
    "Alpha": _LOWER + _UPPER,
    "Digit": _DIGITS,
    "Alnum": _LOWER + _UPPER + _DIGITS,
    "Punct": _PUNCT,
    "Graph": _LOWER + _UPPER + _DIGITS + _PUNCT,
    "Print": _LOWER + _UPPER + _DIGITS + _PUNCT + " ",
    "Blank": " \t",
    "Cntrl": "".join(map(chr, range(0x20))) + "\x7f",
    "XDigit": _DIGITS + "abcdefABCDEF",
    "Space": " \t\n\x0b\x0c\r",
}
"""The POSIX classes of `java.util.regex.Pattern` (US-ASCII only), as its documentation lists them."""

_WHITE_SPACE_EXTRA = ((0x09, 0x0D), (0x85, 0x85))

_BINARY_FROM_CATEGORIES: dict[str, tuple[str, ...]] = {
    "LETTER": ("L",),
    "DIGIT": ("Nd",),
    "TITLECASE": ("Lt",),
    "PUNCTUATION": ("P",),
    "CONTROL": ("Cc",),
    "WHITE_SPACE": ("Zs", "Zl", "Zp"),
    "WHITESPACE": ("Zs", "Zl", "Zp"),
}
"""Java's binary properties (`\\p{IsLetter}`; the name after `Is` in any case) that its
`Character` methods define by General_Category: `isLetter`, `isDigit`, `isTitleCase`; White_Space
adds U+0009..U+000D and U+0085 to the separators."""

_BINARY_FROM_DATA = {
    "ALPHABETIC": "Alphabetic",
    "UPPERCASE": "Uppercase",
    "LOWERCASE": "Lowercase",
}
"""Binary properties Java takes from Unicode's derived properties (`Character.isAlphabetic`,
`isUpperCase`, `isLowerCase`: the category plus Other_Alphabetic, Other_Uppercase, ...)."""


def ranges(name: str) -> Ranges:
    """The code points of the Java class `\\p{name}`, or UnknownCategory saying why not."""
    if name in POSIX:
        return unicode_categories.merge([(ord(c), ord(c)) for c in POSIX[name]])
    if name == "LD":  # Character.isLetterOrDigit
        return unicode_categories.merge(
            [*unicode_categories.ranges("L"), *unicode_categories.ranges("Nd")]
        )
    if name == "L1":
        return ((0, 0xFF),)
    if name == "all":
        return ((0, unicode_categories.LAST_CODE_POINT),)
    key, equals, value = name.partition("=")
    if equals and key.lower() in ("sc", "script"):
        return unicode_properties.script(value)
    if name.startswith("Is"):
        return _is_name(name[2:])
    raise UnknownCategory(
        f"{name!r} is neither a Unicode General_Category nor a class java.util.regex knows "
        "(blocks, javaXxx and Unicode-aware POSIX classes are not supported)"
    )


def _is_name(name: str) -> Ranges:
    """`\\p{Is<name>}`: Java looks the name up as a binary property, then as a category, then as
    a script."""
    upper = name.upper()
    if upper in _BINARY_FROM_CATEGORIES:
        spans = [
            span
            for category in _BINARY_FROM_CATEGORIES[upper]
            for span in unicode_categories.ranges(category)
        ]
        if upper in ("WHITE_SPACE", "WHITESPACE"):
            spans += _WHITE_SPACE_EXTRA
        return unicode_categories.merge(spans)
    if upper in _BINARY_FROM_DATA:
        return unicode_properties.binary(_BINARY_FROM_DATA[upper])
    if name in POSIX:
        raise UnknownCategory(
            f"'Is{name}' mixes Java's Unicode and POSIX lookups; write \\p{{{name}}} instead"
        )
    if name in unicode_categories.GROUPS or name in unicode_categories.short_names():
        return unicode_categories.ranges(name)
    return unicode_properties.script(name)
