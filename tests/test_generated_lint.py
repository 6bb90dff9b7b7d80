"""The committed package keeps every generated function within the size budget; the kitchen
sink's and the official models' packages are held to it where they are generated and linted
(`tests/test_kitchen_sink.py`, `tests/test_official_models.py`)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, generate_model, ruff_check, service_with_stub
from tests.generated_lint import FUNCTION_LINES_BUDGET, functions_over_budget


def test_committed_package_functions_are_within_budget() -> None:
    assert functions_over_budget(REPO / "generated" / "rekognition") == []


def test_the_budget_finds_a_long_function(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(FUNCTION_LINES_BUDGET))
    (tmp_path / "long.py").write_text(
        f"def short() -> None:\n    pass\n\n\ndef long() -> None:\n{body}"
    )
    assert functions_over_budget(tmp_path) == [f"long.py:long ({FUNCTION_LINES_BUDGET + 1} lines)"]


def test_a_service_without_errors_or_enums_generates_lint_clean(tmp_path: Path) -> None:
    # Nothing for errors.py or enums.py to define, so nothing they may import without using
    # it (most OpenAPI documents are like this).
    shapes = {
        "ex.small#Small": service_with_stub("Small", "small", ["ex.small#Ping"]),
        "ex.small#Ping": {
            "type": "operation",
            "input": {"target": "ex.small#PingInput"},
            "output": {"target": "ex.small#PingInput"},
        },
        "ex.small#PingInput": {
            "type": "structure",
            "members": {"name": {"target": "smithy.api#String"}},
        },
    }
    code, err = generate_model(tmp_path, {"smithy": "2.0", "shapes": shapes})
    assert code == 0, err
    result = ruff_check(tmp_path / "out")
    assert result.returncode == 0, result.stdout[-3000:]
