"""Filter JSON → :class:`~mixfilter.model.Filter`: every documented spelling in, one model out.

Accepted (SPEC §3): logical nodes with ``AND`` / ``OR`` / ``NOT`` / legacy ``NOR`` lists (several
keys in one node are ANDed), ``NOT`` given as a single object, ``case_sensitive`` on nodes and on
conditions, conditions with legacy ``key``, ``operator`` defaulting to ``eq``, ``value`` omitted
for ``exists`` / ``is_null``, shorthand ``{"metadata.title": "value"}``, a bare condition as the
whole filter, and ``null`` / ``{}`` / empty lists for "no constraint".

Everything else is rejected with a :class:`~mixfilter.errors.FilterValidationError` that lists
*every* problem with its JSON path and, where it can guess, the spelling that was meant. The
walk never recurses deeper than ``Limits.max_depth``, whatever the input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, cast

from .errors import (
    FilterLimitError,
    FilterValidationError,
    Problem,
    did_you_mean,
    quote_slice,
)
from .hints import (
    CASE_KEY,
    LOGICAL_KEYS,
    foreign_logical_key,
    misspelt_condition_keys,
    misspelt_reserved_key,
    operator_hint,
)
from .limits import Limits, check_bracket_depth
from .model import (
    CASE_OPERATORS,
    OPERATORS,
    Condition,
    DynamicValue,
    Filter,
    Group,
    LogicalOp,
    is_checked,
    make_dynamic,
    raw_json,
)
from .normalize import Result, combine, condition, root
from .values import (
    check_dynamic_path,
    check_field_path,
    check_number,
    check_string,
    has_template,
    plain,
    template_name,
)

_CONDITION_KEYS = frozenset({"field", "key", "operator", "value", CASE_KEY})

_SCALAR_TYPES = (str, int, float, bool, type(None))
_WORD = re.compile(r"\w+")


class _Repeated(dict[str, Any]):
    """A JSON object that repeats a key (``json.loads`` would silently keep the last value)."""

    __slots__ = ("repeated",)
    repeated: str


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a dict, or a :class:`_Repeated` naming the first repeated key."""
    d = dict(pairs)
    if len(d) == len(pairs):
        return d
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            break
        seen.add(key)
    out = _Repeated(pairs)
    out.repeated = key
    return out


class _HugeInt:
    """A JSON integer with too many digits for any target (and for ``int()``, past 4,300)."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _int(token: str) -> int | _HugeInt:
    """``parse_int``: signed 64-bit needs at most 19 digits and a sign; longer is out of range
    whatever it says, and is not converted (``int()`` of 5,000 digits raises ValueError)."""
    return int(token) if len(token) <= 20 else _HugeInt(len(token.lstrip("-")))


# Built once: json.loads(text, object_pairs_hook=...) builds a decoder (and its scanner) per call.
_DECODER = json.JSONDecoder(object_pairs_hook=_object)
_BIG_INT_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_int)


def wide_encoding(data: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` when ``data`` looks like text in one of them (a byte order
    mark, or NUL bytes between the bytes of ASCII characters), else ``None``. Read as UTF-8,
    such bytes are never a filter: half their first bytes would be raw NULs."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return "UTF-32"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    head = data[:64]
    if len(head) < 2 or head.count(0) * 2 < len(head):
        return None
    return "UTF-32" if head.count(0) * 4 >= len(head) * 3 else "UTF-16"


def loads(text: str | bytes, limits: Limits) -> Any:
    """Parse JSON text, checking length and nesting first so ``json`` cannot recurse deeply."""
    if isinstance(text, bytes):
        wide = wide_encoding(text)
        if wide is not None:
            raise FilterValidationError(
                [Problem("$", f"this is {wide} text, not UTF-8: encode the JSON as UTF-8")]
            )
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FilterValidationError(
                [Problem("$", f"not UTF-8: {exc.reason} at byte {exc.start}")]
            ) from None
    limits.check("max_text_length", len(text))
    if text.startswith("\ufeff"):
        raise FilterValidationError(
            [
                Problem(
                    "$",
                    "the JSON starts with a byte order mark (U+FEFF); remove it (a file read "
                    "with encoding 'utf-8-sig' has none)",
                )
            ]
        )
    check_bracket_depth(text, limits)
    try:
        try:
            return _DECODER.decode(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an int of more than 4,300 digits: again, reading ints ourselves
            return _BIG_INT_DECODER.decode(text)
    except json.JSONDecodeError as exc:
        reason = exc.msg  # json's own words end in "at" where its message went on
        if reason == "Invalid control character at" and exc.pos < len(text):
            reason = (
                f"invalid control character {text[exc.pos]!r} in a string (write it escaped: "
                "\\n, \\t, \\u00XX)"
            )
        elif reason == "Unterminated string starting at":
            reason = "unterminated string (it starts here)"
        where = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {reason}"
        from .parser import is_expression  # only when there is an error to explain

        if text.lstrip()[:1] not in ("{", "[") and is_expression(text, limits):
            where += (
                "; this is expression text, not JSON: parse() reads it (on the command line, "
                "mixfilter json turns it into filter JSON)"
            )
        raise FilterValidationError([Problem("$", where)]) from None
    except RecursionError:  # pragma: no cover - check_bracket_depth makes this unreachable
        raise FilterLimitError("max_depth", limits.max_depth) from None


def validate_json(data: Any, limits: Limits) -> Filter:
    if isinstance(data, (str, bytes)):
        data = loads(data, limits)
    elif isinstance(data, (Group, Condition)):  # Filter is a Group
        if is_checked(data):
            assert isinstance(data, Filter)
            return data  # built by parse/validate: checked and normalized already
        # Built by a constructor (or model_construct, model_copy, unpickling): its types are
        # right, nothing else is known. Check it as the JSON it stands for, every key included.
        data = raw_json(data)
    walker = _Walker(limits)
    result = walker.node(data, "$", False, 1)
    if walker.problems:
        raise FilterValidationError(walker.problems)
    assert result is not None
    return root(result)


#: The types json.loads makes for scalars and arrays: no need to ask whether they are Mappings.
_JSON_SCALARS = frozenset({str, int, float, bool, type(None), list})


class _Walker:
    """One validation run: collects problems instead of stopping at the first."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.problems: list[Problem] = []
        self.conditions = 0

    def problem(self, path: str, message: str, suggestion: str | None = None) -> None:
        self.problems.append(Problem(path, message, suggestion))

    def repeated(self, data: _Repeated, path: str) -> None:
        key = data.repeated
        self.problem(
            _join(path, key),
            f"duplicate key {quote_slice(key)}: a JSON object must not repeat a key (JSON "
            "parsers disagree on which value wins)",
        )

    # -- nodes ---------------------------------------------------------------------------------

    def node(self, data: Any, path: str, inherited: bool, depth: int) -> Result | None:
        if depth > self.limits.max_depth:
            raise FilterLimitError("max_depth", self.limits.max_depth, depth, path)
        if data is None and path == "$":
            return combine("AND", (), None)
        if data.__class__ is not dict and not isinstance(data, Mapping):
            what = "a filter" if path == "$" else "a condition or a group"
            self.problem(path, f"expected {what} (a JSON object), got {_kind(data)}")
            return None
        if data.__class__ is _Repeated:
            self.repeated(data, path)
            return None
        bad_keys = [k for k in data if not isinstance(k, str)]
        if bad_keys:
            self.problem(path, f"keys must be strings, got {_kind(bad_keys[0])}")
            return None
        if any(k in data for k in ("field", "key", "operator", "value")):
            return self.condition(data, path, inherited, depth)
        return self.group(data, path, inherited, depth)

    def group(
        self, data: Mapping[str, Any], path: str, inherited: bool, depth: int
    ) -> Result | None:
        cs = self.case_flag(data, path)
        effective = inherited if cs is None else cs
        explicit = cs if cs is not None and cs != inherited else None
        parts: list[Result | None] = []
        for key in LOGICAL_KEYS:
            if key not in data or data[key] is None:
                continue
            items = data[key]
            if key in ("NOT", "NOR") and isinstance(items, Mapping):
                # documented: "NOT": {condition}; its problems are at $.NOT.x, not $.NOT[0].x
                children = [self.node(items, f"{path}.{key}", effective, depth + 1)]
            elif not isinstance(items, (list, tuple)):  # a tuple: from Python
                self.problem(f"{path}.{key}", f"{key} needs a list, got {_kind(items)}")
                continue
            elif not items:
                continue  # an empty list is no constraint, whatever the operator
            else:
                children = [
                    self.node(item, f"{path}.{key}[{i}]", effective, depth + 1)
                    for i, item in enumerate(items)
                ]
            if key == "AND":
                parts.extend(children)
            else:
                op: LogicalOp = "OR" if key == "OR" else "NOT"
                parts.append(combine(op, [c for c in children if c is not None], None))
        others = [key for key in data if key not in LOGICAL_KEYS and key != CASE_KEY]
        typos = misspelt_condition_keys(others) if len(others) > 1 else {}
        for key in others:
            if key in typos:
                message = f"unknown key {quote_slice(key)}: this looks like a condition"
                self.problem(_join(path, key), message, typos[key])
                continue
            parts.append(self.shorthand(key, data[key], _join(path, key), effective))
        return combine("AND", [p for p in parts if p is not None], explicit)

    def shorthand(self, key: str, value: Any, path: str, inherited: bool) -> Result | None:
        """``{"metadata.title": "value"}`` means eq, unless the key is a misspelt reserved word
        (then it would be a condition nobody asked for)."""
        self.count_condition(path)
        foreign = foreign_logical_key(key, value)
        if foreign is not None:
            self.problem(
                path,
                f"unknown key {quote_slice(key)}: Qdrant's must / should / must_not are "
                "AND / OR / NOT in Mixpeek filter JSON",
                foreign,
            )
            return None
        reserved = misspelt_reserved_key(key, value)
        if reserved is not None:
            self.problem(path, f"unknown key {quote_slice(key)}", reserved)
            return None
        if key.startswith("$"):
            self.problem(
                path, f"unknown key {quote_slice(key)}: MongoDB operators are not filter JSON"
            )
            return None
        if isinstance(value, list):
            self.problem(
                path,
                "a shorthand condition takes one value; for a list write "
                f'{{"field": {_json_string(key) if len(key) <= 60 else "..."}, '
                '"operator": "in", "value": [...]}',
            )
            return None
        field = self.field_name(key, path)
        checked = self.value("eq", value, path)
        if field is None or checked is _INVALID:
            return None
        return condition(field, "eq", checked, None, inherited)

    def case_flag(self, data: Mapping[str, Any], path: str) -> bool | None:
        cs = data.get(CASE_KEY)
        if cs is not None and not isinstance(cs, bool):
            self.problem(f"{path}.case_sensitive", f"must be true or false, got {_kind(cs)}")
            return None
        return cs

    # -- conditions ------------------------------------------------------------------------------

    def count_condition(self, path: str) -> None:
        """Every condition counts against ``max_conditions``, shorthand ones too."""
        self.conditions += 1
        if self.conditions > self.limits.max_conditions:
            raise FilterLimitError(
                "max_conditions", self.limits.max_conditions, self.conditions, path
            )

    def condition(
        self, data: Mapping[str, Any], path: str, inherited: bool, depth: int
    ) -> Result | None:
        self.count_condition(path)
        ok = True
        for key in data:
            if key not in _CONDITION_KEYS:
                hint = did_you_mean(key, _CONDITION_KEYS) if len(key) <= 40 else None
                self.problem(
                    _join(path, key), f"unknown key {quote_slice(key)} in a condition", hint
                )
                ok = False
        field = self.condition_field(data, path)
        operator = self.operator(data.get("operator", "eq"), f"{path}.operator")
        cs = self.case_flag(data, path)
        if operator is None:
            return None
        flips = cs is not None and cs != inherited and operator in CASE_OPERATORS
        if flips and depth + 1 > self.limits.max_depth:
            # It becomes a one-item group that carries the setting: one level more, counted
            # here so that the filter's own JSON passes the same limit.
            raise FilterLimitError("max_depth", self.limits.max_depth, depth + 1, path)
        if "value" in data:
            value = self.value(operator, data["value"], f"{path}.value")
        elif operator in ("exists", "is_null"):
            value = True
        else:
            self.problem(path, f"a condition with operator {operator!r} needs a 'value'")
            value = _INVALID
        if not ok or field is None or value is _INVALID:
            return None
        return condition(field, operator, value, cs, inherited)

    def condition_field(self, data: Mapping[str, Any], path: str) -> str | None:
        if "field" in data and "key" in data and data["field"] != data["key"]:
            self.problem(
                path,
                f"both 'field' ({_quote(data['field'])}) and 'key' ({_quote(data['key'])}) "
                "given; keep one",
            )
            return None
        name = "field" if "field" in data else "key"
        if name not in data:
            self.problem(path, "a condition needs a 'field'")
            return None
        return self.field_name(data[name], f"{path}.{name}")

    def field_name(self, field: Any, path: str) -> str | None:
        if type(field) is not str:
            field = plain(field)  # a str subclass: its plain text
        if type(field) is not str:
            self.problem(path, f"a field name must be a string, got {_kind(field)}")
            return None
        if not field:
            self.problem(path, "empty field name")
            return None
        if len(field) > self.limits.max_string_length:
            raise FilterLimitError(
                "max_string_length", self.limits.max_string_length, len(field), path
            )
        reason = check_field_path(field)
        if reason:
            self.problem(path, reason)
            return None
        return field

    def operator(self, op: Any, path: str) -> str | None:
        if isinstance(op, str) and op in OPERATORS:
            return op if type(op) is str else cast(str, plain(op))  # a str enum: its text
        if not isinstance(op, str):
            self.problem(path, f"an operator must be a string, got {_kind(op)}")
            return None
        hint, advice = operator_hint(op)
        message = f"unknown operator {quote_slice(op, 40)}"
        self.problem(path, f"{message}: {advice}" if advice else message, hint)
        return None

    # -- values ----------------------------------------------------------------------------------

    def value(self, operator: str, value: Any, path: str) -> Any:
        """The value checked for ``operator``; ``_INVALID`` (after recording why) if it is wrong."""
        if operator in ("exists", "is_null") and not isinstance(value, bool):
            self.problem(path, f"{operator!r} needs true or false, got {_kind(value)}")
            return _INVALID
        kind = value.__class__
        if kind is dict or (kind not in _JSON_SCALARS and isinstance(value, Mapping)):
            return self.dynamic(value, path)
        if isinstance(value, (list, tuple)):  # a tuple: from Python, a list all the same
            if operator not in ("in", "nin"):
                self.problem(
                    path,
                    f"{operator!r} takes one value, not a list"
                    + ("; use 'in' to match any of several values" if operator == "eq" else ""),
                )
                return _INVALID
            self.limits.check("max_list_length", len(value), path)
            items = [self.scalar(v, f"{path}[{i}]") for i, v in enumerate(value)]
            return _INVALID if _INVALID in items else tuple(items)
        scalar = self.scalar(value, path)
        if scalar is _INVALID:
            return _INVALID
        if isinstance(scalar, str) and has_template(scalar):
            if operator in ("in", "nin") and template_name(scalar) is None:
                self.problem(path, f"{operator!r} needs a list, or one template that gives a list")
                return _INVALID
            return scalar  # resolved at compile time, checked again then
        expected = _EXPECTED.get(operator)
        if expected is not None and not expected[0](scalar):
            self.problem(path, f"{operator!r} needs {expected[1]}, got {_kind(scalar)}")
            return _INVALID
        if operator == "regex":
            assert isinstance(scalar, str)
            return self.regex(scalar, path)
        if operator == "text" and not _WORD.search(str(scalar)):
            self.problem(path, "'text' needs at least one word to search for")
            return _INVALID
        return scalar

    def scalar(self, value: Any, path: str) -> Any:
        if type(value) not in _SCALAR_TYPES:  # type(), not __class__, which a class can fake
            value = plain(value)  # an IntEnum, a str subclass...: its plain value
        if type(value) not in _SCALAR_TYPES:  # (not isinstance: __class__ can lie)
            if type(value) is _HugeInt:
                self.problem(path, "integer out of the signed 64-bit range")
            else:
                self.problem(
                    path, f"expected a string, number, boolean or null, got {_kind(value)}"
                )
            return _INVALID
        if isinstance(value, str):
            if len(value) > self.limits.max_string_length:
                raise FilterLimitError(
                    "max_string_length", self.limits.max_string_length, len(value), path
                )
            reason = check_string(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            reason = check_number(value)
        else:
            reason = None
        if reason:
            self.problem(path, reason)
            return _INVALID
        return value

    def dynamic(self, value: Mapping[str, Any], path: str) -> DynamicValue | object:
        if value.__class__ is _Repeated:
            self.repeated(value, path)
            return _INVALID
        if value.get("type") == "dynamic" and set(value) <= {"type", "field"}:
            field = plain(value.get("field"))
            if not isinstance(field, str) or not field:
                self.problem(f"{path}.field", "a dynamic value needs a non-empty 'field' path")
                return _INVALID
            if len(field) > self.limits.max_string_length:
                raise FilterLimitError(
                    "max_string_length", self.limits.max_string_length, len(field),
                    f"{path}.field",
                )  # fmt: skip
            reason = check_dynamic_path(field)
            if reason:
                self.problem(f"{path}.field", reason)
                return _INVALID
            return make_dynamic(field)
        dollar = next((k for k in value if isinstance(k, str) and k.startswith("$")), None)
        if dollar is not None:
            hint = dollar.lstrip("$") if dollar.lstrip("$") in OPERATORS else None
            self.problem(
                path,
                f"values cannot be objects; {quote_slice(dollar)} looks like a MongoDB operator: "
                "put it in 'operator' instead",
                hint,
            )
        else:
            self.problem(
                path,
                "values cannot be objects (except a dynamic value "
                '{"type": "dynamic", "field": ...})',
            )
        return _INVALID

    def regex(self, pattern: str, path: str) -> str | object:
        from .regex import RegexRejected, check_pattern

        if len(pattern) > self.limits.max_regex_length:
            raise FilterLimitError(
                "max_regex_length", self.limits.max_regex_length, len(pattern), path
            )
        try:
            check_pattern(pattern)
        except RegexRejected as exc:
            self.problem(path, str(exc))
            return _INVALID
        return pattern


_INVALID = object()


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_string(v: Any) -> bool:
    return isinstance(v, str)


_EXPECTED: dict[str, tuple[Any, str]] = {
    "gt": (lambda v: _is_number(v) or _is_string(v), "a number or a string (such as a date)"),
    "gte": (lambda v: _is_number(v) or _is_string(v), "a number or a string (such as a date)"),
    "lt": (lambda v: _is_number(v) or _is_string(v), "a number or a string (such as a date)"),
    "lte": (lambda v: _is_number(v) or _is_string(v), "a number or a string (such as a date)"),
    "in": (lambda v: False, "a list"),
    "nin": (lambda v: False, "a list"),
    "contains": (_is_string, "a string"),
    "starts_with": (_is_string, "a string"),
    "ends_with": (_is_string, "a string"),
    "regex": (_is_string, "a string (a regular expression)"),
    "text": (_is_string, "a string of words"),
    "exists": (lambda v: isinstance(v, bool), "true or false"),
    "is_null": (lambda v: isinstance(v, bool), "true or false"),
}


def _kind(value: Any) -> str:
    """What ``value`` is, for a message: by its type, not ``isinstance`` (``__class__`` can lie)."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is bool:
        return f"boolean {str(value).lower()}"
    if issubclass(kind, int) and not -_BIG < int.__int__(value) < _BIG:  # 4,301 digits: no repr
        return f"a number of about {value.bit_length() * 30103 // 100000} digits"
    if issubclass(kind, (int, float)):
        spelled = (float.__repr__ if issubclass(kind, float) else int.__repr__)(value)
        return f"number {spelled}"[:50]
    if kind is _HugeInt:
        return f"a number of {value.digits} digits"
    if issubclass(kind, str):
        return f"string {str.__str__(value)[:40]!r}"
    if issubclass(kind, Mapping):
        return "an object"
    if issubclass(kind, list):
        return "a list"
    return kind.__name__


_BIG = 10**30
_PLAIN_KEY = re.compile(r"[A-Za-z_][\w]*")


def _quote(value: Any) -> str:
    """A value in a message: a bounded quote of a string, its kind otherwise."""
    return quote_slice(value) if isinstance(value, str) else _kind(value)


def _join(path: str, key: str) -> str:
    """``path.key`` in a JSON path, or ``path["odd key"]`` when the key is not a plain name;
    a long key is cut in the middle (``$["aaaa…aaaa"]``)."""
    if len(key) <= 60 and _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}"
    if len(key) > 60:
        key = f"{key[:29]}…{key[-29:]}"
    return f"{path}[{_json_string(key)}]"


def _json_string(text: str) -> str:
    """``text`` as a JSON string, for a message: escaped only where it must be printable."""
    quoted = json.dumps(text, ensure_ascii=False)
    if _SURROGATE.search(quoted):  # no encoding can print a lone surrogate: escape it
        quoted = json.dumps(text)
    return quoted


_SURROGATE = re.compile("[\ud800-\udfff]")
