"""Property tests over random filters: round trips, stability, and meaning kept by normalization."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mixfilter
from tests import naive
from tests.strategies import documents, raw_filters

_settings = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(raw_filters())
def test_json_and_text_round_trip(raw: Any) -> None:
    f = mixfilter.validate(raw)
    exact = json.dumps(f.to_json())  # JSON text tells 1, 1.0 and true apart; == on dicts does not
    assert mixfilter.validate(f.to_json()) == f
    assert json.dumps(mixfilter.validate(f.to_json()).to_json()) == exact
    assert mixfilter.validate(f.to_json(legacy=True)) == f
    text = mixfilter.to_text(f)
    assert mixfilter.parse(text) == f
    assert json.dumps(mixfilter.parse(text).to_json()) == exact
    assert mixfilter.to_text(mixfilter.parse(text)) == text  # printing is stable


@_settings
@given(raw_filters())
def test_normalization_is_idempotent(raw: Any) -> None:
    once = mixfilter.validate(raw)
    assert mixfilter.validate(once.to_json()).to_json() == once.to_json()


@_settings
@given(raw_filters(evaluable=True), st.lists(documents(), min_size=1, max_size=8))
def test_normalization_keeps_the_meaning(raw: Any, docs: list[dict[str, Any]]) -> None:
    f = mixfilter.validate(raw)
    for doc in docs:
        assert mixfilter.matches(f, doc) == naive.evaluate(raw, doc), (f.to_json(), doc)


# Filters are equal when they mean the same: true is not 1 (SPEC §5), 1 and 1.0 match alike.
EQUALITY = [
    ("a = true", "a = 1", False),
    ("a = false", "a = 0", False),
    ("a in [true, 2]", "a in [1, 2]", False),
    ("a = 1", "a = 1.0", True),
    ("a in [1, 2]", "a in [1.0, 2]", True),
    ("a = true", "a = true", True),
    ('a = "1"', "a = 1", False),
]


@pytest.mark.parametrize(("left", "right", "equal"), EQUALITY)
def test_equal_filters_mean_the_same(left: str, right: str, equal: bool) -> None:
    f, g = mixfilter.parse(left), mixfilter.parse(right)
    assert (f == g) is equal
    assert (f != g) is not equal
    if equal:
        assert hash(f) == hash(g)
    assert len({f, g}) == (1 if equal else 2)
