"""OpenAPI operations -> Smithy operations with HTTP bindings (as restJson1 reads them).

Each operation of `paths` gets an input structure (its parameters bound to the label, query or
header they travel in, and its JSON body as an `@httpPayload` member), an output structure (the
first 2xx response: its body and headers, with its status as the `@http` code), and an error
shape for each 4xx, 5xx or `default` response with a body (carrying its status as `@httpError`).
"""

from __future__ import annotations

import re
from typing import Any

from generator import kinds, naming
from generator.extension_traits import HTTP_COOKIE, HTTP_STYLE
from generator.openapi.context import JsonObject, Translation
from generator.openapi.names import member_name, pascal, unique
from generator.openapi.refs import Location, RefProblem
from generator.openapi.schemas import DOCUMENT, Schemas, Target
from generator.openapi.service import operation_auth

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}
"""Header parameters OpenAPI says are ignored (the media types and security say them)."""
_TEMPLATE_VARIABLE = re.compile(r"\{([^{}]*)\}")
_STATUS = re.compile(r"^[1-5](?:[0-9]{2}|XX)$")
_JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]+\+)?json$", re.IGNORECASE)

_STYLES = {
    "path": ("simple", ("simple", "label", "matrix")),
    "query": ("form", ("form", "spaceDelimited", "pipeDelimited", "deepObject")),
    "header": ("simple", ("simple",)),
    "cookie": ("form", ("form",)),
}
"""Each location's default style, and the styles OpenAPI gives it."""

_BINDING_TRAIT = {
    "path": "smithy.api#httpLabel",
    "query": "smithy.api#httpQuery",
    "header": "smithy.api#httpHeader",
    "cookie": HTTP_COOKIE,
}


def _member(target: Target, traits: JsonObject) -> JsonObject:
    shape_id, target_traits = target
    merged = {**target_traits, **traits}
    return {"target": shape_id, "traits": merged} if merged else {"target": shape_id}


class Operations:
    def __init__(self, translation: Translation, schemas: Schemas, auth: JsonObject) -> None:
        self._t = translation
        self._schemas = schemas
        self._auth = auth
        self._errors: dict[tuple[str, str], str] = {}

    def claim_names(self) -> list[tuple[Location, str, str, str]]:
        """Every operation as (location, method, path, name), names claimed before any schema's:
        an operation is called what its operationId says, and a schema of the same name yields."""
        found: list[tuple[Location, str, str, str]] = []
        first_seen: dict[str, Location] = {}
        paths = self._t.documents.value(Location(self._t.documents.root.display, "/paths"))
        if not isinstance(paths, dict):
            return found
        root = Location(self._t.documents.root.display, "")
        for path, item in paths.items():
            if not isinstance(item, dict):
                continue
            for method in METHODS:
                if method not in item:
                    continue
                at = root.child("paths", path, method)
                operation = item[method]
                given = operation.get("operationId") if isinstance(operation, dict) else None
                if isinstance(given, str):
                    name = pascal(given, "Op")
                    where = at.child("operationId")
                else:
                    name = pascal(f"{method} {path}", "Op")
                    where = at
                other = first_seen.get(name.lower())
                if other is not None:
                    self._t.problem(
                        where,
                        f"the operation name {name} is also the name of the operation at "
                        f"{other.pointer}; give each an operationId of its own",
                    )
                    continue
                first_seen[name.lower()] = where
                self._t.taken.add(name.lower())
                found.append((at, method, path, name))
        return found

    def translate(self, at: Location, method: str, path: str, name: str) -> str:
        operation: Any = self._t.documents.value(at)
        item = self._t.documents.value(Location(at.file, at.pointer.rpartition("/")[0]))
        assert isinstance(item, dict) and isinstance(operation, dict)
        uri, labels = self._uri(at, path)
        with self._schemas.direction("request"):
            input_id = self._input(at, item, operation, name, labels)
        with self._schemas.direction("response"):
            output_id, code = self._output(at, operation, name)
            errors = self._error_shapes(at, operation, name)
        traits: JsonObject = {
            "smithy.api#http": {"method": method.upper(), "uri": uri, "code": code}
        }
        if method in {"get", "head", "options"}:
            traits["smithy.api#readonly"] = {}
        elif method in {"put", "delete"}:
            traits["smithy.api#idempotent"] = {}
        for key in ("description", "summary"):
            if isinstance(operation.get(key), str) and operation[key].strip():
                traits["smithy.api#documentation"] = operation[key]
                break
        if operation.get("deprecated") is True:
            traits["smithy.api#deprecated"] = {}
        traits.update(operation_auth(self._t, at, operation, self._auth))
        shape: JsonObject = {
            "type": "operation",
            "input": {"target": input_id},
            "output": {"target": output_id},
            "traits": traits,
        }
        if errors:
            shape["errors"] = [{"target": error} for error in errors]
        return self._t.add_shape(name, shape, at)

    def _uri(self, at: Location, path: str) -> tuple[str, dict[str, str]]:
        """The `@http` URI of `path` with each `{variable}` renamed to its member's name."""
        labels: dict[str, str] = {}
        taken: set[str] = set()

        def rename(match: re.Match[str]) -> str:
            variable = match.group(1)
            labels[variable] = labels.get(variable) or unique(member_name(variable), taken)
            return "{" + labels[variable] + "}"

        return _TEMPLATE_VARIABLE.sub(rename, path), labels

    def _parameters(
        self, at: Location, item: JsonObject, operation: JsonObject
    ) -> list[tuple[Location, JsonObject]]:
        """Path-level parameters overridden by the operation's own (same name and `in`)."""
        chosen: dict[tuple[str, str], tuple[Location, JsonObject]] = {}
        path_at = Location(at.file, at.pointer.rpartition("/")[0])
        for owner_at, owner in ((path_at, item), (at, operation)):
            listed = owner.get("parameters")
            for index, _ in enumerate(listed if isinstance(listed, list) else []):
                try:
                    where, parameter = self._t.documents.follow(owner_at.child("parameters", index))
                except RefProblem as problem:
                    self._t.problems.append(problem.diagnostic)
                    continue
                if isinstance(parameter, dict):
                    key = (str(parameter.get("name")), str(parameter.get("in")))
                    chosen[key] = (where, parameter)
        return list(chosen.values())

    def _input(
        self,
        at: Location,
        item: JsonObject,
        operation: JsonObject,
        name: str,
        labels: dict[str, str],
    ) -> str:
        input_name = unique(name + "Input", self._t.taken)
        members: JsonObject = {}
        taken = {label.lower() for label in labels.values()}
        found_labels: set[str] = set()
        shape_id = self._t.shape_id(input_name)
        for where, parameter in self._parameters(at, item, operation):
            for member, definition in self._parameter(where, parameter, input_name, labels, taken):
                if parameter.get("in") == "path":
                    found_labels.add(str(parameter["name"]))
                members[member] = definition
                self._t.source_map.record(where, shape_id, "members", member)
        for variable in labels:
            if variable not in found_labels:
                self._t.problem(
                    at,
                    f"the path's {{{variable}}} has no path parameter of that name; "
                    "expected one with `in: path`",
                )
        body = self._request_body(at, operation, input_name, taken)
        if body is not None:
            body_member, definition, where = body
            members[body_member] = definition
            self._t.source_map.record(where, shape_id, "members", body_member)
        shape = {"type": "structure", "members": members, "traits": {"smithy.api#input": {}}}
        return self._t.add_shape(input_name, shape, at)

    def _parameter(
        self,
        where: Location,
        parameter: JsonObject,
        owner: str,
        labels: dict[str, str],
        taken: set[str],
    ) -> list[tuple[str, JsonObject]]:
        """The members a parameter is (one, or one per property of an object in the query)."""
        name, location = parameter.get("name"), parameter.get("in")
        if not isinstance(name, str) or location not in {"path", "query", "header", "cookie"}:
            return []
        if location == "cookie" and not naming.HTTP_TOKEN.fullmatch(name):
            self._t.warn(
                where.child("name"),
                f"{name!r} is no cookie name a Cookie header can carry: it is not sent",
            )
            return []
        if location == "header" and name.lower() in _IGNORED_HEADERS:
            return []
        if location == "path" and name not in labels:
            self._t.problem(where.child("name"), f"path parameter {name!r} is not in the path")
            return []
        if location == "path" and parameter.get("required") is not True:
            self._t.problem(where.child("required"), "a path parameter must say `required: true`")
            return []
        if "schema" not in parameter:
            self._t.warn(
                where, "a parameter given by `content` is not supported yet: it is not sent"
            )
            return []
        style, explode = self._style(where, parameter, location)
        kind = self._schema_kind(where.child("schema"))
        # An exploded object's properties are query parameters of their own, and so are a
        # deepObject's (`name[property]`); a deepObject map is one member, `name[key]` each.
        deep_map = style == "deepObject" and not self._has_properties(where.child("schema"))
        if location == "query" and kind == "object" and explode and not deep_map:
            return self._object_query(where, parameter, owner, taken, style)
        member = labels[name] if location == "path" else unique(member_name(name), taken)
        target = self._styled_target(where, location, kind, owner + pascal(name, "Member"))
        styled: JsonObject = {}
        if target is None:
            # An array of arrays, an object of objects: RFC 6570 and OpenAPI's style table
            # write one level of values only.
            self._t.warn(
                where.child("schema"),
                f"a {location} parameter of type {kind} whose values are not all simple has no "
                f"form in OpenAPI's style table: it is a string the caller writes as it is sent",
            )
            target = ("smithy.api#String", {})
        elif location == "path" and (style != "simple" or kind in {"array", "object"}):
            styled = {"style": style, "explode": explode, "name": name}
        elif location == "query" and style == "deepObject":
            styled = {"style": style, "explode": True}  # a map: `name[key]=value` each
        elif location == "query" and not explode and kind in {"array", "object"}:
            styled = {"style": style, "explode": False}
        elif location in {"header", "cookie"} and kind == "object":
            styled = {"style": style, "explode": explode}
            if location == "cookie" and explode:
                self._warn_if_not_cookie_names(where.child("schema"))
        elif location == "cookie" and kind == "array":
            styled = {"style": style, "explode": explode}
        self._schemas.warn_if_nullable(where.child("schema"), "a parameter")
        binding: object = {} if location == "path" else name
        traits: JsonObject = {_BINDING_TRAIT[location]: binding}
        if styled:
            traits[HTTP_STYLE] = styled
        if parameter.get("required") is True:
            traits["smithy.api#required"] = {}
        if isinstance(parameter.get("description"), str) and parameter["description"].strip():
            traits["smithy.api#documentation"] = parameter["description"]
        return [(member, _member(target, traits))]

    def _schema_kind(self, at: Location) -> str | None:
        try:
            _, schema = self._t.documents.follow(at)
        except RefProblem:
            return None  # reported where the parameter's shape is made
        if not isinstance(schema, dict):
            return None
        kind = schema.get("type")
        if kind is None and ("properties" in schema or "additionalProperties" in schema):
            return "object"
        return kind if isinstance(kind, str) else None

    def _object_query(
        self, where: Location, parameter: JsonObject, owner: str, taken: set[str], style: str
    ) -> list[tuple[str, JsonObject]]:
        """An object in the query string: `form` style with `explode` (the default) spreads
        its properties over the query (`?color=red&size=2`), `deepObject` names each
        `name[property]`; a map (`additionalProperties` only) in the form style is every key
        of the query the other parameters leave."""
        name = str(parameter["name"])
        schema: Any
        schema_at, schema = self._t.documents.follow(where.child("schema"))
        properties = schema.get("properties")
        if not isinstance(properties, dict) or not properties:
            member = unique(member_name(name), taken)
            target = self._schemas.target(where.child("schema"), owner + pascal(name, "Member"))
            return [(member, _member(target, {"smithy.api#httpQueryParams": {}}))]
        required = set(schema.get("required") or ()) if parameter.get("required") else set()
        placed = []
        for prop in properties:
            prop_at = schema_at.child("properties", prop)
            if self._schema_kind(prop_at) == "object":
                self._t.warn(
                    prop_at,
                    f"an object inside an object query parameter has no form in OpenAPI's "
                    f"style table ({style} leaves it undefined): it is not sent",
                )
                continue
            key = f"{name}[{prop}]" if style == "deepObject" else prop
            member = unique(member_name(f"{name} {prop}" if style == "deepObject" else prop), taken)
            target = self._schemas.target(prop_at, owner + pascal(f"{name} {prop}", "Member"))
            traits: JsonObject = {"smithy.api#httpQuery": key}
            if prop in required:
                traits["smithy.api#required"] = {}
            placed.append((member, _member(target, traits)))
        return placed

    def _style(self, where: Location, parameter: JsonObject, location: str) -> tuple[str, bool]:
        """The parameter's style and explode, OpenAPI's defaults filled in; a style its location
        does not have is a warning, and the default is used."""
        default, allowed = _STYLES[location]
        style = parameter.get("style", default)
        if style not in allowed:
            self._t.warn(
                where.child("style"),
                f"{style!r} is no style of a {location} parameter (those are "
                f"{', '.join(allowed)}): it is sent in the {default} style",
            )
            style = default
        explode = parameter.get("explode", style in {"form", "deepObject"})
        if style == "deepObject" and self._schema_kind(where.child("schema")) != "object":
            self._t.warn(
                where.child("style"),
                "deepObject is a style of objects: it is sent in the form style",
            )
            style, explode = "form", True
        if style == "deepObject":
            explode = True  # its one form (OpenAPI 3.2's table: explode does not apply)
        if style in {"spaceDelimited", "pipeDelimited"} and explode is True:
            self._t.warn(
                where.child("explode"),
                f"{style} with explode: true is undefined in OpenAPI's style table: it is sent "
                "in the form style (a key per value)",
            )
            style = "form"
        return str(style), explode is True

    def _styled_target(
        self, where: Location, location: str, kind: str | None, context: str
    ) -> Target | None:
        """The shape of a parameter of `kind`: a simple value, or a list of simple values, an
        object (a structure) of simple properties or a map (`additionalProperties` alone) of
        simple values. None for what has no text form."""
        if kind not in {"array", "object"}:
            return self._schemas.target(where.child("schema"), context)
        if not self._has_text_form(where.child("schema"), kind):
            return None
        target = self._schemas.target(where.child("schema"), context)
        shape = self._t.shapes.get(target[0])
        if kind == "array" and shape is not None and shape["type"] == "list":
            parts = [shape["member"]]
        elif kind == "object" and shape is not None and shape["type"] == "structure":
            parts = list(shape["members"].values())
        elif kind == "object" and shape is not None and shape["type"] == "map":
            parts = [shape["value"]]
        else:
            return None
        return target if all(self._simple(part["target"]) for part in parts) else None

    def _has_text_form(self, at: Location, kind: str) -> bool:
        """Whether the array's items or the object's properties (at least one) are each of a
        simple type, as the document says it (before any shape is made of it)."""
        try:
            schema_at, schema = self._t.documents.follow(at)
        except RefProblem:
            return False
        if not isinstance(schema, dict):
            return False
        if kind == "array":
            parts = [schema_at.child("items")] if isinstance(schema.get("items"), dict) else []
        elif self._has_properties(at):
            parts = [schema_at.child("properties", name) for name in schema["properties"]]
        else:
            extra = schema.get("additionalProperties")
            parts = [schema_at.child("additionalProperties")] if isinstance(extra, dict) else []
        return bool(parts) and all(
            self._schema_kind(part) in {"string", "integer", "number", "boolean"} for part in parts
        )

    def _has_properties(self, at: Location) -> bool:
        """Whether the object schema at `at` names properties (a structure, not a map)."""
        try:
            _, schema = self._t.documents.follow(at)
        except RefProblem:
            return False
        properties = schema.get("properties") if isinstance(schema, dict) else None
        return isinstance(properties, dict) and bool(properties)

    def _warn_if_not_cookie_names(self, at: Location) -> None:
        """An exploded cookie object sends each property as a cookie of its name, which a name
        that is not an RFC 9110 token cannot be."""
        try:
            schema_at, schema = self._t.documents.follow(at)
        except RefProblem:
            return
        properties = schema.get("properties") if isinstance(schema, dict) else None
        for name in properties if isinstance(properties, dict) else ():
            if not naming.HTTP_TOKEN.fullmatch(name):
                self._t.warn(
                    schema_at.child("properties", name),
                    f"{name!r} is no cookie name a Cookie header can carry: an exploded cookie "
                    "object cannot send it",
                )

    def _simple(self, shape_id: str) -> bool:
        shape = self._t.shapes.get(shape_id)
        kind = shape["type"] if shape is not None else _PRELUDE_KIND.get(shape_id, "document")
        return kinds.by_type(kind).http_simple

    def _request_body(
        self, at: Location, operation: JsonObject, owner: str, taken: set[str]
    ) -> tuple[str, JsonObject, Location] | None:
        if "requestBody" not in operation:
            return None
        try:
            where, body = self._t.documents.follow(at.child("requestBody"))
        except RefProblem as problem:
            self._t.problems.append(problem.diagnostic)
            return None
        if not isinstance(body, dict):
            return None
        placed = self._payload(where, body, owner + "Body")
        if placed is None:
            return None
        target, media_at = placed
        traits: JsonObject = {"smithy.api#httpPayload": {}}
        if body.get("required") is True:
            traits["smithy.api#required"] = {}
        return unique("body", taken), _member(target, traits), media_at

    def _payload(
        self, where: Location, message: JsonObject, context: str
    ) -> tuple[Target, Location] | None:
        """The shape of a request's or response's body, from its JSON media type (or raw bytes
        for `application/octet-stream` and any named media type whose schema is bytes, text for
        `text/plain`)."""
        content = message.get("content")
        if not isinstance(content, dict) or not content:
            return None
        for media, entry in content.items():
            media_at = where.child("content", media)
            if _JSON_MEDIA.match(media):
                if not isinstance(entry, dict) or "schema" not in entry:
                    return (DOCUMENT, {}), media_at
                target = self._schemas.target(media_at.child("schema"), context)
                self._schemas.warn_if_nullable(media_at.child("schema"), "a JSON body")
                return self._payload_target(media_at, target, context), media_at
        for media, entry in content.items():
            if media == "application/octet-stream":
                return ("smithy.api#Blob", {}), where.child("content", media)
            if media == "text/plain":
                return ("smithy.api#String", {}), where.child("content", media)
            if "*" not in media and _binary(entry):
                # Bytes of one named media type: sent with it as their Content-Type.
                shape = {"type": "blob", "traits": {"smithy.api#mediaType": media}}
                media_at = where.child("content", media)
                return (self._t.add_shape(context, shape, media_at), {}), media_at
        self._t.warn(
            where.child("content"),
            f"media types {', '.join(sorted(content))} are not supported yet (JSON, "
            "application/octet-stream and text/plain are): the body is left out",
        )
        return None

    def _payload_target(self, at: Location, target: Target, context: str) -> Target:
        shape_id, _ = target
        shape = self._t.shapes.get(shape_id)
        kind = shape["type"] if shape is not None else _PRELUDE_KIND.get(shape_id, "document")
        if kind in {"structure", "union", "document", "list", "map"}:
            return target
        self._t.warn(
            at.child("schema"),
            f"a JSON body that is a single {kind} is not supported yet: it is read and "
            "written as any JSON value",
        )
        return DOCUMENT, {}

    def _output(self, at: Location, operation: JsonObject, name: str) -> tuple[str, int]:
        output_name = unique(name + "Output", self._t.taken)
        shape_id = self._t.shape_id(output_name)
        responses = _responses(operation)
        successes = sorted(code for code in responses if str(code)[:1] == "2")
        members: JsonObject = {}
        code = 200
        if successes:
            status = successes[0]
            code = 200 if status == "2XX" else int(status)
            if len(successes) > 1:
                self._t.warn(
                    at.child("responses", successes[1]),
                    f"only the first success response ({status}) is the output",
                )
            members = self._response_members(at.child("responses", status), output_name, shape_id)
        shape = {"type": "structure", "members": members, "traits": {"smithy.api#output": {}}}
        self._t.add_shape(output_name, shape, at.child("responses"))
        return shape_id, code

    def _response_members(self, at: Location, owner: str, shape_id: str) -> JsonObject:
        try:
            where, response = self._t.documents.follow(at)
        except RefProblem as problem:
            self._t.problems.append(problem.diagnostic)
            return {}
        if not isinstance(response, dict):
            return {}
        members: JsonObject = {}
        taken: set[str] = set()
        headers = response.get("headers")
        headers = headers if isinstance(headers, dict) else {}
        for header in headers:
            try:
                header_at, definition = self._t.documents.follow(where.child("headers", header))
            except RefProblem as problem:
                self._t.problems.append(problem.diagnostic)
                continue
            if header.lower() == "content-type" or not isinstance(definition, dict):
                continue
            if "schema" not in definition:
                continue
            member = unique(member_name(header), taken)
            target = self._schemas.target(
                header_at.child("schema"), owner + pascal(header, "Header")
            )
            traits: JsonObject = {"smithy.api#httpHeader": header}
            if definition.get("required") is True:
                traits["smithy.api#required"] = {}
            members[member] = _member(target, traits)
            self._t.source_map.record(header_at, shape_id, "members", member)
        placed = self._payload(where, response, owner + "Body")
        if placed is not None:
            target, media_at = placed
            member = unique("body", taken)
            # A response with content always carries it: the answer must have its body.
            payload: JsonObject = {"smithy.api#httpPayload": {}, "smithy.api#required": {}}
            members[member] = _member(target, payload)
            self._t.source_map.record(media_at, shape_id, "members", member)
        return members

    def _error_shapes(self, at: Location, operation: JsonObject, name: str) -> list[str]:
        responses = _responses(operation)
        errors: list[str] = []
        for status in responses:
            where = at.child("responses", status)
            if status != "default" and not _STATUS.match(str(status)):
                self._t.problem(
                    where,
                    f"{status!r} is not a status code: expected 100 to 599, 1XX to 5XX, or default",
                )
                continue
            if status == "default" or status[0] in "45":
                error = self._error(where, str(status), name)
                if error is not None and error not in errors:
                    errors.append(error)
        return errors

    def _error(self, at: Location, status: str, operation: str) -> str | None:
        try:
            where, response = self._t.documents.follow(at)
        except RefProblem as problem:
            self._t.problems.append(problem.diagnostic)
            return None
        if not isinstance(response, dict) or not response.get("content"):
            return None
        placed = self._payload(where, response, f"{operation}{pascal(status, 'Status')}Body")
        if placed is None:
            return None
        (body_id, _), media_at = placed
        body_shape = self._t.shapes.get(body_id)
        suffix = "Default" if status == "default" else f"Status{status}"
        named_body = body_shape is not None and body_id != DOCUMENT
        key = (body_id if named_body else f"{operation}", status)
        known = self._errors.get(key)
        if known is not None:
            return known
        base = body_id.partition("#")[2] if named_body else f"{operation}Error"
        error_name = unique(base + suffix, self._t.taken)
        traits: JsonObject = {"smithy.api#error": "client" if status[0] == "4" else "server"}
        if status != "default":
            traits["smithy.api#httpError"] = int(status.replace("XX", "00"))
        if isinstance(response.get("description"), str) and response["description"].strip():
            traits["smithy.api#documentation"] = response["description"]
        if body_shape is not None and body_shape["type"] == "structure":
            members = {name: dict(member) for name, member in body_shape["members"].items()}
        else:
            members = {"body": {"target": body_id, "traits": {"smithy.api#httpPayload": {}}}}
        shape = {"type": "structure", "members": members, "traits": traits}
        error_id = self._t.add_shape(error_name, shape, media_at)
        self._errors[key] = error_id
        return error_id


def _responses(operation: JsonObject) -> JsonObject:
    found = operation.get("responses")
    return found if isinstance(found, dict) else {}


_PRELUDE_KIND = {
    "smithy.api#String": "string",
    "smithy.api#Blob": "blob",
    "smithy.api#Boolean": "boolean",
    "smithy.api#Timestamp": "timestamp",
    "smithy.api#Integer": "integer",
    "smithy.api#Long": "long",
    "smithy.api#Float": "float",
    "smithy.api#Double": "double",
    "smithy.api#Document": "document",
}


def _binary(entry: object) -> bool:
    """Whether a media type object's schema says raw bytes: none at all, or a string with
    `format: binary` (3.0) or a `contentMediaType` (3.1)."""
    if not isinstance(entry, dict) or "schema" not in entry:
        return True
    schema = entry["schema"]
    return isinstance(schema, dict) and (
        schema.get("format") == "binary" or "contentMediaType" in schema
    )
