"""The interface every kind answers, with the answers most kinds share.

A `Kind` is one shape seen through its Smithy type. What holds for the type alone (which
traits apply, what a wrong-type report says) is a class attribute, so `semantics` can ask it of
a type name before any shape is built; what needs the shape (its class name, its converters) is
a method of the instance bound to it. Methods that print Python return an expression as text,
built from fixed code and the generated names of the shape: model text never reaches them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from generator import default_values
from generator.pyliterals import literal
from generator.symbols import BUILTINS_ALIAS, Symbol

if TYPE_CHECKING:  # the IR binds kinds to its shapes: no import at run time
    from generator import ir

JsonObject = dict[str, Any]
JsonSchema = dict[str, Any]
Annotation = tuple[str, frozenset[Symbol]]
Refer = Callable[["ir.Shape"], JsonSchema]
ValueSchema = Callable[["ir.Member"], JsonSchema]


def builtin(name: str, scope: frozenset[str]) -> Annotation:
    """A builtin type's name, through the `_builtins` alias where `scope` shadows it."""
    if name in scope:
        return f"_builtins.{name}", frozenset({BUILTINS_ALIAS})
    return name, frozenset()


class Kind:
    """What shapesmith knows about one Smithy type: its Python form, its checks, its wire forms
    and its JSON Schema. The defaults here are those of a value JSON carries as it is."""

    type_name: ClassVar[str] = ""
    """The Smithy type, as the model spells it."""
    type_words: ClassVar[str] = ""
    """What a wrong-type report says a value must be."""
    length_unit: ClassVar[str | None] = None
    """What `@length` counts in a value ("characters", "bytes", "entries"); None where
    `@length` does not apply."""
    takes_pattern: ClassVar[bool] = False
    takes_range: ClassVar[bool] = False
    takes_enum_trait: ClassVar[bool] = False
    """Whether the Smithy 1.0 `@enum` trait applies (strings only; an enum shape has members)."""
    takes_timestamp_format: ClassVar[bool] = False
    takes_unique_items: ClassVar[bool] = False
    takes_sparse: ClassVar[bool] = False
    is_binary_float: ClassVar[bool] = False
    """Whether values are IEEE doubles in generated code, so a `@range` bound must fit one."""
    bounds: ClassVar[tuple[int, int] | None] = None
    """The values a fixed-width integer carries on the wire."""
    zero_means_unset: ClassVar[bool] = False
    """Whether a `@default(0)` may break the member's `@range` (see
    `default_values.zero_default_allowed`)."""
    value_constraints: ClassVar[tuple[str, ...]] = ()
    """The constraints the validators may check on a simple value of this kind, in the order
    they check them (see `ir.Member.checked_constraints`)."""
    reports_every_violation: ClassVar[bool] = False
    """Whether a value's report lists each broken constraint (strings and bytes) or only the
    first (numbers, whose constraints overlap)."""
    check_layout: ClassVar[str] = "unchecked"
    """How the validators check a value: `value` (a simple value, one condition in place),
    `collection` or `structure` (the shape's check function, or the structure in place), or
    `unchecked` (any value is accepted)."""
    text_reader_name: ClassVar[str | None] = None
    """The stub's strict reader of this kind's text in a URI label, query parameter or header
    (`stub/_restjson_server.<name>_from_text`); None where the text is the value (strings)."""
    json_values_name: ClassVar[str | None] = None
    """For a kind JSON cannot carry natively (base64 blobs, float words, big decimals,
    timestamps), the suffix of its converters in the `_json_values` runtime (`encode_blob`,
    `decode_blob`); None where JSON carries the value as it is."""
    http_simple: ClassVar[bool] = False
    """Whether a label, a query parameter or a header can carry a value."""
    http_payload: ClassVar[bool] = False
    """Whether a value can be a whole `@httpPayload`."""
    payload_form: ClassVar[str | None] = None
    """How restJson1 writes a value that is a whole `@httpPayload`: `bytes` (raw), `text`
    (UTF-8, `text/plain`) or `json` (a JSON document); None where it cannot be one."""
    header_list_quoted: ClassVar[bool] = False
    """Whether an item of a list in a header is quoted where it holds `,` or `"` (strings, as
    botocore writes them; an http-date's own comma is not quoted)."""
    dict_zero: ClassVar[str] = "None"
    """The wire-form (`to_dict`) value a missing member reads as."""
    json_zero_literal: ClassVar[str] = "None"

    def __init__(self, shape: ir.Shape) -> None:
        self.shape = shape

    @property
    def json_native(self) -> bool:
        """Whether JSON carries the value as Python holds its wire form, with no conversion."""
        return self.json_values_name is None

    # The Python form.

    def annotation(self, scope: frozenset[str]) -> Annotation:
        """The Python type of a value, and the names it needs imported; `scope` holds the
        names that shadow builtins where it is printed."""
        raise NotImplementedError(type(self).__name__)

    def member_annotation(self, member: ir.Member, scope: frozenset[str]) -> Annotation:
        """The Python type of `member`'s value: `annotation`, unless the kind's values differ
        by where the member is (a stream is sent from a file, and read as a body)."""
        return self.annotation(scope)

    def default_literal(self, value: Any) -> tuple[str, bool]:
        """A `@default` value as a Python expression that makes a fresh value, and whether it
        is mutable (or computed), so that a dataclass needs a `default_factory` for it."""
        return literal(value), False

    def member_default_literal(self, value: Any, in_output: bool) -> tuple[str, bool]:
        """`default_literal` for a member, which is in an operation's output if `in_output`:
        the same, unless the kind's values differ by where the member is (a stream's)."""
        return self.default_literal(value)

    def default_symbols(self, default_literal: str) -> frozenset[Symbol]:
        """What a `default_literal` of this kind names."""
        return frozenset()

    @classmethod
    def range_literal(cls, bound: Decimal, rounding: str) -> str:
        """A `@range` bound as a literal of the values compared with it; an integer kind
        rounds a fractional bound inwards (`rounding`) to the integer it allows."""
        raise NotImplementedError(cls.__name__)

    @classmethod
    def default_problem(
        cls, value: object, traits: JsonObject, enum_values: list[object]
    ) -> str | None:
        """Why `value` cannot be the `@default` of a shape of this kind whose effective traits
        are `traits`; None if it can."""
        return default_values.wrong_type(value, cls.type_name)

    # The validators.

    def accepts(self, var: str) -> str:
        """The condition under which `var` is a value of this kind."""
        return "True"

    def accepts_fast(self, var: str) -> str:
        """A shorter condition that accepts the common values of this kind (exact classes);
        one it refuses goes on to `accepts`."""
        return self.accepts(var)

    def rejects_fast(self, var: str) -> str | None:
        """The negation of `accepts_fast` as a linter would write it, where it is shorter
        than `not (...)`; None where it is not."""
        return None

    # Values in JSON form, which the stub sends when nothing else answers (`stub_defaults`).

    def wire_value_problem(self, member: ir.Member, value: object) -> str | None:
        """Why `value`, in JSON form, cannot be a value of `member` as the strict validators
        see it; None if it can (see `value_fit`)."""
        return f"a {self.type_name or self.shape.type} is not a scalar"

    def sample_values(self, member: ir.Member, variant: int) -> Iterator[Any]:
        """Values in JSON form that the stub's default builder tries for `member` in turn; a
        different `variant` starts elsewhere, to tell values apart."""
        return iter(())

    # The wire-form dict (`to_dict` / `from_dict`).

    def to_dict(self, expr: str) -> str:
        return expr

    def from_dict(self, expr: str) -> str:
        return expr

    # A member of a `oneOf`/`anyOf` union (`shapesmith.api#alternatives`), whose wire form is
    # its JSON: the member's value converted to and from that JSON, and the value its checks
    # judge when a JSON value is tried against it.

    @property
    def alternative_converts(self) -> bool:
        """Whether a union member of this kind converts its value to JSON and back."""
        return False

    def alternative_write(self, expr: str, timestamp_format: str | None) -> str:
        """The union's wire form (JSON) of the member's Python value `expr`."""
        return self.to_dict(expr)

    def alternative_read(self, expr: str) -> str:
        """The member's Python value of the union's wire form `expr`, once the member is
        chosen."""
        return self.from_dict(expr)

    def alternative_form(self, timestamp_format: str | None) -> str | None:
        """The form JSON carries a value of this kind in, where it is not the value itself
        (`_json_values.members_as_written`): a timestamp's format, `base64`; else None."""
        return None

    def alternative_candidate(self, expr: str, timestamp_format: str | None) -> str:
        """What the member's checks judge of the JSON value `expr`: the value in the member's
        wire form where JSON says it exactly as the member writes it, else as it is (so that
        the checks find it the wrong type)."""
        return expr

    # The JSON codec: AWS JSON's body (and restJson1's, later).

    def json_write(self, expr: str, timestamp_format: str | None) -> str:
        """The JSON value of a Python value `expr`."""
        if self.json_values_name is None:
            return expr
        return f"_json_values.encode_{self.json_values_name}({expr})"

    def json_read(self, expr: str) -> str:
        """The Python value of a JSON value `expr`, refusing a JSON value of the wrong type."""
        if self.json_values_name is None:
            return expr
        return f"_json_values.decode_{self.json_values_name}({expr})"

    def json_zero(self) -> str:
        """What a decoder gives a required member that the JSON lacks."""
        return self.json_zero_literal

    def json_read_strict(self, expr: str) -> str:
        """The stub's reading of a JSON value `expr` into wire form, for a kind that is not
        `json_native` (or holds such values): the decoder in strict mode."""
        if self.json_values_name is None:
            return expr
        return f"_json_values.decode_{self.json_values_name}({expr}, strict=True)"

    def event_header_write(self, expr: str) -> str:
        """The event-stream header value of `expr`, whose Python class picks its wire type
        (`_eventstream.HeaderValue`): str, bool and bytes travel as they are."""
        return expr

    def event_header_read(self, expr: str) -> str:
        """The Python value of an event message's header value `expr`, as
        `_event_wire.event_header` gives it (bool, int, str, bytes or a datetime)."""
        return self.json_read(expr)

    # Text in a URI label, a query parameter or a header (restJson1's HTTP bindings).

    def text_write(self, expr: str, timestamp_format: str | None) -> str:
        """The text of a Python value `expr` of a kind that is `http_simple`."""
        raise TypeError(f"{self.type_name} has no text form")

    def text_read(self, expr: str, timestamp_format: str | None) -> str:
        """The Python value of the text `expr` (a header's value) of an `http_simple` kind."""
        raise TypeError(f"{self.type_name} has no text form")

    def text_read_strict(self, expr: str) -> str:
        """The stub's reading of the text `expr` into wire form: the value, or the text as it
        was where it does not parse, for the validator to report as the wrong type."""
        if self.text_reader_name is None:
            return expr
        return f"_restjson_server.{self.text_reader_name}_from_text({expr})"

    def header_read_strict(self, expr: str) -> str:
        """`text_read_strict` of a header's value."""
        return self.text_read_strict(expr)

    def header_write(self, expr: str, timestamp_format: str | None) -> str:
        """The value of a header that carries `expr`: its text, unless the kind says more."""
        return self.text_write(expr, timestamp_format)

    def header_read(self, expr: str, timestamp_format: str | None) -> str:
        """The Python value of a header's value `expr`."""
        return self.text_read(expr, timestamp_format)

    # JSON Schema.

    def json_schema(self, member: ir.Member, refer: Refer) -> JsonSchema:
        """The schema of `member`'s value with its effective constraints; `refer(shape)` gives
        the `$ref` of a shape defined apart (a structure, union, list or map)."""
        return {}

    def json_schema_definition(self, value_schema: ValueSchema) -> JsonSchema:
        """The schema under `$defs` of a shape defined apart; `value_schema(member)` gives a
        member's."""
        raise NotImplementedError(type(self).__name__)


def length_keywords(length: ir.Length | None, low: str, high: str) -> JsonSchema:
    """A `@length` as the two JSON Schema keywords named `low` and `high`."""
    schema: JsonSchema = {}
    if length is not None and length.min is not None:
        schema[low] = length.min
    if length is not None and length.max is not None:
        schema[high] = length.max
    return schema


def with_keywords(reference: JsonSchema, keywords: JsonSchema) -> JsonSchema:
    """A `$ref` with a member's own constraints beside it."""
    return {"allOf": [reference, keywords]} if keywords else reference


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def number_schema(member: ir.Member, json_type: str, json_format: str | None = None) -> JsonSchema:
    """A number's schema: the tighter of its width and its `@range`, and the zero default
    `@range` lets through (see `default_values.zero_default_allowed`). `json_format` names the
    width as OpenAPI does (`int32`, `int64`), so that a reader makes the same type of it."""
    schema: JsonSchema = {"type": json_type}
    if json_format is not None:
        schema["format"] = json_format
    bounds = member.integer_bounds
    low = None if bounds is None else Decimal(bounds[0])
    high = None if bounds is None else Decimal(bounds[1])
    if member.range is not None and member.range.min is not None:
        low = member.range.min if low is None else max(low, member.range.min)
    if member.range is not None and member.range.max is not None:
        high = member.range.max if high is None else min(high, member.range.max)
    found = member.range
    if low is not None:
        open_low = found is not None and found.min_exclusive and found.min == low
        schema["exclusiveMinimum" if open_low else "minimum"] = _json_number(low)
    if high is not None:
        open_high = found is not None and found.max_exclusive and found.max == high
        schema["exclusiveMaximum" if open_high else "maximum"] = _json_number(high)
    if member.multiple_of is not None:
        schema["multipleOf"] = _json_number(member.multiple_of.value)
    if member.range is not None and member.range.allows_zero:
        return {"anyOf": [{"const": 0}, schema]}  # the zero default: "not set"
    return schema
