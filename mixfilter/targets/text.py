"""Filter → canonical expression text, with as few parentheses as precedence allows.

``parse(to_text(f)) == f`` for every filter, and printing is stable. The spelling is the one
docs/syntax.md lists first for each operator; strings use double quotes; a group that sets
``case_sensitive`` prints as ``case sensitive (…)`` / ``case insensitive (…)``.
"""

from __future__ import annotations

import re

from ..api import FilterLike, as_filter
from ..errors import reject_unknown_options
from ..limits import Limits
from ..model import Condition, DynamicValue, Group, Node, Value
from ..values import TEMPLATE_WHOLE

_SYMBOLS = {
    "eq": "=", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "in": "in",
    "nin": "not in", "contains": "contains", "starts_with": "starts with",
    "ends_with": "ends with", "regex": "matches", "text": "text",
}  # fmt: skip
_UNARY = {
    ("exists", True): "exists", ("exists", False): "not exists",
    ("is_null", True): "is null", ("is_null", False): "is not null",
}  # fmt: skip

# Binding strength, loosest first; an item is parenthesized when it binds no tighter than its
# parent (for normalized filters that only ever means an OR inside an AND or under a NOT).
_OR, _AND, _NOT, _ATOM = 1, 2, 3, 4

_NAME = re.compile(r"(?!(?i:and|or|not)\b)[^\W\d]\w*(?:\.\w+)*")
_PLAIN_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def to_text(filter: FilterLike, *, limits: Limits | None = None, **unknown: object) -> str:
    """Canonical text of a filter (the empty filter prints as the empty string).

    ``filter`` may be anything :func:`mixfilter.as_filter` takes; a model that parse/validate
    did not build is validated (and normalized) first, within ``limits``. The printer is
    iterative: it uses no Python stack per level of nesting.
    """
    reject_unknown_options("to_text", unknown, ("limits",))
    f = as_filter(filter, limits)
    if f.op is None:
        return ""
    out: list[str] = []
    # Work list, popped from the end: text to emit, or (node, binding strength of its parent).
    stack: list[str | tuple[Node, int]] = [(f, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, parent = item
        if isinstance(node, Condition):
            out.append(_condition(node))
            continue
        strength = _strength(node)
        wrap = strength < parent or (strength == parent and strength in (_AND, _OR))
        pieces: list[str | tuple[Node, int]] = ["("] if wrap else []
        if node.case_sensitive is not None:
            pieces.append("case sensitive (" if node.case_sensitive else "case insensitive (")
            _body(node, pieces)
            pieces.append(")")
        else:
            _body(node, pieces)
        if wrap:
            pieces.append(")")
        stack.extend(reversed(pieces))
    return "".join(out)


def _strength(node: Node) -> int:
    if isinstance(node, Condition) or node.case_sensitive is not None or node.op is None:
        return _ATOM
    if node.op == "NOT":
        return _NOT
    return _AND if node.op == "AND" else _OR


def _body(group: Group, pieces: list[str | tuple[Node, int]]) -> None:
    """The pieces of ``group`` without its case setting: text, and items with the strength of
    the context they sit in (an item is parenthesized when it binds no tighter than that)."""
    op, items = group.op, group.items
    if op is None:
        pieces.append("()")
        return
    if op == "NOT":
        if len(items) == 1:
            pieces += ["not ", (items[0], _NOT)]
            return
        strength, joiner = _OR, " or "
        pieces.append("not (")
    else:
        strength = _AND if op == "AND" else _OR
        joiner = " and " if op == "AND" else " or "
    for i, item in enumerate(items):
        if i:
            pieces.append(joiner)
        pieces.append((item, strength))
    if op == "NOT":
        pieces.append(")")


def _condition(c: Condition) -> str:
    field = _field(c.field)
    unary = _UNARY.get((c.operator, c.value))  # type: ignore[arg-type]
    if unary is not None and c.operator in ("exists", "is_null"):
        return f"{field} {unary}"
    return f"{field} {_SYMBOLS[c.operator]} {value_text(c.value)}"


def _field(name: str) -> str:
    if _NAME.fullmatch(name):
        return name
    return "`" + _escape(name, "`") + "`"


def value_text(value: Value) -> str:
    """One value in the expression language."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        if TEMPLATE_WHOLE.fullmatch(value) and _PLAIN_TEMPLATE.fullmatch(value):
            return value
        return '"' + _escape(value, '"') + '"'
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    assert isinstance(value, DynamicValue)
    return f"dynamic({value_text(value.field)})"


def _escape(text: str, quote: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == quote:
            out.append("\\" + ch)
        elif not ch.isprintable() and ch != " ":
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)
