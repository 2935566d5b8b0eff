"""A fast driver for Lark's LALR tables: the parser's hot path.

Lark builds the LALR(1) tables from ``grammar/mixfilter.lark``; :func:`tables_from_lark` turns
them into plain data (stored as ``grammar/mixfilter.tables.json``, so a parse needs neither Lark
nor its grammar analysis), and :class:`FastParser` *runs* them, in one tight loop, with a
contextual lexer of its own and callbacks built from the rules' options and the transformer. For
valid input it does exactly what ``Lark.parse`` does — the same tables, the same callbacks, the
same contextual rule (in each parser state, only the terminals that state accepts are tried) —
at about half the cost:

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

if TYPE_CHECKING:  # lark is imported only to build tables (mixfilter.parser)
    from lark import Lark
    from lark.grammar import Rule

Callback = Callable[[list[Any]], Any]
#: A parse-table entry as Lark has it: shift (the next state), or reduce (size, rule symbol, the
#: index of the rule's spec; ``None`` for a unit rule, whose reduction calls nothing).
Action = int | tuple[int, str, int | None]
#: After the collapse: shift, a chain of unit reductions (for each state below the top: the
#: state the chain ends in, or -1), or reduce (size, [state below -> state after the goto and
#: the unit reductions that follow it], rule spec index).
Collapsed = int | list[int] | tuple[int, list[int], int]
#: What the parse loop reads: a reduce carries its callback.
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


#: Parse tables as plain data (what :func:`tables_from_lark` returns and
#: ``grammar/mixfilter.tables.json`` holds): JSON types only, so they load without Lark.
Tables = dict[str, Any]


def tables_from_lark(lark: Lark, start: str = "start") -> Tables:
    """The tables and lexer of a Lark LALR parser (``lexer="contextual"``) as plain data.

    States are renumbered in breadth-first order from the start state, visiting symbols in
    sorted order, so the same grammar always gives the same tables (Lark's own numbering
    depends on the process's string hashing). Reductions name a rule spec, not a callback:
    :class:`FastParser` builds the callbacks from the specs and a transformer.
    """
    frontend: Any = lark.parser
    table = frontend.parser.parser.parse_table
    # state -> {symbol: the next state (shift or goto) | the Rule to reduce}; plain str keys:
    # Lark's symbols are Token objects with a Python-level __eq__
    raw: dict[int, dict[str, Any]] = {
        state: {str(symbol): arg for symbol, (_, arg) in row.items()}
        for state, row in table.states.items()
    }
    number = _canonical_numbers(raw, table.start_states[start])
    by_number = sorted(raw.items(), key=lambda item: number[item[0]])
    # Rule specs numbered in the order the (renumbered) table first uses them; equal specs shared.
    rules: list[dict[str, Any]] = []

    def spec(rule: Rule) -> int | None:
        described = _rule_spec(rule)
        if _is_unit(described):
            return None  # a unit reduction: nothing to call
        if described not in rules:
            rules.append(described)
        return rules.index(described)

    renumbered: dict[int, dict[str, Action]] = {
        number[state]: {
            symbol: number[arg]
            if isinstance(arg, int)
            else (len(arg.expansion), str(arg.origin.name), spec(arg))
            for symbol, arg in sorted(row.items())
        }
        for state, row in by_number
    }
    end_state = number[table.end_states[start]]
    collapsed = _collapse_unit_reductions(renumbered, end_state)
    # JSON: a shift is an int, a unit chain a list, a reduce {"size", "goto", "rule"}.
    actions_out: list[dict[str, Any]] = [
        {
            s: {"size": a[0], "goto": a[1], "rule": a[2]} if isinstance(a, tuple) else a
            for s, a in sorted(collapsed[i].items())
        }
        for i in range(len(collapsed))
    ]
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
    terminals.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    # The ignored terminals are folded in front of each token as ``(?:skip)?``, matched once.
    # Never ``(?:skip)*``: with ``skip = \s+`` that nests two repetitions, and a long run of
    # whitespace before a token that does not match backtracks exponentially (found by
    # atheris: 330 bytes took 5 minutes). One greedy match of one pattern is all there is.
    if len(conf.ignore) != 1:
        raise ValueError("FastParser needs exactly one %ignore terminal (whitespace)")
    skip = conf.terminals_by_name[next(iter(conf.ignore))].pattern.to_regexp()
    patterns: list[str] = []
    lexer_of_state: list[int] = []
    for row in actions_out:
        accepts = {s for s in row if s.isupper() and s != "$END"}
        alternatives = "|".join(
            f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals if t.name in accepts
        )
        pattern = f"(?:{skip})?(?:{alternatives or '(?!)'})"
        if pattern not in patterns:
            patterns.append(pattern)
        lexer_of_state.append(patterns.index(pattern))
    return {
        "start_state": number[table.start_states[start]],
        "end_state": end_state,
        "actions": actions_out,
        "rules": rules,
        "patterns": patterns,
        "lexer_of_state": lexer_of_state,
        "regex_flags": int(conf.g_regex_flags),
        "dropped": sorted(t.name for t in terminals if t.name not in kept),
    }


def _canonical_numbers(actions: dict[int, dict[str, Action]], start: int) -> dict[int, int]:
    """Lark's state -> its number in breadth-first order over sorted symbols from ``start``."""
    number = {start: 0}
    queue = [start]
    for state in queue:
        for _, target in sorted(actions[state].items()):
            if isinstance(target, int) and target not in number:
                number[target] = len(number)
                queue.append(target)
    if len(number) != len(actions):
        raise ValueError("the LALR table has states no shift or goto reaches")
    return number


class FastParser:
    """Runs parse tables (:func:`tables_from_lark`) with the callbacks of a transformer."""

    def __init__(self, tables: Tables, transformer: Any) -> None:
        self._start_state: int = tables["start_state"]
        self._end_state: int = tables["end_state"]
        callbacks = [_callback(rule, transformer) for rule in tables["rules"]]
        # state -> {symbol: next state (shift or goto) | [chain ends] | (size, ends, callback)}
        self._actions: list[dict[str, Step]] = [
            {
                symbol: (a["size"], a["goto"], callbacks[a["rule"]]) if isinstance(a, dict) else a
                for symbol, a in row.items()
            }
            for row in tables["actions"]
        ]
        flags = tables["regex_flags"]
        matchers = [re.compile(p, flags).match for p in tables["patterns"]]
        self._lexers: list[Callable[[str, int], re.Match[str] | None]] = [
            matchers[i] for i in tables["lexer_of_state"]
        ]
        self._dropped = frozenset(tables["dropped"])

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
) -> dict[int, dict[str, Collapsed]]:
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

    collapsed: dict[int, dict[str, Collapsed]] = {}
    for state, row in actions.items():
        out: dict[str, Collapsed] = {}
        for kind, entry in row.items():
            if isinstance(entry, int):
                shifts = kind.isupper()  # a terminal: a shift (lowercase symbols are gotos)
                out[kind] = shift_target(state, entry) if shifts else entry
                continue
            assert isinstance(entry, tuple)  # the table holds no chains yet
            rule_size, symbol, rule = entry
            ends = chain_ends(symbol, kind)
            out[kind] = ends if rule is None else (rule_size, ends, rule)
        collapsed[state] = out
    return collapsed


class _Spliced:
    """The result of a ``_rule`` (or a ``*`` repetition): its children go into the parent's."""

    __slots__ = ("children",)

    def __init__(self, children: list[Any]) -> None:
        self.children = children


def _rule_spec(rule: Rule) -> dict[str, Any]:
    """What Lark's tree builder does on reducing ``rule``, as plain data (see :func:`_callback`).

    ``keep``: the positions of the children that are kept (not filtered-out tokens: ``_NAME``
    terminals, anonymous punctuation), each with whether it is a ``_rule`` result to splice in;
    ``inline``: a ``?rule`` whose one remaining child replaces it.
    """
    if rule.options.empty_indices:
        raise ValueError("FastParser needs maybe_placeholders=False")
    keep_all = rule.options.keep_all_tokens
    return {
        "name": str(rule.alias or rule.options.template_source or rule.origin.name),
        "size": len(rule.expansion),
        "keep": [
            [i, not sym.is_term and sym.name.startswith("_")]
            for i, sym in enumerate(rule.expansion)
            if keep_all or not (sym.is_term and sym.filter_out)  # type: ignore[attr-defined]
        ],
        "inline": bool(rule.options.expand1 and not rule.alias),
    }


def _is_unit(spec: dict[str, Any]) -> bool:
    """A ``?rule: one_symbol``: it always inlines its one child, so reducing it calls nothing."""
    keep = spec["keep"]
    return bool(spec["inline"] and spec["size"] == 1 and len(keep) == 1 and not keep[0][1])


def _callback(spec: dict[str, Any], transformer: Any) -> Callback:
    """What Lark's tree builder does on reducing a rule (its :func:`_rule_spec`), as one function.

    Lark keeps the children that are not filtered-out tokens, splices in the children of
    ``_rule`` results, inlines a ``?rule`` that has one child left, and calls the transformer
    method named after the alias or the rule, building a ``Tree`` when there is none.
    """
    name: str = spec["name"]
    user: Callback | None = getattr(transformer, name, None)
    if user is None:
        if name.startswith("_"):
            user = _Spliced
        else:
            from lark.tree import Tree  # only a grammar rule with no transformer method

            user = lambda children: Tree(name, children)  # noqa: E731
    keep: list[tuple[int, bool]] = [(i, splice) for i, splice in spec["keep"]]
    inline_single: bool = spec["inline"]

    if len(keep) == spec["size"] and not any(splice for _, splice in keep):
        if not inline_single:
            return user
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
