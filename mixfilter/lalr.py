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
* the shift/reduce loop looks actions up in plain dicts and calls the callbacks directly.

When the input is *not* valid, the driver gives up (:class:`Rejected`) and the caller parses the
text again with Lark's own parser, whose exceptions carry what the error messages need.
``tests/test_parser.py`` checks that both paths agree on generated input.
"""

from __future__ import annotations

import re
from typing import Any

from lark import Lark
from lark.parsers.lalr_analysis import Shift


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
        frontend: Any = lark.parser
        inner = frontend.parser.parser
        table = inner.parse_table
        self._start_state: int = table.start_states[start]
        self._end_state: int = table.end_states[start]
        callbacks = inner.callbacks
        # state -> {symbol: (is_shift, next state | (size, goto symbol, callback))}
        self._actions: dict[int, dict[str, tuple[bool, Any]]] = {
            state: {
                # plain str keys: Lark's symbols are Token objects with a Python-level __eq__
                str(symbol): (True, arg)
                if action is Shift
                else (False, (len(arg.expansion), str(arg.origin.name), callbacks[arg]))
                for symbol, (action, arg) in actions.items()
            }
            for state, actions in table.states.items()
        }
        conf = lark.lexer_conf
        terminals = [t for t in conf.terminals if t.name not in conf.ignore]
        # Lark's order for the contextual lexer: priority, then longest pattern, then name.
        terminals.sort(
            key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name)
        )
        skip = "|".join(conf.terminals_by_name[n].pattern.to_regexp() for n in conf.ignore)
        patterns: dict[frozenset[str], re.Pattern[str]] = {}
        self._lexers: dict[int, re.Pattern[str]] = {}
        for state, actions in table.states.items():
            accepts = frozenset(str(s) for s in actions if s.isupper() and s != "$END")
            if accepts not in patterns:
                alternatives = "|".join(
                    f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals if t.name in accepts
                )
                patterns[accepts] = re.compile(
                    f"(?:{skip})*(?:{alternatives or '(?!)'})", conf.g_regex_flags
                )
            self._lexers[state] = patterns[accepts]

    def parse(self, text: str) -> Any:
        actions, lexers, end_state = self._actions, self._lexers, self._end_state
        states = [self._start_state]
        values: list[Any] = []
        end = len(text.rstrip())  # the ignored terminal is whitespace
        pos, line, line_start = 0, 1, 0
        while True:
            if pos < end:
                match = lexers[states[-1]].match(text, pos)
                if match is None:
                    raise Rejected
                kind: str = match.lastgroup  # type: ignore[assignment]
                start, pos = match.span(kind)
                if "\n" in text[match.start() : start]:
                    line += text.count("\n", match.start(), start)
                    line_start = text.rfind("\n", 0, start) + 1
                value = text[start:pos]
                token: Any = Tok(kind, value, start, line, start - line_start + 1)
                if "\n" in value:
                    line += value.count("\n")
                    line_start = start + value.rfind("\n") + 1
            else:
                kind, token = "$END", None
            while True:
                entry = actions[states[-1]].get(kind)
                if entry is None:
                    raise Rejected
                shift, arg = entry
                if shift:
                    states.append(arg)
                    values.append(token)
                    break
                size, goto, callback = arg
                if size:
                    children = values[-size:]
                    del states[-size:]
                    del values[-size:]
                else:
                    children = []
                result = callback(children)
                target = actions[states[-1]][goto][1]
                if kind == "$END" and target == end_state:
                    return result
                states.append(target)
                values.append(result)
