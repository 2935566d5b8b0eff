#!/usr/bin/env bash
# Run both atheris fuzzers for a fixed time each (default 300 s), growing fuzz/corpus/.
# Crashers land in fuzz/crashers/<target>/; copy each into fuzz/corpus/<target>/ once fixed, so
# tests/test_fuzz.py replays it forever. Usage: bash fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-300}
PY=${PYTHON:-.venv/bin/python}
"$PY" -c "import atheris" 2>/dev/null || "$PY" -m pip install -q atheris
for target in parse validate; do
  mkdir -p "fuzz/corpus/$target" "fuzz/crashers/$target"
  echo "== fuzz_$target for ${SECONDS_EACH}s"
  "$PY" "fuzz/fuzz_$target.py" "fuzz/corpus/$target" -max_total_time="$SECONDS_EACH" \
    -artifact_prefix="fuzz/crashers/$target/" -max_len=2048 -print_final_stats=1 2>&1 \
    | grep -E "^(#[0-9]+ +DONE|stat::|==|INFO: seed)|Error|crash" || true
done
