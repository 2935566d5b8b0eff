"""Fields to column expressions. A field name is always an identifier (quoted by sqlglot), never
SQL text: ``a"; DROP TABLE t; --`` becomes one oddly named, correctly quoted column.

* a field listed in ``fields`` maps to that column (``{"metadata.title": "title"}``; a tuple
  ``("t", "title")`` names a qualified column ``t.title``);
* a top-level field (no dot) is the column of the same name;
* a dotted path whose first segment is listed in ``json_columns`` reads the rest of the path from
  that JSON column as text (``metadata.title`` -> ``CAST("metadata" AS JSONB) #>> '{"title"}'``
  on PostgreSQL);
* any other dotted path is an error: whether ``a.b`` is a column called "a.b", a JSON path or a
  mapped column is the caller's decision, not something to guess.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from sqlglot import exp

from ...errors import FilterCompileError, FilterOptionError, quote_slice
from .nodes import node

FieldMap = Mapping[str, "str | tuple[str, ...]"]

#: How much of a field name an error message quotes.
QUOTE = 80


def _identifier(name: str) -> exp.Identifier:
    # Always quoted: a name that happens to be a keyword in some dialect stays a name, and the
    # output does not depend on sqlglot's per-dialect notion of "safe" identifiers.
    return node(exp.Identifier, {"this": name, "quoted": True})


def _column(parts: tuple[str, ...]) -> exp.Column:
    *qualifiers, name = parts
    args: dict[str, exp.Expr] = {"this": _identifier(name)}
    for key, part in zip(("table", "db", "catalog"), reversed(qualifiers), strict=False):
        args[key] = _identifier(part)
    return node(exp.Column, args)


class Field(NamedTuple):
    """A resolved field: the SQL expression to compare, and whether it is JSON text.

    ``expr`` is NULL exactly when the field is missing or null (what ``exists``, ``is_null`` and
    ``eq null`` test). On a JSON path it is the value's text, whatever its JSON type; ``string``
    is then the text only when the JSON value is a string, NULL otherwise (``None`` where the
    dialect cannot tell JSON types apart, and for plain columns): the expression string
    comparisons should read, so that ``"1"`` does not equal the JSON number ``1``.
    """

    expr: exp.Expr
    is_json: bool
    string: exp.Expr | None = None


def _check_name(option: str, name: object, *, sql: bool = True) -> str:
    """A non-empty name; ``sql``: one that is written into the SQL (a column, not a field)."""
    if not isinstance(name, str) or not name:
        raise FilterOptionError(
            f"{option} must be a non-empty string (a field or column name), got {_describe(name)}"
        )
    if sql and _UNWRITABLE.search(name):
        raise FilterOptionError(f"{option}: {_UNWRITABLE_NAME}, got {_describe(name)}")
    return name


#: SQL text cannot carry U+0000 (drivers refuse the query), and an identifier has no other way;
#: a lone surrogate (U+D800 to U+DFFF) fits in a str but not in UTF-8, so no driver can send it.
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")
_UNWRITABLE_NAME = "SQL names cannot contain a NUL character (U+0000) or a lone surrogate"


def _describe(value: object) -> str:
    if isinstance(value, str):
        return quote_slice(value, QUOTE)
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= QUOTE else text[:QUOTE] + '…'}"


def check_fields(fields: object) -> dict[str, tuple[str, ...]]:
    """``fields`` checked: field name -> column name parts (FilterOptionError otherwise)."""
    if fields is None:
        return {}
    if not isinstance(fields, Mapping):
        raise FilterOptionError(
            f"fields must be a mapping of field name to column name, got {type(fields).__name__}"
        )
    out: dict[str, tuple[str, ...]] = {}
    for key, column in fields.items():
        _check_name("every key of fields", key, sql=False)
        parts: tuple[Any, ...]
        if isinstance(column, str):
            parts = (column,)
        elif isinstance(column, (tuple, list)):
            parts = tuple(column)
        else:
            parts = ()
        if not 1 <= len(parts) <= 4 or not all(
            isinstance(p, str) and p and not _UNWRITABLE.search(p) for p in parts
        ):
            raise FilterOptionError(
                f"fields[{quote_slice(key, QUOTE)}] must be a column name or a tuple of 1 to 4 "
                f"non-empty name parts (('schema', 'table', 'column')) without NUL characters "
                f"or lone surrogates, got {_describe(column)}"
            )
        out[key] = parts
    return out


def check_json_columns(json_columns: object) -> frozenset[str]:
    """``json_columns`` checked: a collection of column names (FilterOptionError otherwise)."""
    if isinstance(json_columns, str):
        raise FilterOptionError(
            f"json_columns must be a list of column names, not a string: "
            f"json_columns=[{quote_slice(json_columns, QUOTE)}]"
        )
    if not isinstance(json_columns, (list, tuple, set, frozenset)):
        raise FilterOptionError(
            "json_columns must be a list (or tuple, set) of column names, "
            f"got {type(json_columns).__name__}"
        )
    return frozenset(_check_name("every item of json_columns", c) for c in json_columns)


class FieldResolver:
    def __init__(
        self, dialect: str, fields: FieldMap | None, json_columns: Collection[str]
    ) -> None:
        self.dialect = dialect
        self.fields = check_fields(fields)
        self.json_columns = check_json_columns(json_columns)
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
        if "\x00" in field:
            raise FilterCompileError(
                f"field {quote_slice(field, QUOTE)}: {_UNWRITABLE_NAME}; map it to a column with "
                "fields={...}",
                target=f"sql:{self.dialect}",
            )
        if "." not in field:  # the common case, without _column's loop
            return Field(node(exp.Column, {"this": _identifier(field)}), False)
        head, _, rest = field.partition(".")
        if head in self.json_columns:
            keys = rest.split(".")
            return Field(
                json_text(_column((head,)), keys, self.dialect),
                True,
                json_string(_column((head,)), keys, self.dialect),
            )
        shown, column_name = quote_slice(field, QUOTE), quote_slice(head, QUOTE)
        raise FilterCompileError(
            f"field {shown} is a dotted path: map it to a column with fields={{{shown}: ...}}"
            f" or name its JSON column with json_columns=[{column_name}]",
            target=f"sql:{self.dialect}",
        )


_JSON_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PG_JSON = ("postgres", "materialize", "risingwave")


def _check_keys(keys: list[str], dialect: str) -> None:
    for key in keys:
        if not _JSON_KEY.match(key):
            raise FilterCompileError(
                f"JSON key {quote_slice(key, QUOTE)} is not a plain name "
                "([A-Za-z_][A-Za-z0-9_]*); map the field to a column with fields={...}",
                target=f"sql:{dialect}",
            )


def _pg_path(column: exp.Expr, keys: list[str]) -> tuple[exp.Expr, exp.Expr]:
    # #> / #>> take the keys as a text array: every key double-quoted (a bare NULL element would
    # be SQL NULL); keys are plain names, so nothing inside needs escaping. A text column
    # holding JSON is cast first; the operators exist on PostgreSQL, Materialize and RisingWave.
    source = exp.Cast(this=column, to=exp.DataType.build("JSONB"))
    path = exp.Literal.string("{" + ",".join(f'"{k}"' for k in keys) + "}")
    return source, path


def _json_path(keys: list[str]) -> exp.JSONPath:
    return exp.JSONPath(expressions=[exp.JSONPathRoot(), *(exp.JSONPathKey(this=k) for k in keys)])


def json_text(column: exp.Expr, keys: list[str], dialect: str) -> exp.Expr:
    """The text at ``keys`` inside JSON ``column``, in ``dialect``: NULL when absent or null.

    Keys are restricted to plain names: JSON-path quoting differs between engines (and between
    sqlglot's renderings of it), so anything else must be mapped to a column with ``fields``.
    """
    _check_keys(keys, dialect)
    if dialect in _PG_JSON:
        source, pg_path = _pg_path(column, keys)
        return exp.JSONBExtractScalar(this=source, expression=pg_path)
    if dialect == "redshift":
        # JSON_EXTRACT_PATH_TEXT takes the keys as separate text arguments: no path syntax.
        return exp.Anonymous(
            this="JSON_EXTRACT_PATH_TEXT", expressions=[column, *map(exp.Literal.string, keys)]
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
    if dialect in ("mysql", "mariadb"):
        # JSON_VALUE is NULL for objects and arrays (present values) and, on MySQL, a
        # VARCHAR(512); JSON_UNQUOTE(JSON_EXTRACT(..)) is any value's text, but 'null' for null.
        extract = exp.Anonymous(this="JSON_EXTRACT", expressions=[column, path])
        return exp.Case(
            ifs=[
                exp.If(
                    this=exp.NEQ(this=_mysql_type(extract), expression=exp.Literal.string("NULL")),
                    true=exp.Anonymous(this="JSON_UNQUOTE", expressions=[extract.copy()]),
                )
            ]
        )
    if dialect in ("tsql", "oracle", "fabric", "bigquery"):
        return exp.Anonymous(this="JSON_VALUE", expressions=[column, path])
    if dialect in ("spark", "databricks", "hive", "spark2"):
        return exp.Anonymous(this="GET_JSON_OBJECT", expressions=[column, path])
    if dialect == "snowflake":
        return exp.Anonymous(
            this="JSON_EXTRACT_PATH_TEXT", expressions=[column, exp.Literal.string(".".join(keys))]
        )
    if dialect in ("trino", "presto", "athena"):
        return exp.Anonymous(this="JSON_EXTRACT_SCALAR", expressions=[column, path])
    if dialect in ("sqlite", "duckdb"):
        # ->> is text extraction on SQLite (3.38+) and DuckDB
        return exp.JSONExtractScalar(this=column, expression=_json_path(keys))
    raise FilterCompileError(
        f"JSON paths are not supported for dialect {dialect!r}; map the field with fields={{...}}",
        target=f"sql:{dialect}",
    )


def _mysql_type(extract: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this="JSON_TYPE", expressions=[extract])


def json_string(column: exp.Expr, keys: list[str], dialect: str) -> exp.Expr | None:
    """The text at ``keys`` inside JSON ``column`` when the JSON value there is a string, else
    NULL; ``None`` for dialects where the output cannot check JSON types (docs/sql.md)."""
    _check_keys(keys, dialect)
    kind: exp.Expr
    if dialect in _PG_JSON:
        source, pg_path = _pg_path(column, keys)
        kind = exp.Anonymous(
            this="JSONB_TYPEOF", expressions=[exp.JSONBExtract(this=source, expression=pg_path)]
        )
        name = "string"
    elif dialect in ("mysql", "mariadb"):
        path = exp.Literal.string("$." + ".".join(keys))
        kind = _mysql_type(exp.Anonymous(this="JSON_EXTRACT", expressions=[column, path]))
        name = "STRING"
        text: exp.Expr = exp.Anonymous(
            this="JSON_UNQUOTE",
            expressions=[exp.Anonymous(this="JSON_EXTRACT", expressions=[column.copy(), path])],
        )
        return _when(kind, name, text)
    elif dialect in ("sqlite", "duckdb"):
        path = exp.Literal.string("$." + ".".join(keys))
        kind = exp.Anonymous(this="JSON_TYPE", expressions=[column, path])
        name = "text" if dialect == "sqlite" else "VARCHAR"
    elif dialect == "clickhouse":
        kind = exp.Anonymous(this="JSONType", expressions=[column, *map(exp.Literal.string, keys)])
        name = "String"
    else:
        return None
    return _when(kind, name, json_text(column.copy(), keys, dialect))


def _when(kind: exp.Expr, name: str, text: exp.Expr) -> exp.Expr:
    return exp.Case(
        ifs=[exp.If(this=exp.EQ(this=kind, expression=exp.Literal.string(name)), true=text)]
    )
