#!/usr/bin/env python3
"""Floods a running Roster with password work and reports its resident memory.

Each round sends, all at once (one thread per request), `--concurrency` sign-ups, then as many
sign-ins with the right password and as many with a wrong one; every one of them costs an
argon2id hash or verification (~19 MiB of working memory each). Roster's memory is read from
/proc/<pid>/status: VmRSS before the flood, the highest VmRSS sampled every 20 ms during it
(and VmHWM, the kernel's own high-water mark), and VmRSS a few seconds after it.

Prints one JSON object. Python 3.11 standard library only; Linux only.
"""

import argparse
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from sample import status_kb  # bench/sample.py, beside this script


def call(base, path, body, timeout=120):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:
            return res.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return 0


class Sampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, status_kb(self.pid, "VmRSS"))
            time.sleep(0.02)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds to wait before 'after'")
    args = parser.parse_args()

    mib = lambda kb: round(kb / 1024, 1)
    before = status_kb(args.pid, "VmRSS")
    sampler = Sampler(args.pid)
    sampler.start()
    statuses = {}

    def count(results):
        for status in results:
            statuses[status] = statuses.get(status, 0) + 1

    started = time.time()
    password = "flood password 1"
    with ThreadPoolExecutor(max_workers=args.concurrency * 3) as pool:
        for _ in range(args.rounds):
            emails = [f"flood-{uuid.uuid4().hex}@example.test" for _ in range(args.concurrency)]
            sign_ups = [pool.submit(call, args.base, "/v1/users", {"email": e, "password": password})
                        for e in emails]
            count([job.result() for job in sign_ups])
            sign_ins = [pool.submit(call, args.base, "/v1/auth/token",
                                    {"grant_type": "password", "username": e, "password": p})
                        for e in emails for p in (password, "wrong password")]
            count([job.result() for job in sign_ins])
    seconds = time.time() - started
    sampler.running = False
    sampler.join()
    time.sleep(args.settle)
    print(json.dumps({
        "requests": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": round(seconds, 1),
        "rss_before_mib": mib(before),
        "rss_peak_mib": mib(max(sampler.peak, status_kb(args.pid, "VmRSS"))),
        "vmhwm_mib": mib(status_kb(args.pid, "VmHWM")),
        "rss_after_mib": mib(status_kb(args.pid, "VmRSS")),
    }))


if __name__ == "__main__":
    main()
