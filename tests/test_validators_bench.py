"""The validators benchmark's first-error rows: the first_only contender reports one expected
violation per invalid payload, and its targets compare the first_only rate, on invalid payloads."""

from __future__ import annotations

from benchmarks import contenders, targets, validators_bench
from benchmarks.payloads import payloads


def test_the_first_only_row_reports_one_expected_violation_per_invalid_payload() -> None:
    (first_only,) = [c for c in contenders.generated() if c.key == targets.OURS_FIRST_ONLY]
    assert first_only.reports == "first"
    for payload in payloads():
        check = validators_bench.check(first_only, payload)
        if payload.valid:
            assert check.found == []
        else:
            assert len(check.found) == 1 and check.expected_reported == 1, check


def test_first_only_targets_use_the_first_only_rate() -> None:
    specs = {spec.key: spec for spec in targets.specs([])}
    rates = {"shapesmith_dict": 1.0, "shapesmith_first_only": 4.0, "msgspec_convert": 6.0}
    result = targets.evaluate(specs["first_only_within_2x_msgspec"], "response_invalid", rates, {})
    assert (result.status, result.ours_over_theirs, result.ours_key) == (
        "PASS",
        4.0 / 6.0,
        "shapesmith_first_only",
    )
    all_violations = targets.evaluate(specs["within_2x_msgspec"], "response_invalid", rates, {})
    assert (all_violations.status, all_violations.ours_key) == ("MISS", "shapesmith_dict")
    assert specs["first_only_beats_fastjsonschema"].invalid_only
    assert not specs["beats_fastjsonschema"].invalid_only
