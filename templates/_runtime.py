"""Support code shared by the generated modules of this package: violations and small helpers.

It needs nothing from the model, so it is the same in every generated package.
"""

from __future__ import annotations

import enum as _enum
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

Path: TypeAlias = "tuple[()] | tuple[Path, str | int]"
"""Where a value sits, as a chain of (parent, member name or list index) pairs ending in `()`.

Validators extend it with one small pair per level and only spell it out when they report a
violation, so valid input never pays for formatting paths.
"""

Document: TypeAlias = "bool | int | float | str | list[Document] | dict[str, Document] | None"
"""An untyped JSON-like value (Smithy `document`)."""

WireDict: TypeAlias = dict[str, Any]
"""A structure in wire form: member names as the model spells them, Python values."""

WireMapping: TypeAlias = Mapping[str, Any]

RUNTIME_VERSION = "5"
"""The revision of the runtime this package carries: the static modules copied into every
generated package (`_runtime.py`, the client's `_transport.py`, `_config.py`, ..., the stub's
`_app.py`, `stubber.py`, ...) and what the generated modules expect of them.

It goes up by one when a change to them would break something built against the previous
revision: code that uses a public runtime name (`Violation`, `Transport`, `HttpRequest`,
`Stubber`, ...) as documented, or generated modules of one revision beside static files of
another. Additions and fixes that keep every such use working leave it as it is. The package's
`shapesmith-package.json` records it with the shapesmith version that generated the package.
"""

REDACTED = "*** sensitive ***"
_MAX_VALUE_REPR = 80

_EnumT = TypeVar("_EnumT", bound=_enum.Enum)
_RawT = TypeVar("_RawT", str, int)
_EventT = TypeVar("_EventT")


def path_parts(path: Path) -> list[str | int]:
    parts: list[str | int] = []
    while path:
        path, part = path
        parts.append(part)
    parts.reverse()
    return parts


def dotted_path(parts: Sequence[str | int]) -> str:
    """`["AuditImages", 0, "Bytes"]` -> `AuditImages[0].Bytes`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def json_pointer(parts: Sequence[str | int]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


class Violation:
    """One way a value breaks the model.

    Built only on failure and cheap to build: its path, pointer and value text are worked out
    when they are first read.
    """

    __slots__ = ("_path", "_shown", "_value", "constraint", "limit")

    constraint: str
    """The rule broken: `required`, `type`, `length`, `pattern`, `range`, `enum`,
    `unique_items`, `union`, `one_of`/`any_of` (`oneOf`/`anyOf` of OpenAPI) or
    `unknown_member`."""
    limit: str
    """What the model allows, e.g. `36..36 characters` or the pattern itself."""

    def __init__(
        self, path: Path, constraint: str, limit: str, value: object, sensitive: bool
    ) -> None:
        self._path = path
        self.constraint = constraint
        self.limit = limit
        # A sensitive value is never kept, so no repr or traceback can show it.
        self._value = None if sensitive else value
        self._shown: str | None = REDACTED if sensitive else None

    @property
    def path(self) -> str:
        """Dotted path of the offending value, e.g. `AuditImages[0].Bytes` ("" for the root)."""
        return dotted_path(path_parts(self._path))

    @property
    def pointer(self) -> str:
        """The same location as a JSON pointer, e.g. `/AuditImages/0/Bytes`."""
        return json_pointer(path_parts(self._path))

    @property
    def value(self) -> str:
        """A short repr of the offending value, or a redaction marker for sensitive members."""
        if self._shown is None:
            text = repr(self._value)
            if len(text) > _MAX_VALUE_REPR:
                text = text[: _MAX_VALUE_REPR - 3] + "..."
            self._shown = text
        return self._shown

    @property
    def message(self) -> str:
        where = self.path or "<root>"
        return f"{where}: {self.constraint} violation: expected {self.limit}, got {self.value}"

    def _key(self) -> tuple[str, str, str, str]:
        return (self.path, self.constraint, self.limit, self.value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Violation):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Violation(path={self.path!r}, constraint={self.constraint!r}, "
            f"limit={self.limit!r}, value={self.value!r})"
        )

    def __str__(self) -> str:
        return self.message


class ValidationError(ValueError):
    """Raised by `validate_or_raise`; lists every violation, not only the first."""

    def __init__(self, shape: str, violations: Sequence[Violation]) -> None:
        self.shape = shape
        self.violations = tuple(violations)
        count = len(self.violations)
        lines = [f"{shape} has {count} violation{'s' if count != 1 else ''}:"]
        lines.extend(f"  - {violation.message}" for violation in self.violations)
        super().__init__("\n".join(lines))


class FirstFound(Exception):
    """Raised by `FirstOnly.append` with the first violation: it unwinds every check function
    up to the public validator, which returns that violation alone."""

    @property
    def violation(self) -> Violation:
        found: Violation = self.args[0]
        return found


class FirstOnly(list[Violation]):
    """The violations of a validator called with `first_only=True`: the first one added stops the
    check (see `FirstFound`), so nothing after it is looked at and no other violation is built,
    and the checks themselves are the same code whichever mode runs them. It never holds
    anything, so one instance (`FIRST_ONLY`) serves every call and thread."""

    __slots__ = ()

    def append(self, violation: Violation, /) -> None:
        raise FirstFound(violation)


FIRST_ONLY = FirstOnly()


def report_unexpected_members(
    value: object,
    members: Mapping[str, bool],
    path: Path,
    out: list[Violation],
    *,
    open_: bool = False,
) -> None:
    """Report the keys of a structure's dict that are not its members, and members set to null
    where null is no value. `members` maps each member's name to whether a null there is not
    this function's to report: a required member's (validators report it as missing, see
    `missing`) or a nullable one's (null is its value). An `open_` structure accepts keys that
    are not its members."""
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if not isinstance(key, str) or key not in members:
            if open_:
                continue  # an open structure accepts keys it has no member for
            out.append(
                Violation((path, str(key)), "unknown_member", "a member of the shape", key, False)
            )
        elif item is None and not members[key]:
            out.append(Violation((path, key), "type", "a value, not null", None, False))


def report_unknown_member(member: UnknownMember, path: Path, out: list[Violation]) -> None:
    """Report a union's member that the model does not have (kept from a peer's JSON), as
    `report_unexpected_members` reports its key in the union's dict."""
    out.append(
        Violation(
            (path, member.name), "unknown_member", "a member of the shape", member.name, False
        )
    )


def member_table(names: str, null_checked: str = "") -> Mapping[str, bool]:
    """A structure's members, by name, each mapped to whether a null there is checked by the
    validator itself (required and nullable members; see `report_unexpected_members`): from
    the names written with spaces between (Smithy's member names hold no space)."""
    checked = set(null_checked.split())
    return {name: name in checked for name in names.split()}


def report_missing(out: list[Violation], path: Path, container: object, key: str) -> None:
    """Report the required member `key` of the structure at `path`, which reads as None."""
    out.append(Violation((path, key), "required", missing(container, key), None, False))


def missing(container: object, key: str) -> str:
    """What a required member `key` that reads as None should have been: a dict can hold it as
    an explicit null, which is worth saying."""
    return "a value, not null" if isinstance(container, dict) and key in container else "a value"


def has_duplicates(items: Sequence[object]) -> bool:
    try:
        return len(set(items)) != len(items)
    except TypeError:  # unhashable items (structures, lists): compare pairwise
        return any(
            items[i] == items[j] for i in range(len(items)) for j in range(i + 1, len(items))
        )


def enum_or_raw(enum_class: type[_EnumT], value: _RawT) -> _EnumT | _RawT:
    """The enum member for a wire value, or the raw value itself when this client does not know it
    yet: services may add enum values at any time, and a client must not fail on them."""
    try:
        return enum_class(value)
    except ValueError:
        return value


class UnknownMember:
    """A member of a union that this package's model does not have (a newer peer's): its
    `name` and its `value` as it came, JSON as `json.loads` gives it (for an event of an event
    stream, the event's whole message). Nothing of it is lost: written again, the union sends
    it back unchanged. It is no valid input, though: the validators report it, as a service
    reports a member it does not know."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UnknownMember):
            return NotImplemented
        return (self.name, self.value) == (other.name, other.value)

    __hash__ = None  # type: ignore[assignment]  # the value may be a dict or a list

    def __repr__(self) -> str:
        # The model cannot say whether a member it does not have is sensitive: its value is
        # never written where logs and tracebacks would show it.
        return f"UnknownMember(name={self.name!r}, value=<not shown>)"


def unknown_member(data: Mapping[str, Any], known: Container[str]) -> UnknownMember | None:
    """The member of a union's JSON object `data` whose key is none of `known` (the keys its
    members and the protocol use), or None. A key holding null sets no member. Two or more such
    keys are no value anyone could mean, and keeping one would lose the others: `TypeError`,
    which a client reports as a malformed answer."""
    found = [key for key, value in data.items() if value is not None and key not in known]
    if not found:
        return None
    if len(found) > 1:
        raise TypeError(f"a union holds several members this package does not know: {found}")
    return UnknownMember(found[0], data[found[0]])


# -- streams ----------------------------------------------------------------------------------


class Readable(Protocol):
    """What a `@streaming` blob is read from: a binary file object, an `io.BytesIO`, a socket's
    `makefile("rb")`, a `StreamingBody`: anything whose `read(size)` gives up to `size` bytes
    and `b""` at the end."""

    def read(self, size: int = ..., /) -> bytes: ...


StreamingInput: TypeAlias = bytes | bytearray | Readable
"""A `@streaming` blob a request sends: bytes, or a binary file object that is sent as it is
read, never read whole into memory."""

EventInput: TypeAlias = Iterable[_EventT]
"""An event stream a request sends: any iterable of the union's values (a list, a generator),
each sent as one event message as it is taken; the stub's handler gets one to iterate."""


class IncompleteReadError(Exception):
    """A response body ended before the length its `Content-Length` announced."""

    def __init__(self, actual_bytes: int, expected_bytes: int) -> None:
        super().__init__(
            f"the response body ended after {actual_bytes} of the {expected_bytes} bytes its "
            "Content-Length announced"
        )
        self.actual_bytes = actual_bytes
        self.expected_bytes = expected_bytes


class StreamingBody:
    """A `@streaming` blob of a response, read as it arrives (like botocore's `StreamingBody`).

    Read it with `read(size)`, `read()`, `iter_chunks()` or `iter_lines()`, and close it (or use
    it as a context manager): the connection it holds goes back to the pool once the body has
    been read to its end, and is closed if it is closed early. Nothing reads it for you. When
    the response announced a `Content-Length`, a body that ends short raises
    `IncompleteReadError` rather than passing for a whole one.
    """

    _DEFAULT_CHUNK_SIZE = 1024

    def __init__(self, raw: Readable, content_length: int | None = None) -> None:
        self._raw = raw
        self._content_length = content_length
        self._amount_read = 0
        self._closed = False

    @classmethod
    def from_bytes(cls, data: bytes) -> StreamingBody:
        """A body over bytes already in memory (a test's, a stub's)."""
        import io

        return cls(io.BytesIO(data), len(data))

    @property
    def content_length(self) -> int | None:
        """The length the response announced, if it did."""
        return self._content_length

    def readable(self) -> bool:
        return not self._closed

    def read(self, amt: int | None = None) -> bytes:
        """Up to `amt` bytes (fewer only at the end), or the rest of the body when `amt` is
        None; `b""` once it has all been read."""
        if self._closed:
            raise ValueError("read of a closed StreamingBody")
        if amt is None or amt < 0:
            parts = []
            while chunk := self._raw.read(65536):
                parts.append(chunk)
            data = b"".join(parts)
        else:
            data = self._raw.read(amt)
        self._amount_read += len(data)
        if (not data and amt != 0) or amt is None or amt < 0:
            self._verify_content_length()
        return data

    def read1(self, amt: int = -1) -> bytes:
        """What has arrived of the body, at most `amt` bytes (waiting only for the first one);
        `b""` at its end. For a reader that wants data as soon as it comes (an event stream)."""
        if self._closed:
            raise ValueError("read of a closed StreamingBody")
        read1 = getattr(self._raw, "read1", None)
        data: bytes = read1(amt) if read1 is not None else self._raw.read(amt)
        self._amount_read += len(data)
        if not data and amt != 0:
            self._verify_content_length()
        return data

    def _verify_content_length(self) -> None:
        expected = self._content_length
        if expected is not None and self._amount_read != expected:
            self.close()
            raise IncompleteReadError(self._amount_read, expected)

    def iter_chunks(self, chunk_size: int = _DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """The body in chunks of `chunk_size` bytes (the last may be shorter)."""
        while chunk := self.read(chunk_size):
            yield chunk

    def iter_lines(
        self, chunk_size: int = _DEFAULT_CHUNK_SIZE, keepends: bool = False
    ) -> Iterator[bytes]:
        """The body's lines, split as `bytes.splitlines` splits them."""
        pending = b""
        for chunk in self.iter_chunks(chunk_size):
            lines = (pending + chunk).splitlines(True)
            for line in lines[:-1]:
                yield line if keepends else line.splitlines()[0]
            pending = lines[-1]
        if pending:
            yield pending if keepends else pending.splitlines()[0]

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_chunks()

    def close(self) -> None:
        """Release the body: the connection goes back to the pool if the body was read to its
        end, and is closed otherwise. Closing twice does nothing."""
        if self._closed:
            return
        self._closed = True
        close = getattr(self._raw, "close", None)
        if close is not None:
            close()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> StreamingBody:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"StreamingBody(content_length={self._content_length!r}, read={self._amount_read})"


class EventStream(Generic[_EventT]):
    """An event stream of a response: its events, typed, as they arrive.

    Iterate over it for the events (instances of the stream's union, one member set each), and
    close it, or use it as a context manager: closing releases the connection. A modelled error
    event raises its error class, an unmodelled one `ServiceError`, a frame that is not a valid
    event-stream message `EventStreamDecodeError`; each of them ends the stream, as its end
    does.
    """

    def __init__(self, events: Iterator[_EventT], close: Callable[[], None]) -> None:
        self._events = events
        self._close = close
        self._closed = False

    def __iter__(self) -> Iterator[_EventT]:
        return self

    def __next__(self) -> _EventT:
        if self._closed:
            raise StopIteration
        try:
            return next(self._events)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop reading and release the connection; the events not yet read are dropped."""
        if not self._closed:
            self._closed = True
            self._close()

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> EventStream[_EventT]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EventStream(closed={self._closed})"


def events_from_dict(value: Any, read: Callable[[Any], _EventT]) -> EventStream[_EventT]:
    """An event stream from its wire form: a list of events as dicts (a fixture's, a default
    answer's) read with `read`; events already typed (as the stub reads a request's) pass
    through, one at a time, as they come."""
    if isinstance(value, EventStream):
        return value
    events = (read(event) if isinstance(event, dict) else event for event in value)
    return EventStream(iter(events), lambda: None)
