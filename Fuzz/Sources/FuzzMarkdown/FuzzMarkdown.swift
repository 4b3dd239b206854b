import Foundation
import FuzzSupport
import PressCore
import PressMarkdown

/// One document's Markdown, rendered for the site and for a book (ids prefixed, end notes and inline notes).
/// Raw HTML is off, as by default: no tag the input writes may reach the output.
@_cdecl("FuzzMarkdown_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { bytes, count in fuzzMarkdown(bytes, count) }
}

/// libFuzzer's library refers to this name even when its driver is given the callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzMarkdown(bytes, count) }

func fuzzMarkdown(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    let file = "Content/stories/fuzz.md"
    // The loader refuses what libcmark-gfm's table extension takes quadratic time over.
    guard MarkdownLimits.problem(in: text, file: file, firstLine: 1) == nil else { return 0 }
    let renderer = MarkdownRenderer()
    // A hostile prefix: the slug rule forbids it, and the renderer escapes it all the same.
    let prefix = "x\"><script>--"
    for options in [MarkdownRenderer.DocumentOptions(), .init(idPrefix: prefix, footnotes: .endnotes), .init(idPrefix: prefix, footnotes: .inline, cjkTypesetting: true)] {
        let (rendered, diagnostics) = renderer.render(text, file: file, document: options) { _ in .keep }
        Property.diagnostics(diagnostics, name: [file])
        // The HTML is kept unchecked (`RenderedMarkdown.htmlBytes`): it must be UTF-8 whatever the text.
        Property.check(Array(rendered.html.utf8) == rendered.htmlBytes, "the HTML is not UTF-8")
        Property.html(rendered.html, from: text)
        Property.check(!rendered.html.contains(prefix), "the id prefix reached the HTML unescaped")
        Property.check(Set(rendered.headings.map(\.id)).count == rendered.headings.count, "two headings share an id")
    }
    return 0
}
