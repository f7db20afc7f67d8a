#!/usr/bin/python3
"""Plots the scaling curve (time per series against series) from profile.sh's stage table.

    test/Instrumentation.Benchmarks/profile.sh > /tmp/profile.md
    /usr/bin/python3 test/Instrumentation.Benchmarks/plot-scaling.py /tmp/profile.md docs/performance-scaling.png

Needs matplotlib (Debian: apt-get install python3-matplotlib, hence /usr/bin/python3). Reads the first Markdown table whose header starts with "| series |".
"""
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source, target):
    header, rows = None, []
    for line in open(source, encoding="utf-8"):
        if line.startswith("| series |"):
            header = [c.strip() for c in line.strip().strip("|").split("|")]
            continue
        if header and line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != len(header):
                break
            rows.append(dict(zip(header, cells)))
        elif header and rows:
            break
    if not rows:
        sys.exit(f"no stage table in {source}")
    series = [int(r["series"].replace(",", "")) for r in rows]
    curves = [
        ("gather + text", "ours: gather + text"),
        ("gather (reused buffer)", "ours: gather (reused buffer)"),
        ("Gather() new result", "ours: Gather() (new result)"),
        ("write text", "ours: write text"),
        ("read (walk + Write)", "ours: reading the children (scrape order)"),
        ("read in creation order", "ours: reading the children (creation order)"),
        ("OTel SDK collect", "OpenTelemetry SDK: collect (no serialisation)"),
    ]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    for column, label in curves:
        if column not in rows[0]:
            continue
        values = [float(re.sub(r"[^0-9.]", "", r[column])) for r in rows]
        ax.plot(series, values, marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("series in the registry")
    ax.set_ylabel("time per series (ns), best of N")
    ax.set_title("Scrape cost per series against the number of series")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
