#!/usr/bin/env python3
"""Turns the raw outputs of one bench/projects.sh run (a directory) into a Markdown report: for
each database, req/s, p50 and p99 of each case and its ratio to the baseline (case 1), the
checks of the answers, and warnings. Python 3.11 standard library only.
"""

import sys
from pathlib import Path

from report import fmt, load_json, mib, parse_wrk, server_errors

RUNS = [
    ("authorize", "1", "`POST …/acme/authorize`, another member, 3 permissions, no project (baseline)"),
    ("authorize-project", "2", "the same + `\"project\": \"hot\", \"project_access\": \"writer\"` "
                                "(member of {teams} teams, project granted to {teams})"),
    ("list-member", "3a", "`GET …/acme/projects?limit=100` as that member ({dev_sees:,} of {projects:,} reachable)"),
    ("list-owner", "3b", "`GET …/acme/projects?limit=100` as the owner (all {projects:,})"),
    ("get-member", "4a", "`GET …/acme/projects/hot` as that member (writer through 200 grants)"),
    ("get-owner", "4b", "`GET …/acme/projects/hot` as the owner"),
]
NAMES = {"postgres": "PostgreSQL", "sqlite": "SQLite"}


def cpu(sample):
    c = sample.get("cpu_cores")
    return "–" if not c else (f"roster {c['roster']:.2f}, postgres {c['postgres']:.2f}, "
                              f"client {c['client']:.2f}, other {c['other']:.2f}")


def main():
    work = Path(sys.argv[1])
    meta = load_json(work / "meta.json")
    databases = meta.get("databases", "postgres sqlite").split()
    lines = [
        f"# Roster teams-and-projects benchmark, {meta.get('date', '?')}",
        "",
        f"Machine: {meta.get('cpus', '?')} CPUs, {meta.get('kernel', '?')}; {meta.get('postgres', '?')}; "
        f"roster {meta.get('roster_version', '?')} (release build, commit {meta.get('commit', '?')}), "
        f"`--db-pool-size {meta.get('pool')}`, HTTP workers: {meta.get('workers')}, `ROSTER_LOG=warn`.",
        f"Load: wrk, {meta.get('connections')} connections, {meta.get('threads')} threads, {meta.get('duration')} "
        f"each after a {meta.get('warmup')} warm-up. Server, database and load generator share the machine.",
        "",
    ]
    warnings = []
    for db in databases:
        seed = load_json(work / f"seed-{db}.json")
        counts = seed.get("counts", {})
        fill = {"teams": counts.get("teams", "?"), "projects": counts.get("projects", 0),
                "dev_sees": counts.get("dev_sees", 0)}
        runs = {name: parse_wrk(work / f"wrk-{db}-{name}.txt") for name, _, _ in RUNS}
        samples = {name: load_json(work / f"sample-{db}-{name}.json") for name, _, _ in RUNS}
        base = runs["authorize"]["rps"]
        peak = max([s.get("rss_peak_kb", 0) for s in samples.values()] + [0]) or None
        lines += [
            f"## {NAMES.get(db, db)}",
            "",
            f"Seeded in {seed.get('seconds', '?')} s (the database writing, around accounts made through the "
            f"API): organization `acme` with {counts.get('members', 0):,} members, {counts.get('teams', 0)} teams "
            f"({counts.get('team_members', 0):,} team memberships; the member asked about is in every team), "
            f"{counts.get('projects', 0):,} projects ({counts.get('organization_visible', 0):,} with visibility "
            f"`organization`), {counts.get('grants', 0):,} grants.",
            "",
            "| # | what | req/s | p50 | p99 | × (1) | CPU used (cores) |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for name, number, title in RUNS:
            r = runs[name]
            ratio = r["rps"] / base if r["rps"] and base else None
            lines.append(f"| {number} | {title.format(**fill)} | {fmt(r['rps'])} | {fmt(r['p50_ms'], '{:.2f} ms')} | "
                         f"{fmt(r['p99_ms'], '{:.2f} ms')} | {fmt(ratio, '{:.2f}')} | {cpu(samples[name])} |")
            if r["rps"] is None:
                warnings.append(f"{db} {number}: wrk produced no result.")
            elif r["non_2xx"]:
                warnings.append(f"{db} {number}: {r['non_2xx']:,} responses were not 2xx: its figure measures errors.")
            other = (samples[name].get("cpu_cores") or {}).get("other", 0)
            if other > 0.2:
                warnings.append(f"{db} {number}: {other:.2f} cores went to other processes during the run.")
        lines += [
            "",
            f"Peak RSS {fmt(mib(peak), '{:.1f} MiB')}; 5xx answers counted by Roster: "
            f"{fmt(server_errors(work / f'metrics-{db}.txt'))}. Checks of the answers (each request once, "
            "before the load):",
            "",
        ]
        lines += [f"- {'ok' if c['ok'] else '**failed**'}: {c['what']} ({c['detail']})"
                  for c in seed.get("checks", [])] or ["- none (the seed did not finish)"]
        lines.append("")
        warnings += [f"{db}: check failed: {c['what']} ({c['detail']})"
                     for c in seed.get("checks", []) if not c["ok"]]
    for check in meta.get("preflight", []):
        if check.get("status") != 200:
            warnings.append(f"pre-flight {check['what']} answered {check.get('status')}: {check.get('body', '')[:200]}")
    if warnings:
        lines += ["**Warnings**", ""] + [f"- {w}" for w in warnings] + [""]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
