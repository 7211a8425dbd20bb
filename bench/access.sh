#!/usr/bin/env bash
# The access model under load on PostgreSQL: 10,000 organizations and 1,000,000 memberships
# (seeded in well under five minutes), then wrk against `authorize` (about one member, then
# about a random one of 100,000: more than the read cache holds), the first and the last page
# of a 100,000-member organization, and the organizations of a user in 1,000 of them;
# pgbench -S in the same run for scale. Prints a table with the targets and writes it to
# bench/results/access-<date>.md. See bench/README.md.
#
# Settings: the BENCH_* variables of bench/run.sh (but BENCH_ORGS).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

need_tools
build_roster
create_databases
start_roster

say "seeding 10,000 organizations and 1,000,000 memberships"
timeout 900 python3 "$BENCH/seed_access.py" --base "$BASE" --database-url "$PG/$DB$PG_PARAMS" \
  --out "$WORK/seed.json"
read -r OWNER_TOKEN BUSY_TOKEN MEMBER CURSOR < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["owner_token"], s["busy_token"], s["member_id"], s["last_cursor"])' "$WORK/seed.json")
TOKEN=$OWNER_TOKEN
# The peak is the loads' own: the seeding's sign-ins leave two argon2 blocks (19 MiB each) with
# the password threads, given back after 10 s without password work; wait for that, keep the
# high-water mark the seeding reached, then start it again from here (clear_refs 5).
remember_memory mem-seeding.txt
sleep 11
echo 5 >"/proc/$SERVER_PID/clear_refs"
remember_memory mem-idle.txt

FIRST="/v1/organizations/big/members?limit=100"
LAST="/v1/organizations/big/members?limit=100&after=$CURSOR"
preflight "POST authorize" "/v1/organizations/big/authorize" -X POST -H "Content-Type: application/json" \
  --data "{\"user_id\": \"$MEMBER\", \"permissions\": [\"members:read\"]}"
preflight "members, first page" "$FIRST"
preflight "members, last page" "$LAST"
TOKEN=$BUSY_TOKEN preflight "my organizations (1,000)" "/v1/users/me/organizations"

psql -qAt -d "$PG/$DB" -c "SELECT m.user_id FROM memberships m JOIN organizations o \
  ON o.id = m.organization_id WHERE o.name = 'big'" >"$WORK/members.txt"
export ROSTER_TOKEN="$OWNER_TOKEN" ROSTER_MEMBER="$MEMBER" ROSTER_MEMBERS_FILE="$WORK/members.txt"
run_wrk authorize "$BASE/v1/organizations/big/authorize" -s "$BENCH/authorize.lua"
run_wrk authorize-spread "$BASE/v1/organizations/big/authorize" -s "$BENCH/authorize_spread.lua"
run_wrk members-first "$BASE$FIRST" -H "Authorization: Bearer $OWNER_TOKEN"
run_wrk members-last "$BASE$LAST" -H "Authorization: Bearer $OWNER_TOKEN"
run_wrk my-organizations "$BASE/v1/users/me/organizations" -H "Authorization: Bearer $BUSY_TOKEN"
sleep 2
remember_memory mem-after.txt
curl -fs "$MANAGEMENT/metrics" >"$WORK/metrics.txt" || echo "WARNING: no metrics from $MANAGEMENT" >&2

stop_roster
psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
init_pgbench
run_pgbench simple
run_pgbench prepared -M prepared

write_meta
report access_report.py access-
