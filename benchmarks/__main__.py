"""`python -m benchmarks`: see benchmarks/README.md."""

from benchmarks.cli import main

raise SystemExit(main())
