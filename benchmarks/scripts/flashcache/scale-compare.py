#!/usr/bin/env python3
"""Compares one simulator experiment's CSVs from two scales, point by point (see scale-check.sh).

Rows are matched by their key columns (every column that is not a measurement). Latency columns (*_us) are
compared as relative differences, ratio and share columns (*_ratio, *_share) as absolute differences in
percentage points. Prints Markdown: per experiment and column, the median and the largest difference and the
row where the largest occurs; then both runs' summary lines.
"""
import csv
import statistics
import sys
from pathlib import Path


def measure_kind(column):
    if column.endswith("_us"):
        return "relative"
    if column.endswith("_ratio") or column.endswith("_share"):
        return "points"
    return None


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def main():
    a_dir, b_dir, experiments = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    print(f"| experiment | column | points | median difference | largest difference | at |")
    print("|---|---|---|---|---|---|")
    summaries = []
    for e in experiments:
        header, a_rows = load(a_dir / f"{e}.csv")
        header_b, b_rows = load(b_dir / f"{e}.csv")
        if header != header_b:
            sys.exit(f"{e}: the two CSVs have different columns: {header} vs {header_b}")
        keys = [i for i, c in enumerate(header) if measure_kind(c) is None]
        b_by_key = {tuple(r[i] for i in keys): r for r in b_rows}
        for col, name in enumerate(header):
            kind = measure_kind(name)
            if kind is None:
                continue
            diffs = []
            for r in a_rows:
                key = tuple(r[i] for i in keys)
                other = b_by_key.get(key)
                if other is None:
                    continue
                x, y = float(r[col]), float(other[col])
                if kind == "relative":
                    # 1.0 us writes (a RAM copy) are not latencies worth a ratio; skip rows at that floor.
                    if x <= 1.0 and y <= 1.0:
                        continue
                    d = (y - x) / x * 100 if x else 0.0
                else:
                    d = (y - x) * 100
                diffs.append((abs(d), d, "/".join(key)))
            if not diffs:
                continue
            unit = "%" if kind == "relative" else " points"
            largest = max(diffs)
            median = statistics.median(abs_d for abs_d, _, _ in diffs)
            print(f"| {e} | {name} | {len(diffs)} | {median:.1f}{unit} | {largest[1]:+.1f}{unit} | {largest[2]} |")
        for d in (a_dir, b_dir):
            txt = d / f"{e}.txt"
            if txt.exists():
                summaries.append((e, d.name, txt.read_text().strip().splitlines()))
    print()
    for e, scale, lines in summaries:
        print(f"{e} at 1/{scale}:")
        for line in lines:
            print(f"  {line}")


if __name__ == "__main__":
    main()
