"""Creates organizations at a steady rate, for bench/writes.sh's webhook-lag phase: wrk runs
flat out, this one sends a fixed number a second (each on its own thread, so that one slow answer
does not hold the others back). Prints how many were created and how many failed.

Usage: steady_creates.py <base-url> <rate per second> <seconds>   (ROSTER_TOKEN in the environment)
"""

import json
import os
import sys
import threading
import time
import urllib.request

base, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
token = os.environ["ROSTER_TOKEN"]
results = {"created": 0, "failed": 0}
lock = threading.Lock()
run = f"s{int(time.time())}"


def create(n):
    request = urllib.request.Request(
        f"{base}/v1/organizations",
        data=json.dumps({"name": f"{run}-{n}"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            ok = answer.status == 201
    except Exception:
        ok = False
    with lock:
        results["created" if ok else "failed"] += 1


start = time.time()
threads = []
for n in range(int(rate * seconds)):
    delay = start + n / rate - time.time()
    if delay > 0:
        time.sleep(delay)
    thread = threading.Thread(target=create, args=(n,))
    thread.start()
    threads.append(thread)
for thread in threads:
    thread.join()
print(json.dumps(results))
