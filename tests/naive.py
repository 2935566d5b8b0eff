"""An independent, deliberately naive evaluator of *raw* filter JSON, straight from SPEC §3/§5.

It reads the JSON as written (no normalization, no closures), so comparing it with
``mixfilter.matches`` on the normalized filter checks that normalization keeps the meaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

MISSING = object()


def _values(doc: Any, path: str) -> list[Any]:
    current = [doc]
    for seg in path.split("."):
        nxt = []
        for v in current:
            if isinstance(v, dict) and seg in v:
                nxt.append(v[seg])
            elif isinstance(v, list):
                nxt.extend(e[seg] for e in v if isinstance(e, dict) and seg in e)
        current = nxt
    return current


def _flat(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        out.extend(v if isinstance(v, list) else [v])
    return out


def _is_str(x: Any) -> bool:
    return isinstance(x, str)


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _same(x: Any, v: Any, cs: bool) -> bool:
    if v is None:
        return x is None
    if isinstance(v, bool) or isinstance(x, bool):
        return isinstance(v, bool) and isinstance(x, bool) and x == v
    if _num(v):
        return _num(x) and x == v
    if isinstance(x, str):
        return bool(x == v if cs else x.lower() == v.lower())
    return False


def _cond(c: dict[str, Any], doc: Any, cs: bool) -> bool:
    field = str(c.get("field", c.get("key")))
    op = c.get("operator", "eq")
    value = c.get("value", True)
    if c.get("case_sensitive") is not None:
        cs = c["case_sensitive"]
    found = _values(doc, field)
    cands = _flat(found)
    if op == "exists":
        return bool(found) is bool(value)
    if op == "is_null":
        return any(x is None for x in cands) is bool(value)
    if op in ("ne", "nin"):
        return not _cond({**c, "operator": {"ne": "eq", "nin": "in"}[op]}, doc, cs)
    if op == "eq":
        return (value is None and not found) or any(_same(x, value, cs) for x in cands)
    if op == "in":
        return (None in value and not found) or any(_same(x, v, cs) for x in cands for v in value)
    if op in ("gt", "gte", "lt", "lte"):
        cmp: Callable[[Any, Any], bool] = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b,
               "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}[op]  # fmt: skip
        ok: Callable[[Any], bool] = _is_str if isinstance(value, str) else _num
        return any(ok(x) and cmp(x, value) for x in cands)
    strings = [x for x in cands if isinstance(x, str)]
    if op == "regex":
        return any(re.search(value, x, 0 if cs else re.I) for x in strings)
    if op == "text":
        words = {w.lower() for w in re.findall(r"\w+", value)}
        return any(words <= {w.lower() for w in re.findall(r"\w+", x)} for x in strings)
    if not cs:
        strings, value = [x.lower() for x in strings], value.lower()
    test = {"contains": str.__contains__, "starts_with": str.startswith,
            "ends_with": str.endswith}[op]  # fmt: skip
    return any(test(x, value) for x in strings)


def evaluate(node: Any, doc: Any, cs: bool = False) -> bool:
    """True when ``doc`` matches the raw filter JSON ``node``."""
    if node is None:
        return True
    if any(k in node for k in ("field", "key", "operator", "value")):
        return _cond(node, doc, cs)
    if node.get("case_sensitive") is not None:
        cs = node["case_sensitive"]
    result = True
    for key, items in node.items():
        if key == "case_sensitive" or (items is None and key in ("AND", "OR", "NOT", "NOR")):
            continue
        if key in ("NOT", "NOR") and isinstance(items, dict):
            items = [items]
        if key == "AND":
            result = result and all(evaluate(i, doc, cs) for i in items)
        elif key == "OR":
            result = result and (not items or any(evaluate(i, doc, cs) for i in items))
        elif key in ("NOT", "NOR"):
            result = result and not any(evaluate(i, doc, cs) for i in items)
        else:  # shorthand {"field": value}
            result = result and _cond({"field": key, "value": items}, doc, cs)
    return result
