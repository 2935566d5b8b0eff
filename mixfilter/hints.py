"""What a misspelling in filter JSON most likely meant: operators, and the reserved keys.

Validation asks here only once something is already wrong (an unknown operator), or to decide
whether a key of a group is a field name (shorthand ``{"status": "active"}``) or a reserved
word misspelt (``"case_sensitve": true``, ``"Value": 5``, ``"ANDD": [...]``), which would
otherwise become a condition nobody asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .errors import did_you_mean
from .model import OPERATORS

LOGICAL_KEYS: tuple[str, ...] = ("AND", "OR", "NOT", "NOR")
CONDITION_KEYS: tuple[str, ...] = ("field", "key", "operator", "value")
CASE_KEY = "case_sensitive"
_RESERVED = {k.lower(): k for k in (*LOGICAL_KEYS, *CONDITION_KEYS, CASE_KEY)}

#: Symbols people write for an operator.
_SYMBOLS = {
    "=": "eq", "==": "eq", "===": "eq", "!=": "ne", "<>": "ne", "!==": "ne", ">": "gt",
    ">=": "gte", "<": "lt", "<=": "lte", "~": "regex", "=~": "regex", "~*": "regex",
}  # fmt: skip
#: Words people write for an operator, lowercase, without spaces, ``_`` or ``-``.
_WORDS = {
    "equal": "eq", "equals": "eq", "is": "eq", "neq": "ne", "noteq": "ne", "notequal": "ne",
    "notequals": "ne", "greaterthan": "gt", "greater": "gt", "greaterthanorequal": "gte",
    "greaterthanorequals": "gte", "greaterorequal": "gte", "ge": "gte", "geq": "gte",
    "lessthan": "lt", "less": "lt", "lessthanorequal": "lte", "lessthanorequals": "lte",
    "lessorequal": "lte", "le": "lte", "leq": "lte", "notin": "nin", "startswith": "starts_with",
    "beginswith": "starts_with", "endswith": "ends_with", "like": "contains",
    "ilike": "contains", "includes": "contains", "contain": "contains", "isnull": "is_null",
    "null": "is_null", "exist": "exists", "match": "regex", "matches": "regex",
    "regexp": "regex", "rlike": "regex", "search": "text", "fulltext": "text",
}  # fmt: skip
_WORDS.update({op.replace("_", ""): op for op in OPERATORS})
#: Operators whose negation is an operator of its own.
_NEGATION = {"eq": "ne", "in": "nin"}
_SEPARATORS = re.compile(r"[\s_\-]+")


def _meant(probe: str) -> str | None:
    """The operator ``probe`` (lowercase) is a known spelling of, if any."""
    return _SYMBOLS.get(probe) or _WORDS.get(_SEPARATORS.sub("", probe))


def operator_hint(op: str) -> tuple[str | None, str | None]:
    """For an unknown operator: (the operator meant, or None; advice for the message, or None).

    ``not_contains`` is not misspelt ``contains``, it is the opposite: such negated spellings
    get advice on writing the negation, not a suggestion.
    """
    probe = op.strip().lower().lstrip("$")[:100]
    meant = _meant(probe)
    if meant is not None:
        return meant, None
    squashed = _SEPARATORS.sub("", probe)
    for prefix in ("isnot", "not"):
        negated = _meant(squashed[len(prefix) :]) if squashed.startswith(prefix) else None
        if negated is None:
            continue
        if negated in _NEGATION:
            return _NEGATION[negated], None
        if negated in ("exists", "is_null"):
            return None, f'write "operator": "{negated}" with "value": false'
        return None, (
            f"there is no negated {negated!r}: wrap the condition in NOT, "
            f'{{"NOT": [{{"field": ..., "operator": "{negated}", "value": ...}}]}}'
        )
    return did_you_mean(probe, OPERATORS, cutoff=0.75), None


def misspelt_reserved_key(key: str, value: Any) -> str | None:
    """The reserved key that ``key`` (a key of a group, not itself reserved) misspells, if any.

    A group's other keys are shorthand conditions, so a misspelt reserved key would silently
    become one. Caught: another case of a reserved key (``Value``, ``and``), a ``$`` prefix,
    close misspellings of ``case_sensitive``, and, for a list or an object (what only a logical
    key holds), close misspellings of ``AND``/``OR``/``NOT``/``NOR``. A plain field whose name
    is near a reserved word (``notes``, ``keys``) stays a field.
    """
    if len(key) > 30:  # no reserved word is that long
        return None
    lower = key.lower().lstrip("$")
    if lower in _RESERVED:
        return _RESERVED[lower]
    if _SEPARATORS.sub("", lower) == "casesensitive" or _close(lower, (CASE_KEY,), 0.75):
        return CASE_KEY
    if isinstance(value, (list, Mapping)):
        return _close(key, LOGICAL_KEYS, 0.8)
    return None


#: Other filter languages' logical keys (Qdrant's, as in Mixpeek's own store, and
#: Elasticsearch's bool query): a list under one of them is a group written in that language.
_FOREIGN_LOGICAL = {"must": "AND", "should": "OR", "must_not": "NOT", "mustnot": "NOT"}


def foreign_logical_key(key: str, value: Any) -> str | None:
    """The logical key that ``key`` means when it is Qdrant's ``must`` / ``should`` /
    ``must_not`` holding a list or an object (a field name would hold one value)."""
    if len(key) > 10:
        return None
    if isinstance(value, list) or (isinstance(value, Mapping) and value.get("type") != "dynamic"):
        return _FOREIGN_LOGICAL.get(key.lower())
    return None  # one value, or a dynamic value: a field named must


def misspelt_condition_keys(keys: list[str]) -> dict[str, str]:
    """Keys of a group that misspell condition keys, when two or more do (``{"feild": "a",
    "valeu": 1}``): that group is a condition with typos, not two shorthand conditions."""
    found = {}
    for key in keys:
        hint = _close(key, CONDITION_KEYS, 0.75) if len(key) <= 30 else None
        if hint is not None:
            found[key] = hint
    return found if len(found) >= 2 else {}


@lru_cache(maxsize=4096)
def _close(word: str, choices: tuple[str, ...], cutoff: float) -> str | None:
    """did_you_mean, remembered: valid shorthand keys are asked about on every validation (a
    difflib comparison costs about 10 µs, a third of validating a small shorthand node), and the
    same field names come back call after call. Keys are at most 30 characters."""
    return did_you_mean(word, choices, cutoff)
