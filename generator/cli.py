"""`shapesmith`: generate, check and export from Smithy models.

Exit codes: 0 success, 1 `check` found drift, 2 bad input (model or configuration), 3 internal bug,
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator import __version__
from generator.config import Config, config_here, find_config, load_config, one_off_config
from generator.diagnostics import ShapesmithError, TemplateBug, Warnings, fail
from generator.format_cache import FormatCache, cache_folder
from generator.identity import PACKAGE_MANIFEST_NAME
from generator.input_digest import inputs_as_on_disk, unchanged
from generator.output import diff_tree, write_tree
from generator.ownership import Keep
from generator.stages import Stages
from generator.template_set import open_templates

# The modules that render (Jinja, black, the IR) are imported where they are used: `check` on
# an unchanged tree, answered from the manifest, should not pay for them.

log = logging.getLogger("shapesmith")

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_BAD_INPUT = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


def _common_options(*, for_command: bool) -> argparse.ArgumentParser:
    """Options accepted both before and after the command. The command's copies default to
    "not given", so that they never overwrite what the main parser already read."""
    flag_default: object = argparse.SUPPRESS if for_command else False
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS if for_command else None,
        help="shapesmith.toml, or pyproject.toml with [tool.shapesmith] "
        "(default: found in the current directory)",
    )
    common.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS if for_command else None,
        help="a folder of your templates, used before shapesmith's own: a file there replaces "
        "ours of the same name, extra/<module>.py.jinja adds a module to each package "
        "(default: `templates` in the configuration)",
    )
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=flag_default,
        help="print warnings and errors only",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=flag_default,
        help="print what is done, step by step",
    )
    common.add_argument(
        "--debug", action="store_true", default=flag_default, help="show tracebacks for errors"
    )
    common.add_argument(
        "--no-cache",
        action="store_true",
        default=flag_default,
        help="format everything afresh, without black's remembered work (kept in "
        "$SHAPESMITH_CACHE_DIR, else ~/.cache/shapesmith)",
    )
    common.add_argument(
        "--strict",
        action="store_true",
        default=flag_default,
        help="treat warnings (what the output would leave out) as errors",
    )
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common_options(for_command=True)
    parser = argparse.ArgumentParser(
        prog="shapesmith",
        description="Render Smithy JSON AST models into typed, validated, standard-library-only Python.",
        parents=[_common_options(for_command=False)],
    )
    parser.add_argument("--version", action="version", version=f"shapesmith {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate",
        parents=[common],
        help="write the generated packages (atomically)",
        description="Render every selected operation and replace the output directory with the "
        "result. " + ONE_OFF,
    )
    generate.add_argument(
        "--output",
        "--out",
        type=Path,
        metavar="DIR",
        help="output directory (default: from the configuration; required with --model)",
    )
    _model_options(generate)
    _force_option(generate)

    check = commands.add_parser(
        "check",
        parents=[common],
        help="fail with a diff if the output directory is not what generate would write",
        description="Render in memory and compare with the output directory; exit 1 and print "
        "a diff on any drift. " + ONE_OFF,
    )
    compared = check.add_mutually_exclusive_group()
    compared.add_argument(
        "--output",
        "--out",
        type=Path,
        metavar="DIR",
        help="directory to compare (default: from the configuration; required with --model "
        "unless --package is given)",
    )
    check.add_argument(
        "--full",
        action="store_true",
        help="render and compare everything, even when the manifest vouches that the models, "
        "templates and shapesmith are unchanged and the files are as written",
    )
    compared.add_argument(
        "--package",
        type=Path,
        metavar="DIR",
        help="compare one generated package instead, wherever it was copied to (a vendored "
        "copy, its folder perhaps renamed), with what the models generate for the service and "
        "operations its shapesmith-package.json records",
    )
    _model_options(check)

    export = commands.add_parser(
        "export",
        parents=[common],
        help="export the model in another format",
        description="Export the selected closure in another format. " + ONE_OFF,
    )
    export.add_argument(
        "format",
        choices=["jsonschema", "openapi"],
        help="jsonschema: a JSON Schema 2020-12 per input and output shape; openapi: an "
        "OpenAPI 3.1 document per service",
    )
    export.add_argument(
        "--output",
        "--out",
        type=Path,
        metavar="DIR",
        required=True,
        help="directory for the exported files",
    )
    _model_options(export)
    _force_option(export)
    return parser


ONE_OFF = (
    "With --model the run is described on the command line alone and no configuration is "
    "read, not even one in the current folder (the flags win; --config with --model is "
    "refused): --model names the model files (merged as the `models` setting merges them), "
    "--output is required, --operation selects operations (default: every operation of every "
    "service), and --templates and --strict work as usual. Paths are relative to the current "
    "folder, which the output may neither be nor hold."
)
"""How `--model` interacts with the other options, said once for every command's help."""


def _model_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--model",
        dest="models",
        type=Path,
        nargs="+",
        action="extend",
        metavar="FILE",
        help="a one-off run: these model files instead of a configuration (repeatable)",
    )
    command.add_argument(
        "--operation",
        dest="operations",
        nargs="+",
        action="extend",
        metavar="ID",
        help="with --model: generate only these operations (absolute shape ids such as "
        "com.example#GetThing; repeatable; default: every operation)",
    )


def _force_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--force",
        action="store_true",
        help="replace the output directory even if it holds files shapesmith did not write "
        "(they are deleted); never the project, its models or a version-control folder",
    )


def _report_to(stream: TextIO, level: int) -> None:
    """shapesmith's messages go to `stream`, this call's stderr, at `level`: whatever handlers
    the root logger already has (a program that embeds us, pytest's capture), a warning is
    printed where the caller reads stderr. Records still reach the root's handlers too."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    _report_to(sys.stderr, level)
    try:
        return _run(args)
    except ShapesmithError as error:
        if args.debug:
            traceback.print_exc()
        for diagnostic in error.diagnostics:
            print(f"error: {diagnostic}", file=sys.stderr)
        count = len(error.diagnostics)
        outcome = "nothing was compared" if args.command == "check" else "nothing was written"
        print(f"{count} error{'s' if count != 1 else ''}; {outcome}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except TemplateBug as error:
        if args.debug:
            traceback.print_exc()
        print(f"internal error (please report it): {error}", file=sys.stderr)
        return EXIT_BUG
    except KeyboardInterrupt:
        # The writer has already put the output back as it was, or finished it.
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    config = _configuration(args)
    # What no output folder may be or hold, --force or not.
    user_templates = () if config.templates is None else (config.templates,)
    own_file = () if config.file is None else (config.file,)
    keep = Keep(
        project_root=config.root,
        files=(*own_file, *config.models, *user_templates),
        root_is="the folder of the configuration" if config.file else "the current folder",
    )
    if args.command == "export":
        return _export(config, args.format, args.output, keep, force=args.force)
    if args.command == "check" and args.package is not None:
        return _check_package(config, args.package)
    if args.command == "check" and not args.full:
        vouched = unchanged(config, open_templates(config.templates))
        if vouched is not None:
            log.info(
                "%s is in sync with the models (%d files; inputs unchanged since generated)",
                config.output,
                vouched,
            )
            return EXIT_OK
    from generator import pipeline, render

    stages = Stages()
    render.keep_compiled_templates(None if args.no_cache else cache_folder() / "templates")
    cache = FormatCache(None if args.no_cache else cache_folder())
    try:
        files = pipeline.render(config, cache, stages)
    finally:
        cache.close()
        stages.finish()
    log.debug("rendered %d files", len(files))
    if args.command == "generate":
        if write_tree(config.output, files, keep, force=args.force):
            log.info("wrote %d files to %s", len(files), config.output)
        else:
            log.info("%s already holds these %d files; nothing written", config.output, len(files))
        return EXIT_OK
    label = config.output.name
    diffs = diff_tree(config.output, inputs_as_on_disk(config.output, files), label)
    if diffs:
        for diff in diffs:
            sys.stdout.write(diff if diff.endswith("\n") else diff + "\n")
        print(
            f"{len(diffs)} file(s) in {config.output} differ from what the models produce; "
            "run `shapesmith generate`",
            file=sys.stderr,
        )
        return EXIT_DRIFT
    log.info("%s is in sync with the models (%d files)", config.output, len(files))
    return EXIT_OK


def _configuration(args: argparse.Namespace) -> Config:
    """The configuration file's settings, or the one-off run `--model` describes."""
    models: list[Path] | None = args.models
    operations: list[str] | None = args.operations
    output: Path | None = args.output
    if models is None:
        if operations is not None:
            raise fail(
                "--operation",
                "",
                "selects from the --model files; with a configuration, list the operations in "
                "its `operations` setting",
            )
        config_path = args.config if args.config is not None else find_config(Path.cwd())
        log.debug("configuration: %s", config_path)
        return load_config(config_path, output=output, strict=args.strict, templates=args.templates)
    if args.config is not None:
        raise fail(
            "--config",
            "",
            "the models come from the configuration or from --model, not both: drop one",
        )
    package = getattr(args, "package", None)
    if package is not None and operations is not None:
        raise fail(
            "--operation", "", "check --package compares the operations its manifest records"
        )
    if output is None and package is None:
        raise fail("--model", "", "needs --output DIR: with no configuration, nothing says where")
    ignored = config_here(Path.cwd())
    if ignored is not None:
        log.info("--model given: %s is not read", ignored)
    return one_off_config(
        models,
        # `check --package` compares the folder it is given and never reads this one.
        output if output is not None else Path.cwd(),
        operations or (),
        strict=args.strict,
        templates=args.templates,
    )


def _export(config: Config, form: str, output: Path, keep: Keep, *, force: bool) -> int:
    from generator import pipeline
    from generator.jsonschema_export import export_schemas, write_export
    from generator.openapi.export import openapi_files

    units = pipeline.build(config)
    if form == "jsonschema":
        written = export_schemas(units, output, keep, force=force)
        log.info("wrote %d JSON Schema files to %s", written, output)
        return EXIT_OK
    warnings = Warnings()
    files = openapi_files(units, warnings)
    warnings.settle(strict=config.strict)
    write_export(files, output, keep, force=force)
    log.info("wrote %d OpenAPI documents to %s", len(files), output)
    return EXIT_OK


def _check_package(config: Config, folder: Path) -> int:
    from generator.package_check import compare_package

    comparison = compare_package(config, folder)
    for diff in comparison.diffs:
        sys.stdout.write(diff if diff.endswith("\n") else diff + "\n")
    manifest = folder / PACKAGE_MANIFEST_NAME
    for line in comparison.explanations:
        print(f"drift: {manifest}: {line}", file=sys.stderr)
    if not comparison.in_sync:
        print(
            f"{len(comparison.diffs)} file(s) in {folder} differ from what the models produce "
            "for its service and operations; generate it again and copy it over",
            file=sys.stderr,
        )
        return EXIT_DRIFT
    log.info("%s is in sync with the models (%d files)", folder, comparison.files)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
