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
ORGS=${BENCH_ORGS:-2000}
source "$(dirname "$0")/lib.sh"

need_tools
build_roster
create_databases
start_roster

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
remember_memory mem-idle.txt
preflight "GET /v1/organizations/{id}" "/v1/organizations/$(head -n1 "$WORK/ids")"
preflight "GET /v1/organizations?limit=20" "/v1/organizations?limit=20"

# --- load ------------------------------------------------------------------------------
export ROSTER_TOKEN="$TOKEN" ROSTER_IDS_FILE="$WORK/ids"
run_wrk get "$BASE/v1/organizations/" -s "$BENCH/get_org.lua"
run_wrk list "$BASE/v1/organizations?limit=20" -H "Authorization: Bearer $TOKEN"
sleep 2
remember_memory mem-after.txt
# Roster's own count of what it answered (from the management listener), to cross-check wrk.
curl -fs "$MANAGEMENT/metrics" >"$WORK/metrics.txt" || echo "WARNING: no metrics from $MANAGEMENT" >&2

# The server is done: stop it so pgbench has the machine to itself.
stop_roster
psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
init_pgbench
run_pgbench simple
run_pgbench prepared -M prepared

write_meta "orgs=$ORGS"
report report.py ""
