"""A Python ``re`` pattern rewritten in another regex flavour, with the same meaning.

Used by the SQL target (each engine's regex dialect) and by :mod:`mixfilter.regex`, which runs
patterns on RE2, in linear time, wherever the rewrite is exact.

The reference semantics are Python's (``re.search``), but every engine has its own dialect: in
PostgreSQL ``.`` matches a newline and ``\\b`` is a backspace; in RE2 (DuckDB, ClickHouse,
BigQuery) ``$`` is only the very end and ``\\w`` is ASCII; in Java (Spark) ``.`` and ``$`` also stop
at ``\\r`` and U+2028; none of them reads ``\\u0062``, ``{,2}``, ``(?x)`` or ``(?P<name>...)``. So
the pattern is parsed with Python's own regex parser and written again, construct by construct,
from a table per flavour (:data:`FLAVOURS`). What a flavour cannot say with the same meaning is a
:class:`~mixfilter.errors.FilterCompileError`, never a pattern that matches something else.

Only *whether* a pattern matches matters (a ``WHERE`` test), which makes two simplifications
exact: lazy quantifiers become greedy ones, and groups need not capture.

Python's classes, for ``str`` patterns: ``\\d`` is Unicode category Nd, ``\\w`` is
``[\\p{L}\\p{N}_]`` (``str.isalnum()`` or ``_``), ``\\s`` is ``str.isspace()``;
``tests/test_sql_regex.py`` checks these identities against the running Python. PostgreSQL has no
``\\p{...}``, and its ``[[:alnum:]]`` follows the database's locale: there the classes are spelled
out as ranges of code points.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

_MAXREPEAT = sre_constants.MAXREPEAT

#: Python's whitespace (``str.isspace()``), the same in every Python 3 release.
_SPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def _hex_x(code: int) -> str:
    return f"\\x{{{code:x}}}"


def _hex_u(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@dataclass(frozen=True)
class Flavour:
    """How one regex dialect writes each construct of a Python pattern."""

    name: str
    #: Python's ``.`` (any character but ``\n``), and ``.`` under the DOTALL flag
    dot: str
    dotall: str
    #: ``$`` (end, or before a final newline) as a zero-width assertion; None: only at the
    #: pattern's end, where ``tail_end`` may consume the newline
    end: str | None
    tail_end: str
    #: ``\Z`` (the very end)
    abs_end: str
    #: MULTILINE ``^`` and ``$``
    line_start: str
    line_end: str
    #: the class bodies (inside ``[...]``) of ``\w`` and ``\d`` (None: spelled out as ranges)
    word: str | None
    digit: str | None
    #: whether ``(?<=...)`` / ``(?!...)`` may be used (for ``\b`` and ``\B``)
    lookaround: bool
    #: a character written as an escape (controls, and characters special in the SQL literal)
    char_escape: Callable[[int], str]
    #: the largest counted repetition the engine accepts
    max_repeat: int | None = None
    #: its own ``\b`` is the ASCII word boundary (used under Python's ASCII flag)
    ascii_boundary: bool = False
    #: whether look-around can say ``\\B`` (Java's look-around also runs between the two
    #: halves of a surrogate pair, where it sees no word character on either side)
    non_boundary: bool = True


_UNICODE_WORD = "\\p{L}\\p{N}_"

FLAVOURS: dict[str, Flavour] = {
    # PCRE2 (MariaDB) and ICU (MySQL 8): the same spelling works in both.
    "pcre": Flavour(
        "pcre",
        dot="[^\\n]",
        dotall="[\\s\\S]",
        end="(?=\\n?\\z)",
        tail_end="(?=\\n?\\z)",
        abs_end="\\z",
        line_start="(?:\\A|(?<=\\n))",
        line_end="(?=\\n|\\z)",
        word=_UNICODE_WORD,
        digit="\\p{Nd}",
        lookaround=True,
        char_escape=_hex_x,
        max_repeat=65535,
    ),
    # RE2 (DuckDB, BigQuery, ClickHouse): no look-around; ClickHouse's "." also matches "\n".
    "re2": Flavour(
        "re2",
        dot="[^\\n]",
        dotall="[\\s\\S]",
        end=None,
        tail_end="(?:\\n?\\z)",
        abs_end="\\z",
        line_start="(?m:^)",
        line_end="(?m:$)",
        word=_UNICODE_WORD,
        digit="\\p{Nd}",
        lookaround=False,
        char_escape=_hex_x,
        max_repeat=1000,
        ascii_boundary=True,
    ),
    # PostgreSQL's advanced regular expressions (ARE).
    "are": Flavour(
        "are",
        dot="[^\\n]",
        dotall="(?:.|\\n)",
        end="(?=\\n?\\Z)",
        tail_end="(?=\\n?\\Z)",
        abs_end="\\Z",
        line_start="(?:^|(?<=\\n))",
        line_end="(?=\\n|\\Z)",
        # no \p{...}; [[:alnum:]] follows the locale (and misses ² even in C.UTF-8): both classes
        # are spelled out as ranges of code points (about 2 KB for \w)
        word=None,
        digit=None,
        lookaround=True,
        char_escape=_hex_u,
        max_repeat=255,
    ),
}


# java.util.regex (Spark, Databricks, Hive) and Trino: PCRE's spelling, no repetition limit.
FLAVOURS["java"] = replace(FLAVOURS["pcre"], name="java", max_repeat=None, non_boundary=False)
#: RE2 as :mod:`mixfilter.regex` runs it for ``matches()``: classes spelled out from the running
#: Python's Unicode tables rather than RE2's ``\p{...}`` (whose Unicode version may be newer).
FLAVOURS["re2-python"] = replace(FLAVOURS["re2"], name="re2-python", word=None, digit=None)


@lru_cache(maxsize=8)
def spelled_out(kind: str, esc: Callable[[int], str] = _hex_u) -> str:
    """The class body of digits ("digit") or word characters ("word") as code-point ranges."""

    def wanted(ch: str) -> bool:
        category = unicodedata.category(ch)
        return category == "Nd" if kind == "digit" else category[0] in "LN" or ch == "_"

    out: list[str] = []
    start = prev = -2
    for code in range(sys.maxunicode + 1):
        if wanted(chr(code)):
            if code != prev + 1:
                if start >= 0:
                    out.append(_range_text(start, prev, esc))
                start = code
            prev = code
    out.append(_range_text(start, prev, esc))
    return "".join(out)


def _range_text(lo: int, hi: int, esc: Callable[[int], str]) -> str:
    return _class_char(lo, esc) if lo == hi else f"{_class_char(lo, esc)}-{_class_char(hi, esc)}"


# --- characters ----------------------------------------------------------------------------------

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _char(code: int, esc: Callable[[int], str]) -> str:
    """One literal character outside a class."""
    ch = chr(code)
    if ch in _PLAIN or (code > 0x7F and ch.isprintable() and not ch.isspace()):
        return ch
    if code < 0x7F and ch.isprintable() and ch != " ":
        return "\\" + ch  # punctuation: a backslash makes it literal in every flavour
    return esc(code)  # controls, spaces, U+007F, unprintable: by code point


def _class_char(code: int, esc: Callable[[int], str]) -> str:
    """One literal character inside ``[...]``, escaped as outside (backslash before punctuation)."""
    return _char(code, esc)


def _no_surrogate(code: int) -> None:
    if 0xD800 <= code <= 0xDFFF:
        raise Untranslatable("a surrogate code point (\\ud800-\\udfff), which UTF-8 engines refuse")


def _is_cased(code: int) -> bool:
    codes = _cased_codes()
    i = bisect_left(codes, code)
    return i < len(codes) and codes[i] == code


def _merge_single_characters(branches: list[list[tuple[Any, Any]]]) -> list[list[tuple[Any, Any]]]:
    """``a|[bc]|xy`` as ``[abc]|xy``: the same strings, and RE2 gets single-character branches
    wrong (it turns ``1|[Kk]`` into a case-folded k, which also matches the Kelvin sign)."""
    singles: list[tuple[Any, Any]] = []
    rest: list[list[tuple[Any, Any]]] = []
    merged = 0
    for branch in branches:
        item = _single(branch)
        if item is not None and _mergeable(item):
            op, arg = item
            singles.extend([(op, arg)] if str(op) == "LITERAL" else arg)
            merged += 1
        else:
            rest.append(branch)
    if merged < 2:
        return branches
    return [[(sre_constants.IN, singles)], *rest]


def _single(branch: list[tuple[Any, Any]]) -> tuple[Any, Any] | None:
    """The one item of a branch, looking through groups without flags: ``(k)`` is ``k``."""
    while len(branch) == 1:
        op, arg = branch[0]
        if str(op) != "SUBPATTERN" or arg[1] or arg[2]:
            return branch[0]
        branch = list(arg[3])
    return None


def _mergeable(item: tuple[Any, Any]) -> bool:
    op, arg = item
    if str(op) == "LITERAL":
        return True
    if str(op) != "IN":
        return False
    return all(
        str(sub) in ("LITERAL", "RANGE") or (str(sub) == "CATEGORY" and "NOT" not in str(value))
        for sub, value in arg
    )


#: Whether this Python's ``\B`` matches in the empty string (it does from Python 3.14 on).
_EMPTY_NON_BOUNDARY = re.search(r"\B", "") is not None


# --- the writer ----------------------------------------------------------------------------------


class Untranslatable(ValueError):
    """The flavour cannot express this pattern with Python's meaning; the message names what."""


@dataclass
class _Flags:
    dotall: bool
    multiline: bool
    ascii: bool
    ignore_case: bool


# --- case-insensitive matching, made explicit ----------------------------------------------------
# Engines fold case by their own Unicode rules, which differ from Python's (final sigma, dotted
# and dotless i, long s, Kelvin sign ...). So a case-insensitive pattern is written as a
# case-SENSITIVE one in which every cased literal is the class of the characters Python's re
# matches it with, and every class gains the characters Python's re adds to it. Python's re itself
# says which: each candidate is tried with re.fullmatch, so the result is exact by construction.

#: Characters beyond this have no case in any Unicode version so far (checked by a test).
CASED_LIMIT = 0x20000


@lru_cache(maxsize=1)
def cased_characters() -> tuple[str, ...]:
    """Every character that has a case mapping: the only ones ignore-case can add."""
    return tuple(
        c
        for c in map(chr, range(CASED_LIMIT))
        if c.lower() != c or c.upper() != c or c.casefold() != c
    )


def _python_item(op: Any, arg: Any) -> str:
    """A class item in Python's own syntax, for asking Python's re what it matches."""
    name = str(op)
    if name == "LITERAL":
        return f"\\U{arg:08x}"
    if name == "RANGE":
        return f"\\U{arg[0]:08x}-\\U{arg[1]:08x}"
    categories = {
        "CATEGORY_DIGIT": "\\d", "CATEGORY_NOT_DIGIT": "\\D", "CATEGORY_WORD": "\\w",
        "CATEGORY_NOT_WORD": "\\W", "CATEGORY_SPACE": "\\s", "CATEGORY_NOT_SPACE": "\\S",
    }  # fmt: skip
    if name == "CATEGORY" and str(arg) in categories:
        return categories[str(arg)]
    raise Untranslatable(f"the class item {name.lower()}")


@lru_cache(maxsize=1)
def _cased_codes() -> tuple[int, ...]:
    return tuple(ord(c) for c in cased_characters())


@lru_cache(maxsize=4096)
def _ci_cased(python_class: str, ascii: bool) -> tuple[int, ...]:
    """The cased characters that ``[python_class]`` matches ignoring case, by Python's ``re``.

    Only cased characters are asked about: ignoring case changes nothing for the others. The
    answer is taken as it is, even where CPython's own case handling is odd (it misses some
    upper-case astral letters listed in a class with others), so the rewrite means exactly
    what this Python's ``re`` does.
    """
    flags = re.ASCII | re.IGNORECASE if ascii else re.IGNORECASE
    accepts = re.compile(f"[{python_class}]", flags).fullmatch
    return tuple(ord(c) for c in cased_characters() if accepts(c))


def _uncased_ranges(lo: int, hi: int) -> list[tuple[int, int]]:
    """``lo``-``hi`` without its cased characters, as ranges."""
    codes = _cased_codes()
    out: list[tuple[int, int]] = []
    start = lo
    for code in codes[bisect_left(codes, lo) : bisect_right(codes, hi)]:
        if code > start:
            out.append((start, code - 1))
        start = code + 1
    if start <= hi:
        out.append((start, hi))
    return out


class _Writer:
    def __init__(self, flavour: Flavour, flags: _Flags) -> None:
        self.f = flavour
        self.flags = flags
        self.esc = flavour.char_escape
        self.repeat_product = 1  # of the counts of the repeats around the current item
        if flags.ascii:
            self.word, self.digit = "A-Za-z0-9_", "0-9"
            self.space = "".join(_class_char(ord(c), self.esc) for c in " \t\n\r\f\v")
        else:
            self.word = flavour.word or spelled_out("word", self.esc)
            self.digit = flavour.digit or spelled_out("digit", self.esc)
            self.space = "".join(_class_char(ord(c), self.esc) for c in _SPACE)

    def sequence(self, items: list[tuple[Any, Any]], head: bool, tail: bool) -> str:
        last = len(items) - 1
        return "".join(
            self.item(op, arg, items, i, head and i == 0, tail and i == last)
            for i, (op, arg) in enumerate(items)
        )

    def item(
        self, op: Any, arg: Any, items: list[tuple[Any, Any]], i: int, head: bool, tail: bool
    ) -> str:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL"):
            _no_surrogate(arg)
            group = self.literal_group(arg)
            if len(group) == 1 and name == "LITERAL":
                return _char(arg, self.esc)
            chars = "".join(_class_char(c, self.esc) for c in group)
            return f"[{'^' if name == 'NOT_LITERAL' else ''}{chars}]"
        if name == "ANY":
            return self.f.dotall if self.flags.dotall else self.f.dot
        if name == "IN":
            return self.char_class(arg)
        if name == "AT":
            return self.anchor(str(arg), items, i, head, tail)
        if name == "BRANCH":
            branches = _merge_single_characters([list(b) for b in arg[1]])
            return "(?:" + "|".join(self.sequence(b, head, tail) for b in branches) + ")"
        if name == "SUBPATTERN":
            _, add, remove, body = arg
            if (add | remove) & ~re.IGNORECASE:
                raise Untranslatable("inline flags other than i scoped to a group, like (?s:...)")
            if not (add | remove):
                return "(?:" + self.sequence(list(body), head, tail) + ")"
            outer = self.flags.ignore_case
            self.flags.ignore_case = bool(add & re.IGNORECASE) or (
                outer and not remove & re.IGNORECASE
            )
            try:
                return "(?:" + self.sequence(list(body), head, tail) + ")"
            finally:
                self.flags.ignore_case = outer
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            body = list(body)
            limit = self.f.max_repeat
            count = max(low, 0 if high == _MAXREPEAT else high)
            if limit is not None and count * self.repeat_product > limit:
                raise Untranslatable(
                    f"counted repetitions above {{{limit}}} (nested counts multiply)"
                )
            product, self.repeat_product = self.repeat_product, self.repeat_product * max(count, 1)
            try:
                inner = self.sequence(body, False, False)
            finally:
                self.repeat_product = product
            first = str(body[0][0]) if body else ""
            if len(body) == 1 and first == "LITERAL" and body[0][1] > 0x7F and inner[0] != "[":
                # by code point: ClickHouse applies a quantifier after a raw non-ASCII letter to
                # its last byte only (in its substring prefilter)
                inner = self.esc(body[0][1])
            elif len(body) != 1 or first in ("BRANCH", "AT", "MAX_REPEAT", "MIN_REPEAT"):
                inner = f"(?:{inner})"  # (?:a{2})? must not become a{2}? (a lazy a{2})
            return inner + self.quantifier(low, high)
        raise Untranslatable(f"the construct {name.lower()}")

    @staticmethod
    def quantifier(low: int, high: int) -> str:
        # Lazy and greedy repetitions match the same strings; only "does it match" matters.
        if high == _MAXREPEAT:
            return {0: "*", 1: "+"}.get(low, f"{{{low},}}")
        if (low, high) == (0, 1):
            return "?"
        return f"{{{low}}}" if low == high else f"{{{low},{high}}}"

    def anchor(self, at: str, items: list[tuple[Any, Any]], i: int, head: bool, tail: bool) -> str:
        f = self.f
        if at == "AT_BEGINNING":  # without MULTILINE, "^" is the start in every flavour
            return f.line_start if self.flags.multiline else "^"
        if at == "AT_BEGINNING_STRING":
            return "\\A"
        if at == "AT_END_STRING":
            return f.abs_end
        if at == "AT_END":
            if self.flags.multiline:
                return f.line_end
            if f.end is not None:
                return f.end
            if tail:
                return f.tail_end
            raise Untranslatable("'$' followed by more of the pattern")
        if at in ("AT_BOUNDARY", "AT_NON_BOUNDARY"):
            return self.boundary(at == "AT_BOUNDARY", items, i, head, tail)
        raise Untranslatable(f"the anchor {at.lower()}")

    def boundary(
        self, positive: bool, items: list[tuple[Any, Any]], i: int, head: bool, tail: bool
    ) -> str:
        w = f"[{self.word}]"
        if self.f.lookaround and (positive or self.f.non_boundary):
            if positive:
                return f"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"
            if _EMPTY_NON_BOUNDARY:  # Python 3.14 and later: \B matches the empty string
                return f"(?:(?<={w})(?={w})|(?<!{w})(?!{w}))"
            anything = self.f.dotall  # before 3.14 \B needs a character on one side
            return f"(?:(?<={w})(?={w})|(?<!{w})(?!{w})(?:(?<={anything})|(?={anything})))"
        if positive and self.flags.ascii and self.f.ascii_boundary:
            return "\\b"  # RE2's \b is the ASCII word boundary
        # Without look-around, \b can still be written where consuming the neighbour is harmless:
        # at the very start of the pattern before a word character, or at its very end after one.
        if positive and head and i + 1 < len(items) and self._is_word(items[i + 1]):
            return f"(?:\\A|[^{self.word}])"
        if positive and tail and i > 0 and self._is_word(items[i - 1]):
            return f"(?:[^{self.word}]|\\z)"
        raise Untranslatable("'\\b' or '\\B' in the middle of a pattern")

    def _is_word(self, item: tuple[Any, Any]) -> bool:
        op, arg = item
        name = str(op)
        if name == "LITERAL":  # ignoring case, every character it matches must be a word one
            return all(chr(c) == "_" or chr(c).isalnum() for c in self.literal_group(arg))
        if name == "IN":
            return bool(arg == [(sre_constants.CATEGORY, sre_constants.CATEGORY_WORD)])
        return False

    def literal_group(self, code: int) -> tuple[int, ...]:
        """The characters a literal matches: itself, or ignoring case, what Python's re says."""
        if not self.flags.ignore_case:
            return (code,)
        cased = _ci_cased(_python_item(sre_constants.LITERAL, code), self.flags.ascii)
        return cased if code in cased else (code, *cased)

    def char_class(self, items: list[tuple[Any, Any]]) -> str:
        negate = bool(items) and str(items[0][0]) == "NEGATE"
        body = items[1:] if negate else items
        ci = self.flags.ignore_case
        cased: tuple[int, ...] = ()
        if ci:  # the cased members are exactly those Python's re accepts ignoring case
            python_class = "".join(_python_item(op, arg) for op, arg in body)
            cased = _ci_cased(python_class, self.flags.ascii)
        if len(body) == 1 and str(body[0][0]) == "CATEGORY":
            text = self.category(str(body[0][1]))
            if text[0] == "^":  # \D, \W or \S alone (outside [...] too): one negated class
                negate, text = not negate, text[1:]
                if ci and cased != _ci_cased(_python_item(*body[0]), self.flags.ascii):
                    raise Untranslatable(r"\D, \W or \S ignoring case")
                if ci:
                    return f"[{'^' if negate else ''}{text}]"
            extra = "".join(_class_char(c, self.esc) for c in cased)
            return f"[{'^' if negate else ''}{text}{extra}]"
        categories = {str(arg) for op, arg in body if str(op) == "CATEGORY"}
        if any(c.replace("CATEGORY_", "CATEGORY_NOT_") in categories for c in categories):
            # [\s\S], [\d\D], [\w\W]: a category and its complement, so every character (the
            # idiom for "any character, newlines too"); negated, none
            everything = _range_text(0, 0x10FFFF, self.esc)
            return f"[{'^' if negate else ''}{everything}]"
        parts: list[str] = []
        for op, arg in body:
            name = str(op)
            if name == "LITERAL":
                _no_surrogate(arg)
                if not (ci and _is_cased(arg)):
                    parts.append(_class_char(arg, self.esc))
            elif name == "RANGE":
                _no_surrogate(arg[0])
                _no_surrogate(arg[1])
                pieces = _uncased_ranges(*arg) if ci else [arg]
                parts.extend(_range_text(lo, hi, self.esc) for lo, hi in pieces)
            elif name == "CATEGORY":
                text = self.category(str(arg))
                if text[0] == "^":
                    raise Untranslatable(r"\D, \W or \S inside [...] with other items")
                parts.append(text)
            else:
                raise Untranslatable(f"the class item {name.lower()}")
        parts.extend(_class_char(c, self.esc) for c in cased)
        if not parts:  # nothing can match: a class no character is in
            everything = _range_text(0, 0x10FFFF, self.esc)
            return f"[{'' if negate else '^'}{everything}]"
        return f"[{'^' if negate else ''}{''.join(parts)}]"

    def category(self, category: str) -> str:
        """A category's class body; a leading ``^`` means the negated class."""
        table = {
            "CATEGORY_DIGIT": self.digit,
            "CATEGORY_WORD": self.word,
            "CATEGORY_SPACE": self.space,
        }
        positive = category.replace("CATEGORY_NOT_", "CATEGORY_")
        if positive not in table:
            raise Untranslatable(f"the class {category.lower()}")
        return ("^" if positive != category else "") + table[positive]


@lru_cache(maxsize=1024)
def translate(pattern: str, flavour: str, ignore_case: bool = False) -> str:
    """``pattern`` (a validated Python regex, searched ``ignore_case`` or not) in ``flavour``.

    The result is always a case-sensitive pattern: ignoring case (asked for, or the pattern's own
    ``(?i)``) is spelled out in it. Raises :class:`Untranslatable` naming what ``flavour``
    cannot express.
    """
    f = FLAVOURS[flavour]
    parsed = sre_parse.parse(pattern)
    flags = parsed.state.flags
    writer = _Writer(
        f,
        _Flags(
            dotall=bool(flags & re.DOTALL),
            multiline=bool(flags & re.MULTILINE),
            ascii=bool(flags & re.ASCII),
            ignore_case=ignore_case or bool(flags & re.IGNORECASE),
        ),
    )
    return writer.sequence(list(parsed), True, True)
