"""Model names that Python, the standard library or generated code already use, end to end.

tests/fixtures/models/colliding_names.json names its service, operations, shapes, members and
enum members like keywords, builtins, standard-library modules, `str`/`int` methods, the client's
and the fake's own methods, generated parameters and locals, and what the generated modules import.
Its package must generate, import, type-check and lint, and each collision must be resolved by
the documented rule (README.md, "Names"): the model's name gets a trailing underscore, the
generated name keeps its meaning, and the wire keeps the model's spelling.

The reserved-name lists in `generator.naming` are checked against what generated code really
defines, and a Hypothesis test puts dangerous names in every position a model has.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator import ir, naming
from generator.config import load_config
from generator.loader import ast_schema
from generator.pipeline import build
from tests.conftest import FIXTURES, GENERATED, REPO, generate_model, run_isolated

MODEL = FIXTURES / "models" / "colliding_names.json"
SUBPROCESS_TIMEOUT = 600


def _generate(root: Path, model: dict[str, Any] | Path) -> tuple[int, str]:
    """Generate `model` (a document, or a file of one) into `root / "out"` in this process:
    (exit code, stderr)."""
    if isinstance(model, Path):
        model = json.loads(model.read_text("utf-8"))
    return generate_model(root, model)


def _unit(root: Path) -> ir.GenerationUnit:
    (unit,) = build(load_config(root / "shapesmith.toml"))
    return unit


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("names")
    code, err = _generate(root, MODEL)
    assert code == 0, err
    return root


@pytest.fixture(scope="module")
def output(root: Path) -> Path:
    return root / "out"


def test_names_follow_the_documented_rules(root: Path) -> None:
    unit = _unit(root)
    assert unit.service.package_name == "json_"  # sdkId "Json": not the standard library's json
    assert {op.name: op.py_name for op in unit.operations} == {
        "Close": "close_",
        "GetPaginator": "get_paginator_",
        "List": "list_",
        "Overload": "overload_",
        "Put": "put_",
        "Update": "update_",
    }
    classes = {shape.name: shape.py_name for shape in unit.structures + unit.errors + unit.enums}
    for name in ("Violation", "Protocol", "TracebackType", "SERVICE", "Fixtures", "Mapping", "Any"):
        assert classes[name] == f"{name}_"
    for name in ("ValidationError", "ServiceError", "Answer"):
        assert classes[name] == f"{name}_"
    # the service's own classes (sdkId "Json"), as Athena's model has an AthenaError shape
    for name in ("JsonError", "JsonClient", "JsonHandler", "InMemoryJson"):
        assert classes[name] == f"{name}_"
    assert classes["Decimal"] == "Decimal" and classes["Documents"] == "Documents"
    (or_raise,) = [shape for shape in unit.structures if shape.name == "OrRaise"]
    assert or_raise.validate_function == "validate_or_raise_"
    (oops,) = [shape for shape in unit.errors if shape.name == "Oops"]
    assert [m.py_name for m in oops.members] == ["message"] + [
        f"{m.name}_" for m in oops.members[1:]
    ]
    (overload,) = [op for op in unit.operations if op.name == "Overload"]
    assert (overload.self_parameter, overload.request_parameter) == ("self_", "request_")


_RUNTIME_CHECK = r"""
import inspect
import json

import json_ as pkg
from json_ import (
    Answer_, CloseInput, CloseOutput, Color, Documents, JsonClient, Level, Oops, OrRaise,
    OverloadInput, OverloadOutput, Protocol_, PutOutput, ServiceError, ServiceError_,
    ValidationError, ValidationError_, Violation, Violation_,
)
from json_.stub import SERVICE, InMemoryJson, Stubber, serve

# The package is not the standard library's json, which still works beside it.
assert json.dumps({"a": 1}) == '{"a": 1}' and pkg.__name__ == "json_"

# Shapes named like what generated modules import keep a trailing underscore; the names keep
# their meaning.
assert issubclass(ValidationError, ValueError) and not issubclass(ValidationError, ServiceError)
assert issubclass(ValidationError_, ServiceError) and issubclass(ServiceError_, ServiceError)
assert issubclass(pkg.JsonError_, pkg.JsonError) and pkg.JsonError_ is not pkg.JsonError
assert JsonClient.__module__ == "json_.client" and pkg.JsonClient_ is pkg.shapes.JsonClient_
assert pkg.JsonClient_.__module__.startswith("json_._shapes_parts.")  # where the class is defined
assert pkg.stub.InMemoryJson is InMemoryJson and pkg.InMemoryJson_("A") == "A"
assert Violation is pkg._runtime.Violation and Violation_ is not Violation
assert type(SERVICE).__name__ == "ServiceSpec" and pkg.shapes.SERVICE_.__name__ == "SERVICE_"
assert pkg.validate_or_raise_(OrRaise(request="r")) == []
try:
    pkg.validate_or_raise({}, shape="OrRaise")
except ValidationError as error:
    assert [v.constraint for v in error.violations] == ["required"]
else:
    raise AssertionError("validate_or_raise accepted a missing member")

# Enum members named like str and int methods: the member under a trailing underscore, the
# method where it was.
assert Color("count") is Color.count_ and Color.count_ == "count"
assert Color.RED.count("R") == 1 and Color.upper_.upper() == "UPPER"
assert Color.name_.name == "name_" and Color.value_.value == "value"
assert Color.format_.format() == "format" and "-".join(["a", "b"]) == "a-b"
assert Level(1) is Level.bit_length_ and Level.bit_length_.bit_length() == 1
assert Level.real_.real == 2 and Level.to_bytes_.to_bytes(1, "big") == b"\x07"

# Members named like generated parameters and locals round-trip under their own names.
close = CloseInput(
    self="me", request="req", members="m", strict="s", value="v", cls="c", data="d", result="r",
    out="o", path="p", unset="u", key="k", item="i", index="x", caller="cl", validate="va",
    body="b", operation="op", super="su", str="text", int=5, list=["a"],
    to_dict_=Violation_(name="n"), class_="k", color=Color.count_, level=Level.imag_,
)
wire = close.to_dict()
assert wire["self"] == "me" and wire["request"] == "req" and wire["super"] == "su"
assert wire["to_dict"] == {"name": "n"} and wire["class"] == "k" and wire["Color"] == "count"
assert CloseInput.from_dict(wire) == close
assert pkg.validate_close_input(close) == [] and pkg.validate_close_input(wire) == []
output = CloseOutput(self="s", from_dict_="f", documents=Documents(body={"x": [1]}))
assert CloseOutput.from_dict(output.to_dict()) == output

# Error members named like what an exception has, or what its __init__ reads.
oops = Oops(message="boom", super_="s", self_="me", args_="a", error_code_="e", fault_="f")
assert str(oops) == "boom" and oops.args == ("boom",) and oops.fault == "client"
assert oops.to_dict() == {
    "message": "boom", "super": "s", "self": "me", "args": "a", "error_code": "e", "fault": "f",
}
assert Oops.from_dict(oops.to_dict()).to_dict() == oops.to_dict()

# Operations named like the client's own methods: the client keeps them, the operations are
# reachable under a trailing underscore.
assert JsonClient.close.__qualname__ == "JsonClient.close"
assert inspect.signature(JsonClient.close).parameters.keys() == {"self"}


class Recording:
    def __init__(self):
        self.sent = []
        self.closed = False

    def send(self, request):
        self.sent.append(request)
        raise AssertionError("close() sent a request")

    def close(self):
        self.closed = True


transport = Recording()
client = JsonClient(
    endpoint_url="http://127.0.0.1:9", region_name="us-east-1", aws_access_key_id="x",
    aws_secret_access_key="y", transport=transport,
)
assert client.close() is None and transport.closed and transport.sent == []


class Handler:
    def __init__(self):
        self.calls = []

    def close_(self, request):
        self.calls.append(request)
        return CloseOutput(self=request.self, from_dict_=request.request)

    def list_(self, request):
        return Answer_(protocol=Protocol_(name="p"))

    def put_(self, request):
        return PutOutput()

    def update_(self, request):
        raise Oops(message="no", super_=request.request, error_code_="mine")

    def get_paginator_(self, request):
        return pkg.GetPaginatorOutput(value="v")

    def overload_(self, request):
        self.calls.append(request)
        return OverloadOutput()


handler = Handler()
with serve(handler) as server:
    with JsonClient(
        endpoint_url=server.url, region_name="us-east-1", aws_access_key_id="x",
        aws_secret_access_key="y",
    ) as client:
        assert client.close_(close) == CloseOutput(self="me", from_dict_="req")
        assert client.close_(self="a", request="b", str="t") == CloseOutput(
            self="a", from_dict_="b"
        )
        assert client.list_() == Answer_(protocol=Protocol_(name="p"))
        assert client.get_paginator_().value == "v"
        client.overload_(self="a", request="b")
        client.overload_(OverloadInput(self="c", request="d"))
        assert handler.calls[-2:] == [OverloadInput(self="a", request="b"), OverloadInput(self="c", request="d")]
        try:
            client.update_(request="r")
        except Oops as error:
            assert error.error_code == "Oops" and error.error_code_ == "mine"
            assert error.super_ == "r" and error.status_code == 418 and str(error) == "no"
        else:
            raise AssertionError("update_ did not raise")
        calls = len(handler.calls)
        client.close()
        assert len(handler.calls) == calls

    with Stubber(JsonClient(endpoint_url=server.url, region_name="us-east-1",
                            aws_access_key_id="x", aws_secret_access_key="y")) as stubber:
        stubber.add_response("close_", {"self": "stubbed"})
        stubber.add_response("Close", {"self": "again"})
        assert stubber.client.close_(close).self == "stubbed"
        assert stubber.client.close_(close).self == "again"

# The fake keeps its test hooks; the operations sit beside them.
fake = InMemoryJson()
assert list(inspect.signature(fake.put).parameters) == ["resource", "key", "record"]
assert list(inspect.signature(fake.update).parameters) == ["resource", "key", "changes"]
assert list(inspect.signature(fake.put_).parameters) == ["request"]

# What the runtime gives each generated class, for the reserved-name lists.
members = set(pkg.CloseInput.__dataclass_fields__)
print(json.dumps({
    "client": sorted(n for n in dir(JsonClient) if not n.startswith("_")),
    "fake": sorted(n for n in dir(fake) if not n.startswith("_")),
    "error": sorted(n for n in dir(pkg.ServiceError_(message="m")) if not n.startswith("_")),
    "structure": sorted(n for n in dir(close) if not n.startswith("_") and n not in members),
}))
"""


def test_collisions_are_resolved_at_run_time(output: Path) -> None:
    result = run_isolated(output, _RUNTIME_CHECK)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    operations = {"close_", "get_paginator_", "list_", "overload_", "put_", "update_"}
    # Every attribute a generated class has besides the model's is one the rules keep free.
    assert set(found["client"]) - operations <= naming.CLIENT_ATTRIBUTE_NAMES
    assert set(found["fake"]) - operations <= naming.FAKE_ATTRIBUTE_NAMES
    assert set(found["error"]) - {"message"} <= (
        naming.ERROR_ATTRIBUTE_NAMES | naming.STRUCTURE_METHOD_NAMES
    )
    assert set(found["structure"]) <= naming.STRUCTURE_METHOD_NAMES


def test_stub_command_help_works(output: Path) -> None:
    help_text = run_isolated(
        output,
        "import runpy\nsys.argv[1:] = ['--help']\nrunpy.run_module('json_.stub', run_name='__main__')",
    )
    assert help_text.returncode == 0, help_text.stderr
    assert help_text.stdout.startswith("usage: python -m json_.stub")
    assert "A local Json" in help_text.stdout


@pytest.mark.slow
def test_colliding_names_pass_mypy_strict_and_ruff(output: Path, tmp_path: Path) -> None:
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mc"), "json_"],
        cwd=output,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--config",
            str(REPO / "pyproject.toml"),
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


# -- the reserved-name lists against generated code -------------------------------------------


def _module_level_names(tree: ast.Module) -> set[str]:
    """Every name a module binds at its top level, `if TYPE_CHECKING:` blocks included."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                found.add(node.name)
            elif isinstance(node, ast.Assign):
                found.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found.add(node.target.id)
            elif isinstance(node, ast.If):
                visit(node.body)
                visit(node.orelse)

    visit(tree.body)
    return found


# How build.py and the templates spell names derived from a model's shapes and operations.
_DERIVED_FUNCTION = re.compile(
    r"validate_.*|call_.*|_check_.*|_read_.*|_serialize_.*|_deserialize_.*|_.*_(from|to)_dict"
    r"|_[A-Z0-9_]+_(VALUES|MEMBERS|MATCHES|BREAKS|OPERATION)(_[0-9]+)?"
)


def _model_names(unit: ir.GenerationUnit) -> set[str]:
    names = {s.py_name for s in unit.structures + unit.errors + unit.enums}
    names.update(naming.service_class_names(unit.service.class_prefix))
    return names


@pytest.mark.parametrize("which", ["rekognition", "colliding_names"])
def test_every_name_generated_modules_define_is_reserved(which: str, root: Path) -> None:
    """A module that names shape classes binds no other name a model name could spell."""
    if which == "rekognition":
        unit, package = build(load_config(REPO / "pyproject.toml"))[0], GENERATED / "rekognition"
    else:
        unit, package = _unit(root), root / "out" / "json_"
    model_names = _model_names(unit)
    checked = 0
    for path in sorted(package.rglob("*.py")):
        bound = _module_level_names(ast.parse(path.read_text("utf-8")))
        if not bound & model_names:
            continue
        checked += 1
        fixed = bound - model_names
        classes = {name for name in fixed if naming.pascal_case(name) == name}
        assert classes <= naming.RESERVED_MODULE_NAMES, (path.name, classes)
        derived = {name for name in fixed if _DERIVED_FUNCTION.fullmatch(name)}
        derived -= {  # derived from this model's own shapes and operations
            *(s.validate_function for s in unit.public_structures),
            *(op.call_function for op in unit.operations),
        } | {n for n in derived if n.startswith("_")}
        assert derived <= naming.RESERVED_FUNCTION_NAMES, (path.name, derived)
    assert checked >= 8


# -- any dangerous name in any position -------------------------------------------------------

_DANGEROUS = [
    # keywords and soft keywords
    "class", "def", "None", "True", "False", "import", "lambda", "match", "case", "type",
    "async", "await", "yield", "from",
    # builtins
    "str", "int", "list", "dict", "bytes", "id", "object", "super", "property", "Exception",
    "ValueError", "print", "len",
    # standard-library modules, and what the stub imports
    "json", "re", "os", "sys", "typing", "enum", "dataclasses", "datetime", "decimal", "uuid",
    "pipes", "logging", "yaml",
    # what every str/int enum member has
    "count", "upper", "lower", "format", "join", "title", "name", "value", "mro", "bit_length",
    "real", "to_bytes",
    # parameters and locals of generated functions
    "self", "cls", "request", "members", "strict", "data", "result", "out", "path", "unset",
    "key", "item", "index", "caller", "validate", "body", "operation", "message", "environ",
    "settings", "record", "canned", "parts", "found", "shape",
    # the client's and the fake's own attributes
    "close", "Close", "region_name", "endpoint_url", "validate_input", "put", "Put", "update",
    "script", "fixtures", "records", "get_paginator", "overload", "Overload",
    # dunder, sunder and private names
    "__init__", "__class__", "__dict__", "__slots__", "_missing_", "_value_", "__enter__",
    "_caller", "__all__", "_",
    # what generated modules import or define
    "Any", "Callable", "ClassVar", "Mapping", "Iterable", "Protocol", "TracebackType",
    "Document", "ServiceError", "ValidationError", "Violation", "WireDict", "SERVICE", "Answer",
    "Fixtures", "RecordStore", "TYPE_CHECKING", "FAKE_CLASS", "ERROR_DESERIALIZERS", "Optional",
    "dataclass", "field", "Decimal", "RUNTIME_VERSION", "GENERATOR_VERSION",
    # names that derived names could make collide
    "OrRaise", "or_raise", "ABTest", "AbTest", "Item9", "Item10", "ToDict", "from_dict",
    "to_dict", "NamesClient", "NamesError", "JsonClient", "InMemoryJson", "JsonHandler",
]  # fmt: skip
_SDK_IDS = [
    "Names", "Json", "Pipes", "Re", "Typing", "Os", "Yaml", "Service", "Validation", "Config",
    "Transport", "Stub", "Class", "None", "Any", "Str", "Item 9", "Stub Response",
]  # fmt: skip
_SHAPE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_names = (
    st.sampled_from(_DANGEROUS)
    .flatmap(lambda name: st.sampled_from(sorted({name, name.upper(), name.capitalize()})))
    .filter(_SHAPE_NAME.fullmatch)
)

_RULES = json.loads(MODEL.read_text("utf-8"))["shapes"]["example.names#Names"]["traits"][
    "smithy.rules#endpointRuleSet"
]


@st.composite
def _models(draw: st.DrawFn) -> dict[str, Any]:
    """A service with an operation or two, each with an input and output structure, a nested
    structure, an enum, an int enum and an error: every name drawn from the dangerous ones."""
    ns = "example.danger"
    shape_names = draw(st.lists(_names, min_size=11, max_size=11, unique=True))
    ops, (input_a, output_a, input_b, output_b, nested, color, level, error) = (
        shape_names[:3],
        shape_names[3:],
    )
    ops = ops[: draw(st.integers(1, 2))]

    def members(target: str, size: int, required: bool) -> dict[str, Any]:
        names = draw(st.lists(_names, min_size=1, max_size=size, unique=True))
        traits: dict[str, Any] = {"smithy.api#required": {}} if required else {}
        return {name: {"target": target, "traits": traits} for name in names}

    string = "smithy.api#String"
    shapes: dict[str, Any] = {
        f"{ns}#Svc": {
            "type": "service",
            "version": "1",
            "operations": [{"target": f"{ns}#{op}"} for op in ops],
            "traits": {
                "aws.api#service": {"sdkId": draw(st.sampled_from(_SDK_IDS))},
                "aws.protocols#awsJson1_0": {},
                "aws.auth#sigv4": {"name": "danger"},
                "smithy.rules#endpointRuleSet": _RULES,
            },
        },
        f"{ns}#{nested}": {"type": "structure", "members": members(string, 3, True)},
        f"{ns}#{color}": {
            "type": "enum",
            "members": {
                name: {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": name}}
                for name in draw(st.lists(_names, min_size=1, max_size=4, unique=True))
            },
        },
        f"{ns}#{level}": {
            "type": "intEnum",
            "members": {
                name: {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": number}}
                for number, name in enumerate(
                    draw(st.lists(_names, min_size=1, max_size=3, unique=True))
                )
            },
        },
        f"{ns}#{error}": {
            "type": "structure",
            "members": members(string, 4, False),
            "traits": {"smithy.api#error": "client"},
        },
    }
    for op, (input_name, output_name) in zip(
        ops, [(input_a, output_a), (input_b, output_b)], strict=False
    ):
        shapes[f"{ns}#{op}"] = {
            "type": "operation",
            "input": {"target": f"{ns}#{input_name}"},
            "output": {"target": f"{ns}#{output_name}"},
            "errors": [{"target": f"{ns}#{error}"}],
        }
        inputs = members(string, 4, draw(st.booleans()))
        extra = draw(st.lists(_names, min_size=3, max_size=3, unique=True))
        inputs[extra[0]] = {"target": f"{ns}#{nested}"}
        inputs[extra[1]] = {"target": f"{ns}#{color}"}
        inputs[extra[2]] = {"target": f"{ns}#{level}"}
        shapes[f"{ns}#{input_name}"] = {"type": "structure", "members": inputs}
        shapes[f"{ns}#{output_name}"] = {"type": "structure", "members": members(string, 3, False)}
    return {"smithy": "2.0", "shapes": shapes}


_EXERCISE = r"""
import importlib
import json
from dataclasses import fields

expected = json.loads(sys.argv[1])
pkg = importlib.import_module(expected["package"])
for module in ("shapes", "errors", "enums", "validators", "client", "stub"):
    importlib.import_module(f"{expected['package']}.{module}")
client_class = getattr(pkg, expected["client"])
assert client_class.close.__qualname__ == f"{expected['client']}.close"
for method in expected["operations"]:
    assert callable(getattr(client_class, method)), method
for name, (module, values) in expected["enums"].items():
    enum_class = getattr(importlib.import_module(f"{expected['package']}.{module}"), name)
    for python_name, value in values:
        member = getattr(enum_class, python_name)
        assert member is enum_class(value) and member.value == value, (name, python_name)
        assert str(member).upper() == str(value).upper()  # str and int methods still work
        assert member.bit_length() >= 0 if isinstance(value, int) else member.count("") >= 1
client = client_class(
    endpoint_url="http://127.0.0.1:9", region_name="us-east-1", aws_access_key_id="x",
    aws_secret_access_key="y",
)
stubber = importlib.import_module(f"{expected['package']}.stub").Stubber(client)
with stubber:
    for operation, method, input_class in expected["calls"]:
        request = getattr(pkg, input_class).from_dict({})
        stubber.add_response(operation, {})
        getattr(client, method)(request)
        # The same call with the members as keywords, whatever they are called.
        stubber.add_response(method, {})
        getattr(client, method)(**{f.name: getattr(request, f.name) for f in fields(request)})
    stubber.assert_no_pending_responses()
for name, (module, wire_names, python_names) in expected["structures"].items():
    shape_class = getattr(importlib.import_module(f"{expected['package']}.{module}"), name)
    wire = {wire_name: f"v{i}" for i, wire_name in enumerate(wire_names)}
    value = shape_class.from_dict(wire)
    for i, python_name in enumerate(python_names):
        assert getattr(value, python_name) == f"v{i}", (name, python_name)
    assert value.to_dict() == wire, (name, value.to_dict())
"""


def _expectations(unit: ir.GenerationUnit) -> dict[str, Any]:
    def strings_only(shape: ir.StructureShape) -> bool:
        return all(m.target.type == "string" for m in shape.members)

    return {
        "package": unit.service.package_name,
        "client": unit.service.client_class,
        "operations": [op.py_name for op in unit.operations],
        "calls": [(op.name, op.py_name, op.input.py_name) for op in unit.operations],
        "enums": {
            e.py_name: ("enums", [(v.py_name, v.value) for v in e.values]) for e in unit.enums
        },
        "structures": {
            s.py_name: (
                "errors" if s.error else "shapes",
                [m.name for m in s.members],
                [m.py_name for m in s.members],
            )
            for s in unit.structures + unit.errors
            if strings_only(s)
        },
    }


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(model=_models())
def test_dangerous_names_anywhere_generate_or_are_refused(model: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        code, err = _generate(root, model)
        event(f"exit {code}")
        assert code in (0, 2), err
        assert "Traceback (most recent call last)" not in err, err
        assert "internal error" not in err, err
        if code == 2:
            lines = err.rstrip("\n").splitlines()
            assert lines[-1].endswith("nothing was written"), err
            # A shape id that breaks Smithy's grammar (`_` is no identifier) is refused at the
            # `shapes` object that names it; everything else at the shape.
            places = ("error: model.json: /shapes/", "error: model.json: /shapes: ")
            assert all(line.startswith(places) for line in lines[:-1]), err
            return
        result = run_isolated(root / "out", _EXERCISE, json.dumps(_expectations(_unit(root))))
        assert result.returncode == 0, result.stderr


# -- refusals ---------------------------------------------------------------------------------


def _small_service(operations: list[str], traits: dict[str, Any]) -> dict[str, Any]:
    ns = "example.small"
    shapes: dict[str, Any] = {
        f"{ns}#Small": {
            "type": "service",
            "version": "1",
            "operations": [{"target": f"{ns}#{op}"} for op in operations],
            "traits": traits,
        }
    }
    for op in operations:
        shapes[f"{ns}#{op}"] = {"type": "operation"}
    return {"smithy": "2.0", "shapes": shapes}


def test_operations_that_become_one_method_are_refused(tmp_path: Path) -> None:
    model = _small_service(["GetFOO", "GetFoo"], {"aws.api#service": {"sdkId": "Small"}})
    code, err = _generate(tmp_path, model)
    assert code == 2, err
    assert (
        "error: model.json: /shapes/example.small#GetFoo: /shapes/example.small#GetFOO and "
        "/shapes/example.small#GetFoo both become the method 'get_foo' in class SmallClient; "
        "rename one of them in the model"
    ) in err


def test_the_title_never_names_the_package(tmp_path: Path) -> None:
    """Without an sdkId the service shape's name does: the title is free text."""
    model = _small_service(["Ping"], {"smithy.api#title": "100% %(prog)s of the Re service"})
    code, err = _generate(tmp_path, model)
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "shapesmith-manifest.json",
        "small",
    ]
    assert _unit(tmp_path).service.class_prefix == "Small"


# -- names in the model are matched exactly ---------------------------------------------------


def _schema_patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for value in node.values() for p in _schema_patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _schema_patterns(value)]
    return []


def test_every_name_pattern_of_the_schema_matches_exactly() -> None:
    """jsonschema searches with Python's `re`, whose `$` also matches before a final newline."""
    patterns = _schema_patterns(ast_schema())
    assert len(patterns) >= 5
    for pattern in patterns:
        valid = next(
            s for s in ("a.b#C", "a.b#C$d", "Name", "Rekognition Face") if re.search(pattern, s)
        )
        for suffix in ("\n", "\r", " ", "\x00", "\u2028"):
            assert re.search(pattern, valid + suffix) is None, (pattern, suffix)
            assert re.search(pattern, suffix + valid) is None, (pattern, suffix)


def test_integers_in_a_model_are_written_as_integers(tmp_path: Path) -> None:
    model = _small_service(["Ping"], {"aws.api#service": {"sdkId": "Small"}})
    shapes = model["shapes"]
    shapes["example.small#Oops"] = {
        "type": "structure",
        "members": {},
        "traits": {"smithy.api#error": "client", "smithy.api#httpError": 429.0},
    }
    shapes["example.small#Name"] = {"type": "string", "traits": {"smithy.api#length": {"max": 2.0}}}
    shapes["example.small#Level"] = {
        "type": "intEnum",
        "members": {"ONE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1.0}}},
    }
    shapes["example.small#Flag"] = {
        "type": "structure",
        "members": {},
        "traits": {"smithy.api#error": "server", "smithy.api#httpError": True},
    }
    code, err = _generate(tmp_path, model)
    assert code == 2, err
    for pointer in (
        "/shapes/example.small#Oops/traits/smithy.api#httpError: expected integer, found a number",
        "/shapes/example.small#Name/traits/smithy.api#length/max: expected integer, found a number",
        "/shapes/example.small#Level/members/ONE/traits/smithy.api#enumValue: ",
        "/shapes/example.small#Flag/traits/smithy.api#httpError: expected integer, found a boolean",
    ):
        assert f"error: model.json: {pointer}" in err, err
