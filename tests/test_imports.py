"""``import mixfilter`` stays light: the heavy dependencies load when first used, not before."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
import mixfilter
before = sorted(m for m in {mods} if m in sys.modules)
{action}
after = sorted(m for m in {mods} if m in sys.modules)
print(json.dumps([before, after]))
"""
HEAVY = ("lark", "sqlglot", "pymongo", "bson", "re2")


def loaded(action: str) -> tuple[list[str], list[str]]:
    code = PROBE.format(mods=repr(HEAVY), action=action)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = json.loads(out.stdout.strip().splitlines()[-1])
    return before, after


@pytest.mark.parametrize(
    ("action", "then"),
    [
        ("pass", []),
        ("mixfilter.validate({'field': 'a', 'value': 1})", []),
        # valid text runs the stored parse tables: Lark loads only to explain a syntax error
        ("mixfilter.parse('a = 1 and (b ~ \"x\" or not c in [1, 2])')", []),
        ("try: mixfilter.parse('a = = 1')\nexcept mixfilter.FilterSyntaxError: pass", ["lark"]),
        ("mixfilter.to_sql({'field': 'a', 'value': 1})", ["sqlglot"]),
        ("mixfilter.to_mongo({'field': 'a', 'value': 1})", []),
        ("mixfilter.matches({'field': 'a', 'operator': 'regex', 'value': 'x'}, {})", ["re2"]),
    ],
)
def test_heavy_modules_load_on_first_use(action: str, then: list[str]) -> None:
    before, after = loaded(action)
    assert before == []
    assert after == then
