#!/usr/bin/env bash
# Install (if missing) and start PostgreSQL and MariaDB for mixfilter's engine tests (and a Java
# runtime for Spark, if there is none).
# Listens on 127.0.0.1 only; db = user = password = sqltest. Idempotent: a second run changes nothing.
# Works as root without systemd. Usage: bash .ci/engines.sh [start|stop]
set -euo pipefail

ROOT=${MIXFILTER_DB_ROOT:-/tmp/mixfilter-db}
PG_PORT=${MIXFILTER_PG_PORT:-55432}
MY_PORT=${MIXFILTER_MARIADB_PORT:-33306}
ACTION=${1:-start}

step() {  # step LABEL CMD...: run CMD and print how long it took
  local label=$1 t0=${EPOCHREALTIME//[^0-9]/} us
  shift
  "$@"
  us=$((${EPOCHREALTIME//[^0-9]/} - t0))
  printf 'engines.sh: %-32s %4d.%02d s\n' "$label" $((us / 1000000)) $((us % 1000000 / 10000))
}

if [ "$(id -u)" != 0 ]; then
  echo "engines.sh: run as root (or start the servers yourself and set MIXFILTER_PG_* / MIXFILTER_MARIADB_*)" >&2
  exit 1
fi

as_postgres() { runuser -u postgres -- "$@"; }  # initdb and postgres refuse to run as root

install_packages() {
  local wanted=""
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || wanted="$wanted postgresql"
  command -v mariadbd >/dev/null || wanted="$wanted mariadb-server"
  command -v java >/dev/null || wanted="$wanted default-jre-headless"  # Spark (pyspark) runs on a JVM
  if [ -z "$wanted" ]; then
    echo "engines.sh: postgresql, mariadb-server and java already installed"
    return
  fi
  # No init system here; make sure apt does not try to start the packaged services.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1; fi
  apt-get update -q
  # shellcheck disable=SC2086  # a list of package names
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $wanted
  if [ "$added_policy" = 1 ]; then rm -f "$policy"; fi
}

pg_bin() { printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1; }

start_postgres() {
  local bin
  bin=$(pg_bin)
  install -d -o postgres -g postgres -m 700 "$ROOT/pg"
  install -d -o postgres -g postgres "$ROOT/pgrun"
  if [ ! -f "$ROOT/pg/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$ROOT/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$ROOT/pg" status >/dev/null; then
    as_postgres "$bin/pg_ctl" -D "$ROOT/pg" -l "$ROOT/pgrun/log" -w start -o \
      "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $ROOT/pgrun -c fsync=off -c full_page_writes=off" \
      >/dev/null || { tail -20 "$ROOT/pgrun/log" >&2; exit 1; }
  fi
  local psql=(psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtAc)
  [ "$("${psql[@]}" "SELECT 1 FROM pg_roles WHERE rolname='sqltest'")" = 1 ] \
    || "${psql[@]}" "CREATE ROLE sqltest LOGIN PASSWORD 'sqltest'"
  [ "$("${psql[@]}" "SELECT 1 FROM pg_database WHERE datname='sqltest'")" = 1 ] \
    || "${psql[@]}" "CREATE DATABASE sqltest OWNER sqltest"
}

my_client() { mariadb --no-defaults -S "$ROOT/myrun/sock" -uroot "$@"; }

start_mariadb() {
  install -d -o mysql -g mysql "$ROOT/my" "$ROOT/myrun"
  if [ ! -d "$ROOT/my/mysql" ]; then
    mariadb-install-db --no-defaults --user=mysql --datadir="$ROOT/my" --skip-test-db >/dev/null
  fi
  if ! my_client -e 'SELECT 1' >/dev/null 2>&1; then
    # Binary collation: case semantics must come from the compiled SQL, not from the server.
    nohup mariadbd --no-defaults --user=mysql --datadir="$ROOT/my" --bind-address=127.0.0.1 --port="$MY_PORT" \
      --socket="$ROOT/myrun/sock" --pid-file="$ROOT/myrun/pid" --log-error="$ROOT/myrun/mariadb.err" \
      --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
      --innodb-flush-log-at-trx-commit=0 >/dev/null 2>&1 &
    local _
    for _ in $(seq 120); do my_client -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.25; done
    my_client -e 'SELECT 1' >/dev/null || { tail -20 "$ROOT/myrun/mariadb.err" >&2; exit 1; }
  fi
  my_client -e "
    CREATE DATABASE IF NOT EXISTS sqltest CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    ALTER DATABASE sqltest CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    CREATE USER IF NOT EXISTS sqltest@'127.0.0.1' IDENTIFIED BY 'sqltest';
    CREATE USER IF NOT EXISTS sqltest@localhost IDENTIFIED BY 'sqltest';
    GRANT ALL ON sqltest.* TO sqltest@'127.0.0.1';
    GRANT ALL ON sqltest.* TO sqltest@localhost;"
}

stop_all() {
  if [ -f "$ROOT/pg/PG_VERSION" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$ROOT/pg" status >/dev/null; then
    as_postgres "$(pg_bin)/pg_ctl" -D "$ROOT/pg" -m fast -w stop >/dev/null
  fi
  if my_client -e 'SELECT 1' >/dev/null 2>&1; then
    mariadb-admin --no-defaults -S "$ROOT/myrun/sock" -uroot shutdown  # waits until it is down
  fi
}

case "$ACTION" in
  start)
    step "install packages (if missing)" install_packages
    mkdir -p "$ROOT"
    step "start postgresql :$PG_PORT" start_postgres
    step "start mariadb :$MY_PORT" start_mariadb
    echo "engines.sh: ready (data under $ROOT)"
    ;;
  stop) stop_all ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
