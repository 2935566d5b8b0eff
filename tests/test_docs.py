"""Keep the docs honest: the examples in docs/ are checked against the library."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

import mixfilter

DOCS = Path(__file__).resolve().parent.parent / "docs"

_CODE_SPAN = re.compile(r"^(`+)(.*)\1$")


def _code(cell: str) -> str:
    """The text of a Markdown cell that is one code span (CommonMark rules for the padding)."""
    m = _CODE_SPAN.match(cell.strip())
    assert m is not None, f"not a code span: {cell!r}"
    text = m.group(2)
    if len(text) >= 2 and text[0] == " " and text[-1] == " " and text.strip(" "):
        text = text[1:-1]
    return text


def _example_rows() -> list[tuple[str, str]]:
    """Every row of every ``| Expression | JSON |`` table in docs/syntax.md."""
    rows: list[tuple[str, str]] = []
    in_table = False
    for line in (DOCS / "syntax.md").read_text(encoding="utf-8").splitlines():
        if re.fullmatch(r"\|\s*Expression\s*\|\s*JSON\s*\|", line.strip()):
            in_table = True
            continue
        if not in_table:
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        if re.fullmatch(r"\|[-:| ]+\|", line.strip()):
            continue
        cells = line.strip()[1:-1].split(" | ")
        assert len(cells) == 2, f"a table row needs two cells: {line!r}"
        rows.append((_code(cells[0]), _code(cells[1])))
    return rows


ROWS = _example_rows()


def test_syntax_tables_are_found() -> None:
    assert len(ROWS) >= 60
    operators = {json.loads(j)["AND"][0]["operator"] for _, j in ROWS[:20]}
    assert operators == set(mixfilter.OPERATORS)


@pytest.mark.parametrize(("expression", "expected"), ROWS, ids=[e for e, _ in ROWS])
def test_syntax_example(expression: str, expected: str) -> None:
    assert json.dumps(mixfilter.parse(expression).to_json()) == expected


def test_json_schema_is_the_generated_one() -> None:
    text = (DOCS / "json-format.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- json-schema -->\s*```json\n(.*?)\n```", text, re.S)
    assert m is not None, "docs/json-format.md has no schema block after <!-- json-schema -->"
    assert json.loads(m.group(1)) == mixfilter.json_schema()


# --- the error tables: every message quoted in docs/errors.md and docs/json-format.md is real
# output (found by review: the (a+)+ message had changed and two pages still quoted the old one)

_SPAN = re.compile(r"(`+)(.+?)\1")


def _quoted(cell: str) -> list[str]:
    """The code spans of a message cell outside parentheses (which hold remarks, not output)."""
    spans, depth, at = [], 0, 0
    for m in _SPAN.finditer(cell):
        between = cell[at : m.start()]
        depth += between.count("(") - between.count(")")
        if depth == 0:
            spans.append(_code(m.group()))
        at = m.end()
    return spans


def _error_rows(page: str, header: str, section: str) -> list[tuple[str, list[str]]]:
    """(input cell, quoted message spans) of each ``| Input | <header> |`` table row under the
    ``## <section>`` heading of ``page``."""
    rows: list[tuple[str, list[str]]] = []
    in_section = in_table = False
    for line in (DOCS / page).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_section = line == f"## {section}"
        if re.fullmatch(rf"\|\s*Input\s*\|\s*{re.escape(header)}\s*\|", line.strip()):
            in_table = in_section
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not re.fullmatch(r"\|[-:| ]+\|", line.strip()):
            first, rest = line.strip()[1:-1].split(" | ", 1)
            rows.append((first.strip(), _quoted(rest)))
    return rows


def _raised(call: Any) -> str:
    with pytest.raises(mixfilter.FilterError) as info:
        call()
    return str(info.value)


def _assert_quoted(message: str, spans: list[str]) -> None:
    """Each span occurs in ``message``, in order; ``…`` in a span stands for omitted text."""
    at = 0
    for span in spans:
        pattern = ".*?".join(re.escape(part) for part in span.split("…"))
        found = re.compile(pattern, re.DOTALL).search(message, at)
        assert found is not None, f"{span!r} is not in the message:\n{message}"
        at = found.end()


def _text_input(cell: str) -> str | None:
    if not _CODE_SPAN.match(cell):
        return None  # `x = 999…` (5,000 digits): described, not given
    code = _code(cell)
    if code.startswith('"') and code.endswith('"'):
        return str(ast.literal_eval(code))  # a Python string: "\ufeffa = 1"
    if "…" in code:
        return None  # abbreviated
    return code.replace("\\n", "\n")  # a\n b: a line break


TEXT_ERRORS = [
    (text, spans)
    for cell, spans in _error_rows("errors.md", "Message", "FilterSyntaxError")
    if (text := _text_input(cell)) is not None
]  # fmt: skip


def _json_input(cell: str) -> Any:
    if cell.startswith("JSON text "):
        return _code(cell[len("JSON text ") :])  # given as text, not as an object
    first = _SPAN.match(cell)
    if first is None:
        return None
    code = _code(first.group())  # `"\ufeff{}"` (or the bytes ...): the first span
    try:
        return json.loads(code)
    except ValueError:
        pass
    try:
        return ast.literal_eval(code)  # a Python literal: '{"a": 1}' (JSON text), b"..."
    except (ValueError, SyntaxError):
        return None  # an expression ('{"a": ' + "9" * 5000 + '}'): not run


JSON_ERRORS = [
    (data, spans)
    for page, header, section in (
        ("json-format.md", "Error (`str(e)`)", "Rejected input"),
        ("errors.md", "Message", "FilterValidationError"),
    )
    for cell, spans in _error_rows(page, header, section)
    if (data := _json_input(cell)) is not None
]  # fmt: skip


def test_error_tables_are_found() -> None:
    assert len(TEXT_ERRORS) >= 35 and len(JSON_ERRORS) >= 35, (len(TEXT_ERRORS), len(JSON_ERRORS))


@pytest.mark.parametrize(("text", "spans"), TEXT_ERRORS, ids=[t for t, _ in TEXT_ERRORS])
def test_documented_syntax_error(text: str, spans: list[str]) -> None:
    _assert_quoted(_raised(lambda: mixfilter.parse(text)), spans)


@pytest.mark.parametrize(("data", "spans"), JSON_ERRORS, ids=[repr(d) for d, _ in JSON_ERRORS])
def test_documented_validation_error(data: Any, spans: list[str]) -> None:
    _assert_quoted(_raised(lambda: mixfilter.validate(data)), spans)


def _call_rows() -> list[tuple[str, list[str]]]:
    """(call, quoted message spans) of each ``| Call | Message |`` row of docs/errors.md; a cell
    naming two calls (``a``, ``b``) pairs them with the messages split by `` / ``."""
    rows: list[tuple[str, list[str]]] = []
    in_table = False
    for line in (DOCS / "errors.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| Call | Message |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not re.fullmatch(r"\|[-:| ]+\|", line.strip()):
            first, rest = line.strip()[1:-1].split(" | ", 1)
            calls = [_code(m.group()) for m in _SPAN.finditer(first)]
            spans = _quoted(rest.split(" | ")[0])
            if len(calls) == len(spans):
                rows += [(call, [message]) for call, message in zip(calls, spans, strict=True)]
            else:
                assert len(calls) == 1, f"calls and messages do not pair up: {line!r}"
                rows.append((calls[0], spans))
    return rows


CALLS = _call_rows()


def test_call_tables_are_found() -> None:
    assert len(CALLS) >= 20, len(CALLS)


@pytest.mark.parametrize(("call", "spans"), CALLS, ids=[c for c, _ in CALLS])
def test_documented_call_error(call: str, spans: list[str]) -> None:
    names = {name: getattr(mixfilter, name) for name in mixfilter.__all__}
    names["f"] = mixfilter.parse("a = 1")
    _assert_quoted(_raised(lambda: eval(call, names)), spans)
