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

/// The same pass on the print HTML, for what templates write (issue "Foundation" 6).
@Suite struct CJKTypesettingHTMLTests {
    let q = "\u{2005}", wj = "\u{2060}"

    @Test func templateTextIsSpacedButHeadCodeAndSuperscriptsAreNot() {
        let html = """
        <!DOCTYPE html><html><head><title>2020年书</title><style>p > a { content: "2020年" }</style></head><body>
        <p class="half-title-subtitle">2020年全国“质量月”活动成果</p>
        <tr><th>版　　次</th><td>2020年11月第1版</td></tr>
        <span class="paper-author">张三<sup>1</sup></span><code>A1项</code><sub>2</sub>
        <p>通过<strong>ISO</strong>认证，见<a href="https://example.cn/a1">https://example.cn/a1</a>。</p>
        </body></html>
        """
        let typeset = CJKTypesetting.typesetHTML(html)
        #expect(typeset.contains("<title>2020年书</title><style>p > a { content: \"2020年\" }</style>"))
        #expect(typeset.contains("<p class=\"half-title-subtitle\">2020\(q)年全国“\(wj)质量月”活动成\(wj)果</p>"))
        #expect(typeset.contains("<td>2020\(q)年\(q)11\(q)月第\(q)1\(q)版</td>"))
        #expect(typeset.contains("张三<sup>1</sup></span><code>A1项</code><sub>2</sub>"))
        #expect(typeset.contains("通过<strong>\(q)ISO</strong>\(q)认证"), "spaced across inline tags")
        #expect(typeset.contains(">https://example.cn/a1</a>"))
        // Headings (the PDF's bookmarks) get the spaces but no word joiners.
        #expect(CJKTypesetting.typesetHTML("<h1>附录　2020年“质量月”口号</h1>") == "<h1>附录　2020\(q)年“质量月”口号</h1>")
    }

    @Test func anAffiliationLineKeepsItsLastTwoCharactersTogether() {
        let html = "<p class=\"paper-affiliations\">（<span>1. 甲机械厂</span><span>2. 乙齿轮厂</span>）</p>"
        // A span is a run of its own (the stylesheet puts `；` between two): no space before `2.`.
        #expect(CJKTypesetting.typesetHTML(html) == "<p class=\"paper-affiliations\">（<span>1. 甲机械厂</span><span>2. 乙齿轮\(wj)厂</span>）</p>")
        // Not in a table of contents: its entries are titles, and bookmarks are made from them.
        let toc = "<nav><ol><li><a href=\"#a\">质量就是生命</a></li></ol></nav>"
        #expect(CJKTypesetting.typesetHTML(toc) == toc)
    }

    @Test func typesettingTwiceChangesNothing() {
        let html = "<body><p>采用ISO 9001标准，约50％左右，马克·吐温（《输入/输出》）说——不</p><ul><li>第2项</li></ul></body>"
        let once = CJKTypesetting.typesetHTML(html)
        #expect(once != html)
        #expect(CJKTypesetting.typesetHTML(once) == once)
        let markdown = MarkdownRenderer().render("采用ISO标准（见“A”）。\n", file: "a.md", document: .init(cjkTypesetting: true)).0.html
        #expect(CJKTypesetting.typesetHTML(markdown) == markdown, "the Markdown's own pass and this one agree")
    }
}
