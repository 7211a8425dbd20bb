#!/usr/bin/env bash
# Writes under load on PostgreSQL: 64 clients creating organizations, then adding members to
# 64 organizations, with a webhook endpoint for every event at a fast local receiver. Reports
# req/s and latency (wrk), how often a connection waited on a lock (pg_stat_activity, sampled
# every 100 ms), and the lag from an event's commit to its delivery. See bench/README.md.
#
# Settings (environment), besides those of bench/lib.sh (BENCH_DURATION, BENCH_CONNECTIONS, …):
#   BENCH_ROSTER=            a roster binary to measure instead of building this tree's release
#   BENCH_WEBHOOKS=1         0: no endpoint (for binaries without webhooks)
#   BENCH_USERS=400000       users seeded (by SQL) for the member adds
#   BENCH_RECEIVER_PORT=18183
#   BENCH_STEADY_RATE=100    creates a second in the steady phase (webhooks on only)
set -euo pipefail
USERS=${BENCH_USERS:-400000}
WEBHOOKS=${BENCH_WEBHOOKS:-1}
RECEIVER_PORT=${BENCH_RECEIVER_PORT:-18183}
STEADY_RATE=${BENCH_STEADY_RATE:-100}
source "$(dirname "$0")/lib.sh"

need_tools
if [ -n "${BENCH_ROSTER:-}" ]; then ROSTER=$BENCH_ROSTER; else build_roster; fi
create_databases
extra=(--admin-email bench@example.test --admin-password "correct horse battery")
[ "$WEBHOOKS" = 1 ] && extra+=(--webhooks-allow-private-targets)
start_roster "${extra[@]}"

TOKEN=$(curl -fs "$BASE/v1/auth/token" -H 'Content-Type: application/json' \
  -d '{"grant_type":"password","username":"bench@example.test","password":"correct horse battery"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export ROSTER_TOKEN="$TOKEN" ROSTER_THREADS="$THREADS"

RECEIVER=""
if [ "$WEBHOOKS" = 1 ]; then
  say "a fast receiver on 127.0.0.1:$RECEIVER_PORT, and an endpoint for every event"
  python3 "$BENCH/lag_receiver.py" "$RECEIVER_PORT" "$WORK/lags.txt" &
  RECEIVER=$!
  sleep 0.5
  curl -fs "$BASE/v1/webhooks" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"url\": \"http://127.0.0.1:$RECEIVER_PORT/hook\"}" >/dev/null
fi

say "seeding 64 organizations (API) and $USERS users (SQL)"
for n in $(seq 1 64); do
  curl -fs "$BASE/v1/organizations" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\": \"team-$n\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
done >"$WORK/orgs"
psql -q -v ON_ERROR_STOP=1 -d "$PG/$DB" -c \
  "INSERT INTO users (id, email, name, state, is_admin, created_at, updated_at)
   SELECT gen_random_uuid(), 'seed-' || n || '@example.test', 'Seed ' || n, 'active', false, now(), now()
   FROM generate_series(1, $USERS) n"
psql -tA -d "$PG/$DB" -c "SELECT id FROM users WHERE email LIKE 'seed-%'" >"$WORK/users"
psql -q -d "$PG/$DB" -c "VACUUM ANALYZE" >/dev/null
export ROSTER_ORGS_FILE="$WORK/orgs" ROSTER_USERS_FILE="$WORK/users"

# Lets the dispatcher catch up (up to two minutes).
drain_deliveries() {
  for _ in $(seq 1 120); do
    pending=$(psql -tA -d "$PG/$DB" -c "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")
    [ "$pending" = 0 ] && break
    sleep 1
  done
}

# Samples pg_stat_activity every 100 ms for the run: how many of Roster's connections were
# active, and how many waited on a lock (and which).
sample_locks() { # name
  python3 - "$PG/$DB" "$DURATION" "$WORK/locks-$1.json" "$DB" <<'PY' &
import json, subprocess, sys, time
url, duration, out, db = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
query = ("SELECT coalesce(wait_event_type, '') || ':' || coalesce(wait_event, '') FROM pg_stat_activity "
         f"WHERE datname = '{db}' AND state = 'active' AND pid <> pg_backend_pid();")
# One psql for the whole run (starting one per sample would take a share of the CPU measured).
psql = subprocess.Popen(["psql", "-tA", "-q", "-d", url], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, text=True, bufsize=1)
samples, end = [], time.time() + duration - 1
time.sleep(1)
while time.time() < end:
    psql.stdin.write(query + "\n\\echo --end--\n")
    rows = []
    for line in psql.stdout:
        if line.strip() == "--end--":
            break
        if line.strip():
            rows.append(line.strip())
    samples.append(rows)
    time.sleep(0.1)
psql.stdin.close()
json.dump(samples, open(out, "w"))
PY
}

if [ -n "$RECEIVER" ]; then
  say "steady creates: $STEADY_RATE a second for ${DURATION}s (the webhook lag at a rate the machine can also deliver)"
  date +%s.%N >"$WORK/steady-start"
  python3 "$BENCH/steady_creates.py" "$BASE" "$STEADY_RATE" "$DURATION" | tee "$WORK/steady.json"
  date +%s.%N >"$WORK/steady-end"
  drain_deliveries
fi

say "wrk creates: POST /v1/organizations"
sample_locks creates
sampler=$!
run_wrk creates "$BASE/v1/organizations" -s "$BENCH/create_org.lua"
wait "$sampler" # only the sampler: the server runs in the background too
say "wrk adds: POST /v1/organizations/{org}/members"
sample_locks adds
sampler=$!
run_wrk adds "$BASE/v1/organizations" -s "$BENCH/add_member.lua"
wait "$sampler"

if [ -n "$RECEIVER" ]; then
  drain_deliveries
  psql -tA -d "$PG/$DB" -c "SELECT status, count(*) FROM webhook_deliveries GROUP BY status" >"$WORK/deliveries.txt"
  kill -TERM "$RECEIVER"; wait "$RECEIVER" || true
fi
stop_roster
write_meta "users=$USERS" "webhooks=$WEBHOOKS"
report writes_report.py "writes-"
