"""The writer: what `generate` may replace, and that replacing survives a crash or Ctrl-C.

- Ownership: an absent, empty or manifest-listed folder is replaced; anything else is refused with
  every stranger listed, unless `force`; the project, its models and version-control folders never,
  `force` or not. Nothing outside the output folder is ever touched (symbolic links, hostile
  manifests).
- Permissions: the folder keeps its mode; new folders and files get the umask's.
- Crash safety: a forked writer is killed (os._exit) or interrupted at every step, with and
  without RENAME_EXCHANGE; the output path holds the old tree or the new one, and the next run (or
  the interrupted run itself) leaves no temporary folder.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import ownership, replace
from generator.diagnostics import ShapesmithError
from generator.output import diff_tree, write_tree
from generator.ownership import MANIFEST_NAME, Keep

Files = dict[str, str]
CHILD_POLLS = 12_000  # 10 ms each: two minutes for a forked writer, however busy the machine


def _with_manifest(files: Files) -> Files:
    manifest = {"generator": "shapesmith", "files": ownership.file_hashes(files)}
    return {**files, MANIFEST_NAME: json.dumps(manifest, indent=2) + "\n"}


OLD = _with_manifest(
    {"pkg/__init__.py": "old = 1\n", "pkg/sub/deep.py": "old = 2\n", "only_old.py": "x = 0\n"}
)
NEW = _with_manifest(
    {"pkg/__init__.py": "new = 1\n", "pkg/new.py": "new = 2\n", "other/mod.py": "new = 3\n"}
)


def _as_bytes(files: Mapping[str, str]) -> dict[str, bytes]:
    return {path: text.encode() for path, text in files.items()}


def _files(folder: Path) -> dict[str, bytes] | None:
    """The regular files under `folder` (None if there is no folder), failing on anything else."""
    if not os.path.lexists(folder):
        return None
    found = {}
    for entry in ownership.walk(folder):
        assert entry.kind in ("file", "folder"), entry
        if entry.kind == "file":
            found[entry.relative] = (folder / entry.relative).read_bytes()
    return found


def _snapshot(root: Path) -> dict[str, object]:
    """Every name under `root` with its kind, mode and bytes (or link target)."""
    found: dict[str, object] = {}
    for entry in ownership.walk(root):
        path = root / entry.relative
        info = os.lstat(path)
        if entry.kind == "file":
            content: object = path.read_bytes()
        elif entry.kind == "link":
            content = os.readlink(path)
        else:
            content = None
        found[entry.relative] = (entry.kind, stat.S_IMODE(info.st_mode), content)
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "models" / "service.json").write_text("{}\n", "utf-8")
    (root / "shapesmith.toml").write_text('models = ["models/service.json"]\n', "utf-8")
    return root


def _keep(project: Path) -> Keep:
    return Keep(project, (project / "shapesmith.toml", project / "models" / "service.json"))


def _put(folder: Path, files: Mapping[str, str | bytes]) -> None:
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)


def _refused(output: Path, keep: Keep, *, force: bool = False) -> list[str]:
    with pytest.raises(ShapesmithError) as raised:
        write_tree(output, NEW, keep, force=force)
    return [str(diagnostic) for diagnostic in raised.value.diagnostics]


# -- what is replaced ---------------------------------------------------------------------------


def test_an_absent_folder_is_created_with_its_parents(project: Path) -> None:
    output = project / "build" / "nested" / "generated"
    write_tree(output, NEW, _keep(project))
    assert _files(output) == _as_bytes(NEW)
    assert sorted(os.listdir(output.parent)) == ["generated"]


def test_an_empty_folder_is_replaced(project: Path) -> None:
    output = project / "generated"
    output.mkdir()
    write_tree(output, NEW, _keep(project))
    assert _files(output) == _as_bytes(NEW)


def test_a_folder_holding_only_tool_caches_counts_as_empty(project: Path) -> None:
    output = project / "generated"
    _put(
        output, {"__pycache__/x.pyc": b"\0", ".mypy_cache/3.11/y.json": "{}", "a/.ruff_cache/z": ""}
    )
    write_tree(output, NEW, _keep(project))
    assert _files(output) == _as_bytes(NEW)


def _identities(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        "/".join(entry.relative): (
            os.lstat(folder / entry.relative).st_ino,
            os.lstat(folder / entry.relative).st_mtime_ns,
        )
        for entry in ownership.walk(folder)
    }


def _link_to_the_same_bytes(output: Path) -> None:
    elsewhere = output.parent / "elsewhere.py"
    elsewhere.write_bytes((output / "pkg" / "new.py").read_bytes())
    (output / "pkg" / "new.py").unlink()
    (output / "pkg" / "new.py").symlink_to(elsewhere)


def test_a_folder_that_already_holds_the_files_is_left_untouched(project: Path) -> None:
    output = project / "generated"
    assert write_tree(output, NEW, _keep(project)) is True
    before = _identities(output)
    assert write_tree(output, NEW, _keep(project)) is False
    assert _identities(output) == before
    assert not replace.journal_path(output).exists()


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda out: (out / "pkg" / "new.py").write_text("new = 2 \n"), id="a byte"),
        pytest.param(lambda out: (out / "pkg" / "new.py").unlink(), id="a missing file"),
        pytest.param(_link_to_the_same_bytes, id="a link to the same bytes"),
    ],
)
def test_a_folder_that_differs_in_any_file_is_replaced(
    project: Path, spoil: Callable[[Path], object]
) -> None:
    output = project / "generated"
    write_tree(output, NEW, _keep(project))
    spoil(output)
    assert write_tree(output, NEW, _keep(project), force=True) is True
    assert _files(output) == _as_bytes(NEW)


def test_an_earlier_output_is_replaced_exactly(project: Path) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    (output / "pkg" / "__pycache__").mkdir()
    (output / "pkg" / "__pycache__" / "old.pyc").write_bytes(b"\0")
    write_tree(output, NEW, _keep(project))
    assert _files(output) == _as_bytes(NEW)
    assert sorted(os.listdir(project)) == ["generated", "models", "shapesmith.toml"]


# -- what is refused without --force --------------------------------------------------------------


@pytest.mark.parametrize(
    ("stranger", "listed"),
    [
        ({"notes.txt": "mine"}, "notes.txt: a file"),
        ({"pkg/sub/mine.py": "mine"}, "pkg/sub/mine.py: a file"),
        ({"docs/a.md": "a", "docs/b/c.md": "c"}, "docs/: a folder"),
    ],
)
def test_user_files_in_an_earlier_output_are_refused_and_listed(
    project: Path, stranger: Files, listed: str
) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    _put(output, stranger)
    before = _snapshot(project)

    messages = _refused(output, _keep(project))

    assert "1 entry that is not shapesmith's output (not listed in its" in messages[0]
    assert "pass --force" in messages[0]
    assert messages[1] == f"{output}/{listed} that is not shapesmith's output"
    assert len(messages) == 2
    assert _snapshot(project) == before


def test_an_empty_user_folder_is_refused(project: Path) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    (output / "pkg" / "empty").mkdir()
    assert _refused(output, _keep(project))[1].endswith(
        "pkg/empty/: a folder that is not shapesmith's output"
    )


def test_a_folder_without_a_manifest_is_refused(project: Path) -> None:
    output = project / "generated"
    _put(output, {"a.py": "", "b/c.py": ""})
    before = _snapshot(project)
    messages = _refused(output, _keep(project))
    assert f"(it has no {MANIFEST_NAME})" in messages[0]
    assert [m.split(": ")[0] for m in messages[1:]] == [f"{output}/a.py", f"{output}/b/"]
    assert _snapshot(project) == before


def _deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe", "is not valid JSON"),
        (_deep_json(100_000), "is not valid JSON"),
        (b'{"generator": "shapesmith", "files": {"a": ' + b"1" * 5000 + b"}}", "not valid JSON"),
        (b"[]", "is not a shapesmith manifest"),
        (b'{"generator": "other", "files": {}}', "is not a shapesmith manifest"),
        (b'{"generator": "shapesmith", "files": ["a.py"]}', "is not a shapesmith manifest"),
    ],
)
def test_a_corrupt_manifest_owns_nothing(project: Path, content: bytes, reason: str) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    (output / MANIFEST_NAME).write_bytes(content)
    before = _snapshot(project)
    messages = _refused(output, _keep(project))
    assert reason in messages[0], messages
    assert f"{output}/{MANIFEST_NAME}: a file" in "\n".join(messages)
    assert _snapshot(project) == before


@pytest.mark.parametrize("kind", ["folder", "link", "fifo"])
def test_a_manifest_that_is_not_a_regular_file_owns_nothing(
    project: Path, tmp_path: Path, kind: str
) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    manifest = output / MANIFEST_NAME
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(OLD[MANIFEST_NAME], "utf-8")
    manifest.unlink()
    if kind == "folder":
        manifest.mkdir()
    elif kind == "link":
        manifest.symlink_to(elsewhere)
    else:
        os.mkfifo(manifest)  # reading it would wait forever for a writer
    messages = _refused(output, _keep(project))
    assert f"its {MANIFEST_NAME} is not a regular file" in messages[0]
    assert elsewhere.read_text("utf-8") == OLD[MANIFEST_NAME]


@pytest.mark.parametrize("force", [False, True])
def test_a_hostile_manifest_never_reaches_outside(
    project: Path, tmp_path: Path, force: bool
) -> None:
    """Manifest entries are only compared with names on disk: `..`, absolute paths and other
    spellings match nothing, so they neither own a file nor lead anywhere."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", "utf-8")
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    (output / "x").write_text("stranger\n", "utf-8")
    hostile = ["../../victim.txt", str(victim), "/", "..", ".", "", "pkg/../x", "./x", "x/", "X"]
    manifest = json.loads((output / MANIFEST_NAME).read_text("utf-8"))
    manifest["files"].update({path: "0" for path in hostile})
    (output / MANIFEST_NAME).write_text(json.dumps(manifest), "utf-8")

    if force:
        write_tree(output, NEW, _keep(project), force=True)
        assert _files(output) == _as_bytes(NEW)
    else:
        messages = _refused(output, _keep(project))
        assert messages[1] == f"{output}/x: a file that is not shapesmith's output"
    assert victim.read_text("utf-8") == "precious\n"


@pytest.mark.parametrize("force", [False, True])
def test_symbolic_links_inside_are_never_followed(
    project: Path, tmp_path: Path, force: bool
) -> None:
    outside = tmp_path / "outside"
    _put(outside, {"keep.txt": "keep\n", "deep/keep.py": "keep = 1\n"})
    before = _snapshot(outside)
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    (output / "folder_link").symlink_to(outside, target_is_directory=True)
    (output / "pkg" / "sub" / "deep.py").unlink()  # listed in the manifest, now a link
    (output / "pkg" / "sub" / "deep.py").symlink_to(outside / "keep.txt")
    (output / "dangling").symlink_to(tmp_path / "nowhere")

    if force:
        write_tree(output, NEW, _keep(project), force=True)
        assert _files(output) == _as_bytes(NEW)
    else:
        messages = _refused(output, _keep(project))
        assert sorted(m.partition(": ")[0] for m in messages[1:]) == [
            f"{output}/dangling",
            f"{output}/folder_link",
            f"{output}/pkg/sub/deep.py",
        ]
        assert all(
            m.endswith("a symbolic link that is not shapesmith's output") for m in messages[1:]
        )
    assert _snapshot(outside) == before


def test_the_refusal_lists_a_bounded_number_of_entries(project: Path) -> None:
    output = project / "generated"
    _put(output, {f"user{index:02}.txt": "" for index in range(ownership.MAX_LISTED + 5)})
    messages = _refused(output, _keep(project))
    assert len(messages) == 1 + ownership.MAX_LISTED
    assert messages[0].startswith(f"{output}: holds 25 entries")
    assert f"; the first {ownership.MAX_LISTED} follow;" in messages[0]


def test_names_that_would_break_a_diagnostic_line_are_escaped(project: Path) -> None:
    output = project / "generated"
    (output / "evil\nerror: forged").mkdir(parents=True)
    messages = _refused(output, _keep(project))
    assert "\n" not in "".join(messages)
    assert any("evil\\nerror: forged/" in message for message in messages), messages


def test_a_folder_too_large_to_be_ours_is_refused_even_with_force(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ownership, "MAX_ENTRIES", 10)
    output = project / "generated"
    _put(output, {f"f{index}": "" for index in range(11)})
    before = _snapshot(project)
    messages = _refused(output, _keep(project), force=True)
    assert "holds more than 10 files and folders" in messages[0]
    assert _snapshot(project) == before


def test_force_replaces_a_folder_of_user_files(project: Path) -> None:
    output = project / "generated"
    _put(output, {"notes.txt": "mine", "docs/a.md": "a"})
    write_tree(output, NEW, _keep(project), force=True)
    assert _files(output) == _as_bytes(NEW)


# -- what is refused even with --force ------------------------------------------------------------


def _unsafe_outputs(project: Path, tmp_path: Path) -> Iterator[tuple[str, Path, Keep]]:
    keep = _keep(project)
    yield "the project root", project, keep
    yield "a parent of the project root", project.parent, keep
    yield "the filesystem root", Path("/"), keep
    yield "the models folder", project / "models", keep
    yield "a relative spelling of the root", project / "models" / "..", keep
    link = tmp_path / "link_to_project"
    link.symlink_to(project, target_is_directory=True)
    yield "a symbolic link to the project", link, keep
    # A model file at depth, reached through a symbolic link, or a link to a model elsewhere.
    deep = project / "vendor" / "a" / "b"
    _put(deep, {"model.json": "{}"})
    yield "a folder holding a model at depth", project / "vendor", Keep(
        project, (project / "shapesmith.toml", deep / "model.json")
    )
    linked_model = project / "models" / "linked.json"
    real = tmp_path / "elsewhere" / "real.json"
    _put(real.parent, {"real.json": "{}"})
    linked_model.symlink_to(real)
    yield "a folder holding the real file behind a model link", real.parent, Keep(
        project, (project / "shapesmith.toml", linked_model)
    )
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "service.json").symlink_to(project / "models" / "service.json")
    yield "a folder holding a link named as a model", mirror, Keep(
        project, (project / "shapesmith.toml", mirror / "service.json")
    )
    for vcs in (".git", ".hg", ".svn"):
        (tmp_path / f"repo{vcs}" / "deep" / vcs).mkdir(parents=True)
        yield f"a folder holding {vcs} at depth", tmp_path / f"repo{vcs}", keep
    worktree = tmp_path / "worktree"
    _put(worktree, {".git": "gitdir: /elsewhere\n", "a.py": ""})
    yield "a folder holding a .git file (a worktree)", worktree, keep
    yield "a folder inside .git", project / ".git" / "generated", keep


UNSAFE_CASES = [
    "the project root",
    "a parent of the project root",
    "the filesystem root",
    "the models folder",
    "a relative spelling of the root",
    "a symbolic link to the project",
    "a folder holding a model at depth",
    "a folder holding the real file behind a model link",
    "a folder holding a link named as a model",
    "a folder holding .git at depth",
    "a folder holding .hg at depth",
    "a folder holding .svn at depth",
    "a folder holding a .git file (a worktree)",
    "a folder inside .git",
]


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("case", UNSAFE_CASES)
def test_unsafe_outputs_are_refused_even_with_force(
    project: Path, tmp_path: Path, case: str, force: bool
) -> None:
    cases = {name: (output, keep) for name, output, keep in _unsafe_outputs(project, tmp_path)}
    assert sorted(cases) == sorted(UNSAFE_CASES)
    output, keep = cases[case]
    before = _snapshot(tmp_path)
    messages = _refused(output, keep, force=force)
    assert all("--force does not change this" in message for message in messages), messages
    assert _snapshot(tmp_path) == before


def test_the_home_folder_is_refused(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    _put(home, {"diary.txt": "dear diary"})
    monkeypatch.setenv("HOME", str(home))
    for output in (home, tmp_path):
        messages = _refused(output, _keep(project), force=True)
        assert "--force does not change this" in messages[-1]
    assert (home / "diary.txt").read_text("utf-8") == "dear diary"


def test_vendoring_into_another_repository_is_allowed(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-repo"
    _put(other, {".git/HEAD": "ref: refs/heads/main\n", "README.md": "theirs\n"})
    before = _snapshot(other)
    output = other / "vendor" / "pkg"
    write_tree(output, OLD, _keep(project))
    write_tree(output, NEW, _keep(project))
    assert _files(output) == _as_bytes(NEW)
    after = _snapshot(other)
    assert {k: v for k, v in after.items() if not k.startswith("vendor")} == before


@pytest.mark.parametrize("what", ["file", "link to a file", "dangling link", "link loop"])
def test_an_output_that_is_not_a_folder_is_refused_even_with_force(
    project: Path, tmp_path: Path, what: str
) -> None:
    output = project / "generated"
    if what == "file":
        output.write_text("a file\n", "utf-8")
    elif what == "link to a file":
        output.symlink_to(project / "shapesmith.toml")
    elif what == "dangling link":
        output.symlink_to(tmp_path / "nowhere")
    else:
        output.symlink_to(project / "loop")
        (project / "loop").symlink_to(output)
    before = _snapshot(tmp_path)
    _refused(output, _keep(project), force=True)
    assert _snapshot(tmp_path) == before


def test_an_output_link_is_kept_and_its_folder_replaced(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "build" / "generated"
    write_tree(real, OLD, _keep(project))
    link = project / "generated"
    link.symlink_to(real, target_is_directory=True)
    write_tree(link, NEW, _keep(project))
    assert link.is_symlink() and link.resolve() == real
    assert _files(real) == _as_bytes(NEW)
    assert sorted(os.listdir(real.parent)) == ["generated"]


# -- permissions ----------------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[int]:
    previous = os.umask(0o022)
    try:
        yield 0o022
    finally:
        os.umask(previous)


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o705, 0o2775, 0o555])
def test_the_folder_keeps_its_mode(project: Path, umask_022: int, mode: int) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    (output / "pkg").chmod(0o500)  # a read-only folder in the old tree is still removed
    output.chmod(mode)
    write_tree(output, NEW, _keep(project))
    assert stat.S_IMODE(output.stat().st_mode) == mode
    assert _files(output) == _as_bytes(NEW)
    assert sorted(os.listdir(project)) == ["generated", "models", "shapesmith.toml"]


def test_new_folders_and_files_get_the_umasks_modes(project: Path, umask_022: int) -> None:
    output = project / "generated"
    write_tree(output, NEW, _keep(project))
    assert stat.S_IMODE(output.stat().st_mode) == 0o755  # not mkdtemp's 0700
    for entry in ownership.walk(output):
        expected = 0o755 if entry.kind == "folder" else 0o644
        assert stat.S_IMODE((output / entry.relative).stat().st_mode) == expected, entry


# -- property: whatever the tree and the manifest, nothing outside is touched -------------------

_PARTS = st.sampled_from(["a", "b", "c.py", "__init__.py", "x y", "é"])
_PATHS = st.lists(_PARTS, min_size=1, max_size=3).map("/".join)
_HOSTILE = st.sampled_from(["../outside.txt", "/etc/passwd", "a/../b", "./a", "a//b", "", ".."])


def _consistent(paths: list[str]) -> list[str]:
    """Drop paths that would need a name to be both a file and a folder."""
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(p + "/") or p.startswith(path + "/") or p == path for p in kept):
            kept.append(path)
    return kept


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    on_disk=st.lists(_PATHS, max_size=6).map(_consistent),
    listed_mask=st.lists(st.booleans(), min_size=6, max_size=6),
    hostile=st.lists(_HOSTILE, max_size=3),
    force=st.booleans(),
)
def test_only_a_fully_listed_folder_is_replaced_and_nothing_outside_is_touched(
    tmp_path_factory: pytest.TempPathFactory,
    on_disk: list[str],
    listed_mask: list[bool],
    hostile: list[str],
    force: bool,
) -> None:
    base = tmp_path_factory.mktemp("prop")
    project = base / "project"
    _put(project, {"shapesmith.toml": "", "models/service.json": "{}"})
    _put(base, {"outside.txt": "outside\n"})
    output = project / "out"
    output.mkdir()
    _put(output, {path: path for path in on_disk})
    listed = [path for path, keep in zip(on_disk, listed_mask, strict=False) if keep]
    if listed or hostile:
        files = {path: "0" for path in listed + hostile}
        (output / MANIFEST_NAME).write_text(
            json.dumps({"generator": "shapesmith", "files": files}), "utf-8"
        )
    outside_before = {k: v for k, v in _snapshot(base).items() if not k.startswith("project/out")}
    inside_before = _snapshot(output)

    strangers = set(on_disk) - set(listed)
    if strangers and not force:
        messages = _refused(output, _keep(project))
        assert len(messages) > 1
        assert _snapshot(output) == inside_before
    else:
        write_tree(output, NEW, _keep(project), force=force)
        assert _files(output) == _as_bytes(NEW)
    outside_after = {k: v for k, v in _snapshot(base).items() if not k.startswith("project/out")}
    assert outside_after == outside_before


# -- crash safety ---------------------------------------------------------------------------------


def _in_child(work: Callable[[], None], environment: Mapping[str, str]) -> int:
    """Run `work` in a forked child with `environment` added; its exit code (130 on Ctrl-C)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            os.environ.update(environment)
            work()
        except KeyboardInterrupt:
            code = 130
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    for _ in range(CHILD_POLLS):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("the forked writer did not finish")


def _leftovers(output: Path) -> list[str]:
    return sorted(name for name in os.listdir(output.parent) if name != output.name)


def _reaches(step: str, *, exchange: bool, had_old: bool) -> bool:
    if step == "old-moved-aside":
        return had_old and not exchange
    if step.startswith("old-"):
        return had_old
    return True


@pytest.mark.parametrize("had_old", [True, False], ids=["old tree", "no old tree"])
@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two renames"])
@pytest.mark.parametrize("step", replace.STEPS)
def test_a_crash_at_any_step_leaves_the_old_or_the_new_tree(
    tmp_path: Path, step: str, exchange: bool, had_old: bool
) -> None:
    keep = _keep(tmp_path)
    output = tmp_path / "out" / "generated"
    old = OLD if had_old else None
    if had_old:
        write_tree(output, OLD, keep)
    environment = {replace.CRASH_AT: step, replace.NO_EXCHANGE: "0" if exchange else "1"}

    code = _in_child(lambda: write_tree(output, NEW, keep), environment)

    reached = _reaches(step, exchange=exchange, had_old=had_old)
    assert code == (replace.CRASH_EXIT_CODE if reached else 0)
    complete = [_as_bytes(NEW), _as_bytes(old) if old else None]
    if reached:
        assert replace.journal_path(output).name in _leftovers(output)
    if reached and step == "old-moved-aside":
        # The one moment without RENAME_EXCHANGE when the path is empty: the next run (any
        # command that writes, or `recover`) puts the old tree back.
        assert _files(output) is None
        replace.recover(output)
        assert _files(output) == _as_bytes(OLD)
    else:
        assert _files(output) in complete

    replace.recover(output)
    assert _files(output) in complete
    assert _leftovers(output) == []

    write_tree(output, NEW, keep)
    assert _files(output) == _as_bytes(NEW)
    assert _leftovers(output) == []


@pytest.mark.parametrize("had_old", [True, False], ids=["old tree", "no old tree"])
@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two renames"])
@pytest.mark.parametrize("step", replace.STEPS)
def test_ctrl_c_at_any_step_cleans_up_at_once(
    tmp_path: Path, step: str, exchange: bool, had_old: bool
) -> None:
    keep = _keep(tmp_path)
    output = tmp_path / "out" / "generated"
    if had_old:
        write_tree(output, OLD, keep)
    environment = {replace.INTERRUPT_AT: step, replace.NO_EXCHANGE: "0" if exchange else "1"}

    code = _in_child(lambda: write_tree(output, NEW, keep), environment)

    reached = _reaches(step, exchange=exchange, had_old=had_old)
    assert code == (130 if reached else 0)
    assert _files(output) in [_as_bytes(NEW), _as_bytes(OLD) if had_old else None]
    if reached and step in (
        "journal-written",
        "staging-created",
        "file-written",
        "old-moved-aside",
    ):
        assert _files(output) == (_as_bytes(OLD) if had_old else None)
    assert _leftovers(output) == []


def test_a_failure_while_writing_puts_everything_back(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    before = _snapshot(project)
    monkeypatch.setenv(replace.INTERRUPT_AT, "staging-complete")
    with pytest.raises(KeyboardInterrupt):
        write_tree(output, NEW, _keep(project))
    assert _snapshot(project) == before


def test_a_second_run_is_refused_while_one_holds_the_lock(project: Path) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    with replace.Replacement(output.resolve()):
        messages = _refused(output, _keep(project))
    assert messages == [
        f"{output}: another shapesmith run is writing this folder "
        f"(it holds {replace.journal_path(output)})"
    ]
    assert _files(output) == _as_bytes(OLD)
    write_tree(output, NEW, _keep(project))
    assert _leftovers(output) == ["models", "shapesmith.toml"]


@pytest.mark.parametrize(
    "journal",
    [
        b"",
        b"{cut sho",
        json.dumps({"kind": "shapesmith output journal", "target": "generated"}).encode(),
        json.dumps(
            {
                "kind": "shapesmith output journal",
                "target": "generated",
                "staging": "../victim",
                "aside": "models",
            }
        ).encode(),
    ],
    ids=["empty", "cut short", "no folders", "hostile names"],
)
def test_a_journal_never_leads_outside_its_own_temporary_folders(
    project: Path, tmp_path: Path, journal: bytes
) -> None:
    _put(tmp_path, {"victim/keep.txt": "keep"})
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    replace.journal_path(output).write_bytes(journal)
    before = _snapshot(tmp_path)
    replace.recover(output)
    after = _snapshot(tmp_path)
    del before[f"project/{replace.journal_path(output).name}"]
    assert after == before


def test_check_is_not_disturbed_by_leftovers_beside_the_output(tmp_path: Path) -> None:
    keep = _keep(tmp_path)
    output = tmp_path / "out" / "generated"
    write_tree(output, OLD, keep)
    crash = {replace.CRASH_AT: "staging-complete"}
    assert _in_child(lambda: write_tree(output, NEW, keep), crash) == replace.CRASH_EXIT_CODE
    assert diff_tree(output, OLD, "generated") == []
    assert len(diff_tree(output, NEW, "generated")) == len(set(OLD) | set(NEW))


def test_check_reports_a_link_in_place_of_a_file(project: Path, tmp_path: Path) -> None:
    output = project / "generated"
    write_tree(output, OLD, _keep(project))
    copy = tmp_path / "copy.py"
    copy.write_text(OLD["pkg/__init__.py"], "utf-8")
    (output / "pkg" / "__init__.py").unlink()
    (output / "pkg" / "__init__.py").symlink_to(copy)
    (diff,) = diff_tree(output, OLD, "generated")
    assert "+++ generated/pkg/__init__.py (from the model)" in diff
    assert "-<not a regular file>" in diff
