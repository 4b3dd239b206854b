"""The print script (Sources/PressAnthology/Resources/print.py) against the WeasyPrint that install-deps.sh pins:
it patches WeasyPrint internals, so a WeasyPrint upgrade that moves or renames them must fail here, not in a book.
Renders a small Chinese page with justified text and a footnote and reads the PDF back with poppler."""
import importlib.util
import inspect
import pathlib
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "Sources/PressAnthology/Resources/print.py"
IDENTIFIER = "0123456789abcdef0123456789abcdef"
PARAGRAPH = ("本企业自二〇〇八年起按照GB/T 19001和ISO 9001建立质量管理体系，以“零缺陷”为目标，"
             "将每一台齿轮箱的装配数据录入MES系统，实现了从原材料到出厂检验的全过程追溯。"
             "经过三年的持续改进，一次交检合格率由百分之九十二提高到百分之九十九点三，用户投诉下降了七成。")
PAGE = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: 110mm 150mm; margin: 15mm; @footnote {{ border-top: 0.5pt solid black; }} }}
body {{ font-family: "Noto Serif CJK SC"; font-size: 10pt; line-height: 1.6; }}
p {{ text-align: justify; margin: 0; }}
.note {{ float: footnote; font-size: 8pt; }}
</style></head><body><p>{PARAGRAPH}<span class="note">脚注：数据来自企业质量年报。</span></p></body></html>"""


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("qpress_print", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_written_for_the_installed_weasyprint(script):
    import weasyprint
    assert weasyprint.__version__ == script.PATCHED_VERSION


def test_the_internals_it_patches_are_there(script):
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    from weasyprint.text.ffi import pango
    import weasyprint.images
    from weasyprint.pdf import metadata
    assert list(inspect.signature(inline.justify_line).parameters) == ["context", "line", "extra_width"]
    assert list(inspect.signature(inline.count_expandable_spaces).parameters) == ["box"]
    assert list(inspect.signature(line_break.Layout.set_text).parameters)[:3] == ["self", "text", "justify"]
    assert list(inspect.signature(line_break.Layout.__init__).parameters)[:3] == ["self", "style", "justification_spacing"]
    for name in ("get_first_line", "deactivate"):
        assert callable(getattr(line_break.Layout, name))
    assert callable(line_break.line_size)
    for name in ("TextBox", "LineBox", "InlineBox"):
        assert isinstance(getattr(boxes, name), type)
    for name in ("pango_layout_get_attributes", "pango_attr_letter_spacing_new", "pango_attr_list_change"):
        assert hasattr(pango, name)
    assert weasyprint.images.md5 is not None and metadata.uuid4 is not None


def render(tmp_path, name, *options):
    html, pdf, blank = tmp_path / "page.html", tmp_path / f"{name}.pdf", tmp_path / "blank.css"
    html.write_text(PAGE, encoding="utf-8")
    blank.write_text("@page { size: 110mm 150mm; margin: 15mm; }", encoding="utf-8")
    subprocess.run(["python3", str(SCRIPT), "--base-url", f"{tmp_path}/", "--blank-css", str(blank), *options,
                    str(html), str(pdf)], check=True, capture_output=True, text=True)
    return pdf


def line_ends(pdf):
    """The right edge of each line of the first page, top to bottom, in points (pdftotext's word boxes)."""
    words = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    ends = {}
    for top, right in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="([\d.]+)"', words):
        ends[round(float(top))] = max(ends.get(round(float(top)), 0), float(right))
    return [ends[top] for top in sorted(ends)]


def test_justified_chinese_lines_end_together(tmp_path):
    patched = line_ends(render(tmp_path, "patched", "--justify-cjk"))[:-2]  # not the last line, nor the note
    plain = line_ends(render(tmp_path, "plain"))[:-2]
    assert len(patched) >= 4
    assert max(patched) - min(patched) < 0.5, patched
    assert max(patched) > max(plain) - 0.5
    # Without the patch WeasyPrint stretches only the spaces, so lines without one stop short: the check can fail.
    assert max(plain) - min(plain) > 2, plain


def test_text_footnote_padding_and_reproducible_identity(tmp_path):
    options = ["--justify-cjk", "--signature", "4", "--date", "2024-05-01T00:00:00+00:00", "--identifier", IDENTIFIER]
    first = render(tmp_path, "first", *options)
    text = subprocess.run(["pdftotext", str(first), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert re.sub(r"\s", "", pages[0]).startswith(re.sub(r"\s", "", PARAGRAPH))
    assert "脚注：数据来自企业质量年报。" in pages[0]
    info = subprocess.run(["pdfinfo", "-isodates", str(first)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+4$", info, re.M), info  # one page of text, padded to the signature of 4
    assert re.search(r"^CreationDate:\s+2024-05-01T00:00:00Z$", info, re.M), info
    raw = first.read_bytes()
    assert f"/ID [({IDENTIFIER})".encode() in raw  # the content's hash, not a random one
    assert render(tmp_path, "second", *options).read_bytes() == raw
