"""Unicode binary properties and scripts for the Java names `@pattern` values use
(`\\p{IsAlphabetic}`, `\\p{IsLatin}`, `\\p{sc=Greek}`).

Like `unicode_categories`, the ranges come from a committed table, `data/unicode-properties.json`,
of the same Unicode version, so generated code does not depend on the Python that generates it.
Python's `unicodedata` has neither derived properties nor scripts; the table is rebuilt with
Perl's `Unicode::UCD` (whose Unicode version must match the category table's) by running `python
-m generator.unicode_properties`.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from generator.unicode_categories import Ranges, UnknownCategory, merge

TABLE = "data/unicode-properties.json"
BINARY = ("Alphabetic", "Lowercase", "Uppercase")


def binary(name: str) -> Ranges:
    """The code points with the binary property `name` (one of BINARY)."""
    return _ranges(_table()["properties"][name])


def script(name: str) -> Ranges:
    """The code points of a script (Script, not Script_Extensions), by its name or its
    four-letter alias, in any case as Java's `Character.UnicodeScript.forName` reads it."""
    scripts: dict[str, list[int]] = _table()["scripts"]
    by_folded = {long.upper(): long for long in scripts}
    by_folded.update({alias.upper(): long for alias, long in _table()["aliases"].items()})
    long_name = by_folded.get(name.upper())
    if long_name is None:
        raise UnknownCategory(f"{name!r} is not a Unicode script, category or property")
    return _ranges(scripts[long_name])


def _ranges(inversion: list[int]) -> Ranges:
    """Ranges from an inversion list (starts of alternately included and excluded runs)."""
    bounds = [*inversion, 0x110000] if len(inversion) % 2 else inversion
    return merge([(bounds[i], bounds[i + 1] - 1) for i in range(0, len(bounds), 2)])


@functools.cache
def _table() -> dict[str, Any]:
    text = resources.files("generator").joinpath(TABLE).read_text("utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


_PERL = r"""
use Unicode::UCD qw(prop_invlist prop_values prop_value_aliases);
use JSON::PP;
my %out = (unicode_version => Unicode::UCD::UnicodeVersion());
for my $p (@ARGV) { $out{properties}{$p} = [map { 0 + $_ } prop_invlist($p)]; }
for my $s (prop_values("Script")) {
    my ($short, $long) = prop_value_aliases("Script", $s);
    next if $long eq "Unknown";
    $out{scripts}{$long} = [map { 0 + $_ } prop_invlist("Script=$long")];
    $out{aliases}{$short} = $long if $short ne $long;
}
print JSON::PP->new->canonical->encode(\%out);
"""


def build_table() -> dict[str, Any]:
    """The table as Perl's Unicode::UCD has it."""
    perl = shutil.which("perl")
    if perl is None:
        raise SystemExit("perl (with Unicode::UCD) is needed to rebuild the table")
    result = subprocess.run(
        [perl, "-e", _PERL, *BINARY], capture_output=True, text=True, check=True, timeout=120
    )
    table: dict[str, Any] = json.loads(result.stdout)
    return table


def main() -> int:
    target = Path(__file__).resolve().parent / TABLE
    table = build_table()
    lines = ["{", f'  "unicode_version": {json.dumps(table["unicode_version"])},']
    for section in ("properties", "scripts"):
        entries = sorted(table[section].items())
        lines.append(f'  "{section}": {{')
        for index, (name, values) in enumerate(entries):
            comma = "," if index < len(entries) - 1 else ""
            lines.append(
                f"    {json.dumps(name)}: {json.dumps(values, separators=(',', ':'))}{comma}"
            )
        lines.append("  },")
    lines.append(f'  "aliases": {json.dumps(table["aliases"], sort_keys=True)}')
    lines += ["}", ""]
    target.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {target} (Unicode {table['unicode_version']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
