"""Fault injection: make the stub misbehave on purpose, so client retries and timeouts get tested.

Per operation, faults come from a queue (consumed one per call, in order) or from chances (each
call draws once per chance). A fault is one of:

- `throttle`: the model's throttling error (its status, its `__type`);
- `internal`: the model's internal server error, a 500;
- `error:<Code>`: any modelled error, by code;
- `delay:<seconds>`: wait, then answer normally (a read timeout on the client's side);
- `drop`: close the connection without answering.

```python
faults = Faults(seed=7)
faults.queue("GetFaceLivenessSessionResults", "throttle", "throttle")  # the third call succeeds
faults.chance("CreateFaceLivenessSession", "internal", 0.1)
```
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Fault:
    kind: str
    seconds: float = 0.0
    """For `delay`."""
    code: str | None = None
    """For `error`: the modelled error's code."""

    @classmethod
    def parse(cls, text: str) -> Fault:
        """`throttle`, `internal`, `drop`, `delay:0.5` or `error:AccessDeniedException`."""
        kind, _, argument = text.partition(":")
        if kind in {"throttle", "internal", "drop"} and not argument:
            return cls(kind)
        if kind == "delay":
            try:
                seconds = float(argument)
            except ValueError:
                raise ValueError(f"{text!r}: a delay needs seconds, as in 'delay:0.5'") from None
            if not 0 <= seconds <= 3600:
                raise ValueError(f"{text!r}: the delay must be between 0 and 3600 seconds")
            return cls(kind, seconds=seconds)
        if kind == "error" and argument:
            return cls(kind, code=argument)
        raise ValueError(
            f"unknown fault {text!r}; expected throttle, internal, drop, delay:<seconds> "
            "or error:<ErrorCode>"
        )


class Faults:
    """Thread-safe: the stub's worker threads draw from it concurrently."""

    def __init__(self, *, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Fault]] = {}
        self._chances: dict[str, list[tuple[Fault, float]]] = {}
        self._random = random.Random(seed)

    def queue(self, operation: str, *faults: Fault | str) -> Faults:
        """Answer the next calls of `operation` with these faults, one per call, in order."""
        parsed = [fault if isinstance(fault, Fault) else Fault.parse(fault) for fault in faults]
        with self._lock:
            self._queues.setdefault(operation, deque()).extend(parsed)
        return self

    def chance(self, operation: str, fault: Fault | str, probability: float) -> Faults:
        """Answer each call of `operation` with `fault` with this probability."""
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"a probability is between 0 and 1, not {probability}")
        parsed = fault if isinstance(fault, Fault) else Fault.parse(fault)
        with self._lock:
            self._chances.setdefault(operation, []).append((parsed, probability))
        return self

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()
            self._chances.clear()

    def pending(self, operation: str) -> int:
        with self._lock:
            return len(self._queues.get(operation, ()))

    def next(self, operation: str) -> Fault | None:
        with self._lock:
            queued = self._queues.get(operation)
            if queued:
                return queued.popleft()
            for fault, probability in self._chances.get(operation, ()):
                if self._random.random() < probability:
                    return fault
        return None

    def check_codes(self, known: Mapping[str, Any]) -> None:
        """Refuse `error:<Code>` faults whose code the model does not have."""
        with self._lock:
            faults = [f for q in self._queues.values() for f in q]
            faults += [f for chances in self._chances.values() for f, _ in chances]
        for fault in faults:
            if fault.kind == "error" and fault.code not in known:
                raise ValueError(
                    f"fault error:{fault.code}: not a modelled error (known: {', '.join(sorted(known))})"
                )

    @classmethod
    def from_dict(cls, data: Any, *, seed: int | None = None) -> Faults:
        """`{"Operation": {"queue": ["throttle", ...], "chance": {"internal": 0.1}}}`."""
        if not isinstance(data, Mapping):
            raise ValueError("faults: expected an object of operation names")
        faults = cls(seed=seed)
        for operation, spec in data.items():
            if not isinstance(spec, Mapping) or set(spec) - {"queue", "chance"}:
                raise ValueError(f"faults/{operation}: expected 'queue' and/or 'chance'")
            queued = spec.get("queue", [])
            if not isinstance(queued, list) or not all(isinstance(f, str) for f in queued):
                raise ValueError(f"faults/{operation}/queue: expected a list of fault names")
            faults.queue(operation, *queued)
            chances = spec.get("chance", {})
            if not isinstance(chances, Mapping):
                raise ValueError(f"faults/{operation}/chance: expected fault name -> probability")
            for fault, probability in chances.items():
                if not isinstance(probability, int | float) or isinstance(probability, bool):
                    raise ValueError(f"faults/{operation}/chance/{fault}: expected a number")
                faults.chance(operation, fault, float(probability))
        return faults
