"""Unicode General_Category ranges for `\\p{...}` and `\\P{...}` in `@pattern` values.

Python's `re` has no property escapes, so a pattern like `[\\p{L}\\p{N}_.:/=+\\-@]*` (AWS uses it
for tag keys) is translated into explicit code point ranges. They come from a table committed in
`data/unicode-categories.json` rather than from the running interpreter's `unicodedata`, so the
generated code is the same whatever Python version generates it. Rebuild the table (with a Python
whose `unicodedata` has the Unicode version you want) by running `python -m
generator.unicode_categories`; tests check it against `unicodedata` when the versions agree.
"""

from __future__ import annotations

import functools
import json
import sys
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

TABLE = "data/unicode-categories.json"

# One-letter groups of the two-letter categories, as Unicode defines them (LC: cased letters).
GROUPS = {
    "L": ("Lu", "Ll", "Lt", "Lm", "Lo"),
    "LC": ("Lu", "Ll", "Lt"),
    "M": ("Mn", "Mc", "Me"),
    "N": ("Nd", "Nl", "No"),
    "P": ("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"),
    "S": ("Sm", "Sc", "Sk", "So"),
    "Z": ("Zs", "Zl", "Zp"),
    "C": ("Cc", "Cf", "Cs", "Co", "Cn"),
}
# Long names (PropertyValueAliases.txt) for the short ones.
LONG_NAMES = {
    "Letter": "L",
    "Cased_Letter": "LC",
    "Uppercase_Letter": "Lu",
    "Lowercase_Letter": "Ll",
    "Titlecase_Letter": "Lt",
    "Modifier_Letter": "Lm",
    "Other_Letter": "Lo",
    "Mark": "M",
    "Combining_Mark": "M",
    "Nonspacing_Mark": "Mn",
    "Spacing_Mark": "Mc",
    "Enclosing_Mark": "Me",
    "Number": "N",
    "Decimal_Number": "Nd",
    "digit": "Nd",
    "Letter_Number": "Nl",
    "Other_Number": "No",
    "Punctuation": "P",
    "punct": "P",
    "Connector_Punctuation": "Pc",
    "Dash_Punctuation": "Pd",
    "Open_Punctuation": "Ps",
    "Close_Punctuation": "Pe",
    "Initial_Punctuation": "Pi",
    "Final_Punctuation": "Pf",
    "Other_Punctuation": "Po",
    "Symbol": "S",
    "Math_Symbol": "Sm",
    "Currency_Symbol": "Sc",
    "Modifier_Symbol": "Sk",
    "Other_Symbol": "So",
    "Separator": "Z",
    "Space_Separator": "Zs",
    "Line_Separator": "Zl",
    "Paragraph_Separator": "Zp",
    "Other": "C",
    "Control": "Cc",
    "cntrl": "Cc",
    "Format": "Cf",
    "Surrogate": "Cs",
    "Private_Use": "Co",
    "Unassigned": "Cn",
}
LAST_CODE_POINT = 0x10FFFF

Ranges = tuple[tuple[int, int], ...]


class UnknownCategory(ValueError):
    """Not a General_Category value this table knows (scripts and other properties included)."""


def category(name: str) -> str:
    """The short name of a General_Category written as ECMA 262 allows: `L`, `Letter`,
    `gc=L`, `General_Category=Letter`."""
    key, equals, value = name.partition("=")
    if equals:
        if key not in ("gc", "General_Category"):
            raise UnknownCategory(f"{name!r} is not a General_Category (only those are supported)")
        name = value
    short = LONG_NAMES.get(name, name)
    if short not in GROUPS and short not in _categories():
        raise UnknownCategory(f"{name!r} is not a Unicode General_Category")
    return short


def ranges(short_name: str) -> Ranges:
    """The inclusive code point ranges of a category (short name), sorted and merged."""
    members = GROUPS.get(short_name, (short_name,))
    categories = _categories()
    return merge([(low, high) for name in members for low, high in categories[name]])


def merge(spans: list[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def complement(spans: Ranges) -> Ranges:
    gaps: list[tuple[int, int]] = []
    next_low = 0
    for low, high in spans:
        if low > next_low:
            gaps.append((next_low, low - 1))
        next_low = high + 1
    if next_low <= LAST_CODE_POINT:
        gaps.append((next_low, LAST_CODE_POINT))
    return tuple(gaps)


def short_names() -> frozenset[str]:
    """The two-letter categories of the table (`Lu`, `Nd`, ...)."""
    return frozenset(_categories())


def unicode_version() -> str:
    return str(_table()["unicode_version"])


def _categories() -> dict[str, list[list[int]]]:
    categories: dict[str, list[list[int]]] = _table()["categories"]
    return categories


@functools.cache
def _table() -> dict[str, Any]:
    text = resources.files("generator").joinpath(TABLE).read_text("utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


def build_table() -> dict[str, object]:
    """The table for the running interpreter's `unicodedata`."""
    spans: dict[str, list[list[int]]] = {}
    current, start = unicodedata.category("\0"), 0
    for code_point in range(1, LAST_CODE_POINT + 2):
        name = unicodedata.category(chr(code_point)) if code_point <= LAST_CODE_POINT else ""
        if name != current:
            spans.setdefault(current, []).append([start, code_point - 1])
            current, start = name, code_point
    return {
        "unicode_version": unicodedata.unidata_version,
        "categories": dict(sorted(spans.items())),
    }


def main() -> int:
    target = Path(__file__).resolve().parent / TABLE
    table = build_table()
    lines = [
        "{",
        f'  "unicode_version": {json.dumps(table["unicode_version"])},',
        '  "categories": {',
    ]
    categories: dict[str, list[list[int]]] = table["categories"]  # type: ignore[assignment]
    for index, (name, spans) in enumerate(categories.items()):
        comma = "," if index < len(categories) - 1 else ""
        lines.append(f"    {json.dumps(name)}: {json.dumps(spans, separators=(',', ':'))}{comma}")
    lines += ["  }", "}", ""]
    target.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {target} (Unicode {table['unicode_version']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
