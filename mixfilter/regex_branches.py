"""Repeated alternations whose branches can match alike: the shape of exponential backtracking.

In ``(a|ab)*``, ``(\\w|\\d)+`` or, ignoring case, ``(a|A)*``, two branches can match the same
text, so a backtracking engine (MongoDB's PCRE, Python's ``re``, MariaDB, Java) may try every way
of sharing a long input out among them. :func:`mixfilter.regex.check_pattern` refuses a pattern
when :func:`has_ambiguous_branch` finds such an alternation anywhere inside a repeated group.

Two things make this harder than it looks:

* **The branches as written.** CPython's parser merges single-character branches into one set
  (``(\\w|\\d)`` is ``[\\w\\d]`` to ``re``) and moves a prefix all branches share out of them. An
  engine that runs the pattern as written does neither, so :func:`raw_parse` parses it with a
  private copy of the parser without those two steps.
* **Case.** Filters ignore case by default, so characters are compared by a fold key
  (:func:`_key`) that joins every rule some engine uses: Unicode case folding, the simple
  lower- and upper-case mappings Python's ``re`` uses, and ``re``'s extra equivalences
  (long s U+017F = ``s``, iota = U+0345). Two characters overlap if any rule makes them equal.

A character class is compared as three parts: the fold keys of its characters (every cased
character of its ranges included), its ranges as intervals (for the uncased characters in them),
and its ``\\d \\w \\s`` classes by name.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

#: What ``re`` itself folds case with (simple case mappings; ``str.lower`` uses full ones).
_sre: Any = importlib.import_module("_sre")

Items = list[tuple[Any, Any]]


# --- the pattern as written -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _raw_parser() -> Any:
    """A private copy of Python's regex parser that keeps every branch of an alternation.

    The copy is a module of its own (``re`` keeps using the original); only its ``_parse_sub``
    differs: the same loop over ``|``, without the two optimizations that follow it in CPython.
    """
    import importlib.util

    spec = importlib.util.find_spec(sre_parse.__name__)
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    parse, branch = module._parse, module.BRANCH

    def parse_sub(source: Any, state: Any, verbose: int, nested: int) -> Any:
        items: list[Any] = []
        while True:
            items.append(parse(source, state, verbose, nested + 1, not nested and not items))
            if not source.match("|"):
                break
            if not nested:  # as CPython 3.11+ does: global flags apply again after a top-level |
                verbose = state.flags & sre_constants.SRE_FLAG_VERBOSE
        if len(items) == 1:
            return items[0]
        sub = module.SubPattern(state)
        sub.append((branch, (None, items)))
        return sub

    module._parse_sub = parse_sub
    return module


def raw_parse(pattern: str) -> Any:
    """``pattern`` parsed with every branch of every alternation kept as written."""
    return _raw_parser().parse(pattern)


# --- the check --------------------------------------------------------------------------------

#: The parse tree's repeat nodes (possessive ones only on Python 3.11+).
REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def has_ambiguous_branch(items: Items) -> bool:
    """Whether an alternation anywhere in ``items`` has two branches that can start alike (its
    caller knows ``items`` is repeated, so every alternation inside is repeated too)."""
    for op, arg in items:
        name = str(op)
        if name == "BRANCH":
            branches = _unshared(arg[1])
            singles = [_single_class(b) for b in branches]
            if all(c is not None for c in singles):  # (\w|\d), (a|A|b): one character each
                if _overlapping([c for c in singles if c is not None]):
                    return True
            elif _overlapping([_first(b) for b in branches]):
                return True
            if any(has_ambiguous_branch(b) for b in branches):
                return True
        elif name == "SUBPATTERN":
            if has_ambiguous_branch(list(arg[-1])):
                return True
        elif name in REPEATS and has_ambiguous_branch(list(arg[2])):
            return True
    return False


def has_separator(items: Items) -> bool:
    """Whether a repeated group's body ``items`` holds one variable quantifier, no alternation,
    and a character outside the quantifier that nothing else in the body can match: ``,`` in
    ``(\\d+,)*``, ``\\.`` in ``([a-z]+\\.)+``, the space in ``( [A-Z][a-z]+)*``.

    Every such character of the text then ends one repetition, and every other item has one
    length, so the quantified part has one length too: a backtracking engine has one way to
    share a text out among the repetitions, not exponentially many. Each condition is needed
    (found by review): two quantifiers share out a run between repetitions (``(a+ba*)+``), an
    alternation of two lengths next to the quantifier shares a stretch in two ways
    (``(,\\w+(?:s|es))+``), a class that also takes the separator lets a repetition end
    elsewhere (``(,[a,]a*[a,])+``). The separator is ASCII and no class such as ``\\W``:
    engines (and the ASCII flag) disagree on the classes' non-ASCII members and on ``\\s`` at
    U+000B and U+001C-U+001F, so a test by Python's rules would not hold on MongoDB's PCRE.
    """
    quantified: list[Items] = []
    fixed: list[tuple[Any, Any]] = []
    if not _split(items, quantified, fixed) or len(quantified) != 1:
        return False
    for separator in fixed:
        c = _class(separator)
        if c is None or not _portable_separator(c):
            continue
        others: list[_Class] = []
        if _characters(items, others, skip=separator) and not any(
            _overlapping([c, other]) for other in others
        ):
            return True
    return False


#: ASCII characters whose class membership engines disagree on: \s at VT and the separators
#: U+001C-U+001F (Python's \s holds them, PCRE's not).
_UNSURE = frozenset([0x0B, *range(0x1C, 0x20)])


def _portable_separator(c: _Class) -> bool:
    return not c.categories and all(
        hi < 0x80 and not any(lo <= u <= hi for u in _UNSURE) for lo, hi in c.ranges
    )


def _split(items: Items, quantified: list[Items], fixed: list[tuple[Any, Any]]) -> bool:
    """The bodies of the variable quantifiers in ``items`` (at any depth) into ``quantified``,
    the characters every match holds (outside quantifiers) into ``fixed``; False for an
    alternation (its branches may differ in length)."""
    for item in items:
        op, arg = item
        name = str(op)
        if name in REPEATS:
            low, high, body = arg
            if low != high:
                if _min_width(list(body)) == 0:
                    return False  # (?:)? or \B* has one length but two ways to match it
                quantified.append(list(body))
            if not _split(list(body), quantified, []):  # the quantifiers inside count too
                return False
        elif name == "SUBPATTERN":
            if not _split(list(arg[-1]), quantified, fixed):
                return False
        elif name == "BRANCH":
            return False
        elif name in ("LITERAL", "IN"):
            fixed.append(item)
    return True


def _min_width(items: Items) -> int:
    """The fewest characters ``items`` can match (anchors, empty groups and ``{0}``: none)."""
    width = 0
    for op, arg in items:
        name = str(op)
        if name in REPEATS:
            width += arg[0] and arg[0] * _min_width(list(arg[2]))
        elif name == "SUBPATTERN":
            width += _min_width(list(arg[-1]))
        elif name == "BRANCH":
            width += min((_min_width(list(b)) for b in arg[1]), default=0)
        elif name in ("LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"):
            width += 1
    return width


def _characters(items: Items, out: list[_Class], skip: object = None) -> bool:
    """The classes of every character ``items`` can match (but the item ``skip``) into ``out``;
    False if one cannot be told (``.``, a negated set)."""
    for item in items:
        if item is skip:
            continue
        op, arg = item
        name = str(op)
        if name in REPEATS:
            ok = _characters(list(arg[2]), out, skip)
        elif name == "SUBPATTERN":
            ok = _characters(list(arg[-1]), out, skip)
        elif name == "AT":
            ok = True
        else:
            c = _class(item)
            ok = c is not None
            if c is not None:
                out.append(c)
        if not ok:
            return False
    return True


def _unshared(branches: Any) -> list[Items]:
    """The branches without the items they all begin with: after a shared prefix (``ab|ac``),
    only what follows it decides between them, as in CPython's own parse."""
    out = [list(b) for b in branches]
    while all(out) and all(b[0] == out[0][0] for b in out[1:]):
        for b in out:
            del b[0]
    return out


# --- characters, ignoring case ----------------------------------------------------------------


def _base_key(code: int) -> int:
    ch = chr(code)
    folded = ch.casefold()
    if len(folded) == 1:
        code = ord(folded)
    upper = chr(code).upper()
    if len(upper) == 1:
        code = ord(upper)
    return int(_sre.unicode_tolower(code))


@lru_cache(maxsize=1)
def _extra_keys() -> dict[int, int]:
    """``re``'s extra case equivalences (i = dotless i, s = long s, iota = U+0345, ...),
    joined by fold key: each key to the smallest key of its group."""
    try:  # Python 3.11+
        extra = importlib.import_module("re._casefix")._EXTRA_CASES
    except ImportError:  # pragma: no cover - Python 3.10
        extra = importlib.import_module("sre_compile")._ignorecase_fixes
    parent: dict[int, int] = {}

    def root(key: int) -> int:
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for code, others in extra.items():
        keys = [root(_base_key(c)) for c in (code, *others)]
        low = min(keys)
        for key in keys:
            parent[key] = low
    return {key: root(key) for key in parent}


@lru_cache(maxsize=8192)
def _key(code: int) -> int:
    """One code for every character that some engine's ignore-case matching makes equal."""
    key = _base_key(code)
    return _extra_keys().get(key, key)


#: \d \w \s and their negations, by the names in the parse tree.
_CATEGORIES = {
    "CATEGORY_DIGIT": re.compile(r"\d"),
    "CATEGORY_NOT_DIGIT": re.compile(r"\D"),
    "CATEGORY_SPACE": re.compile(r"\s"),
    "CATEGORY_NOT_SPACE": re.compile(r"\S"),
    "CATEGORY_WORD": re.compile(r"\w"),
    "CATEGORY_NOT_WORD": re.compile(r"\W"),
}
#: Pairs of classes no character is in both of (\d is part of \w; no space is a word character).
_DISJOINT = {
    frozenset(pair)
    for pair in (
        ("CATEGORY_DIGIT", "CATEGORY_NOT_DIGIT"),
        ("CATEGORY_SPACE", "CATEGORY_NOT_SPACE"),
        ("CATEGORY_WORD", "CATEGORY_NOT_WORD"),
        ("CATEGORY_DIGIT", "CATEGORY_SPACE"),
        ("CATEGORY_WORD", "CATEGORY_SPACE"),
        ("CATEGORY_DIGIT", "CATEGORY_NOT_WORD"),
    )
}
#: A fold group holding both word and non-word characters: iota with U+0345 (a combining mark).
#: No other group mixes them (tests.test_errors checks this against the running Python), and
#: digits and spaces have no case, so every other class test on a key holds for its group.
_MIXED_WORD_CODE = 0x345
#: Classes whose ranges hold more characters than this are not listed for a \d \w \s test:
#: the test is taken to find one.
_WIDE = 0x10000
#: No character from here on has a case (tests.test_errors checks it against the running Python).
_CASED_END = 0x20000


@lru_cache(maxsize=1)
def _cased() -> list[int]:
    """Every character with a case mapping, in order (about 3,000; 6 ms to list once)."""
    return [c for c in range(_CASED_END) if _sre.unicode_iscased(c)]


@lru_cache(maxsize=1)
def _keys_of_non_ascii() -> frozenset[int]:
    """The fold keys that a non-ASCII character has: ``k`` (the Kelvin sign), ``s`` (long s)."""
    return frozenset(_key(c) for c in _cased() if c >= 0x80)


class _Class:
    """What one character (or set) can match, ignoring case."""

    __slots__ = ("categories", "keys", "ranges")

    def __init__(self) -> None:
        self.keys: set[int] = set()
        self.ranges: list[tuple[int, int]] = []  # literals too, as (c, c)
        self.categories: set[str] = set()

    def add(self, lo: int, hi: int) -> None:
        self.ranges.append((lo, hi))
        if lo == hi:
            self.keys.add(_key(lo))
            return
        cased = _cased()
        self.keys.update(map(_key, cased[bisect_left(cased, lo) : bisect_right(cased, hi)]))

    def sample(self) -> str | None:
        """Its characters and keys (ranges whole), for testing a class of the other side; None
        when its ranges are too wide to list (then assume a class test finds something)."""
        if sum(hi - lo for lo, hi in self.ranges) > _WIDE:
            return None
        codes = set(self.keys)
        for lo, hi in self.ranges:
            codes.update(range(lo, hi + 1))
        return "".join(map(chr, codes))


def _single_class(branch: Items) -> _Class | None:
    """The class of a branch that is one character or one (not negated) set, or None."""
    return _class(branch[0]) if len(branch) == 1 else None


def _first(branch: Items) -> _Class | None:
    """The class of the first character a branch matches, or None when that is hard to tell."""
    if not branch:
        return None
    op, arg = branch[0]
    if str(op) == "SUBPATTERN":
        return _first(list(arg[-1]))
    return _class(branch[0])


def _class(item: tuple[Any, Any]) -> _Class | None:
    op, arg = item
    name = str(op)
    out = _Class()
    if name == "LITERAL":
        out.add(arg, arg)
        return out
    if name != "IN":
        return None
    for sub_op, sub_arg in arg:
        sub = str(sub_op)
        if sub == "LITERAL":
            out.add(sub_arg, sub_arg)
        elif sub == "RANGE":
            out.add(*sub_arg)
        elif sub == "CATEGORY" and str(sub_arg) in _CATEGORIES:
            out.categories.add(str(sub_arg))
        else:
            return None  # a negated or very wide set: assume it overlaps
    return out


def _overlapping(classes: list[_Class | None]) -> bool:
    """Whether two of the classes share a character (None: unknown, so yes)."""
    if any(c is None for c in classes):
        return len(classes) > 1
    known = [c for c in classes if c is not None]
    owner: dict[int, int] = {}  # fold key -> the class it came from
    for i, c in enumerate(known):
        for key in c.keys:
            if owner.setdefault(key, i) != i:
                return True
    spans = sorted((lo, hi, i) for i, c in enumerate(known) for lo, hi in c.ranges)
    merged: list[list[int]] = []  # disjoint [lo, hi, owner], once no two owners' ranges meet
    for lo, hi, i in spans:
        if merged and lo <= merged[-1][1]:
            if merged[-1][2] != i:
                return True
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi, i])
    starts = [m[0] for m in merged]
    for key, i in owner.items():  # a key may be an uncased character of another class's range
        at = bisect_right(starts, key) - 1
        if at >= 0 and merged[at][1] >= key and merged[at][2] != i:
            return True
    return _categories_overlap(known)


def _categories_overlap(known: list[_Class]) -> bool:
    named = [(i, cat) for i, c in enumerate(known) for cat in c.categories]
    for k, (i, x) in enumerate(named):
        for j, y in named[k + 1 :]:
            if i != j and frozenset((x, y)) not in _DISJOINT:
                return True
    samples: dict[int, str | None] = {}
    for i, cat in named:
        pattern = _CATEGORIES[cat]
        for j, other in enumerate(known):
            if j == i:
                continue
            if j not in samples:
                samples[j] = other.sample()
            sample = samples[j]
            if sample is None or pattern.search(sample):
                return True
            if "_NOT_" in cat and (
                any(ord(ch) >= 0x80 or ord(ch) in _UNSURE for ch in sample)
                or other.keys & _keys_of_non_ascii()
            ):
                # \W \S \D on an engine with ASCII classes (PCRE without UCP, Python's ASCII
                # flag) take every non-ASCII character, such as the Kelvin sign that k matches
                # ignoring case; and \S takes U+001C-U+001F on PCRE
                return True
            if cat == "CATEGORY_NOT_WORD" and _key(_MIXED_WORD_CODE) in other.keys:
                return True
    return False
