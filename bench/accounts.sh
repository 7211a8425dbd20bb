#!/usr/bin/env bash
# Password reset answers alike for known and unknown addresses, and mail leaves promptly: the
# release build on PostgreSQL and on SQLite, sending to a local SMTP server. See bench/README.md.
#
# Settings (environment):
#   ACCOUNTS_N=200          accounts (and as many unknown addresses) asked for a reset
#   ACCOUNTS_PORT=18193     where roster listens, on 127.0.0.1
#   BENCH_PG=postgres://postgres@127.0.0.1:5432   the server (trust auth; a database is created and dropped)
# Needs Python 3 with aiosmtpd (pip install aiosmtpd).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${ACCOUNTS_N:-200}
PORT=${ACCOUNTS_PORT:-18193}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
BASE="http://127.0.0.1:$PORT"

(cd "$ROOT" && timeout 1800 cargo build --release -p roster-api)
ROSTER="$ROOT/target/release/roster"

WORK=$(mktemp -d /tmp/roster-accounts.XXXXXX)
DB="roster_accounts_$$"
SERVER_PID=""
SINK_PID=""
stop() {
  for pid in "$SERVER_PID" "$SINK_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  SERVER_PID=""
  SINK_PID=""
}
cleanup() {
  set +e
  stop
  psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

measure() { # name database-url
  printf '\n==> %s: %s password resets for accounts and %s for unknown addresses\n' "$1" "$N" "$N"
  rm -rf "$WORK/mail-$1"
  mkfifo "$WORK/sink-$1.in"
  python3 "$ROOT/tests/support/smtp_sink.py" --dir "$WORK/mail-$1" <"$WORK/sink-$1.in" >"$WORK/sink-$1.out" &
  SINK_PID=$!
  exec 9>"$WORK/sink-$1.in"
  for _ in $(seq 1 100); do grep -q READY "$WORK/sink-$1.out" 2>/dev/null && break; sleep 0.1; done
  SMTP_PORT=$(awk '/READY/ {print $2}' "$WORK/sink-$1.out")
  ROSTER_LOG=warn "$ROSTER" serve --database-url "$2" --listen "127.0.0.1:$PORT" \
    --smtp-url "smtp://127.0.0.1:$SMTP_PORT?tls=none" --trusted-proxies 127.0.0.1 \
    >"$WORK/server-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  timeout 900 python3 "$ROOT/bench/accounts.py" --base "$BASE" --mail-dir "$WORK/mail-$1" --accounts "$N"
  exec 9>&-
  stop
}

psql -q -v ON_ERROR_STOP=1 -d "$PG/postgres" -c "CREATE DATABASE $DB"
measure postgres "$PG/$DB?sslmode=disable"
measure sqlite "sqlite://$WORK/accounts.db"
