"""Every identifier that reaches generated code is decided here, once.

Rules (README.md, "Names", says the same for users):
- attributes and functions are snake_case, classes PascalCase, constants UPPER_SNAKE_CASE;
- a model name whose Python spelling is taken gets a trailing underscore: a keyword (`class_`),
  or a name its scope already gives a meaning to. The scopes and their taken names:
  - structure members: the methods every structure has (`to_dict_`); builtins are fine as
    attribute names (`type`, `id`, `bytes`) because generated code never reads a builtin through
    an attribute's scope;
  - error members: also what an exception has (`args_`, `error_code_`) and what the generated
    `__init__` reads (`self_`, `super_`);
  - classes: builtins and every name a generated module that names shapes imports or defines
    (`Violation_`, `Protocol_`);
  - enum members: what every `str`/`int` enum member has (`count_`, `name_`, `bit_length_`);
  - operations (client, handler and fake methods): builtins and the client's and fake's own
    attributes (`close_`, `put_`, `list_`);
  - packages: standard-library modules and builtins (`json_`, `pipes_`);
  - public validators: `validate_or_raise` (a structure named `OrRaise` gets
    `validate_or_raise_`);
- parameters of generated functions that sit beside member names (the client's `self` and
  `request`) take the first free spelling of their own name, so the members keep theirs;
- two model names that become the same Python name are refused, naming both, because silently
  renaming one of them would make the generated API depend on declaration order; so are service
  names (`sdkId`) whose classes (`<Prefix>Error`, `<Prefix>Client`, ...) would be taken names.

Names Python gives meaning to come from `python_names`, frozen, so that generated names never
depend on the Python that runs shapesmith.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator import python_names
from generator.diagnostics import Diagnostic

_WORD_BOUNDARY_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_WORD_BOUNDARY_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")

BUILTIN_NAMES = python_names.BUILTINS

# Methods every generated structure class defines; members must not replace them.
STRUCTURE_METHOD_NAMES = frozenset({"to_dict", "from_dict"})

# Attributes every generated error class has through its base classes, and the names its
# `__init__` reads besides its parameters (`self`, and `super` for the base class).
ERROR_ATTRIBUTE_NAMES = frozenset(
    {
        "self",
        "super",
        "args",
        "with_traceback",
        "add_note",
        "shape_name",
        "fault",
        "http_status",
        "retryable",
        "throttling",
        "request_id",
        "error_code",
        "status_code",
        "raw_body",
        "query_error_code",
        "query_error_type",
    }
)

# Names the generated modules that name shape classes import or define at module level; a shape
# class must not shadow them. `tests/test_naming.py` reads every such module of generated
# packages and fails on a class-like name missing here.
RESERVED_MODULE_NAMES = frozenset(
    {
        "Any",
        "Callable",
        "ClassVar",
        "Iterable",
        "Mapping",
        "Protocol",
        "TracebackType",
        "Document",
        "ServiceError",
        "ValidationError",
        "Violation",
        "WireDict",
        "WireMapping",
        # What the package root exports next to the shapes when it has a client.
        "ConfigError",
        "NoCredentialsError",
        "NoRegionError",
        "EndpointResolutionError",
        "Transport",
        "TransportError",
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ConnectionClosedError",
        "ResponseTooLargeError",
        "ResponseParseError",
        "HttpRequest",
        "HttpResponse",
        "HttpTransport",
        # The stub: its service description, its fake and what its package exports.
        "SERVICE",
        "Answer",
        "Fault",
        "Faults",
        "FixtureError",
        "Fixtures",
        "NoFakeBehaviour",
        "NotImplementedByStub",
        "StubFailure",
        "BreaksModel",
        "DEFAULT_OUTPUTS",
        "UNBUILDABLE",
        "UNIMPLEMENTED_CHOICES",
        "RecordStore",
        "ServiceSpec",
        "SignatureChecker",
        "StubApp",
        "StubAssertionError",
        "StubResponseError",
        "StubServer",
        "Stubber",
        "UnknownRecord",
    }
)

# Module-level functions of generated modules that a model-derived function name could spell.
RESERVED_FUNCTION_NAMES = frozenset({"validate_or_raise"})

# Enum members with these names would shadow what every member has (`.name`, `.value`,
# `str.count`, `int.bit_length`...).
RESERVED_ENUM_MEMBER_NAMES = python_names.STR_AND_INT_ATTRIBUTES

# The generated client's attributes, and names boto3 clients give to what is not an operation
# (kept free so that adding one later renames no operation).
CLIENT_ATTRIBUTE_NAMES = frozenset(
    {
        "close",
        "region_name",
        "endpoint_url",
        "validate_input",
        "get_paginator",
        "can_paginate",
        "get_waiter",
        "meta",
        "exceptions",
    }
)

# The generated in-memory fake's test hooks and state, which share its class with the
# operations it answers.
FAKE_ATTRIBUTE_NAMES = frozenset(
    {"put", "update", "script", "fixtures", "records", "unimplemented"}
)

# Operations become methods of the client, the handler protocol and the fake, whose class bodies
# also read builtins (annotations) and `overload`; a method must not shadow any of them.
RESERVED_OPERATION_NAMES = (
    BUILTIN_NAMES | CLIENT_ATTRIBUTE_NAMES | FAKE_ATTRIBUTE_NAMES | frozenset({"overload"})
)

# A generated package is imported by its name from the top level: it must not hide a module that
# it, or code beside it, imports (the stub reads YAML fixtures with PyYAML when it is there).
RESERVED_PACKAGE_NAMES = python_names.STDLIB_MODULES | BUILTIN_NAMES | frozenset({"yaml"})


def is_keyword(name: str) -> bool:
    return name in python_names.KEYWORDS or name in python_names.SOFT_KEYWORDS


def is_identifier(name: str) -> bool:
    """Whether `name` can be written as a Python name: ASCII, an identifier, not a keyword."""
    return name.isascii() and name.isidentifier() and name not in python_names.KEYWORDS


def _free(name: str, taken: frozenset[str]) -> str:
    """`name`, or `name_` where keywords or `taken` claim it."""
    return f"{name}_" if is_keyword(name) or name in taken else name


def snake_case(name: str) -> str:
    """`GetFaceLivenessSessionResults` -> `get_face_liveness_session_results`, `S3Object` -> `s3_object`."""
    text = _NOT_IDENTIFIER.sub("_", name)
    text = _WORD_BOUNDARY_ACRONYM.sub(r"\1_\2", text)
    text = _WORD_BOUNDARY_LOWER_UPPER.sub(r"\1_\2", text)
    text = re.sub(r"_+", "_", text).strip("_").lower()
    if not text:
        text = "member"
    if text[0].isdigit():
        text = f"n{text}"
    return text


def first_free(preferred: str, taken: set[str]) -> str:
    """`preferred`, or the first of `preferred_2`, `preferred_3`, ... that `taken` does not
    hold; the name returned is added to `taken`. Callers ask in a fixed order, so the same
    model always gets the same names."""
    name, number = preferred, 1
    while name in taken:
        number += 1
        name = f"{preferred}_{number}"
    taken.add(name)
    return name


def value_check_function(shape_name: str, member_name: str | None = None) -> str:
    """The check function of one kind of simple value: named after its shape, or after the
    structure and member that add constraints of their own to it."""
    if member_name is None:
        return f"_check_{snake_case(shape_name)}_value"
    return f"_check_{snake_case(shape_name)}_{snake_case(member_name)}_value"


def upper_snake_case(name: str) -> str:
    return snake_case(name).upper()


def pascal_case(name: str) -> str:
    """Shape names are PascalCase already in practice; make sure of it without mangling acronyms."""
    parts = [part for part in _NOT_IDENTIFIER.sub("_", name).split("_") if part]
    text = "".join(part[0].upper() + part[1:] for part in parts) or "Shape"
    if text[0].isdigit():
        text = f"N{text}"
    return text


AMBIGUOUS_NAMES = frozenset({"l", "O", "I"})
"""Names that read like 1 and 0 (pycodestyle's E741): DynamoDB's `L` member, Comprehend's `O`."""


def attribute_name(member_name: str) -> str:
    """The Python attribute, keyword argument and dict-free name for a structure member."""
    return _free(snake_case(member_name), STRUCTURE_METHOD_NAMES | AMBIGUOUS_NAMES)


def article(noun: str) -> str:
    """`a string`, `an integer`: the indefinite article a noun takes in messages."""
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def error_attribute_name(member_name: str) -> str:
    """Like `attribute_name`, also keeping clear of what an exception already has."""
    name = attribute_name(member_name)
    return f"{name}_" if name in ERROR_ATTRIBUTE_NAMES else name


def class_name(shape_name: str, service_classes: Iterable[str] = ()) -> str:
    """A shape's class; `service_classes` are the classes its service names after itself
    (`service_class_names`), which a shape steps aside for (Athena's `AthenaError` shape)."""
    return _free(
        pascal_case(shape_name), BUILTIN_NAMES | RESERVED_MODULE_NAMES | set(service_classes)
    )


def operation_name(shape_name: str) -> str:
    """The method of an operation on the client, the handler protocol and the fake."""
    return _free(snake_case(shape_name), RESERVED_OPERATION_NAMES)


def validate_function_name(shape_name: str) -> str:
    """The public validator of an input, output or error structure."""
    name = f"validate_{snake_case(shape_name)}"
    return f"{name}_" if name in RESERVED_FUNCTION_NAMES else name


def parameter_name(preferred: str, members: Iterable[str]) -> str:
    """A generated parameter that sits beside member-named ones (`self`, `request`): its own
    name, with as many trailing underscores as it takes to be free."""
    taken = set(members)
    name = preferred
    while name in taken:
        name = f"{name}_"
    return name


def enum_member_name(member_name: str) -> str:
    """Enum members keep the model's name (already UPPER_SNAKE_CASE in practice), made safe."""
    name = _NOT_IDENTIFIER.sub("_", member_name).strip("_") or "VALUE"
    if name[0].isdigit():
        name = f"V{name}"
    return _free(name, RESERVED_ENUM_MEMBER_NAMES | AMBIGUOUS_NAMES)


def enum_member_name_from_value(value: str) -> str:
    """For Smithy 1.0 `@enum` entries without a name: derive one from the wire value."""
    return enum_member_name(upper_snake_case(value) if value else "EMPTY")


def package_name(sdk_id: str) -> str:
    return _free(snake_case(sdk_id), RESERVED_PACKAGE_NAMES)


def service_class_names(class_prefix: str) -> tuple[str, ...]:
    """The classes a service names after itself: base error, client, handler protocol, fake."""
    return (
        f"{class_prefix}Error",
        f"{class_prefix}Client",
        f"{class_prefix}Handler",
        f"InMemory{class_prefix}",
    )


def find_collisions(
    names: Iterable[tuple[str, str]], *, what: str, file: str, pointer: str
) -> list[Diagnostic]:
    """Report every Python name that two model names map to.

    `names` yields (model name, Python name) pairs of one scope.
    """
    seen: dict[str, str] = {}
    problems = []
    for model_name, python_name in names:
        earlier = seen.setdefault(python_name, model_name)
        if earlier != model_name:
            problems.append(
                Diagnostic(
                    file,
                    pointer,
                    f"{what} {earlier!r} and {model_name!r} both become the Python name "
                    f"{python_name!r}; rename one of them in the model",
                )
            )
    return problems


_DIGITS_OR_NOT = re.compile(r"[0-9]+|[^0-9]+")


def _natural(text: str) -> tuple[tuple[int | str, ...], ...]:
    """The key of ruff's natural order: runs of digits compare as numbers (a run with a leading
    zero digit by digit, before any without), and come before letters and underscores."""
    key: list[tuple[int | str, ...]] = []
    for run in _DIGITS_OR_NOT.findall(text):
        if not "0" <= run[0] <= "9":
            key.append((2, run))
        elif run[0] == "0":
            key.append((0, run))
        else:
            key.append((1, len(run), run))
    return tuple(key)


def _kind(name: str) -> int:
    """Constants (SCREAMING_CASE, two characters or more), then classes, then everything else."""
    return 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2


def import_order(name: str) -> tuple[object, ...]:
    """How ruff's isort orders the names of one `from ... import`: by kind, then naturally and
    case-insensitively, ties broken case-sensitively."""
    return _kind(name), _natural(name.lower()), _natural(name)


def all_order(name: str) -> tuple[object, ...]:
    """How ruff (RUF022) orders `__all__`: by kind, then naturally and case-sensitively."""
    return _kind(name), _natural(name)
