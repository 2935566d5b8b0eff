"""The committed operator x dialect matrix is what the capability table generates today."""

from __future__ import annotations

from pathlib import Path

from mixfilter.targets.sql.matrix import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "sql-matrix.md"


def test_matrix_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/sql-matrix.md is stale: python -m mixfilter.targets.sql.matrix > docs/sql-matrix.md"
    )
