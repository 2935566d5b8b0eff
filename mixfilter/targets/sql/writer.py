"""Writing the trees ``to_sql`` builds: sqlglot's generator, with short handlers for its nodes.

sqlglot's generator is general: every node goes through ``Generator.sql`` (key lookup, comment
handling, dispatch) and then a handler written for any tree (``binary`` flattens chains on a
stack, ``connector_sql`` the same for AND/OR, ``LOWER(x)`` is the generic function fallback).
The trees ``to_sql`` builds are narrow: no comments, comparisons of two operands, AND/OR of two,
``LOWER`` of one. For those, the handlers here write the same text directly, each child through
one table lookup: generating takes about a third of the time (docs/performance.md).

Nothing is written that sqlglot would not write:

* a dialect gets a short handler for a node class only where its generator uses sqlglot's own
  handler and helpers for that class (its ``TRANSFORMS`` and methods are what ``Generator``
  has); a dialect that spells ``IS DISTINCT FROM`` its own way keeps its own handler;
* a node with anything beyond the two operands (``negate``, an ``operator``, a table part of a
  column, ...) or with comments goes to the dialect's own handler (the compiler attaches no
  comments, but a node that has them is written with them, as sqlglot does);
* every other node class goes to ``Generator.sql``, untouched;
* each dialect's writer checks itself once, when first used: a sample tree with every node
  class written here must come out exactly as sqlglot writes it, or the dialect keeps sqlglot's
  generator as it is. ``tests/test_sql_writer.py`` compares both on generated filters in every
  dialect;
* ``pretty=True`` output, and any generator setting other than the defaults, is sqlglot's own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.generator import Generator

Handler = Callable[[Any, Any], str]  # (generator, node) -> SQL


class _Table(dict[type, Handler]):
    """Node class -> how to write it; a class not listed goes through ``Generator.sql``."""

    def __missing__(self, cls: type) -> Handler:
        self[cls] = _through_sqlglot
        return _through_sqlglot


class ShortGenerator(Generator):
    """What a dialect's writer adds to its generator (the class is made per dialect)."""

    __slots__ = ()
    #: node class -> short handler (or the dialect's own, through ``Generator.sql``)
    WRITERS: ClassVar[_Table]
    #: how the dialect writes the function LOWER
    LOWER_NAME: ClassVar[str]


def _through_sqlglot(gen: Generator, e: exp.Expr) -> str:
    return gen.sql(e)


def _infix(op: str, stock: str) -> Handler:
    """``this op expression``; ``stock`` names the generator's handler for anything else.

    Binary nodes write their own comments (``Generator.sql`` adds none to them), so the
    fallback is the handler itself, however this one was reached."""
    op = f" {op} "
    fallback: Callable[[Generator, Any], str] = getattr(Generator, stock)

    def write(gen: ShortGenerator, e: Any) -> str:
        a = e.args
        if len(a) != 2 or e.comments:
            return fallback(gen, e)
        this, other = a["this"], a["expression"]
        w = gen.WRITERS
        return w[this.__class__](gen, this) + op + w[other.__class__](gen, other)

    return write


def _write_is(gen: ShortGenerator, e: Any) -> str:
    a = e.args
    other = a.get("expression")
    if len(a) != 2 or e.comments or isinstance(other, exp.Boolean):
        return gen.is_sql(e)
    this = a["this"]
    w = gen.WRITERS
    return w[this.__class__](gen, this) + " IS " + w[other.__class__](gen, other)


def _prefix(before: str, after: str) -> Handler:
    """``before this after`` for a node whose only argument is ``this``."""

    def write(gen: ShortGenerator, e: Any) -> str:
        a = e.args
        if len(a) != 1 or e.comments:
            return gen.sql(e)
        this = a["this"]
        return before + gen.WRITERS[this.__class__](gen, this) + after

    return write


def _write_column(gen: ShortGenerator, e: Any) -> str:
    a = e.args
    if len(a) != 1 or e.comments:
        return gen.sql(e)
    this = a["this"]
    return gen.WRITERS[this.__class__](gen, this)


def _write_in(gen: ShortGenerator, e: Any) -> str:
    a = e.args
    if len(a) != 2 or e.comments:
        return gen.sql(e)
    this, items = a["this"], a["expressions"]
    w = gen.WRITERS
    listed = ", ".join([w[item.__class__](gen, item) for item in items])
    if not listed or any(item.comments for item in items):
        return gen.sql(e)  # sqlglot writes each item's comments after it
    return w[this.__class__](gen, this) + " IN (" + listed + ")"


def _write_lower(gen: ShortGenerator, e: Any) -> str:
    a = e.args
    if len(a) != 1 or e.comments or e._meta:
        return gen.sql(e)
    this = a["this"]
    return gen.LOWER_NAME + "(" + gen.WRITERS[this.__class__](gen, this) + ")"


_BINARY = ("binary",)
_FUNCTION = ("function_fallback_sql", "function_name", "func", "normalize_func", "format_args")

#: node class -> (short handler, the Generator methods it stands for). A dialect gets the short
#: handler only where none of those methods is its own.
SHORT: dict[type[exp.Expr], tuple[Handler, tuple[str, ...]]] = {
    exp.And: (_infix("AND", "and_sql"), ("and_sql", "connector_sql")),
    exp.Or: (_infix("OR", "or_sql"), ("or_sql", "connector_sql")),
    exp.EQ: (_infix("=", "eq_sql"), ("eq_sql", *_BINARY)),
    exp.NEQ: (_infix("<>", "neq_sql"), ("neq_sql", *_BINARY)),
    exp.GT: (_infix(">", "gt_sql"), ("gt_sql", *_BINARY)),
    exp.GTE: (_infix(">=", "gte_sql"), ("gte_sql", *_BINARY)),
    exp.LT: (_infix("<", "lt_sql"), ("lt_sql", *_BINARY)),
    exp.LTE: (_infix("<=", "lte_sql"), ("lte_sql", *_BINARY)),
    exp.NullSafeNEQ: (
        _infix("IS DISTINCT FROM", "nullsafeneq_sql"),
        ("nullsafeneq_sql", *_BINARY),
    ),
    exp.Like: (_infix("LIKE", "like_sql"), ("like_sql", "_like_sql", *_BINARY)),
    exp.ILike: (_infix("ILIKE", "ilike_sql"), ("ilike_sql", "_like_sql", *_BINARY)),
    exp.Escape: (_infix("ESCAPE", "escape_sql"), ("escape_sql", *_BINARY)),
    exp.Is: (_write_is, ("is_sql", *_BINARY)),
    exp.Not: (_prefix("NOT ", ""), ("not_sql",)),
    exp.Paren: (_prefix("(", ")"), ("paren_sql", "seg", "sep", "indent")),
    exp.Column: (_write_column, ("column_sql", "column_parts")),
    exp.In: (_write_in, ("in_sql", "expressions")),
    exp.Lower: (_write_lower, ("lower_sql", *_FUNCTION)),
}

#: Leaves written by the dialect's own handler, called directly rather than through
#: ``Generator.sql`` (which adds nothing for a node without comments).
LEAVES = (exp.Identifier, exp.Literal, exp.Null, exp.Boolean, exp.Neg)

# Every other class goes to the generator's own handler through ``Generator.sql``, which also
# writes comments; a short handler sends a node with comments there too.
_SQL = ("sql", "maybe_comment")


def _leaf(handler: Handler) -> Handler:
    def write(gen: ShortGenerator, e: Any) -> str:
        return gen.sql(e) if e.comments else handler(gen, e)

    return write


def _dialect_handler(gen_class: type[Generator], cls: type[exp.Expr]) -> Handler | None:
    """The handler ``Generator.sql`` finds for ``cls``: its TRANSFORMS entry, or ``<key>_sql``."""
    found: Handler | None = gen_class.TRANSFORMS.get(cls) or getattr(
        gen_class, f"{cls.key}_sql", None
    )
    return found


def _own(gen_class: type[Generator], name: str) -> bool:
    """Whether ``gen_class``'s ``name`` is not Generator's (its own, or one Generator lacks)."""
    return getattr(gen_class, name, None) is not getattr(Generator, name, None)


def _writer_class_for(gen_class: type[Generator], dialect: Dialect) -> type[ShortGenerator] | None:
    """``gen_class`` with the short handlers it can take, or None when it can take none."""
    if any(_own(gen_class, name) for name in _SQL):
        return None
    table = _Table()
    transforms = dict(gen_class.TRANSFORMS)
    for cls, (write, methods) in SHORT.items():
        if cls in transforms or any(_own(gen_class, name) for name in methods):
            continue
        if issubclass(cls, exp.Binary):
            if not issubclass(cls, gen_class.EXCLUDE_COMMENTS):
                continue  # Generator.sql would add comments its handler writes already
            # reached through Generator.sql too, so that a tree (and a stock handler's child)
            # starts on the short path; their fallback is their own handler, never sql()
            transforms[cls] = write
        # the others are reached only from a short handler: their fallback is Generator.sql
        table[cls] = write
    if not table:
        return None
    for cls in LEAVES:
        handler = _dialect_handler(gen_class, cls)
        if handler is not None:
            table[cls] = _leaf(handler)
    # what the generic function writer calls LOWER in this dialect (upper or lower case)
    lower_name = dialect.generator().normalize_func(exp.Lower.sql_names()[0])
    namespace = {"TRANSFORMS": transforms, "WRITERS": table, "LOWER_NAME": lower_name}
    bases = (ShortGenerator,) if gen_class is Generator else (gen_class, ShortGenerator)
    return type(f"Short{gen_class.__name__}", bases, namespace)


def _sample() -> exp.Expr:
    """A tree with every node class and shape ``SHORT`` handles, and some it passes on."""

    def col(name: str, quoted: bool = True) -> exp.Column:
        return exp.Column(this=exp.Identifier(this=name, quoted=quoted))

    def s(text: str) -> exp.Literal:
        return exp.Literal.string(text)

    a, b = col("a"), col("select", quoted=False)
    parts = [
        exp.EQ(this=exp.Lower(this=a.copy()), expression=exp.Lower(this=s("It's"))),
        exp.NEQ(this=b.copy(), expression=exp.Literal.number(-1.5)),
        exp.GT(this=a.copy(), expression=exp.Neg(this=exp.Literal.number(2))),
        exp.GTE(this=col("x y").copy(), expression=exp.Literal.number(10)),
        exp.LT(this=a.copy(), expression=s("z")),
        exp.LTE(this=a.copy(), expression=exp.Literal.number("1e3")),
        exp.NullSafeNEQ(this=a.copy(), expression=s("\\'\n")),
        exp.Escape(this=exp.Like(this=a.copy(), expression=s("%x!%")), expression=s("!")),
        exp.Escape(this=exp.ILike(this=a.copy(), expression=s("_")), expression=s("!")),
        exp.Paren(
            this=exp.Or(
                this=exp.Is(this=a.copy(), expression=exp.Null()),
                expression=exp.Not(this=exp.In(this=a.copy(), expressions=[s("p"), s("q")])),
            )
        ),
        exp.Is(this=a.copy(), expression=exp.Boolean(this=True)),
        exp.Not(this=exp.Paren(this=exp.And(this=exp.Boolean(this=False), expression=exp.Null()))),
        exp.Column(
            this=exp.Identifier(this="c", quoted=True), table=exp.Identifier(this="t", quoted=True)
        ),
        exp.In(this=exp.Lower(this=b.copy()), expressions=[exp.Lower(this=s("Ä"))]),
    ]
    tree: exp.Expr = parts[0]
    for i, part in enumerate(parts[1:]):
        tree = (exp.Or if i % 3 == 2 else exp.And)(this=tree, expression=part)
    return tree


@lru_cache(maxsize=64)
def writer_class(dialect: Dialect) -> type[ShortGenerator] | None:
    """The dialect's generator with the short handlers, or None (sqlglot's, as it is).

    None when nothing can be shortened, or when the sample tree does not come out exactly as
    the dialect's own generator writes it (a sqlglot whose internals moved, say)."""
    try:
        short = _writer_class_for(dialect.generator_class, dialect)
        if short is None:
            return None
        stock = dialect.generate(_sample())
        mine = short(dialect=dialect).generate(_sample())
    except Exception:  # any surprise in sqlglot's internals: keep its generator
        return None
    return short if mine == stock else None


def generate(dialect: Dialect, tree: exp.Expr, pretty: bool) -> str:
    """``tree`` as SQL in ``dialect``: what ``dialect.generate(tree, copy=False)`` writes."""
    short = None if pretty else writer_class(dialect)
    if short is None:
        return dialect.generate(tree, copy=False, pretty=pretty)
    return short(dialect=dialect).generate(tree, copy=False)
