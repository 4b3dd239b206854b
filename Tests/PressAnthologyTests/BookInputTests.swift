import Foundation
@testable import PressAnthology
import PressBuild
import PressLoader
import PressTemplates
import PressTestSupport
import Testing

/// Issue 22: an incremental build reuses an unchanged book (same inode, same bytes) and renders it again when
/// any of its inputs changes, one case per kind of input, naming the input; the result is a clean build's.
@Suite struct BookInputTests {
    static let manifest = """
        title: 小书
        publisher: 协会
        parts:
          - type: preface
            file: anthologies/book-preface.md
          - type: section
            title: 第一篇
            files: [stories/a.md]
          - type: section
            title: 第二篇
            select: {type: stories, tags: [用户满意]}
          - type: appendix
            title: 附录一
            file: anthologies/book-notes.md
          - type: appendix
            title: 附录二
            slogans: 2020

        """

    /// A book with a listed story, a selected one, a story the selector leaves out, a page in no book, a
    /// preface, an appendix file and slogans.
    static func bookSite() throws -> TemporarySite {
        try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲", body: "## 概述\n\n第一篇的正文。\n"),
            "Content/stories/b.md": TemporarySite.story(title: "乙", extra: "tags: [用户满意]", body: "## 概述\n\n选进来的正文。\n"),
            "Content/stories/c.md": TemporarySite.story(title: "丙", extra: "tags: [精益生产]", body: "## 概述\n\n书外的正文。\n"),
            "Content/pages/about.md": "---\ntitle: 关于\n---\n\n协会简介。\n",
            "Content/slogans.yml": "title: 质量月口号\nyear: 2020\ntheme: 质量提升\nslogans:\n  - 质量第一\n  - 用户至上\n",
            "Content/anthologies/book-preface.md": "---\ntitle: 前言\n---\n\n前言的正文。\n",
            "Content/anthologies/book-notes.md": "---\ntitle: 说明\n---\n\n附录的正文。\n",
            "Content/anthologies/book.yml": manifest,
        ])
    }

    /// One kind of input: how to change it, and the reason the build gives.
    struct Input: Sendable, CustomTestStringConvertible {
        var kind: String
        var reason: String
        var edit: @Sendable (TemporarySite) throws -> Void
        var testDescription: String { kind }
    }

    static func appending(_ text: String, to path: String) -> @Sendable (TemporarySite) throws -> Void {
        { site in try site.write(try #require(site.read(path)) + text, to: path) }
    }

    /// A copy of a default-theme file, changed, in the site's `Templates/`.
    static func overriding(_ path: String, with text: String) -> @Sendable (TemporarySite) throws -> Void {
        { site in
            let original = try String(contentsOf: TemporarySite.defaultTheme.appendingPathComponent(path), encoding: .utf8)
            try site.write(original + text, to: "Templates/" + path)
        }
    }

    static let inputs: [Input] = [
        Input(kind: "manifest", reason: "Content/anthologies/book.yml changed",
              edit: { try $0.write(manifest.replacingOccurrences(of: "title: 小书", with: "title: 小书（修订版）"), to: "Content/anthologies/book.yml") }),
        Input(kind: "document content", reason: "Content/stories/a.md changed", edit: appending("\n补上的一段。\n", to: "Content/stories/a.md")),
        Input(kind: "front matter", reason: "Content/stories/a.md changed",
              edit: { try $0.write(TemporarySite.story(title: "甲（新题）", body: "## 概述\n\n第一篇的正文。\n"), to: "Content/stories/a.md") }),
        Input(kind: "a selected document", reason: "Content/stories/b.md changed", edit: appending("\n补上的一段。\n", to: "Content/stories/b.md")),
        Input(kind: "a document the selector could take in", reason: "Content/stories/c.md added",
              edit: { try $0.write(TemporarySite.story(title: "丙", extra: "tags: [用户满意]", body: "## 概述\n\n书外的正文。\n"), to: "Content/stories/c.md") }),
        Input(kind: "a new document the selector takes", reason: "Content/stories/d.md added",
              edit: { try $0.write(TemporarySite.story(title: "丁", extra: "tags: [用户满意]"), to: "Content/stories/d.md") }),
        Input(kind: "preface", reason: "Content/anthologies/book-preface.md changed", edit: appending("\n又一段。\n", to: "Content/anthologies/book-preface.md")),
        Input(kind: "appendix file", reason: "Content/anthologies/book-notes.md changed", edit: appending("\n又一段。\n", to: "Content/anthologies/book-notes.md")),
        Input(kind: "slogans", reason: "the slogans changed", edit: appending("  - 精益求精\n", to: "Content/slogans.yml")),
        Input(kind: "print template", reason: "Templates/print/book.mustache changed", edit: overriding("print/book.mustache", with: "\n")),
        Input(kind: "print partial", reason: "Templates/print/partials/article.mustache changed", edit: overriding("print/partials/article.mustache", with: "\n")),
        Input(kind: "print CSS", reason: "Templates/print/print.css changed", edit: overriding("print/print.css", with: "\np { orphans: 3 }\n")),
        Input(kind: "web template", reason: "Templates/web/book.mustache changed", edit: overriding("web/book.mustache", with: "\n")),
        Input(kind: "web CSS", reason: "Templates/web/book.css changed", edit: overriding("web/book.css", with: "\nbody { margin: 0 }\n")),
        Input(kind: "EPUB template", reason: "Templates/epub/page.mustache changed", edit: overriding("epub/page.mustache", with: "\n")),
        Input(kind: "EPUB CSS", reason: "Templates/epub/epub.css changed", edit: overriding("epub/epub.css", with: "\nbody { margin: 0 }\n")),
        Input(kind: "site settings the book shows", reason: "Content/site.yml (or --base-url) changed",
              edit: { try $0.write("title: 新的站名\nbase_url: https://example.org/\n", to: "Content/site.yml") }),
    ]

    func build(_ site: TemporarySite, into output: String = "Output", incremental: Bool = true) async -> BuildResult {
        var options = BuildOptions(source: site.root, output: site.root.appendingPathComponent(output), defaultTheme: TemporarySite.defaultTheme,
                                   anthologyPDF: false)
        options.incremental = incremental
        return await SiteBuilder(options: options).build()
    }

    static let files = ["anthologies/book/index.html", "anthologies/book/book.epub"]

    /// The book's files in `a` and `b` hold the same bytes.
    func expectSameBook(_ site: TemporarySite, _ a: String, _ b: String) {
        for file in Self.files {
            #expect(FileManager.default.contents(atPath: site.root.appendingPathComponent(a + "/" + file).path)
                    == FileManager.default.contents(atPath: site.root.appendingPathComponent(b + "/" + file).path), "\(file) differs")
        }
    }

    @Test(arguments: inputs) func aChangedInputRendersTheBookAgain(_ input: Input) async throws {
        let site = try Self.bookSite()
        defer { site.remove() }
        let first = await build(site)
        #expect(first.diagnostics.map(\.description) == [])
        let made = Self.files.map { site.inode("Output/" + $0) }
        let again = await build(site)
        #expect(again.anthologies.map(\.reused) == [true])
        #expect(Self.files.map { site.inode("Output/" + $0) } == made, "an unchanged book keeps its files")

        try input.edit(site)
        let edited = await build(site)
        #expect(edited.diagnostics.map(\.description) == [])
        #expect(edited.anthologies.map(\.reused) == [false])
        #expect(edited.anthologies.map(\.reason) == [input.reason])
        #expect(site.inode("Output/anthologies/book/book.epub") != made[1], "the book is rendered again")
        #expect(await build(site, into: "Clean", incremental: false).succeeded)
        expectSameBook(site, "Output", "Clean")
    }

    @Test func anEditOutsideTheBookKeepsItsFiles() async throws {
        let site = try Self.bookSite()
        defer { site.remove() }
        #expect(await build(site).succeeded)
        let made = Self.files.map { site.inode("Output/" + $0) }
        for edit in [Self.appending("\n新的一段。\n", to: "Content/pages/about.md"), Self.appending("\n新的一段。\n", to: "Content/stories/c.md")] {
            try edit(site)
            let edited = await build(site)
            #expect(edited.anthologies.map(\.reused) == [true])
            #expect(Self.files.map { site.inode("Output/" + $0) } == made)
        }
    }

    /// The inputs only the PDF is made from, compared as a build compares them: the font files fontconfig
    /// picks, the colour profile, the WeasyPrint version and the print script.
    @Test func thePDFsOwnInputsAreComparedOneByOne() async throws {
        let site = try Self.bookSite()
        defer { site.remove() }
        try site.write(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/color/icc/ghostscript/default_cmyk.icc")), to: "press.icc")
        try site.write(Self.manifest.replacingOccurrences(of: "publisher: 协会\n", with: "publisher: 协会\ncolor_profile: press.icc\n"),
                       to: "Content/anthologies/book.yml")
        let loaded = await ContentLoader(siteRoot: site.root).load()
        let contentSite = try #require(loaded.site)
        let manifest = try #require(contentSite.anthologies.first)
        let theme = try #require(Theme.load(folders: [TemporarySite.defaultTheme]) { $0.lastPathComponent }.0)
        let renderer = AnthologyRenderer(site: contentSite, theme: theme, options: .init(pdf: true))
        let families: Set<String> = [manifest.bodyFont, manifest.headingFont]
        let tools = PrintTools.probe(families: families, weasyPrint: renderer.options.weasyPrint)
        let found = families.allSatisfy { (tools.fonts[$0] ?? "").hasPrefix("/") }
        #expect(found, "fontconfig finds each font file: \(tools.fonts)")
        #expect(!tools.weasyPrintVersion.isEmpty)
        let before = renderer.fingerprint(manifest, siteRoot: site.root, tools: tools)
        #expect(renderer.fingerprint(manifest, siteRoot: site.root, tools: tools).change(since: before) == nil)

        var otherFont = tools
        otherFont.fonts[manifest.bodyFont] = "/usr/share/fonts/another.otf 1 1.0"
        #expect(renderer.fingerprint(manifest, siteRoot: site.root, tools: otherFont).change(since: before) == "font \(manifest.bodyFont) changed")
        var otherWeasyPrint = tools
        otherWeasyPrint.weasyPrintVersion = "71.0"
        #expect(renderer.fingerprint(manifest, siteRoot: site.root, tools: otherWeasyPrint).change(since: before) == "WeasyPrint changed")

        try site.write(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/color/icc/ghostscript/ps_cmyk.icc")), to: "press.icc")
        let profile = renderer.fingerprint(manifest, siteRoot: site.root, tools: tools)
        #expect(profile.change(since: before) == "\(manifest.colorProfile) changed")
        #expect(manifest.colorProfile.hasSuffix("press.icc"))

        // The print script is compiled in: a fingerprint made with another one is a changed book.
        var olderScript = profile
        olderScript.inputs["the print script"] = BookFingerprint.hash([(WeasyPrint.printScript ?? "") + "\n# older"])
        #expect(profile.change(since: olderScript) == "the print script changed")
        for changed in [olderScript, before] { #expect(profile.changesPDF(since: changed)) }
    }
    /// Each output has its own inputs: a change to the web edition's or the EPUB's templates renders those
    /// again and keeps the PDF (WeasyPrint does not run, same inode), in `qpress build` and in `serve`'s builds;
    /// the result is still a clean build's, byte for byte. A print stylesheet makes the PDF again.
    @Test func aChangeToTheWebEditionOrEPUBAloneKeepsThePDF() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲", body: "## 概述\n\n正文。\n"),
            "Content/anthologies/book.yml": "title: 小书\npublisher: 协会\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n",
        ])
        defer { site.remove() }
        func build(into output: String = "Output", incremental: Bool = true, deferring: Bool = false) async -> BuildResult {
            var options = BuildOptions(source: site.root, output: site.root.appendingPathComponent(output), defaultTheme: TemporarySite.defaultTheme)
            options.incremental = incremental
            options.deferPDFs = deferring
            return await SiteBuilder(options: options).build()
        }
        let pdf = "Output/anthologies/book/book.pdf", web = "Output/anthologies/book/index.html"
        #expect(await build().diagnostics.map(\.description) == [])
        let made = try #require(site.inode(pdf))

        try Self.overriding("web/book.css", with: "\nbody { margin: 0 }\n")(site)
        let styled = await build()
        #expect(styled.anthologies.map(\.reason) == ["Templates/web/book.css changed; its PDF kept"])
        #expect(styled.anthologies.map(\.reused) == [false] && styled.anthologies.map(\.pdfSeconds) == [0])
        #expect(styled.anthologies.first?.files.contains("anthologies/book/book.pdf") == true)
        #expect(site.inode(pdf) == made)
        let page = try #require(site.read(web))
        #expect(page.contains("body { margin: 0 }") && page.contains("href=\"book.pdf\""))

        // In `serve`: no PDF job, and the web edition links the PDF it has.
        try Self.overriding("epub/epub.css", with: "\nbody { margin: 0 }\n")(site)
        let served = await build(deferring: true)
        #expect(served.anthologies.map(\.reason) == ["Templates/epub/epub.css changed; its PDF kept"])
        #expect(served.pdfJobs.isEmpty)
        #expect(site.inode(pdf) == made)
        #expect(site.read(web)?.contains("data-qpress-pdf-pending") == false)

        #expect(await build(into: "Clean", incremental: false).succeeded)
        for file in Self.files + ["anthologies/book/book.pdf"] {
            #expect(FileManager.default.contents(atPath: site.root.appendingPathComponent("Output/" + file).path)
                    == FileManager.default.contents(atPath: site.root.appendingPathComponent("Clean/" + file).path), "\(file) differs")
        }

        try Self.overriding("print/print.css", with: "\np { orphans: 3 }\n")(site)
        let printed = await build()
        #expect(printed.anthologies.map(\.reason) == ["Templates/print/print.css changed"])
        #expect((printed.anthologies.first?.pdfSeconds ?? 0) > 0)
        #expect(site.inode(pdf) != made)
    }
    /// The WeasyPrint version is read from the installed package beside the Python that imports it, without
    /// starting Python on every build; the project's venv has the pinned one.
    @Test func theWeasyPrintVersionIsReadFromTheInstalledPackage() throws {
        let venv = TemporarySite.repositoryRoot.appendingPathComponent(".venv/bin/python3")
        #expect(WeasyPrint.installedVersion(python: venv) == WeasyPrint.pinnedVersion)
        let prefix = try TemporarySite(["bin/python3": "", "lib/python3.12/site-packages/weasyprint-99.1.dist-info/METADATA": ""],
                                       includeSiteConfig: false)
        defer { prefix.remove() }
        let python = prefix.root.appendingPathComponent("bin/python3")
        #expect(WeasyPrint.installedVersion(python: python) == nil, "a dist-info folder without the module is not an installed package")
        try prefix.write("", to: "lib/python3.12/site-packages/weasyprint/__init__.py")
        #expect(WeasyPrint.installedVersion(python: python) == "99.1")
    }
}
