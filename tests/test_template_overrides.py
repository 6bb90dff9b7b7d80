"""A maintainer's templates before ours (`templates` in the configuration, `--templates DIR`).

- A file of theirs replaces ours of the same name: the file header (`_header.jinja`), the
  docstring macro (`_docs.jinja`), a module template (`enums.py.jinja`), a static runtime file
  (`_transport.py`); `extra/<module>.py.jinja` adds a module to each package.
- Their templates are input: the model-text guard holds for them as for ours, and a fault of
  theirs (unescaped model text, a syntax error, invalid Python) is exit 2 at their file and line;
  a folder that is missing, or holds a file that would be silently unused or would overwrite one
  of ours, is exit 2 before anything is rendered.
- Each file of theirs is hashed into both manifests: a changed template is drift for `check`
  and `check --package`.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.identity import PACKAGE_MANIFEST_NAME
from generator.ownership import MANIFEST_NAME
from generator.render import _HASH_STAND_IN
from generator.template_set import shipped_dir
from tests.conftest import REPO, run_isolated, service_with_stub

NS = "example.house"
OPERATION = f"{NS}#GetThing"
PACKAGE = "house"


def _model(*, with_client: bool) -> dict[str, Any]:
    service: dict[str, Any] = (
        service_with_stub("House", "house", [OPERATION])
        if with_client
        else {
            "type": "service",
            "version": "2024-01-01",
            "operations": [{"target": OPERATION}],
            "traits": {"aws.api#service": {"sdkId": "House"}},
        }
    )
    return {
        "smithy": "2.0",
        "shapes": {
            f"{NS}#House": service,
            OPERATION: {
                "type": "operation",
                "input": {"target": f"{NS}#GetThingInput"},
                "output": {"target": f"{NS}#GetThingOutput"},
            },
            f"{NS}#GetThingInput": {
                "type": "structure",
                "members": {
                    "Id": {
                        "target": "smithy.api#String",
                        "traits": {
                            "smithy.api#required": {},
                            "smithy.api#documentation": "The thing's id.",
                        },
                    },
                    "Colour": {"target": f"{NS}#Colour"},
                },
                "traits": {"smithy.api#input": {}},
            },
            f"{NS}#GetThingOutput": {
                "type": "structure",
                "members": {"Name": {"target": "smithy.api#String"}},
                "traits": {
                    "smithy.api#output": {},
                    "smithy.api#documentation": "What a thing is called.",
                },
            },
            f"{NS}#Colour": {
                "type": "enum",
                "members": {
                    "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}}
                },
                "traits": {"smithy.api#documentation": "A colour."},
            },
        },
    }


def _project(
    root: Path,
    templates: dict[str, str] | None = None,
    *,
    with_client: bool = False,
    setting: str | None = "house-templates",
) -> Path:
    """A project: model.json, a shapesmith.toml naming the templates folder `setting` (not at
    all with None), and that folder holding `templates` (by path inside it)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "model.json").write_text(json.dumps(_model(with_client=with_client)), "utf-8")
    lines = ['models = ["model.json"]', 'output = "out"', f'operations = ["{OPERATION}"]']
    if setting is not None:
        lines.append(f"templates = {json.dumps(setting)}")
    config = root / "shapesmith.toml"
    config.write_text("\n".join(lines) + "\n", "utf-8")
    _write(root / "house-templates", templates or {})
    return config


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")


def _generate(config: Path, *options: str) -> int:
    return main(["--config", str(config), "generate", "-q", *options])


def _package(config: Path) -> Path:
    return config.parent / "out" / PACKAGE


def _python_files(package: Path) -> dict[str, str]:
    return {
        path.relative_to(package).as_posix(): path.read_text("utf-8")
        for path in sorted(package.rglob("*.py"))
    }


def _refused(config: Path, capsys: pytest.CaptureFixture[str], *options: str) -> list[str]:
    """The error lines of a generate that must be refused (exit 2, nothing written)."""
    assert _generate(config, *options) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert err.endswith("; nothing was written\n")
    assert not (config.parent / "out").exists()
    return [line for line in err.splitlines() if line.startswith("error: ")]


HEADER = """\
{#- The house header. -#}
# House rules apply. Service {{ unit.service.sdk_id | comment }}, shapesmith {{ version }}.
{% for name in model_files %}
# from {{ name | comment }}
{% endfor %}
"""


# -- replacing ours ---------------------------------------------------------------------------


def test_the_header_is_replaced_in_every_file(tmp_path: Path) -> None:
    config = _project(tmp_path, {"_header.jinja": HEADER}, with_client=True)
    assert _generate(config) == 0
    files = _python_files(_package(config))
    assert {"enums.py", "client.py", "_transport.py", "stub/_app.py"} <= set(files)
    for name, text in files.items():
        assert text.startswith("# House rules apply. Service House, shapesmith "), name
        assert "# from model.json\n" in text, name
        assert "DO NOT EDIT" not in text, name
    manifest = json.loads((config.parent / "out" / MANIFEST_NAME).read_text("utf-8"))
    assert list(manifest["user_templates"]) == ["_header.jinja"]


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("# Built from {{ model_sha256 }}.\n", id="the shipped form"),
        pytest.param("# {{ model_sha256 }} = {{ model_sha256 }}\n", id="twice on a line"),
        pytest.param("#: {{ model_sha256 }}\n", id="a comment black may read"),
        pytest.param("# {{ model_sha256 }}\n\n# {{ unit.model_hash }}\n", id="through the unit"),
    ],
)
def test_every_file_names_the_real_model_hash_wherever_the_header_puts_it(
    tmp_path: Path, header: str
) -> None:
    """Modules are formatted with a stand-in for the hash (render.py), swapped afterwards only
    where that is exactly the same as formatting with the real one."""
    config = _project(tmp_path, {"_header.jinja": header}, with_client=True)
    assert _generate(config) == 0
    manifest = json.loads((_package(config) / PACKAGE_MANIFEST_NAME).read_text("utf-8"))
    for name, text in _python_files(_package(config)).items():
        assert text.count(manifest["model_sha256"]) == header.count("{{"), name
        assert _HASH_STAND_IN not in text, name


def test_a_model_that_spells_the_stand_in_for_the_hash_keeps_its_words(tmp_path: Path) -> None:
    config = _project(tmp_path, with_client=True)
    model = json.loads((tmp_path / "model.json").read_text("utf-8"))
    output = model["shapes"][f"{NS}#GetThingOutput"]
    output["traits"]["smithy.api#documentation"] = f"Model sha256: {_HASH_STAND_IN}"
    (tmp_path / "model.json").write_text(json.dumps(model), "utf-8")
    assert _generate(config) == 0
    package = _package(config)
    manifest = json.loads((package / PACKAGE_MANIFEST_NAME).read_text("utf-8"))
    files = _python_files(package)
    # the docstring may wrap it; its words are all there
    assert f"Modelsha256:{_HASH_STAND_IN}" in "".join("".join(files.values()).split())
    for name, text in files.items():
        assert f"# Model sha256: {manifest['model_sha256']}\n" in text, name


def test_the_docstring_macro_is_replaced(tmp_path: Path) -> None:
    docs = (
        "{% macro docstring(text, fallback) -%}\n"
        '"""House style: {{ (text or fallback) | docstring(60) }}"""\n'
        "{%- endmacro %}\n"
    )
    config = _project(tmp_path, {"_docs.jinja": docs})
    assert _generate(config) == 0
    package = _package(config)
    enums = (package / "enums.py").read_text("utf-8")
    shapes = (package / "shapes.py").read_text("utf-8")
    assert '"""House style: A colour."""' in enums
    assert '"""House style: What a thing is called."""' in shapes
    assert '"""House style: The thing\'s id."""' in shapes
    # The module docstrings are the modules' own, not the macro's.
    assert shapes.count('"""House style:') == shapes.count("House style:")


def test_one_module_template_and_one_static_file_are_replaced(tmp_path: Path) -> None:
    plain = _project(tmp_path / "plain", with_client=True, setting=None)
    assert _generate(plain) == 0
    enums = (
        "{{ header }}\n"
        '"""The colours of {{ unit.service.sdk_id | docline }}, house style."""\n'
        "{% for shape in unit.enums %}\n\n"
        "{{ shape.py_name }} = ({% for value in shape.values %}{{ value.literal }}, "
        "{% endfor %})\n"
        "{% endfor %}\n"
    )
    transport = (shipped_dir() / "_transport.py").read_text("utf-8")
    transport += '\n\nHOUSE_NOTE = "our own transport"\n'
    config = _project(
        tmp_path / "house",
        {"enums.py.jinja": enums, "_transport.py": transport},
        with_client=True,
    )
    assert _generate(config) == 0
    before, after = _python_files(_package(plain)), _python_files(_package(config))
    assert set(before) == set(after)
    changed = {name for name in before if before[name] != after[name]}
    # what their enums.py.jinja renders is cut into parts like ours (`generator/lazy_parts.py`)
    cut = {name for name in changed if name.startswith("_enums_parts/")}
    assert cut and changed - cut == {"enums.py", "_transport.py"}
    assert '"""The colours of House, house style."""\n' in after["enums.py"]
    assert any('\n\nColour = ("red",)\n' in after[name] for name in cut)
    assert after["_transport.py"].endswith('\n\nHOUSE_NOTE = "our own transport"\n')
    # The package still imports: shapes.py imports Colour, which is now a tuple.
    found = run_isolated(config.parent / "out", "import house._transport, house.enums")
    assert found.returncode == 0, found.stderr


# -- adding a module --------------------------------------------------------------------------


def test_an_extra_template_adds_a_module_to_each_package(tmp_path: Path) -> None:
    extra = (
        "{{ header }}\n"
        '"""House helpers for {{ unit.service.sdk_id | docline }}."""\n'
        "OPERATIONS = [{% for operation in unit.operations %}"
        "{{ operation.name | pystr }},{% endfor %}]\n"
        "def version(): return {{ version | pystr }}\n"
    )
    config = _project(
        tmp_path,
        {"extra/house_helpers.py.jinja": extra, "extra/stub/house_stub.py.jinja": "{{ header }}"},
    )
    assert _generate(config) == 0
    package = _package(config)
    text = (package / "house_helpers.py").read_text("utf-8")
    # Formatted with black, like every module of ours.
    assert 'OPERATIONS = [\n    "GetThing",\n]\n\n\ndef version():\n    return "' in text
    assert (package / "stub" / "house_stub.py").is_file()
    listed = json.loads((package / PACKAGE_MANIFEST_NAME).read_text("utf-8"))
    assert {"house_helpers.py", "stub/house_stub.py"} <= set(listed["files"])
    assert set(listed["user_templates"]) == {
        "extra/house_helpers.py.jinja",
        "extra/stub/house_stub.py.jinja",
    }
    found = run_isolated(
        config.parent / "out", "import house.house_helpers as h; print(h.OPERATIONS)"
    )
    assert found.stdout == "['GetThing']\n", found.stderr
    assert _generate(config) == 0
    assert main(["--config", str(config), "check", "-q"]) == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "extra/shapes.py.jinja",
            "would add shapes.py to each package, which shapesmith writes itself; to replace "
            "it, put your shapes.py.jinja in the templates folder at that path",
        ),
        (
            "extra/Shapes.py.jinja",  # the same file on a case-insensitive file system
            "would add Shapes.py to each package, which shapesmith writes itself",
        ),
        (
            "extra/stub/_app.py.jinja",
            "would add stub/_app.py to each package, which shapesmith writes itself; to "
            "replace it, put your stub/_app.py in the templates folder at that path",
        ),
        (
            "extra/notes.md",
            "every file under extra/ is a module template named <module>.py.jinja",
        ),
        (
            "enum.py.jinja",  # a misspelt enums.py.jinja
            "replaces no template or runtime file of shapesmith's, so nothing would use it; a "
            "module of your own goes under extra/ as extra/<module>.py.jinja",
        ),
        ("_transprot.py", "replaces no template or runtime file of shapesmith's"),
    ],
)
def test_a_file_that_would_overwrite_ours_or_go_unused_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    config = _project(tmp_path, {name: "{{ header }}\n", "_house.jinja": "{# a macro file #}"})
    (line,) = _refused(config, capsys)
    assert line.startswith(f"error: {tmp_path / 'house-templates' / name}: {message}"), line


def test_every_problem_with_the_folder_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(
        tmp_path, {"extra/enums.py.jinja": "", "extra/a.txt": "", "house.py.jinja": ""}
    )
    (tmp_path / "house-templates" / "binary.jinja").write_bytes(b"\xff\xfe")
    lines = _refused(config, capsys)
    folder = tmp_path / "house-templates"
    assert [line.partition(": ")[2].partition(": ")[0] for line in lines] == [
        str(folder / "binary.jinja"),
        str(folder / "extra/a.txt"),
        str(folder / "extra/enums.py.jinja"),
        str(folder / "house.py.jinja"),
    ]
    assert lines[0].endswith(
        ": is not UTF-8 text: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
    )


# -- their templates are input: guarded, and their faults are theirs ---------------------------


def test_a_template_printing_model_text_unescaped_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    enums = '{{ header }}\n"""Enums."""\n# {{ unit.service.title or unit.service.sdk_id }}\n'
    config = _project(tmp_path, {"enums.py.jinja": enums})
    (line,) = _refused(config, capsys)
    assert line == (
        f"error: {tmp_path / 'house-templates' / 'enums.py.jinja'}:3: rendering house/enums.py: "
        "a template printed model text without an escaping filter: 'House'"
    )


def test_model_text_laundered_through_filters_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = (
        "{{ header }}\n"
        '{% set names = unit.structures | map(attribute="members") | map("map", attribute="name")'
        ' | map("join", ",") | join(";") %}\n'
        'NAMES = "{{ names | lower }}"\n'
    )
    config = _project(tmp_path, {"extra/names.py.jinja": extra})
    (line,) = _refused(config, capsys)
    assert line.startswith(f"error: {tmp_path / 'house-templates' / 'extra/names.py.jinja'}:3: ")
    assert line.endswith(
        "a template printed model text without an escaping filter: 'id,colour;name'"
    )


DOCS_WITH_ONE_PARAMETER = (
    '{% macro docstring(text) -%}\n"""{{ text | docstring(60) }}"""\n{%- endmacro %}\n'
)
DOCS_BREAKING_PYTHON = (
    '{% macro docstring(text, fallback) -%}\n""{{ fallback | docline }}"""\n{%- endmacro %}\n'
)


@pytest.mark.parametrize(
    ("files", "where", "message"),
    [
        (
            {"_docs.jinja": "{% macro docstring(text, fallback) %}\n{% if %}\n{% endmacro %}\n"},
            "_docs.jinja:2",
            "rendering house/enums.py: Expected an expression, got 'end of statement block'",
        ),
        (
            {"enums.py.jinja": "{{ header }}\n{{ no_such_name }}\n"},
            "enums.py.jinja:2",
            "rendering house/enums.py: 'no_such_name' is undefined",
        ),
        (
            {"enums.py.jinja": '{{ header }}\n{% import "_macros.jinja" as m %}\n'},
            "enums.py.jinja:2",
            "rendering house/enums.py: no template '_macros.jinja', neither yours nor "
            "shapesmith's",
        ),
        (
            # Our enums.py.jinja calls their macro with two arguments: no line of theirs fails.
            {"_docs.jinja": DOCS_WITH_ONE_PARAMETER},
            "_docs.jinja",
            "rendering house/enums.py: TypeError: macro 'docstring' takes not more than 1 "
            "argument(s) (your templates in it: _docs.jinja)",
        ),
        (
            {"_docs.jinja": DOCS_BREAKING_PYTHON},
            "_docs.jinja",
            "rendering house/enums.py: the result is not valid Python: ",
        ),
        (
            {"_header.jinja": "Made by the house.\n"},
            "_header.jinja",
            "rendering house/__init__.py: the result is not valid Python: ",
        ),
        (
            {"_runtime.py": "VERSION = '1'\n"},
            "_runtime.py",
            "declares no RUNTIME_VERSION string, which each package's manifest records",
        ),
    ],
)
def test_a_fault_of_their_templates_is_reported_at_their_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    where: str,
    message: str,
) -> None:
    config = _project(tmp_path, files)
    (line,) = _refused(config, capsys)
    assert line.startswith(f"error: {tmp_path / 'house-templates' / where}: {message}"), line


# -- the folder and the setting ---------------------------------------------------------------


def test_a_missing_templates_folder_is_refused_at_the_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, setting="no-such-folder")
    (line,) = _refused(config, capsys)
    assert line == f"error: {config}: /templates: {tmp_path / 'no-such-folder'} does not exist"


def test_a_file_given_as_the_templates_folder_is_refused_in_pyproject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "model.json").write_text(json.dumps(_model(with_client=False)), "utf-8")
    (tmp_path / "a-file").write_text("", "utf-8")
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.shapesmith]\nmodels = ["model.json"]\noutput = "out"\ntemplates = "a-file"\n',
        "utf-8",
    )
    (line,) = _refused(config, capsys)
    assert (
        line
        == f"error: {config}: /tool/shapesmith/templates: {tmp_path / 'a-file'} is not a folder"
    )


@pytest.mark.parametrize("setting", ["", "[]"])
def test_a_templates_setting_that_is_not_a_path_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str
) -> None:
    config = _project(tmp_path, setting=None)
    value = setting or '""'
    config.write_text(config.read_text("utf-8") + f"templates = {value}\n", "utf-8")
    (line,) = _refused(config, capsys)
    assert line == f"error: {config}: /templates: expected the path of a folder of templates"


def test_a_missing_folder_given_on_the_command_line_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, setting=None)
    missing = tmp_path / "nowhere"
    (line,) = _refused(config, capsys, "--templates", str(missing))
    assert line == f"error: {missing}: --templates: no such folder"


def test_the_command_line_folder_wins_over_the_setting(tmp_path: Path) -> None:
    config = _project(tmp_path, {"_header.jinja": "# from the setting\n"})
    _write(tmp_path / "flag", {"_header.jinja": "# from the flag\n"})
    assert _generate(config, "--templates", str(tmp_path / "flag")) == 0
    assert (_package(config) / "enums.py").read_text("utf-8").startswith("# from the flag\n")
    # Before the command too, like --config.
    assert main(["--templates", str(tmp_path / "flag"), "--config", str(config), "check"]) == 0


def test_hidden_files_and_caches_are_neither_served_nor_hashed(tmp_path: Path) -> None:
    config = _project(tmp_path, {"_header.jinja": "# house\n"})
    folder = tmp_path / "house-templates"
    (folder / ".DS_Store").write_bytes(b"\x00\xff")
    _write(folder, {".hidden/enums.py.jinja": "not used", "__pycache__/x.py": "not used"})
    assert _generate(config) == 0
    manifest = json.loads((config.parent / "out" / MANIFEST_NAME).read_text("utf-8"))
    assert list(manifest["user_templates"]) == ["_header.jinja"]


def test_a_linked_folder_in_the_templates_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, {"_header.jinja": "# house\n"})
    _write(tmp_path / "shared", {"house.py.jinja": ""})
    os.symlink(tmp_path / "shared", tmp_path / "house-templates" / "extra")
    (line,) = _refused(config, capsys)
    assert line == (
        f"error: {tmp_path / 'house-templates' / 'extra'}: is a symbolic link to a folder, "
        "which shapesmith does not follow: copy the folder in instead"
    )


def test_the_output_may_not_be_the_templates_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, {"_header.jinja": "# house\n"})
    folder = tmp_path / "house-templates"
    assert main(["--config", str(config), "generate", "--force", "--output", str(folder)]) == 2
    assert "holds " in capsys.readouterr().err
    assert (folder / "_header.jinja").read_text("utf-8") == "# house\n"


# -- drift ------------------------------------------------------------------------------------


def test_a_changed_template_is_drift_for_check_and_check_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, {"_header.jinja": "# house\n", "_house.jinja": "{# v1 #}"})
    assert _generate(config) == 0
    assert main(["--config", str(config), "check", "-q"]) == 0
    vendored = tmp_path / "vendor" / "hs"
    shutil.copytree(_package(config), vendored)
    assert main(["--config", str(config), "check", "--package", str(vendored)]) == 0
    capsys.readouterr()

    # A template no module imports changes no module, but the manifests say it changed.
    _write(tmp_path / "house-templates", {"_house.jinja": "{# v2 #}"})
    assert main(["--config", str(config), "check"]) == 1
    out = capsys.readouterr().out
    assert '-    "_house.jinja": "' in out and '+    "_house.jinja": "' in out
    assert main(["--config", str(config), "check", "--package", str(vendored)]) == 1
    (line,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("drift: ")]
    assert line.startswith(
        f"drift: {vendored / PACKAGE_MANIFEST_NAME}: rendered with your template _house.jinja "
        "at sha256 "
    )

    (tmp_path / "house-templates" / "_house.jinja").unlink()
    _write(tmp_path / "house-templates", {"_new.jinja": ""})
    assert main(["--config", str(config), "check", "--package", str(vendored)]) == 1
    drift = [line for line in capsys.readouterr().err.splitlines() if line.startswith("drift: ")]
    assert [line.partition(".json: ")[2] for line in drift] == [
        "rendered with your template _house.jinja, which the templates folder no longer has",
        "rendered without your template _new.jinja, which the templates folder now has",
    ]


def test_the_same_output_checked_without_their_templates_is_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(tmp_path, {"_header.jinja": "# house\n"})
    assert _generate(config) == 0
    without = config.read_text("utf-8").replace('templates = "house-templates"\n', "")
    config.write_text(without, "utf-8")
    assert main(["--config", str(config), "check"]) == 1
    out = capsys.readouterr().out
    assert "-# house\n+# Code generated by shapesmith " in out
    assert '-  "user_templates": {\n-    "_header.jinja": ' in out


@pytest.mark.parametrize(
    ("recorded", "error"),
    [
        ([], "/user_templates: expected an object"),
        ({"extra/a.py.jinja": 7}, "/user_templates/extra~1a.py.jinja: expected a string"),
    ],
)
def test_a_package_manifest_with_wrong_user_templates_is_refused_at_the_pointer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recorded: object, error: str
) -> None:
    config = _project(tmp_path, {"_header.jinja": "# house\n"})
    assert _generate(config) == 0
    manifest_path = _package(config) / PACKAGE_MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["user_templates"] = recorded
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    capsys.readouterr()
    assert main(["--config", str(config), "check", "--package", str(_package(config))]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert lines == [f"error: {manifest_path}: {error}"]


# -- documentation ----------------------------------------------------------------------------


def test_readme_documents_the_setting_the_flag_and_the_context() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for text in (
        'templates = "',
        "--templates DIR",
        "_header.jinja",
        "_docs.jinja",
        "extra/",
        "| `unit` |",
        "| `header` |",
        "| `version` |",
        "user_templates",
    ):
        assert text in readme, text
