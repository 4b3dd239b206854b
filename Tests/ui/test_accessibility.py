"""axe-core (bundled by axe-playwright-python, runs offline) on every page type at both viewports."""
from __future__ import annotations

import urllib.parse
import zipfile

import pytest
from axe_playwright_python.sync_playwright import Axe

from uisupport import BOOK, BOOK_PAGES, PAGES, VIEWPORTS

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}

axe = Axe()


def run_axe(page) -> list[dict]:
    return axe.run(page, options=AXE_OPTIONS).response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", {**PAGES, **BOOK_PAGES})
def test_no_wcag_21_aa_violations(loaded, viewport, name):
    opened = loaded(viewport, {**PAGES, **BOOK_PAGES}[name])
    violations = run_axe(opened.page)
    assert violations == [], f"axe found WCAG 2.1 A/AA violations on {name} ({viewport}):\n{describe(violations)}"


@pytest.fixture(scope="session")
def epub_pages(site_dir):
    """The sample book's EPUB unpacked into the served folder: the path of each XHTML page."""
    target = site_dir / "epub-unpacked" / BOOK
    with zipfile.ZipFile(site_dir / "anthologies" / BOOK / f"{BOOK}.epub") as epub:
        epub.extractall(target)
    return [f"/epub-unpacked/{BOOK}/EPUB/{urllib.parse.quote(page.name)}" for page in sorted((target / "EPUB").glob("*.xhtml"))]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_wcag_21_aa_violations_on_epub_pages(loaded, epub_pages, viewport):
    assert len(epub_pages) > 10, epub_pages
    found = []
    for path in epub_pages:
        violations = run_axe(loaded(viewport, path).page)
        if violations:
            found.append(f"{urllib.parse.unquote(path)}:\n{describe(violations)}")
    assert found == [], f"axe found WCAG 2.1 A/AA violations in the EPUB ({viewport}):\n" + "\n".join(found)


def test_axe_reports_violations_on_a_broken_page(open_page):
    """Zero violations above mean something only if axe really runs its rules here."""
    opened = open_page("desktop", "/404.html")
    opened.page.set_content(
        "<html><head><title>x</title></head><body>"
        "<p style='color:#bbb;background:#fff'>浅灰色的字</p><img src='data:,'>"
        "<a href='/'></a></body></html>")
    found = {violation["id"] for violation in run_axe(opened.page)}
    assert {"html-has-lang", "color-contrast", "image-alt", "link-name"} <= found, found
