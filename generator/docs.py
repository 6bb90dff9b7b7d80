"""Model documentation (HTML in AWS models) to plain text that is safe inside a docstring or comment."""

from __future__ import annotations

import html
import re
import textwrap
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset({"p", "div", "br", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4"})
_CODE_TAGS = frozenset({"code", "tt"})
# Characters that end a line or do nothing visible (C0 and C1 controls but the newline, NEL, the
# Unicode line and paragraph separators): a space keeps the words apart.
_CONTROL_CHARACTERS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Characters a file cannot hold or that make it read differently from what it runs: lone
# surrogates (not encodable as UTF-8), bidirectional controls (text that displays in another
# order than Python reads it), the byte order mark and the noncharacters U+FFFE and U+FFFF.
_UNFIT_CHARACTERS = re.compile(
    "[\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)
# Typographic characters that look like ASCII ones (linters flag them as ambiguous in code):
# AWS documentation writes "doesn\u2019t" with a right single quotation mark.
_LOOKALIKES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2212": "-",
        "\u00d7": "x",
    }
)


def printable(text: str) -> str:
    """`text` fit for a UTF-8 source file: control and line-separating characters but the newline
    become a space; lone surrogates, bidirectional controls, the byte order mark, U+FFFE and
    U+FFFF become U+FFFD (the replacement character)."""
    return _UNFIT_CHARACTERS.sub("\ufffd", _CONTROL_CHARACTERS.sub(" ", text))


def ascii_pattern(ecma: str) -> str:
    """An ECMA 262 pattern as ASCII text: each other character as its `\\uXXXX` escape (astral
    ones as `\\u{XXXXX}`), which means the same under the `u` flag. Shown in generated files,
    a pattern's typographic quotes would read as ASCII ones (and linters flag them)."""
    return "".join(
        (
            character
            if character.isascii()
            else (
                f"\\u{ord(character):04x}"
                if ord(character) < 0x10000
                else f"\\u{{{ord(character):x}}}"
            )
        )
        for character in ecma
    )


def line(text: str) -> str:
    """`text` printable on one line: every run of whitespace, line breaks included, is one space."""
    return " ".join(printable(text).split())


class _TextExtractor(HTMLParser):
    """Collects paragraphs of text; list items become `- ` bullets, `<code>` becomes ``code``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "li":
            self._flush()
            self._current.append("- ")
        elif tag in _CODE_TAGS:
            self._current.append("``")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS or tag == "li":
            self._flush()
        elif tag in _CODE_TAGS:
            self._current.append("``")

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def to_plain_text(documentation: str | None, width: int = 80) -> str:
    """Strip markup, keep paragraphs, wrap lines. The result still needs escaping for its context."""
    if not documentation:
        return ""
    extractor = _TextExtractor()
    extractor.feed(documentation)
    extractor.close()
    paragraphs = [printable(html.unescape(p)).translate(_LOOKALIKES) for p in extractor.paragraphs]
    wrapped = []
    for paragraph in paragraphs:
        indent = "  " if paragraph.startswith("- ") else ""
        wrapped.append(
            textwrap.fill(
                paragraph,
                width=width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n\n".join(wrapped)


def docstring_body(text: str) -> str:
    """Escape text so that it cannot end the docstring around it or start an escape sequence."""
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if escaped.endswith('"'):
        # A final quote would run into the closing `"""` unless it is escaped already, which an
        # odd number of backslashes before it means (an escaped `"""` ends that way).
        before = escaped[:-1]
        if (len(before) - len(before.rstrip("\\"))) % 2 == 0:
            escaped = before + '\\"'
    return escaped


def comment(text: str) -> str:
    """One line of text that is safe after `# `."""
    return line(text)
