"""Limits: hostile sizes and depths get a FilterLimitError, never a RecursionError or a crash."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

import mixfilter
from mixfilter import FilterLimitError, Limits


def deep_json(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"field": "a", "value": 1}
    for _ in range(depth):  # built iteratively: no recursion to make it
        node = {"AND": [node]}
    return node


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_parentheses_are_rejected(depth: int) -> None:
    with pytest.raises(FilterLimitError) as info:
        mixfilter.parse("(" * depth + "a = 1" + ")" * depth, limits=Limits(max_text_length=10**6))
    assert info.value.limit == "max_depth"


def test_long_not_chain_is_rejected() -> None:
    with pytest.raises(FilterLimitError, match="max_depth"):
        mixfilter.parse("not " * 20_000 + "a = 1")


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_json_is_rejected(depth: int) -> None:
    with pytest.raises(FilterLimitError, match="max_depth"):
        mixfilter.validate(deep_json(depth))


def test_deep_json_text_is_rejected_before_json_loads() -> None:
    text = '{"AND": [' * 100_000 + "{}" + "]}" * 100_000
    with pytest.raises(FilterLimitError):
        mixfilter.validate(text, limits=Limits(max_text_length=10_000_000))


def test_depth_at_the_limit_works() -> None:
    limits = Limits(max_depth=32)
    text = "a = 0"
    for i in range(31):  # alternate operators so nothing flattens away
        text = f"({text}) {'and' if i % 2 else 'or'} a = {i}"
    f = mixfilter.parse(text, limits=limits)
    assert mixfilter.validate(f.to_json(), limits=limits) == f
    assert mixfilter.parse(mixfilter.to_text(f), limits=limits) == f
    mixfilter.matches(f, {"a": 3})


@pytest.mark.parametrize(
    ("limit", "call"),
    [
        (
            "max_text_length",
            lambda: mixfilter.parse("a = 1 " + " " * 200, limits=Limits(max_text_length=100)),
        ),
        (
            "max_conditions",
            lambda: mixfilter.validate(
                {"AND": [{"field": "a", "value": i} for i in range(11)]},
                limits=Limits(max_conditions=10),
            ),
        ),
        (
            "max_list_length",
            lambda: mixfilter.validate(
                {"field": "a", "operator": "in", "value": list(range(11))},
                limits=Limits(max_list_length=10),
            ),
        ),
        (
            "max_string_length",
            lambda: mixfilter.validate(
                {"field": "a", "value": "x" * 11}, limits=Limits(max_string_length=10)
            ),
        ),
        (
            "max_regex_length",
            lambda: mixfilter.validate(
                {"field": "a", "operator": "regex", "value": "a" * 11},
                limits=Limits(max_regex_length=10),
            ),
        ),
        ("max_depth", lambda: mixfilter.validate(deep_json(4), limits=Limits(max_depth=3))),
    ],
)
def test_each_limit(limit: str, call: Any) -> None:
    with pytest.raises(FilterLimitError) as info:
        call()
    assert info.value.limit == limit
    assert limit in str(info.value)


def test_text_limits_apply_to_conditions_lists_and_strings() -> None:
    with pytest.raises(FilterLimitError, match="max_conditions"):
        mixfilter.parse(" or ".join(["a = 1"] * 11), limits=Limits(max_conditions=10))
    with pytest.raises(FilterLimitError, match="max_list_length"):
        mixfilter.parse(f"a in {list(range(11))}", limits=Limits(max_list_length=10))
    with pytest.raises(FilterLimitError, match="max_string_length"):
        mixfilter.parse(f'a = "{"x" * 11}"', limits=Limits(max_string_length=10))


def test_default_limits_can_be_changed_globally() -> None:
    previous = mixfilter.set_default_limits(max_depth=2)
    try:
        with pytest.raises(FilterLimitError):
            mixfilter.validate(deep_json(3))
    finally:
        mixfilter.set_default_limits(previous)
    mixfilter.validate(deep_json(3))


def test_threads_get_identical_results() -> None:
    texts = [f'a{i} = {i} and (b in ["x", "{i}"] or not c contains "{i}")' for i in range(200)]
    expected = [mixfilter.parse(t).to_json() for t in texts]
    results: list[list[Any]] = [[] for _ in range(8)]

    def work(slot: int) -> None:
        for t in texts:
            f = mixfilter.parse(t, limits=Limits(max_depth=31))  # distinct cache key: real parses
            results[slot].append(mixfilter.validate(json.dumps(f.to_json())).to_json())

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)
