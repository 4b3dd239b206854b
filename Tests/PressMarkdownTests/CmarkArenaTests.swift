import Testing
@testable import PressMarkdown

/// cmark's memory comes from a per-thread arena reused after each document (`CmarkArena`): documents
/// larger than its blocks, strings grown past them, renders nested in a render and parallel renders
/// must all come out as they would with `calloc`.
@Suite struct CmarkArenaTests {
    /// One paragraph with a link, a heading, emphasis and a table cell's worth of text: its HTML is known.
    static func section(_ index: Int) -> String {
        "## 第\(index)节\n\n质量是企业的生命，*持续改进* [第\(index)篇](s\(index).md#方案)。~~旧~~\n\n| 甲 | 乙 |\n|---|---|\n| \(index) | 二 |\n"
    }

    static func html(_ markdown: String) -> String {
        MarkdownRenderer().render(markdown, file: "a.md").0.html
    }

    /// 3,000 sections make a tree spanning many 256 KiB blocks and an HTML string of about 600 KB grown
    /// by `realloc` past the large-allocation size; each section renders as it does alone.
    @Test func aDocumentLargerThanTheBlocksRendersAsItsParts() {
        let count = 3_000
        let parts = (1...count).map { Self.html(Self.section($0)) }
        let whole = Self.html((1...count).map(Self.section).joined(separator: "\n"))
        #expect(whole.utf8.count > 500_000)
        // Headings get unique ids within a document only; the rest is the same bytes.
        #expect(whole == parts.joined())
        // The arena is reused: a small document after the large one is still right.
        #expect(Self.html(Self.section(7)) == parts[6])
    }

    /// A render inside a render (a replacement made from Markdown) must not reset the outer document's memory.
    @Test func aRenderNestedInARenderLeavesTheOuterDocumentIntact() {
        let outer = (1...200).map(Self.section).joined(separator: "\n") + "\n见[@a]。\n"
        let (rendered, problems) = MarkdownRenderer().render(outer, file: "a.md", replaceText: { text, _ in
            guard text.contains("[@a]") else { return nil }
            let inner = Self.html((1...200).map(Self.section).joined(separator: "\n"))
            return [.html("<span>\(inner.utf8.count)</span>")]
        })
        #expect(problems.isEmpty)
        let expected = (1...200).map { Self.html(Self.section($0)) }.joined()
        #expect(rendered.html.hasPrefix(expected))
        #expect(rendered.html.hasSuffix("<p><span>\(expected.utf8.count)</span></p>\n"))
    }

    /// Parallel renders: each thread has its own arena.
    @Test func documentsRenderedOnManyThreadsAreUnchanged() async {
        let expected = (1...40).map { Self.html(Self.section($0)) }
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for round in 0..<8 {
                for index in 1...40 { group.addTask { (index, Self.html(Self.section(index) + String(repeating: "\n", count: round))) } }
            }
            return await group.reduce(into: [(Int, String)]()) { $0.append($1) }
        }
        #expect(results.count == 320)
        #expect(results.allSatisfy { expected[$0.0 - 1] == $0.1 })
    }
}
