"""Shared pieces of the UI suite and of screenshots.py: build the sample site, serve it on
127.0.0.1, and start Debian's Chromium through Playwright without ever downloading a browser."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QPRESS = Path(os.environ.get("QPRESS", REPO / ".build" / "debug" / "qpress"))
CHROMIUM = os.environ.get("QPRESS_CHROMIUM", "/usr/bin/chromium")

VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}

# One page of every type, by the path the site serves it at.
PAGES = {
    "home": "/",
    "story": "/stories/gear-30-years/",
    "paper": "/papers/reliability-growth/",
    "notice": "/pages/quality-month-2020-national/",
    "slogans": "/slogans/",
    "stories": "/stories/",
    "tag": "/tags/" + urllib.parse.quote("可靠性") + "/",
    "404": "/404.html",
}

# The sample book's web edition (one page), and a site page with what only some documents have (a task
# list), for the accessibility test; the book's EPUB pages are unpacked and checked there too.
BOOK = "story-collection"
BOOK_PAGES = {
    "web edition": f"/anthologies/{BOOK}/",
    "task-list story": "/stories/machine-tool-digital/",
}

# Papers that cite from a bibliography (.bib and CSL-JSON) and the papers' book, whose web edition carries their
# citations: checked in the sample's numeric style and, built again with `citation_style: author-date`, in that one.
CITATION_PAGES = {
    "paper citing BibTeX": "/papers/agri-machinery-satisfaction/",
    "paper citing CSL-JSON": "/papers/excellence-model-motor/",
    "papers' web edition": "/anthologies/paper-collection/",
}

# Flags for Chromium: no name resolves except loopback, no proxy, no background traffic.
CHROMIUM_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--no-proxy-server",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--no-pings",
]


def build_site(output: Path, source: Path = REPO) -> Path:
    """Builds the sample site (the repository's, or a copy at `source`) into `output` with the qpress binary
    (built first if missing)."""
    if not QPRESS.exists():
        subprocess.run(["swift", "build", "--product", "qpress"], cwd=REPO, check=True)
    run = subprocess.run([str(QPRESS), "build", "--source", str(source), "--output", str(output), "--no-pdf"],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, f"qpress build failed ({run.returncode}):\n{run.stdout}{run.stderr}"
    return output


def author_date_copy(folder: Path) -> Path:
    """A copy of the sample site's sources in `folder` whose site.yml asks for author-date citations."""
    for part in ("Content", "Templates"):
        if (REPO / part).is_dir():
            shutil.copytree(REPO / part, folder / part)
    site_yml = folder / "Content" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "\ncitation_style: author-date\n", encoding="utf-8")
    return folder


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site like a static host: /404.html for anything missing, no log noise."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser closing a connection early (favicon.ico, a page closed) is not an error here.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class SiteServer:
    """http.server in a thread on 127.0.0.1 and a free port."""

    def __init__(self, root: Path):
        handler = functools.partial(_Handler, directory=str(root))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def launch_chromium(playwright):
    """Debian's Chromium, driven by Playwright; `playwright install` is never needed."""
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run ./install-deps.sh (Debian package chromium)"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_context(browser, viewport: str, scale: float = 1):
    """A context like a desktop browser or a phone (touch, mobile viewport rules)."""
    phone = viewport == "phone"
    return browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone,
                               device_scale_factor=scale, locale="zh-CN")
