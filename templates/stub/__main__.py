"""`python -m <package>.stub`: run the stub until SIGINT or SIGTERM."""

from __future__ import annotations

from ._factory import main

raise SystemExit(main(program=f"python -m {__package__}"))
