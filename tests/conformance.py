"""The public acceptance cases in ../shared/conformance, loaded in place (never copied)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(
    os.environ.get(
        "MIXFILTER_CONFORMANCE",
        Path(__file__).resolve().parent.parent.parent / "shared" / "conformance",
    )
)


@cache
def documents() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = json.loads((ROOT / "docs.json").read_text(encoding="utf-8"))
    return docs


@cache
def cases() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((ROOT / "cases.json").read_text(encoding="utf-8"))
    return loaded


def cases_for(target: str) -> list[dict[str, Any]]:
    return [c for c in cases() if target in c["targets"]]


def case_id(case: dict[str, Any]) -> str:
    return str(case["id"])
