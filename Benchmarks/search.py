#!/usr/bin/env python3
"""Search benchmark: QualityPress's search index against Pagefind on the same built site.

For a generated site (Benchmarks/generate_site.py) it reports
- index size: total bytes of the index files (and gzipped, as a static host would send them),
- what the index costs the build: a clean qpress build with the index and with `search: false`,
  and an incremental rebuild after editing one page; Pagefind's own indexing time,
- for each Chinese and English query: how many pages contain the query text (ground truth from
  the Markdown), how many each engine finds, the pages each one misses, and the bytes a browser
  fetches to show the first 10 results.

Both engines run in Debian's headless Chromium (Playwright, /usr/bin/chromium) against a static
server on 127.0.0.1. Not part of `make test`.

    Benchmarks/search.py [--pages 10000] [--runs 3] [--work /dev/shm/qpress-search-bench]
"""
import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse

from bench_common import ROOT, ensure_qpress, median, run, table

PAGEFIND_VERSION = "1.5.2"
QUERIES = ["质量管理", "可靠性", "工匠精神", "数字化", "持续改进", "六西格玛", "顾客满意度", "首件检验",
           "质量", "精益生产", "MTBF", "ISO 9001", "PDCA", "root cause", "SPC 统计过程控制"]


def ensure_pagefind():
    """pagefind-bin, pinned; the wheel keeps its binary inside the package."""
    shown = subprocess.run([sys.executable, "-m", "pip", "show", "pagefind-bin"], capture_output=True, text=True).stdout
    if f"Version: {PAGEFIND_VERSION}" not in shown:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"pagefind-bin=={PAGEFIND_VERSION}"], check=True)
    import pagefind_bin
    return os.path.join(os.path.dirname(pagefind_bin.__file__), "pagefind")


def folder_bytes(folder, gzipped=False, skip=()):
    total = 0
    for base, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(base, name)
            if any(part in path for part in skip):
                continue
            if gzipped and not name.endswith((".pf_meta", ".pf_index", ".pf_fragment", ".wasm")):
                with open(path, "rb") as f:
                    total += len(gzip.compress(f.read(), 6))
            else:
                total += os.path.getsize(path)
    return total


def ground_truth(source, query):
    """Pages whose text contains every word of the query (Chinese runs as they are, words case-insensitively)."""
    words = [w.lower() for w in query.split()]
    found = set()
    stories = os.path.join(source, "Content", "stories")
    for name in os.listdir(stories):
        with open(os.path.join(stories, name), encoding="utf-8") as f:
            text = f.read().lower()
        if all(word in text for word in words):
            found.add(f"/stories/{name[:-3]}/")
    return found


def our_urls(output):
    """Document number → URL, read from the index's docs/ files on disk."""
    search = os.path.join(output, "search")
    with open(os.path.join(search, "index.json")) as f:
        meta = json.load(f)
    urls = []
    for chunk in range((meta["docs"] + meta["chunk"] - 1) // meta["chunk"]):
        with open(os.path.join(search, "docs", f"{chunk}.json"), encoding="utf-8") as f:
            urls += [entry[0] for entry in json.load(f)]
    return urls


def pagefind_url(bundle, fragment_id):
    with gzip.open(os.path.join(bundle, "fragment", fragment_id + ".pf_fragment")) as f:
        data = f.read()
    data = data[data.index(b"{"):]  # the fragment starts with Pagefind's signature
    return json.loads(data)["url"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


PAGEFIND_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<script type="module">
window.pagefindReady = import("/_pagefind/pagefind.js").then(async (pf) => { await pf.init(); window.pf = pf; });
</script></body></html>"""


def browser_queries(output, bundle, queries):
    from playwright.sync_api import sync_playwright

    with open(os.path.join(output, "pagefind-bench.html"), "w") as f:
        f.write(PAGEFIND_PAGE)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=output))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_port}"
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-proxy-server"])
            for query in queries:
                entry = {}
                # Ours: the search page as a reader uses it (first 10 results shown), then every match.
                context = browser.new_context()
                page = context.new_page()
                page.goto(origin + "/search/")
                fetched = []
                page.on("requestfinished", lambda request: fetched.append(request))
                page.fill("#search-query", query)
                page.wait_for_selector("[data-search-state=done]", timeout=120000)
                entry["ours_bytes"] = sum(r.sizes()["responseBodySize"] for r in fetched if "/search/" in r.url)
                entry["ours"] = page.evaluate("q => window.qpressSearch(q)", query)
                context.close()
                # Pagefind: its API, the first 10 results' data loaded.
                context = browser.new_context()
                page = context.new_page()
                page.goto(origin + "/pagefind-bench.html")
                page.evaluate("() => window.pagefindReady")
                fetched = []
                page.on("requestfinished", lambda request: fetched.append(request))
                ids = page.evaluate("""async q => {
                    const search = await window.pf.search(q);
                    await Promise.all(search.results.slice(0, 10).map(r => r.data()));
                    return search.results.map(r => r.id);
                }""", query)
                entry["pagefind_bytes"] = sum(r.sizes()["responseBodySize"] for r in fetched if "/_pagefind/" in r.url)
                entry["pagefind"] = ids
                context.close()
                results[query] = entry
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/dev/shm/qpress-search-bench")
    args = parser.parse_args()

    qpress = ensure_qpress()
    pagefind = ensure_pagefind()

    work = os.path.join(args.work, str(args.pages))
    shutil.rmtree(work, ignore_errors=True)
    source = os.path.join(work, "site")
    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate_site.py"), str(args.pages), source], check=True)
    site_yml = os.path.join(source, "Content", "site.yml")
    with open(site_yml, encoding="utf-8") as f:
        settings = f.read()
    env = dict(os.environ, QPRESS_THEME=os.path.join(ROOT, "Templates"))
    os.environ.update(env)

    def clean_build(out):
        shutil.rmtree(out, ignore_errors=True)
        return run([qpress, "build", "--source", source, "--output", out])

    timings = {}
    no_search = os.path.join(work, "out-nosearch")
    with open(site_yml, "w", encoding="utf-8") as f:
        f.write(settings + "search: false\n")
    timings["qpress build, search: false"] = [clean_build(no_search) for _ in range(args.runs)]
    with open(site_yml, "w", encoding="utf-8") as f:
        f.write(settings)
    output = os.path.join(work, "out")
    timings["qpress build with index"] = [clean_build(output) for _ in range(args.runs)]
    page = os.path.join(source, "Content", "stories", "s00001.md")
    with open(page, encoding="utf-8") as f:
        original = f.read()
    edits = []
    for index in range(args.runs):
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + f"\n补充说明第{index}次修改。\n")
        edits.append(run([qpress, "build", "--source", source, "--output", output]))
    with open(page, "w", encoding="utf-8") as f:
        f.write(original)
    timings["qpress rebuild after one edit"] = edits
    run([qpress, "build", "--source", source, "--output", output])

    bundle = os.path.join(output, "_pagefind")
    pagefind_runs = []
    for _ in range(args.runs):
        shutil.rmtree(bundle, ignore_errors=True)
        pagefind_runs.append(run([pagefind, "--site", output, "--output-subdir", "_pagefind", "--glob", "stories/s*/index.html",
                                  "--root-selector", "main", "--silent"]))
    timings["pagefind (index only)"] = pagefind_runs

    rows = [[name, f"{median([m[0] for m in measured]):.2f} s", f"{median([m[1] for m in measured]):.2f} s",
             f"{max(m[2] for m in measured):.0f} MiB"] for name, measured in timings.items()]
    print(f"\n{args.pages} pages; medians of {args.runs} runs; {args.work}")
    table(rows, ["step", "wall", "cpu", "peak memory"])
    cost = median([m[0] for m in timings["qpress build with index"]]) - median([m[0] for m in timings["qpress build, search: false"]])
    print(f"index cost in a clean build: {cost * 1000:.0f} ms wall")

    ours_index = os.path.join(output, "search")
    ours_files = [os.path.join(ours_index, name) for name in ("index.json", "lengths.json", "terms", "docs")]
    ours_raw = sum(folder_bytes(p) if os.path.isdir(p) else os.path.getsize(p) for p in ours_files)
    ours_gz = sum(folder_bytes(p, gzipped=True) if os.path.isdir(p) else len(gzip.compress(open(p, "rb").read())) for p in ours_files)
    script = os.path.join(output, "assets", "js", "search.js")
    pf_index = folder_bytes(bundle, skip=(".js", ".css", ".wasm", "wasm."))
    pf_all = folder_bytes(bundle)
    print()
    table([
        ["qpress", f"{ours_raw / 2**20:.2f} MiB", f"{ours_gz / 2**20:.2f} MiB", f"{os.path.getsize(script) / 1024:.1f} KiB",
         f"{os.path.getsize(os.path.join(output, '.qpress-search')) / 2**20:.2f} MiB (build records, not served)"],
        ["pagefind", f"{pf_index / 2**20:.2f} MiB", f"{pf_index / 2**20:.2f} MiB (gzipped files)", f"{(pf_all - pf_index) / 1024:.1f} KiB", ""],
    ], ["engine", "index files", "on the wire", "runtime (js/wasm)", "other"])

    urls = our_urls(output)
    measured = browser_queries(output, bundle, QUERIES)
    rows = []
    for query in QUERIES:
        truth = ground_truth(source, query)
        entry = measured[query]
        ours = {urls[doc] for doc in entry["ours"]}
        theirs = {urllib.parse.unquote(pagefind_url(bundle, fid)) for fid in entry["pagefind"]}
        rows.append([query, len(truth), len(ours), len(truth - ours), len(ours - truth),
                     len(theirs), len(truth - theirs), len(theirs - truth),
                     f"{entry['ours_bytes'] / 1024:.0f} KiB", f"{entry['pagefind_bytes'] / 1024:.0f} KiB"])
    print()
    table(rows, ["query", "pages with text", "qpress found", "missed", "extra", "pagefind found", "missed", "extra",
                 "qpress bytes (10 shown)", "pagefind bytes (10 shown)"])
    print("\nqpress bytes: index.json, lengths.json, terms and docs files fetched for the query (raw; a host that gzips sends less).")
    print("pagefind bytes: its js/wasm runtime, entry, meta, index chunks and the fragments of the 10 shown results.")


if __name__ == "__main__":
    main()
