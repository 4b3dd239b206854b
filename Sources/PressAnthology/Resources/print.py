"""QualityPress's print step: WeasyPrint with what a book printer needs and WeasyPrint lacks.

Run as: python3 qpress_print.py [--variant pdf/x-4] [--signature N --blank-css FILE] [--justify-cjk]
                                [--date W3C-DATE] [--identifier HEX32] HTML PDF
Pads the book with blank pages (page size, bleed and marks from FILE) to a multiple of N pages, so the
printer gets whole signatures; the variant's options (PDF/X-4 OutputIntent) apply to the padding too.
With --justify-cjk, justified lines with Chinese reach the right edge: WeasyPrint 70 stretches only
spaces (its issue 2269), so this patch (for WeasyPrint 70.0 only; Tests/print and PressReadyTests fail
when an upgrade breaks it) spreads the slack over every Chinese character and space of the line, as letter
spacing, measuring the result with Pango and correcting it twice.
--date and --identifier make the PDF reproducible: the dates (info and XMP) are the book's date instead of
the clock, and the trailer /ID and XMP DocumentID come from a hash of the content instead of uuid4().
Written beside the print HTML by QualityPress from its resource Sources/PressAnthology/Resources/print.py;
edits to the copy are lost.
"""
import argparse
import hashlib
import re
import sys
import uuid

import weasyprint
import weasyprint.images
import weasyprint.urls
from weasyprint.pdf import metadata as pdf_metadata

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('html')
    parser.add_argument('pdf')
    parser.add_argument('--base-url')
    parser.add_argument('--variant')
    parser.add_argument('--signature', type=int, default=1)
    parser.add_argument('--blank-css')
    parser.add_argument('--justify-cjk', action='store_true')
    parser.add_argument('--date')
    parser.add_argument('--identifier')
    args = parser.parse_args()
    if args.justify_cjk:
        if weasyprint.__version__ == PATCHED_VERSION:
            install_cjk_justification()
        else:
            print(f'ERROR: Chinese justification is written for WeasyPrint {PATCHED_VERSION}, not '
                  f'{weasyprint.__version__}: lines without spaces stay ragged', file=sys.stderr)
    options = {'pdf_variant': args.variant} if args.variant else {}
    if args.identifier:
        options['pdf_identifier'] = args.identifier.encode()
        # WeasyPrint 70 writes xmpMM:DocumentID from uuid4(): make it the content's.
        pdf_metadata.uuid4 = lambda: uuid.UUID(hex=args.identifier)
    if args.base_url:
        # WeasyPrint 70 names an image by the md5 of its URL, which holds the temporary work folder:
        # hash it without that folder, so two builds of a book with photos give the same bytes.
        folder = weasyprint.urls.path2url(args.base_url).encode()
        weasyprint.images.md5 = lambda data, **kw: hashlib.md5(data.replace(folder, b''), **kw)
    document = weasyprint.HTML(filename=args.html, base_url=args.base_url).render(**options)
    missing = -len(document.pages) % max(1, args.signature)
    if missing:
        css = open(args.blank_css, encoding='utf-8').read() if args.blank_css else ''
        blanks = '<div style="break-before: page"></div>' * (missing - 1)
        blank = weasyprint.HTML(string=f'<html><head><style>{css}</style></head><body><div></div>{blanks}</body></html>')
        pages = blank.render(**options).pages
        document = document.copy(document.pages + pages[:missing])
    if args.date:
        # Without these, PDF/X output takes the clock's time for /CreationDate, /ModDate and the XMP dates.
        document.metadata.created = document.metadata.modified = args.date
    document.write_pdf(args.pdf, **options)


# ---- Chinese justification (WeasyPrint 70.0) -------------------------------------------------

from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout import inline  # noqa: E402
from weasyprint.text import line_break  # noqa: E402
from weasyprint.text.ffi import TO_UNITS, ffi, pango  # noqa: E402

PATCHED_VERSION = '70.0'


CJK = ('\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\U00020000-\U0003134F'
       '\u2014\u2026\u00B7\u2018\u2019\u201C\u201D')
CJK_RUN = re.compile(f'[{CJK}]+')
CJK_CHARACTER = re.compile(f'[{CJK}]')


def text_boxes(box):
    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from text_boxes(child)


def install_cjk_justification():
    original_justify = inline.justify_line
    original_set_text = line_break.Layout.set_text

    def set_text(self, text, justify=False):
        original_set_text(self, text, justify)
        spacing = getattr(self, 'qp_cjk_spacing', 0)
        if not (justify and spacing):
            return
        attr_list = pango.pango_layout_get_attributes(self.layout)
        if attr_list == ffi.NULL:
            attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
        # One attribute per run of Chinese characters, not per character: Pango merges equal adjacent
        # attributes anyway, so the layout is the same, for a tenth of the calls.
        units, text, position, done = int(spacing * TO_UNITS), self.text, 0, 0
        for run in CJK_RUN.finditer(text):
            position += len(text[done:run.start()].encode())
            size = len(run.group().encode())
            attr = pango.pango_attr_letter_spacing_new(units)
            attr.start_index, attr.end_index = position, position + size
            pango.pango_attr_list_change(attr_list, attr)
            position, done = position + size, run.end()
        pango.pango_layout_set_attributes(self.layout, attr_list)

    def justify_line(context, line, extra_width):
        texts = list(text_boxes(line))
        characters = sum(len(CJK_CHARACTER.findall(box.text)) for box in texts)
        if not characters:
            return original_justify(context, line, extra_width)
        # A quarter-em space (U+2005) where the line broke is not stripped like U+0020: drop it, so the
        # slack it held goes to the characters and the visible text reaches the edge.
        last = texts[-1]
        if last.text.endswith('\u2005') and len(last.text) > 1:
            last.text = last.text.rstrip('\u2005')
            layout = line_break.Layout(last.style, 0)
            layout.set_text(last.text)
            first_line, _ = layout.get_first_line()
            width, _ = line_break.line_size(first_line, last.style)
            layout.deactivate()
            extra_width += last.width - width
            last.width = width
        spaces = inline.count_expandable_spaces(line)
        saved = [(box, box.position_x, box.width) for box in _all(line)]
        spacing = extra_width / (characters + spaces)
        for _ in range(3):
            for box, x, width in saved:
                box.position_x, box.width = x, width
            achieved = _apply(context, line, spacing, 0)
            if abs(achieved - extra_width) < 0.05 or achieved <= 0:
                break
            spacing *= extra_width / achieved

    inline.justify_line = justify_line
    line_break.Layout.set_text = set_text


def _all(box):
    yield box
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            yield from _all(child)


def _apply(context, box, spacing, x_advance):
    """Like WeasyPrint's add_word_spacing, with letter spacing on CJK characters and measured widths."""
    if isinstance(box, boxes.TextBox):
        box.justification_spacing = spacing
        box.position_x += x_advance
        layout = line_break.Layout(box.style, spacing)
        layout.qp_cjk_spacing = spacing
        layout.set_text(box.text, justify=True)
        first_line, _ = layout.get_first_line()
        width, _ = line_break.line_size(first_line, box.style)
        layout.deactivate()
        extra = width - box.width
        box.width = width
        box.pango_layout = layout
        return x_advance + extra
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _apply(context, child, spacing, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


if __name__ == '__main__':
    main()
