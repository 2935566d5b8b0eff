"""The syntax tree of an expression, as the parser produces it.

Small typed nodes, independent of Lark and of the JSON model. Every node knows where it started
in the source (1-based ``line`` and ``column``, and ``pos``, the 0-based offset) so that later
stages can point at it. ``And`` and ``Or`` are n-ary: ``a and b and c`` is one node with three
items, never a chain. ``depth`` is the nesting depth of the subtree, computed bottom-up as the
tree is built, so limits are enforced without walking (or recursing into) the tree.

The nodes are built once per parse and never changed afterwards, but they are not ``frozen``
dataclasses: a frozen dataclass sets each field through ``object.__setattr__``, which made
building a node five times slower (2 µs for a ``Comparison``), and the parser builds one per
condition and group. The normalized :class:`~mixfilter.model.Filter` is the immutable result.
"""

from __future__ import annotations

from dataclasses import dataclass

#: A scalar value in the language: string, number, boolean or null. Dates and templates are
#: strings (the JSON format has no other types).
Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Dynamic:
    """A Mixpeek dynamic value, ``dynamic("inputs.user_id")``, resolved by the server."""

    path: str


Value = Scalar | tuple[Scalar, ...] | Dynamic


@dataclass(slots=True)
class Comparison:
    """``field operator value``; ``operator`` is one of the 15 JSON operator names."""

    field: str
    operator: str
    value: Value
    line: int
    column: int
    pos: int
    depth: int = 1


@dataclass(slots=True)
class And:
    items: tuple[Node, ...]
    line: int
    column: int
    pos: int
    depth: int


@dataclass(slots=True)
class Or:
    items: tuple[Node, ...]
    line: int
    column: int
    pos: int
    depth: int


@dataclass(slots=True)
class Not:
    item: Node
    line: int
    column: int
    pos: int
    depth: int


@dataclass(slots=True)
class CaseGroup:
    """``case sensitive (…)`` / ``case insensitive (…)``: sets ``case_sensitive`` on a group."""

    sensitive: bool
    item: Node
    line: int
    column: int
    pos: int
    depth: int


@dataclass(slots=True)
class Everything:
    """``()``: an empty group, which matches every document (the JSON ``{}``)."""

    line: int
    column: int
    pos: int
    depth: int = 1


Node = Comparison | And | Or | Not | CaseGroup | Everything
