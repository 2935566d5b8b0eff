# ruff: noqa: RUF002  (the confusable letters are the point: case folding)
"""Ignoring case as ``matches()`` does, spelled out for targets that can only say it by regex.

``matches()`` ignores case by ``str.lower()``: ``x`` equals ``"Straße"`` when ``x.lower() ==
"straße"``. Regex engines ignore case by tables of their own, and none of them is that one: PCRE
and Python's ``re`` also pair ``ſ`` with ``s``, ``µ`` with ``μ``, ``ς`` with ``σ`` and ``ϐ``
with ``β``; RE2, ICU and PostgreSQL each differ again. So a target that matches strings by regex
writes each letter of the lowered text as the class of the characters whose ``lower()`` it is
(``[sS]``, ``[kKK]``, ``[ßẞ]``) and runs the pattern case-sensitively: the same answer on every
engine.

Two letters need more than a class. ``Σ`` lowers to ``ς`` at the end of a word and to ``σ``
elsewhere, so a sigma's class holds ``Σ`` only where a capital in that place would lower to it
(``οδος`` → ``…[ςΣ]``, ``οδοσ`` → ``…σ``). ``İ`` lowers to two characters, ``i̇`` (``i`` and
U+0307), which becomes ``(?:İ|[iI]\u0307)``.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: No character from here on has a lower case other than itself (tests/test_lowercase.py).
_CASED_END = 0x20000


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


#: What a lowered text holds that its own letters' classes do not say: a sigma (final or not,
#: by its neighbours) and the ``i̇`` that ``İ`` lowers to.
_CONTEXTUAL = re.compile("[\u03c3\u03c2]|i\u0307")
#: How far the final-sigma rule is read around a sigma (it skips marks and other characters
#: case ignores; more than this many of them in a row is not a word).
_SIGMA_WINDOW = 64
#: ``i̇``, lowered İ: from İ or from i/I followed by the combining dot.
DOTTED_I = "(?:\u0130|[iI]\u0307)"


def spell_lower(text: str, table: dict[int, str], dotted_i: str = DOTTED_I) -> str:
    """``text`` as a case-sensitive regex matching every string whose ``lower()`` equals
    ``text.lower()`` (``table`` from :func:`lower_table`; ``dotted_i`` is how ``i̇`` is
    written, in a dialect without ``(?:``, say)."""
    low = text.lower()
    if _CONTEXTUAL.search(low) is None:
        return low.translate(table)  # the common text: one pass in C
    out: list[str] = []
    last = 0
    for m in _CONTEXTUAL.finditer(low):
        at = m.start()
        out.append(low[last:at].translate(table))
        found = m.group()
        if found == "i\u0307":
            out.append(dotted_i)
        else:  # what a capital sigma here would lower to, by the final-sigma rule
            lo = max(0, at - _SIGMA_WINDOW)
            around = low[lo:at] + "\u03a3" + low[at + 1 : at + 1 + _SIGMA_WINDOW]
            capital = around.lower()[at - lo]
            out.append(f"[{found}\u03a3]" if capital == found else found)
        last = m.end()
    out.append(low[last:].translate(table))
    return "".join(out)


def spell_lower_word(word: str) -> str:
    """A word (``\\w`` characters only, so no regex syntax) spelled as by :func:`spell_lower`.

    ``i̇`` is ``İ`` alone here: U+0307 is no word character, so a word holding it (as lowered
    ``İ`` does) cannot come from ``i`` followed by the dot."""
    return spell_lower(word, _classes(), "\u0130")
