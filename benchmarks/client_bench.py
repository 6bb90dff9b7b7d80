"""The `client` suite: generated clients against boto3, on a local server.

Two protocols. awsJson1_1: the committed Rekognition package's `GetFaceLivenessSessionResults`.
restJson1: EFS's `DescribeTags` (GET with a label and a query) and `PutBackupPolicy` (PUT with a
label and a JSON body), from a package generated at run time from AWS's official model in
`../shared/reference/models` (without it, the restJson1 rows are skipped and say why). The two
EFS operations make one row, a GET and a PUT in turn, rather than a row each: the targets ask for
one ratio per protocol, one row costs half the time of two, and a client slow at either kind of
request shows in it all the same.

Measured in one run, against one server (`local_server`, in a process of its own), for
Rekognition:

* start-up, in fresh interpreters: import, first client, first call (median of several runs);
* repeated construction, in this process: seconds per client once the package is loaded;
* sequential keep-alive calls per second, in this process, with a bare `http.client` loop as the
  floor (interleaved rounds: the median round counts, and ratios are the median of the ratios of
  rounds run back to back, as they hold up best on a shared machine);
* peak memory of a fresh process that makes 1,000 calls: peak RSS, and tracemalloc's peak in a
  separate run (tracing slows the process down and adds memory of its own).

For EFS, start-up and calls/s as for Rekognition (memory and repeated construction are measured
once, on Rekognition: the two packages share their runtime).

The contenders, and what a fresh interpreter runs of them, are in `client_probe`; the tables and
the JSON file in `client_report`.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import client_report, local_server, machine, run_generator
from benchmarks.client_probe import CONTENDERS, EFS_PACKAGES, ROOT, Contender

OURS = "shapesmith"
BOTO3 = "boto3"
BARE = "http.client"
BASELINE = "python"
OURS_EFS = "shapesmith-efs"
BOTO3_EFS = "boto3-efs"
BARE_EFS = "http.client-efs"
EFS_MODEL = Path(ROOT).parent / "shared" / "reference" / "models" / "efs-2015-02-01.json"
EFS_OPERATIONS = ("com.amazonaws.efs#DescribeTags", "com.amazonaws.efs#PutBackupPolicy")
STARTUP_SPANS = (
    "import",
    "first_client",
    "import_and_first_client",
    "first_call",
    "import_through_first_call",
)
_PROBE = (
    f"import sys; sys.path.insert(0, {ROOT!r}); "
    "from benchmarks.client_probe import main; main(sys.argv[1:])"
)


@dataclass(frozen=True)
class Settings:
    startup_runs: int
    """Fresh processes per contender for start-up (after one unmeasured run that fills caches)."""
    construction_seconds: float
    """How long to keep constructing clients in this process, per contender."""
    rounds: int
    calls_per_round: int
    warm_up_calls: int
    memory_runs: int
    memory_calls: int = 1000

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        if quick:
            return cls(3, 0.2, 5, 40, 50, 1)
        return cls(9, 1.0, 16, 125, 300, 3)


@dataclass(frozen=True)
class Startup:
    """Seconds per fresh-process run: import, first construction, first call."""

    imports: list[float]
    constructions: list[float]
    first_calls: list[float]

    def spans(self) -> dict[str, list[float]]:
        """Seconds per run of each of the `STARTUP_SPANS`, single and cumulative."""
        import_and_client = [a + b for a, b in zip(self.imports, self.constructions, strict=True)]
        through_call = [a + b for a, b in zip(import_and_client, self.first_calls, strict=True)]
        spans = (
            self.imports,
            self.constructions,
            import_and_client,
            self.first_calls,
            through_call,
        )
        return dict(zip(STARTUP_SPANS, spans, strict=True))


@dataclass(frozen=True)
class Construction:
    seconds: list[float]
    """One entry per client constructed, the package already loaded and a client already made."""


@dataclass(frozen=True)
class Throughput:
    calls_per_round: int
    round_seconds: list[float]

    @property
    def best(self) -> float:
        return self.calls_per_round / min(self.round_seconds)

    @property
    def median(self) -> float:
        return self.calls_per_round / statistics.median(self.round_seconds)

    def over(self, other: Throughput) -> float:
        """This rate over the other's: the median of the ratios of rounds run back to back, which
        a change in the machine's load during the run does not tilt."""
        pairs = zip(self.round_seconds, other.round_seconds, strict=True)
        return statistics.median(theirs / ours for ours, theirs in pairs)


@dataclass(frozen=True)
class Memory:
    calls: int
    rss_bytes: list[int]
    traced_bytes: list[int]


@dataclass(frozen=True)
class Target:
    key: str
    description: str
    value: float | None
    """ours over theirs as the target states it: a speed-up, a rate ratio or a memory ratio."""
    needed: float
    higher_is_better: bool

    @property
    def status(self) -> str:
        if self.value is None:
            return "N/A"
        met = self.value >= self.needed if self.higher_is_better else self.value < self.needed
        return "PASS" if met else "MISS"


@dataclass(frozen=True)
class RestJson1:
    """The restJson1 rows (EFS): empty, with `skipped` saying why, when they could not run."""

    model: str
    operations: tuple[str, ...]
    skipped: str | None
    """Why no restJson1 row was measured (no model, or the generator refused it)."""
    generation_seconds: float | None
    generation_warnings: list[str]
    contenders: list[Contender]
    skipped_contenders: dict[str, str]
    startup: dict[str, Startup]
    calls: dict[str, Throughput]
    ratios: dict[str, float | None]


@dataclass(frozen=True)
class Results:
    quick: bool
    settings: Settings
    contenders: list[Contender]
    skipped: dict[str, str]
    startup: dict[str, Startup]
    import_breakdown: ImportBreakdown
    construction: dict[str, Construction]
    calls: dict[str, Throughput]
    memory: dict[str, Memory]
    ratios: dict[str, float | None]
    targets: list[Target]
    load_at_start: list[float] | None
    restjson1: RestJson1


def main(*, quick: bool, output: Path) -> None:
    results = run(quick=quick)
    client_report.print_results(results)
    client_report.write_json(results, output)
    print(f"\nresults written to {output}")


def run(*, quick: bool, settings: Settings | None = None, efs_model: Path = EFS_MODEL) -> Results:
    """One run of the suite; `settings` replace the mode's (a test's smaller run)."""
    settings = settings or Settings.for_mode(quick)
    load_at_start = machine.load_average()
    skipped = {BOTO3: "boto3 is not installed"} if not importlib.util.find_spec("boto3") else {}
    contenders = [CONTENDERS[key] for key in (OURS, BOTO3, BARE) if key not in skipped]
    with tempfile.TemporaryDirectory(prefix="shapesmith-client-bench-") as scratch:
        efs = generate_efs(Path(scratch) / "efs", efs_model)
        fresh = FreshProcess.in_directory(Path(scratch), efs.variables())
        with local_server.running() as url:
            machine.progress(f"server at {url}; start-up, {settings.startup_runs} runs each")
            startup = measure_startup(contenders, url, fresh, settings.startup_runs)
            breakdown = ImportBreakdown.parse(fresh.import_times(OURS, url), "rekognition")
            machine.progress("repeated construction")
            construction = measure_construction(
                [item for item in contenders if item.key != BARE], url, settings
            )
            machine.progress(f"calls/s, {settings.rounds} x {settings.calls_per_round} calls each")
            calls = measure_calls(contenders, url, settings)
            machine.progress(f"memory of {settings.memory_calls} calls")
            memory = measure_memory([CONTENDERS[BASELINE], *contenders], url, fresh, settings)
            restjson1 = measure_restjson1(efs, efs_model, skipped, url, fresh, settings)
    ratios = compute_ratios(startup, construction, calls, memory)
    return Results(
        quick=quick,
        settings=settings,
        contenders=contenders,
        skipped=skipped,
        startup=startup,
        import_breakdown=breakdown,
        construction=construction,
        calls=calls,
        memory=memory,
        ratios=ratios,
        targets=evaluate_targets(ratios, restjson1),
        load_at_start=load_at_start,
        restjson1=restjson1,
    )


@dataclass(frozen=True)
class Generation:
    """The `efs` package generated for the restJson1 rows, or why there is none."""

    packages: Path | None
    """The directory holding the `efs` package."""
    problem: str | None
    seconds: float | None
    warnings: list[str]

    def variables(self) -> dict[str, str]:
        return {EFS_PACKAGES: str(self.packages)} if self.packages is not None else {}


def generate_efs(work: Path, model: Path) -> Generation:
    """Generate `DescribeTags` and `PutBackupPolicy` from AWS's EFS model with this checkout's
    generator, in a process of its own (the generator's imports stay out of the measuring one).
    Only those two operations, as the committed Rekognition package holds only the two it needs."""
    if not model.is_file():
        return Generation(
            None,
            f"{model} not found (the restJson1 rows need ../shared/reference beside the repository)",
            None,
            [],
        )
    machine.progress(f"generating {', '.join(EFS_OPERATIONS)} from {model.name}")
    completed, seconds = run_generator.generate(work, [model], EFS_OPERATIONS)
    said = (completed.stdout + completed.stderr).splitlines()
    warnings = [line.removeprefix("warning: ") for line in said if line.startswith("warning: ")]
    if completed.returncode != 0 or not (work / "out" / "efs" / "__init__.py").is_file():
        problems = [line for line in said if not line.startswith("warning: ")][-5:]
        reason = f"shapesmith generate exited {completed.returncode}: {' / '.join(problems)}"
        return Generation(None, reason, seconds, warnings)
    return Generation(work / "out", None, seconds, warnings)


@contextlib.contextmanager
def _variables(variables: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables in this process for the duration."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def measure_restjson1(
    efs: Generation,
    model: Path,
    skipped: Mapping[str, str],
    url: str,
    fresh: FreshProcess,
    settings: Settings,
) -> RestJson1:
    """Start-up and calls/s of the EFS contenders, measured as the Rekognition ones are."""
    keys = [
        key for key in (OURS_EFS, BOTO3_EFS, BARE_EFS) if key != BOTO3_EFS or BOTO3 not in skipped
    ]
    skipped_contenders = {BOTO3_EFS: skipped[BOTO3]} if BOTO3 in skipped else {}
    contenders = [CONTENDERS[key] for key in keys] if efs.packages is not None else []
    startup: dict[str, Startup] = {}
    calls: dict[str, Throughput] = {}
    if contenders:
        machine.progress(f"restJson1 (EFS): start-up, {settings.startup_runs} runs each")
        startup = measure_startup(contenders, url, fresh, settings.startup_runs)
        machine.progress(
            f"restJson1 (EFS): calls/s, {settings.rounds} x {settings.calls_per_round} calls each"
        )
        with _variables(efs.variables()):
            calls = measure_calls(contenders, url, settings)
    return RestJson1(
        model=model.name,
        operations=EFS_OPERATIONS,
        skipped=efs.problem,
        generation_seconds=efs.seconds,
        generation_warnings=efs.warnings,
        contenders=contenders,
        skipped_contenders=skipped_contenders,
        startup=startup,
        calls=calls,
        ratios=protocol_ratios(startup, calls, OURS_EFS, BOTO3_EFS, BARE_EFS),
    )


@dataclass(frozen=True)
class FreshProcess:
    """Runs `client_probe` in a fresh interpreter and returns the numbers it prints.

    The environment has no AWS settings, and HOME and the AWS files point into an empty
    directory, so that neither client finds the user's profiles, credentials or endpoint
    overrides. `-I` keeps PYTHON* variables (such as PYTHONDONTWRITEBYTECODE) out; bytecode is
    cached under `pycache`, written by an unmeasured first run, so that both clients start as an
    installed package does, from cached bytecode.
    """

    environment: dict[str, str]
    pycache: Path

    @classmethod
    def in_directory(
        cls, scratch: Path, variables: Mapping[str, str] | None = None
    ) -> FreshProcess:
        """`variables` are set on top (where the generated `efs` package is)."""
        home = scratch / "home"
        home.mkdir()
        environment = {
            name: value for name, value in os.environ.items() if not name.startswith("AWS_")
        }
        environment.update(variables or {})
        environment["HOME"] = str(home)
        environment["AWS_CONFIG_FILE"] = str(home / "config")
        environment["AWS_SHARED_CREDENTIALS_FILE"] = str(home / "credentials")
        return cls(environment, scratch / "pycache")

    def run(self, *arguments: str) -> list[float]:
        command = [sys.executable, "-I", "-X", f"pycache_prefix={self.pycache}", "-c", _PROBE]
        completed = subprocess.run(
            [*command, *arguments],
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{' '.join(arguments)} failed:\n{completed.stderr[-2000:]}")
        return [float(number) for number in completed.stdout.split()]

    def import_times(self, key: str, url: str) -> str:
        """What `-X importtime` reports on a start-up run (it slows the imports down a little)."""
        command = [sys.executable, "-I", "-X", f"pycache_prefix={self.pycache}", "-X", "importtime"]
        completed = subprocess.run(
            [*command, "-c", _PROBE, "startup", key, url],
            env=self.environment,
            capture_output=True,
            text=True,
            check=True,
        )
        return completed.stderr


@dataclass(frozen=True)
class ImportBreakdown:
    """Where one package's import time goes, from `-X importtime`: the package's own modules
    (each without what it imports) and the modules from outside that it is the first to import
    (each with everything it imports in turn), over a whole start-up run: the package root
    imports its modules when they are first used, so most of them load with the first call."""

    package: str
    total_seconds: float
    own_seconds: dict[str, float]
    imported_seconds: dict[str, float]

    @classmethod
    def parse(cls, report: str, package: str) -> ImportBreakdown:
        def inside(module: str) -> bool:
            return module == package or module.startswith(package + ".")

        total = 0.0
        own: dict[str, float] = {}
        imported: dict[str, float] = {}
        ancestors: list[str] = []
        # `-X importtime` lists a module after what it imports, one level deeper; read backwards,
        # every module comes right after its parent.
        for depth, module, self_seconds, cumulative in reversed(_importtime_entries(report)):
            del ancestors[depth:]
            parent = ancestors[-1] if ancestors else ""
            ancestors.append(module)
            if module == package:
                total = cumulative
            if inside(module):
                own[module] = self_seconds
            elif inside(parent):
                imported[module] = cumulative
        return cls(package, total, _largest_first(own), _largest_first(imported))


def _importtime_entries(report: str) -> list[tuple[int, str, float, float]]:
    """(depth, module, seconds without its imports, seconds with them) per `-X importtime` line."""
    entries: list[tuple[int, str, float, float]] = []
    for line in report.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line, or not from -X importtime
        own, cumulative, indented = fields
        depth = (len(indented) - len(indented.lstrip()) - 1) // 2
        entries.append((depth, indented.strip(), int(own) / 1e6, int(cumulative) / 1e6))
    return entries


def _largest_first(seconds: Mapping[str, float]) -> dict[str, float]:
    return dict(sorted(seconds.items(), key=lambda item: item[1], reverse=True))


def measure_startup(
    contenders: Sequence[Contender], url: str, fresh: FreshProcess, runs: int
) -> dict[str, Startup]:
    """Fresh-process runs in interleaved rounds, after one unmeasured run each."""
    for contender in contenders:
        fresh.run("startup", contender.key, url)
    samples: dict[str, list[list[float]]] = {contender.key: [] for contender in contenders}
    for _ in range(runs):
        for contender in contenders:
            samples[contender.key].append(fresh.run("startup", contender.key, url))
    return {
        key: Startup(
            imports=[run[0] for run in runs_of_key],
            constructions=[run[1] for run in runs_of_key],
            first_calls=[run[2] for run in runs_of_key],
        )
        for key, runs_of_key in samples.items()
    }


def measure_construction(
    contenders: Sequence[Contender], url: str, settings: Settings
) -> dict[str, Construction]:
    """Seconds per construction in this process, after a first (unmeasured) one."""
    measured: dict[str, Construction] = {}
    for contender in contenders:
        contender.prepare()
        contender.load()
        contender.construct(url)
        contender.close()
        seconds: list[float] = []
        deadline = time.perf_counter() + settings.construction_seconds
        while time.perf_counter() < deadline or len(seconds) < 10:
            start = time.perf_counter()
            contender.construct(url)
            seconds.append(time.perf_counter() - start)
            contender.close()
        measured[contender.key] = Construction(seconds)
        gc.collect()
    return measured


def measure_calls(
    contenders: Sequence[Contender], url: str, settings: Settings
) -> dict[str, Throughput]:
    """Sequential calls on one keep-alive connection per contender, in interleaved rounds."""
    for contender in contenders:
        contender.prepare()
        contender.load()
        contender.construct(url)
        for _ in range(settings.warm_up_calls):
            contender.call()
    rounds: dict[str, list[float]] = {contender.key: [] for contender in contenders}
    for _ in range(settings.rounds):
        for contender in contenders:
            rounds[contender.key].append(_time_calls(contender, settings.calls_per_round))
    for contender in contenders:
        contender.close()
    return {key: Throughput(settings.calls_per_round, seconds) for key, seconds in rounds.items()}


def _time_calls(contender: Contender, calls: int) -> float:
    call = contender.call
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return time.perf_counter() - start


def measure_memory(
    contenders: Sequence[Contender], url: str, fresh: FreshProcess, settings: Settings
) -> dict[str, Memory]:
    """Peak RSS and tracemalloc's peak of fresh processes, after one unmeasured run each (it
    writes the bytecode cache if start-up has not: compiling takes memory of its own)."""
    measured: dict[str, Memory] = {}
    for contender in contenders:
        fresh.run("memory", contender.key, url, "1")
        arguments = ("memory", contender.key, url, str(settings.memory_calls))
        runs = range(settings.memory_runs)
        rss = [int(fresh.run(*arguments)[0]) for _ in runs]
        traced = [int(fresh.run(*arguments, "traced")[1]) for _ in runs]
        measured[contender.key] = Memory(settings.memory_calls, rss, traced)
    return measured


def _over(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _median(values: Sequence[float] | None) -> float | None:
    return statistics.median(values) if values else None


def compute_ratios(
    startup: Mapping[str, Startup],
    construction: Mapping[str, Construction],
    calls: Mapping[str, Throughput],
    memory: Mapping[str, Memory],
) -> dict[str, float | None]:
    """Speed-ups are theirs / ours (above 1: ours is faster); rates are ours / theirs (above 1:
    ours makes more calls per second); memory is ours / theirs (below 1: ours uses less). Ratios
    of medians, but for rates: the median of the per-round ratios. None where boto3 is missing."""

    def construction_seconds(key: str) -> float | None:
        return _median(construction[key].seconds) if key in construction else None

    def rss(key: str) -> float | None:
        return _median(memory[key].rss_bytes) if key in memory else None

    def traced(key: str) -> float | None:
        return _median(memory[key].traced_bytes) if key in memory else None

    protocol = protocol_ratios(startup, calls, OURS, BOTO3, BARE)
    return {
        **{
            f"{span}_speedup_vs_boto3": protocol[f"{span}_speedup_vs_boto3"]
            for span in STARTUP_SPANS
        },
        "repeated_construction_speedup_vs_boto3": _over(
            construction_seconds(BOTO3), construction_seconds(OURS)
        ),
        "calls_per_second_ours_over_boto3": protocol["calls_per_second_ours_over_boto3"],
        "calls_per_second_ours_over_bare": protocol["calls_per_second_ours_over_bare"],
        "peak_rss_ours_over_boto3": _over(rss(OURS), rss(BOTO3)),
        "tracemalloc_peak_ours_over_boto3": _over(traced(OURS), traced(BOTO3)),
    }


def protocol_ratios(
    startup: Mapping[str, Startup],
    calls: Mapping[str, Throughput],
    ours: str,
    boto3: str,
    bare: str,
) -> dict[str, float | None]:
    """Start-up speed-ups over boto3 per span, and our calls/s over boto3's and the bare loop's,
    for one protocol's contenders (see `compute_ratios`)."""

    def startup_speedup(span: str) -> float | None:
        if ours not in startup or boto3 not in startup:
            return None
        return _over(_median(startup[boto3].spans()[span]), _median(startup[ours].spans()[span]))

    def rate_over(key: str) -> float | None:
        return calls[ours].over(calls[key]) if ours in calls and key in calls else None

    return {
        **{f"{span}_speedup_vs_boto3": startup_speedup(span) for span in STARTUP_SPANS},
        "calls_per_second_ours_over_boto3": rate_over(boto3),
        "calls_per_second_ours_over_bare": rate_over(bare),
    }


def evaluate_targets(ratios: Mapping[str, float | None], restjson1: RestJson1) -> list[Target]:
    """The AWS JSON targets, then restJson1's (the same two speed targets, on EFS; N/A when its
    rows were skipped)."""
    return [
        Target(
            "import_and_first_client",
            "import + first client at least 10x faster than boto3",
            ratios["import_and_first_client_speedup_vs_boto3"],
            10.0,
            higher_is_better=True,
        ),
        Target(
            "calls_vs_boto3",
            "sequential calls/s at least 2.5x boto3's",
            ratios["calls_per_second_ours_over_boto3"],
            2.5,
            higher_is_better=True,
        ),
        Target(
            "calls_vs_bare",
            "sequential calls/s within 1.5x of a bare http.client loop (ours >= bare / 1.5)",
            ratios["calls_per_second_ours_over_bare"],
            1 / 1.5,
            higher_is_better=True,
        ),
        Target(
            "peak_rss",
            "less peak RSS than boto3 (process making 1,000 calls)",
            ratios["peak_rss_ours_over_boto3"],
            1.0,
            higher_is_better=False,
        ),
        Target(
            "tracemalloc_peak",
            "less tracemalloc peak than boto3 (process making 1,000 calls)",
            ratios["tracemalloc_peak_ours_over_boto3"],
            1.0,
            higher_is_better=False,
        ),
        Target(
            "restjson1_import_and_first_client",
            "restJson1 (EFS): import + first client at least 10x faster than boto3",
            restjson1.ratios["import_and_first_client_speedup_vs_boto3"],
            10.0,
            higher_is_better=True,
        ),
        Target(
            "restjson1_calls_vs_boto3",
            "restJson1 (EFS): sequential calls/s (GET and PUT in turn) at least 2.5x boto3's",
            restjson1.ratios["calls_per_second_ours_over_boto3"],
            2.5,
            higher_is_better=True,
        ),
    ]
