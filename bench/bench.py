"""The mixfilter benchmark: every stage at 1 … 10,000 conditions, peers measured in the same run.

Run it with ``bash bench/run.sh [options]`` (see bench/README.md); ``--help`` lists the options.
Each timed call gets an input of its own (a distinct string, or a distinct object built from a
distinct string), so no cache can hide work; the ``cached`` stage measures the repeated case.
Stages of mixfilter that cannot be imported yet are reported as "not available".
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import workload as w
from report import CALL_STAGES, linearity, machine, markdown, targets, to_jsonable
from subjects import (
    BIG,
    PEER_MAX,
    locate_mixfilter,
    matchers,
    mixfilter_api,
    raise_limits,
    short_error,
    stage_subjects,
)
from timing import Plan, Result, Variants, run_calls, run_imports, run_matches

HERE = Path(__file__).resolve().parent
SIZES = (1, 5, 20, 100, 1_000, 10_000)
ALL_STAGES = (*CALL_STAGES, "matches", "import")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="short budget, fewer rounds (smoke run)")
    ap.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="comma-separated condition counts (default: %(default)s)",
    )
    ap.add_argument(
        "--only",
        default=",".join(ALL_STAGES),
        help="comma-separated stages (default: all: %(default)s)",
    )
    ap.add_argument(
        "--big",
        action="store_true",
        help=f"also time mixfilter alone at {BIG:,} conditions (linearity check)",
    )
    ap.add_argument(
        "--min-python",
        help="interpreter of a venv holding only mixfilter and its dependencies (run.sh makes "
        "bench/.venv-min): import time is also measured there, without the peers installed",
    )
    ap.add_argument("--json", default=str(HERE / "results" / "latest.json"), help="output file")
    args = ap.parse_args(argv)

    logging.getLogger("lark").setLevel(logging.ERROR)  # cel-python's grammar warns on load
    sizes = sorted(
        {int(s.replace("_", "")) for s in args.sizes.split(",")} | ({BIG} if args.big else set())
    )
    stages = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(stages) - set(ALL_STAGES)
    if unknown:
        ap.error(
            f"unknown stage(s): {', '.join(sorted(unknown))}; choose from {', '.join(ALL_STAGES)}"
        )
    plan = Plan(0.1, 3, 3) if args.quick else Plan(0.5, 5, 5)
    notes = [locate_mixfilter(), raise_limits()]
    notes += [f"{k}: {v}" for k, v in w.APPROXIMATIONS.items()]
    notes.append("variant strings: the first condition's string value gets a '~<n>' suffix")
    notes.append(f"peers are timed up to {PEER_MAX:,} conditions; --big adds {BIG:,} for mixfilter")
    results: dict[str, Any] = {}
    roles: dict[str, str] = {}
    variants = Variants()
    warnings: list[str] = []
    started = time.perf_counter()

    for stage in stages:
        progress(f"== {stage}", started)
        if stage == "import":
            min_python = os.path.abspath(args.min_python) if args.min_python else None
            results[stage] = run_imports(3 if args.quick else 7, min_python)
            continue
        measure: Callable[[int], dict[str, Result]]
        if stage == "matches":
            ms = matchers(w.documents())
            roles.update({m.name: m.role for m in ms})
            measure = partial(run_matches, ms, plan=plan, warnings=warnings)
        else:
            subs = stage_subjects(stage)
            roles.update({s.name: s.role for s in subs})
            measure = partial(run_calls, subs, plan=plan, variants=variants)
        data: dict[int, dict[str, Result]] = {}
        for n in sizes:
            progress(f"   {n:,} conditions", started)
            data[n] = measure(n)
        results[stage] = data

    lin = linearity({k: v for k, v in results.items() if k != "import"}, roles)
    notes += [f"WARNING: {x}" for x in warnings]
    notes += consistency_checks()
    info = machine()
    report = markdown(results, roles, info, lin, notes)
    print(report)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": info,
        "settings": {"sizes": sizes, "stages": stages, "quick": args.quick, **asdict(plan)},
        "results": to_jsonable(results),
        "roles": roles,
        "linearity": lin,
        "targets": [
            {"target": t, "measured": m, "verdict": v} for t, m, v in targets(results, lin, roles)
        ],
        "notes": notes,
        "seconds": round(time.perf_counter() - started, 1),
    }
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n(wrote {out}; {payload['seconds']} s)", file=sys.stderr)
    return 0


def progress(text: str, started: float) -> None:
    print(f"{time.perf_counter() - started:6.0f} s {text}", file=sys.stderr, flush=True)


def consistency_checks() -> list[str]:
    """Cheap checks that the text and JSON workloads are the same filter for mixfilter."""
    try:
        parse, validate = mixfilter_api("parse"), mixfilter_api("validate")
    except Exception:
        return ["consistency check skipped: mixfilter.parse / validate not available"]
    out = []
    for n in (1, 5, 20):
        try:
            a, b = parse(w.mixfilter_text(n, 3)), validate(w.mixfilter_json(n, 3))
            same = a == b
        except Exception as exc:
            out.append(f"consistency check at {n}: {short_error(exc)}")
            continue
        if not same:
            out.append(f"WARNING: parse(text) != validate(JSON) at {n} conditions")
    return out or ["checked: parse(text) == validate(JSON) for the workload at 1, 5, 20 conditions"]


if __name__ == "__main__":
    sys.exit(main())
