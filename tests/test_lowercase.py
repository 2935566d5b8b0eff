"""mixfilter.lowercase: ignoring case as str.lower() does, spelled as regex classes."""

# ruff: noqa: RUF001  (the confusable letters are the point)
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixfilter import lowercase
from mixfilter.lowercase import lower_table, spell_lower, spell_lower_word

LETTERS = [
    "a", "A", "k", "K", "\u212a", "s", "S", "ſ", "µ", "μ", "Μ", "β", "ϐ", "ß", "ẞ", "σ", "ς",
    "Σ", "ǅ", "ǆ", "Ǆ", "Ⱥ", "ⱥ", "в", "ᲀ", "ι", "\u0345", "i", "I", "ı", "é", "É", "\U00010400",
    "\U00010428", "1", "_", ".", "[", "\\", "-", " ",
]  # fmt: skip
TABLE = lower_table({ord(ch): "\\" + ch for ch in "\\.^$*+?()[]{}|-"})


def test_no_character_past_the_table_has_another_case() -> None:
    assert all(chr(c).lower() == chr(c) for c in range(lowercase._CASED_END, 0x110000))


@given(st.text(st.sampled_from(LETTERS), max_size=5), st.text(st.sampled_from(LETTERS), max_size=5))
def test_the_pattern_matches_exactly_the_strings_equal_by_lower(text: str, other: str) -> None:
    pattern = spell_lower(text, TABLE)
    assert pattern is not None
    assert (re.fullmatch(pattern, other) is not None) == (other.lower() == text.lower())
    assert re.fullmatch(pattern, text)


@pytest.mark.parametrize(
    ("word", "spelled"),
    [("straße", "[sS][tT][rR][aA][ßẞ][eE]"), ("k", "[kK\u212a]"), ("ς", "ς"), ("σ", "[σΣ]"),
     ("µ", "µ"), ("x1_²", "[xX]1_²")],
)  # fmt: skip
def test_words(word: str, spelled: str) -> None:
    assert spell_lower_word(word) == spelled


def test_dotted_capital_i_has_no_class() -> None:
    # "İ".lower() is two characters: no class of single characters says it
    assert spell_lower("İstanbul", TABLE) is None
    assert spell_lower_word("i̇") == "[iI]\u0307"
