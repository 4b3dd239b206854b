#!/usr/bin/env python3
"""Full-page screenshots of every page type at 1280×900 and 390×844 (phone, 2× pixels),
for looking at the theme: python3 Tests/ui/screenshots.py [FOLDER] (default /tmp/qpress-screenshots).
Builds the sample site into a temporary folder first; needs what `./install-deps.sh` installs."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from uisupport import PAGES, VIEWPORTS, SiteServer, build_site, launch_chromium, new_context  # noqa: E402


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/qpress-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(Path(tmp) / "Output")
        with SiteServer(site) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for viewport in VIEWPORTS:
                context = new_context(browser, viewport, scale=2 if viewport == "phone" else 1)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(server.origin + path, wait_until="load")
                    target = folder / f"{name}-{viewport}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
