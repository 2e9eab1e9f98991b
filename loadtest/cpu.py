#!/usr/bin/env python3
"""CPU accounting for loadtest/run.sh, from /proc: where a run's CPU went, per request.

  cpu.py snapshot <gateway pid> [postgres]   JSON: the gateway's (and every PostgreSQL process's) CPU, and /proc/stat
  cpu.py report <before> <after> <load generator's "user sys" seconds> <result.json>

On a two-core box the gateway, PostgreSQL and the load generator share the cores, so throughput alone does not say
which of them a change made cheaper; steal (time the hypervisor gave to other guests) moves results by itself.
"""
import json
import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def process_ticks(pid):
    """utime + stime of one process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            text = stat.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def snapshot(gateway, with_postgres):
    postgres = {}
    for pid in filter(str.isdigit, os.listdir("/proc") if with_postgres else []):
        try:
            with open(f"/proc/{pid}/comm") as comm:
                if comm.read().strip() != "postgres":
                    continue
        except OSError:
            continue
        ticks = process_ticks(pid)
        if ticks is not None:
            postgres[pid] = ticks
    with open("/proc/stat") as stat:
        cpu = [int(value) for value in stat.readline().split()[1:]]
    return {"gateway": process_ticks(gateway) or 0, "postgres": postgres, "cpu": cpu}


def report(before_path, after_path, loadgen_path, result_path):
    with open(before_path) as file:
        before = json.load(file)
    with open(after_path) as file:
        after = json.load(file)
    with open(result_path) as file:
        requests = json.load(file)["requests"]
    with open(loadgen_path) as file:
        loadgen_seconds = sum(float(value) for value in file.read().split()[-2:])
    if requests == 0:
        return
    gateway_seconds = (after["gateway"] - before["gateway"]) / TICKS
    # Backends that started during the run count from zero; ones that ended during it are not seen (rare: the
    # gateway's pool keeps busy connections open).
    postgres_seconds = sum(ticks - before["postgres"].get(pid, 0) for pid, ticks in after["postgres"].items()) / TICKS
    deltas = [a - b for a, b in zip(after["cpu"], before["cpu"])]
    total = sum(deltas) or 1
    idle = deltas[3] + deltas[4]  # idle + iowait
    steal = deltas[7] if len(deltas) > 7 else 0
    per_request = lambda seconds: f"{seconds * 1e6 / requests:.0f} µs"
    database = f", PostgreSQL {per_request(postgres_seconds)}" if after["postgres"] else ""
    print(
        f"cpu        per request: gateway {per_request(gateway_seconds)}{database}, load generator {per_request(loadgen_seconds)}; "
        f"box busy {100 * (total - idle - steal) / total:.0f} %, steal {100 * steal / total:.1f} %"
    )


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        json.dump(snapshot(sys.argv[2], sys.argv[3:] == ["postgres"]), sys.stdout)
    else:
        report(*sys.argv[2:6])
