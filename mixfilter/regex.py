"""Regular expressions: which patterns a filter may carry, and how they are compiled.

A ``regex`` value must (1) compile with Python's ``re`` (the reference semantics), (2) stay within
the constructs every target engine understands — no backreferences, lookaround, conditionals,
atomic groups or possessive quantifiers, which RE2-based engines (DuckDB, ClickHouse) and POSIX
engines reject — and (3) be safe to run on a backtracking engine such as Python's or MongoDB's:
no variable quantifier inside a repeated group (``(a+)+``, ``(a?a?)+``, ``(a?){28}``), no
repeated alternation whose branches can start alike, ignoring case (``(a|ab)*``, ``(a|Ab)*``),
and no more than :data:`MAX_UNBOUNDED` variable quantifiers, bounded ones included
(``.{0,999}`` counts like ``.*``). Those are the shapes that make backtracking exponential or
high-degree polynomial. ``matches()`` itself runs most patterns on RE2, in linear time (below);
the checks bound the rest, and the backtracking engines of the targets (MongoDB, MariaDB, Spark,
SQLite's Python ``REGEXP``). See docs/security.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

#: Variable quantifiers (``*``, ``+``, ``?``-free ``{m,n}`` with m < n, ``{n,}``) in one pattern.
MAX_UNBOUNDED = 3

_MAXREPEAT = sre_constants.MAXREPEAT
_REJECTED = {
    "GROUPREF": "backreferences",
    "GROUPREF_EXISTS": "conditional groups",
    "GROUPREF_IGNORE": "backreferences",
    "ASSERT": "lookahead/lookbehind",
    "ASSERT_NOT": "lookahead/lookbehind",
    "ATOMIC_GROUP": "atomic groups",
    "POSSESSIVE_REPEAT": "possessive quantifiers",
}
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class RegexRejected(ValueError):
    """A pattern that is invalid, not portable, or unsafe; the message says which and why."""


def check_pattern(pattern: str) -> None:
    """Raise :class:`RegexRejected` unless ``pattern`` is a valid, portable, safe regex."""
    try:
        re.compile(pattern)
        tree = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        raise RegexRejected(f"invalid regular expression: {exc}") from None
    unbounded = _walk(list(tree), inside_repeat=False)
    if unbounded > MAX_UNBOUNDED:
        raise RegexRejected(
            f"regular expression has {unbounded} variable-length quantifiers (at most "
            f"{MAX_UNBOUNDED}): patterns like .*.*.*.*x take polynomial time on long strings"
        )


def _walk(items: list[tuple[Any, Any]], inside_repeat: bool) -> int:
    """Check one sequence of the parsed pattern; return how many variable quantifiers it has."""
    count = 0
    for op, arg in items:
        name = str(op)
        if name in _REJECTED:
            raise RegexRejected(
                f"regular expressions may not use {_REJECTED[name]}: not every target engine "
                "supports them"
            )
        if name in _REPEATS:
            low, high, body = arg
            body = list(body)
            variable = low != high
            if variable and inside_repeat:
                raise RegexRejected(
                    "nested quantifiers: a variable quantifier inside a repeated group, such as "
                    "(a+)+, (a?a?)+ or (a?){20}, can take exponential time; rewrite without it"
                )
            repeats_many = high > 1
            if repeats_many and _has_ambiguous_branch(body):
                raise RegexRejected(
                    "a repeated alternation whose branches can start with the same character "
                    "(ignoring case), such as (a|ab)*, can take exponential time"
                )
            count += variable + _walk(body, inside_repeat or repeats_many)
        elif name == "SUBPATTERN":
            count += _walk(list(arg[-1]), inside_repeat)
        elif name == "BRANCH":
            count += max((_walk(list(b), inside_repeat) for b in arg[1]), default=0)
    return count


def _has_ambiguous_branch(items: list[tuple[Any, Any]]) -> bool:
    for op, arg in items:
        name = str(op)
        if name == "BRANCH":
            firsts = [_first(list(b)) for b in arg[1]]
            for i, a in enumerate(firsts):
                for b in firsts[i + 1 :]:
                    if a is None or b is None or a & b:
                        return True
        elif name == "SUBPATTERN" and _has_ambiguous_branch(list(arg[-1])):
            return True
    return False


def _folded(code: int) -> set[int]:
    """``code`` and the characters it matches ignoring case (filters ignore case by default)."""
    ch = chr(code)
    return {ord(c) for c in (ch, ch.lower(), ch.upper(), ch.casefold()) if len(c) == 1} | (
        {0x212A} if ch in "kK" else {0x17F} if ch in "sS" else set()
    )


def _first(items: list[tuple[Any, Any]]) -> set[int] | None:
    """The characters a sequence can start with (case-folded), or ``None`` when hard to tell."""
    if not items:
        return None
    op, arg = items[0]
    name = str(op)
    if name == "LITERAL":
        return _folded(arg)
    if name == "IN":
        chars: set[int] = set()
        for sub_op, sub_arg in arg:
            sub = str(sub_op)
            if sub == "LITERAL":
                chars |= _folded(sub_arg)
            elif sub == "RANGE" and sub_arg[1] - sub_arg[0] < 512:
                for code in range(sub_arg[0], sub_arg[1] + 1):
                    chars |= _folded(code)
            else:
                return None
        return chars
    if name == "SUBPATTERN":
        return _first(list(arg[-1]))
    return None


# --- running patterns ------------------------------------------------------------------------
# Python's re backtracks: even a harmless-looking unanchored search such as \w+@ is quadratic in
# the length of the text (26 s on 100,000 characters). RE2 runs in linear time. So wherever a
# pattern can be rewritten for RE2 with exactly Python's meaning (mixfilter.regex_flavours: the
# same rewrite the SQL target runs on DuckDB and ClickHouse, with classes spelled out from this
# Python's Unicode tables and ignoring case spelled out by Python's own case rules), it runs on
# RE2 (the google-re2 package). Python's re remains, guarded by check_pattern above, for:
#   * patterns RE2 cannot express exactly (\b in mid-pattern, "$" followed by more pattern);
#   * text holding lone surrogates, which RE2 cannot encode;
#   * everything, if google-re2 is not installed.


class Searcher:
    """``search(text)`` is truthy when the pattern occurs in ``text`` (``re.search`` semantics)."""

    __slots__ = ("engine", "search")

    def __init__(self, search: Callable[[str], object], engine: str) -> None:
        self.search = search
        #: which engine runs it: "re2" (linear time) or "re"
        self.engine = engine


def _re2(translated: str) -> Any:
    try:
        import re2  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - google-re2 is a dependency; tolerated if absent
        return None
    options = re2.Options()
    options.never_capture = True
    options.max_mem = 64 << 20  # spelled-out Unicode classes are large
    options.log_errors = False
    try:
        return re2.compile(translated, options)
    except Exception:  # an engine limit (memory, repetition): Python's re takes it
        return None


@lru_cache(maxsize=512)
def compiled(pattern: str, case_sensitive: bool) -> Searcher:
    """The compiled pattern for the reference evaluator (cached: filters repeat)."""
    python = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
    from .regex_flavours import Untranslatable, translate

    try:
        linear = _re2(translate(pattern, "re2-python", not case_sensitive))
    except Untranslatable:
        linear = None
    if linear is None:
        return Searcher(python.search, "re")
    fast, slow = linear.search, python.search

    def search(text: str) -> object:
        try:
            return fast(text)
        except UnicodeEncodeError:  # a lone surrogate
            return slow(text)

    return Searcher(search, "re2")
