"""Fixtures: the qpress binary, a copy of the sample site, `qpress serve` on 127.0.0.1, a plain
static server, and Debian's Chromium through Playwright (never a downloaded browser). Every
request the browser makes to another host is refused, so nothing leaves the machine."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import queue
import shutil
import subprocess
import threading
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
QPRESS = Path(os.environ.get("QPRESS", REPO / ".build" / "debug" / "qpress"))
CHROMIUM = os.environ.get("QPRESS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--no-proxy-server", "--disable-background-networking", "--disable-component-update", "--no-pings",
]


def qpress_env():
    return dict(os.environ, QPRESS_THEME=str(REPO / "Templates"))


@pytest.fixture(scope="session")
def qpress():
    if not QPRESS.exists():
        subprocess.run(["swift", "build", "--product", "qpress"], cwd=REPO, check=True)
    return QPRESS


@pytest.fixture
def site(tmp_path):
    """A copy of the sample site that tests may edit."""
    shutil.copytree(REPO / "Content", tmp_path / "Content")
    return tmp_path


class Serving:
    """`qpress serve --port 0` in the background; `origin` once it listens."""

    def __init__(self, qpress, source: Path, *options: str):
        self.process = subprocess.Popen([str(qpress), "serve", "--source", str(source), "--port", "0", *options],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=qpress_env())
        self.log: "queue.Queue[str]" = queue.Queue()
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()
        line = self.process.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:"), f"qpress serve did not start: {line!r}"
        self.origin = line.split()[1].rstrip("/")
        threading.Thread(target=self._drain, args=(self.process.stdout,), daemon=True).start()

    def _drain(self, stream):
        for line in stream:
            self.log.put(line.rstrip("\n"))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def serving(qpress, site):
    running = Serving(qpress, site)
    yield running
    running.stop()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def static_server(folder: Path):
    """A plain static server (no qpress) for `folder` on 127.0.0.1; yields its origin."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def static_site(qpress, tmp_path_factory):
    """The sample site built with `qpress build` and served by a plain static server (no qpress)."""
    output = tmp_path_factory.mktemp("search") / "Output"
    run = subprocess.run([str(qpress), "build", "--source", str(REPO), "--output", str(output)],
                         capture_output=True, text=True, env=qpress_env())
    assert run.returncode == 0, run.stderr
    with static_server(output) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run ./install-deps.sh (Debian package chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.route(lambda url: urllib.parse.urlsplit(url).hostname not in ("127.0.0.1", "localhost"),
                  lambda route: route.abort("blockedbyclient"))
    opened = context.new_page()
    yield opened
    context.close()
