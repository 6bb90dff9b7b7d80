"""Model text never becomes code (issue 11, items 1 and 7).

Every string a model provides is `ModelText`; the template environment refuses to print one that
no escaping filter escaped, however a template derives it. Each escaping filter gives back, when
Python reads the generated file, the text it was given (modulo the replacements `docs` documents).
End to end, hostile text in every string a model may carry generates a package that imports
without running any of it, and holds the text as data.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import tempfile
import tokenize
from pathlib import Path
from typing import Any

import black
import jinja2
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jinja2 import nodes

from generator import docs, ir, protocols, render, template_set
from generator.build import Selection, build_units
from generator.cli import main
from generator.diagnostics import TemplateBug
from generator.loader import load_model
from generator.modeltext import Escaped, ModelText, mark_document
from generator.pyliterals import string_literal
from generator.render import ESCAPING_FILTERS
from generator.semantics import check_model
from tests.conftest import run_isolated

JsonObject = dict[str, Any]
NS = "example.text"
OPERATION = f"{NS}#Put"

# A line of Python that ends the process with 42 if generated code ever runs it.
CANARY = "\nraise SystemExit(42)\n"
FRAGMENTS = [
    '"""',
    "'''",
    '"',
    "'",
    "\\",
    "\\n",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "\x00",
    "\x0c",
    "\x1b",
    "\x85",
    "\u2028",
    "\u2029",
    "\ud800",
    "\udfff",
    "\u202e",
    "\ufeff",
    "\uffff",
    "{{ 7 * 7 }}",
    "{% if true %}",
    "{#",
    "#}",
    "#",
    "<p>",
    "</code>",
    "&amp;",
    "&#xd800;",
    CANARY,
    "\x00" + CANARY,
    '"""' + CANARY + '"""',
    "é",
    "\U0001f600",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), min_size=1, max_size=8
).map("".join)


# -- (a) the guard ----------------------------------------------------------------------------


def render_text(source: str, **context: object) -> str:
    env = render.guarded_environment(jinja2.DictLoader({"t": source}))
    return env.get_template("t").render(**context)


@dataclasses.dataclass
class Named:
    name: str


HOSTILE = ModelText('Doc"""' + CANARY)

UNESCAPED = [
    "{{ t }}",
    "{{ t ~ '' }}",
    "{{ 'a' ~ t ~ 'b' }}",
    "{{ 'a' + t }}",
    "{{ t + 'a' }}",
    "{{ '%s' % t }}",
    "{{ '%s-%s' % ('a', t) }}",
    "{{ '%(x)s' % {'x': t} }}",
    "{{ t * 2 }}",
    "{{ t[1:] }}",
    "{{ t[0] }}",
    "{{ t[::-1] }}",
    "{{ t.upper() }}",
    "{{ t.strip() }}",
    "{{ t.replace('a', 'b') }}",
    "{{ t.split()[0] }}",
    "{{ t.splitlines() | join }}",
    "{{ t.partition('D')[2] }}",
    "{{ t.__str__() }}",
    "{{ t.__getitem__(0) }}",
    "{{ ', '.join([t]) }}",
    "{{ ''.join(t) }}",
    "{{ '{}'.format(t) }}",
    "{{ '{x}'.format_map({'x': t}) }}",
    "{{ t | upper }}",
    "{{ t | trim }}",
    "{{ t | string }}",
    "{{ t | replace('a', 'b') }}",
    "{{ t | indent(4) }}",
    "{{ t | center(80) }}",
    "{{ t | truncate(9) }}",
    "{{ t | wordwrap(5) }}",
    "{{ t | reverse }}",
    "{{ t | e }}",
    "{{ t | tojson }}",
    "{{ t | pprint }}",
    "{{ t | urlencode }}",
    "{{ t | list | join }}",
    "{{ t | list | first }}",
    "{{ '%s' | format(t) }}",
    "{{ [t] | join(', ') }}",
    "{{ [t] | first }}",
    "{{ [t] | sort | last }}",
    "{{ {'k': t}['k'] }}",
    "{{ {'k': t}.k }}",
    "{{ items | map(attribute='name') | join(', ') }}",
    "{{ items | map(attribute='name') | first }}",
    "{{ (items | first).name }}",
    "{% for c in t %}{{ c }}{% endfor %}",
    "{% set x = t %}{{ x }}",
    "{% set x %}{{ t }}{% endset %}{{ x }}",
    "{% filter upper %}{{ t }}{% endfilter %}",
    "{% macro m(x) %}{{ x }}{% endmacro %}{{ m(t) }}",
    "{% macro m(x) %}{{ x | upper }}{% endmacro %}{{ m(t) }}",
    "{{ t if true }}",
    "{{ t or 'x' }}",
    "{{ (t | pystr) ~ t }}",
    "{{ items[0] }}",
]


@pytest.mark.parametrize("source", UNESCAPED)
def test_a_template_that_prints_model_text_unescaped_fails(source: str) -> None:
    with pytest.raises(TemplateBug, match=r"model text without an escaping filter|printed a"):
        render_text(source, t=HOSTILE, items=[Named(HOSTILE)])


@pytest.mark.parametrize(
    "source",
    [
        "{{ t | docstring }}",
        "{{ t | docline }}",
        "{{ t | comment }}",
        "{{ t | pystr }}",
        "{{ (t ~ '!') | pystr }}",
        "{{ ('a ' ~ t.upper()) | docline }}",
        "{{ items | map(attribute='name') | join(', ') | pystr }}",
        "{% macro m(x) %}{{ x | pystr }}{% endmacro %}{{ m(t) }}",
        "{{ t | length }}",
        "{{ 'plain' ~ 'text' }}",
        "{{ n.upper() }}",
    ],
)
def test_escaped_or_derived_from_no_model_text_prints(source: str) -> None:
    render_text(source, t=HOSTILE, items=[Named(HOSTILE)], n="code")


def test_the_identifier_filter_takes_only_identifiers() -> None:
    assert render_text("{{ t | identifier }}", t=ModelText("Widget")) == "Widget"
    for bad in ["a b", "class", "x\u0301", "é", "1a", HOSTILE]:
        with pytest.raises(TemplateBug, match="not an identifier"):
            render_text("{{ t | identifier }}", t=ModelText(bad))


@pytest.mark.parametrize(
    "derive",
    [
        lambda t: t + "x",
        lambda t: "x" + t,
        lambda t: t[1:],
        lambda t: t * 2,
        lambda t: 2 * t,
        lambda t: "%s" % t,  # noqa: UP031  # the operator is what is tested
        lambda t: t % (),
        lambda t: t.upper(),
        lambda t: t.strip(),
        lambda t: t.replace("D", "d"),
        lambda t: t.split()[0],
        lambda t: t.partition("o")[0],
        lambda t: t.splitlines()[0],
        lambda t: next(iter(t)),
        lambda t: t.join(["a", "b"]),
        lambda t: t.format(),
        lambda t: format(t, ">50"),
        lambda t: repr(t),
    ],
)
def test_operations_on_model_text_keep_the_mark(derive: Any) -> None:
    assert isinstance(derive(HOSTILE), ModelText)


def test_the_loader_marks_every_string_of_a_model(tmp_path: Path) -> None:
    document = mark_document({"a": ["b", {"c": "d", "e": 1}], "f": None})
    assert isinstance(document, dict)
    seen = [next(iter(document))]
    stack: list[object] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            seen += list(node)
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
        elif isinstance(node, str):
            seen.append(node)
    assert sorted(seen) == ["a", "a", "b", "c", "d", "e", "f"]
    assert all(isinstance(text, ModelText) for text in seen)
    unit = build(tmp_path, hostile_model({}))
    assert isinstance(unit.service.sdk_id, ModelText)
    assert isinstance(unit.service.title, ModelText)
    assert isinstance(unit.operations[0].documentation, ModelText)
    assert isinstance(unit.operations[0].input.members[0].name, ModelText)


def test_names_are_proven_identifiers_before_rendering(tmp_path: Path) -> None:
    unit = build(tmp_path, hostile_model({}))
    for bad in ["not-a-name", "9Lives", ModelText("Put")]:
        service = dataclasses.replace(unit.service, class_prefix=bad)
        with pytest.raises(TemplateBug, match=r"is not an identifier made by|is model text"):
            render.render_unit(dataclasses.replace(unit, service=service))


# -- (b) every template prints only through filters -------------------------------------------

# IR attributes that hold code made by the generator (names from `naming`, literals from
# `pyliterals`, numbers and fixed words), which templates print as they are. Every other
# attribute a template prints must pass an escaping filter.
CODE_ATTRIBUTES = frozenset(
    {
        "annotation",
        "call_function",
        "check_function",
        "class_prefix",
        "client_class",
        "constant",
        "default_literal",
        "deserializer",
        "display_name",
        "endpoint_params_constant",
        "endpoint_rule_set_literal",
        "error_class",
        "exactly_one",
        "explode",
        "fake_class",
        "fault",
        "first_match_function",
        "unmatched_attribute",
        "unknown_attribute",
        "json_forms_constant",
        "leftover_attribute",
        "leftover_annotation",
        "from_dict_function",
        "handler_class",
        "http_status",
        "index0",
        "initial_literal",
        "item_annotation",
        "keys_constant",
        "literal",
        "max",
        "max_literal",
        "method",
        "min",
        "min_literal",
        "must_be_present",
        "operation_constant",
        "package_name",
        "py_name",
        "reader",
        "request_parameter",
        "retryable",
        "self_parameter",
        "serializer",
        "throttling",
        "to_dict_function",
        "validate_function",
        "value_annotation",
        "values_constant",
        "word",  # a template's own `namespace(word="if")`
        "zero_literal",
        # The kinds' fixed spellings (`generator/kinds/`).
        "base_class",
        "python_classes",
        "header_list_quoted",
        "http_serializer",
        "http_deserializer",
        "http_reader",
        "body_reader",
        "code",  # `@http`'s success code, an int
        "event_reader",
        "event_writer",
        # The event streams' generated functions (`naming.*_function` of a shape's names).
        "event_error_writer",
        "event_message_reader",
        "stream_reader",
        "stream_serializer",
        "stream_deserializer",
        # Auth: tuples of shapesmith's own scheme words (`ir.AUTH_KINDS`), and a bool.
        "auth_literal",
        "schemes_literal",
        "in_query",
        # Waiters: whole seconds, a literal from `pyliterals`, a name from `naming`.
        "min_delay",
        "max_delay",
        "expected_literal",
        "max_wait_parameter",
    }
)
# The kinds' methods that print code (`generator/kinds/`): they build it from fixed code and the
# generated names of their shape, never from model text (and the runtime guard would refuse it).
KIND_CODE_METHODS = frozenset(
    {"accepts", "accepts_fast", "rejects_fast", "to_dict", "from_dict", "each_item"}
    | {"json_write", "json_read", "json_zero", "json_read_strict"}
    | {"text_write", "text_read", "header_write", "header_read", "event_header_read"}
    | {"text_read_strict", "header_read_strict", "event_header_write"}
    | {"alternative_write", "alternative_read", "alternative_candidate"}
)
# Jinja filters that keep code code (they change layout or case).
LAYOUT_FILTERS = frozenset({"indent", "trim", "upper", "import_names"})


def _template_sources() -> dict[str, str]:
    root = template_set.shipped_dir()
    return {
        path.relative_to(root).as_posix(): path.read_text("utf-8")
        for path in sorted(root.rglob("*.jinja"))
    }


def _macro_names(sources: dict[str, str]) -> set[str]:
    env = render.environment()
    return {
        macro.name
        for source in sources.values()
        for macro in env.parse(source).find_all(nodes.Macro)
    }


def _unescaped(node: nodes.Node, macros: set[str]) -> list[str]:
    """What in a printed expression could be model text that no escaping filter escaped."""
    if isinstance(node, nodes.Const | nodes.Compare | nodes.Test | nodes.Not | nodes.Name):
        # Names are macro parameters and loop variables: printed through the runtime guard.
        return []
    if isinstance(node, nodes.Filter):
        if node.name in ESCAPING_FILTERS or node.name == "length":
            return []
        if node.name in LAYOUT_FILTERS and node.node is not None:
            return _unescaped(node.node, macros)
        return [f"filter {node.name}"]
    if isinstance(node, nodes.Call):
        callee = node.node
        name = callee.attr if isinstance(callee, nodes.Getattr) else getattr(callee, "name", "")
        if name in KIND_CODE_METHODS and isinstance(callee, nodes.Getattr):
            owner = callee.node
            if isinstance(owner, nodes.Getattr) and owner.attr == "kind":
                return []
        return [] if name in macros else [f"call of {name}"]
    if isinstance(node, nodes.CondExpr):
        return _unescaped(node.expr1, macros) + (
            _unescaped(node.expr2, macros) if node.expr2 is not None else []
        )
    if isinstance(node, nodes.Concat):
        return [found for part in node.nodes for found in _unescaped(part, macros)]
    if isinstance(node, nodes.BinExpr):
        return _unescaped(node.left, macros) + _unescaped(node.right, macros)
    if isinstance(node, nodes.UnaryExpr):
        return _unescaped(node.node, macros)
    if isinstance(node, nodes.Getattr):
        return [] if node.attr in CODE_ATTRIBUTES else [f"attribute {node.attr}"]
    if isinstance(node, nodes.Getitem):
        # Template-defined tables of fixed words, and tuples of numbers.
        table = node.node
        if isinstance(table, nodes.Name | nodes.Dict) or (
            isinstance(table, nodes.Getattr) and table.attr == "integer_bounds"
        ):
            return []
        return ["item of a value from the IR"]
    return [type(node).__name__]


def test_every_template_prints_model_text_only_through_an_escaping_filter() -> None:
    sources = _template_sources()
    macros = _macro_names(sources)
    env = render.environment()
    problems = []
    for name, source in sources.items():
        for output in env.parse(source).find_all(nodes.Output):
            for child in output.nodes:
                if isinstance(child, nodes.TemplateData):
                    continue
                problems += [
                    f"{name}:{child.lineno}: {found}" for found in _unescaped(child, macros)
                ]
    assert problems == []
    assert len(sources) >= 10


def test_the_scan_finds_an_unescaped_attribute() -> None:
    template = render.environment().parse("{{ shape.name }}{{ m.docstring(x) }}{{ y | upper }}")
    (output,) = template.find_all(nodes.Output)
    found = [f for child in output.nodes for f in _unescaped(child, {"docstring"})]
    assert found == ["attribute name"]


# -- (c) each escaping filter gives the text back as data --------------------------------------

ANY_TEXT = st.one_of(hostile_text, st.text(max_size=40))
FILTER_EXAMPLES = settings(max_examples=300, deadline=None)


def _formats(source: str) -> str:
    formatted = black.format_str(source, mode=black.Mode(line_length=100))
    formatted.encode("utf-8")
    return formatted


@FILTER_EXAMPLES
@given(ANY_TEXT)
def test_pystr_round_trips_exactly(text: str) -> None:
    escaped = render_text("{{ t | pystr }}", t=ModelText(text))
    assert escaped.isascii()
    assert ast.literal_eval(escaped) == text
    assert ast.literal_eval(_formats(f"x = {escaped}\n").removeprefix("x = ")) == text


@FILTER_EXAMPLES
@given(ANY_TEXT)
def test_docstring_gives_back_the_documentations_plain_text(text: str) -> None:
    body = render_text("{{ t | docstring }}", t=ModelText(text))
    source = _formats(f'def f() -> None:\n    """{body}"""\n')
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef) and len(function.body) == 1
    found = ast.get_docstring(function, clean=False) or ""
    assert found.split() == docs.to_plain_text(text).split()


@FILTER_EXAMPLES
@given(ANY_TEXT, st.sampled_from(["start", "middle", "end"]))
def test_docline_gives_back_one_line_of_the_text(text: str, where: str) -> None:
    line = render_text("{{ t | docline }}", t=ModelText(text))
    before, after = {"start": ("", " of X."), "middle": ("The ", " client."), "end": ("A ", "")}[
        where
    ]
    source = _formats(f'"""{before}{line}{after}\n\nMore."""\nfrom __future__ import annotations\n')
    module = ast.parse(source)
    assert len(module.body) == 2
    found = ast.get_docstring(module, clean=False) or ""
    # black strips the space a docstring starts with; nothing else of the line may change.
    assert found.split() == f"{before}{docs.line(text)}{after}\n\nMore.".split()
    assert "\n" not in docs.line(text)


@FILTER_EXAMPLES
@given(ANY_TEXT)
def test_comment_stays_one_comment(text: str) -> None:
    comment = render_text("{{ t | comment }}", t=ModelText(text))
    source = _formats(f"x = 1  # {comment}\ny = 2\n")
    assert len(ast.parse(source).body) == 2
    comments = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    assert [c.removeprefix("#").strip() for c in comments] == [docs.line(text)]


@FILTER_EXAMPLES
@given(ANY_TEXT)
def test_identifier_passes_only_names_python_reads_as_themselves(text: str) -> None:
    try:
        name = render_text("{{ t | identifier }}", t=ModelText(text))
    except TemplateBug:
        return
    (statement,) = ast.parse(f"{name} = 1").body
    assert isinstance(statement, ast.Assign)
    target = statement.targets[0]
    assert isinstance(target, ast.Name) and target.id == text


@FILTER_EXAMPLES
@given(ANY_TEXT)
def test_printable_text_encodes_and_keeps_what_was_printable(text: str) -> None:
    shown = docs.printable(text)
    shown.encode("utf-8")
    assert len(shown) == len(text)
    for before, after in zip(text, shown, strict=True):
        if before == "\n" or (before.isprintable() and before not in "\u061c\ufeff"):
            assert after == before or "\u200e" <= before <= "\u2069"
        else:
            assert after in (" ", "\ufffd") or after == before


def test_escaping_filters_return_escaped_text() -> None:
    for name, function in ESCAPING_FILTERS.items():
        assert isinstance(function(ModelText("abc")), Escaped), name


def test_json_schemas_escape_lone_surrogates(tmp_path: Path) -> None:
    from generator.jsonschema_export import schema_files

    unit = build(tmp_path, hostile_model({"enum": "a\ud800b", "doc": "x\udfffy"}))
    for text in schema_files((unit,)).values():
        text.encode("utf-8")
        values = json.dumps(json.loads(text), ensure_ascii=False)
        if "a\ud800b" in values:
            break
    else:
        pytest.fail("the enum value with a lone surrogate is not in any schema")


# -- (d) end to end: hostile text in every string a model may carry ---------------------------

# Every string-valued field and trait the generator reads, by a short key.
TEXT_FIELDS = (
    "service_doc",
    "title",
    "version",
    "sigv4",
    "endpoint_prefix",
    "rule_error",
    "operation_doc",
    "input_doc",
    "member_doc",
    "default",
    "json_name",
    "media_type",
    "deprecated_message",
    "deprecated_since",
    "pattern",
    "output_doc",
    "error_doc",
    "error_member_doc",
    "enum_doc",
    "enum_member_doc",
    "enum",
    "legacy_enum_doc",
    "legacy_enum",
    "list_doc",
    "map_doc",
    "string_doc",
)


def _ecma_literal(text: str) -> str:
    """A pattern that matches `text` (and the empty string), holding its characters as they are
    where ECMA 262 lets a pattern hold them."""
    syntax = set("^$\\.*+?()[]{}|/-")
    return "^(?:" + "".join("\\" + c if c in syntax else c for c in text) + ")?$"


def hostile_model(texts: dict[str, str]) -> JsonObject:
    """A service whose every free-text field is `texts[field]` (a fixed word where missing)."""

    def text(field: str) -> str:
        return texts.get(field, f"Word{field}")

    def doc(field: str) -> JsonObject:
        return {"smithy.api#documentation": text(field)}

    return {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#Service": {
                "type": "service",
                "version": text("version"),
                "operations": [{"target": OPERATION}],
                "traits": {
                    **doc("service_doc"),
                    "smithy.api#title": text("title"),
                    "aws.api#service": {
                        "sdkId": "Text Service",
                        "endpointPrefix": text("endpoint_prefix"),
                    },
                    "aws.protocols#awsJson1_1": {},
                    "aws.auth#sigv4": {"name": text("sigv4")},
                    "smithy.rules#endpointRuleSet": {
                        "version": "1.0",
                        "parameters": {},
                        "rules": [{"type": "error", "conditions": [], "error": text("rule_error")}],
                    },
                },
            },
            OPERATION: {
                "type": "operation",
                "input": {"target": f"{NS}#PutInput"},
                "output": {"target": f"{NS}#PutOutput"},
                "errors": [{"target": f"{NS}#Failure"}],
                "traits": doc("operation_doc"),
            },
            f"{NS}#PutInput": {
                "type": "structure",
                "members": {
                    "Note": {
                        "target": f"{NS}#Note",
                        "traits": {
                            **doc("member_doc"),
                            "smithy.api#default": text("default"),
                            "smithy.api#jsonName": text("json_name"),
                            "smithy.api#deprecated": {
                                "message": text("deprecated_message"),
                                "since": text("deprecated_since"),
                            },
                        },
                    },
                    "Shaped": {
                        "target": "smithy.api#String",
                        "traits": {"smithy.api#pattern": _ecma_literal(text("pattern"))},
                    },
                    "Kind": {"target": f"{NS}#Kind"},
                    "Legacy": {"target": f"{NS}#Legacy"},
                    "Items": {"target": f"{NS}#Items"},
                    "Table": {"target": f"{NS}#Table"},
                },
                "traits": {**doc("input_doc"), "smithy.api#input": {}},
            },
            f"{NS}#Note": {
                "type": "string",
                "traits": {**doc("string_doc"), "smithy.api#mediaType": text("media_type")},
            },
            f"{NS}#PutOutput": {
                "type": "structure",
                "members": {},
                "traits": {**doc("output_doc"), "smithy.api#output": {}},
            },
            f"{NS}#Failure": {
                "type": "structure",
                "members": {
                    "Message": {"target": "smithy.api#String", "traits": doc("error_member_doc")}
                },
                "traits": {**doc("error_doc"), "smithy.api#error": "client"},
            },
            f"{NS}#Kind": {
                "type": "enum",
                "members": {
                    "ONE": {
                        "target": "smithy.api#Unit",
                        "traits": {**doc("enum_member_doc"), "smithy.api#enumValue": text("enum")},
                    },
                },
                "traits": doc("enum_doc"),
            },
            f"{NS}#Legacy": {
                "type": "string",
                "traits": {
                    "smithy.api#enum": [
                        {
                            "value": text("legacy_enum"),
                            "name": "OLD",
                            "documentation": text("legacy_enum_doc"),
                        }
                    ]
                },
            },
            f"{NS}#Items": {
                "type": "list",
                "member": {"target": "smithy.api#String"},
                "traits": doc("list_doc"),
            },
            f"{NS}#Table": {
                "type": "map",
                "key": {"target": "smithy.api#String"},
                "value": {"target": "smithy.api#String"},
                "traits": doc("map_doc"),
            },
        },
    }


def build(folder: Path, document: JsonObject) -> ir.GenerationUnit:
    path = folder / "model.json"
    path.write_text(json.dumps(document), "utf-8")
    checked = load_model([path], folder)
    check_model(checked)
    (unit,) = build_units(checked, Selection((OPERATION,), "shapesmith.toml", "/operations"))
    return unit


STATIC = frozenset(render.STATIC_FILES) | protocols.every_static_file()


def _format_templates_only(sources: dict[str, str], cache: object = None) -> dict[str, str]:
    """black for rendered templates; static files, whose only model-derived text is the header
    (file names), are compiled only: formatting them took most of each example's time."""
    static = {path: text for path, text in sources.items() if path.partition("/")[2] in STATIC}
    for path, source in static.items():
        compile(source, path, "exec", dont_inherit=True)
    rendered = {path: text for path, text in sources.items() if path not in static}
    return {**static, **FORMAT_MODULES(rendered)}


FORMAT_MODULES = render.format_modules


def generate(folder: Path, unit: ir.GenerationUnit, *, format_static: bool = True) -> Path:
    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        if not format_static:
            patch.setattr(render, "format_modules", _format_templates_only)
        files = render.render_all((unit,))
    for relative, text in files.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(text.encode("utf-8"))
    return out


# Imports every module of the package, then prints what it holds of the model's text.
READ_BACK = """
import json, dataclasses, importlib, inspect
package = sys.argv[1]
modules = {name: importlib.import_module(f"{package}.{name}") for name in
           ["enums", "errors", "shapes", "validators", "client", "_operations", "_awsjson",
            "stub", "stub.service", "stub.fake"]}
import importlib as _i
root = _i.import_module(package)
docs = [root.__doc__ or ""]
for module in modules.values():
    docs.append(module.__doc__ or "")
    # dir() and getattr: a module cut into parts gives every name, importing its parts
    for value in [getattr(module, name) for name in dir(module)]:
        if inspect.isclass(value) or inspect.isfunction(value):
            docs.append(value.__doc__ or "")
            for member in vars(value).values():
                docs.append(getattr(member, "__doc__", None) or "")
enums, shapes = modules["enums"], modules["shapes"]
put_input = shapes.PutInput
data = {
    "docs": docs,
    "enum": enums.Kind.ONE.value,
    "legacy_enum": enums.Legacy.OLD.value,
    "default": put_input().note,
    "pattern_violations": [
        v.path
        for v in modules["validators"].validate_put_input({"Shaped": json.loads(sys.argv[2])})
    ],
}
print(json.dumps(data))
"""


# The fields whose documentation generated code keeps (as docstrings).
DOCUMENTED = (
    "service_doc",
    "operation_doc",
    "input_doc",
    "member_doc",
    "output_doc",
    "error_doc",
    "enum_doc",
    "enum_member_doc",
    "legacy_enum_doc",
    "list_doc",
    "map_doc",
)


@settings(
    max_examples=20,
    deadline=None,
    # Each example generates and imports a package: shrinking would take minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.fixed_dictionaries({field: hostile_text for field in TEXT_FIELDS}))
def test_hostile_text_in_every_field_stays_data(tmp_path: Path, texts: dict[str, str]) -> None:
    # Each field's text is told apart from the others' by a tag of its own.
    texts = {field: f"T{index}x {text}" for index, (field, text) in enumerate(texts.items())}
    # A model is JSON: two lone surrogates side by side are read back as the one character they
    # encode, so the text to find back is the text as the model file holds it.
    texts = json.loads(json.dumps(texts))
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    unit = build(folder, hostile_model(texts))
    out = generate(folder, unit, format_static=False)
    package = unit.service.package_name
    result = run_isolated(out, "import sys\n" + READ_BACK, package, json.dumps(texts["pattern"]))
    assert result.returncode != 42, "model text ran as code"
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["enum"] == texts["enum"]
    assert found["legacy_enum"] == texts["legacy_enum"]
    assert found["default"] == texts["default"]
    assert found["pattern_violations"] == []
    # Read as Python reads them, the generated files hold each text as a string: exactly where
    # it is a value, as the escaping filter documents it where it is a docstring.
    strings = [
        node.value
        for path in sorted(out.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_bytes()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    for field in ("sigv4", "rule_error", "default", "enum", "legacy_enum"):
        assert texts[field] in strings, field
    words = "\n".join(" ".join(text.split()) for text in strings)
    for field in DOCUMENTED:
        expected = docs.to_plain_text(texts[field])
        assert " ".join(expected.split()) in words, field
    assert docs.line(texts["title"]) in words
    assert docs.line(docs.ascii_pattern(_ecma_literal(texts["pattern"]))) in words


# -- (e) the cases that were found ------------------------------------------------------------


def _project(root: Path, document: JsonObject) -> Path:
    (root / "model.json").write_text(json.dumps(document), "utf-8")
    config = root / "shapesmith.toml"
    config.write_text(
        f'models = ["model.json"]\noutput = "generated"\noperations = ["{OPERATION}"]\n', "utf-8"
    )
    return config


def test_an_sdk_id_with_a_docstring_end_and_python_is_refused_and_would_stay_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sdk_id = 'Text"""' + CANARY + '"""'
    document = hostile_model({})
    document["shapes"][f"{NS}#Service"]["traits"]["aws.api#service"]["sdkId"] = sdk_id
    assert main(["generate", "--config", str(_project(tmp_path, document))]) == 2
    assert f"/shapes/{NS}#Service/traits/aws.api#service/sdkId" in capsys.readouterr().err
    # Past the schema (a later change could loosen it), the text is still data.
    unit = build(tmp_path, hostile_model({}))
    service = dataclasses.replace(unit.service, sdk_id=ModelText(sdk_id), title=None)
    out = generate(tmp_path, dataclasses.replace(unit, service=service))
    script = (
        "import sys, text_service.errors as e\nprint(e.__doc__)\nprint(e.TextServiceError.__doc__)"
    )
    result = run_isolated(out, script)
    assert result.returncode == 0, result.stderr
    assert docs.line(sdk_id) in result.stdout


def test_a_title_that_broke_the_future_import_is_a_docstring_line(tmp_path: Path) -> None:
    title = 'Widgets"""\nimport os\n"""'
    config = _project(tmp_path, hostile_model({"title": title}))
    assert main(["generate", "--config", str(config)]) == 0
    result = run_isolated(tmp_path / "generated", "import text_service as t\nprint(t.__doc__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(docs.line(title) + ", generated from its Smithy model")


def test_unencodable_documentation_generates(tmp_path: Path) -> None:
    texts = {"service_doc": "a\ud800b\x00c\u202ed", "title": "\udfff\ufeff"}
    config = _project(tmp_path, hostile_model(texts))
    assert main(["generate", "--config", str(config)]) == 0
    for path in (tmp_path / "generated").rglob("*.py"):
        path.read_bytes().decode("utf-8")
    assert string_literal("\ud800") == '"\\ud800"'
