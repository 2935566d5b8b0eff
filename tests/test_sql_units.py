"""Tables of filter -> SQL per dialect, options, errors, parameters and the limits."""

from __future__ import annotations

from typing import Any

import pytest

import mixfilter
from mixfilter import Limits
from mixfilter.errors import FilterCompileError, FilterOptionError
from mixfilter.targets.sql import DIALECTS, to_sql
from mixfilter.targets.sql.compiler import escape_glob, escape_like

ALL = sorted(DIALECTS)


def test_thirteen_dialects() -> None:
    assert set(ALL) >= {
        "postgres", "mysql", "sqlite", "duckdb", "spark", "databricks", "bigquery",
        "snowflake", "trino", "clickhouse", "tsql", "oracle", "redshift",
    }  # fmt: skip


# (filter text, dialect, expected SQL)
SQL_TABLE: list[tuple[Any, str, str]] = [
    ('status = "a"', "postgres", "LOWER(\"status\") = LOWER('a')"),
    ('status != "a"', "postgres", "LOWER(\"status\") IS DISTINCT FROM LOWER('a')"),
    (
        'status != "a"',
        "mysql",
        "NOT CAST(LOWER(`status`) AS BINARY) <=> CAST(LOWER('a') AS BINARY)",
    ),
    ("age != 3", "sqlite", '"age" IS NOT 3'),
    ("age != 3", "oracle", '("age" IS NULL OR NOT "age" = 3)'),
    ("age = null", "postgres", '"age" IS NULL'),
    ("age != null", "postgres", 'NOT "age" IS NULL'),
    ("age in [1, null]", "postgres", '("age" IN (1) OR "age" IS NULL)'),
    ("age not in [1, null]", "postgres", 'NOT "age" IS NULL AND NOT "age" IN (1)'),
    ("age not in [1]", "postgres", '("age" IS NULL OR NOT "age" IN (1))'),
    ("age in []", "postgres", "FALSE"),
    ('name contains "5%_!"', "postgres", "\"name\" ILIKE '%5!%!_!!%' ESCAPE '!'"),
    ('name contains "a[b"', "tsql", "LOWER([name]) LIKE LOWER('%a![b%') ESCAPE '!'"),
    ('name starts with "a*"', "sqlite", "LOWER(\"name\") LIKE LOWER('a*%') ESCAPE '!'"),
    ('name ends with "x"', "clickhouse", "lowerUTF8(\"name\") LIKE lowerUTF8('%x') ESCAPE '!'"),
    ('name > "x"', "postgres", '"name" COLLATE "C" > \'x\''),
    ('name > "x"', "mysql", "CAST(`name` AS BINARY) > CAST('x' AS BINARY)"),
    # case-insensitive: the pattern is rewritten with the case folds Python's re applies
    ('name ~ "^a"', "postgres", "\"name\" ~ '^[Aa]'"),
    ('name ~ "^a"', "mysql", "REGEXP_INSTR(`name`, '(?-i)^[Aa]') > 0"),
    ('name ~ "^a"', "spark", "`name` RLIKE '^[Aa]'"),
    ('name ~ "^a"', "duckdb", "REGEXP_MATCHES(\"name\", '^[Aa]')"),
    ('name ~ "^a"', "oracle", "REGEXP_LIKE(\"name\", '^a', 'i')"),
    ('name ~ "^a"', "snowflake", "REGEXP_INSTR(\"name\", '^a', 1, 1, 0, 'i') > 0"),
    ('name ~ "^a"', "clickhouse", "match(\"name\", '^[Aa]')"),
    ("name exists", "postgres", 'NOT "name" IS NULL'),
    ("name not exists", "postgres", '"name" IS NULL'),
    ("name is null", "postgres", '"name" IS NULL'),
    ("verified = true", "tsql", "[verified] = 1"),
    ("not (a = 1 or b = 2)", "postgres", '"a" IS DISTINCT FROM 1 AND "b" IS DISTINCT FROM 2'),
    ("not (a = 1 and b = 2)", "postgres", '"a" IS DISTINCT FROM 1 OR "b" IS DISTINCT FROM 2'),
    ("a = 1 and (b = 2 or c = 3)", "postgres", '"a" = 1 AND ("b" = 2 OR "c" = 3)'),
    # found by review, on dialects without an engine here:
    # T-SQL has no boolean values (BIT), and '...' is the code page's text: N'...' beyond ASCII
    ("verified != true", "tsql", "[verified] IS DISTINCT FROM 1"),
    ('name = "東京"', "tsql",
     "LOWER([name]) COLLATE Latin1_General_100_BIN2 = LOWER(N'東京')"),
    ('name contains "é"', "tsql", "LOWER([name]) LIKE LOWER(N'%é%') ESCAPE '!'"),
    ({"field": "name", "value": "日本\x00"}, "tsql",
     "LOWER([name]) COLLATE Latin1_General_100_BIN2 = LOWER(N'日本' + CHAR(0))"),
    # GoogleSQL's LIKE has no ESCAPE clause: backslash escapes (a literal \ is \\)
    ('name contains "5%_"', "bigquery", r"LOWER(`name`) LIKE LOWER('%5\\%\\_%')"),
    (r'name starts with "a\\"', "bigquery", r"LOWER(`name`) LIKE LOWER('a\\\\%')"),
    # Oracle's regex has no \p{...}; Redshift has no postfix COLLATE; text spells out each letter's
    # cases and matches case-sensitively (the engines' ignoring of case differs)
    ('body text "deep"', "oracle",
     "REGEXP_LIKE(\"body\", '(^|[^[:alnum:]_])[dD][eE][eE][pP]([^[:alnum:]_]|$)', 'c')"),
    ('name > "x"', "redshift", '"name" > \'x\''),
    # ClickHouse's IN misses -0.0 for a listed 0 (= does not)
    ("f in [0, 1.5]", "clickhouse", '("f" IN (1.5) OR "f" = 0)'),
    ("f not in [0.0]", "clickhouse", '("f" IS NULL OR NOT "f" = 0.0)'),
]  # fmt: skip


@pytest.mark.parametrize(("text", "dialect", "sql"), SQL_TABLE)
def test_sql_table(text: Any, dialect: str, sql: str) -> None:
    assert to_sql(text, dialect) == sql


def test_sqlite_case_sensitive_like_is_glob() -> None:
    f = {
        "AND": [{"field": "name", "operator": "starts_with", "value": "a*?["}],
        "case_sensitive": True,
    }
    assert to_sql(f, "sqlite") == "\"name\" GLOB 'a[*][?][[]*'"


def test_empty_and_false_filters() -> None:
    assert to_sql({}, "postgres") == "TRUE"
    assert to_sql({"NOT": [{}]}, "postgres") == "FALSE"
    assert to_sql({}, "tsql") == "(1 = 1)"


def test_escapers() -> None:
    assert escape_like("a%b_c!d", "%_") == "a!%b!_c!!d"
    assert escape_like("[x]", "%_[]") == "![x!]"
    assert escape_glob("a*b?c[d]") == "a[*]b[?]c[[]d]"


@pytest.mark.parametrize(
    ("style", "sql", "params"),
    [
        ("qmark", 'LOWER("s") = LOWER(?) AND "n" > ?', ["x%", 2]),
        ("numeric", 'LOWER("s") = LOWER(:1) AND "n" > :2', ["x%", 2]),
        ("named", 'LOWER("s") = LOWER(:p1) AND "n" > :p2', {"p1": "x%", "p2": 2}),
        ("format", 'LOWER("s") = LOWER(%s) AND "n" > %s', ["x%", 2]),
        ("pyformat", 'LOWER("s") = LOWER(%(p1)s) AND "n" > %(p2)s', {"p1": "x%", "p2": 2}),
        (
            "clickhouse",
            'LOWER("s") = LOWER({p1:String}) AND "n" > {p2:Int64}',
            {"p1": "x%", "p2": 2},
        ),
    ],
)
def test_paramstyles(style: str, sql: str, params: Any) -> None:
    assert to_sql('s = "x%" and n > 2', "postgres", params=True, paramstyle=style) == (sql, params)


def test_percent_doubled_for_format_styles() -> None:
    f = {"field": "a%b", "operator": "eq", "value": 1}
    sql, params = to_sql(f, "postgres", params=True, paramstyle="pyformat")
    assert sql == '"a%%b" = %(p1)s' and params == {"p1": 1}


def test_default_paramstyle_per_dialect() -> None:
    assert to_sql("n = 1", "sqlite", params=True) == ('"n" = ?', [1])
    assert to_sql("n = 1", "postgres", params=True) == ('"n" = %(p1)s', {"p1": 1})
    assert to_sql("n = 1", "spark", params=True) == ("`n` = :p1", {"p1": 1})
    # the google-cloud-bigquery DB-API driver reads %(name)s, not :name
    assert to_sql("n = 1", "bigquery", params=True) == ("`n` = %(p1)s", {"p1": 1})


def test_templates() -> None:
    f = "price <= {{INPUT.max_price}}"
    assert to_sql(f, "postgres", bindings={"INPUT.max_price": 10}) == '"price" <= 10'
    assert to_sql(f, "postgres", params=True, paramstyle="named") == (
        '"price" <= :INPUT_max_price',
        {},
    )
    sql, params = to_sql(f, "postgres", params=True, bindings={"INPUT.max_price": 7})
    assert (sql, params) == ('"price" <= %(p1)s', {"p1": 7})
    with pytest.raises(FilterCompileError, match="no binding"):
        to_sql(f, "postgres")
    with pytest.raises(FilterCompileError, match="positional"):
        to_sql(f, "sqlite", params=True)
    # an unbound LIKE needle is escaped inside SQL, since its value is not known here
    sql, _ = to_sql('name contains "{{INPUT.q}}"', "postgres", params=True)
    assert sql == (
        "\"name\" ILIKE '%%' || REPLACE(REPLACE(REPLACE(%(INPUT_q)s, '!', '!!'), '%%', '!%%'),"
        " '_', '!_') || '%%' ESCAPE '!'"
    )


def test_column_types_fold_mismatches() -> None:
    types = {"age": "int", "name": "text"}
    assert to_sql('age > "30"', "postgres", column_types=types) == "FALSE"
    assert to_sql('age != "30"', "postgres", column_types=types) == "TRUE"
    assert to_sql('age in [1, "x"]', "postgres", column_types=types) == '"age" IN (1)'
    with pytest.raises(FilterCompileError, match="mixes"):
        to_sql('age in [1, "x"]', "postgres")


def test_fields_and_json_columns() -> None:
    f = 'metadata.title = "x"'
    with pytest.raises(FilterCompileError, match="dotted path"):
        to_sql(f, "postgres")
    assert to_sql(f, "postgres", fields={"metadata.title": "title"}) == (
        "LOWER(\"title\") = LOWER('x')"
    )
    assert to_sql(f, "postgres", fields={"metadata.title": ("m", "title")}) == (
        'LOWER("m"."title") = LOWER(\'x\')'
    )
    # the exact JSON expressions per dialect: test_json_paths below
    assert "LOWER(" in to_sql(f, "sqlite", json_columns=["metadata"])
    assert "\"metadata\" ->> '$.title'" in to_sql(f, "sqlite", json_columns=["metadata"])
    with pytest.raises(FilterCompileError, match="JSON"):
        to_sql("metadata.views > 3", "postgres", json_columns=["metadata"])


def test_postgres_nul_folds() -> None:
    assert to_sql({"field": "s", "operator": "eq", "value": "a\0"}, "postgres") == "FALSE"
    assert to_sql({"field": "s", "operator": "ne", "value": "a\0"}, "postgres") == "TRUE"
    assert to_sql({"field": "s", "operator": "gte", "value": "a\0b"}, "postgres") == (
        '"s" COLLATE "C" > \'a\''
    )


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: to_sql("a = 1", "postgress"), FilterOptionError, "did you mean 'postgres'"),
        (lambda: to_sql("a = 1", "postgres", param=True), FilterOptionError, "params"),  # type: ignore[call-overload]
        (
            lambda: to_sql("a = 1", "postgres", params=True, paramstyle="qmarks"),
            FilterOptionError,
            "qmark",
        ),
        (lambda: to_sql("a = 1", "postgres", paramstyle="qmark"), FilterOptionError, "params=True"),
        (lambda: to_sql('a ~ "x"', "tsql"), FilterCompileError, "regex.*tsql"),
        (
            lambda: to_sql("a = 1", "postgres", column_types={"a": "integer"}),
            FilterOptionError,
            "int",
        ),
    ],
)
def test_errors(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_compile_error_names_operator_and_dialect() -> None:
    with pytest.raises(FilterCompileError) as info:
        to_sql('a ~ "x"', "tsql")
    assert info.value.operator == "regex" and info.value.target == "sql:tsql"


def test_other_sqlglot_dialects() -> None:
    assert to_sql("a != 1", "mariadb") == "NOT `a` <=> 1"
    assert to_sql('a contains "x"', "teradata") == "LOWER(\"a\") LIKE LOWER('%x%') ESCAPE '!'"
    with pytest.raises(FilterCompileError):
        to_sql('a ~ "x"', "teradata")
    for not_sql in ("dax", "prql"):  # sqlglot dialects that are not SQL: refused, not rendered
        with pytest.raises(FilterOptionError, match="not SQL"):
            to_sql("a = 1", not_sql)


# --- limits: every depth and size the default limits allow works on every dialect ------------


def _deep(depth: int) -> dict[str, Any]:
    """``depth`` logical levels, alternating AND / OR so normalization cannot flatten them."""
    node: dict[str, Any] = {"field": "a", "operator": "ne", "value": 0}
    for level in range(depth - 1):
        op = ("AND", "OR")[level % 2]
        node = {op: [node, {"field": f"f{level}", "operator": "contains", "value": "x"}]}
    return {"NOT": [node]}


def _depth(node: Any) -> int:
    if isinstance(node, mixfilter.Condition):
        return 0
    return 1 + max((_depth(i) for i in node.items), default=0)


@pytest.mark.parametrize("dialect", ALL)
def test_max_depth_every_dialect(dialect: str) -> None:
    depth = Limits().max_depth - 1  # the validator counts the condition as a level too
    f = mixfilter.validate(_deep(depth))
    assert _depth(f) >= depth - 1  # 30+ nested groups, the most the validator allows
    with pytest.raises(mixfilter.FilterLimitError):
        mixfilter.validate(_deep(depth + 1))
    sql = to_sql(f, dialect)
    assert sql.count("(") >= depth - 2
    to_sql(f, dialect, params=True, paramstyle="named")


@pytest.mark.parametrize("dialect", ALL)
def test_max_conditions_every_dialect(dialect: str) -> None:
    n = Limits().max_conditions
    f = mixfilter.validate(
        {"AND": [{"field": "a", "operator": "gt", "value": i} for i in range(n)]}
    )
    sql = to_sql(f, dialect)
    assert sql.count(" AND ") == n - 1
    g = mixfilter.validate(
        {"NOT": [{"field": "a", "operator": "eq", "value": i} for i in range(n)]}
    )
    assert to_sql(g, dialect).count(" AND ") >= n - 1


# json_columns: (dialect, the text at m.a.b (NULL when missing or null), the text only where the
# JSON value is a string, or None where the dialect cannot check JSON types). Run on the real
# engines by tests/test_engines_smoke.py.
JSON_SQL: list[tuple[str, str, str | None]] = [
    (
        "postgres",
        'CAST("m" AS JSONB) #>> \'{"a","b"}\'',
        'CASE WHEN JSONB_TYPEOF(CAST("m" AS JSONB) #> \'{"a","b"}\') = \'string\' '
        'THEN CAST("m" AS JSONB) #>> \'{"a","b"}\' END',
    ),
    (
        "mysql",
        "CASE WHEN JSON_TYPE(JSON_EXTRACT(`m`, '$.a.b')) <> 'NULL' "
        "THEN JSON_UNQUOTE(JSON_EXTRACT(`m`, '$.a.b')) END",
        "CASE WHEN JSON_TYPE(JSON_EXTRACT(`m`, '$.a.b')) = 'STRING' "
        "THEN JSON_UNQUOTE(JSON_EXTRACT(`m`, '$.a.b')) END",
    ),
    (
        "sqlite",
        "\"m\" ->> '$.a.b'",
        "CASE WHEN JSON_TYPE(\"m\", '$.a.b') = 'text' THEN \"m\" ->> '$.a.b' END",
    ),
    (
        "duckdb",
        "\"m\" ->> '$.a.b'",
        "CASE WHEN JSON_TYPE(\"m\", '$.a.b') = 'VARCHAR' THEN \"m\" ->> '$.a.b' END",
    ),
    (
        "clickhouse",
        "JSONExtract(\"m\", 'a', 'b', 'Nullable(String)')",
        "CASE WHEN JSONType(\"m\", 'a', 'b') = 'String' "
        "THEN JSONExtract(\"m\", 'a', 'b', 'Nullable(String)') END",
    ),
    ("spark", "GET_JSON_OBJECT(`m`, '$.a.b')", None),
    ("redshift", "JSON_EXTRACT_PATH_TEXT(\"m\", 'a', 'b')", None),
    ("snowflake", "JSON_EXTRACT_PATH_TEXT(\"m\", 'a.b')", None),
    ("trino", "JSON_EXTRACT_SCALAR(\"m\", '$.a.b')", None),
    ("tsql", "JSON_VALUE([m], '$.a.b')", None),
    ("bigquery", "JSON_VALUE(`m`, '$.a.b')", None),
]


@pytest.mark.parametrize(("dialect", "text", "string"), JSON_SQL, ids=[j[0] for j in JSON_SQL])
def test_json_paths(dialect: str, text: str, string: str | None) -> None:
    from mixfilter.targets.sql import dialect_caps
    from mixfilter.targets.sql.fields import FieldResolver

    name = dialect_caps(dialect).sqlglot
    field = FieldResolver(name, None, ["m"]).resolve("m.a.b")
    assert field.is_json
    assert field.expr.sql(name) == text
    assert (field.string.sql(name) if field.string is not None else None) == string


@pytest.mark.parametrize("dialect", ["postgres", "materialize", "risingwave"])
def test_postgres_json_path_quotes_every_key(dialect: str) -> None:
    """#>> takes a text array: a bare NULL element would be SQL NULL, so keys are quoted."""
    sql = to_sql('m.null.x = "v"', dialect, json_columns=["m"])
    assert '#>> \'{"null","x"}\'' in sql
    assert "JSON_EXTRACT_PATH" not in sql  # PostgreSQL has no json_extract_path_text(jsonb, ...)


@pytest.mark.parametrize("key", ["a-b", "1a", "a b", "ä", "a'b", "x.-"])
def test_json_keys_must_be_plain_names(key: str) -> None:
    with pytest.raises(FilterCompileError, match="not a plain name"):
        to_sql({"field": f"m.{key}", "operator": "eq", "value": "x"}, json_columns=["m"])


@pytest.mark.parametrize(
    ("field", "options"),
    [
        ("q." + "x" * 9000, {}),
        ("q." + "x" * 9000 + ".-", {"json_columns": ["q"]}),
        ("q." + "x" * 9000, {"fields": {"q." + "y" * 9000: "c"}}),
    ],
    ids=["dotted", "json key", "unmapped"],
)
def test_field_errors_quote_a_bounded_slice(field: str, options: dict[str, Any]) -> None:
    with pytest.raises(FilterCompileError) as info:
        to_sql({"field": field, "operator": "eq", "value": "x"}, **options)
    assert len(str(info.value)) < 400


@pytest.mark.parametrize(
    ("value", "bound"),
    [
        (2.0**53, 2**53),
        (-(2.0**53), -(2**53)),
        (3.0, 3),
        (-0.0, 0),
        (2.0**63 - 1024, 2**63 - 1024),  # the largest double below 2**63
        (-(2.0**63), -(2**63)),
        (2.0**63, 2.0**63),  # beyond BIGINT: stays a float (docs/sql.md)
        (1e300, 1e300),
        (0.5, 0.5),
        (True, True),
        (7, 7),
    ],
)
def test_integral_floats_are_bound_as_ints(value: Any, bound: Any) -> None:
    _, params = to_sql({"field": "n", "operator": "eq", "value": value}, "sqlite", params=True)
    assert params == [bound]
    assert type(params[0]) is type(bound)


def test_postgres_text_spells_the_word_class_once() -> None:
    # found by review: two 2 KB classes per word made a 2,500-word query 25 MB of SQL
    words = " ".join(f"w{i}" for i in range(100))
    sql = to_sql({"field": "b", "operator": "text", "value": words}, "postgres")
    assert sql.count("REGEXP_REPLACE") == 1 and len(sql) < 5_000
    lookaheads = "".join(f"(?=.* [wW]{i} )" for i in sorted(range(100), key=str))
    assert sql.endswith(f"~ '^{lookaheads}'")
