"""``regex`` on every SQL engine: Python's meaning, rewritten into each engine's regex dialect.

A table of patterns that differ between regex flavours (``$`` before a final newline, ``.``
and newlines, ``\\b``, ``\\Z``, Unicode ``\\d``/``\\w``/``\\s``, Python-only syntax) runs against
strings built to tell the flavours apart; the rows each engine returns must be the rows
``re.search`` accepts. A generated differential does the same for random patterns. Patterns a
flavour cannot express must raise FilterCompileError (pinned below), never return other rows.
"""

# ruff: noqa: RUF001  (the confusable letters are the point: Unicode case folding)
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mixfilter
from mixfilter import FilterCompileError
from mixfilter.regex import check_pattern
from mixfilter.regex_flavours import FLAVOURS, translate
from mixfilter.regex_flavours import spelled_out as _spelled
from tests.engines import SqlEngine
from tests.sql_support import run

STRINGS = [
    "a", "a\n", "a\nb", "a\rb", "a\u2028b", "ab", "b", "A", "\n", "",
    "word here", "x-word", "sword", "word_x", "wörd", "é", "É", "北京", "٣", "3", "²",
    "a b", "a\tb", "a\xa0b", "a\u3000b", "line1\nline2", "Trailing\n", "50% off", "a.b",
    "aaa", "xyz", "a\\b", "[a]", "a-b", "a^b", "a$b", "{x}", "€5", "İ", "ı", "ß", "ẞ", "ǅ", "ǆ",
    "ΟΔΟΣ", "οδος", "οδοσ", "ſtar", "star", "K", "k", "Σ",
    "aaaa", "aaaaaa", "caf", "cafe", "\u212a", "ſ", "\u0345", "a\u0345", "ι", "\U00010400",
    "\U00010428", "😀",
]  # fmt: skip

#: (pattern, engines that cannot express it: they must raise FilterCompileError; "engine:ci"
#: when only the case-insensitive form is refused)
PATTERNS: list[tuple[str, frozenset[str]]] = [
    (p, frozenset(no))
    for p, no in [
        ("a$", ()), ("g$", ()), ("^a$", ()), ("a\\Z", ()), ("\\Aa", ()), ("^line2", ()),
        ("a.b", ()), ("line1.line2", ()), ("(?s)a.b", ()), ("(?m)^line2", ()), ("(?m)1$", ()),
        ("\\bword\\b", ()), ("\\bword", ()), ("word\\b", ()),
        ("\\Bord", ("duckdb", "clickhouse", "spark")),
        ("x\\b-", ("duckdb", "clickhouse")),
        ("\\d", ()), ("^\\d+$", ()), ("\\d+%", ()), ("\\w+", ()), ("^\\w$", ()), ("\\W", ()),
        ("a\\sb", ()), ("a\\Sb", ()), ("[\\d\\s]", ()), ("[^\\w]", ()), ("[\\W]", ()),
        ("(?a)\\w", ()), ("(?a)^\\w+$", ()),
        ("a\\u0062", ()), ("\\x41", ()), ("\\N{LATIN SMALL LETTER E WITH ACUTE}", ()),
        ("a{,2}$", ()), ("a{2}", ()), ("a{1,3}?b", ()), ("(?x) a  b # comment", ()),
        ("a(?#note)b", ()), ("(?P<n>a)b", ()), ("(a|x)(b|y)", ()), ("a*?b", ()),
        ("\\.", ()), ("\\$", ()), ("\\^", ()), ("\\\\", ()), ("\\[a\\]", ()), ("[\\]a]", ()),
        ("[a\\-b]", ()), ("[\\^]", ()), ("\\{x\\}", ()), ("€", ()), ("[é-ë]", ()), ("北.", ()),
        ("a\\nb", ()), ("\\t", ()), ("[^a]", ()), ("^$", ()), ("\\n$", ()),
        ("οδος", ()), ("ΟΔΟΣ$", ()), ("^s", ()), ("k", ()), ("i", ()), ("İ", ()), ("[ς-σ]", ()),
        ("ǅ", ()), ("[^s]t", ()), ("a(?i:b)", ()), ("(?i)star", ()), ("ß", ()),
        # found by review: a quantified group holding one quantified item, RE2 folding single
        # characters of an alternation (1|[Kk] matched the Kelvin sign), ClickHouse's quantifier
        # after a raw non-ASCII letter, \B in the empty string, CPython's case rules for astral
        # letters in a class
        ("(?:a{2})?b", ()), ("^(?:a+)?$", ()), ("^(?:a{2})?$", ()), ("(?:a{3}){2}", ()),
        ("^(?:a{2})+$", ()), ("1|([Kk])", ()), ("1|(K|k)", ()), ("(?a)x|(k)", ()),
        ("(?a)x|(s)", ()), ("x|[sS]|ab", ()), ("café?", ()), ("😀?x", ()), ("a😀*", ()),
        ("é{0,3}", ()), ("\\B", ("duckdb", "clickhouse", "spark")), ("[\U00010400a]", ()),
        ("(?:\U00010400|😀)", ()), ("\\bι", ("duckdb:ci", "clickhouse:ci")),
        # repeats ended by a separator, and optional parts (accepted since a review)
        ("^(\\w+ )+\\w+$", ()), ("(\\d+%)+", ()), ("^[A-Z][a-z]+( [A-Z][a-z]+)*$", ()),
        ("^[-+]?[0-9]*\\.?[0-9]+$", ()), ("^(\\d+, )*\\d+$", ()),
        # a category with its complement: any character (refused before a bad-input hunt)
        ("a[\\s\\S]b", ()), ("^[\\s\\S]*2$", ()), ("[\\d\\D]", ()), ("a[\\W\\wx]", ()),
        ("[^\\s\\S]", ()), ("a[^\\d\\D]?b", ()), ("(?a)[\\w\\W]", ()),
    ]
]  # fmt: skip

EXECUTED: Counter[str] = Counter()


def _load(engine: SqlEngine) -> None:
    engine.load("rx", {"s": "text"}, [{"id": i, "s": s} for i, s in enumerate(STRINGS)])


def _want(pattern: str, case_sensitive: bool) -> list[int]:
    flags = 0 if case_sensitive else re.IGNORECASE
    return [i for i, s in enumerate(STRINGS) if re.search(pattern, s, flags)]


def _filter(pattern: str, case_sensitive: bool) -> dict[str, Any]:
    cond = {"field": "s", "operator": "regex", "value": pattern}
    return {"AND": [cond], "case_sensitive": case_sensitive}


CASES = [
    pytest.param(p, cs, no, id=f"{p!r}-{'cs' if cs else 'ci'}")
    for p, no in PATTERNS
    for cs in (True, False)
]


@pytest.mark.parametrize(("pattern", "case_sensitive", "unsupported"), CASES)
def test_regex_means_what_python_means(
    sql_engine: SqlEngine, pattern: str, case_sensitive: bool, unsupported: frozenset[str]
) -> None:
    if sql_engine.name == "spark":
        pytest.skip("Spark runs ~0.3 s per query: the table runs there in one query (below)")
    f = _filter(pattern, case_sensitive)
    mode = "cs" if case_sensitive else "ci"
    if sql_engine.name in unsupported or f"{sql_engine.name}:{mode}" in unsupported:
        with pytest.raises(FilterCompileError, match="regex"):
            mixfilter.to_sql(f, sql_engine.dialect)
        return
    _load(sql_engine)
    got = run(sql_engine, "rx", f)
    EXECUTED[sql_engine.name] += 1
    assert got == _want(pattern, case_sensitive), mixfilter.to_sql(f, sql_engine.dialect)


def test_the_whole_table_on_spark_in_one_query(spark_engine: SqlEngine) -> None:
    """Every pattern of the table, both case modes, as one column each of a single SELECT."""
    _load(spark_engine)
    columns, wanted, refused = [], [], 0
    for pattern, unsupported in PATTERNS:
        for cs in (True, False):
            f = _filter(pattern, cs)
            if {"spark", f"spark:{'cs' if cs else 'ci'}"} & unsupported:  # none today
                with pytest.raises(FilterCompileError, match="regex"):
                    mixfilter.to_sql(f, "spark")
                refused += 1
                continue
            columns.append(f"CASE WHEN {mixfilter.to_sql(f, 'spark')} THEN 1 ELSE 0 END")
            wanted.append((pattern, cs, _want(pattern, cs)))
    sql = f"SELECT id, {', '.join(columns)} FROM rx ORDER BY id"
    rows = spark_engine._fetch(sql, None)
    for k, (pattern, cs, want) in enumerate(wanted):
        got = [row[0] for row in rows if row[k + 1] == 1]
        assert got == want, (pattern, cs)
    EXECUTED["spark"] += len(wanted)


# --- the generated differential ------------------------------------------------------------------

PIECES = [
    "a", "b", "é", "北", "\\n", " ", ".", "$", "^", "\\A", "\\Z", "\\b", "\\d", "\\w", "\\s",
    "\\W", "[ab]", "[^a]", "[\\d_]", "(a|b)", "a*", "b+", "a?", "x{0,2}", "\\.", "-",
    "(?:a{2})?", "(k|K)", "é?", "(?:b|[Kk])",
]  # fmt: skip
ALPHABET = [
    "a",
    "b",
    "A",
    "é",
    "北",
    "٣",
    "1",
    "_",
    " ",
    "\n",
    "\r",
    "\xa0",
    ".",
    "-",
    "k",
    "\u212a",
]
EXAMPLES = {"spark": 10, "mariadb": 40, "postgres": 60, "clickhouse": 40}


def test_generated_patterns(sql_engine: SqlEngine) -> None:
    name = sql_engine.name

    @settings(
        max_examples=EXAMPLES.get(name, 80),
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4), min_size=3, max_size=3),
        st.lists(st.text(st.sampled_from(ALPHABET), max_size=5), min_size=1, max_size=8),
    )
    def check(patterns: list[list[str]], strings: list[str]) -> None:
        sql_engine.load("rxgen", {"s": "text"}, [{"id": i, "s": s} for i, s in enumerate(strings)])
        for pieces in patterns:
            pattern = "".join(pieces)
            try:
                check_pattern(pattern)
            except ValueError:
                continue  # the validator refuses it: not a filter anyone can write
            f = _filter(pattern, True)
            try:
                got = run(sql_engine, "rxgen", f)
            except FilterCompileError:
                EXECUTED[f"{name} (refused)"] += 1
                continue
            EXECUTED[name] += 1
            want = [i for i, s in enumerate(strings) if re.search(pattern, s)]
            assert got == want, (pattern, strings, mixfilter.to_sql(f, sql_engine.dialect))

    check()
    print(f"\n{name}: {EXECUTED[name]} generated regex filters executed")


# --- translation units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "flavour", "expected"),
    [
        ("k", "re2", "k"),
        ("(?i)k", "re2", "[Kk\u212a]"),
        ("(?i)σ", "are", "[Σςσ]"),
        ("(?i)[a-c]", "java", "[ABCabc]"),
        ("(?i)[^s]", "pcre", "[^Ssſ]"),
        ("a(?i:b)", "re2", "a(?:[Bb])"),
        ("a$", "re2", "a(?:\\n?\\z)"),
        ("a$", "are", "a(?=\\n?\\Z)"),
        ("a$", "pcre", "a(?=\\n?\\z)"),
        ("a.b", "are", "a[^\\n]b"),
        ("a\\Z", "re2", "a\\z"),
        ("a\\Z", "are", "a\\Z"),
        ("a{,2}", "java", "a{0,2}"),
        ("(?P<n>a)+?", "java", "(?:a)+"),
        ("(?x) a b", "re2", "ab"),
        ("a\\u0062", "pcre", "ab"),
        ("\\d", "re2", "[\\p{Nd}]"),
        ("\\w", "are", "[" + _spelled("word") + "]"),
        ("\\bab", "re2", "(?:\\A|[^\\p{L}\\p{N}_])ab"),
        ("[\\]^-]", "java", "[\\]\\^\\-]"),
        (" ", "re2", "\\x{20}"),
        ("\\n", "are", "\\u000a"),
    ],
)
def test_translation(pattern: str, flavour: str, expected: str) -> None:
    assert translate(pattern, flavour) == expected


def test_ignoring_case_is_spelled_out() -> None:
    assert translate("ab", "re2", ignore_case=True) == translate("(?i)ab", "re2") == "[Aa][Bb]"


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
def test_every_flavour_refuses_scoped_flags_other_than_i(flavour: str) -> None:
    with pytest.raises(Exception, match="scoped"):
        translate("a(?s:b)", flavour)


def test_no_cased_characters_beyond_the_scanned_range() -> None:
    import sys

    from mixfilter.regex_flavours import CASED_LIMIT

    for code in range(CASED_LIMIT, sys.maxunicode + 1):
        c = chr(code)
        assert c.lower() == c.upper() == c.casefold() == c, hex(code)


def test_python_classes_are_what_the_translation_assumes() -> None:
    """\\d is category Nd, \\w is letters, numbers and _, for the running Python (module docs)."""
    import sys
    import unicodedata

    word, digit = re.compile(r"\w"), re.compile(r"\d")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        category = unicodedata.category(ch)
        assert bool(word.match(ch)) == (category[0] in "LN" or ch == "_"), hex(code)
        assert bool(digit.match(ch)) == (category == "Nd"), hex(code)


# KAWI LETTER A and KAWI DIGIT ZERO, new in Unicode 15.0: unassigned to Python 3.11's tables
# (Unicode 14), a letter and a digit to the RE2 of DuckDB and ClickHouse, whose \p{L}, \p{N} and
# \p{Nd} follow a newer Unicode. PostgreSQL gets Python's classes spelled out, and MariaDB's
# PCRE2 and Spark's Java know no Unicode 15 here. Documented in docs/sql.md (difference 6).
_NEWER_THAN_PYTHON = ["x\U00011f04", "x\U00011f50"]
_NEWER_RE2 = frozenset({"duckdb", "clickhouse"})


@pytest.mark.skipif(
    unicodedata.category("\U00011f04") != "Cn", reason="this Python's Unicode knows Kawi"
)
def test_characters_newer_than_pythons_unicode(sql_engine: SqlEngine) -> None:
    rows = [{"id": i, "s": s} for i, s in enumerate(_NEWER_THAN_PYTHON, 1)]
    sql_engine.load("newer", {"s": "text"}, rows)
    cases: list[tuple[dict[str, Any], list[int]]] = [  # with what a newer-Unicode RE2 returns
        ({"field": "s", "operator": "regex", "value": "x\\w"}, [1, 2]),
        ({"field": "s", "operator": "regex", "value": "x\\d"}, [2]),
        ({"field": "s", "operator": "regex", "value": "x\\b"}, []),
        ({"field": "s", "operator": "text", "value": "x"}, []),
    ]
    for condition, newer in cases:
        f = {"AND": [condition], "case_sensitive": True}
        want = [r["id"] for r in rows if mixfilter.matches(f, r)]
        assert want != newer  # the characters do tell the two tables apart
        got = run(sql_engine, "newer", f)
        assert got == (newer if sql_engine.name in _NEWER_RE2 else want), condition
