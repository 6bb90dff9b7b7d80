"""A service as an OpenAPI 3.1 document (`shapesmith export openapi`).

restJson1 operations keep their HTTP bindings: `@http` is the path and method, labels, query and
header members are parameters, the payload or the other members the JSON body. An AWS JSON
service has one route, `POST /`, that names the operation in `X-Amz-Target`; OpenAPI keys
operations by path and method, so each is written under `/#X-Amz-Target=<prefix>.<Operation>`
(the fragment is never sent: every request goes to `/`), with the header as a required parameter
of that one value. shapesmith reads such a document back as the AWS JSON service it came from.

Schemas are those of the JSON Schema export, under `#/components/schemas/`. Errors are responses
by their `@httpError` status (or 400/500 by fault); where several share a status, `oneOf` of
them. A query params map is an exploded `form` object. What OpenAPI cannot say of a member
(prefix headers) is left out, named in a warning. Auth traits are security schemes and requirements (`export_security`).
"""

from __future__ import annotations

from typing import Any

from generator import docs, ir
from generator.diagnostics import Warnings
from generator.jsonschema_export import Definitions, json_text
from generator.openapi.export_security import requirements, security_schemes

JsonObject = dict[str, Any]

VERSION = "3.1.0"
TARGET_HEADER = "X-Amz-Target"
ERROR_TYPE = "__type"
TARGET_PATH = "/#X-Amz-Target="
"""How a path of the AWS JSON form starts; the operation's target follows."""

_PARAMETER_IN = {
    ir.BindingLocation.LABEL: "path",
    ir.BindingLocation.QUERY: "query",
    ir.BindingLocation.HEADER: "header",
    ir.BindingLocation.COOKIE: "cookie",
}


def openapi_files(units: tuple[ir.GenerationUnit, ...], warnings: Warnings) -> dict[str, str]:
    return {
        f"{unit.service.package_name}.openapi.json": json_text(document(unit, warnings))
        for unit in units
    }


def document(unit: ir.GenerationUnit, warnings: Warnings) -> JsonObject:
    service = unit.service
    protocol = service.protocol
    definitions = Definitions("#/components/schemas/", json_names=isinstance(protocol, ir.RestJson))
    info: JsonObject = {
        "title": str(service.title or service.name),
        "version": str(service.version),
    }
    text = docs.to_plain_text(service.documentation, width=10_000)
    if text:
        info["description"] = text
    paths: JsonObject = {}
    default_security = requirements(service.auth.default)
    for operation in unit.operations:
        if isinstance(protocol, ir.AwsJson):
            path, method = f"{TARGET_PATH}{protocol.target_prefix}.{operation.name}", "post"
            item = _aws_json_operation(operation, protocol, definitions)
        elif operation.http is not None:
            path, method = _document_path(operation), str(operation.http.method).lower()
            item = _rest_json_operation(operation, definitions, warnings)
        else:
            continue
        security = requirements(operation.auth)
        if operation.auth and security != default_security:
            item["security"] = security
        paths.setdefault(path.replace("+}", "}"), {})[method] = item
    found: JsonObject = {"openapi": VERSION, "info": info, "paths": paths}
    schemas = definitions.finish()
    if isinstance(protocol, ir.AwsJson):
        for error in {error.name for operation in unit.operations for error in operation.errors}:
            _name_the_error(schemas[error], error)
    components: JsonObject = {}
    if schemas:
        components["schemas"] = schemas
    security_schemes_found = security_schemes(service, unit.operations)
    if security_schemes_found:
        components["securitySchemes"] = security_schemes_found
    if components:
        found["components"] = components
    if default_security:
        found["security"] = default_security
    return found


def _name_the_error(schema: JsonObject, name: str) -> None:
    """An AWS JSON error body names its error in `__type` (`Name`, or `namespace#Name`, perhaps
    followed by `:` and more), which also tells apart errors of the same status and members."""
    schema["properties"] = {
        ERROR_TYPE: {"type": "string", "pattern": f"^([^#]*#)?{name}(:.*)?$"},
        **schema.get("properties", {}),
    }
    schema["required"] = [ERROR_TYPE, *schema.get("required", [])]


def _aws_json_operation(
    operation: ir.OperationShape, protocol: ir.AwsJson, definitions: Definitions
) -> JsonObject:
    media = protocol.content_type
    target = f"{protocol.target_prefix}.{operation.name}"
    item = _operation_head(operation)
    item["parameters"] = [
        {
            "name": TARGET_HEADER,
            "in": "header",
            "required": True,
            "schema": {"type": "string", "enum": [target]},
        }
    ]
    item["requestBody"] = {
        "required": True,
        "content": {media: {"schema": definitions.refer(operation.input)}},
    }
    item["responses"] = {
        "200": _response("Success", media, definitions.refer(operation.output)),
        **_error_responses(operation, media, definitions),
    }
    return item


def _rest_json_operation(
    operation: ir.OperationShape, definitions: Definitions, warnings: Warnings
) -> JsonObject:
    assert operation.http is not None
    item = _operation_head(operation)
    parameters: list[JsonObject] = []
    body: list[ir.Member] = []
    payload: ir.Member | None = None
    for member in operation.input.members:
        binding = member.binding
        location = binding.location if binding else ir.BindingLocation.BODY
        if location in _PARAMETER_IN:
            assert binding is not None
            parameters.append(_parameter(member, _PARAMETER_IN[location], binding, definitions))
        elif location is ir.BindingLocation.QUERY_PARAMS:
            # A map spread over the query: OpenAPI's exploded `form` object, whose name is
            # never sent (read back, `@httpQueryParams` again).
            parameters.append(
                {
                    "name": member.name,
                    "in": "query",
                    "style": "form",
                    "explode": True,
                    "schema": definitions.value(member),
                }
            )
        elif location is ir.BindingLocation.PAYLOAD:
            payload = member
        elif location is ir.BindingLocation.BODY:
            body.append(member)
        else:
            warnings.add(
                "<export>",
                f"/paths/{operation.http.path}",
                f"{operation.input.name}.{member.name}: {location.value} members are not "
                "written to OpenAPI",
            )
    if parameters:
        item["parameters"] = parameters
    request = _body_schema(operation.input, body, payload, definitions)
    if request is not None:
        item["requestBody"] = {
            "required": any(m.must_be_present for m in [*body, *([payload] if payload else [])]),
            "content": {_media_type(payload): {"schema": request}},
        }
    output_body = [m for m in operation.output.members if _located(m, ir.BindingLocation.BODY)]
    output_payload = next(
        (m for m in operation.output.members if _located(m, ir.BindingLocation.PAYLOAD)), None
    )
    answer = _body_schema(operation.output, output_body, output_payload, definitions)
    success: JsonObject = {"description": "Success"}
    if answer is not None:
        success["content"] = {_media_type(output_payload): {"schema": answer}}
    item["responses"] = {
        str(operation.http.code): success,
        **_error_responses(operation, "application/json", definitions),
    }
    return item


def _document_path(operation: ir.OperationShape) -> str:
    """The operation's path template with each styled label under the parameter name its
    document gave it (`{item-id}`, which a Smithy label cannot spell): a matrix label writes
    that name on the wire (`;item-id=7`), so the parameter must keep it."""
    assert operation.http is not None
    path = str(operation.http.path)
    for member in operation.input.members:
        binding = member.binding
        if _located(member, ir.BindingLocation.LABEL) and binding and binding.style is not None:
            for greedy in ("+", ""):
                label = "{" + str(binding.wire_name) + greedy + "}"
                path = path.replace(label, "{" + str(binding.style.parameter) + greedy + "}")
    return path


def _media_type(payload: ir.Member | None) -> str:
    """The body's media type: JSON, but a blob or string payload is sent as it is (`@mediaType`,
    else bytes as `application/octet-stream` and text as `text/plain`)."""
    target = payload.target if payload is not None else None
    if not isinstance(target, ir.ScalarShape):
        return "application/json"
    if target.type is ir.ShapeType.BLOB:
        return str(target.media_type or "application/octet-stream")
    if target.type is ir.ShapeType.STRING:
        return str(target.media_type or "text/plain")
    return "application/json"


def _located(member: ir.Member, location: ir.BindingLocation) -> bool:
    return member.binding is not None and member.binding.location is location


def _operation_head(operation: ir.OperationShape) -> JsonObject:
    item: JsonObject = {"operationId": operation.name}
    text = docs.to_plain_text(operation.documentation, width=10_000)
    if text:
        item["description"] = text
    return item


def _parameter(
    member: ir.Member, where: str, binding: ir.Binding, definitions: Definitions
) -> JsonObject:
    # A styled parameter keeps its document's name (a label's member may be named otherwise).
    name = binding.wire_name if binding.style is None else binding.style.parameter
    found: JsonObject = {"name": str(name), "in": where}
    if where == "path" or member.must_be_present:
        found["required"] = True
    if binding.style is not None:
        found["style"] = binding.style.style
        found["explode"] = binding.style.explode
    found["schema"] = definitions.value(member)
    return found


def _body_schema(
    shape: ir.StructureShape,
    members: list[ir.Member],
    payload: ir.Member | None,
    definitions: Definitions,
) -> JsonObject | None:
    """The body: the payload member's value, or an object of the body members."""
    if payload is not None and _media_type(payload) != "application/json":
        if payload.target.type is ir.ShapeType.BLOB:
            return {"type": "string", "contentMediaType": _media_type(payload)}
        return definitions.value(payload)
    if payload is not None:
        return definitions.value(payload)
    if not members:
        return None
    schema: JsonObject = {
        "type": "object",
        "properties": {definitions.key(m): definitions.value(m) for m in members},
        "additionalProperties": False,
    }
    required = [definitions.key(m) for m in members if m.must_be_present]
    if required:
        schema["required"] = required
    return schema


def _response(description: str, media: str, schema: JsonObject) -> JsonObject:
    return {"description": description, "content": {media: {"schema": schema}}}


def _error_responses(
    operation: ir.OperationShape, media: str, definitions: Definitions
) -> JsonObject:
    by_status: dict[int, list[ir.StructureShape]] = {}
    for error in operation.errors:
        by_status.setdefault(_status(error), []).append(error)
    responses: JsonObject = {}
    for status, errors in sorted(by_status.items()):
        schemas = [definitions.refer(error) for error in errors]
        schema = schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
        names = ", ".join(error.name for error in errors)
        responses[str(status)] = _response(names, media, schema)
    return responses


def _status(error: ir.StructureShape) -> int:
    return error.error.http_status if error.error is not None else 500
