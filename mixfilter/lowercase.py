# ruff: noqa: RUF002  (the confusable letters are the point: case folding)
"""Ignoring case as ``matches()`` does, spelled out for targets that can only say it by regex.

``matches()`` ignores case by ``str.lower()``: ``x`` equals ``"Straße"`` when ``x.lower() ==
"straße"``. Regex engines ignore case by tables of their own, and none of them is that one: PCRE
and Python's ``re`` also pair ``ſ`` with ``s``, ``µ`` with ``μ``, ``ς`` with ``σ`` and ``ϐ``
with ``β``; RE2, ICU and PostgreSQL each differ again. So a target that matches strings by regex
writes each letter as the class of the characters whose ``lower()`` it is (``[sS]``, ``[kKK]``,
``[ßẞ]``) and runs the pattern case-sensitively: the same answer on every engine.

The one character whose ``lower()`` is two characters, ``İ`` (U+0130, lower ``i̇``), has no such
class; :func:`spell_lower` returns ``None`` for text holding it, and the target keeps the
engine's own case-insensitive mode for that text (docs/semantics.md lists the difference).
"""

from __future__ import annotations

from functools import lru_cache

#: No character from here on has a lower case other than itself (tests/test_lowercase.py).
_CASED_END = 0x20000
_DOTTED_CAPITAL_I = "\u0130"


@lru_cache(maxsize=1)
def _classes() -> dict[int, str]:
    """Every character with another case, mapped to all characters of its ``lower()``."""
    groups: dict[str, list[str]] = {}
    for code in range(_CASED_END):
        ch = chr(code)
        low = ch.lower()
        if low != ch and len(low) == 1:
            groups.setdefault(low, [low]).append(ch)
    table: dict[int, str] = {}
    for chars in groups.values():
        spelled = "[" + "".join(chars) + "]"
        for ch in chars:
            table[ord(ch)] = spelled
    return table


def lower_table(escapes: dict[int, str]) -> dict[int, str]:
    """A ``str.translate`` table: each cased character as its class, ``escapes`` for the rest
    (the target's escaping of regex syntax; cased characters are letters, never syntax)."""
    return {**escapes, **_classes()}


def spell_lower(text: str, table: dict[int, str]) -> str | None:
    """``text`` as a case-sensitive regex matching every string whose ``lower()`` equals
    ``text.lower()`` (``table`` from :func:`lower_table`); ``None`` when ``text`` holds ``İ``."""
    if _DOTTED_CAPITAL_I in text:
        return None
    return text.translate(table)


def spell_lower_word(word: str) -> str | None:
    """A word (``\\w`` characters only, so no regex syntax) spelled as by :func:`spell_lower`."""
    return spell_lower(word, _classes())
