"""The MongoDB target: a filter compiled into a query document for pymongo's ``find()``.

``to_mongo(filter)`` returns a plain dict that selects exactly the documents
:func:`mixfilter.matches` accepts (SPEC §5); ``docs/mongo.md`` has the operator table and the
reasons for each form. The short version:

* Values never become operators. Every ``$`` key in the output was chosen here; user strings only
  ever appear as values, inside ``$regex`` patterns after escaping, or as field paths that were
  checked (a path segment starting with ``$`` is refused).
* Case-insensitive string matching (Mixpeek's default) is an escaped, anchored regex in which
  each letter is the class of its cases by ``str.lower()`` (``[aA]``): the regex ``i`` option
  folds by other tables. Anchors are ``\\A`` and ``\\z`` because ``$`` also matches before a
  final newline.
* ``eq null`` must match a missing field, and MongoDB's own ``{f: null}`` disagrees with the
  reference on dotted paths through arrays (``a.b`` over ``[{b: 1}, {}]``); dotted paths therefore
  get ``{"$or": [{f: {"$exists": false}}, {f: {"$type": "null"}}]}``.
* Negations (``ne``, ``nin``, ``NOT``, ``exists false``, ``is_null false``) are built by
  :func:`negate`, which only uses MongoDB's exact complements (``$nin``, ``$not``, ``$nor``): they
  keep documents where the field is missing, as the reference does.
* ``text`` is a regex of whole words, not ``$text``: ``$text`` needs a text index, stems and drops
  stop words, and cannot be combined freely with ``$or``/``$nor``.

Nothing here imports pymongo or bson; :func:`to_mongo_json` imports ``bson.json_util`` only
when the query holds BSON dates, and ``bson_dates=True`` imports ``bson`` only for a date past
the years a ``datetime`` holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..api import FilterLike, as_filter
from ..bindings import bind, bind_field, check_bindings, is_bound
from ..errors import FilterCompileError, FilterOptionError, quote_slice, reject_unknown_options
from ..limits import Limits, resolve
from ..lowercase import lower_table, spell_lower, spell_lower_word
from ..model import Condition, DynamicValue, Node, Value, is_checked

if TYPE_CHECKING:
    from bson.datetime_ms import DatetimeMS

Query = dict[str, Any]
TARGET = "MongoDB"
_OPTIONS = ("bindings", "bson_dates", "limits")

#: The query that matches nothing. MongoDB has no literal "false" outside ``$expr``; ``{}``
#: matches every document, so "none of [everything]" matches none.
FALSE: Query = {"$nor": [{}]}


# --- strings into regex patterns --------------------------------------------------------------
# Python's re.escape is close, but it puts a raw newline or NUL after a backslash; MongoDB refuses
# a pattern holding a NUL byte, so control characters become \xHH, which PCRE and Python both read.
# Backslash before ASCII punctuation is a literal in both dialects; letters and digits are never
# escaped (\d, \1 ... would change meaning), and other characters stand for themselves.
_ESCAPES = {ord(ch): "\\" + ch for ch in "\\.^$*+?()[]{}|/-#&~ "}
_ESCAPES.update({i: f"\\x{i:02x}" for i in (*range(0x20), 0x7F)})


@lru_cache(maxsize=4096)
def escape(text: str) -> str:
    """``text`` as a regex that matches it literally, in PCRE and in Python's ``re``."""
    return text.translate(_ESCAPES)


# Ignoring case is spelled out: each letter becomes the class of the characters whose lower() it
# is (mixfilter.lowercase), and the pattern runs without the "i" option, whose folding (PCRE's,
# or Python's re on a test server) pairs other letters: final with plain sigma, long s with s.


@lru_cache(maxsize=1)
def _lower_table() -> dict[int, str]:
    return lower_table(_ESCAPES)


@lru_cache(maxsize=4096)
def _ci_literal(text: str) -> str:
    """``text`` as a regex matching it ignoring case as ``str.lower()`` does."""
    return spell_lower(text, _lower_table())


def _ci_regex(path: str, prefix: str, text: str, suffix: str) -> Query:
    return {path: {"$regex": _fits(prefix + _ci_literal(text) + suffix)}}


#: mongod compiles $regex with PCRE2's max_pattern_length set to 16,384 bytes ("pattern string
#: is longer than the limit set by the application"): longer patterns are refused here, with a
#: message, instead of by the server; a long ``in`` list is split into several patterns.
MAX_PATTERN_BYTES = 16_384


def _fits(pattern: str) -> str:
    if len(pattern) * 4 > MAX_PATTERN_BYTES and len(pattern.encode()) > MAX_PATTERN_BYTES:
        raise FilterCompileError(
            f"this value needs a regex of {len(pattern.encode()):,} bytes, and MongoDB refuses "
            f"patterns over {MAX_PATTERN_BYTES:,} (ignoring case writes each letter as its cases, "
            "[aA]): use a shorter value, or case_sensitive",
            target=TARGET,
        )
    return pattern


def _ci_exact(path: str, texts: tuple[str, ...]) -> Query:
    # \z, not $: "$" also matches before a trailing newline, so "a\n" would equal "a".
    if len(texts) == 1:
        return _ci_regex(path, "\\A", texts[0], "\\z")
    patterns = _ci_any(texts)
    if len(patterns) == 1:
        return {path: {"$regex": patterns[0]}}
    return {"$or": [{path: {"$regex": p}} for p in patterns]}


@lru_cache(maxsize=1024)
def _ci_any(texts: tuple[str, ...]) -> tuple[str, ...]:
    """Anchored alternations of ``texts`` ignoring case, as few as fit in MAX_PATTERN_BYTES."""
    out: list[str] = []
    branches: list[str] = []
    size = 0
    for text in texts:
        branch = _ci_literal(text)
        cost = len(branch.encode()) + 1
        if branches and size + cost + 8 > MAX_PATTERN_BYTES:  # 8: \A(?: ... )\z
            out.append(_fits("\\A(?:" + "|".join(branches) + ")\\z"))  # one long branch
            branches, size = [], 0
        branches.append(branch)
        size += cost
    out.append(_fits("\\A(?:" + "|".join(branches) + ")\\z"))
    return tuple(out)


#: an inline flag group, global ``(?iu)`` or scoped ``(?u:`` / ``(?i-s:``: its "on" letters, rest
_FLAGS = re.compile(r"\(\?([aiLmsux]+)((?:-[imsx]*)?[:)])")
#: a counted repetition {n}, {n,} or {n,m}; PCRE's largest count (Python's is far larger)
_COUNT = re.compile(r"\{(\d+)(?:,(\d*))?\}")
PCRE_MAX_REPEAT = 65535
_UPTO = re.compile(r"\{,(\d+)\}")
_PY_ONLY = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|N\{([^}]*)\})")


def _check_count(pattern: str, count: re.Match[str]) -> None:
    if any(int(c) > PCRE_MAX_REPEAT for c in count.groups() if c):
        raise FilterCompileError(
            f"regex {pattern!r} repeats {count.group()}: MongoDB's PCRE refuses a count above "
            f"{PCRE_MAX_REPEAT:,}; split the repetition (a{{60000}}a{{60000}})",
            target=TARGET,
        )


@lru_cache(maxsize=1024)
def pcre_pattern(pattern: str) -> str:
    """A user's Python ``re`` pattern in the PCRE dialect MongoDB runs.

    The validator already refused constructs that are not portable; what is left to translate:
    Python's ``\\Z`` is the absolute end, which PCRE spells ``\\z`` (PCRE's ``\\Z`` also matches
    before a final newline); ``\\uXXXX`` / ``\\UXXXXXXXX`` / ``\\N{name}`` do not exist in PCRE and
    become the literal character; ``{,n}`` is a quantifier in Python but literal text in PCRE
    before 10.43, so it becomes ``{0,n}``; a raw U+0000 (which MongoDB refuses in a pattern)
    becomes ``\\x00``; the ``u`` flag (``(?u)``, ``(?iu:...)``), which changes nothing in a
    Python ``str`` pattern and which PCRE does not know, is left out; and a counted repetition
    above PCRE's 65,535 (which mongod would refuse) is a FilterCompileError.
    """
    if (
        "\\" not in pattern
        and "{" not in pattern  # {,n} to rewrite, or a count to check
        and "\0" not in pattern
        and not ("(?" in pattern and "u" in pattern)
    ):
        return pattern
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            m = _PY_ONLY.match(pattern, i)
            if m is not None:
                code, wide, name = m.groups()
                if name is not None:
                    import unicodedata

                    literal = unicodedata.lookup(name)
                else:
                    literal = chr(int(code or wide, 16))
                out.append(escape(literal))
                i = m.end()
                continue
            nxt = pattern[i + 1]
            if nxt == "\0":  # an escaped NUL is a NUL, which MongoDB refuses raw
                out.append("\\x00")
            else:
                out.append("\\z" if nxt == "Z" and not in_class else pattern[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            if i < n and pattern[i] == "^":  # a leading ] or ^] is a literal, not the end
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":
                out.append("]")
                i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        elif ch == "(" and not in_class and (flags := _FLAGS.match(pattern, i)) is not None:
            on = flags.group(1).replace("u", "")
            rest = flags.group(2)
            if on or rest != ")":  # (?u) alone says nothing: it goes
                out.append("(?" + on + rest)
            i = flags.end()
            continue
        elif ch == "{" and not in_class and (count := _COUNT.match(pattern, i)) is not None:
            _check_count(pattern, count)
            out.append(count.group())
            i = count.end()
            continue
        elif ch == "{" and not in_class and pattern.startswith("{,", i):
            m2 = _UPTO.match(pattern, i)
            if m2 is not None and out:
                _check_count(pattern, m2)
                out.append("{0," + m2.group(1) + "}")
                i = m2.end()
                continue
        out.append("\\x00" if ch == "\0" else ch)
        i += 1
    return "".join(out)


_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=1024)
def _text_pattern(query: str) -> str:
    """Every word of ``query`` as a whole word of one string (one element of an array).

    One pattern, not one condition per word: MongoDB tests each condition against any element of
    an array independently, but the reference wants all the words in the same string.
    """
    # each letter as its cases
    words = [spell_lower_word(w) for w in dict.fromkeys(w.lower() for w in _WORDS.findall(query))]
    if len(words) == 1:
        return "\\b" + words[0] + "\\b"
    # Anchored look-aheads: each scans the string once; unanchored they would rescan per offset.
    return "\\A" + "".join(f"(?=[\\s\\S]*?\\b{w}\\b)" for w in words)


# --- values -----------------------------------------------------------------------------------

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,  # ASCII digits: int() also reads Arabic-Indic or full-width ones
)


def iso_datetime(text: str) -> datetime | DatetimeMS | None:
    """The UTC datetime an ISO-8601 date or datetime string names; ``None`` for other strings.

    A date is its midnight; a datetime without an offset is taken as UTC. BSON dates hold
    milliseconds, so pymongo drops finer digits. A time that its offset moves past the years
    ``datetime`` holds (``9999-12-31T23:59:59-01:00`` is 10000-01-01 in UTC) is a
    ``bson.DatetimeMS``: a BSON date all the same (it needs pymongo's ``bson``: without it,
    such a time is a :class:`~mixfilter.errors.FilterCompileError`).
    """
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    tz = timezone.utc
    if zone and zone not in "Zz":
        sign = -1 if zone[0] == "-" else 1
        hours, minutes = int(zone[1:3]), int(zone[-2:]) if len(zone) > 3 else 0
        if hours > 23 or minutes > 59:
            return None
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        parsed = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo=tz,
        )  # fmt: skip
    except ValueError:
        return None
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:  # past year 9999 or before year 1 in UTC
        return _datetime_ms(parsed)


def _datetime_ms(when: datetime) -> DatetimeMS:
    """``when`` as milliseconds since the epoch, in pymongo's ``DatetimeMS``."""
    try:
        from bson.datetime_ms import DatetimeMS
    except ImportError:
        raise FilterCompileError(
            f"{when.isoformat()} is outside the years 1 to 9999 in UTC: a BSON date of it "
            "needs pymongo (pip install 'mixfilter[mongo]')",
            target="mongo",
        ) from None
    offset = when.utcoffset() or timedelta(0)
    local = when.replace(tzinfo=timezone.utc) - _EPOCH
    return DatetimeMS((local - offset) // timedelta(milliseconds=1))


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class _Context:
    __slots__ = ("bindings", "bson_dates", "limits")

    def __init__(
        self, bindings: Mapping[str, Any] | None, bson_dates: bool, limits: Limits | None = None
    ) -> None:
        self.bindings = bindings
        self.bson_dates = bson_dates
        self.limits = limits  # for bound values (None: the defaults)

    def scalar(self, value: Any) -> Any:
        if self.bson_dates and type(value) is str:
            when = iso_datetime(value)
            if when is not None:
                return when
        return value


#: The context of a call without bindings or BSON dates (contexts are never changed).
_PLAIN = _Context(None, False)


# --- paths --------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def mongo_path(field: str) -> str:
    """``field`` checked as a MongoDB query path (returned unchanged)."""
    for segment in field.split("."):
        if not segment:
            raise FilterCompileError(
                f"field {_quote(field)} has an empty path segment", target=TARGET
            )
        if segment.startswith("$"):
            raise FilterCompileError(
                f"field {_quote(field)}: MongoDB reads a path segment starting with '$' as an "
                f"operator or positional marker ({_quote(segment)}), so it cannot be queried",
                target=TARGET,
            )
        if "\x00" in segment:
            raise FilterCompileError(
                f"field {_quote(field)}: MongoDB field names cannot contain a NUL character",
                target=TARGET,
            )
    return field


def _quote(text: str) -> str:
    """A field name in an error message: at most 80 characters of it."""
    return quote_slice(text, 80)


# --- negation ---------------------------------------------------------------------------------
# MongoDB's own complements keep documents where the field is missing or null, which is exactly
# the reference's negation. $not wraps one field's operator expression; $nor wraps anything.

#: Field operators that $not may wrap. ($not of $not, of $exists, or of several operators at once
#: is refused or unclear across versions; those go through $nor.)
_NOT_WRAPPABLE = frozenset({"$regex", "$type", "$gt", "$gte", "$lt", "$lte", "$eq"})
_FLIP = {"$in": "$nin", "$nin": "$in", "$ne": "$eq", "$eq": "$ne"}


def negate(query: Query) -> Query:
    """The query that matches exactly the documents ``query`` does not match."""
    if len(query) == 1:
        ((key, spec),) = query.items()
        if key == "$or":
            return {"$nor": spec}
        if key == "$nor":
            return dict(spec[0]) if len(spec) == 1 else {"$or": spec}
        if not key.startswith("$"):
            if not isinstance(spec, dict):
                return {key: {"$ne": spec}}
            if len(spec) == 1:
                ((op, operand),) = spec.items()
                if op == "$not":
                    return {key: operand}
                if op in _FLIP:
                    return {key: {_FLIP[op]: operand}}
                if op == "$exists":
                    return {key: {"$exists": not operand}}
                if op in _NOT_WRAPPABLE:
                    return {key: {"$not": spec}}
            elif len(spec) == 2 and "$regex" in spec and "$options" in spec:
                return {key: {"$not": spec}}  # a case-insensitive match (no set built per call)
    if not query:
        return dict(FALSE)
    return {"$nor": [query]}


# --- one builder per operator: (path, value, case_sensitive, context) -> query ------------------


def _is_null_query(path: str) -> Query:
    if "." not in path:
        return {path: None}  # missing, null, or an array holding null
    # {a.b: null} also matches a: [{b: 1}, {}] (an element without b), and misses a: [1, 2],
    # where the reference says a.b is present resp. missing. Spell out the reference instead.
    return {"$or": [{path: {"$exists": False}}, {path: {"$type": "null"}}]}


def _eq(path: str, value: Any, cs: bool, ctx: _Context) -> Query:
    if value is None:
        return _is_null_query(path)
    if type(value) is str:
        if ctx.bson_dates:
            value = ctx.scalar(value)
        if not cs and type(value) is str:
            return _ci_regex(path, "\\A", value, "\\z")
    # A scalar in field position is equality, never an operator; bool != number in BSON order.
    return {path: value}


def _in(path: str, values: Any, cs: bool, ctx: _Context) -> Query:
    if ctx is _PLAIN and None not in values:  # the common lists first: no null, no dates
        if cs:
            return {path: {"$in": list(values)}}  # nothing to fold
        strings = _count_strings(values)
        if not strings:
            return {path: {"$in": list(values)}}
        if strings == len(values):  # strings only, folded: one anchored regex
            return _ci_exact(path, values)
    plain: list[Any] = []
    folded: list[str] = []
    has_null = False
    for value in values:
        if value is None:
            has_null = True
            continue
        value = ctx.scalar(value)
        if isinstance(value, str) and not cs:
            folded.append(value)
        else:
            plain.append(value)
    flat = "." not in path
    if has_null and flat:
        plain.append(None)  # $in: [null] on a plain field is eq null
    terms: list[Query] = []
    if plain or not (folded or has_null):
        terms.append({path: {"$in": plain}})
    if folded:
        terms.append(_ci_exact(path, tuple(folded)))
    if has_null and not flat:
        terms.append(_is_null_query(path))
    return _or(terms)


def _count_strings(values: tuple[Any, ...]) -> int:
    # a plain loop, not sum(...): no generator frame on the hot path
    count = 0
    for value in values:
        if type(value) is str:
            count += 1
    return count


def _range(op: str) -> Callable[[str, Any, bool, _Context], Query]:
    # Always case-sensitive (SPEC §5). MongoDB's comparison only looks at values of the same
    # BSON type class, so numbers never compare with strings or booleans: no coercion, as in §5.
    def build(path: str, value: Any, cs: bool, ctx: _Context) -> Query:
        return {path: {op: ctx.scalar(value) if ctx.bson_dates else value}}

    return build


def _string(prefix: str, suffix: str) -> Callable[[str, Any, bool, _Context], Query]:
    def build(path: str, value: Any, cs: bool, ctx: _Context) -> Query:
        if cs:
            return {path: {"$regex": _fits(prefix + escape(value) + suffix)}}
        return _ci_regex(path, prefix, value, suffix)

    return build


def _regex(path: str, value: Any, cs: bool, ctx: _Context) -> Query:
    if cs:
        return {path: {"$regex": _fits(pcre_pattern(value))}}
    return {path: {"$regex": _fits(pcre_pattern(value)), "$options": "i"}}


def _text(path: str, value: Any, cs: bool, ctx: _Context) -> Query:
    return {path: {"$regex": _fits(_text_pattern(value))}}  # ignores case (spelled out), always


def _exists(path: str, value: Any, cs: bool, ctx: _Context) -> Query:
    return {path: {"$exists": bool(value)}}


def _is_null(path: str, value: Any, cs: bool, ctx: _Context) -> Query:
    # Present and null (or an array holding null): $type "null" never matches a missing field.
    if value:
        return {path: {"$type": "null"}}
    return {path: {"$not": {"$type": "null"}}}


_BUILDERS: dict[str, Callable[[str, Any, bool, _Context], Query]] = {
    "eq": _eq,
    "in": _in,
    "gt": _range("$gt"),
    "gte": _range("$gte"),
    "lt": _range("$lt"),
    "lte": _range("$lte"),
    "contains": _string("", ""),
    "starts_with": _string("\\A", ""),
    "ends_with": _string("", "\\z"),
    "regex": _regex,
    "text": _text,
    "exists": _exists,
    "is_null": _is_null,
}
#: ne / nin are the exact negations of eq / in (so they keep missing and null fields).
_NEGATED = {"ne": "eq", "nin": "in"}


# --- the tree ---------------------------------------------------------------------------------


def _condition(c: Condition, cs: bool, ctx: _Context) -> Query:
    d = c.__dict__
    operator: str = d["operator"]
    value: Value = d["value"]
    kind = type(value)
    if kind is str:
        if "{{" in value and not is_bound(value):  # type: ignore[operator]  # no template: common
            value = bind(operator, value, ctx.bindings, TARGET, ctx.limits)
    elif kind is tuple:
        for item in value:  # type: ignore[union-attr]  # a plain loop: no generator frame
            if type(item) is str and "{{" in item:  # a template, maybe: let bind() decide
                value = bind(operator, value, ctx.bindings, TARGET, ctx.limits)
                break
    elif kind is DynamicValue:
        value = bind(operator, value, ctx.bindings, TARGET, ctx.limits)
    field: str = d["field"]
    if "{{" in field:  # a template in the field name (Mixpeek allows one)
        field = bind_field(field, ctx.bindings, TARGET)
    path = mongo_path(field)
    positive = _NEGATED.get(operator)
    if positive is None:
        return _BUILDERS[operator](path, value, cs, ctx)
    return negate(_BUILDERS[positive](path, value, cs, ctx))


def _node(node: Node, cs: bool, ctx: _Context) -> Query:
    if type(node) is Condition:
        return _condition(node, cs, ctx)
    # Read the model's fields directly: this loop is the hot path of to_mongo.
    d = node.__dict__
    own = d["case_sensitive"]
    if own is not None:
        cs = own
    # Conditions are compiled right here, without a call of _node for each.
    items = d["AND"]
    if items is not None:
        if len(items) == 1 and type(items[0]) is Condition:
            return _condition(items[0], cs, ctx)  # a lone condition ({"AND": [c]}): its query
        return _and(
            [_condition(i, cs, ctx) if type(i) is Condition else _node(i, cs, ctx) for i in items]
        )
    either = d["OR"]
    items = d["NOT"] if either is None else either
    if items is None:
        return {}  # the empty group matches everything
    if len(items) == 1 and type(items[0]) is Condition:  # (c) or not (c): no list to merge
        query = _condition(items[0], cs, ctx)
        return query if either is not None else negate(query)
    parts = [_condition(i, cs, ctx) if type(i) is Condition else _node(i, cs, ctx) for i in items]
    return _or(parts) if either is not None else negate(_or(parts))  # NOT: none of the items


def _and(parts: list[Query]) -> Query:
    merged: Query = {}
    size = 0
    for part in parts:
        merged.update(part)
        size += len(part)
    if len(merged) == size and "$and" not in merged and "$nor" not in merged:
        return merged  # the common case: no key twice, nothing to flatten, no FALSE
    kept: list[Query] = []
    size = 0
    for part in parts:
        if len(part) == 1:
            if "$and" in part:
                for sub in part["$and"]:
                    kept.append(sub)
                    size += len(sub)
                continue
            if "$nor" in part and part == FALSE:
                return dict(FALSE)
            kept.append(part)
            size += 1
        elif part:  # {} is TRUE: no constraint
            kept.append(part)
            size += len(part)
    if len(kept) <= 1:
        return kept[0] if kept else {}  # one-item groups collapse
    merged = {}
    for part in kept:
        merged.update(part)
    if len(merged) == size:  # no key twice: one document, {a: 1, b: 2}
        return merged
    # Parts that share a key ({n: {$gt: 1}} and {n: {$lt: 5}}) cannot merge: they go into one
    # $and, and the parts with keys of their own stay merged beside it.
    seen: dict[str, int] = {}
    for part in kept:
        for key in part:
            seen[key] = seen.get(key, 0) + 1
    merged = {}
    together: list[Query] = []
    for part in kept:
        if any(seen[key] > 1 for key in part):
            together.append(part)
            continue
        for key, spec in part.items():
            if key == "$and":  # a part's own $and joins the shared one, never replaces it
                together.extend(spec)
            else:
                merged[key] = spec
    if together:
        merged["$and"] = together
    return merged


def _or(parts: list[Query]) -> Query:
    kept: list[Query] = []
    for part in parts:
        if len(part) != 1:
            if not part:
                return {}  # TRUE
            kept.append(part)
        elif "$or" in part:
            kept.extend(part["$or"])
        elif "$nor" not in part or part != FALSE:
            kept.append(part)
    if not kept:
        return dict(FALSE)
    return kept[0] if len(kept) == 1 else {"$or": kept}


# --- public -----------------------------------------------------------------------------------


def to_mongo(
    filter: FilterLike,
    *,
    bindings: Mapping[str, Any] | None = None,
    bson_dates: bool = False,
    limits: Limits | None = None,
    **unknown: object,
) -> Query:
    """Compile ``filter`` (a Filter, expression text or filter JSON) into a pymongo query.

    >>> to_mongo('status = "active" and age >= 30')
    {'status': {'$regex': '\\\\A[aA][cC][tT][iI][vV][eE]\\\\z'}, 'age': {'$gte': 30}}

    ``bindings`` resolves templates (``{{INPUT.x}}``) and dynamic values; an unbound one raises
    :class:`~mixfilter.errors.FilterCompileError` naming it. ``bson_dates=True`` turns ISO-8601
    date and datetime strings in comparisons (``eq ne gt gte lt lte in nin``) into UTC
    ``datetime`` objects (``bson.DatetimeMS`` past the years ``datetime`` holds), which pymongo
    sends as BSON dates; otherwise they stay strings, which
    compare correctly as long as the stored strings share one format. The result is a fresh dict
    that ``json.dumps`` accepts (with ``bson_dates``, render it with :func:`to_mongo_json`).
    """
    plain = bindings is None and bson_dates is False and limits is None and not unknown
    if plain and is_checked(filter):  # the common call: a parsed/validated filter, no options
        return _node(filter, False, _PLAIN)  # type: ignore[arg-type]
    reject_unknown_options("to_mongo", unknown, _OPTIONS)
    checked = check_bindings(bindings, "to_mongo")
    if not isinstance(bson_dates, bool):
        raise FilterOptionError(
            f"bson_dates must be True or False, got {type(bson_dates).__name__}"
        )
    resolved = resolve(limits)
    parsed = as_filter(filter, resolved)
    return _node(parsed, False, _Context(checked, bson_dates, resolved))


def to_mongo_json(query: Query, *, indent: int | None = 2, **unknown: object) -> str:
    """A query from :func:`to_mongo` as JSON text (what ``mixfilter mongo`` prints).

    Plain JSON, or MongoDB relaxed Extended JSON when the query holds BSON dates
    (``{"$date": "2024-01-15T00:00:00Z"}``, via ``bson.json_util``, imported only then).
    ``indent`` is a number of spaces, or ``None`` for one line."""
    reject_unknown_options("to_mongo_json", unknown, ("indent",))
    if indent is not None and (type(indent) is not int or indent < 0):
        raise FilterOptionError(
            f"indent must be a number of spaces (0 or more) or None, got {indent!r}"
        )
    if not isinstance(query, dict):
        raise FilterOptionError(
            f"to_mongo_json() renders a query from to_mongo(), got {type(query).__name__}"
        )
    try:
        return json.dumps(query, indent=indent, ensure_ascii=False)
    except (TypeError, ValueError):  # a BSON date, or something to_mongo() never returns
        pass
    from bson import json_util  # without pymongo: an ImportError naming the extra to install

    try:
        return json_util.dumps(
            query, indent=indent, ensure_ascii=False, json_options=json_util.RELAXED_JSON_OPTIONS
        )
    except (TypeError, ValueError, RecursionError) as exc:
        raise FilterOptionError(
            "to_mongo_json() renders a query from to_mongo(): it holds what neither JSON nor "
            f"MongoDB Extended JSON can write ({exc})"
        ) from None


__all__ = [
    "FALSE",
    "escape",
    "iso_datetime",
    "negate",
    "pcre_pattern",
    "to_mongo",
    "to_mongo_json",
]
