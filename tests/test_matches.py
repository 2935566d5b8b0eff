"""The reference semantics (SPEC §5), one table per rule: (filter text, document, expected)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

import mixfilter
from mixfilter import FilterCompileError

Row = tuple[str, dict[str, Any], bool]


def check(rows: list[Row]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(
        ("text", "doc", "expected"), rows, ids=[f"{t} | {d}" for t, d, _ in rows]
    )


PATHS: list[Row] = [
    ('a.b = "x"', {"a": {"b": "x"}}, True),
    ('a.b = "x"', {"a": [{"b": "y"}, {"b": "x"}]}, True),  # through an array of objects
    ('a.b = "x"', {"a": [{"b": ["y", "x"]}]}, True),  # then any element of the array found
    ('a.b = "x"', {"a": [[{"b": "x"}]]}, False),  # arrays directly in arrays are not entered
    ('a.b = "x"', {"a": "x"}, False),
    ("a.b.c = 1", {"a": {"b": [{"c": 2}, {"c": 1}]}}, True),
    ("a.b exists", {"a": []}, False),
    ("a.b exists", {"a": [{}, {"b": None}]}, True),
    ("a.b = null", {"a": [{"b": 1}, {}]}, False),  # present in one element: not missing
    ("a.b = null", {"a": [{}]}, True),
]

ARRAYS: list[Row] = [
    ('tags = "ml"', {"tags": ["ai", "ml"]}, True),
    ('tags = "ml"', {"tags": []}, False),
    ('tags != "ml"', {"tags": ["ai", "ml"]}, False),
    ('tags != "ml"', {"tags": ["ai"]}, True),
    ('tags in ["x", "ai"]', {"tags": ["ai"]}, True),
    ('tags not in ["x", "ai"]', {"tags": ["ai", "b"]}, False),
    ("nums > 5", {"nums": [1, 9]}, True),
    ("nums < 0", {"nums": [1, 9]}, False),
    ('tags contains "ea"', {"tags": ["learn", 5]}, True),
    ('tags starts with "le"', {"tags": [1, "learn"]}, True),
    ("tags is null", {"tags": [1, None]}, True),
    ("tags = null", {"tags": []}, False),
]

CASE: list[Row] = [
    ('s = "active"', {"s": "ACTIVE"}, True),  # default: case-insensitive
    ('case sensitive (s = "active")', {"s": "ACTIVE"}, False),
    ('case sensitive (s != "active")', {"s": "ACTIVE"}, True),
    ('case sensitive (s in ["a"])', {"s": "A"}, False),
    ('s in ["a"]', {"s": "A"}, True),
    ('s not in ["a"]', {"s": "A"}, False),
    ('s contains "IV"', {"s": "active"}, True),
    ('case sensitive (s contains "IV")', {"s": "active"}, False),
    ('s starts with "ÜN"', {"s": "ünïcode"}, True),
    ('s ends with "É"', {"s": "josé"}, True),
    ('s matches "^act"', {"s": "ACTIVE"}, True),
    ('case sensitive (s matches "^act")', {"s": "ACTIVE"}, False),
    ('case sensitive (case insensitive (s = "a") and t = "B")', {"s": "A", "t": "B"}, True),
    ('case sensitive (case insensitive (s = "a") and t = "B")', {"s": "A", "t": "b"}, False),
    ('case sensitive (s > "a")', {"s": "B"}, False),  # ranges: code-point order always
    ('s > "a"', {"s": "B"}, False),
    ('case sensitive (not (s = "a"))', {"s": "A"}, True),
    ('case sensitive (b text "HELLO")', {"b": "hello world"}, True),  # text: always insensitive
]

TYPES: list[Row] = [
    ("age > 30", {"age": "40"}, False),
    ('age > "30"', {"age": 40}, False),
    ("v = 1", {"v": True}, False),
    ("v = true", {"v": 1}, False),
    ("v = 0", {"v": False}, False),
    ("v = 30", {"v": 30.0}, True),
    ("v = 30.0", {"v": 30}, True),
    ("v in [1]", {"v": 1.0}, True),
    ("v in [1]", {"v": True}, False),
    ('v = "1"', {"v": 1}, False),
    ("v > 0", {"v": True}, False),
    ('d > "2024-01-01"', {"d": "2024-06-30T00:00:00Z"}, True),
    ("d > 2024", {"d": "2025-01-01"}, False),
    ('v contains "1"', {"v": 100}, False),
]

MISSING_AND_NULL: list[Row] = [
    ("v = null", {"v": None}, True),
    ("v = null", {}, True),
    ("v = null", {"v": 0}, False),
    ("v != null", {}, False),
    ("v != null", {"v": None}, False),
    ("v != null", {"v": ""}, True),
    ("v != 1", {}, True),
    ("v != 1", {"v": None}, True),
    ("v not in [1]", {}, True),
    ("v not in [1]", {"v": None}, True),
    ("v in [1, null]", {}, True),
    ("v not in [1, null]", {}, False),
    ("not v = 1", {}, True),
    ("not (v = 1 or w = 2)", {"w": None}, True),
    ("v exists", {"v": None}, True),
    ("v exists", {}, False),
    ("v not exists", {}, True),
    ("v is null", {"v": None}, True),
    ("v is null", {}, False),
    ("v is not null", {}, True),
    ("v is not null", {"v": None}, False),
    ("v > 1", {"v": None}, False),
    ("v <= 1", {}, False),
    ('v contains ""', {}, False),
    ('v contains ""', {"v": None}, False),
    ('v matches "."', {}, False),
    ('v text "a"', {"v": None}, False),
]

OPERATORS: list[Row] = [
    ("v = 2", {"v": 2}, True),
    ("v != 2", {"v": 3}, True),
    ("v > 2", {"v": 2}, False),
    ("v >= 2", {"v": 2}, True),
    ("v < 2", {"v": 1.5}, True),
    ("v <= 2", {"v": 2.5}, False),
    ("v in [1, 2]", {"v": 2}, True),
    ("v not in [1, 2]", {"v": 3}, True),
    ('v contains "b"', {"v": "abc"}, True),
    ('v contains "%"', {"v": "50% off"}, True),
    ('v contains "_"', {"v": "ab"}, False),
    ('v starts with "ab"', {"v": "abc"}, True),
    ('v ends with "\\n"', {"v": "Trailing\n"}, True),
    ('v ends with "g"', {"v": "Trailing\n"}, False),
    ('v matches "\\\\d+%"', {"v": "50% off"}, True),
    ('v matches "b"', {"v": "abc"}, True),  # search, not match
    ('v = "line1"', {"v": "line1\nline2"}, False),
    ('v text "machine learning"', {"v": "Learning about Machine-learning"}, True),
    ('v text "learn"', {"v": "learning"}, False),
    ('v text "café zürich"', {"v": "Café owners in Zürich"}, True),
    ("v exists", {"v": 0}, True),
    ("v is null", {"v": 0}, False),
]

LOGIC: list[Row] = [
    ("a = 1 and b = 2", {"a": 1, "b": 2}, True),
    ("a = 1 and b = 2", {"a": 1, "b": 3}, False),
    ("a = 1 or b = 2", {"a": 0, "b": 2}, True),
    ("not (a = 1 or b = 2)", {"a": 0, "b": 0}, True),  # NOT = none of the items
    ("not (a = 1 or b = 2)", {"a": 1, "b": 0}, False),
    ("not (a = 1 and b = 2)", {"a": 1, "b": 0}, True),
    ("", {"anything": 1}, True),
    ("not ()", {"anything": 1}, False),
]


@check(PATHS)
def test_paths(text: str, doc: dict[str, Any], expected: bool) -> None:
    assert mixfilter.matches(text, doc) is expected


@check(ARRAYS)
def test_arrays_match_when_any_element_does(text: str, doc: dict[str, Any], expected: bool) -> None:
    assert mixfilter.matches(text, doc) is expected


@check(CASE)
def test_case_sensitivity_is_inherited(text: str, doc: dict[str, Any], expected: bool) -> None:
    assert mixfilter.matches(text, doc) is expected


@check(TYPES)
def test_no_type_coercion(text: str, doc: dict[str, Any], expected: bool) -> None:
    assert mixfilter.matches(text, doc) is expected


@check(MISSING_AND_NULL)
def test_missing_and_null(text: str, doc: dict[str, Any], expected: bool) -> None:
    assert mixfilter.matches(text, doc) is expected


@check(OPERATORS)
def test_each_operator(text: str, doc: dict[str, Any], expected: bool) -> None:
    assert mixfilter.matches(text, doc) is expected


@check(LOGIC)
def test_logic(text: str, doc: dict[str, Any], expected: bool) -> None:
    assert mixfilter.matches(text, doc) is expected


def test_condition_level_case_sensitive_from_the_sdk() -> None:
    f = {
        "AND": [{"case_sensitive": True, "field": "s", "operator": "eq", "value": "a"}],
        "case_sensitive": False,
    }
    assert not mixfilter.matches(f, {"s": "A"})
    assert mixfilter.matches(f, {"s": "a"})


def test_templates_need_bindings() -> None:
    f = mixfilter.parse("price <= {{INPUT.max_price}} and cat in {{INPUT.cats}}")
    with pytest.raises(FilterCompileError, match=r"INPUT\.max_price"):
        mixfilter.matches(f, {"price": 1})
    bindings = {"INPUT.max_price": 10, "inputs.cats": ["a"]}
    assert mixfilter.matches(f, {"price": 5, "cat": "A"}, bindings=bindings)
    assert not mixfilter.matches(f, {"price": 50, "cat": "a"}, bindings=bindings)
    with pytest.raises(FilterCompileError, match="not usable"):
        mixfilter.matches(f, {"price": 1}, bindings={"INPUT.max_price": 1, "INPUT.cats": "x"})
    dyn = {"field": "user", "value": {"type": "dynamic", "field": "inputs.user_id"}}
    assert mixfilter.matches(dyn, {"user": "u1"}, bindings={"inputs.user_id": "U1"})


def test_templates_in_lists_and_bindings_that_are_objects() -> None:
    f = {"field": "a", "operator": "in", "value": ["{{INPUT.x}}", "b"]}
    assert mixfilter.matches(f, {"a": "X1"}, bindings={"INPUT.x": "x1"})
    assert not mixfilter.matches(f, {"a": "z"}, bindings={"INPUT.x": "x1"})
    dynamic = {"type": "dynamic", "field": "q"}
    with pytest.raises(FilterCompileError, match="plain value"):
        mixfilter.matches({"field": "a", "value": "{{INPUT.x}}"}, {}, bindings={"INPUT.x": dynamic})


def test_compiled_predicate_is_reusable() -> None:
    check_doc = mixfilter.compile_predicate('a > 1 and tags contains "x"')
    assert [check_doc(d) for d in ({"a": 2, "tags": ["xy"]}, {"a": 0, "tags": ["x"]})] == [
        True,
        False,
    ]


def test_hand_built_filters_are_checked_before_matching() -> None:
    """A model made by its constructor is validated (and normalized) first, never run as is."""
    from mixfilter import Condition, Filter

    assert mixfilter.matches(Filter(OR=()), {}) is mixfilter.matches({"OR": []}, {}) is True
    with pytest.raises(mixfilter.FilterValidationError):
        mixfilter.matches(Filter(AND=(Condition(field="a", operator="regex", value="(a+)+$"),)), {})


def _foreign(value: Any) -> Any:
    """The same document in the other Python containers a document may come in: every object a
    read-only mapping (as RawBSONDocument is), every array a tuple."""
    if isinstance(value, dict):
        return MappingProxyType({k: _foreign(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_foreign(v) for v in value)
    return value


EVERY_ROW = PATHS + ARRAYS + CASE + TYPES + MISSING_AND_NULL + OPERATORS + LOGIC


@check(EVERY_ROW)
def test_any_mapping_is_an_object_and_a_tuple_an_array(
    text: str, doc: dict[str, Any], expected: bool
) -> None:
    # found by review: a nested mapping that was not a dict read as missing (m.b != 2 held)
    foreign = _foreign(doc)
    assert mixfilter.matches(text, foreign) is expected
    assert mixfilter.compile_predicate(text)(foreign) is expected
    assert mixfilter.compile_predicate(text)(dict(foreign)) is expected


def test_a_bson_document_is_read_as_its_json() -> None:
    bson = pytest.importorskip("bson")
    from bson.raw_bson import RawBSONDocument

    raw = RawBSONDocument(bson.encode({"a": 1, "m": {"b": 2}, "l": [{"b": 3}, {"b": 4}]}))
    for text, expected in [("m.b = 2", True), ("m.b != 2", False), ("l.b = 4", True)]:
        assert mixfilter.matches(text, raw) is expected
        assert mixfilter.compile_predicate(text)(raw) is expected
