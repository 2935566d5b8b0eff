"""Building sqlglot nodes for the compiler's hot path.

``exp.EQ(this=a, expression=b)`` spends most of its time in keyword-argument handling and in a
method call per child (``_set_parent``); for the trees ``to_sql`` builds, that cost is about as
large as sqlglot's generation of the SQL. :func:`node` does exactly what ``Expr.__init__`` does —
the same attributes, the same parent links — without that overhead: about twice as fast per node.

It relies on how sqlglot lays out a node, so it checks itself once, at import: a node built here
must have the same attributes, children and SQL as one built by sqlglot's constructor. If not (a
new sqlglot, or a compiled build whose nodes have no ``__dict__``), :func:`node` is sqlglot's own
constructor and nothing else changes. ``tests/test_sql_units.py`` runs the same check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlglot import exp

E = TypeVar("E", bound=exp.Expr)

_new = object.__new__
_Expr = exp.Expr


def _fast(cls: type[E], args: dict[str, Any]) -> E:
    o = _new(cls)
    o.args = args
    o.parent = o.arg_key = o.index = o.comments = o._type = o._meta = o._hash = None
    if not cls.is_primitive:
        for key, value in args.items():
            if isinstance(value, _Expr):
                value.parent, value.arg_key, value.index = o, key, None
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, _Expr):
                        v.parent, v.arg_key, v.index = o, key, i
    return o


def _fast_binary(cls: type[E], this: exp.Expr, expression: exp.Expr) -> E:
    o = _new(cls)
    o.args = {"this": this, "expression": expression}
    o.parent = o.arg_key = o.index = o.comments = o._type = o._meta = o._hash = None
    this.parent, this.arg_key, this.index = o, "this", None
    expression.parent, expression.arg_key, expression.index = o, "expression", None
    return o


def _fast_unary(cls: type[E], this: exp.Expr) -> E:
    o = _new(cls)
    o.args = {"this": this}
    o.parent = o.arg_key = o.index = o.comments = o._type = o._meta = o._hash = None
    this.parent, this.arg_key, this.index = o, "this", None
    return o


def _standard(cls: type[E], args: dict[str, Any]) -> E:
    return cls(**args)


def _standard_binary(cls: type[E], this: exp.Expr, expression: exp.Expr) -> E:
    return cls(this=this, expression=expression)


def _standard_unary(cls: type[E], this: exp.Expr) -> E:
    return cls(this=this)


def _sample(
    make: Callable[[type[Any], dict[str, Any]], Any],
    make_binary: Callable[[type[Any], exp.Expr, exp.Expr], Any],
    make_unary: Callable[[type[Any], exp.Expr], Any],
) -> exp.Expr:
    col = make(exp.Column, {"this": make(exp.Identifier, {"this": "c", "quoted": True})})
    lit = make(exp.Literal, {"this": "x", "is_string": True})
    member = make(exp.In, {"this": col, "expressions": [lit, make(exp.Null, {})]})
    two = make_binary(exp.EQ, make(exp.Literal, {"this": "1", "is_string": False}), col.copy())
    tree: exp.Expr = make_binary(exp.And, make_unary(exp.Not, make_unary(exp.Paren, member)), two)
    return tree


def _attributes(n: exp.Expr) -> dict[str, Any]:
    names = [*getattr(exp.Expression, "__slots__", ()), *getattr(n, "__dict__", {})]
    return {name: getattr(n, name) for name in names if name != "args"}


def _layout(e: exp.Expr) -> list[tuple[str, dict[str, Any]]]:
    """Each node's class and attributes, parents as their class names (comparable across trees)."""
    out = []
    for n in e.walk():
        attrs = _attributes(n)
        attrs["parent"] = type(attrs["parent"]).__name__
        out.append((type(n).__name__, attrs))
    return out


def _agrees() -> bool:
    try:
        fast = _sample(_fast, _fast_binary, _fast_unary)
        standard = _sample(_standard, _standard_binary, _standard_unary)
        return _layout(fast) == _layout(standard) and fast.sql() == standard.sql()
    except Exception:  # any surprise in sqlglot's internals: use its constructor
        return False


FAST = _agrees()
#: ``node(exp.EQ, {"this": a, "expression": b})`` is ``exp.EQ(this=a, expression=b)``.
node = _fast if FAST else _standard
#: ``binary(exp.EQ, a, b)`` is ``exp.EQ(this=a, expression=b)``.
binary = _fast_binary if FAST else _standard_binary
#: ``unary(exp.Not, a)`` is ``exp.Not(this=a)``.
unary = _fast_unary if FAST else _standard_unary
