"""Build stage: the symbol table. Every name generated code binds is made by one function of
`generator/naming.py`, kept in the IR, and checked against the other names of its module or
class at once (`ir.GenerationUnit.symbol_table`): keywords, builtins, the generated methods'
own parameters, runtime names, two model names that become one, and module-level names of
different kinds that meet are either resolved by the documented rule or refused with both JSON
pointers."""

from __future__ import annotations

import ast
import json
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator import ir, naming, render
from generator.build import Selection, build_units
from generator.diagnostics import ShapesmithError
from generator.loader import load_model
from generator.semantics import check_model

NS = "example.sym"
RULES = {"version": "1.0", "parameters": {}, "rules": []}


def service(operations: list[str], sdk_id: str = "Sym") -> dict[str, Any]:
    """A service that gets a client and a stub (AWS JSON, SigV4, endpoint rules)."""
    return {
        "type": "service",
        "version": "1",
        "operations": [{"target": f"{NS}#{op}"} for op in operations],
        "traits": {
            "aws.api#service": {"sdkId": sdk_id},
            "aws.protocols#awsJson1_0": {},
            "aws.auth#sigv4": {"name": "sym"},
            "smithy.rules#endpointRuleSet": RULES,
        },
    }


def strings(*names: str, target: str = "smithy.api#String") -> dict[str, Any]:
    return {"type": "structure", "members": {name: {"target": target} for name in names}}


def build(
    tmp_path: Path, shapes: dict[str, Any], files: dict[str, dict[str, Any]] | None = None
) -> ir.GenerationUnit:
    """The unit of a model whose shapes are in model.json, and in `files` if given."""
    documents = {"model.json": shapes, **(files or {})}
    paths = []
    for name, document in documents.items():
        path = tmp_path / name
        path.write_text(json.dumps({"smithy": "2.0", "shapes": document}), "utf-8")
        paths.append(path)
    model = load_model(paths, tmp_path)
    check_model(model)
    (unit,) = build_units(model, Selection((), "shapesmith.toml", "/operations"))
    return unit


def refusal(tmp_path: Path, shapes: dict[str, Any], **files: dict[str, Any]) -> list[str]:
    with pytest.raises(ShapesmithError) as raised:
        build(tmp_path, shapes, files)
    return [str(diagnostic) for diagnostic in raised.value.diagnostics]


def one_operation(
    input_members: dict[str, Any], operation: str = "Op", **shapes: Any
) -> dict[str, Any]:
    """A service with one operation, its input's members, and more shapes by name."""
    return {
        f"{NS}#Svc": service([operation]),
        f"{NS}#{operation}": {"type": "operation", "input": {"target": f"{NS}#OpInput"}},
        f"{NS}#OpInput": {"type": "structure", "members": input_members},
        **{f"{NS}#{name}": shape for name, shape in shapes.items()},
    }


# -- one function per kind of name -------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "argument", "name"),
    [
        (naming.class_name, "audit_image", "AuditImage"),
        (naming.operation_name, "DetectFaces", "detect_faces"),
        (naming.attribute_name, "FaceId", "face_id"),
        (naming.enum_member_name, "count", "count_"),
        (naming.package_name, "Weather Service", "weather_service"),
        (naming.class_prefix, "Weather Service", "WeatherService"),
        (naming.check_function, "FaceDetail", "_check_face_detail"),
        (naming.value_check_function, "SessionId", "_check_session_id_value"),
        (naming.validate_function_name, "DetectFacesRequest", "validate_detect_faces_request"),
        (naming.to_dict_function, "FaceList", "_face_list_to_dict"),
        (naming.from_dict_function, "FaceList", "_face_list_from_dict"),
        (naming.serializer_function, "FaceDetail", "_serialize_face_detail"),
        (naming.deserializer_function, "FaceDetail", "_deserialize_face_detail"),
        (naming.reader_function, "FaceDetail", "_read_face_detail"),
        (naming.message_codec_function, "_serialize_get_thing", "_http_serialize_get_thing"),
        (naming.keys_constant, "FaceDetail", "_FACE_DETAIL_MEMBERS"),
        (naming.values_constant, "ABTest", "_AB_TEST_VALUES"),
        (naming.pattern_owner, "SessionId", "SESSION_ID"),
        (naming.operation_constant, "detect_faces", "_DETECT_FACES_OPERATION"),
        (naming.operation_constant, "close_", "_CLOSE__OPERATION"),
        (naming.endpoint_params_constant, "detect_faces", "_DETECT_FACES_ENDPOINT_PARAMS"),
        (naming.call_function, "detect_faces", "call_detect_faces"),
    ],
)
def test_each_kind_of_name_has_its_function(
    make: Callable[[str], str], argument: str, name: str
) -> None:
    assert make(argument) == name


def test_derived_names_take_the_first_free_number() -> None:
    assert naming.pattern_owner("Face", "Id") == "FACE_ID"
    constants = naming.pattern_constants("FACE_ID", found_means_broken=False)
    assert [next(constants) for _ in range(3)] == [
        "_FACE_ID_MATCHES",
        "_FACE_ID_MATCHES_2",
        "_FACE_ID_MATCHES_3",
    ]
    assert next(naming.pattern_constants("FACE_ID", found_means_broken=True)) == "_FACE_ID_BREAKS"
    taken = {"_check_code_value", "_check_code_value_2"}
    assert naming.first_free("_check_code_value", taken) == "_check_code_value_3"
    assert naming.service_class_names("Sym").client == "SymClient"


def test_names_are_fields_of_the_ir(tmp_path: Path) -> None:
    faces = {"type": "list", "member": {"target": "smithy.api#Timestamp"}}
    unit = build(tmp_path, one_operation({"Face": {"target": f"{NS}#FaceList"}}, FaceList=faces))
    (operation,) = unit.operations
    assert (operation.call_function, operation.operation_constant) == ("call_op", "_OP_OPERATION")
    assert operation.endpoint_params_constant == "_OP_ENDPOINT_PARAMS"
    (faces,) = unit.lists
    assert (faces.serializer, faces.deserializer, faces.reader) == (
        "_serialize_face_list",
        "_deserialize_face_list",
        "_read_face_list",
    )
    assert (unit.service.error_class, unit.service.client_class) == ("SymError", "SymClient")
    assert (unit.service.handler_class, unit.service.fake_class) == ("SymHandler", "InMemorySym")


# -- resolved by the rules ---------------------------------------------------------------------


def test_keywords_take_a_trailing_underscore(tmp_path: Path) -> None:
    enum = {"type": "enum", "members": {"match": {"target": "smithy.api#Unit"}}}
    shapes = one_operation({"class": {"target": f"{NS}#None"}}, "Import", **{"None": enum})
    unit = build(tmp_path, shapes)
    (operation,) = unit.operations
    (member,) = operation.input.members
    (none,) = unit.enums
    assert (operation.py_name, operation.call_function) == ("import_", "call_import_")
    assert operation.operation_constant == "_IMPORT__OPERATION"
    assert (member.py_name, none.py_name, none.values[0].py_name) == ("class_", "None_", "match_")


def test_builtins_that_would_be_shadowed_take_a_trailing_underscore(tmp_path: Path) -> None:
    shapes = one_operation({"Type": {"target": f"{NS}#Exception"}}, "List", Exception=strings("Id"))
    unit = build(tmp_path, shapes)
    (operation,) = unit.operations
    assert operation.py_name == "list_"
    classes = {shape.name: shape.py_name for shape in unit.structures}
    assert classes["Exception"] == "Exception_"
    # An attribute may shadow a builtin: annotations beside it read the builtin qualified.
    (member,) = operation.input.members
    assert member.py_name == "type"


def test_generated_parameters_step_aside_for_members(tmp_path: Path) -> None:
    members = {name: {"target": "smithy.api#String"} for name in ("self", "request")}
    shapes = one_operation(members)
    shapes[f"{NS}#Oops"] = {
        "type": "structure",
        "members": {"Super": {"target": "smithy.api#String"}},
        "traits": {"smithy.api#error": "client"},
    }
    shapes[f"{NS}#Op"]["errors"] = [{"target": f"{NS}#Oops"}]
    unit = build(tmp_path, shapes)
    (operation,) = unit.operations
    assert (operation.self_parameter, operation.request_parameter) == ("self_", "request_")
    (error,) = unit.errors
    assert [m.py_name for m in error.members] == ["super_"]  # what `__init__` reads
    table = unit.symbol_table()
    assert table.names("SymClient.op()") == {"self_", "request_", "self", "request"}


def test_runtime_names_are_kept_free(tmp_path: Path) -> None:
    """Names the generated modules import or define, the service's own classes, the client's
    own methods."""
    members = {"V": {"target": f"{NS}#Violation"}, "C": {"target": f"{NS}#SymClient"}}
    shapes = one_operation(members, "Close", Violation=strings("Path"), SymClient=strings("X"))
    unit = build(tmp_path, shapes)
    classes = {shape.name: shape.py_name for shape in unit.structures}
    assert (classes["Violation"], classes["SymClient"]) == ("Violation_", "SymClient_")
    assert unit.operations[0].py_name == "close_"


def test_derived_names_of_different_kinds_that_meet_are_numbered(tmp_path: Path) -> None:
    """A structure `CodeValue` checks with `_check_code_value`, so the value check of the
    string `Code` steps aside; `Foo.BarBaz` and `FooBar.Baz` spell one pattern constant."""
    code = {"type": "string", "traits": {"smithy.api#length": {"max": 3}}}
    pattern = {"smithy.api#pattern": "^a+$"}
    other = {"smithy.api#pattern": "^b+$"}
    shapes = one_operation(
        {"C": {"target": f"{NS}#Code"}, "V": {"target": f"{NS}#CodeValue"},
         "F": {"target": f"{NS}#Foo"}, "G": {"target": f"{NS}#FooBar"}},
        Code=code,
        CodeValue=strings("Name"),
        Foo={"type": "structure", "members": {
            "BarBaz": {"target": "smithy.api#String", "traits": pattern}}},
        FooBar={"type": "structure", "members": {
            "Baz": {"target": "smithy.api#String", "traits": other}}},
    )  # fmt: skip
    unit = build(tmp_path, shapes)
    checks = {check.check_function for check in unit.validator_plan.value_checks}
    assert {"_check_code_value", "_check_code_value_2"} & checks == {"_check_code_value_2"}
    assert "_check_code_value" in unit.symbol_table().names("validators.py")
    constants = {pattern.owner: pattern.constant for pattern in unit.patterns}
    assert constants.keys() == {f"{NS}#Foo$BarBaz", f"{NS}#FooBar$Baz"}
    assert sorted(constants.values()) == ["_FOO_BAR_BAZ_BREAKS", "_FOO_BAR_BAZ_BREAKS_2"]
    assert unit.symbol_table().clashes() == []


# -- refused, naming both JSON pointers --------------------------------------------------------


def test_operations_that_become_one_method(tmp_path: Path) -> None:
    shapes = {
        f"{NS}#Svc": service(["GetFOO", "GetFoo"]),
        f"{NS}#GetFOO": {"type": "operation"},
        f"{NS}#GetFoo": {"type": "operation"},
    }
    assert refusal(tmp_path, shapes) == [
        f"model.json: /shapes/{NS}#GetFoo: /shapes/{NS}#GetFOO and /shapes/{NS}#GetFoo both "
        "become the method 'get_foo' in class SymClient; rename one of them in the model"
    ]


def test_shapes_of_different_kinds_that_become_one_name(tmp_path: Path) -> None:
    """A structure and a list whose names snake_case alike: both check functions (and their
    other helpers) would be one name; reported once, in the first module they meet."""
    shapes = one_operation(
        {"A": {"target": f"{NS}#FooList"}, "B": {"target": f"{NS}#Foo_List"}},
        FooList=strings("X"),
        Foo_List={"type": "list", "member": {"target": "smithy.api#String"}},
    )
    assert refusal(tmp_path, shapes) == [
        f"model.json: /shapes/{NS}#Foo_List: /shapes/{NS}#FooList and /shapes/{NS}#Foo_List "
        "both become the check function '_check_foo_list' in validators.py; rename one of them "
        "in the model"
    ]


def test_a_collision_across_files_names_the_other_file(tmp_path: Path) -> None:
    shapes = one_operation({"A": {"target": f"{NS}#ABTest"}, "B": {"target": f"{NS}#AbTest"}})
    color = {"type": "enum", "members": {"RED": {"target": "smithy.api#Unit"}}}
    shapes[f"{NS}#ABTest"] = color
    assert refusal(tmp_path, shapes, **{"more.json": {f"{NS}#AbTest": dict(color)}}) == [
        f"more.json: /shapes/{NS}#AbTest: /shapes/{NS}#ABTest (in model.json) and "
        f"/shapes/{NS}#AbTest both become the values constant '_AB_TEST_VALUES' in "
        "validators.py; rename one of them in the model"
    ]


def test_an_sdk_id_whose_classes_are_taken(tmp_path: Path) -> None:
    shapes = {f"{NS}#Svc": service(["Ping"], sdk_id="Service"), f"{NS}#Ping": {"type": "operation"}}
    assert refusal(tmp_path, shapes) == [
        f"model.json: /shapes/{NS}#Svc/traits/aws.api#service/sdkId: gives the base error "
        "class 'ServiceError', a name generated code already uses in errors.py; rename it in "
        "the model"
    ]


def test_claims_of_different_kinds_name_both_kinds() -> None:
    """An operation constant and a pattern constant cannot meet today (they live in
    different modules); were they to, the table says which is which."""
    table = naming.SymbolTable()
    table.claim("_operations.py", "_FOO_OPERATION", "operation constant", f"{NS}#Foo")
    table.claim("_operations.py", "_FOO_OPERATION", "pattern constant", f"{NS}#Bar$Op")
    table.claim("_operations.py", "build_caller", "call function", f"{NS}#Build")
    table.fixed("_operations.py", ["build_caller", "make_error"])
    table.claim("validators.py", "_FOO_OPERATION", "pattern constant", f"{NS}#Bar$Op")
    table.claim("validators.py", "_check_x", "check function", f"{NS}#X")
    table.claim("validators.py", "_check_x", "value check function", f"{NS}#X")

    def locate(owner: str) -> tuple[str, str]:
        shape, _, member = owner.partition("$")
        return "m.json", f"/shapes/{shape}" + (f"/members/{member}" if member else "")

    assert [str(problem) for problem in table.problems(locate)] == [
        f"m.json: /shapes/{NS}#Foo: /shapes/{NS}#Bar/members/Op and /shapes/{NS}#Foo both "
        "become '_FOO_OPERATION' in _operations.py, the pattern constant of the first and the "
        "operation constant of the second; rename one of them in the model",
        f"m.json: /shapes/{NS}#Build: gives the call function 'build_caller', a name generated "
        "code already uses in _operations.py; rename it in the model",
        f"m.json: /shapes/{NS}#X: gives both the check function and the value check function "
        "'_check_x' in validators.py; rename it in the model",
    ]


# -- the table against what is generated -------------------------------------------------------


def _bindings(body: list[ast.stmt]) -> list[str]:
    """The names a module or class body binds, `if` blocks included, in order."""
    found: list[str] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found += [(alias.asname or alias.name).split(".")[0] for alias in node.names]
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            found.append(node.name)
        elif isinstance(node, ast.Assign):
            found += [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found.append(node.target.id)
        elif isinstance(node, ast.If):
            found += _bindings(node.body) + _bindings(node.orelse)
    return found


def _overloads(body: list[ast.stmt]) -> set[str]:
    """Methods that `@overload` signatures repeat on purpose."""
    names: set[str] = set()
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Name) and d.id == "overload" for d in node.decorator_list
        ):
            names.add(node.name)
    return names


def assert_table_matches_output(unit: ir.GenerationUnit) -> None:
    """Each generated module and class binds each name once, and only names the table holds:
    no two symbols print one name, and the table knows every name the templates print."""
    table = unit.symbol_table()
    assert table.clashes() == []
    scopes = table.scopes()
    # Names are what is checked, not layout: black's formatting is skipped, for speed.
    with mock.patch.object(render, "format_modules", lambda sources, cache=None: dict(sources)):
        files = render.render_package(unit)
    for path, text in files.items():
        if path not in scopes:
            continue
        tree = ast.parse(text)
        names = _bindings(tree.body)
        twice = [name for name, count in Counter(names).items() if count > 1]
        assert twice == [], (path, twice)
        assert set(names) <= table.names(path), (path, sorted(set(names) - table.names(path)))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef) or f"class {node.name}" not in scopes:
                continue
            public = [n for n in _bindings(node.body) if not n.startswith("_")]
            counts = Counter(name for name in public if name not in _overloads(node.body))
            assert [name for name, count in counts.items() if count > 1] == [], (path, node.name)
            assert set(public) <= table.names(f"class {node.name}"), (path, node.name)


@pytest.mark.parametrize("model", ["kitchen_sink.json", "colliding_names.json"])
def test_the_table_knows_every_name_generated_code_binds(tmp_path: Path, model: str) -> None:
    path = Path(__file__).parent / "fixtures" / "models" / model
    loaded = load_model([path], path.parent)
    check_model(loaded)
    (unit,) = build_units(loaded, Selection((), "shapesmith.toml", "/operations"))
    assert_table_matches_output(unit)


# -- any dangerous name anywhere -----------------------------------------------------------------

# Names that are keywords, builtins, runtime or generated names, parameters, or that become one
# another, or a derived name of another, after snake_case.
POOL = [
    "Class", "None", "Import", "Match", "Type", "Str", "List", "Dict", "Id", "Exception",
    "Self", "Request", "Members", "Value", "Values", "Data", "Out", "Path", "Strict", "Operation",
    "Close", "Put", "Update", "Overload", "Validate", "Caller", "Message", "Super", "Args",
    "Violation", "ServiceError", "Any", "Protocol", "Document", "OrRaise", "ToDict", "FromDict",
    "Foo", "FooValue", "Foo_Value", "FooBar", "Foo_Bar", "FooBarBaz", "ABTest", "AbTest",
    "Item9", "Item_9", "FooMembers", "FooMatches", "FooOperation", "SymClient", "SymError",
    "InMemorySym", "Count", "Name",
]  # fmt: skip
_names = st.sampled_from(POOL)


@st.composite
def dangerous_models(draw: st.DrawFn) -> dict[str, Any]:
    """A service with an operation or two; their inputs, outputs, a nested structure, a list,
    a map, an enum, a constrained string and an error, every shape and member name drawn from
    the pool, some members with a pattern and a length of their own."""
    names = draw(st.lists(_names, min_size=12, max_size=12, unique=True))
    ops = names[: draw(st.integers(1, 2))]
    nested, items, table, color, code, error = names[2:8]
    structures = names[8:12]

    def members(size: int) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name in draw(st.lists(_names, min_size=1, max_size=size, unique=True)):
            target = draw(
                st.sampled_from(["smithy.api#String", *(f"{NS}#{n}" for n in names[2:7])])
            )
            member: dict[str, Any] = {"target": target}
            if target == "smithy.api#String" and draw(st.booleans()):
                member["traits"] = {"smithy.api#pattern": draw(st.sampled_from(["^a$", "^b$"]))}
            found[name] = member
        return found

    shapes: dict[str, Any] = {
        f"{NS}#Svc": service(ops),
        f"{NS}#{nested}": {"type": "structure", "members": members(3)},
        f"{NS}#{items}": {"type": "list", "member": {"target": f"{NS}#{code}"}},
        f"{NS}#{table}": {
            "type": "map",
            "key": {"target": "smithy.api#String"},
            "value": {"target": "smithy.api#Timestamp"},
        },
        f"{NS}#{color}": {
            "type": "enum",
            "members": {
                name: {"target": "smithy.api#Unit"}
                for name in draw(st.lists(_names, min_size=1, max_size=3, unique=True))
            },
        },
        f"{NS}#{code}": {
            "type": "string",
            "traits": {"smithy.api#length": {"max": 9}, "smithy.api#pattern": "^[a-z]*$"},
        },
        f"{NS}#{error}": {
            "type": "structure",
            "members": members(2),
            "traits": {"smithy.api#error": "client"},
        },
    }
    for op, (input_name, output_name) in zip(ops, [structures[:2], structures[2:]], strict=False):
        shapes[f"{NS}#{op}"] = {
            "type": "operation",
            "input": {"target": f"{NS}#{input_name}"},
            "output": {"target": f"{NS}#{output_name}"},
            "errors": [{"target": f"{NS}#{error}"}],
        }
        shapes[f"{NS}#{input_name}"] = {"type": "structure", "members": members(4)}
        shapes[f"{NS}#{output_name}"] = {"type": "structure", "members": members(3)}
    return shapes


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(shapes=dangerous_models())
def test_dangerous_names_never_print_one_name_twice(shapes: dict[str, Any]) -> None:
    """Whatever the names, no two IR symbols print the same name in one generated module or
    class; a model whose names would is refused at the shapes it names, both of them."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            unit = build(Path(folder), shapes)
        except ShapesmithError as error:
            event("refused")
            for diagnostic in error.diagnostics:
                assert diagnostic.file == "model.json", diagnostic
                assert diagnostic.pointer.startswith("/shapes/"), diagnostic
                if "both become" in diagnostic.message:
                    assert diagnostic.message.count("/shapes/") == 2, diagnostic
            return
    event("generated")
    assert_table_matches_output(unit)
