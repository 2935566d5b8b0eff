"""The parsing and building techniques issue 6 asks to measure, side by side in one run.

    bench/.venv/bin/python bench/techniques.py [--quick] [--json FILE]

(``bash bench/run.sh`` makes that venv.) Text → syntax tree, the same grammar and the same tree
builder callbacks every time, only the machinery differs:

* ``Lark.parse`` with the transformer inlined into the LALR parser (``transformer=`` option);
* Lark's standalone generated parser (``python -m lark.tools.standalone``), same callbacks;
* Lark with lark-cython's lexer and parser (``_plugins=lark_cython.plugins``);
* mixfilter's own driver of Lark's tables (``mixfilter.lalr.FastParser``), what ``parse`` uses;

and JSON → Filter: pydantic's ``Filter.model_validate`` on the canonical JSON (full validation,
a model built per node) against ``mixfilter.validate`` (its own checks, models built without a
second validation pass); and the LRU cache of ``parse``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import workload as w  # noqa: E402
from timing import time_calls  # noqa: E402


def median_us(call: Any, inputs: list[Any], n: int) -> float:
    """Median CPU µs per call over distinct inputs (small calls timed in groups of 20)."""
    import statistics

    group = 20 if n < 100 else 1
    return statistics.median(time_calls(call, inputs, group)) / 1000


def _standalone_module(grammar: str) -> Any:
    """Generate Lark's standalone parser for the grammar and import it."""
    out = Path(tempfile.mkdtemp()) / "mixfilter_standalone.py"
    with tempfile.NamedTemporaryFile("w", suffix=".lark", delete=False) as g:
        g.write(grammar)
    code = subprocess.run(
        [sys.executable, "-m", "lark.tools.standalone", "-s", "start", g.name],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    out.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("mixfilter_standalone", out)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def subjects() -> dict[str, Any]:
    import lark

    from mixfilter import parser as mp

    grammar = mp.grammar_text()
    builder = mp._TreeBuilder()
    found: dict[str, Any] = {}
    inline = lark.Lark(grammar, parser="lalr", lexer="contextual", transformer=builder)
    found["Lark.parse, transformer inlined (LALR, contextual lexer)"] = inline.parse
    try:
        standalone = _standalone_module(grammar)
        found["Lark standalone generated parser"] = standalone.Lark_StandAlone(
            transformer=builder
        ).parse
    except Exception as exc:  # report, do not hide
        found["Lark standalone generated parser"] = f"failed: {exc}"
    try:
        import lark_cython

        cy = lark.Lark(grammar, parser="lalr", lexer="contextual", _plugins=lark_cython.plugins)

        def cython_parse(text: str) -> Any:
            # lark-cython cannot inline a transformer: parse, then transform the tree
            return lark.Transformer.transform(_Cy(builder), cy.parse(text))

        found["lark-cython parser + transformer pass"] = cython_parse
    except Exception as exc:
        found["lark-cython parser + transformer pass"] = f"failed: {exc}"
    found["mixfilter FastParser (Lark's tables, own loop)"] = mp.fast_parser().parse
    return found


class _Cy:  # adapts the tree builder to a lark.Transformer over lark-cython's trees
    def __new__(cls, builder: Any) -> Any:
        import lark

        class T(lark.Transformer):  # type: ignore[misc]
            def __default__(self, data: Any, children: Any, meta: Any) -> Any:
                return getattr(builder, str(data))(list(children))

        return T()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", default=str(HERE / "results" / "techniques.json"))
    args = ap.parse_args()
    import mixfilter

    mixfilter.set_default_limits(max_text_length=10**9, max_conditions=10**7)
    count = {5: 100 if args.quick else 400, 1000: 5 if args.quick else 15}
    results: dict[str, dict[str, Any]] = {}
    rows: list[tuple[str, int, float | str]] = []
    for n in (5, 1000):
        texts = [w.mixfilter_text(n, v) for v in range(1, count[n] + 1)]
        for name, call in subjects().items():
            if isinstance(call, str):
                rows.append((name, n, call))
                continue
            try:
                call(texts[0])
                us = median_us(call, texts, n)
            except Exception as exc:
                rows.append((name, n, f"failed: {type(exc).__name__}: {str(exc)[:60]}"))
                continue
            rows.append((name, n, us))
        canonical = [
            mixfilter.validate(w.mixfilter_dict(n, v)).to_json() for v in range(1, count[n] + 1)
        ]
        rows.append(
            (
                "Filter.model_validate (pydantic, canonical JSON)",
                n,
                median_us(mixfilter.Filter.model_validate, canonical, n),
            )
        )
        rows.append(
            (
                "mixfilter.validate (canonical JSON dict)",
                n,
                median_us(mixfilter.validate, canonical, n),
            )
        )
        mixfilter.parse(w.mixfilter_text(n, 0))
        same = ["".join(w.mixfilter_text(n, 0)) for _ in range(count[n])]  # equal, new strings
        cached = median_us(mixfilter.parse, same, 5)
        rows.append(("mixfilter.parse, cached (the same text again)", n, cached))
    print("| technique (text → syntax tree unless noted), median per call | 5 | 1,000 |")
    print("|---|---|---|")
    names = list(dict.fromkeys(r[0] for r in rows))
    for name in names:
        cells = []
        for n in (5, 1000):
            v = next((r[2] for r in rows if r[0] == name and r[1] == n), "—")
            cells.append(v if isinstance(v, str) else f"{v:,.1f} µs")
            results.setdefault(name, {})[str(n)] = v
        print(f"| {name} | " + " | ".join(cells) + " |")
    Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
