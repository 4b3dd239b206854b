#!/usr/bin/env python3
"""Issue 22's edit loop on a site with a big book: 101 generated stories (generate_site.py), one anthology
manifest taking the first 100 (about 400 pages), so one story is in no book. Times, with a release build:

  - a clean build (the PDF included);
  - a rebuild with nothing changed (target: under 1 s);
  - a rebuild after an edit to the story in no book (target: under 1 s);
  - a rebuild after an edit to a story in the book (web edition and EPUB rebuilt, PDF rendered);
  - in `qpress serve`, from saving a story of the book until its page, then the book's web edition, has the
    new text (polled over HTTP; target: under 2 s). The PDF is being made in the background meanwhile.

Prints medians. Not part of `make test`.

    Benchmarks/books_loop.py [--runs 5] [--book-runs 1] [--work /dev/shm/qpress-books-loop]
"""
import argparse
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

from bench_common import ROOT, ensure_qpress, median, run, table

IN_BOOK = "s00050"
IN_NO_BOOK = "s00101"


def make_site(work):
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_site.py"), "101", work], check=True)
    lines = ["title: 基准测试故事集", "publisher: 基准测试协会", "trim: 16开", "parts:", "  - cover", "  - half_title",
             "  - copyright", "  - contents"]
    for section in range(5):
        lines += ["  - type: section", f"    title: 第{section + 1}篇", "    files:"]
        lines += [f"      - stories/s{index:05d}.md" for index in range(section * 20 + 1, section * 20 + 21)]
    os.makedirs(os.path.join(work, "Content", "anthologies"), exist_ok=True)
    with open(os.path.join(work, "Content", "anthologies", "bench.yml"), "w") as f:
        f.write("\n".join(lines) + "\n")


def append(work, story, text):
    with open(os.path.join(work, "Content", "stories", story + ".md"), "a", encoding="utf-8") as f:
        f.write(f"\n{text}\n")


def build(qpress, work):
    """(wall seconds, CPU seconds, WeasyPrint's included)."""
    return run([qpress, "build", "--source", work], ok_codes=(0,))[:2]


def pages(work):
    out = subprocess.run(["pdfinfo", os.path.join(work, "Output", "anthologies", "bench", "bench.pdf")],
                         capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


class Serving:
    """`qpress serve --port 0` in the background, its log in a queue."""

    def __init__(self, qpress, work):
        self.process = subprocess.Popen([qpress, "serve", "--source", work, "--port", "0"], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.log = queue.Queue()
        line = self.process.stdout.readline()
        while line and not line.startswith("serving "):
            line = self.process.stdout.readline()
        if not line:
            sys.exit("qpress serve did not start")
        self.origin = line.split()[1].rstrip("/")
        threading.Thread(target=self.drain, daemon=True).start()

    def drain(self):
        for line in self.process.stdout:
            self.log.put(line.rstrip("\n"))

    def wait_for(self, text, seconds=600):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if text in self.log.get(timeout=1):
                    return
            except queue.Empty:
                pass
        sys.exit(f"qpress serve never said {text!r}")

    def page_has(self, path, text):
        try:
            with urllib.request.urlopen(self.origin + path) as response:
                return text in response.read().decode("utf-8", errors="replace")
        except OSError:
            return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def serve_edits(qpress, work, runs):
    """Seconds from saving a story of the book until its page, and until the web edition, has the new text."""
    serving = Serving(qpress, work)
    story_times, book_times = [], []
    try:
        for number in range(runs):
            text = f"服务预览中新增的第{number}段，编号{time.time_ns()}。"
            append(work, IN_BOOK, text)
            saved = time.monotonic()
            story = book = None
            while book is None or story is None:
                if story is None and serving.page_has(f"/stories/{IN_BOOK}/", text):
                    story = time.monotonic() - saved
                if book is None and serving.page_has("/anthologies/bench/", text):
                    book = time.monotonic() - saved
                if time.monotonic() - saved > 120:
                    sys.exit("the edit never reached the pages")
                time.sleep(0.02)
            story_times.append(story)
            book_times.append(book)
            time.sleep(1)  # an editor reads what they wrote; the PDF goes on in the background
    finally:
        serving.stop()
    return story_times, book_times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="runs of the fast steps")
    parser.add_argument("--book-runs", type=int, default=1, help="runs of the steps that make the PDF")
    parser.add_argument("--work", default="/dev/shm/qpress-books-loop")
    args = parser.parse_args()
    qpress = os.environ.get("QPRESS") or ensure_qpress()
    os.environ.setdefault("QPRESS_THEME", os.path.join(ROOT, "Templates"))
    make_site(args.work)

    clean = []
    for _ in range(args.book_runs):
        shutil.rmtree(os.path.join(args.work, "Output"), ignore_errors=True)
        clean.append(build(qpress, args.work))
    unchanged = [build(qpress, args.work) for _ in range(args.runs)]
    outside = []
    for number in range(args.runs):
        append(args.work, IN_NO_BOOK, f"书外的修改{number}。")
        outside.append(build(qpress, args.work))
    inside = []
    for number in range(args.book_runs):
        append(args.work, IN_BOOK, f"书内的修改{number}。")
        inside.append(build(qpress, args.work))
    story, book = serve_edits(qpress, args.work, args.runs)

    print(f"101 stories, a book of 100 ({pages(args.work)} pages); medians of {args.runs} runs "
          f"({args.book_runs} for the steps that make the PDF); release build")
    def times(runs):
        return f"{median([wall for wall, _ in runs]):.2f} s", f"{median([cpu for _, cpu in runs]):.2f} s"

    rows = [
        ("qpress build, clean (PDF included)", *times(clean), ""),
        ("qpress build, nothing changed", *times(unchanged), "< 1 s"),
        ("qpress build, a story in no book edited", *times(outside), "< 1 s"),
        ("qpress build, a story in the book edited (PDF made)", *times(inside), ""),
        ("qpress serve, a story in the book saved → on its page", f"{median(story):.2f} s", "", "< 2 s"),
        ("qpress serve, … → in the book's web edition", f"{median(book):.2f} s", "", ""),
    ]
    table(rows, ["step", "wall (median)", "CPU (median)", "target"])


if __name__ == "__main__":
    main()
