"""to_mongo() output, without an engine: one table of filter -> query document per rule.

What the queries *select* is proven on a real wire-protocol server in test_mongo_engine.py and
test_mongo_differential.py; these tables pin the exact form, so a change of form is deliberate.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timezone
from typing import Any

import pytest

import mixfilter
from mixfilter import FilterCompileError, FilterError, FilterOptionError, FilterValidationError
from mixfilter.targets.mongo import (
    FALSE,
    escape,
    iso_datetime,
    negate,
    pcre_pattern,
    to_mongo,
    to_mongo_json,
)

Row = tuple[Any, dict[str, Any]]


def table(rows: list[Row]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("source", "expected"), rows, ids=[str(s) for s, _ in rows])


ci = "i"  # Mixpeek's default: case-insensitive (a user's regex keeps the i option)
# Ignoring case otherwise is spelled out, each letter as its cases (mixfilter.lowercase)
HELLO_WORLD = r"\A(?=[\s\S]*?\b[hH][eE][lL][lL][oO]\b)(?=[\s\S]*?\b[wW][oO][rR][lL][dD]\b)"

OPERATORS: list[Row] = [
    ('s = "Ab"', {"s": {"$regex": r"\A[aA][bB]\z"}}),
    ('case sensitive (s = "Ab")', {"s": "Ab"}),
    ("n = 3", {"n": 3}),
    ("n = 3.5", {"n": 3.5}),
    ("v = true", {"v": True}),
    ("n = null", {"n": None}),
    ("a.b = null", {"$or": [{"a.b": {"$exists": False}}, {"a.b": {"$type": "null"}}]}),
    ('s != "Ab"', {"s": {"$not": {"$regex": r"\A[aA][bB]\z"}}}),
    ('case sensitive (s != "Ab")', {"s": {"$ne": "Ab"}}),
    ("n != 3", {"n": {"$ne": 3}}),
    ("n != null", {"n": {"$ne": None}}),
    ("a.b != null", {"$nor": [{"a.b": {"$exists": False}}, {"a.b": {"$type": "null"}}]}),
    ("n > 1", {"n": {"$gt": 1}}),
    ("n >= 1.5", {"n": {"$gte": 1.5}}),
    ('s < "b"', {"s": {"$lt": "b"}}),  # ranges are always case-sensitive
    ('d <= "2024-01-15"', {"d": {"$lte": "2024-01-15"}}),  # dates stay strings by default
    ("n in [1, 2]", {"n": {"$in": [1, 2]}}),
    ("n in []", {"n": {"$in": []}}),
    ('s in ["A"]', {"s": {"$regex": r"\A[aA]\z"}}),
    ('s in ["A", "b.c"]', {"s": {"$regex": r"\A(?:[aA]|[bB]\.[cC])\z"}}),
    (
        's in ["A", 1, true, null]',
        {"$or": [{"s": {"$in": [1, True, None]}}, {"s": {"$regex": r"\A[aA]\z"}}]},
    ),
    ('case sensitive (s in ["A", null])', {"s": {"$in": ["A", None]}}),
    (
        "a.b in [1, null]",
        {"$or": [{"a.b": {"$in": [1]}}, {"a.b": {"$exists": False}}, {"a.b": {"$type": "null"}}]},
    ),
    ("n not in [1, 2]", {"n": {"$nin": [1, 2]}}),
    ("n not in [1, null]", {"n": {"$nin": [1, None]}}),
    ('s not in ["A"]', {"s": {"$not": {"$regex": r"\A[aA]\z"}}}),
    (
        's not in ["A", 1]',
        {"$nor": [{"s": {"$in": [1]}}, {"s": {"$regex": r"\A[aA]\z"}}]},
    ),
    ('s contains "a.b"', {"s": {"$regex": r"[aA]\.[bB]"}}),
    ('case sensitive (s contains "a")', {"s": {"$regex": "a"}}),
    ('s starts with "A"', {"s": {"$regex": r"\A[aA]"}}),
    ('s ends with "A"', {"s": {"$regex": r"[aA]\z"}}),
    ('s matches "^a+$"', {"s": {"$regex": "^a+$", "$options": ci}}),
    ('case sensitive (s matches "a")', {"s": {"$regex": "a"}}),
    ('s text "Hello"', {"s": {"$regex": r"\b[hH][eE][lL][lL][oO]\b"}}),
    (
        's text "hello, World hello"',
        {"s": {"$regex": HELLO_WORLD}},
    ),
    ('case sensitive (s text "Hello")', {"s": {"$regex": r"\b[hH][eE][lL][lL][oO]\b"}}),
    ("s exists", {"s": {"$exists": True}}),
    ("s not exists", {"s": {"$exists": False}}),
    ("s is null", {"s": {"$type": "null"}}),
    ("s is not null", {"s": {"$not": {"$type": "null"}}}),
    ("a.b.c > 1", {"a.b.c": {"$gt": 1}}),
    ("`my field` = 1", {"my field": 1}),
]

LOGIC: list[Row] = [
    ("", {}),
    ({}, {}),
    (None, {}),
    ({"NOT": [{}]}, FALSE),
    ("n = 1 and m = 2", {"n": 1, "m": 2}),  # distinct keys merge into one document
    ("n > 1 and n < 5", {"$and": [{"n": {"$gt": 1}}, {"n": {"$lt": 5}}]}),  # same key: kept apart
    ("n = 1 or m = 2", {"$or": [{"n": 1}, {"m": 2}]}),
    ("n = 1 or (m = 2 or k = 3)", {"$or": [{"n": 1}, {"m": 2}, {"k": 3}]}),
    ("not n > 1", {"n": {"$not": {"$gt": 1}}}),
    ("not (n = 1 or m = 2)", {"$nor": [{"n": 1}, {"m": 2}]}),
    ("not (n = 1 and m = 2)", {"$nor": [{"n": 1, "m": 2}]}),
    ("not n != 1", {"n": {"$eq": 1}}),
    ("not a.b != null", {"$or": [{"a.b": {"$exists": False}}, {"a.b": {"$type": "null"}}]}),
    ("not s is not null", {"s": {"$type": "null"}}),
    ("not s exists", {"s": {"$exists": False}}),
    ({"AND": [{"NOT": [{}]}, {"field": "n", "operator": "eq", "value": 1}]}, FALSE),
    ({"OR": [{"NOT": [{}]}, {"field": "n", "operator": "eq", "value": 1}]}, {"n": 1}),
    ({"NOT": [{"NOT": [{}]}]}, {}),
    (
        {"NOT": [{"field": "n", "operator": "gt", "value": 1}], "OR": [{"n": 2}, {"m": 3}]},
        {"n": {"$not": {"$gt": 1}}, "$or": [{"n": 2}, {"m": 3}]},  # several keys in one node: AND
    ),
    (  # case_sensitive inherits down to nested nodes until one sets it again
        {
            "case_sensitive": True,
            "AND": [
                {"s": "A"},
                {"OR": [{"t": "B"}, {"case_sensitive": False, "AND": [{"u": "C"}]}]},
            ],
        },
        {
            "s": "A",
            "$or": [{"t": "B"}, {"u": {"$regex": r"\A[cC]\z"}}],
        },
    ),
    (  # the Mixpeek SDK writes case_sensitive on every condition
        {"AND": [{"field": "s", "operator": "eq", "value": "A", "case_sensitive": True}]},
        {"s": "A"},
    ),
]


@table(OPERATORS + LOGIC)
def test_output(source: Any, expected: dict[str, Any]) -> None:
    got = to_mongo(source)
    assert got == expected
    assert json.loads(json.dumps(got)) == got  # plain JSON by default


HOSTILE_VALUES: list[Row] = [
    ('s = "$gt"', {"s": {"$regex": r"\A\$[gG][tT]\z"}}),
    ('case sensitive (s = "$where")', {"s": "$where"}),
    ('case sensitive (s in ["$gt", "$ne"])', {"s": {"$in": ["$gt", "$ne"]}}),
    ('s contains ".*"', {"s": {"$regex": r"\.\*"}}),
    ('s = "a\\nb"', {"s": {"$regex": r"\A[aA]\x0a[bB]\z"}}),
    ('s = "a\\u0000b"', {"s": {"$regex": r"\A[aA]\x00[bB]\z"}}),
    (
        's = "(^[x]{1}|y)+?\\\\"',
        {"s": {"$regex": r"\A\(\^\[[xX]\]\{1\}\|[yY]\)\+\?\\\z"}},
    ),
]


@table(HOSTILE_VALUES)
def test_values_never_become_operators(source: Any, expected: dict[str, Any]) -> None:
    assert to_mongo(source) == expected


@pytest.mark.parametrize(
    "value",
    [{"$where": "sleep(1000)"}, {"$gt": 1}, {"$expr": {"$eq": [1, 1]}}, [{"$ne": None}]],
    ids=str,
)
def test_dict_values_are_rejected(value: Any) -> None:
    with pytest.raises(FilterValidationError):
        to_mongo({"field": "s", "operator": "eq", "value": value})


@pytest.mark.parametrize(
    "field", ["$where", "a.$b", "$", "a.$", "a.$[]", "x.$**", "a\x00b"], ids=repr
)
def test_fields_mongo_cannot_take(field: str) -> None:
    with pytest.raises(FilterCompileError, match="field") as info:
        to_mongo({"field": field, "operator": "eq", "value": 1})
    assert info.value.target == "MongoDB"


@pytest.mark.parametrize("field", ["a..b", ".a", "a."], ids=repr)
def test_empty_segments_are_rejected(field: str) -> None:
    with pytest.raises(FilterError):
        to_mongo({"field": field, "operator": "eq", "value": 1})


@pytest.mark.parametrize("field", ["price$", "a$b.c", "é.ü", "my field", "_id"], ids=repr)
def test_fields_mongo_can_take(field: str) -> None:
    assert to_mongo({"field": field, "operator": "eq", "value": 1}) == {field: 1}


ALLOWED = {
    "$and", "$or", "$nor", "$not", "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin",
    "$regex", "$options", "$exists", "$type",
}  # fmt: skip


def operators_in(query: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(query, dict):
        for key, value in query.items():
            if key.startswith("$"):
                found.add(key)
            found |= operators_in(value)
    elif isinstance(query, list):
        for item in query:
            found |= operators_in(item)
    return found


def test_every_operator_is_one_the_compiler_chose() -> None:
    seen: set[str] = set()
    for source, _ in OPERATORS + LOGIC + HOSTILE_VALUES:
        seen |= operators_in(to_mongo(source))
    assert seen <= ALLOWED
    assert seen == ALLOWED  # and the tables exercise every one of them


# --- templates and dynamic values ------------------------------------------------------------


def test_templates_need_bindings() -> None:
    with pytest.raises(FilterCompileError, match=r"INPUT\.max_price") as info:
        to_mongo("price <= {{INPUT.max_price}}")
    assert info.value.target == "MongoDB"
    assert to_mongo("price <= {{INPUT.max_price}}", bindings={"INPUT.max_price": 9}) == {
        "price": {"$lte": 9}
    }


def test_dynamic_values_need_bindings() -> None:
    f = {"field": "user", "operator": "eq", "value": {"type": "dynamic", "field": "inputs.uid"}}
    with pytest.raises(FilterCompileError, match=r"inputs\.uid"):
        to_mongo(f)
    assert to_mongo(f, bindings={"inputs.uid": 7}) == {"user": 7}


def test_bound_values_are_checked_and_stay_values() -> None:
    f = "s = {{INPUT.x}}"
    assert to_mongo(f, bindings={"INPUT.x": "$gt"}) == {"s": {"$regex": r"\A\$[gG][tT]\z"}}
    with pytest.raises(FilterError):
        to_mongo(f, bindings={"INPUT.x": {"$where": "1"}})
    with pytest.raises(FilterCompileError):
        to_mongo(f, bindings={"INPUT.x": {"type": "dynamic", "field": "inputs.y"}})
    assert to_mongo("n in {{INPUT.ids}}", bindings={"INPUT.ids": [1, 2]}) == {"n": {"$in": [1, 2]}}


# --- dates ------------------------------------------------------------------------------------

UTC = timezone.utc
DATES: list[tuple[str, datetime | None]] = [
    ("2024-01-15", datetime(2024, 1, 15, tzinfo=UTC)),
    ("2024-01-15T10:30:00Z", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
    ("2024-01-15 10:30", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
    ("2024-01-15T10:30:00+05:30", datetime(2024, 1, 15, 5, 0, tzinfo=UTC)),
    ("2024-01-15T10:30:00-0100", datetime(2024, 1, 15, 11, 30, tzinfo=UTC)),
    ("2024-01-15T10:30:00.5+02", datetime(2024, 1, 15, 8, 30, 0, 500000, tzinfo=UTC)),
    ("2024-01-15T10:30:00.1234567Z", datetime(2024, 1, 15, 10, 30, 0, 123456, tzinfo=UTC)),
    ("2024-02-30", None),
    ("2024-01-15T25:00", None),
    ("2024-01-15T10:30+24:00", None),
    ("15/01/2024", None),
    ("2024-01-15x", None),
]


@pytest.mark.parametrize(("text", "expected"), DATES, ids=[d for d, _ in DATES])
def test_iso_datetime(text: str, expected: datetime | None) -> None:
    assert iso_datetime(text) == expected


def test_bson_dates_past_the_datetime_range() -> None:
    """An offset can move a valid time past year 9999 (or before year 1) in UTC: it is a BSON
    date in milliseconds, not an OverflowError (found by review)."""
    from bson.datetime_ms import DatetimeMS

    hour = 3_600_000
    last_ms = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z, the last millisecond datetime has
    first_ms = -62_135_596_800_000  # 0001-01-01T00:00:00Z
    late, early = "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"
    assert iso_datetime(late) == DatetimeMS(last_ms - 999 + hour)
    assert iso_datetime(early) == DatetimeMS(first_ms - hour)
    assert to_mongo(f"d > {late} and e in [{early}, 1]", bson_dates=True) == {
        "d": {"$gt": DatetimeMS(last_ms - 999 + hour)},
        "e": {"$in": [DatetimeMS(first_ms - hour), 1]},
    }
    text = to_mongo_json(to_mongo(f"d > {late}", bson_dates=True), indent=None)
    assert text == '{"d": {"$gt": {"$date": {"$numberLong": "253402304399000"}}}}'
    # at the edge, still a datetime
    assert iso_datetime("9999-12-31T22:59:59.999-01:00") == datetime(
        9999, 12, 31, 23, 59, 59, 999_000, tzinfo=UTC
    )


def test_bson_dates_on_request() -> None:
    f = 'd >= "2024-01-15" and d < "2024-02-01T00:00:00Z" and e in ["2024-01-15", 3] and s = "x"'
    jan15, feb1 = datetime(2024, 1, 15, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC)
    assert to_mongo(f, bson_dates=True) == {
        "$and": [{"d": {"$gte": jan15}}, {"d": {"$lt": feb1}}],
        "e": {"$in": [jan15, 3]},
        "s": {"$regex": r"\A[xX]\z"},
    }
    # A date under case-insensitive eq is a date, not a regex; contains stays a string match.
    assert to_mongo('d = "2024-01-15" and d contains "2024"', bson_dates=True) == {
        "$and": [{"d": jan15}, {"d": {"$regex": "2024"}}]
    }


def test_json_text() -> None:
    assert to_mongo_json(to_mongo("n = 1"), indent=None) == '{"n": 1}'
    expected = '{"s": {"$regex": "\\\\A[éÉ]\\\\z"}}'
    assert to_mongo_json(to_mongo('s = "é"'), indent=None) == expected
    assert to_mongo_json({"n": 1}) == '{\n  "n": 1\n}'
    text = to_mongo_json(to_mongo('d >= "2024-01-15"', bson_dates=True), indent=None)
    assert json.loads(text) == {"d": {"$gte": {"$date": "2024-01-15T00:00:00Z"}}}
    from bson import json_util

    assert json_util.loads(text) == {"d": {"$gte": datetime(2024, 1, 15)}}
    with pytest.raises(FilterOptionError):
        to_mongo_json("n = 1")  # type: ignore[arg-type]
    assert mixfilter.to_mongo_json is to_mongo_json  # documented beside to_mongo


_circular: dict[str, Any] = {}
_circular["a"] = _circular


@pytest.mark.parametrize(
    ("query", "options", "message"),
    [
        ({"n": 1}, {"indnt": 2}, "unknown option 'indnt'; did you mean 'indent'?"),
        ({"n": 1}, {"bogus": 1}, "unknown option 'bogus'; it takes indent"),
        ({"n": 1}, {"indent": 1.5}, "indent must be a number of spaces (0 or more) or None"),
        ({"n": 1}, {"indent": True}, "indent must be a number of spaces (0 or more) or None"),
        ({"n": 1}, {"indent": -1}, "indent must be a number of spaces (0 or more) or None"),
        ({"n": object()}, {}, "neither JSON nor MongoDB Extended JSON can write"),
        ({(1,): 1}, {}, "neither JSON nor MongoDB Extended JSON can write"),
        (_circular, {}, "neither JSON nor MongoDB Extended JSON can write"),
    ],
)
def test_json_text_refuses_bad_options_and_queries(
    query: Any, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(FilterOptionError) as caught:
        to_mongo_json(query, **options)
    assert message in str(caught.value)


# --- options and import cost ------------------------------------------------------------------


def test_unknown_options() -> None:
    with pytest.raises(FilterOptionError, match="bindings"):
        to_mongo("n = 1", binding={})
    with pytest.raises(FilterOptionError, match="bson_dates"):
        to_mongo("n = 1", bson_date=True)


def test_public_entry_point() -> None:
    assert mixfilter.to_mongo("n = 1") == {"n": 1}
    assert mixfilter.to_mongo(mixfilter.parse("n = 1")) == {"n": 1}
    assert mixfilter.to_mongo('{"AND": [{"field": "n", "value": 1}]}') == {"n": 1}


def test_import_does_not_load_pymongo_or_bson() -> None:
    code = (
        "import sys, mixfilter; q = mixfilter.to_mongo('n = 1 and d > \"2024-01-01\"', "
        "bson_dates=True); print(sorted(m for m in ('bson', 'pymongo') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- building blocks --------------------------------------------------------------------------

ESCAPES: list[tuple[str, str]] = [
    ("abc", "abc"),
    ("a.b", r"a\.b"),
    ("^$*+?()[]{}|\\/", r"\^\$\*\+\?\(\)\[\]\{\}\|\\\/"),
    ("a b-c#d&e~f", r"a\ b\-c\#d\&e\~f"),
    ("\n\t\x00\x7f", r"\x0a\x09\x00\x7f"),
    ("é東🚀", "é東🚀"),
    ("\\d1", r"\\d1"),
]


@pytest.mark.parametrize(("text", "expected"), ESCAPES, ids=[repr(t) for t, _ in ESCAPES])
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected
    assert re.fullmatch(expected, text)  # a literal in Python's re (and, by construction, PCRE)


PATTERNS: list[tuple[str, str]] = [
    ("abc", "abc"),
    (r"a\Z", r"a\z"),
    (r"a\\Z", r"a\\Z"),  # an escaped backslash, then a letter
    (r"[\]Z]\Z", r"[\]Z]\z"),
    (r"[]\Z]", r"[]\Z]"),  # inside a class the walker leaves escapes alone
    (r"\u00e9\U0001F680", "é🚀"),
    (r"\u002e", r"\."),
    (r"\N{LATIN SMALL LETTER E WITH ACUTE}", "é"),
    ("a{,3}", "a{0,3}"),
    ("a{2,3}b{,}", "a{2,3}b{,}"),
    ("[{,3}]", "[{,3}]"),
    # MongoDB refuses a pattern holding a NUL byte: a raw or escaped U+0000 becomes \x00
    ("a\x00", r"a\x00"),
    ("\x00", r"\x00"),
    ("[\x00]b", r"[\x00]b"),
    ("[^\x00]", r"[^\x00]"),
    ("a\\\x00", r"a\x00"),  # backslash, NUL: an escaped NUL is a NUL
    ("\x001", r"\x001"),  # \x takes two hex digits: NUL, then "1"
    (r"\u0000", r"\x00"),
    # the u flag changes nothing in a Python str pattern, and PCRE does not know it (found by
    # review: "(?u)a" went to MongoDB as written)
    ("(?u)a", "a"),
    ("(?iu)a", "(?i)a"),
    ("(?i)(?u)a", "(?i)a"),
    ("(?u:a)b", "(?:a)b"),
    ("(?iu-s:a)", "(?i-s:a)"),
    ("[(?u)]", "[(?u)]"),
    (r"\(?u)", r"\(?u)"),
    ("(?P<u>x)(?:u)(?#u)", "(?P<u>x)(?:u)(?#u)"),
    ("a{65535}b{2,65535}c{,65535}", "a{65535}b{2,65535}c{0,65535}"),
    ("[a{70000}]", "[a{70000}]"),
]


@pytest.mark.parametrize("pattern", ["a{65536}", "a{2,70000}", "a{70000,}", "a{,70000}"])
def test_a_count_pcre_refuses_is_a_compile_error(pattern: str) -> None:
    # PCRE's largest count is 65,535; MongoDB would refuse the query (found by review)
    with pytest.raises(FilterCompileError, match="MongoDB's PCRE refuses a count above 65,535"):
        to_mongo({"field": "a", "operator": "regex", "value": pattern})


@pytest.mark.parametrize(("pattern", "expected"), PATTERNS, ids=[repr(p) for p, _ in PATTERNS])
def test_pcre_pattern(pattern: str, expected: str) -> None:
    assert pcre_pattern(pattern) == expected
    assert "\x00" not in pcre_pattern(pattern)


NUL_DOCS: list[dict[str, Any]] = [
    {"id": 1, "s": "a\x00b"},
    {"id": 2, "s": "ab"},
    {"id": 3, "s": "A\x00"},
    {"id": 4, "s": "\x001"},
    {"id": 5, "s": ["x", "b\x00"]},
]
NUL_FILTERS: list[dict[str, Any]] = [
    {"field": "s", "operator": "regex", "value": "a\x00"},
    {"field": "s", "operator": "regex", "value": "[\x00]b"},
    {"field": "s", "operator": "regex", "value": "\x001"},
    {"field": "s", "operator": "regex", "value": "^[^\x00]*$"},
    {"field": "s", "operator": "regex", "value": "a\\\x00"},
    {"field": "s", "operator": "regex", "value": "\x00$"},
    {"AND": [{"field": "s", "operator": "regex", "value": "a\x00"}], "case_sensitive": True},
    {"NOT": [{"field": "s", "operator": "regex", "value": "\x00"}]},
]


@pytest.mark.parametrize("f", NUL_FILTERS, ids=[repr(f) for f in NUL_FILTERS])
def test_nul_in_regex_on_the_engine(mongo_engine: Any, f: dict[str, Any]) -> None:
    """Patterns holding U+0000 select what matches() selects, on a real server (SecantusDB).

    SecantusDB takes a raw NUL in ``$regex`` where MongoDB refuses it ("Regular expression cannot
    contain an embedded null byte"), so the query itself is checked for NUL bytes too."""
    query = to_mongo(f)
    assert "\x00" not in json.dumps(query, ensure_ascii=False)
    mongo_engine.load("nul", NUL_DOCS)
    check = mixfilter.compile_predicate(f)
    assert mongo_engine.find_ids("nul", query) == [d["id"] for d in NUL_DOCS if check(d)], query


@pytest.mark.parametrize(
    "field", ["a." + "x" * 9000 + ".$b", "$" + "x" * 9000, "a." + "x" * 9000 + "\x00"]
)
def test_path_errors_quote_a_bounded_slice(field: str) -> None:
    with pytest.raises(FilterCompileError) as info:
        to_mongo({"field": field, "operator": "eq", "value": 1})
    assert len(str(info.value)) < 300


NEGATIONS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"a": 1}, {"a": {"$ne": 1}}),
    ({"a": {"$in": [1]}}, {"a": {"$nin": [1]}}),
    ({"a": {"$gt": 1}}, {"a": {"$not": {"$gt": 1}}}),
    ({"a": {"$regex": "x", "$options": "i"}}, {"a": {"$not": {"$regex": "x", "$options": "i"}}}),
    ({"a": {"$not": {"$gt": 1}}}, {"a": {"$gt": 1}}),
    ({"a": {"$exists": True}}, {"a": {"$exists": False}}),
    ({"a": {"$gt": 1, "$lt": 3}}, {"$nor": [{"a": {"$gt": 1, "$lt": 3}}]}),
    ({"a": 1, "b": 2}, {"$nor": [{"a": 1, "b": 2}]}),
    ({"$or": [{"a": 1}, {"b": 2}]}, {"$nor": [{"a": 1}, {"b": 2}]}),
    ({"$nor": [{"a": 1}]}, {"a": 1}),
    ({}, FALSE),
    (FALSE, {}),
]


@pytest.mark.parametrize(("query", "expected"), NEGATIONS, ids=[str(q) for q, _ in NEGATIONS])
def test_negate(query: dict[str, Any], expected: dict[str, Any]) -> None:
    assert negate(query) == expected


DOTS = "." * 9000  # each escaped: 18,000 bytes


@pytest.mark.parametrize(
    "cond",
    [
        {"field": "s", "operator": "eq", "value": "a" * 5000},
        {"field": "s", "operator": "contains", "value": "b" * 5000},
        {"field": "s", "operator": "text", "value": "c" * 5000},
        {"field": "s", "operator": "in", "value": ["x", "d" * 5000]},
        {"field": "s", "operator": "in", "value": ["d" * 5000, "x"]},
        {"case_sensitive": True, "AND": [{"field": "s", "operator": "contains", "value": DOTS}]},
    ],
    ids=["eq", "contains", "text", "in", "in, long first", "escaped"],
)
def test_a_pattern_mongod_would_refuse_is_refused_with_a_reason(cond: dict[str, Any]) -> None:
    with pytest.raises(FilterCompileError, match="MongoDB refuses patterns over 16,384"):
        to_mongo(cond)
    assert to_mongo({"field": "s", "operator": "eq", "value": "a" * 4000})  # 16,004 bytes: fits


def test_bound_values_follow_the_limits_given() -> None:
    """As to_sql does (found by review: to_mongo checked bound values by the default limits)."""
    from mixfilter import FilterLimitError, Limits
    from mixfilter.targets.sql import to_sql

    bindings = {"INPUT.x": list(range(10))}
    for compile_ in (to_mongo, to_sql):
        with pytest.raises(FilterLimitError, match="max_list_length=3"):
            compile_("a in {{INPUT.x}}", bindings=bindings, limits=Limits(max_list_length=3))
    assert to_mongo("a in {{INPUT.x}}", bindings=bindings) == {"a": {"$in": list(range(10))}}
