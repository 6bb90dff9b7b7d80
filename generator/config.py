"""Where the models are, what to generate from them, and where it goes: `[tool.shapesmith]`."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import ShapesmithError, fail

DEFAULT_CONFIG_FILES = ("shapesmith.toml", "pyproject.toml")
EVERY_OPERATION = "*"
"""`operations = "*"`: every operation of every service in the models."""


@dataclass(frozen=True)
class Config:
    file: Path | None
    """The configuration file; None for a one-off run (`--model` on the command line)."""
    root: Path
    models: tuple[Path, ...]
    output: Path
    operations: tuple[str, ...]
    """Absolute operation shape ids; empty: every operation of every service."""
    strict: bool = False
    """Warnings (what the output leaves out) are errors: nothing is written."""
    templates: Path | None = None
    """The maintainer's templates, put before shapesmith's own (`generator/template_set.py`)."""

    @property
    def operations_source(self) -> tuple[str, str]:
        """Where the selection was written, for diagnostics: (file, JSON pointer of the list),
        or, on the command line, the option and no pointer."""
        if self.file is None:
            return ("--operation" if self.operations else "--model"), ""
        pointer = (
            "/operations" if self.file.name == "shapesmith.toml" else "/tool/shapesmith/operations"
        )
        return str(self.file), pointer


def config_here(start: Path) -> Path | None:
    """The configuration file in `start`, if there is one."""
    for name in DEFAULT_CONFIG_FILES:
        candidate = start / name
        if candidate.is_file() and _section(candidate) is not None:
            return candidate
    return None


def find_config(start: Path) -> Path:
    found = config_here(start)
    if found is not None:
        return found
    raise fail(
        str(start),
        "",
        "no configuration found: expected a [tool.shapesmith] table in pyproject.toml, or "
        "shapesmith.toml, in this directory (or pass --config)",
    )


def _section(path: Path) -> dict[str, object] | None:
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise fail(str(path), "", f"cannot read the configuration: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise fail(str(path), "", f"invalid TOML: {error}") from None
    if path.name == "shapesmith.toml":
        return document
    section = document.get("tool", {}).get("shapesmith")
    return section if isinstance(section, dict) else None


def load_config(
    path: Path,
    *,
    output: Path | None = None,
    strict: bool = False,
    templates: Path | None = None,
) -> Config:
    """The configuration in `path`; `output`, `strict` and `templates` given on the command line
    win over its settings."""
    section = _section(path)
    prefix = "" if path.name == "shapesmith.toml" else "/tool/shapesmith"
    if section is None:
        raise fail(str(path), prefix, "expected a [tool.shapesmith] table")
    root = path.parent
    models = section.get("models")
    if not isinstance(models, list) or not models or not all(isinstance(m, str) for m in models):
        raise fail(str(path), f"{prefix}/models", "expected a non-empty list of model file paths")
    operations = _operations(section.get("operations", []), str(path), f"{prefix}/operations")
    out = section.get("output", "generated")
    if not isinstance(out, str) or not out:
        raise fail(str(path), f"{prefix}/output", "expected a directory path")
    strict_setting = section.get("strict", False)
    if not isinstance(strict_setting, bool):
        raise fail(str(path), f"{prefix}/strict", "expected true or false")
    if templates is not None:
        _check_templates_flag(templates)
    else:
        templates = _templates_folder(path, prefix, root, section.get("templates"))
    unknown = sorted(set(section) - {"models", "operations", "output", "strict", "templates"})
    if unknown:
        raise ShapesmithError(
            [
                fail(str(path), f"{prefix}/{key}", "unknown setting").diagnostics[0]
                for key in unknown
            ]
        )
    return Config(
        file=path,
        root=root,
        models=tuple(root / model for model in models),
        output=output if output is not None else root / out,
        operations=operations,
        strict=strict or strict_setting,
        templates=templates,
    )


def _operations(setting: object, path: str, pointer: str) -> tuple[str, ...]:
    """The selected operation ids; `"*"` and an empty list select every operation."""
    if setting == EVERY_OPERATION:
        return ()
    if isinstance(setting, str):
        raise fail(
            path,
            pointer,
            f'expected "*" (every operation of every service) or a list of absolute operation '
            f"shape ids, not the string {setting!r}",
        )
    if not isinstance(setting, list) or not all(isinstance(o, str) for o in setting):
        raise fail(
            path,
            pointer,
            'expected "*" (every operation of every service) or a list of absolute operation '
            "shape ids",
        )
    return tuple(setting)


def one_off_config(
    models: Sequence[Path],
    output: Path,
    operations: Sequence[str],
    *,
    strict: bool = False,
    templates: Path | None = None,
) -> Config:
    """A run described on the command line alone (`--model`): no configuration file is read.
    Paths are as given (relative to the current folder), which is the project root: the
    output may not be it or a parent of it."""
    if templates is not None:
        _check_templates_flag(templates)
    return Config(
        file=None,
        root=Path.cwd(),
        models=tuple(models),
        output=output,
        operations=tuple(operations),
        strict=strict,
        templates=templates,
    )


def _check_templates_flag(templates: Path) -> None:
    if not templates.is_dir():
        raise fail(str(templates), "", "--templates: no such folder")


def _templates_folder(path: Path, prefix: str, root: Path, setting: object) -> Path | None:
    if setting is None:
        return None
    pointer = f"{prefix}/templates"
    if not isinstance(setting, str) or not setting:
        raise fail(str(path), pointer, "expected the path of a folder of templates")
    folder = root / setting
    if not folder.is_dir():
        shown = "does not exist" if not folder.exists() else "is not a folder"
        raise fail(str(path), pointer, f"{folder} {shown}")
    return folder
