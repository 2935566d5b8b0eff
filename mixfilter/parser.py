"""Text → syntax tree, with Lark (LALR, contextual lexer).

The grammar lives in ``grammar/mixfilter.lark``. :class:`_TreeBuilder` is passed to Lark as its
transformer, so the tree of :mod:`mixfilter.ast` nodes is built during the LALR parse itself (no
intermediate parse tree, no recursion). Lark's errors are translated into
:class:`~mixfilter.errors.FilterSyntaxError` with words instead of terminal names.

Valid text is parsed by :class:`~mixfilter.lalr.FastParser`, which runs the LALR tables Lark
builds from the grammar (stored in ``grammar/mixfilter.tables.json``, so Lark is not imported for
it) with these callbacks, in a tighter loop; text it rejects is parsed again by Lark itself,
whose exceptions say what was expected. The parsers are built once, on first use, and shared:
they hold no per-parse state, so parsing from many threads at once is safe.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from . import ast
from .errors import FilterError, FilterLimitError, FilterSyntaxError
from .lalr import FastParser, Rejected, Tables, tables_from_lark
from .limits import Limits, check_bracket_depth, check_not_runs, default_limits
from .regex import RegexRejected, check_pattern
from .values import (
    BadLiteral,
    check_dynamic_path,
    check_field_path,
    check_string,
    has_template,
    read_date,
    read_datetime,
    read_number,
    template_name,
    unescape,
)

if TYPE_CHECKING:
    from lark import Lark, Token
    from lark.exceptions import UnexpectedInput

# --- the grammar and the shared Lark instance -----------------------------------------------------
# Lark itself is imported only to explain text that does not parse (or to build the tables of an
# edited grammar): programs that parse valid text, validate JSON or compile filters never load it.


def _grammar_file(name: str) -> str:
    """A file of ``grammar/``: packaged inside the wheel, or read from the source checkout."""
    here = Path(__file__).resolve().parent
    for path in (here / "grammar" / name, here.parent / "grammar" / name):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    # A zipped install (zipimport) has no files on disk. importlib.resources is the general way,
    # but importing it costs more than the rest of the first parse, so it comes last.
    from importlib import resources

    return resources.files("mixfilter").joinpath("grammar").joinpath(name).read_text("utf-8")


def grammar_text() -> str:
    """The grammar, ``grammar/mixfilter.lark``."""
    return _grammar_file("mixfilter.lark")


#: The LALR tables Lark builds from the grammar, stored so that a parse needs neither Lark nor
#: its grammar analysis (together 60-100 ms on the first parse). ``scripts/parse-tables``
#: writes the file; ``tests/test_parser.py`` fails when it is not what the grammar gives.
TABLES_FILE = "mixfilter.tables.json"


def generated_tables() -> Tables:
    """The tables Lark builds from the grammar now, with the grammar text they were built from."""
    return {"grammar": grammar_text(), **tables_from_lark(lark_parser())}


def stored_tables() -> Tables | None:
    """The tables in ``grammar/mixfilter.tables.json``, or None if they are missing or were
    built from another grammar (an edited checkout: the parser is then built by Lark)."""
    import json

    try:
        tables: Tables = json.loads(_grammar_file(TABLES_FILE))
    except (OSError, ValueError):
        return None
    return tables if tables.get("grammar") == grammar_text() else None


_lark: Lark | None = None
_fast: FastParser | None = None
_lark_lock = threading.Lock()


def lark_parser() -> Lark:
    """The shared Lark parser, built on first use (building it costs tens of milliseconds).

    Valid text never needs it (:func:`fast_parser` runs the stored tables); Lark parses the text
    the fast path rejects, for its error messages."""
    global _lark
    if _lark is None:
        from lark import Lark

        with _lark_lock:
            if _lark is None:
                _lark = Lark(
                    grammar_text(),
                    parser="lalr",
                    lexer="contextual",
                    transformer=_TreeBuilder(),
                    maybe_placeholders=False,
                    cache=False,
                )
    return _lark


def fast_parser() -> FastParser:
    """The hot path: the grammar's LALR tables run by :class:`~mixfilter.lalr.FastParser`."""
    global _fast
    if _fast is None:
        parser = FastParser(stored_tables() or generated_tables(), _TreeBuilder())
        with _lark_lock:
            _fast = _fast or parser
    return _fast


# --- tokens → values ------------------------------------------------------------------------------

_BINARY = {
    "=": "eq", "==": "eq", "!=": "ne", "<>": "ne", ">": "gt", ">=": "gte", "<": "lt",
    "<=": "lte", "~": "regex", "matches": "regex", "in": "in", "not in": "nin",
    "contains": "contains", "starts with": "starts_with", "ends with": "ends_with", "text": "text",
}  # fmt: skip
_UNARY = {
    "exists": ("exists", True), "not exists": ("exists", False),
    "is null": ("is_null", True), "is not null": ("is_null", False),
}  # fmt: skip
_OPERATORS = frozenset(_BINARY) | frozenset(_UNARY)  # every spelling of an operator
_LIST_OPERATORS = frozenset({"in", "nin"})
_RANGE_OPERATORS = frozenset({"gt", "gte", "lt", "lte"})
_STRING_OPERATORS = frozenset({"contains", "starts_with", "ends_with", "regex", "text"})
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"\w")


class _ParseState:
    """What one parse needs beyond the tokens: its limits, and the conditions seen so far.

    The tree builder is shared by every thread, so the state of the parse in progress lives in a
    context variable (set by :func:`parse_tree`), not on the builder.
    """

    __slots__ = ("conditions", "limits")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.conditions = 0


_state: ContextVar[_ParseState | None] = ContextVar("mixfilter_parse_state", default=None)


def _count_condition(tok: Token) -> Limits:
    """Count one more condition (``max_conditions`` is checked during the parse, so 100,000
    characters of conditions over the limit are refused without building them all)."""
    state = _state.get()
    if state is None:  # pragma: no cover - the builder is only run by parse_tree
        state = _ParseState(default_limits())
        _state.set(state)
    state.conditions += 1
    limits = state.limits
    if state.conditions > limits.max_conditions:
        raise FilterLimitError(
            "max_conditions", limits.max_conditions, state.conditions,
            f"line {tok.line}, column {tok.column}",
        )  # fmt: skip
    return limits


class _LiteralError(Exception):
    """Raised inside the parse; turned into a FilterSyntaxError once the source text is at hand."""

    def __init__(self, message: str, pos: int, length: int = 1, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.pos, self.length, self.hint = message, pos, length, hint


def _scalar(tok: Token) -> ast.Scalar:
    kind = tok.type
    text: str = tok.value
    try:
        if kind == "STRING":
            value = unescape(text[1:-1])
            reason = check_string(value)
            if reason:
                raise BadLiteral(reason, 0, len(text))
            return value
        if kind == "NUMBER":
            return read_number(text)
        if kind == "TRUE":
            return True
        if kind == "FALSE":
            return False
        if kind == "NULL":
            return None
        if kind == "DATE":
            return read_date(text)
        if kind == "DATETIME":
            return read_datetime(text)
        return text  # TEMPLATE: kept verbatim, as the JSON carries it
    except BadLiteral as exc:
        raise _LiteralError(exc.message, _pos(tok) + exc.offset, exc.length) from None


def _field(tok: Token) -> str:
    text: str = tok.value
    if tok.type == "QUOTED_NAME":
        try:
            text = unescape(text[1:-1])
        except BadLiteral as exc:
            raise _LiteralError(exc.message, _pos(tok) + exc.offset, exc.length) from None
        if not text:
            raise _LiteralError("empty field name", _pos(tok), 2)
        reason = check_field_path(text)
        if reason:
            raise _LiteralError(reason, _pos(tok), len(tok.value))
    return text


# The depth of a node is the depth of the normalized filter it becomes (groups, plus one for the
# conditions), so that text and JSON count alike and parse(to_text(f)) works at the depth limit:
# an item of the same kind flattens into its parent, ``not (a or b)`` is one NOT, and a case
# setting on a group is carried by that group. The bracket and ``not`` pre-scans bound how deep
# the syntax tree itself nests, and nothing walks it recursively.


def _depth(items: list[Any], kind: type) -> int:
    depth = 0
    for item in items:
        d: int = item.depth
        depth = max(depth, d if item.__class__ is kind else d + 1)
    return depth


def _lifted(node: Any) -> bool:
    """Whether a NOT over ``node`` takes its items (an OR, possibly with a case setting)."""
    return type(node) is ast.Or or (type(node) is ast.CaseGroup and type(node.item) is ast.Or)


def _pos(tok: Token) -> int:
    return tok.start_pos or 0


class _TreeBuilder:
    """Lark callbacks, one per grammar rule alias: each turns its children into an AST node."""

    def start(self, c: list[Any]) -> ast.Node:
        return c[0] if c else ast.Everything(1, 1, 0)

    def or_expr(self, c: list[Any]) -> ast.Or:
        first = c[0]
        return ast.Or(tuple(c), first.line, first.column, first.pos, _depth(c, ast.Or))

    def and_expr(self, c: list[Any]) -> ast.And:
        first = c[0]
        return ast.And(tuple(c), first.line, first.column, first.pos, _depth(c, ast.And))

    def negation(self, c: list[Any]) -> ast.Not:
        tok, item = c
        depth = item.depth if _lifted(item) else item.depth + 1
        return ast.Not(item, tok.line, tok.column, _pos(tok), depth)

    def parens(self, c: list[Any]) -> ast.Node:
        node: ast.Node = c[1]
        return node

    def everything(self, c: list[Any]) -> ast.Everything:
        tok = c[0]
        return ast.Everything(tok.line, tok.column, _pos(tok))

    def case_group(self, c: list[Any]) -> ast.CaseGroup:
        tok, _, item = c
        sensitive = "insensitive" not in tok.value.lower()
        depth = item.depth + 1 if type(item) is ast.Comparison else item.depth
        return ast.CaseGroup(sensitive, item, tok.line, tok.column, _pos(tok), depth)

    def binary(self, c: list[Any]) -> ast.Comparison:
        field_tok, op_tok, value = c
        limits = _count_condition(field_tok)
        spelled = op_tok.value  # as written, with runs of whitespace folded (`not    in`)
        operator = _BINARY.get(spelled)
        if operator is None:
            spelled = _SPACES.sub(" ", spelled)
            operator = _BINARY[spelled.lower()]
        if not isinstance(value, tuple):
            if operator in _LIST_OPERATORS and value.type != "TEMPLATE":
                raise _LiteralError(
                    f"'{spelled}' needs a list, like [1, 2]", _pos(value), len(value.value)
                )
            scalar = _scalar(value)
            if (
                value.type == "TEMPLATE"
                and operator in _LIST_OPERATORS
                and not template_name(scalar)
            ):
                raise _LiteralError(
                    f"'{spelled}' needs a list, or one template such as {{{{INPUT.ids}}}}",
                    _pos(value),
                    len(value.value),
                )
            wordless = operator == "text" and not _WORDS.search(str(scalar))
            if wordless and value.type != "TEMPLATE":
                raise _LiteralError(
                    "'text' needs at least one word to search for", _pos(value), len(value.value)
                )
            if operator in _STRING_OPERATORS and not isinstance(scalar, str):
                raise _LiteralError(
                    f"'{spelled}' needs a string in quotes", _pos(value), len(value.value)
                )
            if operator in _RANGE_OPERATORS and (scalar is None or isinstance(scalar, bool)):
                # The rule validate() applies to the JSON: an order needs a number or a string.
                raise _LiteralError(
                    f"'{spelled}' needs a number, a date or a string, not {value.value.lower()}",
                    _pos(value),
                    len(value.value),
                )
            if operator == "regex" and isinstance(scalar, str) and not has_template(scalar):
                if len(scalar) > limits.max_regex_length:  # before the (costlier) regex check
                    raise FilterLimitError(
                        "max_regex_length", limits.max_regex_length, len(scalar),
                        f"line {value.line}, column {value.column}",
                    )  # fmt: skip
                try:
                    check_pattern(scalar)
                except RegexRejected as exc:
                    raise _LiteralError(str(exc), _pos(value), len(value.value)) from None
            parsed: ast.Value = scalar
        else:
            kind, pos, length, parsed = value
            if kind == "list" and operator not in _LIST_OPERATORS:
                raise _LiteralError(
                    f"'{spelled}' compares with one value; use 'in' for a list", pos, length
                )
        return ast.Comparison(
            _field(field_tok), operator, parsed, field_tok.line, field_tok.column,
            _pos(field_tok),
        )  # fmt: skip

    def unary(self, c: list[Any]) -> ast.Comparison:
        field_tok, op_tok = c
        _count_condition(field_tok)
        operator, value = _UNARY[_SPACES.sub(" ", op_tok.value.lower())]
        return ast.Comparison(
            _field(field_tok), operator, value, field_tok.line, field_tok.column,
            _pos(field_tok),
        )  # fmt: skip

    def list_value(self, c: list[Any]) -> tuple[str, int, int, tuple[ast.Scalar, ...]]:
        open_tok = c[0]
        items: list[ast.Scalar] = []
        for item in c[1:]:
            if isinstance(item, tuple):
                raise _LiteralError(
                    "list items must be single values, not lists or dynamic()", item[1]
                )
            items.append(_scalar(item))
        return ("list", _pos(open_tok), 1, tuple(items))

    def dynamic(self, c: list[Any]) -> tuple[str, int, int, ast.Dynamic]:
        tok, path_tok = c
        path = _scalar(path_tok)
        assert isinstance(path, str)
        if not path:
            message = 'dynamic() needs a path such as "inputs.user_id"'
            raise _LiteralError(message, _pos(path_tok), len(path_tok.value))
        reason = check_dynamic_path(path)
        if reason:
            raise _LiteralError(reason, _pos(path_tok), len(path_tok.value))
        return ("dynamic", _pos(tok), len(tok.value), ast.Dynamic(path))


# --- parse ----------------------------------------------------------------------------------------


def parse_tree(text: str, limits: Limits) -> ast.Node:
    """Parse ``text`` into a syntax tree, enforcing the text-length and depth limits."""
    if not isinstance(text, str):
        raise FilterSyntaxError(
            f"expected expression text (str), got {type(text).__name__}", text="", pos=0
        )
    try:
        try:
            return parse_tree_fast(text, limits)
        except Rejected:  # Lark parses from the start again, for its error messages
            return _parsed(limits, lambda: _parse_with_lark(text))
    except _LiteralError as exc:
        raise FilterSyntaxError(exc.message, text=text, pos=exc.pos, length=exc.length) from None


def is_expression(text: str, limits: Limits) -> bool:
    """Whether ``text`` is valid expression text (not empty): by the fast path alone, so that
    a caller explaining an error (JSON that is not JSON) never loads Lark."""
    if not text.strip():
        return False
    try:
        parse_tree_fast(text, limits)
    except (FilterError, Rejected, _LiteralError):
        return False
    return True


def parse_tree_fast(text: str, limits: Limits) -> ast.Node:
    """:func:`parse_tree` without Lark: raises :class:`Rejected` where that would use it."""
    limits.check("max_text_length", len(text))
    check_bracket_depth(text, limits)
    check_not_runs(text, limits)
    return _parsed(limits, lambda: cast(ast.Node, fast_parser().parse(text)))


def _parsed(limits: Limits, parse: Callable[[], ast.Node]) -> ast.Node:
    """``parse()`` with a fresh parse state (the condition count), then the depth checked."""
    token = _state.set(_ParseState(limits))
    try:
        tree = parse()
    finally:
        _state.reset(token)
    limits.check("max_depth", tree.depth)
    return tree


def _parse_with_lark(text: str) -> ast.Node:
    """Text the fast path rejected: Lark's own parser says what was expected, and where."""
    from lark.exceptions import UnexpectedInput

    try:
        return cast(ast.Node, lark_parser().parse(text))
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None


# --- turning Lark's errors into sentences ---------------------------------------------------------

_OPERATOR_LIST = (
    "an operator (=, !=, <, <=, >, >=, in, not in, contains, starts with, ends with, matches, "
    "text, exists, not exists, is null, is not null)"
)
_TERMINAL_WORDS = {
    "BINARY_OP": _OPERATOR_LIST,
    "UNARY_OP": _OPERATOR_LIST,
    "NAME": "a field name",
    "QUOTED_NAME": "a field name",
    "NOT": "'not'",
    "LPAR": "'('",
    "CASE_MODE": "'case sensitive ('",
    "_RPAR": "')'",
    "_AND": "'and'",
    "_OR": "'or'",
    "LSQB": "'['",
    "_RSQB": "']'",
    "_COMMA": "','",
    "$END": "the end of the expression",
    "STRING": "a value",
    "NUMBER": "a value",
    "DATE": "a value",
    "DATETIME": "a value",
    "TRUE": "a value",
    "FALSE": "a value",
    "NULL": "a value",
    "TEMPLATE": "a value",
    "DYNAMIC": "a value",
}
_OPERATOR_WORDS = (
    "contains", "starts with", "ends with", "matches", "text", "in", "not in", "exists",
    "not exists", "is null", "is not null",
)  # fmt: skip
#: The operator names of the JSON, and a few spellings of other languages, with the spelling of
#: the text: looked up before the fuzzy match, which takes ``nin`` for ``in``.
_OPERATOR_ALIASES = {
    "eq": "=", "equals": "=", "ne": "!=", "neq": "!=", "gt": ">", "gte": ">=", "ge": ">=",
    "lt": "<", "lte": "<=", "le": "<=", "nin": "not in", "not_in": "not in", "regex": "matches",
    "regexp": "matches", "starts_with": "starts with", "ends_with": "ends with",
    "is_null": "is null", "is_not_null": "is not null", "not_exists": "not exists",
    # (not "like": LIKE 'x' means = 'x'; only LIKE '%x%' means contains)
    "includes": "contains", "has": "contains",
    # a negated spelling is the negation, not the operator it is closest to ("nexists")
    "nexists": "not exists", "notexists": "not exists", "nexist": "not exists",
    "notexist": "not exists", "isnull": "is null", "notnull": "is not null",
    "isnotnull": "is not null",
}  # fmt: skip
#: Logical words of other languages that are close to ``and`` / ``or`` but mean something else:
#: no did-you-mean (``xor`` is not ``or``).
_OTHER_CONNECTIVES = frozenset({"xor", "nand", "nor", "xnor"})
#: ``is None`` / ``is not nil``: other languages' null, in this one's null test.
_OTHER_NULL_TEST = re.compile(r"(?ai:is\s+(not\s+)?(?:none|nil|undefined))\b")
#: Keywords that start a condition, checked against the word the parser took for its field
#: (``nott a = 1``, ``case senstive (...)``).
_CONDITION_KEYWORDS = ("not", "case sensitive", "case insensitive")
_WORD = re.compile(r"[^\W\d]\w*")
_GAP = re.compile(r"\s+")
_FIELD_BEFORE = re.compile(r"(?<![\w.`])[^\W\d]\w*\s*\Z")
#: After a keyword: the rest of a condition (a field and an operator, or a group).
_CONDITION_AHEAD = re.compile(r"\s*(?:\(|[^\W\d][\w.]*(?![\w.])\s*(?:[=!<>~]|[^\W\d]))")
_CUTOFF = 0.6


def _expected_words(expected: set[str]) -> list[str]:
    words: list[str] = []
    for name in sorted(expected):
        word = _TERMINAL_WORDS.get(name, name)
        if word not in words:
            words.append(word)
    return words


class _Fix(NamedTuple):
    """A did-you-mean: ``text[start:end]`` should read as ``suggestion`` says."""

    start: int
    end: int
    suggestion: str
    #: what may come at ``start``, when that is not what the parser expected at the error
    expected: tuple[str, ...] | None = None


class _Found(NamedTuple):
    """A fix :func:`_closest` found: how close the words it read are to the phrase, how many,
    how close the least close of them is, and where they end."""

    closeness: float
    words: int
    worst: float
    end: int
    fix: _Fix


def _keywords(expected: set[str]) -> list[str]:
    """The keywords (and word operators) that may come where the parser stopped."""
    words: list[str] = []
    if expected & {"BINARY_OP", "UNARY_OP"}:
        words += _OPERATOR_WORDS
    if expected & {"_AND", "_OR"}:
        words += ["and", "or"]
    if expected & {"STRING", "NUMBER"}:
        words += ["true", "false", "null"]
    if "NAME" in expected:
        words.append("not")
    return words


def _words_at(text: str, pos: int, count: int) -> list[re.Match[str]]:
    """Up to ``count`` words from ``pos`` on, with only whitespace between them."""
    words: list[re.Match[str]] = []
    word = _WORD.match(text, pos)
    while word is not None and len(word.group()) <= 40:  # no keyword is that long
        words.append(word)
        gap = _GAP.match(text, word.end())
        if len(words) == count or gap is None:
            break
        word = _WORD.match(text, gap.end())
    return words


def _ratio(a: str, b: str) -> float:
    import difflib  # only when there is an error to explain

    return difflib.SequenceMatcher(None, a, b).ratio()


def _closest(text: str, pos: int, phrases: Sequence[str]) -> _Found | None:
    """The fix for the words at ``pos``, if they misspell one of ``phrases``: the closest one."""
    best: _Found | None = None
    for phrase in phrases:
        want = phrase.split()
        words = _words_at(text, pos, len(want) + 1)  # one more, for a word split in two
        for count in range(1, len(words) + 1):
            ended = count == len(words)  # no word follows that could be the phrase's
            written = " ".join(word.group().lower() for word in words[:count])
            for worst, fix in _readings(words[:count], want, phrases, ended):
                # every word must be close; the closest text wins, then the longest
                found = _Found(_ratio(written, phrase), count, worst, words[count - 1].end(), fix)
                if worst >= _CUTOFF and (best is None or found[:3] > best[:3]):
                    best = found
    return best


def _readings(
    words: list[re.Match[str]], want: list[str], phrases: Sequence[str], ended: bool
) -> Iterator[tuple[float, _Fix]]:
    """The ways ``words`` can misspell the phrase ``want``, each with how close its worst word is.

    The words written are paired with the phrase's in order, one with one (``not exist``,
    ``is nul``), one with several (``startswith``, ``is notnull``) or several with one
    (``ex ists``). Words that only start a phrase are not misspelt: the last words written are
    completed when only one phrase starts so (``starts``, but not ``not``, the start of
    ``not in`` and ``not exists``). The fix covers the words that differ (``nul`` of
    ``is nul``), or the whole phrase when those words alone would be another operator
    (``exist`` of ``not exist`` would read ``exists``).
    """
    got = [word.group().lower() for word in words]
    if len(got) < len(want) and got == want[: len(got)]:
        if ended and sum(p.split()[: len(got)] == got for p in phrases) == 1:
            yield 1.0, _Fix(words[0].start(), words[-1].end(), f"'{' '.join(want)}'")
        return
    for pairs in _pairings(len(got), len(want)):
        wrong = [(a, b, c, d) for a, b, c, d in pairs if got[a:b] != want[c:d]]
        if not wrong:
            continue
        (first, _, kept, _), (_, last, _, upto) = wrong[0], wrong[-1]
        if " ".join(want[kept:upto]) in _OPERATORS:
            first = kept = 0
        after = [" ".join(p.split()[kept:]) for p in phrases if p.split()[:kept] == want[:kept]]
        fix = _Fix(
            words[first].start(), words[last - 1].end(), f"'{' '.join(want[kept:upto])}'",
            tuple(f"'{a}'" for a in dict.fromkeys(after) if a) if kept else None,
        )  # fmt: skip
        yield min(_closeness(got[a:b], want[c:d]) for a, b, c, d in pairs), fix


def _closeness(written: list[str], wanted: list[str]) -> float:
    """How close words are to the words they stand for: several must be one word split by stray
    spaces (``ex ists``), not misspelt as well, which would read ``nto null`` as ``null``."""
    if len(written) > 1:
        return float("".join(written) == wanted[0])
    return _ratio(written[0], " ".join(wanted))


def _pairings(
    written: int, wanted: int, i: int = 0, j: int = 0
) -> Iterator[list[tuple[int, int, int, int]]]:
    """Each way to pair the written words from ``i`` on with the wanted ones from ``j`` on, in
    order: pairs ``(a, b, c, d)`` of slices (written ``a:b`` for wanted ``c:d``), each with one
    word on one side at least."""
    if i == written or j == wanted:
        if (i, j) == (written, wanted):
            yield []
        return
    ends = [(i + 1, d) for d in range(j + 1, wanted + 1)]  # one written word for one or more
    ends += [(b, j + 1) for b in range(i + 2, written + 1)]  # several for one
    for b, d in ends:
        for rest in _pairings(written, wanted, b, d):
            yield [(i, b, j, d), *rest]


#: Letters that Python's case-insensitive matching takes for ASCII ones (keywords are ASCII
#: only, so ``İN`` is no ``in``): what each stands for in a did-you-mean.
_LOOKALIKES = str.maketrans("\u0130\u0131\u017f\u212a", "iisk")


def _lookalike(text: str, pos: int, phrases: Sequence[str]) -> _Fix | None:
    """The keyword at ``pos`` written with one of :data:`_LOOKALIKES` (dotless i for ``in``)."""
    for phrase in phrases:
        want = phrase.split()
        words = _words_at(text, pos, len(want))
        got = [word.group().translate(_LOOKALIKES).lower() for word in words]
        if got == want and not all(word.group().isascii() for word in words):
            return _Fix(pos, words[-1].end(), f"'{phrase}'")
    return None


def _suggest(text: str, pos: int, expected: set[str]) -> _Fix | None:
    """Did-you-mean for a misspelt keyword or operator at ``pos``."""
    operator_expected = bool(expected & {"BINARY_OP", "UNARY_OP"})
    word = _WORD.match(text, pos)
    if word is not None and word.group().lower() in _OTHER_CONNECTIVES:
        return None
    lookalike = _lookalike(text, pos, _keywords(expected)) if word else None
    if lookalike is not None:
        return lookalike
    null = _OTHER_NULL_TEST.match(text, pos) if operator_expected else None
    if null is not None:  # a is None, a is not nil
        return _Fix(pos, null.end(), "'is not null'" if null.group(1) else "'is null'")
    alias = _OPERATOR_ALIASES.get(word.group().lower()) if word and operator_expected else None
    if word is not None and alias is not None:
        return _Fix(pos, word.end(), f"'{alias}'")
    found = [_closest(text, pos, _keywords(expected))] if word else []
    field = _FIELD_BEFORE.search(text, max(0, pos - 80), pos) if operator_expected else None
    keyword = _closest(text, field.start(), _CONDITION_KEYWORDS) if field else None
    if keyword is not None:  # the word taken for a field may be a keyword
        if keyword.fix.start >= pos:  # case senstive (
            found.append(keyword)
        elif keyword.fix.end <= pos and _CONDITION_AHEAD.match(text, keyword.end):  # nott a = 1
            found.append(keyword._replace(fix=keyword.fix._replace(expected=())))
    best = max(filter(None, found), key=lambda f: f[:3], default=None)
    return best.fix if best else None


#: ``a not contains "x"``: only ``in`` and ``exists`` have a ``not`` form; the rest are negated
#: as a whole condition.
_NOT_BEFORE_OPERATOR = re.compile(
    r"not\s+(contains|starts\s+with|ends\s+with|matches|text)(?![\w])", re.IGNORECASE
)
_FIELD_AT_END = re.compile(r"(`(?:[^`\\]|\\.)*`|[^\W\d][\w.]*)\s*\Z")


def _negated_condition(text: str, pos: int) -> str | None:
    """``'not (a contains ...)'`` for ``a not contains``, the way to write that negation."""
    found = _NOT_BEFORE_OPERATOR.match(text, pos)
    field = _FIELD_AT_END.search(text, max(0, pos - 200), pos) if found else None
    if found is None or field is None:
        return None
    operator = " ".join(found.group(1).lower().split())
    return f"'not ({field.group(1)[:40]} {operator} ...)'"


#: Other languages' operators: what they are in this one (``a => 1``, ``a = 1 && b = 2``).
_OTHER_OPERATORS = {
    "=>": ">=", "=<": "<=", "===": "=", "!==": "!=", "=~": "~",
    "&&": "and", "&": "and", "||": "or", "|": "or", "!": "not",
}  # fmt: skip
_OPERATOR_CHARACTERS = "=!<>~&|"
_LIST_OPERATOR_BEFORE = re.compile(r"(?<![\w.`])(?ai:in)\s*\Z")
_NEGATED_OPERATOR_AHEAD = re.compile(r"\s*(?ai:in|exists)\b")


def _other_operator(text: str, pos: int, expected: set[str]) -> _Fix | None:
    """The fix for another language's operator around ``pos``: its whole run of operator
    characters (the parser may have read its first ``=`` already), or ``(`` for a list."""
    if text.startswith("(", pos) and "LSQB" in expected:
        # a in (1, 2): lists take square brackets
        return _Fix(pos, pos + 1, "'['") if _LIST_OPERATOR_BEFORE.search(text, 0, pos) else None
    start = pos
    while start > 0 and text[start - 1] in _OPERATOR_CHARACTERS:
        start -= 1
    end = pos
    while end < len(text) and text[end] in _OPERATOR_CHARACTERS:
        end += 1
    meant = _OTHER_OPERATORS.get(text[start:end]) if end > pos else None
    if meant is None:
        return None
    # read from its start (nothing of it taken for an operator): only where it can stand
    where = {"and": {"_AND"}, "or": {"_OR"}, "not": {"NOT"}}.get(meant, {"BINARY_OP"})
    if meant == "not" and _NEGATED_OPERATOR_AHEAD.match(text, end):
        where = {"BINARY_OP", "UNARY_OP"}  # a !in [1]: not in
    if start == pos and not where & expected:
        return None
    return _Fix(start, end, f"'{meant}'")


#: Operators as typeset (math symbols, full-width forms): what they are typed as here.
_TYPESET_OPERATORS = {
    "\uff1d": "=", "\u2260": "!=", "\u2265": ">=", "\u2264": "<=", "\u2a7e": ">=",
    "\u2a7d": "<=", "\uff1e": ">", "\uff1c": "<",
}  # fmt: skip
#: Quotation marks as word processors write them: strings take straight quotes.
_CURLY_QUOTES = "\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb"
_TYPOGRAPHIC = frozenset(_TYPESET_OPERATORS) | frozenset(_CURLY_QUOTES)
_CURLY_STRING = re.compile(f'[{_CURLY_QUOTES}]([^{_CURLY_QUOTES}"\n]{{0,200}})[{_CURLY_QUOTES}]')


def _is_combining(ch: str) -> bool:
    if ch.isascii():
        return False
    import unicodedata  # only when there is an error to explain

    return unicodedata.combining(ch) > 0


def _typographic(text: str, pos: int, expected: set[str]) -> _Fix | None:
    """The fix for a typeset operator (``a ≥ 1``) or a string in curly quotes (``a = “x”``)."""
    meant = _TYPESET_OPERATORS.get(text[pos])
    if meant is not None:
        return _Fix(pos, pos + 1, f"'{meant}'") if "BINARY_OP" in expected else None
    string = _CURLY_STRING.match(text, pos)
    if string is None or "STRING" not in expected:
        return None
    import json  # only when there is an error to explain

    return _Fix(pos, string.end(), json.dumps(string.group(1), ensure_ascii=False))


#: Other languages' literals: what they are in this one.
_OTHER_LITERALS = {"None": "null", "nil": "null", "undefined": "null"}
#: A value that starts like a date but is not one (2024-01, 2024-1-5, 2024-01-15T10Z,
#: 2024-01-15and): the number 2024, then an unexpected -01. The run is what the caret marks.
_DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]{1,2}[\w:.+-]*")
#: A number, as the grammar reads one, and what runs on after it (1and, 12abc, 1.2.3, 1e).
_NUMBER_START = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RUN_ON = re.compile(r"[\w.]+(?:[+-][\w.]+)*(?:(?<=[eE])[+-])?")  # 1e+: the sign too
_KEYWORD_AFTER = re.compile(r"(?ai:and|or)\b")
_KEYWORD_AT_END = re.compile(r"(?<=[0-9Zz])(?ai:and|or)\Z")


def _value_start(text: str, pos: int) -> int:
    """Where the number ending just before ``pos`` starts (``pos`` if none does)."""
    start = pos
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    return start


def _unexpected(text: str, pos: int, length: int, expected: set[str]) -> FilterSyntaxError:
    """The error for an unexpected token: at the misspelling, when there is a fix for it."""
    words = _expected_words(expected)
    # "not contains" misspells neither "not in" nor "not exists": it negates the condition
    suggestion = _negated_condition(text, pos)
    fix = (
        None
        if suggestion
        else _other_operator(text, pos, expected) or _suggest(text, pos, expected)
    )
    word = _WORD.match(text, pos)
    if fix is not None:
        pos, length, suggestion = fix.start, fix.end - fix.start, fix.suggestion
        words = list(fix.expected) if fix.expected is not None else words
    elif suggestion is None and word is not None and "STRING" in expected:
        literal = _OTHER_LITERALS.get(word.group())
        suggestion = (
            f"{literal} (not {word.group()})"
            if literal
            else f'"{word.group()[:40]}" (strings need quotes)'
        )
    elif suggestion is None and (date := _DATE_LIKE.match(text, _value_start(text, pos))):
        return _not_a_date(text, date)
    elif suggestion is None and "NAME" in expected and text.startswith("{{", pos):
        suggestion = f"`{text[pos : pos + length][:80]}` (a field name with a template)"
    return FilterSyntaxError(
        f"unexpected {text[pos : pos + length][:40]!r}", text=text, pos=pos, length=length,
        expected=words, suggestion=suggestion,
    )  # fmt: skip


def _not_a_date(text: str, date: re.Match[str]) -> FilterSyntaxError:
    """The error for a value that starts like a date and is not one, marking all of it."""
    run = date.group()
    keyword = _KEYWORD_AT_END.search(run)
    if keyword is not None and _DATE_LIKE.fullmatch(run[: keyword.start()]):
        head = run[: keyword.start()]
        message = f"a value must be followed by a space: {run[:40]!r}"
        suggestion = f"{head} {keyword.group()}"
    else:
        message = (
            f"{run[:40]!r} is not a date: write a date as YYYY-MM-DD (2024-01-15), a datetime "
            "as 2024-01-15T10:30:00Z (seconds, fraction and offset optional), or a string in "
            "quotes"
        )
        suggestion = None
    return FilterSyntaxError(
        message, text=text, pos=date.start(), length=len(run), suggestion=suggestion
    )


def _not_a_number(text: str, pos: int, expected: set[str]) -> FilterSyntaxError | None:
    """The error for a number that runs on into letters or dots (``1and``, ``12abc``,
    ``1.2.3``), which the grammar refuses as a whole: at ``pos``, where the number starts."""
    date = _DATE_LIKE.match(text, pos)
    if date is not None:
        return _not_a_date(text, date)
    number = _NUMBER_START.match(text, pos)
    if number is None:
        return None
    rest = _RUN_ON.match(text, number.end())
    end = rest.end() if rest else number.end()
    run = text[pos:end]
    keyword = _KEYWORD_AFTER.match(text, number.end())
    if keyword is not None and keyword.end() == end:
        return FilterSyntaxError(
            f"a number must be followed by a space: {run[:40]!r}", text=text, pos=pos,
            length=end - pos, suggestion=f"{number.group()} {keyword.group()}",
        )  # fmt: skip
    try:  # Python's spellings of an int (0x10, 1_000): the number they mean
        suggestion = str(int(run, 0)) if len(run) <= 40 else None
    except ValueError:
        suggestion = f'"{run[:40]}"'  # a string, quoted
    return FilterSyntaxError(
        f"{run[:40]!r} is not a number (numbers are written 12, -3.5, 1e3)", text=text, pos=pos,
        length=end - pos, expected=_expected_words(expected), suggestion=suggestion,
    )  # fmt: skip


def looks_like_json(text: str) -> bool:
    """Whether ``text`` is filter JSON (an object, a list, or ``null``) rather than expression
    text: no expression starts with ``{`` or ``[``, or is the word ``null`` alone."""
    if text.strip() == "null":  # JSON's "no filter", which validate() reads as matching everything
        return True
    if text.lstrip()[:1] not in ("{", "["):
        return False
    import json

    try:
        return isinstance(json.loads(text), (dict, list))
    except ValueError:
        return False


def _accepted(exc: UnexpectedInput, fallback: set[str]) -> set[str]:
    """What the parser accepts at the error, after the reductions still pending: exact, where
    the raw LALR state (and the contextual lexer's terminals for it) over-approximate: a value
    inside a list and one outside share a state, so ``a = 1 @`` would offer ``,`` and ``]``."""
    parser = getattr(exc, "interactive_parser", None)
    if parser is None:  # pragma: no cover - Lark attaches it to every error of an LALR parse
        return fallback
    return set(parser.accepts()) or fallback


def _syntax_error(text: str, exc: UnexpectedInput) -> FilterSyntaxError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    pos = exc.pos_in_stream if exc.pos_in_stream is not None else len(text)
    if looks_like_json(text):
        return FilterSyntaxError(
            "this is JSON, not expression text: filter JSON is read by validate() (on the "
            "command line, mixfilter text shows it as text)",
            text=text, pos=len(text) - len(text.lstrip()),
        )  # fmt: skip
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        expected = _accepted(exc, set(exc.expected))
        if tok.type == "$END":
            return FilterSyntaxError(
                "unexpected end of the expression",
                text=text, pos=len(text), expected=_expected_words(expected),
            )  # fmt: skip
        return _unexpected(text, _pos(tok), len(tok.value), expected)
    assert isinstance(exc, UnexpectedCharacters)
    ch = text[pos] if pos < len(text) else ""
    expected = _accepted(exc, set(exc.allowed or ()))
    m = _WORD.match(text, pos)
    if ch == "\ufeff":
        what = "the text starts with a" if pos == 0 else "unexpected"
        return FilterSyntaxError(
            f"{what} byte order mark (U+FEFF); remove it (a file read with encoding "
            "'utf-8-sig' has none)",
            text=text, pos=pos,
        )  # fmt: skip
    if ch in "\"'`":
        return FilterSyntaxError(
            "unterminated string" if ch != "`" else "unterminated quoted field name",
            text=text, pos=pos, length=len(text) - pos,
        )  # fmt: skip
    if m:
        return _unexpected(text, pos, len(m.group()), expected)
    if ch == "{":
        return FilterSyntaxError(
            "a template is written {{NAMESPACE.name}}", text=text, pos=pos,
            expected=_expected_words(expected),
        )  # fmt: skip
    if ch in "0123456789+-." and "NUMBER" in expected:
        run_on = _not_a_number(text, pos, expected)
        if run_on is not None:
            return run_on
    if ch.isdecimal() and not ch.isascii():  # Arabic-Indic, full-width...: JSON has only 0-9
        end = pos
        while end < len(text) and text[end].isdecimal():
            end += 1
        ascii_digits = "".join(str(int(c)) for c in text[pos:end])
        return FilterSyntaxError(
            f"unexpected character {ch!r} (numbers take the digits 0-9)", text=text, pos=pos,
            length=end - pos, expected=_expected_words(expected), suggestion=ascii_digits,
        )  # fmt: skip
    if pos > 0 and _is_combining(ch):  # a field name decomposed: e + U+0301 for é
        return FilterSyntaxError(
            f"unexpected combining mark U+{ord(ch):04X}: a field name holding one is written "
            "in backticks (`name`)",
            text=text, pos=pos, expected=_expected_words(expected),
        )  # fmt: skip
    if ch in _TYPOGRAPHIC and (fix := _typographic(text, pos, expected)) is not None:
        return FilterSyntaxError(
            f"unexpected character {ch!r}", text=text, pos=pos, length=fix.end - pos,
            expected=_expected_words(expected), suggestion=fix.suggestion,
        )  # fmt: skip
    other = _other_operator(text, pos, expected)  # a = 1 && b = 2, !a
    if other is not None:
        return FilterSyntaxError(
            f"unexpected {text[other.start : other.end]!r}", text=text, pos=other.start,
            length=other.end - other.start, expected=_expected_words(expected),
            suggestion=other.suggestion,
        )  # fmt: skip
    return FilterSyntaxError(
        f"unexpected character {ch!r}", text=text, pos=pos, expected=_expected_words(expected)
    )
