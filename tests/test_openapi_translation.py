"""Every OpenAPI document the tests and ../shared hold translates into a model that the Smithy
AST schema accepts: the loader trusts its own translation and does not check it on each run."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import openapi
from generator.loader import schema_problems
from generator.modeltext import mark_document
from tests.conftest import REFERENCE, REPO, export_repository_openapi

_OWN = sorted((REPO / "tests" / "fixtures" / "openapi").glob("*.yaml"))
_EXAMPLES = sorted((REFERENCE / "openapi" / "oai-examples-3.0").glob("*.yaml"))


@pytest.mark.parametrize("path", _OWN + _EXAMPLES, ids=lambda path: path.name)
def test_the_translation_is_a_smithy_model(path: Path) -> None:
    document, problems = openapi.read_document(path, path.name)
    assert document is not None and not problems
    result = openapi.translate(document, path.parent)
    assert list(schema_problems(mark_document(result.model), path.name)) == []


def test_the_documents_are_found() -> None:
    assert len(_OWN) >= 6


def test_the_translation_of_an_exported_model_is_a_smithy_model(tmp_path: Path) -> None:
    """The round trip Smithy -> OpenAPI -> Smithy, on the repository's own models."""
    path = export_repository_openapi(tmp_path / "api")
    document, problems = openapi.read_document(path, path.name)
    assert document is not None and not problems
    result = openapi.translate(document, path.parent)
    assert list(schema_problems(mark_document(result.model), path.name)) == []
