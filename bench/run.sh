#!/usr/bin/env bash
# Roster under load on PostgreSQL, beside pgbench on the same server, on this machine only
# (loopback). Prints a table and writes it to bench/results/<date>.md. See bench/README.md.
#
# Settings (environment):
#   BENCH_ORGS=2000          organizations to seed through the API
#   BENCH_DURATION=20        seconds of load per wrk/pgbench run
#   BENCH_WARMUP=3           seconds of unmeasured wrk load before each measured run
#   BENCH_CONNECTIONS=64     wrk connections and pgbench clients
#   BENCH_THREADS=2          wrk and pgbench threads
#   BENCH_POOL=8             roster --db-pool-size (its default)
#   BENCH_WORKERS=           roster --workers (default: one per CPU)
#   BENCH_PORT=18181         where roster listens, on 127.0.0.1
#   BENCH_MANAGEMENT_PORT=18182   roster's management listener (metrics), on 127.0.0.1
#   BENCH_PG=postgres://postgres@127.0.0.1:5432   the server (trust auth; databases are created and dropped)
#   BENCH_PG_PARAMS=?sslmode=disable   connection parameters for Roster and pgbench alike (TLS on
#                            loopback only costs CPU; set it empty to measure with libpq's default)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
ORGS=${BENCH_ORGS:-2000}
DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
POOL=${BENCH_POOL:-8}
WORKERS=${BENCH_WORKERS:-}
PORT=${BENCH_PORT:-18181}
MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-18182}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PG_PARAMS=${BENCH_PG_PARAMS-?sslmode=disable}
BASE="http://127.0.0.1:$PORT"
MANAGEMENT="http://127.0.0.1:$MANAGEMENT_PORT"

case "$PG" in
  postgres://*@127.0.0.1:*|postgres://*@localhost:*|postgresql://*@127.0.0.1:*|postgresql://*@localhost:*) ;;
  *) echo "BENCH_PG must point at a server on this machine (127.0.0.1 or localhost)" >&2; exit 2 ;;
esac

say() { printf '\n==> %s\n' "$*"; }

# --- tools -------------------------------------------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null 2>&1; then
  say "installing wrk"
  as_root apt-get install -y wrk </dev/null || { as_root apt-get update </dev/null && as_root apt-get install -y wrk </dev/null; }
fi
for tool in pgbench psql curl python3 top; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench needs $tool (pgbench and psql: Debian's postgresql packages)" >&2; exit 2; }
done
pg_isready -q -d "$PG/postgres" || { echo "PostgreSQL at $PG does not answer" >&2; exit 2; }

# --- build ---------------------------------------------------------------------------------
say "cargo build --release -p roster-api"
(cd "$ROOT" && timeout 1800 cargo build --release -p roster-api)
ROSTER="$ROOT/target/release/roster"

# --- databases, server, clean-up -------------------------------------------------------
WORK=$(mktemp -d /tmp/roster-bench.XXXXXX)
DB="roster_bench_$$"
PGB="roster_pgbench_$$"
SERVER_PID=""
cleanup() {
  set +e
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null
  fi
  for db in "$DB" "$PGB"; do
    psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psql -q -v ON_ERROR_STOP=1 -d "$PG/postgres" -c "CREATE DATABASE $DB" -c "CREATE DATABASE $PGB"

say "starting roster on $BASE (database $DB)"
worker_flags=()
[ -n "$WORKERS" ] && worker_flags=(--workers "$WORKERS")
ROSTER_LOG=warn "$ROSTER" serve \
  --database-url "$PG/$DB$PG_PARAMS" --listen "127.0.0.1:$PORT" \
  --management-listen "127.0.0.1:$MANAGEMENT_PORT" \
  --db-pool-size "$POOL" --access-token-ttl 3600 "${worker_flags[@]}" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs "$BASE/readyz" >/dev/null || { echo "roster did not become ready" >&2; cat "$WORK/server.log" >&2; exit 1; }

# --- seed ------------------------------------------------------------------------------
say "seeding $ORGS organizations through the API"
timeout 600 python3 "$BENCH/seed.py" --base "$BASE" --orgs "$ORGS" \
  --token-out "$WORK/token" --ids-out "$WORK/ids" --stats-out "$WORK/seed.json"
TOKEN=$(cat "$WORK/token")
# Fresh tables have no planner statistics until autovacuum gets to them (a minute or more);
# without them the list query sorts every membership instead of walking an index. A database
# in service has statistics, so give this one its own (pgbench -i does the same).
psql -q -d "$PG/$DB" -c "VACUUM ANALYZE" >/dev/null
sleep 1
grep -E '^(VmRSS|VmHWM):' "/proc/$SERVER_PID/status" >"$WORK/mem-idle.txt"

# Pre-flight: each endpoint must answer 200, or its req/s measures an error page.
preflight() { # what path
  local status
  status=$(curl -s -o "$WORK/preflight.body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE$2")
  python3 - "$1" "$status" "$WORK/preflight.body" >>"$WORK/preflight.jsonl" <<'PY'
import json, sys
print(json.dumps({"what": sys.argv[1], "status": int(sys.argv[2]), "body": open(sys.argv[3]).read()[:300]}))
PY
  [ "$status" = 200 ] || echo "WARNING: $1 answered $status: $(head -c 300 "$WORK/preflight.body")" >&2
}
preflight "GET /v1/organizations/{id}" "/v1/organizations/$(head -n1 "$WORK/ids")"
preflight "GET /v1/organizations?limit=20" "/v1/organizations?limit=20"

# --- load ------------------------------------------------------------------------------
# The samplers' window starts 1 s into each run and ends 1 s before it, so that every process
# of the run is alive at both ends of the window (CPU time is read from /proc/<pid>/stat).
WINDOW=$((DURATION > 4 ? DURATION - 2 : DURATION))
DELAY=$((DURATION > 4 ? 1 : 0))
run_wrk() { # name url [extra wrk args...]
  local name=$1 url=$2; shift 2
  say "wrk $name: $CONNECTIONS connections, $THREADS threads, ${DURATION}s"
  timeout $((WARMUP + 30)) wrk -c "$CONNECTIONS" -t "$THREADS" -d "${WARMUP}s" "$@" "$url" >/dev/null
  python3 "$BENCH/sample.py" --pid "$SERVER_PID" --delay "$DELAY" --seconds "$WINDOW" --out "$WORK/sample-$name.json" &
  local sampler=$!
  timeout $((DURATION + 30)) wrk -c "$CONNECTIONS" -t "$THREADS" -d "${DURATION}s" --timeout 5s --latency "$@" "$url" \
    | tee "$WORK/wrk-$name.txt"
  wait "$sampler"
}
export ROSTER_TOKEN="$TOKEN" ROSTER_IDS_FILE="$WORK/ids"
run_wrk get "$BASE/v1/organizations/" -s "$BENCH/get_org.lua"
run_wrk list "$BASE/v1/organizations?limit=20" -H "Authorization: Bearer $TOKEN"
sleep 2
grep -E '^(VmRSS|VmHWM):' "/proc/$SERVER_PID/status" >"$WORK/mem-after.txt"
# Roster's own count of what it answered (from the management listener), to cross-check wrk.
curl -fs "$MANAGEMENT/metrics" >"$WORK/metrics.txt" || echo "WARNING: no metrics from $MANAGEMENT" >&2

# The server is done: stop it so pgbench has the machine to itself.
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null

say "pgbench -i -s 10 ($PGB)"
timeout 300 pgbench -i -s 10 -q "$PG/$PGB$PG_PARAMS" 2>&1 | tail -n 2
run_pgbench() { # name [extra pgbench args...]
  local name=$1; shift
  say "pgbench -S -c $CONNECTIONS -j $THREADS -T $DURATION $*"
  python3 "$BENCH/sample.py" --delay "$DELAY" --seconds "$WINDOW" --out "$WORK/sample-pgbench-$name.json" &
  local sampler=$!
  timeout $((DURATION + 60)) pgbench -S -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" "$@" "$PG/$PGB$PG_PARAMS" 2>&1 \
    | tee "$WORK/pgbench-$name.txt" | grep -E '^(tps|latency average|number of failed)'
  wait "$sampler"
}
run_pgbench simple
run_pgbench prepared -M prepared

# --- report ----------------------------------------------------------------------------
python3 - "$WORK" "$ORGS" "$DURATION" "$WARMUP" "$CONNECTIONS" "$THREADS" "$POOL" "${WORKERS:-one per CPU}" \
  "$("$ROSTER" --version)" "$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo '+changes')" \
  "$(psql -tA -d "$PG/postgres" -c 'SHOW server_version')" "${PG_PARAMS:-(libpq defaults)}" <<'PY'
import json, os, platform, sys, datetime
work, orgs, duration, warmup, conns, threads, pool, workers, version, commit, pgv, params = sys.argv[1:]
preflight = [json.loads(l) for l in open(os.path.join(work, "preflight.jsonl"))] if os.path.exists(os.path.join(work, "preflight.jsonl")) else []
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "cpus": os.cpu_count(), "kernel": "Linux " + platform.release(),
    "postgres": "PostgreSQL " + pgv, "roster_version": version.split()[-1], "commit": commit,
    "orgs": int(orgs), "duration": f"{duration} s", "duration_s": duration, "warmup": f"{warmup} s",
    "connections": conns, "threads": threads, "pool": pool, "workers": workers,
    "pg_params": params, "preflight": preflight,
}, open(os.path.join(work, "meta.json"), "w"))
PY
mkdir -p "$BENCH/results"
out="$BENCH/results/$(date -u +%Y-%m-%d).md"
n=2
while [ -e "$out" ]; do out="$BENCH/results/$(date -u +%Y-%m-%d)-$n.md"; n=$((n + 1)); done
python3 "$BENCH/report.py" "$WORK" | tee "$out"
say "written to ${out#"$ROOT"/}"
