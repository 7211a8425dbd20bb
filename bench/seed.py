#!/usr/bin/env python3
"""Seeds a running Roster through its API: one user, a token, and N organizations created
concurrently. Writes the access token and the organization ids (one a line) to files.

Python 3.11 standard library only.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def call(base, method, path, body=None, token=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status, json.loads(res.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:18181")
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--token-out", required=True)
    parser.add_argument("--ids-out", required=True)
    parser.add_argument("--stats-out", help="write {orgs, seconds, creates_per_s} as JSON here")
    args = parser.parse_args()

    email, password = "bench@example.test", "bench password 1"
    status, body = call(args.base, "POST", "/v1/users",
                        {"email": email, "password": password, "name": "Bench"})
    if status != 201:
        sys.exit(f"sign-up failed: {status} {body}")
    status, body = call(args.base, "POST", "/v1/auth/token",
                        {"grant_type": "password", "username": email, "password": password})
    if status != 200:
        sys.exit(f"sign-in failed: {status} {body}")
    token = body["access_token"]

    def create(i):
        org = {
            "name": f"bench-{i:06d}",
            "display_name": f"Bench Organization {i}",
            "billing_email": f"billing-{i}@example.test",
            "reference": f"crm-{i}",
            "custom": {"plan": ["free", "team", "enterprise"][i % 3], "seats": i % 50},
            "address": {"city": "Zurich", "country": "CH"},
        }
        status, body = call(args.base, "POST", "/v1/organizations", org, token)
        if status != 201:
            raise RuntimeError(f"create organization {i} failed: {status} {body}")
        return body["id"]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        ids = list(pool.map(create, range(args.orgs)))
    elapsed = time.monotonic() - started

    with open(args.token_out, "w") as f:
        f.write(token)
    with open(args.ids_out, "w") as f:
        f.write("\n".join(ids) + "\n")
    print(f"seeded {len(ids)} organizations in {elapsed:.1f} s "
          f"({len(ids) / elapsed:.0f} creates/s at concurrency {args.concurrency})")
    if args.stats_out:
        with open(args.stats_out, "w") as f:
            json.dump({"orgs": len(ids), "seconds": round(elapsed, 2),
                       "creates_per_s": round(len(ids) / elapsed),
                       "concurrency": args.concurrency}, f)


if __name__ == "__main__":
    main()
