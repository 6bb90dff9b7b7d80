"""A failure while rendering, laid at the maintainer's template that caused it.

shapesmith's own templates render every model the tests know; a failure of theirs alone is a bug
of ours (exit 3). A maintainer's template is input like a model: a fault where it takes part is
reported at its file (and line, where Jinja knows it), exit 2, never as a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from types import TracebackType

import jinja2
from jinja2 import meta

from generator.diagnostics import Diagnostic, ShapesmithError, TemplateBug
from generator.template_set import TemplateSet


def user_fault(
    templates: TemplateSet,
    env: jinja2.Environment,
    error: BaseException,
    rendering: str,
    made_by: Iterable[str],
) -> ShapesmithError | None:
    """`error`, raised making the file `rendering` from the templates and static files
    `made_by`, as the maintainer's fault; None when none of their templates took part."""
    if templates.user_dir is None:
        return None
    what = f"rendering {rendering}: {_describe(error)}"
    if isinstance(error, jinja2.TemplateSyntaxError):
        name = templates.user_name(error.filename)
        if name is not None:
            return _at(templates, name, what, error.lineno)
    place = _innermost_user_frame(templates, error.__traceback__)
    if place is not None:
        name, line = place
        return _at(templates, name, what, line)
    theirs = [name for name in _closure(env, made_by) if templates.is_users(name)]
    if not theirs:
        return None
    return _at(templates, theirs[0], f"{what} (your templates in it: {', '.join(theirs)})")


def _at(
    templates: TemplateSet, name: str, message: str, line: int | None = None
) -> ShapesmithError:
    return ShapesmithError([Diagnostic(templates.shown(name), "", message, line)])


def _describe(error: BaseException) -> str:
    if isinstance(error, jinja2.TemplateNotFound):
        return f"no template {error.name!r}, neither yours nor shapesmith's"
    if isinstance(error, jinja2.TemplateError):
        return error.message or type(error).__name__
    if _is_invalid_python(error):
        return f"the result is not valid Python: {error}"
    if isinstance(error, TemplateBug):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _is_invalid_python(error: BaseException) -> bool:
    """A compiler's or black's refusal (black is imported only when formatting, so an error of
    its can only come once it is)."""
    parsing = sys.modules.get("black.parsing")
    invalid = getattr(parsing, "InvalidInput", None)
    return isinstance(error, SyntaxError) or (
        isinstance(invalid, type) and isinstance(error, invalid)
    )


def _innermost_user_frame(
    templates: TemplateSet, trace: TracebackType | None
) -> tuple[str, int] | None:
    """The maintainer's template, and its line, nearest to where `trace` was raised (Jinja
    gives each template's frame its file name and template line)."""
    found = None
    while trace is not None:
        name = templates.user_name(trace.tb_frame.f_code.co_filename)
        if name is not None:
            found = (name, trace.tb_lineno)
        trace = trace.tb_next
    return found


def _closure(env: jinja2.Environment, names: Iterable[str]) -> list[str]:
    """`names`, each followed by every template it imports or includes, however deep, where the
    name is written out (`{% import "_docs.jinja" as docs %}`)."""
    assert env.loader is not None
    seen: list[str] = []
    for root in names:
        pending = [root]
        while pending:
            name = pending.pop(0)
            if name in seen:
                continue
            seen.append(name)
            if not name.endswith(".jinja"):
                continue  # a static file
            try:
                parsed = env.parse(env.loader.get_source(env, name)[0])
            except jinja2.TemplateError:
                continue
            pending += [ref for ref in meta.find_referenced_templates(parsed) if ref is not None]
    return seen
