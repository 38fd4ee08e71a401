#!/usr/bin/env python3
"""Inclusive shares of a JFR recording's execution samples (and allocation samples), per method.

    jfr print --json --stack-depth 64 --events jdk.ExecutionSample,jdk.ObjectAllocationSample REC.jfr \
        | weir-bench/jfr-inclusive.py [PREFIX ...]

For each method, the share of the samples whose stack contains it (a method counted once per
sample however often it recurs): what `jfr view hot-methods` (top frames only) does not show.
PREFIX arguments keep only methods whose class starts with one of them (default: io.weir.).
Allocation samples are weighted by their sampled weight (bytes).
"""
import json
import sys
from collections import Counter


def frames(event):
    stack = event["values"].get("stackTrace") or {}
    for frame in stack.get("frames", []):
        method = frame["method"]
        yield method["type"]["name"].replace("/", ".") + "." + method["name"]


def main():
    prefixes = tuple(sys.argv[1:]) or ("io.weir.",)
    events = json.load(sys.stdin)["recording"]["events"]
    cpu, cpu_total = Counter(), 0
    alloc, alloc_total = Counter(), 0
    alloc_class = Counter()
    for event in events:
        kind = event["type"]
        if kind == "jdk.ExecutionSample":
            cpu_total += 1
            for name in set(frames(event)):
                cpu[name] += 1
        elif kind == "jdk.ObjectAllocationSample":
            weight = event["values"].get("weight", 0)
            alloc_total += weight
            alloc_class[event["values"]["objectClass"]["name"].replace("/", ".")] += weight
            for name in set(frames(event)):
                alloc[name] += weight
    print(f"execution samples: {cpu_total}")
    for name, n in cpu.most_common():
        if name.startswith(prefixes):
            print(f"  {100 * n / cpu_total:5.1f}%  {name}")
    print(f"allocation samples, total weight {alloc_total / 1e6:.1f} MB; by class:")
    for name, w in alloc_class.most_common(15):
        print(f"  {100 * w / alloc_total:5.1f}%  {name}")
    print("allocation, inclusive by method:")
    for name, w in alloc.most_common():
        if name.startswith(prefixes):
            print(f"  {100 * w / alloc_total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
