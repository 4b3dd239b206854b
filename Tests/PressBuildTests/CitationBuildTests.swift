import Foundation
import PressBuild
import PressTestSupport
import Testing

/// Papers citing `[@key]` from their `bibliography:` files and the site-wide `Content/references.*`.
@Suite struct CitationBuildTests {
    static func paper(bibliography: String, body: String) -> String {
        """
        ---
        title: 论文
        authors:
          - name: 李华
            affiliation: 示例液压件厂
        date: 2020-10-08
        abstract: 摘要。
        bibliography: \(bibliography)
        ---
        \(body)
        """
    }

    static let bib = """
    @book{han2016,
      author = {韩志刚}, title = {顾客满意度测评理论与方法},
      address = {北京}, publisher = {中国农业出版社}, year = 2016,
    }
    @article{duane1964,
      author = {Duane, J. T.}, title = {Learning curve approach to reliability monitoring},
      journal = {IEEE Transactions on Aerospace}, volume = 2, number = 2, pages = {563--566}, year = 1964,
    }
    @book{uncited, author = {某人}, title = {未引用}, address = {北京}, publisher = {某社}, year = 2000}
    """

    static let siteWide = """
    [{"id": "gbt19001", "type": "standard", "author": [{"literal": "全国质量管理和质量保证标准化技术委员会"}],
      "title": "质量管理体系 要求", "number": "GB/T 19001—2016", "publisher-place": "北京",
      "publisher": "中国标准出版社", "issued": {"date-parts": [[2017]]}}]
    """

    func build(_ site: TemporarySite) async -> BuildResult {
        await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
    }

    @Test func citationsBecomeNumberedSuperscriptsAndAReferenceList() async throws {
        let site = try TemporarySite([
            "Content/papers/a.md": Self.paper(bibliography: "refs.bib",
                body: "## 引言\n\n韩志刚[@han2016]，又见[@gbt19001; @han2016, p. 29]。@duane1964 提出了杜安模型。\n"),
            "Content/papers/refs.bib": Self.bib,
            "Content/references.json": Self.siteWide,
        ])
        defer { site.remove() }
        let result = await build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        let html = try #require(site.read("Output/papers/a/index.html"))
        #expect(html.contains(##"韩志刚<sup class="citation" id="cite-1">[<a href="#ref-1">1</a>]</sup>"##))
        #expect(html.contains(##"又见<sup class="citation" id="cite-2">[<a href="#ref-2">2</a>][<a href="#ref-1">1</a>]29</sup>"##))
        #expect(html.contains(##"DUANE<sup class="citation" id="cite-3">[<a href="#ref-3">3</a>]</sup> 提出了杜安模型"##))
        #expect(html.contains("<h2>参考文献</h2>"))
        #expect(html.contains(##"<li id="ref-2"><span class="reference-number">[2]</span> 全国质量管理和质量保证标准化技术委员会. 质量管理体系 要求: GB/T 19001—2016[S]. 北京: 中国标准出版社, 2017. <a class="reference-back" href="#cite-2""##))
        #expect(!html.contains("未引用"))
        #expect(!site.exists("Output/papers/refs.bib"))
        #expect(!site.exists("Output/references.json"))
    }

    @Test func unknownKeysMissingFilesAndMalformedFilesAreErrorsWithTheirLines() async throws {
        let site = try TemporarySite([
            "Content/papers/a.md": Self.paper(bibliography: "[refs.bib, nope.bib]", body: "见[@han2061]。\n"),
            "Content/papers/refs.bib": Self.bib,
            "Content/references.json": "[\n  {\"id\": \"x\", \"type\": \"book\",}\n]",
        ])
        defer { site.remove() }
        let result = await build(site)
        #expect(!result.succeeded)
        #expect(result.diagnostics.map(\.description) == [
            "Content/papers/a.md:8: error: bibliography file 'Content/papers/nope.bib' does not exist",
            "Content/papers/a.md:10: error: unknown citation key 'han2061' (nearest: 'han2016', 'duane1964', 'uncited')",
            "Content/references.json:2: error: malformed JSON: expected a quoted member name",
        ])
        try site.write(Self.paper(bibliography: "refs.bib", body: "见[@han2061]。\n"), to: "Content/papers/a.md")
        let second = await build(site)
        #expect(second.diagnostics.map(\.description) == [
            "Content/papers/a.md:10: error: unknown citation key 'han2061' (nearest: 'han2016', 'duane1964', 'uncited')",
            "Content/references.json:2: error: malformed JSON: expected a quoted member name",
        ])
    }
}

@Suite struct CitationIncrementalBuildTests {
    @Test func changingABibliographyRendersThePaperAgain() async throws {
        let site = try TemporarySite([
            "Content/papers/a.md": CitationBuildTests.paper(bibliography: "refs.bib", body: "见[@han2016]。\n"),
            "Content/papers/refs.bib": CitationBuildTests.bib,
        ])
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme))
        #expect(await builder.build().succeeded)
        #expect(site.read("Output/papers/a/index.html")?.contains("顾客满意度测评理论与方法[M]") == true)
        try site.write(CitationBuildTests.bib.replacingOccurrences(of: "顾客满意度测评理论与方法", with: "新书名"), to: "Content/papers/refs.bib")
        #expect(await builder.build().succeeded)
        #expect(site.read("Output/papers/a/index.html")?.contains("新书名[M]") == true)
    }
}

@Suite struct CitationStyleBuildTests {
    @Test func authorDateFromSiteYAMLAndMissingFieldsAreWarnings() async throws {
        let site = try TemporarySite([
            "Content/site.yml": "title: 测试站点\nbase_url: https://example.org/\ncitation_style: author-date\n",
            "Content/papers/a.md": CitationBuildTests.paper(bibliography: "refs.bib", body: "见[@han2016]，@duane1964认为[@nopub]。\n"),
            "Content/papers/refs.bib": CitationBuildTests.bib + "\n@book{nopub, author = {王五}, title = {无出版者}, year = 2001}\n",
        ])
        defer { site.remove() }
        let result = await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
        #expect(result.succeeded)
        #expect(result.diagnostics.map(\.description) == [
            "Content/papers/refs.bib:10: warning: entry 'nopub' has no 'publisher', which GB/T 7714 requires for a [M] entry",
        ])
        let html = try #require(site.read("Output/papers/a/index.html"))
        #expect(html.contains(##"见<span class="citation" id="cite-1">（<a href="#ref-1">韩志刚，2016</a>）</span>"##))
        #expect(html.contains(##"<a href="#ref-2">DUANE</a> (1964)</span>认为"##))
        #expect(html.contains("<ul class=\"references-list\">"))
        #expect(html.contains("韩志刚, 2016. 顾客满意度测评理论与方法[M]. 北京: 中国农业出版社."))
    }

    @Test func anUnknownCitationStyleIsAnError() async throws {
        let site = try TemporarySite(["Content/site.yml": "title: 测试站点\ncitation_style: harvard\n"])
        defer { site.remove() }
        let result = await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
        #expect(result.diagnostics.map(\.description) == [
            "Content/site.yml:2: error: citation_style must be numeric (顺序编码制) or author-date (著者-出版年制)",
        ])
    }
}
