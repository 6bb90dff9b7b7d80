"""The in-memory fake's storage: records of resources, by identifier, in wire form.

A record is what the resource's read operation returns. Tests move records along with `update`
(apply changes now) and `script` (apply one queued change on each read, so that polling sees a
session go CREATED -> IN_PROGRESS -> SUCCEEDED). All methods are thread-safe.
"""

from __future__ import annotations

import bisect
import copy
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

Record = dict[str, Any]

DEFAULT_PAGE_SIZE = 100
"""How many records a page of a listing holds when the request sets no page size."""


class UnknownRecord(KeyError):
    """No record of that resource has that identifier."""


class RecordStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: dict[tuple[str, str], Record] = {}
        self._tokens: dict[tuple[str, str], str] = {}
        self._scripts: dict[tuple[str, str], deque[Record]] = {}

    def create(
        self, resource: str, identifier: str, initial: Mapping[str, Any], token: str | None = None
    ) -> Record:
        """A new record with a fresh UUID in its `identifier` member; for a token seen before,
        the record that token created."""
        with self._lock:
            if token is not None and (resource, token) in self._tokens:
                return copy.deepcopy(self._records[(resource, self._tokens[(resource, token)])])
            new_id = str(uuid.uuid4())
            record = {**copy.deepcopy(dict(initial)), identifier: new_id}
            self._records[(resource, new_id)] = record
            if token is not None:
                self._tokens[(resource, token)] = new_id
            return copy.deepcopy(record)

    def read(self, resource: str, key: str) -> Record | None:
        """The record, after applying the next scripted change if one is queued."""
        with self._lock:
            record = self._records.get((resource, key))
            if record is None:
                return None
            script = self._scripts.get((resource, key))
            if script:
                record.update(copy.deepcopy(script.popleft()))
            return copy.deepcopy(record)

    def get(self, resource: str, key: str) -> Record | None:
        """The record as it is, without advancing its script."""
        with self._lock:
            record = self._records.get((resource, key))
            return None if record is None else copy.deepcopy(record)

    def put(self, resource: str, key: str, record: Mapping[str, Any]) -> None:
        with self._lock:
            self._records[(resource, key)] = copy.deepcopy(dict(record))

    def update(self, resource: str, key: str, changes: Mapping[str, Any]) -> Record:
        with self._lock:
            record = self._records.get((resource, key))
            if record is None:
                raise UnknownRecord(f"no {resource} {key!r}")
            record.update(copy.deepcopy(dict(changes)))
            return copy.deepcopy(record)

    def script(self, resource: str, key: str, changes: Iterable[Mapping[str, Any]]) -> None:
        with self._lock:
            if (resource, key) not in self._records:
                raise UnknownRecord(f"no {resource} {key!r}")
            queue = self._scripts.setdefault((resource, key), deque())
            queue.extend(copy.deepcopy(dict(change)) for change in changes)

    def keys(self, resource: str) -> list[str]:
        with self._lock:
            return sorted(key for kind, key in self._records if kind == resource)

    def page(
        self, resource: str, token: str | None, size: int | None
    ) -> tuple[list[Record], str | None]:
        """The records of `resource` from `token` on (in the order of their keys), at most
        `size` (a size below 1: `DEFAULT_PAGE_SIZE`), and the token of the next page: the key
        that starts it, None after the last."""
        with self._lock:
            keys = sorted(key for kind, key in self._records if kind == resource)
            start = bisect.bisect_left(keys, token) if token else 0
            end = start + (size if size is not None and size > 0 else DEFAULT_PAGE_SIZE)
            records = [copy.deepcopy(self._records[(resource, key)]) for key in keys[start:end]]
            return records, keys[end] if end < len(keys) else None
