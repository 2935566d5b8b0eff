"""The entry points: text or JSON in, a normalized :class:`~mixfilter.model.Filter` out."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .errors import FilterOptionError, FilterSyntaxError, reject_unknown_options
from .limits import Limits, resolve
from .model import Condition, Filter, Group, is_checked
from .normalize import from_ast
from .parser import looks_like_json, parse_tree
from .validation import validate_json

#: Anything the functions of mixfilter accept where a filter is expected.
FilterLike = Filter | Group | Condition | str | bytes | Mapping[str, Any] | None


def parse(text: str, *, limits: Limits | None = None, **unknown: object) -> Filter:
    """Parse expression text into the normalized filter.

    >>> parse('status = "active" and age >= 30').to_json()["AND"][1]
    {'field': 'age', 'operator': 'gte', 'value': 30}

    Raises :class:`~mixfilter.errors.FilterSyntaxError` (with line, column and a caret) for text
    that does not parse, and :class:`~mixfilter.errors.FilterLimitError` for text over the limits.
    Results are cached by ``(text, limits)``: filters are immutable, so sharing them is safe.
    """
    reject_unknown_options("parse", unknown, ("limits",))
    if text.__class__ is not str and not isinstance(text, str):  # before the cache hashes it
        hint = (
            "; decode bytes first, or use validate() for filter JSON"
            if isinstance(text, (bytes, bytearray))
            else ""
        )
        raise FilterSyntaxError(
            f"expected expression text (str), got {type(text).__name__}{hint}", text="", pos=0
        )
    return _parse_cached(text, resolve(limits))


@lru_cache(maxsize=2048)
def _parse_cached(text: str, limits: Limits) -> Filter:
    return _parse(text, limits)


def _parse(text: str, limits: Limits) -> Filter:
    tree = parse_tree(text, limits)
    return from_ast(tree, limits)


def validate(data: Any, *, limits: Limits | None = None, **unknown: object) -> Filter:
    """Check filter JSON (a dict, or a JSON string / bytes) and return the normalized filter.

    Raises :class:`~mixfilter.errors.FilterValidationError` listing every problem with its JSON
    path (``$.AND[0].operator: unknown operator 'neq' (did you mean 'ne'?)``).
    """
    reject_unknown_options("validate", unknown, ("limits",))
    return validate_json(data, resolve(limits))


def as_filter(value: Any, limits: Limits | None = None) -> Filter:
    """A Filter from a Filter, expression text, a JSON string or a dict.

    A string is filter JSON when it starts with ``{`` (but not ``{{``, a template: no JSON starts
    so), or when it reads as a JSON list or ``null`` (which no expression is): ``"null"`` is the
    empty filter, as in :func:`validate`. Any other string is expression text.

    A Filter that parse/validate returned is used as it is; any other model (built by its
    constructor) is validated first, like filter JSON, within ``limits`` (checked in any case).
    """
    if limits is not None:
        resolve(limits)  # a wrong type is an error even where no limit applies
    if is_checked(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        start = value.lstrip()[:2]  # "{{": a template, which no JSON starts with
        head = start[:1]
        if (head == "{" and start != "{{") or (head in ("[", "n") and looks_like_json(value)):
            return validate(value, limits=limits)
        return parse(value, limits=limits)
    if isinstance(value, (Mapping, bytes, Group, Condition)) or value is None:
        return validate(value, limits=limits)
    raise FilterOptionError(
        f"expected a Filter, expression text or filter JSON, got {type(value).__name__}"
    )
