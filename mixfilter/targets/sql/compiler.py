"""Filter -> sqlglot expression tree, one dialect's capabilities at a time.

How SPEC §5 becomes two-valued SQL:

* **Negations are pushed down to the conditions** (``NOT [a, b]`` -> ``not a AND not b``, De
  Morgan for AND/OR), so the tree has no NOT over a group. A condition compiled *positively* may be
  NULL on a NULL column; under AND/OR only, and with WHERE reading NULL as false, that is the same
  as false. A condition compiled *negatively* is made two-valued: ``IS DISTINCT FROM`` (or the
  dialect's spelling) for equality, ``(c IS NULL OR NOT p)`` for the rest. So ``ne``, ``nin`` and
  ``NOT`` keep NULL rows and three-valued logic never decides a result.
* **Case**: string values in ``eq ne in nin contains starts_with ends_with regex`` honour the
  inherited ``case_sensitive`` (default false); numbers, booleans and ranges never fold case.
* **Constants** are built directly as sqlglot nodes (no parsing, no copying). AND/OR chains are
  balanced binary trees, so 10,000 conditions nest only ~14 deep.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlglot import exp

from ...bindings import bind, bind_field, is_bound, lookup
from ...errors import FilterCompileError, FilterOptionError, quote_slice
from ...limits import Limits
from ...lowercase import spell_lower_word
from ...model import Condition, DynamicValue, Group, Node, Value, make_condition
from ...values import template_name
from .dialects import Caps
from .fields import FieldResolver
from .nodes import binary, node, unary
from .params import ParamSink
from .regex import sql_pattern

_WORDS = re.compile(r"\w+")
LIKE_ESCAPE = "!"
#: Column types understood by ``column_types`` and the value kinds that can match them.
COLUMN_KINDS = {"text": "str", "int": "num", "float": "num", "bool": "bool"}


#: Operators whose value may be of any type; the others take a string.
_ANY_TYPE_OPERATORS = frozenset({"eq", "ne", "in", "nin", "gt", "gte", "lt", "lte"})


@dataclass(frozen=True)
class Unbound:
    """A template or dynamic value with no binding: becomes a named parameter.

    ``column_type`` is what the caller's value will be: the operator's (``text`` for the string
    operators) or the column's, from ``column_types``. ``None``: not known, so ``eq`` takes it
    for a string (folding case) and ranges compare it as the engine does (docs/sql.md)."""

    name: str
    column_type: str | None = None


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return "str"
    if isinstance(value, Unbound):
        return COLUMN_KINDS[value.column_type or "text"]
    if isinstance(value, bool):
        return "bool"
    return "num"


def _chain(
    cls: type[exp.Connector], items: Sequence[exp.Expr], lo: int = 0, hi: int = -1
) -> exp.Expr:
    """``items[lo:hi]`` joined by AND/OR as a balanced tree (depth log2 n, not n)."""
    if hi < 0:
        hi = len(items)
    if hi - lo == 1:
        return items[lo]
    if hi - lo == 2:  # one call fewer per pair
        return binary(cls, items[lo], items[lo + 1])
    mid = (lo + hi) // 2
    return binary(cls, _chain(cls, items, lo, mid), _chain(cls, items, mid, hi))


_WIDE_FLOATS = 2.0**53  # from here on every float is a whole number
_BIGINT = 2.0**63


def double_bounds(value: int) -> tuple[float, float] | None:
    """For an int no double equals, the doubles just below and above it; else None.

    ``matches()`` compares an int and a float exactly, but SQL engines convert the int to a
    double (9007199254740993 becomes 9007199254740992.0), so on a float column the comparison is
    rewritten with these bounds instead."""
    nearest = float(value)
    if nearest == value:
        return None
    if nearest > value:
        return math.nextafter(nearest, -math.inf), nearest
    return nearest, math.nextafter(nearest, math.inf)


def number(value: float) -> exp.Expr:
    """A numeric literal; negative numbers are ``-(literal)``, as sqlglot writes them.

    Written by ``float.__repr__`` / ``int.__repr__``, never the value's own ``repr``: digits
    whatever class the value is (validation already made subclasses plain)."""
    if isinstance(value, float) and abs(value) >= _WIDE_FLOATS and -_BIGINT <= value < _BIGINT:
        # A whole float this large is written as its exact integer: PostgreSQL reads
        # -9.223372036854776e18 as the decimal -9223372036854776000, not the double -2**63
        text = int.__repr__(int(abs(value)))
    else:
        text = (float.__repr__ if isinstance(value, float) else int.__repr__)(abs(value))
    literal = node(exp.Literal, {"this": text, "is_string": False})
    return unary(exp.Neg, literal) if value < 0 else literal


def string(value: str) -> exp.Expr:
    return node(exp.Literal, {"this": value, "is_string": True})


def and_(items: Sequence[exp.Expr]) -> exp.Expr:
    if len(items) == 1:
        return items[0]
    return _chain(exp.And, [unary(exp.Paren, i) if isinstance(i, exp.Or) else i for i in items])


def or_(items: Sequence[exp.Expr]) -> exp.Expr:
    return _chain(exp.Or, items)


#: Value classes that never hold a template (a str may, a tuple's strings may).
_SCALARS = frozenset({int, float, bool, type(None)})

TRUE: Callable[[], exp.Expr] = lambda: exp.Boolean(this=True)  # noqa: E731
FALSE: Callable[[], exp.Expr] = lambda: exp.Boolean(this=False)  # noqa: E731


def is_null(e: exp.Expr) -> exp.Expr:
    return binary(exp.Is, e, node(exp.Null, {}))


def not_null(e: exp.Expr) -> exp.Expr:
    return unary(exp.Not, is_null(e))


def or_null(e: exp.Expr, pred: exp.Expr) -> exp.Expr:
    """``(e IS NULL OR NOT pred)``: a negation that keeps NULL rows."""
    negated = unary(exp.Not, pred)
    return unary(exp.Paren, binary(exp.Or, is_null(e), negated))


def escape_like(text: str, specials: str, escape: str = LIKE_ESCAPE) -> str:
    """``text`` with LIKE's special characters (and the escape character) escaped."""
    out = text.replace(escape, escape + escape)
    for ch in specials:
        out = out.replace(ch, escape + ch)
    return out


def escape_glob(text: str) -> str:
    """``text`` as a literal GLOB pattern: ``*``, ``?`` and ``[`` each in a bracket class."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)


class Compiler:
    """Compiles nodes of one filter for one dialect. Create one per ``to_sql`` call."""

    def __init__(
        self,
        caps: Caps,
        *,
        sink: ParamSink | None,
        bindings: Mapping[str, Any] | None,
        fields: FieldResolver,
        column_types: Mapping[str, str] | None,
        limits: Limits,
    ) -> None:
        self.caps = caps
        self.sink = sink
        self.bindings = bindings
        self.fields = fields
        self.limits = limits
        self.target = f"sql:{caps.name}"
        self.column_types: dict[str, str] = {}
        self.column_kinds: dict[str, str] = {}
        for field, ctype in (column_types or {}).items():
            kind = COLUMN_KINDS.get(ctype)
            if kind is None:
                raise FilterOptionError(
                    f"column_types[{field!r}] is {ctype!r}; use one of {', '.join(COLUMN_KINDS)}"
                )
            self.column_types[field] = ctype
            self.column_kinds[field] = kind
        # what the hot paths below may skip: the checks only column_types or U+0000 folding need
        self.typed = bool(self.column_types)
        self.folds_nul = caps.nul == "fold"

    # --- logic -----------------------------------------------------------------------------

    def node(self, node: Node, case_sensitive: bool, negate: bool) -> exp.Expr:
        if isinstance(node, Condition):
            return self.condition(node, case_sensitive, negate)
        return self.group(node, case_sensitive, negate)

    def group(self, group: Group, case_sensitive: bool, negate: bool) -> exp.Expr:
        cs = group.case_sensitive
        if cs is not None:
            case_sensitive = cs
        op = group.op
        if op is None:  # the empty group: TRUE
            return FALSE() if negate else TRUE()
        if op == "NOT":  # none of the items: AND of their negations (and NOT NOT = OR)
            op, negate = ("OR" if negate else "AND"), not negate
        elif negate:  # De Morgan
            op = "OR" if op == "AND" else "AND"
        parts = [  # self.node(item, ...), one call fewer per item
            self.condition(item, case_sensitive, negate)
            if item.__class__ is Condition
            else self.group(item, case_sensitive, negate)  # type: ignore[arg-type]
            for item in group.items
        ]
        return and_(parts) if op == "AND" else or_(parts)

    # --- values ----------------------------------------------------------------------------

    def resolve_value(self, c: Condition) -> Value | Unbound:
        value = c.value
        kind = value.__class__
        if (kind is str and "{{" not in value) or kind in _SCALARS:  # type: ignore[operator]
            return value  # the common values: nothing to bind, no call
        if kind is tuple:  # a list with no template in it: the same, without is_bound's call
            for v in value:  # type: ignore[union-attr]
                if v.__class__ is str and "{{" in v:
                    break
            else:
                return value
        if is_bound(value):
            return value
        name = value.field if type(value) is DynamicValue else template_name(value)
        if name is not None and self.sink is not None:
            try:
                lookup(name, self.bindings, self.target)
            except FilterCompileError:
                typed = c.operator in _ANY_TYPE_OPERATORS
                return Unbound(name, self.column_types.get(c.field) if typed else "text")
        return bind(c.operator, value, self.bindings, self.target, self.limits)

    def literal(self, value: Any, operator: str) -> exp.Expr:
        """``value`` as a parameter placeholder or an inline literal quoted by sqlglot."""
        if value.__class__ is str and self.sink is None and "\0" not in value:
            return self._text_literal(value)  # the common case, first
        if isinstance(value, Unbound):
            assert self.sink is not None
            return self.sink.template(value.name, operator, value.column_type)
        if self.sink is not None:
            return self.sink.value(value)
        if isinstance(value, bool):
            if not self.caps.bool_literals:
                return number(int(value))  # BIT: 1 / 0
            return node(exp.Boolean, {"this": value})
        if isinstance(value, (int, float)):
            return number(value)  # not Literal.number, which parses its text back to check
        if "\0" in value and self.caps.nul in ("chr", "char"):
            # SQL text that cannot carry U+0000 spells it as a function call
            fn = "CHR" if self.caps.nul == "chr" else "CHAR"
            pieces: list[exp.Expr] = []
            for i, piece in enumerate(value.split("\0")):
                if i:
                    pieces.append(exp.Anonymous(this=fn, expressions=[exp.Literal.number(0)]))
                if piece:
                    pieces.append(self._text_literal(piece))
            out = pieces[0]
            for p in pieces[1:]:
                out = exp.DPipe(this=out, expression=p, safe=True)
            return out
        return self._text_literal(value)

    def _text_literal(self, value: str) -> exp.Expr:
        if self.caps.national_strings and not value.isascii():
            return node(exp.National, {"this": value})  # T-SQL: N'...' beyond ASCII
        return node(exp.Literal, {"this": value, "is_string": True})

    def _nul_fold(self, value: Any) -> bool:
        """True when ``value`` is a string no stored value can equal (U+0000 on PostgreSQL)."""
        return self.caps.nul == "fold" and isinstance(value, str) and "\0" in value

    # --- string comparison helpers (the capability table decides) ---------------------------

    def lower(self, e: exp.Expr) -> exp.Expr:
        if self.caps.lower == "LOWER":
            return unary(exp.Lower, e)
        return exp.Anonymous(this=self.caps.lower, expressions=[e])

    def as_text(self, e: exp.Expr, case_sensitive: bool) -> exp.Expr:
        """One side of a string comparison, shaped so the engine compares as Python does."""
        caps = self.caps
        if not case_sensitive:
            e = unary(exp.Lower, e) if caps.lower == "LOWER" else self.lower(e)
        if caps.binary_strings:
            # bytes: no collation (so no case folding) and no PAD SPACE (so 'a' <> 'a ')
            return exp.Cast(this=e, to=exp.DataType(this=exp.DataType.Type.BINARY))
        return e

    def collate(self, e: exp.Expr, *, equality: bool) -> exp.Expr:
        caps = self.caps
        if caps.cs_collation and (not equality or caps.collate_equality):
            coll = caps.cs_collation
            ident: exp.Expr = (
                exp.Identifier(this=coll.strip('"'), quoted=True)
                if coll.startswith('"')
                else exp.Var(this=coll)
            )
            return exp.Collate(this=e, expression=ident)
        return e

    # --- conditions ------------------------------------------------------------------------

    def condition(self, c: Condition, case_sensitive: bool, negate: bool) -> exp.Expr:
        if "{{" in c.field:  # a template in the field name (Mixpeek allows one): resolved first
            c = make_condition(bind_field(c.field, self.bindings, self.target), c.operator, c.value)
        op = c.operator
        field = self.fields.resolve(c.field)
        col = field.expr
        if op in ("exists", "is_null"):
            value = self.resolve_value(c)
            if isinstance(value, Unbound):
                raise FilterCompileError(
                    f"{op} needs a concrete true/false, not an unbound template",
                    operator=op,
                    target=self.target,
                )
            # A plain column cannot tell a missing field from a null one: NULL means absent
            # for `exists`, and null for `is_null` (docs/sql.md).
            wants_null = (op == "exists") is not bool(value)
            return is_null(col) if wants_null is not negate else not_null(col)
        if field.is_json and op not in ("exists", "is_null"):
            value = self.resolve_value(c)
            values = value if isinstance(value, tuple) else (value,)
            typed = isinstance(value, Unbound) and value.column_type not in (None, "text")
            if typed or any(isinstance(v, (int, float)) for v in values):  # bool is an int
                raise FilterCompileError(
                    f"{op} with a number or boolean on the JSON path {quote_slice(c.field, 80)}: "
                    "JSON values are read as text; map the field to a typed column with "
                    "fields={...}",
                    operator=op,
                    target=self.target,
                )
        if op in ("ne", "nin"):
            op, negate = ("eq" if op == "ne" else "in"), not negate
        value = self.resolve_value(c)
        if op == "eq" and value is None:
            return not_null(col) if negate else is_null(col)
        if self.typed and self._never_stored(c.field, value):  # no row equals it: constant
            if op == "eq":
                return TRUE() if negate else FALSE()
            # beyond BIGINT: every row or none (a fraction compares as it is, below)
            if op in _RANGE and type(value) is float and not -_BIGINT <= value < _BIGINT:
                every = (op in ("lt", "lte")) is (value > 0)
                if negate:  # NOT: the rows the range misses (null and missing ones too)
                    return is_null(col) if every else TRUE()
                return not_null(col) if every else FALSE()
            if op in _RANGE and isinstance(value, int):  # between two doubles: the one beside it
                low, high = double_bounds(value) or (value, value)
                op, value = ("gte", high) if op in ("gt", "gte") else ("lte", low)
        # values compare with a JSON path's text only where the JSON value is a string (col is
        # NULL for missing and null only: the null tests above and in in_list read it)
        text = col if field.string is None else field.string
        if op == "in":
            return self.in_list(c, col, value, case_sensitive, negate, text)
        kind_ok = not self.typed or self._kind_ok(c.field, value)
        if not kind_ok or (
            # self._nul_fold(value), inline: this is every condition's path
            self.folds_nul
            and isinstance(value, str)
            and "\0" in value
            and op not in ("gt", "gte", "lt", "lte")
        ):
            if op == "regex" and kind_ok:
                raise FilterCompileError(
                    f"regex patterns holding U+0000 cannot be written for {self.caps.name}",
                    operator=op,
                    target=self.target,
                )
            # a value no row of this column can hold: the test is constant
            return TRUE() if negate else FALSE()
        builder = _BUILDERS[op]
        pred = builder(self, text, value, case_sensitive, op)
        if not negate:
            return pred
        if op == "eq" and self.caps.null_safe != "or_null" and isinstance(pred, exp.EQ):
            args = pred.args
            return binary(exp.NullSafeNEQ, args["this"], args["expression"])
        if isinstance(pred, exp.Connector):  # `text` is an AND of word matches
            pred = unary(exp.Paren, pred)
        return or_null(text, pred)

    def _never_stored(self, field: str, value: Any) -> bool:
        """An int no double equals, on a float column; a float no BIGINT equals (a fraction,
        or a whole float beyond BIGINT), on an int column. The engine would convert one side
        and find them equal; and one fraction in an ``in`` list bound as parameters makes
        DuckDB, PostgreSQL and Spark compare the whole list as doubles, so that 2**53 + 1
        "equals" a listed 2**53."""
        ctype = self.column_types.get(field)
        if type(value) is int:
            return ctype == "float" and double_bounds(value) is not None
        if type(value) is float:
            return ctype == "int" and not (value.is_integer() and -_BIGINT <= value < _BIGINT)
        return False

    def _kind_ok(self, field: str, value: Any) -> bool:
        want = self.column_kinds.get(field)
        return want is None or value is None or _kind(value) == want

    def in_list(
        self,
        c: Condition,
        col: exp.Expr,
        value: Any,
        case_sensitive: bool,
        negate: bool,
        text: exp.Expr | None = None,
    ) -> exp.Expr:
        """``col`` is NULL when the field is missing or null; ``text`` is what values compare
        with (a JSON path's text where the JSON value is a string; else ``col``)."""
        if text is None:
            text = col
        if isinstance(value, Unbound):
            raise FilterCompileError(
                f"{c.operator} needs a list; an unbound template cannot stand for one: "
                "pass bindings={...}",
                operator=c.operator,
                target=self.target,
            )
        values: tuple[Any, ...] = value if isinstance(value, tuple) else (value,)
        has_null = None in values  # the values are plain: None equals only None
        items = [v for v in values if v is not None]
        if self.typed:  # values the column cannot hold, or no row can equal
            field = c.field
            items = [
                v for v in items if self._kind_ok(field, v) and not self._never_stored(field, v)
            ]
        if self.folds_nul:  # strings no stored value can equal
            items = [v for v in items if not self._nul_fold(v)]
        kinds = {_kind(v) for v in items}
        if len(kinds) > 1:
            raise FilterCompileError(
                f"the {c.operator} list on {c.field!r} mixes {' and '.join(sorted(kinds))}"
                " values; pass column_types={...} so only the ones its column can hold are kept",
                operator=c.operator,
                target=self.target,
            )
        member: exp.Expr | None = None
        if items:
            if kinds == {"str"}:
                lhs = self.collate(self.as_text(text, case_sensitive), equality=True)
                rhs = [self.as_text(self.literal(v, c.operator), case_sensitive) for v in items]
            else:
                lhs, rhs = text, [self.literal(v, c.operator) for v in items]
            zeros = [] if self.caps.in_signed_zero else [v for v in items if _is_zero(v)]
            if zeros:  # ClickHouse's IN misses -0.0 for 0: zero is compared with =
                rhs = [self.literal(v, c.operator) for v in items if not _is_zero(v)]
                zero = binary(exp.EQ, lhs, self.literal(zeros[0], c.operator))
                member = (
                    unary(
                        exp.Paren,
                        binary(exp.Or, node(exp.In, {"this": lhs, "expressions": rhs}), zero),
                    )
                    if rhs
                    else zero
                )
            else:
                member = node(exp.In, {"this": lhs, "expressions": rhs})
        if not negate:
            if member is None:
                return is_null(col) if has_null else FALSE()
            return (
                exp.Paren(this=exp.Or(this=member, expression=is_null(col))) if has_null else member
            )
        if member is None:
            return not_null(col) if has_null else TRUE()
        if has_null:  # column known non-NULL, so NOT IN is two-valued (text may still be NULL)
            keep = unary(exp.Not, member) if text is col else or_null(text, member)
            return binary(exp.And, not_null(col), keep)
        return or_null(text, member)


def _is_zero(value: Any) -> bool:
    return type(value) in (int, float) and value == 0


# --- one builder per operator: positive predicate, NULL only when the column is NULL ----------

Builder = Callable[[Compiler, exp.Expr, Any, bool, str], exp.Expr]


def _eq(self: Compiler, col: exp.Expr, value: Any, cs: bool, op: str) -> exp.Expr:
    if value.__class__ is str or _kind(value) == "str":
        lhs = self.collate(self.as_text(col, cs), equality=True)
        return binary(exp.EQ, lhs, self.as_text(self.literal(value, op), cs))
    return binary(exp.EQ, col, self.literal(value, op))


_RANGE: dict[str, type[exp.Binary]] = {"gt": exp.GT, "gte": exp.GTE, "lt": exp.LT, "lte": exp.LTE}


def _range(self: Compiler, col: exp.Expr, value: Any, cs: bool, op: str) -> exp.Expr:
    if _kind(value) != "str" or (isinstance(value, Unbound) and value.column_type is None):
        # numbers (and templates of a type not known here) compare as they are
        return binary(_RANGE[op], col, self.literal(value, op))
    if self.folds_nul and self._nul_fold(value):
        # no stored string holds U+0000: c > 'ab\0..' is c > 'ab', c < 'ab\0..' is c <= 'ab'
        value = value[: value.index("\0")]
        op = "gt" if op in ("gt", "gte") else "lte"
    # ranges are always case-sensitive, in code-point order
    lhs = self.collate(self.as_text(col, True), equality=False)
    return binary(_RANGE[op], lhs, self.as_text(self.literal(value, op), True))


def _like(prefix: str, suffix: str) -> Builder:
    def build(self: Compiler, col: exp.Expr, value: Any, cs: bool, op: str) -> exp.Expr:
        caps = self.caps
        if not caps.nul_in_patterns and isinstance(value, str) and "\0" in value:
            raise FilterCompileError(
                f"{op} with a value holding U+0000 cannot be written for {caps.name}: its LIKE "
                "and GLOB patterns end at U+0000",
                operator=op,
                target=self.target,
            )
        glob = cs and caps.cs_like == "glob"
        pattern: exp.Expr
        if isinstance(value, Unbound):
            # escape the caller's value inside SQL, since we never see it
            pattern = self.literal(value, op)
            pairs = (
                [("[", "[[]"), ("*", "[*]"), ("?", "[?]")]
                if glob
                else [(caps.like_escape, caps.like_escape * 2)]
                + [(ch, caps.like_escape + ch) for ch in caps.like_specials]
            )
            for old, new in pairs:
                pattern = exp.Replace(
                    this=pattern,
                    expression=exp.Literal.string(old),
                    replacement=exp.Literal.string(new),
                )
            wild = "*" if glob else "%"
            parts: list[exp.Expr] = [exp.Literal.string(wild)] if prefix else []
            parts.append(pattern)
            if suffix:
                parts.append(exp.Literal.string(wild))
            pattern = parts[0]
            for p in parts[1:]:
                pattern = exp.DPipe(this=pattern, expression=p, safe=True)
        elif glob:
            text = escape_glob(value)
            pattern = self.literal(f"{'*' if prefix else ''}{text}{'*' if suffix else ''}", op)
        else:
            text = escape_like(value, caps.like_specials, caps.like_escape)
            pattern = self.literal(f"{prefix}{text}{suffix}", op)
        if glob:
            return binary(exp.Glob, col, pattern)
        like: exp.Expr
        if cs:
            lhs = self.collate(self.as_text(col, True), equality=True)
            like = binary(exp.Like, lhs, self.as_text(pattern, True))
        elif caps.ilike:
            like = binary(exp.ILike, col, pattern)
        else:
            like = binary(exp.Like, self.as_text(col, False), self.as_text(pattern, False))
        if not caps.escape_clause:
            return like
        return binary(exp.Escape, like, string(caps.like_escape))

    return build


def regex_match(
    self: Compiler, col: exp.Expr, pattern: str | Unbound, ci: bool, op: str
) -> exp.Expr:
    """``col`` matches regex ``pattern`` (unanchored search), by the dialect's regex operator."""
    caps = self.caps
    style = caps.regex
    if style is None:
        raise FilterCompileError(
            f"{op} cannot be expressed in {caps.name}: the dialect has no regular-expression "
            "operator",
            operator=op,
            target=self.target,
        )
    flag = caps.regex_ci_flag if ci else caps.regex_cs_flag
    # flags go inline, "(?i)pattern", unless the dialect takes them as an argument ("i", "c")
    # or by operator (PostgreSQL ~*)
    inline = style != "tilde" and flag.startswith("(")
    pat: exp.Expr = self.literal(pattern, op)
    if inline:
        if isinstance(pattern, Unbound):
            pat = exp.DPipe(this=exp.Literal.string(flag), expression=pat, safe=True)
        else:
            pat = self.literal(flag + pattern, op)
    if style == "tilde":
        return (exp.RegexpILike if ci else exp.RegexpLike)(this=col, expression=pat)
    if style == "regexp_op":
        return exp.RegexpLike(this=col, expression=pat)  # sqlglot: c REGEXP p (SQLite)
    if style == "rlike":
        return exp.RegexpLike(this=col, expression=pat)  # sqlglot: c RLIKE p (Spark)
    if style == "regexp_instr":
        fn = exp.Anonymous(this="REGEXP_INSTR", expressions=[col, pat])
        return exp.GT(this=fn, expression=exp.Literal.number(0))
    if style == "regexp_instr_flags":
        args = [col, pat, *(exp.Literal.number(n) for n in (1, 1, 0)), exp.Literal.string(flag)]
        fn = exp.Anonymous(this="REGEXP_INSTR", expressions=args)
        return exp.GT(this=fn, expression=exp.Literal.number(0))
    if style == "regexp_like":
        args = [col, pat] if inline or not flag else [col, pat, exp.Literal.string(flag)]
        return exp.Anonymous(this="REGEXP_LIKE", expressions=args)
    name = {
        "regexp_matches": "REGEXP_MATCHES",
        "regexp_contains": "REGEXP_CONTAINS",
        "match": "match",
    }[style]
    return exp.Anonymous(this=name, expressions=[col, pat])


def _regex(self: Compiler, col: exp.Expr, value: Any, cs: bool, op: str) -> exp.Expr:
    flavour = self.caps.regex_flavour
    if isinstance(value, str) and flavour not in ("python", "native") and self.caps.regex:
        # The user's Python pattern, rewritten for this engine's regex dialect, with ignoring
        # case spelled out by Python's rules (engines fold Unicode case differently).
        value = sql_pattern(value, flavour, self.caps.name, ignore_case=not cs)
        cs = True
    return regex_match(self, col, value, not cs, op)


@lru_cache(maxsize=1)
def _spelled_non_word() -> str:
    """A non-word character as Python reads \\w, in code-point ranges (about 2 KB)."""
    from ...regex_flavours import spelled_out

    return f"[^{spelled_out('word')}]"


def _text(self: Compiler, col: exp.Expr, value: Any, cs: bool, op: str) -> exp.Expr:
    if isinstance(value, Unbound):
        raise FilterCompileError(
            "text needs its query at compile time (the words become regexes): pass bindings={...}",
            operator=op,
            target=self.target,
        )
    words = sorted({w.lower() for w in _WORDS.findall(value)})
    if not words:
        return not_null(col)  # no words: every string has all of them
    # Each letter as the class of the letters whose lower() it is, matched case-sensitively:
    # the engines' own ignoring of case pairs other letters (µ with μ, ß with ẞ or not at all).
    words = [spell_lower_word(w) for w in words]
    nw = self.caps.non_word
    if nw is None:
        # Python's \w spelled out is about 2 KB, too long to repeat twice per word: every
        # non-word character of the value becomes a space, once, and one regex looks for
        # " word " in it for each word of the query (the value padded with a space each side)
        spaced = exp.Anonymous(
            this="REGEXP_REPLACE",
            expressions=[col, string(_spelled_non_word()), string(" "), string("g")],
        )
        padded = exp.Paren(
            this=exp.DPipe(
                this=exp.DPipe(this=string(" "), expression=spaced, safe=True),
                expression=string(" "),
                safe=True,
            )
        )
        pattern = (
            f" {words[0]} " if len(words) == 1 else "^" + "".join(f"(?=.* {w} )" for w in words)
        )
        return regex_match(self, padded, pattern, False, op)
    # every word of the query as a whole word of the value
    return and_([regex_match(self, col, f"(^|{nw}){w}({nw}|$)", False, op) for w in words])


_BUILDERS: dict[str, Builder] = {
    "eq": _eq,
    "gt": _range,
    "gte": _range,
    "lt": _range,
    "lte": _range,
    "contains": _like("%", "%"),
    "starts_with": _like("", "%"),
    "ends_with": _like("%", ""),
    "regex": _regex,
    "text": _text,
}
