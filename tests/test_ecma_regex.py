"""The ECMA 262 -> Python translation of `@pattern`, checked against a real ECMA 262 engine.

Node.js (V8) is the reference: the same patterns and strings go through `RegExp.prototype.test`
and through our translation with `re.search`, and the verdicts must be identical.

Like Smithy's `@length`, patterns see code points, not UTF-16 code units, so V8 runs with the
`u` flag wherever the pattern is valid under it (its other effects do not change what these
patterns match). Patterns that need Annex B syntax (`a{,3}`) run without it, on BMP text only.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import types
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import ecma_regex, unicode_categories
from generator.ecma_regex import PatternError, breaking_plan, plan, translate

PATTERNS = [
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    r"^[0-9A-Za-z\.\-_]*$",
    r"^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$",
    r"^\S*$",
    r"^[a-zA-Z0-9-_]+$",
    r"^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$",
    r"\w+",
    r"^\w+$",
    r"\bcat\b",
    r"a.c",
    r"^\s+$",
    r"[^]",
    r"^[]$",
    r"x{2,}",
    r"a{,3}",
    r"(?<y>\d{4})-\k<y>",
    r"\u00e9+",
    r"\x41\cJ",
    r"^(?=.*\d)(?!.*\s).{3,}$",
    r"[\d-z]",
    r"^$",
    r"(a|b)*c",
    r"[\w.]+@[\w.]+",
    r"\D\W",
    r"^a|b",
    r"^(a|b)c",
    r"^[|]x|y",
    r"^ab\$",
    r"^a\\$",
    r"^(a$)",
    r"^$",
    r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$",
    r"\P{L}",
    r"^\p{Lu}",
    r"[^\p{N}\s]",
    r"^\p{General_Category=Decimal_Number}+$",
    # What AWS writes for Java and ECMA reads the same way (with the `u` flag, or Annex B)
    r"^[\s\S]+$",
    r"[ \S]",
    r"^[^\W]+$",
    r"^[\D]+$",
    r"[^\S]",
    r"\uD83D\uDE00",
    r"^[\uD800\uDC00-\uDBFF\uDFFF]+$",
    r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]+$",
    r"^\p{Script=Greek}+$",
    r"\p{sc=Latn}",
    r"^[\w-.~]+$",
    r"^[^/:|\000-\037]+$",
    r"\012",
]

ALPHABET = st.sampled_from(
    [
        *"aAzZ09_-.:/ \t\n\r\v\f@=+,{}[]()",
        "\u00a0",
        "\u2028",
        "\u2029",
        "\ufeff",
        "\u0663",
        "\u00e9",
        "\u212a",
        "\u017f",
        "\U0001f600",
        "\u01c5",
        "\u216b",
        "\u00b2",
        "\u4e2d",
        "\u00d6",
        "\x00",
        "\x1f",
        "\u03b1",
        "\U0001d400",
    ]
)
STRINGS = st.text(alphabet=ALPHABET, max_size=14)


def node_verdicts(cases: list[tuple[str, str]]) -> list[bool | None]:
    """V8's verdict per case, or None where the case is outside what the comparison covers."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: it is the ECMA 262 reference engine for this test")
    script = r"""
        const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const compile = (p) => { try { return new RegExp(p, 'u'); } catch { return new RegExp(p); } };
        const verdicts = cases.map(([p, s]) => {
            const r = compile(p);
            if (!r.unicode && /[\u{10000}-\u{10FFFF}]/u.test(s)) return null;
            return r.test(s);
        });
        process.stdout.write(JSON.stringify(verdicts));
    """
    result = subprocess.run(
        [node, "-e", script],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    verdicts: list[bool | None] = json.loads(result.stdout)
    return verdicts


@settings(max_examples=25, deadline=None)
@given(st.lists(STRINGS, min_size=20, max_size=40))
def test_translation_agrees_with_v8(strings: list[str]) -> None:
    # Lone surrogates cannot cross JSON to node faithfully; Hypothesis' text() never makes them.
    cases = [(pattern, text) for pattern in PATTERNS for text in strings]
    expected = node_verdicts(cases)
    compiled = {pattern: re.compile(translate(pattern)) for pattern in PATTERNS}
    for (pattern, text), verdict in zip(cases, expected, strict=True):
        if verdict is None:
            continue
        source, method = plan(pattern)
        planned = getattr(re.compile(source), method)
        assert (planned(text) is not None) == verdict, (pattern, text, method)
        source, method, found_means_broken = breaking_plan(pattern)
        breaking = getattr(re.compile(source), method)
        found = breaking(text) is not None
        assert found != verdict if found_means_broken else found == verdict, (pattern, text)
        assert (compiled[pattern].search(text) is not None) == verdict, (pattern, text)


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"^abc$", "abc\n", False),  # Python's $ would match before the newline
        (r"^\d$", "\u0663", False),  # Python's \d is Unicode
        (r"^\w$", "\u00e9", False),  # Python's \w is Unicode
        (r"^\s$", "\u00a0", True),
        (r"^\s$", "\u0085", False),  # NEL is whitespace to Python, not to ECMA
        (r"^.$", "\r", False),
        (r"^.$", "\u2028", False),
        (r"^.$", "\x85", True),
        (r"b", "abc", True),  # not anchored: search, not match
    ],
)
def test_python_only_behaviour_is_not_inherited(pattern: str, text: str, matches: bool) -> None:
    assert (re.search(translate(pattern), text) is not None) is matches
    # The form generated validators use: for anchored patterns, a match means "broken".
    source, method, found_means_broken = breaking_plan(pattern)
    found = getattr(re.compile(source), method)(text) is not None
    assert found is (not matches if found_means_broken else matches)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(", "a group is opened and never closed"),
        ("a)", "unmatched ')' at position 1"),
        ("a**", "nothing to repeat"),
        ("a*?+", "nothing to repeat"),
        ("(*a)", "nothing to repeat"),
        ("(?P<n>a)", "neither ECMA 262 nor Java"),
        ("(?#comment)", "neither ECMA 262 nor Java"),
        ("(?a)abc", "unknown inline flag 'a'"),
        (r"\U0001F600", "an escape of neither ECMA 262 nor Java"),
        (r"\p", "names no property"),
        (r"\p{L", "never closed"),
        ("[a-", "never closed"),
        ("[z-a]", "range out of order"),
        ("a{3,1}", "out of order"),
        ("\\", "lone backslash"),
        (r"\xZZ", "needs two hex digits"),
        (r"\u12", "needs four hex digits"),
    ],
)
def test_what_no_dialect_accepts_is_invalid(pattern: str, reason: str) -> None:
    with pytest.raises(ecma_regex.InvalidPattern, match=re.escape(reason)):
        translate(pattern)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"abc\Z", "Java's end of input but for a final line terminator"),
        (r"\Qa.b\E", "Java's quotation"),
        (r"\h", "Java's horizontal whitespace"),
        ("(?x)a b", "COMMENTS"),
        ("(?u)a", "UNICODE_CASE"),
        ("[a&&b]", "intersection"),
        ("[a[b]]", "nested class"),
        (r"[a-\d]", "a class escape ends the range"),
        (r"\0123", "one thing to ECMA 262 and another to Java"),
        (r"[\1]", "octal escape to ECMA 262"),
        (r"\c1", "\\c at position 0"),
        (r"\x{41}", "(Java) is not supported"),
        (r"\p{InGreek}", "blocks"),
        (r"\p{Greek}", "neither a Unicode General_Category nor a class java.util.regex knows"),
        (r"\p{IsPrint}", "write \\p{Print} instead"),
        (r"\p{IsKlingon}", "not a Unicode script"),
        (r"(?i)\p{Lu}", "under (?i)"),
        (r"(?i)\p{Lower}", "under (?i)"),
        ("(?<=a+)b", "Python cannot compile its translation"),
        ("(" * 3000 + "a" + ")" * 3000, "groups nest deeper than 64 levels at position 64"),
        ("(?:" * 65 + ")" * 65, "groups nest deeper than 64 levels"),
        ("a{" + "1" * 5000 + "}", "is too large"),
        ("a{1," + "9" * 10 + "}", "is too large"),
    ],
)
def test_what_cannot_be_translated_faithfully_says_why(pattern: str, reason: str) -> None:
    with pytest.raises(PatternError, match=re.escape(reason)) as raised:
        translate(pattern)
    assert not isinstance(raised.value, ecma_regex.InvalidPattern), "valid in some dialect"


def test_groups_nested_to_the_limit_compile_within_a_small_stack() -> None:
    """What the generated package compiles at import, with the anchors `breaking_plan` adds,
    fits in a few hundred frames; and many groups side by side cost no depth."""
    depth = ecma_regex.MAX_GROUP_DEPTH
    python, method, _ = breaking_plan("^" + "(?:" * depth + "a" + ")" * depth + "$")
    frames = 0
    frame: types.FrameType | None = sys._getframe()
    while frame is not None:
        frames, frame = frames + 1, frame.f_back
    limit = sys.getrecursionlimit()
    re.purge()
    sys.setrecursionlimit(frames + 250)
    try:
        compiled = re.compile(python)
    finally:
        sys.setrecursionlimit(limit)
    assert getattr(compiled, method)("a") is None
    wide = "(a)" * 50_000
    assert re.compile(translate(wide)).search("a" * 50_000)


# -- Unicode property escapes (\p{...}, \P{...}), read as ECMA's u flag and Java read them ----


@pytest.mark.parametrize(
    ("pattern", "accepted", "refused"),
    [
        (r"^\p{L}+$", ["abc", "Größe", "中文", "ǅ", "\U0001d400"], ["a1", "a_b", "", " "]),
        (r"^\p{Letter}+$", ["Größe"], ["1"]),
        (r"^\p{Lu}$", ["A", "Ö"], ["a", "ǅ"]),
        (r"^\p{gc=Nd}+$", ["0123", "٣٤", "\U0001d7d8"], ["Ⅻ", "²"]),
        (r"^\p{N}+$", ["0", "Ⅻ", "²", "٣"], ["a"]),
        (r"^\p{Z}$", [" ", "\u00a0", "\u2028", "\u3000"], ["\t", "\n"]),
        (r"^\P{L}+$", ["123 _", "\U0001f600"], ["a", "1a"]),
        (r"^[^\p{N}]+$", ["abc"], ["a1"]),
        (r"^[\P{L}x]+$", ["1x2"], ["y"]),
        (
            r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$",
            ["", "Größe 12", "team:dev/ops=1+2@x", "名前"],
            ["aws:tag", "tab\there", "semi;colon", "a\u200bb"],
        ),
    ],
)
def test_property_escapes(pattern: str, accepted: list[str], refused: list[str]) -> None:
    source, method = ecma_regex.plan(pattern)
    compiled = re.compile(source)
    assert source.isascii(), "the generated pattern is written in escapes"
    for text in accepted:
        assert getattr(compiled, method)(text), (pattern, text)
    for text in refused:
        assert not getattr(compiled, method)(text), (pattern, text)
    source, method, found_means_broken = ecma_regex.breaking_plan(pattern)
    breaks = getattr(re.compile(source), method)
    assert found_means_broken, "these patterns are anchored at both ends"
    assert [text for text in accepted if breaks(text)] == []
    assert [text for text in refused if not breaks(text)] == []


def test_the_category_table_is_unicodedata_of_its_version() -> None:
    """The table is committed so output does not depend on the generating Python; it must still
    be exactly what `unicodedata` says, which this checks wherever the two versions agree."""
    if unicodedata.unidata_version != unicode_categories.unicode_version():
        pytest.skip(
            f"this Python has Unicode {unicodedata.unidata_version}, the table "
            f"{unicode_categories.unicode_version()}"
        )
    assert unicode_categories.build_table() == unicode_categories._table()
    letters = unicode_categories.ranges("L")
    for code_point in (0x41, 0xDF, 0x4E2D, 0x1D400, 0x30, 0x20):
        inside = any(low <= code_point <= high for low, high in letters)
        assert inside == unicodedata.category(chr(code_point)).startswith("L")
