"""Timing: CPU time per call with distinct inputs, interleaved rounds; matches(); import time."""

from __future__ import annotations

import gc
import itertools
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import workload as w
from subjects import (
    FLOORS,
    IMPORTS,
    MIN_VENV_LABEL,
    NO_MATCH_LABEL,
    PEER_MAX,
    Call,
    Matcher,
    Subject,
    short_error,
)

HERE = Path(__file__).resolve().parent
MAX_CALLS = 20_000  # per library and size
CLOCK = time.process_time_ns  # CPU time: other load on the machine does not count
SAMPLE_NS = 200_000  # calls faster than this are timed in groups (the clock costs ~0.5 µs)


@dataclass
class Result:
    """One library at one size: median time per call (per document for matches())."""

    median_us: float | None = None
    per_condition_us: float | None = None
    calls: int = 0
    round_medians_us: list[float] = field(default_factory=list)
    docs: int | None = None  # matches(): documents per round
    matched: float | None = None  # matches(): share of those documents that match
    error: str | None = None


class Variants:
    """Hands out variant numbers that are never reused in a run."""

    def __init__(self) -> None:
        self.next = 1

    def take(self, count: int) -> list[int]:
        start, self.next = self.next, self.next + count
        return list(range(start, start + count))


def time_calls(call: Call, inputs: Sequence[Any], group: int = 1) -> list[float]:
    """Nanoseconds per call, one sample per group of calls, with the collector off."""
    out: list[float] = []
    gc.disable()
    try:
        for i in range(0, len(inputs), group):
            batch = inputs[i : i + group]
            t0 = CLOCK()
            for arg in batch:
                call(arg)
            out.append((CLOCK() - t0) / len(batch))
    finally:
        gc.enable()
    return out


@dataclass
class Plan:
    budget_s: float  # CPU time spent timing one subject at one size
    rounds: int
    min_calls: int


def run_calls(subjects: list[Subject], n: int, plan: Plan, variants: Variants) -> dict[str, Result]:
    """Time every subject at n conditions; rounds are interleaved across subjects."""
    results: dict[str, Result] = {}
    inputs: dict[str, list[Any]] = {}
    groups: dict[str, int] = {}
    for s in subjects:
        if s.error or s.make is None or s.call is None:
            results[s.name] = Result(error=s.error or "not available")
            continue
        if n > s.max_size:
            continue
        try:
            # Warm up, and estimate what one call and the making of its input cost: the budget
            # pays for both, so libraries whose inputs are slow to build get fewer calls.
            t0 = CLOCK()
            warm = [s.make(n, v) for v in variants.take(2 if n <= 1_000 else 1)]
            make_ns = (CLOCK() - t0) / len(warm)
            est = min(time_calls(s.call, warm))
            count = int(plan.budget_s * 1e9 / max(est + make_ns, 100))
            count = max(plan.min_calls if n <= PEER_MAX else 3, min(MAX_CALLS, count))
            inputs[s.name] = [s.make(n, v) for v in variants.take(count)]
            groups[s.name] = max(1, min(int(SAMPLE_NS / max(est, 100)), count // plan.rounds // 5))
        except Exception as exc:
            results[s.name] = Result(error=short_error(exc))
    samples: dict[str, list[list[float]]] = {name: [] for name in inputs}
    for r in range(plan.rounds):
        for s in subjects:
            if s.name in inputs and s.call is not None:
                chunk = inputs[s.name][r :: plan.rounds]
                if chunk:
                    samples[s.name].append(time_calls(s.call, chunk, groups[s.name]))
    for name, rounds in samples.items():
        med = statistics.median(t for rnd in rounds for t in rnd) / 1e3
        results[name] = Result(
            median_us=med,
            per_condition_us=med / n,
            calls=len(inputs[name]),
            round_medians_us=[statistics.median(rnd) / 1e3 for rnd in rounds],
        )
    inputs.clear()
    gc.collect()
    return results


def time_docs(pred: Callable[[Any], object], docs: Sequence[Any]) -> int:
    """CPU nanoseconds of one pass of pred over docs, with the collector off."""
    gc.disable()
    try:
        t0 = CLOCK()
        for doc in docs:
            pred(doc)
        return CLOCK() - t0
    finally:
        gc.enable()


def per_doc_estimate(pred: Callable[[Any], object], docs: Sequence[Any]) -> float:
    """Seconds per document over up to 50 documents, stopping after 0.1 s."""
    spent, count = 0, 0
    for doc in docs[1:51]:
        spent += time_docs(pred, (doc,))
        count += 1
        if spent > 100_000_000:
            break
    return spent / count / 1e9


def steady_after() -> int:
    """How many documents matches() takes to switch a filter to generated code."""
    try:
        from mixfilter.targets.python import GENERATE_AFTER
    except ImportError:  # an older mixfilter
        return 0
    return GENERATE_AFTER + 1


def run_matches(ms: list[Matcher], n: int, plan: Plan, warnings: list[str]) -> dict[str, Result]:
    """Time per document at n conditions, and check that the engines agree."""
    results: dict[str, Result] = {}
    ready: dict[str, tuple[Callable[[Any], object], list[Any]]] = {}
    for m in ms:
        if m.prepare is None:
            results[m.name] = Result(error=m.error)
            continue
        if n > m.max_size:
            continue
        try:
            pred, docs = m.prepare(n)
            pred(docs[0])  # a first call may compile and cache
            if m.role.startswith("mixfilter"):
                # matches() runs a filter's closures for its first GENERATE_AFTER documents and
                # its generated code after that: time the steady state, whatever the size.
                for doc in itertools.islice(itertools.cycle(docs), steady_after()):
                    pred(doc)
            est = per_doc_estimate(pred, docs)
            per_round = plan.budget_s * 4 / plan.rounds  # matches gets 4x the budget
            count = max(10, min(len(docs), int(per_round / max(est, 1e-8))))
            ready[m.name] = (pred, docs[:count])
        except Exception as exc:
            results[m.name] = Result(error=short_error(exc))
    per_doc: dict[str, list[float]] = {name: [] for name in ready}
    for _ in range(plan.rounds):
        for name, (pred, docs) in ready.items():
            per_doc[name].append(time_docs(pred, docs) / len(docs) / 1e3)
        gc.collect()
    answers = {name: [bool(pred(d)) for d in docs] for name, (pred, docs) in ready.items()}
    for name, values in per_doc.items():
        med = statistics.median(values)
        matched = sum(answers[name]) / len(answers[name])
        results[name] = Result(med, med / n, plan.rounds, values, len(answers[name]), matched)
    # The same documents must match the same way in every engine.
    same_docs = [name for name in answers if name != NO_MATCH_LABEL]
    if same_docs:
        k = min(len(answers[name]) for name in same_docs)
        first, *others = same_docs
        for other in others:
            diff = sum(a != b for a, b in zip(answers[first][:k], answers[other][:k], strict=True))
            if diff:
                warnings.append(
                    f"matches at {n} conditions: {other} disagrees with {first} "
                    f"on {diff} of the first {k} documents"
                )
    return results


IMPORT_PROBE = """import time
w0, c0 = time.perf_counter_ns(), time.process_time_ns()
{stmt}
w1, c1 = time.perf_counter_ns(), time.process_time_ns()
{first}
c2 = time.process_time_ns()
print(w1 - w0, c1 - c0, c2 - c1)
"""


def run_imports(runs: int, min_python: str | None) -> dict[str, dict[str, Any]]:
    """Import (wall and CPU) and the first parse after it, each in a fresh interpreter."""
    texts = {
        "mixfilter": w.mixfilter_text(5),
        "cql2": w.cql2_text(5),
        "odata": w.odata(5),
        "lucene": w.lucene(5),
        "langchain": w.langchain(5),
        "sql": w.sql_where(5),
        "cel": w.cel(5),
    }
    quoted = {k: repr(v) for k, v in texts.items()}
    out: dict[str, dict[str, Any]] = {}
    jobs = [(name, sys.executable, stmt, first) for name, stmt, first in IMPORTS]
    if min_python:
        _, stmt, first = IMPORTS[0]
        jobs.insert(1, (MIN_VENV_LABEL, min_python, stmt, first))
    jobs += [(name, min_python or sys.executable, stmt, first) for name, stmt, first in FLOORS]
    for name, python, stmt, first in jobs:
        code = IMPORT_PROBE.format(stmt=stmt, first=first.format(**quoted))
        runs_ms: list[tuple[float, float, float]] = []
        error = None
        for _ in range(runs):
            proc = subprocess.run(
                [python, "-c", code], capture_output=True, text=True, cwd=HERE, check=False
            )
            if proc.returncode != 0:
                lines = proc.stderr.strip().splitlines()
                error = f"failed: {lines[-1] if lines else proc.returncode}"
                break
            wall, cpu, first_cpu = (int(x) / 1e6 for x in proc.stdout.split()[-3:])
            runs_ms.append((wall, cpu, first_cpu))
        ok = runs_ms and not error
        out[name] = {
            "import_wall_ms": statistics.median(r[0] for r in runs_ms) if ok else None,
            "import_cpu_ms": statistics.median(r[1] for r in runs_ms) if ok else None,
            "first_call_cpu_ms": statistics.median(r[2] for r in runs_ms) if ok else None,
            "runs_ms": runs_ms,
            "error": error,
        }
    out["mixfilter"]["heaviest_imports"] = heaviest_imports(min_python or sys.executable)
    return out


def heaviest_imports(python: str, top: int = 8) -> list[tuple[str, float]]:
    """The modules whose own time in `import mixfilter` (-X importtime, self) is largest."""
    proc = subprocess.run(
        [python, "-X", "importtime", "-c", "import mixfilter"],
        capture_output=True,
        text=True,
        cwd=HERE,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((parts[2].strip(), int(parts[0]) / 1e3))
    return sorted(rows, key=lambda r: -r[1])[:top]
