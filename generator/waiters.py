"""Read an operation's `smithy.waiters#waitable` into `ir.Waiter`s, checked against the model.

Every problem of the trait is reported at once at its JSON pointer: a waiter name that is not
UpperCamelCase, `minDelay` above `maxDelay`, a matcher that is not exactly one of the four, an
unknown comparator or state, a path the generated package's JMESPath cannot parse, a waiter
with no success acceptor. An `errorType` the operation does not declare is a warning (Smithy's
validator warns too: the service may still answer with it).
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from generator import ir, naming
from generator.diagnostics import Diagnostic, ShapesmithError, json_pointer
from generator.modeltext import ModelText
from generator.template_set import shipped_dir

TRAIT = "smithy.waiters#waitable"
STATES = ("success", "failure", "retry")
COMPARATORS = ("stringEquals", "booleanEquals", "allStringEquals", "anyStringEquals")
MATCHERS = ("output", "inputOutput", "success", "errorType")
DEFAULT_MIN_DELAY = 2
DEFAULT_MAX_DELAY = 120
_NAME = re.compile(r"[A-Z]+[A-Za-z0-9]*")


@functools.cache
def _jmespath() -> ModuleType:
    """The JMESPath module every package with waiters gets: what parses there parses here."""
    name = "generator._waiter_jmespath"
    spec = importlib.util.spec_from_file_location(name, shipped_dir() / "_jmespath.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def path_problem(path: str) -> str | None:
    """Why the generated JMESPath cannot parse `path`; None when it can."""
    module = _jmespath()
    try:
        module.compile_expression(path)
    except module.JMESPathError as error:
        return str(error)
    return None


class _Reader:
    def __init__(
        self,
        file: str,
        operation_id: str,
        errors: Sequence[ir.StructureShape],
        has_output: bool,
    ) -> None:
        self.file = file
        self.operation_id = operation_id
        self.errors = {error.name for error in errors}
        self.has_output = has_output
        self.problems: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def problem(self, parts: tuple[str | int, ...], message: str) -> None:
        pointer = json_pointer("shapes", self.operation_id, "traits", TRAIT, *parts)
        self.problems.append(Diagnostic(self.file, pointer, message))

    def warn(self, parts: tuple[str | int, ...], message: str) -> None:
        pointer = json_pointer("shapes", self.operation_id, "traits", TRAIT, *parts)
        self.warnings.append(Diagnostic(self.file, pointer, message))

    def delay(self, name: str, waiter: dict[str, Any], key: str, default: int) -> int:
        value = waiter.get(key, default)
        if type(value) is not int or value < 1:
            message = f"expected a whole number of seconds >= 1, found {value!r}"
            self.problem((name, key), message)
            return default
        return value

    def acceptor(self, parts: tuple[str | int, ...], value: object) -> ir.Acceptor | None:
        if not isinstance(value, dict):
            self.problem(parts, f"expected an acceptor object, found {value!r}")
            return None
        state = value.get("state")
        if state not in STATES:
            self.problem((*parts, "state"), f"expected one of {', '.join(STATES)}, found {state!r}")
        matcher = value.get("matcher")
        kinds = sorted(matcher) if isinstance(matcher, dict) else []
        if len(kinds) != 1 or kinds[0] not in MATCHERS:
            found = kinds or matcher
            self.problem(
                (*parts, "matcher"),
                f"expected exactly one of {', '.join(MATCHERS)}, found {found!r}",
            )
            return None
        assert isinstance(matcher, dict)
        kind = kinds[0]
        where = (*parts, "matcher", kind)
        body = matcher[kind]
        if kind == "success":
            if not isinstance(body, bool):
                self.problem(where, f"expected true or false, found {body!r}")
                return None
            return ir.Acceptor(state=str(state), matcher=kind, expected=body)
        if kind == "errorType":
            if not isinstance(body, str) or not body:
                self.problem(where, f"expected an error's name or shape id, found {body!r}")
                return None
            name = body.rpartition("#")[2]
            if name not in self.errors:
                known = ", ".join(sorted(self.errors)) or "none"
                self.warn(
                    where,
                    f"{name} is not an error {self.operation_id} declares (its errors: {known});"
                    " the acceptor matches an error of that code all the same",
                )
            return ir.Acceptor(state=str(state), matcher=kind, expected=name)
        return self.path_acceptor(where, kind, str(state), body)

    def path_acceptor(
        self, where: tuple[str | int, ...], kind: str, state: str, body: object
    ) -> ir.Acceptor | None:
        if not isinstance(body, dict):
            self.problem(
                where, f"expected an object with path, expected, comparator; found {body!r}"
            )
            return None
        if kind == "output" and not self.has_output:
            self.problem(where, f"{self.operation_id} has no output for an output matcher")
        path, expected, comparator = body.get("path"), body.get("expected"), body.get("comparator")
        fine = True
        if not isinstance(path, str):
            self.problem((*where, "path"), f"expected a JMESPath expression, found {path!r}")
            fine = False
        else:
            problem = path_problem(path)
            if problem is not None:
                self.problem((*where, "path"), problem)
                fine = False
        if comparator not in COMPARATORS:
            self.problem(
                (*where, "comparator"),
                f"expected one of {', '.join(COMPARATORS)}, found {comparator!r}",
            )
            fine = False
        if not isinstance(expected, str):
            self.problem((*where, "expected"), f"expected a string, found {expected!r}")
            fine = False
        elif comparator == "booleanEquals" and expected not in ("true", "false"):
            self.problem(
                (*where, "expected"), f'booleanEquals expects "true" or "false", found {expected!r}'
            )
            fine = False
        if not fine:
            return None
        return ir.Acceptor(
            state=state,
            matcher=kind,
            expected=str(expected),
            path=str(path),
            comparator=str(comparator),
        )

    def waiter(self, name: str, value: object, input_members: Sequence[str]) -> ir.Waiter | None:
        if not _NAME.fullmatch(name):
            self.problem(
                (name,), f"a waiter's name is UpperCamelCase letters and digits, found {name!r}"
            )
            return None
        if not isinstance(value, dict):
            self.problem((name,), f"expected a waiter object, found {value!r}")
            return None
        min_delay = self.delay(name, value, "minDelay", DEFAULT_MIN_DELAY)
        max_delay = self.delay(name, value, "maxDelay", DEFAULT_MAX_DELAY)
        if min_delay > max_delay:
            self.problem(
                (name, "minDelay"), f"minDelay {min_delay} is greater than maxDelay {max_delay}"
            )
        listed = value.get("acceptors")
        if not isinstance(listed, list) or not listed:
            self.problem(
                (name, "acceptors"), f"expected a non-empty list of acceptors, found {listed!r}"
            )
            return None
        read = [
            self.acceptor((name, "acceptors", index), item) for index, item in enumerate(listed)
        ]
        acceptors = tuple(acceptor for acceptor in read if acceptor is not None)
        if len(acceptors) == len(read) and not any(a.state == "success" for a in acceptors):
            self.problem((name, "acceptors"), "a waiter needs an acceptor with the success state")
        documentation = value.get("documentation")
        return ir.Waiter(
            name=name,
            py_name=naming.waiter_name(name),
            method=naming.waiter_method(name),
            max_wait_parameter=naming.parameter_name("max_wait", input_members),
            min_delay=min_delay,
            max_delay=max_delay,
            acceptors=acceptors,
            documentation=documentation if isinstance(documentation, ModelText) else None,
        )


def read(
    file: str,
    operation_id: str,
    trait: object,
    operation: tuple[ir.StructureShape, ir.StructureShape, Sequence[ir.StructureShape]],
) -> tuple[tuple[ir.Waiter, ...], list[Diagnostic]]:
    """The operation's waiters, by name, and the warnings they give; raises `ShapesmithError`
    with every problem of the trait. `operation` is its (input, output, errors)."""
    input_shape, output_shape, errors = operation
    has_output = output_shape.id != ir.UNIT_ID
    reader = _Reader(file, operation_id, errors, has_output)
    if not isinstance(trait, dict) or not trait:
        reader.problem((), f"expected an object of waiters by name, found {trait!r}")
        raise ShapesmithError(reader.problems)
    members = [member.py_name for member in input_shape.members]
    found = [reader.waiter(str(name), trait[name], members) for name in sorted(trait)]
    if reader.problems:
        raise ShapesmithError(reader.problems)
    return tuple(waiter for waiter in found if waiter is not None), reader.warnings
