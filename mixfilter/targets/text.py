"""Filter → canonical expression text, with as few parentheses as precedence allows.

``parse(to_text(f)) == f`` for every filter, and printing is stable. The spelling is the one
docs/syntax.md lists first for each operator; strings use double quotes; a group that sets
``case_sensitive`` prints as ``case sensitive (…)`` / ``case insensitive (…)``.
"""

from __future__ import annotations

import re

from ..model import Condition, DynamicValue, Filter, Group, Node, Value
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


def to_text(filter: Filter | Group) -> str:
    """Canonical text of a normalized filter (the empty filter prints as the empty string)."""
    if filter.op is None:
        return ""
    return _node(filter)


def _strength(node: Node) -> int:
    if isinstance(node, Condition) or node.case_sensitive is not None or node.op is None:
        return _ATOM
    if node.op == "NOT":
        return _NOT
    return _AND if node.op == "AND" else _OR


def _node(node: Node) -> str:
    if isinstance(node, Condition):
        return _condition(node)
    if node.case_sensitive is not None:
        mode = "case sensitive" if node.case_sensitive else "case insensitive"
        return f"{mode} ({_group_body(node)})"
    return _group_body(node)


def _group_body(group: Group) -> str:
    op, items = group.op, group.items
    if op is None:
        return "()"
    if op == "NOT":
        if len(items) == 1:
            return "not " + _wrapped(items[0], _NOT)
        return "not (" + " or ".join(_wrapped(i, _OR) for i in items) + ")"
    strength = _AND if op == "AND" else _OR
    joiner = " and " if op == "AND" else " or "
    return joiner.join(_wrapped(i, strength) for i in items)


def _wrapped(node: Node, parent: int) -> str:
    text = _node(node)
    strength = _strength(node)
    if strength < parent or (strength == parent and strength in (_AND, _OR)):
        return f"({text})"
    return text


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
