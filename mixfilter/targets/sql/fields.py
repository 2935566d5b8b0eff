"""Fields to column expressions. A field name is always an identifier (quoted by sqlglot), never
SQL text: ``a"; DROP TABLE t; --`` becomes one oddly named, correctly quoted column.

* a field listed in ``fields`` maps to that column (``{"metadata.title": "title"}``; a tuple
  ``("t", "title")`` names a qualified column ``t.title``);
* a top-level field (no dot) is the column of the same name;
* a dotted path whose first segment is listed in ``json_columns`` reads the rest of the path from
  that JSON column as text (``metadata.title`` -> ``metadata ->> 'title'`` on PostgreSQL);
* any other dotted path is an error: whether ``a.b`` is a column called "a.b", a JSON path or a
  mapped column is the caller's decision, not something to guess.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlglot import exp

from ...errors import FilterCompileError, FilterOptionError

FieldMap = Mapping[str, "str | tuple[str, ...]"]


def _identifier(name: str) -> exp.Identifier:
    # Always quoted: a name that happens to be a keyword in some dialect stays a name, and the
    # output does not depend on sqlglot's per-dialect notion of "safe" identifiers.
    return exp.Identifier(this=name, quoted=True)


def _column(parts: tuple[str, ...]) -> exp.Column:
    *qualifiers, name = parts
    args: dict[str, exp.Identifier] = {"this": _identifier(name)}
    for key, part in zip(("table", "db", "catalog"), reversed(qualifiers), strict=False):
        args[key] = _identifier(part)
    return exp.Column(**args)


@dataclass(frozen=True)
class Field:
    """A resolved field: the SQL expression to compare, and whether it is JSON text."""

    expr: exp.Expr
    is_json: bool


class FieldResolver:
    def __init__(
        self, dialect: str, fields: FieldMap | None, json_columns: Collection[str]
    ) -> None:
        self.dialect = dialect
        self.fields: dict[str, tuple[str, ...]] = {}
        for key, column in (fields or {}).items():
            parts = (column,) if isinstance(column, str) else tuple(column)
            if not parts or not all(isinstance(p, str) and p for p in parts):
                raise FilterOptionError(
                    f"fields[{key!r}] must be a column name or a tuple of name parts"
                )
            self.fields[key] = parts
        if isinstance(json_columns, str):
            json_columns = (json_columns,)
        self.json_columns = frozenset(json_columns)
        self._cache: dict[str, Field] = {}

    def resolve(self, field: str) -> Field:
        found = self._cache.get(field)
        if found is None:
            found = self._cache[field] = self._resolve(field)
        return found

    def _resolve(self, field: str) -> Field:
        mapped = self.fields.get(field)
        if mapped is not None:
            return Field(_column(mapped), False)
        if "." not in field:
            return Field(_column((field,)), False)
        head, _, rest = field.partition(".")
        if head in self.json_columns:
            return Field(json_text(_column((head,)), rest.split("."), self.dialect), True)
        raise FilterCompileError(
            f"field {field!r} is a dotted path: map it to a column with fields={{{field!r}: ...}}"
            f" or name its JSON column with json_columns=[{head!r}]",
            target=f"sql:{self.dialect}",
        )


_JSON_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def json_text(column: exp.Expr, keys: list[str], dialect: str) -> exp.Expr:
    """The text at ``keys`` inside JSON ``column`` (NULL when absent), in ``dialect``.

    Keys are restricted to plain names: JSON-path quoting differs between engines (and between
    sqlglot's renderings of it), so anything else must be mapped to a column with ``fields``.
    """
    for key in keys:
        if not _JSON_KEY.match(key):
            raise FilterCompileError(
                f"JSON key {key!r} is not a plain name ([A-Za-z_][A-Za-z0-9_]*); "
                "map the field to a column with fields={...}",
                target=f"sql:{dialect}",
            )
    if dialect in ("postgres", "materialize", "risingwave", "redshift"):
        # JSON_EXTRACT_PATH_TEXT takes the keys as separate text arguments: no path syntax.
        # PostgreSQL needs a json value, so a text column holding JSON is cast first.
        source: exp.Expr = column
        if dialect != "redshift":
            source = exp.Cast(this=column, to=exp.DataType.build("JSONB"))
        return exp.Anonymous(
            this="JSON_EXTRACT_PATH_TEXT", expressions=[source, *map(exp.Literal.string, keys)]
        )
    path = exp.Literal.string("$." + ".".join(keys))
    if dialect == "clickhouse":
        # JSONExtractString returns '' for a missing key; a Nullable result keeps NULL = absent
        return exp.Anonymous(
            this="JSONExtract",
            expressions=[
                column,
                *map(exp.Literal.string, keys),
                exp.Literal.string("Nullable(String)"),
            ],
        )
    if dialect in ("tsql", "oracle", "fabric", "mysql", "mariadb"):
        return exp.Anonymous(this="JSON_VALUE", expressions=[column, path])
    if dialect in ("spark", "databricks", "hive", "spark2"):
        return exp.Anonymous(this="GET_JSON_OBJECT", expressions=[column, path])
    if dialect == "bigquery":
        return exp.Anonymous(this="JSON_VALUE", expressions=[column, path])
    if dialect == "snowflake":
        return exp.Anonymous(
            this="JSON_EXTRACT_PATH_TEXT", expressions=[column, exp.Literal.string(".".join(keys))]
        )
    if dialect in ("trino", "presto", "athena"):
        return exp.Anonymous(this="JSON_EXTRACT_SCALAR", expressions=[column, path])
    if dialect in ("sqlite", "duckdb"):
        # ->> is text extraction on SQLite (3.38+) and DuckDB
        return exp.JSONExtractScalar(
            this=column,
            expression=exp.JSONPath(
                expressions=[exp.JSONPathRoot(), *(exp.JSONPathKey(this=k) for k in keys)]
            ),
        )
    raise FilterCompileError(
        f"JSON paths are not supported for dialect {dialect!r}; map the field with fields={{...}}",
        target=f"sql:{dialect}",
    )
