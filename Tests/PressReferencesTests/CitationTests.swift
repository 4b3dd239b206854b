import PressCore
import Testing
@testable import PressReferences

@Suite struct CitationSyntaxTests {
    @Test func bracketedNarrativeLocatorsAndNotCitations() {
        let groups = CitationSyntax.find(in: "见[@a]和[@b, p. 29]，又[@c, 30; @d]。@e指出，@f [pp. 3–5] 也是。邮件 x@y.com 与 [链接] 和 [@ 空]")
        #expect(groups.map(\.citations) == [
            [Citation(key: "a")], [Citation(key: "b", locator: "29")], [Citation(key: "c", locator: "30"), Citation(key: "d")],
            [Citation(key: "e")], [Citation(key: "f", locator: "3-5")],
        ])
        #expect(groups.map(\.narrative) == [false, false, false, true, true])
        #expect(CitationSyntax.find(in: "ends with @key.").first?.citations == [Citation(key: "key")])
        // Not a bracketed citation: the `@a` inside stays a narrative one.
        #expect(CitationSyntax.find(in: "[@a; not a key]").map(\.narrative) == [true])
    }
}

@Suite struct CitationRendererTests {
    static func bibliography() throws -> Bibliography {
        var bibliography = Bibliography()
        bibliography.add(try Fixture.entries("sample.json"))
        return bibliography
    }

    func render(_ text: String, style: CitationStyle = .numeric) throws -> (String, CitationRenderer) {
        var renderer = CitationRenderer(bibliography: try Self.bibliography(), style: style, idPrefix: "p-")
        let segments = renderer.replaceCitations(in: text, file: "Content/papers/x.md", line: 7) ?? []
        let html = segments.map { segment -> String in
            switch segment {
            case .text(let text): text
            case .html(let html): html
            }
        }.joined()
        return (html, renderer)
    }

    @Test func numbersFollowFirstCitationAndRangesCompress() throws {
        let (html, renderer) = try render("甲[@han2016]，乙[@gbt19001; @han2016; @li2020pump]，丙[@chen2019hydraulic; @han2016]，再[@han2016, p. 29]。")
        #expect(renderer.cited == ["han2016", "gbt19001", "li2020pump", "chen2019hydraulic"])
        #expect(html.contains(##"甲<sup class="citation" id="p-cite-1">[<a href="#p-ref-1">1</a>]</sup>"##))
        #expect(html.contains(##"乙<sup class="citation" id="p-cite-2">[<a href="#p-ref-1">1</a>-<a href="#p-ref-3">3</a>]</sup>"##))
        #expect(html.contains(##"丙<sup class="citation" id="p-cite-3">[<a href="#p-ref-1">1</a>,<a href="#p-ref-4">4</a>]</sup>"##))
        #expect(html.contains(##"再<sup class="citation" id="p-cite-4">[<a href="#p-ref-1">1</a>]29</sup>。"##))
    }

    @Test func narrativeCitationNamesTheAuthors() throws {
        let (html, _) = try render("@sun2019qc指出；@chen2019hydraulic认为；@duane1964 showed")
        #expect(html.hasPrefix(##"孙晓梅等<sup class="citation" id="p-cite-1">[<a href="#p-ref-1">1</a>]</sup>指出；陈立明和刘海涛<sup"##))
        #expect(html.contains("DUANE<sup"))
    }

    @Test func theListHoldsOnlyCitedEntriesAndLinksBack() throws {
        let (_, renderer) = try render("[@han2016] [@gbt19001] [@han2016]")
        let list = try #require(renderer.referenceListHTML())
        #expect(list.hasPrefix("<section class=\"references\" id=\"p-references\">\n<h2>参考文献</h2>\n<ol class=\"references-list\">\n"))
        #expect(list.contains(##"<li id="p-ref-1"><span class="reference-number">[1]</span> 韩志刚. 顾客满意度测评理论与方法[M]. 北京: 中国农业出版社, 2016. <a class="reference-back" href="#p-cite-1" aria-label="回到引用处">↩</a></li>"##))
        #expect(list.contains(##"<li id="p-ref-2"><span class="reference-number">[2]</span> 全国质量管理和质量保证标准化技术委员会."##))
        #expect(!list.contains("DUANE"))
        #expect(CitationRenderer(bibliography: try Self.bibliography()).referenceListHTML() == nil)
    }

    @Test func authorDateCitations() throws {
        let (html, renderer) = try render("[@sun2019qc] [@duane1964, 29] @han2016认为 [@han2016; @chen2019hydraulic]", style: .authorDate)
        #expect(html.contains(##"（<a href="#p-ref-1">孙晓梅 等，2019</a>）"##))
        #expect(html.contains(##"(<a href="#p-ref-2">DUANE, 1964</a>)<sup>29</sup>"##))
        #expect(html.contains(##"<a href="#p-ref-3">韩志刚</a>（2016）"##))
        #expect(html.contains(##"（<a href="#p-ref-3">韩志刚，2016</a>；<a href="#p-ref-4">陈立明, 刘海涛，2019</a>）"##))
        #expect(renderer.listedEntries.map(\.key).last == "duane1964")
    }

    @Test func anUnknownKeyIsAnErrorWithTheNearestKeys() throws {
        let (html, renderer) = try render("见[@han2061]。")
        #expect(html == "见[@han2061]。")
        #expect(renderer.diagnostics.map(\.description) == [
            "Content/papers/x.md:7: error: unknown citation key 'han2061' (nearest: 'han2016', 'calkin2011', 'duane1964')",
        ])
    }
}
