#!/usr/bin/env python3
"""Where a step's heap went: the classes whose live bytes grew most between two class histograms
(jcmd GC.class_histogram), per connection added.

    histogram-growth.py BEFORE AFTER CONNECTIONS [TOP (25; 0: every class that grew by 1 byte or more)]
"""
import sys


def read(path):
    sizes = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[0].endswith(":") and parts[1].isdigit():
                sizes[parts[3]] = (int(parts[1]), int(parts[2]))
    return sizes


a, b, n = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
top = int(sys.argv[4]) if len(sys.argv) > 4 else 25
rows = []
for cls, (count, size) in b.items():
    c0, s0 = a.get(cls, (0, 0))
    rows.append(((size - s0) / n, (count - c0) / n, cls))
rows.sort(reverse=True)
print(f"{'bytes/conn':>10} {'objects/conn':>12}  class (growth per connection of the second step)")
for per_bytes, per_count, cls in (rows[:top] if top > 0 else [r for r in rows if abs(r[0]) >= 1]):
    print(f"{per_bytes:10.1f} {per_count:12.2f}  {cls}")
print(f"{sum(r[0] for r in rows):10.1f} {'':12}  total")
