#!/usr/bin/env bash
# Roster against its own OpenAPI document: Schemathesis generates requests from the document
# (valid and invalid ones) and runs every check it has (`--checks all`) on each answer: no 5xx,
# each status and header documented, each body true to its schema, invalid data refused, auth
# not ignored… It fails on any finding. Runs twice, on a fresh SQLite file and on a fresh
# PostgreSQL database (created and dropped here; skipped when no PostgreSQL answers on
# 127.0.0.1:5432, unless CI=true), each with a bounded budget that is the same on every run:
# a fixed seed, deterministic generation and ROSTER_SCHEMATHESIS_EXAMPLES (25) test cases an
# operation, about a minute a backend here, so a run finds the same things on every machine. CI runs it after tests/clients/run.sh. Needs Python 3 with venv and network
# access to PyPI.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/clients"
WORK="$ROOT/target/clients"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
EXAMPLES="${ROSTER_SCHEMATHESIS_EXAMPLES:-25}"
PG_URL="${ROSTER_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
mkdir -p "$WORK"

say() { printf '\n==> %s\n' "$*"; }

say "tools: Schemathesis (in $WORK/st-venv)"
[ -x "$WORK/st-venv/bin/python" ] || python3 -m venv "$WORK/st-venv"
"$WORK/st-venv/bin/pip" install -q --disable-pip-version-check "schemathesis==4.32.*" </dev/null
"$WORK/st-venv/bin/st" --version

say "building roster"
(cd "$ROOT" && cargo build -q -p roster-api)
ROSTER="$TARGET/debug/roster"

# Not the password of the document's examples, which Schemathesis sends: it would change it.
ADMIN_PASSWORD="schemathesis admin $$"
SERVER=
PG_DB=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [ -n "$PG_DB" ] && psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
  true
}
trap cleanup EXIT

# Starts Roster on database URL $1 and runs Schemathesis against it as a platform admin (every
# operation is then reachable; what a lesser caller gets is the authorization matrix's job).
fuzz() {
  local backend=$1 url=$2
  local port log="$WORK/schemathesis-$backend.log"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local base="http://127.0.0.1:$port"
  say "$backend: Roster on $base"
  "$ROSTER" serve --database-url "$url" --listen "127.0.0.1:$port" \
    --admin-email admin@example.test --admin-password "$ADMIN_PASSWORD" \
    --log warn >"$log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do
    curl -fs "$base/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local token
  token=$(curl -fsS -X POST "$base/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"grant_type\": \"password\", \"username\": \"admin@example.test\", \"password\": \"$ADMIN_PASSWORD\"}" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  local me
  me=$(curl -fsS "$base/v1/users/me" -H "Authorization: Bearer $token" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  # Something for the paths to find: an organization with the document's example name.
  curl -fsS -o /dev/null -X POST "$base/v1/organizations" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"name": "acme-inc"}'

  say "$backend: st run --checks all, $EXAMPLES examples an operation"
  local status=0
  (cd "$WORK" && PYTHONPATH="$HERE" SCHEMATHESIS_HOOKS=schemathesis_hooks \
    ROSTER_SCHEMATHESIS_USER_ID="$me" ROSTER_SCHEMATHESIS_EMAIL=admin@example.test \
    "$WORK/st-venv/bin/st" --config-file "$HERE/schemathesis.toml" run "$base/openapi.json" \
    --url "$base" --checks all --max-examples "$EXAMPLES" --seed 1 --generation-deterministic \
    -H "Authorization: Bearer $token" \
    --report junit --report-junit-path "$WORK/schemathesis-$backend.xml" \
    </dev/null) || status=$?
  kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  SERVER=
  if [ "$status" -ne 0 ]; then
    echo "Schemathesis found problems on $backend (server log: $log)" >&2
    return "$status"
  fi
}

failed=0
rm -f "$WORK"/schemathesis.db*
fuzz sqlite "sqlite://$WORK/schemathesis.db" || failed=1

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  PG_DB="roster_schemathesis_$$"
  psql "$PG_URL/postgres" -qc "CREATE DATABASE $PG_DB" >/dev/null
  fuzz postgres "$PG_URL/$PG_DB" || failed=1
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
  PG_DB=
elif [ "${CI:-}" = true ]; then
  echo "no PostgreSQL on 127.0.0.1:5432" >&2
  failed=1
else
  say "postgres: skipped (no PostgreSQL on 127.0.0.1:5432)"
fi
exit "$failed"
