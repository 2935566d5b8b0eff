"""Size and depth limits for untrusted input.

The defaults are meant for a public search box or an API that accepts filter JSON. They are
checked before anything can recurse, so hostile input gets a :class:`FilterLimitError` quickly
instead of a ``RecursionError`` or a long stall. Override them per call (``limits=Limits(...)``)
or for the whole process with :func:`set_default_limits`.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from dataclasses import dataclass

from .errors import FilterLimitError, FilterOptionError, reject_unknown_options


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one filter may contain. All values are positive integers."""

    #: Characters of expression text (or of a JSON document given as a string).
    max_text_length: int = 100_000
    #: Nesting of groups: each parenthesis, ``not``, or JSON logical node is one level.
    max_depth: int = 32
    #: Conditions in one filter.
    max_conditions: int = 10_000
    #: Items in one ``in`` / ``nin`` list.
    max_list_length: int = 10_000
    #: Characters in one string value or field name.
    max_string_length: int = 10_000
    #: Characters in one ``regex`` pattern.
    max_regex_length: int = 1_000

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise FilterOptionError(
                    f"Limits.{f.name} must be a positive integer, got {value!r}"
                )

    def check(self, name: str, actual: int, where: str = "") -> None:
        """Raise :class:`FilterLimitError` if ``actual`` is over the limit called ``name``."""
        value: int = getattr(self, name)
        if actual > value:
            raise FilterLimitError(name, value, actual, where)


_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(Limits))
_lock = threading.Lock()
_default = Limits()


def default_limits() -> Limits:
    """The limits used when a call passes none."""
    return _default


def set_default_limits(limits: Limits | None = None, **changes: int) -> Limits:
    """Set the process-wide default limits; returns the previous ones.

    ``set_default_limits(max_depth=64)`` changes one limit and keeps the others.
    ``set_default_limits(Limits())`` restores the built-in defaults.
    """
    global _default
    if limits is not None and not isinstance(limits, Limits):
        raise FilterOptionError(f"expected a Limits instance, got {type(limits).__name__}")
    with _lock:
        previous = _default
        base = limits if limits is not None else previous
        unknown = {k: v for k, v in changes.items() if k not in _FIELD_NAMES}
        reject_unknown_options("set_default_limits", unknown, _FIELD_NAMES)
        _default = dataclasses.replace(base, **changes)
    return previous


def resolve(limits: Limits | None) -> Limits:
    if limits is None:
        return _default
    if not isinstance(limits, Limits):
        raise FilterOptionError(f"limits must be a mixfilter.Limits, got {type(limits).__name__}")
    return limits


# Brackets outside string literals: used to measure nesting before any parser runs. Quoted
# strings (all three quote styles, with backslash escapes) are matched whole and skipped.
_BRACKETS = re.compile(
    r"""[\[\](){}]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`""", re.S
)
_OPEN = frozenset("([{")


# A run of ``not`` keywords (``not not (not …``) nests one level per ``not``; the parser would only
# see the depth after shifting the whole run, so long runs are rejected up front.
_NOT_RUN = re.compile(r"\bnot(?:[\s(]+not)*\b", re.I)


def check_not_runs(text: str, limits: Limits) -> None:
    """Reject text with a longer run of ``not`` keywords than the depth limit allows."""
    if len(text) < 4 * limits.max_depth:
        return
    for match in _NOT_RUN.finditer(text):
        run = match.group().lower().count("not")
        if run > limits.max_depth:
            raise FilterLimitError(
                "max_depth", limits.max_depth, run, f"character {match.start() + 1}"
            )


def check_bracket_depth(text: str, limits: Limits) -> None:
    """Reject text whose brackets nest deeper than ``max_depth`` (plus the list / JSON-array
    levels a well-formed filter needs), without recursing. Linear in ``len(text)``."""
    # JSON spends two levels per logical node ({"AND": [ ... ]}) and one more for a condition
    # object, so the raw bracket budget is twice the logical depth plus a little.
    budget = 2 * limits.max_depth + 3
    if text.count("(") + text.count("[") + text.count("{") <= budget:
        return  # not enough brackets to nest that deep (the count includes those in strings)
    depth = 0
    for match in _BRACKETS.finditer(text):
        ch = match.group()
        if len(ch) != 1:
            continue
        if ch in _OPEN:
            depth += 1
            if depth > budget:
                raise FilterLimitError(
                    "max_depth", limits.max_depth, None, f"character {match.start() + 1}"
                )
        else:
            depth -= 1
