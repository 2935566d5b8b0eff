"""matches() runs regexes on RE2 where the rewrite is exact, and means exactly what Python's re
means: a generated differential (case-sensitive and ignoring case, Unicode text) against
``re.search``, the engine choice pinned per pattern, and the fallback to Python's re."""

# ruff: noqa: RUF001  (the confusable letters are the point: Unicode case folding)
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mixfilter
from mixfilter import regex as regex_module
from mixfilter.regex import check_pattern, compiled

PIECES = [
    "a", "b", "k", "s", "é", "σ", "İ", "ß", "北", "\\n", " ", ".", "$", "^", "\\A", "\\Z",
    "\\b", "\\d", "\\w", "\\s", "\\W", "[a-c]", "[^s]", "[ς-σ]", "[\\d_]", "(a|b)", "a*",
    "b+", "s?", "x{0,2}", "\\.", "-", "(?i:k)", "(?:a{2})?", "(k|K)", "é?", "(?:b|[Ss])",
    "\\B", "ι",
]  # fmt: skip
ALPHABET = [
    "a", "A", "b", "k", "K", "\u212a", "s", "S", "ſ", "é", "É", "σ", "Σ", "ς", "İ", "i", "ı",
    "ß", "ẞ", "北", "٣", "1", "_", " ", "\n", "\r", "\xa0", ".", "-", "\u0345", "😀", "\U00010400",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=5),
    st.lists(st.text(st.sampled_from(ALPHABET), max_size=6), min_size=1, max_size=6),
    st.booleans(),
)
def test_same_answers_as_python_re(pieces: list[str], texts: list[str], cs: bool) -> None:
    pattern = "".join(pieces)
    try:
        check_pattern(pattern)
    except ValueError:
        return
    searcher = compiled(pattern, cs)
    python = re.compile(pattern, 0 if cs else re.IGNORECASE)
    for text in texts:
        assert bool(searcher.search(text)) == bool(python.search(text)), (pattern, cs, text)


@pytest.mark.parametrize(
    ("pattern", "engine"),
    [
        ("\\w+@", "re2"),
        ("a$", "re2"),
        ("^\\d{4}-\\d{2}$", "re2"),
        ("\\bword\\b", "re2"),  # \b at the ends: written without look-around
        ("(?i)ΟΔΟΣ", "re2"),
        ("x\\b-", "re"),  # \b mid-pattern: RE2 has no Unicode word boundary
        ("a$b", "re"),  # "$" followed by more pattern
    ],
)
def test_engine_choice(pattern: str, engine: str) -> None:
    assert compiled(pattern, True).engine == engine
    assert compiled(pattern, False).engine == engine


def test_long_text_is_linear() -> None:
    """On Python's re this search is quadratic: minutes for this text. RE2 takes milliseconds."""
    f = mixfilter.parse('body matches "\\\\w+@"')
    assert compiled("\\w+@", False).engine == "re2"
    assert not mixfilter.matches(f, {"body": "é" * 300_000})
    assert mixfilter.matches(f, {"body": "é" * 300_000 + "@"})


def test_lone_surrogates_fall_back_to_python() -> None:
    searcher = compiled("a.b", True)
    assert searcher.engine == "re2"
    assert searcher.search("a\ud800b")
    assert not searcher.search("a\ud800\ud800b")


def test_without_re2_python_re_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regex_module, "_re2", lambda translated: None)
    compiled.cache_clear()
    try:
        searcher = compiled("\\w+@", False)
        assert searcher.engine == "re"
        assert searcher.search("ÉÉ@") and not searcher.search("@")
    finally:
        compiled.cache_clear()
