"""axe-core (bundled by axe-playwright-python, runs offline) on every page type at both viewports."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from uisupport import PAGES, VIEWPORTS

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
@pytest.mark.parametrize("name", PAGES)
def test_no_wcag_21_aa_violations(loaded, viewport, name):
    opened = loaded(viewport, PAGES[name])
    violations = run_axe(opened.page)
    assert violations == [], f"axe found WCAG 2.1 A/AA violations on {name} ({viewport}):\n{describe(violations)}"


def test_axe_reports_violations_on_a_broken_page(open_page):
    """Zero violations above mean something only if axe really runs its rules here."""
    opened = open_page("desktop", "/404.html")
    opened.page.set_content(
        "<html><head><title>x</title></head><body>"
        "<p style='color:#bbb;background:#fff'>浅灰色的字</p><img src='data:,'>"
        "<a href='/'></a></body></html>")
    found = {violation["id"] for violation in run_axe(opened.page)}
    assert {"html-has-lang", "color-contrast", "image-alt", "link-name"} <= found, found
