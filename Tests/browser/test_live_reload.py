"""`qpress serve` in headless Chromium: an edit to the Markdown shows up in the open page
without a manual reload; a broken file shows an overlay naming file and line until it is fixed."""
import re
import urllib.parse

from playwright.sync_api import expect

STORY = "Content/stories/gear-30-years.md"
URL = "/stories/gear-30-years/"


def test_editing_markdown_updates_the_open_page(serving, site, page):
    page.goto(serving.origin + URL)
    expect(page.locator("h1")).to_contain_text("一颗齿轮的三十年")
    page.evaluate("window.__notReloaded = true")  # gone after a reload: proves the page reloaded itself
    path = site / STORY
    path.write_text(path.read_text(encoding="utf-8") + "\n浏览器里自动出现的新段落。\n", encoding="utf-8")
    expect(page.locator("main")).to_contain_text("浏览器里自动出现的新段落。", timeout=15000)
    assert page.evaluate("window.__notReloaded") is None


def test_a_broken_file_shows_an_overlay_until_fixed(serving, site, page):
    page.goto(serving.origin + URL)
    path = site / STORY
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("date: 2020-", "date: 2020-13-45\nx: ", 1), encoding="utf-8")
    overlay = page.locator("#qpress-error-overlay")
    expect(overlay).to_be_visible(timeout=15000)
    expect(overlay).to_contain_text("构建失败")
    # The broken file is named with its line (the pages linking to it are listed too).
    expect(overlay).to_contain_text(re.compile(re.escape(STORY) + r":\d+(:\d+)? field 'date'"))
    # The last good page is still there under the overlay.
    expect(page.locator("h1")).to_contain_text("一颗齿轮的三十年")

    path.write_text(good.replace("## ", "## 修好以后：", 1), encoding="utf-8")
    expect(page.locator("main")).to_contain_text("修好以后：", timeout=15000)
    expect(page.locator("#qpress-error-overlay")).to_have_count(0)


def test_chinese_paths_and_the_404_page(serving, page):
    response = page.goto(serving.origin + "/stories/" + urllib.parse.quote("精益求精的轴承人") + "/")
    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    response = page.goto(serving.origin + "/no/such/page/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("页面未找到")
