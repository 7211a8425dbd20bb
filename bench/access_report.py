#!/usr/bin/env python3
"""Turns the raw outputs of one bench/access.sh run (a directory) into a Markdown report with
the access model's targets. Python 3.11 standard library only.
"""

import sys
from pathlib import Path

from report import fmt, load_json, mem, metric, mib, parse_pgbench, parse_wrk, server_errors

RUNS = [
    ("authorize", "`POST /v1/organizations/big/authorize` (another member, 3 permissions)"),
    ("authorize-spread", "the same, about a random one of 100,000 members"),
    ("members-first", "`GET …/big/members?limit=100`, first page of 100,000"),
    ("members-last", "`GET …/big/members?limit=100&after=…`, last page"),
    ("my-organizations", "`GET /v1/users/me/organizations`, a user in 1,000"),
]


def check(ok):
    return "–" if ok is None else ("met" if ok else "**missed**")


def main():
    work = Path(sys.argv[1])
    meta, seed = load_json(work / "meta.json"), load_json(work / "seed.json")
    runs = {name: parse_wrk(work / f"wrk-{name}.txt") for name, _ in RUNS}
    samples = {name: load_json(work / f"sample-{name}.json") for name, _ in RUNS}
    simple, prepared = parse_pgbench(work / "pgbench-simple.txt"), parse_pgbench(work / "pgbench-prepared.txt")
    idle, after = mem(work / "mem-idle.txt"), mem(work / "mem-after.txt")
    seeding = mem(work / "mem-seeding.txt")
    peak = max([s.get("rss_peak_kb", 0) for s in samples.values()] + [after.get("VmHWM", 0)]) or None

    authorize, first, last = runs["authorize"]["rps"], runs["members-first"]["rps"], runs["members-last"]["rps"]
    ratio = authorize / simple["tps"] if authorize and simple["tps"] else None
    last_vs_first = last / first if last and first else None
    worst_p99 = max((r["p99_ms"] for r in runs.values() if r["p99_ms"] is not None), default=None)
    authorize_p99 = runs["authorize"]["p99_ms"]
    cache = {name: metric(work / "metrics.txt", f"roster_read_cache_{name}")
             for name in ("hits_total", "misses_total", "evictions_total", "entries", "size_bytes", "capacity_bytes")}

    def cpu(sample):
        c = sample.get("cpu_cores")
        return "–" if not c else f"roster {c['roster']:.2f}, postgres {c['postgres']:.2f}, client {c['client']:.2f}"

    lines = [
        f"# Roster access-model benchmark, {meta.get('date', '?')}",
        "",
        f"Machine: {meta.get('cpus', '?')} CPUs, {meta.get('kernel', '?')}; {meta.get('postgres', '?')}; "
        f"roster {meta.get('roster_version', '?')} (release build, commit {meta.get('commit', '?')}), "
        f"`--db-pool-size {meta.get('pool')}`, HTTP workers: {meta.get('workers')}, `ROSTER_LOG=warn`.",
        f"Seeded {seed.get('organizations', 0):,} organizations and {seed.get('memberships', 0):,} memberships "
        f"in {seed.get('seconds', '?')} s (PostgreSQL inserting, around accounts made through the API).",
        f"Load: wrk, {meta.get('connections')} connections, {meta.get('threads')} threads, {meta.get('duration')} "
        f"each after a {meta.get('warmup')} warm-up; pgbench scale 10, `-S -c {meta.get('connections')}`. "
        "Server, database and load generator share the machine.",
        "",
        "| what | req/s or TPS | p50 | p99 | CPU used (cores) |",
        "|---|---:|---:|---:|---|",
    ]
    for name, title in RUNS:
        r = runs[name]
        lines.append(f"| {title} | {fmt(r['rps'])} | {fmt(r['p50_ms'], '{:.2f} ms')} | "
                     f"{fmt(r['p99_ms'], '{:.2f} ms')} | {cpu(samples[name])} |")
    lines += [
        f"| pgbench -S (simple protocol) | {fmt(simple['tps'])} | avg {fmt(simple['latency_ms'], '{:.2f} ms')} | | |",
        f"| pgbench -S -M prepared | {fmt(prepared['tps'])} | avg {fmt(prepared['latency_ms'], '{:.2f} ms')} | | |",
        "",
        "| target | measured | |",
        "|---|---:|---|",
        f"| authorize ≥ 1.0 × pgbench -S TPS (stretch: 2×) | {fmt(ratio, '{:.2f} ×')} | {check(None if ratio is None else ratio >= 1.0)} |",
        f"| authorize p99 ≤ 10 ms | {fmt(authorize_p99, '{:.2f} ms')} | {check(None if authorize_p99 is None else authorize_p99 <= 10)} |",
        f"| last page within 20 % of the first (its req/s ≥ 0.8 × the first's) | {fmt(last_vs_first, '{:.2f} ×')} | "
        f"{check(None if last_vs_first is None else last_vs_first >= 0.8)} |",
        f"| p99 ≤ 20 ms at {meta.get('connections')} connections (worst of the four) | {fmt(worst_p99, '{:.2f} ms')} | "
        f"{check(None if worst_p99 is None else worst_p99 <= 20)} |",
        f"| peak RSS under the loads ≤ 100 MiB | {fmt(mib(peak), '{:.1f} MiB')} | {check(None if peak is None else peak <= 100 * 1024)} |",
        "",
        f"RSS at the end of seeding {fmt(mib(seeding.get('VmRSS')), '{:.1f} MiB')} (its high-water mark "
        f"{fmt(mib(seeding.get('VmHWM')), '{:.1f} MiB')}, with the sign-ins' argon2 blocks); idle 11 s later, "
        f"when the loads start, {fmt(mib(idle.get('VmRSS')), '{:.1f} MiB')}; after load "
        f"{fmt(mib(after.get('VmRSS')), '{:.1f} MiB')}; 5xx answers counted by Roster: "
        f"{fmt(server_errors(work / 'metrics.txt'))}.",
        "",
        f"Read cache at the end: {fmt(cache['hits_total'])} hits, {fmt(cache['misses_total'])} misses, "
        f"{fmt(cache['evictions_total'])} evictions; {fmt(cache['entries'])} entries in "
        f"{fmt(mib((cache['size_bytes'] or 0) / 1024), '{:.1f} MiB')} of "
        f"{fmt(mib((cache['capacity_bytes'] or 0) / 1024), '{:.1f} MiB')}.",
        "",
    ]
    warnings = []
    for name, title in RUNS:
        r = runs[name]
        if r["rps"] is None:
            warnings.append(f"{title}: wrk produced no result.")
        elif r["non_2xx"]:
            warnings.append(f"{title}: {r['non_2xx']:,} responses were not 2xx: its figure measures errors.")
    for check_ in meta.get("preflight", []):
        if check_.get("status") != 200:
            warnings.append(f"pre-flight {check_['what']} answered {check_.get('status')}: {check_.get('body', '')[:200]}")
    if warnings:
        lines += ["**Warnings**", ""] + [f"- {w}" for w in warnings] + [""]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
