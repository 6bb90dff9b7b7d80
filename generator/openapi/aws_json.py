"""Documents in the form `shapesmith export openapi` gives an AWS JSON service, read back as that
service (awsJson1_0 or awsJson1_1) rather than as restJson1.

The form: every path is `/#X-Amz-Target=<prefix>.<Operation>` (one route, `POST /`, told apart by
the header), the request and response bodies are `application/x-amz-json-1.x` documents whose
schemas are the operation's input and output structures, and each error response names the
error structures of its status. Those structures keep their component names, so the validators
generated from the document are the ones generated from the Smithy model.
"""

from __future__ import annotations

import re
from typing import Any

from generator.openapi.context import JsonObject, Translation
from generator.openapi.names import pascal
from generator.openapi.refs import Location, RefProblem
from generator.openapi.schemas import Schemas

TARGET_PATH = "/#X-Amz-Target="
ERROR_TYPE = "__type"
_MEDIA = re.compile(r"^application/x-amz-json-(1\.[01])$")
_TARGET = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$")
UNIT = "smithy.api#Unit"


def is_aws_json_form(document: object) -> bool:
    paths = document.get("paths") if isinstance(document, dict) else None
    return (
        isinstance(paths, dict)
        and bool(paths)
        and all(isinstance(path, str) and path.startswith(TARGET_PATH) for path in paths)
    )


class AwsJsonOperations:
    def __init__(self, translation: Translation, schemas: Schemas) -> None:
        self._t = translation
        self._schemas = schemas
        self.prefix: str | None = None
        self.version = "1.1"
        self._errors: set[str] = set()

    @property
    def protocol_trait(self) -> str:
        return f"aws.protocols#awsJson{self.version.replace('.', '_')}"

    def claim_names(self) -> list[tuple[Location, str]]:
        """Each operation as (location, name), with the service's name (the targets' prefix)
        claimed first: AWS JSON names the service in every target."""
        root = Location(self._t.documents.root.display, "")
        paths: Any = self._t.documents.value(root.child("paths"))
        found: list[tuple[Location, str]] = []
        for path, item in paths.items():
            at = root.child("paths", path)
            match = _TARGET.match(path.removeprefix(TARGET_PATH))
            if match is None or not isinstance(item, dict) or set(item) - {"post"}:
                self._t.problem(at, "expected `POST` of a target `<Service>.<Operation>` only")
                continue
            prefix, name = match.groups()
            if self.prefix is None:
                self.prefix = prefix
                self._t.taken.add(prefix.lower())
            elif prefix != self.prefix:
                self._t.problem(at, f"every target names one service: {self.prefix}, not {prefix}")
                continue
            if name.lower() in self._t.taken:
                self._t.problem(at, f"{name} is the name of another operation or of the service")
                continue
            self._t.taken.add(name.lower())
            found.append((at.child("post"), name))
        return found

    def translate(self, at: Location, name: str) -> str:
        operation: Any = self._t.documents.value(at)
        input_id = UNIT
        if isinstance(operation, dict) and "requestBody" in operation:
            with self._schemas.direction("request"):
                input_id = self._body(at.child("requestBody"), f"{name}Request")
        responses = operation.get("responses") if isinstance(operation, dict) else None
        responses = responses if isinstance(responses, dict) else {}
        output_id = UNIT
        with self._schemas.direction("response"):
            if "200" in responses:
                output_id = self._body(at.child("responses", "200"), f"{name}Response")
            errors = [
                error
                for status in sorted(responses, key=str)
                if str(status)[:1] in "45" or status == "default"
                for error in self._error_shapes(at.child("responses", status), str(status))
            ]
        shape: JsonObject = {
            "type": "operation",
            "input": {"target": input_id},
            "output": {"target": output_id},
        }
        if errors:
            shape["errors"] = [{"target": error} for error in dict.fromkeys(errors)]
        if isinstance(operation.get("description"), str) and operation["description"].strip():
            shape["traits"] = {"smithy.api#documentation": operation["description"]}
        return self._t.add_shape(name, shape, at)

    def _media(self, at: Location) -> tuple[Location, str] | None:
        """The body's schema location, its media type telling the protocol version."""
        try:
            where, body = self._t.documents.follow(at)
        except RefProblem as problem:
            self._t.problems.append(problem.diagnostic)
            return None
        content = body.get("content") if isinstance(body, dict) else None
        for media in content if isinstance(content, dict) else ():
            match = _MEDIA.match(media)
            if match is not None:
                self.version = match.group(1)
                return where.child("content", media, "schema"), media
        return None

    def _body(self, at: Location, context: str) -> str:
        found = self._media(at)
        if found is None:
            return UNIT
        target, _ = self._schemas.target(found[0], context)
        shape = self._t.shapes.get(target)
        if shape is None or shape.get("type") != "structure":
            self._t.problem(found[0], "an AWS JSON body is an object schema")
            return UNIT
        return target

    def _error_shapes(self, at: Location, status: str) -> list[str]:
        found = self._media(at)
        if found is None:
            return []
        schema_at = found[0]
        node = self._t.documents.value(schema_at)
        parts = (
            [schema_at.child("oneOf", i) for i, _ in enumerate(node["oneOf"])]
            if isinstance(node, dict) and isinstance(node.get("oneOf"), list)
            else [schema_at]
        )
        errors = []
        for part in parts:
            target, _ = self._schemas.target(part, pascal(f"Status {status} Error", "Error"))
            shape = self._t.shapes.get(target)
            if shape is None or shape.get("type") != "structure":
                self._t.problem(part, "an AWS JSON error is an object schema")
                continue
            if target not in self._errors:
                self._errors.add(target)
                # `__type` names the error on the wire: the protocol's, not a member.
                shape["members"] = {
                    name: member
                    for name, member in shape.get("members", {}).items()
                    if member.get("traits", {}).get("smithy.api#jsonName", name) != ERROR_TYPE
                }
                traits = shape.setdefault("traits", {})
                traits["smithy.api#error"] = "server" if status[:1] == "5" else "client"
                if status.isdigit():
                    traits["smithy.api#httpError"] = int(status)
            errors.append(target)
        return errors
