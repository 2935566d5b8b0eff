"""The committed operator x dialect matrix is what the capability table generates today."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

from mixfilter.targets.sql.matrix import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "sql-matrix.md"


@pytest.mark.skipif(
    sys.version_info[:2] != (3, 11),
    reason=f"docs/sql-matrix.md is rendered with Python 3.11, whose Unicode tables give \\d's "
    f"digits (this Python has Unicode {unicodedata.unidata_version})",
)
def test_matrix_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/sql-matrix.md is stale: python -m mixfilter.targets.sql.matrix > docs/sql-matrix.md"
    )
