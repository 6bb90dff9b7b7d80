"""Canned answers for the stub, loaded from JSON (or YAML, where PyYAML is installed).

```json
{
  "GetFaceLivenessSessionResults": [
    {"match": {"SessionId": "3f1c..."},
     "responses": [
       {"response": {"SessionId": "3f1c...", "Status": "IN_PROGRESS"}},
       {"response": {"SessionId": "3f1c...", "Status": "SUCCEEDED", "Confidence": 98.5}}
     ]},
    {"match": {"SessionId": "0000..."},
     "error": {"code": "SessionNotFoundException", "Message": "no such session"}}
  ]
}
```

Each entry answers the calls whose input has the members of `match` (wire names and JSON form:
blobs in base64). An input's event stream is matched by the list of the events it sends, each
in the JSON form of the stream's union (`[{"Text": {"Text": "hi"}}]`), exactly and in order: the
entry reads the request's events (one more than it lists, to see the stream end there), so it
answers once the client has sent them. An output's event stream is given the same way, as the
list of events to send; its last may be one of the stream's modelled errors, sent as its
exception message to end the stream. `response` or `error` answers every such call; `responses` answers them in
turn and then keeps giving its last answer. Every response is checked against the operation's
output shape and every error against its error shape when the file is loaded, so a fixture can
never make the stub say what the service could not: a bad file is refused with its name and the
JSON pointer of the problem.
"""

from __future__ import annotations

import functools
import importlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._runtime import Violation, json_pointer
from ..errors import ServiceError
from ._app import BreaksModel, EventsSpec, OperationSpec, ServiceSpec, checked
from ._documents import DocumentError, check_value, load_json, load_yaml


class FixtureError(ValueError):
    """A fixture file that cannot be used, with where and why."""


@dataclass(frozen=True)
class Answer:
    response: Any = None
    """The output dataclass, or None for an error."""
    error: ServiceError | None = None
    build: Callable[[], Any] | None = None
    """Makes the output afresh for each call, where it has an event stream to send."""

    def give(self) -> Any:
        if self.error is not None:
            raise self.error
        if self.build is not None:
            return self.build()
        return self.response


@dataclass
class _Entry:
    match: dict[str, Any]
    answers: list[Answer]
    served: int = field(default=0)
    events: tuple[str, list[Any]] | None = None
    """The input's event stream member and the events the call must send."""


class _Received:
    """The events a call has sent, read only as far as some entry needs to compare them."""

    def __init__(self, events: Any) -> None:
        self._events: Iterator[Any] = iter(events if isinstance(events, Iterable) else ())
        self._seen: list[Any] = []
        self._ended = False

    def are(self, expected: list[Any]) -> bool:
        while not self._ended and len(self._seen) <= len(expected):
            try:
                self._seen.append(next(self._events))
            except StopIteration:
                self._ended = True
        return self._seen == expected


@dataclass(frozen=True)
class _Ending:
    """A modelled error that ends a fixture's stream, made afresh for each call (an exception
    raised gathers a traceback, so calls do not share one)."""

    make: Callable[[], ServiceError]


def _sent(events: list[Any]) -> Iterator[Any]:
    """A fixture's events for one answer; a modelled error (the last) is raised, so that the
    stream ends with its exception message."""
    for event in events:
        if isinstance(event, _Ending):
            raise event.make()
        yield event


class Fixtures:
    """Thread-safe: concurrent calls each take their own answer of a sequence."""

    def __init__(self, entries: Mapping[str, list[_Entry]] | None = None) -> None:
        self._entries = dict(entries or {})
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._entries.values())

    def answer(self, operation: str, request_wire: Mapping[str, Any]) -> Answer | None:
        """The answer for a call of `operation` whose input is `request_wire`, or None."""
        received: _Received | None = None
        for entry in self._entries.get(operation, ()):
            if entry.events is not None:
                member, expected = entry.events
                received = received or _Received(request_wire.get(member))
                if not received.are(expected):
                    continue
            if all(request_wire.get(k) == v for k, v in entry.match.items()):
                with self._lock:
                    answer = entry.answers[min(entry.served, len(entry.answers) - 1)]
                    entry.served += 1
                return answer
        return None


def load_fixtures(path: str | Path, service: ServiceSpec) -> Fixtures:
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(f"{path}: cannot read the fixtures: {error}") from None
    if path.suffix.lower() in {".yaml", ".yml"}:
        try:
            yaml = importlib.import_module("yaml")
        except ImportError:
            raise FixtureError(
                f"{path}: YAML fixtures need PyYAML installed; or use JSON"
            ) from None
        try:
            data = load_yaml(text, yaml)
        except DocumentError as error:
            raise FixtureError(f"{path}: {error}") from None
        except (yaml.YAMLError, ValueError) as error:  # ValueError: a date like 2024-13-45
            raise FixtureError(f"{path}: not YAML: {error}") from None
    else:
        try:
            data = load_json(text, allow_constants=True)
        except json.JSONDecodeError as error:
            raise FixtureError(
                f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}"
            ) from None
        except DocumentError as error:
            raise FixtureError(f"{path}: {error}") from None
    return fixtures_from_data(data, service, source=str(path))


def fixtures_from_data(data: Any, service: ServiceSpec, *, source: str = "<fixtures>") -> Fixtures:
    reader = _Reader(service, source)
    try:
        check_value(data)
    except DocumentError as error:
        raise reader.fail(error.where, error.problem) from None
    if not isinstance(data, Mapping):
        raise reader.fail((), "expected an object of operation names")
    entries: dict[str, list[_Entry]] = {}
    for name, items in data.items():
        operation = service.operations.get(name)
        if operation is None:
            known = ", ".join(sorted(service.operations))
            raise reader.fail((name,), f"unknown operation (known: {known})")
        if not isinstance(items, list):
            raise reader.fail((name,), "expected a list of entries")
        entries[name] = [reader.entry(operation, item, (name, i)) for i, item in enumerate(items)]
    return Fixtures(entries)


class _Reader:
    def __init__(self, service: ServiceSpec, source: str) -> None:
        self.service = service
        self.source = source

    def fail(self, where: tuple[str | int, ...], message: str) -> FixtureError:
        return FixtureError(f"{self.source}: {json_pointer(where) or '/'}: {message}")

    def violations(self, where: tuple[str | int, ...], found: list[Violation]) -> FixtureError:
        details = "; ".join(
            f"{json_pointer(where)}{v.pointer}: {v.constraint} violation: expected {v.limit}, got {v.value}"
            for v in found
        )
        return FixtureError(f"{self.source}: {details}")

    def entry(self, operation: OperationSpec, item: Any, where: tuple[str | int, ...]) -> _Entry:
        if not isinstance(item, Mapping):
            raise self.fail(where, "expected an object with 'match' and an answer")
        unknown = set(item) - {"match", "response", "error", "responses"}
        if unknown:
            raise self.fail(where, f"unknown keys {sorted(unknown)}")
        answers_given = [key for key in ("response", "error", "responses") if key in item]
        if len(answers_given) != 1:
            raise self.fail(where, "give exactly one of 'response', 'error' or 'responses'")
        match = item.get("match", {})
        events = None
        spec = operation.input_events
        if spec is not None and isinstance(match, Mapping) and spec.member in match:
            match = {key: value for key, value in match.items() if key != spec.member}
            path = (*where, "match", spec.member)
            events = (spec.member, self.events(spec, item["match"][spec.member], path))
        match = self.match(operation, match, (*where, "match"))
        if "responses" in item:
            sequence = item["responses"]
            if not isinstance(sequence, list) or not sequence:
                raise self.fail((*where, "responses"), "expected a non-empty list of answers")
            answers = [
                self.answer(operation, a, (*where, "responses", i)) for i, a in enumerate(sequence)
            ]
        else:
            answers = [self.answer(operation, item, where)]
        return _Entry(match, answers, events=events)

    def match(
        self, operation: OperationSpec, match: Any, where: tuple[str | int, ...]
    ) -> dict[str, Any]:
        if not isinstance(match, Mapping):
            raise self.fail(where, "expected an object of input members")
        wire = (operation.read_document or operation.read_input)(dict(match))
        # A match names some members only, so a missing required member is no fault here.
        found = [
            v for v in operation.validate_input(wire, strict=True) if v.constraint != "required"
        ]
        if found:
            raise self.violations(where, found)
        return dict(wire)

    def answer(self, operation: OperationSpec, item: Any, where: tuple[str | int, ...]) -> Answer:
        if not isinstance(item, Mapping) or len({"response", "error"} & set(item)) != 1:
            raise self.fail(where, "expected an object with 'response' or 'error'")
        if "response" in item:
            given = item["response"]
            spec = operation.output_events
            if spec is not None and isinstance(given, Mapping) and spec.member in given:
                return self.streamed(operation, spec, given, (*where, "response"))
            response = self._checked(
                given,
                (*where, "response"),
                operation.read_output,
                operation.validate_output,
                operation.output_from_dict,
            )
            return Answer(response=response)
        return Answer(error=self.error(operation, item["error"], (*where, "error")))

    def streamed(
        self,
        operation: OperationSpec,
        spec: EventsSpec,
        given: Mapping[str, Any],
        where: tuple[str | int, ...],
    ) -> Answer:
        """A response with an event stream: the other members checked as the output, the
        events each as one of the stream's; the output is made afresh for every call."""
        rest = {key: value for key, value in given.items() if key != spec.member}
        self._checked(
            rest,
            where,
            operation.read_output,
            operation.validate_output,
            operation.output_from_dict,
        )
        events = self.events(spec, given[spec.member], (*where, spec.member), errors=True)
        wire = operation.read_output(dict(rest))
        return Answer(
            build=lambda: operation.output_from_dict({**wire, spec.member: _sent(events)})
        )

    def events(
        self, spec: EventsSpec, value: Any, where: tuple[str | int, ...], *, errors: bool = False
    ) -> list[Any]:
        """A list of a stream's events in JSON form, each checked against the stream's union;
        with `errors`, the last may be one of the stream's modelled errors instead."""
        if not isinstance(value, list):
            raise self.fail(where, "expected a list of events, each an object of one member")
        steps = (spec.read or _as_is, spec.validate, spec.from_dict)
        found = []
        for index, event in enumerate(value):
            path = (*where, index)
            single = isinstance(event, Mapping) and len(event) == 1
            member = next(iter(event), "") if single else ""
            if not errors or member not in spec.errors:
                found.append(self._checked(event, path, *steps))
                continue
            if index != len(value) - 1:
                raise self.fail(path, f"{member} is an error: it ends the stream, so it comes last")
            error = self.service.errors[spec.errors[member]]
            value = event[member]
            self._checked(value, (*path, member), error.read, error.validate, error.from_dict)
            wire = error.read(dict(value))
            found.append(_Ending(functools.partial(error.from_dict, wire)))
        return found

    def _checked(self, value: Any, where: tuple[str | int, ...], *steps: Any) -> Any:
        # A fixture must be data: a dataclass would not come from a JSON or YAML file.
        if not isinstance(value, Mapping):
            raise self.fail(where, "expected an object of the shape's members")
        try:
            return checked(value, *steps)
        except BreaksModel as broken:
            raise self.violations(where, broken.violations) from None

    def error(
        self, operation: OperationSpec, item: Any, where: tuple[str | int, ...]
    ) -> ServiceError:
        if not isinstance(item, Mapping) or not isinstance(item.get("code"), str):
            raise self.fail(where, "expected an object with the error's 'code' and its members")
        code = item["code"]
        spec = self.service.errors.get(code)
        if spec is None or spec.error_type not in operation.errors:
            allowed = ", ".join(sorted(e.shape_name for e in operation.errors))
            raise self.fail(
                (*where, "code"), f"{code!r} is not an error of {operation.name} ({allowed})"
            )
        members = {key: value for key, value in item.items() if key != "code"}
        error: ServiceError = self._checked(
            members, where, spec.read, spec.validate, spec.from_dict
        )
        return error


def _as_is(value: Any) -> Any:
    return value
