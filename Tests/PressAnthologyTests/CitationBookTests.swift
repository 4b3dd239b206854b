import Foundation
import PressAnthology
import PressLoader
import PressTemplates
import PressTestSupport
import Testing

/// Papers with citations in a book: numbers restart with each paper, ids carry the paper's slug.
@Suite struct CitationBookTests {
    static func paper(_ body: String) -> String {
        "---\ntitle: 论文\nauthors:\n  - name: 李华\n    affiliation: 示例\ndate: 2020-10-08\nabstract: 摘要。\nbibliography: refs.bib\n---\n\(body)"
    }

    static let bib = """
    @book{han2016, author = {韩志刚}, title = {顾客满意度测评理论与方法}, address = {北京}, publisher = {中国农业出版社}, year = 2016}
    @book{wang2018, author = {王强}, title = {可靠性增长管理与评估方法}, address = {北京}, publisher = {机械工业出版社}, year = 2018}
    """

    func render(citationStyle: String?) async throws -> (print: String, web: String) {
        let manifest = """
        title: 小书
        publisher: 协会
        notes: end
        \(citationStyle.map { "citation_style: \($0)" } ?? "")
        parts:
          - type: section
            title: 论文
            files: [papers/p1.md, papers/p2.md]
        """
        let site = try TemporarySite([
            "Content/papers/p1.md": Self.paper("甲[@han2016]，乙[@wang2018]。\n"),
            "Content/papers/p2.md": Self.paper("丙[@wang2018]。\n"),
            "Content/papers/refs.bib": Self.bib,
            "Content/anthologies/book.yml": manifest,
        ])
        defer { site.remove() }
        let loaded = await ContentLoader(siteRoot: site.root).load()
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let (theme, _) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.path }
        let renderer = AnthologyRenderer(site: try #require(loaded.site), theme: try #require(theme), options: .init(pdf: false, keepPrintHTML: true))
        let report = await renderer.render(try #require(loaded.site?.anthologies.first), into: site.root.appendingPathComponent("Output"))
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        return (try #require(site.read("Output/anthologies/book/book.print.html")), try #require(site.read("Output/anthologies/book/index.html")))
    }

    @Test func numbersRestartWithEachPaper() async throws {
        let (print, web) = try await render(citationStyle: nil)
        for html in [print, web] {
            #expect(html.contains(##"丙<sup class="citation" id="p2--cite-1">[<a href="#p2--ref-1">1</a>]</sup>"##))
            #expect(html.contains(##"乙<sup class="citation" id="p1--cite-2">[<a href="#p1--ref-2">2</a>]</sup>"##))
            #expect(html.contains(##"<li id="p2--ref-1"><span class="reference-number">[1]</span> 王强. 可靠性增长管理与评估方法[M]. 北京: 机械工业出版社, 2018."##))
            #expect(html.components(separatedBy: "<h2>参考文献</h2>").count == 3)
        }
    }

    @Test func theManifestMayChooseAuthorDate() async throws {
        let (print, _) = try await render(citationStyle: "author-date")
        // Print typesetting keeps the opening bracket with what follows (a word joiner).
        #expect(print.contains("（<a href=\"#p1--ref-1\">\u{2060}韩志刚，2016</a>）"))
        #expect(print.contains("王强, 2018. 可靠性增长管理与评估方法[M]. 北京: 机械工业出版社."))
    }
}
