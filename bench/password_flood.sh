#!/usr/bin/env bash
# Roster's resident memory through a flood of sign-ups and sign-ins (argon2id work), on SQLite
# and on PostgreSQL: before, at peak and after. See bench/README.md.
#
# Settings (environment):
#   FLOOD_CONCURRENCY=300    requests of each kind sent at once per round
#   FLOOD_ROUNDS=3           rounds
#   FLOOD_PORT=18191         where roster listens, on 127.0.0.1
#   BENCH_PG=postgres://postgres@127.0.0.1:5432   the server (trust auth; a database is created and dropped)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONCURRENCY=${FLOOD_CONCURRENCY:-300}
ROUNDS=${FLOOD_ROUNDS:-3}
PORT=${FLOOD_PORT:-18191}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
BASE="http://127.0.0.1:$PORT"

(cd "$ROOT" && timeout 1800 cargo build --release -p roster-api)
ROSTER="$ROOT/target/release/roster"

WORK=$(mktemp -d /tmp/roster-flood.XXXXXX)
DB="roster_flood_$$"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  set +e
  stop_server
  psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

flood() { # name database-url
  say() { printf '\n==> %s\n' "$*"; }
  say "$1: $ROUNDS rounds of $CONCURRENCY sign-ups, sign-ins and failed sign-ins at once"
  # Throttling would answer most of a one-address flood with 429 before any argon2 work;
  # raise it so that every request really hashes.
  ROSTER_LOG=warn "$ROSTER" serve --database-url "$2" --listen "127.0.0.1:$PORT" \
    --login-max-failures 100000 --login-max-failures-per-address 100000 \
    >"$WORK/server-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  sleep 1
  timeout 900 python3 "$ROOT/bench/password_flood.py" --base "$BASE" --pid "$SERVER_PID" \
    --concurrency "$CONCURRENCY" --rounds "$ROUNDS" | tee "$WORK/$1.json"
  stop_server
}

flood sqlite "sqlite://$WORK/flood.db"
psql -q -v ON_ERROR_STOP=1 -d "$PG/postgres" -c "CREATE DATABASE $DB"
flood postgres "$PG/$DB?sslmode=disable"
