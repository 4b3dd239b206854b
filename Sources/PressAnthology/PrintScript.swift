extension WeasyPrint {
    /// QualityPress's print step, written beside the print HTML and run by the python3 that imports WeasyPrint.
    /// Tested through the sample books (PrintedBookTests: padding to signatures, PDF/X-4).
    static let printScript = #"""
"""QualityPress's print step: WeasyPrint with what a book printer needs and WeasyPrint lacks.

Run as: python3 qpress_print.py [--variant pdf/x-4] [--signature N --blank-css FILE] HTML PDF
Pads the book with blank pages (page size, bleed and marks from FILE) to a multiple of N pages, so the
printer gets whole signatures; the variant's options (PDF/X-4 OutputIntent) apply to the padding too.
Written by QualityPress (Sources/PressAnthology/WeasyPrint.swift); edits here are lost.
"""
import argparse
import weasyprint

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('html')
    parser.add_argument('pdf')
    parser.add_argument('--base-url')
    parser.add_argument('--variant')
    parser.add_argument('--signature', type=int, default=1)
    parser.add_argument('--blank-css')
    args = parser.parse_args()
    options = {'pdf_variant': args.variant} if args.variant else {}
    document = weasyprint.HTML(filename=args.html, base_url=args.base_url).render(**options)
    missing = -len(document.pages) % max(1, args.signature)
    if missing:
        css = open(args.blank_css, encoding='utf-8').read() if args.blank_css else ''
        blanks = '<div style="break-before: page"></div>' * (missing - 1)
        blank = weasyprint.HTML(string=f'<html><head><style>{css}</style></head><body><div></div>{blanks}</body></html>')
        pages = blank.render(**options).pages
        document = document.copy(document.pages + pages[:missing])
    document.write_pdf(args.pdf, **options)


if __name__ == '__main__':
    main()
"""#
}
