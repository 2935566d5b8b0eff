"""A faster form of the reference evaluator: one generated Python function per filter.

:mod:`.python` defines the semantics with one closure per node; evaluating a filter there costs a
Python call per node and per condition. Here the whole filter becomes the body of one function,
so the common conditions cost a few bytecodes each: ``age >= 30`` becomes
``(x >= v4 if (c := (x := d.get(k3)).__class__) is int or c is float else o5(x))``: the
inline comparison for the classes it is right for (``int`` and ``float`` here, never ``bool``),
and the operator's reference test from :mod:`.python` for any other value (lists, null,
subclasses, other types).

Values and field names never become source text: the generated code refers to them by generated
names (``k3``, ``v4``) bound in the function's namespace, so nothing a filter holds can change
what the code does. Only the operators below are inlined, each as the same test its closure in
:mod:`.python` performs; anything else (dotted paths, ``regex``, ``text``, ``is_null``, ``eq
null``, mixed-type ``in`` lists) calls that closure from the generated code, so there is still
one semantics.
:func:`tests.test_matches_codegen` checks the two forms agree on random filters and documents.

Deep filters would exceed what CPython's compiler accepts in one expression (about 200 levels of
parentheses), so below :data:`MAX_INLINE_DEPTH` groups a subtree is called as its closure.

Past the first :data:`ORDERED` items of a group, items are written by *shape*: items whose code
differs only in their operands (``(a = 1 and b > 2)``, ``(a = 5 and b > 0)``, ...) become one
loop over a table of operand rows (``for r in T: if r[1] == ...``). A filter of 100,000
conditions is then a few small loops instead of megabytes of bytecode that every document reads
through again (3x slower per condition than at 1,000 conditions when it was written out in full).
The first items keep their order, so an OR that many of its groups would satisfy still stops at
one of its first groups (in shape order, 13 times as many groups per matching document were
tested at 10,000 conditions).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from ..bindings import bind, bind_field
from ..errors import FilterOptionError
from ..model import Condition, Group, LogicalOp, Node
from .python import _NEGATIONS, _VALUE_TESTS, ARRAYS, Predicate, _condition, _node

#: Groups nested deeper than this are evaluated by their closure (each group and condition adds
#: at most three levels of parentheses; CPython's parser stops at 200).
MAX_INLINE_DEPTH = 40
#: Groups wider than this are split into one generated function per chunk of items.
CHUNK = 64
#: In a wide group, the first items are written in their order; past this many, items that
#: share a shape share a loop (the generated code stays small however wide the group is).
ORDERED = 256

#: Inline tests, each for one exact class of the value ``x`` found at the field: ``{v}`` is the
#: operand's generated name. Any other value (a list, missing or null, a subclass, another type)
#: goes to the reference test for the operator (with "any element" for lists), so the inline
#: code only has to be right for the class it is guarded by.
_STRING_TESTS_CS = {
    "eq": "x == {v}",
    "contains": "{v} in x",
    "starts_with": "x.startswith({v})",
    "ends_with": "x.endswith({v})",
}
_STRING_TESTS_CI = {
    "eq": "x.lower() == {v}",
    "contains": "{v} in x.lower()",
    "starts_with": "x.lower().startswith({v})",
    "ends_with": "x.lower().endswith({v})",
}
_ORDER = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
#: The guard for each kind of operand: the classes the inline test is written for.
_IS_STRING = "(x := {read}).__class__ is str"
# int or float, never bool; two identity tests cost less than a set lookup of the class
_IS_NUMBER = "(c := (x := {read}).__class__) is int or c is float"
_IS_BOOL = "(x := {read}).__class__ is bool"


def _inline_test(operator: str, value: Any, case_sensitive: bool) -> tuple[str, str, Any] | None:
    """(guard, test, operand) for an inlinable test, or None to call the closure."""
    if isinstance(value, str):
        if operator in _ORDER:
            return _IS_STRING, f"x {_ORDER[operator]} {{v}}", value
        table = _STRING_TESTS_CS if case_sensitive else _STRING_TESTS_CI
        if operator in table:
            return _IS_STRING, table[operator], value if case_sensitive else value.lower()
        return None
    if isinstance(value, bool):
        return (_IS_BOOL, "x is {v}", value) if operator == "eq" else None
    if isinstance(value, (int, float)):
        if operator == "eq":
            return _IS_NUMBER, "x == {v}", value
        if operator in _ORDER:
            return _IS_NUMBER, f"x {_ORDER[operator]} {{v}}", value
        return None
    strings_only = isinstance(value, tuple) and value and all(isinstance(v, str) for v in value)
    if operator == "in" and strings_only:
        if case_sensitive:
            return _IS_STRING, "x in {v}", frozenset(value)
        return _IS_STRING, "x.lower() in {v}", frozenset(v.lower() for v in value)
    return None


def _other_values(test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """The reference test for a value the inline guard does not take: an array (any element
    passes), None for a missing field or a null (no test here passes on those), anything else."""

    def other(x: Any) -> bool:
        if isinstance(x, ARRAYS):
            return any(map(test, x))
        return test(x)

    return other


def _key(value: Any) -> Hashable:
    """What tells operands apart: the value and its type (``1``, ``1.0`` and ``true`` are three
    operands, as are ``[1]`` and ``[true]``); floats by their repr (``-0.0``, ``nan``)."""
    if isinstance(value, tuple):
        return (tuple, tuple(_key(v) for v in value))
    if isinstance(value, float):
        return (float, repr(value))
    return (type(value), value)


class _NotLoopable(Exception):
    """An item that cannot be a loop body (it holds a wide group, written as functions)."""


class _Generator:
    """Writes the body expression, binding every operand to a name in ``namespace``."""

    def __init__(self, bindings: Mapping[str, Any] | None) -> None:
        self.bindings = bindings
        self.functions: list[str] = []
        self.namespace: dict[str, Any] = {"dict_get": dict.get}
        #: Nothing has read the document yet: the next read is the first one evaluated.
        self.first = True
        #: The first read is ``dict_get(d, k)``, which raises TypeError for anything but a dict:
        #: that read is then the predicate's test of what it was given (see generate_predicate).
        self.strict = False
        self.shared: dict[Hashable, str] = {}
        self.objects: dict[Hashable, Any] = {}
        #: While a loop body is written: its operands, in order (the code reads r[0], r[1], ...).
        self.row: list[Any] | None = None

    def bind_name(self, prefix: str, obj: Any) -> str:
        name = f"{prefix}{len(self.namespace)}"
        self.namespace[name] = obj
        return name

    def shared_name(self, prefix: str, key: Hashable, make: Callable[[], Any]) -> str:
        """One name per distinct field, operand or value test, however many conditions use it.

        A filter of 100,000 conditions over a few fields would otherwise bind 300,000 names:
        past 65,535 globals CPython 3.11 cannot specialize ``LOAD_GLOBAL``, and each name is one
        more object to bring into the cache; matching it against a document cost 20x more per
        condition than at 10,000 conditions.
        """
        name = self.shared.get(key)
        if name is None:
            name = self.shared[key] = self.bind_name(prefix, make())
        return name

    def operand(self, prefix: str, make: Callable[[], Any], key: Hashable | None = None) -> str:
        """The name of an operand (a value, a value test, a closure) in the code being written:
        a slot of the row in a loop body, else a global (one per ``key``, when given)."""
        if self.row is not None:
            if key is None:
                obj = make()
            else:  # one object per key, as one global per key outside loops
                if key not in self.objects:
                    self.objects[key] = make()
                obj = self.objects[key]
            self.row.append(obj)
            return f"r[{len(self.row) - 1}]"
        if key is None:
            return self.bind_name(prefix, make())
        return self.shared_name(prefix, key, make)

    def field_name(self, field: str) -> str:
        return self.shared_name("k", ("k", field), lambda: field)

    def node(self, node: Node, case_sensitive: bool, depth: int) -> str:
        if isinstance(node, Condition):
            return self.condition(node, case_sensitive)
        cs = node.case_sensitive
        effective = case_sensitive if cs is None else cs
        if depth >= MAX_INLINE_DEPTH:
            self.first = False
            closure = self.operand("p", lambda: _node(node, case_sensitive, self.bindings))
            return f"{closure}(d)"
        return self.group(node.op, node.items, effective, depth)

    def group(
        self, op: LogicalOp | None, items: tuple[Node, ...], case_sensitive: bool, depth: int
    ) -> str:
        if op is None:
            self.first = False
            return "True"
        if len(items) > CHUNK:
            parts = self.wide("AND" if op == "AND" else "OR", items, case_sensitive, depth)
        else:
            parts = [self.node(item, case_sensitive, depth + 1) for item in items]
        if op == "AND":
            return "(" + " and ".join(parts) + ")"
        joined = "(" + " or ".join(parts) + ")"
        return joined if op == "OR" else f"(not {joined})"

    def wide(
        self, kind: LogicalOp, items: tuple[Node, ...], case_sensitive: bool, depth: int
    ) -> list[str]:
        """The parts of a wide AND/OR. The first :data:`ORDERED` items are tested in their
        order; past them, items that share a shape share one loop, and the others follow.

        The order never changes the answer (every test is a pure function of the document),
        only how soon an item that decides it is reached: where many items would decide (a
        document matching several groups of an OR), the first ones in the filter are found first.
        """
        if self.row is not None:
            raise _NotLoopable  # inside a loop body: the enclosing item is written as code
        self.first = False  # its items are read in functions of their own
        parts = self.chunks(kind, items[:ORDERED], case_sensitive, depth)
        tail: list[tuple[Node, str | None]] = []
        shapes: dict[str, list[list[Any]]] = {}
        for item in items[ORDERED:]:
            self.row = []
            code: str | None
            try:
                code = self.node(item, case_sensitive, depth + 1)
                shapes.setdefault(code, []).append(self.row)
            except _NotLoopable:
                code = None  # written the ordinary way below
            finally:
                self.row = None
            tail.append((item, code))
        looped = {code for code, rows in shapes.items() if len(rows) > 1}
        parts += [self.loop(kind, code, shapes[code]) for code in shapes if code in looped]
        rest = [item for item, code in tail if code not in looped]
        return parts + self.chunks(kind, rest, case_sensitive, depth)

    def chunks(
        self, kind: LogicalOp, items: Sequence[Node], case_sensitive: bool, depth: int
    ) -> list[str]:
        """One function per :data:`CHUNK` items: CPython compiles many small functions in
        linear time, one huge expression in worse than linear time."""
        return [
            self.function(self.group(kind, tuple(items[i : i + CHUNK]), case_sensitive, depth + 1))
            for i in range(0, len(items), CHUNK)
        ]

    def loop(self, kind: LogicalOp, code: str, rows: list[list[Any]]) -> str:
        """A call of a new function testing ``code`` once per row of operands."""
        width = len(rows[0])
        if width == 0:  # no operands: every item is the same test
            return code
        # the rows' tuples made one after another, so that they lie together in memory: a
        # document read through 20,000 of them is then a stream, not scattered reads
        table = self.bind_name("T", tuple([tuple(row) for row in rows]))
        if kind == "OR":  # the first row that passes decides
            hit, miss, test = "True", "False", code
        else:  # the first row that fails decides
            hit, miss, test = "False", "True", f"not {code}"
        name = f"f{len(self.functions)}"
        self.functions.append(
            f"def {name}(d):\n"
            f"    for r in {table}:\n"
            f"        if {test}:\n"
            f"            return {hit}\n"
            f"    return {miss}\n"
        )
        return f"{name}(d)"

    def condition(self, c: Condition, case_sensitive: bool) -> str:
        operator = c.operator
        value = bind(operator, c.value, self.bindings, "matches()")
        field = bind_field(c.field, self.bindings, "matches()")
        top_level = "." not in field
        first, self.first = self.first, False
        if top_level and operator == "exists":
            key = self.field_name(field)
            return f"({key} in d)" if value else f"({key} not in d)"
        positive = _NEGATIONS.get(operator, operator)
        inline = None
        if top_level and positive in _VALUE_TESTS:
            inline = _inline_test(positive, value, case_sensitive)
        if inline is None:  # dotted paths, is_null, regex, text, mixed lists: the closure
            closure = self.operand("p", lambda: _condition(c, case_sensitive, self.bindings))
            return f"{closure}(d)"
        guard, test, operand = inline
        key = self.field_name(field)
        # d.get(k) gives None for a missing field: the same answer as null for every test here.
        get = f"d.get({key})"
        if first and self.row is None:
            get, self.strict = f"dict_get(d, {key})", True
        read = guard.format(read=get)
        other = self.operand(
            "o",
            lambda: _other_values(_VALUE_TESTS[positive](value, case_sensitive)),
            ("o", positive, case_sensitive, _key(value)),
        )
        v = self.operand("v", lambda: operand, ("v", _key(operand)))
        # The class first, even for eq, where only a string can equal a string: a value of
        # another class may answer == with anything (pandas.NA, a numpy array, mock.ANY).
        code = f"({test.format(v=v)} if {read} else {other}(x))"
        return code if positive is operator else f"(not {code})"

    def function(self, body: str) -> str:
        """A call of a new generated function returning ``body``."""
        if self.row is not None:
            raise _NotLoopable  # a loop body's operands are the loop's locals, not this function's
        name = f"f{len(self.functions)}"
        self.functions.append(f"def {name}(d):\n    return {body}\n")
        return f"{name}(d)"


def _as_dict(document: Any) -> dict[str, Any]:
    if isinstance(document, dict):
        return document
    return _plain_dict(document)


def _plain_dict(document: Any) -> dict[str, Any]:
    """A copy of ``document`` as a dict: also of a proxy that passes for one (``wrapt``,
    ``lazy_object_proxy``, Django's ``SimpleLazyObject``: ``__class__`` says ``dict``, so
    ``isinstance`` does too, but ``dict.get`` refuses it)."""
    if isinstance(document, Mapping):
        return dict(document)
    raise FilterOptionError(f"a document must be a mapping (dict), got {type(document).__name__}")


def generate_predicate(
    filter: Group, *, bindings: Mapping[str, Any] | None = None
) -> Callable[[Any], bool]:
    """``filter`` as one generated function ``document -> bool``."""
    generator = _Generator(bindings)
    body = generator.node(filter, False, 0)
    namespace = generator.namespace
    namespace["as_dict"] = _as_dict
    namespace["plain_dict"] = _plain_dict
    if generator.strict:
        # The first read raises TypeError for a document that is not a dict, before anything
        # else is evaluated: a dict costs no test of its class, another mapping (or a proxy
        # that passes for a dict) is copied into one and tried again, anything else is refused
        # by plain_dict().
        check = (
            "    try:\n"
            f"        return {body}\n"
            "    except TypeError:\n"
            "        if issubclass(type(d), dict):  # not from the first read\n"
            "            raise\n"
            "    return predicate(plain_dict(d))\n"
        )
    else:
        check = f"    if d.__class__ is not dict:\n        d = as_dict(d)\n    return {body}\n"
    source = "".join(generator.functions) + "def predicate(d):\n" + check
    # The source holds only the templates above; values and fields are bound by name.
    exec(compile(source, "<mixfilter predicate>", "exec"), namespace)
    predicate: Predicate = namespace["predicate"]
    return predicate
