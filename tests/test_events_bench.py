"""The events benchmark (`python -m benchmarks events`): a small run goes through every row (the
output stream read by our client and by boto3 from the same stub, input and duplex streams sent
by our client, signed and checked), each call checked to send or read exactly its events, and
writes its table and JSON. No timing is asserted: on a test machine the numbers mean nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import events_bench

TINY = events_bench.Settings(output_events=25, input_events=30, lockstep_events=5, rounds=2)


def test_a_small_run_measures_every_row_and_writes_its_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not events_bench.BEDROCK_MODEL.is_file():
        pytest.skip(f"{events_bench.BEDROCK_MODEL} is not there (../shared/reference)")
    results = events_bench.run(quick=True, settings=TINY)
    assert results.skipped == {}
    rows = {(row.name, row.contender): row for row in results.rows}
    assert sorted(rows) == sorted(
        [
            (events_bench.OUTPUT_ROW, events_bench.OURS),
            (events_bench.OUTPUT_ROW, events_bench.BOTO3),
            (events_bench.INPUT_ROW, events_bench.OURS),
            (events_bench.DUPLEX_ROW, events_bench.OURS),
            (events_bench.LOCKSTEP_ROW, events_bench.OURS),
        ]
    )
    assert rows[events_bench.LOCKSTEP_ROW, events_bench.OURS].events == 5
    assert all(len(row.samples) == TINY.rounds for row in results.rows)
    output = tmp_path / "events.json"
    events_bench.print_results(results)
    events_bench.write_json(results, output)
    written = json.loads(output.read_text("utf-8"))
    assert written["suite"] == "events"
    assert len(written["rows"]) == 5
    assert set(written["ratios_vs_boto3"]) == {"events_per_second", "client_cpu_per_event"}
    assert all(value is not None for value in written["ratios_vs_boto3"].values())
    assert events_bench.NO_PEER in written["notes"]
    printed = capsys.readouterr().out
    assert "no peer can send input streams" in printed
    assert f"{events_bench.OURS} / {events_bench.BOTO3} = " in printed


def test_a_call_that_reads_the_wrong_number_of_events_fails_the_run() -> None:
    class Server:
        def cpu_seconds(self) -> float | None:
            return None

    with pytest.raises(RuntimeError, match="a call gave 3 events, not 4"):
        events_bench.sample(lambda: 3, 4, Server())  # type: ignore[arg-type]
