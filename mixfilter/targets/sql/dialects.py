"""The capability table: how each SQL dialect writes each mixfilter operator, in one place.

sqlglot renders an expression tree for any dialect, but it renders some nodes as SQL the engine
rejects (``ILIKE`` for T-SQL, ``REGEXP_LIKE`` for MariaDB, ``REGEXP_I_LIKE`` almost everywhere)
or as SQL that means something else on the engine's default settings (SQLite's ``LIKE`` ignores
ASCII case; MySQL's ``=`` ignores case under the usual ``*_ci`` collations and trailing spaces
under every ``PAD SPACE`` collation; ClickHouse's ``lower`` folds ASCII only). So the compiler
never asks sqlglot to translate: it reads *this* table and builds the nodes each engine needs.
Every row says why it is what it is; ``tested`` names the real engine the test suite runs it on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

#: How a regex match is written. ``None``: the dialect has no regex operator (compile error).
RegexStyle = Literal[
    "tilde",  # c ~ p / c ~* p (PostgreSQL POSIX ARE)
    "regexp_op",  # c REGEXP p, flags inline (SQLite: whatever REGEXP function the app registers)
    "regexp_instr",  # REGEXP_INSTR(c, p) > 0, flags inline (MySQL 8 ICU, MariaDB PCRE)
    "rlike",  # c RLIKE p, flags inline (Spark / Databricks: java.util.regex)
    "regexp_matches",  # REGEXP_MATCHES(c, p) (DuckDB, RE2)
    "regexp_contains",  # REGEXP_CONTAINS(c, p) (BigQuery, RE2)
    "regexp_like",  # REGEXP_LIKE(c, p[, flags]) unanchored (Trino, Oracle)
    "regexp_instr_flags",  # REGEXP_INSTR(c, p, 1, 1, 0, flags) > 0 (Snowflake: REGEXP_LIKE anchors)
    "match",  # match(c, p) (ClickHouse, RE2)
]
#: Which regex dialect the engine speaks: user patterns are rewritten into it (see .regex).
#: "python": the engine runs Python's re (SQLite's REGEXP function); "native": passed as written
#: (engines the tests do not run: their flavours are not verified here, see docs/sql.md).
RegexFlavour = Literal["python", "pcre", "java", "re2", "are", "native"]
#: How ``ne`` / ``NOT eq`` keeps NULL rows.
NullSafe = Literal["distinct", "spaceship", "is_not", "or_null"]
#: What a string holding U+0000 becomes in SQL text.
NulPolicy = Literal["escape", "fold", "chr", "char"]
ParamStyle = Literal["qmark", "numeric", "named", "format", "pyformat", "clickhouse"]


@dataclass(frozen=True)
class Caps:
    """What one dialect can say, and how. The compiler's only source of dialect knowledge."""

    name: str
    #: the sqlglot dialect that renders the tree
    sqlglot: str
    #: native ILIKE that folds Unicode case (else: LOWER(c) LIKE LOWER(pattern))
    ilike: bool = False
    #: function that lower-cases a string for case-insensitive comparisons
    lower: str = "LOWER"
    #: how a case-sensitive LIKE is written: "like", or "glob" where LIKE ignores case
    cs_like: Literal["like", "glob"] = "like"
    #: characters besides % and _ that are special in LIKE patterns (T-SQL's [ ] classes)
    like_specials: str = "%_"
    #: the LIKE escape character, and whether it is named by an ESCAPE clause (BigQuery has no
    #: ESCAPE clause: backslash is its escape)
    like_escape: str = "!"
    escape_clause: bool = True
    #: whether true/false can be written as values (T-SQL has no boolean type: BIT 1 / 0)
    bool_literals: bool = True
    #: whether non-ASCII string literals need N'...' (T-SQL: '...' is the code page's text)
    national_strings: bool = False
    #: whether IN compares floats by value (ClickHouse's IN misses -0.0 in a list holding 0)
    in_signed_zero: bool = True
    #: how a null-safe inequality is written
    null_safe: NullSafe = "or_null"
    #: compare strings as bytes (MySQL/MariaDB: right under *_ci and PAD SPACE collations)
    binary_strings: bool = False
    #: collation giving code-point order / exact equality for strings, if the default may not
    cs_collation: str | None = None
    #: whether the collation applies to equality too (T-SQL's default collation ignores case)
    collate_equality: bool = False
    regex: RegexStyle | None = None
    regex_flavour: RegexFlavour = "native"
    #: inline flag prefixes for regex (case-insensitive, case-sensitive)
    regex_ci_flag: str = "(?i)"
    regex_cs_flag: str = ""
    #: character class of a non-word character in this regex flavour (for ``text``); None: not
    #: Python's \w, spelled out as code-point ranges (for PostgreSQL, whose [[:alnum:]] follows
    #: the locale and misses ² and ½ even in C.UTF-8)
    non_word: str | None = r"[^\p{L}\p{N}_]"
    nul: NulPolicy = "escape"
    #: whether LIKE / GLOB patterns may hold U+0000 (SQLite's stop there: '%' || CHAR(0) is '%')
    nul_in_patterns: bool = True
    paramstyle: ParamStyle = "qmark"
    #: the real engine the tests run this dialect on ("" = generated and checked, not executed)
    tested: str = ""
    note: str = ""


_PG = Caps(
    "postgres",
    "postgres",
    ilike=True,
    null_safe="distinct",
    # the database's default collation may be en_US (dictionary order); "C" is code-point order
    cs_collation='"C"',
    regex="tilde",
    regex_flavour="are",
    regex_ci_flag="",
    non_word=None,
    # PostgreSQL text cannot hold U+0000: no stored value contains it, so such tests are constant
    nul="fold",
    paramstyle="pyformat",
    tested="postgres",
)

DIALECTS: dict[str, Caps] = {
    "postgres": _PG,
    "redshift": replace(
        _PG,
        name="redshift",
        sqlglot="redshift",
        paramstyle="format",
        null_safe="or_null",  # no IS DISTINCT FROM in Redshift
        regex_flavour="native",
        non_word="[^[:alnum:]_]",  # POSIX ERE: no code-point escapes to spell \w with
        cs_collation=None,  # no postfix COLLATE; the default collation is case-sensitive
        tested="",
        note="PostgreSQL rules; Redshift's regex is POSIX ERE",
    ),
    "mysql": Caps(
        "mysql",
        "mysql",
        null_safe="spaceship",
        binary_strings=True,
        regex="regexp_instr",
        regex_flavour="pcre",
        regex_cs_flag="(?-i)",
        paramstyle="pyformat",
        tested="mariadb",
        note="MariaDB >= 10.0.5 or MySQL >= 8.0; utf8mb4 columns, any collation; "
        "backslash escapes in literals (the default sql_mode)",
    ),
    "sqlite": Caps(
        "sqlite",
        "sqlite",
        # SQLite's LIKE ignores ASCII case on default settings; GLOB is case-sensitive
        cs_like="glob",
        null_safe="is_not",
        regex="regexp_op",
        regex_flavour="python",
        non_word=r"\W",
        # Python's sqlite3 refuses SQL text holding U+0000: spell it CHAR(0)
        nul="char",
        nul_in_patterns=False,
        paramstyle="qmark",
        tested="sqlite",
        note="REGEXP needs an application-defined function (re.search); LOWER folds ASCII only",
    ),
    "duckdb": Caps(
        "duckdb",
        "duckdb",
        ilike=True,
        null_safe="distinct",
        regex="regexp_matches",
        regex_flavour="re2",
        paramstyle="qmark",
        tested="duckdb",
    ),
    "spark": Caps(
        "spark",
        "spark",
        ilike=True,
        null_safe="distinct",
        regex="rlike",
        regex_flavour="java",
        # java.util.regex folds only ASCII case unless UNICODE_CASE (u) is on too
        regex_ci_flag="(?iu)",
        paramstyle="named",
        tested="spark",
    ),
    "databricks": Caps(
        "databricks",
        "databricks",
        ilike=True,
        null_safe="distinct",
        regex="rlike",
        regex_flavour="java",
        regex_ci_flag="(?iu)",
        paramstyle="named",
        note="Spark SQL rules",
    ),
    "bigquery": Caps(
        "bigquery",
        "bigquery",
        null_safe="distinct",
        regex="regexp_contains",
        regex_flavour="re2",
        # GoogleSQL's LIKE has no ESCAPE clause; a backslash escapes % and _
        like_escape="\\",
        escape_clause=False,
        # the google-cloud-bigquery DB-API driver takes %(name)s (GoogleSQL itself: @name)
        paramstyle="pyformat",
    ),
    "snowflake": Caps(
        "snowflake",
        "snowflake",
        ilike=True,
        null_safe="distinct",
        regex="regexp_instr_flags",
        regex_ci_flag="i",
        regex_cs_flag="c",
        paramstyle="pyformat",
    ),
    "trino": Caps(
        "trino",
        "trino",
        null_safe="distinct",
        regex="regexp_like",
        regex_flavour="java",
        nul="chr",
        paramstyle="qmark",
    ),
    "clickhouse": Caps(
        "clickhouse",
        "clickhouse",
        # lower() folds ASCII only; lowerUTF8() folds Unicode, as str.lower() does, and ILIKE
        # does not (it pairs µ with μ, misses Ⱥ with ⱥ): so LIKE over lowerUTF8() on both sides
        lower="lowerUTF8",
        null_safe="distinct",
        regex="match",
        regex_flavour="re2",
        paramstyle="clickhouse",
        in_signed_zero=False,
        tested="clickhouse",
    ),
    "tsql": Caps(
        "tsql",
        "tsql",
        like_specials="%_[]",
        null_safe="distinct",
        # the default collation (SQL_Latin1_General_CP1_CI_AS) ignores case, so case-sensitive
        # comparisons name a binary collation
        cs_collation="Latin1_General_100_BIN2",
        collate_equality=True,
        regex=None,
        nul="char",
        bool_literals=False,
        national_strings=True,
        paramstyle="qmark",
        note="SQL Server 2022+ (IS DISTINCT FROM); no regex before SQL Server 2025; "
        "= ignores trailing spaces",
    ),
    "oracle": Caps(
        "oracle",
        "oracle",
        regex="regexp_like",
        regex_ci_flag="i",
        regex_cs_flag="c",
        # Oracle's regex has no \p{...} (inside brackets a backslash is a literal)
        non_word="[^[:alnum:]_]",
        nul="chr",
        paramstyle="named",
        note="Oracle stores '' as NULL",
    ),
}

#: Other sqlglot dialects take the rules of their closest relative here.
ALIASES: dict[str, str] = {
    "mariadb": "mysql",
    "singlestore": "mysql",
    "starrocks": "mysql",
    "doris": "mysql",
    "hive": "spark",
    "spark2": "spark",
    "presto": "trino",
    "athena": "trino",
    "dune": "trino",
    "materialize": "postgres",
    "risingwave": "postgres",
    "fabric": "tsql",
}

#: Conservative ANSI rules for any other sqlglot dialect: LOWER + LIKE, IS NULL OR, no regex.
GENERIC = Caps("generic", "", paramstyle="qmark", note="ANSI fallback")


def caps_for(name: str) -> Caps | None:
    """The capabilities of dialect ``name`` (lower-case), or None if it is not a known name."""
    found = DIALECTS.get(name)
    if found is not None:
        return found
    base = ALIASES.get(name)
    if base is not None:
        from sqlglot.dialects.dialect import Dialect

        # render with the alias's own sqlglot dialect when sqlglot has one (not "mariadb")
        sqlglot = name if name in Dialect.classes else DIALECTS[base].sqlglot
        return replace(DIALECTS[base], name=name, sqlglot=sqlglot, tested="")
    return None
