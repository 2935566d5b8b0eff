"""The compiler's fast sqlglot node constructors build exactly what sqlglot's constructors build."""

from __future__ import annotations

import pytest

import mixfilter
from mixfilter.targets.sql import compiler, nodes

FILTERS = [
    'a = "x" and (b >= 3 or c in ["p", null]) and not d < -2.5',
    'case sensitive (a != "x" or b not in [1, 2]) and c contains "50%"',
    'not (a matches "^x.$" or b text "deep learning") and c is null and d exists',
    "a > 1e300 and b = -1e-7 and c = true",
]


def test_fast_constructors_are_in_use() -> None:
    """With the pinned sqlglot the self-check passes, so the fast path really runs."""
    assert nodes.FAST
    assert vars(compiler)["node"] is nodes._fast


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite", "duckdb", "spark", "oracle"])
@pytest.mark.parametrize("text", FILTERS)
def test_same_sql_as_sqlglot_constructors(
    monkeypatch: pytest.MonkeyPatch, text: str, dialect: str
) -> None:
    fast = mixfilter.to_sql(text, dialect)
    fast_params = mixfilter.to_sql(text, dialect, params=True)
    monkeypatch.setattr(compiler, "node", nodes._standard)
    monkeypatch.setattr(compiler, "binary", nodes._standard_binary)
    monkeypatch.setattr(compiler, "unary", nodes._standard_unary)
    assert mixfilter.to_sql(text, dialect) == fast
    assert mixfilter.to_sql(text, dialect, params=True) == fast_params


def test_layout_check_catches_a_difference() -> None:
    """The import-time check compares attributes: a node missing a parent link is caught."""
    fast = nodes._sample(nodes._fast, nodes._fast_binary, nodes._fast_unary)
    standard = nodes._sample(nodes._standard, nodes._standard_binary, nodes._standard_unary)
    assert nodes._layout(fast) == nodes._layout(standard)
    broken = fast.this  # Not(...)
    broken.parent = None
    assert nodes._layout(fast) != nodes._layout(standard)
