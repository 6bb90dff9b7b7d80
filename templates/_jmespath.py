"""The part of JMESPath that waiters use, for the expressions of the model's `smithy.waiters#waitable`.

`compile_expression(text)` parses once and returns an `Expression` whose `search(value)` runs it
on JSON-like data (dicts, lists, strings, numbers, booleans, None). Supported: identifiers (bare
and quoted), `a.b`, `a[0]`, slices `a[1:3]`, projections `a[*].b`, `*.b`, `a[].b`, filters
`a[?b == 'c']`, `==` `!=` `<` `<=` `>` `>=`, `&&` `||` `!`, parentheses, `@`, `|`,
`[a, b]` and `{k: a}`, raw strings `'x'` and JSON literals `` `1` ``, and the functions in
`FUNCTIONS`. Equality is JSON equality: `true` is never `1`. Anything else, or malformed text, is
a `JMESPathError` that says where in the expression it went wrong.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Expression", "JMESPathError", "compile_expression", "search"]


class JMESPathError(ValueError):
    """A malformed expression, or a function given a value of the wrong type."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    value: Any
    at: int


_SINGLE = {
    ".": "dot",
    "*": "star",
    ",": "comma",
    ":": "colon",
    "{": "lbrace",
    "}": "rbrace",
    "]": "rbracket",
    "(": "lparen",
    ")": "rparen",
    "@": "current",
}
_TWO_OR_ONE = {
    "&": ("&&", "and", "expref"),
    "|": ("||", "or", "pipe"),
    "!": ("!=", "ne", "not"),
    "<": ("<=", "lte", "lt"),
    ">": (">=", "gte", "gt"),
}
_IDENTIFIER_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENTIFIER_REST = _IDENTIFIER_START | set("0123456789")


def _error(text: str, at: int, message: str) -> JMESPathError:
    return JMESPathError(f"{message} at position {at} of the expression {text!r}")


def _closing(text: str, start: int, quote: str) -> int:
    """The index of the quote that closes the one at `start` (a backslash escapes)."""
    at = start + 1
    while at < len(text):
        if text[at] == "\\":
            at += 2
        elif text[at] == quote:
            return at
        else:
            at += 1
    raise _error(text, start, f"unclosed {quote}")


def _tokens(text: str) -> Iterator[_Token]:
    at = 0
    while at < len(text):
        char = text[at]
        if char in " \t\n\r":
            at += 1
        elif char in _SINGLE:
            yield _Token(_SINGLE[char], char, None, at)
            at += 1
        elif char == "[":
            following = text[at + 1 : at + 2]
            if following == "]":
                yield _Token("flatten", "[]", None, at)
                at += 2
            elif following == "?":
                yield _Token("filter", "[?", None, at)
                at += 2
            else:
                yield _Token("lbracket", "[", None, at)
                at += 1
        elif char in _TWO_OR_ONE:
            double, double_kind, single_kind = _TWO_OR_ONE[char]
            if text.startswith(double, at):
                yield _Token(double_kind, double, None, at)
                at += 2
            else:
                yield _Token(single_kind, char, None, at)
                at += 1
        elif char == "=":
            if not text.startswith("==", at):
                raise _error(text, at, "'=' is not an operator (did you mean '=='?)")
            yield _Token("eq", "==", None, at)
            at += 2
        elif char in _IDENTIFIER_START:
            end = at + 1
            while end < len(text) and text[end] in _IDENTIFIER_REST:
                end += 1
            yield _Token("identifier", text[at:end], text[at:end], at)
            at = end
        elif char.isascii() and (char.isdigit() or char == "-"):
            end = at + 1
            while end < len(text) and text[end].isascii() and text[end].isdigit():
                end += 1
            if text[at:end] == "-":
                raise _error(text, at, "'-' must start a number")
            yield _Token("number", text[at:end], int(text[at:end]), at)
            at = end
        elif char == '"':
            end = _closing(text, at, '"')
            try:
                name = json.loads(text[at : end + 1])
            except ValueError:
                raise _error(text, at, "malformed quoted identifier") from None
            yield _Token("quoted_identifier", text[at : end + 1], name, at)
            at = end + 1
        elif char == "'":
            end = _closing(text, at, "'")
            raw = text[at + 1 : end].replace("\\'", "'")
            yield _Token("literal", text[at : end + 1], raw, at)
            at = end + 1
        elif char == "`":
            end = _closing(text, at, "`")
            try:
                literal = json.loads(text[at + 1 : end].replace("\\`", "`"))
            except ValueError:
                raise _error(text, at, "a `literal` must hold JSON") from None
            yield _Token("literal", text[at : end + 1], literal, at)
            at = end + 1
        else:
            raise _error(text, at, f"unexpected character {char!r}")
    yield _Token("eof", "", None, len(text))


# How tightly each token binds to what is on its left; 0 ends an expression.
_BINDING = {
    "pipe": 1,
    "or": 2,
    "and": 3,
    "eq": 5,
    "ne": 5,
    "lt": 5,
    "lte": 5,
    "gt": 5,
    "gte": 5,
    "flatten": 9,
    "star": 20,
    "filter": 21,
    "dot": 40,
    "not": 45,
    "lbrace": 50,
    "lbracket": 55,
    "lparen": 60,
}
_PROJECTION_STOP = 10
"""A token binding less than this ends a projection's right-hand side (`a[*].b | c`)."""
_MAX_DEPTH = 64
"""How deeply an expression may nest, so that a hostile one is an error, not a RecursionError."""
_COMPARATORS = ("eq", "ne", "lt", "lte", "gt", "gte")


@dataclass(frozen=True)
class _Node:
    kind: str
    children: tuple[_Node, ...] = ()
    value: Any = None


_IDENTITY = _Node("identity")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = list(_tokens(text))
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def _advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _fail(self, token: _Token, wanted: str) -> JMESPathError:
        found = "the end" if token.kind == "eof" else repr(token.text)
        return _error(self.text, token.at, f"expected {wanted}, found {found}")

    def _expect(self, kind: str, wanted: str) -> _Token:
        if self.current.kind != kind:
            raise self._fail(self.current, wanted)
        return self._advance()

    def parse(self) -> _Node:
        node = self._expression(0)
        if self.current.kind != "eof":
            raise self._fail(self.current, "an operator or the end")
        return node

    def _expression(self, binding: int) -> _Node:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _error(self.text, self.current.at, f"nested more than {_MAX_DEPTH} deep")
        left = self._prefix(self._advance())
        while binding < _BINDING.get(self.current.kind, 0):
            left = self._infix(self._advance(), left)
        self.depth -= 1
        return left

    def _prefix(self, token: _Token) -> _Node:
        kind = token.kind
        if kind == "identifier" or kind == "quoted_identifier":
            if kind == "quoted_identifier" and self.current.kind == "lparen":
                raise _error(self.text, token.at, "a function name cannot be quoted")
            return _Node("field", value=token.value)
        if kind == "literal":
            return _Node("literal", value=token.value)
        if kind == "current":
            return _Node("current")
        if kind == "star":
            return _Node("values", (_IDENTITY, self._projected(_BINDING["star"])))
        if kind == "filter":
            return self._filter(_IDENTITY)
        if kind == "flatten":
            flat = _Node("flatten", (_IDENTITY,))
            return _Node("project", (flat, self._projected(_BINDING["flatten"])))
        if kind == "lbracket":
            return self._bracket(_IDENTITY, prefix=True)
        if kind == "lbrace":
            return self._multiselect_hash()
        if kind == "not":
            return _Node("not", (self._expression(_BINDING["not"]),))
        if kind == "lparen":
            inner = self._expression(0)
            self._expect("rparen", "')'")
            return inner
        if kind == "expref":
            raise _error(self.text, token.at, "'&' expressions are not supported")
        raise self._fail(token, "an expression")

    def _infix(self, token: _Token, left: _Node) -> _Node:
        kind = token.kind
        if kind == "dot":
            if self.current.kind == "star":
                self._advance()
                return _Node("values", (left, self._projected(_BINDING["dot"])))
            return _Node("sub", (left, self._after_dot(_BINDING["dot"])))
        if kind == "pipe" or kind == "or" or kind == "and":
            return _Node(kind, (left, self._expression(_BINDING[kind])))
        if kind in _COMPARATORS:
            return _Node("compare", (left, self._expression(_BINDING[kind])), kind)
        if kind == "flatten":
            flat = _Node("flatten", (left,))
            return _Node("project", (flat, self._projected(_BINDING["flatten"])))
        if kind == "filter":
            return self._filter(left)
        if kind == "lbracket":
            return self._bracket(left, prefix=False)
        if kind == "lparen":
            if left.kind != "field":
                raise _error(self.text, token.at, "only a function name can be called")
            return self._call(left.value, token)
        raise self._fail(token, "an operator")  # pragma: no cover - every bound token is here

    def _bracket(self, left: _Node, *, prefix: bool) -> _Node:
        if self.current.kind in ("number", "colon"):
            selector = self._index_or_slice()
            if selector.kind == "slice":
                sliced = _Node("sub", (left, selector))
                return _Node("project", (sliced, self._projected(_BINDING["star"])))
            return _Node("sub", (left, selector))
        if self.current.kind == "star" and self.tokens[self.index + 1].kind == "rbracket":
            self.index += 2
            return _Node("project", (left, self._projected(_BINDING["star"])))
        if prefix:
            return self._multiselect_list()
        raise self._fail(self.current, "a number, ':' or '*' inside '[]'")

    def _index_or_slice(self) -> _Node:
        parts: list[int | None] = [None, None, None]
        position = 0
        while self.current.kind != "rbracket":
            token = self._advance()
            if token.kind == "colon":
                position += 1
                if position > 2:
                    raise _error(self.text, token.at, "a slice has at most three parts")
            elif token.kind == "number" and parts[position] is None:
                parts[position] = token.value
            else:
                raise self._fail(token, "a number, ':' or ']'")
        self._advance()
        if position == 0:
            return _Node("index", value=parts[0])
        if parts[2] == 0:
            raise _error(self.text, self.tokens[self.index - 1].at, "a slice's step cannot be 0")
        return _Node("slice", value=tuple(parts))

    def _projected(self, binding: int) -> _Node:
        """What a projection applies to each element: the rest up to a weaker operator."""
        kind = self.current.kind
        if _BINDING.get(kind, 0) < _PROJECTION_STOP:
            return _IDENTITY
        if kind in ("lbracket", "filter"):
            return self._expression(binding)
        if kind == "dot":
            self._advance()
            return self._after_dot(binding)
        raise self._fail(self.current, "'.', '[' or an operator after a projection")

    def _after_dot(self, binding: int) -> _Node:
        kind = self.current.kind
        if kind in ("identifier", "quoted_identifier", "star"):
            return self._expression(binding)
        if kind == "lbracket":
            self._advance()
            return self._multiselect_list()
        if kind == "lbrace":
            self._advance()
            return self._multiselect_hash()
        raise self._fail(self.current, "a name, '*', '[' or '{' after '.'")

    def _filter(self, left: _Node) -> _Node:
        condition = self._expression(0)
        self._expect("rbracket", "']' closing the filter")
        # `a[?b][]` flattens what the filter kept; anything else projects onto each item.
        flattens = self.current.kind == "flatten"
        right = _IDENTITY if flattens else self._projected(_BINDING["filter"])
        return _Node("filter", (left, right, condition))

    def _multiselect_list(self) -> _Node:
        items = [self._expression(0)]
        while self.current.kind == "comma":
            self._advance()
            items.append(self._expression(0))
        self._expect("rbracket", "',' or ']'")
        return _Node("list", tuple(items))

    def _multiselect_hash(self) -> _Node:
        keys: list[str] = []
        values: list[_Node] = []
        while True:
            key = self._advance()
            if key.kind not in ("identifier", "quoted_identifier"):
                raise self._fail(key, "a key name")
            self._expect("colon", "':'")
            keys.append(key.value)
            values.append(self._expression(0))
            if self.current.kind != "comma":
                break
            self._advance()
        self._expect("rbrace", "',' or '}'")
        return _Node("hash", tuple(values), tuple(keys))

    def _call(self, name: str, opening: _Token) -> _Node:
        if name not in FUNCTIONS:
            raise _error(self.text, opening.at, f"unknown function {name}()")
        arguments: list[_Node] = []
        while self.current.kind != "rparen":
            if arguments:
                self._expect("comma", "',' or ')'")
            arguments.append(self._expression(0))
        self._advance()
        least, most = FUNCTIONS[name][0]
        if not least <= len(arguments) <= most:
            wanted = f"at least {least}" if most > least else str(least)
            raise _error(
                self.text, opening.at, f"{name}() takes {wanted} argument(s), not {len(arguments)}"
            )
        return _Node("call", tuple(arguments), name)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(left: object, right: object) -> bool:
    """JSON equality: numbers by value, booleans only to booleans, containers item by item."""
    if _is_number(left) and _is_number(right):
        return left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_equal(v, right[k]) for k, v in left.items())
    return type(left) is type(right) and left == right


def _truthy(value: object) -> bool:
    """JMESPath's truth: false, null and empty strings, lists and objects are false; 0 is true."""
    if value is None or value is False:
        return False
    if isinstance(value, str | list | dict):
        return bool(value)
    return True


def _ordered(kind: str, left: Any, right: Any) -> bool | None:
    both_numbers = _is_number(left) and _is_number(right)
    if not (both_numbers or (isinstance(left, str) and isinstance(right, str))):
        return None
    if kind == "lt":
        return bool(left < right)
    if kind == "lte":
        return bool(left <= right)
    if kind == "gt":
        return bool(left > right)
    return bool(left >= right)


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if _is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _wants(name: str, value: object, *types: str) -> None:
    if _type_name(value) not in types:
        raise JMESPathError(
            f"{name}() expects {' or '.join(types)}, not {_type_name(value)} {value!r}"
        )


def _numbers(name: str, value: object) -> list[Any]:
    _wants(name, value, "array")
    assert isinstance(value, list)
    for item in value:
        _wants(name, item, "number")
    return value


def _length(value: Any) -> int:
    _wants("length", value, "string", "array", "object")
    return len(value)


def _contains(subject: Any, search: Any) -> bool:
    _wants("contains", subject, "array", "string")
    if isinstance(subject, str):
        return isinstance(search, str) and search in subject
    return any(_equal(item, search) for item in subject)


def _starts_with(subject: Any, prefix: Any) -> bool:
    _wants("starts_with", subject, "string")
    _wants("starts_with", prefix, "string")
    return bool(subject.startswith(prefix))


def _ends_with(subject: Any, suffix: Any) -> bool:
    _wants("ends_with", subject, "string")
    _wants("ends_with", suffix, "string")
    return bool(subject.endswith(suffix))


def _abs(value: Any) -> Any:
    _wants("abs", value, "number")
    return abs(value)


def _keys(value: Any) -> list[Any]:
    _wants("keys", value, "object")
    return list(value)


def _values(value: Any) -> list[Any]:
    _wants("values", value, "object")
    return list(value.values())


def _not_null(*values: Any) -> Any:
    return next((value for value in values if value is not None), None)


def _sum(value: Any) -> Any:
    return sum(_numbers("sum", value))


def _extreme(name: str, pick: Callable[[list[Any]], Any]) -> Callable[[Any], Any]:
    def function(value: Any) -> Any:
        _wants(name, value, "array")
        if not value:
            return None
        kinds = {_type_name(item) for item in value}
        if kinds not in ({"number"}, {"string"}):
            raise JMESPathError(f"{name}() expects an array of numbers or of strings")
        return pick(value)

    return function


def _reverse(value: Any) -> Any:
    _wants("reverse", value, "array", "string")
    return value[::-1]


def _join(separator: Any, value: Any) -> str:
    _wants("join", separator, "string")
    _wants("join", value, "array")
    for item in value:
        _wants("join", item, "string")
    return str(separator.join(value))


def _floor(value: float) -> int:
    _wants("floor", value, "number")
    return math.floor(value)


def _ceil(value: float) -> int:
    _wants("ceil", value, "number")
    return math.ceil(value)


_ANY_NUMBER = 1 << 30
FUNCTIONS: dict[str, tuple[tuple[int, int], Callable[..., Any]]] = {
    "length": ((1, 1), _length),
    "contains": ((2, 2), _contains),
    "starts_with": ((2, 2), _starts_with),
    "ends_with": ((2, 2), _ends_with),
    "abs": ((1, 1), _abs),
    "keys": ((1, 1), _keys),
    "values": ((1, 1), _values),
    "type": ((1, 1), _type_name),
    "not_null": ((1, _ANY_NUMBER), _not_null),
    "sum": ((1, 1), _sum),
    "max": ((1, 1), _extreme("max", max)),
    "min": ((1, 1), _extreme("min", min)),
    "reverse": ((1, 1), _reverse),
    "join": ((2, 2), _join),
    "floor": ((1, 1), _floor),
    "ceil": ((1, 1), _ceil),
}
"""Function name -> ((fewest, most) arguments, implementation)."""


def _evaluate(node: _Node, value: Any) -> Any:
    kind = node.kind
    if kind == "field":
        return value.get(node.value) if isinstance(value, dict) else None
    if kind == "sub" or kind == "pipe":
        return _evaluate(node.children[1], _evaluate(node.children[0], value))
    if kind == "identity" or kind == "current":
        return value
    if kind == "literal":
        return node.value
    if kind == "index":
        if not isinstance(value, list) or not -len(value) <= node.value < len(value):
            return None
        return value[node.value]
    if kind == "slice":
        return value[slice(*node.value)] if isinstance(value, list) else None
    if kind == "project" or kind == "values" or kind == "filter":
        base = _evaluate(node.children[0], value)
        if kind == "values":
            base = list(base.values()) if isinstance(base, dict) else None
        if not isinstance(base, list):
            return None
        if kind == "filter":
            base = [item for item in base if _truthy(_evaluate(node.children[2], item))]
        results = (_evaluate(node.children[1], item) for item in base)
        return [result for result in results if result is not None]
    if kind == "flatten":
        base = _evaluate(node.children[0], value)
        if not isinstance(base, list):
            return None
        flat: list[Any] = []
        for item in base:
            if isinstance(item, list):
                flat.extend(item)
            else:
                flat.append(item)
        return flat
    if kind == "compare":
        left = _evaluate(node.children[0], value)
        right = _evaluate(node.children[1], value)
        if node.value == "eq":
            return _equal(left, right)
        if node.value == "ne":
            return not _equal(left, right)
        return _ordered(node.value, left, right)
    if kind == "and":
        left = _evaluate(node.children[0], value)
        return _evaluate(node.children[1], value) if _truthy(left) else left
    if kind == "or":
        left = _evaluate(node.children[0], value)
        return left if _truthy(left) else _evaluate(node.children[1], value)
    if kind == "not":
        return not _truthy(_evaluate(node.children[0], value))
    if kind == "list":
        return None if value is None else [_evaluate(item, value) for item in node.children]
    if kind == "hash":
        if value is None:
            return None
        return {
            key: _evaluate(item, value) for key, item in zip(node.value, node.children, strict=True)
        }
    if kind == "call":
        arguments = [_evaluate(argument, value) for argument in node.children]
        return FUNCTIONS[node.value][1](*arguments)
    raise AssertionError(f"unknown node {kind}")  # pragma: no cover - the parser makes no other


@dataclass(frozen=True)
class Expression:
    """A parsed expression; `search(value)` runs it."""

    text: str
    _tree: _Node = field(repr=False)

    def search(self, value: Any) -> Any:
        return _evaluate(self._tree, value)


def compile_expression(text: str) -> Expression:
    """Parse `text`, or raise `JMESPathError` saying what is wrong and where."""
    if not isinstance(text, str):
        raise JMESPathError(f"an expression must be a string, not {type(text).__name__}")
    return Expression(text, _Parser(text).parse())


def search(text: str, value: Any) -> Any:
    """Parse `text` and run it on `value`."""
    return compile_expression(text).search(value)
