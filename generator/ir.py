"""The intermediate representation: the contract between the model world and the template world.

Text from a model file is `ModelText` (see `generator/modeltext.py`): fields typed so hold free
text, and names (shape ids, member names, the `sdkId`) are model text at run time too, though
typed `str` where they are also built from parts. Templates print any of them only through an
escaping filter; the Python names they print come from `generator/naming.py`.

Every shape is a frozen dataclass with resolved references (a member points at its target shape) and
typed traits. Names and Python spellings are decided here, at build time, so that templates only
loop and print. Shapes compare by identity because recursive models make them cyclic.
"""

from __future__ import annotations

import enum
import functools
import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from generator import docs, kinds, naming
from generator.kinds.base import Kind
from generator.modeltext import ModelText
from generator.pyliterals import literal
from generator.symbols import BUILTINS_ALIAS as BUILTINS_ALIAS
from generator.symbols import DATETIME_ALIAS as DATETIME_ALIAS
from generator.symbols import DECIMAL_ALIAS as DECIMAL_ALIAS
from generator.symbols import DOCUMENT as DOCUMENT
from generator.symbols import Symbol as Symbol
from generator.validator_plan import ValidatorPlan


class ShapeType(enum.StrEnum):
    BLOB = "blob"
    BOOLEAN = "boolean"
    STRING = "string"
    BYTE = "byte"
    SHORT = "short"
    INTEGER = "integer"
    LONG = "long"
    FLOAT = "float"
    DOUBLE = "double"
    BIG_INTEGER = "bigInteger"
    BIG_DECIMAL = "bigDecimal"
    TIMESTAMP = "timestamp"
    DOCUMENT = "document"
    ENUM = "enum"
    INT_ENUM = "intEnum"
    LIST = "list"
    MAP = "map"
    STRUCTURE = "structure"
    UNION = "union"
    OPERATION = "operation"
    SERVICE = "service"
    RESOURCE = "resource"


UNIT_ID = "smithy.api#Unit"
"""What an operation without input or output targets."""

INTEGER_TYPES = frozenset(
    {ShapeType.BYTE, ShapeType.SHORT, ShapeType.INTEGER, ShapeType.LONG, ShapeType.BIG_INTEGER}
)
FLOAT_TYPES = frozenset({ShapeType.FLOAT, ShapeType.DOUBLE})
NUMBER_TYPES = INTEGER_TYPES | FLOAT_TYPES | {ShapeType.BIG_DECIMAL, ShapeType.INT_ENUM}


@dataclass(frozen=True)
class Length:
    min: int | None
    max: int | None

    @property
    def describe(self) -> str:
        low = "" if self.min is None else str(self.min)
        high = "" if self.max is None else str(self.max)
        return f"{low}..{high}"


@dataclass(frozen=True)
class Range:
    min: Decimal | None
    max: Decimal | None
    min_literal: str | None
    """The bound as a Python literal of the shape's own number type (`0.0`, `4`, `Decimal('1.5')`)."""
    max_literal: str | None
    allows_zero: bool = False
    """Whether 0 passes too: the member's zero default, which means "not set" (see
    `default_values.zero_default_allowed`)."""
    min_exclusive: bool = False
    """Whether `min` itself is outside (`shapesmith.api#exclusiveRange`, JSON Schema's
    `exclusiveMinimum`); integers never have one: theirs is the next integer, inclusive."""
    max_exclusive: bool = False

    @property
    def describe(self) -> str:
        low = "" if self.min is None else str(self.min)
        high = "" if self.max is None else str(self.max)
        excluded = [
            str(b) for b, e in ((self.min, self.min_exclusive), (self.max, self.max_exclusive)) if e
        ]
        shown = f"{low}..{high}" + (f" excluding {' and '.join(excluded)}" if excluded else "")
        return f"{shown} or 0 (unset)" if self.allows_zero else shown

    def holds(self, value: Decimal) -> bool:
        """Whether `value` is within the range (the zero default aside)."""
        if self.min is not None and (
            value < self.min or (self.min_exclusive and value == self.min)
        ):
            return False
        return self.max is None or not (
            value > self.max or (self.max_exclusive and value == self.max)
        )


@dataclass(frozen=True)
class MultipleOf:
    """`shapesmith.api#multipleOf` (JSON Schema's `multipleOf`): the value divided by it is a
    whole number."""

    value: Decimal
    literal: str
    """The divisor as a Python literal of the values it divides."""
    exact: bool
    """Whether `value % literal == 0` decides it exactly (whole divisors, big decimals); else the
    quotient is tested as a float, as JSON Schema validators do."""


@dataclass(frozen=True)
class Pattern:
    ecma: ModelText
    """The pattern as the model spells it (ECMA 262)."""
    python: str
    """Python `re` source that, used with `method`, finds a match exactly when the ECMA pattern
    does, or exactly when it does not if `found_means_broken`."""
    constant: str
    """The module-level name of the compiled pattern's `method` in generated code."""
    method: str
    """`search`, or `match`/`fullmatch` where anchors make them equivalent and faster."""
    found_means_broken: bool
    """Whether a match means the value breaks the pattern (see `ecma_regex.breaking_plan`)."""
    owner: str = ""
    """The id of the shape or member whose `@pattern` first named the constant."""

    @property
    def ecma_ascii(self) -> str:
        """The pattern as generated docstrings show it (`docs.ascii_pattern`)."""
        return docs.ascii_pattern(self.ecma)


@dataclass(frozen=True)
class UnenforcedPattern:
    """A `@pattern` that cannot be translated faithfully: validators skip it (and say so)."""

    ecma: str
    reason: str

    @property
    def note(self) -> str:
        """What generated docstrings say about it (markup, as model documentation is)."""
        return (
            f"The pattern <code>{html.escape(docs.ascii_pattern(self.ecma))}</code> is not enforced: "
            f"{html.escape(self.reason)}."
        )


@dataclass(frozen=True)
class Deprecated:
    message: ModelText | None
    since: ModelText | None


@dataclass(frozen=True)
class Paginated:
    """`@paginated`, merged with the service's defaults, its paths resolved to members
    (`generator.paginators`)."""

    name: str
    """The operation's name as boto3's `get_paginator` spells it (`list_faces`)."""
    method: str
    """The client's typed paging method (`paginate_list_faces`)."""
    input_token: Member
    output_token: tuple[Member, ...]
    """The members from the output to its token, in turn (`a.b`: a, then b)."""
    items: tuple[Member, ...]
    """The members from the output to the list or map of items; empty where there is none."""
    page_size: Member | None

    @property
    def output_token_path(self) -> tuple[str, ...]:
        return tuple(member.py_name for member in self.output_token)

    @property
    def items_path(self) -> tuple[str, ...]:
        return tuple(member.py_name for member in self.items)

    @property
    def item_annotation(self) -> str:
        """The type of one item: a list's element, a map's `(key, value)` (the items member's
        own annotation opened, so that it names what that one imports); `Never` without
        items."""
        if not self.items:
            return "Never"
        member = self.items[-1]
        inner = member.value_annotation.partition("[")[2].removesuffix("]")
        return f"tuple[{inner}]" if member.target.type == ShapeType.MAP else inner


@dataclass(frozen=True)
class Acceptor:
    """One acceptor of a waiter (`smithy.waiters#waitable`): the state it gives when its
    matcher matches the answer of one call."""

    state: str
    """`success`, `failure` or `retry`."""
    matcher: str
    """`output`, `inputOutput`, `success` or `errorType`."""
    expected: str | bool
    """What `output` and `inputOutput` compare the path's value with; for `success`, whether
    the call succeeded; for `errorType`, the error's shape name (a shape id's name part)."""
    path: str = ""
    """The JMESPath expression of `output` and `inputOutput`, checked to parse."""
    comparator: str = ""
    """`stringEquals`, `booleanEquals`, `allStringEquals` or `anyStringEquals`."""

    @property
    def expected_literal(self) -> str:
        return literal(self.expected)


@dataclass(frozen=True)
class Waiter:
    """A waiter of an operation, from `smithy.waiters#waitable`."""

    name: str
    """The model's name (`ProjectVersionRunning`), checked to be an UpperCamelCase identifier."""
    py_name: str
    """The name `get_waiter` takes, as boto3 spells it (`project_version_running`)."""
    method: str
    """The client's typed method (`wait_until_project_version_running`)."""
    max_wait_parameter: str
    """The method's `max_wait` keyword, named clear of the input members."""
    min_delay: int
    max_delay: int
    acceptors: tuple[Acceptor, ...]
    documentation: ModelText | None = None


StaticValue = str | bool | tuple[str, ...]
"""A `@staticContextParams` value: a string, boolean or string array parameter's."""


@dataclass(frozen=True)
class EndpointBinding:
    """The endpoint rule set parameters an operation sets from its own traits (see
    `generator.endpoint_params`), with input members resolved to request attribute names."""

    static: tuple[tuple[str, StaticValue], ...] = ()
    """`@staticContextParams`: parameter name and value."""
    members: tuple[tuple[str, str], ...] = ()
    """`@contextParam`: parameter name and the request attribute that holds its value."""
    paths: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """`@operationContextParams`: parameter name and the path compiled to attribute names,
    `[*]` and `keys()` steps."""

    def __bool__(self) -> bool:
        return bool(self.static or self.members or self.paths)

    @property
    def literal(self) -> str:
        """The `_endpoints.ParameterBinding(...)` expression generated code holds."""
        static = {name: list(v) if isinstance(v, tuple) else v for name, v in self.static}
        paths = (
            "{"
            + ", ".join(
                f"{literal(name)}: ({''.join(literal(step) + ', ' for step in steps)})"
                for name, steps in self.paths
            )
            + "}"
        )
        arguments = [
            f"{keyword}={value}"
            for keyword, value, present in (
                ("static", literal(static), self.static),
                ("members", literal(dict(self.members)), self.members),
                ("paths", paths, self.paths),
            )
            if present
        ]
        return f"_endpoints.ParameterBinding({', '.join(arguments)})"


@dataclass(frozen=True)
class ErrorInfo:
    fault: str
    """`client` or `server`, from `@error`."""
    http_status: int
    """From `@httpError`, else 400 for client faults and 500 for server faults."""
    retryable: bool
    throttling: bool
    query_code: ModelText | None = None
    """`@awsQueryError`'s code: the error's name in the AWS query protocol the service came from."""
    status_given: bool = True
    """Whether `@httpError` names the status (else `http_status` follows from the fault)."""


@dataclass(frozen=True, eq=False)
class Shape:
    id: str
    type: ShapeType
    documentation: ModelText | None
    deprecated: Deprecated | None
    sensitive: bool

    @property
    def namespace(self) -> str:
        return self.id.partition("#")[0]

    @property
    def name(self) -> str:
        return self.id.partition("#")[2]

    @property
    def needs_wire_conversion(self) -> bool:
        """Whether the Python value differs from its wire-form (`to_dict`) value."""
        return False

    @property
    def decodes_from_json(self) -> bool:
        return decodes_from_json(self)

    @property
    def renames_json_keys(self) -> bool:
        return renames_json_keys(self)

    @functools.cached_property
    def kind(self) -> Kind:
        """What shapesmith knows about this shape's Smithy type (see `generator.kinds`)."""
        return kinds.of(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


@dataclass(frozen=True, eq=False, repr=False)
class ScalarShape(Shape):
    """blob, boolean, string, the number types, timestamp and document."""

    length: Length | None = None
    pattern: Pattern | None = None
    unenforced_pattern: UnenforcedPattern | None = None
    range: Range | None = None
    multiple_of: MultipleOf | None = None
    media_type: str | None = None
    timestamp_format: str | None = None
    streaming: bool = False
    """`@streaming` on a blob: the payload is a stream, sent from a file object and read as a
    `StreamingBody`, never held whole."""


@dataclass(frozen=True)
class EnumValue:
    name: ModelText
    """The member name in the model."""
    py_name: str
    """The Python enum member name."""
    value: ModelText | int
    literal: str
    """`value` as a Python literal."""
    documentation: ModelText | None


@dataclass(frozen=True, eq=False, repr=False)
class EnumShape(Shape):
    py_name: str
    values: tuple[EnumValue, ...]
    values_constant: str
    """Module-level name of the frozenset of known wire values in generated validators."""

    @property
    def is_int(self) -> bool:
        return self.type is ShapeType.INT_ENUM

    @property
    def needs_wire_conversion(self) -> bool:
        return True


class BindingLocation(enum.StrEnum):
    """Where a structure member travels in an HTTP message (Smithy's HTTP binding traits)."""

    BODY = "body"
    """In the document the protocol writes to the body (no HTTP binding trait)."""
    LABEL = "label"
    """`@httpLabel`: a label of the operation's URI pattern."""
    QUERY = "query"
    """`@httpQuery`: one query string parameter."""
    QUERY_PARAMS = "query_params"
    """`@httpQueryParams`: a map spread over the query string."""
    HEADER = "header"
    """`@httpHeader`: one header."""
    COOKIE = "cookie"
    """`shapesmith.api#httpCookie`: one cookie of the request's `Cookie` header."""
    PREFIX_HEADERS = "prefix_headers"
    """`@httpPrefixHeaders`: a map spread over the headers that start with a prefix."""
    PAYLOAD = "payload"
    """`@httpPayload`: the whole body is this member's value."""
    RESPONSE_CODE = "response_code"
    """`@httpResponseCode`: the response's status code."""


@dataclass(frozen=True)
class Binding:
    """Where the service's protocol puts a structure or union member, and under what name.

    Built once from the member's traits and what the protocol honours (`generator.protocols`):
    a protocol without HTTP bindings (AWS JSON) puts every member in the body under its member
    name. A structure nested in another is written as a body document whatever its members'
    HTTP traits say; they bind only the top-level members of an input, output or error."""

    location: BindingLocation
    wire_name: ModelText | None
    """The label name, query key, header name or header prefix; for a body member its key in
    the document (`@jsonName` where the protocol honours it, else the member name); None for
    a payload, query params and the response code, which have no name of their own."""
    timestamp_format: str | None
    """`date-time`, `http-date` or `epoch-seconds`: how the member's timestamp is written at
    this location (the member's or its target's `@timestampFormat`, else the location's
    default), or each item's where a header or the query string carries a list of them; None
    for anything else (values nested in a body document say their own)."""
    style: ParameterStyle | None = None
    """OpenAPI's style of a label, query parameter or header (`shapesmith.api#httpStyle`);
    None where Smithy's binding says how it travels."""


@dataclass(frozen=True)
class ParameterStyle:
    """How a parameter's value is written as text (`shapesmith.api#httpStyle`)."""

    style: str
    """`simple`, `label`, `matrix`, `form`, `spaceDelimited` or `pipeDelimited`."""
    explode: bool
    parameter: ModelText
    """The parameter's name in the document (a label's member may be named otherwise)."""


@dataclass(frozen=True, eq=False)
class Member:
    """A member of a structure, union, list or map, with effective (member-over-target) traits."""

    container_id: str
    name: str
    """The member name in the model; the name on the wire is `binding.wire_name`."""
    py_name: str
    target: Shape
    required: bool
    default_literal: str | None
    """An expression that makes the `@default` value, or None when there is no default."""
    default_is_factory: bool
    """True where that value is mutable or computed and needs a `default_factory`."""
    zero_literal: str
    """The value a client fills in for a required member a response left out (error correction)."""
    client_optional: bool
    documentation: ModelText | None
    deprecated: Deprecated | None
    sensitive: bool
    idempotency_token: bool
    json_name: ModelText | None
    timestamp_format: str | None
    length: Length | None
    pattern: Pattern | None
    """The `@pattern` the validators check; see `unenforced_pattern` for one they cannot."""
    range: Range | None
    annotation: str
    """The Python type of the attribute, safe to write in the class body that declares it."""
    value_annotation: str
    """The Python type of one value, without `| None` for optional members."""
    unenforced_pattern: UnenforcedPattern | None = None
    annotation_symbols: frozenset[Symbol] = frozenset()
    """What `annotation` names that its module must import."""
    default_symbols: frozenset[Symbol] = frozenset()
    """What `default_literal` names that its module must import."""
    binding: Binding | None = None
    """Where the protocol puts the member: structure and union members have one, list
    members and map keys and values (parts of a value, never placed alone) have None."""
    event_header: bool = False
    """`@eventHeader`: in an event of an event stream, the member is a header of its message."""
    event_payload: bool = False
    """`@eventPayload`: in an event of an event stream, the member is its message's payload."""
    in_output: bool = False
    """The member belongs to an operation's output structure (where a `@streaming` blob is a
    `StreamingBody` to read, not bytes or a file object to send)."""
    multiple_of: MultipleOf | None = None
    nullable: bool = False
    """`shapesmith.api#nullable`: an explicit null is a value (OpenAPI's `nullable`, JSON
    Schema's `"null"` type), not a stray: accepted even where the member is required."""
    extra_properties: bool = False
    """`shapesmith.api#extraProperties`: the member (a map) holds the properties of the object
    that no other member names, flattened into it on the wire."""

    @property
    def id(self) -> str:
        return f"{self.container_id}${self.name}"

    @property
    def documentation_and_notes(self) -> str | None:
        """The documentation, followed by what the validators leave unchecked."""
        if self.unenforced_pattern is None:
            return self.documentation
        note = f"<p>{self.unenforced_pattern.note}</p>"
        return f"{self.documentation}{note}" if self.documentation else note

    @property
    def integer_bounds(self) -> tuple[int, int] | None:
        """The values a fixed-width integer target can carry, or None."""
        return self.target.kind.bounds

    @property
    def checked_constraints(self) -> tuple[str, ...]:
        """The constraints the validators check on a value of the right type, in the order they
        check them: `bounds` (a fixed-width integer's), `finite` (a big decimal's), `length`,
        `pattern`, `range`, `multiple_of` and `enum` (strict mode only)."""
        given = {
            "bounds": self.integer_bounds is not None,
            "length": self.length is not None,
            "pattern": self.pattern is not None,
            "range": self.range is not None,
            "multiple_of": self.multiple_of is not None,
        }
        return tuple(name for name in self.target.kind.value_constraints if given.get(name, True))

    @property
    def style_form(self) -> str | None:
        """What a member with an OpenAPI style (`binding.style`) writes in it: a "list"'s
        items, an "object"'s (a structure's) members, a "map"'s entries, or one simple
        "value"; None unstyled."""
        if self.binding is None or self.binding.style is None:
            return None
        return {
            ShapeType.LIST: "list",
            ShapeType.STRUCTURE: "object",
            ShapeType.MAP: "map",
        }.get(self.target.type, "value")

    @property
    def is_optional(self) -> bool:
        """Whether the attribute accepts None (and defaults to it)."""
        loose = not self.required or self.client_optional or self.nullable
        return loose and self.default_literal is None

    @property
    def must_be_present(self) -> bool:
        """Whether validators require a value (a required member without `@default`)."""
        return self.required and self.default_literal is None

    @property
    def null_checked(self) -> bool:
        """Whether a validator decides on a null of this member itself (a required member's is
        missing, a nullable member's is its value) rather than report it as a stray."""
        return self.must_be_present or self.nullable

    @property
    def is_keyword_required(self) -> bool:
        """Whether the constructor needs this argument (no None default and no `@default`)."""
        return not self.is_optional and self.default_literal is None

    def __repr__(self) -> str:
        return f"<Member {self.id}>"


def decodes_from_json(shape: Shape) -> bool:
    """Whether a value of `shape` somewhere holds what JSON cannot carry natively (a base64 blob,
    a timestamp, a float word, a big decimal), so reading JSON into wire form must convert it."""
    return _somewhere_in(shape, lambda current: not current.kind.json_native)


def renames_json_keys(shape: Shape) -> bool:
    """Whether a value of `shape` somewhere holds a structure member whose key in a restJson1
    body (its `@jsonName`) is not its member name, so reading the body must rename it."""

    def renamed(current: Shape) -> bool:
        return isinstance(current, StructureShape) and any(
            member.json_name is not None and member.json_name != member.name
            for member in current.members
        )

    return _somewhere_in(shape, renamed)


def _somewhere_in(shape: Shape, found: Callable[[Shape], bool]) -> bool:
    """Whether `found` holds for `shape` or a shape its values may hold, at any depth."""
    seen: set[int] = set()
    stack = [shape]
    while stack:  # a work list, not recursion: models may nest thousands of structures
        current = stack.pop()
        if found(current):
            return True
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ListShape):
            stack.append(current.member.target)
        elif isinstance(current, MapShape):
            stack.append(current.value.target)
        elif isinstance(current, StructureShape) and current.alternatives is None:
            # A `oneOf`/`anyOf` union is its own JSON: its members are read as they are.
            stack.extend(member.target for member in current.members)
    return False


@dataclass(frozen=True, eq=False, repr=False)
class ListShape(Shape):
    member: Member
    length: Length | None
    unique_items: bool
    sparse: bool
    check_function: str
    from_dict_function: str
    to_dict_function: str
    serializer: str
    """The protocol codec's writer of a value (`naming.serializer_function`)."""
    deserializer: str
    reader: str
    """The stub's JSON-to-wire-form reader (see `decodes_from_json`)."""

    @property
    def body_reader(self) -> str:
        """The restJson1 stub's reader of a body value (see `renames_json_keys`)."""
        return naming.body_reader_function(self.reader)

    @property
    def needs_wire_conversion(self) -> bool:
        return self.member.target.needs_wire_conversion


@dataclass(frozen=True, eq=False, repr=False)
class MapShape(Shape):
    key: Member
    value: Member
    length: Length | None
    sparse: bool
    check_function: str
    from_dict_function: str
    to_dict_function: str
    serializer: str
    deserializer: str
    reader: str

    @property
    def body_reader(self) -> str:
        return naming.body_reader_function(self.reader)

    @property
    def needs_wire_conversion(self) -> bool:
        return self.value.target.needs_wire_conversion


@dataclass(frozen=True)
class Alternatives:
    """`shapesmith.api#alternatives` on a union (JSON Schema's `oneOf`/`anyOf`): its value is
    one member's value as it is, that member told by `property_name`'s tag (OpenAPI's
    `discriminator`) where it maps one, else by which member's checks the value passes."""

    exactly_one: bool
    """`oneOf`: a valid value passes the checks of exactly one member; `anyOf`: of one or more."""
    property_name: ModelText | None
    tags: tuple[tuple[ModelText, str], ...]
    """Each tag and the name of the member it picks, in the document's order."""

    @property
    def rule(self) -> str:
        return "one_of" if self.exactly_one else "any_of"


@dataclass(frozen=True, eq=False, repr=False)
class StructureShape(Shape):
    """A structure or a union (`type` tells which)."""

    py_name: str
    members: tuple[Member, ...]
    error: ErrorInfo | None
    is_input: bool
    is_output: bool
    check_function: str
    validate_function: str
    """The public validator of this shape in generated code."""
    keys_constant: str
    """Module-level name, in generated validators, of the mapping from each member's name to
    whether it must be present."""
    serializer: str
    """The protocol codec's writer of a value (`naming.serializer_function`)."""
    deserializer: str
    reader: str
    """The stub's JSON-to-wire-form reader (see `decodes_from_json`)."""
    event_stream: bool = False
    """`@streaming` on a union: an event stream, whose members are its kinds of events."""
    event_errors: tuple[Member, ...] = ()
    """An event stream's error members (targets with `@error`): not events but the errors a
    stream may end with, left out of `members` and raised when they arrive."""
    open: bool = False
    """`shapesmith.api#open`: keys it has no member for are accepted (JSON Schema's objects
    without `additionalProperties: false`), not reported as unknown members."""
    alternatives: Alternatives | None = None
    """`shapesmith.api#alternatives` on a union: `oneOf`/`anyOf`, its value unwrapped."""

    @property
    def extra_member(self) -> Member | None:
        """The member holding the properties no other member names, if any."""
        return next((member for member in self.members if member.extra_properties), None)

    @property
    def named_members(self) -> tuple[Member, ...]:
        """The members under their own key on the wire: all but `extra_member`."""
        return tuple(member for member in self.members if not member.extra_properties)

    @property
    def named_cookies(self) -> tuple[str, ...]:
        """The cookie names the input's cookie members name: each one's own, or for a
        structure whose properties are each a cookie (exploded), its members' keys; a map
        spread over the cookies (exploded) takes every other."""
        found: list[str] = []
        for member in self.members:
            binding = member.binding
            if binding is None or binding.location is not BindingLocation.COOKIE:
                continue
            spread = binding.style is not None and binding.style.explode
            if spread and isinstance(member.target, StructureShape):
                found += [str(part.json_name or part.name) for part in member.target.members]
            elif not (spread and member.style_form == "map"):
                found.append(str(binding.wire_name))
        return tuple(dict.fromkeys(found))

    @property
    def deep_objects(self) -> tuple[str, ...]:
        """The names of the input's deepObject query parameters (`name[key]=...`), whose keys
        a query params map does not take."""
        return tuple(
            str(member.binding.style.parameter)
            for member in self.members
            if member.binding is not None
            and member.binding.style is not None
            and member.binding.style.style == "deepObject"
        )

    @property
    def unmatched_attribute(self) -> str | None:
        """A `oneOf`/`anyOf` union's attribute keeping the JSON of a value no member matched,
        as it came (what a newer peer sends is not lost, and is sent back unchanged)."""
        if self.alternatives is None:
            return None
        return naming.unmatched_attribute(frozenset(member.py_name for member in self.members))

    @property
    def unknown_attribute(self) -> str | None:
        """A Smithy union's attribute keeping a member its model does not have, with its JSON
        as it came (`_runtime.UnknownMember`): what a newer peer sends is not lost, is sent
        back unchanged, and is reported by the validators."""
        if not self.is_union or self.alternatives is not None:
            return None
        return naming.unknown_attribute(frozenset(member.py_name for member in self.members))

    @property
    def leftover_attribute(self) -> str | None:
        """The attribute keeping what none of the members holds (`unmatched_attribute` or
        `unknown_attribute`), beside the members in the class's `__init__`, `==` and repr."""
        return self.unmatched_attribute or self.unknown_attribute

    @property
    def leftover_annotation(self) -> str:
        """The annotation of `leftover_attribute`: any JSON, or a union's unknown member."""
        return "Any" if self.alternatives is not None else "_runtime.UnknownMember | None"

    @property
    def json_forms(self) -> tuple[tuple[str, str], ...]:
        """The members whose JSON is another form than their value (a timestamp's text or
        number, bytes' base64), each with that form, for when this structure is a `oneOf`/
        `anyOf` branch, whose JSON is read and written as it is (`_json_values.members_written`,
        `members_as_written`). None for a `oneOf`/`anyOf` union itself (its JSON names no
        member)."""
        if self.alternatives is not None:
            return ()
        found = []
        for member in self.named_members:
            form = member.target.kind.alternative_form(member.timestamp_format)
            if form is not None:
                found.append((member.name, form))
        return tuple(found)

    @property
    def json_forms_constant(self) -> str:
        """The module-level table of `json_forms` in shapes.py and validators.py."""
        return naming.json_forms_constant(self.name)

    @property
    def alternatives_convert(self) -> bool:
        """Whether a `oneOf`/`anyOf` union has a member whose value its JSON carries in another
        form (a timestamp, bytes): converted through `_json_values` both ways."""
        return self.alternatives is not None and any(
            member.target.kind.alternative_converts for member in self.members
        )

    @property
    def first_match_function(self) -> str:
        """validators.py's finder of the first member whose checks a value passes."""
        return naming.first_match_function(self.name)

    @property
    def tagged_members(self) -> tuple[tuple[ModelText, Member], ...]:
        """Each discriminator tag with the member it picks."""
        if self.alternatives is None:
            return ()
        by_name = {member.name: member for member in self.members}
        return tuple(
            (tag, by_name[name]) for tag, name in self.alternatives.tags if name in by_name
        )

    @property
    def member_tags(self) -> tuple[tuple[Member, ModelText | None], ...]:
        """Each member with the tag written when a value of it is sent (its first), or None."""
        first: dict[str, ModelText] = {}
        for tag, member in self.tagged_members:
            first.setdefault(member.name, tag)
        return tuple((member, first.get(member.name)) for member in self.members)

    @property
    def is_union(self) -> bool:
        return self.type is ShapeType.UNION

    @property
    def event_reader(self) -> str:
        """restJson1's reader of one event of an event stream from its message (`_restjson.py`)."""
        return naming.event_reader_function(self.deserializer)

    @property
    def event_writer(self) -> str:
        """restJson1's writer of one event's message, for the stub's answers (`_restjson.py`)."""
        return naming.event_writer_function(self.serializer)

    @property
    def stream_payload(self) -> Member | None:
        """The `@httpPayload` member of an input or output that is a stream: a `@streaming`
        blob or an event stream."""
        return next(
            (
                member
                for member in self.members
                if member.binding is not None
                and member.binding.location is BindingLocation.PAYLOAD
                and member.target.kind.payload_form in ("stream", "event_stream")
            ),
            None,
        )

    @property
    def event_stream_member(self) -> Member | None:
        """The member of an output that is an event stream, wherever the protocol puts it
        (restJson1 binds it to the payload; AWS JSON has it among the body's members)."""
        return next((m for m in self.members if m.target.kind.payload_form == "event_stream"), None)

    @property
    def event_message_reader(self) -> str:
        """The stub's reader of one event of a stream a request sends (`stub/service.py`)."""
        return naming.event_message_reader_function(self.reader)

    @property
    def stream_reader(self) -> str:
        """The AWS JSON stub's reader of an input whose body is an event stream."""
        return naming.stream_reader_function(self.reader)

    @property
    def event_error_writer(self) -> str:
        """An event stream's writer of its modelled errors' exception messages (the stub's)."""
        return naming.event_error_writer_function(self.serializer)

    @property
    def stream_serializer(self) -> str:
        """AWS JSON's writer of an output whose body is an event stream: `initial-response`,
        then the events (`_awsjson.py`, for the stub)."""
        return naming.stream_codec_function(self.serializer)

    @property
    def stream_deserializer(self) -> str:
        """AWS JSON's reader of an output whose body is an event stream (`_awsjson.py`)."""
        return naming.stream_codec_function(self.deserializer)

    @property
    def http_serializer(self) -> str:
        """restJson1's writer of a whole request from an operation input (`_restjson.py`):
        `naming.message_codec_function`."""
        return naming.message_codec_function(self.serializer)

    @property
    def http_deserializer(self) -> str:
        """restJson1's reader of an output or error from a whole response (`_restjson.py`)."""
        return naming.message_codec_function(self.deserializer)

    @property
    def http_reader(self) -> str:
        """The restJson1 stub's reader of an input from a whole request (`stub/service.py`)."""
        return naming.message_codec_function(self.reader)

    @property
    def body_reader(self) -> str:
        return naming.body_reader_function(self.reader)

    @property
    def needs_wire_conversion(self) -> bool:
        return True

    @property
    def required_members(self) -> tuple[Member, ...]:
        return tuple(member for member in self.members if member.required)

    @property
    def unenforced_pattern_notes(self) -> tuple[str, ...]:
        """For the validator's docstring: the members whose pattern it does not check."""
        return tuple(
            f"{member.name}: {member.unenforced_pattern.note}"
            for member in self.members
            if member.unenforced_pattern is not None
        )

    @property
    def message_member(self) -> Member | None:
        """For errors: the member that carries the human-readable message, if any."""
        return next((member for member in self.members if member.py_name == "message"), None)

    @property
    def query_error_header(self) -> ModelText:
        """For errors of query-compatible services: the `x-amzn-query-error` value a server
        sends, `<code>;<Sender|Receiver>`, with `@awsQueryError`'s code or else the shape name.
        Model text: the code is checked to be visible ASCII without `;` when loaded."""
        assert self.error is not None, self.id
        party = "Sender" if self.error.fault == "client" else "Receiver"
        return ModelText(f"{self.error.query_code or self.name};{party}")

    @property
    def has_sensitive_members(self) -> bool:
        return any(member.sensitive for member in self.members)

    @property
    def placeholder_members(self) -> tuple[Member, ...] | None:
        """For errors the stub builds from a message alone (throttling, faults, the Stubber's
        base): the other required members, which get their type's zero value; None when one of
        them has no plain zero value (a structure, a timestamp...), so a message cannot make one."""
        extras = tuple(
            member
            for member in self.members
            if member.must_be_present and member.py_name != "message"
        )
        # Zero values that name a module (`_datetime...`, `_decimal...`) or are None do not do.
        plain = all(
            member.zero_literal != "None" and not member.zero_literal.startswith("_")
            for member in extras
        )
        return extras if plain else None


@dataclass(frozen=True)
class FakeCreate:
    """`shapesmith.stub#creates`: the stub's fake answers the operation by creating a record."""

    resource: str
    identifier: Member
    """The output member that receives the new record's UUID."""
    idempotency_token: Member | None
    """The input member whose repeated value returns the record created first."""
    initial_literal: str
    """The record's first members (wire form) as a Python literal."""


@dataclass(frozen=True)
class FakeRead:
    """`shapesmith.stub#reads`: the stub's fake answers the operation from a stored record."""

    resource: str
    identifier: Member
    """The input member that names the record."""
    not_found: StructureShape | None
    """The error raised for an unknown identifier."""


@dataclass(frozen=True)
class FakeList:
    """`shapesmith.stub#lists`: the stub's fake answers the paginated operation with pages of
    the records of `resource`, in the order of their keys."""

    resource: str
    items: Member
    """The output member that holds a page's records."""
    output_token: Member
    input_token: Member
    page_size: Member | None


@dataclass(frozen=True)
class StubErrors:
    """`shapesmith.stub#errors`: the modelled errors a generated stub answers with itself.

    Where the model names none, the stub uses the generic AWS codes (`ValidationException`,
    `InternalFailure`, `ThrottlingException`)."""

    validation: StructureShape | None = None
    internal: StructureShape | None = None
    throttling: StructureShape | None = None


@dataclass(frozen=True)
class UriLabel:
    """A label of a URI pattern: `{Name}`, or `{Name+}` (greedy: it takes the rest of the path,
    slashes included)."""

    name: ModelText
    greedy: bool


@dataclass(frozen=True)
class HttpRoute:
    """`@http`: the method, URI pattern and success code of an operation."""

    method: ModelText
    uri: ModelText
    """The pattern as the model spells it."""
    path: ModelText
    """The part before `?`, with its labels."""
    query: ModelText
    """The literal query string after `?` (empty where there is none)."""
    query_literals: tuple[tuple[ModelText, ModelText], ...]
    """`query` as key and value pairs, in order; a key without `=` has the value ""."""
    labels: tuple[UriLabel, ...]
    """The labels of `path`, in order."""
    code: int = 200
    """The status code of a successful response."""


def _unique_statuses(errors: Iterable[StructureShape]) -> tuple[tuple[int, str], ...]:
    """(HTTP status, error name) for each status only one of `errors` is answered with, by
    status."""
    found = [(e.error.http_status, e.name) for e in errors if e.error is not None]
    statuses = [status for status, _ in found]
    return tuple(sorted(pair for pair in found if statuses.count(pair[0]) == 1))


@dataclass(frozen=True, eq=False, repr=False)
class OperationShape(Shape):
    py_name: str
    """The snake_case method name."""
    input: StructureShape
    output: StructureShape
    errors: tuple[StructureShape, ...]
    idempotent: bool
    readonly: bool
    paginated: Paginated | None
    call_function: str
    """The function of `_operations.py` that makes one call (`naming.call_function`)."""
    operation_constant: str
    """The `_protocol.Operation` constant of `_operations.py` (`naming.operation_constant`)."""
    endpoint_params_constant: str
    """The constant of `_operations.py` holding `endpoint_binding`."""
    self_parameter: str
    """The client method's own first parameter, where input members are keywords beside it."""
    request_parameter: str
    """The client method's positional request parameter, named clear of the input members."""
    fake_creates: FakeCreate | None = None
    fake_reads: FakeRead | None = None
    fake_lists: FakeList | None = None
    host_prefix: str | None = None
    """`@endpoint`'s hostPrefix, put in front of the endpoint's host; its `{label}`s are filled
    from the input members in `host_labels`."""
    host_labels: tuple[Member, ...] = ()
    """The input members with `@hostLabel`."""
    endpoint_binding: EndpointBinding = EndpointBinding()
    """The endpoint rule set parameters the operation sets from its traits and input."""
    http: HttpRoute | None = None
    """`@http`, where the operation has it: the route of a protocol with HTTP bindings."""
    auth: tuple[str, ...] = ("sigv4",)
    """The auth schemes the operation accepts (`AUTH_KINDS`), in the order the client tries
    them; empty where it accepts only schemes shapesmith does not speak."""
    waiters: tuple[Waiter, ...] = ()
    """Its waiters (`smithy.waiters#waitable`), by name."""

    @property
    def has_input(self) -> bool:
        """Whether callers pass input; an operation without one targets `smithy.api#Unit`."""
        return self.input.id != UNIT_ID

    @property
    def has_output(self) -> bool:
        """Whether the call returns a structure; an operation without output returns None."""
        return self.output.id != UNIT_ID

    @property
    def status_errors(self) -> tuple[tuple[int, str], ...]:
        """(HTTP status, error name) for each status only one of the operation's errors is
        answered with (its `@httpError`, else 400 or 500 by its fault), by status."""
        return _unique_statuses(self.errors)

    @property
    def documented_errors(self) -> tuple[tuple[tuple[int, str], ...], str | None]:
        """Under `shapesmith.api#errorsByStatus`: (status, error name) for each status exactly
        one of the operation's errors names with `@httpError`, and the one error without
        `@httpError` (None where there is not exactly one)."""
        given = [e for e in self.errors if e.error is not None and e.error.status_given]
        others = [e.name for e in self.errors if e.error is not None and not e.error.status_given]
        return _unique_statuses(given), others[0] if len(others) == 1 else None

    @property
    def auth_literal(self) -> str:
        """`auth` as a Python tuple literal (shapesmith's names, and API keys' names from the
        model, as `repr` writes strings)."""
        return repr(self.auth)

    @property
    def streams_input(self) -> bool:
        """Whether the input sends an event stream: the whole body (restJson1's payload, or,
        in AWS JSON, after an `initial-request` event with the other members)."""
        return self.has_input and self.input.event_stream_member is not None

    @property
    def streams_output(self) -> bool:
        """Whether the output's payload is a stream (`StructureShape.stream_payload`), or it has
        an event stream anywhere (AWS JSON), which the client hands over unread."""
        return self.has_output and (
            self.output.stream_payload is not None or self.output.event_stream_member is not None
        )


@dataclass(frozen=True)
class StubDefault:
    """What the generated stub answers for an operation no fixture or fake behaviour answers
    (see `generator.stub_defaults`)."""

    operation: OperationShape
    literal: str | None
    """The output in JSON form as a Python literal; None where no output could be built, and
    the stub answers 501."""
    source: str
    """Where it comes from: `example <index>`, `model` (built), `no output` or `none`."""


@dataclass(frozen=True, eq=False, repr=False)
class ResourceShape(Shape):
    identifiers: tuple[tuple[str, str], ...]
    operations: tuple[OperationShape, ...]


@dataclass(frozen=True)
class AwsJson:
    """`aws.protocols#awsJson1_0` and `awsJson1_1`: every call is a POST to `/` that names its
    operation in `X-Amz-Target` (`<target_prefix>.<operation name>`), with JSON bodies."""

    trait: str
    version: str
    """`1.0` or `1.1`: only the content type differs."""
    target_prefix: str

    @property
    def content_type(self) -> str:
        return f"application/x-amz-json-{self.version}"

    @property
    def display_name(self) -> str:
        return f"AWS JSON {self.version}"


@dataclass(frozen=True)
class RestJson:
    """`aws.protocols#restJson1`: each operation has its own method and URI (`@http`), members
    travel where the HTTP binding traits put them and the rest as a JSON body."""

    trait: str

    @property
    def display_name(self) -> str:
        return "restJson1"


WireProtocol = AwsJson | RestJson
"""A protocol shapesmith speaks, as a typed value."""


@dataclass(frozen=True)
class ApiKeyPlace:
    """`@httpApiKeyAuth`: where the client puts the API key."""

    name: str
    """The header, query parameter or cookie name."""
    in_query: bool
    scheme: str | None = None
    """Sent before the key in its header (`Authorization: ApiKey <key>`)."""
    in_cookie: bool = False
    """In a cookie of the `Cookie` header: OpenAPI's `in: cookie`, which shapesmith's
    `@httpApiKeyAuth` takes too (Smithy's says header or query)."""


AUTH_KINDS = ("sigv4", "api_key", "basic", "bearer", "anonymous")
"""The auth schemes a generated client speaks, by the names `_protocol.Operation.auth` uses."""


@dataclass(frozen=True)
class ServiceAuth:
    """The auth schemes a service supports (its auth traits shapesmith speaks, in shape id
    order: `generator.auth_schemes`)."""

    schemes: tuple[str, ...] = ("sigv4",)
    unsupported: tuple[str, ...] = ()
    """Auth traits of the service shapesmith does not speak (`aws.auth#sigv4a`, ...)."""
    api_key: ApiKeyPlace | None = None
    api_keys: tuple[tuple[str, ApiKeyPlace], ...] = ()
    """Several API keys by their names (`shapesmith.api#apiKeys`: OpenAPI's schemes), which
    operations name as `api_key:<name>`."""
    default: tuple[str, ...] = ("sigv4",)
    """What an operation without auth traits of its own accepts (as `OperationShape.auth`):
    the service's `@auth`, `shapesmith.api#authRequirements` or schemes (an export's document
    `security`)."""

    @property
    def signs_sigv4(self) -> bool:
        return "sigv4" in self.schemes

    @property
    def chosen_per_operation(self) -> bool:
        """Whether the client picks a scheme per operation (`_auth.ClientAuth`); a service that
        supports SigV4 only signs every request with it, as AWS services expect."""
        return self.schemes != ("sigv4",)

    @property
    def schemes_literal(self) -> str:
        """`schemes` as a Python tuple literal (its names are shapesmith's, not the model's)."""
        return repr(self.schemes)

    @property
    def uses_bearer(self) -> bool:
        return "bearer" in self.schemes

    @property
    def uses_basic(self) -> bool:
        return "basic" in self.schemes

    @property
    def cookie_names(self) -> tuple[str, ...]:
        """The cookies API keys travel in (a map of the input's cookies leaves them)."""
        places = [self.api_key] + [place for _, place in self.api_keys]
        return tuple(dict.fromkeys(p.name for p in places if p is not None and p.in_cookie))

    @property
    def identity_parameters(self) -> tuple[str, ...]:
        """The client's parameters for the credentials of the schemes besides SigV4 (each also
        a parameter of `_auth.Identities`)."""
        return (
            (("token",) if self.uses_bearer else ())
            + (("username", "password") if self.uses_basic else ())
            + (("api_key",) if self.api_key is not None else ())
            + (("api_keys",) if self.api_keys else ())
        )


@dataclass(frozen=True, eq=False, repr=False)
class ServiceShape(Shape):
    version: ModelText
    title: ModelText | None
    sdk_id: str
    package_name: str
    """The generated package's import name, from `sdkId` in snake_case."""
    class_prefix: str
    """PascalCase prefix for service-wide names (`Rekognition` -> `RekognitionError`); never
    printed alone."""
    error_class: str
    """The base of the package's exceptions (`naming.service_class_names` makes all four)."""
    client_class: str
    handler_class: str
    """The protocol of what the stub calls."""
    fake_class: str
    """The stub's in-memory handler."""
    protocol_trait: str | None
    """The model's protocol trait, whether or not shapesmith speaks it."""
    protocol: WireProtocol | None
    """The protocol as a typed value; None where shapesmith has no plug-in for it."""
    sigv4_name: str | None
    endpoint_prefix: str | None
    endpoint_rule_set_json: str | None
    """The `smithy.rules#endpointRuleSet` trait, as canonical JSON."""
    endpoint_rule_set_literal: str | None
    """The same rule set as a Python literal (generated clients evaluate it)."""
    operations: tuple[OperationShape, ...]
    stub_errors: StubErrors = StubErrors()
    auth: ServiceAuth = ServiceAuth()
    query_compatible: bool = False
    """`@awsQueryCompatible`: the service moved from the AWS query protocol; clients say they
    know it (`x-amzn-query-mode`) and errors also carry their query code (`x-amzn-query-error`)."""
    errors_by_status: bool = False
    """`shapesmith.api#errorsByStatus`: the stub answers its own refusals with the operation's
    error of that status, else its error without `@httpError` (`OperationShape.documented_errors`)."""

    @property
    def client_gap(self) -> tuple[str | None, str] | None:
        """Why the service gets no client and no stub, as (the trait to point at, the reason);
        None when it gets both: a protocol with a plug-in, auth schemes the client speaks
        (or none) and endpoint rules."""
        if self.protocol_trait is None:
            return None, "the service has no protocol trait"
        if self.protocol is None:
            return self.protocol_trait, f"protocol {self.protocol_trait} is not supported"
        if self.auth.signs_sigv4 and self.sigv4_name is None:
            return "aws.auth#sigv4", "@aws.auth#sigv4 has no signing name"
        if self.auth.chosen_per_operation:
            unspoken = [op.name for op in self.operations if not op.auth]
            if unspoken:
                return (
                    None,
                    f"{', '.join(unspoken[:3])}{' ...' if len(unspoken) > 3 else ''} accepts "
                    f"only auth schemes shapesmith does not speak "
                    f"({', '.join(self.auth.unsupported) or 'none listed on the service'})",
                )
        if self.endpoint_rule_set_literal is None:
            return None, "the service has no @smithy.rules#endpointRuleSet trait"
        if isinstance(self.protocol, RestJson):
            unrouted = [op.name for op in self.operations if op.http is None]
            if unrouted:
                return (
                    self.protocol_trait,
                    f"{self.protocol_trait} needs @http on every operation, and "
                    f"{', '.join(unrouted[:3])}{' ...' if len(unrouted) > 3 else ''} has none",
                )
        return None

    @property
    def reads_errors_by_status(self) -> bool:
        """Whether an error answer without a type is read as the operation's error for its
        status: restJson1, which servers other than AWS's (OpenAPI's) speak."""
        return isinstance(self.protocol, RestJson)

    @property
    def needs_region(self) -> bool:
        """Whether the client takes a region: to sign with SigV4, or for endpoint rules that
        take the `AWS::Region` built-in."""
        return self.auth.signs_sigv4 or self.region_placed

    @property
    def requires_region(self) -> bool:
        """Whether a client without a region is an error when it is built: the endpoint needs
        one, or every request is signed with SigV4 (where SigV4 is one scheme among others,
        only the operations that use it need one)."""
        return self.region_placed or not self.auth.chosen_per_operation

    @property
    def region_placed(self) -> bool:
        """Whether the endpoint rules take the `AWS::Region` built-in."""
        rules = json.loads(self.endpoint_rule_set_json or "{}")
        parameters = rules.get("parameters") if isinstance(rules, dict) else None
        return isinstance(parameters, dict) and any(
            isinstance(p, dict) and p.get("builtIn") == "AWS::Region" for p in parameters.values()
        )

    @property
    def supports_client(self) -> bool:
        """Whether shapesmith generates a client and a stub (every protocol plug-in has both)."""
        return self.client_gap is None


@dataclass(frozen=True)
class GenerationUnit:
    """Everything one generated package is rendered from: a service and the closure of its
    selected operations, each kind sorted by shape id so output never depends on input order."""

    service: ServiceShape
    operations: tuple[OperationShape, ...]
    structures: tuple[StructureShape, ...]
    errors: tuple[StructureShape, ...]
    enums: tuple[EnumShape, ...]
    lists: tuple[ListShape, ...]
    maps: tuple[MapShape, ...]
    patterns: tuple[Pattern, ...]
    model_files: tuple[str, ...]
    model_hash: str
    stub_defaults: tuple[StubDefault, ...] = ()
    """One per operation, in operation order, where the service gets a stub."""

    @property
    def validated_structures(self) -> tuple[StructureShape, ...]:
        return self.structures + self.errors

    @property
    def unenforced_pattern_notes(self) -> tuple[str, ...]:
        """For the validators' module docstring: every member whose pattern is not checked."""
        members = [m for s in self.validated_structures for m in s.members]
        members += [shape.member for shape in self.lists]
        members += [m for shape in self.maps for m in (shape.key, shape.value)]
        return tuple(
            sorted(
                {
                    f"{m.container_id.partition('#')[2]}.{m.name}: {m.unenforced_pattern.note}"
                    for m in members
                    if m.unenforced_pattern is not None
                }
            )
        )

    @property
    def public_structures(self) -> tuple[StructureShape, ...]:
        """Structures with a public validator: operation inputs and outputs, errors, and the
        event streams (the stub checks each event on its own: one a request sends as it
        arrives, a fixture's when it is loaded)."""
        ids = {op.input.id for op in self.operations} | {op.output.id for op in self.operations}
        ids |= {stream.id for stream in self.input_event_streams}
        ids |= {stream.id for stream in self.output_event_streams}
        ids.discard(UNIT_ID)
        chosen = [shape for shape in self.structures if shape.id in ids]
        return tuple(chosen) + self.errors

    @property
    def exported_names(self) -> list[str]:
        """Everything the package root exports, sorted as `__all__` wants it: what its modules
        define, and what the root defines itself (`__init__.py.jinja`)."""
        names = [name for _, names in self.exports_by_module for name in names]
        return sorted([*names, "GENERATOR_VERSION"], key=naming.all_order)

    @property
    def public_modules(self) -> tuple[str, ...]:
        """The package's modules a user may import by name (`package.shapes`, ...)."""
        modules = ["enums", "errors", "shapes", "validators"]
        if self.service.supports_client:
            modules += ["client", "stub"]
        return tuple(sorted(modules))

    @property
    def exports_by_module(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The package root's exports grouped by the module that defines them, both sorted."""
        modules: dict[str, list[str]] = {
            "_runtime": ["RUNTIME_VERSION", "ValidationError", "Violation"],
            "errors": ["ServiceError", self.service.error_class],
            "enums": [shape.py_name for shape in self.enums],
            "shapes": [shape.py_name for shape in self.structures],
            "validators": [
                *(shape.validate_function for shape in self.public_structures),
                "validate_or_raise",
            ],
        }
        modules["errors"] += [shape.py_name for shape in self.errors]
        if self.service.supports_client:
            modules["client"] = [self.service.client_class]
            modules["_config"] = ["ConfigError", "NoCredentialsError", "NoRegionError"]
            modules["_endpoints"] = ["EndpointResolutionError"]
            modules["_protocol"] = ["ResponseParseError"]
            if self.paginated_operations:
                modules["_paginators"] = ["OperationNotPageableError", "PaginationError"]
            modules["_transport"] = [
                "ConnectTimeoutError",
                "ConnectionClosedError",
                "EndpointConnectionError",
                "HttpRequest",
                "HttpResponse",
                "HttpTransport",
                "ReadTimeoutError",
                "ResponseTooLargeError",
                "Transport",
                "TransportError",
            ]
        if self.has_waiters:
            modules["_waiting"] = ["WaiterError"]
        grouped = [
            (module, tuple(sorted(names, key=naming.import_order)))
            for module, names in modules.items()
            if names
        ]
        return tuple(sorted(grouped))

    @property
    def uses_idempotency_tokens(self) -> bool:
        return any(m.idempotency_token for op in self.operations for m in op.input.members)

    @property
    def event_streams(self) -> tuple[StructureShape, ...]:
        """The event stream unions (`@streaming`) an operation's output streams."""
        return tuple(shape for shape in self.structures if shape.event_stream)

    @property
    def input_event_streams(self) -> tuple[StructureShape, ...]:
        """The event stream unions an operation's input sends (the stub reads them)."""
        found: dict[str, StructureShape] = {}
        for operation in self.operations:
            member = operation.input.event_stream_member if operation.has_input else None
            if member is not None and isinstance(member.target, StructureShape):
                found.setdefault(member.target.id, member.target)
        return tuple(found[key] for key in sorted(found))

    @property
    def output_event_streams(self) -> tuple[StructureShape, ...]:
        """The event stream unions an operation's output streams (fixtures give their events)."""
        found: dict[str, StructureShape] = {}
        for operation in self.operations:
            member = operation.output.event_stream_member if operation.has_output else None
            if member is not None and isinstance(member.target, StructureShape):
                found.setdefault(member.target.id, member.target)
        return tuple(found[key] for key in sorted(found))

    @property
    def client_structures(self) -> tuple[StructureShape, ...]:
        """The operation inputs and outputs, which the client module names."""
        ids = {op.input.id for op in self.operations} | {op.output.id for op in self.operations}
        return tuple(shape for shape in self.structures if shape.id in ids)

    @property
    def all_members(self) -> tuple[Member, ...]:
        """Every member of every structure, list and map: map keys and values included."""
        members = [m for s in self.validated_structures for m in s.members]
        members += [s.member for s in self.lists]
        members += [m for s in self.maps for m in (s.key, s.value)]
        return tuple(members)

    @property
    def wire_enums(self) -> tuple[EnumShape, ...]:
        """The enums `_awsjson` reads values of: those of members, list items and map values
        (a map's enum keys stay plain strings on the way in)."""
        members = [m for s in self.structures + self.errors for m in s.members]
        members += [s.member for s in self.lists] + [s.value for s in self.maps]
        ids = {m.target.id for m in members if isinstance(m.target, EnumShape)}
        return tuple(shape for shape in self.enums if shape.id in ids)

    @property
    def keeps_unknown_members(self) -> bool:
        """Whether some union here keeps a member its model does not have, through `_runtime`
        (`StructureShape.unknown_attribute`)."""
        return any(shape.unknown_attribute for shape in self.structures)

    @property
    def wire_needs_json_values(self) -> bool:
        """Whether `_awsjson` encodes some value through `_json_values` (blobs, floats, decimals,
        timestamps need more than JSON gives)."""
        # A `oneOf`/`anyOf` union's members are their own JSON: it has no codec of its own.
        unwrapped = {s.id for s in self.validated_structures if s.alternatives is not None}
        return any(
            not member.target.kind.json_native
            for member in self.all_members
            if member.container_id not in unwrapped
        )

    @property
    def converting_branches(self) -> tuple[StructureShape, ...]:
        """The structures that are a `oneOf`/`anyOf` union's branch and convert some member to
        and from JSON: shapes.py and validators.py each hold their `json_forms_constant`."""
        targets = {
            member.target.id
            for shape in self.validated_structures
            if shape.alternatives is not None
            for member in shape.members
        }
        return tuple(s for s in self.structures if s.id in targets and s.json_forms)

    @property
    def alternatives_convert(self) -> bool:
        """Whether some `oneOf`/`anyOf` union converts a member's value through `_json_values`
        (which the package then ships, whatever its protocol)."""
        return any(shape.alternatives_convert for shape in self.validated_structures)

    def stub_uses_wire(self, reads_messages: bool) -> bool:
        """Whether the stub's service spec names `stub/_wire.py`'s helpers: for an operation
        without an input or an output, or for one read as it is (no JSON to decode), where a
        stream is read by its message reader unless the protocol `reads_messages` itself; and
        for an error read as it is."""
        if any(not error.decodes_from_json for error in self.errors):
            return True
        for operation in self.operations:
            if not operation.has_input or not operation.has_output:
                return True
            if not operation.output.decodes_from_json:
                return True
            streamed = operation.streams_input and not reads_messages
            if not streamed and not operation.input.decodes_from_json:
                return True
        return False

    @property
    def stub_reads_json(self) -> bool:
        """Whether the stub needs readers that turn JSON values into Python ones."""
        shapes: list[Shape] = [*self.validated_structures, *self.lists, *self.maps]
        return any(decodes_from_json(shape) for shape in shapes)

    @functools.cached_property
    def recursive_ids(self) -> frozenset[str]:
        """Ids of the structures, unions, lists and maps that can contain themselves."""
        children: dict[str, list[str]] = {}
        for shape in self.validated_structures:
            children[shape.id] = [member.target.id for member in shape.members]
        for list_shape in self.lists:
            children[list_shape.id] = [list_shape.member.target.id]
        for map_shape in self.maps:
            children[map_shape.id] = [map_shape.value.target.id]
        recursive: set[str] = set()
        for start in sorted(children):
            seen: set[str] = set()
            stack = list(children[start])
            while stack:
                current = stack.pop()
                if current == start:
                    recursive.add(start)
                    break
                if current not in seen:
                    seen.add(current)
                    stack.extend(children.get(current, ()))
        return frozenset(recursive)

    @functools.cached_property
    def validator_plan(self) -> ValidatorPlan:
        """Which members' structures the validators check in place (see `validator_plan`)."""
        taken = {s.check_function for s in self.validated_structures}
        taken |= {s.check_function for s in self.lists} | {s.check_function for s in self.maps}
        public = frozenset(shape.id for shape in self.public_structures)
        return ValidatorPlan(
            self.validated_structures, self.lists, self.maps, self.recursive_ids, taken, public
        )

    @property
    def checked_by_function(self) -> tuple[StructureShape, ...]:
        """The nested structures that keep a check function of their own: those that some
        member does not check in place (see `validator_plan`), and those no member holds."""
        held = {m.target.id for m in self.all_members}
        called = {m.target.id for m in self.all_members if not self.validator_plan.in_place(m)}
        return tuple(
            shape for shape in self.nested_structures if shape.id in called or shape.id not in held
        )

    @property
    def nested_structures(self) -> tuple[StructureShape, ...]:
        """Structures that are the value of some member, list item or map value: they need a
        check function of their own; the others are checked inside their public validator."""
        ids = {member.target.id for member in self.all_members}
        return tuple(
            shape
            for shape in self.validated_structures
            if shape.id in ids or shape not in self.public_structures
        )

    def symbols_of(self, structures: tuple[StructureShape, ...]) -> frozenset[Symbol]:
        """What the members of `structures` name in their annotations and `@default`
        expressions: what a module that prints them must import."""
        found: set[Symbol] = set()
        for shape in structures:
            for member in shape.members:
                found |= member.annotation_symbols | member.default_symbols
        return frozenset(found)

    def validators_use_type(self, shape_type: ShapeType) -> bool:
        members = [m for s in self.validated_structures for m in s.members]
        members += [s.member for s in self.lists] + [m for s in self.maps for m in (s.key, s.value)]
        return any(member.target.type == shape_type for member in members)

    def converters_used_by_errors(self) -> tuple[str, ...]:
        """The shapes module's list and map converters that the errors' members go through."""
        names: set[str] = set()
        for shape in self.errors:
            for member in shape.members:
                target = member.target
                if isinstance(target, ListShape | MapShape) and target.needs_wire_conversion:
                    names.update((target.to_dict_function, target.from_dict_function))
        return tuple(sorted(names))

    def defaults_mention(self, name: str) -> bool:
        """Whether some member's `@default` expression mentions a module alias or name."""
        return any(
            symbol.name == name
            for s in self.validated_structures
            for m in s.members
            for symbol in m.default_symbols
        )

    @property
    def paginated_operations(self) -> tuple[OperationShape, ...]:
        """The operations with `@paginated`, which get paginators."""
        return tuple(op for op in self.operations if op.paginated is not None)

    @property
    def paginators_without_items(self) -> bool:
        """Whether some paginator has no items path (its `.items()` type is `Never`)."""
        return any(op.paginated and not op.paginated.items for op in self.operations)

    @property
    def operation_inputs(self) -> tuple[StructureShape, ...]:
        return tuple(op.input for op in self.operations)

    @property
    def has_waiters(self) -> bool:
        """Whether an operation has a waiter: the client gets `get_waiter` and `_waiters.py`."""
        return any(op.waiters for op in self.operations)

    @property
    def waiter_inputs(self) -> tuple[StructureShape, ...]:
        """The inputs of the operations with waiters, which `_waiters.py` builds."""
        ids = {op.input.id for op in self.operations if op.waiters and op.has_input}
        return tuple(shape for shape in self.structures if shape.id in ids)

    def enums_named_by(self, structures: tuple[StructureShape, ...]) -> tuple[EnumShape, ...]:
        """The enums the members of `structures` name (annotations and defaults)."""
        named = self.symbols_of(structures)
        return tuple(e for e in self.enums if Symbol("enums", e.py_name) in named)

    def structures_named_by(
        self, structures: tuple[StructureShape, ...]
    ) -> tuple[StructureShape, ...]:
        """The structures (of the shapes module) the members of `structures` name."""
        named = self.symbols_of(structures)
        return tuple(s for s in self.structures if Symbol("shapes", s.py_name) in named)

    @property
    def client_named_structures(self) -> tuple[StructureShape, ...]:
        """Every structure the client module names: the operations' inputs and outputs, and
        what the inputs' members name."""
        named = {
            s.id for s in self.client_structures + self.structures_named_by(self.operation_inputs)
        }
        return tuple(s for s in self.structures if s.id in named)

    def symbol_table(self) -> naming.SymbolTable:
        """Every name the package's generated modules bind, where they bind it: each module's
        top-level names, the names of each generated class, the client methods' parameters,
        each with the model element it is made from, beside the names the templates fix there
        (`naming.GENERATED_MODULE_NAMES`, and the protocol plug-in's). The builder refuses a
        model whose names meet in one scope (`naming.SymbolTable.problems`)."""
        from generator import protocols  # the plug-ins are described in IR terms

        table = naming.SymbolTable()
        for scope, fixed in naming.GENERATED_MODULE_NAMES.items():
            if self.service.supports_client or scope not in naming.CLIENT_MODULES:
                table.fixed(scope, fixed)
        plugin = protocols.plugin(self.service)
        for scope, fixed in (plugin.fixed_names if plugin else {}).items():
            table.fixed(scope, fixed)
        self._claim_package_classes(table)
        self._claim_data_modules(table)
        self._claim_validators(table)
        self._claim_root(table)
        self._claim_class_bodies(table)
        if plugin is not None:
            self._claim_client(table, plugin.codec_module, http_codec=plugin.http_codec)
        return table

    def _claim_package_classes(self, table: naming.SymbolTable) -> None:
        # The package's classes are one namespace: the root exports them side by side.
        scope, service = "the package", self.service
        _claim_classes(table, scope, self.structures + self.errors)
        _claim_classes(table, scope, self.enums)
        table.claim(scope, service.error_class, "base error class", service.id)
        table.claim(scope, service.client_class, "client class", service.id)
        table.claim(scope, service.handler_class, "handler class", service.id)
        table.claim(scope, service.fake_class, "fake class", service.id)
        table.fixed(scope, naming.RESERVED_MODULE_NAMES)

    def _claim_data_modules(self, table: naming.SymbolTable) -> None:
        _claim_classes(table, "enums.py", self.enums)
        _claim_classes(table, "shapes.py", self.structures)
        _claim_classes(table, "shapes.py", self.enums_named_by(self.structures))
        _claim_converters(table, "shapes.py", (*self.lists, *self.maps))
        for shape in self.converting_branches:
            table.claim("shapes.py", shape.json_forms_constant, "JSON forms constant", shape.id)
        _claim_classes(table, "errors.py", self.errors)
        table.claim("errors.py", self.service.error_class, "base error class", self.service.id)
        _claim_classes(table, "errors.py", self.enums_named_by(self.errors))
        _claim_classes(table, "errors.py", self.structures_named_by(self.errors))
        held = [
            member.target
            for shape in self.errors
            for member in shape.members
            if isinstance(member.target, ListShape | MapShape)
        ]
        _claim_converters(table, "errors.py", held)

    def _claim_validators(self, table: naming.SymbolTable) -> None:
        scope = "validators.py"
        for pattern in self.patterns:
            table.claim(scope, pattern.constant, "pattern constant", pattern.owner)
        for enum_shape in self.enums:
            table.claim(scope, enum_shape.values_constant, "values constant", enum_shape.id)
        for shape in self.converting_branches:
            table.claim(scope, shape.json_forms_constant, "JSON forms constant", shape.id)
        for shape in self.validated_structures:
            table.claim(scope, shape.keys_constant, "members constant", shape.id)
        checked: tuple[StructureShape | ListShape | MapShape, ...] = (
            *self.validated_structures,
            *self.lists,
            *self.maps,
        )
        for checked_shape in checked:
            table.claim(scope, checked_shape.check_function, "check function", checked_shape.id)
        for shape in self.validated_structures:
            if shape.alternatives is not None:
                table.claim(scope, shape.first_match_function, "first match function", shape.id)
        for check in self.validator_plan.value_checks:
            table.claim(scope, check.check_function, "value check function", check.member.id)
        for part in self.validator_plan.check_parts:
            table.claim(scope, part.check_function, "part check function", part.shape.id)
        for shape in self.public_structures:
            table.claim(scope, shape.validate_function, "validator", shape.id)
        _claim_classes(table, scope, self.errors + self.structures)

    def _claim_root(self, table: naming.SymbolTable) -> None:
        owners = {shape.py_name: shape.id for shape in self.structures + self.errors}
        owners |= {shape.py_name: shape.id for shape in self.enums}
        owners |= {shape.validate_function: shape.id for shape in self.public_structures}
        owners |= {self.service.error_class: self.service.id}
        owners |= {self.service.client_class: self.service.id}
        for name in self.exported_names:
            if name in owners:
                table.claim("__init__.py", name, "exported name", owners[name])
            else:
                table.fixed("__init__.py", [name])

    def _claim_class_bodies(self, table: naming.SymbolTable) -> None:
        for shape in self.validated_structures:
            scope, within = f"class {shape.py_name}", shape.id
            for member in shape.members:
                table.claim(scope, member.py_name, "attribute", member.id, within=within)
            table.fixed(scope, naming.STRUCTURE_METHOD_NAMES, within=within)
            if shape.error is not None:
                table.fixed(scope, naming.ERROR_ATTRIBUTE_NAMES, within=within)
        for enum_shape in self.enums:
            scope, within = f"class {enum_shape.py_name}", enum_shape.id
            for value in enum_shape.values:
                owner = f"{enum_shape.id}${value.name}"
                table.claim(scope, value.py_name, "enum member", owner, within=within)
            table.fixed(scope, naming.RESERVED_ENUM_MEMBER_NAMES, within=within)
        # Operations are methods of the client, the handler protocol and the fake; they are
        # checked whether or not the service gets a client now, so that a model is refused or
        # accepted alike once its protocol gets a plug-in.
        classes = (self.service.client_class, self.service.handler_class, self.service.fake_class)
        for name in classes:
            for operation in self.operations:
                table.claim(f"class {name}", operation.py_name, "method", operation.id)
            table.fixed(f"class {name}", naming.RESERVED_OPERATION_NAMES)

    def _claim_client(self, table: naming.SymbolTable, codec: str, *, http_codec: bool) -> None:
        """The client's and the stub's names; `codec` is the plug-in's module of serializers,
        which also has each operation's whole-message writer and readers where `http_codec`."""
        service = self.service
        table.claim("client.py", service.client_class, "class", service.id)
        table.claim("stub/service.py", service.handler_class, "class", service.id)
        table.claim("stub/fake.py", service.fake_class, "class", service.id)
        table.claim("stub/__init__.py", service.handler_class, "handler class", service.id)
        table.claim("stub/__init__.py", service.fake_class, "fake class", service.id)
        for operation in self.operations:
            _claim_operation(table, service.client_class, operation)
            _claim_waiters(table, service.client_class, operation)
        if self.has_waiters:
            table.fixed("_waiters.py", naming.WAITERS_MODULE_NAMES)
            _claim_classes(table, "_waiters.py", self.waiter_inputs)
        # A paginator's method sits beside the operations' (`PaginateListThings` would meet
        # ListThings' paginator).
        for operation in self.paginated_operations:
            assert operation.paginated is not None
            pages = operation.paginated.method
            table.claim(f"class {service.client_class}", pages, "paginator method", operation.id)
        for module in ("_operations.py", codec, "stub/service.py"):
            _claim_classes(table, module, self.errors + self.client_structures)
        _claim_classes(table, codec, self.structures)
        _claim_classes(table, codec, self.wire_enums)
        if http_codec:
            for operation in self.operations:
                if operation.has_input:
                    written = operation.input
                    table.claim(codec, written.http_serializer, "request writer", written.id)
                if operation.has_output:
                    read = operation.output
                    table.claim(codec, read.http_deserializer, "response reader", read.id)
            for error in self.errors:
                table.claim(codec, error.http_deserializer, "response reader", error.id)
            self._claim_stub_messages(table, codec)
        else:
            for operation in self.operations:
                if operation.streams_output:
                    streamed = operation.output
                    table.claim(codec, streamed.stream_serializer, "stream writer", streamed.id)
                    table.claim(codec, streamed.stream_deserializer, "stream reader", streamed.id)
        for stream in self.event_streams:
            table.claim(codec, stream.event_reader, "event reader", stream.id)
            table.claim(codec, stream.event_writer, "event writer", stream.id)
            table.claim(codec, stream.event_error_writer, "event error writer", stream.id)
        _claim_classes(table, "client.py", self.enums_named_by(self.operation_inputs))
        _claim_classes(table, "client.py", self.client_named_structures)
        _claim_classes(table, "stub/fake.py", self.client_structures)
        for operation in self.operations:
            reads = operation.fake_reads
            if reads is not None and reads.not_found is not None:
                _claim_classes(table, "stub/fake.py", (reads.not_found,))
        coded: tuple[StructureShape | ListShape | MapShape, ...] = (
            *self.validated_structures,
            *self.lists,
            *self.maps,
        )
        for shape in coded:
            table.claim(codec, shape.serializer, "serializer", shape.id)
            table.claim(codec, shape.deserializer, "deserializer", shape.id)
            if shape.decodes_from_json:
                table.claim("stub/service.py", shape.reader, "stub reader", shape.id)
        for stream in self.input_event_streams:
            table.claim("stub/service.py", stream.event_message_reader, "event reader", stream.id)
        if not http_codec:
            for operation in self.operations:
                if operation.streams_input:
                    read = operation.input
                    table.claim("stub/service.py", read.stream_reader, "stream reader", read.id)
                    table.claim(codec, read.stream_serializer, "stream writer", read.id)

    def _claim_stub_messages(self, table: naming.SymbolTable, codec: str) -> None:
        """A protocol with HTTP bindings' stub: the codec's writers of its answers (outputs and
        errors), and its readers of whole requests and of bodies in `stub/service.py`."""
        for operation in self.operations:
            if operation.has_output:
                written = operation.output
                table.claim(codec, written.http_serializer, "answer writer", written.id)
            if operation.has_input:
                read = operation.input
                table.claim("stub/service.py", read.http_reader, "request reader", read.id)
        for error in self.errors:
            table.claim(codec, error.http_serializer, "answer writer", error.id)
        renaming: tuple[StructureShape | ListShape | MapShape, ...]
        renaming = (*self.structures, *self.lists, *self.maps)
        for shape in renaming:
            if shape.renames_json_keys:
                table.claim("stub/service.py", shape.body_reader, "body reader", shape.id)


def _claim_classes(
    table: naming.SymbolTable, scope: str, shapes: Iterable[StructureShape | EnumShape]
) -> None:
    for shape in shapes:
        table.claim(scope, shape.py_name, "class", shape.id)


def _claim_converters(
    table: naming.SymbolTable, scope: str, shapes: Iterable[ListShape | MapShape]
) -> None:
    """The shapes module's wire-form converters of the lists and maps that need them."""
    for shape in shapes:
        if shape.needs_wire_conversion:
            table.claim(scope, shape.to_dict_function, "wire-form writer", shape.id)
            table.claim(scope, shape.from_dict_function, "wire-form reader", shape.id)


def _claim_operation(table: naming.SymbolTable, client: str, operation: OperationShape) -> None:
    """An operation's names in `_operations.py`, and its client method's parameters."""
    table.claim("_operations.py", operation.call_function, "call function", operation.id)
    if not operation.host_labels:
        constant = operation.operation_constant
        table.claim("_operations.py", constant, "operation constant", operation.id)
    if operation.endpoint_binding:
        constant = operation.endpoint_params_constant
        table.claim("_operations.py", constant, "endpoint parameters constant", operation.id)
    if operation.has_input:
        # The keyword overload's parameters: its own beside the input's members.
        scope, within = f"{client}.{operation.py_name}()", operation.id
        for kind, name in (
            ("self parameter", operation.self_parameter),
            ("request parameter", operation.request_parameter),
        ):
            table.claim(scope, name, kind, operation.id, within=within)
        for member in operation.input.members:
            table.claim(scope, member.py_name, "parameter", member.id, within=within)


def _claim_waiters(table: naming.SymbolTable, client: str, operation: OperationShape) -> None:
    """An operation's waiters: their `get_waiter` names (one namespace per service, as in
    boto3), their client methods and those methods' parameters."""
    for waiter in operation.waiters:
        table.claim("the waiters", waiter.py_name, "waiter", operation.id)
        table.claim(f"class {client}", waiter.method, "waiter method", operation.id)
        scope, within = f"{client}.{waiter.method}()", operation.id
        parameters = [("self parameter", operation.self_parameter)]
        if operation.has_input:
            parameters.append(("request parameter", operation.request_parameter))
        parameters.append(("max_wait parameter", waiter.max_wait_parameter))
        for kind, name in parameters:
            table.claim(scope, name, kind, operation.id, within=within)
        for member in operation.input.members if operation.has_input else ():
            table.claim(scope, member.py_name, "parameter", member.id, within=within)
