"""The filter model: pydantic classes that *are* the documented Mixpeek filter JSON.

A :class:`Filter` is always normalized (see :mod:`mixfilter.normalize`): every logical node has
exactly one of ``AND`` / ``OR`` / ``NOT`` (the root of the empty filter has none), conditions
carry ``field``, ``operator`` and ``value``, and ``case_sensitive`` appears only where it differs
from the value inherited from above. Build filters with :func:`mixfilter.parse` or
:func:`mixfilter.validate`; both return the same normalized model for the same filter.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

#: The 15 operators of the Mixpeek format.
Operator = Literal[
    "eq", "ne", "gt", "gte", "lt", "lte", "in", "nin",
    "contains", "starts_with", "ends_with", "regex", "exists", "is_null", "text",
]  # fmt: skip
OPERATORS: tuple[str, ...] = get_args(Operator)

#: Operators whose string comparisons honour ``case_sensitive`` (SPEC §5).
CASE_OPERATORS = frozenset(
    {"eq", "ne", "in", "nin", "contains", "starts_with", "ends_with", "regex"}
)

Scalar = str | int | float | bool | None
LogicalOp = Literal["AND", "OR", "NOT"]

# ``defer_build``: pydantic builds a model's validator on first use, not at import. Parsing and
# validation construct models directly (see "fast construction" below), so most programs never
# need the validators; building them at import cost about a third of ``import mixfilter``.
_FROZEN = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class DynamicValue(BaseModel):
    """A value the server fills in at run time: ``{"type": "dynamic", "field": "inputs.x"}``."""

    model_config = _FROZEN
    type: Literal["dynamic"] = "dynamic"
    field: str


Value = Scalar | tuple[Scalar, ...] | DynamicValue


class Condition(BaseModel):
    """One comparison: ``{"field": "age", "operator": "gte", "value": 30}``."""

    model_config = _FROZEN
    field: str = Field(min_length=1)
    operator: Operator = "eq"
    value: Value = None

    def to_json(self, *, legacy: bool = False) -> dict[str, Any]:
        """This condition as JSON (``key`` instead of ``field`` when ``legacy``)."""
        return _condition_json(self, legacy)


class Group(BaseModel):
    """A logical node. ``NOT`` means *none* of its items match (Mixpeek's NOT is a NOR)."""

    model_config = _FROZEN
    AND: tuple[Node, ...] | None = None
    OR: tuple[Node, ...] | None = None
    NOT: tuple[Node, ...] | None = None
    case_sensitive: bool | None = None

    _LOGICAL: ClassVar[tuple[LogicalOp, ...]] = ("AND", "OR", "NOT")

    @property
    def op(self) -> LogicalOp | None:
        """``"AND"``, ``"OR"`` or ``"NOT"``; ``None`` for the empty group (matches everything)."""
        d = self.__dict__
        for name in self._LOGICAL:
            if d[name] is not None:
                return name
        return None

    @property
    def items(self) -> tuple[Node, ...]:
        """The items of this node's one logical key (empty for the empty group)."""
        d = self.__dict__
        for name in self._LOGICAL:
            items: tuple[Node, ...] | None = d[name]
            if items is not None:
                return items
        return ()

    @property
    def is_empty(self) -> bool:
        """True for the group with no constraint, which matches every document."""
        return self.op is None

    def to_json(self, *, legacy: bool = False) -> dict[str, Any]:
        """The documented filter JSON, ready for ``json.dumps`` and the Mixpeek API.

        ``legacy=True`` spells it for the older endpoints (assets search, features list):
        ``key`` instead of ``field`` and ``NOR`` instead of ``NOT``.
        """
        return _group_json(self, legacy)


Node = Condition | Group


class Filter(Group):
    """A whole, normalized filter: the root logical node.

    ``Filter()`` is the empty filter, which matches every document. Every function of mixfilter
    that takes a filter also takes expression text or a JSON dict in its place.
    """

    def to_text(self) -> str:
        """Canonical expression text; ``mixfilter.parse(f.to_text()) == f``."""
        from .targets.text import to_text

        return to_text(self)

    def matches(self, document: Any, *, bindings: dict[str, Any] | None = None) -> bool:
        """Evaluate this filter against one document (the reference semantics)."""
        from .targets.python import matches

        return matches(self, document, bindings=bindings)

    def __str__(self) -> str:
        return self.to_text()


# --- JSON output -------------------------------------------------------------------------------
# Plain recursive functions rather than model_dump: they are several times faster, keep key order
# stable, and emit ``value: null`` while leaving out unset logical keys. Depth is bounded by the
# limits every filter passed through when it was parsed or validated.


def _value_json(value: Value) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, DynamicValue):
        return {"type": "dynamic", "field": value.field}
    return value


def _condition_json(c: Condition, legacy: bool) -> dict[str, Any]:
    d = c.__dict__
    return {
        "key" if legacy else "field": d["field"],
        "operator": d["operator"],
        "value": _value_json(d["value"]),
    }


def _group_json(g: Group, legacy: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    op = g.op
    if op is not None:
        key = "NOR" if legacy and op == "NOT" else op
        out[key] = [
            _group_json(i, legacy) if isinstance(i, Group) else _condition_json(i, legacy)
            for i in g.items
        ]
    cs = g.__dict__["case_sensitive"]
    if cs is not None:
        out["case_sensitive"] = cs
    return out


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the canonical filter JSON that :meth:`Filter.to_json` emits.

    :func:`mixfilter.validate` accepts more spellings than this (``key``, ``NOR``, shorthand,
    ``NOT`` as an object, conditions without ``operator``); see docs/json-format.md.
    """
    return Filter.model_json_schema()


# --- fast construction ------------------------------------------------------------------------
# Parsing and validation have already checked everything pydantic would, so they build models
# without a second validation pass. This mirrors what BaseModel.model_construct does, minus its
# per-call bookkeeping.

_CONDITION_SET = frozenset({"field", "operator", "value"})
_obj_new = object.__new__
_obj_setattr = object.__setattr__


def make_condition(field: str, operator: str, value: Value) -> Condition:
    c = _obj_new(Condition)
    _obj_setattr(c, "__dict__", {"field": field, "operator": operator, "value": value})
    _obj_setattr(c, "__pydantic_fields_set__", _CONDITION_SET)
    _obj_setattr(c, "__pydantic_extra__", None)
    _obj_setattr(c, "__pydantic_private__", None)
    return c


def make_group(
    op: LogicalOp | None,
    items: tuple[Node, ...],
    case_sensitive: bool | None = None,
    cls: type[Group] = Group,
) -> Group:
    g = _obj_new(cls)
    d: dict[str, Any] = {"AND": None, "OR": None, "NOT": None, "case_sensitive": case_sensitive}
    fields_set = {"case_sensitive"} if case_sensitive is not None else set()
    if op is not None:
        d[op] = items
        fields_set.add(op)
    _obj_setattr(g, "__dict__", d)
    _obj_setattr(g, "__pydantic_fields_set__", fields_set)
    _obj_setattr(g, "__pydantic_extra__", None)
    _obj_setattr(g, "__pydantic_private__", None)
    return g


def make_dynamic(path: str) -> DynamicValue:
    return DynamicValue.model_construct(type="dynamic", field=path)
