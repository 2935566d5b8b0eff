"""User regexes for SQL: the Python pattern rewritten in the engine's regex dialect.

The rewriting itself is :mod:`mixfilter.regex_flavours`; this module names the SQL errors.
"""

from __future__ import annotations

from ...errors import FilterCompileError
from ...regex_flavours import Untranslatable, translate


def sql_pattern(pattern: str, flavour: str, dialect: str, ignore_case: bool) -> str:
    """``pattern`` in ``flavour`` for ``dialect``, as a case-sensitive pattern (ignoring case,
    when asked, is spelled out in it with Python's case rules)."""
    try:
        return translate(pattern, flavour, ignore_case)
    except Untranslatable as exc:
        raise FilterCompileError(
            f"regex {pattern[:60]!r} uses {exc}, which {dialect} cannot express with Python's "
            "meaning",
            operator="regex",
            target=f"sql:{dialect}",
        ) from None
