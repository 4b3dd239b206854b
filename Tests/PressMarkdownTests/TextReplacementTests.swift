import Testing
@testable import PressMarkdown

/// The hook citations use: runs of text (cmark splits `[@key]` into pieces) offered whole, with their line.
@Suite struct TextReplacementTests {
    @Test func runsAreOfferedWholeAndReplaced() {
        var offered: [(String, Int)] = []
        let markdown = "# 题目\n\n见[@a, p. 29]与[链接](http://x.org/@b)。\n\n`[@code]`\n"
        let (rendered, problems) = MarkdownRenderer().render(markdown, file: "x.md", firstLine: 5, replaceText: { text, line in
            offered.append((text, line))
            guard let range = text.range(of: "[@a, p. 29]") else { return nil }
            return [.text(String(text[..<range.lowerBound])), .html("<sup>[1]29</sup>"), .text(String(text[range.upperBound...]) + "<&>")]
        })
        #expect(problems.isEmpty)
        #expect(offered.map(\.0) == ["题目", "见[@a, p. 29]与", "。"])
        #expect(offered.map(\.1) == [5, 7, 7])
        #expect(rendered.html.contains(#"<p>见<sup>[1]29</sup>与&lt;&amp;&gt;<a href="http://x.org/@b">链接</a>。</p>"#))
        #expect(rendered.html.contains("<code>[@code]</code>"))
    }
}
