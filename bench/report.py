#!/usr/bin/env python3
"""Turns the raw outputs of one bench/run.sh run (a directory) into a Markdown report.
Python 3.11 standard library only.
"""

import json
import re
import sys
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match[1]) * UNITS_MS[match[2]] if match else None


def parse_wrk(path):
    out = path.read_text() if path.exists() else ""
    result = {"rps": None, "p50_ms": None, "p99_ms": None, "requests": None,
              "non_2xx": 0, "socket_errors": 0}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result["rps"] = float(m[1])
    if m := re.search(r"^\s+50%\s+(\S+)", out, re.M):
        result["p50_ms"] = ms(m[1])
    if m := re.search(r"^\s+99%\s+(\S+)", out, re.M):
        result["p99_ms"] = ms(m[1])
    if m := re.search(r"(\d+) requests in", out):
        result["requests"] = int(m[1])
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result["non_2xx"] = int(m[1])
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["socket_errors"] = sum(int(x) for x in m.groups())
    return result


def parse_pgbench(path):
    out = path.read_text() if path.exists() else ""
    result = {"tps": None, "latency_ms": None}
    if m := re.search(r"tps = ([\d.]+) \(without initial connection time\)", out):
        result["tps"] = float(m[1])
    if m := re.search(r"latency average = ([\d.]+) ms", out):
        result["latency_ms"] = float(m[1])
    return result


def load_json(path):
    return json.loads(path.read_text()) if path.exists() else {}


def mem(path):
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, _, rest = line.partition(":")
            values[key] = int(rest.split()[0])
    return values


def server_errors(path):
    """5xx answers counted by Roster's own metrics (management listener), or None."""
    if not path.exists():
        return None
    total = 0
    for line in path.read_text().splitlines():
        if m := re.match(r'roster_http_requests_total\{.*status="5\d\d"\} (\d+)', line):
            total += int(m[1])
    return total


def metric(path, name):
    """One unlabelled sample of Roster's metrics (management listener), or None."""
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def fmt(value, spec="{:,.0f}", missing="–"):
    return missing if value is None else spec.format(value)


def mib(kb):
    return None if not kb else kb / 1024


def main():
    work = Path(sys.argv[1])
    meta = load_json(work / "meta.json")
    seed = load_json(work / "seed.json")
    get, lst = parse_wrk(work / "wrk-get.txt"), parse_wrk(work / "wrk-list.txt")
    get_s, lst_s = load_json(work / "sample-get.json"), load_json(work / "sample-list.json")
    simple, prepared = parse_pgbench(work / "pgbench-simple.txt"), parse_pgbench(work / "pgbench-prepared.txt")
    pg_simple_s = load_json(work / "sample-pgbench-simple.json")
    pg_prepared_s = load_json(work / "sample-pgbench-prepared.json")
    idle, after = mem(work / "mem-idle.txt"), mem(work / "mem-after.txt")
    rss_peak = max([s.get("rss_peak_kb", 0) for s in (get_s, lst_s)] + [0]) or None

    def ratio(tps):
        return None if not (get["rps"] and tps) else get["rps"] / tps

    def cpu(sample):
        c = sample.get("cpu_cores")
        if not c:
            return "–"
        return (f"roster {c['roster']:.2f}, postgres {c['postgres']:.2f}, "
                f"client {c['client']:.2f}, other {c['other']:.2f}")

    lines = [
        f"# Roster benchmark, {meta.get('date', '?')}",
        "",
        f"Machine: {meta.get('cpus', '?')} CPUs, {meta.get('kernel', '?')}; {meta.get('postgres', '?')}; "
        f"roster {meta.get('roster_version', '?')} (release build, commit {meta.get('commit', '?')}).",
        f"Roster: PostgreSQL on 127.0.0.1 (connection parameters for Roster and pgbench alike: "
        f"`{meta.get('pg_params', '?')}`), `--db-pool-size {meta.get('pool')}`, "
        f"HTTP workers: {meta.get('workers', 'one per CPU')}, `ROSTER_LOG=warn`. "
        f"Seeded {seed.get('orgs', '?')} organizations through the API in {seed.get('seconds', '?')} s "
        f"({seed.get('creates_per_s', '?')} creates/s, {seed.get('concurrency', '?')} concurrent clients).",
        f"Load: wrk, {meta.get('connections')} connections, {meta.get('threads')} threads, "
        f"{meta.get('duration')} per endpoint, after a {meta.get('warmup')} warm-up; pgbench scale 10, "
        f"`-S -c {meta.get('connections')} -j {meta.get('threads')} -T {meta.get('duration_s')}`. "
        "Everything (server, database, load generator) shares the same cores.",
        "",
        "| what | req/s or TPS | p50 | p99 | CPU used (cores) |",
        "|---|---:|---:|---:|---|",
        f"| Roster `GET /v1/organizations/{{id}}` (random of {seed.get('orgs', '?')}) | {fmt(get['rps'])} | "
        f"{fmt(get['p50_ms'], '{:.2f} ms')} | {fmt(get['p99_ms'], '{:.2f} ms')} | {cpu(get_s)} |",
        f"| Roster `GET /v1/organizations?limit=20` | {fmt(lst['rps'])} | "
        f"{fmt(lst['p50_ms'], '{:.2f} ms')} | {fmt(lst['p99_ms'], '{:.2f} ms')} | {cpu(lst_s)} |",
        f"| pgbench -S (simple protocol) | {fmt(simple['tps'])} | avg {fmt(simple['latency_ms'], '{:.2f} ms')} | | {cpu(pg_simple_s)} |",
        f"| pgbench -S -M prepared | {fmt(prepared['tps'])} | avg {fmt(prepared['latency_ms'], '{:.2f} ms')} | | {cpu(pg_prepared_s)} |",
        "",
        "| ratio / memory | value |",
        "|---|---:|",
        f"| Roster GET req/s ÷ pgbench -S TPS | {fmt(ratio(simple['tps']), '{:.2f}')} |",
        f"| Roster GET req/s ÷ pgbench -S -M prepared TPS | {fmt(ratio(prepared['tps']), '{:.2f}')} |",
        f"| Roster RSS idle, after seeding | {fmt(mib(idle.get('VmRSS')), '{:.1f} MiB')} |",
        f"| Roster RSS peak under load (sampled every 250 ms) | {fmt(mib(rss_peak), '{:.1f} MiB')} |",
        f"| Roster VmHWM (high-water mark) at the end | {fmt(mib(after.get('VmHWM')), '{:.1f} MiB')} |",
        f"| Roster RSS after load | {fmt(mib(after.get('VmRSS')), '{:.1f} MiB')} |",
        f"| 5xx answers counted by Roster (`/metrics`) | {fmt(server_errors(work / 'metrics.txt'))} |",
        "",
    ]
    warnings = []
    for name, run in (("GET /v1/organizations/{id}", get), ("GET /v1/organizations?limit=20", lst)):
        if run["rps"] is None:
            warnings.append(f"{name}: wrk produced no result.")
        elif run["non_2xx"]:
            share = run["non_2xx"] / max(1, run["requests"] or 1)
            warnings.append(f"{name}: {run['non_2xx']:,} of {run['requests']:,} responses "
                            f"({share:.0%}) were not 2xx/3xx: its req/s does not measure the endpoint.")
        if run["socket_errors"]:
            warnings.append(f"{name}: {run['socket_errors']} socket errors.")
    for title, sample in (("GET /v1/organizations/{id}", get_s), ("GET /v1/organizations?limit=20", lst_s),
                          ("pgbench -S", pg_simple_s), ("pgbench -S -M prepared", pg_prepared_s)):
        other = sample.get("cpu_cores", {}).get("other", 0)
        if other >= 0.2:
            warnings.append(f"{title}: other processes used {other:.2f} cores during the run; "
                            "the machine was not quiet, so this figure is low.")
    for check in meta.get("preflight", []):
        if check.get("status") != 200:
            warnings.append(f"pre-flight {check['what']} answered {check.get('status')}: {check.get('body', '')[:200]}")
    if warnings:
        lines += ["**Warnings**", ""] + [f"- {w}" for w in warnings] + [""]

    lines += ["CPU columns: processor time each group used during the run divided by its length "
              "(1.00 = one core busy), from /proc/<pid>/stat; `client` is wrk or pgbench, `other` "
              "everything else on the machine.", ""]
    for title, sample in (("GET /v1/organizations/{id}", get_s), ("GET /v1/organizations?limit=20", lst_s),
                          ("pgbench -S -M prepared", pg_prepared_s)):
        if sample.get("top"):
            lines += [f"<details><summary>top during {title}</summary>", "", "```",
                      *sample["top"], "```", "", "</details>", ""]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
