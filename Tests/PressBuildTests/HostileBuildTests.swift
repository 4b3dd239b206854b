import Foundation
import PressBuild
import PressCore
import PressLoader
import PressTestSupport
import Testing

/// Issue #21 case 8 and the foundation issue's §8: symbolic links in a site. A link whose target
/// resolves outside the site folder is an error naming the link and its target; a link within the
/// site is followed and its content copied; folders are walked once; the output holds no link.
// A hang fails after five minutes instead of blocking the run; speed is asserted on thread CPU time.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HostileBuildTests {

    func site(_ files: [String: String] = [:]) throws -> TemporarySite {
        var all = files
        all["Content/site.yml"] = all["Content/site.yml"] ?? "title: t\n"
        return try TemporarySite(all)
    }

    func link(_ site: TemporarySite, _ path: String, to destination: String) throws {
        let url = site.root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: destination)
    }

    func build(_ site: TemporarySite, baseURL: String? = nil) async -> BuildResult {
        await SiteBuilder(options: BuildOptions(source: site.root, baseURL: baseURL, defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)).build()
    }

    /// Every symbolic link below `folder`, found without following any.
    func symbolicLinks(below folder: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var links: [String] = []
        while let path = enumerator.nextObject() as? String {
            var info = stat()
            if lstat(folder.path + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK { links.append(path) }
        }
        return links
    }

    /// Case 8: `ln -s . Content/x; ln -s . Content/y` made 2⁴⁰ paths; one such link copied `site.yml` 40 times.
    @Test func folderLinkLoopsAreWalkedOnce() async throws {
        let site = try site(["Content/pages/a.md": "---\ntitle: a\n---\n正文\n", "Content/assets/s.css": "x"])
        defer { site.remove() }
        try link(site, "Content/x", to: ".")
        try link(site, "Content/y", to: ".")
        try link(site, "Content/assets/up", to: "..")
        // Thread CPU time of the walk: a machine busy with other suites does not count.
        #expect(threadCPUTime { _ = DirectoryWalk.walk(site.root.appendingPathComponent("Content"), within: site.root) } < .seconds(1))
        let loaded = await ContentLoader(siteRoot: site.root).load()
        let content = site.root.appendingPathComponent("Content").standardizedFileURL.path
        let resolved = DirectoryWalk.realPath(content) ?? content
        #expect(loaded.diagnostics.map(\.description) == [
            "Content/assets/up: warning: symbolic link leads to a folder already read, \(Diagnostic.quote(resolved)); skipped",
            "Content/x: warning: symbolic link leads to a folder already read, \(Diagnostic.quote(resolved)); skipped",
            "Content/y: warning: symbolic link leads to a folder already read, \(Diagnostic.quote(resolved)); skipped",
        ])
        #expect(loaded.site?.pages.count == 1)
        #expect(loaded.site?.staticFiles.map(\.outputPath) == ["assets/s.css"])
    }

    /// One link to the folder it stands in, on its own: the walk ends, and nothing is read twice.
    @Test func aSingleSelfLinkIsSkipped() throws {
        let site = try site()
        defer { site.remove() }
        try link(site, "Content/x", to: ".")
        let walk = DirectoryWalk.walk(site.root.appendingPathComponent("Content"), within: site.root)
        #expect(walk.entries.map(\.path) == ["site.yml"])
        #expect(walk.problems.map(\.path) == ["x"])
    }

    /// §8: links to files outside the site leaked their text into the site, and the asset was copied as a
    /// link to an absolute path of the build machine.
    @Test func linksLeavingTheSiteAreErrors() async throws {
        let outside = try TemporarySite(["secret.md": "---\ntitle: 秘密\n---\n机密\n", "secret.txt": "机密"], includeSiteConfig: false)
        defer { outside.remove() }
        let site = try site()
        defer { site.remove() }
        try link(site, "Content/stories/leak.md", to: outside.root.appendingPathComponent("secret.md").path)
        try link(site, "Content/assets/leak.txt", to: outside.root.appendingPathComponent("secret.txt").path)
        try link(site, "Content/assets/folder", to: outside.root.path)
        try link(site, "Templates/partials/leak.mustache", to: outside.root.appendingPathComponent("secret.txt").path)
        let result = await build(site)
        let target = { (name: String) in DirectoryWalk.realPath(outside.root.appendingPathComponent(name).path) ?? name }
        let messages = result.diagnostics.map(\.description)
        #expect(messages == [
            "Content/assets/folder: error: symbolic link points outside the site folder, to \(Diagnostic.quote(target("")))",
            "Content/assets/leak.txt: error: symbolic link points outside the site folder, to \(Diagnostic.quote(target("secret.txt")))",
            "Content/stories/leak.md: error: symbolic link points outside the site folder, to \(Diagnostic.quote(target("secret.md")))",
            "Templates/partials/leak.mustache: error: symbolic link points outside the site folder, to \(Diagnostic.quote(target("secret.txt")))",
        ].sorted())
        #expect(!result.succeeded)
        #expect(!site.exists("Output/assets/leak.txt"))
        #expect(!site.exists("Output/stories/leak/index.html"))
    }

    /// §8: a link within the site is followed and its content copied; the output never holds a link.
    @Test func linksWithinTheSiteAreCopiedAsFiles() async throws {
        let site = try site([
            "shared/logo.svg": "<svg/>",
            "shared/more/a.css": "a{}",
            "shared/story.md": TemporarySite.story(title: "共享"),
            "Templates/shared/foot.mustache": "<p>脚</p>",
        ])
        defer { site.remove() }
        try link(site, "Content/assets/logo.svg", to: "../../shared/logo.svg")
        try link(site, "Content/assets/more", to: "../../shared/more")
        try link(site, "Content/stories/shared.md", to: "../../shared/story.md")
        try link(site, "Templates/partials/linked.mustache", to: "../shared/foot.mustache")
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == [])
        #expect(site.read("Output/assets/logo.svg") == "<svg/>")
        #expect(site.read("Output/assets/more/a.css") == "a{}")
        #expect(site.read("Output/stories/shared/index.html")?.contains("共享") == true)
        #expect(symbolicLinks(below: site.root.appendingPathComponent("Output")) == [])
        // An incremental build reuses the previous output: still no link.
        try site.write("b", to: "shared/more/b.css")
        let again = await build(site)
        #expect(again.succeeded)
        #expect(site.read("Output/assets/more/b.css") == "b")
        #expect(symbolicLinks(below: site.root.appendingPathComponent("Output")) == [])
    }

    /// Case 10: a slug `x"><script>…` in a book's footnotes reached `Output/anthologies/b/index.html` unescaped.
    /// The slug is refused at load, naming the file; the book is not written.
    @Test func aScriptInABookSlugIsRefused() async throws {
        let site = try site([
            "Content/stories/a.md": TemporarySite.story(extra: "slug: 'x\"><script>alert(1)<!--'", body: "a[^1]\n\n[^1]: n\n"),
            "Content/anthologies/b.yml": "title: 书\npublisher: 协会\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n",
        ])
        defer { site.remove() }
        let result = await build(site)
        #expect(result.diagnostics.map(\.description).contains("Content/stories/a.md:8: error: slug 'x\"><script>alert(1)<!--' contains the character '\"'; a slug may hold only letters, digits, '-', '_' and '.'"))
        #expect(!result.succeeded)
        #expect(!site.exists("Output/anthologies/b/index.html"))
    }

    /// The books' templates are parsed only when the site has books: a mistake in one is no error
    /// until an anthology is added, and then it is, in the same output folder's next build.
    @Test func aBrokenBookTemplateCountsOnlyWithBooks() async throws {
        let site = try site([
            "Content/stories/a.md": TemporarySite.story(),
            "Templates/print/book.mustache": "<h1>{{title}}</h1>\n{{/open}}\n",
        ])
        defer { site.remove() }
        #expect(await build(site).succeeded)
        try site.write("title: 书\npublisher: 协会\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n", to: "Content/anthologies/b.yml")
        let withBook = await build(site)
        #expect(!withBook.succeeded)
        #expect(withBook.diagnostics.map(\.description).contains { $0.hasPrefix("Templates/print/book.mustache:2:") && $0.contains("template syntax error") })
    }

    /// Case 13: `--base-url` is validated as `base_url` is.
    @Test func aBaseURLWithSpacesIsRefused() async throws {
        let site = try site()
        defer { site.remove() }
        let result = await build(site, baseURL: "https://a b/c d/")
        #expect(result.diagnostics.map(\.description) == ["--base-url: error: base URL 'https://a b/c d/' contains ' '; write spaces and other special characters percent-encoded (%20)"])
        #expect(!site.exists("Output/index.html"))
    }

    /// Case 13 through the command line: `qpress build --base-url` refuses it before building.
    @Test func theCommandLineRefusesABaseURLWithSpaces() throws {
        let site = try site()
        defer { site.remove() }
        let process = Process()
        process.executableURL = TemporarySite.repositoryRoot.appendingPathComponent(".build/debug/qpress")
        process.arguments = ["build", "--source", site.root.path, "--base-url", "https://a b/c d/"]
        process.environment = ["QPRESS_THEME": TemporarySite.defaultTheme.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("--base-url: base URL 'https://a b/c d/' contains ' '"))
        #expect(!site.exists("Output"))
    }

    /// Deploy issue: no output file name holds a control character; the source file is named.
    @Test func controlCharactersInOutputNamesAreRefused() async throws {
        let site = try site(["Content/assets/a\nb.txt": "x"])
        defer { site.remove() }
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == ["Content/assets/a\\nb.txt: error: file name contains a control character; rename it (output file names must not hold one)"])
        #expect(!result.succeeded)
    }
}
