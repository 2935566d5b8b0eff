"""Filter JSON with misspellings: rejected at the right path, with what was meant.

A group's unknown keys are shorthand conditions (``{"status": "active"}``), so a misspelt
reserved key must be caught before it silently becomes a condition nobody asked for.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

import mixfilter
from mixfilter import FilterLimitError, FilterValidationError, Limits

_ONE = [{"field": "status", "value": "active"}]

MISSPELT_KEYS: list[tuple[Any, list[tuple[str, str]]]] = [
    ({"AND": _ONE, "case_sensitve": True}, [("$.case_sensitve", "case_sensitive")]),
    ({"AND": _ONE, "sensitive": True}, [("$.sensitive", "case_sensitive")]),
    ({"AND": _ONE, "Case-Sensitive": False}, [('$["Case-Sensitive"]', "case_sensitive")]),
    (
        {"Field": "status", "Operator": "gt", "Value": 5},
        [("$.Field", "field"), ("$.Operator", "operator"), ("$.Value", "value")],
    ),
    ({"feild": "a", "valeu": 1}, [("$.feild", "field"), ("$.valeu", "value")]),
    ({"Key": "a", "Value": 1}, [("$.Key", "key"), ("$.Value", "value")]),
    ({"VALUE": 1}, [("$.VALUE", "value")]),
    ({"and": _ONE}, [("$.and", "AND")]),
    ({"ANDD": _ONE}, [("$.ANDD", "AND")]),
    ({"ANDs": _ONE}, [("$.ANDs", "AND")]),
    ({"OR_": _ONE}, [("$.OR_", "OR")]),
    ({"NOTT": {"field": "a", "value": 1}}, [("$.NOTT", "NOT")]),
    ({"OR": [{"NORR": _ONE}]}, [("$.OR[0].NORR", "NOR")]),
    # Qdrant's (and Elasticsearch's) logical keys
    ({"must": _ONE}, [("$.must", "AND")]),
    ({"should": _ONE, "must_not": _ONE}, [("$.should", "OR"), ("$.must_not", "NOT")]),
    ({"AND": [{"must_not": {"field": "a", "value": 1}}]}, [("$.AND[0].must_not", "NOT")]),
]


@pytest.mark.parametrize(("data", "problems"), MISSPELT_KEYS)
def test_misspelt_reserved_keys(data: Any, problems: list[tuple[str, str]]) -> None:
    with pytest.raises(FilterValidationError) as info:
        mixfilter.validate(data)
    found = [(p.path, p.suggestion) for p in info.value.problems]
    assert found == problems, str(info.value)


# Field names near a reserved word are still fields: only a group's structure says otherwise.
PLAIN_FIELDS: list[tuple[dict[str, Any], list[str]]] = [
    ({"notes": "x"}, ["notes"]),
    ({"keys": 1}, ["keys"]),
    ({"fields": "a"}, ["fields"]),
    ({"values": 2}, ["values"]),
    ({"ORG": "acme"}, ["ORG"]),
    ({"andrew": 1}, ["andrew"]),
    ({"status": "active", "value_count": 3}, ["status", "value_count"]),
    ({"AND": _ONE, "sensitivity": "high"}, ["status", "sensitivity"]),
    ({"must": "x", "should": 1}, ["must", "should"]),
    ({"must": {"type": "dynamic", "field": "INPUT.x"}}, ["must"]),
]


@pytest.mark.parametrize(("data", "fields"), PLAIN_FIELDS)
def test_fields_near_reserved_words_stay_fields(data: dict[str, Any], fields: list[str]) -> None:
    f = mixfilter.validate(data)
    assert [c.field for c in f.items] == fields  # type: ignore[union-attr]


def test_shorthand_conditions_count_against_max_conditions() -> None:
    many = {f"k{i}": i for i in range(10)}
    assert len(mixfilter.validate(many, limits=Limits(max_conditions=10)).items) == 10
    with pytest.raises(FilterLimitError, match="max_conditions"):
        mixfilter.validate(many, limits=Limits(max_conditions=5))


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"NOT": {"field": "a", "operator": "neq", "value": 1}}, "$.NOT.operator"),
        ({"NOR": {"field": "a", "operator": "neq", "value": 1}}, "$.NOR.operator"),
        ({"NOT": [{"field": "a", "operator": "neq", "value": 1}]}, "$.NOT[0].operator"),
        ({"AND": [{"NOT": {"field": 1}}]}, "$.AND[0].NOT.field"),
    ],
)
def test_a_single_not_object_keeps_its_own_path(data: Any, path: str) -> None:
    with pytest.raises(FilterValidationError) as info:
        mixfilter.validate(data)
    assert info.value.path == path, str(info.value)


# operator -> (the suggestion, a piece of the message or None)
OPERATOR_HINTS: list[tuple[str, str | None, str | None]] = [
    ("neq", "ne", None),
    ("$gte", "gte", None),
    ("equal", "eq", None),
    ("equals", "eq", None),
    ("===", "eq", None),
    ("not_equal", "ne", None),
    ("notequal", "ne", None),
    ("greater_than", "gt", None),
    ("greater_than_or_equal", "gte", None),
    ("less_than", "lt", None),
    ("lessthan", "lt", None),
    ("Less-Than-Or-Equal", "lte", None),
    ("~", "regex", None),
    ("=~", "regex", None),
    ("not_in", "nin", None),
    ("NOT IN", "nin", None),
    ("Starts-With", "starts_with", None),
    ("contain", "contains", None),
    ("not_contains", None, "wrap the condition in NOT"),
    ("not_starts_with", None, "there is no negated 'starts_with'"),
    ("not_regex", None, "wrap the condition in NOT"),
    ("not_exists", None, '"exists" with "value": false'),
    ("notexists", None, '"exists" with "value": false'),
    ("is_not_null", None, '"is_null" with "value": false'),
    ("not_null", None, '"is_null" with "value": false'),
    ("near", None, None),
    ("between", None, None),
]


@pytest.mark.parametrize(("op", "suggestion", "advice"), OPERATOR_HINTS)
def test_unknown_operator_hints(op: str, suggestion: str | None, advice: str | None) -> None:
    with pytest.raises(FilterValidationError) as info:
        mixfilter.validate({"field": "a", "operator": op, "value": 1})
    error = info.value
    assert error.path == "$.operator"
    assert error.suggestion == suggestion, str(error)
    if advice is not None:
        assert advice in str(error)
    assert f"unknown operator {op!r}" in str(error)


def test_a_python_tuple_is_a_list() -> None:
    f = mixfilter.validate({"field": "a", "operator": "in", "value": (1, 2)})
    assert f.to_json() == {"AND": [{"field": "a", "operator": "in", "value": [1, 2]}]}
    g = mixfilter.validate({"OR": ({"a": 1}, {"b": 2})})
    assert g == mixfilter.validate({"OR": [{"a": 1}, {"b": 2}]})
    with pytest.raises(FilterValidationError, match="takes one value, not a list"):
        mixfilter.validate({"field": "a", "operator": "eq", "value": (1, 2)})


@pytest.mark.parametrize("key", ["tags", "a b", 'say "hi"', "é", "back\\slash"])
def test_the_shorthand_list_hint_is_json_to_paste(key: str) -> None:
    """Found by review: the field was quoted the Python way ('a b'), which is no JSON."""
    with pytest.raises(FilterValidationError) as info:
        mixfilter.validate({key: ["x", "y"]})
    written = str(info.value).split("for a list write ", 1)[1].replace("[...]", '["x", "y"]')
    assert mixfilter.validate(json.loads(written)) == mixfilter.validate(
        {"field": key, "operator": "in", "value": ["x", "y"]}
    )


@pytest.mark.parametrize(
    ("text", "hinted"),
    [
        ("a = 1", True), ('status = "x" or b in [1]', True), ('{"AND": [', False), ("a =", False),
        ("", False), ("  ", False),  # empty text is valid expression text, and no hint
        ("a = 1 and " * 2000 + "{", False),
    ],
)  # fmt: skip
def test_expression_text_given_as_json_says_so(text: str, hinted: bool) -> None:
    with pytest.raises(FilterValidationError) as info:
        mixfilter.validate(text)
    assert ("this is expression text, not JSON: parse() reads it" in str(info.value)) is hinted


def test_the_expression_hint_does_not_load_lark() -> None:
    """The hint runs the stored parse tables only: validating JSON never imports Lark."""
    code = (
        "import sys, mixfilter\n"
        "for text in ['a = 1', 'a = 1 and b ==', 'x']:\n"
        "    try: mixfilter.validate(text)\n"
        "    except mixfilter.FilterValidationError: pass\n"
        "print('lark' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
