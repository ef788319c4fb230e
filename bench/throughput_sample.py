#!/usr/bin/env python3
"""Samples resources during one measured window of bench/throughput.sh (stdlib only, Linux /proc).

Started before the load: it takes a first sample, creates --ready-file, then samples every second
until --stop-file exists (at most --max-seconds). wrk's pid is read from --wrk-pid-file once it
appears (the pid of wrk or of the `timeout` that runs it: its children count too). Each sample takes:
  - the replica's resident memory (VmRSS of --replica);
  - the CPU time (utime + stime) of each group of processes: the replica JVM, every postgres
    process, RabbitMQ (beam.smp), the nginx sink (--nginx master and its workers), wrk (--wrk);
  - the whole machine's busy time (/proc/stat), so that what other processes used is visible.
Writes one JSON object to --out: max and mean RSS (MB), and each group's CPU as a share of all
cores over the window (100 % = every core busy for the whole window).

A process seen for the first time after the first sample counts from zero if it started during
the window, else from that sample. The CPU of a process that ended between two samples is
counted up to the last sample that saw it.
"""
import argparse
import json
import os
import time

TICK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def read_stat(pid):
    """(comm, ppid, cpu ticks, start ticks) of a process, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    comm = data[data.index("(") + 1:data.rindex(")")]
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is state (field 3); utime is field 14, stime 15, starttime 22
    return comm, int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19])


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def machine_ticks():
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    values = [int(v) for v in parts]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already inside user
    return total - idle, total


def uptime_ticks():
    with open("/proc/uptime") as f:
        return float(f.read().split()[0]) * TICK


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--replica", type=int, required=True)
    ap.add_argument("--nginx", type=int, default=0, help="nginx master pid")
    ap.add_argument("--wrk-pid-file", default="")
    ap.add_argument("--ready-file", default="")
    ap.add_argument("--stop-file", default="")
    ap.add_argument("--max-seconds", type=float, default=60)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    wrk = [0]

    def group_of(pid, comm, ppid):
        if pid == args.replica:
            return "replica"
        if wrk[0] and (pid == wrk[0] or ppid == wrk[0]):
            return "wrk"
        if args.nginx and (pid == args.nginx or ppid == args.nginx):
            return "nginx"
        if comm == "postgres":
            return "postgres"
        if comm == "beam.smp":
            return "rabbitmq"
        return None

    groups = ["replica", "postgres", "rabbitmq", "nginx", "wrk"]
    first = {}  # pid -> (group, ticks at first sight, or 0 if it started in the window)
    last = {}   # pid -> ticks at last sight
    rss = []
    start_wall = time.monotonic()
    start_uptime = uptime_ticks()
    busy0, total0 = machine_ticks()
    busy1, total1 = busy0, total0
    deadline = start_wall + args.max_seconds

    def sample(initial):
        if not wrk[0] and args.wrk_pid_file:
            try:
                with open(args.wrk_pid_file) as f:
                    wrk[0] = int(f.read().strip() or 0)
            except (OSError, ValueError):
                pass
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            st = read_stat(pid)
            if st is None:
                continue
            comm, ppid, ticks, started = st
            group = group_of(pid, comm, ppid)
            if group is None:
                continue
            if pid not in first:
                base = ticks if initial or started < start_uptime else 0
                first[pid] = (group, base)
            last[pid] = ticks
        value = rss_mb(args.replica)
        if value is not None:
            rss.append(value)

    sample(True)
    if args.ready_file:
        open(args.ready_file, "w").close()
    while time.monotonic() < deadline:
        for _ in range(10):
            if args.stop_file and os.path.exists(args.stop_file):
                break
            time.sleep(0.1)
        sample(False)
        busy1, total1 = machine_ticks()
        if args.stop_file and os.path.exists(args.stop_file):
            break
    wall = time.monotonic() - start_wall

    cpu = {g: 0.0 for g in groups}
    for pid, (group, base) in first.items():
        cpu[group] += max(0, last.get(pid, base) - base)
    capacity = wall * TICK * CORES
    share = {g: round(100.0 * cpu[g] / capacity, 1) for g in groups}
    machine = round(100.0 * (busy1 - busy0) / max(1, total1 - total0), 1)
    share["machine"] = machine
    share["other"] = round(max(0.0, machine - sum(share[g] for g in groups)), 1)
    result = {
        "seconds": round(wall, 1),
        "cores": CORES,
        "samples": len(rss),
        "rss_max_mb": round(max(rss), 1) if rss else None,
        "rss_mean_mb": round(sum(rss) / len(rss), 1) if rss else None,
        "cpu_percent_of_all_cores": share,
        "cpu_seconds": {g: round(cpu[g] / TICK, 1) for g in groups},
    }
    with open(args.out, "w") as f:
        json.dump(result, f)
        f.write("\n")


if __name__ == "__main__":
    main()
