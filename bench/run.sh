#!/usr/bin/env bash
# The mixfilter benchmark, one command:
#
#     bash bench/run.sh [--quick] [--sizes 1,5,100] [--only parse,matches] [--big] [--json FILE]
#
# Makes bench/.venv on first use and installs the pinned peers (bench/requirements.txt) and the
# project itself (a regular install, as users get it); makes bench/.venv-min with mixfilter and
# its dependencies alone, for the import-time figure; then runs bench/bench.py. Results go to
# bench/results/latest.json and a Markdown report to standard output.
# PYTHON=python3.12 bash bench/run.sh chooses the interpreter the venvs are made from.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

make_venv() {  # make_venv DIR: create it once, with a current pip
    if [ ! -x "$1/bin/python" ]; then
        echo "creating $1" >&2
        "${PYTHON:-python3}" -m venv "$1"
        "$1/bin/python" -m pip install -q --upgrade pip
    fi
}

install_project() {  # install_project DIR: mixfilter into that venv, rebuilt from the work tree
    local log="$1/install.log"
    if "$1/bin/python" -m pip install -q "$repo[sql]" >"$log" 2>&1 \
        && "$1/bin/python" -m pip install -q --force-reinstall --no-deps "$repo" >>"$log" 2>&1; then
        return 0
    fi
    echo "warning: pip could not install mixfilter into $1 (see $log):" >&2
    grep -E '[A-Za-z]+Error|^error' "$log" | tail -n 2 >&2 || true
    echo "bench.py will import mixfilter from the source checkout instead" >&2
    # Its runtime dependencies, so that the source checkout imports.
    "$1/bin/python" -m pip install -q $(grep -E '^(lark|pydantic|sqlglot)==' "$here/requirements.txt")
}

make_venv "$here/.venv"
echo "installing the peers (bench/requirements.txt) and mixfilter" >&2
"$here/.venv/bin/python" -m pip install -q -r "$here/requirements.txt"
install_project "$here/.venv"

# pydantic scans the entry points of every installed distribution when the first model is
# built, so the peers' ~60 packages would inflate mixfilter's import time: measure it here too.
make_venv "$here/.venv-min"
install_project "$here/.venv-min"

exec "$here/.venv/bin/python" "$here/bench.py" --min-python "$here/.venv-min/bin/python" "$@"
