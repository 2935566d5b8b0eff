"""Keep the docs honest: the examples in docs/ are checked against the library."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
