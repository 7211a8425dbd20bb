#!/usr/bin/env python3
"""Seeds a migrated Roster database (PostgreSQL or SQLite) for the teams-and-projects benchmark,
fast: the rows are made here once and written by the database itself (`COPY … FROM STDIN`
through psql on PostgreSQL, `executemany` in one transaction on SQLite), around a few accounts
made through the API so that they can sign in:

- `owner@bench.test` owns `acme` (role owner: `projects:write`, so `owner` of every project);
- `dev@bench.test` is a member of `acme` (added through the API) and of all its 200 teams;
- 2,000 more members (`m00000@bench.test`…), each in three teams;
- 10,000 projects: `hot`, granted to all 200 teams (reader, but `writer` for `team-137`), and
  `project-00000`…`project-09998`, one in five with visibility `organization`, one in three
  granted to three teams (reader, writer or owner); the rest private and granted to none.

So `dev` reaches about half the projects (through a team, the visibility, or both) and the
owner all of them. Then it asks the API once for each thing the load will ask, checks the
answers (the access levels, a full first page, how many projects each caller can list) and
writes what the load needs (tokens, ids) and the checks as JSON.

Python 3.11 standard library only; `psql` on the PATH for PostgreSQL.
"""

import argparse
import csv
import datetime
import io
import json
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import uuid

from seed import call  # bench/seed.py, beside this script

PASSWORD = "bench password 1"
ORG = "acme"
HOT = "hot"
HOT_WRITER_TEAM = 137


class Database:
    """Bulk writes and small queries on Roster's database, PostgreSQL or SQLite."""

    def __init__(self, url):
        self.url = url
        self.sqlite = url.startswith("sqlite:")
        if self.sqlite:
            path = url.removeprefix("sqlite://") if url.startswith("sqlite://") else url.removeprefix("sqlite:")
            self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout = 30000")
            self.conn.execute("PRAGMA foreign_keys = ON")

    def value(self, v):
        """A Python value as the column wants it: booleans are 0/1 on SQLite, t/f in COPY."""
        if isinstance(v, bool):
            return int(v) if self.sqlite else ("t" if v else "f")
        return v

    def insert(self, table, columns, rows):
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            self.conn.execute("BEGIN")
            self.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                ([self.value(v) for v in row] for row in rows))
            self.conn.execute("COMMIT")
        else:
            buf = io.StringIO()
            writer = csv.writer(buf)
            for row in rows:
                writer.writerow(["" if v is None else self.value(v) for v in row])  # "" unquoted: NULL
            subprocess.run(
                ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url, "-c",
                 f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"],
                input=buf.getvalue(), text=True, check=True, stdout=subprocess.DEVNULL)

    def execute(self, sql):
        if self.sqlite:
            self.conn.executescript(sql)
        else:
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url],
                           input=sql, text=True, check=True, stdout=subprocess.DEVNULL)

    def scalar(self, sql):
        if self.sqlite:
            return self.conn.execute(sql).fetchone()[0]
        out = subprocess.run(["psql", "-tA", "-d", self.url, "-c", sql],
                             text=True, check=True, capture_output=True)
        return out.stdout.strip()


def stamp(at):
    """Both databases read this; it is SQLite's own form (fixed width, text order = time order)."""
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sign_up_and_in(base, email):
    status, body = call(base, "POST", "/v1/users", {"email": email, "password": PASSWORD})
    if status != 201:
        sys.exit(f"sign-up of {email} answered {status}: {body}")
    user_id = body["id"]
    status, body = call(base, "POST", "/v1/auth/token",
                        {"grant_type": "password", "username": email, "password": PASSWORD})
    if status != 200:
        sys.exit(f"sign-in of {email} answered {status}: {body}")
    return user_id, body["access_token"]


def seed(base, db, projects, teams, members):
    owner_id, owner_token = sign_up_and_in(base, "owner@bench.test")
    dev_id, dev_token = sign_up_and_in(base, "dev@bench.test")
    status, body = call(base, "POST", "/v1/organizations", {"name": ORG}, owner_token)
    if status != 201:
        sys.exit(f"creating {ORG} answered {status}: {body}")
    org_id = body["id"]
    status, body = call(base, "POST", f"/v1/organizations/{ORG}/members",
                        {"user_id": dev_id, "role": "member"}, owner_token)
    if status != 201:
        sys.exit(f"adding dev to {ORG} answered {status}: {body}")

    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=2)
    at = lambda ms: stamp(start + datetime.timedelta(milliseconds=ms))  # noqa: E731
    counts = {}

    # Members: users and memberships of acme.
    users = [(str(uuid.uuid4()), f"m{k:05d}@bench.test", f"Bench Member {k}") for k in range(members)]
    db.insert("users", ["id", "email", "name", "state", "is_admin", "created_at", "updated_at"],
              [(uid, email, name, "active", False, at(k), at(k)) for k, (uid, email, name) in enumerate(users)])
    db.insert("memberships", ["organization_id", "user_id", "role", "permissions", "created_at",
                              "updated_at", "email", "name"],
              [(org_id, uid, "member", "[]", at(10_000 + k), at(10_000 + k), email, name)
               for k, (uid, email, name) in enumerate(users)])
    db.execute(f"UPDATE organizations SET member_count = (SELECT count(*) FROM memberships "
               f"WHERE organization_id = '{org_id}') WHERE id = '{org_id}';")
    counts["members"] = members + 2

    # Teams, dev in every one (maintainer of team-000), the others in three each.
    team_ids = [str(uuid.uuid4()) for _ in range(teams)]
    db.insert("teams", ["id", "organization_id", "name", "display_name", "description", "custom",
                        "created_at", "updated_at"],
              [(tid, org_id, f"team-{t:03d}", f"Team {t}", None, "{}", at(20_000 + t), at(20_000 + t))
               for t, tid in enumerate(team_ids)])
    team_members = {(t, dev_id): "maintainer" if t == 0 else "member" for t in range(teams)}
    for k, (uid, _, _) in enumerate(users):
        for t in {k % teams, (7 * k + 3) % teams, (11 * k + 5) % teams}:
            team_members[(t, uid)] = "member"
    db.insert("team_members", ["team_id", "organization_id", "user_id", "role", "created_at", "updated_at"],
              [(team_ids[t], org_id, uid, role, at(30_000 + n), at(30_000 + n))
               for n, ((t, uid), role) in enumerate(team_members.items())])
    counts["teams"] = teams
    counts["team_members"] = len(team_members)

    # Projects: `hot` in the middle of the creation order, the numbered ones around it.
    names = [f"project-{i:05d}" for i in range(projects - 1)]
    names.insert(len(names) // 2, HOT)
    project_rows, grants = [], []
    dev_sees = 0
    for i, name in enumerate(names):
        pid = str(uuid.uuid4())
        n = int(name.removeprefix("project-")) if name != HOT else -1
        visibility = "organization" if n >= 0 and n % 5 == 0 else "private"
        project_rows.append((pid, org_id, name, name.replace("-", " ").title(), None, visibility, "{}",
                             at(100_000 + i), at(100_000 + i)))
        if name == HOT:
            mine = [(t, 2 if t == HOT_WRITER_TEAM else 1) for t in range(teams)]
        elif n % 3 == 0:
            mine = [(t, 1 + (n // 3 + j) % 3)
                    for j, t in enumerate(dict.fromkeys([n % teams, (7 * n + 1) % teams, (13 * n + 2) % teams]))]
        else:
            mine = []
        grants += [(pid, team_ids[t], org_id, access, at(200_000 + len(grants) + j), at(200_000 + len(grants) + j))
                   for j, (t, access) in enumerate(mine)]
        dev_sees += bool(mine) or visibility == "organization"
    db.insert("projects", ["id", "organization_id", "name", "display_name", "description", "visibility",
                           "custom", "created_at", "updated_at"], project_rows)
    db.insert("project_grants", ["project_id", "team_id", "organization_id", "access", "created_at",
                                 "updated_at"], grants)
    counts["projects"] = len(project_rows)
    counts["organization_visible"] = sum(r[5] == "organization" for r in project_rows)
    counts["grants"] = len(grants)
    counts["dev_sees"] = dev_sees
    counts["hot_grants"] = teams

    # Statistics, as a PostgreSQL in service has them (autovacuum). SQLite has none unless
    # someone runs ANALYZE, and Roster does not: left as it would be in service.
    if not db.sqlite:
        db.execute("VACUUM ANALYZE;")
    hot_id = next(r[0] for r in project_rows if r[2] == HOT)
    return {"owner_token": owner_token, "dev_token": dev_token, "dev_id": dev_id,
            "owner_id": owner_id, "org_id": org_id, "hot_id": hot_id, "counts": counts}


def count_listed(base, token, page=1000):
    """How many projects the caller lists, walking the pages; None when a page is not 200."""
    total, path = 0, f"/v1/organizations/{ORG}/projects?limit={page}"
    while True:
        status, body = call(base, "GET", path, token=token, timeout=120)
        if status != 200:
            return None
        total += len(body["data"])
        if not body["meta"].get("has_more"):
            return total
        path = f"/v1/organizations/{ORG}/projects?limit={page}&after={urllib.parse.quote(body['meta']['next_cursor'])}"


def checks(base, s, permissions):
    """Each request the load makes, once, and what its answer should say."""
    out = []

    def check(what, ok, detail):
        out.append({"what": what, "ok": bool(ok), "detail": detail})

    org = f"/v1/organizations/{ORG}"
    status, body = call(base, "POST", f"{org}/authorize",
                        {"user_id": s["dev_id"], "permissions": permissions}, s["owner_token"])
    check("authorize, no project: allowed", status == 200 and body.get("allowed") is True,
          f"{status} allowed={body.get('allowed') if isinstance(body, dict) else body}")
    status, body = call(base, "POST", f"{org}/authorize",
                        {"user_id": s["dev_id"], "permissions": permissions, "project": HOT,
                         "project_access": "writer"}, s["owner_token"])
    project = body.get("project") if isinstance(body, dict) else None
    check("authorize, project hot as writer: access writer, allowed",
          status == 200 and body.get("allowed") is True and (project or {}).get("access") == "writer",
          f"{status} project={project} allowed={body.get('allowed') if isinstance(body, dict) else body}")
    for who, token, level in (("dev", s["dev_token"], "writer"), ("owner", s["owner_token"], "owner")):
        status, body = call(base, "GET", f"{org}/projects?limit=100", token=token)
        data = body.get("data", []) if isinstance(body, dict) else []
        check(f"projects first page as {who}: 100, each with access",
              status == 200 and len(data) == 100 and all(p.get("access") for p in data),
              f"{status} {len(data)} projects")
        status, body = call(base, "GET", f"{org}/projects/{HOT}", token=token)
        access = body.get("access") if isinstance(body, dict) else None
        check(f"GET projects/hot as {who}: access {level}", status == 200 and access == level,
              f"{status} access={access}")
    status, body = call(base, "GET", f"{org}/projects/{HOT}/access/{s['dev_id']}", token=s["owner_token"])
    sources = body.get("sources", []) if isinstance(body, dict) else []
    check("GET projects/hot/access/{dev}: writer, 200 team sources",
          status == 200 and body.get("access") == "writer"
          and sum(str(x).startswith("team:") for x in sources) == s["counts"]["hot_grants"],
          f"{status} access={body.get('access') if isinstance(body, dict) else None}, {len(sources)} sources")
    for who, token, expected in (("dev", s["dev_token"], s["counts"]["dev_sees"]),
                                 ("owner", s["owner_token"], s["counts"]["projects"])):
        listed = count_listed(base, token)
        check(f"projects listed as {who}: {expected:,}", listed == expected, f"{listed} listed")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="Roster, e.g. http://127.0.0.1:18181")
    parser.add_argument("--database-url", required=True,
                        help="its database: postgres://postgres@127.0.0.1/roster_bench or sqlite:///tmp/x.db")
    parser.add_argument("--out", required=True, help="where to write the JSON for the load")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--permissions", default="organization:read,members:read,projects:read",
                        help="what the authorize requests ask about (comma-separated)")
    args = parser.parse_args()
    if args.teams <= HOT_WRITER_TEAM:
        sys.exit(f"--teams must be more than {HOT_WRITER_TEAM}")

    started = time.monotonic()
    s = seed(args.base, Database(args.database_url), args.projects, args.teams, args.members)
    s["seconds"] = round(time.monotonic() - started, 1)
    s["checks"] = checks(args.base, s, args.permissions.split(","))
    json.dump(s, open(args.out, "w"))
    c = s["counts"]
    print(f"seeded {c['projects']:,} projects ({c['organization_visible']:,} visible to the organization), "
          f"{c['teams']} teams, {c['team_members']:,} team members, {c['grants']:,} grants in {s['seconds']} s; "
          f"dev reaches {c['dev_sees']:,}", file=sys.stderr)
    for ch in s["checks"]:
        print(f"  {'ok  ' if ch['ok'] else 'FAIL'} {ch['what']}: {ch['detail']}", file=sys.stderr)


if __name__ == "__main__":
    main()
