"""The errors mixfilter raises on bad input.

Every error is a :class:`FilterError` (itself a :class:`ValueError`), so callers that accept
filters from the outside world need to catch one type. The subclasses carry the details a person
needs to fix the input: a line, column and caret for text, a JSON path for JSON, the limit that
was exceeded, or the operator a target cannot express.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: Errors quote at most this many characters of the input, so that a hostile megabyte-long
#: expression cannot turn into a megabyte-long log line.
MAX_QUOTE = 60


def quote_slice(text: str, limit: int = MAX_QUOTE) -> str:
    """``repr``-like short quote of ``text``: at most ``limit`` characters, elided in the middle."""
    if len(text) > limit:
        half = (limit - 1) // 2
        text = f"{text[:half]}…{text[-half:]}"
    return repr(text)


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest spelling of ``word`` among ``choices`` (case-insensitive), if any is close."""
    by_lower = {c.lower(): c for c in choices}
    probe = word.lower()
    if probe in by_lower and by_lower[probe] != word:
        return by_lower[probe]
    import difflib  # only when there is an error to explain

    found = difflib.get_close_matches(probe, list(by_lower), n=1, cutoff=cutoff)
    return by_lower[found[0]] if found else None


class FilterError(ValueError):
    """Base class of every error mixfilter raises because of bad input."""


class FilterSyntaxError(FilterError):
    """Expression text that does not parse.

    ``line`` and ``column`` are 1-based; ``source_line`` is the line of the input the error is on
    (cut to a bounded window around the column); ``caret`` is that line with a ``^`` marker under
    the offending text, ready to print.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str,
        pos: int,
        length: int = 1,
        expected: Sequence[str] = (),
        suggestion: str | None = None,
    ) -> None:
        self.reason = message
        self.pos = max(0, min(pos, len(text)))
        # Lines end at \n, \r\n or a lone \r (old Mac files), as editors count them.
        pos = self.pos
        crlf = text.count("\r\n", 0, pos + (text[pos : pos + 1] == "\n"))
        self.line = text.count("\n", 0, pos) + text.count("\r", 0, pos) - crlf + 1
        line_start = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
        ends = [i for i in (text.find("\n", pos), text.find("\r", pos)) if i != -1]
        line_end = min(ends, default=len(text))
        self.column = self.pos - line_start + 1
        self.offending = text[self.pos : self.pos + max(length, 0)][:MAX_QUOTE]
        self.expected = tuple(expected)
        self.suggestion = suggestion
        self.source_line, self.caret = _caret(
            text[line_start:line_end], self.column - 1, max(1, min(length, MAX_QUOTE))
        )
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [f"line {self.line}, column {self.column}: {self.reason}"]
        if self.expected:
            parts.append(f"; expected {_join_words(self.expected)}")
        out = "".join(parts) + f"\n  {self.source_line}\n  {self.caret}"
        if self.suggestion:
            out += f"\n  did you mean {self.suggestion}?"
        return out


#: Shown as U+FFFD in a source line, one character each so the caret stays in place: control
#: characters would garble a terminal, and a lone surrogate cannot be encoded at all.
_UNPRINTABLE = dict.fromkeys([*range(0x20), 0x7F, *range(0xD800, 0xE000)], "\ufffd")


def _caret(line: str, col: int, length: int, window: int = 72) -> tuple[str, str]:
    """Cut ``line`` to a window around ``col`` and draw ``^^^`` under ``length`` characters."""
    start = max(0, col - window // 2)
    end = start + window
    shown = line[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(line) else ""
    shown = shown.replace("\t", " ").translate(_UNPRINTABLE)
    at = col - start
    count = max(1, min(length, len(shown) - at)) if at < len(shown) else 1
    offset = len(prefix) + _width(shown[:at])
    width = _width(shown[at : at + count])
    if width == 0 and offset > len(prefix):  # a combining mark: under the letter it marks
        offset -= 1
    return f"{prefix}{shown}{suffix}", " " * offset + "^" * max(1, width)


def _width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for wide East Asian characters and most
    emoji, none for combining marks, so that the caret lands under the character it means."""
    if text.isascii():
        return len(text)
    import unicodedata  # only for an error about non-ASCII text

    return sum(
        0 if unicodedata.combining(ch) or ch in _ZERO_WIDTH
        else 2 if unicodedata.east_asian_width(ch) in "WF"
        else 1
        for ch in text
    )  # fmt: skip


#: Format characters a terminal draws in no column: zero-width space and joiners, the word
#: joiner, the byte order mark, and the variation selectors of emoji.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f")


def _join_words(words: Sequence[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


@dataclass(frozen=True)
class Problem:
    """One problem in filter JSON: where (a JSON path like ``$.AND[0].operator``) and what."""

    path: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        hint = f" (did you mean {self.suggestion!r}?)" if self.suggestion else ""
        path = self.path
        if len(path) > 300:  # deep paths through long keys: keep both ends
            path = f"{path[:150]}…{path[-150:]}"
        return f"{path}: {self.message}{hint}"


class FilterValidationError(FilterError):
    """Filter JSON that is not a valid filter. ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        self.path = first.path
        self.suggestion = first.suggestion
        more = len(self.problems) - 1
        lines = [str(p) for p in self.problems[:20]]
        if more >= 20:
            lines.append(f"... and {more - 19} more")
        super().__init__("invalid filter: " + "\n  ".join(lines))


class FilterLimitError(FilterError):
    """Input over one of the configured limits (see :class:`mixfilter.Limits`)."""

    def __init__(self, limit: str, value: int, actual: int | None = None, where: str = "") -> None:
        self.limit = limit
        self.value = value
        self.actual = actual
        #: where the input went over: a JSON path (``$.AND[0]``), ``line 1, column 5`` or
        #: ``character 68`` in text, or "" when the input as a whole is over (its length)
        self.where = where
        got = f" (got {actual})" if actual is not None else ""
        at = f" at {where}" if where else ""
        super().__init__(
            f"limit {limit}={value} exceeded{got}{at}; raise it with Limits({limit}=...)"
        )


class FilterCompileError(FilterError):
    """A filter that a target cannot express faithfully (or a missing binding for a template)."""

    def __init__(self, message: str, *, operator: str | None = None, target: str | None = None):
        self.operator = operator
        self.target = target
        super().__init__(message)


class FilterOptionError(FilterError):
    """A bad option passed to a mixfilter function (unknown name, wrong value)."""


def reject_unknown_options(
    function: str, unknown: Mapping[str, object], known: Iterable[str]
) -> None:
    """Raise :class:`FilterOptionError` for keyword arguments ``function`` does not take."""
    if not unknown:
        return
    name = str(next(iter(unknown)))
    hint = did_you_mean(name, known) if len(name) <= 100 else None
    names = sorted(known)
    takes = f"; it takes {', '.join(names)}" if names else "; it takes no options"
    tail = f"; did you mean {hint!r}?" if hint else takes
    raise FilterOptionError(f"{function}() got an unknown option {quote_slice(name)}{tail}")
