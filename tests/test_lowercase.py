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
    assert (re.fullmatch(pattern, other) is not None) == (other.lower() == text.lower())
    assert re.fullmatch(pattern, text)


# Every string of up to four of these characters against every other: the sigmas (final by
# their neighbours), İ and the i + U+0307 it lowers to, and what separates words.
CONTEXT = ["a", "A", "\u03c3", "\u03c2", "\u03a3", " ", "1", "i", "I", "\u0130", "\u0307", "\u0131"]


def test_sigma_and_dotted_i_by_their_context_exhaustively() -> None:
    strings = [""]
    for _ in range(3):
        strings += [s + c for s in strings if len(s) == len(strings[-1]) for c in CONTEXT]
    strings = sorted(set(strings))
    by_lower: dict[str, set[str]] = {}
    for s in strings:
        by_lower.setdefault(s.lower(), set()).add(s)
    for text in strings:
        pattern = re.compile(spell_lower(text, TABLE))
        found = {s for s in strings if pattern.fullmatch(s)}
        assert found == by_lower[text.lower()], (text, pattern.pattern)


@pytest.mark.parametrize(
    ("word", "spelled"),
    [("straße", "[sS][tT][rR][aA][ßẞ][eE]"), ("k", "[kK\u212a]"), ("µ", "µ"), ("x1_²", "[xX]1_²"),
     ("σ", "[σΣ]"), ("οδος", "[οΟ][δΔ][οΟ][ςΣ]"), ("οδοσ", "[οΟ][δΔ][οΟ]σ"), ("ς", "ς"),
     ("σα", "[σΣ][αΑ]"), ("i\u0307stanbul", "\u0130[sS][tT][aA][nN][bB][uU][lL]")],
)  # fmt: skip
def test_words(word: str, spelled: str) -> None:
    assert spell_lower_word(word) == spelled


def test_dotted_capital_i() -> None:
    # "İ".lower() is "i̇": İ itself, or i / I followed by the combining dot
    assert spell_lower("İx", TABLE) == "(?:\u0130|[iI]\u0307)[xX]"
    assert re.fullmatch(spell_lower("İ", TABLE), "I\u0307")
