"""axe-core (bundled by axe-playwright-python, runs offline) on every page type at both viewports."""
from __future__ import annotations

import urllib.parse
import zipfile

import pytest
from axe_playwright_python.sync_playwright import Axe

from uisupport import BOOK, BOOK_PAGES, CITATION_PAGES, PAGES, VIEWPORTS

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
@pytest.mark.parametrize("name", {**PAGES, **BOOK_PAGES, **CITATION_PAGES})
def test_no_wcag_21_aa_violations(loaded, viewport, name):
    opened = loaded(viewport, {**PAGES, **BOOK_PAGES, **CITATION_PAGES}[name])
    violations = run_axe(opened.page)
    assert violations == [], f"axe found WCAG 2.1 A/AA violations on {name} ({viewport}):\n{describe(violations)}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("style", ["numeric", "author-date"])
@pytest.mark.parametrize("name", CITATION_PAGES)
def test_citations_and_back_links_have_names_and_no_violations(contexts, server, author_date_server, viewport, style, name):
    """Both citation styles: each citation links to its entry and each entry links back, with accessible
    names, and axe finds nothing on the page (the numeric pages are also in the test above)."""
    origin = (server if style == "numeric" else author_date_server).origin
    page = contexts[viewport].new_page()
    try:
        page.goto(origin + CITATION_PAGES[name], wait_until="load")
        citations = page.locator(".citation a[href^='#']")
        back_links = page.locator(".references-list a.reference-back")
        assert citations.count() >= 3 and back_links.count() >= 3, (citations.count(), back_links.count())
        tag = "sup" if style == "numeric" else "span"
        assert page.locator(f"{tag}.citation").count() >= 3
        for links in (citations, back_links):
            for index in range(links.count()):
                link = links.nth(index)
                target = link.get_attribute("href")[1:]
                assert page.locator(f"[id='{target}']").count() == 1, target
                assert (link.get_attribute("aria-label") or link.inner_text()).strip(), link.evaluate("e => e.outerHTML")
        if style == "author-date":
            assert "（" in page.locator("span.citation").first.inner_text()
        violations = run_axe(page)
        assert violations == [], f"axe found WCAG 2.1 A/AA violations on {name} ({style}, {viewport}):\n{describe(violations)}"
    finally:
        page.close()


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
