"""AWS's own JSON models (../shared's corpus), each generated whole and checked as a user's CI would.

`benchmarks.corpus.SAMPLE` is a fixed, documented sample chosen for what its services exercise.
Its first `DEFAULT_RUN` services are checked in every run; the others, and the whole corpus,
under the `corpus` marker (`pytest -m corpus tests/test_corpus.py`), since a whole model takes
tens of seconds to generate and type-check. `python -m benchmarks corpus` runs the same checks
and writes a report. The models are read in place, never copied into the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.corpus import CORPUS, PROTOCOLS, SAMPLE, ServiceResult, corpus_models, run_service
from tests.conftest import reference_file

DEFAULT_RUN = 4


def _model(service: str) -> Path:
    for protocol in PROTOCOLS:
        path = CORPUS / protocol / f"{service}.json"
        if path.exists():
            return path
    return reference_file("models", "aws-corpus", "awsJson1_1", f"{service}.json")


def _explain(result: ServiceResult) -> str:
    failed = {
        name: {"classes": check.classes, "output": check.output}
        for name, check in (("mypy", result.mypy), ("ruff", result.ruff), ("black", result.black))
        if check is not None and not check.ok
    }
    return json.dumps(
        {
            "service": result.service,
            "exit_code": result.exit_code,
            "errors": result.errors[:10],
            "failure_classes": result.failure_classes,
            "failed_checks": failed,
            "import_error": result.import_error,
            "wire_mismatches": result.wire_mismatches,
            "boto3_failures": result.boto3_failures,
        },
        indent=1,
    )


def _check(service: str, tmp_path: Path) -> None:
    result = run_service(service, _model(service), tmp_path)
    assert result.clean, _explain(result)
    assert result.lines > 0
    # botocore and boto3 agree with the package wherever botocore knows the service
    assert result.on_the_wire is not False, _explain(result)


SAMPLE_NAMES = list(SAMPLE)


@pytest.mark.slow
@pytest.mark.parametrize("service", SAMPLE_NAMES[:DEFAULT_RUN])
def test_sample_service_generates_clean(service: str, tmp_path: Path) -> None:
    _check(service, tmp_path)


@pytest.mark.corpus
@pytest.mark.parametrize("service", SAMPLE_NAMES[DEFAULT_RUN:])
def test_rest_of_the_sample_generates_clean(service: str, tmp_path: Path) -> None:
    _check(service, tmp_path)


@pytest.mark.corpus
@pytest.mark.parametrize("service", sorted(corpus_models()) or ["(corpus not available)"])
def test_every_corpus_service_generates_clean(service: str, tmp_path: Path) -> None:
    if service not in corpus_models():
        reference_file("models", "aws-corpus")
        pytest.skip("the corpus has no models of the protocols it runs")
    _check(service, tmp_path)


def test_the_sample_is_in_the_corpus_and_says_why() -> None:
    models = corpus_models()
    if not models:
        reference_file("models", "aws-corpus", "awsJson1_0")
    assert len(SAMPLE) == 10
    assert set(SAMPLE) <= set(models)
    assert all(reason.strip() for reason in SAMPLE.values())
