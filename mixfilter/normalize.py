"""Normalization: one canonical :class:`~mixfilter.model.Filter` for every way of writing a filter.

Both the text parser (through :func:`from_ast`) and the JSON validator feed logical nodes through
:func:`combine`, so ``parse(text)`` and ``validate(json)`` agree exactly. The rules (SPEC §4),
applied bottom-up, are deterministic and idempotent:

* nested groups of the same operator are flattened (``a and (b and c)`` → one ``AND``), and an
  ``OR`` inside a ``NOT`` is lifted: ``not (a or b)`` → ``{"NOT": [a, b]}``;
* a group of one item is replaced by that item; a lone condition at the root becomes
  ``{"AND": [cond]}``;
* ``case_sensitive`` is kept only where it differs from the inherited value (the root inherits
  ``false``, Mixpeek's default); a condition-level ``case_sensitive`` (written by the Mixpeek SDK)
  becomes a one-item group, since groups are where the format carries it;
* empty groups mean "no constraint" (TRUE) and are folded away: TRUE disappears from ``AND``,
  makes an ``OR`` TRUE and a ``NOT`` FALSE. What is left is either a tree with no constants, the
  empty filter (TRUE, JSON ``{}``), or ``{"NOT": [{}]}`` (FALSE, matches nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from . import ast
from .limits import Limits
from .model import (
    CASE_OPERATORS,
    Condition,
    Filter,
    Group,
    LogicalOp,
    Node,
    Value,
    make_condition,
    make_dynamic,
    make_group,
    mark_checked,
)


class _Constant:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


TRUE: Final = _Constant("TRUE")
FALSE: Final = _Constant("FALSE")

#: What normalizing a node gives: a model node, or a constant.
Result = Node | _Constant


def condition(field: str, operator: str, value: Value, cs: bool | None, inherited: bool) -> Result:
    """A condition, with a condition-level ``case_sensitive`` turned into a one-item group."""
    c = make_condition(field, operator, value)
    if cs is not None and cs != inherited and operator in CASE_OPERATORS:
        return make_group("AND", (c,), cs)
    return c


def combine(op: LogicalOp, children: Iterable[Result], explicit: bool | None) -> Result:
    """Build the normalized node ``op(children)``.

    ``children`` were normalized with this node's effective ``case_sensitive`` as their inherited
    value; ``explicit`` is this node's own ``case_sensitive`` if it differs from what it inherits.
    """
    flat: list[Node] = []
    lift = "OR" if op == "NOT" else op  # the child operator whose items merge into this node
    absorbing, neutral = (FALSE, TRUE) if op == "AND" else (TRUE, FALSE)
    for child in children:
        if child is neutral:
            continue
        if child is absorbing:
            return TRUE if op == "OR" else FALSE
        assert not isinstance(child, _Constant)
        if type(child) is Group:
            d = child.__dict__
            if d[lift] is not None and d["case_sensitive"] is None:
                flat.extend(d[lift])
                continue
        flat.append(child)
    if not flat:
        # AND() and NOT() are TRUE; OR() is FALSE.
        return FALSE if op == "OR" else TRUE
    if len(flat) == 1:
        single = flat[0]
        if op == "NOT":
            if explicit is None and type(single) is Group:
                d = single.__dict__
                if d["OR"] is not None:
                    # not (case sensitive (a or b)) → NOT [a, b] carrying the case setting
                    return make_group("NOT", d["OR"], d["case_sensitive"])
            return make_group("NOT", (single,), explicit)
        if explicit is None:
            return single
        if type(single) is Group and single.op is not None:
            # The group replaces this node and takes this node's setting...
            if single.case_sensitive is None:
                return make_group(single.op, single.items, explicit)
            # ...unless it has its own, which differs from this node's, so equals what this node
            # inherits: redundant. Without it, a one-item AND collapses into its item.
            return combine(single.op, single.items, None)
        return make_group("AND", (single,), explicit)
    return make_group(op, tuple(flat), explicit)


def root(result: Result) -> Filter:
    """Wrap the normalized root as a :class:`Filter`, marked as checked (see
    :func:`~mixfilter.model.is_checked`): the caller has validated everything in it."""
    f = _root(result)
    mark_checked(f)
    return f


def _root(result: Result) -> Filter:
    if result is TRUE:
        return make_group(None, (), None, Filter)  # type: ignore[return-value]
    if result is FALSE:
        return make_group("NOT", (make_group(None, ()),), None, Filter)  # type: ignore[return-value]
    if type(result) is Condition:
        return make_group("AND", (result,), None, Filter)  # type: ignore[return-value]
    assert isinstance(result, Group)
    d = result.__dict__
    op = result.op
    return make_group(op, d[op] if op else (), d["case_sensitive"], Filter)  # type: ignore[return-value]


# --- from the syntax tree ----------------------------------------------------------------------


def from_ast(tree: ast.Node, limits: Limits) -> Filter:
    """Normalize a parsed expression. The caller has checked ``tree.depth`` against the limits;
    the size limits (conditions, list items, string lengths) are checked here, on the way."""
    return root(_FromAst(limits).node(tree, False))


class _FromAst:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.conditions = 0

    def node(self, tree: ast.Node, inherited: bool) -> Result:
        """Normalize ``tree`` bottom-up, iteratively: the syntax tree may nest deeper than the
        normalized filter (``a and (b and (c ...)))`` flattens), so no Python stack per level."""
        results: list[Result] = []
        # (node, the case setting it inherits, whether its children are done)
        stack: list[tuple[Any, bool, bool]] = [(tree, inherited, False)]
        comparison, And, Or, Not = self.comparison, ast.And, ast.Or, ast.Not  # the hot loop
        while stack:
            node, inherited, done = stack.pop()
            kind = node.__class__
            if kind is ast.Comparison:
                results.append(comparison(node))
                continue
            if kind is ast.Everything:
                results.append(TRUE)
                continue
            children: tuple[ast.Node, ...] = (
                node.items if kind is And or kind is Or else (node.item,)
            )
            if not done:
                stack.append((node, inherited, True))
                inner = node.sensitive if kind is ast.CaseGroup else inherited
                stack.extend([(child, inner, False) for child in reversed(children)])
                continue
            parts = results[-len(children) :]
            del results[-len(children) :]
            if kind is And or kind is Or:
                results.append(combine("AND" if kind is And else "OR", parts, None))
            elif kind is Not:
                results.append(combine("NOT", parts, None))
            else:  # a case group
                explicit = node.sensitive if node.sensitive != inherited else None
                results.append(combine("AND", parts, explicit))
        return results[0]

    def comparison(self, node: ast.Comparison) -> Condition:
        self.conditions += 1
        value = node.value
        if not self.within_limits(node, value):
            self.check_limits(node)
        if isinstance(value, ast.Dynamic):
            return make_condition(node.field, node.operator, make_dynamic(value.path))
        return make_condition(node.field, node.operator, value)

    def within_limits(self, node: ast.Comparison, value: ast.Value) -> bool:
        """The size limits, checked quickly; :meth:`check_limits` says which one failed."""
        limits = self.limits
        longest = limits.max_string_length
        if self.conditions > limits.max_conditions or len(node.field) > longest:
            return False
        if isinstance(value, str):
            return len(value) <= longest and (
                node.operator != "regex" or len(value) <= limits.max_regex_length
            )
        if isinstance(value, tuple):
            return len(value) <= limits.max_list_length and not any(
                isinstance(item, str) and len(item) > longest for item in value
            )
        if isinstance(value, ast.Dynamic):
            return len(value.path) <= longest
        return True

    def check_limits(self, node: ast.Comparison) -> None:
        limits = self.limits
        where = f"line {node.line}, column {node.column}"
        limits.check("max_conditions", self.conditions, where)
        limits.check("max_string_length", len(node.field), where)
        value = node.value
        if isinstance(value, str):
            limits.check("max_string_length", len(value), where)
            if node.operator == "regex":
                limits.check("max_regex_length", len(value), where)
        elif isinstance(value, tuple):
            limits.check("max_list_length", len(value), where)
            for item in value:
                if isinstance(item, str):
                    limits.check("max_string_length", len(item), where)
        elif isinstance(value, ast.Dynamic):
            limits.check("max_string_length", len(value.path), where)
