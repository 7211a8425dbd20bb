#!/usr/bin/env python3
"""Samples, for a fixed window, the Roster process's memory (VmRSS, VmHWM from
/proc/<pid>/status) and the CPU used by Roster, by PostgreSQL's processes and by the load
generator (wrk or pgbench), from /proc/<pid>/stat. Halfway through it keeps one `top` frame.
The window should lie inside the load run (see --delay). Writes JSON. Python 3.11 standard library only; Linux only.
"""

import argparse
import json
import os
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
CLIENTS = ("wrk", "pgbench")


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def process_ticks():
    """{pid: (comm, utime + stime)} for every process we can read."""
    ticks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2:].split()
        ticks[int(entry)] = (comm, int(fields[11]) + int(fields[12]))
    return ticks


def machine_ticks():
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]  # idle + iowait
    return sum(cpu) - idle, sum(cpu)


def group_of(pid, comm, roster_pid):
    if pid == roster_pid:
        return "roster"
    if comm == "postgres" or comm.startswith("postgres"):
        return "postgres"
    if comm in CLIENTS:
        return "client"
    return "other"


def cpu_by_group(before, after, roster_pid, seconds):
    used = {"roster": 0, "postgres": 0, "client": 0, "other": 0}
    for pid, (comm, ticks) in after.items():
        start = before.get(pid, (comm, 0))[1]  # a process born in the window counts from 0
        used[group_of(pid, comm, roster_pid)] += max(0, ticks - start)
    return {k: round(v / CLK_TCK / seconds, 2) for k, v in used.items()}


def top_frame():
    """The second frame of `top` (the first one's %CPU is not over a real interval)."""
    try:
        out = subprocess.run(["top", "-b", "-n", "2", "-d", "1", "-w", "160"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    frames = out.split("top - ")
    return ("top - " + frames[-1]).splitlines()[:18] if len(frames) > 1 else []


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pid", type=int, default=0, help="the roster process (0: none)")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--delay", type=float, default=0.0,
                        help="wait this long first, so the window lies inside the load run: "
                             "processes that end before the window closes (the load generator, "
                             "its database backends) would not be counted")
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    time.sleep(args.delay)
    rss_peak = 0
    top = []
    started = time.monotonic()
    procs_before, (busy0, total0) = process_ticks(), machine_ticks()
    while (elapsed := time.monotonic() - started) < args.seconds:
        if args.pid:
            try:
                rss_peak = max(rss_peak, status_kb(args.pid, "VmRSS"))
            except OSError:
                break  # the server is gone
        if not top and elapsed >= args.seconds / 2:
            top = top_frame()
        time.sleep(args.interval)
    seconds = time.monotonic() - started
    procs_after, (busy1, total1) = process_ticks(), machine_ticks()

    result = {
        "seconds": round(seconds, 2),
        "rss_peak_kb": rss_peak,
        "hwm_kb": status_kb(args.pid, "VmHWM") if args.pid else 0,
        "cpu_cores": cpu_by_group(procs_before, procs_after, args.pid, seconds),
        "machine_busy_pct": round(100 * (busy1 - busy0) / max(1, total1 - total0), 1),
        "cores": os.cpu_count(),
        "top": top,
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
