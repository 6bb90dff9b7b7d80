"""Where the models are, what to generate from them, and where it goes: `[tool.shapesmith]`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import ShapesmithError, fail

DEFAULT_CONFIG_FILES = ("shapesmith.toml", "pyproject.toml")


@dataclass(frozen=True)
class Config:
    file: Path
    root: Path
    models: tuple[Path, ...]
    output: Path
    operations: tuple[str, ...]
    strict: bool = False
    """Warnings (what the output leaves out) are errors: nothing is written."""
    templates: Path | None = None
    """The maintainer's templates, put before shapesmith's own (`generator/template_set.py`)."""

    @property
    def display_file(self) -> str:
        return self.file.name


def find_config(start: Path) -> Path:
    for name in DEFAULT_CONFIG_FILES:
        candidate = start / name
        if candidate.is_file() and _section(candidate) is not None:
            return candidate
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
    operations = section.get("operations", [])
    if not isinstance(operations, list) or not all(isinstance(o, str) for o in operations):
        raise fail(
            str(path), f"{prefix}/operations", "expected a list of absolute operation shape ids"
        )
    out = section.get("output", "generated")
    if not isinstance(out, str) or not out:
        raise fail(str(path), f"{prefix}/output", "expected a directory path")
    strict_setting = section.get("strict", False)
    if not isinstance(strict_setting, bool):
        raise fail(str(path), f"{prefix}/strict", "expected true or false")
    if templates is not None:
        if not templates.is_dir():
            raise fail(str(templates), "", "--templates: no such folder")
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
        operations=tuple(operations),
        strict=strict or strict_setting,
        templates=templates,
    )


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
