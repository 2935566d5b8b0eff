"""Literal values: reading them from text, checking them, and recognising templates.

Shared by the parser, the JSON validator and the text printer, so that the three agree on what
a string, a number, a date or a template is.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from .errors import quote_slice

#: Python ints the targets can store: BSON and SQL BIGINT are signed 64-bit.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

_SIMPLE_ESCAPES = {
    '"': '"', "'": "'", "\\": "\\", "/": "/", "`": "`",
    "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0",
}  # fmt: skip
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)


class BadLiteral(Exception):
    """A literal that cannot be read; ``offset`` is where in the literal the problem starts."""

    def __init__(self, message: str, offset: int = 0, length: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.length = length


_SURROGATE = re.compile("[\ud800-\udfff]")


def plain(value: object) -> object:
    """``value`` as the plain str / int / float it stands for when it is of a subclass (an
    ``IntEnum``, a ``str`` enum, ...); anything else unchanged.

    A subclass could print itself as anything (``__repr__``) and compare as anything
    (``__eq__``); the filter keeps only its value, so every target sees the same plain value.
    The classes' own conversions ignore what a subclass overrides: ``str.__str__`` of a str
    subclass is a plain str, and the same for int and float (bool has no subclasses)."""
    kind = type(value)  # type(), not isinstance(): __class__ can lie
    if kind in (str, int, float, bool) or value is None:
        return value
    if issubclass(kind, str):
        return str.__str__(value)
    if issubclass(kind, int):
        return int.__int__(value)  # type: ignore[arg-type]
    if issubclass(kind, float):
        return float.__float__(value)  # type: ignore[arg-type]
    return value


def unescape(body: str) -> str:
    """Resolve backslash escapes in the body of a quoted string (quotes already stripped)."""
    if "\\" not in body:
        return body

    def one(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] in "uU" and len(esc) > 1:
            return chr(int(esc[1:], 16)) if int(esc[1:], 16) <= 0x10FFFF else _bad(m, esc)
        if esc in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[esc]
        return _bad(m, esc)

    text = _ESCAPE.sub(one, body)
    # \uD83D\uDE80 written as two escapes: join the surrogate pair.
    if _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    return text


def _bad(m: re.Match[str], esc: str) -> str:
    hint = "use \\uXXXX or \\UXXXXXXXX" if esc[0] in "uU" else "write \\\\ for a backslash"
    raise BadLiteral(f"invalid escape \\{esc[:1]} in string ({hint})", m.start() + 1, len(esc) + 1)


def check_string(text: str) -> str | None:
    """A reason ``text`` cannot be a value (a lone surrogate cannot be stored anywhere)."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return f"string holds a lone surrogate {found.group().encode('unicode_escape').decode()}"


def check_field_path(path: str) -> str | None:
    """A reason ``path`` cannot be a field path (or a dynamic value's path); ``None`` if it can.

    Shared by the parser (backtick names, ``dynamic("...")``) and the JSON validator, so that
    text and JSON accept the same names.
    """
    if not path:
        return "empty field name"
    if "" in path.split("."):
        return f"field path {quote_slice(path)} has an empty segment"
    return check_string(path)


def check_dynamic_path(path: str) -> str | None:
    """A reason ``path`` cannot be the ``field`` of a dynamic value: the rules of a field path,
    and no template (the server resolves the path; there is nothing to substitute into it)."""
    if not path:
        return 'a dynamic value needs a non-empty path such as "inputs.user_id"'
    reason = check_field_path(path)
    if reason is None and has_template(path):
        reason = f"a dynamic value's path cannot hold a template, got {quote_slice(path)}"
    return reason


def read_number(token: str) -> int | float:
    """An int (no ``.`` or exponent) or a finite float."""
    if "." in token or "e" in token or "E" in token:
        value = float(token)
        if not math.isfinite(value):
            raise BadLiteral("number out of range", 0, len(token))
        return value
    digits = token.lstrip("+-").lstrip("0")
    # More than 19 digits is out of range anyway; checked before int(), which refuses more than
    # 4,300 digits with a ValueError of its own (and is quadratic below that).
    number = int(token) if len(digits) <= 19 else INT_MAX + 1
    if not INT_MIN <= number <= INT_MAX:
        raise BadLiteral("integer out of the signed 64-bit range", 0, len(token))
    return number


def check_number(value: int | float) -> str | None:
    """A reason ``value`` cannot be a value: NaN, infinity, or an int wider than 64 bits."""
    if isinstance(value, float):
        return None if math.isfinite(value) else "numbers must be finite (no NaN or Infinity)"
    if not INT_MIN <= value <= INT_MAX:
        return "integer out of the signed 64-bit range"
    return None


def read_date(token: str) -> str:
    """Check an ISO-8601 date (``2024-01-15``) and return it as the string the JSON carries."""
    try:
        date.fromisoformat(token)
    except ValueError:
        raise BadLiteral(f"invalid date {token!r} (expected YYYY-MM-DD)", 0, len(token)) from None
    return token


_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,  # ASCII digits: int() also reads Arabic-Indic or full-width ones
)


def read_datetime(token: str) -> str:
    """Check an ISO-8601 datetime and return it unchanged (the JSON carries it as a string)."""
    m = _DATETIME.fullmatch(token)
    try:
        if m is None:
            raise ValueError
        day, hour, minute, second, _, zone = m.groups()
        datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}")
        if zone and zone not in "Zz":
            hh, mm = int(zone[1:3]), int(zone[-2:]) if len(zone) > 3 else 0
            if hh > 23 or mm > 59:
                raise ValueError
    except ValueError:
        raise BadLiteral(f"invalid datetime {quote_slice(token)}", 0, len(token)) from None
    return token


# --- templates ---------------------------------------------------------------------------------
# A Mixpeek template is a Jinja-style placeholder in a string value: "{{INPUT.max_price}}". A value
# that is exactly one template is a parameter the targets can bind; templates inside a longer
# string are rendered by substitution when bindings are given.

TEMPLATE_WHOLE = re.compile(r"\{\{\s*([A-Za-z_][\w]*(?:\.[\w]+)*)\s*\}\}")
# Group 1 is the name without the surrounding whitespace. Written so that it runs in linear time:
# the lookahead first makes sure a closing ``}}`` follows (it is atomic, so a ``{{`` with no close
# fails at once), and the name is "anything, ending in a non-space", which leaves only one way to
# split the whitespace. The obvious ``\{\{\s*([^{}]*?)\s*\}\}`` tries every split of a long run of
# spaces against the two ``\s*`` and the lazy group: cubic, 10 s for "{{" and 3,000 spaces.
TEMPLATE_ANY = re.compile(r"\{\{(?=[^{}]*\}\})\s*((?:[^{}]*[^{}\s])?)\s*\}\}")


def template_name(value: object) -> str | None:
    """``"INPUT.max_price"`` for the value ``"{{INPUT.max_price}}"``; ``None`` if not a template."""
    if isinstance(value, str) and value.startswith("{{"):
        m = TEMPLATE_WHOLE.fullmatch(value)
        if m:
            return m.group(1)
    return None


def has_template(value: object) -> bool:
    """Whether a string holds a template. ``{{}}`` and ``{{ }}`` name nothing: they are text."""
    if not isinstance(value, str) or "{{" not in value:
        return False
    return any(m.group(1) for m in TEMPLATE_ANY.finditer(value))
