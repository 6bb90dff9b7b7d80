"""The endpoint rule set parameters an operation binds, checked against the rule set.

Three traits give an operation's endpoint parameters values of its own, ahead of the client's
(region, FIPS, ...), in this order of precedence, as botocore applies them:

- `smithy.rules#staticContextParams` on the operation: fixed values;
- `smithy.rules#contextParam` on an input member: that member's value;
- `smithy.rules#operationContextParams` on the operation: a JMESPath expression over the input.

Only the part of JMESPath that Smithy allows there (and AWS models use) is accepted: member
names joined by `.`, one `[*]` projection over a list, and `keys(...)` of a map as the whole
expression. Anything else, a parameter the rule set does not declare, or a value of the wrong
type for the parameter is refused with the file and JSON pointer: a binding shapesmith cannot
honour would send requests to the wrong host.
"""

from __future__ import annotations

import re
from typing import Any

from generator import ir, naming
from generator.diagnostics import Diagnostic, ShapesmithError, json_pointer
from generator.loader import AssembledModel

CONTEXT_PARAM = "smithy.rules#contextParam"
STATIC_CONTEXT_PARAMS = "smithy.rules#staticContextParams"
OPERATION_CONTEXT_PARAMS = "smithy.rules#operationContextParams"

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYS_CALL = re.compile(r"keys\((.*)\)", re.DOTALL)
_STRING_SHAPES = frozenset({"string", "enum"})
_EACH = "[*]"
_KEYS = "keys()"


def operation_binding(
    model: AssembledModel, service_id: str, operation_id: str
) -> ir.EndpointBinding:
    """What `operation_id` binds, with attribute names resolved; raises ShapesmithError."""
    binder = _Binder(model, service_id, operation_id)
    binding = binder.bind()
    if binder.problems:
        raise ShapesmithError(binder.problems)
    return binding


class _Binder:
    def __init__(self, model: AssembledModel, service_id: str, operation_id: str) -> None:
        self.model = model
        self.operation_id = operation_id
        self.operation = model.shapes[operation_id]
        rules = model.shapes[service_id].traits.get("smithy.rules#endpointRuleSet")
        parameters = rules.get("parameters") if isinstance(rules, dict) else None
        self.parameters: dict[str, Any] = parameters if isinstance(parameters, dict) else {}
        self.problems: list[Diagnostic] = []

    def problem(self, file: str, pointer: str, message: str) -> None:
        self.problems.append(Diagnostic(file, pointer, message))

    def parameter_type(self, name: object, file: str, pointer: str) -> str | None:
        """The declared type (lower case) of rule set parameter `name`, or None (reported)."""
        spec = self.parameters.get(name) if isinstance(name, str) else None
        kind = spec.get("type") if isinstance(spec, dict) else None
        if not isinstance(kind, str):
            self.problem(
                file,
                pointer,
                f"binds endpoint parameter {name!r}, which the service's endpoint rule set "
                "does not declare",
            )
            return None
        return kind.lower()

    def bind(self) -> ir.EndpointBinding:
        traits = self.operation.traits
        input_id = self.operation.data.get("input", {}).get("target", "smithy.api#Unit")
        return ir.EndpointBinding(
            static=self.static(traits.get(STATIC_CONTEXT_PARAMS)),
            members=self.members(input_id),
            paths=self.paths(traits.get(OPERATION_CONTEXT_PARAMS), input_id),
        )

    # -- @staticContextParams ------------------------------------------------------------------

    def static(self, trait: object) -> tuple[tuple[str, ir.StaticValue], ...]:
        if trait is None:
            return ()
        file = self.operation.file
        base = ("shapes", self.operation_id, "traits", STATIC_CONTEXT_PARAMS)
        if not isinstance(trait, dict):
            self.problem(file, json_pointer(*base), "must be an object of parameter names")
            return ()
        found: list[tuple[str, ir.StaticValue]] = []
        for name, spec in sorted(trait.items()):
            pointer = json_pointer(*base, name)
            kind = self.parameter_type(name, file, pointer)
            value = spec.get("value") if isinstance(spec, dict) else None
            if kind is None:
                continue
            static = _static_value(value, kind)
            if static is None:
                self.problem(
                    file,
                    json_pointer(*base, name, "value"),
                    f"{value!r} is not a value for the {kind} parameter {name!r}",
                )
                continue
            found.append((name, static))
        return tuple(found)

    # -- @contextParam -------------------------------------------------------------------------

    def members(self, input_id: str) -> tuple[tuple[str, str], ...]:
        shape = self.model.shapes.get(input_id)
        if shape is None:
            return ()
        found: dict[str, str] = {}
        for member_name, member in shape.data.get("members", {}).items():
            trait = member.get("traits", {}).get(CONTEXT_PARAM)
            if trait is None:
                continue
            pointer = json_pointer("shapes", input_id, "members", member_name, "traits")
            name = trait.get("name") if isinstance(trait, dict) else None
            if not isinstance(name, str):
                self.problem(
                    shape.file, json_pointer(pointer, CONTEXT_PARAM), "must name a parameter"
                )
                continue
            kind = self.parameter_type(name, shape.file, json_pointer(pointer, CONTEXT_PARAM))
            if kind is None:
                continue
            target = self.model.shapes.get(member.get("target", ""))
            if target is None or not _fits(target.type, self.list_member_type(target), kind):
                shown = "an unknown shape" if target is None else naming.article(target.type)
                self.problem(
                    shape.file,
                    json_pointer(pointer, CONTEXT_PARAM),
                    f"the member targets {shown}, which cannot be the {kind} parameter {name!r}",
                )
                continue
            if name in found:
                self.problem(
                    shape.file,
                    json_pointer(pointer, CONTEXT_PARAM),
                    f"endpoint parameter {name!r} is bound by two members",
                )
                continue
            found[name] = naming.attribute_name(member_name)
        return tuple(sorted(found.items()))

    def list_member_type(self, shape: Any) -> str | None:
        if shape.type not in ("list", "set"):
            return None
        target = self.model.shapes.get(shape.data.get("member", {}).get("target", ""))
        return None if target is None else target.type

    # -- @operationContextParams ---------------------------------------------------------------

    def paths(self, trait: object, input_id: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if trait is None:
            return ()
        file = self.operation.file
        base = ("shapes", self.operation_id, "traits", OPERATION_CONTEXT_PARAMS)
        if not isinstance(trait, dict):
            self.problem(file, json_pointer(*base), "must be an object of parameter names")
            return ()
        found: list[tuple[str, tuple[str, ...]]] = []
        for name, spec in sorted(trait.items()):
            kind = self.parameter_type(name, file, json_pointer(*base, name))
            path = spec.get("path") if isinstance(spec, dict) else None
            pointer = json_pointer(*base, name, "path")
            if kind is None:
                continue
            if not isinstance(path, str):
                self.problem(file, pointer, "must be a string (a JMESPath expression)")
                continue
            try:
                steps, result = self.compile(path, input_id)
            except _Unsupported as error:
                self.problem(file, pointer, f"{path!r}: {error}")
                continue
            if not _fits(*result, kind):
                self.problem(
                    file,
                    pointer,
                    f"{path!r} gives {_shown_result(result)}, "
                    f"which cannot be the {kind} parameter {name!r}",
                )
                continue
            found.append((name, steps))
        return tuple(found)

    def compile(self, path: str, input_id: str) -> tuple[tuple[str, ...], tuple[str, str | None]]:
        """The path as attribute steps, and (shape type, list member type) of what it gives."""
        keys = _KEYS_CALL.fullmatch(path.strip())
        expression = keys[1].strip() if keys else path.strip()
        steps: list[str] = []
        shape = self.model.shapes.get(input_id)
        projected = False
        for part in expression.split("."):
            name, each = (part[:-3], True) if part.endswith(_EACH) else (part, False)
            if not _IDENTIFIER.fullmatch(name):
                raise _Unsupported(_SUBSET)
            if shape is None or shape.type not in ("structure", "union"):
                raise _Unsupported(f"{name!r} is read from something that is not a structure")
            member = shape.data.get("members", {}).get(name)
            if member is None:
                raise _Unsupported(f"the input has no member {name!r} there")
            steps.append(naming.attribute_name(name))
            shape = self.model.shapes.get(member.get("target", ""))
            if each:
                if projected or keys:
                    raise _Unsupported(_SUBSET)
                if shape is None or shape.type not in ("list", "set"):
                    raise _Unsupported(f"[*] follows {name!r}, which is not a list")
                projected = True
                steps.append(_EACH)
                shape = self.model.shapes.get(shape.data.get("member", {}).get("target", ""))
        if shape is None:
            raise _Unsupported("the path reaches a shape the model does not define")
        if keys:
            if shape.type != "map":
                raise _Unsupported("keys() needs a map")
            steps.append(_KEYS)
            key = self.model.shapes.get(shape.data.get("key", {}).get("target", ""))
            return tuple(steps), ("list", None if key is None else key.type)
        if projected:
            return tuple(steps), ("list", shape.type)
        return tuple(steps), (shape.type, self.list_member_type(shape))


class _Unsupported(Exception):
    pass


_SUBSET = (
    "shapesmith supports member names joined by '.', one '[*]' over a list, and keys(...) "
    "of a map; this expression goes beyond that"
)


def _fits(shape_type: str, list_member_type: str | None, kind: str) -> bool:
    """Whether a value of this shape type can be a rule set parameter of type `kind`."""
    if kind == "string":
        return shape_type in _STRING_SHAPES
    if kind == "boolean":
        return shape_type == "boolean"
    if kind == "stringarray":
        return shape_type in ("list", "set") and list_member_type in _STRING_SHAPES
    return False


def _shown_result(result: tuple[str, str | None]) -> str:
    shape_type, member_type = result
    if shape_type in ("list", "set"):
        return f"a list of {member_type or 'unknown shapes'}"
    return naming.article(shape_type)


def _static_value(value: object, kind: str) -> ir.StaticValue | None:
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "boolean" and isinstance(value, bool):
        return value
    if (
        kind == "stringarray"
        and isinstance(value, list)
        and all(isinstance(item, str) for item in value)
    ):
        return tuple(value)
    return None
