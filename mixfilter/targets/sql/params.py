"""Bind parameters: placeholders in a style chosen independently of the dialect.

While the tree is built, every value that becomes a parameter is a :class:`sqlglot.exp.Var`
holding a sentinel (``__mfp<nonce>_<n>__``). After sqlglot has rendered the SQL, the sentinels
are replaced by the caller's placeholder style, in the order they appear in the text — so
positional styles stay right whatever order a dialect prints arguments in. The nonce is random
per call, so no value or field name can forge a sentinel.

Styles (PEP 249 plus ClickHouse's own): ``qmark`` ``?``, ``numeric`` ``:1``, ``named`` ``:name``,
``format`` ``%s``, ``pyformat`` ``%(name)s``, ``clickhouse`` ``{name:Type}``. With ``format`` and
``pyformat`` every other ``%`` in the SQL is doubled, as those drivers require.

A Mixpeek template (``"{{INPUT.max_price}}"``) or dynamic value with no binding becomes a named
parameter (``INPUT_max_price``) that the caller fills in at execution time; positional styles
cannot leave a hole, so they need the binding.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, get_args

from sqlglot import exp

from ...bindings import same_name
from ...errors import FilterCompileError, FilterOptionError, did_you_mean, quote_slice
from .dialects import ParamStyle

PARAMSTYLES: tuple[str, ...] = get_args(ParamStyle)
_NAMED = frozenset({"named", "pyformat", "clickhouse"})
_UNSAFE = re.compile(r"[^A-Za-z0-9_]")

Params = list[Any] | dict[str, Any]
_INT64 = 2.0**63


def check_style(style: object) -> ParamStyle:
    """``style`` checked as a paramstyle name (FilterOptionError otherwise)."""
    if not isinstance(style, str):
        raise FilterOptionError(
            f"paramstyle must be a string, one of {', '.join(PARAMSTYLES)}; "
            f"got {type(style).__name__}"
        )
    if style not in PARAMSTYLES:
        hint = did_you_mean(style, PARAMSTYLES)
        tail = f"; did you mean {hint!r}?" if hint else f"; use one of {', '.join(PARAMSTYLES)}"
        raise FilterOptionError(f"unknown paramstyle {quote_slice(style)}{tail}")
    return style  # type: ignore[return-value]


#: ClickHouse's placeholder type for an unbound template, by its column type (String if unknown).
_CLICKHOUSE_TYPES = {"text": "String", "int": "Int64", "float": "Float64", "bool": "Bool"}


def _clickhouse_type(value: Any) -> str:
    if isinstance(value, bool):
        return "Bool"
    if isinstance(value, int):
        return "Int64"
    if isinstance(value, float):
        return "Float64"
    return "String"


class ParamSink:
    """Collects parameter values while the tree is built; renders placeholders afterwards."""

    def __init__(self, style: ParamStyle, target: str) -> None:
        self.style = style
        self.target = target
        self.nonce = secrets.token_hex(6)
        self.pattern = re.compile(f"__mfp{self.nonce}_([0-9]+)__")
        # per slot: (name, value, bound); unbound slots are templates the caller fills in, and
        # their value is the ClickHouse type of the placeholder
        self.slots: list[tuple[str, Any, bool]] = []
        #: parameter name -> the template it stands for (two templates cannot share one)
        self.templates: dict[str, str] = {}  # parameter name -> the first template it stood for
        self.inputs: dict[str, str] = {}  # input -> its parameter name

    def _slot(self, name: str, value: Any, bound: bool) -> exp.Var:
        self.slots.append((name, value, bound))
        return exp.Var(this=f"__mfp{self.nonce}_{len(self.slots) - 1}__")

    def value(self, value: Any) -> exp.Var:
        """A placeholder for a concrete value.

        An integral float is bound as the int of the same value (below 2**63): drivers send a
        float as a double, and PostgreSQL and DuckDB then compare a BIGINT column as a double,
        so 9007199254740993 would equal 9007199254740992.0. Comparing with the int is exact, as
        in Python, and a float column compares with it as with the float.
        """
        if value.__class__ is float and value.is_integer() and -_INT64 <= value < _INT64:
            value = int(value)
        return self._slot("", value, True)

    def template(self, name: str, operator: str, column_type: str | None = None) -> exp.Var:
        """A placeholder for an unbound template, filled in by the caller under ``name`` with
        every character other than ASCII letters, digits and ``_`` made ``_``."""
        if self.style not in _NAMED:
            raise FilterCompileError(
                f"the template {{{{{name}}}}} has no binding, and paramstyle {self.style!r} is "
                "positional: pass bindings={...} or use a named paramstyle "
                "(named, pyformat, clickhouse)",
                operator=operator,
                target=self.target,
            )
        # one input, one parameter: {{input.x}} after {{INPUT.x}} is the same input to bindings
        # (namespaces ignore case and a trailing s), so it takes the name the first spelling got
        same = same_name(name)
        safe = self.inputs.setdefault(same, _UNSAFE.sub("_", name))
        other = self.templates.setdefault(safe, name)
        if same_name(other) != same:
            raise FilterCompileError(
                f"the templates {quote_slice(other, 60)} and {quote_slice(name, 60)} would both "
                f"be the parameter {quote_slice(safe, 60)}, so one value would fill both: "
                "rename one, or pass bindings={...} for them",
                operator=operator,
                target=self.target,
            )
        return self._slot(safe, _CLICKHOUSE_TYPES.get(column_type or "text"), False)

    def render(self, sql: str) -> tuple[str, Params]:
        style = self.style
        if style in ("format", "pyformat"):
            sql = sql.replace("%", "%%")
        positional: list[Any] = []
        named: dict[str, Any] = {}
        counter = 0
        # bound values are called p1, p2, ...; skip any number a template already uses as name
        taken = {name for name, _, bound in self.slots if not bound}
        names: list[str] = []
        n = 0
        for name, _, bound in self.slots:
            if bound:
                n += 1
                while f"p{n}" in taken:
                    n += 1
                name = f"p{n}"
            names.append(name)

        def placeholder(m: re.Match[str]) -> str:
            nonlocal counter
            index = int(m.group(1))
            _, value, bound = self.slots[index]
            name = names[index]
            counter += 1
            if style == "qmark":
                positional.append(value)
                return "?"
            if style == "format":
                positional.append(value)
                return "%s"
            if style == "numeric":
                positional.append(value)
                return f":{counter}"
            if bound:
                named[name] = value
            if style == "named":
                return f":{name}"
            if style == "pyformat":
                return f"%({name})s"
            return f"{{{name}:{_clickhouse_type(value) if bound else value}}}"

        sql = self.pattern.sub(placeholder, sql)
        return sql, (positional if style in ("qmark", "format", "numeric") else named)
