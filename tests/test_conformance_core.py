"""The public conformance cases on the `python` and `roundtrip` targets, and every `text` form."""

from __future__ import annotations

from typing import Any

import pytest

import mixfilter
from tests.conformance import case_id, cases, cases_for, documents


@pytest.mark.parametrize("case", cases_for("python"), ids=case_id)
def test_python_target(case: dict[str, Any]) -> None:
    f = mixfilter.validate(case["json"])
    got = sorted(d["id"] for d in documents() if mixfilter.matches(f, d))
    assert got == case["expect"]


@pytest.mark.parametrize("case", [c for c in cases() if c.get("text")], ids=case_id)
def test_text_equals_json(case: dict[str, Any]) -> None:
    assert mixfilter.parse(case["text"]) == mixfilter.validate(case["json"])


@pytest.mark.parametrize("case", cases(), ids=case_id)
def test_roundtrip(case: dict[str, Any]) -> None:
    f = mixfilter.validate(case["json"])
    assert mixfilter.validate(f.to_json()) == f
    text = mixfilter.to_text(f)
    assert mixfilter.parse(text) == f
    assert mixfilter.to_text(mixfilter.parse(text)) == text


def test_conformance_files_are_the_shared_ones() -> None:
    # The suite must read ../shared/conformance, not a copy: it has cases for every target.
    assert {t for c in cases() for t in c["targets"]} >= {"python", "sql", "mongo", "roundtrip"}
    assert len(documents()) >= 40
