"""Where templates and static runtime files come from: a maintainer's folder (`templates` in the
configuration, or `--templates`) first, then shapesmith's own.

- A file in the maintainer's folder replaces ours of the same path: a module template
  (`enums.py.jinja`), a macro file (`_docs.jinja`, `_wire.jinja`, `_checks.jinja`), the file
  header (`_header.jinja`), a static runtime file (`_transport.py`, `stub/_app.py`).
- A template under its `extra/` folder adds a module to every package: `extra/<path>.py.jinja`
  becomes `<package>/<path>.py`. Its path is the file's own path under `extra/`, found without
  following linked folders, so it cannot lead out of the package; it may not be a module
  shapesmith writes (replace ours at its own path instead).
- Any other file (a macro file of the maintainer's own, say) is there to be imported or included.
  A `.py` or `.py.jinja` file outside `extra/` that replaces nothing of ours is refused, since it
  would be silently unused: most likely a misspelt name.

The folder is read once, at the start of the run: every file (hidden files and Python caches
aside) is hashed into the manifests, so `check` sees a changed template, and what is hashed is
what renders.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.diagnostics import Diagnostic, ShapesmithError, fail

EXTRA_FOLDER = "extra"
HEADER_TEMPLATE = "_header.jinja"
_TEMPLATE_SUFFIX = ".jinja"
_MODULE_TEMPLATE_SUFFIX = ".py.jinja"
_SKIPPED = frozenset({"__pycache__"})


def shipped_dir() -> Path:
    """Templates ship inside the wheel (`generator/templates`); a source checkout keeps them at the top."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "templates"


def shipped_hash() -> str:
    """One sha256 over shapesmith's own templates and static files, with their paths."""
    digest = hashlib.sha256()
    root = shipped_dir()
    for name in sorted(_shipped_files(), key=lambda name: name.split("/")):
        digest.update(name.encode())
        digest.update((root / name).read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def _shipped_files() -> frozenset[str]:
    root = shipped_dir()
    return frozenset(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and _SKIPPED.isdisjoint(path.parts)
    )


def _module_of(name: str) -> str | None:
    """The path of the module a template or static file makes (`a/b.py.jinja`, `a/b.py` ->
    `a/b.py`); None for a file that makes none (a macro file)."""
    if name.endswith(_MODULE_TEMPLATE_SUFFIX):
        return name.removesuffix(_TEMPLATE_SUFFIX)
    return name if name.endswith(".py") else None


@dataclass(frozen=True)
class ExtraModule:
    """A module a maintainer adds to every package."""

    template: str
    """The template's name for the loader: `extra/<path>.py.jinja`."""
    path: str
    """Where it goes inside the package: `<path>.py`."""


@dataclass(frozen=True)
class UserFile:
    """A file of the maintainer's folder, as it was read once at the start of the run."""

    name: str
    """Its path inside the folder, `/`-separated: its name for the loader."""
    text: str
    """Its text, with every line ending read as a newline (as the loader reads ours)."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class _UserLoader(jinja2.BaseLoader):
    """Serves exactly the files read at the start of the run: what is hashed is what renders."""

    def __init__(self, folder: Path, files: tuple[UserFile, ...]) -> None:
        self._folder = folder
        self._texts = {file.name: file.text for file in files}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        text = self._texts.get(template)
        if text is None:
            raise jinja2.TemplateNotFound(template)
        return text, str(self._folder / template), lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self._texts)


@dataclass(frozen=True)
class TemplateSet:
    """The templates of one run: the maintainer's folder, if any, before ours."""

    user_dir: Path | None = None
    user_files: tuple[UserFile, ...] = ()
    """Every file of the maintainer's folder (hidden files and Python caches aside), by name."""
    extra_modules: tuple[ExtraModule, ...] = ()

    def loader(self) -> jinja2.BaseLoader:
        ours = jinja2.FileSystemLoader(shipped_dir())
        if self.user_dir is None:
            return ours
        return jinja2.ChoiceLoader([_UserLoader(self.user_dir, self.user_files), ours])

    @functools.cached_property
    def shipped_sha256(self) -> str:
        """`shipped_hash()`, read once for the run (every package's manifest and the output's
        record it)."""
        return shipped_hash()

    def user_hashes(self) -> dict[str, str]:
        """The sha256 of each file of the maintainer's folder, by its path inside it."""
        return {file.name: file.sha256 for file in self.user_files}

    def is_users(self, name: str) -> bool:
        """Whether the maintainer's folder serves the template or static file `name`."""
        return any(file.name == name for file in self.user_files)

    def shown(self, name: str) -> str:
        """The file of the maintainer's folder named `name`, as a diagnostic shows it."""
        return str(self.user_dir / name) if self.user_dir is not None else name

    def user_name(self, filename: str | None) -> str | None:
        """The name of the maintainer's file that a traceback or a syntax error names; None when
        the file is not theirs."""
        if self.user_dir is None or filename is None:
            return None
        folder = str(self.user_dir) + os.sep
        name = filename.removeprefix(folder)
        return name if name != filename and self.is_users(name) else None


SHIPPED = TemplateSet()
"""shapesmith's own templates, and nothing else."""


def open_templates(user_dir: Path | None) -> TemplateSet:
    """The templates of a run with the maintainer's folder `user_dir` (None: ours alone), its
    files read once. Every problem with them is reported at once."""
    if user_dir is None:
        return SHIPPED
    if not user_dir.is_dir():
        raise fail(str(user_dir), "", "the templates folder does not exist or is not a folder")
    files, problems = _read_folder(user_dir)
    shipped = _shipped_files()
    shipped_modules = {
        module.casefold(): name for name in shipped if (module := _module_of(name)) is not None
    }
    extras = []
    for file in files:
        name = file.name
        shown = str(user_dir / name)
        if name.startswith(EXTRA_FOLDER + "/"):
            module = name.removeprefix(EXTRA_FOLDER + "/").removesuffix(_TEMPLATE_SUFFIX)
            if not name.endswith(_MODULE_TEMPLATE_SUFFIX):
                problems.append(
                    Diagnostic(
                        shown,
                        "",
                        f"every file under {EXTRA_FOLDER}/ is a module template named "
                        f"<module>{_MODULE_TEMPLATE_SUFFIX} (other files go outside "
                        f"{EXTRA_FOLDER}/)",
                    )
                )
            # Case folded: on a case-insensitive file system, Enums.py would overwrite enums.py.
            elif module.casefold() in shipped_modules:
                ours = shipped_modules[module.casefold()]
                problems.append(
                    Diagnostic(
                        shown,
                        "",
                        f"would add {module} to each package, which shapesmith writes itself; "
                        f"to replace it, put your {ours} in the templates folder at that path",
                    )
                )
            else:
                extras.append(ExtraModule(template=name, path=module))
        elif _module_of(name) is not None and name not in shipped:
            problems.append(
                Diagnostic(
                    shown,
                    "",
                    "replaces no template or runtime file of shapesmith's, so nothing would use "
                    f"it; a module of your own goes under {EXTRA_FOLDER}/ as "
                    f"{EXTRA_FOLDER}/<module>{_MODULE_TEMPLATE_SUFFIX}",
                )
            )
    if problems:
        raise ShapesmithError(problems)
    return TemplateSet(user_dir=user_dir, user_files=files, extra_modules=tuple(extras))


def _read_folder(root: Path) -> tuple[tuple[UserFile, ...], list[Diagnostic]]:
    """Every file under `root` (hidden files and Python caches aside), and what is refused: a
    linked folder (followed, it could lead anywhere, even back into itself), a file that cannot
    be read or is not UTF-8 text."""
    files: list[UserFile] = []
    problems: list[Diagnostic] = []
    pending: list[tuple[str, ...]] = [()]
    while pending:
        parts = pending.pop()
        try:
            with os.scandir(root.joinpath(*parts)) as found:
                entries = sorted(found, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Diagnostic(str(root.joinpath(*parts)), "", f"cannot be read: {error}"))
            continue
        for entry in entries:
            if entry.name in _SKIPPED or entry.name.startswith("."):
                continue
            shown = str(root.joinpath(*parts, entry.name))
            if entry.is_dir(follow_symlinks=False):
                pending.append((*parts, entry.name))
            elif entry.is_dir():
                problems.append(
                    Diagnostic(
                        shown,
                        "",
                        "is a symbolic link to a folder, which shapesmith does not follow: copy "
                        "the folder in instead",
                    )
                )
            elif not entry.is_file():
                problems.append(Diagnostic(shown, "", "is not a regular file"))
            else:
                try:
                    data = Path(entry.path).read_bytes()
                    text = data.decode("utf-8")
                except OSError as error:
                    problems.append(Diagnostic(shown, "", f"cannot be read: {error.strerror}"))
                except UnicodeDecodeError as error:
                    problems.append(Diagnostic(shown, "", f"is not UTF-8 text: {error}"))
                else:
                    # Line endings as Jinja's file loader reads ours (universal newlines).
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
                    files.append(UserFile("/".join((*parts, entry.name)), text))
    return tuple(sorted(files, key=lambda file: file.name)), problems
