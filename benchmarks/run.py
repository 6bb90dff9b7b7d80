"""`python benchmarks/run.py`: the same as `python -m benchmarks`, run as a script."""

from __future__ import annotations

import sys
from pathlib import Path


def _main() -> int:
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:  # run as a script: make `benchmarks` and `generated` importable
        sys.path.insert(0, root)
    from benchmarks.cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(_main())
