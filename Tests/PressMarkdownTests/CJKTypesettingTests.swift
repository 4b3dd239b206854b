import PressMarkdown
import Testing

/// Print typesetting on the Markdown tree's text (issue 9, checks 7–9); the PDFs are checked in PressReadyTests.
@Suite struct CJKTypesettingTests {
    let q = "\u{2005}", wj = "\u{2060}"

    func render(_ markdown: String) -> String {
        MarkdownRenderer().render(markdown, file: "a.md", document: .init(cjkTypesetting: true)).0.html
    }

    @Test func quarterEmBetweenHanAndLatinOrDigits() {
        #expect(CJKTypesetting.space("采用ISO 9001标准") == "采用\(q)ISO 9001\(q)标准")
        #expect(CJKTypesetting.space("2020年全国") == "2020\(q)年全国")
        #expect(CJKTypesetting.space("已有 ISO 标准") == "已有 ISO 标准", "an existing space stays as written")
    }

    @Test func notInsideCodeURLsOrPre() {
        let html = render("采用ISO标准，见`配置A1项`与<https://example.cn/a1标准>。\n\n```\n代码A1行\n```\n")
        #expect(html.contains("采用\(q)ISO\(q)标准"))
        #expect(html.contains("<code>配置A1项</code>"))
        #expect(html.contains(">https://example.cn/a1标准</a>"))
        #expect(html.contains("代码A1行"))
    }

    @Test func lineStartAndLineEndJoiners() {
        #expect(CJKTypesetting.space("约50％左右") == "约\(q)50\(wj)％左右")
        #expect(CJKTypesetting.space("马克·吐温") == "马克\(wj)·吐温")
        #expect(CJKTypesetting.space("输入/输出") == "输入/\(wj)输出")
        #expect(CJKTypesetting.space("说——不") == "说—\(wj)—不")
    }

    @Test func noLoneCharacterOnTheLastLine() {
        #expect(CJKTypesetting.keepLastCharactersTogether("质量就是生命。") == "质量就是生\(wj)命。")
        #expect(CJKTypesetting.keepLastCharactersTogether("质量就是 ISO") == "质量就是 ISO")
        #expect(render("第一段落的最后两字。\n\n第二段。\n").contains("最后两\(wj)字。"))
        #expect(render("参见[《品牌之路》](a.md)。\n").contains("《\(wj)品牌之\(wj)路》</a>。"))
        // The website's HTML is not touched.
        #expect(!MarkdownRenderer().render("采用ISO标准。", file: "a.md").0.html.contains(q))
    }
}
