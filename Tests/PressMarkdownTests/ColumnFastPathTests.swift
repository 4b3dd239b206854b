import PressCore
import Testing
@testable import PressMarkdown

/// The fast counts of the Markdown pass against the standard library's, on text that mixes what they
/// count quickly with what they leave to it.
@Suite struct ColumnFastPathTests {
    static let pieces = ["质量", "a", "，", "。", "　", "ＡＢ", "\u{302A}", "e\u{301}", "\r", "\r\n", "👩‍🔧", "ｶﾞ", "\u{3099}", "表1", "한글",
                         "\u{600}1", "Ω", "—", "𠀀", "|", "\n"]

    @Test func characterCountsAsTheStringCounts() {
        var texts: [String] = Self.pieces
        for first in Self.pieces { for second in Self.pieces { texts.append(first + second + first) } }
        for text in texts {
            let bytes = Array(text.utf8)
            // Every cut, including those through a character: the String repairs them, and so must the count.
            for start in 0...bytes.count {
                for end in start...bytes.count {
                    let slice = bytes[start..<end]
                    #expect(CharacterColumns.characterCount(slice) == String(decoding: slice, as: UTF8.self).count, "\(text.debugDescription) \(start)..<\(end)")
                }
            }
        }
    }

    @Test func linkColumnsCountCharactersOnChineseLines() {
        let markdown = "参见[第21篇](a.md)和[第34篇](b.md)。\ne\u{301}[x](c.md)\n"
        let (rendered, _) = MarkdownRenderer().render(markdown, file: "x.md")
        #expect(rendered.links.map(\.column) == [3, 16, 2])
    }

    @Test func pipesCountedPerLineOnlyWhenTheTextHoldsMany() {
        let cells = String(repeating: "| 质量 ", count: 200) + "|\n"
        #expect(MarkdownLimits.problem(in: cells + cells, file: "x.md", firstLine: 1) == nil)
        #expect(MarkdownLimits.problem(in: String(repeating: "|", count: 257), file: "x.md", firstLine: 4)?.description.hasPrefix("x.md:4: ") == true)
    }

    @Test func byteSearchFindsNeedlesAtEveryPlace() {
        let text = "<p>质量</p><input type=\"checkbox\" disabled=\"\" /><i"
        for end in text.utf8.indices {
            let prefix = String(text[..<end])
            for needle in ["<i", "<input", "\" />", "质", "<p>", "</p><", "x"] {
                #expect(ByteSearch.contains(prefix, needle) == (Array(prefix.utf8).firstRange(of: Array(needle.utf8)) != nil), "\(prefix) \(needle)")
            }
        }
    }
}

/// The search text gathered in bytes: text, code, breaks, table cells and what replaced text left.
@Suite struct PlainTextBytesTests {
    @Test func gathersTheTextOfEveryKindOfNode() {
        let markdown = "# 标题 &amp; `代码`\n\n质量\u{0}管理\n第二行  \n硬换行\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n```\ncode 块\n```\n\n- 项 [链接](a.md)\n"
        let (rendered, _) = MarkdownRenderer().render(markdown, file: "x.md")
        #expect(rendered.plainText == "标题 & 代码\n质量\u{FFFD}管理 第二行 硬换行\n甲 乙 1 2 code 块\n项 链接\n\n")
    }

    @Test func keepsTheTextOfReplacedRuns() {
        let (rendered, _) = MarkdownRenderer().render("见 [@a] 文。\n", file: "x.md", replaceText: { text, _ in
            text.contains("@a") ? [.text("见 "), .html("<a>[1]</a>", text: "[1]"), .text(" 文。")] : nil
        })
        #expect(rendered.plainText == "见 [1] 文。\n")
    }
}
