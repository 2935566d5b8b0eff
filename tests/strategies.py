"""Hypothesis strategies: raw filter JSON in every accepted spelling, and documents to match."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Fields that stress the printer (keywords, spaces, backticks, unicode) and the path walker.
FIELDS = ["a", "b", "a.b", "tags", "items.name", "not", "and", "in", "my field", "x`y", "é.ü", "n1"]
WORDS = [
    "",
    "a",
    "A",
    "ab",
    "Ab",
    "b a",
    "ß",
    "É",
    "é",
    "x_y",
    "50%",
    'q"t',
    "l\\n",
    "k\n",
    "🚀",
    "{{x}}",
]

strings = st.sampled_from(WORDS) | st.text(max_size=6)
numbers = st.integers(-5, 5) | st.sampled_from([0.0, 1.5, -2.25, 3.0, 1e20, 2**62])
scalars = st.none() | st.booleans() | numbers | strings
templates = st.sampled_from(["{{INPUT.x}}", "{{ inputs.limit }}", "pre {{INPUT.y}} post"])
dynamic = st.builds(lambda p: {"type": "dynamic", "field": p}, st.sampled_from(["inputs.x", "a.b"]))
case_flag = st.none() | st.booleans()

_BY_OPERATOR: dict[str, st.SearchStrategy[Any]] = {
    "eq": scalars | templates | dynamic,
    "ne": scalars | templates,
    "gt": numbers | strings,
    "gte": numbers | strings | templates,
    "lt": numbers | strings,
    "lte": numbers | strings,
    "in": st.lists(scalars, max_size=4) | st.sampled_from(["{{INPUT.x}}"]) | dynamic,
    "nin": st.lists(scalars, max_size=4),
    "contains": strings,
    "starts_with": strings,
    "ends_with": strings,
    "regex": st.sampled_from(["^a", "b$", "a.c", r"\d+", "[xy]", "É", "(ab|cd)", "a|b"]),
    "exists": st.booleans(),
    "is_null": st.booleans(),
    "text": st.sampled_from(["a", "ab b", "É ß", "x_y", "🚀 a"]),
}


@st.composite
def conditions(draw: st.DrawFn, evaluable: bool = False) -> dict[str, Any]:
    """A condition in any accepted spelling (``key``, omitted operator/value, case flag)."""
    op = draw(st.sampled_from(sorted(_BY_OPERATOR)))
    value = draw(_BY_OPERATOR[op])
    if evaluable:  # no templates or dynamic values: they need bindings to evaluate
        while isinstance(value, dict) or (isinstance(value, str) and "{{" in value):
            value = draw(
                scalars if op in ("eq", "ne") else _BY_OPERATOR["in"] if op == "in" else strings
            )
        if op == "in" and not isinstance(value, list):
            value = [value]
        if isinstance(value, list):
            value = [v for v in value if not (isinstance(v, str) and "{{" in v)]
    cond: dict[str, Any] = {
        draw(st.sampled_from(["field", "field", "key"])): draw(st.sampled_from(FIELDS))
    }
    if op != "eq" or draw(st.booleans()):
        cond["operator"] = op
    if not (op in ("exists", "is_null") and value is True and draw(st.booleans())):
        cond["value"] = value
    flag = draw(case_flag)
    if flag is not None and draw(st.booleans()):
        cond["case_sensitive"] = flag
    return cond


def raw_filters(evaluable: bool = False, max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Raw filter JSON: nested AND/OR/NOT/NOR, several keys a node, shorthand, NOT objects."""

    def nodes(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        @st.composite
        def node(draw: st.DrawFn) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for key in draw(
                st.lists(st.sampled_from(["AND", "OR", "NOT", "NOR"]), max_size=3, unique=True)
            ):
                items = draw(st.lists(children, max_size=3))
                if key in ("NOT", "NOR") and len(items) == 1 and draw(st.booleans()):
                    out[key] = items[0]  # documented: NOT as a single object
                else:
                    out[key] = items
            if draw(st.integers(0, 4)) == 0:
                plain = scalars.filter(lambda v: not (isinstance(v, str) and "{{" in v))
                out[draw(st.sampled_from(["a", "b", "a.b"]))] = draw(
                    plain if evaluable else scalars
                )
            flag = draw(case_flag)
            if flag is not None:
                out["case_sensitive"] = flag
            return out

        return node()

    return st.recursive(conditions(evaluable), nodes, max_leaves=max_leaves)


_leaf = st.none() | st.booleans() | numbers | st.sampled_from(WORDS)


def documents() -> st.SearchStrategy[dict[str, Any]]:
    """Documents over FIELDS: nested objects, arrays of scalars and objects, null and missing."""
    inner = st.dictionaries(
        st.sampled_from(["b", "name"]), _leaf | st.lists(_leaf, max_size=3), max_size=2
    )
    value = _leaf | st.lists(_leaf, max_size=3) | inner | st.lists(inner, max_size=3)
    keys = st.sampled_from(
        ["a", "b", "tags", "items", "not", "and", "in", "my field", "x`y", "é", "n1"]
    )
    return st.dictionaries(keys, value, max_size=6)


# Pieces of the language, so random text is close enough to parse deep into the grammar.
TOKENS = [
    "a", "b.c", "`x y`", "=", "==", "!=", "<>", ">", ">=", "<", "<=", "~", "in", "not in",
    "contains", "starts with", "ends with", "matches", "text", "exists", "not exists", "is null",
    "is not null", "and", "or", "not", "(", ")", "[", "]", ",", '"s"', "'t'", '"\\u00e9"', '"\\q"',
    "1", "-2.5", "1e999", "2024-01-15", "2024-13-45", "2024-01-15T10:00:00Z", "true", "null",
    "{{INPUT.x}}", "{{", "}}", 'dynamic("inputs.x")', "case sensitive", "case insensitive", "`",
    '"', "\\", "\n", "\x00", "\u202e", "🚀", "$gt",
]  # fmt: skip

expression_texts = st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join) | st.text(
    max_size=60
)
