"""Every identifier that reaches generated code is decided here, once.

Rules:
- attributes and functions are snake_case, classes PascalCase, constants UPPER_SNAKE_CASE;
- a name that is a Python keyword, or would shadow a name the generated module itself relies on,
  gets a trailing underscore (`class` -> `class_`); builtins are fine as attribute names (`type`,
  `id`, `bytes`) because generated code never reads a builtin through an attribute's scope;
- two model names that become the same Python name are refused, naming both, because silently
  renaming one of them would make the generated API depend on declaration order.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable

from generator.diagnostics import Diagnostic

_WORD_BOUNDARY_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_WORD_BOUNDARY_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NOT_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")

BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))

# Methods every generated structure class defines; members must not replace them.
STRUCTURE_METHOD_NAMES = frozenset({"to_dict", "from_dict"})

# Attributes every generated error class has through its base classes.
ERROR_ATTRIBUTE_NAMES = frozenset(
    {
        "self",
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
    }
)

# Names the generated modules define or import at module level; a shape class must not shadow them.
RESERVED_MODULE_NAMES = frozenset(
    {
        "Any",
        "Callable",
        "ClassVar",
        "Mapping",
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
    }
)

# Enum members with these names would shadow the attributes every enum member has.
RESERVED_ENUM_MEMBER_NAMES = frozenset({"name", "value", "mro"})


def is_keyword(name: str) -> bool:
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


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


def upper_snake_case(name: str) -> str:
    return snake_case(name).upper()


def pascal_case(name: str) -> str:
    """Shape names are PascalCase already in practice; make sure of it without mangling acronyms."""
    parts = [part for part in _NOT_IDENTIFIER.sub("_", name).split("_") if part]
    text = "".join(part[0].upper() + part[1:] for part in parts) or "Shape"
    if text[0].isdigit():
        text = f"N{text}"
    return text


def attribute_name(member_name: str) -> str:
    """The Python attribute, keyword argument and dict-free name for a structure member."""
    name = snake_case(member_name)
    if is_keyword(name) or name in STRUCTURE_METHOD_NAMES:
        name = f"{name}_"
    return name


def article(noun: str) -> str:
    """`a string`, `an integer`: the indefinite article a noun takes in messages."""
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def error_attribute_name(member_name: str) -> str:
    """Like `attribute_name`, also keeping clear of what an exception already has."""
    name = attribute_name(member_name)
    if name in ERROR_ATTRIBUTE_NAMES:
        name = f"{name}_"
    return name


def class_name(shape_name: str) -> str:
    name = pascal_case(shape_name)
    if is_keyword(name) or name in BUILTIN_NAMES or name in RESERVED_MODULE_NAMES:
        name = f"{name}_"
    return name


def enum_member_name(member_name: str) -> str:
    """Enum members keep the model's name (already UPPER_SNAKE_CASE in practice), made safe."""
    name = _NOT_IDENTIFIER.sub("_", member_name).strip("_") or "VALUE"
    if name[0].isdigit():
        name = f"V{name}"
    if is_keyword(name) or name in RESERVED_ENUM_MEMBER_NAMES:
        name = f"{name}_"
    return name


def enum_member_name_from_value(value: str) -> str:
    """For Smithy 1.0 `@enum` entries without a name: derive one from the wire value."""
    return enum_member_name(upper_snake_case(value) if value else "EMPTY")


def package_name(sdk_id: str) -> str:
    name = snake_case(sdk_id)
    if is_keyword(name) or name in BUILTIN_NAMES:
        name = f"{name}_"
    return name


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


def import_order(name: str) -> tuple[int, str, str]:
    """How isort (and ruff) order the names of one `from ... import`: constants, then classes,
    then everything else, each case-insensitively."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower(), name
