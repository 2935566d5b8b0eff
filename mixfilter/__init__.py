"""mixfilter: readable filter expressions ⇄ Mixpeek filter JSON, compiled to SQL and MongoDB.

>>> import mixfilter
>>> f = mixfilter.parse('status = "active" and (age >= 30 or role in ["admin", "owner"])')
>>> mixfilter.matches(f, {"status": "Active", "age": 41})
True

``import mixfilter`` is light: each part (the model and pydantic, the parser, the SQL target and
sqlglot, the MongoDB target) is imported when one of its names is first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (
    FilterCompileError,
    FilterError,
    FilterLimitError,
    FilterOptionError,
    FilterSyntaxError,
    FilterValidationError,
)
from .limits import Limits, default_limits, set_default_limits

if TYPE_CHECKING:
    from .api import FilterLike, parse, validate
    from .model import OPERATORS, Condition, DynamicValue, Filter, Group, json_schema
    from .targets.mongo import to_mongo, to_mongo_json
    from .targets.python import compile_predicate, matches
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
    "to_mongo_json",
    "to_sql",
    "to_text",
    "validate",
]


def to_text(filter: FilterLike, **options: Any) -> str:
    """Canonical expression text: ``parse(to_text(f)) == f`` (``limits=``: see targets.text)."""
    from .targets.text import to_text as _to_text

    return _to_text(filter, **options)


#: The public names that load on first use, and their modules. pydantic (the model), the parser,
#: sqlglot (SQL) and the MongoDB target cost 150-250 ms to import on these machines together;
#: ``import mixfilter`` costs none of it, and each part loads when a name from it is first read
#: (``from mixfilter import parse`` reads it at once).
_LAZY = {
    **dict.fromkeys(("FilterLike", "parse", "validate"), ".api"),
    **dict.fromkeys(
        ("OPERATORS", "Condition", "DynamicValue", "Filter", "Group", "json_schema"), ".model"
    ),
    **dict.fromkeys(("compile_predicate", "matches"), ".targets.python"),
    "to_sql": ".targets.sql",
    **dict.fromkeys(("to_mongo", "to_mongo_json"), ".targets.mongo"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mixfilter' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later reads are plain module attributes
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
