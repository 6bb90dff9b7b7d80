"""`python -m benchmarks corpus`: every AWS JSON and restJson1 model of the reference corpus,
generated whole and checked the way a user's CI would check it.

Per service: `shapesmith generate` with all operations (seconds, exit code, warnings, errors), the
package's size, `mypy --strict`, `ruff check` and `black --check` with the project's settings, and
an import of every module in an isolated interpreter that has the standard library alone. Wire
agreement with botocore: for AWS JSON (tests/wire_agreement.py) seeded random requests and
responses of every operation compared with botocore's serializer and parser; for restJson1
(tests/restjson_agreement.py) seeded random requests of every operation compared with what
botocore's client sends, and the stub's answers with what botocore's parser reads. Then real
boto3 calls the package's stub: on five operations of an AWS JSON service, on every operation
of a restJson1 one (a package without a stub says "no stub"). `null` where the installed
botocore does not know the service.

Each service runs in its own work folder under `<output stem>-work/` (kept, to look at failures).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.machine import ROOT, machine, progress

CORPUS = ROOT.parent / "shared" / "reference" / "models" / "aws-corpus"
PROTOCOLS = ("awsJson1_0", "awsJson1_1", "restJson1")
PROJECT_CONFIG = ROOT / "pyproject.toml"

SAMPLE = {
    # CI checks these (tests/test_corpus.py); the first four in every run, the rest under the
    # `corpus` marker. Query compatibility is not in the list: no corpus model uses it.
    "dynamodb-streams-2012-08-10": "recursion (AttributeValue holds a list and a map of "
    "itself), a union, a member named L",
    "qldb-session-2019-07-11": "a memberless structure checked in place, blobs",
    "servicediscovery-2017-03-14": "host prefixes (@endpoint), an enum used only as a map key",
    "device-farm-2015-06-23": "an enum with @length",
    "lightsail-2016-11-28": "the largest model that generates today (1 MB of JSON)",
    "verifiedpermissions-2021-12-01": "17 unions, recursion, errors with list members",
    "iotfleetwise-2021-06-17": "unions, recursion, errors with list and map members",
    "sso-admin-2020-07-20": "documents, unions",
    "timestream-query-2018-11-01": "recursive structures through lists",
    "opsworks-2013-02-18": "enums used only as map keys",
}
"""A fixed, documented sample of the corpus: service (model file stem) -> why it is in it."""

GENERATE_TIMEOUT = 1800
CHECK_TIMEOUT = 1800

_IMPORT_EVERY_MODULE = """
import importlib, pathlib, sys
folder, package = pathlib.Path(sys.argv[1]), sys.argv[2]
sys.path.insert(0, str(folder))
for path in sorted((folder / package).rglob("*.py")):
    parts = path.relative_to(folder).with_suffix("").parts
    if parts[-1] == "__main__":
        continue
    importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
"""


@dataclass
class Check:
    """One tool's verdict on the generated package."""

    ok: bool
    seconds: float
    findings: int = 0
    """Errors reported (mypy's and ruff's counts; files black would reformat)."""
    classes: dict[str, int] = field(default_factory=dict)
    """Findings by kind: mypy's and ruff's error codes."""
    output: str = ""
    """The tool's last lines, when it failed."""


@dataclass
class ServiceResult:
    service: str
    protocol: str
    model: str
    generate_seconds: float = 0.0
    exit_code: int | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failure_classes: list[str] = field(default_factory=list)
    """Why generation failed, one class per distinct cause (see `classify_failure`)."""
    package: str | None = None
    files: int = 0
    lines: int = 0
    mypy: Check | None = None
    ruff: Check | None = None
    black: Check | None = None
    import_ok: bool | None = None
    import_error: str = ""
    wire_cases: int | None = None
    """Requests and responses compared with botocore."""
    wire_mismatches: list[str] | None = None
    wire_refused: list[str] | None = None
    """Requests the client refuses as documented (e.g. an endpoint asking for SigV4a)."""
    boto3_calls: int | None = None
    """Real boto3 calls the generated stub answered with a 200 or a modelled error."""
    boto3_failures: list[str] | None = None
    boto3_skipped: str | None = None
    """Why boto3 did not call the stub ("no stub": the package has none)."""
    wire_set_aside: dict[str, int] = field(default_factory=dict)
    """Documented differences set aside by the restJson1 comparison, with their counts."""
    stub_unbuildable: list[str] | None = None
    """Operations whose output the model makes impossible (the stub answers them 501)."""

    @property
    def generated(self) -> bool:
        return self.exit_code == 0 and self.package is not None

    @property
    def clean(self) -> bool:
        checks = (self.mypy, self.ruff, self.black)
        return (
            self.generated and all(c is not None and c.ok for c in checks) and bool(self.import_ok)
        )

    @property
    def on_the_wire(self) -> bool | None:
        """Whether botocore and boto3 agree with the package; None where they were not asked."""
        if self.wire_mismatches is None and self.boto3_failures is None:
            return None
        return not self.wire_mismatches and not self.boto3_failures


def corpus_models(corpus: Path = CORPUS) -> dict[str, Path]:
    """Service (model file stem) -> model file, for every model of the corpus in `PROTOCOLS`."""
    return {
        path.stem: path
        for protocol in PROTOCOLS
        for path in sorted((corpus / protocol).glob("*.json"))
    }


_CLASSES = (
    (re.compile(r"is not a usable ECMA 262 regular expression"), "pattern not translated"),
    (re.compile(r"@(length|pattern) applies to .*, not to an enum"), "@length/@pattern on an enum"),
    (re.compile(r"@default .* (below|above|outside)"), "@default outside its @range"),
)


def classify_failure(line: str) -> str:
    """The class of one error line printed by `shapesmith generate` (or of a traceback's last
    line): the named classes above, else the message with model names and numbers blanked."""
    for pattern, name in _CLASSES:
        if pattern.search(line):
            return name
    message = line.split(": ", 1)[1] if line.startswith("error: ") else line
    message = re.sub(r"^\S*\.json: /\S*: ", "", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    return re.sub(r"\d+", "N", message)[:160]


def _run(command: Sequence[str], cwd: Path, timeout: float) -> tuple[int, str, float]:
    # The generator of this checkout, whatever the interpreter has installed.
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            list(command),
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout:.0f} s", time.perf_counter() - started
    output = completed.stdout + completed.stderr
    return completed.returncode, output, time.perf_counter() - started


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def generate(result: ServiceResult, model: Path, work: Path) -> Path | None:
    """Run `shapesmith generate` on the whole model; the package folder, or None on failure."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / "shapesmith.toml").write_text(
        f'models = [{json.dumps(str(model))}]\noutput = "out"\n', "utf-8"
    )
    command = [sys.executable, "-m", "generator", "generate", "-q", "--config", "shapesmith.toml"]
    code, output, seconds = _run(command, work, GENERATE_TIMEOUT)
    result.generate_seconds = round(seconds, 2)
    result.exit_code = code
    lines = output.splitlines()
    result.warnings = [
        line.removeprefix("warning: ") for line in lines if line.startswith("warning: ")
    ]
    result.errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    if code != 0:
        reasons = result.errors or [
            line for line in lines if line.startswith(("internal error", "Traceback", "timed out"))
        ]
        if not result.errors and lines:
            reasons.append(lines[-1])  # an uncaught exception's last line names it
        result.failure_classes = sorted({classify_failure(line) for line in reasons})
        return None
    packages = sorted(p for p in (work / "out").iterdir() if p.is_dir())
    if len(packages) != 1:
        result.failure_classes = [f"expected one package folder, found {len(packages)}"]
        return None
    package = packages[0]
    result.package = package.name
    sources = sorted(package.rglob("*.py"))
    result.files = len(sources)
    result.lines = sum(len(path.read_text("utf-8").splitlines()) for path in sources)
    return package


def _codes(output: str, pattern: str) -> dict[str, int]:
    return dict(sorted(Counter(re.findall(pattern, output, re.MULTILINE)).items()))


def check_package(result: ServiceResult, package: Path) -> None:
    """mypy, ruff and black on the package, then an import of every module with the standard
    library alone."""
    folder, config = package.parent, str(PROJECT_CONFIG)
    python = sys.executable
    mypy = [python, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null"]
    code, output, seconds = _run([*mypy, package.name], folder, CHECK_TIMEOUT)
    codes = _codes(output, r"error: .*\[([a-z-]+)\]$")
    result.mypy = Check(code == 0, round(seconds, 2), sum(codes.values()), codes)
    if code != 0:
        result.mypy.output = _tail(output)
    ruff = [python, "-m", "ruff", "check", "--no-cache", "--config", config, "--output-format"]
    code, output, seconds = _run([*ruff, "concise", package.name], folder, CHECK_TIMEOUT)
    codes = _codes(output, r"^\S+:\d+:\d+: ([A-Z]+\d+)")
    result.ruff = Check(code == 0, round(seconds, 2), sum(codes.values()), codes)
    if code != 0:
        result.ruff.output = _tail(output)
    black = [python, "-m", "black", "--check", "--config", config, package.name]
    code, output, seconds = _run(black, folder, CHECK_TIMEOUT)
    result.black = Check(code == 0, round(seconds, 2), output.count("would reformat "))
    if code != 0:
        result.black.output = _tail(output)
    # -I: no user site, no PYTHON* variables, no current folder; -S: no site-packages.
    isolated = [python, "-I", "-S", "-c", _IMPORT_EVERY_MODULE, str(folder), package.name]
    code, output, _ = _run(isolated, folder, CHECK_TIMEOUT)
    result.import_ok = code == 0
    if code != 0:
        result.import_error = _tail(output, 8)


def run_service(service: str, model: Path, work_root: Path) -> ServiceResult:
    result = ServiceResult(service, model.parent.name, str(model.relative_to(CORPUS)))
    package = generate(result, model, work_root / service)
    if package is not None:
        check_package(result, package)
    if package is not None and result.import_ok:
        check_wire(result, package, model)
    return result


NO_STUB = "no stub"
BOTO3_SAMPLE = 5
"""Operations of an AWS JSON service that real boto3 calls on the stub."""


def check_wire(result: ServiceResult, package: Path, model: Path) -> None:
    from tests.restjson_agreement import botocore_rest_model, compare_rest
    from tests.wire_agreement import botocore_model, call_stub_with_boto3, compare

    rest = result.protocol == "restJson1"
    try:
        agreement = compare_rest(package, model) if rest else compare(package, model)
        calls = None
        if (package / "stub").is_dir():
            find = botocore_rest_model if rest else botocore_model
            # Each restJson1 operation has its own route: boto3 calls every one (a call takes
            # milliseconds); AWS JSON's share one path, and five are called.
            sample = None if rest else BOTO3_SAMPLE
            calls = call_stub_with_boto3(package, model, find_model=find, operations=sample)
        else:
            result.boto3_skipped = NO_STUB
    except Exception as error:  # a harness fault is recorded against the service, not fatal
        result.wire_mismatches = [f"the wire comparison failed: {type(error).__name__}: {error}"]
        return
    if agreement is not None:
        result.wire_cases = agreement.requests + getattr(agreement, "responses", 0)
        result.wire_mismatches = agreement.mismatches[:20]
        result.wire_refused = agreement.refused[:20]
        result.wire_set_aside = dict(getattr(agreement, "documented", {}))
    if calls is not None:
        result.boto3_calls = calls.answered + calls.modelled_errors
        result.boto3_failures = calls.failures[:20]
        result.stub_unbuildable = list(calls.unbuildable)


def run_corpus(
    services: dict[str, Path],
    work_root: Path,
    jobs: int,
    *,
    announce: bool = True,
    on_result: Callable[[ServiceResult], None] | None = None,
) -> list[ServiceResult]:
    """Every service's result, in name order; `on_result` sees each one as it is done."""
    lock = threading.Lock()

    def one(item: tuple[str, Path]) -> ServiceResult:
        result = run_service(*item, work_root)
        if announce:
            progress(f"{result.service}: {_verdict(result)} ({result.generate_seconds:.0f} s)")
        if on_result is not None:
            with lock:
                on_result(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(one, sorted(services.items())))
    return results


def _verdict(result: ServiceResult) -> str:
    if not result.generated:
        return "not generated: " + "; ".join(result.failure_classes)
    wire = {None: "", True: ", on botocore's wire", False: ", OFF botocore's wire"}
    if result.clean:
        return "clean" + wire[result.on_the_wire]
    failed = [
        name
        for name, check in (("mypy", result.mypy), ("ruff", result.ruff), ("black", result.black))
        if check is not None and not check.ok
    ]
    if not result.import_ok:
        failed.append("import")
    return "generated; fails " + ", ".join(failed)


def summary(results: Sequence[ServiceResult]) -> dict[str, Any]:
    refused: Counter[str] = Counter()
    for result in results:
        refused.update(result.failure_classes)
    check_failures: Counter[str] = Counter()
    for result in results:
        for name in ("mypy", "ruff", "black"):
            check = getattr(result, name)
            if check is not None and not check.ok:
                check_failures.update(f"{name} {code}" for code in check.classes or {"": 0})
        if result.generated and not result.import_ok:
            check_failures[f"import: {_tail(result.import_error, 1)}"] += 1
    return {
        "services": len(results),
        "generated": sum(r.generated for r in results),
        "clean": sum(r.clean for r in results),
        "with_warnings": sum(bool(r.warnings) for r in results),
        "warnings": sum(len(r.warnings) for r in results),
        "lines": sum(r.lines for r in results),
        "generate_seconds": round(sum(r.generate_seconds for r in results), 1),
        "wire_cases": sum(r.wire_cases or 0 for r in results),
        "wire_checked": sum(r.wire_mismatches is not None for r in results),
        "wire_disagreeing": sum(bool(r.wire_mismatches) for r in results),
        "boto3_calls": sum(r.boto3_calls or 0 for r in results),
        "boto3_failing": sum(bool(r.boto3_failures) for r in results),
        "boto3_no_stub": sum(r.boto3_skipped == NO_STUB for r in results),
        "stub_unbuildable": {r.service: r.stub_unbuildable for r in results if r.stub_unbuildable},
        "generation_failures": dict(refused.most_common()),
        "check_failures": dict(check_failures.most_common()),
    }


def _mark(check: Check | None) -> str:
    if check is None:
        return "-"
    return "ok" if check.ok else f"{check.findings or 'FAIL'}"


def table(results: Sequence[ServiceResult]) -> str:
    header = (
        "service",
        "gen s",
        "exit",
        "warn",
        "lines",
        "mypy",
        "ruff",
        "black",
        "import",
        "wire",
        "boto3",
    )
    rows = [header]
    for r in results:
        imported = "-" if r.import_ok is None else "ok" if r.import_ok else "FAIL"
        wire = "-" if r.wire_mismatches is None else f"{r.wire_cases or 0}/{len(r.wire_mismatches)}"
        boto3 = "-" if r.boto3_failures is None else f"{r.boto3_calls}/{len(r.boto3_failures)}"
        boto3 = r.boto3_skipped or boto3
        rows.append(
            (
                r.service,
                f"{r.generate_seconds:.1f}",
                str(r.exit_code),
                str(len(r.warnings)),
                str(r.lines),
                _mark(r.mypy),
                _mark(r.ruff),
                _mark(r.black),
                imported,
                wire,
                boto3,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def choose(services: Sequence[str], *, quick: bool, corpus: Path = CORPUS) -> dict[str, Path]:
    """The models to run: those named, else the CI sample under `quick`, else all of them."""
    models = corpus_models(corpus)
    if not models:
        raise SystemExit(f"no corpus models found under {corpus} (it comes with ../shared)")
    wanted = list(services) or (list(SAMPLE) if quick else list(models))
    unknown = [name for name in wanted if name not in models]
    if unknown:
        raise SystemExit(f"not in the corpus: {', '.join(unknown)}")
    return {name: models[name] for name in wanted}


def main(*, quick: bool, output: Path, services: Sequence[str] = (), jobs: int = 1) -> None:
    chosen = choose(services, quick=quick)
    work_root = output.with_name(output.stem + "-work")
    progress(f"corpus: {len(chosen)} services, {jobs} job(s), work folders in {work_root}")
    started = time.perf_counter()
    done: list[ServiceResult] = []

    def keep(result: ServiceResult) -> None:
        # A run of hours that is stopped still leaves the report of what it finished.
        done.append(result)
        _write_report(output, sorted(done, key=lambda r: r.service), started, complete=False)

    results = run_corpus(chosen, work_root, jobs, on_result=keep)
    totals = _write_report(output, results, started, complete=True)
    print(table(results))
    print()
    print(
        f"{totals['generated']}/{totals['services']} generate, {totals['clean']} clean "
        f"(mypy --strict, ruff, black, stdlib-only import); {totals['warnings']} warnings in "
        f"{totals['with_warnings']} services; {totals['wall_seconds']:.0f} s"
    )
    print(
        f"wire: {totals['wire_cases']} cases on {totals['wire_checked']} services botocore knows,"
        f" {totals['wire_disagreeing']} disagreeing; boto3 against the stub: "
        f"{totals['boto3_calls']} calls answered, {totals['boto3_failing']} services with failures,"
        f" {totals['boto3_no_stub']} with no stub (columns: cases/mismatches, answered/failed)"
    )
    for service, names in totals["stub_unbuildable"].items():
        print(f"  stub answers 501 (the model contradicts itself): {service}: {', '.join(names)}")
    for title, key in (
        ("not generated", "generation_failures"),
        ("checks failed", "check_failures"),
    ):
        for name, count in totals[key].items():
            print(f"  {title}: {count:3d}  {name}")
    progress(f"wrote {output}")


def _write_report(
    output: Path, results: Sequence[ServiceResult], started: float, *, complete: bool
) -> dict[str, Any]:
    """Write the JSON report (replacing the file at once) and return its summary."""
    totals = summary(results)
    totals["wall_seconds"] = round(time.perf_counter() - started, 1)
    totals["complete"] = complete
    document = {
        "suite": "corpus",
        "machine": machine(),
        "summary": totals,
        "services": [
            {**asdict(r), "generated": r.generated, "clean": r.clean, "on_the_wire": r.on_the_wire}
            for r in results
        ],
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", "utf-8")
    partial.replace(output)
    return totals
