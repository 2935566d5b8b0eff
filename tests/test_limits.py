"""Limits: hostile sizes and depths get a FilterLimitError, never a RecursionError or a crash."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
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


@pytest.mark.parametrize(
    "text",
    [
        # A long run of whitespace before a token that does not fit: the hot-path lexer once
        # matched it with a nested repetition, (?:\s+)*, and backtracked exponentially (found by
        # atheris; 330 bytes took five minutes). These would never finish if that came back.
        "a = " + " " * 5_000 + "@",
        "a = 1 or `x` " + "\f" * 5_000 + "amicta",
        "(" + " \t\n" * 3_000 + ")" + " " * 3_000 + ")",
        "a in [" + "1, " * 2_000 + " " * 5_000 + "]]",
    ],
    ids=["before-bad-char", "form-feeds", "mixed-whitespace", "in-list"],
)
def test_long_whitespace_runs_fail_fast(text: str) -> None:
    with pytest.raises(mixfilter.FilterSyntaxError):
        mixfilter.parse(text)


def _compile_all(f: mixfilter.Filter) -> list[Any]:
    return [
        f.to_json(),
        mixfilter.to_text(f),
        mixfilter.to_sql(f, dialect="postgres"),
        mixfilter.to_sql(f, dialect="mysql", params=True, paramstyle="named"),
        mixfilter.to_mongo(f),
        mixfilter.matches(f, {"a3": 3, "b": "x", "c": "C3"}),
    ]


def test_threads_get_identical_results() -> None:
    texts = [f'a{i} = {i} and (b in ["x", "{i}"] or not c contains "{i}")' for i in range(200)]
    expected = [_compile_all(mixfilter.parse(t)) for t in texts]
    results: list[list[Any]] = [[] for _ in range(8)]

    def work(slot: int) -> None:
        limits = Limits(max_depth=20 + slot)  # a cache key of its own: every thread really parses
        for t in texts:
            f = mixfilter.parse(t, limits=limits)
            results[slot].append(_compile_all(mixfilter.validate(json.dumps(f.to_json()))))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


# Shapes whose text spends more syntax than the normalized filter has levels, or whose JSON
# spends a level on a condition's case setting: depth must count the same in both.
SHAPES = {
    "not over or": lambda t: f"not ({t} or x = 1)",
    "case group": lambda t: f"case sensitive (x = 1 and ({t}))",
    "nested and": lambda t: f"x = 1 and (y = 1 or ({t}))",
    "not not": lambda t: f"not ({t})",
}


@pytest.mark.parametrize("shape", list(SHAPES.values()), ids=list(SHAPES))
def test_depth_counts_the_same_in_text_and_json(shape: Any) -> None:
    limits = Limits(max_depth=12)
    text, f = "z = 1", mixfilter.parse("z = 1", limits=limits)
    while True:
        try:
            f = mixfilter.parse(shape(text), limits=limits)
        except FilterLimitError:
            break
        text = shape(text)
    assert mixfilter.parse(mixfilter.to_text(f), limits=limits) == f
    assert mixfilter.validate(f.to_json(), limits=limits) == f
    assert mixfilter.validate(f.to_json(legacy=True), limits=limits) == f
    flipped = {"field": "z", "value": 1, "case_sensitive": True}
    for _ in range(limits.max_depth - 2):
        flipped = {"NOT": [flipped]}
    g = mixfilter.validate(flipped, limits=limits)
    assert mixfilter.validate(g.to_json(), limits=limits) == g
    assert mixfilter.parse(g.to_text(), limits=limits) == g
    with pytest.raises(FilterLimitError):
        mixfilter.validate({"NOT": [flipped]}, limits=limits)


def test_max_depth_is_capped() -> None:
    from mixfilter.limits import MAX_DEPTH_CAP

    assert Limits(max_depth=MAX_DEPTH_CAP).max_depth == 100
    with pytest.raises(mixfilter.FilterOptionError, match="at most 100"):
        Limits(max_depth=MAX_DEPTH_CAP + 1)


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda: mixfilter.validate(deep_json(40)), "$" + ".AND[0]" * 32),
        (
            lambda: mixfilter.parse("a in [1, 2, 3]", limits=Limits(max_list_length=2)),
            "line 1, column 1",
        ),
        (lambda: mixfilter.parse("a = 1", limits=Limits(max_text_length=3)), ""),
        (
            lambda: mixfilter.validate(
                {"field": "a", "value": "x" * 20}, limits=Limits(max_string_length=5)
            ),
            "$.value",
        ),
    ],
)
def test_a_limit_error_says_where(call: Any, where: str) -> None:
    """``where`` is what the message says after "at" (found by review: JSON had no path)."""
    with pytest.raises(FilterLimitError) as info:
        call()
    assert info.value.where == where
    assert (f" at {where};" in str(info.value)) is bool(where)


# A copy of a filter (pickle, copy, deepcopy, model_copy) is checked again when used, within the
# limits the call gives: every function that takes a filter takes limits= for that (found by a
# bad-input hunt: matches, compile_predicate and to_text did not, so a copy of a filter parsed
# with raised limits could not be used with them at all).
_DEEP_LIMITS = Limits(max_depth=50)
_USES: list[tuple[str, Any]] = [
    ("matches", lambda f, limits: mixfilter.matches(f, {"a": 2}, **limits)),
    ("Filter.matches", lambda f, limits: f.matches({"a": 2}, **limits)),
    ("compile_predicate", lambda f, limits: mixfilter.compile_predicate(f, **limits)({"a": 2})),
    ("to_text", lambda f, limits: mixfilter.to_text(f, **limits)),
    ("Filter.to_text", lambda f, limits: f.to_text(**limits)),
    ("to_sql", lambda f, limits: mixfilter.to_sql(f, "sqlite", **limits)),
    ("to_mongo", lambda f, limits: mixfilter.to_mongo(f, **limits)),
]


@pytest.mark.parametrize("copy_of", ["pickle", "copy", "deepcopy", "model_copy"])
@pytest.mark.parametrize(("use", "call"), _USES, ids=[u for u, _ in _USES])
def test_a_copy_is_checked_within_the_limits_given(copy_of: str, use: str, call: Any) -> None:
    import copy
    import pickle

    original = mixfilter.parse("not " * 40 + "a = 1", limits=_DEEP_LIMITS)
    makers: dict[str, Callable[[], Any]] = {
        "pickle": lambda: pickle.loads(pickle.dumps(original)),
        "copy": lambda: copy.copy(original),
        "deepcopy": lambda: copy.deepcopy(original),
        "model_copy": original.model_copy,
    }
    copied = makers[copy_of]()
    assert copied == original
    with pytest.raises(FilterLimitError, match="max_depth=32"):
        call(copied, {})  # the default limits
    assert call(copied, {"limits": _DEEP_LIMITS}) == call(original, {})


@pytest.mark.parametrize(("use", "call"), _USES, ids=[u for u, _ in _USES])
def test_limits_of_the_wrong_type_are_refused_everywhere(use: str, call: Any) -> None:
    with pytest.raises(mixfilter.FilterOptionError, match=r"limits must be a mixfilter\.Limits"):
        call(mixfilter.parse("a = 1"), {"limits": {"max_depth": 50}})
