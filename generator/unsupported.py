"""Traits that change what a client or stub must do and that shapesmith does not implement yet.

A model that uses one still generates; each use is a warning naming the shape and the trait and
saying what the output leaves out (an error under `strict`). Traits that do not change what a
client or stub does on the wire (IAM, CloudFormation, documentation-only traits) are not listed.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.diagnostics import Warnings, json_pointer
from generator.loader import AssembledModel, JsonObject

LEFT_OUT: dict[str, str] = {
    "aws.api#clientEndpointDiscovery": (
        "endpoint discovery is not done; calls go to the endpoint the rule set resolves"
    ),
    "smithy.api#httpChecksumRequired": "requests carry no checksum header",
    "aws.protocols#httpChecksum": "requests carry no checksum and responses are not verified",
    "smithy.api#requestCompression": "requests are sent uncompressed",
    "smithy.api#streaming": (
        "the stream is not supported; the member is treated as a plain value (an event "
        "stream's error events are left out of its union)"
    ),
    "smithy.test#smokeTests": "no smoke tests are generated",
}
"""Trait id -> what the generated code leaves out. README's "Not supported yet" lists the same."""


def warn(
    model: AssembledModel,
    shape_ids: Iterable[str],
    warnings: Warnings,
    supported: frozenset[str] = frozenset(),
    *,
    streamed_unions: bool = False,
) -> None:
    """Add a warning for each trait of LEFT_OUT on the given shapes or their members, but for
    the traits the service's protocol does support (`supported`), and for `@streaming` on a
    union where the protocol reads event streams (`streamed_unions`)."""
    for shape_id in sorted(set(shape_ids)):
        shape = model.shapes.get(shape_id)
        if shape is None:
            continue
        located: list[tuple[tuple[str, ...], JsonObject]] = [
            (("shapes", shape_id, "traits"), shape.data.get("traits", {}))
        ]
        for key in ("member", "key", "value"):
            if key in shape.data:
                traits = shape.data[key].get("traits", {})
                located.append((("shapes", shape_id, key, "traits"), traits))
        for name, member in shape.data.get("members", {}).items():
            located.append(
                (("shapes", shape_id, "members", name, "traits"), member.get("traits", {}))
            )
        for parts, traits in located:
            for trait in sorted(set(traits) & set(LEFT_OUT) - supported):
                if streamed_unions and shape.type == "union" and trait == "smithy.api#streaming":
                    continue
                warnings.add(
                    shape.file,
                    json_pointer(*parts, trait),
                    f"@{trait.split('#')[1]} is not supported yet: {LEFT_OUT[trait]}",
                )
