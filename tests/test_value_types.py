"""Values of subclasses (an IntEnum, a str enum, a class with its own __repr__) and templates
inside longer strings: the filter keeps only the plain value, whatever the class says of itself.

A subclass can print itself as anything: before, ``to_sql`` wrote an ``int`` subclass with its
``__repr__`` (``"a" = 1 OR 1=1 --``) and ``to_text`` wrote a str enum field as ``SE.X``.
"""

from __future__ import annotations

import enum
import sqlite3
from typing import Any

import pytest

import mixfilter
from mixfilter import FilterCompileError, to_mongo, to_sql, to_text, validate


class Color(enum.IntEnum):
    RED = 1


class Kind(str, enum.Enum):
    ITEM = "item"


class Evil(int):
    def __repr__(self) -> str:
        return "1 OR 1=1 --"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


class EvilFloat(float):
    def __repr__(self) -> str:
        return "0) OR (1=1"


class FakeClass(int):
    """Says it is an int (``__class__``), prints as a filter of its own."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return int

    def __repr__(self) -> str:
        return "1 or b = 2"

    __str__ = __repr__


class Op(str, enum.Enum):
    GT = "gt"


class EvilStr(str):
    def __str__(self) -> str:
        return "evil"

    def lower(self) -> str:
        return "evil"


# (filter JSON, the plain JSON it must validate to)
CASES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"field": "a", "value": Color.RED}, {"field": "a", "operator": "eq", "value": 1}),
    ({"field": "a", "value": Evil(1)}, {"field": "a", "operator": "eq", "value": 1}),
    (
        {"field": "a", "operator": "gt", "value": EvilFloat(2.5)},
        {"field": "a", "operator": "gt", "value": 2.5},
    ),
    ({"field": "a", "value": EvilStr("ok")}, {"field": "a", "operator": "eq", "value": "ok"}),
    ({"field": Kind.ITEM, "value": 1}, {"field": "item", "operator": "eq", "value": 1}),
    ({Kind.ITEM: Color.RED}, {"field": "item", "operator": "eq", "value": 1}),
    (
        {"field": "a", "operator": "in", "value": [Color.RED, Evil(2)]},
        {"field": "a", "operator": "in", "value": [1, 2]},
    ),
    ({"field": "a", "value": FakeClass(1)}, {"field": "a", "operator": "eq", "value": 1}),
    ({"field": "a", "operator": Op.GT, "value": 1}, {"field": "a", "operator": "gt", "value": 1}),
    (
        {"field": "a", "value": {"type": "dynamic", "field": Kind.ITEM}},
        {"field": "a", "operator": "eq", "value": {"type": "dynamic", "field": "item"}},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("data", "want"), CASES, ids=range(len(CASES)))
def test_subclass_values_become_plain_values(data: dict[str, Any], want: dict[str, Any]) -> None:
    f = validate(data)
    assert f.to_json() == {"AND": [want]}
    for c in f.items:
        assert isinstance(c, mixfilter.Condition)
        assert type(c.field) is str
        values = c.value if isinstance(c.value, tuple) else (c.value,)
        assert all(type(v) in (str, int, float, mixfilter.DynamicValue) for v in values)
        assert type(c.operator) is str
    assert mixfilter.parse(to_text(f)) == f


def test_a_subclass_cannot_write_sql() -> None:
    rows = [(1, 1), (2, 2)]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER, a INTEGER)")
    db.executemany("INSERT INTO t VALUES (?, ?)", rows)
    for value in (Evil(1), Color.RED):
        sql = to_sql({"field": "a", "value": value}, "sqlite")
        assert sql == '"a" = 1'
        assert [r[0] for r in db.execute(f"SELECT id FROM t WHERE {sql}")] == [1]
    sql = to_sql({"field": "a", "operator": "lt", "value": EvilFloat(1.5)}, "sqlite")
    assert sql == '"a" < 1.5'


@pytest.mark.parametrize("value", [Evil(1), Color.RED])
def test_bound_subclass_values_are_plain(value: int) -> None:
    f = "a = {{INPUT.x}}"
    assert to_sql(f, "sqlite", bindings={"INPUT.x": value}) == '"a" = 1'
    query = to_mongo(f, bindings={"INPUT.x": value})
    assert query == {"a": 1} and type(query["a"]) is int
    assert mixfilter.matches(f, {"a": 1}, bindings={"INPUT.x": value})
    assert not mixfilter.matches(f, {"a": 2}, bindings={"INPUT.x": value})


# a template inside a longer string: (bound value, the string it makes, or None: refused)
EMBEDDED: list[tuple[Any, str | None]] = [
    ("x", "hi x"),
    (EvilStr("ok"), "hi ok"),
    (5, "hi 5"),
    (2.5, "hi 2.5"),
    (Color.RED, "hi 1"),
    (Evil(7), "hi 7"),
    (FakeClass(3), "hi 3"),
    (10**400, "hi 1" + "0" * 400),  # no float conversion on the way
    (None, None),
    (True, None),
    (float("nan"), None),
    (float("inf"), None),
    ([1], None),
    ({"a": 1}, None),
    (b"x", None),
    (object(), None),
]


@pytest.mark.parametrize(("value", "text"), EMBEDDED, ids=[repr(v) for v, _ in EMBEDDED])
def test_templates_inside_strings(value: Any, text: str | None) -> None:
    f = 'case sensitive (a = "hi {{INPUT.x}}")'
    bindings = {"INPUT.x": value}
    if text is None:
        for call in (
            lambda: to_sql(f, "sqlite", bindings=bindings),
            lambda: to_mongo(f, bindings=bindings),
            lambda: mixfilter.matches(f, {"a": "hi"}, bindings=bindings),
        ):
            with pytest.raises(FilterCompileError, match="inside a string needs a string or a"):
                call()
        return
    assert to_mongo(f, bindings=bindings) == {"a": text}
    assert mixfilter.matches(f, {"a": text}, bindings=bindings)
    assert to_sql(f, "sqlite", bindings=bindings) == f"\"a\" = '{text}'"


def test_names_without_a_namespace_are_only_themselves() -> None:
    # inputs.x is INPUT.x (a namespace ignores case and a trailing s), but item is not items
    f = "a = {{item}} and b in {{items}}"
    bindings = {"item": 1, "items": [1, 2]}
    assert mixfilter.matches(f, {"a": 1, "b": 2}, bindings=bindings)
    assert to_mongo(f, bindings=bindings) == {"a": 1, "b": {"$in": [1, 2]}}
    assert to_mongo("a = {{Name}}", bindings={"Name": 1, "name": 2}) == {"a": 1}
    with pytest.raises(FilterCompileError, match="no binding"):
        to_mongo("a = {{item}}", bindings={"items": 1})


class Liar:
    """Not a number, but says it is one (``__class__``): isinstance() believes it."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return int


@pytest.mark.parametrize(
    "data",
    [
        {"field": "a", "value": Liar()},
        {"field": Liar(), "value": 1},
        {"field": "a", "operator": "in", "value": [Liar()]},
    ],
    ids=["value", "field", "list item"],
)
def test_an_object_lying_about_its_class_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(mixfilter.FilterValidationError, match="got Liar"):
        validate(data)


def test_a_bound_object_lying_about_its_class_is_refused() -> None:
    with pytest.raises(FilterCompileError, match="got Liar"):
        to_sql("a = {{INPUT.x}}", "sqlite", bindings={"INPUT.x": Liar()})


class _Truthy:
    """What numpy's comparisons answer with: not a bool, but true."""

    def __bool__(self) -> bool:
        return True


class LooseFloat(float):
    def __eq__(self, other: object) -> Any:
        return _Truthy()

    def __gt__(self, other: object) -> Any:
        return _Truthy()

    __hash__ = float.__hash__


class LooseStr(str):
    def __eq__(self, other: object) -> Any:
        return _Truthy()

    __hash__ = str.__hash__


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("a = 1", {"a": LooseFloat(1.0)}),
        ("a > 0", {"a": LooseFloat(1.0)}),
        ("m.a = 1", {"m": {"a": LooseFloat(1.0)}}),
        ('case sensitive (a = "x")', {"a": LooseStr("x")}),
        ('a >= "x"', {"a": LooseStr("x")}),
    ],
)
def test_matches_answers_a_bool_whatever_a_value_compares_as(text: str, document: Any) -> None:
    """Found by a bad-input hunt: numpy.float64 (a float subclass) made matches() answer
    numpy.True_; the generated code and the closures alike."""
    f = mixfilter.parse(text)
    answers = [mixfilter.matches(f, document) for _ in range(150)]  # closures, then generated
    answers.append(mixfilter.compile_predicate(f)(document))
    assert {type(a) for a in answers} == {bool}
