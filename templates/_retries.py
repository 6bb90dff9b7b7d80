"""Retries of the generated client: the AWS SDKs' "standard" mode, or none.

Standard mode, as the AWS SDKs define it:
- at most `max_attempts` attempts (3 by default), the first one included;
- retry throttling errors, transient errors (5xx, timeouts, dropped connections) and errors the
  model marks `@retryable`;
- wait `random() * min(20 s, 2 ** attempt)` between attempts (exponential backoff, full jitter),
  or, after a 429 or 503 whose `Retry-After` gives delta-seconds or an HTTP-date, that long
  (at most 20 s; a value that is neither is ignored);
- a retry quota shared by the client (a token bucket of 500): a retry costs 5 tokens (10 after a
  timeout), a success pays back what its retry cost (or 1 token), and when the bucket is empty
  the error is raised at once instead of retried, so a failing service is not hammered.
A request that may already have reached the server is only repeated for operations the model
says are safe to repeat (`@idempotent`, `@readonly`) or when the server answered with a status
that says the request was not processed.
"""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
TRANSIENT_CODES = frozenset(
    {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}
)
TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})

MAX_BACKOFF = 20.0
RETRY_AFTER_STATUSES = frozenset({429, 503})
"""Answers whose `Retry-After` says how long to wait before the next attempt."""
INITIAL_QUOTA = 500
RETRY_COST = 5
TIMEOUT_RETRY_COST = 10
NO_RETRY_INCREMENT = 1


@dataclass(frozen=True)
class Failure:
    """What went wrong in one attempt, as much as retries need to know."""

    code: str | None = None
    """The error code of a service error."""
    status: int | None = None
    """The HTTP status, where the server answered."""
    modeled_retryable: bool = False
    modeled_throttling: bool = False
    connection_error: bool = False
    timeout: bool = False
    request_sent: bool = True
    """Whether the server may have received the request."""
    retry_after: float | None = None
    """Seconds the server asked to wait (`Retry-After`), never negative."""

    @property
    def is_throttling(self) -> bool:
        return self.modeled_throttling or (self.code in THROTTLING_CODES) or self.status == 429

    @property
    def is_transient(self) -> bool:
        return (
            self.connection_error
            or self.timeout
            or self.code in TRANSIENT_CODES
            or self.status in TRANSIENT_STATUSES
        )


@dataclass(frozen=True)
class Retry:
    delay: float
    """Seconds to wait before the next attempt."""
    cost: int
    """Tokens taken from the retry quota."""


class RetryQuota:
    def __init__(self, capacity: int = INITIAL_QUOTA) -> None:
        self.capacity = capacity
        self.available = capacity
        self._lock = threading.Lock()

    def acquire(self, cost: int) -> bool:
        with self._lock:
            if cost > self.available:
                return False
            self.available -= cost
            return True

    def release(self, amount: int) -> None:
        with self._lock:
            self.available = min(self.capacity, self.available + amount)


def retry_after(value: str | None, now: datetime.datetime) -> float | None:
    """The seconds a `Retry-After` value asks to wait: delta-seconds (ASCII digits) or an
    HTTP-date (past dates wait 0); None for anything else. The value is the server's, so it is
    not trusted: a negative, fractional or garbled value is None, a huge one stays huge (the
    caller caps it), and reading it never raises."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text) if len(text) < 16 else float("1e15")
    if not (text.isascii() and text.isprintable()) or len(text) > 64 or "," not in text:
        return None
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # `-0000`: the zone is unknown; HTTP dates are GMT
        when = when.replace(tzinfo=datetime.UTC)
    try:
        return max(0.0, (when - now).total_seconds())
    except OverflowError:
        return None


def uniform_draw() -> float:
    """A draw from [0, 1) for the jitter, from the OS's random bytes: a wait needs no seeded
    generator, and importing `random` would cost the first call about a millisecond."""
    return int.from_bytes(os.urandom(7), "big") / 2.0**56


class RetryStrategy:
    """Decides, after each failed attempt, whether and how long to wait before the next."""

    def __init__(
        self,
        *,
        mode: str = "standard",
        max_attempts: int = 3,
        random: Callable[[], float] | None = None,
        quota: RetryQuota | None = None,
    ) -> None:
        if mode not in {"standard", "off"}:
            raise ValueError(f"retry_mode must be 'standard' or 'off', not {mode!r}")
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {max_attempts}")
        self.mode = mode
        self.max_attempts = 1 if mode == "off" else max_attempts
        self._random = random if random is not None else uniform_draw
        self.quota = quota if quota is not None else RetryQuota()

    def decide(self, attempt: int, failure: Failure, *, safe_to_repeat: bool) -> Retry | None:
        """Whether to make attempt `attempt + 1` (`attempt` counts from 1), or None to raise."""
        if attempt >= self.max_attempts:
            return None
        if not (failure.is_throttling or failure.is_transient or failure.modeled_retryable):
            return None
        if failure.request_sent and failure.status is None and not safe_to_repeat:
            # No answer came back: the server may have acted on the request already.
            return None
        cost = TIMEOUT_RETRY_COST if failure.timeout else RETRY_COST
        if not self.quota.acquire(cost):
            return None
        if failure.retry_after is not None:
            delay = min(failure.retry_after, MAX_BACKOFF)
        else:
            delay = self._random() * min(MAX_BACKOFF, 2.0 ** (attempt - 1))
        return Retry(delay=delay, cost=cost)

    def record_success(self, retry_cost: int) -> None:
        """Pay back the quota after a successful attempt: what its retry cost, or 1."""
        self.quota.release(retry_cost if retry_cost else NO_RETRY_INCREMENT)
