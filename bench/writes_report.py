"""The table of bench/writes.sh, from its work directory."""

import json
import os
import re
import sys

work = sys.argv[1]
meta = json.load(open(os.path.join(work, "meta.json")))


def wrk(name):
    text = open(os.path.join(work, f"wrk-{name}.txt")).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", text)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, pct(50), pct(99), int(non2xx.group(1)) if non2xx else 0


def locks(name):
    samples = json.load(open(os.path.join(work, f"locks-{name}.json")))
    waiting = [s for s in samples if any(r.startswith("Lock:") for r in s)]
    kinds = {}
    for s in samples:
        for r in s:
            if r.startswith("Lock:"):
                kinds[r] = kinds.get(r, 0) + 1
    return len(samples), len(waiting), kinds


print(f"# Writes under load — {meta['date']}\n")
print(f"Roster {meta['roster_version']} ({meta['commit']}), {meta['postgres']}, {meta['cpus']} CPUs, "
      f"{meta['connections']} connections, {meta['duration']} a run, pool {meta['pool']}, "
      f"webhooks {'on (an endpoint for every event)' if meta.get('webhooks') == '1' else 'off'}.\n")
print("| run | req/s | p50 ms | p99 ms | non-2xx | samples with a lock wait | lock waits seen |")
print("|---|---:|---:|---:|---:|---:|---|")
for name, label in [("creates", "create organization"), ("adds", "add member")]:
    rps, p50, p99, bad = wrk(name)
    total, waiting, kinds = locks(name)
    seen = ", ".join(f"{k} ×{v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])) or "none"
    print(f"| {label} | {rps:,.0f} | {p50:.1f} | {p99:.1f} | {bad} | {waiting} of {total} | {seen} |")

lags_path = os.path.join(work, "lags.txt")
if os.path.exists(lags_path):
    rows = [tuple(map(float, l.split())) for l in open(lags_path) if l.strip()]

    def lag_line(label, picked):
        lags = sorted(lag for _, lag in picked)
        if not lags:
            return
        def q(p):
            return lags[min(len(lags) - 1, int(p * len(lags)))] * 1000
        print(f"- {label} ({len(lags):,} messages): p50 {q(0.5):.0f} ms, p99 {q(0.99):.0f} ms, "
              f"max {lags[-1] * 1000:.0f} ms")

    print("\nWebhook lag, event recorded → message received:\n")
    window = [os.path.join(work, f) for f in ("steady-start", "steady-end")]
    if all(os.path.exists(f) for f in window):
        start, end = (float(open(f).read()) for f in window)
        steady = json.load(open(os.path.join(work, "steady.json")))
        rate = steady["created"] / max(end - start, 1e-9)
        lag_line(f"steady creates, {rate:.0f} a second ({steady['failed']} failed)",
                 [r for r in rows if start <= r[0] <= end])
        rows = [r for r in rows if r[0] > end]
    lag_line("flat out (the two wrk runs)", rows)
    states = open(os.path.join(work, "deliveries.txt")).read().split()
    print(f"\nDeliveries at the end: {', '.join(states) or 'none'}.")
