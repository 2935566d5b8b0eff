"""The benchmark workload: one logical filter of N conditions, written in every syntax.

Conditions cycle through the operators ``= >= in < != contains > <=`` (each on its own field),
and are grouped five at a time as ``a and (b or c) and not (d) and e``; the groups are ORed.
Every compound operand of and/or is parenthesized in every syntax, so that no precedence rule
(CQL2 gives AND and OR the same one) changes the meaning.

``variant`` makes each string distinct without changing the shape: variant 0 is the plain
filter; any other variant appends ``~<variant>`` to the first condition's string value.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Value = str | int | float | list[str]

OPS = ("=", ">=", "in", "<", "!=", "contains", ">", "<=")
FIELDS = ("status", "age", "role", "score", "department", "title", "price", "rank")
STATUSES = ("active", "inactive", "pending", "archived")
ROLES = ("admin", "owner", "member", "guest", "viewer")
DEPARTMENTS = ("HR", "ENG", "SALES", "OPS", "LEGAL")
WORDS = ("senior", "junior", "engineer", "manager", "analyst", "lead", "staff", "intern")

# Where a peer's language has no exact form of an operator, the closest one is used.
APPROXIMATIONS = {
    "luqum (Lucene)": (
        '= is a phrase query field:"v"; != is NOT field:"v"; in is field:("a" OR "b"); '
        "contains is a wildcard term field:*s*; < <= > >= are field:<n etc. (luqum's "
        "unary range forms)"
    ),
    "pygeofilter (CQL2)": "contains is LIKE '%s%'; != is <>",
    "sqlglot (SQL)": "contains is LIKE '%s%'; != is <>",
    "odata-query (OData)": "contains is contains(field, 's')",
    "LangChain": 'contains is contain("field", "s")',
    "cel-python (CEL)": 'contains is field.contains("s")',
}


@dataclass(frozen=True)
class Cond:
    field: str
    op: str
    value: Value


@dataclass(frozen=True)
class Group:
    kind: str  # "and" | "or" | "not"
    items: tuple[Node, ...]


Node = Cond | Group


def condition(i: int, variant: int = 0) -> Cond:
    """The i-th condition of the workload (0-based)."""
    op, field, k = OPS[i % 8], FIELDS[i % 8], i // 8
    value: Value
    if op == "=":
        value = STATUSES[k % len(STATUSES)]
    elif op == ">=":
        value = 18 + (k * 7) % 50
    elif op == "in":
        value = [ROLES[k % 5], ROLES[(k + 1) % 5]]
    elif op == "<":
        value = 100 + (k * 37) % 800
    elif op == "!=":
        value = DEPARTMENTS[k % len(DEPARTMENTS)]
    elif op == "contains":
        value = WORDS[k % len(WORDS)][:4]
    elif op == ">":
        value = 10.5 + (k * 13) % 150
    else:
        value = 1 + k % 10
    if i == 0 and variant:
        value = f"{value}~{variant}"
    return Cond(field, op, value)


def build(n: int, variant: int = 0) -> Node:
    """The filter tree with n conditions."""
    conds = [condition(i, variant) for i in range(n)]
    chunks: list[Node] = []
    for start in range(0, n, 5):
        chunks.append(_chunk(conds[start : start + 5]))
    return chunks[0] if len(chunks) == 1 else Group("or", tuple(chunks))


def _chunk(c: list[Cond]) -> Node:
    if len(c) == 1:
        return c[0]
    items: list[Node] = [c[0], Group("or", (c[1], c[2])) if len(c) > 2 else c[1]]
    if len(c) > 3:
        items.append(Group("not", (c[3],)))
    if len(c) > 4:
        items.append(c[4])
    return Group("and", tuple(items))


# ---------------------------------------------------------------------------- renderers


def _q2(s: str) -> str:
    return json.dumps(s)


def _q1(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _lit(v: Value, quote: Callable[[str], str]) -> str:
    return quote(v) if isinstance(v, str) else repr(v)


def _infix(
    node: Node,
    leaf: Callable[[Cond], str],
    and_: str,
    or_: str,
    not_: Callable[[str], str],
) -> str:
    if isinstance(node, Cond):
        return leaf(node)
    if node.kind == "not":
        return not_(_infix(node.items[0], leaf, and_, or_, not_))
    parts = []
    for item in node.items:
        text = _infix(item, leaf, and_, or_, not_)
        parts.append(f"({text})" if isinstance(item, Group) and item.kind != "not" else text)
    return (and_ if node.kind == "and" else or_).join(parts)


def _mixfilter_leaf(c: Cond) -> str:
    if c.op == "in":
        assert isinstance(c.value, list)
        return f"{c.field} in [{', '.join(_q2(v) for v in c.value)}]"
    if c.op == "contains":
        return f"{c.field} contains {_lit(c.value, _q2)}"
    return f"{c.field} {c.op} {_lit(c.value, _q2)}"


def mixfilter_text(n: int, variant: int = 0) -> str:
    return _infix(build(n, variant), _mixfilter_leaf, " and ", " or ", lambda s: f"not ({s})")


JSON_OPS = {
    "=": "eq",
    ">=": "gte",
    "in": "in",
    "<": "lt",
    "!=": "ne",
    "contains": "contains",
    ">": "gt",
    "<=": "lte",
}


def _mixfilter_json(node: Node) -> dict[str, Any]:
    if isinstance(node, Cond):
        return {"field": node.field, "operator": JSON_OPS[node.op], "value": node.value}
    return {node.kind.upper(): [_mixfilter_json(item) for item in node.items]}


def mixfilter_dict(n: int, variant: int = 0, case_sensitive: bool | None = None) -> dict[str, Any]:
    """The Mixpeek filter JSON; a lone condition is wrapped in AND (the normalized form)."""
    tree = build(n, variant)
    out = _mixfilter_json(tree if isinstance(tree, Group) else Group("and", (tree,)))
    if case_sensitive is not None:
        out["case_sensitive"] = case_sensitive
    return out


def mixfilter_json(n: int, variant: int = 0) -> str:
    return json.dumps(mixfilter_dict(n, variant))


SQL_OPS = {"=": "=", ">=": ">=", "<": "<", "!=": "<>", ">": ">", "<=": "<="}


def _sql_leaf(c: Cond) -> str:
    if c.op == "in":
        assert isinstance(c.value, list)
        return f"{c.field} IN ({', '.join(_q1(v) for v in c.value)})"
    if c.op == "contains":
        return f"{c.field} LIKE {_q1(f'%{c.value}%')}"
    return f"{c.field} {SQL_OPS[c.op]} {_lit(c.value, _q1)}"


def sql_where(n: int, variant: int = 0) -> str:
    """SQL WHERE body (sqlglot); also valid CQL2 text (pygeofilter)."""
    return _infix(build(n, variant), _sql_leaf, " AND ", " OR ", lambda s: f"NOT ({s})")


cql2_text = sql_where

CQL2_OPS = {"=": "=", ">=": ">=", "<": "<", "!=": "<>", ">": ">", "<=": "<="}


def _cql2_json(node: Node) -> dict[str, Any]:
    if isinstance(node, Group):
        return {"op": node.kind, "args": [_cql2_json(item) for item in node.items]}
    prop = {"property": node.field}
    if node.op == "contains":
        return {"op": "like", "args": [prop, f"%{node.value}%"]}
    return {"op": "in" if node.op == "in" else CQL2_OPS[node.op], "args": [prop, node.value]}


def cql2_json(n: int, variant: int = 0) -> str:
    return json.dumps(_cql2_json(build(n, variant)))


ODATA_OPS = {"=": "eq", ">=": "ge", "<": "lt", "!=": "ne", ">": "gt", "<=": "le"}


def _odata_leaf(c: Cond) -> str:
    if c.op == "in":
        assert isinstance(c.value, list)
        return f"{c.field} in ({', '.join(_q1(v) for v in c.value)})"
    if c.op == "contains":
        return f"contains({c.field}, {_lit(c.value, _q1)})"
    return f"{c.field} {ODATA_OPS[c.op]} {_lit(c.value, _q1)}"


def odata(n: int, variant: int = 0) -> str:
    return _infix(build(n, variant), _odata_leaf, " and ", " or ", lambda s: f"not ({s})")


def _lucene_leaf(c: Cond) -> str:
    if c.op == "in":
        assert isinstance(c.value, list)
        return f"{c.field}:({' OR '.join(_q2(v) for v in c.value)})"
    if c.op == "contains":
        return f"{c.field}:*{c.value}*"
    if c.op == "=":
        return f"{c.field}:{_lit(c.value, _q2)}"
    if c.op == "!=":
        return f"NOT {c.field}:{_lit(c.value, _q2)}"
    return f"{c.field}:{c.op}{c.value}"


def lucene(n: int, variant: int = 0) -> str:
    return _infix(build(n, variant), _lucene_leaf, " AND ", " OR ", lambda s: f"NOT ({s})")


LANGCHAIN_OPS = {
    "=": "eq",
    ">=": "gte",
    "in": "in",
    "<": "lt",
    "!=": "ne",
    "contains": "contain",
    ">": "gt",
    "<=": "lte",
}


def _langchain(node: Node) -> str:
    if isinstance(node, Group):
        return f"{node.kind}({', '.join(_langchain(item) for item in node.items)})"
    value = json.dumps(node.value) if not isinstance(node.value, float) else repr(node.value)
    return f"{LANGCHAIN_OPS[node.op]}({_q2(node.field)}, {value})"


def langchain(n: int, variant: int = 0) -> str:
    return _langchain(build(n, variant))


CEL_OPS = {"=": "==", ">=": ">=", "<": "<", "!=": "!=", ">": ">", "<=": "<="}


def _cel_leaf(c: Cond) -> str:
    if c.op == "in":
        assert isinstance(c.value, list)
        return f"{c.field} in [{', '.join(_q2(v) for v in c.value)}]"
    if c.op == "contains":
        return f"{c.field}.contains({_lit(c.value, _q2)})"
    return f"{c.field} {CEL_OPS[c.op]} {_lit(c.value, _q2)}"


def cel(n: int, variant: int = 0) -> str:
    return _infix(build(n, variant), _cel_leaf, " && ", " || ", lambda s: f"!({s})")


# ---------------------------------------------------------------------------- documents


def documents(count: int = 10_000, seed: int = 7) -> list[dict[str, Any]]:
    """Flat documents carrying every workload field (all present, none null)."""
    rng = random.Random(seed)
    return [
        {
            "status": rng.choice(STATUSES),
            "age": rng.randrange(0, 100),
            "role": rng.choice(ROLES),
            "score": rng.randrange(0, 1000),
            "department": rng.choice(DEPARTMENTS),
            "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
            "price": round(rng.uniform(0.0, 200.0), 2),
            "rank": rng.randrange(1, 11),
        }
        for _ in range(count)
    ]


# Fails every group of the workload (only the != conditions hold), so evaluation visits every
# group: the document for matches() cost as a function of size.
NO_MATCH: dict[str, Any] = {
    "status": "none",
    "age": -1,
    "role": "none",
    "score": 10**9,
    "department": "none",
    "title": "",
    "price": -1.0,
    "rank": 10**9,
}

SYNTAXES: dict[str, Callable[[int, int], str]] = {
    "mixfilter text": mixfilter_text,
    "mixfilter JSON": mixfilter_json,
    "CQL2 text": cql2_text,
    "CQL2 JSON": cql2_json,
    "OData": odata,
    "Lucene": lucene,
    "LangChain": langchain,
    "SQL WHERE": sql_where,
    "CEL": cel,
}

if __name__ == "__main__":
    for name, render in SYNTAXES.items():
        print(f"{name}:\n  {render(10, 0)}")
