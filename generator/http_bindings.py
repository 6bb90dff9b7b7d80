"""Smithy's HTTP binding traits as the IR holds them: an operation's `@http` route, and where each
structure member travels (`ir.Binding`), decided once from the member's traits and what the
service's protocol honours (`protocols.MemberLayout`)."""

from __future__ import annotations

from generator import ir, uri_pattern
from generator.extension_traits import HTTP_COOKIE, HTTP_STYLE
from generator.loader import AssembledModel, JsonObject
from generator.modeltext import ModelText
from generator.protocols import MemberLayout

BINDING_TRAITS: dict[str, ir.BindingLocation] = {
    "smithy.api#httpLabel": ir.BindingLocation.LABEL,
    "smithy.api#httpQuery": ir.BindingLocation.QUERY,
    "smithy.api#httpQueryParams": ir.BindingLocation.QUERY_PARAMS,
    "smithy.api#httpHeader": ir.BindingLocation.HEADER,
    HTTP_COOKIE: ir.BindingLocation.COOKIE,
    "smithy.api#httpPrefixHeaders": ir.BindingLocation.PREFIX_HEADERS,
    "smithy.api#httpPayload": ir.BindingLocation.PAYLOAD,
    "smithy.api#httpResponseCode": ir.BindingLocation.RESPONSE_CODE,
}
"""Trait id -> the location it binds a member to; a member with none of them is in the body."""

_DEFAULT_TIMESTAMP_FORMATS = {
    ir.BindingLocation.LABEL: "date-time",
    ir.BindingLocation.QUERY: "date-time",
    ir.BindingLocation.HEADER: "http-date",
    ir.BindingLocation.COOKIE: "date-time",
}
"""Smithy's formats for timestamps outside the body; the body's is the protocol's."""

# Where a list's items are written one by one, so that each item's timestamp format counts.
_LIST_LOCATIONS = {ir.BindingLocation.LABEL, ir.BindingLocation.QUERY, ir.BindingLocation.HEADER}


def binding_traits(traits: JsonObject) -> list[str]:
    """The HTTP binding traits among `traits`, in `BINDING_TRAITS` order."""
    return [trait for trait in BINDING_TRAITS if trait in traits]


def route(value: JsonObject | None) -> ir.HttpRoute | None:
    """The value of an operation's `@http` trait as a route; None without the trait."""
    if value is None:
        return None
    pattern = uri_pattern.parse(value["uri"])
    return ir.HttpRoute(
        method=value["method"],
        uri=value["uri"],
        path=ModelText(pattern.path),
        query=ModelText(pattern.query),
        query_literals=tuple(
            (ModelText(key), ModelText(literal)) for key, literal in pattern.query_literals
        ),
        labels=tuple(ir.UriLabel(ModelText(name), greedy) for name, greedy in pattern.labels),
        code=value.get("code", 200),
    )


def binding(
    model: AssembledModel, layout: MemberLayout, container_id: str, name: str, data: JsonObject
) -> ir.Binding | None:
    """Where the protocol of `layout` puts the member `name` (`data` its JSON) of the shape
    `container_id`; None for the members of lists and maps."""
    container_type = model.shapes[container_id].type
    if container_type not in ("structure", "union"):
        return None
    traits: JsonObject = data.get("traits", {})
    bound = binding_traits(traits) if layout.http_bindings and container_type == "structure" else []
    location = BINDING_TRAITS[bound[0]] if bound else ir.BindingLocation.BODY
    wire_name: ModelText | None
    if location is ir.BindingLocation.BODY:
        json_name = traits.get("smithy.api#jsonName") if layout.json_name else None
        wire_name = ModelText(json_name or name)
    elif location is ir.BindingLocation.LABEL:
        wire_name = ModelText(name)
    elif location in (
        ir.BindingLocation.QUERY,
        ir.BindingLocation.HEADER,
        ir.BindingLocation.COOKIE,
        ir.BindingLocation.PREFIX_HEADERS,
    ):
        wire_name = traits[bound[0]]
    else:
        wire_name = None
    default_format = _DEFAULT_TIMESTAMP_FORMATS.get(location, layout.body_timestamp_format)
    style = traits.get(HTTP_STYLE) if bound else None
    return ir.Binding(
        location=location,
        wire_name=wire_name,
        timestamp_format=_timestamp_format(model, location, data, default_format),
        style=(
            None
            if style is None
            else ir.ParameterStyle(
                style=style["style"],
                explode=style["explode"],
                parameter=ModelText(style.get("name", wire_name)),
            )
        ),
    )


def _timestamp_format(
    model: AssembledModel, location: ir.BindingLocation, data: JsonObject, default: str
) -> str | None:
    """The format of the member's timestamp (or of each item of its list, where `location`
    writes items one by one): the member's `@timestampFormat` over its target's, else
    `default`; None where there is no such timestamp."""
    target = model.shapes[data["target"]]
    if target.type == "list" and location in _LIST_LOCATIONS:
        data = target.data["member"]
        target = model.shapes[data["target"]]
    if target.type != "timestamp":
        return None
    found = data.get("traits", {}).get("smithy.api#timestampFormat")
    return str(found or target.traits.get("smithy.api#timestampFormat") or default)
