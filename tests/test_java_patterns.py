"""Patterns written for Java's `java.util.regex` (as AWS writes many), checked against Java.

Where ECMA 262 gives a construct no meaning and Java does, `ecma_regex` translates it as Java
reads it. Java itself is the reference here: the same patterns and strings go through
`Pattern.compile(p).matcher(s).find()` and through the translation, and the verdicts must be
identical. The strings avoid what ECMA and Java read differently on purpose (ECMA's meaning is
kept there: Unicode `\\s`, `.` and `$`), and characters whose properties changed between the
Unicode of this Java and that of our tables.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import ecma_regex
from generator.java_classes import POSIX

JAVA_SOURCE = r"""
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public class Verdicts {
    static String decode(String field) {
        if (field.isEmpty()) return "";
        String[] parts = field.split(",");
        int[] points = new int[parts.length];
        for (int i = 0; i < parts.length; i++) points[i] = Integer.parseInt(parts[i], 16);
        return new String(points, 0, points.length);
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            String[] fields = line.split("\t", -1);
            try {
                Pattern pattern = Pattern.compile(decode(fields[0]));
                out.append(pattern.matcher(decode(fields[1])).find() ? '1' : '0');
            } catch (PatternSyntaxException e) {
                out.append('E');
            }
        }
        System.out.print(out);
    }
}
"""

JAVA_PATTERNS = [
    # POSIX classes, US-ASCII (AWS: `^[\p{Graph}\x20]*$`, `^\p{ASCII}{0,1500}$`, ...)
    *[rf"^\p{{{name}}}+$" for name in POSIX],
    r"^\P{Punct}+$",
    r"^[^\p{Cntrl}]*$",
    r"^[\p{Upper}\p{Digit}_]+$",
    r"^(\p{LD}|\p{Punct}| )+$",
    r"^[\-\p{Alnum}_:.]+$",
    r"^\p{L1}+$",
    # `Is` names: binary properties, categories, scripts; `sc=` and one-letter forms
    r"^\p{IsAlphabetic}+$",
    r"^\p{IsLetter}+$",
    r"^\p{IsDigit}+$",
    r"^\p{IsUppercase}+$",
    r"^\p{Islowercase}+$",
    r"^\p{IsWhite_Space}+$",
    r"^[^\p{C}\p{IsWhitespace}]+$",
    r"^\p{IsPunctuation}+$",
    r"^\p{IsControl}+$",
    r"^\p{IsTitlecase}+$",
    r"^\p{IsL}+$",
    r"^\p{IsLu}+$",
    r"^\p{IsLatin}+$",
    r"^\p{IsGreek}+$",
    r"^\p{script=Han}+$",
    r"^\p{sc=Cyrl}+$",
    r"^\pL\PN$",
    # negated escapes inside classes, and a '-' after a class escape
    r"^[\s\S]+$",
    r"^[ \S]+$",
    r"^[^\W]+$",
    r"^[\D]+$",
    r"^[^\S]*$",
    r"^[\w-.~]+$",
    r"^[\w- ]*$",
    r"^(?! )[\p{L}\p{N}\p{Z}-_]*(?<! )$",
    # UTF-16 surrogate pairs, one code point and an astral range
    r"\uD83D\uDE00",
    r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]+$",
    # inline flags (Java's scope: to the end of the group, across its alternatives)
    r"^(?i)(true|false)$",
    r"^(?!(?i)(arn|aws):)[\p{L}\p{M}\p{S}\p{N}\p{P}]+$",
    r"^a(?i)b|c$",
    r"(?i:ab)c",
    r"^(?i)[a-c]x[^k]$",
    r"^(a(?i)b)c$",
    r"^(?i)\p{Alpha}\p{IsL}$",
    r"(?s)a.b",
    r"^(?s)(?-s:.)$",
    # possessive quantifiers, atomic groups, quantified anchors, \A and \z, octal escapes
    r"^[0-9A-Z]{2}+$",
    r"^x\d{1}+:\d{2}+$",
    r"^a++a",
    r"^(?>a|ab)c$",
    r"^[-_a-zA-Z0-9]*${2,64}$",
    r"^\Aab?\z$",
    r"^[^/:|\000-\037]+$",
    r"\012|\01",
]

MULTILINE_PATTERNS = [
    r"^(?ms)\s*^-----BEGIN (?-s:.*)PRIVATE KEY-----$.*?^-----END (?-s:.*)PRIVATE KEY-----$\s*$",
    r"(?m)^b",
    r"(?m)a$",
    r"(?m)^$",
    r"(?m)a$\r?\n?^b",
    r"(?m)\r^",
    r"(?m)$\n",
]

# Unicode 13 (Java 17) and 14 (our tables) agree on all of these.
ALPHABET = [
    *"aAbBcCkKxXzZ09_-.:/ \t\x0b\x0c@=+,{}[]()|!~'\"#$%&*;<>?\\^`",
    "\x00",
    "\x1f",
    "\x7f",
    "é",
    "ß",
    "Ö",
    "ª",  # Lo, but Lowercase (Other_Lowercase) and Alphabetic
    "ǅ",  # Lt
    "Ⅻ",  # Nl: Alphabetic and Uppercase, not a letter
    "²",
    "٣",
    "中",
    "\u03b1",
    "Ж",
    "\u0345",  # Mn, Alphabetic (Other_Alphabetic)
    "\u212a",  # Kelvin: Java's (?i) does not fold it to k, nor does ours
    "\u017f",
    "\u203f",  # Pc
    "\U0001f600",
    "\U0001d400",
]
MULTILINE_ALPHABET = [*"-BEGINDPRVATKYab \t", "\n", "\r"]


def _random_strings(alphabet: list[str], seed: int, count: int, longest: int) -> list[str]:
    chooser = random.Random(seed)
    return [
        "".join(chooser.choice(alphabet) for _ in range(chooser.randint(0, longest)))
        for _ in range(count)
    ]


def _java_verdicts(tmp_path: Path, cases: list[tuple[str, str]]) -> str:
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed: it is the reference engine for Java-only patterns")
    source = tmp_path / "Verdicts.java"
    source.write_text(JAVA_SOURCE, "utf-8")

    def encode(text: str) -> str:
        return ",".join(f"{ord(c):x}" for c in text)

    lines = "".join(f"{encode(p)}\t{encode(s)}\n" for p, s in cases)
    result = subprocess.run(
        [java, str(source)], input=lines, capture_output=True, text=True, timeout=300, check=True
    )
    assert len(result.stdout) == len(cases), result.stderr
    return result.stdout


def _assert_agree(tmp_path: Path, patterns: list[str], strings: list[str]) -> None:
    cases = [(pattern, text) for pattern in patterns for text in strings]
    verdicts = _java_verdicts(tmp_path, cases)
    compiled = {}
    for pattern in patterns:
        source, method, found_means_broken = ecma_regex.breaking_plan(pattern)
        compiled[pattern] = (getattr(re.compile(source), method), found_means_broken)
    disagreements = []
    for (pattern, text), verdict in zip(cases, verdicts, strict=True):
        assert verdict != "E", f"Java refuses {pattern!r}"
        method, found_means_broken = compiled[pattern]
        found = method(text) is not None
        ours = not found if found_means_broken else found
        if ours != (verdict == "1"):
            disagreements.append((pattern, text, verdict))
    assert disagreements == []


def test_java_only_constructs_agree_with_java(tmp_path: Path) -> None:
    fixed = ["", "ab", "AB", "aB1", "true", "FALSE", "arn:x", "ARN:x", "xaws:", "a-b", "é中"]
    fixed += ["ab--", "a\tb", "\U0001f600", "x1:22", "aaa", "abc", "ac", "K", "\u212a", "a\x00"]
    strings = fixed + _random_strings(ALPHABET, seed=12, count=160, longest=6)
    _assert_agree(tmp_path, JAVA_PATTERNS, strings)


def test_multiline_flag_agrees_with_java(tmp_path: Path) -> None:
    key = "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"
    fixed = [key, f" {key}\n", key.replace("\n", "\r\n"), key.replace("\n", "\r"), "a\r\nb"]
    fixed += ["\n", "\r\n", "a\n", "a\r", "\nb", "\r\nb", "", "a\n\nb"]
    strings = fixed + _random_strings(MULTILINE_ALPHABET, seed=7, count=300, longest=5)
    _assert_agree(tmp_path, MULTILINE_PATTERNS, strings)


# java.util.regex.Pattern's documentation, "POSIX character classes (US-ASCII only)", as written
# there: each class as the docs define it, in terms of the ones before it.
_DOCS_LOWER = set(map(chr, range(ord("a"), ord("z") + 1)))  # [a-z]
_DOCS_UPPER = set(map(chr, range(ord("A"), ord("Z") + 1)))  # [A-Z]
_DOCS_DIGIT = set(map(chr, range(ord("0"), ord("9") + 1)))  # [0-9]
_DOCS_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # One of !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
DOCS_TABLE = {
    "Lower": _DOCS_LOWER,
    "Upper": _DOCS_UPPER,
    "ASCII": set(map(chr, range(0x80))),  # [\x00-\x7F]
    "Alpha": _DOCS_LOWER | _DOCS_UPPER,  # [\p{Lower}\p{Upper}]
    "Digit": _DOCS_DIGIT,
    "Alnum": _DOCS_LOWER | _DOCS_UPPER | _DOCS_DIGIT,  # [\p{Alpha}\p{Digit}]
    "Punct": _DOCS_PUNCT,
    "Graph": _DOCS_LOWER | _DOCS_UPPER | _DOCS_DIGIT | _DOCS_PUNCT,  # [\p{Alnum}\p{Punct}]
    "Print": _DOCS_LOWER | _DOCS_UPPER | _DOCS_DIGIT | _DOCS_PUNCT | {" "},  # [\p{Graph}\x20]
    "Blank": {" ", "\t"},  # [ \t]
    "Cntrl": set(map(chr, range(0x20))) | {"\x7f"},  # [\x00-\x1F\x7F]
    "XDigit": _DOCS_DIGIT | set("abcdefABCDEF"),  # [0-9a-fA-F]
    "Space": set(" \t\n\x0b\f\r"),  # [ \t\n\x0B\f\r]
}
BEYOND_ASCII = ["\x80", "\xa0", "é", "\u0660", "\uff21", "\U0001d400", "\u2028"]


@pytest.mark.parametrize("name", sorted(DOCS_TABLE))
def test_posix_classes_are_the_documented_ascii_sets(name: str) -> None:
    """Every ASCII character (and some beyond) agrees with the documentation's definition, in
    each form a pattern can use the class: alone, negated, inside a class and inside a negated
    class."""
    assert set(DOCS_TABLE) == set(POSIX)
    forms = {
        rf"^\p{{{name}}}$": True,
        rf"^\P{{{name}}}$": False,
        rf"^[x\p{{{name}}}]$": True,
        rf"^[^\p{{{name}}}]$": False,
    }
    for pattern, positive in forms.items():
        source, method = ecma_regex.plan(pattern)
        compiled = getattr(re.compile(source), method)
        for char in [*map(chr, range(0x80)), *BEYOND_ASCII]:
            inside = char in DOCS_TABLE[name] or (char == "x" and "[x" in pattern)
            assert (compiled(char) is not None) is (inside is positive), (pattern, char)
