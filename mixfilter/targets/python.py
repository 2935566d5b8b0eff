"""The reference semantics: :func:`matches` evaluates a filter against a Python document.

This module *defines* what a filter means (SPEC §5); every other target is tested against it.
It follows MongoDB and Qdrant, the stores Mixpeek runs on:

* **Paths** are dotted. Walking through an array of objects collects the field from each element
  (``metadata.author.name`` over ``author: [{name: "Ann"}, {name: "Ben"}]`` sees both names);
  arrays nested directly in arrays are not entered, as in MongoDB.
* **Arrays**: a condition on an array-valued field matches when *any* element matches.
* **Missing and null**: a field is *missing* when the path reaches no value at all. ``eq null``
  matches missing or null; ``exists true`` = present (even if null); ``is_null true`` = present
  and null. ``ne``, ``nin``, ``NOT``, ``exists false`` and ``is_null false`` are the exact
  negations of ``eq``, ``in``, "any of the items", ``exists true`` and ``is_null true``, so they
  match documents where the field is missing. Range and string operators never match null or
  missing.
* **Types** are never coerced: strings compare with strings, numbers with numbers (an int and a
  float with the same value are equal), booleans with booleans (``true`` is not ``1``).
* **Case**: with ``case_sensitive`` false (the default, inherited from the nearest group that
  sets it), ``eq ne in nin contains starts_with ends_with regex`` compare strings with both sides
  lower-cased (``regex`` uses ``re.IGNORECASE``). Ranges are always case-sensitive, in code-point
  order. ``text`` is always case-insensitive.
* **regex** is Python's ``re.search`` (unanchored). **text** matches when every word of the query
  appears as a whole word (``\\w+``) of the string.

The filter is compiled once into nested closures (one per node), so evaluating it over many
documents costs no tree walking or dispatch.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

from ..api import FilterLike, as_filter
from ..bindings import bind, bind_field, check_bindings
from ..errors import FilterOptionError, reject_unknown_options
from ..limits import Limits
from ..model import Condition, Filter, Group, Node, Value
from ..regex import compiled

Predicate = Callable[[Mapping[str, Any]], bool]
#: A test on one value found at the path (never the "missing" case).
ValueTest = Callable[[Any], bool]

_WORDS = re.compile(r"\w+")


# --- paths ---------------------------------------------------------------------------------------


#: What a document may hold as an array: JSON's (a list), and a tuple, as in filters.
ARRAYS = (list, tuple)


#: Values that are never mappings: the JSON scalars, answered without isinstance's ABC check.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _is_object(value: Any) -> bool:
    """A JSON object: a dict, or any other mapping (RawBSONDocument, MappingProxyType, ...)."""
    kind = type(value)
    return kind is dict or (kind not in _SCALARS and isinstance(value, Mapping))


def resolve(document: Mapping[str, Any], segments: tuple[str, ...]) -> list[Any]:
    """Every value at the dotted path; an empty list means the field is missing."""
    current: list[Any] = [document]
    for segment in segments:
        found: list[Any] = []
        for value in current:
            if isinstance(value, ARRAYS):
                for element in value:
                    if _is_object(element) and segment in element:
                        found.append(element[segment])
            elif _is_object(value) and segment in value:
                found.append(value[segment])
        if not found:
            return found
        current = found
    return current


def _candidates(values: list[Any]) -> list[Any]:
    """The values a comparison looks at: each value, or each element of an array value."""
    out: list[Any] = []
    for value in values:
        if isinstance(value, ARRAYS):
            out.extend(value)
        else:
            out.append(value)
    return out


# --- one table entry per operator: (value, case_sensitive) -> test on one candidate ------------


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _equals(expected: Any, case_sensitive: bool) -> ValueTest:
    if isinstance(expected, bool):
        return lambda x: isinstance(x, bool) and x is expected
    # bool(): a subclass's own == may answer otherwise (numpy's float64 gives numpy.True_)
    if _is_number(expected):
        return lambda x: _is_number(x) and bool(x == expected)
    if isinstance(expected, str):
        if case_sensitive:
            return lambda x: isinstance(x, str) and bool(x == expected)
        lowered = expected.lower()
        return lambda x: isinstance(x, str) and x.lower() == lowered
    return lambda x: x is None  # expected is None


def _one_of(expected: tuple[Any, ...], case_sensitive: bool) -> ValueTest:
    tests = [_equals(e, case_sensitive) for e in expected]
    return lambda x: any(t(x) for t in tests)


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, bool], ValueTest]:
    def build(bound: Any, case_sensitive: bool) -> ValueTest:
        if isinstance(bound, str):
            return lambda x: isinstance(x, str) and bool(compare(x, bound))
        return lambda x: _is_number(x) and bool(compare(x, bound))

    return build


def _string_test(check: Callable[[str, str], bool]) -> Callable[[Any, bool], ValueTest]:
    def build(needle: Any, case_sensitive: bool) -> ValueTest:
        if case_sensitive:
            return lambda x: isinstance(x, str) and check(x, needle)
        lowered = needle.lower()
        return lambda x: isinstance(x, str) and check(x.lower(), lowered)

    return build


def _regex(pattern: Any, case_sensitive: bool) -> ValueTest:
    search = compiled(pattern, case_sensitive).search
    return lambda x: isinstance(x, str) and search(x) is not None


def _text(query: Any, case_sensitive: bool) -> ValueTest:
    words = {w.lower() for w in _WORDS.findall(query)}
    return lambda x: isinstance(x, str) and words <= {w.lower() for w in _WORDS.findall(x)}


#: Operators that test candidates one by one; "any candidate passes" is the condition.
_VALUE_TESTS: dict[str, Callable[[Any, bool], ValueTest]] = {
    "eq": _equals,
    "in": _one_of,
    "gt": _ordered(lambda x, b: x > b),
    "gte": _ordered(lambda x, b: x >= b),
    "lt": _ordered(lambda x, b: x < b),
    "lte": _ordered(lambda x, b: x <= b),
    "contains": _string_test(lambda x, s: s in x),
    "starts_with": _string_test(lambda x, s: x.startswith(s)),
    "ends_with": _string_test(lambda x, s: x.endswith(s)),
    "regex": _regex,
    "text": _text,
}
#: Negations are the exact complement of their positive twin (so they match missing fields).
_NEGATIONS = {"ne": "eq", "nin": "in"}


def _condition(c: Condition, case_sensitive: bool, bindings: Mapping[str, Any] | None) -> Predicate:
    segments = tuple(bind_field(c.field, bindings, "matches()").split("."))
    operator = c.operator
    value: Value = bind(operator, c.value, bindings, "matches()")
    if operator in ("exists", "is_null"):
        return _presence(segments, operator, bool(value))
    positive = _NEGATIONS.get(operator, operator)
    test = _VALUE_TESTS[positive](value, case_sensitive)
    # eq null / in [..., null] also match a missing field.
    null_matches_missing = positive in ("eq", "in") and (
        value is None or (isinstance(value, tuple) and None in value)
    )

    def holds(doc: Mapping[str, Any]) -> bool:
        values = resolve(doc, segments)
        if not values:
            return null_matches_missing
        return any(test(x) for x in _candidates(values))

    if len(segments) == 1:
        # The common case, a top-level field: the same rules without building lists.
        key = segments[0]

        def holds(doc: Mapping[str, Any]) -> bool:
            if key not in doc:
                return null_matches_missing
            value = doc[key]
            if isinstance(value, ARRAYS):
                return any(test(x) for x in value)
            return test(value)

    if positive is operator:
        return holds
    return lambda doc: not holds(doc)


def _presence(segments: tuple[str, ...], operator: str, wanted: bool) -> Predicate:
    if operator == "exists":
        return lambda doc: bool(resolve(doc, segments)) is wanted

    def is_null(doc: Mapping[str, Any]) -> bool:
        return any(x is None for x in _candidates(resolve(doc, segments)))

    return is_null if wanted else (lambda doc: not is_null(doc))


def _node(node: Node, case_sensitive: bool, bindings: Mapping[str, Any] | None) -> Predicate:
    if isinstance(node, Condition):
        return _condition(node, case_sensitive, bindings)
    cs = node.case_sensitive
    effective = case_sensitive if cs is None else cs
    parts = [_node(item, effective, bindings) for item in node.items]
    op = node.op
    if op is None:
        return lambda doc: True
    if len(parts) == 1:
        only = parts[0]
        return only if op != "NOT" else (lambda doc: not only(doc))
    if op == "AND":
        return lambda doc: all(p(doc) for p in parts)
    if op == "OR":
        return lambda doc: any(p(doc) for p in parts)
    return lambda doc: not any(p(doc) for p in parts)  # NOT: none of the items match


def reference_predicate(
    filter: Filter | Group, *, bindings: Mapping[str, Any] | None = None
) -> Predicate:
    """``filter`` as nested closures: the plain statement of the rules above.

    Cheap to build; :func:`compile_predicate` generates faster code from the same closures.
    """
    if not isinstance(filter, Group):
        raise FilterOptionError(
            f"reference_predicate() takes a Filter, got {type(filter).__name__}; "
            "use compile_predicate() for expression text or filter JSON"
        )
    predicate = _node(filter, False, check_bindings(bindings, "reference_predicate"))

    def check(document: Mapping[str, Any]) -> bool:
        if not isinstance(document, Mapping):
            raise FilterOptionError(
                f"a document must be a mapping (dict), got {type(document).__name__}"
            )
        return predicate(document if isinstance(document, dict) else dict(document))

    return check


_OPTIONS = ("bindings", "limits")


def compile_predicate(
    filter: FilterLike,
    *,
    bindings: Mapping[str, Any] | None = None,
    limits: Limits | None = None,
    **unknown: object,
) -> Predicate:
    """Compile ``filter`` into a function ``document -> bool`` (reuse it for many documents).

    ``limits`` applies when ``filter`` is text, JSON or a model parse/validate did not build."""
    from .python_codegen import generate_predicate

    reject_unknown_options("compile_predicate", unknown, _OPTIONS)
    checked = check_bindings(bindings, "compile_predicate")
    return generate_predicate(as_filter(filter, limits), bindings=checked)


# Predicates of recently matched filters, by identity (filters are immutable). A new filter gets
# the closures, which are cheap to build (about 2 µs per condition); once the same Filter object
# has been matched against GENERATE_AFTER documents, it gets generated code, which costs about
# 30 µs per condition to compile and evaluates several times faster. Kept small: the cache only
# pays when one Filter object is matched against many documents.
GENERATE_AFTER = 100
_recent: dict[int, tuple[Filter, Predicate, int]] = {}
_recent_lock = threading.Lock()
_RECENT_MAX = 64
_recent_get = _recent.get  # one attribute lookup less on the hot path (the dict is never replaced)
#: The filter matched last, with its generated code: matching one filter against many documents
#: then costs one identity test before the call (no id(), no dict lookup). Replaced as a whole,
#: so a thread reading it never sees one filter with another's predicate.
_last_generated: tuple[object, Predicate] = (object(), lambda document: False)


def _remember(filter: Filter, predicate: Predicate) -> None:
    global _last_generated
    _last_generated = (filter, predicate)


def matches(
    filter: FilterLike,
    document: Mapping[str, Any],
    *,
    bindings: Mapping[str, Any] | None = None,
    limits: Limits | None = None,
    **unknown: object,
) -> bool:
    """Whether ``document`` matches ``filter`` (see the module docs for the rules).

    ``filter`` may also be expression text or filter JSON (read within ``limits``); ``bindings``
    resolves templates and dynamic values. To match one filter against many documents,
    :func:`compile_predicate` once and call the result. An unknown keyword is a
    :class:`~mixfilter.FilterOptionError`.
    """
    last = _last_generated  # one read of one tuple: never a filter paired with another's code
    if last[0] is filter and bindings is None and limits is None and not unknown:
        return last[1](document)  # the steady state: the same filter, many documents
    entry = _recent_get(id(filter))
    if (
        entry is not None
        and entry[0] is filter
        and entry[2] < 0
        and bindings is None
        and limits is None
        and not unknown
    ):
        _remember(filter, entry[1])
        return entry[1](document)  # generated code for one of several filters in turn
    # (**unknown costs about 25 ns per call, CPython's empty dict; an unknown keyword would
    # otherwise be a plain TypeError)
    if unknown:
        reject_unknown_options("matches", unknown, _OPTIONS)
    if bindings is not None:
        bindings = check_bindings(bindings, "matches")
    filter = as_filter(filter, limits)  # text, JSON, or a model parse/validate did not build
    if bindings:
        return reference_predicate(filter, bindings=bindings)(document)
    entry = _recent.get(id(filter))
    if entry is not None and entry[0] is filter:
        uses = entry[2]
        if uses < 0:  # generated already (reached with bindings={}, say)
            return entry[1](document)
        if uses < GENERATE_AFTER:
            entry = (filter, entry[1], uses + 1)
        else:
            entry = (filter, compile_predicate(filter), -1)
            _remember(filter, entry[1])
    else:
        entry = (filter, reference_predicate(filter), 1)
    with _recent_lock:
        if len(_recent) >= _RECENT_MAX:
            _recent.clear()
        _recent[id(filter)] = entry
    return entry[1](document)
