"""The names generated code imports to print an annotation or a default (see `Symbol`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Symbol:
    """A name a generated module must import before it can print an annotation or a default:
    a module alias (`_builtins`, `_datetime`, `_decimal`), the runtime's `Document`, or a
    generated class (an enum, a structure)."""

    module: str
    """Where it comes from: `builtins`, `datetime`, `decimal`, `_runtime`, `enums`, `shapes`."""
    name: str
    """The name the generated code prints."""


BUILTINS_ALIAS = Symbol("builtins", "_builtins")
DATETIME_ALIAS = Symbol("datetime", "_datetime")
DECIMAL_ALIAS = Symbol("decimal", "_decimal")
DOCUMENT = Symbol("_runtime", "Document")
RUNTIME_ALIAS = Symbol("_runtime", "_runtime")
"""The runtime module itself, for annotations that name it (`_runtime.StreamingBody`)."""
