import Testing
import PressMarkdown

/// libcmark-gfm adds its extensions' special characters to a global table for each inline parse and
/// removes them after; CCmarkSpecials keeps them, so documents parse at once without a lock.
@Suite struct ParallelInlineTests {
    /// Strikethrough, a table, both kinds of autolink and a task list: each needs a special character
    /// that another document's parse used to clear.
    static func document(_ index: Int, sections: Int) -> String {
        (1...sections).map { section in
            "## 第\(index)-\(section)节\n\n~~旧的\(section)~~ 见 www.example.org/\(index) 与 https://example.org/a\(section)。\n\n| 甲 | 乙 |\n|---|---|\n| \(index) | ~~\(section)~~ |\n\n- [x] 已完成\n"
        }.joined(separator: "\n")
    }

    static func sections(_ index: Int) -> Int { 20 + 60 * index }

    static func html(_ markdown: String) -> String {
        MarkdownRenderer().render(markdown, file: "a.md").0.html
    }

    @Test func theLibrarysCallReachesCCmarkSpecials() {
        _ = Self.html("~~a~~\n")
        #expect(MarkdownRenderer.inlinesParseInParallel)
    }

    /// Documents of different lengths on many tasks, so that one's parse ends while another's runs:
    /// each must equal its render alone.
    @Test func documentsParsedAtOnceKeepTheirExtensions() async {
        let expected = (0..<6).map { Self.html(Self.document($0, sections: Self.sections($0))) }
        #expect(expected.allSatisfy { $0.contains("<del>旧的20</del>") && $0.contains("<td><del>20</del></td>") && $0.contains("href=\"http://www.example.org/") })
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for round in 0..<16 {
                for index in 0..<6 { group.addTask { (index, Self.html(Self.document(index, sections: Self.sections(index)) + String(repeating: "\n", count: round))) } }
            }
            return await group.reduce(into: [(Int, String)]()) { $0.append($1) }
        }
        #expect(results.count == 96)
        #expect(results.allSatisfy { expected[$0.0] == $0.1 })
    }
}
