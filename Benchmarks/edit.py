#!/usr/bin/env python3
"""The cost of an edit against a clean build, for one or more qpress binaries timed in the same runs.

    Benchmarks/edit.py [--size 10000] [--shapes short-pages tags-2000 ...] [--runs 5]
                       [--work /dev/shm/qpress-edit] [--qpress PATH ...]

For each shape of generate_site.py: clean builds, then one build to settle, then edits of
`s00001.md` (a line appended, as `build.py --incremental` does), each binary in turn, run by run.
Prints medians and the ratio edit/clean per binary; issue 19 asks for under 0.10 on every shape.
Quicker than `build.py --incremental`, which also times Hugo and the build without the index.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys

from bench_common import ROOT, ensure_qpress, median, run, table
from generate_site import SHAPES


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--shapes", nargs="+", default=sorted(SHAPES), choices=sorted(SHAPES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/dev/shm/qpress-edit")
    parser.add_argument("--qpress", nargs="+", help="qpress binaries to time (default: the release build)")
    args = parser.parse_args()
    binaries = [ensure_qpress(binary) for binary in args.qpress] if args.qpress else [ensure_qpress()]
    rows, worst = [], {}
    for shape in args.shapes:
        corpus = os.path.join(args.work, shape)
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_site.py"), str(args.size), corpus,
                        "--shape", shape], check=True, stdout=subprocess.DEVNULL)
        for binary, (clean, edit) in measure(corpus, binaries, args.runs).items():
            ratio = edit / clean
            worst[binary] = max(worst.get(binary, (0, "")), (ratio, shape))
            rows.append([shape, binary, f"{clean:.3f} s", f"{edit:.3f} s", f"{ratio:.3f}"])
        shutil.rmtree(args.work, ignore_errors=True)
    print(f"\n{os.cpu_count()} cores; {args.size} pages; medians of {args.runs} runs; output on {args.work}")
    table(rows, ["shape", "qpress", "clean build", "edit one page", "edit/clean"])
    for binary, (ratio, shape) in worst.items():
        print(f"{binary}: worst edit/clean {ratio:.3f} ({shape})")


def measure(corpus, binaries, runs):
    """Median clean-build and edit wall times of each binary, interleaved run by run."""
    page = sorted(glob.glob(os.path.join(corpus, "Content", "*", "s00001.md")))[0]
    with open(page, encoding="utf-8") as f:
        original = f.read()
    outputs = {binary: os.path.join(os.path.dirname(corpus), f"out-{index}") for index, binary in enumerate(binaries)}
    clean = {binary: [] for binary in binaries}
    edits = {binary: [] for binary in binaries}
    build = lambda binary: run([binary, "build", "--source", corpus, "--output", outputs[binary]], ok_codes=(0,))[0]
    for _ in range(runs):
        for binary in binaries:
            shutil.rmtree(outputs[binary], ignore_errors=True)
            clean[binary].append(build(binary))
    for binary in binaries:
        build(binary)
    for index in range(runs):
        for binary in binaries:
            with open(page, "w", encoding="utf-8") as f:
                f.write(original + f"\n补充说明第{index}次修改。\n")
            edits[binary].append(build(binary))
    with open(page, "w", encoding="utf-8") as f:
        f.write(original)
    return {binary: (median(clean[binary]), median(edits[binary])) for binary in binaries}


if __name__ == "__main__":
    main()
