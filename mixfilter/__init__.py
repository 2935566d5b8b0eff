"""mixfilter: readable filter expressions ⇄ Mixpeek filter JSON, compiled to SQL and MongoDB.

>>> import mixfilter
>>> f = mixfilter.parse('status = "active" and (age >= 30 or role in ["admin", "owner"])')
>>> mixfilter.matches(f, {"status": "Active", "age": 41})
True

The SQL and MongoDB targets import sqlglot / nothing heavy until they are first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import FilterLike, parse, validate
from .errors import (
    FilterCompileError,
    FilterError,
    FilterLimitError,
    FilterOptionError,
    FilterSyntaxError,
    FilterValidationError,
)
from .limits import Limits, default_limits, set_default_limits
from .model import OPERATORS, Condition, DynamicValue, Filter, Group, json_schema
from .targets.python import compile_predicate, matches

if TYPE_CHECKING:
    from .targets.mongo import to_mongo
    from .targets.sql import to_sql

__version__ = "0.1.0"

__all__ = [
    "OPERATORS",
    "Condition",
    "DynamicValue",
    "Filter",
    "FilterCompileError",
    "FilterError",
    "FilterLike",
    "FilterLimitError",
    "FilterOptionError",
    "FilterSyntaxError",
    "FilterValidationError",
    "Group",
    "Limits",
    "compile_predicate",
    "default_limits",
    "json_schema",
    "matches",
    "parse",
    "set_default_limits",
    "to_mongo",
    "to_sql",
    "to_text",
    "validate",
]


def to_text(filter: FilterLike, **options: object) -> str:
    """Canonical expression text: ``parse(to_text(f)) == f``."""
    from .targets.text import to_text as _to_text

    return _to_text(filter, **options)


def __getattr__(name: str) -> Any:
    # The SQL and MongoDB targets load on first use, keeping `import mixfilter` light.
    if name == "to_sql":
        from .targets.sql import to_sql

        return to_sql
    if name == "to_mongo":
        from .targets.mongo import to_mongo

        return to_mongo
    raise AttributeError(f"module 'mixfilter' has no attribute {name!r}")
