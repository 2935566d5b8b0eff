"""Property tests over random filters: round trips, stability, and meaning kept by normalization."""

from __future__ import annotations

from typing import Any

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
    assert mixfilter.validate(f.to_json()) == f
    assert mixfilter.validate(f.to_json(legacy=True)) == f
    text = mixfilter.to_text(f)
    assert mixfilter.parse(text) == f
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
