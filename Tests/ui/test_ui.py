"""UI facts that axe does not check: reflow on phones, the skip link, focus rings,
the footer, headings, pagination, and that nothing is fetched from another host."""
from __future__ import annotations

import re
import urllib.parse

import pytest

from uisupport import PAGES, REPO, VIEWPORTS


def site_setting(name: str) -> str:
    match = re.search(rf"^{name}:\s*(.+?)\s*$", (REPO / "Content" / "site.yml").read_text("utf-8"), re.M)
    assert match, f"site.yml has no {name}"
    return match.group(1)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two computed CSS colours, `rgb(r, g, b)` or `rgba(…)`."""
    def luminance(colour: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3])
        f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("width", [390, 320], ids=["phone-390", "reflow-320"])
@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scrolling_on_phones(open_page, name, width):
    opened = open_page("phone", PAGES[name])
    opened.page.set_viewport_size({"width": width, "height": 844})
    scroll_width = opened.page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} scrolls sideways at {width}px: scrollWidth {scroll_width}"
    # Tables are where it usually breaks: each must fit, not just be clipped by an overflow rule.
    for right in opened.page.eval_on_selector_all("table", "ts => ts.map(t => t.getBoundingClientRect().right)"):
        assert right <= width + 0.5, f"a table on {name} ends at {right}px, past the {width}px screen"


def test_the_paper_table_fits_the_phone(open_page):
    opened = open_page("phone", PAGES["paper"])
    boxes = opened.page.eval_on_selector_all(".prose table", "ts => ts.map(t => t.getBoundingClientRect().toJSON())")
    assert len(boxes) == 2, "the sample paper has two tables"
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= opened.width, box
    assert opened.page.evaluate("document.documentElement.scrollWidth") <= opened.width


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_skip_link_appears_on_focus_and_jumps_to_main(open_page, viewport):
    opened = open_page(viewport, PAGES["story"])
    page = opened.page
    link = page.locator("a.skip-link")
    assert link.get_attribute("href") == "#main"
    assert not link.is_visible() or link.bounding_box()["y"] + link.bounding_box()["height"] <= 0, \
        "the skip link shows before it is focused"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')"), "Tab does not reach the skip link first"
    box = link.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0 and box["width"] > 20 and box["height"] > 20, box
    assert box["x"] + box["width"] <= opened.width
    assert page.evaluate("el => getComputedStyle(el).visibility", link.element_handle()) == "visible"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.locator("main#main").count() == 1


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_keyboard_focus_is_visible_with_enough_contrast(open_page, viewport):
    """Tab through the header and into the page: every stop has a solid outline of at least
    2px whose colour stands out 3:1 from the background behind it (WCAG 1.4.11 and 2.4.7)."""
    opened = open_page(viewport, PAGES["stories"])
    page = opened.page
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => {
            const el = document.activeElement, s = getComputedStyle(el);
            let bg = 'rgba(0, 0, 0, 0)';
            for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
                const c = getComputedStyle(n).backgroundColor;
                if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') { bg = c; break; }
            }
            return {text: el.textContent.trim(), style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    colour: s.outlineColor, background: bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg};
        }""")
        seen.append(focus["text"])
        assert focus["style"] not in ("none", "hidden") and focus["width"] >= 2, f"no visible focus on {focus}"
        ratio = contrast(focus["colour"], focus["background"])
        assert ratio >= 3, f"focus ring on {focus['text']!r} is {ratio:.2f}:1 against its background: {focus}"
    assert "品牌故事" in seen, f"Tab never reached the main navigation: {seen}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_footer_shows_the_icp_number(loaded, viewport, name):
    icp = site_setting("icp")
    opened = loaded(viewport, PAGES[name])
    link = opened.page.locator("footer.site-footer a", has_text=icp)
    assert link.count() == 1, f"footer of {name} does not show {icp}"
    assert link.get_attribute("href") == "https://beian.miit.gov.cn/"
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    box = link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= opened.width


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_no_request_leaves_127_0_0_1(loaded, viewport, name):
    opened = loaded(viewport, PAGES[name])
    opened.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    opened.page.wait_for_load_state("networkidle")
    assert opened.requests, "no request was recorded at all"
    elsewhere = [url for url in opened.requests if urllib.parse.urlsplit(url).hostname != "127.0.0.1"]
    assert elsewhere == [], f"{name} ({viewport}) requested other hosts: {elsewhere}"
    # The stylesheet really is local and really loaded.
    assert any(url.endswith("/assets/css/site.css") for url in opened.requests)
    assert opened.page.evaluate("getComputedStyle(document.querySelector('.site-nav')).backgroundColor") != "rgba(0, 0, 0, 0)"


@pytest.mark.parametrize("name", PAGES)
def test_one_h1_and_no_skipped_heading_levels(loaded, name):
    opened = loaded("desktop", PAGES[name])
    levels = opened.page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "hs => hs.map(h => Number(h.tagName[1]))")
    assert levels.count(1) == 1 and levels[0] == 1, f"{name}: headings {levels}"
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"{name}: heading level jumps from h{before} to h{after} in {levels}"


def test_pagination_marks_only_the_current_page(open_page):
    first = open_page("desktop", "/stories/").page
    assert first.locator(".pagination [aria-current='page']").all_inner_texts() == ["1"]
    assert first.locator(".pagination ol a").all_inner_texts() == ["2"]
    assert first.locator(".pagination a[rel='next']").get_attribute("href") == "/stories/page/2/"
    second = open_page("desktop", "/stories/page/2/").page
    assert second.locator(".pagination [aria-current='page']").all_inner_texts() == ["2"]
    assert second.locator(".pagination a[rel='prev']").get_attribute("href") == "/stories/"


def test_navigation_marks_the_current_section(open_page):
    page = open_page("desktop", PAGES["paper"]).page
    assert page.locator(".site-nav [aria-current='page']").all_inner_texts() == ["管理论文"]


def test_phone_touch_targets_are_44px(open_page):
    page = open_page("phone", "/stories/").page
    for selector in (".site-nav a", ".pagination a", ".pagination [aria-current]"):
        heights = page.eval_on_selector_all(selector, "els => els.map(e => e.getBoundingClientRect().height)")
        assert heights and min(heights) >= 44, f"{selector}: {heights}"


def test_missing_pages_get_the_404_page(open_page):
    opened = open_page("phone", "/no/such/page/")
    assert opened.status == 404
    assert opened.page.locator("h1").inner_text() == "页面未找到"
    # Root-relative links: the stylesheet loads even this deep.
    assert opened.page.evaluate("getComputedStyle(document.querySelector('.site-nav')).backgroundColor") == "rgb(158, 27, 27)"
