"""Waiters, as the model's `smithy.waiters#waitable` describes them: call an operation until its
answer says the resource reached a state.

Each attempt calls the operation and runs the waiter's acceptors in order; the first that matches
gives the state: `success` ends the wait, `failure` raises `WaiterError`, `retry` waits and calls
again. An answer no acceptor matches is a retry; a service error no acceptor matches is a
failure. Matchers: `output` runs a JMESPath expression on the output in wire form
(`to_dict()`: the model's member names, as boto3 sees the response), `inputOutput` on
`{"input": ..., "output": ...}`; `success` matches a call that succeeded (true) or failed
(false); `errorType` matches a service error by its code (the error's shape name).

The delay before attempt n+1 follows the Smithy waiter specification: a random time between
`minDelay` and `minDelay * 2 ** (n - 1)`, capped at `maxDelay`; with less than `minDelay` plus
the delay left of the maximum wait, the delay is shortened so that the last attempt starts
`minDelay` before the maximum wait is up, and with `minDelay` or less left, the waiter gives up.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import _jmespath

DEFAULT_MAX_WAIT = 600.0
"""Seconds `Waiter.wait` waits at most when its `WaiterConfig` sets no `MaxAttempts`."""

_COMPARATORS: dict[str, Callable[[Any, str], bool]] = {
    "stringEquals": lambda value, expected: isinstance(value, str) and value == expected,
    "booleanEquals": lambda value, expected: (
        isinstance(value, bool) and value == (expected == "true")
    ),
    "allStringEquals": lambda value, expected: (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, str) and item == expected for item in value)
    ),
    "anyStringEquals": lambda value, expected: (
        isinstance(value, list) and any(isinstance(i, str) and i == expected for i in value)
    ),
}


class WaiterError(Exception):
    """A waiter ended without success: a `failure` acceptor matched, the service answered
    with an error no acceptor expected, or the time (or attempts) ran out."""

    def __init__(
        self, name: str, reason: str, last_output: Any = None, last_error: Any = None
    ) -> None:
        super().__init__(f"waiter {name} failed: {reason}")
        self.name = name
        """The waiter's name in the model (`ProjectVersionRunning`)."""
        self.reason = reason
        self.last_output = last_output
        """The output of the last call, where it succeeded."""
        self.last_error = last_error
        """The error of the last call, where it failed."""


@dataclass(frozen=True)
class Acceptor:
    """One acceptor of the model: the state it gives when its matcher matches."""

    state: str
    """`success`, `failure` or `retry`."""
    matcher: str
    """`output`, `inputOutput`, `success` or `errorType`."""
    expected: str | bool
    """The value compared with (`output`, `inputOutput`), whether the call succeeded
    (`success`), or the error's name (`errorType`)."""
    path: str = ""
    comparator: str = ""
    _expression: _jmespath.Expression | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.path:
            object.__setattr__(self, "_expression", _jmespath.compile_expression(self.path))

    def matches(self, input: Any, output: Any, error: BaseException | None) -> bool:
        """Whether the call with wire-form `input` that answered `output` or raised `error`
        matches."""
        if self.matcher == "success":
            return (error is None) == self.expected
        if self.matcher == "errorType":
            return error is not None and _error_name(error) == self.expected
        if error is not None or self._expression is None:
            return False
        document = output if self.matcher == "output" else {"input": input, "output": output}
        return _COMPARATORS[self.comparator](self._expression.search(document), str(self.expected))


def _error_name(error: BaseException) -> str:
    # A modelled error's code is its shape's name; an unmodelled one keeps the service's code.
    code = getattr(error, "error_code", None)
    return code.rpartition("#")[2] if isinstance(code, str) else ""


@dataclass(frozen=True)
class WaiterModel:
    """A waiter of the model, and the client method of the operation it calls."""

    name: str
    operation: str
    """The client method that makes one call."""
    input_class: type[Any] | None
    """The operation's input class, which the waiter's keyword arguments build; None where
    the operation takes no input."""
    acceptors: tuple[Acceptor, ...]
    min_delay: float = 2.0
    max_delay: float = 120.0


def delays(
    min_delay: float, max_delay: float, uniform: Callable[[float, float], float]
) -> Callable[[int], float]:
    """The delay after attempt `n` (from 1): exponential between the two, with jitter."""
    ceiling = math.log(max_delay / min_delay) / math.log(2) + 1 if min_delay > 0 else 0.0

    def delay(attempt: int) -> float:
        # Up to the ceiling, doubling from min_delay stays within max_delay.
        upper = max_delay if attempt > ceiling else min_delay * 2 ** (attempt - 1)
        return uniform(min_delay, upper)

    return delay


class Waiter:
    """Waits for one state of a resource, calling one operation of `client`.

    `clock`, `sleep` and `uniform` (the jitter) are `time.monotonic`, `time.sleep` and
    `random.uniform`; a test may set its own.
    """

    def __init__(self, client: Any, model: WaiterModel) -> None:
        self.name = model.name
        self.model = model
        self.client = client
        self.clock: Callable[[], float] = time.monotonic
        self.sleep: Callable[[float], None] = time.sleep
        self.uniform: Callable[[float, float], float] = random.uniform

    def __repr__(self) -> str:
        return f"<Waiter {self.name}>"

    def wait(
        self,
        request: Any = None,
        /,
        *,
        WaiterConfig: Mapping[str, Any] | None = None,
        **members: Any,
    ) -> None:
        """Wait as boto3's `Waiter.wait` does: `WaiterConfig={"Delay": seconds}` waits that
        long between attempts (the model's backoff otherwise) and `{"MaxAttempts": n}` makes at
        most n attempts (else it waits at most `DEFAULT_MAX_WAIT` seconds)."""
        config = dict(WaiterConfig or {})
        unknown = sorted(set(config) - {"Delay", "MaxAttempts"})
        if unknown:
            raise TypeError(f"unknown WaiterConfig keys {unknown}: expected Delay, MaxAttempts")
        min_delay, max_delay = self.model.min_delay, self.model.max_delay
        if "Delay" in config:
            min_delay = max_delay = _seconds("Delay", config["Delay"])
        attempts = config.get("MaxAttempts")
        if attempts is not None and (type(attempts) is not int or attempts < 1):
            raise ValueError(f"MaxAttempts must be a positive integer, not {attempts!r}")
        max_wait = None if attempts is not None else DEFAULT_MAX_WAIT
        self._run(request, members, min_delay, max_delay, max_wait, attempts)

    def wait_until(self, request: Any, members: Mapping[str, Any], max_wait: float) -> None:
        """Wait at most `max_wait` seconds, with the model's backoff."""
        max_wait = _seconds("max_wait", max_wait)
        self._run(request, members, self.model.min_delay, self.model.max_delay, max_wait, None)

    def _run(
        self,
        request: Any,
        members: Mapping[str, Any],
        min_delay: float,
        max_delay: float,
        max_wait: float | None,
        max_attempts: int | None,
    ) -> None:
        model = self.model
        if model.input_class is not None and request is None:
            request = model.input_class(**members)
        elif members or (model.input_class is None and request is not None):
            raise TypeError(f"pass either a request or keyword arguments to {self.name}, not both")
        call = getattr(self.client, model.operation)
        arguments = () if model.input_class is None else (request,)
        input = {} if model.input_class is None else request.to_dict()
        delay = delays(min_delay, max_delay, self.uniform)
        start = self.clock()
        attempt = 0
        while True:
            attempt += 1
            output, error, answer = None, None, None
            try:
                answer = call(*arguments)
            except Exception as caught:  # a service error: only acceptors say what it means
                if not hasattr(caught, "error_code"):
                    raise
                error = caught
            else:
                output = {} if answer is None else answer.to_dict()
            state = next(
                (a.state for a in model.acceptors if a.matches(input, output, error)), None
            )
            if state == "success":
                return
            if state == "failure":
                raise WaiterError(self.name, "a failure state was reached", answer, error)
            if error is not None and state is None:
                reason = f"the service answered {_error_name(error)}, which no acceptor expects"
                raise WaiterError(self.name, reason, answer, error)
            if max_attempts is not None and attempt >= max_attempts:
                raise WaiterError(self.name, f"still not done after {attempt} attempts", answer)
            pause = delay(attempt)
            if max_wait is not None:
                remaining = max_wait - (self.clock() - start)
                if remaining <= min_delay:
                    reason = f"still not done after {attempt} attempts in {max_wait:g} s"
                    raise WaiterError(self.name, reason, answer, error)
                if remaining - pause <= min_delay:
                    pause = remaining - min_delay
            self.sleep(pause)


def _seconds(name: str, value: Any) -> float:
    if type(value) not in (int, float) or not 0 <= value < math.inf:
        raise ValueError(f"{name} must be a number of seconds, not {value!r}")
    return float(value)
