import Foundation
import PressBuild
import PressTestSupport
import PressSearch
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
                body: "## 引言\n\n韩志刚[@han2016]，又见[@gbt19001; @han2016, p. 29]。@duane1964 提出了杜安模型[^1]。\n\n[^1]: 一个注释。\n"),
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
        // Its footnote is a note beside the list (headed 注释 by the stylesheet), not a second 参考文献.
        #expect(html.contains(#"<section class="footnotes notes" data-footnotes>"#))
        #expect(html.contains(#"<sup class="footnote-ref note-ref">"#))
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
        // While a file the paper cites from cannot be read, its keys are not called unknown: the file's error says why.
        #expect(result.diagnostics.map(\.description) == [
            "Content/papers/a.md:8: error: bibliography file 'Content/papers/nope.bib' does not exist",
            "Content/references.json:2: error: malformed JSON: expected a quoted member name",
        ])
        try site.write(Self.paper(bibliography: "refs.bib", body: "见[@han2061]。\n"), to: "Content/papers/a.md")
        try site.write(Self.siteWide, to: "Content/references.json")
        let second = await build(site)
        #expect(second.diagnostics.map(\.description) == [
            "Content/papers/a.md:10: error: unknown citation key 'han2061' (nearest: 'han2016', 'duane1964', 'gbt19001')",
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

    /// The build's fingerprint holds the bibliography files the content walk finds; a paper citing from
    /// one it does not (hidden, or outside the papers' folder) is rendered again on every build.
    @Test(arguments: [("../refs/x.bib", "Content/refs/x.bib"), (".refs.bib", "Content/papers/.refs.bib")])
    func aBibliographyTheWalkDoesNotSeeStillRendersThePaperAgain(named: String, at file: String) async throws {
        let site = try TemporarySite([
            "Content/papers/a.md": CitationBuildTests.paper(bibliography: named, body: "见[@han2016]。\n"),
            "Content/papers/b.md": CitationBuildTests.paper(bibliography: "", body: "无引用。\n").replacingOccurrences(of: "bibliography: \n", with: ""),
            file: CitationBuildTests.bib,
        ])
        defer { site.remove() }
        let builder = SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme))
        #expect(await builder.build().succeeded)
        #expect(site.read("Output/papers/a/index.html")?.contains("顾客满意度测评理论与方法[M]") == true)
        let untouched = site.inode("Output/papers/b/index.html")
        try site.write(CitationBuildTests.bib.replacingOccurrences(of: "顾客满意度测评理论与方法", with: "新书名"), to: file)
        let result = await builder.build()
        #expect(result.succeeded && result.pagesReused > 0)
        #expect(site.read("Output/papers/a/index.html")?.contains("新书名[M]") == true)
        #expect(site.inode("Output/papers/b/index.html") == untouched)
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

/// What a paper's citations leave in the search index, and author-date years lettered on the page.
@Suite struct CitationSearchBuildTests {
    func build(_ site: TemporarySite) async -> BuildResult {
        await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
    }

    @Test func theSearchIndexHoldsTheRenderedCitationsAndTheListNotTheKeys() async throws {
        let site = try TemporarySite([
            "Content/papers/a.md": CitationBuildTests.paper(bibliography: "refs.bib",
                body: "## 引言\n\n见[@han2016]。@duane1964 提出了杜安模型。\n"),
            "Content/papers/refs.bib": CitationBuildTests.bib,
        ])
        defer { site.remove() }
        let result = await build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        let output = site.root.appendingPathComponent("Output")
        // The text and the list are found (the list's titles appear nowhere else) …
        #expect(SearchQuery("杜安模型").run(in: output).results.map(\.url) == ["/papers/a/"])
        #expect(SearchQuery("顾客满意度测评理论").run(in: output).results.map(\.url) == ["/papers/a/"])
        #expect(SearchQuery("learning curve approach").run(in: output).results.map(\.url) == ["/papers/a/"])
        // … the citation keys are not, nor the uncited entry.
        for query in ["han2016", "duane1964", "未引用"] {
            #expect(SearchQuery(query).run(in: output).results.isEmpty, "\(query)")
        }
        // The index files themselves hold no key.
        let files = try FileManager.default.subpathsOfDirectory(atPath: output.appendingPathComponent("search").path)
        for file in files where file.hasSuffix(".json") {
            let text = try String(contentsOf: output.appendingPathComponent("search/" + file), encoding: .utf8)
            #expect(!text.contains("han2016") && !text.contains("duane1964"), "\(file)")
        }
    }

    @Test func worksOfOneAuthorInOneYearAreLetteredInTheTextAndTheList() async throws {
        let bib = """
        @book{z1, author = {张建国}, title = {质量管理学}, address = {北京}, publisher = {机械工业出版社}, year = 2019}
        @book{z2, author = {张建国}, title = {可靠性工程}, address = {北京}, publisher = {机械工业出版社}, year = 2019}
        @article{k1, author = {Kennedy, W. L. and Garrison, R. E.}, title = {Morphology and genesis of nodular chalks},
          journal = {Sedimentology}, volume = 22, pages = {311}, year = 1975}
        @article{k2, author = {Kennedy, W. L. and Garrison, R. E.}, title = {Morphology and genesis of nodular phosphates},
          journal = {Lethaia}, volume = 8, pages = {339}, year = 1975}
        """
        let site = try TemporarySite([
            "Content/site.yml": "title: 测试站点\nbase_url: https://example.org/\ncitation_style: author-date\n",
            "Content/papers/a.md": CitationBuildTests.paper(bibliography: "refs.bib", body: "甲[@z1]，乙[@k2]，丙@z2，丁[@k1; @z1]。\n"),
            "Content/papers/refs.bib": bib,
        ])
        defer { site.remove() }
        let result = await build(site)
        #expect(result.succeeded, "\(result.diagnostics)")
        let html = try #require(site.read("Output/papers/a/index.html"))
        #expect(html.contains(##"甲<span class="citation" id="cite-1">（<a href="#ref-1">张建国，2019b</a>）</span>"##))
        #expect(html.contains(##"乙<span class="citation" id="cite-2">(<a href="#ref-2">KENNEDY and GARRISON, 1975b</a>)</span>"##))
        #expect(html.contains(##"丙<span class="citation" id="cite-3"><a href="#ref-3">张建国</a>（2019a）</span>"##))
        let list = try #require(html.components(separatedBy: "<h2>参考文献</h2>").last)
        let lines = [
            "张建国, 2019a. 可靠性工程[M]. 北京: 机械工业出版社.",
            "张建国, 2019b. 质量管理学[M]. 北京: 机械工业出版社.",
            "KENNEDY W L, GARRISON R E, 1975a. Morphology and genesis of nodular chalks[J]. Sedimentology, 22: 311.",
            "KENNEDY W L, GARRISON R E, 1975b. Morphology and genesis of nodular phosphates[J]. Lethaia, 8: 339.",
        ]
        let positions = lines.map { list.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(list)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }
}

@Suite struct CitationDuplicateKeyBuildTests {
    @Test func aKeyInThePapersFileAndTheSiteWideOneIsAnErrorNamingBoth() async throws {
        let siteWide = #"[{"id": "han2016", "type": "book", "title": "另一本", "publisher": "某社", "issued": {"date-parts": [[2016]]}}]"#
        let site = try TemporarySite([
            "Content/papers/a.md": CitationBuildTests.paper(bibliography: "refs.bib", body: "见[@han2016]。\n"),
            "Content/papers/refs.bib": CitationBuildTests.bib,
            "Content/references.json": siteWide,
        ])
        defer { site.remove() }
        let result = await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
        #expect(!result.succeeded)
        #expect(result.diagnostics.map(\.description) == [
            "Content/references.json:1: error: duplicate citation key 'han2016': already defined at Content/papers/refs.bib:1",
        ])
    }
}

/// `qpress anthology` alone reports what `qpress build` reports of a book's bibliographies.
@Suite struct CitationAnthologyCommandTests {
    @Test func aMalformedBibliographyFailsTheBookWithFileAndLine() throws {
        let manifest = "title: 小书\npublisher: 协会\nparts:\n  - type: section\n    title: 论文\n    files: [papers/a.md]\n"
        let site = try TemporarySite([
            "Content/papers/a.md": CitationBuildTests.paper(bibliography: "refs.bib", body: "见[@han2016]。\n"),
            "Content/papers/refs.bib": CitationBuildTests.bib + "\n@book{broken,\n  title = {未闭合\n",
            "Content/papers/other.md": CitationBuildTests.paper(bibliography: "other.bib", body: "无引用。\n")
                .replacingOccurrences(of: "title: 论文", with: "title: 另一篇"),
            "Content/papers/other.bib": "@book{x, title = \n",
            "Content/anthologies/book.yml": manifest,
        ])
        defer { site.remove() }
        let run = try CommandTests().qpress(["anthology", "book", "--source", site.root.path, "--no-pdf"])
        #expect(run.status == 1)
        // The file's error alone: the keys it held are not reported as unknown.
        #expect(run.stderr.hasPrefix("""
            Content/papers/refs.bib:11: error: malformed BibTeX: the value of 'title' opened on line 11 is not closed
            anthology 'book' failed with 1 error;
            """), "\(run.stderr)")
        // Only the book's papers' files: another paper's broken file is the site build's business.
        #expect(!run.stderr.contains("other.bib"), "\(run.stderr)")
        #expect(!site.exists("Output/anthologies/book/index.html"))

        try site.write(CitationBuildTests.bib + "\n@book{nopub, author = {王五}, title = {无出版者}, year = 2001}\n", to: "Content/papers/refs.bib")
        let warned = try CommandTests().qpress(["anthology", "book", "--source", site.root.path, "--no-pdf"])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("Content/papers/refs.bib:10: warning: entry 'nopub' has no 'publisher'"), "\(warned.stderr)")
        #expect(site.exists("Output/anthologies/book/index.html"))
    }
}
