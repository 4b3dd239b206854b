"""Photos on a story page, in Chromium on a phone: the page does not shift while they load (the CLS
that PerformanceObserver reports), and a lazy photo is not fetched before it is scrolled near."""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading

import pytest

from conftest import REPO, _Quiet, qpress_env

MAKE_IMAGE = REPO / "Tests" / "PressTestSupport" / "make_image.py"
FILLER = "\n\n".join(["质量是企业的生命。" * 30] * 12)


@pytest.fixture(scope="module")
def photo_site(qpress, tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    images = root / "Content" / "assets" / "images"
    images.mkdir(parents=True)
    for name in ["a", "b", "c"]:
        subprocess.run([sys.executable, str(MAKE_IMAGE), "phone", str(images / f"{name}.jpg")], check=True)
    (root / "Content" / "site.yml").write_text("title: 图片测试\nbase_url: http://127.0.0.1/\n")
    body = (f"![图1　车间](/assets/images/a.jpg)\n\n{FILLER}\n\n![图2　产品](/assets/images/b.jpg)\n\n"
            f"{FILLER}\n\n![图3　团队](/assets/images/c.jpg)\n")
    story = ("---\ntitle: 照片\ncompany: 示例厂\nauthor: 张明\ndate: 2020-09-15\nindustry: 通用机械\n"
             f"summary: 照片。\nslug: photos\n---\n{body}")
    (root / "Content" / "stories").mkdir()
    (root / "Content" / "stories" / "photos.md").write_text(story)
    output = root / "Output"
    run = subprocess.run([str(qpress), "build", "--source", str(root)], capture_output=True, text=True, env=qpress_env())
    assert run.returncode == 0, run.stderr
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(output)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


OBSERVE_SHIFTS = """window.__cls = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
  .observe({type: 'layout-shift', buffered: true});"""


def test_photos_cause_no_layout_shift(photo_site, phone):
    phone.add_init_script(OBSERVE_SHIFTS)
    phone.goto(photo_site + "/stories/photos/", wait_until="load")
    # Read down the page as a person would: each photo comes into view and loads.
    for index in range(3):
        phone.evaluate(f"document.querySelectorAll('figure')[{index}].scrollIntoView()")
        phone.wait_for_function(f"(i => i.complete && i.naturalWidth > 0)(document.images[{index}])")
    cls = phone.evaluate("window.__cls")
    assert cls < 0.01, f"cumulative layout shift {cls}"
    # WebP was chosen, at a width that suits a 390 px screen at 2x.
    chosen = phone.evaluate("[...document.images].map(i => i.currentSrc)")
    assert all(".webp" in src for src in chosen), chosen
    assert all("-960." in src for src in chosen), chosen


def test_lazy_photos_wait_until_scrolled_near(photo_site, phone):
    fetched: list[str] = []
    phone.on("request", lambda request: fetched.append(request.url))
    phone.goto(photo_site + "/stories/photos/", wait_until="load")
    phone.wait_for_timeout(500)
    photos = lambda: {url.rsplit("/", 1)[1].split("-")[0] for url in fetched if "/assets/images/" in url}
    assert photos() == {"a"}, fetched
    phone.evaluate("document.querySelectorAll('figure')[2].scrollIntoView()")
    phone.wait_for_function("[...document.images].slice(-1)[0].complete")
    assert "c" in photos()
