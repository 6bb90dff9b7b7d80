"""The validators being compared, each wrapped the same way.

A contender has one callable per operation, called with the payload in the contender's input form;
it may return a report or raise one (first-error validators raise). The timing loop ignores both;
`findings` turns either into (path, kind) pairs once, outside any timed loop.

A contender whose package is not installed is reported as skipped, never as a crash.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from benchmarks import findings as normalise
from benchmarks import handwritten_baseline
from benchmarks.payloads import Finding

Role = Literal["ours", "baseline", "competitor", "variant"]
Validate = Callable[[Any], object]

SCHEMA_CHECKS = (
    "required, type, unknown members (additionalProperties), string lengths, patterns, "
    "numeric range, enum values (always, like strict mode); explicit null rejected by type; "
    "blobs only as strings (base64 validity and decoded length are not checked)"
)


@dataclass(frozen=True)
class Contender:
    """One validator, wrapped for timing."""

    key: str
    label: str
    role: Role
    implementation: str
    pure_python: bool
    reports: Literal["all", "first", "boolean"]
    checks: str
    input_form: Literal["python", "json", "json_bytes", "dataclass"]
    distribution: str
    request: Validate
    response: Validate
    findings: Callable[[object], list[Finding]]
    notes: str = ""

    def validate(self, operation: str) -> Validate:
        return self.request if operation == "request" else self.response


@dataclass(frozen=True)
class Skipped:
    key: str
    label: str
    reason: str


@dataclass(frozen=True)
class Schemas:
    """The exported JSON Schemas of the request and response, as given to the schema libraries."""

    request: dict[str, Any]
    response: dict[str, Any]
    adjustments: tuple[str, ...]

    @classmethod
    def load(cls, directory: Path) -> Schemas:
        request, notes = _load_schema(
            directory / "GetFaceLivenessSessionResultsRequest.schema.json"
        )
        response, _ = _load_schema(directory / "GetFaceLivenessSessionResultsResponse.schema.json")
        return cls(request=request, response=response, adjustments=notes)


def _load_schema(path: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    notes: list[str] = []
    identifier = schema.get("$id")
    if isinstance(identifier, str) and "#" in identifier.rstrip("#"):
        # 2020-12 forbids a non-empty fragment in $id (the metaschema's pattern is ^[^#]*#?$), and
        # jsonschema-rs refuses such a schema; the $id is not used by any $ref, so it is dropped.
        del schema["$id"]
        notes.append(f"removed $id {identifier!r}: a non-empty fragment is invalid in 2020-12")
    return schema, tuple(notes)


# One-line closures rather than functools.partial: a partial with a keyword argument costs more
# per call (about 0.25 us here) than a Python frame with positional arguments.


def _collect(iter_errors: Callable[[Any], Any]) -> Validate:
    def validate(value: Any) -> object:
        return list(iter_errors(value))

    return validate


def _strict(validate: Callable[..., object]) -> Validate:
    def strictly(value: Any) -> object:
        return validate(value, strict=True)

    return strictly


def _first_only(validate: Callable[..., object]) -> Validate:
    def first(value: Any) -> object:
        return validate(value, first_only=True)

    return first


def _second(function: Callable[[Any, Any], object], second: object) -> Validate:
    """`function(value, second)`: msgspec's convert type, botocore's shape."""

    def call(value: Any) -> object:
        return function(value, second)

    return call


def generated() -> list[Contender]:
    from generated.rekognition import validators

    request = validators.validate_get_face_liveness_session_results_request
    response = validators.validate_get_face_liveness_session_results_response
    checks = (
        "required, type (bool is not a number), unknown members, explicit null, string and blob "
        "lengths, patterns, numeric range, list items; enum values only with strict=True"
    )
    common: dict[str, Any] = {
        "implementation": "pure Python (generated, stdlib only)",
        "pure_python": True,
        "reports": "all",
        "distribution": "shapesmith",
        "findings": normalise.generated,
    }
    return [
        Contender(
            key="shapesmith_dict",
            label="shapesmith generated (dict)",
            role="ours",
            checks=checks,
            input_form="python",
            request=request,
            response=response,
            **common,
        ),
        Contender(
            key="shapesmith_dataclass",
            label="shapesmith generated (dataclass)",
            role="variant",
            checks=checks,
            input_form="dataclass",
            request=request,
            response=response,
            notes="the dataclass is built once with from_dict, outside the timed loop",
            **common,
        ),
        Contender(
            key="shapesmith_dict_strict",
            label="shapesmith generated (dict, strict)",
            role="variant",
            checks=checks.replace("only with strict=True", "(strict=True)"),
            input_form="python",
            request=_strict(request),
            response=_strict(response),
            **common,
        ),
        Contender(
            key="shapesmith_first_only",
            label="shapesmith generated (first_only)",
            role="variant",
            checks=checks,
            input_form="python",
            request=_first_only(request),
            response=_first_only(response),
            notes="first_only=True: stops at the first violation and returns it alone, for a "
            "yes/no answer (the other rows of ours report every violation)",
            **{**common, "reports": "first"},
        ),
    ]


def handwritten() -> list[Contender]:
    return [
        Contender(
            key="handwritten",
            label="hand-written baseline",
            role="baseline",
            implementation="pure Python (hand-written, stdlib only)",
            pure_python=True,
            reports="all",
            checks="the same rules as the generated validator (benchmarks/handwritten_baseline.py)",
            input_form="python",
            distribution="shapesmith",
            request=handwritten_baseline.validate_request,
            response=handwritten_baseline.validate_response,
            findings=normalise.generated,
        )
    ]


def jsonschema(schemas: Schemas) -> list[Contender]:
    from jsonschema import Draft202012Validator

    request = Draft202012Validator(schemas.request)
    response = Draft202012Validator(schemas.response)
    return [
        Contender(
            key="jsonschema",
            label="jsonschema (iter_errors)",
            role="competitor",
            implementation="pure Python (interpreter of the schema)",
            pure_python=True,
            reports="all",
            checks=SCHEMA_CHECKS,
            input_form="json",
            distribution="jsonschema",
            request=_collect(request.iter_errors),
            response=_collect(response.iter_errors),
            findings=normalise.jsonschema,
        )
    ]


def _without(keyword: str, schema: Any) -> Any:
    """A copy of `schema` without `keyword` anywhere."""
    if isinstance(schema, dict):
        return {key: _without(keyword, value) for key, value in schema.items() if key != keyword}
    if isinstance(schema, list):
        return [_without(keyword, item) for item in schema]
    return schema


def fastjsonschema(schemas: Schemas) -> list[Contender]:
    import fastjsonschema as library

    common: dict[str, Any] = {
        "role": "competitor",
        "implementation": "pure Python (generates Python code from the schema)",
        "pure_python": True,
        "reports": "first",
        "input_form": "json",
        "distribution": "fastjsonschema",
        "findings": normalise.fastjsonschema,
    }
    return [
        Contender(
            key="fastjsonschema",
            label="fastjsonschema (compiled schema)",
            checks=SCHEMA_CHECKS.replace(
                "base64 validity and decoded length are not checked",
                "base64-decoded, as draft 7's contentEncoding (so base64 validity is checked), "
                "the decoded length is not",
            ),
            request=library.compile(schemas.request),
            response=library.compile(schemas.response),
            notes="raises JsonSchemaValueException at the first error; base64-decodes every "
            "blob, which is most of its time on the valid response",
            **common,
        ),
        Contender(
            key="fastjsonschema_no_content",
            label="fastjsonschema (no contentEncoding)",
            checks=SCHEMA_CHECKS,
            request=library.compile(_without("contentEncoding", schemas.request)),
            response=library.compile(_without("contentEncoding", schemas.response)),
            notes="the same schema without contentEncoding, so blobs are not decoded: the same "
            "work as the other validators; raises at the first error",
            **common,
        ),
    ]


def jsonschema_rs(schemas: Schemas) -> list[Contender]:
    import jsonschema_rs as library

    request = library.validator_for(schemas.request)
    response = library.validator_for(schemas.response)
    common: dict[str, Any] = {
        "implementation": "compiled (Rust)",
        "pure_python": False,
        "checks": SCHEMA_CHECKS,
        "input_form": "json",
        "distribution": "jsonschema-rs",
        "findings": normalise.jsonschema_rs,
    }
    return [
        Contender(
            key="jsonschema_rs",
            label="jsonschema-rs (iter_errors)",
            role="competitor",
            reports="all",
            request=_collect(request.iter_errors),
            response=_collect(response.iter_errors),
            **common,
        ),
        Contender(
            key="jsonschema_rs_is_valid",
            label="jsonschema-rs (is_valid)",
            role="variant",
            reports="boolean",
            request=request.is_valid,
            response=response.is_valid,
            notes="a yes/no answer only, no violations; shown for scale",
            **common,
        ),
    ]


def pydantic() -> list[Contender]:
    from benchmarks import models_pydantic as models

    return [
        Contender(
            key="pydantic",
            label="pydantic v2 (model_validate)",
            role="competitor",
            implementation="compiled (Rust: pydantic-core), models declared in Python",
            pure_python=False,
            reports="all",
            checks=(
                "required, type (strict mode), unknown members (extra=forbid), string and blob "
                "lengths, patterns, numeric range, list items; explicit null accepted; only the "
                "first failed constraint of each member is reported"
            ),
            input_form="python",
            distribution="pydantic",
            request=models.GetFaceLivenessSessionResultsRequest.model_validate,
            response=models.GetFaceLivenessSessionResultsResponse.model_validate,
            findings=normalise.pydantic,
            notes="builds model instances; raises ValidationError listing every failed member",
        )
    ]


def msgspec() -> list[Contender]:
    import msgspec as library

    from benchmarks import models_msgspec as models

    checks = (
        "required, type, unknown members (forbid_unknown_fields), string and blob lengths, "
        "patterns, numeric range, list items; explicit null accepted"
    )
    common: dict[str, Any] = {
        "implementation": "compiled (C)",
        "pure_python": False,
        "reports": "first",
        "checks": checks,
        "distribution": "msgspec",
        "findings": normalise.msgspec,
    }
    request_type = models.GetFaceLivenessSessionResultsRequest
    response_type = models.GetFaceLivenessSessionResultsResponse
    return [
        Contender(
            key="msgspec_convert",
            label="msgspec (convert dict)",
            role="competitor",
            input_form="python",
            request=_second(library.convert, request_type),
            response=_second(library.convert, response_type),
            notes="builds Struct instances; raises ValidationError at the first error",
            **common,
        ),
        Contender(
            key="msgspec_json",
            label="msgspec (decode JSON bytes)",
            role="variant",
            input_form="json_bytes",
            request=library.json.Decoder(request_type).decode,
            response=library.json.Decoder(response_type).decode,
            notes="parses the JSON text too (and base64-decodes blobs); not the same input",
            **common,
        ),
    ]


def botocore() -> list[Contender]:
    import botocore.session  # type: ignore[import-untyped]
    from botocore.validate import ParamValidator  # type: ignore[import-untyped]

    model = botocore.session.get_session().get_service_model("rekognition")
    operation = model.operation_model("GetFaceLivenessSessionResults")
    validator = ParamValidator()
    return [
        Contender(
            key="botocore",
            label="botocore ParamValidator",
            role="competitor",
            implementation="pure Python (interpreter of the service model)",
            pure_python=True,
            reports="all",
            checks=(
                "required, type, unknown members, minimum string/blob length and minimum value "
                "only: no maximum, pattern or enum"
            ),
            input_form="python",
            distribution="botocore",
            request=_second(validator.validate, operation.input_shape),
            response=_second(validator.validate, operation.output_shape),
            findings=normalise.botocore,
            notes="the service model shipped with the installed botocore (it is newer: its "
            "response also has Feedback and Metadata)",
        )
    ]


def build(
    schemas: Schemas | None, schema_problem: str = ""
) -> tuple[list[Contender], list[Skipped]]:
    """Every contender that can be set up; the others, with the reason they were skipped.

    Without `schemas` (the export failed: `schema_problem` says why), the JSON Schema validators
    are skipped.
    """
    factories: list[tuple[str, str, Callable[[], list[Contender]]]] = [
        ("shapesmith", "shapesmith generated", generated),
        ("handwritten", "hand-written baseline", handwritten),
    ]
    schema_factories: list[tuple[str, str, Callable[[Schemas], list[Contender]]]] = [
        ("jsonschema", "jsonschema", jsonschema),
        ("fastjsonschema", "fastjsonschema", fastjsonschema),
        ("jsonschema_rs", "jsonschema-rs", jsonschema_rs),
    ]
    skipped: list[Skipped] = []
    for key, label, schema_factory in schema_factories:
        if schemas is None:
            skipped.append(Skipped(key, label, schema_problem or "no exported JSON Schema"))
        else:
            factories.append((key, label, functools.partial(schema_factory, schemas)))
    factories += [
        ("pydantic", "pydantic v2", pydantic),
        ("msgspec", "msgspec", msgspec),
        ("botocore", "botocore ParamValidator", botocore),
    ]
    contenders: list[Contender] = []
    for key, label, factory in factories:
        try:
            contenders += factory()
        except ImportError as error:
            skipped.append(Skipped(key, label, f"not installed ({error})"))
        except Exception as error:  # a broken install or a schema it refuses: report, go on
            skipped.append(Skipped(key, label, f"could not be set up: {error!r}"))
    return contenders, skipped
