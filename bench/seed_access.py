#!/usr/bin/env python3
"""Seeds a migrated Roster database on PostgreSQL for the access-model benchmark, fast:
10,000 organizations and 1,000,000 memberships, written by PostgreSQL itself
(INSERT … SELECT over generate_series, in chunks, with a progress bar), around a few accounts
made through the API so that they can sign in:

- `owner@bench.test` owns `big`, an organization of 100,000 members;
- `busy@bench.test` is a member of 1,000 organizations;
- 100,000 more users fill 9,999 organizations of 90 members each (one of them the owner).

Then it finds, through the API, the cursor of the last page of `big`'s members (cursor mode,
100 a page), and writes what the load needs (tokens, a member's id, the cursor) as JSON.

Python 3.11 standard library only; `psql` on the PATH.
"""

import argparse
import json
import subprocess
import sys
import time
import urllib.parse

from seed import call  # bench/seed.py, beside this script

USERS = 100_000
SMALL_ORGS = 9_999
PER_SMALL_ORG = 90  # the owner and 89 members
BIG_MEMBERS = 100_000
BUSY_ORGS = 1_000
PASSWORD = "bench password 1"


def psql(database_url, sql):
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", database_url],
        input=sql, text=True, check=True, stdout=subprocess.DEVNULL,
    )


class Progress:
    """One line that redraws itself: `[#########.........]  45%  memberships 450,000`."""

    def __init__(self, total):
        self.total, self.done, self.started = total, 0, time.monotonic()

    def advance(self, rows, what):
        self.done += rows
        share = self.done / self.total
        bar = "#" * int(share * 30)
        elapsed = time.monotonic() - self.started
        sys.stderr.write(f"\r[{bar:<30}] {share:4.0%}  {what:<12} {self.done:>9,} rows  {elapsed:5.1f} s")
        sys.stderr.flush()

    def finish(self):
        sys.stderr.write("\n")


def sign_up_and_in(base, email):
    status, body = call(base, "POST", "/v1/users", {"email": email, "password": PASSWORD})
    if status != 201:
        sys.exit(f"sign-up of {email} answered {status}: {body}")
    status, body = call(base, "POST", "/v1/auth/token",
                        {"grant_type": "password", "username": email, "password": PASSWORD})
    if status != 200:
        sys.exit(f"sign-in of {email} answered {status}: {body}")
    return body["access_token"]


def seed(base, database_url):
    owner_token = sign_up_and_in(base, "owner@bench.test")
    busy_token = sign_up_and_in(base, "busy@bench.test")
    status, body = call(base, "POST", "/v1/organizations", {"name": "big"}, owner_token)
    if status != 201:
        sys.exit(f"creating big answered {status}: {body}")

    total = USERS + SMALL_ORGS + SMALL_ORGS * PER_SMALL_ORG + BIG_MEMBERS + BUSY_ORGS
    progress = Progress(total)
    # Numbered users and organizations, so the membership inserts can pick them by number.
    psql(database_url, f"""
        CREATE TABLE bench_users (n int PRIMARY KEY, id uuid NOT NULL, email text NOT NULL,
                                  name text NOT NULL);
        INSERT INTO bench_users
            SELECT n, gen_random_uuid(), format('u%s@bench.test', lpad(n::text, 6, '0')),
                   format('Bench User %s', n)
            FROM generate_series(0, {USERS - 1}) n;
        INSERT INTO users (id, email, name, state, is_admin, created_at, updated_at)
            SELECT id, email, name, 'active', false, now() - interval '2 days' + n * interval '1 ms',
                   now() - interval '2 days' + n * interval '1 ms'
            FROM bench_users;
    """)
    progress.advance(USERS, "users")
    psql(database_url, f"""
        CREATE TABLE bench_orgs (n int PRIMARY KEY, id uuid NOT NULL);
        INSERT INTO bench_orgs SELECT n, gen_random_uuid() FROM generate_series(1, {SMALL_ORGS}) n;
        INSERT INTO organizations (id, name, display_name, display_name_folded, address, custom,
                                   state, personal, visibility, member_count, version,
                                   created_at, updated_at)
            SELECT id, format('org-%s', lpad(n::text, 5, '0')), format('Org %s', n),
                   format('org %s', n), '{{}}', '{{}}', 'active', false, 'private', 0, 1,
                   now() - interval '1 day' + n * interval '1 ms',
                   now() - interval '1 day' + n * interval '1 ms'
            FROM bench_orgs;
    """)
    progress.advance(SMALL_ORGS, "orgs")

    # Each small organization: user (k·89) is its owner, users (k·89 + j·7919) mod 100,000
    # for j = 1..89 its members (7919 is prime to 100,000, so they are 90 different users).
    chunk = 500
    for first in range(1, SMALL_ORGS + 1, chunk):
        last = min(first + chunk - 1, SMALL_ORGS)
        psql(database_url, f"""
            INSERT INTO memberships (organization_id, user_id, role, permissions, created_at,
                                     updated_at, email, name)
                SELECT o.id, u.id, CASE WHEN j = 0 THEN 'owner' ELSE 'member' END, '[]',
                       now() - interval '12 hours' + (o.n * 100 + j) * interval '1 ms',
                       now() - interval '12 hours' + (o.n * 100 + j) * interval '1 ms', u.email,
                       u.name
                FROM bench_orgs o
                CROSS JOIN generate_series(0, {PER_SMALL_ORG - 1}) j
                JOIN bench_users u ON u.n = (o.n * 89 + j * 7919) % {USERS}
                WHERE o.n BETWEEN {first} AND {last};
        """)
        progress.advance((last - first + 1) * PER_SMALL_ORG, "memberships")

    big = "(SELECT id FROM organizations WHERE name = 'big')"
    chunk = 10_000
    for first in range(0, BIG_MEMBERS, chunk):
        psql(database_url, f"""
            INSERT INTO memberships (organization_id, user_id, role, permissions, created_at,
                                     updated_at, email, name)
                SELECT {big}, id, 'member', '["billing:read"]',
                       now() - interval '6 hours' + n * interval '1 ms',
                       now() - interval '6 hours' + n * interval '1 ms', email, name
                FROM bench_users WHERE n >= {first} AND n < {first + chunk};
        """)
        progress.advance(chunk, "big org")

    psql(database_url, f"""
        INSERT INTO memberships (organization_id, user_id, role, permissions, created_at,
                                 updated_at, email, name)
            SELECT o.id, u.id, 'member', '[]', now() - interval '3 hours' + o.n * interval '1 ms',
                   now() - interval '3 hours' + o.n * interval '1 ms', u.email, u.name
            FROM bench_orgs o, users u
            WHERE u.email = 'busy@bench.test' AND o.n <= {BUSY_ORGS};
        UPDATE organizations SET member_count = counted.members
            FROM (SELECT organization_id, count(*) AS members FROM memberships
                  GROUP BY organization_id) counted
            WHERE counted.organization_id = organizations.id;
        DROP TABLE bench_orgs;
    """)
    progress.advance(BUSY_ORGS, "busy user")
    progress.finish()
    # Statistics, as a database in service has them.
    psql(database_url, "VACUUM ANALYZE;")
    return owner_token, busy_token


def some_member(database_url):
    out = subprocess.run(
        ["psql", "-tA", "-d", database_url, "-c",
         "SELECT id FROM bench_users WHERE n = 54321; DROP TABLE bench_users;"],
        text=True, check=True, capture_output=True,
    )
    return out.stdout.split()[0]


def last_page_cursor(base, token, page=100, stride=1000):
    """The cursor after which `big`'s members fill exactly one last page of `page`, found by
    walking the list `stride` at a time."""
    cursors = [None]  # cursors[i]: after the first i·stride members
    path = f"/v1/organizations/big/members?limit={stride}"
    while True:
        status, body = call(base, "GET", path, token=token, timeout=60)
        if status != 200:
            sys.exit(f"walking the members answered {status}: {body}")
        if not body["meta"]["has_more"]:
            break
        cursors.append(body["meta"]["next_cursor"])
        path = f"/v1/organizations/big/members?limit={stride}&after={urllib.parse.quote(cursors[-1])}"
    total = (len(cursors) - 1) * stride + len(body["data"])
    whole, rest = divmod(total - page, stride)
    if rest == 0:
        return cursors[whole]
    after = f"&after={urllib.parse.quote(cursors[whole])}" if cursors[whole] else ""
    status, body = call(base, "GET", f"/v1/organizations/big/members?limit={rest}{after}", token=token)
    return body["meta"]["next_cursor"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="Roster, e.g. http://127.0.0.1:18181")
    parser.add_argument("--database-url", required=True, help="its database, e.g. postgres://postgres@127.0.0.1/roster_bench")
    parser.add_argument("--out", required=True, help="where to write the JSON for the load")
    args = parser.parse_args()

    started = time.monotonic()
    owner_token, busy_token = seed(args.base, args.database_url)
    seeded = time.monotonic() - started
    out = {
        "seconds": round(seeded, 1),
        "organizations": SMALL_ORGS + 1,
        "memberships": SMALL_ORGS * PER_SMALL_ORG + BIG_MEMBERS + BUSY_ORGS + 1,
        "owner_token": owner_token,
        "busy_token": busy_token,
        "member_id": some_member(args.database_url),
        "last_cursor": last_page_cursor(args.base, owner_token),
    }
    json.dump(out, open(args.out, "w"))
    print(f"seeded {out['organizations']:,} organizations and {out['memberships']:,} memberships "
          f"in {seeded:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
