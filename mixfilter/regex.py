"""Regular expressions: which patterns a filter may carry, and how they are compiled.

A ``regex`` value must (1) compile with Python's ``re`` (the reference semantics), (2) stay within
the constructs every target engine understands — no backreferences, lookaround, conditionals,
atomic groups or possessive quantifiers, which RE2-based engines (DuckDB, ClickHouse) and POSIX
engines reject — and (3) be safe to run on a backtracking engine such as Python's or MongoDB's:
no variable quantifier inside a repeated group (``(a+)+``, ``(a?a?)+``, ``(a?){28}``) unless it
is the group's only one and the group holds a character it cannot match (``(\\d+,)*``), no
repeated alternation whose branches can start alike, ignoring case (``(a|ab)*``, ``(a|Ab)*``),
no more than :data:`MAX_UNBOUNDED` quantifiers of many lengths, bounded ones included
(``.{0,999}`` counts like ``.*``), and no more than :data:`MAX_OPTIONAL` optional parts
(``?``). Those are the shapes that make backtracking exponential or
high-degree polynomial. ``matches()`` itself runs most patterns on RE2, in linear time (below);
the checks bound the rest, and the backtracking engines of the targets (MongoDB, MariaDB, Spark,
SQLite's Python ``REGEXP``). See docs/security.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .regex_branches import REPEATS, has_ambiguous_branch, has_separator, raw_parse

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

#: Variable quantifiers that can take many lengths (``*``, ``+``, ``{n,}``, ``{m,n}`` with
#: n > m + 1) in one pattern: each multiplies the ways to match by up to the text's length.
MAX_UNBOUNDED = 3
#: Quantifiers of two lengths (``?``, ``{m,m+1}``) in one pattern: each at most doubles them.
MAX_OPTIONAL = 8
#: ... and this many count as one more quantifier of many lengths towards MAX_UNBOUNDED
#: (found by review: a?a?a?a?a?a?a?a?a*a*a*x took seconds on 150 characters).
OPTIONALS_PER_QUANTIFIER = 4

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


class RegexRejected(ValueError):
    """A pattern that is invalid, not portable, or unsafe; the message says which and why."""


def check_pattern(pattern: str) -> None:
    """Raise :class:`RegexRejected` unless ``pattern`` is a valid, portable, safe regex."""
    ambiguous = _ambiguous_set(pattern) if "[" in pattern or "(?" in pattern else None
    if ambiguous is not None:  # checked first: re warns (FutureWarning) when it reads them
        raise RegexRejected(ambiguous)
    read_apart = _read_apart(pattern)
    if read_apart is not None:
        raise RegexRejected(read_apart)
    try:
        re.compile(pattern)
        # The branches as written: Python's parser merges single-character branches into one set
        # ((\w|\d) becomes [\w\d]), but MongoDB's PCRE runs the pattern as written and tries
        # each branch in turn, so the checks below must see them.
        tree = raw_parse(pattern) if "|" in pattern else sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError, Warning) as exc:  # Warning: under -W error
        raise RegexRejected(f"invalid regular expression: {exc}") from None
    unbounded, optional = _walk(list(tree), inside_repeat=False)
    if optional > MAX_OPTIONAL:
        raise RegexRejected(
            f"regular expression has {optional} optional parts (? or {{m,m+1}}; at most "
            f"{MAX_OPTIONAL}): patterns like a?a?a?…aaa take exponential time in their number"
        )
    # each optional part multiplies the time of the others: four of them count as one more
    if unbounded * OPTIONALS_PER_QUANTIFIER + optional > MAX_UNBOUNDED * OPTIONALS_PER_QUANTIFIER:
        also = f" and {optional} optional parts (four count as one)" if optional else ""
        raise RegexRejected(
            f"regular expression has {unbounded} variable-length quantifiers{also} (at most "
            f"{MAX_UNBOUNDED}): patterns like .*.*.*.*x take polynomial time on long strings"
        )


# --- character sets that engines read differently ---------------------------------------------
# In Python's re, [[:alpha:]] is the set of "[:alph" followed by a "]"; in PCRE (MongoDB) it is a
# class of letters. Python warns (FutureWarning: "Possible nested set", "Possible set
# difference", ...) that a "[" first in a set, and a doubled - & ~ or | in one, will change
# meaning. Those are refused, and so are "[:", "[." and "[=" anywhere in a set. The parse tree does
# not show how a set was written, so the pattern is scanned as re's parser reads it (escapes,
# comments, verbose mode), without running re: catching its warnings with
# warnings.catch_warnings() would change the warning filters of every thread.

_INLINE_FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]*))?([:)])")
_SET_ESCAPE = re.compile(
    r"\\(?:x[0-9a-fA-F]{0,2}|u[0-9a-fA-F]{0,4}|U[0-9a-fA-F]{0,8}|N\{[^}]*\}?|[0-7]{1,3}|.?)", re.S
)
_SET_OPERATIONS = {
    "-": "difference",
    "&": "intersection",
    "~": "symmetric difference",
    "|": "union",
}
_POSIX_CLASS = (
    "regular expressions may not start a character set with '[' or use '[:', '[.' or '[=' in one "
    "([[:alpha:]]): Python's re reads them as characters (and warns that this will change), PCRE "
    "as classes; write \\[ for a literal [, and [a-zA-Z] for [:alpha:]"
)


#: A set that reads as a POSIX class on its own (``[:alpha:]``): PCRE refuses it outside a set
#: ("POSIX named classes are supported only within a class", checked on MariaDB's PCRE2).
_BARE_POSIX = re.compile(r"([:.=])[^\]\\]*\1\]")
_BARE_POSIX_CLASS = (
    "regular expressions may not use a POSIX class outside a character set ([:alpha:]): PCRE "
    "(MongoDB, MariaDB) refuses it, Python's re reads it as a set of characters; write "
    "[a-zA-Z] for [:alpha:], or [\\:alpha] for the characters"
)


#: Python 3.10 warns (DeprecationWarning) of global flags after the start and applies them to the
#: whole pattern; 3.11 refuses them; PCRE applies them from where they stand.
_LATE_FLAGS = (
    "regular expressions may set global flags such as (?x) only at the start of the pattern: "
    "engines disagree on what they apply to; move them to the start, or scope them as (?x:...)"
)


def _set_operation(op: str) -> str:
    return (
        f"regular expressions may not use {op * 2!r} in a character set ([a{op * 2}b]): Python's "
        f"re warns that it will become a set {_SET_OPERATIONS[op]}; write \\{op} for a literal {op}"
    )


#: White space PCRE's verbose mode skips in UTF mode and Python's does not (it skips ASCII only).
_PCRE_ONLY_SPACE = re.compile("[\x85\u200e\u200f\u2028\u2029]")
_VERBOSE = re.compile(r"\(\?[a-zA-Z]*x")
#: {m, n} with spaces: text to Python's re, a quantifier to PCRE2 10.43 and later.
_SPACED_BRACES = re.compile(r"(?<!\\)\{ *[0-9]* *(?:, *[0-9]* *)?\}")


def _read_apart(pattern: str) -> str | None:
    """Why Python's re and PCRE would read ``pattern`` as two different patterns, or None."""
    if _PCRE_ONLY_SPACE.search(pattern) and _VERBOSE.search(pattern):
        return (
            "regular expressions in verbose mode (?x) may not hold U+0085, U+200E, U+200F, "
            "U+2028 or U+2029 unescaped: MongoDB's PCRE skips them as white space, Python's re "
            "does not; write them as \\u2028 and so on"
        )
    for m in _SPACED_BRACES.finditer(pattern):
        if " " in m.group() and any(c.isdigit() for c in m.group()):
            return (
                f"{m.group()!r} with spaces is text to Python's re but a quantifier to newer "
                "PCRE (MongoDB): write it without spaces, or escape the brace (\\{)"
            )
    return None


def _ambiguous_set(pattern: str) -> str | None:
    """Why a character set in ``pattern`` is not portable, or None."""
    found, global_verbose = _scan(pattern, verbose=False)
    if found is None and global_verbose:  # Python 3.10 reads the whole pattern again, verbose
        found = _scan(pattern, verbose=True)[0]
    return found


def _scan(pattern: str, verbose: bool) -> tuple[str | None, bool]:
    """The first ambiguous set (not in a comment) or global flags after the start of
    ``pattern``, and whether ``(?x)`` occurs."""
    levels = [verbose]  # whether each open group is in verbose mode
    global_verbose = False
    at_start = True  # nothing but global flags so far
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        flags = _INLINE_FLAGS.match(pattern, i) if ch == "(" else None
        if flags is not None and flags[3] == ")":
            if not at_start:
                return _LATE_FLAGS, global_verbose
        elif at_start and not _not_an_item(pattern, i, verbose=levels[-1]):
            at_start = False
        if ch == "\\":
            i += 2
        elif ch == "[":
            found, i = _scan_set(pattern, i + 1)
            if found is not None:
                return found, global_verbose
        elif pattern.startswith("(?#", i):
            i = _skip_to(pattern, i + 3, ")")
        elif flags is not None:
            on, off = "x" in flags[1], "x" in (flags[2] or "")
            if flags[3] == ")":  # global flags, such as (?x)
                global_verbose |= on
                levels[-1] |= on
            else:
                levels.append((levels[-1] or on) and not off)
            i = flags.end()
        elif ch in "()|":
            if ch == "(":
                levels.append(levels[-1])
            elif ch == ")" and len(levels) > 1:
                levels.pop()
            elif ch == "|" and len(levels) == 1:  # a top-level branch: the global mode again
                levels[0] = verbose or global_verbose
            i += 1
        elif ch == "#" and levels[-1]:
            i = _skip_to(pattern, i + 1, "\n")
        else:
            i += 1
    return None, global_verbose


def _not_an_item(pattern: str, i: int, verbose: bool) -> bool:
    """Whether what starts at ``i`` is a comment (or, in verbose mode, space), not an item."""
    return pattern.startswith("(?#", i) or (verbose and (pattern[i].isspace() or pattern[i] == "#"))


def _skip_to(pattern: str, i: int, end: str) -> int:
    """Past the next ``end`` that is not escaped (the end of a comment)."""
    while i < len(pattern) and pattern[i] != end:
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _scan_set(pattern: str, i: int) -> tuple[str | None, int]:
    """The set whose ``[`` is just before ``i``: what is ambiguous in it, and where it ends.

    As re's parser reads a set: ``]`` first is a character, ``-`` before the closing ``]`` too;
    re warns of a ``[`` first, of a doubled ``- & ~ |`` after the first item, and of a range
    ending in ``-`` (``[+--]``)."""
    if pattern.startswith("[", i):
        return _POSIX_CLASS, i
    if _BARE_POSIX.match(pattern, i):
        return _BARE_POSIX_CLASS, i
    i += pattern.startswith("^", i)
    first = True
    while i < len(pattern):
        item, i = _set_item(pattern, i)
        if item == "]" and not first:
            return None, i
        if not first and item in _SET_OPERATIONS and pattern.startswith(item, i):
            return _set_operation(item), i
        if pattern.startswith("-", i):  # a range, or a - before the closing ]
            item, i = _set_item(pattern, i + 1)
            if item == "]":
                return None, i
            if item == "-":
                return _set_operation("-"), i
        if item == "[" and pattern[i : i + 1] in (":", ".", "="):
            return _POSIX_CLASS, i
        first = False
    return None, i


def _set_item(pattern: str, i: int) -> tuple[str, int]:
    """The character or escape at ``i`` in a set, and where it ends."""
    escape = _SET_ESCAPE.match(pattern, i)
    end = escape.end() if escape else i + 1
    return pattern[i:end], end


def _walk(items: list[tuple[Any, Any]], inside_repeat: bool) -> tuple[int, int]:
    """Check one sequence of the parsed pattern; return how many variable quantifiers it has:
    those of many lengths, and those of two (``?``)."""
    count = optional = 0
    for op, arg in items:
        name = str(op)
        if name in _REJECTED:
            raise RegexRejected(
                f"regular expressions may not use {_REJECTED[name]}: not every target engine "
                "supports them"
            )
        if name in REPEATS:
            low, high, body = arg
            body = list(body)
            variable = low != high
            if variable and inside_repeat:
                raise RegexRejected(
                    "nested quantifiers: a variable quantifier inside a repeated group, such as "
                    "(a+)+, (a?a?)+ or (a?){20}, can take exponential time; rewrite without it"
                )
            repeats_many = high > 1
            # (inside a repeat, the outer repeat's check has read this body already)
            if repeats_many and not inside_repeat and has_ambiguous_branch(body):
                raise RegexRejected(
                    "a repeated alternation whose branches can start with the same character "
                    "(ignoring case), such as (a|ab)*, can take exponential time"
                )
            # a body such as \d+, in (\d+,)* is walked as if it were not repeated: its one
            # quantifier stops at the comma in every repetition (regex_branches.has_separator)
            nested = repeats_many and not has_separator(body)
            wide, two = _walk(body, inside_repeat or nested)
            count += wide + (high - low > 1)
            optional += two + (high - low == 1)
        elif name == "SUBPATTERN":
            wide, two = _walk(list(arg[-1]), inside_repeat)
            count, optional = count + wide, optional + two
        elif name == "BRANCH":
            walked = [_walk(list(b), inside_repeat) for b in arg[1]]
            count += max((w for w, _ in walked), default=0)
            optional += max((t for _, t in walked), default=0)
    return count, optional


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
