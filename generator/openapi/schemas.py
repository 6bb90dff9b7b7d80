"""OpenAPI schemas -> Smithy shapes.

A schema under a name (`components/schemas/Pet`, or any value a `$ref` reaches) becomes a shape of
that name, once, however many references reach it, so recursive schemas become recursive shapes.
An inline schema becomes a shape named after where it is (`FindPetsOutputItem`), except a plain
string, number or boolean, which targets the prelude shape and puts its constraints on the member.

What JSON Schema says and Smithy can say the same way is translated exactly: `required`,
`minLength`/`maxLength`, `pattern`, `minimum`/`maximum` (exclusive bounds of integers too),
`minItems`/`maxItems`, `uniqueItems`, `minProperties`/`maxProperties` of maps, string and integer
`enum`s. Everything else a document may say is named in a warning at its pointer, never dropped
in silence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any, TypeGuard

from generator import kinds, naming
from generator.extension_traits import (
    ALTERNATIVES,
    EXCLUSIVE_RANGE,
    EXTRA_PROPERTIES,
    MULTIPLE_OF,
    NULLABLE,
    OPEN,
)
from generator.openapi.context import JsonObject, Translation
from generator.openapi.names import member_name, pascal, unique
from generator.openapi.refs import Location, RefProblem

DOCUMENT = "smithy.api#Document"
EXACT_BLOB_LENGTH = "x-smithy-length"
_ANNOTATIONS = frozenset({"description", "title", "deprecated", "example", "examples"})

_STRING_FORMATS = {
    "date-time": "smithy.api#Timestamp",
    "byte": "smithy.api#Blob",
    "binary": "smithy.api#Blob",
}
_FORMAT_PATTERNS = {
    "uuid": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    # RFC 3339's full-date, days of each month and leap years included (the Gregorian rule:
    # every fourth year, not centuries, but every fourth century).
    "date": (
        "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
        "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$"
    ),
}
"""String formats shapesmith checks, as the `@pattern` that says them."""
_INTEGER_FORMATS = {"int32": "smithy.api#Integer", "int64": "smithy.api#Long"}
_NUMBER_FORMATS = {"float": "smithy.api#Float", "double": "smithy.api#Double"}
_SIMPLE_TYPES = {
    "smithy.api#Timestamp": "timestamp",
    "smithy.api#Blob": "blob",
    "smithy.api#String": "string",
    "smithy.api#Integer": "integer",
    "smithy.api#Long": "long",
    "smithy.api#Float": "float",
    "smithy.api#Double": "double",
    "smithy.api#Boolean": "boolean",
}

_NOT_YET = {
    "not": "`not` is not supported yet: values are not checked against it",
    "if": "`if`/`then`/`else` is not supported yet: values are not checked against it",
    "patternProperties": "`patternProperties` is not supported yet: values are not checked "
    "against it",
    "propertyNames": "`propertyNames` is not supported yet: names are not checked against it",
    "dependentSchemas": "`dependentSchemas` is not supported yet",
    "dependentRequired": "`dependentRequired` is not supported yet",
    "prefixItems": "`prefixItems` is not supported yet",
    "contains": "`contains` is not supported yet",
    "unevaluatedProperties": "`unevaluatedProperties` is not supported yet",
}

Target = tuple[str, JsonObject]
"""A member's target shape id and the traits the member carries for it."""


_DROPPED = {"request": "readOnly", "response": "writeOnly"}
"""What a message in each direction leaves out: `readOnly` properties are not sent in requests,
`writeOnly` ones not in responses."""


class Schemas:
    def __init__(self, translation: Translation) -> None:
        self._t = translation
        self._named: dict[Location, str] = {}
        self._pending: set[Location] = set()
        """Reserved names whose shapes are not made yet."""
        self._direction: str | None = None
        """`request` or `response` while translating one, None for a schema on its own."""
        self._variants: dict[tuple[Location, str], str] = {}
        self._defaults_seen: set[Location] = set()
        """Schemas whose `default` a property applied or warned about."""
        self._defaults_found: set[Location] = set()
        self._drops: dict[tuple[Location, str], bool] = {}

    @contextlib.contextmanager
    def direction(self, direction: str) -> Iterator[None]:
        """Translate the schemas of a request or a response: a schema whose properties (or
        those of a schema it reaches) are `readOnly` (`writeOnly`) gets a variant without them,
        named `<Schema>Request` (`<Schema>Response`)."""
        before, self._direction = self._direction, direction
        try:
            yield
        finally:
            self._direction = before

    def _leaves_out(self, prop: Location) -> bool:
        if self._direction is None:
            return False
        try:
            _, node = self._t.documents.follow(prop)
        except RefProblem:
            return False
        return isinstance(node, dict) and node.get(_DROPPED[self._direction]) is True

    def _reaches_dropped(self, where: Location, direction: str) -> bool:
        """Whether the schema at `where`, or one it reaches, has a property `direction` drops."""
        key = (where, direction)
        if key not in self._drops:
            self._drops[key] = False  # a cycle back here adds nothing
            self._drops[key] = any(
                self._dropped_here(node, direction) for node in self._reached(where)
            )
        return self._drops[key]

    def _reached(
        self, where: Location, skip: frozenset[Location] = frozenset()
    ) -> Iterator[object]:
        """Every schema node reachable from `where` through references and subschemas, but
        those at (or under) the places `skip`."""
        seen: set[Location] = set()
        waiting = [where]
        while waiting:
            at = waiting.pop()
            if at in skip:
                continue
            try:
                at, node = self._t.documents.follow(at)
            except RefProblem:
                continue
            if at in seen or not isinstance(node, dict):
                continue
            seen.add(at)
            yield node
            for key in ("properties", "patternProperties"):
                if isinstance(node.get(key), dict):
                    waiting.extend(at.child(key, name) for name in node[key])
            for key in ("items", "additionalProperties"):
                if isinstance(node.get(key), dict):
                    waiting.append(at.child(key))
            for key in ("allOf", "anyOf", "oneOf"):
                if isinstance(node.get(key), list):
                    waiting.extend(at.child(key, i) for i in range(len(node[key])))

    @staticmethod
    def _dropped_here(node: object, direction: str) -> bool:
        properties = node.get("properties") if isinstance(node, dict) else None
        return isinstance(properties, dict) and any(
            isinstance(p, dict) and p.get(_DROPPED[direction]) is True for p in properties.values()
        )

    def target(self, at: Location, context: str) -> Target:
        """The shape a member whose schema is at `at` targets; `context` names an inline shape."""
        node = self._t.documents.value(at)
        if isinstance(node, dict) and "$ref" in node:
            try:
                where, _ = self._t.documents.follow(at)
            except RefProblem as problem:
                self._t.problems.append(problem.diagnostic)
                return DOCUMENT, {}
            return self.named(where), {}
        return self._build(at, node, context, named=False)

    def reserve(self, where: Location) -> None:
        """Claim the name of the schema at `where` now, before other shapes are named (so that a
        component schema is called what the document calls it)."""
        if where not in self._named:
            self._named[where] = self._t.shape_id(self._claim_for(where))
            self._pending.add(where)

    def _claim_for(self, where: Location, suffix: str = "") -> str:
        last = where.pointer.rpartition("/")[2].replace("~1", "/").replace("~0", "~")
        stem = last or where.file.rpartition("/")[2].split(".")[0]
        return unique(pascal(stem, "Shape") + suffix, self._t.taken)

    def named(self, where: Location) -> str:
        """The shape of the schema at `where`, a `$ref` target, made on first use."""
        direction = self._direction
        if direction is not None and self._reaches_dropped(where, direction):
            return self._variant(where, direction)
        known = self._named.get(where)
        if known is not None and where not in self._pending:
            return known
        self._pending.discard(where)
        shape_id = known or self._t.shape_id(self._claim_for(where))
        self._named[where] = shape_id
        self._build(where, self._t.documents.value(where), shape_id.partition("#")[2], named=True)
        return shape_id

    def _variant(self, where: Location, direction: str) -> str:
        known = self._variants.get((where, direction))
        if known is not None:
            return known
        name = self._claim_for(where, direction.capitalize())
        shape_id = self._variants[(where, direction)] = self._t.shape_id(name)
        self._build(where, self._t.documents.value(where), name, named=True)
        return shape_id

    def _build(self, at: Location, node: object, name: str, *, named: bool) -> Target:
        if not isinstance(node, dict):
            # 3.1 allows `true`/`false` as schemas: any value / no value.
            return self._simple(at, DOCUMENT, {}, name, named)
        self._warn_unsupported(at, node)
        types = self._types(at, node)
        overlay = None if named else _constraint_overlay(node)
        if overlay is not None:
            # `allOf: [{$ref: X}, {maxItems: 10}]`: X, with the member's own constraints.
            target, traits = self.target(at.child("allOf", overlay[0]), name)
            return target, {**traits, **overlay[1]}
        if "allOf" in node:
            return self._all_of(at, node, self._claim(name, named))
        other = _null_alternative(node)
        if other is not None:
            # `anyOf: [X, {type: null}]`: X, where the member that holds it is nullable.
            inner_at = at.child(*other)
            inner = self._t.documents.value(inner_at)
            if not named:
                return self.target(inner_at, name)
            if not (isinstance(inner, dict) and "$ref" in inner):
                return self._build(inner_at, inner, name, named=True)
        for key in ("oneOf", "anyOf"):
            if key in node:
                return self._alternatives(at, node, key, name, named)
        kind = types[0] if len(types) == 1 else None
        if len(types) > 1:
            self._t.warn(
                at.child("type"),
                f"a value of several types ({', '.join(types)}) is accepted as any JSON value",
            )
            return self._simple(at, DOCUMENT, {}, name, named)
        if kind is None:
            kind = self._implied_type(node)
        const = node.get("const")
        if "const" in node and "enum" not in node:
            if isinstance(const, str | int) and not isinstance(const, bool):
                node = {**node, "enum": [const]}
                kind = kind or ("integer" if isinstance(const, int) else "string")
            else:
                self._t.warn(
                    at.child("const"),
                    "`const` of a value that is not a string or an " "integer is not enforced yet",
                )
        if "enum" in node and kind in {"string", "integer", None}:
            return self._enum(at, node, self._claim(name, named), kind)
        if kind == "object":
            return self._object(at, node, self._claim(name, named))
        if kind == "array":
            return self._list(at, node, self._claim(name, named))
        if kind == "string":
            target = _string_target(node)
            return self._simple(at, target, self._string_traits(at, node, target), name, named)
        if kind == "integer":
            target = _INTEGER_FORMATS.get(str(node.get("format")), "smithy.api#Long")
            return self._simple(at, target, _number_traits(node), name, named)
        if kind == "number":
            target = _NUMBER_FORMATS.get(str(node.get("format")), "smithy.api#Double")
            return self._simple(at, target, _number_traits(node), name, named)
        if kind == "boolean":
            return self._simple(at, "smithy.api#Boolean", {}, name, named)
        return self._simple(at, DOCUMENT, {}, name, named)

    def _alternatives(
        self, at: Location, node: JsonObject, key: str, name: str, named: bool
    ) -> Target:
        """`oneOf`/`anyOf`: a union whose value is one branch's value as it is (no wrapper),
        the branch found by the `discriminator` where there is one, else by validation;
        `shapesmith.api#alternatives` says which rule counts the branches."""
        parts = node[key] if isinstance(node[key], list) else []
        problem = self._unsupported_branches(at, parts, key)
        beside = _object_beside(node)
        if problem is None and beside:
            problem = self._unsupported_beside(at, node, key)
            problem = None if problem is None else f"with {problem}"
        if problem is not None:
            self._t.warn(
                at.child(key),
                f"`{key}` {problem} is not supported yet: the value is accepted as any JSON value",
            )
            return self._simple(at, DOCUMENT, {}, name, named)
        for sibling in sorted(node.keys() - _ANNOTATIONS - _BESIDE_ALTERNATIVES - beside):
            self._t.warn(at.child(sibling), f"`{sibling}` beside `{key}` is not checked yet")
        union_name = self._claim(name, named)
        trait: JsonObject = {"match": key}
        shape: JsonObject = {"type": "union", "members": {}}
        shape_id = self._t.add_shape(union_name, shape, at)
        taken: set[str] = set()
        members: JsonObject = {}
        by_ref: dict[Location, str] = {}
        for index, part in enumerate(parts):
            if part == {"type": "null"}:
                continue  # a null is the holder's to accept (see `nullable`)
            where = at.child(key, index)
            member = unique(member_name(_branch_name(part, index)), taken)
            context = union_name + pascal(member, "Member")
            if beside:
                found = self._with_beside(at, node, where, context)
                if found is None:
                    continue  # no value is both: the branch matches nothing
                target, traits = found
            else:
                target, traits = self.target(where, context)
            if isinstance(part, dict) and "$ref" in part:
                with contextlib.suppress(RefProblem):
                    by_ref[self._t.documents.follow(where)[0]] = member
            self._t.source_map.record(where, shape_id, "members", member)
            members[member] = _member((target, traits))
        if not members:
            self._t.warn(at.child(key), f"`{key}` of no branch but null accepts only null")
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict) and members:
            trait.update(self._discriminator(at, discriminator, parts, key, by_ref))
        shape["members"] = members
        traits = {**_documentation(at, self._t), ALTERNATIVES: trait}
        shape["traits"] = traits
        if not members:
            shape["type"] = "document"
            del shape["members"], traits[ALTERNATIVES]
        return shape_id, {}

    def _unsupported_beside(self, at: Location, node: JsonObject, key: str) -> str | None:
        """Why the object keywords beside `oneOf`/`anyOf` cannot be merged into its branches:
        a branch that is neither an object schema nor one of another type, or a property JSON
        does not carry as it is (see `_not_as_is`)."""
        if node.get("additionalProperties", True) not in (True, False, {}):
            return "an `additionalProperties` schema beside it"
        for prop in node.get("properties") or {}:
            if self._converted_branch(at.child("properties", prop)):
                continue  # a timestamp or bytes of the merged structures (`json_forms`)
            problem = self._not_as_is(at.child("properties", prop))
            if problem is not None:
                return f"a property beside it {problem}"
        parts = node[key] if isinstance(node[key], list) else []
        for index, part in enumerate(parts):
            if part == {"type": "null"}:
                continue
            try:
                _, branch = self._t.documents.follow(at.child(key, index))
            except RefProblem:
                continue  # reported where the branch is followed for its shape
            if self._branch_form(at.child(key, index), branch) is None:
                return (
                    "object keywords beside it and a branch that is neither an object schema "
                    "nor one of another type"
                )
        return None

    def _branch_form(self, where: Location, branch: object) -> str | None:
        """`object` for a branch that is a plain object schema (properties, required,
        additionalProperties), `other` for one whose types hold no object, else None."""
        if not isinstance(branch, dict) or any(
            k in branch for k in ("oneOf", "anyOf", "allOf", "$ref", "enum", "const")
        ):
            return None
        types = self._types(where, branch)
        if types and "object" not in types:
            return "other"
        if branch.keys() - _MERGED_KEYWORDS or branch.get("additionalProperties", True) not in (
            True,
            False,
            {},
        ):
            return None  # what the merge would not check
        if types == ["object"] or (not types and self._implied_type(branch) == "object"):
            return "object"
        return None

    def _with_beside(
        self, at: Location, node: JsonObject, where: Location, name: str
    ) -> Target | None:
        """The member of the branch at `where` of the union at `at` whose object keywords
        (`properties`, `required`, `additionalProperties: false`) stand beside `oneOf`/`anyOf`:
        a value must satisfy both, so an object branch becomes one structure with the
        properties and requirements of both, and a branch of another type stays as it is (the
        object keywords say nothing of a string), unless `type: object` is beside too. None
        where no value satisfies both."""
        try:
            branch_at, branch = self._t.documents.follow(where)
        except RefProblem as problem:
            self._t.problems.append(problem.diagnostic)
            return DOCUMENT, {}
        object_only = "object" in self._types(at, node)
        if self._branch_form(where, branch) == "other":
            return None if object_only else self.target(where, name)
        assert isinstance(branch, dict)
        parts = [(at, node), (branch_at, branch)]
        origin: dict[str, Location] = {}
        required: set[str] = set()
        allowed: set[str] | None = None
        for part_at, part in parts:
            found = part.get("properties")
            properties: JsonObject = found if isinstance(found, dict) else {}
            for prop in properties:
                if prop in origin and properties[prop] != self._t.documents.value(origin[prop]):
                    self._t.warn(
                        part_at.child("properties", prop),
                        "a property defined beside `oneOf`/`anyOf` and in a branch is checked "
                        "against the branch's schema",
                    )
                origin[prop] = part_at.child("properties", prop)
            required.update(r for r in part.get("required") or () if isinstance(r, str))
            if part.get("additionalProperties") is False:
                # Properties the closed part does not name may not be there at all.
                allowed = set(properties) if allowed is None else allowed & set(properties)
        if allowed is not None and not required <= allowed:
            return None
        places = [(p, w) for p, w in origin.items() if allowed is None or p in allowed]
        shape: JsonObject = {"type": "structure", "members": {}}
        traits = _documentation(branch_at, self._t)
        if allowed is None:
            traits[OPEN] = {}
        if traits:
            shape["traits"] = traits
        merged = unique(name, self._t.taken)
        shape_id = self._t.add_shape(merged, shape, where)
        shape["members"] = dict(self._members(places, required, merged))
        for missing in sorted(required - set(origin)):
            self._t.warn(where, f"{missing!r} is required but not a property")
        return shape_id, {}

    def _discriminator(
        self,
        at: Location,
        discriminator: JsonObject,
        parts: list[Any],
        key: str,
        by_ref: dict[Location, str],
    ) -> JsonObject:
        """The tag's property and each tag's member: the explicit `mapping` (schema names and
        references), then each referenced branch under its schema name."""
        place = at.child("discriminator")
        prop = discriminator.get("propertyName")
        if not isinstance(prop, str):
            return {}
        mapping: dict[str, str] = {}
        explicit = discriminator.get("mapping")
        for tag, ref in (explicit if isinstance(explicit, dict) else {}).items():
            member = self._mapped_member(place, str(ref), by_ref)
            if member is None:
                self._t.warn(
                    place.child("mapping", tag),
                    f"{ref!r} is not one of the `{key}` branches: the tag {tag!r} is not read",
                )
            else:
                mapping[str(tag)] = member
        for where, member in by_ref.items():
            implicit = where.pointer.rpartition("/")[2].replace("~1", "/").replace("~0", "~")
            mapping.setdefault(implicit, member)
        unmapped = set(by_ref.values()) - set(mapping.values())
        if len(by_ref) < sum(1 for part in parts if part != {"type": "null"}) or unmapped:
            self._t.warn(
                place, "a branch that is not a `$ref` has no tag: it is found by validation"
            )
        return {"propertyName": prop, "mapping": mapping}

    def _mapped_member(self, place: Location, ref: str, by_ref: dict[Location, str]) -> str | None:
        """The member a `mapping` value names: a schema name or a reference."""
        if "/" not in ref and "#" not in ref:
            ref = f"#/components/schemas/{ref}"
        try:
            found, _ = self._t.documents.follow(self._t.documents.resolve(place, ref))
        except (RefProblem, KeyError):
            return None
        return by_ref.get(found)

    def _unsupported_branches(self, at: Location, parts: list[Any], key: str) -> str | None:
        """Why the branches cannot be a union yet: shapesmith decides which branch a value is
        by validating its JSON, which a branch that is a `date-time` or base64 string converts
        (the union's members may be timestamps and bytes), and so does an object branch for its
        own properties of those kinds, but nothing deeper does (no bytes or timestamps further
        inside a branch, no property renamed for Python)."""
        for index in range(len(parts)):
            where = at.child(key, index)
            if self._converted_branch(where):
                continue
            problem = self._not_as_is(where, self._converted_properties(where))
            if problem is not None:
                return f"of a branch {problem}"
        return None

    def _converted_properties(self, at: Location) -> frozenset[Location]:
        """The properties of the object schema at `at` that are timestamps or bytes in base64
        (`_converted_branch`): a branch's structure converts those to and from its JSON
        (`StructureShape.json_forms`); anything deeper is not converted."""
        try:
            where, node = self._t.documents.follow(at)
        except RefProblem:
            return frozenset()
        properties = node.get("properties") if isinstance(node, dict) else None
        if not isinstance(properties, dict):
            return frozenset()
        places = (where.child("properties", name) for name in properties)
        return frozenset(place for place in places if self._converted_branch(place))

    def _converted_branch(self, at: Location) -> bool:
        """Whether the branch at `at` is itself a timestamp or bytes in base64 (a string of
        `format: date-time`, `format: byte` or `contentEncoding: base64`)."""
        try:
            _, node = self._t.documents.follow(at)
        except RefProblem:
            return False
        if not isinstance(node, dict) or self._types(at, node) != ["string"]:
            return False
        return _string_target(node) != "smithy.api#String" and node.get("format") != "binary"

    def _claim(self, name: str, named: bool) -> str:
        """The name of a shape about to be made: a named schema's was claimed when its
        reference was first followed; an inline schema's is claimed now."""
        return name if named else unique(name, self._t.taken)

    def _types(self, at: Location, node: JsonObject) -> list[str]:
        found = node.get("type")
        types = [found] if isinstance(found, str) else list(found or [])
        return [kind for kind in types if kind != "null"]

    def nullable(self, at: Location, seen: frozenset[Location] = frozenset()) -> bool:
        """Whether the schema at `at` (a `$ref` followed) accepts null: 3.0's `nullable: true`,
        3.1's `"null"` among its types, a `oneOf` with one branch that does, an `anyOf` with
        any."""
        try:
            where, node = self._t.documents.follow(at)
        except RefProblem:
            return False  # reported where the reference is followed for its shape
        if not isinstance(node, dict) or where in seen:
            return False
        found = node.get("type")
        if node.get("nullable") is True or (isinstance(found, list) and "null" in found):
            return True
        if _null_alternative(node) is not None:
            return True
        for key, exactly_one in (("oneOf", True), ("anyOf", False)):
            parts = node.get(key)
            if isinstance(parts, list):
                # A null is one more value the branches are counted on.
                nulls: int = sum(
                    bool(part == {"type": "null"})
                    or self.nullable(where.child(key, index), seen | {where})
                    for index, part in enumerate(parts)
                )
                return nulls == 1 if exactly_one else nulls >= 1
        return False

    def warn_if_nullable(self, at: Location, what: str) -> None:
        """Where a null cannot be told from no value (a whole body, a parameter), say so."""
        if self.nullable(at):
            self._t.warn(at, f"{what} is never null: a null is read as no value")

    @staticmethod
    def _implied_type(node: JsonObject) -> str | None:
        if "properties" in node or "additionalProperties" in node or "required" in node:
            return "object"
        if "items" in node:
            return "array"
        if any(key in node for key in ("minLength", "maxLength", "pattern")):
            return "string"
        enum = node.get("enum")
        if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
            return "string"
        return None

    def _default(self, where: Location, target: str, traits: JsonObject) -> JsonObject:
        """`default` of an optional property as Smithy's `@default`: what the receiver of a
        message assumes where the property is absent (OpenAPI: "what would be assumed by the
        consumer of the input"), so a value read without it has it, and a sender leaves it out
        when it is the default. A default the schema refuses, or one Smithy cannot say, is
        documentation only, with a warning."""
        beside = self._t.documents.value(where)
        try:
            # 3.1 lets a `default` stand beside a `$ref`: it wins over the referred schema's.
            at, node = (where, beside) if _has_default(beside) else self._t.documents.follow(where)
        except RefProblem:
            return {}
        if not isinstance(node, dict) or "default" not in node:
            return {}
        value = node["default"]
        self._defaults_seen.add(at)
        shape = self._t.shapes.get(target, {})
        type_name = _SIMPLE_TYPES.get(target) or shape.get("type", "document")
        effective = {**shape.get("traits", {}), **traits}
        values = [
            member.get("traits", {}).get("smithy.api#enumValue")
            for member in shape.get("members", {}).values()
        ]
        problem = _default_problem(type_name, value, effective, values)
        if problem is None and NULLABLE in traits:
            problem = "a nullable property's default is not applied yet"
        if problem is not None:
            self._t.warn(at.child("default"), f"`default` is documentation only here: {problem}")
            return {}
        return {"smithy.api#default": value}

    def warn_unapplied_defaults(self) -> None:
        """Every `default` no optional property applied (or warned about): documentation."""
        for at in sorted(self._defaults_found - self._defaults_seen, key=str):
            self._t.warn(
                at.child("default"),
                "`default` is documentation only here (shapesmith applies the defaults of "
                "optional properties)",
            )

    def _warn_unsupported(self, at: Location, node: JsonObject) -> None:
        if "default" in node:
            self._defaults_found.add(at)
        for key, message in _NOT_YET.items():
            if key in node and not (key == "propertyNames" and _is_map(node)):
                self._t.warn(at.child(key), message)
        if "discriminator" in node and not any(k in node for k in ("oneOf", "anyOf")):
            self._t.warn(at.child("discriminator"), "`discriminator` is not supported yet")

    def _simple(
        self, at: Location, target: str, traits: JsonObject, name: str, named: bool
    ) -> Target:
        if target == "smithy.api#Timestamp":
            traits = {**traits, "smithy.api#timestampFormat": "date-time"}
        if not named:
            return target, traits
        shape: JsonObject = {"type": _SIMPLE_TYPES.get(target, "document")}
        shape_traits = {**_documentation(at, self._t), **traits}
        if shape_traits:
            shape["traits"] = shape_traits
        return self._t.add_shape(name, shape, at), {}

    def _string_traits(self, at: Location, node: JsonObject, target: str) -> JsonObject:
        if target == "smithy.api#String":
            traits = _length(node, "minLength", "maxLength")
            pattern = _FORMAT_PATTERNS.get(str(node.get("format")))
            if isinstance(node.get("pattern"), str):
                traits["smithy.api#pattern"] = node["pattern"]
                if pattern is not None:
                    self._t.warn(
                        at.child("format"),
                        f"`format: {node['format']}` beside a `pattern` is not enforced",
                    )
            elif pattern is not None:
                traits["smithy.api#pattern"] = pattern
            return traits
        base64 = target == "smithy.api#Blob" and node.get("format") != "binary"
        for key in ("pattern",) if base64 else ("minLength", "maxLength", "pattern"):
            if key in node:
                self._t.warn(
                    at.child(key), f"`{key}` of a {node.get('format')} string is not enforced yet"
                )
        if base64 and _is_length(node.get(EXACT_BLOB_LENGTH)):
            # shapesmith's JSON Schema export says a blob's byte length exactly.
            return {"smithy.api#length": dict(node[EXACT_BLOB_LENGTH])}
        return _base64_length(node) if base64 else {}

    def _enum(self, at: Location, node: JsonObject, name: str, kind: str | None) -> Target:
        values = node["enum"] if isinstance(node["enum"], list) else []
        integer = kind == "integer"
        wanted = (int,) if integer else (str,)
        kept = [v for v in values if isinstance(v, wanted) and not isinstance(v, bool)]
        kept = [v for v in kept if v != ""]
        if len(kept) != len(values):
            self._t.warn(
                at.child("enum"),
                f"only non-empty {'integer' if integer else 'string'} values of an enum are kept",
            )
        if not kept:
            return self._simple(at, DOCUMENT, {}, name, True)
        taken: set[str] = set()
        members: JsonObject = {}
        for value in kept:
            member = unique(_enum_member(value), taken)
            trait = {"smithy.api#enumValue": value}
            members[member] = {"target": "smithy.api#Unit", "traits": trait}
        shape: JsonObject = {"type": "intEnum" if integer else "enum", "members": members}
        traits = _documentation(at, self._t)
        if traits:
            shape["traits"] = traits
        return self._t.add_shape(name, shape, at), {}

    def _object(self, at: Location, node: JsonObject, name: str) -> Target:
        properties = node.get("properties")
        extra = node.get("additionalProperties")
        if _is_map(node):
            return self._map(at, node, name)
        if self._one_property_only(at, node):
            return self._union_of_properties(at, node, name)
        keep_extra = extra is True or isinstance(extra, dict)
        if isinstance(extra, dict) and extra:
            problem = self._not_as_is(at.child("additionalProperties"))
            if problem is not None:
                self._t.warn(
                    at.child("additionalProperties"),
                    f"properties beside the named ones {problem} are accepted, not checked "
                    "against this schema, and not kept",
                )
                keep_extra = False
        for key in ("minProperties", "maxProperties"):
            if key in node:
                self._t.warn(
                    at.child(key), f"`{key}` of an object with properties is not enforced yet"
                )
        required = set(node.get("required") or ())
        places = [(prop, at.child("properties", prop)) for prop in properties or {}]
        members = self._members(places, required, name)
        shape: JsonObject = {"type": "structure", "members": {}}
        traits = _documentation(at, self._t)
        if extra is not False:
            traits[OPEN] = {}  # JSON Schema's objects accept properties they do not name
        if traits:
            shape["traits"] = traits
        shape_id = self._t.add_shape(name, shape, at)
        shape["members"] = dict(members)
        if keep_extra:
            member = unique("extra", {m.lower() for m in shape["members"]})
            shape["members"][member] = self._extra(at, extra, name)
            self._t.source_map.record(at.child("additionalProperties"), shape_id, "members", member)
        for missing in sorted(required - set((properties or {}).keys())):
            self._t.warn(at.child("required"), f"{missing!r} is required but not a property")
        return shape_id, {}

    def _one_property_only(self, at: Location, node: JsonObject) -> bool:
        """Whether the object holds exactly one of its properties and nothing else: a union
        (how shapesmith's export writes one), where no property may be null or defaulted."""
        properties = node.get("properties")
        return (
            isinstance(properties, dict)
            and bool(properties)
            and node.get("additionalProperties") is False
            and node.get("minProperties") == 1
            and node.get("maxProperties") == 1
            and not node.get("required")
            and not any(isinstance(p, dict) and "default" in p for p in properties.values())
            and not any(self.nullable(at.child("properties", p)) for p in properties)
        )

    def _union_of_properties(self, at: Location, node: JsonObject, name: str) -> Target:
        places = [(prop, at.child("properties", prop)) for prop in node["properties"]]
        shape: JsonObject = {"type": "union", "members": {}}
        traits = _documentation(at, self._t)
        if traits:
            shape["traits"] = traits
        shape_id = self._t.add_shape(name, shape, at)
        shape["members"] = dict(self._members(places, set(), name))
        return shape_id, {}

    def _members(
        self, places: Iterable[tuple[str, Location]], required: set[str], owner: str
    ) -> Iterator[tuple[str, JsonObject]]:
        """The members of the structure `owner` for properties (name, where its schema is),
        left out where the message's direction drops them."""
        taken: set[str] = set()
        for prop, where in places:
            if self._leaves_out(where):
                continue
            member = unique(member_name(prop), taken)
            target, traits = self.target(where, owner + pascal(prop, "Member"))
            traits = dict(traits)
            if member != prop:
                traits["smithy.api#jsonName"] = prop
            if prop in required:
                traits["smithy.api#required"] = {}
            if self.nullable(where):
                traits[NULLABLE] = {}
            if prop not in required:
                traits.update(self._default(where, target, traits))
            traits.update(_documentation(where, self._t))
            self._t.source_map.record(where, self._t.shape_id(owner), "members", member)
            shape: JsonObject = {"target": target}
            if traits:
                shape["traits"] = traits
            yield member, shape

    def _extra(self, at: Location, extra: object, owner: str) -> JsonObject:
        """The member that keeps an object's properties beside its named ones: a map of the
        `additionalProperties` schema, flattened into the object on the wire."""
        shape: JsonObject = {"type": "map", "key": {"target": "smithy.api#String"}}
        map_name = unique(owner + "Extra", self._t.taken)
        self._t.add_shape(map_name, shape, at.child("additionalProperties"))
        if extra is True or extra == {}:
            shape["value"] = {"target": DOCUMENT}
            shape["traits"] = {"smithy.api#sparse": {}}  # any value: null too
        else:
            where = at.child("additionalProperties")
            shape["value"] = _member(self.target(where, map_name + "Value"))
            if self.nullable(where):
                shape["traits"] = {"smithy.api#sparse": {}}
        return {
            "target": self._t.shape_id(map_name),
            "traits": {
                EXTRA_PROPERTIES: {},
                "smithy.api#documentation": "The properties beside the named ones.",
            },
        }

    def _not_as_is(self, at: Location, skip: frozenset[Location] = frozenset()) -> str | None:
        """Why values of the schema at `at` (but the places `skip`) are not their own wire form
        (bytes, timestamps, a property renamed for Python), or None."""
        for node in self._reached(at, skip):
            if not isinstance(node, dict):
                continue
            fmt = node.get("format")
            if node.get("type") == "string" and fmt in _STRING_FORMATS:
                return f"holding `format: {fmt}`"
            if "contentEncoding" in node:
                return "holding `contentEncoding`"
            properties = node.get("properties")
            for prop in properties if isinstance(properties, dict) else ():
                if member_name(prop) != prop:
                    return f"holding the property {prop!r}, not a Python name"
        return None

    def _map(self, at: Location, node: JsonObject, name: str) -> Target:
        extra = node["additionalProperties"]
        shape: JsonObject = {"type": "map", "key": {"target": "smithy.api#String"}}
        shape_id = self._t.add_shape(name, shape, at)
        if isinstance(node.get("propertyNames"), dict):
            shape["key"] = self._key(at.child("propertyNames"), name + "Key")
        if extra is True or extra == {}:
            value: Target = (DOCUMENT, {})
        else:
            value = self.target(at.child("additionalProperties"), name + "Value")
        shape["value"] = _member(value)
        traits = {**_documentation(at, self._t), **_length(node, "minProperties", "maxProperties")}
        if isinstance(extra, dict) and self.nullable(at.child("additionalProperties")):
            traits["smithy.api#sparse"] = {}
        if traits:
            shape["traits"] = traits
        return shape_id, {}

    def _key(self, at: Location, name: str) -> JsonObject:
        """A map's key member from its `propertyNames` schema: names are strings, so a string
        schema (its length, pattern or enum) says what they may be."""
        target = self.target(at, name)
        shape_id, traits = target
        if shape_id == "smithy.api#String" or self._t.shapes.get(shape_id, {}).get("type") in (
            "string",
            "enum",
        ):
            return _member((shape_id, {k: v for k, v in traits.items() if k != NULLABLE}))
        self._t.warn(at, "`propertyNames` that is not a string schema is not checked yet")
        return {"target": "smithy.api#String"}

    def _list(self, at: Location, node: JsonObject, name: str) -> Target:
        shape: JsonObject = {"type": "list"}
        shape_id = self._t.add_shape(name, shape, at)
        item: Target = (DOCUMENT, {})
        if isinstance(node.get("items"), dict):
            item = self.target(at.child("items"), name + "Item")
        shape["member"] = _member(item)
        traits = {**_documentation(at, self._t), **_length(node, "minItems", "maxItems")}
        if isinstance(node.get("items"), dict) and self.nullable(at.child("items")):
            traits["smithy.api#sparse"] = {}
        if node.get("uniqueItems") is True:
            traits["smithy.api#uniqueItems"] = {}
        if traits:
            shape["traits"] = traits
        return shape_id, {}

    def _all_of(self, at: Location, node: JsonObject, name: str) -> Target:
        """`allOf` of object schemas: one structure with every part's properties and
        requirements (a value is valid for all of them exactly when it is valid for the merge,
        as long as no property is defined twice differently)."""
        required: set[str] = set()
        origin: dict[str, Location] = {}
        closed = False
        parts = node["allOf"] if isinstance(node["allOf"], list) else []
        for index, _ in enumerate(parts):
            try:
                where, part = self._t.documents.follow(at.child("allOf", index))
            except RefProblem as problem:
                self._t.problems.append(problem.diagnostic)
                continue
            if not isinstance(part, dict) or self._implied_type(part) not in {"object", None}:
                self._t.warn(
                    at.child("allOf", index),
                    "`allOf` of a part that is not an object "
                    "schema is not supported yet: the value is accepted as any JSON value",
                )
                return self._simple(at, DOCUMENT, {}, name, True)
            for prop in part.get("properties") or {}:
                if prop in origin:
                    self._t.warn(
                        at.child("allOf", index, "properties", prop),
                        "a property defined by two parts of `allOf` is checked against the last",
                    )
                origin[prop] = where.child("properties", prop)
            required.update(part.get("required") or ())
            closed = closed or part.get("additionalProperties") is False
        shape: JsonObject = {"type": "structure", "members": {}}
        traits = _documentation(at, self._t)
        if not closed:
            traits[OPEN] = {}
        if traits:
            shape["traits"] = traits
        shape_id = self._t.add_shape(name, shape, at)
        shape["members"] = dict(self._members(origin.items(), required, name))
        return shape_id, {}


_BESIDE_ALTERNATIVES = frozenset({"oneOf", "anyOf", "discriminator", "nullable", "type"})
"""Keywords beside `oneOf`/`anyOf` that the union says: `type` is let pass for the common
`type: object` (a value of another type fails every object branch anyway)."""


_OBJECT_KEYWORDS = frozenset({"properties", "required", "additionalProperties"})
_MERGED_KEYWORDS = _OBJECT_KEYWORDS | _ANNOTATIONS | {"type"}
"""What an object branch may say to be merged with the object keywords beside its union."""


def _object_beside(node: JsonObject) -> frozenset[str]:
    """The object keywords beside `oneOf`/`anyOf` that its branches are merged with."""
    return frozenset(node.keys() & _OBJECT_KEYWORDS)


def _branch_name(part: object, index: int) -> str:
    """A union member's name: the schema name a branch refers to, its title or its type."""
    if isinstance(part, dict):
        ref = part.get("$ref")
        if isinstance(ref, str) and ref.rpartition("/")[2]:
            return ref.rpartition("/")[2].replace("~1", "/").replace("~0", "~")
        if isinstance(part.get("title"), str):
            return str(part["title"])
        if part.get("format") in _STRING_FORMATS:
            return str(part["format"])  # a `date-time` or `byte` string, not just a string
        found = part.get("type")
        types = [found] if isinstance(found, str) else found if isinstance(found, list) else []
        named = [kind for kind in types if isinstance(kind, str) and kind != "null"]
        if named:
            return named[0]
    return f"option{index + 1}"


def _has_default(node: object) -> bool:
    return isinstance(node, dict) and "default" in node


def _default_problem(
    type_name: str, value: object, traits: JsonObject, enum_values: list[object]
) -> str | None:
    """Why `value` cannot be the `@default` of a member of `type_name` with `traits`, as
    `semantics` would refuse it, or as the validators would (a default must be valid)."""
    if value is None:
        return "null"
    if type_name in {"structure", "union"}:
        return f"Smithy has no default of {naming.article(type_name)}"
    problem = kinds.default_problem(type_name, value, traits, enum_values)
    if problem is not None or not _is_number(value):
        return problem
    bounds = traits.get("smithy.api#range", {})
    if ("min" in bounds and value < bounds["min"]) or ("max" in bounds and value > bounds["max"]):
        return f"{value} is outside the range"
    exclusive = traits.get(EXCLUSIVE_RANGE, {})
    if ("min" in exclusive and value <= exclusive["min"]) or (
        "max" in exclusive and value >= exclusive["max"]
    ):
        return f"{value} is outside the range"
    divisor = traits.get(MULTIPLE_OF)
    if divisor is not None and not (value / divisor).is_integer():
        return f"{value} is not a multiple of {divisor}"
    return None


def _number_traits(node: JsonObject) -> JsonObject:
    """`minimum`/`maximum` as `@range`; exclusive bounds (3.0's booleans beside them, 3.1's
    numbers) and `multipleOf` as shapesmith's traits of the same meaning."""
    low, high = node.get("minimum"), node.get("maximum")
    exclusive_low, exclusive_high = node.get("exclusiveMinimum"), node.get("exclusiveMaximum")
    if exclusive_low is True:
        exclusive_low, low = low, None
    if exclusive_high is True:
        exclusive_high, high = high, None
    traits: JsonObject = {}
    for trait, pair in (
        ("smithy.api#range", (low, high)),
        (EXCLUSIVE_RANGE, (exclusive_low, exclusive_high)),
    ):
        bounds = {
            key: value for key, value in zip(("min", "max"), pair, strict=True) if _is_number(value)
        }
        if bounds:
            traits[trait] = bounds
    divisor = node.get("multipleOf")
    if _is_number(divisor) and divisor > 0:
        traits[MULTIPLE_OF] = divisor
    return traits


def _is_length(value: object) -> TypeGuard[dict[str, int]]:
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= {"min", "max"}
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values())
    )


_LENGTHS = (
    ("minLength", "maxLength"),
    ("minItems", "maxItems"),
    ("minProperties", "maxProperties"),
)
_CONSTRAINTS = frozenset(
    {key for pair in _LENGTHS for key in pair}
    | {"pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
    | {EXACT_BLOB_LENGTH}
)


def _constraint_overlay(node: JsonObject) -> tuple[int, JsonObject] | None:
    """For `allOf` of one reference and one schema of constraints only (what shapesmith's
    export writes for a member that narrows its target): the reference's index and the member
    traits the constraints are."""
    parts = node.get("allOf")
    if not isinstance(parts, list) or len(parts) != 2 or len(node.keys() - _ANNOTATIONS) != 1:
        return None
    refs = [i for i, part in enumerate(parts) if isinstance(part, dict) and set(part) == {"$ref"}]
    if len(refs) != 1:
        return None
    extra = parts[1 - refs[0]]
    if not isinstance(extra, dict) or not extra or set(extra) - _CONSTRAINTS - _ANNOTATIONS:
        return None
    traits: JsonObject = {}
    for low, high in _LENGTHS:
        traits.update(_length(extra, low, high))
    if _is_length(extra.get(EXACT_BLOB_LENGTH)):
        traits["smithy.api#length"] = dict(extra[EXACT_BLOB_LENGTH])
    if isinstance(extra.get("pattern"), str):
        traits["smithy.api#pattern"] = extra["pattern"]
    traits.update(_number_traits(extra))
    return refs[0], traits


def _null_alternative(node: JsonObject) -> tuple[str, int] | None:
    """Where the one schema that is not `{type: null}` is, in a `oneOf`/`anyOf` of two."""
    for key in ("anyOf", "oneOf"):
        parts = node.get(key)
        if isinstance(parts, list) and len(parts) == 2 and len(node.keys() - _ANNOTATIONS) == 1:
            nulls = [i for i, part in enumerate(parts) if part == {"type": "null"}]
            if len(nulls) == 1:
                return key, 1 - nulls[0]
    return None


def _is_map(node: JsonObject) -> bool:
    """An object of any names, its values alike: no `properties`, `additionalProperties` some
    schema other than false."""
    return not node.get("properties") and node.get("additionalProperties") not in (None, False)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _member(target: Target) -> JsonObject:
    shape_id, traits = target
    return {"target": shape_id, "traits": traits} if traits else {"target": shape_id}


def _length(node: JsonObject, low: str, high: str) -> JsonObject:
    bounds = {
        key: node[source]
        for key, source in (("min", low), ("max", high))
        if isinstance(node.get(source), int) and not isinstance(node.get(source), bool)
    }
    return {"smithy.api#length": bounds} if bounds else {}


def _string_target(node: JsonObject) -> str:
    # 3.1 says base64 text with `contentEncoding`; 3.0 with `format: byte`.
    if node.get("contentEncoding") == "base64":
        return "smithy.api#Blob"
    return _STRING_FORMATS.get(str(node.get("format")), "smithy.api#String")


def _base64_length(node: JsonObject) -> JsonObject:
    """`minLength`/`maxLength` of base64 text as the byte lengths whose (padded) encoding has a
    length within them: n bytes take 4 * ceil(n / 3) characters."""
    bounds: JsonObject = {}
    low, high = node.get("minLength"), node.get("maxLength")
    if isinstance(low, int) and not isinstance(low, bool) and low > 0:
        bounds["min"] = 3 * -(-low // 4) - 2
    if isinstance(high, int) and not isinstance(high, bool):
        bounds["max"] = 3 * (high // 4)
    return {"smithy.api#length": bounds} if bounds else {}


def _documentation(at: Location, translation: Translation) -> JsonObject:
    node: Any = translation.documents.value(at)
    if isinstance(node, dict):
        text = node.get("description") or node.get("title")
        if isinstance(text, str) and text.strip():
            return {"smithy.api#documentation": text}
    return {}


def _enum_member(value: str | int) -> str:
    if isinstance(value, int):
        return f"V{value}".replace("-", "MINUS_")
    words = "".join(ch if ch.isalnum() else " " for ch in value).split()
    name = "_".join(word.upper() for word in words) or "VALUE"
    return name if name[0].isalpha() else "V_" + name
