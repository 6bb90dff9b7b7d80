"""Benchmarks of the generated package: `python -m benchmarks [SUITE ...] [--quick] [--output PATH]`
(suites: `validators`, `client`; see benchmarks/README.md)."""
