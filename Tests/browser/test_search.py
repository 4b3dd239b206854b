"""The search page in headless Chromium, on a plain static server: Chinese, English and mixed
queries, highlighted snippets built from text nodes, the live region, the keyboard, and no
request but the index's own files."""
import urllib.parse

from playwright.sync_api import expect


def search(page, origin, query):
    page.goto(origin + "/search/?q=" + urllib.parse.quote(query))
    expect(page.locator("[data-search-state=done]")).to_have_count(1, timeout=10000)
    return page.locator("#search-results > li")


def titles(results):
    return [results.nth(i).locator("h2").inner_text() for i in range(results.count())]


def test_chinese_query_finds_ranks_and_highlights(page, static_site):
    results = search(page, static_site, "可靠性")
    found = titles(results)
    assert len(found) >= 3
    # Pages with 可靠性 in the title come first.
    assert "可靠性" in found[0]
    assert any("液压泵" in title for title in found)
    marks = page.locator("#search-results mark")
    assert marks.count() >= 2
    assert set(marks.all_inner_texts()) == {"可靠性"}
    expect(page.locator("#search-status")).to_contain_text(f"找到 {len(found)} 个")
    expect(page.locator("#search-status")).to_have_attribute("role", "status")


def test_multi_word_chinese_query(page, static_site):
    results = search(page, static_site, "质量管理")
    assert results.count() >= 5
    snippet_marks = page.locator(".search__snippet mark")
    assert snippet_marks.count() >= 1
    assert "质量管理" in snippet_marks.all_inner_texts()


def test_english_and_mixed_queries(page, static_site):
    results = search(page, static_site, "MTBF")
    assert any("可靠性增长" in title for title in titles(results))
    found = titles(search(page, static_site, "FRACAS 可靠性"))
    assert len(found) == 1 and "可靠性增长" in found[0]
    assert page.locator("#search-results mark").all_inner_texts()[0] == "可靠性"
    results = search(page, static_site, "数字化 zzzz")
    expect(page.locator("#search-status")).to_contain_text("没有页面包含全部词语")


def test_typing_with_the_keyboard_updates_results(page, static_site):
    page.goto(static_site + "/search/")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    field = page.get_by_label("搜索品牌故事、论文和通知")
    field.focus()
    page.keyboard.type("工匠精神")
    expect(page.locator("#search-status")).to_contain_text("找到", timeout=10000)
    assert page.locator("#search-results > li").count() >= 1
    assert "q=" in page.url
    # Only the index's own files are fetched while searching.
    assert requests and all(urllib.parse.urlsplit(url).path.startswith("/search/") for url in requests), requests
    # The first result is reachable with Tab and opens with Enter.
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#search-results') !== null")
    assert focused
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/search/" not in url)


def test_page_text_is_never_parsed_as_html(page, static_site):
    """Snippets are built from text nodes: markup-like text in a query stays text."""
    results = search(page, static_site, "<img src=x onerror=alert(1)>质量")
    assert page.locator("#search-results img").count() == 0


def test_header_search_box_opens_the_search_page(page, static_site):
    page.goto(static_site + "/")
    box = page.get_by_role("search").get_by_label("站内搜索")
    box.fill("可靠性")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator("[data-search-state=done]")).to_have_count(1, timeout=10000)
    assert page.locator("#search-results > li").count() >= 3
