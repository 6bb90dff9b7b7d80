"""Benchmarks of the generated validators: `python -m benchmarks [--quick] [--output PATH]`."""
