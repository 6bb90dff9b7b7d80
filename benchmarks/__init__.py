"""Benchmarks of the generated package: `python -m benchmarks [SUITE ...] [--quick] [--output PATH]`
(suites: `validators`, `client`, `stub`, `corpus`; see benchmarks/README.md)."""
