"""The performance targets of the issue, evaluated per payload. They are reported, never enforced.

"Ours" is the generated validator given the wire-form dict, reporting every violation, or for the
first-error targets the same validator called with `first_only=True`. A target compares its
validations per second with another validator's on the same payload; `ours_over_theirs` is ours /
theirs and `needed` the smallest such ratio that passes (1.0 to match or beat, 0.5 to be within
2x). The first-error targets are evaluated on the invalid payloads only (on a valid payload both
modes do the same work).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from benchmarks.contenders import Contender

OURS = "shapesmith_dict"
OURS_FIRST_ONLY = "shapesmith_first_only"
Status = Literal["PASS", "MISS", "N/A"]


@dataclass(frozen=True)
class TargetSpec:
    key: str
    description: str
    needed: float
    against: tuple[str, ...]
    """Contender keys to compare with; the fastest of them that was measured is used."""
    ours: str = OURS
    invalid_only: bool = False
    """Evaluated on the invalid payloads only."""


@dataclass(frozen=True)
class TargetResult:
    key: str
    description: str
    payload: str
    status: Status
    needed: float
    ours_over_theirs: float | None
    ours_per_second: float | None
    other: str | None
    other_per_second: float | None
    ours_key: str = OURS


def specs(contenders: Sequence[Contender]) -> list[TargetSpec]:
    pure_python_others = tuple(
        contender.key
        for contender in contenders
        if contender.pure_python and contender.role in ("baseline", "competitor")
    )
    return [
        TargetSpec(
            "ours_vs_handwritten",
            "generated validator >= hand-written baseline",
            1.0,
            ("handwritten",),
        ),
        TargetSpec(
            "fastest_pure_python",
            "fastest pure-Python validator (hand-written baseline, jsonschema, fastjsonschema, "
            "botocore; the fastest of them)",
            1.0,
            pure_python_others,
        ),
        TargetSpec(
            "beats_fastjsonschema",
            "beats fastjsonschema (pure Python, generated code, stops at the first error; "
            "the faster of its two rows)",
            1.0,
            ("fastjsonschema", "fastjsonschema_no_content"),
        ),
        TargetSpec(
            "beats_pydantic",
            "beats pydantic v2 (compiled: pydantic-core is Rust)",
            1.0,
            ("pydantic",),
        ),
        TargetSpec(
            "within_2x_msgspec",
            "within 2x of msgspec (compiled C; convert from the same dict)",
            0.5,
            ("msgspec_convert",),
        ),
        TargetSpec(
            "within_2x_jsonschema_rs",
            "within 2x of jsonschema-rs (compiled Rust; iter_errors, all violations)",
            0.5,
            ("jsonschema_rs",),
        ),
        TargetSpec(
            "first_only_beats_fastjsonschema",
            "first_only=True beats fastjsonschema (both stop at the first error; invalid "
            "payloads; the faster of its two rows)",
            1.0,
            ("fastjsonschema", "fastjsonschema_no_content"),
            ours=OURS_FIRST_ONLY,
            invalid_only=True,
        ),
        TargetSpec(
            "first_only_within_2x_msgspec",
            "first_only=True within 2x of msgspec (compiled C, stops at the first error; "
            "convert from the same dict; invalid payloads)",
            0.5,
            ("msgspec_convert",),
            ours=OURS_FIRST_ONLY,
            invalid_only=True,
        ),
    ]


def evaluate(
    spec: TargetSpec,
    payload: str,
    per_second: Mapping[str, float],
    labels: Mapping[str, str],
) -> TargetResult:
    """`per_second` maps contender key -> validations/s on `payload` (measured ones only)."""
    ours = per_second.get(spec.ours)
    measured = [(per_second[key], key) for key in spec.against if key in per_second]
    if ours is None or not measured:
        return TargetResult(
            spec.key,
            spec.description,
            payload,
            "N/A",
            spec.needed,
            None,
            ours,
            None,
            None,
            ours_key=spec.ours,
        )
    fastest, key = max(measured)
    ours_over_theirs = ours / fastest
    status: Status = "PASS" if ours_over_theirs >= spec.needed else "MISS"
    return TargetResult(
        key=spec.key,
        description=spec.description,
        payload=payload,
        status=status,
        needed=spec.needed,
        ours_over_theirs=ours_over_theirs,
        ours_per_second=ours,
        other=labels.get(key, key),
        other_per_second=fastest,
        ours_key=spec.ours,
    )
