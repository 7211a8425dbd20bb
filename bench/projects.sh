#!/usr/bin/env bash
# Teams and projects under load, on PostgreSQL and then on SQLite: an organization of 10,000
# projects, 200 teams and 2,002 members (seeded by SQL in seconds), then wrk against
# `authorize` without a project (the baseline) and with one granted to 200 teams about a member
# of all 200, the first page of the project list as that member and as the owner, and one
# project as each. Prints a table (req/s, p50, p99, ratio to the baseline) and writes it to
# bench/results/projects-<date>.md. See bench/README.md.
#
# Settings: the BENCH_* variables of bench/run.sh (but BENCH_ORGS), and
#   BENCH_DATABASES="postgres sqlite"   which databases, in this order
#   BENCH_PROJECTS=10000  BENCH_TEAMS=200  BENCH_MEMBERS=2000   the seeded organization
#   BENCH_ROSTER=         a roster binary to measure instead of building this tree's release
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATABASES=${BENCH_DATABASES:-postgres sqlite}
PROJECTS=${BENCH_PROJECTS:-10000}
TEAMS=${BENCH_TEAMS:-200}
MEMBERS=${BENCH_MEMBERS:-2000}
PERMISSIONS=organization:read,members:read,projects:read
ORG=acme

need_tools
if [ -n "${BENCH_ROSTER:-}" ]; then ROSTER=$BENCH_ROSTER; else build_roster; fi

measure() { # postgres|sqlite
  local db=$1 url
  case "$db" in
    postgres)
      psql -q -v ON_ERROR_STOP=1 -d "$PG/postgres" -c "CREATE DATABASE $DB"
      url="$PG/$DB$PG_PARAMS" ;;
    sqlite) url="sqlite://$WORK/projects.db" ;;
    *) echo "unknown database $db (postgres or sqlite)" >&2; exit 2 ;;
  esac
  SERVE_DATABASE_URL=$url start_roster

  say "$db: seeding $PROJECTS projects, $TEAMS teams, $MEMBERS members"
  timeout 900 python3 "$BENCH/seed_projects.py" --base "$BASE" --database-url "$url" \
    --projects "$PROJECTS" --teams "$TEAMS" --members "$MEMBERS" --permissions "$PERMISSIONS" \
    --out "$WORK/seed-$db.json"
  local owner dev dev_id
  read -r owner dev dev_id < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["owner_token"], s["dev_token"], s["dev_id"])' "$WORK/seed-$db.json")
  sleep 1

  local list="/v1/organizations/$ORG/projects?limit=100" get="/v1/organizations/$ORG/projects/hot"
  local perms_json
  perms_json=$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1].split(",")))' "$PERMISSIONS")
  TOKEN=$owner preflight "$db: authorize" "/v1/organizations/$ORG/authorize" -X POST \
    -H "Content-Type: application/json" --data "{\"user_id\": \"$dev_id\", \"permissions\": $perms_json}"
  TOKEN=$owner preflight "$db: authorize with project" "/v1/organizations/$ORG/authorize" -X POST \
    -H "Content-Type: application/json" \
    --data "{\"user_id\": \"$dev_id\", \"permissions\": $perms_json, \"project\": \"hot\", \"project_access\": \"writer\"}"
  TOKEN=$dev preflight "$db: projects, member" "$list"
  TOKEN=$owner preflight "$db: projects, owner" "$list"
  TOKEN=$dev preflight "$db: project, member" "$get"
  TOKEN=$owner preflight "$db: project, owner" "$get"

  export ROSTER_TOKEN="$owner" ROSTER_MEMBER="$dev_id" ROSTER_PERMISSIONS="$PERMISSIONS"
  ROSTER_PROJECT="" run_wrk "$db-authorize" "$BASE/v1/organizations/$ORG/authorize" -s "$BENCH/authorize_project.lua"
  ROSTER_PROJECT=hot ROSTER_PROJECT_ACCESS=writer \
    run_wrk "$db-authorize-project" "$BASE/v1/organizations/$ORG/authorize" -s "$BENCH/authorize_project.lua"
  run_wrk "$db-list-member" "$BASE$list" -H "Authorization: Bearer $dev"
  run_wrk "$db-list-owner" "$BASE$list" -H "Authorization: Bearer $owner"
  run_wrk "$db-get-member" "$BASE$get" -H "Authorization: Bearer $dev"
  run_wrk "$db-get-owner" "$BASE$get" -H "Authorization: Bearer $owner"
  curl -fs "$MANAGEMENT/metrics" >"$WORK/metrics-$db.txt" || echo "WARNING: no metrics from $MANAGEMENT" >&2

  stop_roster
  cp "$WORK/server.log" "$WORK/server-$db.log"
  [ "$db" = postgres ] && psql -q -d "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  return 0
}

for db in $DATABASES; do measure "$db"; done

write_meta "databases=$DATABASES"
report projects_report.py projects-
