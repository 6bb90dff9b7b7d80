"""Checks of Smithy's HTTP binding traits (`@http`, `@httpLabel`, `@httpQuery`, `@httpHeader`,
`@httpPayload`...), part of `semantics`.

Smithy defines these traits apart from any protocol, so they are checked wherever a model has
them, whatever its service's protocol; an operation without `@http` is not asked for one.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator import kinds, naming, uri_pattern
from generator.diagnostics import Diagnostic, json_pointer
from generator.extension_traits import HTTP_COOKIE, HTTP_STYLE
from generator.http_bindings import binding_traits
from generator.loader import AssembledModel, JsonObject, SourcedShape

_STRINGS = {"string", "enum"}
_SIMPLE_WORDS = "a string, enum, number, boolean or timestamp"
_LIST_OF_STRINGS = "lists of string"

_STYLES = {
    "smithy.api#httpLabel": ("simple", "label", "matrix"),
    "smithy.api#httpQuery": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "smithy.api#httpHeader": ("simple",),
    HTTP_COOKIE: ("form",),
}
"""The styles (`shapesmith.api#httpStyle`) of each binding that may have one."""

_ONE_PER_STRUCTURE = (
    "smithy.api#httpPayload",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpQueryParams",
    "smithy.api#httpResponseCode",
)
"""Traits that at most one member of a structure may have."""


def problems(model: AssembledModel) -> Iterator[Diagnostic]:
    """Every misuse of the HTTP binding traits in the model."""
    responses = {
        shape.data["output"]["target"]
        for shape in model.shapes.values()
        if shape.type == "operation" and "output" in shape.data
    }
    for shape_id in sorted(model.shapes):
        shape = model.shapes[shape_id]
        yield from _misplaced(shape_id, shape)
        if shape.type == "operation" and "smithy.api#http" in shape.traits:
            yield from _route(model, shape_id, shape)
        if shape.type == "structure":
            traits = shape.traits
            response = (
                shape_id in responses
                or "smithy.api#output" in traits
                or "smithy.api#error" in traits
            )
            yield from _structure(model, shape_id, shape, response)


def _short(trait: str) -> str:
    return "@" + trait.partition("#")[2]


def _misplaced(shape_id: str, shape: SourcedShape) -> Iterator[Diagnostic]:
    """`@http` off an operation, and binding traits off structure members."""
    base = ("shapes", shape_id)
    if "smithy.api#http" in shape.traits and shape.type != "operation":
        yield Diagnostic(
            shape.file,
            json_pointer(*base, "traits", "smithy.api#http"),
            f"@http applies to operations, not to {naming.article(shape.type)}",
        )
    for trait in binding_traits(shape.traits):
        yield Diagnostic(
            shape.file,
            json_pointer(*base, "traits", trait),
            f"{_short(trait)} applies to structure members, not to {naming.article(shape.type)}",
        )
    if shape.type == "structure":
        return
    placed: list[tuple[tuple[str, ...], JsonObject]] = [
        ((key,), shape.data[key]) for key in ("member", "key", "value") if key in shape.data
    ]
    placed += [(("members", name), data) for name, data in shape.data.get("members", {}).items()]
    for parts, member in placed:
        for trait in binding_traits(member.get("traits", {})):
            yield Diagnostic(
                shape.file,
                json_pointer(*base, *parts, "traits", trait),
                f"{_short(trait)} applies to structure members, not to the members of "
                f"{naming.article(shape.type)}",
            )


def _route(
    model: AssembledModel, operation_id: str, operation: SourcedShape
) -> Iterator[Diagnostic]:
    """The URI pattern, and its labels against the input members with `@httpLabel`."""
    uri: str = operation.traits["smithy.api#http"]["uri"]
    uri_at = json_pointer("shapes", operation_id, "traits", "smithy.api#http", "uri")
    pattern = uri_pattern.parse(uri)
    for problem in pattern.problems:
        yield Diagnostic(operation.file, uri_at, problem)
    input_id = operation.data.get("input", {}).get("target", "smithy.api#Unit")
    input_shape = model.shapes.get(input_id)
    if input_shape is None or input_shape.type != "structure":
        return  # reported by `semantics`
    members: JsonObject = input_shape.data.get("members", {})
    label_members = {
        name: member
        for name, member in members.items()
        if "smithy.api#httpLabel" in member.get("traits", {})
    }
    for name, greedy in pattern.labels:
        shown = f"{{{name}+}}" if greedy else f"{{{name}}}"
        member = label_members.get(name)
        if member is None:
            message = (
                f"the label {shown} needs an input member named {name!r} with @httpLabel, but "
                "the operation has no input"
                if input_id == "smithy.api#Unit"
                else f"the label {shown} has no member named {name!r} with @httpLabel in the "
                f"input {input_id}"
            )
            yield Diagnostic(operation.file, uri_at, message)
            continue
        target = model.shapes.get(member["target"])
        if greedy and target is not None and target.type not in _STRINGS:
            yield Diagnostic(
                input_shape.file,
                json_pointer("shapes", input_id, "members", name, "traits", "smithy.api#httpLabel"),
                f"the member fills the greedy label {shown} of {operation_id}, so it must target "
                f"a string, not {naming.article(target.type)}",
            )
    labels = {name for name, _ in pattern.labels}
    for name in label_members:
        if name not in labels:
            yield Diagnostic(
                input_shape.file,
                json_pointer("shapes", input_id, "members", name, "traits", "smithy.api#httpLabel"),
                f"the URI pattern {uri!r} of {operation_id} has no label {{{name}}} for this "
                "@httpLabel member",
            )


def _structure(
    model: AssembledModel, shape_id: str, shape: SourcedShape, response: bool
) -> Iterator[Diagnostic]:
    """The binding traits of one structure's members: targets, uniqueness, payload."""

    def at(name: str, *parts: str) -> str:
        return json_pointer("shapes", shape_id, "members", name, *parts)

    members: JsonObject = shape.data.get("members", {})
    first_with: dict[str, str] = {}
    query_keys: dict[str, str] = {}
    header_names: dict[str, str] = {}
    cookie_names: dict[str, str] = {}
    for name, member in members.items():
        traits: JsonObject = member.get("traits", {})
        bound = binding_traits(traits)
        if len(bound) > 1:
            yield Diagnostic(
                shape.file,
                at(name, "traits"),
                "a member has one place in the HTTP message, this one has "
                + " and ".join(_short(trait) for trait in bound),
            )
        for trait in bound:
            if trait in _ONE_PER_STRUCTURE:
                earlier = first_with.setdefault(trait, name)
                if earlier != name:
                    yield Diagnostic(
                        shape.file,
                        at(name, "traits", trait),
                        f"a structure has at most one {_short(trait)} member, and "
                        f"{earlier!r} is one already",
                    )
            target = model.shapes.get(member["target"])
            if target is None:
                continue  # reported by `semantics`
            wrong = _wrong_target(model, trait, target, member["target"], HTTP_STYLE in traits)
            if wrong is not None:
                yield Diagnostic(shape.file, at(name, "traits", trait), wrong)
        if HTTP_STYLE in traits:
            yield from _style(shape, at(name, "traits", HTTP_STYLE), traits[HTTP_STYLE], bound)
        if "smithy.api#httpLabel" in bound and "smithy.api#required" not in traits:
            yield Diagnostic(
                shape.file,
                at(name, "traits", "smithy.api#httpLabel"),
                "an @httpLabel member must be @required: a URI cannot leave a label out",
            )
        if "smithy.api#httpResponseCode" in bound and not response:
            yield Diagnostic(
                shape.file,
                at(name, "traits", "smithy.api#httpResponseCode"),
                f"@httpResponseCode applies to members of operation outputs and errors, and "
                f"{shape_id} is neither",
            )
        if "smithy.api#httpQuery" in bound:
            key = traits["smithy.api#httpQuery"]
            earlier = query_keys.setdefault(key, name)
            if earlier != name:
                yield Diagnostic(
                    shape.file,
                    at(name, "traits", "smithy.api#httpQuery"),
                    f"the query parameter {key!r} is bound by the member {earlier!r} too",
                )
        if "smithy.api#httpHeader" in bound:
            header = traits["smithy.api#httpHeader"]
            earlier = header_names.setdefault(header.lower(), name)
            if earlier != name:
                yield Diagnostic(
                    shape.file,
                    at(name, "traits", "smithy.api#httpHeader"),
                    f"the header {header!r} is bound by the member {earlier!r} too (header "
                    "names ignore case)",
                )
        if HTTP_COOKIE in bound:
            yield from _cookie(shape, at(name, "traits", HTTP_COOKIE), traits, response)
            cookie = traits[HTTP_COOKIE]
            if isinstance(cookie, str) and cookie_names.setdefault(cookie, name) != name:
                yield Diagnostic(
                    shape.file,
                    at(name, "traits", HTTP_COOKIE),
                    f"the cookie {cookie!r} is bound by the member {cookie_names[cookie]!r} too",
                )
    prefix_member = first_with.get("smithy.api#httpPrefixHeaders")
    if prefix_member is not None:
        prefix = members[prefix_member]["traits"]["smithy.api#httpPrefixHeaders"]
        for name, member in members.items():
            header = member.get("traits", {}).get("smithy.api#httpHeader")
            if header is not None and header.lower().startswith(prefix.lower()):
                yield Diagnostic(
                    shape.file,
                    at(name, "traits", "smithy.api#httpHeader"),
                    f"the header {header!r} starts with the prefix {prefix!r} that the member "
                    f"{prefix_member!r} binds with @httpPrefixHeaders",
                )
    payload = first_with.get("smithy.api#httpPayload")
    if payload is not None:
        for name, member in members.items():
            if not binding_traits(member.get("traits", {})):
                yield Diagnostic(
                    shape.file,
                    at(name),
                    f"a body member beside the @httpPayload member {payload!r}: where one "
                    "member is the body, every other member needs an HTTP binding trait",
                )


def _cookie(
    shape: SourcedShape, pointer: str, traits: JsonObject, response: bool
) -> Iterator[Diagnostic]:
    """A cookie is a request's: its name must be one a `Cookie` header can carry."""
    cookie = traits[HTTP_COOKIE]
    if not isinstance(cookie, str) or not naming.HTTP_TOKEN.fullmatch(cookie):
        yield Diagnostic(
            shape.file,
            pointer,
            f"expected a cookie name (letters, digits and !#$%&'*+.^_`|~-), found {cookie!r}",
        )
    if response:
        yield Diagnostic(
            shape.file,
            pointer,
            "@httpCookie applies to members of operation inputs: a response sets cookies, it "
            "does not carry them",
        )


def _style(
    shape: SourcedShape, pointer: str, value: object, bound: list[str]
) -> Iterator[Diagnostic]:
    """`shapesmith.api#httpStyle`: a style its binding has, `explode` a boolean."""
    styles = next((_STYLES[trait] for trait in bound if trait in _STYLES), None)
    if styles is None:
        yield Diagnostic(
            shape.file,
            pointer,
            "httpStyle applies to members with @httpLabel, @httpQuery, @httpHeader or "
            "@httpCookie",
        )
    elif (
        not isinstance(value, dict)
        or set(value) - {"style", "explode", "name"}
        or value.get("style") not in styles
        or not isinstance(value.get("explode"), bool)
        or not isinstance(value.get("name", ""), str)
    ):
        yield Diagnostic(
            shape.file,
            pointer,
            f"expected {{style, explode, name?}}: style one of {', '.join(styles)} here, "
            f"explode true or false, found {value!r}",
        )


def _wrong_target(
    model: AssembledModel, trait: str, target: SourcedShape, target_id: str, styled: bool
) -> str | None:
    """What is wrong with the shape a member with the binding `trait` targets, or None; a
    `styled` member (`shapesmith.api#httpStyle`) may also be a list, structure or map of
    them."""
    item = _item_type(model, target)
    value = _value_type(model, target)
    simple = kinds.by_type(target.type).http_simple
    simple_items = item is not None and kinds.by_type(item).http_simple
    simple_members = (
        styled
        and target.type == "structure"
        and all(
            (part := model.shapes.get(member["target"])) is not None
            and kinds.by_type(part.type).http_simple
            for member in target.data.get("members", {}).values()
        )
    ) or (
        styled
        and value is not None
        and value != _LIST_OF_STRINGS
        and kinds.by_type(value).http_simple
    )
    styled_words = f"{_SIMPLE_WORDS}, or a list, structure or map of them"
    allowed = {
        "smithy.api#httpLabel": (
            simple or (styled and simple_items) or simple_members,
            styled_words if styled else _SIMPLE_WORDS,
        ),
        "smithy.api#httpQuery": (
            simple or simple_items or simple_members,
            styled_words if styled else f"{_SIMPLE_WORDS}, or a list of them",
        ),
        "smithy.api#httpHeader": (
            simple or simple_items or simple_members,
            styled_words if styled else f"{_SIMPLE_WORDS}, or a list of them",
        ),
        HTTP_COOKIE: (
            simple or (styled and simple_items) or simple_members,
            styled_words if styled else _SIMPLE_WORDS,
        ),
        "smithy.api#httpQueryParams": (
            target.type == "map" and (value in _STRINGS or value == _LIST_OF_STRINGS),
            "a map of strings, or of lists of strings",
        ),
        "smithy.api#httpPrefixHeaders": (
            target.type == "map" and value in _STRINGS,
            "a map of strings",
        ),
        "smithy.api#httpPayload": (
            kinds.by_type(target.type).http_payload,
            "a string, enum, blob, structure, union, document, list or map",
        ),
        "smithy.api#httpResponseCode": (target.type == "integer", "an integer"),
    }
    fits, expected = allowed[trait]
    if fits:
        return None
    found = naming.article(target.type)
    if item is not None:
        found = f"a list of {item}s"
    elif value is not None:
        found = f"a map of {value}s"
    return f"{_short(trait)} members must target {expected}, not {found} ({target_id})"


def _item_type(model: AssembledModel, shape: SourcedShape) -> str | None:
    """The type of a list's items; None for anything but a list."""
    if shape.type != "list":
        return None
    item = model.shapes.get(shape.data["member"]["target"])
    return None if item is None else item.type


def _value_type(model: AssembledModel, shape: SourcedShape) -> str | None:
    """The type of a map's values (`lists of string` for lists of strings); None for anything
    but a map."""
    if shape.type != "map":
        return None
    value = model.shapes.get(shape.data["value"]["target"])
    if value is None:
        return None
    if value.type == "list" and _item_type(model, value) in _STRINGS:
        return _LIST_OF_STRINGS
    return value.type
