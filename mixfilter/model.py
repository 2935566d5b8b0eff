"""The filter model: pydantic classes that *are* the documented Mixpeek filter JSON.

A :class:`Filter` from :func:`mixfilter.parse` or :func:`mixfilter.validate` is always normalized
(see :mod:`mixfilter.normalize`): every logical node has exactly one of ``AND`` / ``OR`` / ``NOT``
(the root of the empty filter has none), conditions carry ``field``, ``operator`` and ``value``,
and ``case_sensitive`` appears only where it differs from the value inherited from above. Both
return the same normalized model for the same filter.

The classes can also be called directly (``Condition(field="a", value=1)``). The constructors
check types only, strictly (``case_sensitive="no"`` is not ``False``, ``b"a"`` is not ``"a"``); a
wrong type or an unknown keyword raises :class:`~mixfilter.errors.FilterValidationError` (not
pydantic's ``ValidationError``), and the models cannot be changed afterwards. Everything
else — operator/value rules, regex safety, limits, normalization — is checked when such a model
is first used: :func:`mixfilter.validate` and every target pass a model that parse/validate did
not produce through the validator again (its JSON, with every logical key it holds), while the
filters parse/validate return are recognised and used as they are, at no cost.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError

from .limits import MAX_DEPTH_CAP, Limits

if TYPE_CHECKING:
    from typing_extensions import Self

#: The 15 operators of the Mixpeek format.
Operator = Literal[
    "eq", "ne", "gt", "gte", "lt", "lte", "in", "nin",
    "contains", "starts_with", "ends_with", "regex", "exists", "is_null", "text",
]  # fmt: skip
OPERATORS: tuple[str, ...] = get_args(Operator)

#: Operators whose string comparisons honour ``case_sensitive`` (SPEC §5).
CASE_OPERATORS = frozenset(
    {"eq", "ne", "in", "nin", "contains", "starts_with", "ends_with", "regex"}
)

Scalar = str | int | float | bool | None
# What the constructors take: the classes themselves, not what pydantic's lax mode would turn
# into them ("no" -> False, b"a" -> "a", 1 -> True); validate() is as strict for JSON.
_Text = Annotated[str, Strict()]
_Bool = Annotated[bool, Strict()]
_Scalar = _Text | Annotated[int, Strict()] | Annotated[float, Strict()] | _Bool | None


def _json_value(value: Any) -> Any:
    """Refuse what is not a JSON value before pydantic converts it: strict floats still take
    anything with ``__float__`` (numpy's int64 would become a float), and validate() refuses
    those. Subclasses of the JSON classes pass (validation keeps their plain value)."""
    if isinstance(value, (list, tuple)):
        for item in value:
            if not (item is None or isinstance(item, (str, int, float))):  # bool is an int
                raise ValueError(
                    f"list items must be strings, numbers, booleans or null, got "
                    f"{type(item).__name__}"
                )
        return value
    if value is None or isinstance(value, (str, int, float, dict, DynamicValue)):
        return value
    raise ValueError(
        f"expected a string, number, boolean, null or list, got {type(value).__name__}"
    )


LogicalOp = Literal["AND", "OR", "NOT"]

# ``defer_build``: pydantic builds a model's validator on first use, not at import. Parsing and
# validation construct models directly (see "fast construction" below), so most programs never
# need the validators; building them at import cost about a third of ``import mixfilter``.
_FROZEN = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


# Set while a constructor (or model_validate) runs: pydantic calls the __init__ of nested models
# too, and only the outermost call turns pydantic's error into a FilterValidationError (a nested
# one re-raises pydantic's, which pydantic merges, with its location, into the outer error).
_constructing: ContextVar[bool] = ContextVar("mixfilter_constructing", default=False)


class _Checked(BaseModel):
    """The constructors raise :class:`~mixfilter.errors.FilterValidationError` on bad input."""

    model_config = _FROZEN

    def __init__(self, **data: Any) -> None:
        if _constructing.get():
            super().__init__(**data)
            return
        if _nests_too_deeply(data):
            raise _too_deep(type(self))
        token = _constructing.set(True)
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _constructor_error(type(self), exc) from None
        except RecursionError:
            raise _too_deep(type(self)) from None
        finally:
            _constructing.reset(token)

    def __setattr__(self, name: str, value: Any) -> None:
        fields = type(self).model_fields
        how = (
            f"model_copy(update={{{name!r}: ...}})" if name in fields else "model_copy(update=...)"
        )
        raise AttributeError(
            f"{type(self).__name__} objects cannot be changed; make a new one, or use {how}"
        )

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any:
        """pydantic's, refusing an ``update`` key that is not a field (pydantic ignores it, so
        ``update={"op": "OR"}`` or a misspelt ``"OR"`` would leave the filter as it was). The
        copy is checked like a constructed model when it is used."""
        from .errors import FilterOptionError, did_you_mean, quote_slice

        fields = type(self).model_fields
        for key in update or ():
            if key not in fields:
                hint = did_you_mean(str(key), fields) if len(str(key)) <= 100 else None
                tail = f"did you mean {hint!r}?" if hint else f"the fields are {', '.join(fields)}"
                raise FilterOptionError(
                    f"{type(self).__name__}.model_copy(update=...): {quote_slice(str(key))} is "
                    f"not a field; {tail}"
                )
        copied = super().model_copy(deep=deep)
        if not update:
            return copied
        # pydantic's update adds to __pydantic_fields_set__, which fast construction makes a
        # frozenset: build the copy from its fields instead
        return type(self).model_construct(**{**copied.__dict__, **update})

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} objects cannot be changed")

    def __str__(self) -> str:
        """Expression text (``a = 1``, for a Condition or Group as for a Filter). A model that
        is no valid filter prints as its repr: str() is for logs and messages, which must not
        fail on the object they describe (use to_text() to have the error)."""
        from .errors import FilterError
        from .targets.text import to_text

        try:
            return to_text(self)  # type: ignore[arg-type]  # a DynamicValue: the repr below
        except FilterError:
            return repr(self)

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        """pydantic's, refusing a keyword that is not a field (pydantic drops it silently, so
        ``Condition.model_construct(field="a", vaule=1)`` would be a condition without its
        value), and making lists tuples as the constructors do (a list would leave the model
        unhashable and unequal to the same filter parsed). Nothing else is checked here: the
        model is checked when it is used."""
        unknown = [key for key in values if key not in cls.model_fields]
        if unknown:
            from .errors import FilterValidationError, Problem, did_you_mean, quote_slice

            raise FilterValidationError(
                [
                    Problem(
                        f"{cls.__name__}.{key}"
                        if str(key).isidentifier() and len(str(key)) <= 40
                        else f"{cls.__name__}[{quote_slice(str(key), 40)}]",
                        "unknown keyword argument",
                        did_you_mean(str(key)[:100], cls.model_fields),
                    )
                    for key in unknown
                ]
            )
        for key in ("AND", "OR", "NOT", "value"):  # tuples, as the constructors make them
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        return super().model_construct(_fields_set, **values)

    @classmethod
    def model_validate(cls, *args: Any, **kwargs: Any) -> Any:
        """pydantic's, with a FilterValidationError for bad input. It checks types only: use
        :func:`mixfilter.validate` to check and normalize filter JSON."""
        return _converting(cls, super().model_validate, args, kwargs)

    @classmethod
    def model_validate_json(cls, *args: Any, **kwargs: Any) -> Any:
        """pydantic's, with a FilterValidationError for bad input (see :meth:`model_validate`)."""
        return _converting(cls, super().model_validate_json, args, kwargs)

    @classmethod
    def model_validate_strings(cls, *args: Any, **kwargs: Any) -> Any:
        """pydantic's, with a FilterValidationError for bad input (see :meth:`model_validate`)."""
        return _converting(cls, super().model_validate_strings, args, kwargs)


def _converting(cls: type[BaseModel], method: Any, args: Any, kwargs: Any) -> Any:
    if args and _nests_too_deeply(args[0]):
        raise _too_deep(cls)
    token = _constructing.set(True)
    try:
        return method(*args, **kwargs)
    except ValidationError as exc:
        raise _constructor_error(cls, exc) from None
    except RecursionError:
        raise _too_deep(cls) from None
    finally:
        _constructing.reset(token)


#: Nested dicts and lists the model constructors read: two per logical level ({"NOT": [...]}),
#: for levels up to the highest max_depth any Limits allows, and a value's list. pydantic builds
#: nested models through our __init__, one C-stack-hungry round per level: deeper input is
#: refused before it starts, not left to Python's recursion limit (with that limit raised, or in
#: a thread with a small stack, the process crashed at a few hundred levels).
CONSTRUCTOR_MAX_NESTING = 2 * MAX_DEPTH_CAP + 2


def _nests_too_deeply(data: object) -> bool:
    """Whether ``data`` holds dicts and lists nested deeper than CONSTRUCTOR_MAX_NESTING."""
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth == CONSTRUCTOR_MAX_NESTING:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _too_deep(cls: type[BaseModel]) -> Exception:
    """A filter nested past what the model constructors read (or Python's recursion limit)."""
    from .errors import FilterValidationError, Problem

    return FilterValidationError(
        [
            Problem(
                cls.__name__,
                "the filter nests too deeply for the model constructors (more than "
                f"{MAX_DEPTH_CAP} levels, the most Limits.max_depth allows); "
                "mixfilter.validate() checks such JSON against Limits.max_depth",
            )
        ]
    )


class DynamicValue(_Checked):
    """A value the server fills in at run time: ``{"type": "dynamic", "field": "inputs.x"}``."""

    model_config = _FROZEN
    type: Literal["dynamic"] = "dynamic"
    field: _Text


Value = Scalar | tuple[Scalar, ...] | DynamicValue


class Condition(_Checked):
    """One comparison: ``{"field": "age", "operator": "gte", "value": 30}``."""

    model_config = _FROZEN
    field: _Text = Field(min_length=1)
    operator: Operator = "eq"
    #: ``Condition(field="a")`` leaves it unset: as in JSON, that means true for ``exists`` and
    #: ``is_null``, and is refused for the other operators when the condition is first used.
    value: Annotated[_Scalar | tuple[_Scalar, ...] | DynamicValue, BeforeValidator(_json_value)] = (
        None
    )

    def __eq__(self, other: object) -> bool:
        # pydantic compares the fields with ==, where True == 1: two conditions that match
        # different documents (SPEC §5: true is not 1) would be equal. Booleans are told apart;
        # an int and a float of the same value stay equal, as they match the same documents.
        if not isinstance(other, Condition):
            return NotImplemented
        return type(self) is type(other) and _identity(self) == _identity(other)

    def __hash__(self) -> int:
        return hash(_identity(self))

    def to_json(self, *, legacy: bool = False, **unknown: object) -> dict[str, Any]:
        """This condition as JSON (``key`` instead of ``field`` when ``legacy``)."""
        if unknown or (legacy is not False and legacy is not True):
            _bad_json_options(legacy, unknown)
        return _condition_json(self, legacy)


def _identity(c: Condition) -> tuple[Any, ...]:
    d = c.__dict__
    value = d["value"]
    if value.__class__ is tuple:
        value = tuple((v, True) if v.__class__ is bool else v for v in value)
    elif value.__class__ is bool:
        value = (value, True)  # never equal to a number, nor to a list
    return (d["field"], d["operator"], value)


def _items(key: str) -> Callable[[Any], Any]:
    """As in JSON: a lone node for NOT is a list of one; AND and OR need a list. (A model is
    iterable, so pydantic would otherwise read a Condition as the list of its fields.)"""

    def check(value: Any) -> Any:
        if isinstance(value, (_Checked, dict)):
            if key == "NOT":
                return (value,)
            raise ValueError(f"{key} needs a list (or tuple) of nodes, got {type(value).__name__}")
        return value

    return check


class Group(_Checked):
    """A logical node. ``NOT`` means *none* of its items match (Mixpeek's NOT is a NOR)."""

    model_config = _FROZEN
    AND: Annotated[tuple[Node, ...] | None, BeforeValidator(_items("AND"))] = None
    OR: Annotated[tuple[Node, ...] | None, BeforeValidator(_items("OR"))] = None
    NOT: Annotated[tuple[Node, ...] | None, BeforeValidator(_items("NOT"))] = None
    case_sensitive: _Bool | None = None

    _LOGICAL: ClassVar[tuple[LogicalOp, ...]] = ("AND", "OR", "NOT")

    @property
    def op(self) -> LogicalOp | None:
        """``"AND"``, ``"OR"`` or ``"NOT"``; ``None`` for the empty group (matches everything)."""
        d = self.__dict__
        for name in self._LOGICAL:
            if d[name] is not None:
                return name
        return None

    @property
    def items(self) -> tuple[Node, ...]:
        """The items of this node's one logical key (empty for the empty group)."""
        d = self.__dict__
        for name in self._LOGICAL:
            items: tuple[Node, ...] | None = d[name]
            if items is not None:
                return items
        return ()

    @property
    def is_empty(self) -> bool:
        """True for the group with no constraint, which matches every document."""
        return self.op is None

    def to_json(self, *, legacy: bool = False, **unknown: object) -> dict[str, Any]:
        """The documented filter JSON, ready for ``json.dumps`` and the Mixpeek API.

        ``legacy=True`` spells it for the older endpoints (assets search, features list):
        ``key`` instead of ``field`` and ``NOR`` instead of ``NOT``.

        A group built by its constructor is written as it is, not validated: with every logical
        key it holds (``Filter(AND=(a,), OR=(b,))`` gives ``{"AND": [a], "OR": [b]}``, which
        means both, SPEC §3) and at any depth. ``mixfilter.validate(g)`` checks and normalizes it.
        """
        if unknown or (legacy is not False and legacy is not True):
            _bad_json_options(legacy, unknown)
        if self.__class__ is Filter and is_checked(self):
            return _group_json(self, legacy)  # normalized, depth within the limits: the fast way
        result: dict[str, Any] = raw_json(self, legacy)
        return result


Node = Condition | Group
# Hot code that walks a *checked* filter (one parse/validate built; see is_checked) asks
# ``type(x) is Group`` / ``type(value) is DynamicValue`` where the answer is usually no: every
# node in such a filter was made by make_condition/make_group, so the classes are exact, and
# isinstance() against a pydantic model class goes through ABCMeta's __instancecheck__, about
# 200 ns when the answer is no (when it is yes, isinstance is as fast: CPython checks the exact
# type first, so ``isinstance(node, Condition)`` stays where mypy needs it to narrow).


class Filter(Group):
    """A whole, normalized filter: the root logical node.

    ``Filter()`` is the empty filter, which matches every document. Every function of mixfilter
    that takes a filter also takes expression text or a JSON dict in its place.
    """

    def to_text(self, **options: Any) -> str:
        """Canonical expression text; ``mixfilter.parse(f.to_text()) == f``."""
        from .targets.text import to_text

        return to_text(self, **options)

    def matches(
        self, document: Any, *, bindings: dict[str, Any] | None = None, limits: Limits | None = None
    ) -> bool:
        """Evaluate this filter against one document (the reference semantics). ``limits``
        applies to a filter parse/validate did not build (a copy, say): it is checked first."""
        from .targets.python import matches

        return matches(self, document, bindings=bindings, limits=limits)


# --- JSON output -------------------------------------------------------------------------------
# Plain recursive functions rather than model_dump: they are several times faster, keep key order
# stable, and emit ``value: null`` while leaving out unset logical keys. Depth is bounded by the
# limits every filter passed through when it was parsed or validated.


def _value_json(value: Value) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if type(value) is DynamicValue:
        return {"type": "dynamic", "field": value.field}
    return value


def _condition_json(c: Condition, legacy: bool) -> dict[str, Any]:
    d = c.__dict__
    return {
        "key" if legacy else "field": d["field"],
        "operator": d["operator"],
        "value": _value_json(d["value"]),
    }


def _group_json(g: Group, legacy: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    op = g.op
    if op is not None:
        key = "NOR" if legacy and op == "NOT" else op
        out[key] = [
            _condition_json(i, legacy) if isinstance(i, Condition) else _group_json(i, legacy)
            for i in g.items
        ]
    cs = g.__dict__["case_sensitive"]
    if cs is not None:
        out["case_sensitive"] = cs
    return out


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the canonical filter JSON that :meth:`Filter.to_json` emits.

    :func:`mixfilter.validate` accepts more spellings than this (``key``, ``NOR``, shorthand,
    ``NOT`` as an object, conditions without ``operator``); see docs/json-format.md.
    """
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **Filter.model_json_schema()}


# --- fast construction ------------------------------------------------------------------------
# Parsing and validation have already checked everything pydantic would, so they build models
# without a second validation pass. This mirrors what BaseModel.model_construct does, minus its
# per-call bookkeeping.

_CONDITION_SET = frozenset({"field", "operator", "value"})
_obj_new = object.__new__
# BaseModel's own slots, set through their descriptors: about 2.5x cheaper than going through
# object.__setattr__ (BaseModel.__setattr__ refuses, the models being frozen).
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def make_condition(field: str, operator: str, value: Value) -> Condition:
    c = _obj_new(Condition)
    _set_dict(c, {"field": field, "operator": operator, "value": value})
    _set_fields_set(c, _CONDITION_SET)
    _set_extra(c, None)
    _set_private(c, None)
    return c


def make_group(
    op: LogicalOp | None,
    items: tuple[Node, ...],
    case_sensitive: bool | None = None,
    cls: type[Group] = Group,
) -> Group:
    g = _obj_new(cls)
    d: dict[str, Any] = {"AND": None, "OR": None, "NOT": None, "case_sensitive": case_sensitive}
    fields_set = {"case_sensitive"} if case_sensitive is not None else set()
    if op is not None:
        d[op] = items
        fields_set.add(op)
    _set_dict(g, d)
    _set_fields_set(g, fields_set)
    _set_extra(g, None)
    _set_private(g, None)
    return g


def make_dynamic(path: str) -> DynamicValue:
    return DynamicValue.model_construct(type="dynamic", field=path)


# --- which filters were checked ------------------------------------------------------------------
# The roots that parse/validate built (see normalize.root), by identity: they need no second
# validation. Weak references (no callbacks: a plain ``ref`` is several times cheaper to make than
# one with a callback); entries whose filter is gone are swept out when the table has doubled
# since the last sweep, so the table stays proportional to the live filters. A dead entry is
# harmless meanwhile: its ``ref()`` is ``None``, and an object that reuses the id is not it.

_checked: dict[int, weakref.ref[Any]] = {}
_sweep_at = 1024
_new_ref = weakref.ref


def mark_checked(f: Filter) -> None:
    """Record that ``f`` was built by parse/validate, from checked input."""
    global _sweep_at
    _checked[id(f)] = _new_ref(f)
    if len(_checked) > _sweep_at:
        # A copy, not list(_checked.items()): building that list allocates a tuple per entry, and
        # an allocation can start a garbage collection whose finalizers let another thread run
        # and insert, which made the iteration fail ("dictionary changed size"; found by
        # tests/test_limits.py::test_threads_get_identical_results). dict.copy() copies the
        # entries in C without running Python code.
        for key, ref in _checked.copy().items():
            if ref() is None:
                _checked.pop(key, None)
        _sweep_at = max(1024, 2 * len(_checked))


def is_checked(node: object) -> bool:
    """Whether ``node`` is a Filter that parse/validate built (not one made by its constructor,
    ``model_construct``, ``model_copy`` or unpickling)."""
    ref = _checked.get(id(node))
    return ref is not None and ref() is node


def raw_json(node: object, legacy: bool = False) -> Any:
    """JSON for a model that may not be normalized or even valid (built by its constructor).

    Unlike the fast writer used for checked filters it keeps *every* logical key a node holds (a
    constructor call can set several) and it is iterative, so any nesting depth is safe (the
    validator then stops at ``max_depth``). For a normalized filter the output is the same.
    Anything that is not a model is passed on as it is, for the validator to complain about.
    """
    out: list[Any] = [None]
    stack: list[tuple[object, list[Any], int]] = [(node, out, 0)]
    while stack:
        item, into, index = stack.pop()
        if isinstance(item, Condition):
            d = item.__dict__
            condition = {
                "key" if legacy else "field": d.get("field"),
                "operator": d.get("operator"),
            }
            if "value" in (item.__pydantic_fields_set__ or ()):  # not given: as in JSON
                condition["value"] = _raw_value(d.get("value"))
            into[index] = condition
        elif isinstance(item, Group):
            d = item.__dict__
            group: dict[str, Any] = {}
            for key in Group._LOGICAL:
                items = d.get(key)
                if items is None:
                    continue
                if not isinstance(items, (tuple, list)):
                    group["NOR" if legacy and key == "NOT" else key] = items
                    continue
                children: list[Any] = [None] * len(items)
                group["NOR" if legacy and key == "NOT" else key] = children
                stack.extend((child, children, i) for i, child in enumerate(items))
            if d.get("case_sensitive") is not None:
                group["case_sensitive"] = d["case_sensitive"]
            into[index] = group
        else:
            into[index] = item
    return out[0]


def _raw_value(value: object) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, DynamicValue):
        return {"type": value.__dict__.get("type"), "field": value.__dict__.get("field")}
    return value


def _bad_json_options(legacy: object, unknown: dict[str, object]) -> None:
    from .errors import FilterOptionError, reject_unknown_options

    reject_unknown_options("to_json", unknown, ("legacy",))
    raise FilterOptionError(
        f"to_json(legacy=...) must be True or False, got {type(legacy).__name__}"
    )


_MODELS: tuple[type[BaseModel], ...] = (Condition, Group, DynamicValue)

#: Names that can appear in a path of a constructor error (the rest name union members).
_FIELD_NAMES = frozenset(
    {"field", "operator", "value", "type", "AND", "OR", "NOT", "case_sensitive"}
)


def _constructor_error(cls: type[BaseModel], exc: ValidationError) -> Exception:
    """pydantic's ValidationError for a constructor call, as a FilterValidationError.

    pydantic reports a value that fits no member of a union once per member (a dict in ``AND``
    fails as a Condition *and* as a Group); only the member with the fewest errors is kept, the
    one the input was most likely meant to be.
    """
    from .errors import FilterValidationError, Problem, did_you_mean, quote_slice

    errors = exc.errors(include_url=False)

    def split(error: Any) -> tuple[tuple[Any, ...], Any]:
        loc = tuple(error.get("loc", ()))
        extra = error.get("type") == "extra_forbidden"
        for i, part in enumerate(loc):
            tag = i and isinstance(part, str) and part not in _FIELD_NAMES
            if tag and not (extra and i == len(loc) - 1):
                return loc[:i], loc[i:]  # the place, and the union member tried there + the rest
        return loc, None

    # place -> member -> the attributes of the member that failed (nested failures count once)
    failed: dict[tuple[Any, ...], dict[Any, set[Any]]] = {}
    for error in errors:
        place, rest = split(error)
        if rest is not None:
            failed.setdefault(place, {}).setdefault(rest[0], set()).add(rest[1:2])
    best = {place: min(members, key=lambda m: len(members[m])) for place, members in failed.items()}

    problems: list[Problem] = []
    seen: set[str] = set()
    for error in errors:
        place, rest = split(error)
        if rest is not None and best[place] != rest[0]:
            continue
        loc = tuple(error.get("loc", ()))
        extra = error.get("type") == "extra_forbidden"
        path = cls.__name__
        for i, part in enumerate(loc):
            if isinstance(part, int):
                path += f"[{part}]"
            elif i == 0 or part in _FIELD_NAMES or (extra and i == len(loc) - 1):
                name = str(part)
                if name.isidentifier() and len(name) <= 40:
                    path += f".{name}"
                else:
                    path += f"[{quote_slice(name, 40)}]"
            # other parts name the member of a union that pydantic tried: noise for a reader
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")[:200]
        hint = None
        if extra and loc and isinstance(loc[-1], str):
            name = loc[-1]
            owners = [m.__name__ for m in _MODELS if name in m.model_fields]
            if owners:  # a keyword of another class (a Condition has no case_sensitive)
                message = f"{quote_slice(name, 40)} belongs to {' and '.join(owners)}, not here"
                if name == "case_sensitive":
                    message += " (wrap the condition: Filter(AND=(c,), case_sensitive=True))"
            else:
                message = "unknown keyword argument"
                hint = did_you_mean(name[:100], _FIELD_NAMES)
        elif loc and loc[-1] == "operator" and isinstance(error.get("input"), str):
            from .hints import operator_hint  # the same advice as validate() gives

            meant, advice = operator_hint(error["input"])
            message = f"unknown operator {quote_slice(error['input'], 40)}"
            if advice or meant is None:
                message += f"; {advice}" if advice else f" (one of {', '.join(OPERATORS)})"
            hint = meant
        if path not in seen:
            seen.add(path)
            problems.append(Problem(path, message, hint))
    if not problems:  # pragma: no cover - pydantic always lists at least one error
        problems.append(Problem(cls.__name__, "invalid arguments"))
    return FilterValidationError(problems)
