import Foundation
import PressAnthology
import PressBuild
import PressCore
import PressLoader
import PressTemplates
import PressTestSupport
import Testing

/// Anthologies inside the site build and on the command line, without WeasyPrint (fast).
@Suite struct AnthologyBuildTests {
    static let manifest = """
    title: 小书
    publisher: 协会
    notes: end
    parts:
      - half_title
      - contents
      - type: section
        title: 第一篇
        files: [stories/a.md, stories/b.md]
    """

    static func site(_ extra: [String: String] = [:]) throws -> TemporarySite {
        var files = [
            "Content/stories/a.md": TemporarySite.story(title: "甲", body: "## 概述\n\n见[乙的做法](b.md#做法)与[本文概述](#概述)、[论文](../papers/p.md)。正文[^1]。\n\n[^1]: 注释。\n"),
            "Content/stories/b.md": TemporarySite.story(title: "乙", body: "## 做法\n\n正文。\n"),
            "Content/papers/p.md": TemporarySite.paper(),
            "Content/anthologies/book.yml": manifest,
        ]
        files.merge(extra) { $1 }
        return try TemporarySite(files)
    }

    func build(_ site: TemporarySite) async -> BuildResult {
        await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)).build()
    }

    @Test func theSiteBuildWritesEachBookAndLinksIt() async throws {
        let site = try Self.site()
        defer { site.remove() }
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.anthologies.map(\.files) == [["anthologies/book/index.html", "anthologies/book/book.epub"]])
        #expect(!site.exists("Output/anthologies/book/book.pdf"))
        let web = try #require(site.read("Output/anthologies/book/index.html"))
        // Links resolved once, at the source, for a one-page book: ids carry the article's slug.
        #expect(web.contains("<h2 id=\"a--概述\">概述</h2>"))
        #expect(web.contains("href=\"#b--%E5%81%9A%E6%B3%95\""))
        #expect(web.contains("href=\"#a--%E6%A6%82%E8%BF%B0\""))
        // A document the book leaves out is linked on the website.
        #expect(web.contains("href=\"/papers/p/\""))
        #expect(web.contains("<li id=\"a--fn-1\"><p>注释。</p></li>"))
        #expect(!web.contains("下载PDF"))
        #expect(try #require(site.read("Output/index.html")).contains("<a href=\"/anthologies/book/\">小书</a>"))
    }

    @Test func aBrokenBookFailsTheBuildAndLeavesOutputUntouched() async throws {
        let site = try Self.site()
        defer { site.remove() }
        #expect(await build(site).succeeded)
        let before = site.read("Output/anthologies/book/index.html")
        try site.write(Self.manifest.replacingOccurrences(of: "stories/b.md]", with: "stories/c.md]"), to: "Content/anthologies/book.yml")
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == [
            "Content/anthologies/book.yml:9:27: error: file 'stories/c.md' does not exist (Content/stories/c.md); paths are relative to Content/",
        ])
        #expect(site.read("Output/anthologies/book/index.html") == before)
    }

    @Test func siteTemplatesOverrideThePrintTemplatesAndStylesheet() async throws {
        let site = try Self.site(["Templates/print/print.css": "/* our own print sheet */\n"])
        defer { site.remove() }
        let loaded = await ContentLoader(siteRoot: site.root).load()
        let (theme, problems) = Theme.load(folders: [TemporarySite.defaultTheme, site.root.appendingPathComponent("Templates")]) { $0.path }
        #expect(problems.isEmpty)
        let renderer = AnthologyRenderer(site: try #require(loaded.site), theme: try #require(theme),
                                         options: .init(pdf: false, keepPrintHTML: true))
        let manifest = try #require(loaded.site?.anthologies.first)
        let report = await renderer.render(manifest, into: site.root.appendingPathComponent("Output"))
        #expect(report.diagnostics.isEmpty)
        let print = try #require(site.read("Output/anthologies/book/book.print.html"))
        #expect(print.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>小书</title>"))
        #expect(print.contains("/* our own print sheet */"))
        #expect(print.contains("@page { size: 185mm 260mm; bleed: 3mm; marks: crop cross; }"))
        #expect(print.contains("<article class=\"chapter story\" id=\"a\">"))
        #expect(print.contains("<sup class=\"footnote-ref\"><a href=\"#a--fn-1\" id=\"a--fnref-1\">1</a></sup>"))
    }

    @Test func missingWeasyPrintIsExplained() async throws {
        let site = try Self.site()
        defer { site.remove() }
        let loaded = await ContentLoader(siteRoot: site.root).load()
        let (theme, _) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.path }
        let renderer = AnthologyRenderer(site: try #require(loaded.site), theme: try #require(theme), options: .init(pdf: true, weasyPrint: nil))
        let report = await renderer.render(try #require(loaded.site?.anthologies.first), into: site.root.appendingPathComponent("Output"))
        #expect(report.diagnostics.map(\.description) == [
            "Content/anthologies/book.yml: error: WeasyPrint is not installed, so the PDF cannot be made: run ./install-deps.sh (or: python3 -m pip install weasyprint==\(WeasyPrint.pinnedVersion); apt-get install fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0), set QPRESS_WEASYPRINT to its path, or build with --no-pdf",
        ])
    }

    @Test func theAnthologyCommandBuildsOneBook() async throws {
        let site = try Self.site()
        defer { site.remove() }
        let binary = TemporarySite.repositoryRoot.appendingPathComponent(".build/debug/qpress").path
        let (status, output) = try run(binary, ["anthology", "book", "--no-pdf", "--source", site.root.path], allowFailure: true)
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("built anthology book: index.html, book.epub (HTML and EPUB "))
        #expect(site.exists("Output/anthologies/book/book.epub"))
        #expect(!site.exists("Output/index.html"), "only the book is built")
        let unknown = try run(binary, ["anthology", "nope", "--source", site.root.path], allowFailure: true)
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("no anthology 'nope'"))
    }
}
