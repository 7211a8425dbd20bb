# Shared by bench/run.sh, access.sh, writes.sh and projects.sh: tools, the release build, a
# Roster on its own PostgreSQL database (or SQLite file), wrk and pgbench runs sampled by
# sample.py, and clean-up. Source it after setting the BENCH_* variables the scripts document.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
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

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# wrk (installed with apt-get when missing), pgbench, psql, curl, python3, top.
need_tools() {
  if ! command -v wrk >/dev/null 2>&1; then
    say "installing wrk"
    as_root apt-get install -y wrk </dev/null || { as_root apt-get update </dev/null && as_root apt-get install -y wrk </dev/null; }
  fi
  for tool in pgbench psql curl python3 top; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench needs $tool (pgbench and psql: Debian's postgresql packages)" >&2; exit 2; }
  done
  pg_isready -q -d "$PG/postgres" || { echo "PostgreSQL at $PG does not answer" >&2; exit 2; }
}

build_roster() {
  say "cargo build --release -p roster-api"
  (cd "$ROOT" && timeout 1800 cargo build --release -p roster-api)
  ROSTER="$ROOT/target/release/roster"
}

# A work directory, the two databases (Roster's and pgbench's), and their removal on exit.
WORK=$(mktemp -d /tmp/roster-bench.XXXXXX)
DB="roster_bench_$$"
PGB="roster_pgbench_$$"
SERVER_PID=""
cleanup() {
  set +e
  stop_roster
  for db in "$DB" "$PGB"; do
    psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

create_databases() {
  psql -q -v ON_ERROR_STOP=1 -d "$PG/postgres" -c "CREATE DATABASE $DB" -c "CREATE DATABASE $PGB"
}

# Starts the release roster on $DB with the bench's flags (and any extra ones given);
# SERVE_DATABASE_URL, when set, is the database instead (e.g. sqlite:///tmp/….db).
start_roster() {
  local database_url=${SERVE_DATABASE_URL:-$PG/$DB$PG_PARAMS}
  say "starting roster on $BASE (database ${SERVE_DATABASE_URL:-$DB})"
  local worker_flags=()
  [ -n "$WORKERS" ] && worker_flags=(--workers "$WORKERS")
  ROSTER_LOG=warn "$ROSTER" serve \
    --database-url "$database_url" --listen "127.0.0.1:$PORT" \
    --management-listen "127.0.0.1:$MANAGEMENT_PORT" \
    --db-pool-size "$POOL" --access-token-ttl 3600 "${worker_flags[@]}" "$@" \
    >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -fs "$BASE/readyz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
  done
  curl -fs "$BASE/readyz" >/dev/null || { echo "roster did not become ready" >&2; cat "$WORK/server.log" >&2; exit 1; }
}

stop_roster() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

remember_memory() { # file
  grep -E '^(VmRSS|VmHWM):' "/proc/$SERVER_PID/status" >"$WORK/$1"
}

# Pre-flight: an endpoint must answer 200 before it is measured, or its req/s measures an error
# page. `preflight what path [curl args...]`
preflight() {
  local what=$1 path=$2 status; shift 2
  status=$(curl -s -o "$WORK/preflight.body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$@" "$BASE$path")
  python3 - "$what" "$status" "$WORK/preflight.body" >>"$WORK/preflight.jsonl" <<'PY'
import json, sys
print(json.dumps({"what": sys.argv[1], "status": int(sys.argv[2]), "body": open(sys.argv[3]).read()[:300]}))
PY
  [ "$status" = 200 ] || echo "WARNING: $what answered $status: $(head -c 300 "$WORK/preflight.body")" >&2
}

# The samplers' window starts 1 s into each run and ends 1 s before it, so that every process
# of the run is alive at both ends of the window (CPU time is read from /proc/<pid>/stat).
WINDOW=$((DURATION > 4 ? DURATION - 2 : DURATION))
DELAY=$((DURATION > 4 ? 1 : 0))

# `run_wrk name url [extra wrk args...]`: a warm-up, then a measured run with Roster sampled.
run_wrk() {
  local name=$1 url=$2; shift 2
  say "wrk $name: $CONNECTIONS connections, $THREADS threads, ${DURATION}s"
  timeout $((WARMUP + 30)) wrk -c "$CONNECTIONS" -t "$THREADS" -d "${WARMUP}s" "$@" "$url" >/dev/null
  python3 "$BENCH/sample.py" --pid "$SERVER_PID" --delay "$DELAY" --seconds "$WINDOW" --out "$WORK/sample-$name.json" &
  local sampler=$!
  timeout $((DURATION + 30)) wrk -c "$CONNECTIONS" -t "$THREADS" -d "${DURATION}s" --timeout 5s --latency "$@" "$url" \
    | tee "$WORK/wrk-$name.txt"
  wait "$sampler"
}

# pgbench -S on its own database, scale 10, once Roster has stopped (so it has the machine).
init_pgbench() {
  say "pgbench -i -s 10 ($PGB)"
  timeout 300 pgbench -i -s 10 -q "$PG/$PGB$PG_PARAMS" 2>&1 | tail -n 2
}

# `run_pgbench name [extra pgbench args...]`
run_pgbench() {
  local name=$1; shift
  say "pgbench -S -c $CONNECTIONS -j $THREADS -T $DURATION $*"
  python3 "$BENCH/sample.py" --delay "$DELAY" --seconds "$WINDOW" --out "$WORK/sample-pgbench-$name.json" &
  local sampler=$!
  timeout $((DURATION + 60)) pgbench -S -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" "$@" "$PG/$PGB$PG_PARAMS" 2>&1 \
    | tee "$WORK/pgbench-$name.txt" | grep -E '^(tps|latency average|number of failed)'
  wait "$sampler"
}

# `write_meta key=value...`: what the report says about the run, as meta.json.
write_meta() {
  python3 - "$WORK" "$DURATION" "$WARMUP" "$CONNECTIONS" "$THREADS" "$POOL" "${WORKERS:-one per CPU}" \
    "$("$ROSTER" --version)" "$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo '+changes')" \
    "$(psql -tA -d "$PG/postgres" -c 'SHOW server_version')" "${PG_PARAMS:-(libpq defaults)}" "$@" <<'PY'
import json, os, platform, sys, datetime
work, duration, warmup, conns, threads, pool, workers, version, commit, pgv, params, *extra = sys.argv[1:]
path = os.path.join(work, "preflight.jsonl")
preflight = [json.loads(l) for l in open(path)] if os.path.exists(path) else []
meta = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "cpus": os.cpu_count(), "kernel": "Linux " + platform.release(),
    "postgres": "PostgreSQL " + pgv, "roster_version": version.split()[-1], "commit": commit,
    "duration": f"{duration} s", "duration_s": duration, "warmup": f"{warmup} s",
    "connections": conns, "threads": threads, "pool": pool, "workers": workers,
    "pg_params": params, "preflight": preflight,
}
for pair in extra:
    key, _, value = pair.partition("=")
    meta[key] = value
json.dump(meta, open(os.path.join(work, "meta.json"), "w"))
PY
}

# `report script prefix`: runs the report script on the work directory, writes it to
# bench/results/<prefix><date>.md and prints it.
report() {
  local script=$1 prefix=$2
  mkdir -p "$BENCH/results"
  local out="$BENCH/results/$prefix$(date -u +%Y-%m-%d).md" n=2
  while [ -e "$out" ]; do out="$BENCH/results/$prefix$(date -u +%Y-%m-%d)-$n.md"; n=$((n + 1)); done
  python3 "$BENCH/$script" "$WORK" | tee "$out"
  say "written to ${out#"$ROOT"/}"
}
