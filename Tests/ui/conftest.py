"""Fixtures: the sample site built once into a temporary folder, served on 127.0.0.1,
one Debian Chromium for the whole session, and a browser context per viewport."""
from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, sync_playwright

from uisupport import VIEWPORTS, SiteServer, author_date_copy, build_site, launch_chromium, new_context


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("qpress-ui") / "Output")


@pytest.fixture(scope="session")
def server(site_dir):
    with SiteServer(site_dir) as running:
        yield running


@pytest.fixture(scope="session")
def author_date_server(tmp_path_factory):
    """The sample site built again with `citation_style: author-date`, served on its own port."""
    folder = tmp_path_factory.mktemp("qpress-ui-author-date")
    output = build_site(folder / "Output", source=author_date_copy(folder / "site"))
    with SiteServer(output) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@dataclass
class Opened:
    page: Page
    status: int
    width: int
    requests: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "about:"))


@pytest.fixture(scope="session")
def contexts(browser):
    made = {}
    for name in VIEWPORTS:
        context = new_context(browser, name)
        # A request for any other host is recorded by the page (see `open_page`) and then
        # refused here, so it never leaves the machine.
        context.route(lambda url: not _is_local(url), lambda route: route.abort("blockedbyclient"))
        made[name] = context
    yield made
    for context in made.values():
        context.close()


def _open(context, server, viewport: str, path: str) -> Opened:
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(server.origin + path, wait_until="load")
    assert response is not None, f"no response for {path}"
    return Opened(page, response.status, VIEWPORTS[viewport]["width"], requests)


@pytest.fixture(scope="session")
def loaded(contexts, server):
    """loaded(viewport, path) -> Opened, loaded once per session and shared by tests that only
    read the page (axe, footer, headings, requests); tests that press keys or resize use open_page."""
    cache: dict[tuple[str, str], Opened] = {}

    def load(viewport: str, path: str) -> Opened:
        if (viewport, path) not in cache:
            cache[viewport, path] = _open(contexts[viewport], server, viewport, path)
        return cache[viewport, path]

    yield load
    for opened in cache.values():
        opened.page.close()


@pytest.fixture
def open_page(contexts, server):
    """open_page(viewport, path) -> Opened: loads the page and records every request it makes."""
    pages = []

    def open_(viewport: str, path: str) -> Opened:
        opened = _open(contexts[viewport], server, viewport, path)
        pages.append(opened.page)
        return opened

    yield open_
    for page in pages:
        page.close()
