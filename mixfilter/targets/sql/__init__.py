"""SQL target: a filter as the boolean expression of a ``WHERE``, for any sqlglot dialect.

>>> from mixfilter import to_sql
>>> to_sql('status = "active" and age >= 30', "postgres")
'LOWER("status") = LOWER(\\'active\\') AND "age" >= 30'

The tree is built from sqlglot nodes and rendered by sqlglot; how each operator is written in each
dialect comes from one capability table (:mod:`.dialects`). See docs/sql.md for the semantics
and the documented differences from :func:`mixfilter.matches`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any, Literal, overload

import sqlglot.errors
from sqlglot.dialects.dialect import Dialect

from ...api import FilterLike, as_filter
from ...bindings import check_bindings
from ...errors import (
    FilterCompileError,
    FilterOptionError,
    did_you_mean,
    quote_slice,
    reject_unknown_options,
)
from ...limits import Limits, resolve
from .compiler import COLUMN_KINDS, Compiler
from .dialects import ALIASES, DIALECTS, GENERIC, Caps, caps_for
from .fields import FieldMap, FieldResolver
from .params import PARAMSTYLES, Params, ParamSink, check_style
from .writer import generate

__all__ = ["COLUMN_KINDS", "DIALECTS", "PARAMSTYLES", "Params", "dialect_caps", "to_sql"]

_OPTIONS = (
    "dialect",  # also the second positional argument, but a misspelt keyword gets a suggestion
    "params",
    "paramstyle",
    "bindings",
    "fields",
    "json_columns",
    "column_types",
    "pretty",
    "limits",
)


def dialect_caps(dialect: str) -> Caps:
    """The capability row for ``dialect`` (any sqlglot dialect name, case-insensitive)."""
    if not isinstance(dialect, str):
        raise FilterOptionError(
            f"dialect must be a string such as 'postgres', got {type(dialect).__name__}"
        )
    return _dialect_caps(dialect)


#: What people call a dialect that sqlglot names otherwise (suggested, not accepted: the
#: spelling is then the one every sqlglot user reads).
_OTHER_NAMES = {
    "psql": "postgres", "postgresql": "postgres", "pg": "postgres", "pgsql": "postgres",
    "mssql": "tsql", "sqlserver": "tsql", "sql server": "tsql", "azuresql": "tsql",
    "sparksql": "spark", "spark sql": "spark", "ch": "clickhouse", "bq": "bigquery",
    "sqlite3": "sqlite", "maria": "mariadb", "mysql8": "mysql", "pyspark": "spark",
}  # fmt: skip


#: sqlglot dialects that are not SQL engines (their own parsers reject what they would render).
_NOT_SQL = {"dax": "Power BI's DAX", "prql": "PRQL (a language compiled to SQL)"}


@lru_cache(maxsize=64)
def _dialect_caps(dialect: str) -> Caps:
    name = dialect.strip().lower()
    if not name:
        raise FilterOptionError(
            f"dialect must name a SQL dialect, got {dialect!r}; "
            f"known: {', '.join(sorted(DIALECTS))}"
        )
    found = caps_for(name)
    if found is not None:
        return found
    known = Dialect.classes
    if name in _NOT_SQL:
        raise FilterOptionError(
            f"{name!r} is a sqlglot dialect of {_NOT_SQL[name]}, not SQL: no WHERE clause to write"
        )
    if name in known:
        from dataclasses import replace

        return replace(GENERIC, name=name, sqlglot=name)
    choices = sorted({*DIALECTS, *ALIASES, *known})
    hint = _OTHER_NAMES.get(name) or did_you_mean(name, choices)
    tail = f"; did you mean {hint!r}?" if hint else f"; known: {', '.join(sorted(DIALECTS))}"
    raise FilterOptionError(f"unknown SQL dialect {quote_slice(dialect)}{tail}")


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise FilterOptionError(f"{name} must be True or False, got {type(value).__name__}")
    return value


def _check_column_types(column_types: object) -> Mapping[str, str] | None:
    if column_types is None:
        return None
    if not isinstance(column_types, Mapping):
        raise FilterOptionError(
            f"column_types must be a mapping of field name to column type, "
            f"got {type(column_types).__name__}"
        )
    for field, ctype in column_types.items():
        if not isinstance(field, str) or not field:
            raise FilterOptionError(
                f"every key of column_types must be a field name (a non-empty string), "
                f"got {type(field).__name__} {field!r:.60}"
            )
        if not isinstance(ctype, str) or ctype not in COLUMN_KINDS:
            shown = quote_slice(ctype) if isinstance(ctype, str) else type(ctype).__name__
            raise FilterOptionError(
                f"column_types[{quote_slice(field)}] is {shown}; "
                f"use one of {', '.join(COLUMN_KINDS)}"
            )
    return column_types


@lru_cache(maxsize=64)
def _sqlglot_dialect(name: str) -> Dialect:
    return Dialect.get_or_raise(name)


@overload
def to_sql(
    filter: FilterLike,
    dialect: str = ...,
    *,
    params: Literal[False] = ...,
    paramstyle: str | None = ...,
    bindings: Mapping[str, Any] | None = ...,
    fields: FieldMap | None = ...,
    json_columns: Collection[str] = ...,
    column_types: Mapping[str, str] | None = ...,
    pretty: bool = ...,
    limits: Limits | None = ...,
) -> str: ...
@overload
def to_sql(
    filter: FilterLike,
    dialect: str = ...,
    *,
    params: Literal[True],
    paramstyle: str | None = ...,
    bindings: Mapping[str, Any] | None = ...,
    fields: FieldMap | None = ...,
    json_columns: Collection[str] = ...,
    column_types: Mapping[str, str] | None = ...,
    pretty: bool = ...,
    limits: Limits | None = ...,
) -> tuple[str, Params]: ...
@overload
def to_sql(
    filter: FilterLike,
    dialect: str = ...,
    *,
    params: bool,
    paramstyle: str | None = ...,
    bindings: Mapping[str, Any] | None = ...,
    fields: FieldMap | None = ...,
    json_columns: Collection[str] = ...,
    column_types: Mapping[str, str] | None = ...,
    pretty: bool = ...,
    limits: Limits | None = ...,
) -> str | tuple[str, Params]: ...


def to_sql(
    filter: FilterLike,
    dialect: str = "postgres",
    *,
    params: bool = False,
    paramstyle: str | None = None,
    bindings: Mapping[str, Any] | None = None,
    fields: FieldMap | None = None,
    json_columns: Collection[str] = (),
    column_types: Mapping[str, str] | None = None,
    pretty: bool = False,
    limits: Limits | None = None,
    **unknown: object,
) -> str | tuple[str, Params]:
    """``filter`` as a SQL boolean expression (the body of a ``WHERE``) in ``dialect``.

    * ``dialect``: any sqlglot dialect; the 13 in :data:`DIALECTS` have tuned rules, aliases
      (``mariadb``, ``hive``, ``presto``, ...) borrow a relative's, others get ANSI rules.
    * ``params``: False (default) inlines every value as a literal quoted by sqlglot; True
      returns ``(sql, params)`` with placeholders in ``paramstyle`` (``qmark``, ``numeric``,
      ``named``, ``format``, ``pyformat``, ``clickhouse``; default: the usual one for the
      dialect's Python drivers). ``params`` is a list for positional styles, a dict otherwise.
    * ``bindings``: values for templates ``{{INPUT.x}}`` and dynamic values. With ``params=True``,
      an unbound template becomes a named parameter (``INPUT_x``) for the caller to fill in.
    * ``fields``: field -> column name (or tuple of name parts) mapping.
    * ``json_columns``: columns holding JSON; ``metadata.title`` reads ``title`` from the
      ``metadata`` column as text. Other dotted paths must be mapped with ``fields``.
    * ``column_types``: field -> ``text`` / ``int`` / ``float`` / ``bool``. Comparisons of a value
      with a column that cannot hold its type become constant (as in :func:`mixfilter.matches`:
      no coercion) instead of SQL the engine would coerce or reject.
    * ``pretty``: multi-line output.

    Raises :class:`~mixfilter.errors.FilterCompileError` for what the dialect cannot express
    (naming the operator and dialect), and :class:`~mixfilter.errors.FilterOptionError` for bad
    options.
    """
    reject_unknown_options("to_sql", unknown, _OPTIONS)
    # every option is checked before the filter is parsed
    caps = dialect_caps(dialect)
    resolved = resolve(limits)
    target = f"sql:{caps.name}"
    sink: ParamSink | None = None
    if _check_bool("params", params):
        style = check_style(paramstyle) if paramstyle is not None else caps.paramstyle
        sink = ParamSink(style, target)
    elif paramstyle is not None:
        check_style(paramstyle)
        raise FilterOptionError("paramstyle needs params=True")
    _check_bool("pretty", pretty)
    field_resolver = FieldResolver(caps.sqlglot, fields, json_columns)
    compiler = Compiler(
        caps,
        sink=sink,
        bindings=check_bindings(bindings, "to_sql"),
        fields=field_resolver,
        column_types=_check_column_types(column_types),
        limits=resolved,
    )
    f = as_filter(filter, resolved)
    tree = compiler.node(f, False, False)
    try:
        sql = generate(_sqlglot_dialect(caps.sqlglot), tree, pretty)
    except sqlglot.errors.SqlglotError as exc:  # pragma: no cover - a bug in the table
        raise FilterCompileError(
            f"sqlglot cannot render this for {caps.name}: {exc}", target=target
        ) from exc
    if sink is None:
        return sql
    return sink.render(sql)
