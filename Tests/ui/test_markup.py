"""Every HTML file the build writes: language, character set and Open Graph tags."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

REQUIRED_OG = ["og:site_name", "og:title", "og:description", "og:type", "og:url", "og:locale"]


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def html_files(site_dir):
    files = sorted(site_dir.rglob("*.html"))
    assert len(files) >= 29, f"expected the whole sample site, found {len(files)} pages"
    return files


def test_every_page_declares_zh_cn_utf8_and_open_graph(site_dir):
    problems = []
    for file in html_files(site_dir):
        raw = file.read_bytes()
        text = raw.decode("utf-8")
        name = file.relative_to(site_dir).as_posix()
        if not text.startswith("<!DOCTYPE html>"):
            problems.append(f"{name}: no <!DOCTYPE html> first")
        if '<html lang="zh-CN">' not in text:
            problems.append(f"{name}: no <html lang=\"zh-CN\">")
        # The charset must come within the first 1024 bytes (HTML standard) and before <title>.
        if b'<meta charset="utf-8">' not in raw[:1024]:
            problems.append(f"{name}: no <meta charset=\"utf-8\"> in the first 1024 bytes")
        parser = Head()
        parser.feed(text)
        metas = [attrs for tag, attrs in parser.tags if tag == "meta"]
        if not metas or metas[0].get("charset") != "utf-8":
            problems.append(f"{name}: the first <meta> is not the charset")
        og = {attrs["property"]: attrs.get("content", "") for attrs in metas if "property" in attrs}
        for prop in REQUIRED_OG:
            if not og.get(prop, "").strip():
                problems.append(f"{name}: missing or empty {prop}")
        if not og.get("og:url", "").startswith("https://"):
            problems.append(f"{name}: og:url is not absolute: {og.get('og:url')!r}")
        if og.get("og:locale") != "zh_CN":
            problems.append(f"{name}: og:locale is {og.get('og:locale')!r}")
        viewport = [m for m in metas if m.get("name") == "viewport"]
        if not viewport or "width=device-width" not in viewport[0].get("content", "") \
                or "user-scalable=no" in viewport[0].get("content", "") or "maximum-scale" in viewport[0].get("content", ""):
            problems.append(f"{name}: viewport meta missing or blocks zooming")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", ["index.html", "stories/gear-30-years/index.html"])
def test_pages_load_nothing_from_other_hosts(site_dir, path):
    """No stylesheet, script, font or image from a CDN: only the canonical and og:/feed URLs are absolute."""
    parser = Head()
    parser.feed((site_dir / path).read_text("utf-8"))
    for tag, attrs in parser.tags:
        for key in ("src", "href"):
            value = attrs.get(key, "")
            loads = tag in ("script", "img", "iframe", "source", "video", "audio") or \
                (tag == "link" and attrs.get("rel") in ("stylesheet", "preload", "icon", "modulepreload"))
            if loads and value:
                assert not value.startswith(("http:", "https:", "//")), f"{path}: <{tag} {key}={value}>"
        assert tag != "script", f"{path}: the theme needs no script, found <script {attrs}>"
