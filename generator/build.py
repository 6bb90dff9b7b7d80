"""Build the IR from an assembled, checked model: select operations, take their closure, resolve
references, and decide every Python name and spelling once."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, TypedDict

from generator import (
    auth_schemes,
    ecma_regex,
    endpoint_params,
    http_bindings,
    ir,
    kinds,
    naming,
    paginators,
    protocols,
    stub_defaults,
    stub_traits,
    unsupported,
    waiters,
)
from generator.diagnostics import Diagnostic, ShapesmithError, Warnings, json_pointer
from generator.extension_traits import (
    ALTERNATIVES,
    ERRORS_BY_STATUS,
    EXCLUSIVE_RANGE,
    EXTRA_PROPERTIES,
    MULTIPLE_OF,
    NULLABLE,
    OPEN,
)
from generator.loader import AssembledModel, JsonObject, SourcedShape
from generator.modeltext import ModelText, plain
from generator.pyliterals import literal


@dataclass(frozen=True)
class Selection:
    """Which operations to generate; empty means every operation of every service."""

    operations: tuple[str, ...]
    source: str
    """Where the selection came from, for error messages (the config file, or the option)."""
    pointer: str
    """The JSON pointer of the list in `source`; empty when it was given on the command line,
    where each operation is named by its id alone."""

    def at(self, index: int) -> str:
        return f"{self.pointer}/{index}" if self.pointer else ""


def build_units(
    model: AssembledModel, selection: Selection, warnings: Warnings | None = None
) -> tuple[ir.GenerationUnit, ...]:
    """The IR of every selected service, adding to `warnings` what it leaves out."""
    warnings = warnings if warnings is not None else Warnings()
    services = _services_and_operations(model)
    chosen: dict[str, list[str]] = {}
    problems: list[Diagnostic] = []
    if selection.operations:
        owners = {op: service for service, ops in services.items() for op in ops}
        for index, operation_id in enumerate(selection.operations):
            pointer = selection.at(index)
            shape = model.shapes.get(operation_id)
            if shape is None or shape.type != "operation":
                found = "not defined" if shape is None else f"{naming.article(shape.type)}"
                problems.append(
                    Diagnostic(
                        selection.source,
                        pointer,
                        f"{operation_id} is {found}; expected an operation"
                        + _did_you_mean(operation_id, owners),
                    )
                )
            elif operation_id not in owners:
                problems.append(
                    Diagnostic(
                        selection.source, pointer, f"{operation_id} is not bound to any service"
                    )
                )
            else:
                chosen.setdefault(owners[operation_id], []).append(operation_id)
    else:
        chosen = {service: sorted(ops) for service, ops in services.items()}
    if problems:
        raise ShapesmithError(problems)
    if not chosen:
        raise ShapesmithError(
            [
                Diagnostic(
                    selection.source,
                    selection.pointer,
                    "no operations selected: the model has no service",
                )
            ]
        )
    units = []
    packages = naming.SymbolTable()
    for service_id, ops in sorted(chosen.items()):
        builder = _Builder(model, service_id)
        unit = stub_defaults.attach(builder.unit(sorted(set(ops))), model, warnings)
        # Every generated name is checked against the others of its module or class at once.
        clashes = unit.symbol_table().problems(_locator(model, service_id))
        if clashes:
            raise ShapesmithError(clashes)
        units.append(unit)
        packages.claim("the output folder", unit.service.package_name, "package", service_id)
        supported = frozenset({"smithy.api#streaming"} if builder.streams else ())
        unsupported.warn(
            model,
            [service_id, *ops, *builder.shapes],
            warnings,
            supported,
            streamed_unions=builder.event_streams,
        )
        _warn_client_gap(model, unit.service, warnings)
        for warned in builder.model_warnings:
            warnings.add(warned.file, warned.pointer, warned.message)
    clashes = packages.problems(_locator(model, units[0].service.id))
    if clashes:
        raise ShapesmithError(clashes)
    return tuple(units)


def _did_you_mean(wanted: str, operations: Iterable[str]) -> str:
    """The absolute ids of the operations named like `wanted` (a bare name, or one in another
    namespace), as a hint."""
    name = wanted.rpartition("#")[2]
    alike = sorted(op for op in operations if op.rpartition("#")[2] == name and op != wanted)
    return f" (did you mean {' or '.join(alike)}?)" if alike else ""


def _locator(model: AssembledModel, service_id: str) -> naming.Locate:
    """Where a symbol's owner is defined: a shape, a member (`ns#Shape$member`), or the
    service, whose names come from its `sdkId` where it has one."""

    def locate(owner: str) -> tuple[str, str]:
        shape_id, _, member = owner.partition("$")
        if shape_id not in model.shapes:
            return model.shapes[service_id].file, json_pointer("shapes", service_id)
        raw = model.shapes[shape_id]
        if raw.type == "service" and not member and "aws.api#service" in raw.traits:
            return raw.file, json_pointer("shapes", shape_id, "traits", "aws.api#service", "sdkId")
        if not member:
            return raw.file, json_pointer("shapes", shape_id)
        if raw.type in ("list", "set", "map"):
            return raw.file, json_pointer("shapes", shape_id, member)
        return raw.file, json_pointer("shapes", shape_id, "members", member)

    return locate


def _services_and_operations(model: AssembledModel) -> dict[str, set[str]]:
    def resource_operations(roots: Iterable[str]) -> Iterable[str]:
        seen: set[str] = set()
        stack = list(roots)
        while stack:  # resources may nest thousands deep: a work list, not recursion
            resource_id = stack.pop()
            if resource_id in seen:
                continue
            seen.add(resource_id)
            data = model.shapes[resource_id].data
            for key in ("create", "put", "read", "update", "delete", "list"):
                if key in data:
                    yield data[key]["target"]
            for key in ("operations", "collectionOperations"):
                yield from (reference["target"] for reference in data.get(key, []))
            stack.extend(reference["target"] for reference in data.get("resources", []))

    services: dict[str, set[str]] = {}
    for shape_id, shape in model.shapes.items():
        if shape.type != "service":
            continue
        operations = {reference["target"] for reference in shape.data.get("operations", [])}
        roots = [reference["target"] for reference in shape.data.get("resources", [])]
        operations.update(resource_operations(roots))
        services[shape_id] = operations
    return services


class _Builder:
    """Builds the IR of one service's selected closure. Shapes are memoised by id, which is also
    what makes recursive structures terminate.

    Nothing recurses along the model: a structure, list or map is registered with its members
    missing and completed from a work list (`_complete_pending`), and member annotations, which
    need the lists and maps they name complete, are filled in after that. A chain of thousands
    of structures is built in constant stack depth."""

    def __init__(self, model: AssembledModel, service_id: str) -> None:
        self.model = model
        self.service_id = service_id
        self.shapes: dict[str, ir.Shape] = {}
        self.patterns: dict[str, ir.Pattern] = {}
        self._plans: dict[tuple[type, str], tuple[str, str, bool] | ecma_regex.PatternError] = {}
        self.model_warnings: list[Diagnostic] = []
        """What the model asks for that the output cannot do (a pattern it cannot enforce) or
        that looks wrong (a waiter's errorType the operation does not declare)."""
        self._pending: list[Callable[[], None]] = []
        self._unannotated: list[tuple[ir.Member, frozenset[str], bool]] = []
        self._service_classes = naming.service_class_names(naming.class_prefix(self._sdk_id()))
        self._layout = protocols.layout(protocols.protocol_trait(self.raw(service_id).traits))
        self.streams = self._layout.streams
        """Whether `@streaming` blobs are streams (else plain values)."""
        self.event_streams = self._layout.event_streams
        """Whether `@streaming` unions are event streams (else plain unions)."""
        self._outputs = frozenset(
            shape.data["output"]["target"]
            for shape in model.shapes.values()
            if shape.type == "operation" and "output" in shape.data
        )

    def _complete_pending(self) -> None:
        """Complete every registered shape, then annotate every member built so far."""
        while self._pending:
            self._pending.pop()()
        for member, scope, never_none in self._unannotated:
            value_annotation, symbols = member.target.kind.member_annotation(member, scope)
            annotation = value_annotation if never_none else f"{value_annotation} | None"
            _complete(
                member,
                annotation=annotation,
                value_annotation=value_annotation,
                annotation_symbols=symbols,
            )
        self._unannotated.clear()

    def _sdk_id(self) -> str:
        # The title is free text; names come from the sdkId (an identifier with spaces, which the
        # schema checks) or the service shape's name.
        sdk_id: str = self.raw(self.service_id).traits.get("aws.api#service", {}).get("sdkId")
        return sdk_id or _name(self.service_id)

    def raw(self, shape_id: str) -> SourcedShape:
        return self.model.shapes[shape_id]

    def unit(self, operation_ids: Sequence[str]) -> ir.GenerationUnit:
        operations = tuple(self.operation(op) for op in operation_ids)
        service = self.service(operations)
        self._complete_pending()
        shapes = list(self.shapes.values())

        def by_id(shape: ir.Shape) -> str:
            return shape.id

        structures = [s for s in shapes if isinstance(s, ir.StructureShape)]
        unit = ir.GenerationUnit(
            service=service,
            operations=operations,
            structures=tuple(
                sorted(
                    (s for s in structures if s.error is None and s.id != ir.UNIT_ID),
                    key=by_id,
                )
            ),
            errors=tuple(sorted((s for s in structures if s.error is not None), key=by_id)),
            enums=tuple(sorted((s for s in shapes if isinstance(s, ir.EnumShape)), key=by_id)),
            lists=tuple(sorted((s for s in shapes if isinstance(s, ir.ListShape)), key=by_id)),
            maps=tuple(sorted((s for s in shapes if isinstance(s, ir.MapShape)), key=by_id)),
            patterns=tuple(sorted(self.patterns.values(), key=lambda p: p.constant)),
            model_files=self.model.files,
            model_hash=self.model.model_hash,
        )
        return unit

    # -- shapes -------------------------------------------------------------------------------

    def common(self, shape_id: str) -> dict[str, Any]:
        traits = self.raw(shape_id).traits
        return {
            "id": shape_id,
            "type": ir.ShapeType(self.raw(shape_id).type),
            "documentation": traits.get("smithy.api#documentation"),
            "deprecated": _deprecated(traits),
            "sensitive": "smithy.api#sensitive" in traits,
        }

    def shape(self, shape_id: str) -> ir.Shape:
        if shape_id in self.shapes:
            return self.shapes[shape_id]
        raw = self.raw(shape_id)
        kind = raw.type
        if kind in {"structure", "union"}:
            return self.structure(shape_id)
        if kind in {"enum", "intEnum"} or "smithy.api#enum" in raw.traits:
            built: ir.Shape = self.enum(shape_id)
        elif kind == "list":
            built = self.list_shape(shape_id)
        elif kind == "map":
            built = self.map_shape(shape_id)
        else:
            traits = raw.traits
            shape_type = ir.ShapeType(kind)
            pattern, unenforced = self.pattern(traits, shape_id, (shape_id, "traits"))
            built = ir.ScalarShape(
                **self.common(shape_id),
                length=_length(traits),
                pattern=pattern,
                unenforced_pattern=unenforced,
                range=_range(traits, shape_type),
                multiple_of=_multiple_of(traits, shape_type),
                media_type=traits.get("smithy.api#mediaType"),
                timestamp_format=_timestamp_format(traits),
                streaming=(self.streams and kind == "blob" and "smithy.api#streaming" in traits),
            )
        self.shapes[shape_id] = built
        return built

    def pattern(
        self, traits: JsonObject, owner: str, where: tuple[str, ...]
    ) -> tuple[ir.Pattern | None, ir.UnenforcedPattern | None]:
        """The `@pattern` of `traits` (at /shapes/<where...>) of `owner`, a shape or a member
        (`ns#Shape$member`), compiled, or the reason it cannot be enforced, which is also a
        warning: the validator skips that one constraint."""
        source = traits.get("smithy.api#pattern")
        if source is None:
            return None, None
        try:
            python, method, found_means_broken = self._breaking_plan(source)
        except ecma_regex.PatternError as error:
            unenforced = ir.UnenforcedPattern(ecma=source, reason=str(error))
            self.model_warnings.append(
                Diagnostic(
                    self.raw(where[0]).file,
                    json_pointer("shapes", *where, "smithy.api#pattern"),
                    f"@pattern is not enforced: {error}",
                )
            )
            return None, unenforced
        shape_id, _, member_name = owner.partition("$")
        spelled = naming.pattern_owner(_name(shape_id), member_name or None)
        for constant in naming.pattern_constants(spelled, found_means_broken):
            existing = self.patterns.get(constant)
            if existing is None:
                break
            if existing.ecma == source:  # the same pattern, checked by one constant
                return existing, None
        pattern = ir.Pattern(
            ecma=source,
            python=python,
            constant=constant,
            method=method,
            found_means_broken=found_means_broken,
            owner=owner,
        )
        self.patterns[constant] = pattern
        return pattern, None

    def _breaking_plan(self, source: str) -> tuple[str, str, bool]:
        """`ecma_regex.breaking_plan(source)`, translated once per pattern: a service repeats
        its patterns (an OpenAPI document spells one out wherever a string uses it)."""
        key = (type(source), str.__str__(source))
        if key not in self._plans:
            try:
                self._plans[key] = ecma_regex.breaking_plan(source)
            except ecma_regex.PatternError as error:
                self._plans[key] = error
        found = self._plans[key]
        if isinstance(found, ecma_regex.PatternError):
            raise type(found)(*found.args)
        return found

    def enum(self, shape_id: str) -> ir.EnumShape:
        raw = self.raw(shape_id)
        values: list[ir.EnumValue] = []
        if raw.type in {"enum", "intEnum"}:
            for name, member in raw.data.get("members", {}).items():
                traits = member.get("traits", {})
                value = traits.get("smithy.api#enumValue", name)
                values.append(
                    ir.EnumValue(
                        name=name,
                        py_name=naming.enum_member_name(name),
                        value=value,
                        literal=literal(value),
                        documentation=traits.get("smithy.api#documentation"),
                    )
                )
        else:  # Smithy 1.0: a string shape with the @enum trait.
            for entry in raw.traits["smithy.api#enum"]:
                name = entry.get("name")
                py_name = (
                    naming.enum_member_name(name)
                    if name
                    else naming.enum_member_name_from_value(entry["value"])
                )
                values.append(
                    ir.EnumValue(
                        name=name or entry["value"],
                        py_name=py_name,
                        value=entry["value"],
                        literal=literal(entry["value"]),
                        documentation=entry.get("documentation"),
                    )
                )
        common = self.common(shape_id)
        if common["type"] is ir.ShapeType.STRING:
            common["type"] = ir.ShapeType.ENUM
        py_name = naming.class_name(_name(shape_id), self._service_classes)
        return ir.EnumShape(
            **common,
            py_name=py_name,
            values=tuple(values),
            values_constant=naming.values_constant(_name(shape_id)),
        )

    def list_shape(self, shape_id: str) -> ir.ListShape:
        raw = self.raw(shape_id)
        common = self.common(shape_id)
        placeholder = ir.ListShape(
            **common,
            member=None,  # type: ignore[arg-type]
            length=None,
            unique_items=False,
            sparse=False,
            **_collection_names(_name(shape_id)),
        )
        self.shapes[shape_id] = placeholder
        self._pending.append(
            lambda: _complete(
                placeholder,
                member=self.member(shape_id, "member", raw.data["member"], scope=frozenset()),
                length=_length(raw.traits),
                unique_items="smithy.api#uniqueItems" in raw.traits,
                sparse="smithy.api#sparse" in raw.traits,
            )
        )
        return placeholder

    def map_shape(self, shape_id: str) -> ir.MapShape:
        raw = self.raw(shape_id)
        common = self.common(shape_id)
        placeholder = ir.MapShape(
            **common,
            key=None,  # type: ignore[arg-type]
            value=None,  # type: ignore[arg-type]
            length=None,
            sparse=False,
            **_collection_names(_name(shape_id)),
        )
        self.shapes[shape_id] = placeholder
        self._pending.append(
            lambda: _complete(
                placeholder,
                key=self.member(shape_id, "key", raw.data["key"], scope=frozenset()),
                value=self.member(shape_id, "value", raw.data["value"], scope=frozenset()),
                length=_length(raw.traits),
                sparse="smithy.api#sparse" in raw.traits,
            )
        )
        return placeholder

    def structure(self, shape_id: str) -> ir.StructureShape:
        raw = self.raw(shape_id)
        traits = raw.traits
        error = None
        if "smithy.api#error" in traits:
            fault = traits["smithy.api#error"]
            retryable = traits.get("smithy.api#retryable")
            error = ir.ErrorInfo(
                fault=fault,
                http_status=traits.get("smithy.api#httpError", 400 if fault == "client" else 500),
                retryable=retryable is not None,
                throttling=bool(retryable and retryable.get("throttling")),
                query_code=traits.get("aws.protocols#awsQueryError", {}).get("code"),
                status_given="smithy.api#httpError" in traits,
            )
        name = _name(shape_id)
        event_stream = raw.type == "union" and "smithy.api#streaming" in traits
        structure = ir.StructureShape(
            **self.common(shape_id),
            py_name=naming.class_name(name, self._service_classes),
            members=(),
            error=error,
            is_input="smithy.api#input" in traits,
            is_output="smithy.api#output" in traits,
            validate_function=naming.validate_function_name(name),
            keys_constant=naming.keys_constant(name),
            event_stream=self.event_streams and event_stream,
            open=OPEN in traits
            or any(
                EXTRA_PROPERTIES in member.get("traits", {})
                for member in raw.data.get("members", {}).values()
            ),
            alternatives=_alternatives(traits.get(ALTERNATIVES)) if raw.type == "union" else None,
            **_coded_names(name),
        )
        self.shapes[shape_id] = structure
        member_data = raw.data.get("members", {})
        error_data: dict[str, Any] = {}
        if event_stream:
            # An event stream's error events end the stream and are raised, never values of
            # its union: they are kept apart (and left out where streams are not supported).
            error_data = {
                name: data
                for name, data in member_data.items()
                if "smithy.api#error" in self.raw(data["target"]).traits
            }
            member_data = {
                name: data for name, data in member_data.items() if name not in error_data
            }
        attribute = naming.error_attribute_name if error is not None else naming.attribute_name
        scope = frozenset(attribute(name) for name in member_data)
        self._pending.append(
            lambda: _complete(
                structure,
                members=tuple(
                    self.member(shape_id, name, data, scope=scope, py_name=attribute(name))
                    for name, data in member_data.items()
                ),
                event_errors=tuple(
                    self.member(shape_id, name, data, scope=scope, py_name=attribute(name))
                    for name, data in (error_data.items() if self.event_streams else ())
                ),
            )
        )
        return structure

    def member(
        self,
        container_id: str,
        name: str,
        data: JsonObject,
        *,
        scope: frozenset[str],
        py_name: str = "",
    ) -> ir.Member:
        target = self.shape(data["target"])
        traits: JsonObject = data.get("traits", {})
        target_traits = self.raw(data["target"]).traits
        merged = {**target_traits, **traits}
        required = "smithy.api#required" in traits
        default = traits.get("smithy.api#default", target_traits.get("smithy.api#default"))
        if "smithy.api#pattern" in traits:
            in_collection = self.raw(container_id).type in ("list", "set", "map")
            where = (container_id, *((name,) if in_collection else ("members", name)), "traits")
            pattern, unenforced = self.pattern(traits, f"{container_id}${name}", where)
        else:
            pattern = getattr(target, "pattern", None)
            unenforced = getattr(target, "unenforced_pattern", None)
            if pattern is None and unenforced is None and isinstance(target, ir.EnumShape):
                # An enum's own @pattern binds the values it does not list (read leniently).
                pattern, unenforced = self.pattern(
                    target_traits, data["target"], (data["target"], "traits")
                )
        client_optional = "smithy.api#clientOptional" in traits
        in_output = container_id in self._outputs
        default_literal, is_factory, default_symbols = None, False, frozenset[ir.Symbol]()
        if default is not None:
            default_literal, is_factory = target.kind.member_default_literal(default, in_output)
            default_symbols = target.kind.default_symbols(default_literal)
        # Smithy nullability: a required member or one with a default always has a value,
        # unless @clientOptional tells clients not to count on it.
        nullable = NULLABLE in traits
        never_none = (
            (required or default_literal is not None) and not client_optional and not nullable
        )
        member = ir.Member(
            container_id=container_id,
            name=name,
            py_name=py_name or naming.attribute_name(name),
            target=target,
            required=required,
            default_literal=default_literal,
            default_is_factory=is_factory,
            default_symbols=default_symbols,
            zero_literal=target.kind.dict_zero,
            client_optional=client_optional,
            documentation=traits.get(
                "smithy.api#documentation",
                (
                    target_traits.get("smithy.api#documentation")
                    if not isinstance(target, ir.StructureShape | ir.EnumShape)
                    else None
                ),
            ),
            deprecated=_deprecated(traits),
            sensitive="smithy.api#sensitive" in traits or target.sensitive,
            idempotency_token="smithy.api#idempotencyToken" in traits,
            json_name=traits.get("smithy.api#jsonName"),
            timestamp_format=_timestamp_format(merged),
            length=_length(merged),
            pattern=pattern,
            unenforced_pattern=unenforced,
            range=_member_range(merged, target.type, default),
            multiple_of=_multiple_of(merged, target.type),
            nullable=nullable,
            extra_properties=EXTRA_PROPERTIES in traits,
            annotation="",  # see `_complete_pending`
            value_annotation="",
            binding=http_bindings.binding(self.model, self._layout, container_id, name, data),
            event_header="smithy.api#eventHeader" in traits,
            event_payload="smithy.api#eventPayload" in traits,
            in_output=in_output,
        )
        self._unannotated.append((member, scope, never_none))
        return member

    def operation(self, shape_id: str) -> ir.OperationShape:
        existing = self.shapes.get(shape_id)
        if isinstance(existing, ir.OperationShape):
            return existing
        raw = self.raw(shape_id)
        traits = raw.traits
        unit = "smithy.api#Unit"
        input_shape = self.structure_or_unit(raw.data.get("input", {}).get("target", unit))
        output_shape = self.structure_or_unit(raw.data.get("output", {}).get("target", unit))
        service = self.raw(self.service_id)
        service_errors = [ref["target"] for ref in service.data.get("errors", [])]
        error_ids = [ref["target"] for ref in raw.data.get("errors", [])] + service_errors
        errors = tuple(self.structure_or_unit(error_id) for error_id in dict.fromkeys(error_ids))
        waiters_found: tuple[ir.Waiter, ...] = ()
        if waiters.TRAIT in traits:
            waiters_found, warned = waiters.read(
                raw.file, shape_id, traits[waiters.TRAIT], (input_shape, output_shape, errors)
            )
            self.model_warnings.extend(warned)
        method = naming.operation_name(_name(shape_id))
        members = [member.py_name for member in input_shape.members]
        paginated = paginators.paginated(
            (service.file, self.service_id, service.traits),
            (raw.file, shape_id, traits),
            input_shape,
            output_shape,
        )
        operation = ir.OperationShape(
            **self.common(shape_id),
            py_name=method,
            call_function=naming.call_function(method),
            operation_constant=naming.operation_constant(method),
            endpoint_params_constant=naming.endpoint_params_constant(method),
            self_parameter=naming.parameter_name("self", members),
            request_parameter=naming.parameter_name("request", members),
            input=input_shape,
            output=output_shape,
            errors=errors,
            idempotent="smithy.api#idempotent" in traits,
            readonly="smithy.api#readonly" in traits,
            fake_creates=stub_traits.fake_create(
                raw.file, shape_id, traits, output_shape, input_shape
            ),
            fake_reads=stub_traits.fake_read(raw.file, shape_id, traits, input_shape, errors),
            paginated=paginated,
            fake_lists=stub_traits.fake_list(raw.file, shape_id, traits, paginated),
            host_prefix=traits.get("smithy.api#endpoint", {}).get("hostPrefix"),
            host_labels=self.host_labels(input_shape),
            endpoint_binding=endpoint_params.operation_binding(
                self.model, self.service_id, shape_id
            ),
            waiters=waiters_found,
            http=http_bindings.route(traits.get("smithy.api#http")),
            auth=auth_schemes.operation_auth(
                (service.file, self.service_id, service.traits), (raw.file, shape_id, traits)
            ),
        )
        self.shapes[shape_id] = operation
        return operation

    def host_labels(self, input_shape: ir.StructureShape) -> tuple[ir.Member, ...]:
        raw_members = self.raw(input_shape.id).data.get("members", {})
        return tuple(
            member
            for member in input_shape.members
            if "smithy.api#hostLabel" in raw_members[member.name].get("traits", {})
        )

    def structure_or_unit(self, shape_id: str) -> ir.StructureShape:
        """The structure, complete with everything it reaches (operations read its members)."""
        shape = self.shape(shape_id)
        self._complete_pending()
        assert isinstance(shape, ir.StructureShape), shape_id
        return shape

    def service(self, operations: tuple[ir.OperationShape, ...]) -> ir.ServiceShape:
        raw = self.raw(self.service_id)
        traits = raw.traits
        aws_service = traits.get("aws.api#service", {})
        sdk_id = self._sdk_id()
        rules = traits.get("smithy.rules#endpointRuleSet")
        protocol_trait = protocols.protocol_trait(traits)
        return ir.ServiceShape(
            **self.common(self.service_id),
            version=raw.data.get("version", ""),
            title=traits.get("smithy.api#title"),
            sdk_id=sdk_id,
            package_name=naming.package_name(sdk_id),
            class_prefix=naming.class_prefix(sdk_id),
            error_class=self._service_classes.error,
            client_class=self._service_classes.client,
            handler_class=self._service_classes.handler,
            fake_class=self._service_classes.fake,
            protocol_trait=protocol_trait,
            protocol=protocols.describe(protocol_trait, self.service_id, traits),
            sigv4_name=traits.get("aws.auth#sigv4", {}).get("name"),
            endpoint_prefix=aws_service.get("endpointPrefix"),
            endpoint_rule_set_json=None if rules is None else json.dumps(rules, sort_keys=True),
            endpoint_rule_set_literal=None if rules is None else literal(rules),
            operations=operations,
            stub_errors=stub_traits.stub_errors(raw.file, self.service_id, traits, self._error),
            query_compatible="aws.protocols#awsQueryCompatible" in traits,
            errors_by_status=ERRORS_BY_STATUS in traits,
            auth=auth_schemes.service_auth(raw.file, self.service_id, traits),
        )

    def _error(self, shape_id: str) -> ir.StructureShape | None:
        """An error structure already in the closure (the stub answers only with those)."""
        shape = self.shapes.get(shape_id)
        if isinstance(shape, ir.StructureShape) and shape.error is not None:
            return shape
        return None


def _warn_client_gap(model: AssembledModel, service: ir.ServiceShape, warnings: Warnings) -> None:
    gap = service.client_gap
    if gap is None:
        return
    trait, reason = gap
    pointer = json_pointer("shapes", service.id, *(("traits", trait) if trait else ()))
    warnings.add(model.shapes[service.id].file, pointer, f"no client and no stub: {reason}")


class _CodedNames(TypedDict):
    check_function: str
    serializer: str
    deserializer: str
    reader: str


def _coded_names(name: str) -> _CodedNames:
    """The names generated code gives a structure, union, list or map called `name`: its
    check function, its codec's writer and reader, and the stub's reader."""
    return _CodedNames(
        check_function=naming.check_function(name),
        serializer=naming.serializer_function(name),
        deserializer=naming.deserializer_function(name),
        reader=naming.reader_function(name),
    )


class _CollectionNames(_CodedNames):
    from_dict_function: str
    to_dict_function: str


def _collection_names(name: str) -> _CollectionNames:
    """`_coded_names`, and the shapes module's wire-form converters of a list or map."""
    return _CollectionNames(
        **_coded_names(name),
        from_dict_function=naming.from_dict_function(name),
        to_dict_function=naming.to_dict_function(name),
    )


def _complete(shape: object, **fields: object) -> None:
    # Frozen IR objects that can be part of a cycle are registered before their members exist;
    # this fills the members in once, before anyone outside the builder sees the object.
    for key, value in fields.items():
        object.__setattr__(shape, key, value)


def _name(shape_id: str) -> str:
    return shape_id.partition("#")[2]


def _deprecated(traits: JsonObject) -> ir.Deprecated | None:
    value = traits.get("smithy.api#deprecated")
    if value is None:
        return None
    return ir.Deprecated(message=value.get("message"), since=value.get("since"))


def _timestamp_format(traits: JsonObject) -> str | None:
    # One of the three words the schema allows (Smithy's vocabulary, not text to escape).
    found = traits.get("smithy.api#timestampFormat")
    return None if found is None else plain(found)


def _length(traits: JsonObject) -> ir.Length | None:
    value = traits.get("smithy.api#length")
    if value is None:
        return None
    return ir.Length(min=value.get("min"), max=value.get("max"))


def _range(traits: JsonObject, shape_type: ir.ShapeType) -> ir.Range | None:
    """`@range`, tightened by `shapesmith.api#exclusiveRange` where that says more."""
    inclusive = traits.get("smithy.api#range") or {}
    exclusive = traits.get(EXCLUSIVE_RANGE) or {}
    kind = kinds.by_type(shape_type)
    if not (inclusive or exclusive) or not kind.takes_range:
        return None
    low, low_out = _bound(inclusive.get("min"), exclusive.get("min"), max)
    high, high_out = _bound(inclusive.get("max"), exclusive.get("max"), min)
    if kind.bounds is not None or shape_type is ir.ShapeType.BIG_INTEGER:
        # The whole numbers beyond an exclusive bound start at the next one, inclusive.
        if low is not None and low_out:
            low, low_out = low.to_integral_value(ROUND_FLOOR) + 1, False
        if high is not None and high_out:
            high, high_out = high.to_integral_value(ROUND_CEILING) - 1, False
    return ir.Range(
        min=low,
        max=high,
        min_literal=None if low is None else kind.range_literal(low, ROUND_CEILING),
        max_literal=None if high is None else kind.range_literal(high, ROUND_FLOOR),
        min_exclusive=low_out,
        max_exclusive=high_out,
    )


def _bound(
    inclusive: object, exclusive: object, tighter: Callable[[Decimal, Decimal], Decimal]
) -> tuple[Decimal | None, bool]:
    """The tighter of an inclusive and an exclusive bound (either may be absent), and whether
    it excludes itself (on a tie, it does)."""
    shut = None if inclusive is None else Decimal(str(inclusive))
    open_ = None if exclusive is None else Decimal(str(exclusive))
    if open_ is None:
        return shut, False
    if shut is None or tighter(shut, open_) == open_:
        return open_, True
    return shut, False


def _multiple_of(traits: JsonObject, shape_type: ir.ShapeType) -> ir.MultipleOf | None:
    found = traits.get(MULTIPLE_OF)
    kind = kinds.by_type(shape_type)
    if found is None or not kind.takes_range:
        return None
    divisor = Decimal(str(found))
    whole = divisor == divisor.to_integral_value()
    if shape_type is ir.ShapeType.BIG_DECIMAL:
        return ir.MultipleOf(divisor, kind.range_literal(divisor, ROUND_FLOOR), exact=True)
    if whole:
        return ir.MultipleOf(divisor, str(int(divisor)), exact=True)
    return ir.MultipleOf(divisor, repr(float(divisor)), exact=False)


def _member_range(traits: JsonObject, shape_type: ir.ShapeType, default: Any) -> ir.Range | None:
    """A member's @range; one that excludes the member's zero default lets 0 through as well."""
    found = _range(traits, shape_type)
    if found is None or not kinds.zero_default_allowed(shape_type, default):
        return found
    if (found.min is None or found.min <= 0) and (found.max is None or found.max >= 0):
        return found
    return dataclasses.replace(found, allows_zero=True)


def _alternatives(trait: JsonObject | None) -> ir.Alternatives | None:
    if trait is None:
        return None
    prop = trait.get("propertyName")
    return ir.Alternatives(
        exactly_one=trait["match"] == "oneOf",
        property_name=None if prop is None else ModelText(prop),
        tags=tuple((ModelText(tag), name) for tag, name in trait.get("mapping", {}).items()),
    )
