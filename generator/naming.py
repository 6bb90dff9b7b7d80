"""Every identifier that reaches generated code is made here, once, and checked here, once.

Where names come from (README.md, "Names", says the same for users): each kind of generated name
has one function below, documented with an example (`class_name`, `check_function`,
`operation_constant`, ...); the builder (`generator/build.py`) calls them and keeps the result
in an IR field, and templates print the field. Names are snake_case for attributes, functions
and methods, PascalCase for classes, UPPER_SNAKE_CASE for constants.

How a name that is taken is resolved, deterministically:
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
  `request`) take the first free spelling of their own name (`self_`, `self__`), so the members
  keep theirs;
- names the generator derives for one purpose, where two model names may derive the same one
  without being the same name (a shape's value check `_check_foo_value` beside a structure
  `FooValue`'s `_check_foo_value`; two patterns whose owners spell one constant), take a number:
  the name, then `<name>_2`, `<name>_3`, ... in a fixed order (`first_free`);
- anything else that two model names, or a model name and a name generated code fixes, would
  both spell in one module or class is refused (`SymbolTable`), naming both JSON pointers,
  because silently renaming one of them would make the generated API depend on declaration
  order: two shapes that become one class, two operations one method, a structure and a list
  one check function, an `sdkId` whose classes (`<Prefix>Error`, ...) are taken.

Names Python gives meaning to come from `python_names`, frozen, so that generated names never
depend on the Python that runs shapesmith.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from generator import python_names
from generator.diagnostics import Diagnostic, json_pointer

_WORD_BOUNDARY_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_WORD_BOUNDARY_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")

BUILTIN_NAMES = python_names.BUILTINS
HTTP_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""RFC 9110's token: what a header name, an auth scheme name and (RFC 6265) a cookie name are
made of."""

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
        # Paginators: the client names them, the package root exports the errors.
        "Literal",
        "Never",
        "PaginationError",
        "OperationNotPageableError",
        "Paginator",
        "PageIterator",
        "PaginationConfig",
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

# What the templates themselves bind at the top level of each generated module (imports,
# constants, helpers), beside the names made from the model there (`ir.GenerationUnit.
# symbol_table` claims those). `tests/test_symbols.py` reads generated modules and fails on a
# top-level name missing from both.
_FUTURE = "annotations"  # `from __future__ import annotations` binds it
_MODULE_ALIASES = ("_builtins", "_datetime", "_decimal")
FACADE_NAMES = frozenset(
    {"TYPE_CHECKING", "importlib", "_PARTS", "__getattr__", "__dir__", "__all__"}
)
"""What a module cut into parts binds besides its definitions (`generator/lazy_parts.py`)."""
GENERATED_MODULE_NAMES: dict[str, frozenset[str]] = {
    "enums.py": frozenset({_FUTURE, "_enum"} | FACADE_NAMES),
    "shapes.py": frozenset(
        FACADE_NAMES
        | {_FUTURE, *_MODULE_ALIASES, "_dataclasses", "Any", "_runtime", "Document", "WireDict"}
        | {"WireMapping", "_FROM_FACTORY"}
    ),
    "errors.py": frozenset(
        {_FUTURE, *_MODULE_ALIASES, "Any", "ClassVar", "_runtime", "Document", "WireDict"}
        | {"WireMapping", "ServiceError"}
    ),
    "validators.py": frozenset(
        {_FUTURE, "_datetime", "_decimal", "re", "Callable", "Mapping", "Any", "_runtime"}
        | {"ValidationError", "Violation", "_Validator", "_SHAPES_BY_CLASS_NAME", "importlib"}
        | {"_VALIDATORS_BY_NAME", "validate_or_raise", "_compiled_on_first_use", "_class_of"}
        | {"sys", "_alternatives_broken", "_json_values"}
        | FACADE_NAMES
    ),
    "__init__.py": frozenset(
        {"GENERATOR_VERSION", "TYPE_CHECKING", "__all__", "_EXPORTS", "_SUBMODULES"}
        | {"__getattr__", "__dir__"}
    ),
    "client.py": frozenset(
        {_FUTURE, *_MODULE_ALIASES, "os", "allocate_lock", "_config", "_endpoints"}
        | {"TYPE_CHECKING", "Mapping", "TracebackType", "Any", "overload", "_protocol"}
        | {"_transport", "Document", "__all__", "_SERVICE_ID", "_ENDPOINT_RULE_SET", "_runtime"}
        | {"_auth", "Callable", "_waiting", "Literal", "Never", "_paginators"}
    ),
    "_operations.py": frozenset(
        {_FUTURE, "_dataclasses", "sys", "Mapping", "Any", "_config", "_endpoints"}
        | {"_protocol", "_retries", "_sigv4", "_transport", "_validators", "ServiceError", "_auth"}
        | {"_SIGNING_NAME", "_USER_AGENT", "_LOGGER_NAME", "_ERRORS", "make_error"}
        | {"build_caller", "PAGINATORS", "_paginators"}
        | FACADE_NAMES
    ),
    "stub/__init__.py": frozenset(
        {"HEALTH_PATH", "ServiceSpec", "StubApp", "create_app", "main", "serve"}
        | {"UnknownRecord", "StubServer", "SignatureChecker", "Fault", "Faults"}
        | {"FixtureError", "Fixtures", "fixtures_from_data", "load_fixtures", "SERVICE"}
        | {"StubAssertionError", "Stubber", "StubResponseError", "__all__"}
    ),
    "stub/service.py": frozenset(
        {_FUTURE, "Any", "Protocol", "_validators", "_app", "_wire", "__all__", "SERVICE"}
        | {"_auth_check"}
    ),
    "stub/fake.py": frozenset(
        {_FUTURE, "Iterable", "Mapping", "Any", "_validators", "ValidationError"}
        | {"BreaksModel", "NotImplementedByStub", "StubFailure", "checked", "check_value"}
        | {"RecordStore", "UnknownRecord", "DEFAULT_OUTPUTS", "UNBUILDABLE", "Answer"}
        | {"Fixtures", "SERVICE", "__all__", "UNIMPLEMENTED_CHOICES", "_RECORD_SHAPES"}
        | {"NoFakeBehaviour", "FAKE_CLASS"}
    ),
}
WAITERS_MODULE_NAMES = frozenset(
    {_FUTURE, "Any", "Acceptor", "Waiter", "WaiterModel", "WAITERS", "waiter"}
)
"""What `_waiters.py` binds beside the operation inputs it imports (a package with waiters)."""
CLIENT_MODULES = frozenset(
    {"client.py", "_operations.py", "stub/__init__.py", "stub/service.py", "stub/fake.py"}
)
"""The modules of `GENERATED_MODULE_NAMES` only a service with a client gets; the protocol
plug-in adds its own names to them, and its own modules (`protocols.Plugin.fixed_names`)."""


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
    """The check function of one kind of simple value in validators.py: named after its shape
    (`SessionId` -> `_check_session_id_value`), or after the structure and member that add
    constraints of their own to it (`Face`, `Id` -> `_check_face_id_value`). The validator plan
    gives it the first free spelling (`first_free`)."""
    if member_name is None:
        return f"_check_{snake_case(shape_name)}_value"
    return f"_check_{snake_case(shape_name)}_{snake_case(member_name)}_value"


def part_function(shape_name: str, number: int) -> str:
    """The check function of the `number`th run of a structure's own members in validators.py,
    when the validator plan splits them (`FaceDetail`, 2 -> `_check_face_detail_part_2`). The
    plan gives it the first free spelling (`first_free`)."""
    return f"_check_{snake_case(shape_name)}_part_{number}"


def check_function(shape_name: str) -> str:
    """The check function of a structure, union, list or map in validators.py:
    `FaceDetail` -> `_check_face_detail`."""
    return f"_check_{snake_case(shape_name)}"


def unmatched_attribute(taken: frozenset[str]) -> str:
    """The attribute of a `oneOf`/`anyOf` union's class that keeps a value no member matched
    (a newer peer's), beside the members' attributes `taken`: `unmatched`, else with an
    underscore after it until it is free."""
    name = "unmatched"
    while name in taken:
        name += "_"
    return name


def unknown_attribute(taken: frozenset[str]) -> str:
    """The attribute of a Smithy union's class that keeps a member its model does not have (a
    newer peer's, `_runtime.UnknownMember`), beside the members' attributes `taken`: `unknown`,
    else with an underscore after it until it is free."""
    name = "unknown"
    while name in taken:
        name += "_"
    return name


def first_match_function(shape_name: str) -> str:
    """The function in validators.py that names the first member of a `oneOf`/`anyOf` union
    whose checks a value passes: `PetChoice` -> `_first_match_pet_choice`."""
    return f"_first_match_{snake_case(shape_name)}"


def to_dict_function(shape_name: str) -> str:
    """The wire-form writer, in shapes.py, of a list or map whose values need converting:
    `FaceList` -> `_face_list_to_dict`."""
    return f"_{snake_case(shape_name)}_to_dict"


def from_dict_function(shape_name: str) -> str:
    """The wire-form reader beside `to_dict_function`: `FaceList` -> `_face_list_from_dict`."""
    return f"_{snake_case(shape_name)}_from_dict"


def serializer_function(shape_name: str) -> str:
    """The protocol codec's writer of a structure, union, list or map (`_awsjson.py`):
    `FaceDetail` -> `_serialize_face_detail`."""
    return f"_serialize_{snake_case(shape_name)}"


def deserializer_function(shape_name: str) -> str:
    """The protocol codec's reader beside `serializer_function`: `FaceDetail` ->
    `_deserialize_face_detail`."""
    return f"_deserialize_{snake_case(shape_name)}"


def message_codec_function(codec_function: str) -> str:
    """A protocol with HTTP bindings' writer of a whole request from an operation input, or
    reader of a whole response, beside the body's `codec_function`: `_serialize_get_thing_input`
    -> `_http_serialize_get_thing_input` (a prefix no other codec function has)."""
    return f"_http{codec_function}"


def event_writer_function(codec_function: str) -> str:
    """An event stream union's writer of one event message (the stub's answers), beside its
    body `codec_function`: `_serialize_converse_stream_output` ->
    `_event_serialize_converse_stream_output`."""
    return f"_event{codec_function}"


def event_error_writer_function(codec_function: str) -> str:
    """An event stream union's writer of the exception message of one of its modelled errors,
    beside its body `codec_function`: `_serialize_converse_stream_output` ->
    `_event_error_serialize_converse_stream_output`."""
    return f"_event_error{codec_function}"


def stream_codec_function(codec_function: str) -> str:
    """A protocol without HTTP bindings' writer or reader of an output whose event stream is
    the whole body, its other members in the first event, beside the output's body
    `codec_function`: `_serialize_subscribe_output` -> `_stream_serialize_subscribe_output`."""
    return f"_stream{codec_function}"


def event_reader_function(codec_function: str) -> str:
    """An event stream union's reader of one event message, beside its body `codec_function`:
    `_deserialize_converse_stream_output` -> `_event_deserialize_converse_stream_output` (a
    prefix no other codec function has)."""
    return f"_event{codec_function}"


def reader_function(shape_name: str) -> str:
    """The stub's reader of a JSON value into wire form (`stub/service.py`): `FaceDetail` ->
    `_read_face_detail`."""
    return f"_read_{snake_case(shape_name)}"


def body_reader_function(reader: str) -> str:
    """The restJson1 stub's reader of a body value beside the JSON-form `reader`, for values
    whose JSON keys are not all member names: `_read_face_detail` -> `_body_read_face_detail`."""
    return f"_body{reader}"


def event_message_reader_function(reader: str) -> str:
    """The stub's reader of one event of an event stream a request sends, from its message into
    wire form, beside the union's JSON-form `reader`: `_read_publish_events` ->
    `_event_read_publish_events`."""
    return f"_event{reader}"


def stream_reader_function(reader: str) -> str:
    """The AWS JSON stub's reader of an input whose body is an event stream (`initial-request`,
    then the events), beside its JSON-form `reader`: `_read_publish_input` ->
    `_stream_read_publish_input`."""
    return f"_stream{reader}"


def keys_constant(shape_name: str) -> str:
    """A structure's member table in validators.py: `FaceDetail` -> `_FACE_DETAIL_MEMBERS`."""
    return f"_{upper_snake_case(shape_name)}_MEMBERS"


def json_forms_constant(shape_name: str) -> str:
    """The table, in shapes.py and validators.py, of the members of a `oneOf`/`anyOf` branch
    whose JSON is another form than their value (`StructureShape.json_forms`): `Event` ->
    `_EVENT_JSON_FORMS`."""
    return f"_{upper_snake_case(shape_name)}_JSON_FORMS"


def values_constant(shape_name: str) -> str:
    """An enum's known wire values in validators.py: `Attribute` -> `_ATTRIBUTE_VALUES`."""
    return f"_{upper_snake_case(shape_name)}_VALUES"


def pattern_owner(shape_name: str, member_name: str | None = None) -> str:
    """What a `@pattern` constant is named after: its shape (`SessionId` -> `SESSION_ID`), or
    the structure, list or map and the member that carry it (`Face`, `Id` -> `FACE_ID`)."""
    if member_name is None:
        return upper_snake_case(shape_name)
    return f"{upper_snake_case(shape_name)}_{upper_snake_case(member_name)}"


def pattern_constants(owner: str, found_means_broken: bool) -> Iterator[str]:
    """The names a compiled `@pattern` of `owner` may take in validators.py, in the order to
    try them: `_SESSION_ID_MATCHES` (`_SESSION_ID_BREAKS` where a match means the value breaks
    it), then `_SESSION_ID_MATCHES_2`, `_SESSION_ID_MATCHES_3`, ... for other patterns whose
    owners spell the same (`Foo.BarBaz` and `FooBar.Baz`): the suffix rule of `first_free`."""
    base = f"_{owner}_{'BREAKS' if found_means_broken else 'MATCHES'}"
    yield base
    yield from (f"{base}_{number}" for number in itertools.count(2))


def operation_constant(method: str) -> str:
    """An operation's `_protocol.Operation` in `_operations.py`, from its method name
    (`operation_name`): `detect_faces` -> `_DETECT_FACES_OPERATION`, `close_` ->
    `_CLOSE__OPERATION`."""
    return f"_{method.upper()}_OPERATION"


def endpoint_params_constant(method: str) -> str:
    """The endpoint rule set parameters an operation binds, in `_operations.py`:
    `detect_faces` -> `_DETECT_FACES_ENDPOINT_PARAMS`."""
    return f"_{method.upper()}_ENDPOINT_PARAMS"


def call_function(method: str) -> str:
    """The function of `_operations.py` that makes one call of an operation, from its method
    name: `detect_faces` -> `call_detect_faces`."""
    return f"call_{method}"


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
    """`a string`, `an integer`, `a union`: the indefinite article a noun takes in messages
    (by its sound: the `uni` of union and unit sounds like `you`)."""
    sounds_like_a_vowel = noun[:1].lower() in "aeiou" and not noun.lower().startswith("uni")
    return f"an {noun}" if sounds_like_a_vowel else f"a {noun}"


def error_attribute_name(member_name: str) -> str:
    """Like `attribute_name`, also keeping clear of what an exception already has."""
    name = attribute_name(member_name)
    return f"{name}_" if name in ERROR_ATTRIBUTE_NAMES else name


def class_name(shape_name: str, service_classes: Iterable[str] = ()) -> str:
    """A structure's, union's, error's or enum's class: `audit_image` -> `AuditImage`,
    `Exception` -> `Exception_`. `service_classes` are the classes its service names after
    itself (`service_class_names`), which a shape steps aside for (Athena's `AthenaError`
    shape is `AthenaError_`)."""
    return _free(
        pascal_case(shape_name), BUILTIN_NAMES | RESERVED_MODULE_NAMES | set(service_classes)
    )


def operation_name(shape_name: str) -> str:
    """The method of an operation on the client, the handler protocol and the fake:
    `DetectFaces` -> `detect_faces`, `Close` -> `close_`."""
    return _free(snake_case(shape_name), RESERVED_OPERATION_NAMES)


def waiter_name(name: str) -> str:
    """The name `get_waiter` takes, as boto3 spells it: `ProjectVersionRunning` ->
    `project_version_running`."""
    return snake_case(name)


def waiter_method(name: str) -> str:
    """The client's typed method of a waiter: `wait_until_project_version_running`."""
    return f"wait_until_{snake_case(name)}"


def paginator_name(shape_name: str) -> str:
    """An operation's name as boto3's `get_paginator` takes it: `ListFaces` -> `list_faces`
    (the snake_case name before any renaming that keeps methods free)."""
    return snake_case(shape_name)


def paginate_method(method: str) -> str:
    """The client's typed paging method of an operation whose method is `method`:
    `list_faces` -> `paginate_list_faces`."""
    return f"paginate_{method.rstrip('_')}"


def validate_function_name(shape_name: str) -> str:
    """The public validator of an input, output or error structure in validators.py:
    `DetectFacesRequest` -> `validate_detect_faces_request`."""
    name = f"validate_{snake_case(shape_name)}"
    return f"{name}_" if name in RESERVED_FUNCTION_NAMES else name


def parameter_name(preferred: str, members: Iterable[str]) -> str:
    """A generated parameter that sits beside member-named ones (`self`, `request`): its own
    name, with as many trailing underscores as it takes to be free (`self` beside members
    `self` and `self_` -> `self__`)."""
    taken = set(members)
    name = preferred
    while name in taken:
        name = f"{name}_"
    return name


def enum_member_name(member_name: str) -> str:
    """Enum members keep the model's name (already UPPER_SNAKE_CASE in practice), made safe:
    `RED` -> `RED`, `count` -> `count_`, `3D` -> `V3D`."""
    name = _NOT_IDENTIFIER.sub("_", member_name).strip("_") or "VALUE"
    if name[0].isdigit():
        name = f"V{name}"
    return _free(name, RESERVED_ENUM_MEMBER_NAMES | AMBIGUOUS_NAMES)


def enum_member_name_from_value(value: str) -> str:
    """For Smithy 1.0 `@enum` entries without a name: derive one from the wire value."""
    return enum_member_name(upper_snake_case(value) if value else "EMPTY")


def package_name(sdk_id: str) -> str:
    """The generated package: `Rekognition` -> `rekognition`, `Json` -> `json_`."""
    return _free(snake_case(sdk_id), RESERVED_PACKAGE_NAMES)


def class_prefix(sdk_id: str) -> str:
    """What the service's own classes start with (`service_class_names`): `Weather Service`
    -> `WeatherService`. Never printed alone (it may be a keyword: `None`)."""
    return pascal_case(sdk_id)


class ServiceClasses(NamedTuple):
    """The classes a service names after itself (`service_class_names`)."""

    error: str
    """The base of every exception of the package, in errors.py."""
    client: str
    """The client, in client.py."""
    handler: str
    """The handler protocol the stub calls, in stub/service.py."""
    fake: str
    """The stub's in-memory fake, in stub/fake.py."""


def service_class_names(prefix: str) -> ServiceClasses:
    """The classes a service names after itself: `Rekognition` -> `RekognitionError`,
    `RekognitionClient`, `RekognitionHandler`, `InMemoryRekognition`."""
    return ServiceClasses(
        f"{prefix}Error", f"{prefix}Client", f"{prefix}Handler", f"InMemory{prefix}"
    )


# -- the symbol table: where names meet ---------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A name that generated code binds in one scope, and the model element it is made from."""

    scope: str
    """Where the name is bound: a generated module (`validators.py`), a class
    (`class RekognitionClient`), or the parameters of a function."""
    name: str
    kind: str
    """What the name is to its owner, for messages: `class`, `check function`, `method`."""
    owner: str = ""
    """The id of the model element the name is made from (`ns#Shape`, `ns#Shape$member`), or
    "" for a name generated code itself defines or imports there."""
    within: str = ""
    """The id of the shape whose class or method `scope` is: two shapes whose classes would
    share a name (refused in its own right) keep their members apart."""


Locate = Callable[[str], tuple[str, str]]
"""A claim's owner -> the file and the JSON pointer that define it, for diagnostics."""


class SymbolTable:
    """Every name generated code binds, by scope: two claims of one name in one scope collide,
    unless they are the same name of the same model element (a class defined in one module is
    imported by others under the same claim).

    The builder claims every name the IR gives templates to print where the templates print
    it (`ir.GenerationUnit.symbol_table`), with the names the templates fix there
    (`GENERATED_MODULE_NAMES`); a collision is then a diagnostic that names both JSON
    pointers (`problems`), never broken output."""

    def __init__(self) -> None:
        self._claims: dict[tuple[str, str, str], list[Claim]] = {}

    def claim(self, scope: str, name: str, kind: str, owner: str = "", *, within: str = "") -> None:
        """Record that `name` is bound in `scope` (of the shape `within`) as the `kind` of the
        model element `owner`."""
        claims = self._claims.setdefault((scope, within, name), [])
        found = Claim(scope, name, kind, owner, within)
        if not any(_same_symbol(found, earlier) for earlier in claims):
            claims.append(found)

    def fixed(self, scope: str, names: Iterable[str], *, within: str = "") -> None:
        """Record the names generated code itself defines or imports in `scope`."""
        for name in names:
            self.claim(scope, name, "name", "", within=within)

    def names(self, scope: str) -> frozenset[str]:
        """Every name claimed in `scope`."""
        return frozenset(name for (where, _, name) in self._claims if where == scope)

    def scopes(self) -> frozenset[str]:
        return frozenset(scope for scope, _, _ in self._claims)

    def clashes(self) -> list[tuple[Claim, Claim]]:
        """Every two claims that spell one name in one scope, in the order they were claimed;
        one pair of owners is reported once, in the first scope they meet."""
        found: list[tuple[Claim, Claim]] = []
        seen: set[tuple[str, str]] = set()
        for claims in self._claims.values():
            first = claims[0]
            for other in claims[1:]:
                pair = (min(first.owner, other.owner), max(first.owner, other.owner))
                if first.owner == other.owner or pair not in seen:
                    seen.add(pair)
                    found.append((first, other))
        return found

    def problems(self, locate: Locate) -> list[Diagnostic]:
        """The clashes as diagnostics at the owners' files and JSON pointers."""
        return [_diagnostic(first, other, locate) for first, other in self.clashes()]


def _same_symbol(one: Claim, other: Claim) -> bool:
    return one.owner == other.owner and (one.kind == other.kind or not one.owner)


def _diagnostic(first: Claim, other: Claim, locate: Locate) -> Diagnostic:
    where = f" in {first.scope}" if first.scope else ""
    if not first.owner or not other.owner:
        claim = other if not first.owner else first
        file, pointer = locate(claim.owner)
        return Diagnostic(
            file,
            pointer,
            f"gives the {claim.kind} {claim.name!r}, a name generated code already uses"
            f"{where}; rename it in the model",
        )
    if first.owner == other.owner:
        file, pointer = locate(first.owner)
        return Diagnostic(
            file,
            pointer,
            f"gives both the {first.kind} and the {other.kind} {first.name!r}{where}; rename it "
            "in the model",
        )
    located = sorted(
        [(locate(first.owner), first), (locate(other.owner), other)], key=lambda pair: pair[0]
    )
    ((file_a, pointer_a), claim_a), ((file_b, pointer_b), claim_b) = located
    earlier = pointer_a if file_a == file_b else f"{pointer_a} (in {file_a})"
    if claim_a.kind == claim_b.kind:
        what = f"the {claim_a.kind} {claim_a.name!r}{where}"
    else:
        what = (
            f"{claim_a.name!r}{where}, the {claim_a.kind} of the first and the {claim_b.kind} "
            "of the second"
        )
    return Diagnostic(
        file_b,
        pointer_b,
        f"{earlier} and {pointer_b} both become {what}; rename one of them in the model",
    )


# `find_collisions` callers name model names in the plural; the messages say what they become.
_KINDS = {"members": "attribute", "enum members": "enum member"}


def find_collisions(
    names: Iterable[tuple[str, str]], *, what: str, file: str, pointer: str
) -> list[Diagnostic]:
    """Report every Python name that two model names of one scope map to.

    `names` yields (model name, Python name) pairs of the object at `pointer` (the members of
    one shape), each model name at `<pointer>/<model name>`; `what` says what they are
    (`members`)."""
    table = SymbolTable()
    for model_name, python_name in names:
        table.claim("", python_name, _KINDS.get(what, what), model_name)
    return table.problems(lambda owner: (file, pointer + json_pointer(owner)))


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


def natural_order(text: str) -> tuple[tuple[int | str, ...], ...]:
    """Ruff's natural order of names (and of module names)."""
    return _natural(text)


def import_order(name: str) -> tuple[object, ...]:
    """How ruff's isort orders the names of one `from ... import`: by kind, then naturally and
    case-insensitively, ties broken case-sensitively."""
    return _kind(name), _natural(name.lower()), _natural(name)


def all_order(name: str) -> tuple[object, ...]:
    """How ruff (RUF022) orders `__all__`: by kind, then naturally and case-sensitively."""
    return _kind(name), _natural(name)
