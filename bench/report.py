"""The Markdown report, the linearity check and the targets of the performance issue."""

from __future__ import annotations

import os
import platform
import re
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from subjects import (
    BIG,
    CEL,
    COMPILED,
    GEO,
    MIN_VENV_LABEL,
    NO_MATCH_LABEL,
    SAME_SQL,
    SAME_SQL_COPY,
)
from timing import Result

PACKAGES = (
    "mixfilter",
    "lark",
    "lark-cython",
    "pydantic",
    "pydantic-core",
    "sqlglot",
    "sqlglotc",
    "pygeofilter",
    "shapely",
    "odata-query",
    "sly",
    "luqum",
    "ply",
    "langchain-classic",
    "langchain-core",
    "cel-python",
)

STAGE_TITLES = {
    "parse": "text → Filter",
    "validate": "JSON → Filter",
    "to_sql": "Filter → SQL (postgres)",
    "to_mongo": "Filter → Mongo",
    "to_text": "Filter → text",
    "cached": "repeated expression (cached)",
    "matches": "matches(), per document",
    "import": "import time (fresh subprocess)",
}

CALL_STAGES = ("parse", "validate", "to_sql", "to_mongo", "to_text", "cached")


def short(name: str) -> str:
    """A library's name without the description: "sqlglot: generate ..." -> "sqlglot"."""
    return re.split(r"[ :]", name, maxsplit=1)[0]


def fmt_us(us: float | None) -> str:
    """Three significant digits in the unit that keeps the number under 1,000."""
    if us is None:
        return "—"
    for scale, unit in ((1e6, "s"), (1e3, "ms")):
        if us >= scale * 0.9995:
            return f"{us / scale:.3g} {unit}"
    return f"{us:.3g} µs"


def fmt_x(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 999.5 else f"{ratio:.3g}x"


def cell(r: Result | None) -> str:
    if r is None:
        return "—"
    if r.error:
        if r.error.startswith("not available"):
            return "n/a"
        return f"failed ({r.error.split(':')[1].strip()})"
    return fmt_us(r.median_us)


def fastest_peer(rs: dict[str, Result], roles: dict[str, str]) -> tuple[str, float] | None:
    peers = [(r.median_us, n) for n, r in rs.items() if roles.get(n) == "peer" and r.median_us]
    if not peers:
        return None
    us, name = min(peers)
    return name, us


def mixfilter_result(
    rs: dict[str, Result], roles: dict[str, str], role: str = "mixfilter"
) -> Result | None:
    return next((r for n, r in rs.items() if roles.get(n) == role), None)


def stage_table(
    title: str, data: dict[int, dict[str, Result]], roles: dict[str, str], unit: str = "per call"
) -> list[str]:
    sizes = sorted(data)
    names = list(dict.fromkeys(n for s in sizes for n in data[s]))
    head = f"| {title}, median {unit} | " + " | ".join(f"{s:,}" for s in sizes) + " |"
    lines = [head, "|---" * (len(sizes) + 1) + "|"]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(cell(data[s].get(name)) for s in sizes) + " |")
    mf_rows = []
    for s in sizes:
        mine = mixfilter_result(data[s], roles)
        mf_rows.append(fmt_us(mine.per_condition_us) if mine and mine.per_condition_us else "—")
    if any(c != "—" for c in mf_rows):
        lines.append("| mixfilter per condition | " + " | ".join(mf_rows) + " |")
    ratios = []
    for s in sizes:
        mine, best = mixfilter_result(data[s], roles), fastest_peer(data[s], roles)
        if mine and mine.median_us and best:
            ratios.append(f"{fmt_x(best[1] / mine.median_us)} ({short(best[0])})")
        else:
            ratios.append("—")
    if any(c != "—" for c in ratios):
        lines.append(
            "| fastest peer ÷ mixfilter (>1: mixfilter faster) | " + " | ".join(ratios) + " |"
        )
    return lines


def linearity(
    results: dict[str, dict[int, dict[str, Result]]], roles: dict[str, str]
) -> list[dict[str, Any]]:
    rows = []
    for stage, data in results.items():
        if stage in ("import", "cached"):
            continue
        per: dict[int, float] = {}
        # matches(): on the document that makes it evaluate every group (see matches_notes)
        role = "mixfilter-worst" if stage == "matches" else "mixfilter"
        for s, rs in data.items():
            mine = mixfilter_result(rs, roles, role)
            if mine and mine.per_condition_us:
                per[s] = mine.per_condition_us
        top = max(per, default=0)
        if 100 in per and top > 100:
            ratio = per[top] / per[100]
            rows.append(
                {
                    "stage": stage,
                    "per_condition_us": per,
                    "from": 100,
                    "to": top,
                    "ratio": ratio,
                    "linear": ratio <= 1.5,
                }
            )
    return rows


def mf_ratio(
    results: dict[str, Any], stage: str, other: str, roles: dict[str, str]
) -> dict[int, float]:
    """mixfilter's time over another subject's, per size where both were measured."""
    out = {}
    for n, rs in results.get(stage, {}).items():
        mine, base = mixfilter_result(rs, roles), rs.get(other)
        if mine and mine.median_us and base and base.median_us:
            out[n] = mine.median_us / base.median_us
    return out


def worst(values: dict[int, float], pick: Callable[..., Any] = max) -> tuple[int, float] | None:
    """(size, value) of the worst size: the largest value, or the smallest with pick=min."""
    return pick(values.items(), key=lambda kv: kv[1]) if values else None


def targets(
    results: dict[str, Any], lin: list[dict[str, Any]], roles: dict[str, str]
) -> list[tuple[str, str, str]]:
    """The issue's targets, each with what this run measured and a verdict."""
    out: list[tuple[str, str, str]] = []

    def add(target: str, measured: str, ok: bool | None) -> None:
        out.append((target, measured, "not measured" if ok is None else "PASS" if ok else "FAIL"))

    for n in (5, 1_000):
        rs = results.get("parse", {}).get(n, {})
        mine, best = mixfilter_result(rs, roles), fastest_peer(rs, roles)
        name = f"parse ≥ 2x faster than the fastest pure-Python peer at {n:,}"
        if mine and mine.median_us and best:
            speed = best[1] / mine.median_us
            add(name, f"{speed:.2f}x ({best[0]})", speed >= 2)
        else:
            add(name, "—", None)
    for row in lin:
        name = f"{row['stage']} linear, {row['from']:,} → {row['to']:,} (per-condition ratio ≤ 1.5)"
        if row["to"] < BIG:
            name += "; 100,000 needs --big"
        add(name, f"{row['ratio']:.2f}x", row["linear"])
    sql, sql_copy = (
        worst(mf_ratio(results, "to_sql", SAME_SQL, roles)),
        worst(mf_ratio(results, "to_sql", SAME_SQL_COPY, roles)),
    )
    measured = f"{sql[1]:.2f}x at {sql[0]:,}" if sql else "—"
    if sql_copy:
        measured += f" (vs the default .sql(), which copies: {sql_copy[1]:.2f}x)"
    add(
        "to_sql ≤ 1.2x sqlglot generating the same SQL from a built tree",
        measured,
        sql[1] <= 1.2 if sql else None,
    )
    mongo = worst(
        {
            n: r.per_condition_us
            for n, rs in results.get("to_mongo", {}).items()
            if (r := mixfilter_result(rs, roles)) and r.per_condition_us
        }
    )
    add(
        "to_mongo ≤ 3 µs per condition (worst size)",
        f"{fmt_us(mongo[1])} at {mongo[0]:,}" if mongo else "—",
        mongo[1] <= 3 if mongo else None,
    )
    geo = worst(mf_ratio(results, "matches", GEO, roles))
    add(
        "matches() per document ≤ pygeofilter native (worst size)",
        f"{geo[1]:.1f}x its time at {geo[0]:,}" if geo else "—",
        geo[1] <= 1 if geo else None,
    )
    # Like for like: pygeofilter compiles its filter once too, as compile_predicate does.
    compiled = worst(
        {
            n: rs[COMPILED].median_us / rs[GEO].median_us
            for n, rs in results.get("matches", {}).items()
            if COMPILED in rs and GEO in rs and rs[COMPILED].median_us and rs[GEO].median_us
        }
    )
    add(
        "compile_predicate(f)(doc) ≤ pygeofilter native (both compiled once; worst size)",
        f"{compiled[1]:.2f}x its time at {compiled[0]:,}" if compiled else "—",
        compiled[1] <= 1 if compiled else None,
    )
    cel = worst({n: 1 / r for n, r in mf_ratio(results, "matches", CEL, roles).items()}, min)
    add(
        "matches() ≥ 10x faster than cel-python (worst size)",
        f"{cel[1]:.0f}x at {cel[0]:,}" if cel else "—",
        cel[1] >= 10 if cel else None,
    )
    imports = results.get("import", {})
    where = "minimal venv" if MIN_VENV_LABEL in imports else "bench venv, with the peers"
    ms = (imports.get(MIN_VENV_LABEL) or imports.get("mixfilter") or {}).get("import_wall_ms")
    add(
        f"import mixfilter ≤ 150 ms (wall, median, {where})",
        f"{ms:.1f} ms" if ms else "—",
        None if ms is None else ms <= 150,
    )
    cached = results.get("cached", {}).get(5, {}).get("mixfilter.parse, same text")
    us = cached.median_us if cached else None
    add(
        "repeated expression (cached) ≤ 2 µs: parse, 5 conditions",
        fmt_us(us),
        None if us is None else us <= 2,
    )
    return out


def matches_notes(data: dict[int, dict[str, Result]]) -> list[str]:
    """Documents per round where fewer than all, and the share of documents that match."""
    few: dict[str, list[str]] = {}
    share = []
    for n, rs in sorted(data.items()):
        for name, r in rs.items():
            if r.docs and r.docs < 10_000:
                few.setdefault(name, []).append(f"{r.docs:,} at {n:,}")
        matched = next(
            (r.matched for k, r in rs.items() if r.matched is not None and k != NO_MATCH_LABEL),
            None,
        )
        if matched is not None:
            share.append(f"{matched:.0%} at {n:,}")
    return [
        "Documents per round: 10,000, except "
        + ("; ".join(f"{k}: {', '.join(v)}" for k, v in few.items()) or "none")
        + ". Documents matching: "
        + ", ".join(share)
        + ". The groups are ORed, so evaluation stops at the first matching group and the cost "
        "per condition falls as filters grow; the linearity check uses the document that no "
        "group matches."
    ]


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def markdown(
    results: dict[str, Any],
    roles: dict[str, str],
    info: dict[str, Any],
    lin: list[dict[str, Any]],
    notes: list[str],
) -> str:
    pk = info["packages"]
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['implementation']} "
        f"{info['python']}, {info['date']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in pk.items() if v) + ".",
        "",
        "Every timed call gets its own input (distinct strings), so caches cannot help; "
        "medians of per-call CPU time (process_time_ns; fast calls timed in groups), "
        "collector off while timing, rounds interleaved across libraries.",
        "",
    ]
    for stage in CALL_STAGES:
        if stage in results:
            lines += [*stage_table(STAGE_TITLES[stage], results[stage], roles), ""]
    if "matches" in results:
        lines += stage_table(STAGE_TITLES["matches"], results["matches"], roles, "per document")
        lines += ["", *matches_notes(results["matches"]), ""]
    if "import" in results:
        lines += [
            "| import, fresh interpreter (median) | wall | CPU | first call after it (CPU) |",
            "|---|---|---|---|",
        ]
        for name, r in results["import"].items():
            if r["error"]:
                lines.append(f"| {name} | {r['error']} | | |")
            else:
                lines.append(
                    f"| {name} | {r['import_wall_ms']:.1f} ms | {r['import_cpu_ms']:.1f} ms "
                    f"| {r['first_call_cpu_ms']:.1f} ms |"
                )
        heavy = results["import"]["mixfilter"].get("heaviest_imports") or []
        if heavy:
            lines += [
                "",
                "Heaviest modules in `import mixfilter` (self time, -X importtime): "
                + ", ".join(f"{m} {ms:.1f} ms" for m, ms in heavy)
                + ".",
            ]
        lines.append("")
    if lin:
        sizes = sorted({n for row in lin for n in row["per_condition_us"] if n >= 100})
        lines += [
            "| linearity: mixfilter, time per condition | "
            + " | ".join(f"{n:,}" for n in sizes)
            + " | largest ÷ 100 |",
            "|---" * (len(sizes) + 2) + "|",
        ]
        for row in lin:
            pc = row["per_condition_us"]
            cells = " | ".join(fmt_us(pc.get(n)) for n in sizes)
            lines.append(f"| {row['stage']} | {cells} | {row['ratio']:.2f}x |")
        lines.append("")
    lines += ["| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in targets(results, lin, roles)]
    lines += ["", "Notes:"] + [f"- {n}" for n in notes]
    return "\n".join(lines)


def to_jsonable(results: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for stage, data in results.items():
        if stage == "import":
            out[stage] = data
        else:
            out[stage] = {str(s): {n: asdict(r) for n, r in rs.items()} for s, rs in data.items()}
    return out
