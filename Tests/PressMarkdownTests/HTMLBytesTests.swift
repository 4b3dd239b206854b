import PressCore
import PressTestSupport
import Testing
@testable import PressMarkdown

/// The HTML is kept as cmark-gfm's bytes, unchecked (`RenderedMarkdown.htmlBytes`): it must be UTF-8 for every
/// document, so that checking it (as `String(cString:)` did) would change nothing in any page.
@Suite struct HTMLBytesTests {
    /// Markdown syntax that makes cmark-gfm cut, escape or write text of its own, next to multi-byte characters.
    static let pieces = [
        "*", "**", "_", "~~", "~", "`", "```", "[", "]", "](", ")", "<", ">", "|", "\\", "&", "#", "!", "\n", "\r\n", "\r", "\t", "    ",
        "\n# ", "\n- [ ] ", "\n- [x] ", "\n| a | 质 |\n|---|---|\n", "[^1]", "\n[^1]: ", "[^注]", "\n[^注]: 脚注", "www.", "https://",
        "http://例子.中国/路径", ".com", "&#xD800;", "&#0;", "&#x110000;", "&#65;", "&amp;", "&copy;", "&bogus;", "\0", "<b>", "<script>",
        "<http://a.b/质>", "质", "量", "。", "）", "（", "é", "e\u{301}", "\u{301}", "🧑‍🏭", "\u{FEFF}", "\u{2028}", "\u{85}", "\u{A0}",
        "\u{3000}", "\u{200B}", "a", "1", " ", ".", "-", "=", "\n\n", "![图](a.png \"题\")", "<!-- 注 -->", "$", "{", "}",
    ]

    static func document(_ generator: inout SeededGenerator) -> String {
        (0..<Int.random(in: 1...60, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
    }

    @Test(arguments: [false, true])
    func htmlIsValidUTF8(allowRawHTML: Bool) {
        let renderer = MarkdownRenderer(options: .init(allowRawHTML: allowRawHTML))
        var generator = SeededGenerator(seed: allowRawHTML ? 1 : 2)
        let styles: [MarkdownRenderer.FootnoteStyle] = [.gfm, .endnotes, .inline]
        for index in 0..<3000 {
            let markdown = Self.document(&generator)
            let options = MarkdownRenderer.DocumentOptions(idPrefix: index % 5 == 0 ? "前缀--" : "", footnotes: styles[index % 3], cjkTypesetting: index % 2 == 0)
            let (rendered, _) = renderer.render(markdown, file: "x.md", document: options) { _ in
                index % 4 == 0 ? .replace("/质量/#%E8%AF%95") : .keep
            }
            #expect(Self.isUTF8(rendered.htmlBytes), "\(markdown.debugDescription)")
        }
    }

    /// The entities that cannot stand for a character become U+FFFD; a NUL in the text does too.
    @Test func invalidCodePointsComeOutAsReplacementCharacters() {
        let (rendered, _) = MarkdownRenderer().render("&#xD800;&#0;&#x110000;\u{0}质\n", file: "x.md")
        #expect(rendered.htmlBytes == Array("<p>\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}质</p>\n".utf8))
        #expect(rendered.html == "<p>\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}质</p>\n")
    }

    @Test func taskCheckboxesAreLabelledInTheBytes() {
        let (rendered, _) = MarkdownRenderer().render("- [x] 完成\n- [ ] 未做\n", file: "x.md")
        let html = rendered.html
        #expect(html.contains("aria-label=\"已完成\"") && html.contains("aria-label=\"未完成\""))
        #expect(MarkdownRenderer.labelTaskCheckboxes(Array("<p>无</p>".utf8)) == Array("<p>无</p>".utf8))
    }

    @Test func settingTheTextSetsTheBytes() {
        var (rendered, _) = MarkdownRenderer().render("正文\n", file: "x.md")
        rendered.html += "<ol>文献</ol>"
        #expect(rendered.htmlBytes == Array("<p>正文</p>\n<ol>文献</ol>".utf8))
    }
}
