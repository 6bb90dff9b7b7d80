"""Paginators of the generated client, shaped like boto3's.

`client.get_paginator("list_things").paginate(**input, PaginationConfig={...})` and the typed
`client.paginate_list_things(**input)` give a `PageIterator`: iterating it calls the operation
once per page and yields each output; `.items()` yields the items of every page in turn.

`PaginationConfig` takes boto3's keys:
- `PageSize`: sent as the operation's page size member on every call;
- `MaxItems`: stop after that many items; the page that crosses the limit is cut, and
  `resume_token` then says where to go on from (as boto3 encodes it, so that either one's token
  can start the other);
- `StartingToken`: a `resume_token`, or a token the service gave.

Paging stops when the output token is absent or empty. A service that gives back a token that
was already sent would make the same request again, forever: that raises `PaginationError`
instead (after the pages received so far), as boto3 does when a token comes back twice in a row.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, TypedDict, TypeVar

PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")

# How boto3 marks, in a resume token, how many items of the token's page were already given.
_TRUNCATED = "boto_truncate_amount"


class PaginationError(Exception):
    """Paging cannot go on: a repeated token, or a `PaginationConfig` the operation cannot use."""


class OperationNotPageableError(ValueError):
    """`get_paginator` was given the name of no paginated operation."""


class PaginationConfig(TypedDict, total=False):
    MaxItems: int
    PageSize: int
    StartingToken: str


@dataclass(frozen=True)
class PagingSpec:
    """One operation's `@paginated`, as attribute names of its input and output classes."""

    operation: str
    """The operation's name in the model, for messages."""
    input_token: str
    input_token_wire: str
    """The input token's name in the model: the key of resume tokens."""
    output_token: tuple[str, ...]
    """The attributes from the output to its token, in turn."""
    items: tuple[str, ...]
    """The attributes from the output to the list or map of items; empty where it has none."""
    page_size: str | None


Call = Callable[[Any, Mapping[str, Any]], Any]
"""Calls the operation once: (request object or None, keyword members) -> output."""
OperationCall = Callable[[Any, bool, Any, Mapping[str, Any]], Any]
"""An `_operations.call_<operation>`: (caller, validate, request or None, members) -> output."""


def not_pageable(name: str, known: Iterator[str]) -> OperationNotPageableError:
    listed = ", ".join(sorted(known)) or "none"
    return OperationNotPageableError(
        f"operation {name!r} cannot be paginated (the paginated operations: {listed})"
    )


class Paginator(Generic[PageT, ItemT]):
    """What `get_paginator` returns: `paginate` starts a `PageIterator`."""

    def __init__(self, spec: PagingSpec, call: Call) -> None:
        self._spec = spec
        self._call = call

    def paginate(
        self,
        request: Any = None,
        /,
        *,
        PaginationConfig: PaginationConfig | None = None,
        **members: Any,
    ) -> PageIterator[PageT, ItemT]:
        """Pages of the operation for this input (a request object or its members as
        keywords); nothing is sent until the pages are iterated."""
        if request is not None and members:
            raise TypeError("pass either a request object or keyword arguments, not both")
        return PageIterator(self._spec, self._call, request, members, PaginationConfig or {})


class PageIterator(Generic[PageT, ItemT]):
    """The pages of one paginated call; iterating it again starts again from the first page."""

    def __init__(
        self,
        spec: PagingSpec,
        call: Call,
        request: Any,
        members: Mapping[str, Any],
        config: Mapping[str, Any],
    ) -> None:
        unknown = sorted(set(config) - set(PaginationConfig.__annotations__))
        if unknown:
            raise PaginationError(
                f"PaginationConfig has no key {unknown[0]!r} (it takes MaxItems, PageSize, "
                "StartingToken)"
            )
        self._spec = spec
        self._call = call
        self._request = request
        self._members = dict(members)
        self._max_items = _count(config, "MaxItems", 0)
        self._page_size = _count(config, "PageSize", 1)
        if self._page_size is not None and spec.page_size is None:
            raise PaginationError(f"{spec.operation} takes no page size (PageSize)")
        if self._max_items is not None and not spec.items:
            raise PaginationError(f"{spec.operation} has no items to count (MaxItems)")
        starting = config.get("StartingToken")
        if starting is not None and not isinstance(starting, str):
            raise PaginationError(f"StartingToken must be a string, not {starting!r}")
        self._start = _decode(starting, spec.input_token_wire)
        self.resume_token: str | None = None
        """Where to go on from after `MaxItems` stopped the pages (a `StartingToken`)."""

    def __iter__(self) -> Iterator[PageT]:
        spec = self._spec
        token, skip = self._start
        overrides: dict[str, Any] = {}
        if self._page_size is not None and spec.page_size is not None:
            overrides[spec.page_size] = self._page_size
        sent: set[str] = set()
        total = 0
        self.resume_token = None
        while True:
            if token is not None:
                if token in sent:
                    raise PaginationError(
                        f"{spec.operation} gave back a token that was already sent "
                        f"({token!r}); stopped rather than ask for the same page again"
                    )
                sent.add(token)
                overrides[spec.input_token] = token
            page = self._fetch(overrides)
            count = 0
            if spec.items:
                found = _get(page, spec.items)
                if skip and found is not None:
                    found = _cut(found, skip, None)
                    _set(page, spec.items, found)
                count = 0 if found is None else len(found)
                if self._max_items is not None and total + count > self._max_items:
                    keep = self._max_items - total
                    _set(page, spec.items, _cut(found, 0, keep))
                    self.resume_token = _encode(spec.input_token_wire, token, skip + keep)
                    yield page
                    return
            skip = 0
            total += count
            yield page
            next_token = _get(page, spec.output_token)
            if not next_token:
                return
            if self._max_items is not None and total == self._max_items:
                self.resume_token = _encode(spec.input_token_wire, next_token, None)
                return
            token = next_token

    def items(self) -> Iterator[ItemT]:
        """The items of every page in turn (a map's as `(key, value)` pairs)."""
        if not self._spec.items:
            raise PaginationError(f"{self._spec.operation} has no items path; iterate its pages")
        for page in self:
            found = _get(page, self._spec.items)
            each: Any = found.items() if isinstance(found, dict) else found or ()
            yield from each

    def _fetch(self, overrides: Mapping[str, Any]) -> PageT:
        page: PageT
        if self._request is not None:
            page = self._call(replace(self._request, **overrides), {})
        else:
            page = self._call(None, {**self._members, **overrides})
        return page


def _count(config: Mapping[str, Any], key: str, least: int) -> int | None:
    value = config.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise PaginationError(f"{key} must be an integer of at least {least}, not {value!r}")
    return value


def _get(page: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if page is None:
            return None
        page = getattr(page, name)
    return page


def _set(page: Any, path: tuple[str, ...], value: Any) -> None:
    parent = _get(page, path[:-1])
    if parent is not None:
        setattr(parent, path[-1], value)


def _cut(found: Any, start: int, stop: int | None) -> Any:
    if isinstance(found, dict):
        return dict(list(found.items())[start:stop])
    return found[start:stop]


def _encode(key: str, token: str | None, truncated: int | None) -> str:
    """A resume token as boto3 writes one: base64 of JSON naming the input token."""
    value: dict[str, Any] = {key: token}
    if truncated is not None:
        value[_TRUNCATED] = truncated
    return base64.b64encode(json.dumps(value).encode("utf-8")).decode("ascii")


def _decode(starting: str | None, key: str) -> tuple[str | None, int]:
    """(the service's token, how many items of its page to skip) from a `StartingToken`:
    a resume token, or else the service's own token as it is."""
    if starting is None:
        return None, 0
    try:
        value = json.loads(base64.b64decode(starting.encode("ascii"), validate=True))
    except (UnicodeError, binascii.Error, ValueError):
        return starting, 0
    if not isinstance(value, dict) or key not in value or not set(value) <= {key, _TRUNCATED}:
        return starting, 0
    token, truncated = value[key], value.get(_TRUNCATED, 0)
    if token is not None and not isinstance(token, str):
        raise PaginationError(f"StartingToken holds a token that is not a string: {token!r}")
    if isinstance(truncated, bool) or not isinstance(truncated, int) or truncated < 0:
        raise PaginationError(f"StartingToken holds a bad {_TRUNCATED}: {truncated!r}")
    return token, truncated
