"""``import mixfilter`` stays light: the heavy dependencies (pydantic too) load when first used."""

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
HEAVY = ("pydantic", "lark", "sqlglot", "pymongo", "bson", "re2")


def loaded(action: str) -> tuple[list[str], list[str]]:
    code = PROBE.format(mods=repr(HEAVY), action=action)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = json.loads(out.stdout.strip().splitlines()[-1])
    return before, after


@pytest.mark.parametrize(
    ("action", "then"),
    [
        ("pass", []),
        ("mixfilter.FilterError, mixfilter.Limits", []),
        ("mixfilter.validate({'field': 'a', 'value': 1})", ["pydantic"]),
        # valid text runs the stored parse tables: Lark loads only to explain a syntax error
        ("mixfilter.parse('a = 1 and (b ~ \"x\" or not c in [1, 2])')", ["pydantic"]),
        (
            "try: mixfilter.parse('a = = 1')\nexcept mixfilter.FilterSyntaxError: pass",
            ["lark", "pydantic"],
        ),
        ("mixfilter.to_sql({'field': 'a', 'value': 1})", ["pydantic", "sqlglot"]),
        ("mixfilter.to_mongo({'field': 'a', 'value': 1})", ["pydantic"]),
        (
            "mixfilter.matches({'field': 'a', 'operator': 'regex', 'value': 'x'}, {})",
            ["pydantic", "re2"],
        ),
    ],
)
def test_heavy_modules_load_on_first_use(action: str, then: list[str]) -> None:
    before, after = loaded(action)
    assert before == []
    assert after == then


def test_public_names_whatever_was_imported_first() -> None:
    """Public names load on first use; each is still the function or class, never a submodule
    of the same name, even after every submodule was imported first."""
    code = (
        "import importlib, pkgutil, mixfilter\n"
        "for m in pkgutil.walk_packages(mixfilter.__path__, 'mixfilter.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "kinds = {n: type(getattr(mixfilter, n)).__name__ for n in mixfilter.__all__}\n"
        "print(sorted(n for n, kind in kinds.items() if kind == 'module'))\n"
        "print(sorted(set(mixfilter.__all__) - set(dir(mixfilter))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "[]"], out.stdout
