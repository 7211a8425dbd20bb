"""Accounts under measurement (see bench/README.md, "Mail and password reset").

1. Password reset answers alike: alternating requests for addresses with and without an
   account, each from its own client address (X-Forwarded-For, the server trusting loopback as
   a proxy, so the per-client throttle does not end the run), timed at the client.
2. Mail leaves promptly: from each request to its message's arrival at a local SMTP server
   (tests/support/smtp_sink.py, whose files are named by arrival time in nanoseconds).

Prints one JSON object.
"""

import argparse
import json
import os
import statistics
import time
import urllib.error
import urllib.request
import uuid


def post(base, path, body, client):
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": client},
        method="POST",
    )
    started = time.perf_counter_ns()
    try:
        with urllib.request.urlopen(request) as response:
            status = response.status
            response.read()
    except urllib.error.HTTPError as error:
        status = error.code
        error.read()
    return status, (time.perf_counter_ns() - started) / 1e6


def percentiles(values):
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return {
        "n": len(ordered),
        "p50_ms": round(pick(0.50), 2),
        "p90_ms": round(pick(0.90), 2),
        "p99_ms": round(pick(0.99), 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def arrivals(folder):
    """address -> [(arrival ns, subject)] of every message so far."""
    seen = {}
    for name in os.listdir(folder):
        if not name.endswith(".json") or name.startswith("."):
            continue
        with open(os.path.join(folder, name)) as f:
            message = json.load(f)
        for to in message["to"]:
            seen.setdefault(to.lower(), []).append((int(name.split("-")[0]), message["subject"]))
    return seen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--mail-dir", required=True)
    parser.add_argument("--accounts", type=int, default=200)
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]

    known = []
    for i in range(args.accounts):
        email = f"bench-{run}-{i}@example.test"
        status, _ = post(args.base, "/v1/users", {"email": email, "password": "bench password 1"}, f"10.1.{i // 250}.{i % 250}")
        assert status == 201, status
        known.append(email)
    unknown = [f"nobody-{run}-{i}@example.test" for i in range(args.accounts)]

    # Let the sign-up verification mail drain, so it does not share the measurement.
    time.sleep(3)
    timings = {"known": [], "unknown": []}
    requested_at = {}
    for i in range(args.accounts):
        for kind, email in (("known", known[i]), ("unknown", unknown[i])):
            client = f"10.2.{(2 * i + (kind == 'unknown')) // 250}.{(2 * i + (kind == 'unknown')) % 250}"
            wall = time.time_ns()
            status, ms = post(args.base, "/v1/auth/password-reset", {"email": email}, client)
            assert status == 202, status
            timings[kind].append(ms)
            requested_at[email] = wall

    deadline = time.time() + 120
    delays = []
    while time.time() < deadline:
        seen = arrivals(args.mail_dir)
        delays = [
            (at - requested_at[email]) / 1e6
            for email in known
            for at, subject in seen.get(email, [])
            if subject == "Reset your password"
        ]
        if len(delays) >= len(known):
            break
        time.sleep(0.2)
    seen = arrivals(args.mail_dir)
    stray = sum(1 for email in unknown if email in seen)
    first = min(requested_at[e] for e in known)
    last_arrival = max(at for e in known for at, s in seen.get(e, []) if s == "Reset your password")
    print(json.dumps({
        "reset_response_known": percentiles(timings["known"]),
        "reset_response_unknown": percentiles(timings["unknown"]),
        "median_difference_ms": round(statistics.median(timings["known"]) - statistics.median(timings["unknown"]), 2),
        "reset_mail_delay": percentiles(delays),
        "reset_mails_received": len(delays),
        "mails_to_unknown_addresses": stray,
        "drain_seconds": round((last_arrival - first) / 1e9, 2),
    }, indent=2))


if __name__ == "__main__":
    main()
