"""Names, docstrings and literals: everything model text turns into inside generated code."""

from __future__ import annotations

import ast
import builtins
import enum
import keyword
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator import docs, naming, python_names
from generator.pyliterals import literal, string_literal


@pytest.mark.parametrize(
    ("model", "python"),
    [
        ("GetFaceLivenessSessionResults", "get_face_liveness_session_results"),
        ("SessionId", "session_id"),
        ("S3Object", "s3_object"),
        ("S3Bucket", "s3_bucket"),
        ("KmsKeyId", "kms_key_id"),
        ("SDKType", "sdk_type"),
        ("HTTPStatusCode", "http_status_code"),
        ("Logref", "logref"),
        ("ETag", "e_tag"),
        ("already_snake", "already_snake"),
    ],
)
def test_snake_case(model: str, python: str) -> None:
    assert naming.snake_case(model) == python


@pytest.mark.parametrize(
    ("model", "python"),
    [
        ("Class", "class_"),
        ("From", "from_"),
        ("Match", "match_"),
        ("Type", "type"),
        ("Id", "id"),
        ("Bytes", "bytes"),
        ("ToDict", "to_dict_"),
    ],
)
def test_attribute_names_are_safe(model: str, python: str) -> None:
    assert naming.attribute_name(model) == python


def test_error_members_keep_clear_of_exception_attributes() -> None:
    assert naming.error_attribute_name("Args") == "args_"
    assert naming.error_attribute_name("Message") == "message"


@pytest.mark.parametrize(
    ("model", "python"),
    [
        ("None", "None_"),
        ("Exception", "Exception_"),
        ("Any", "Any_"),
        ("AuditImage", "AuditImage"),
        ("3dBox", "N3dBox"),
    ],
)
def test_class_names_are_safe(model: str, python: str) -> None:
    assert naming.class_name(model) == python


def test_collisions_are_reported_not_renamed() -> None:
    """Both model names are named by their JSON pointers; the diagnostic is at the later one."""
    problems = naming.find_collisions(
        [("FooBar", "foo_bar"), ("Foo_Bar", "foo_bar"), ("Baz", "baz")],
        what="members",
        file="m.json",
        pointer="/shapes/a#S/members",
    )
    assert [str(p) for p in problems] == [
        "m.json: /shapes/a#S/members/Foo_Bar: /shapes/a#S/members/FooBar and "
        "/shapes/a#S/members/Foo_Bar both become the attribute 'foo_bar'; rename one of them "
        "in the model"
    ]


def test_html_documentation_becomes_plain_text() -> None:
    text = docs.to_plain_text(
        "<p>Returns the <code>SessionId</code> &amp; status.</p><ul><li>one</li><li>two</li></ul>"
    )
    assert text == "Returns the ``SessionId`` & status.\n\n- one\n\n- two"


@given(st.text())
@example('"""')  # found by Hypothesis: the escaped quotes must not be escaped again
@example('\\"')
def test_any_documentation_is_a_valid_docstring(text: str) -> None:
    body = docs.docstring_body(docs.to_plain_text(text))
    source = f'def f():\n    """{body}"""\n'
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    assert ast.get_docstring(function, clean=False) is not None


@pytest.mark.parametrize(
    "text",
    [
        'ends with a quote"',
        'has """ inside',
        "trailing backslash \\",
        "{{ jinja }} {% raw %}",
        "\u2028 line sep",
    ],
)
def test_hostile_documentation_survives_literally(text: str) -> None:
    body = docs.docstring_body(docs.to_plain_text(text))
    function = ast.parse(f'def f():\n    """{body}"""\n').body[0]
    assert isinstance(function, ast.FunctionDef)
    assert ast.get_docstring(function) == docs.to_plain_text(text)


@given(st.text())
def test_string_literals_round_trip_and_are_ascii(text: str) -> None:
    spelled = string_literal(text)
    assert spelled.isascii()
    assert ast.literal_eval(spelled) == text


def test_literals_of_json_values() -> None:
    value = {"a": [1, 2.5, None, True, 'x"y'], "b": {}}
    assert ast.literal_eval(literal(value)) == value
    assert ast.literal_eval(literal(b"\x00\xff")) == b"\x00\xff"


# -- collisions with what Python and generated code already use --------------------------------


def test_frozen_python_names_cover_the_running_interpreter() -> None:
    """The lists are frozen so output never depends on the Python that generates it; a newer
    Python that knows more names must fail here until they are added."""
    assert set(keyword.kwlist) <= python_names.KEYWORDS
    assert {n for n in dir(builtins) if not n.startswith("_")} <= python_names.BUILTINS
    assert {n for n in sys.stdlib_module_names if not n.startswith("_")} <= (
        python_names.STDLIB_MODULES
    )
    every_member_has = {
        name
        for kind in (str, int, enum.Enum, enum.StrEnum, enum.IntEnum)
        for name in dir(kind)
        if not name.startswith("_")
    }
    assert every_member_has | {"name", "value", "mro"} <= python_names.STR_AND_INT_ATTRIBUTES


@pytest.mark.parametrize(
    ("model", "python"),
    [
        ("GetFaceLivenessSessionResults", "get_face_liveness_session_results"),
        ("Close", "close_"),  # the client's own close()
        ("RegionName", "region_name_"),
        ("GetPaginator", "get_paginator_"),
        ("Put", "put_"),  # the fake's test hooks
        ("Update", "update_"),
        ("List", "list_"),  # builtins, which client class bodies read in annotations
        ("Type", "type_"),
        ("Overload", "overload_"),
        ("Import", "import_"),
        ("Self", "self"),
    ],
)
def test_operation_names_keep_clear_of_the_client_and_the_fake(model: str, python: str) -> None:
    assert naming.operation_name(model) == python


@pytest.mark.parametrize(
    ("model", "python"),
    [
        ("RED", "RED"),
        ("count", "count_"),
        ("upper", "upper_"),
        ("name", "name_"),
        ("value", "value_"),
        ("bit_length", "bit_length_"),
        ("is_integer", "is_integer_"),  # an int method since Python 3.12
        ("COUNT", "COUNT"),
        ("None", "None_"),
        ("_missing_", "missing"),
    ],
)
def test_enum_member_names_keep_clear_of_str_and_int(model: str, python: str) -> None:
    assert naming.enum_member_name(model) == python


@pytest.mark.parametrize(
    ("sdk_id", "package"),
    [
        ("Rekognition", "rekognition"),
        ("Weather Service", "weather_service"),
        ("Json", "json_"),
        ("Pipes", "pipes_"),  # removed from the standard library in 3.13, reserved all the same
        ("Re", "re_"),
        ("Typing", "typing_"),
        ("Os", "os_"),
        ("Yaml", "yaml_"),  # the stub imports PyYAML when it is there
        ("Str", "str_"),
        ("Class", "class_"),
        ("Type", "type_"),
    ],
)
def test_package_names_keep_clear_of_the_standard_library(sdk_id: str, package: str) -> None:
    assert naming.package_name(sdk_id) == package


@pytest.mark.parametrize(
    ("model", "python"),
    [
        ("Violation", "Violation_"),
        ("Protocol", "Protocol_"),
        ("TracebackType", "TracebackType_"),
        ("Answer", "Answer_"),
        ("SERVICE", "SERVICE_"),
        ("ServiceError", "ServiceError_"),
        ("Decimal", "Decimal"),
        ("Datetime", "Datetime"),
    ],
)
def test_class_names_keep_clear_of_generated_imports(model: str, python: str) -> None:
    assert naming.class_name(model) == python


def test_error_members_keep_clear_of_what_init_reads() -> None:
    assert naming.error_attribute_name("Super") == "super_"
    assert naming.error_attribute_name("Self") == "self_"
    assert naming.error_attribute_name("ErrorCode") == "error_code_"
    assert naming.attribute_name("Super") == "super"  # a dataclass field may be called that


def test_validators_keep_clear_of_validate_or_raise() -> None:
    assert naming.validate_function_name("OrRaise") == "validate_or_raise_"
    assert naming.validate_function_name("GetThingInput") == "validate_get_thing_input"


def test_parameters_beside_members_take_the_first_free_spelling() -> None:
    assert naming.parameter_name("self", ["name", "value"]) == "self"
    assert naming.parameter_name("self", ["self", "self_"]) == "self__"
    assert naming.parameter_name("request", ["request"]) == "request_"


def test_service_class_names() -> None:
    assert naming.service_class_names("Json") == (
        "JsonError",
        "JsonClient",
        "JsonHandler",
        "InMemoryJson",
    )


def _names_to_sort(seed: int, count: int) -> list[list[str]]:
    """Groups of names that differ in case, underscores and runs of digits (leading zeros too)."""
    rng = random.Random(seed)
    groups = []
    for _ in range(count):
        names: set[str] = set()
        while len(names) < 6:
            rest = "".join(rng.choice("aAbBzZ_0019") for _ in range(rng.randint(0, 5)))
            names.add(rng.choice("aAbBzZ") + rest)
        groups.append(sorted(names))
    return groups


def test_import_and_all_orders_are_what_ruff_wants(tmp_path: Path) -> None:
    """Names with digits (`Item9`, `Item10`) and underscores sort naturally, as ruff's isort
    and RUF022 do: generated imports and `__all__` must pass ruff whatever the shape names."""
    groups = _names_to_sort(seed=11, count=300)
    groups.append(["Item10", "Item9", "ITEM_9", "item_10", "V01", "V1", "V007", "A_", "AB", "A"])
    lines = ["from __future__ import annotations", ""]
    lines += [
        f"from m{i} import {', '.join(sorted(names, key=naming.import_order))}"
        for i, names in enumerate(groups)
    ]
    lines.append("")
    lines += [
        f"__all__ = {sorted(names, key=naming.all_order)!r}".replace("'", '"') for names in groups
    ]
    path = tmp_path / "ordered.py"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            "I,RUF022",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout
