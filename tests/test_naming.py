"""Names, docstrings and literals: everything model text turns into inside generated code."""

from __future__ import annotations

import ast

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator import docs, naming
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
    problems = naming.find_collisions(
        [("FooBar", "foo_bar"), ("Foo_Bar", "foo_bar"), ("Baz", "baz")],
        what="members",
        file="m.json",
        pointer="/x",
    )
    assert [p.message for p in problems] == [
        "members 'FooBar' and 'Foo_Bar' both become the Python name 'foo_bar'; rename one of them in the model"
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
