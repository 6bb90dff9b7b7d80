"""This checkout's generator run on a model, in a process of its own (the generator's imports
stay out of the measuring process), for the suites that generate what they measure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATE_TIMEOUT = 600.0


def generate(
    work: Path, models: Sequence[Path], operations: Sequence[str] = ()
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Generate `models` (only `operations`, if given) into work/out: the finished process and
    its wall time."""
    work.mkdir(parents=True)
    config = f'models = {json.dumps([str(m) for m in models])}\noutput = "out"\n'
    if operations:
        config += f"operations = {json.dumps(list(operations))}\n"
    (work / "shapesmith.toml").write_text(config, encoding="utf-8")
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "-q", "--config", "shapesmith.toml"],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=GENERATE_TIMEOUT,
        check=False,
    )
    return completed, time.perf_counter() - start
