"""The header from the narrowest phone (320 px) to a wide desktop (1440 px): the search button's
label stays on one line, the search box keeps its distance from the site title, and nothing is
cut off or scrolls sideways. A screenshot of the header at each width is kept for a person to look at
(QPRESS_SCREENSHOTS=FOLDER keeps them after the run)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from uisupport import PAGES, new_context

WIDTHS = [320, 390, 768, 1280, 1440]

MEASURE = """() => {
  const box = e => e.getBoundingClientRect();
  const button = document.querySelector('.site-search__button');
  const range = document.createRange();
  range.selectNodeContents(button);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  const title = box(document.querySelector('.site-title'));
  const form = box(document.querySelector('.site-search'));
  const header = document.querySelector('.site-header');
  const sameRow = form.top < title.bottom && title.top < form.bottom;
  return {
    buttonLines: lines,
    buttonOverflows: button.scrollWidth > button.clientWidth + 1,
    gap: sameRow ? form.left - title.right : form.top - title.bottom,
    sameRow,
    rightEdge: Math.max(...[...header.querySelectorAll('*')].map(e => box(e).right)),
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = os.environ.get("QPRESS_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("header-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "story"])
def test_header_fits(browser, server, screenshots, width, name):
    viewport = "phone" if width < 768 else "desktop"
    context = new_context(browser, viewport)
    try:
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(server.origin + PAGES[name], wait_until="load")
        shot = screenshots / f"header-{name}-{width}.png"
        page.locator(".site-header").screenshot(path=str(shot))
        assert shot.stat().st_size > 1000
        m = page.evaluate(MEASURE)
    finally:
        context.close()
    assert m["buttonLines"] == 1, f"{width}px: the search button's label wraps onto {m['buttonLines']} lines"
    assert not m["buttonOverflows"], f"{width}px: the search button's label is cut off"
    # At least half a rem between the title and the search box, whether side by side or stacked.
    assert m["gap"] >= 8, f"{width}px: the search box is {m['gap']:.1f}px from the site title ({m})"
    assert m["rightEdge"] <= width + 0.5, f"{width}px: the header reaches {m['rightEdge']}px"
    assert m["scrollWidth"] <= width, f"{width}px: the page scrolls sideways ({m['scrollWidth']}px)"
