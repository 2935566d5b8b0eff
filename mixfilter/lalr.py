"""A fast driver for Lark's LALR tables: the parser's hot path.

Lark builds the LALR(1) tables from ``grammar/mixfilter.lark`` and the rule callbacks that build
the syntax tree; this module only *runs* them, in one tight loop, with a contextual lexer of its
own. For valid input it does exactly what ``Lark.parse`` does — the same tables, the same
callbacks, the same contextual rule (in each parser state, only the terminals that state accepts
are tried) — at about half the cost:

* each distinct set of acceptable terminals gets *one* compiled regular expression: an
  alternation of named groups in Lark's terminal order, with the ignored whitespace folded in
  front, so a token costs a single C-level match (``match.lastgroup`` names the terminal);
* tokens are small slotted objects rather than ``str`` subclasses;
* the shift/reduce loop looks actions up in plain dicts, and a chain of unit reductions
  (``?atom: condition``, ``?not_expr: atom``... rules that only rename their one child) is one
  table lookup: which state it ends in depends only on the state below, so it is computed once;
* each rule's callback is built here, from the same rule options Lark's tree builder reads
  (filtered-out tokens, ``_rule`` splicing, ``?rule`` inlining), as at most one small function
  around the transformer's method instead of Lark's chain of wrapper objects; a repetition
  (``a (_AND b)*``) grows one list in place, so a chain of n operands costs O(n), not O(n²).

When the input is *not* valid, the driver gives up (:class:`Rejected`) and the caller parses the
text again with Lark's own parser, whose exceptions carry what the error messages need.
``tests/test_parser.py`` checks that both paths agree on generated input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # lark is imported by whoever builds the Lark instance (mixfilter.parser)
    from lark import Lark
    from lark.grammar import Rule

Callback = Callable[[list[Any]], Any]
#: A parse-table entry: shift (the next state), reduce (size, rule symbol, callback), or a chain
#: of unit reductions (for each state below the top: the state the chain ends in, or -1).
Action = int | tuple[int, str, Callback | None] | list[int]
#: After the collapse: shift, unit reductions, or reduce (size, [state below -> state after the
#: goto and the unit reductions that follow it], callback).
Step = int | list[int] | tuple[int, list[int], Callback]


class Rejected(Exception):
    """The input is not in the language; Lark's own parser reports why."""


class Tok:
    """A token: the attributes of ``lark.Token`` that the tree builder reads."""

    __slots__ = ("column", "line", "start_pos", "type", "value")

    def __init__(self, type: str, value: str, start_pos: int, line: int, column: int) -> None:
        self.type = type
        self.value = value
        self.start_pos = start_pos
        self.line = line
        self.column = column


class FastParser:
    """Parses with the tables and callbacks of a Lark LALR parser (``lexer="contextual"``)."""

    def __init__(self, lark: Lark, start: str = "start") -> None:
        from lark.parsers.lalr_analysis import Shift

        frontend: Any = lark.parser
        inner = frontend.parser.parser
        table = inner.parse_table
        self._start_state: int = table.start_states[start]
        self._end_state: int = table.end_states[start]
        builder = lark.options.transformer
        # state -> {symbol: next state (an int: shift, or goto for a rule's symbol)
        #           | (size, rule symbol, callback) (a tuple: reduce)}
        actions_table: dict[int, dict[str, Action]] = {
            state: {
                # plain str keys: Lark's symbols are Token objects with a Python-level __eq__
                str(symbol): arg
                if action is Shift
                else (len(arg.expansion), str(arg.origin.name), _callback(arg, builder))
                for symbol, (action, arg) in actions.items()
            }
            for state, actions in table.states.items()
        }
        self._actions: dict[int, dict[str, Step]] = _collapse_unit_reductions(
            actions_table, self._end_state
        )
        # Terminals every rule filters out (``_RPAR``, ``_AND``...): no token is built for them.
        kept = {
            str(sym.name)
            for rule in lark.rules
            for sym in rule.expansion
            if sym.is_term and (rule.options.keep_all_tokens or not sym.filter_out)  # type: ignore[attr-defined]
        }
        conf = lark.lexer_conf
        terminals = [t for t in conf.terminals if t.name not in conf.ignore]
        # Lark's order for the contextual lexer: priority, then longest pattern, then name.
        terminals.sort(
            key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name)
        )
        # The ignored terminals are folded in front of each token as ``(?:skip)?``, matched once.
        # Never ``(?:skip)*``: with ``skip = \s+`` that nests two repetitions, and a long run of
        # whitespace before a token that does not match backtracks exponentially (found by
        # atheris: 330 bytes took 5 minutes). One greedy match of one pattern is all there is.
        if len(conf.ignore) != 1:
            raise ValueError("FastParser needs exactly one %ignore terminal (whitespace)")
        skip = conf.terminals_by_name[next(iter(conf.ignore))].pattern.to_regexp()
        patterns: dict[frozenset[str], re.Pattern[str]] = {}
        self._lexers: dict[int, Callable[[str, int], re.Match[str] | None]] = {}
        for state, actions in table.states.items():
            accepts = frozenset(str(s) for s in actions if s.isupper() and s != "$END")
            if accepts not in patterns:
                alternatives = "|".join(
                    f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals if t.name in accepts
                )
                patterns[accepts] = re.compile(
                    f"(?:{skip})?(?:{alternatives or '(?!)'})", conf.g_regex_flags
                )
            self._lexers[state] = patterns[accepts].match
        self._dropped = frozenset(t.name for t in terminals if t.name not in kept)

    def parse(self, text: str) -> Any:
        actions, lexers, end_state, dropped = (
            self._actions, self._lexers, self._end_state, self._dropped
        )  # fmt: skip
        state = self._start_state  # the top of ``states``, kept in a local
        states = [state]
        values: list[Any] = []
        end = len(text.rstrip())  # the ignored terminal is whitespace
        pos, line, line_start = 0, 1, 0
        multiline, last = "\n" in text, 0
        while True:
            if pos < end:
                match = lexers[state](text, pos)
                if match is None:
                    raise Rejected
                kind: str = match.lastgroup  # type: ignore[assignment]
                start, pos = match.span(kind)
                if multiline:  # count the newlines since the previous token's start
                    newlines = text.count("\n", last, start)
                    if newlines:
                        line += newlines
                        line_start = text.rfind("\n", last, start) + 1
                    last = start
                token: Any = None
                if kind not in dropped:
                    token = Tok(kind, text[start:pos], start, line, start - line_start + 1)
            else:
                kind, token = "$END", None
            while True:
                entry: Any = actions[state].get(kind)  # a Step, told apart by its class
                if entry is None:
                    raise Rejected
                if entry.__class__ is int:  # shift
                    state = entry
                    states.append(state)
                    values.append(token)
                    break
                if entry.__class__ is list:  # unit reductions: only the top state changes
                    state = entry[states[-2]]
                    if state < 0:
                        raise Rejected
                    states[-1] = state
                    if state == end_state and kind == "$END":
                        return values[-1]
                    continue
                size, after, callback = entry
                if size:
                    children = values[-size:]
                    del states[-size:]
                    del values[-size:]
                else:
                    children = []
                result = callback(children)
                state = after[states[-1]]  # the goto, and any unit reductions after it
                if state < 0:
                    raise Rejected
                if state == end_state and kind == "$END":
                    return result
                states.append(state)
                values.append(result)


def _collapse_unit_reductions(
    actions: dict[int, dict[str, Action]], end_state: int
) -> dict[int, dict[str, Step]]:
    """Resolve each goto, and the unit reductions after it, into one list lookup.

    Reducing a unit rule ``A: B`` (nothing to call) pops B's state and takes the goto on A from
    the state below, which stays in place; so does every unit reduction that follows on the same
    lookahead, and the goto after any other reduction starts from the state below too. Where
    such a chain ends is therefore a function of the state below alone: a list indexed by that
    state, -1 where the chain cannot start (the parse is then rejected).
    """
    size = max(actions) + 1

    def unit_goto(entry: Action | None) -> str | None:
        if isinstance(entry, tuple) and entry[2] is None:
            return entry[1]
        return None

    def chain_ends(symbol: str, kind: str) -> list[int]:
        """For each state below: the state after the goto on ``symbol`` and the unit reductions
        that lookahead ``kind`` then triggers."""
        ends = [-1] * size
        for below, below_row in actions.items():
            target = below_row.get(symbol)
            while isinstance(target, int) and target != end_state:
                nxt = unit_goto(actions[target].get(kind))
                if nxt is None:
                    break
                target = below_row.get(nxt)
            if isinstance(target, int):
                ends[below] = target
        return ends

    def terminals(state: int) -> frozenset[str]:
        return frozenset(k for k in actions[state] if k.isupper() or k == "$END")

    def default_unit(state: int) -> str | None:
        """The rule symbol if ``state`` reduces the same unit rule on every lookahead."""
        symbols = {unit_goto(entry) for entry in actions[state].values()}
        only = symbols.pop() if len(symbols) == 1 else None
        return only if only is not None and state != end_state else None

    def shift_target(below: int, target: int) -> int:
        """Where a shift from ``below`` lands, after the unit reductions its new state makes
        whatever comes next (``?field: NAME``). Only where the landing state accepts exactly
        the same terminals, so the contextual lexer and the errors are unchanged."""
        symbol = default_unit(target)
        while symbol is not None:
            landing = actions[below].get(symbol)
            if not isinstance(landing, int) or terminals(landing) != terminals(target):
                break
            target = landing
            symbol = default_unit(target)
        return target

    collapsed: dict[int, dict[str, Step]] = {}
    for state, row in actions.items():
        out: dict[str, Step] = {}
        for kind, entry in row.items():
            if isinstance(entry, int):
                shifts = kind.isupper()  # a terminal: a shift (lowercase symbols are gotos)
                out[kind] = shift_target(state, entry) if shifts else entry
                continue
            assert isinstance(entry, tuple)  # the table holds no chains yet
            rule_size, symbol, callback = entry
            ends = chain_ends(symbol, kind)
            out[kind] = ends if callback is None else (rule_size, ends, callback)
        collapsed[state] = out
    return collapsed


class _Spliced:
    """The result of a ``_rule`` (or a ``*`` repetition): its children go into the parent's."""

    __slots__ = ("children",)

    def __init__(self, children: list[Any]) -> None:
        self.children = children


def _callback(rule: Rule, transformer: Any) -> Callback | None:
    """What Lark's tree builder does on reducing ``rule``, as one function.

    Lark keeps the children that are not filtered-out tokens (``_NAME`` terminals, anonymous
    punctuation), splices in the children of ``_rule`` results, inlines a ``?rule`` that has one
    child left, and calls the transformer method named after the alias or the rule, building a
    ``Tree`` when there is none. ``None`` means there is nothing to do: the value stays.
    """
    from lark.tree import Tree

    name = rule.alias or rule.options.template_source or rule.origin.name
    user: Callback | None = getattr(transformer, str(name), None)
    if user is None:
        spliced = str(name).startswith("_")
        user = _Spliced if spliced else (lambda children: Tree(str(name), children))
    keep_all = rule.options.keep_all_tokens
    keep = [
        (i, not sym.is_term and sym.name.startswith("_"))
        for i, sym in enumerate(rule.expansion)
        if keep_all or not (sym.is_term and sym.filter_out)  # type: ignore[attr-defined]
    ]
    inline_single = bool(rule.options.expand1 and not rule.alias)
    if rule.options.empty_indices:
        raise ValueError("FastParser needs maybe_placeholders=False")

    if len(keep) == len(rule.expansion) and not any(splice for _, splice in keep):
        if not inline_single:
            return user
        if len(keep) == 1:
            return None  # "?rule: one_symbol" always inlines its one child: nothing to call
        single: Callback = user
        return lambda children: children[0] if len(children) == 1 else single(children)

    finish: Callback = user
    if inline_single:
        finish = lambda kept: kept[0] if len(kept) == 1 else user(kept)  # noqa: E731
    indices = [i for i, _ in keep]
    if not any(splice for _, splice in keep):
        count = len(indices)
        if indices == list(range(count)):  # the filtered-out tokens are all at the end

            def drop_tail(children: list[Any]) -> Any:
                del children[count:]  # ``children`` is the parser's own fresh list
                return finish(children)

            return drop_tail
        return lambda children: finish([children[i] for i in indices])
    head, *rest = keep
    if head[1] and user is _Spliced and not inline_single:
        # A repetition's next item (``__star: __star _AND item``): append to the list it grows.
        def grow(children: list[Any]) -> Any:
            grown: _Spliced = children[0]
            for i, splice in rest:
                if splice:
                    grown.children += children[i].children
                else:
                    grown.children.append(children[i])
            return grown

        return grow

    def build(children: list[Any]) -> Any:
        kept: list[Any] = []
        for i, splice in keep:
            if splice:
                kept += children[i].children
            else:
                kept.append(children[i])
        return finish(kept)

    return build
