"""Smithy's URI patterns, the `uri` of `@http`: a path of literal and label segments, then an
optional literal query string. Read here once, for the model checks (`http_checks`) and for the
route in the IR (`http_bindings`).

A pattern starts with `/`, has no empty segment (a trailing `/` is allowed), no fragment and no
`?` at its end; a label (`{Name}`, or greedy `{Name+}`) is a whole segment named like a Smithy
identifier, appears once (names compared without case) and never in the query string; at most
one label is greedy; a literal query key appears once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABEL_NAME = re.compile(r"(_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*")


@dataclass(frozen=True)
class UriPattern:
    path: str
    query: str
    """The literal query string after `?`; empty where there is none."""
    query_literals: tuple[tuple[str, str], ...]
    labels: tuple[tuple[str, bool], ...]
    """Each label's name and whether it is greedy, in path order."""
    problems: tuple[str, ...]
    """What makes the pattern malformed, in words; empty when it is well formed."""


def parse(uri: str) -> UriPattern:
    """The parts of `uri`, and its problems: a malformed pattern is still read as far as it can
    be, so every problem is found in one run."""
    problems: list[str] = []
    if not uri.startswith("/"):
        problems.append("a URI pattern must start with '/'")
    if "#" in uri:
        problems.append("a URI pattern cannot have a fragment ('#')")
    if uri.endswith("?"):
        problems.append("a URI pattern cannot end with '?'")
    path, _, query = uri.partition("?")
    labels = _labels(path, problems)
    literals: list[tuple[str, str]] = []
    if "{" in query or "}" in query:
        problems.append(f"the query string {query!r} cannot have labels; use @httpQuery members")
    elif query:
        for pair in query.split("&"):
            key, _, value = pair.partition("=")
            if key in (seen for seen, _ in literals):
                problems.append(f"the literal query parameter {key!r} appears more than once")
            literals.append((key, value))
    return UriPattern(
        path=path,
        query=query,
        query_literals=tuple(literals),
        labels=tuple(labels),
        problems=tuple(problems),
    )


def _labels(path: str, problems: list[str]) -> list[tuple[str, bool]]:
    segments = path.split("/")[1:]
    while segments and not segments[-1]:
        segments.pop()  # a trailing '/' is part of the route, not an empty segment
    labels: list[tuple[str, bool]] = []
    if "" in segments:
        problems.append("the path has an empty segment ('//')")
    for segment in segments:
        if not (len(segment) >= 2 and segment.startswith("{") and segment.endswith("}")):
            if "{" in segment or "}" in segment:
                problems.append(
                    f"the segment {segment!r} mixes a label with other text or has an unmatched "
                    "brace; a label is a whole segment, '{Name}' or '{Name+}'"
                )
            continue
        greedy = segment.endswith("+}")
        name = segment[1:-2] if greedy else segment[1:-1]
        if not name:
            problems.append(f"the label {segment!r} has no name")
        elif not _LABEL_NAME.fullmatch(name):
            problems.append(
                f"the label {segment!r} is not named like a member (a letter, or underscores "
                "and a letter or digit, then letters, digits and underscores)"
            )
        elif name.lower() in (earlier.lower() for earlier, _ in labels):
            problems.append(f"the label {name!r} appears more than once")
        else:
            labels.append((name, greedy))
    greedy_labels = [f"{{{name}+}}" for name, greedy in labels if greedy]
    if len(greedy_labels) > 1:
        problems.append(
            f"a URI pattern has at most one greedy label, found {', '.join(greedy_labels)}"
        )
    return labels
