"""Templates (``"{{INPUT.max_price}}"``) and dynamic values, resolved from caller-given bindings.

A filter keeps templates and dynamic values as written (the Mixpeek server resolves them). A
target that needs concrete values — the Python evaluator, MongoDB, SQL without parameters — asks
:func:`bind` for them. Bindings map the name inside the braces (``"INPUT.max_price"``) or the
dynamic value's path (``"inputs.user_id"``) to a value; template namespaces are
case-insensitive, as in Mixpeek (``{{input.x}}`` finds ``"INPUT.x"``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

from .errors import FilterCompileError, FilterOptionError, quote_slice
from .limits import Limits, default_limits
from .model import DynamicValue, Value
from .values import TEMPLATE_ANY, check_field_path, has_template, plain, template_name


def is_bound(value: Value) -> bool:
    """True when ``value`` holds no template and is not a dynamic value."""
    if type(value) is DynamicValue:
        return False
    if isinstance(value, str):
        return not has_template(value)
    if isinstance(value, tuple):
        return not any(isinstance(v, str) and has_template(v) for v in value)
    return True


def check_bindings(bindings: object, function: str) -> Mapping[str, Any] | None:
    """``bindings`` as given to ``function`` (``to_sql``, ``matches``, ...), checked: ``None``, or
    a mapping whose keys are template names / dynamic paths (non-empty strings). Anything else
    is a :class:`~mixfilter.errors.FilterOptionError`; an empty mapping is ``None``."""
    if bindings is None:
        return None
    if not isinstance(bindings, Mapping):
        what = type(bindings).__name__
        hint = (
            f"; to bind one template use bindings={{{quote_slice(bindings)}: value}}"
            if isinstance(bindings, str)
            else ""
        )
        raise FilterOptionError(
            f"{function}() bindings must be a mapping of template name to value "
            f"(bindings={{'INPUT.x': 1}}), got {what}{hint}"
        )
    for key in bindings:
        if not isinstance(key, str) or not key:
            shown = (
                quote_slice(key) if isinstance(key, str) else f"{type(key).__name__} {key!r:.60}"
            )
            raise FilterOptionError(
                f"{function}() bindings keys must be template names or dynamic paths such as "
                f"'INPUT.x' (non-empty strings), got {shown}"
            )
        if key.startswith("{{") and key.endswith("}}"):  # it would never be looked up
            raise FilterOptionError(
                f"{function}() bindings keys are names without braces: "
                f"{quote_slice(key[2:-2].strip())}, not {quote_slice(key)}"
            )
    if len(bindings) > 1:
        _check_distinct(bindings, function)
    return bindings or None


def same_name(key: str) -> str:
    """What ``key`` names: a namespace ignores case and a trailing s (inputs.x is INPUT.x); a
    name without one (``item``, ``items``) is only itself."""
    namespace, dot, rest = key.partition(".")
    return f"{namespace.lower().rstrip('s')}.{rest}" if dot else key


def _check_distinct(bindings: Mapping[str, Any], function: str) -> None:
    seen: dict[str, str] = {}
    for key in bindings:
        if "." not in key:
            continue
        other = seen.setdefault(same_name(key), key)
        if other != key:
            raise FilterOptionError(
                f"{function}() bindings {quote_slice(other, 60)} and {quote_slice(key, 60)} name "
                "the same input (namespaces ignore case and a trailing 's'): keep one"
            )


def lookup(name: str, bindings: Mapping[str, Any] | None, target: str) -> Any:
    """The bound value for a template name or dynamic path; FilterCompileError if there is none."""
    if bindings:
        if name in bindings:
            return bindings[name]
        wanted = same_name(name)
        for key, value in bindings.items():
            if same_name(key) == wanted:
                return value
    shown = quote_slice(name)
    raise FilterCompileError(
        f"no binding for {shown}: pass bindings={{{shown}: ...}} to resolve it for {target}",
        target=target,
    )


def _render(text: str, bindings: Mapping[str, Any] | None, target: str) -> Any:
    """A whole template becomes its bound value; templates inside a string are substituted."""
    name = template_name(text)
    if name is not None:
        return lookup(name, bindings, target)
    return TEMPLATE_ANY.sub(
        lambda m: _spelled(m.group(1), bindings, target) if m.group(1) else m.group(0), text
    )


def _what(value: object) -> str:
    """What ``value`` is, in the validator's words (``null``, ``boolean true``, ``a list``)."""
    from .validation import _kind  # (validation imports the models; bindings stays light)

    return _kind(value)


def _spelled(name: str, bindings: Mapping[str, Any] | None, target: str) -> str:
    """The text a template inside a longer string stands for: a string as it is, a finite
    number as JSON writes it. Anything else (null, true, a list) has no one spelling."""
    value = plain(lookup(name, bindings, target))
    kind = type(value)
    if kind is str:
        return cast(str, value)
    if kind is int:
        return int.__repr__(cast(int, value))
    if kind is float and math.isfinite(cast(float, value)):
        return float.__repr__(cast(float, value))
    raise FilterCompileError(
        f"the template {quote_slice(name, 60)} inside a string needs a string or a finite "
        f"number as its value, got {_what(value)}: bind the whole text, or spell the value as "
        "a string",
        target=target,
    )


def bind_field(field: str, bindings: Mapping[str, Any] | None, target: str) -> str:
    """``field`` with its templates resolved: Mixpeek lets a field name hold one
    (``{{DOC.metadata.category}}``, or ``metadata.{{INPUT.key}}``), which the server fills in.
    The result must be a field path; with no binding, FilterCompileError names the template."""
    if "{{" not in field or not has_template(field):
        return field
    resolved = plain(_render(field, bindings, target))
    if not isinstance(resolved, str):
        reason = f"the bound value must be a field name (a string), got {_what(resolved)}"
    elif has_template(resolved):
        reason = "the bound value holds a template itself"
    else:
        reason = check_field_path(resolved) or ""
        if not reason:
            return resolved
    raise FilterCompileError(
        f"the field {quote_slice(field, 60)} is not usable: {reason}", target=target
    )


def bind(
    operator: str,
    value: Value,
    bindings: Mapping[str, Any] | None,
    target: str,
    limits: Limits | None = None,
) -> Value:
    """``value`` with its templates / dynamic reference resolved, checked for ``operator``.

    Templates are resolved wherever they are: the whole value, inside a string, or as items of
    an ``in`` / ``nin`` list.
    """
    if type(value) is DynamicValue:
        raw = lookup(value.field, bindings, target)
        what = f"dynamic({value.field!r})"
    elif isinstance(value, str) and has_template(value):
        raw = _render(value, bindings, target)
        what = quote_slice(value, 60)
    elif isinstance(value, tuple) and any(isinstance(v, str) and has_template(v) for v in value):
        raw = [_render(v, bindings, target) if isinstance(v, str) else v for v in value]
        what = "the list"
    else:
        return value
    if isinstance(raw, (Mapping, DynamicValue)):
        raise FilterCompileError(
            f"the bound value of {what} for {operator!r} must be a plain value, not an object",
            operator=operator,
            target=target,
        )
    from .validation import _INVALID, _Walker

    walker = _Walker(limits or default_limits())
    where = "the bound list" if what == "the list" else f"the bound value of {what}"
    checked = walker.value(operator, raw, where)
    if checked is _INVALID or (isinstance(checked, str) and has_template(checked)):
        problems = walker.problems or []
        reason = problems[0].message if problems else "it is still a template"
        raise FilterCompileError(
            f"the bound value of {what} for {operator!r} is not usable: {reason}",
            operator=operator, target=target,
        )  # fmt: skip
    return cast(Value, checked)
