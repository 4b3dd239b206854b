import Foundation
import PressBuild
import PressSearch
import PressTestSupport
import Testing

/// An incremental build must produce exactly what a clean build of the same content produces.
@Suite struct IncrementalBuildTests {
    /// A copy of the sample site, so its files can be edited.
    func sampleCopy() throws -> TemporarySite {
        let site = try TemporarySite([:], includeSiteConfig: false)
        try FileManager.default.copyItem(at: TemporarySite.repositoryRoot.appendingPathComponent("Content"),
                                         to: site.root.appendingPathComponent("Content"))
        return site
    }

    func build(_ site: TemporarySite, into output: String, incremental: Bool = true) async -> BuildResult {
        var options = BuildOptions(source: site.root, output: site.root.appendingPathComponent(output), defaultTheme: TemporarySite.defaultTheme,
                                   anthologyPDF: false)
        options.incremental = incremental
        return await SiteBuilder(options: options).build()
    }

    /// Builds the site clean into `Clean` and expects it to equal the incremental `Output`.
    func expectSameAsCleanBuild(_ site: TemporarySite, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(await build(site, into: "Clean", incremental: false).succeeded, sourceLocation: sourceLocation)
        try expectIdentical(site, "Output", "Clean")
    }

    func expectIdentical(_ site: TemporarySite, _ a: String, _ b: String) throws {
        let first = site.root.appendingPathComponent(a), second = site.root.appendingPathComponent(b)
        let files = try #require(FileManager.default.subpaths(atPath: first.path)).sorted()
        #expect(files == FileManager.default.subpaths(atPath: second.path)?.sorted())
        for file in files {
            #expect(FileManager.default.contents(atPath: first.appendingPathComponent(file).path)
                    == FileManager.default.contents(atPath: second.appendingPathComponent(file).path), "\(file) differs")
        }
    }

    @Test func editingOnePageRerendersOnlyWhatDependsOnIt() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        let first = await build(site, into: "Output")
        #expect(first.succeeded && first.pagesReused == 0)

        let before = ["stories/index.html", "tags/工匠精神/index.html", "index.html", "stories/gear-30-years/index.html", "papers/reliability-growth/index.html"]
            .map { site.inode("Output/" + $0) }
        let story = "Content/stories/gear-30-years.md"
        try site.write(try #require(site.read(story)).replacingOccurrences(of: "## ", with: "## 修订：", options: [], range: nil) + "\n新增的一段。\n", to: story)
        let second = await build(site, into: "Output")
        #expect(second.succeeded)
        #expect(second.pagesReused == 13) // 14 published documents, one edited
        #expect(site.read("Output/stories/gear-30-years/index.html")?.contains("新增的一段。") == true)
        // Same file (hard-linked from the previous output) unless its inputs changed.
        let after = ["stories/index.html", "tags/工匠精神/index.html", "index.html", "stories/gear-30-years/index.html", "papers/reliability-growth/index.html"]
            .map { site.inode("Output/" + $0) }
        #expect(after[0] == before[0] && after[1] == before[1] && after[2] == before[2] && after[4] == before[4])
        #expect(after[3] != before[3])
        // The search index knows the new text, and still every unchanged page.
        let output = site.root.appendingPathComponent("Output")
        #expect(SearchQuery("新增的一段").run(in: output).results.map(\.url) == ["/stories/gear-30-years/"])
        #expect(SearchQuery("可靠性").run(in: output).results.count >= 3)

        try await expectSameAsCleanBuild(site)
    }

    @Test func movingALinkTargetRerendersThePagesThatLinkToIt() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let paper = "Content/papers/reliability-growth.md"
        try site.write(try #require(site.read(paper)).replacingOccurrences(of: "title:", with: "slug: rg-2020\ntitle:"), to: paper)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/pages/about.md"))
        try site.write(TemporarySite.story(title: "新故事", body: "见[论文](../papers/reliability-growth.md#试验方案)。\n"), to: "Content/stories/new.md")

        let second = await build(site, into: "Output")
        #expect(second.diagnostics.map(\.description) == [])
        let linking = try #require(site.read("Output/stories/hydraulic-pump-reliability/index.html"))
        #expect(linking.contains("href=\"/papers/rg-2020/#%E8%AF%95%E9%AA%8C%E6%96%B9%E6%A1%88\""))
        #expect(!site.exists("Output/pages/about/index.html"))
        // Reused: all but the moved paper, the story linking to it, and the new story.
        #expect(second.pagesReused == 11) // 14 documents now

        try await expectSameAsCleanBuild(site)
    }

    @Test func changingATemplateRerendersEverything() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        try site.write("<p>{{#story}}{{title}}{{/story}}</p>\n", to: "Templates/story.mustache")
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.pagesReused == 0)
        #expect(site.read("Output/stories/gear-30-years/index.html") == "<p>一颗齿轮的三十年</p>\n")
    }

    @Test func aFailedIncrementalBuildLeavesTheOutputIntact() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let before = site.read("Output/stories/gear-30-years/index.html")
        try site.write("---\ntitle: 坏\n---\n", to: "Content/stories/broken.md")
        #expect(!(await build(site, into: "Output").succeeded))
        // Pages are hard-linked into the staging folder; throwing it away must not touch the output.
        #expect(site.read("Output/stories/gear-30-years/index.html") == before)
    }

    @Test func aBuildAfterAnInterruptedCommitRebuildsTheFolderInFull() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        #expect(site.exists("Output/.qpress-files"))
        // As if the previous build was killed while moving its files in: one page is stale, the journal remains.
        try site.write("<p>旧</p>\n", to: "Output/stories/gear-30-years/index.html")
        try site.write("", to: "Output/.qpress-commit")
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.pagesReused == 0)
        #expect(!site.exists("Output/.qpress-commit"))
        try await expectSameAsCleanBuild(site)
    }

    @Test func aBuildAfterOneAnthologyWasReplacedSwapsTheWholeFolder() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let options = BuildOptions(source: site.root, output: site.root.appendingPathComponent("Output"),
                                   defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)
        let name = try #require(FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("Content/anthologies").path)
            .filter { $0.hasSuffix(".yml") }.sorted().first).replacingOccurrences(of: ".yml", with: "")
        #expect(await SiteBuilder(options: options).buildAnthology(name).succeeded)
        // Its folder was replaced outside the list of the site's files.
        #expect(!site.exists("Output/.qpress-files"))
        #expect(await build(site, into: "Output").succeeded)
        try await expectSameAsCleanBuild(site)
    }

    @Test func filesTheBuildNoLongerMakesAreRemovedInPlace() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        #expect(site.exists("Output/tags/工匠精神/index.html") && site.exists("Output/assets/images/bearing.svg"))
        // No document keeps the tag, and an image is deleted (and its link with it).
        let story = "Content/stories/精益求精的轴承人.md"
        try site.write(try #require(site.read(story)).replacingOccurrences(of: "bearing.svg", with: "gear.svg"), to: story)
        for path in ["Content/stories/gear-30-years.md", "Content/papers/qc-circle-gear-noise.md", story] {
            try site.write(try #require(site.read(path)).replacingOccurrences(of: "工匠精神, ", with: "").replacingOccurrences(of: ", 工匠精神", with: ""), to: path)
        }
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/assets/images/bearing.svg"))

        let second = await build(site, into: "Output")
        #expect(second.diagnostics.map(\.description) == [])
        #expect(second.pagesReused > 0)
        #expect(!site.exists("Output/tags/工匠精神") && !site.exists("Output/assets/images/bearing.svg"))
        #expect(!site.exists("Output/.qpress-commit"))
        try await expectSameAsCleanBuild(site)
    }

    /// The plan looks for every page it would reuse (`UnusablePages`) and renders those gone again.
    @Test func aPageDeletedFromTheOutputByHandIsRenderedAgain() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let page = "stories/gear-30-years/index.html"
        let listed = try #require(site.read("Output/.qpress-files"))
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Output/" + page))
        let story = "Content/papers/reliability-growth.md"
        try site.write(try #require(site.read(story)) + "\n新增的一段。\n", to: story)
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.pagesReused == 12)
        #expect(site.exists("Output/" + page))
        #expect(site.read("Output/.qpress-files") == listed)
        try await expectSameAsCleanBuild(site)
    }

    @Test func searchFilesAnEditLeavesEqualStayInPlace() async throws {
        // 40 stories: three `docs/` chunks of the index. Editing the last story's text changes its
        // chunk and the terms, never the first chunk.
        let site = try Self.fortyStories()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let before = ["search/docs/0.json", "search/docs/2.json"].map { site.inode("Output/" + $0) }
        try site.write(TemporarySite.story(title: "第39个故事", body: "## 概述\n\n焊接工艺改进。\n"), to: "Content/stories/s39.md")
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.pagesReused == 39)
        let after = ["search/docs/0.json", "search/docs/2.json"].map { site.inode("Output/" + $0) }
        #expect(before[0] != nil && after[0] == before[0])
        #expect(after[1] != before[1])
        #expect(SearchQuery("焊接").run(in: site.root.appendingPathComponent("Output")).results.map(\.title) == ["第39个故事"])
        try await expectSameAsCleanBuild(site)
    }

    /// 40 short stories: three `docs/` chunks of the search index.
    static func fortyStories() throws -> TemporarySite {
        var files: [String: String] = [:]
        for number in 0..<40 {
            files[String(format: "Content/stories/s%02d.md", number)] = TemporarySite.story(title: "第\(number)个故事", body: "## 概述\n\n质量第\(number)段。\n")
        }
        return try TemporarySite(files)
    }

    /// A document whose file is unchanged comes from the cache without its body: its page, deleted by hand, was
    /// once made again with no text, and its search entry with it.
    @Test func aPageDeletedByHandIsMadeAgainWithItsText() async throws {
        let site = try Self.fortyStories()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        // The first walk taken as ten seconds later than it was: the files just written are trusted, not read
        // again as racily clean.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)],
                                              ofItemAtPath: site.root.appendingPathComponent("Output/.qpress-cache").path)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Output/stories/s05/index.html"))
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.pagesReused == 39)
        #expect(site.read("Output/stories/s05/index.html")?.contains("质量第5段。") == true)
        try await expectSameAsCleanBuild(site)
    }

    @Test func aSearchFileAnEditKeepsIsMadeAgainWhenDeletedByHand() async throws {
        let site = try Self.fortyStories()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Output/search/docs/0.json"))
        try site.write(TemporarySite.story(title: "第39个故事", body: "## 概述\n\n焊接工艺改进。\n"), to: "Content/stories/s39.md")
        #expect(await build(site, into: "Output").succeeded)
        #expect(site.exists("Output/search/docs/0.json"))
        try await expectSameAsCleanBuild(site)
    }

    @Test func aListOfFilesPointingOutsideTheOutputIsNotFollowed() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        try site.write("留着\n", to: "outside.txt")
        let list = try #require(site.read("Output/.qpress-files"))
        try site.write(list + "../outside.txt\n", to: "Output/.qpress-files")
        let story = "Content/stories/gear-30-years.md"
        try site.write(try #require(site.read(story)) + "\n新增的一段。\n", to: story)
        let second = await build(site, into: "Output")
        #expect(second.succeeded)
        #expect(site.read("outside.txt") == "留着\n")
        try await expectSameAsCleanBuild(site)
    }

    @Test func aSymbolicLinkInTheOutputIsNeverWrittenThrough() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        try site.write("别处\n", to: "elsewhere/x.html")
        try FileManager.default.createSymbolicLink(atPath: site.root.appendingPathComponent("Output/stories/link").path,
                                                   withDestinationPath: site.root.appendingPathComponent("elsewhere").path)
        try site.write(try #require(site.read("Output/.qpress-files")) + "stories/link/x.html\n", to: "Output/.qpress-files")
        let story = "Content/stories/gear-30-years.md"
        try site.write(try #require(site.read(story)) + "\n新增的一段。\n", to: story)
        let refused = await build(site, into: "Output")
        #expect(refused.diagnostics.contains { $0.description.contains("symbolic link") })
        #expect(site.read("elsewhere/x.html") == "别处\n")
        #expect(!site.exists("Output/.qpress-commit"))
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Output/stories/link"))
        #expect(await build(site, into: "Output").succeeded)
        try await expectSameAsCleanBuild(site)
    }

    /// Issue 22: a book whose inputs are unchanged keeps its files (same inode, same bytes); one whose input
    /// changed is rendered again, and the build says which input; the output is still a clean build's.
    @Test func anUnchangedBookIsReusedAndAChangedOneRenderedAgain() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        let books = ["anthologies/story-collection/story-collection.epub", "anthologies/story-collection/index.html",
                     "anthologies/paper-collection/paper-collection.epub", "anthologies/paper-collection/index.html"]
        let first = await build(site, into: "Output")
        #expect(first.anthologies.map(\.reused) == [false, false])
        let built = books.map { site.inode("Output/" + $0) }

        let again = await build(site, into: "Output")
        #expect(again.anthologies.map(\.reused) == [true, true])
        #expect(again.anthologies.map(\.reason) == ["unchanged", "unchanged"])
        #expect(again.anthologies.map { $0.files.sorted() } == first.anthologies.map { $0.files.sorted() })
        #expect(books.map { site.inode("Output/" + $0) } == built)

        // A story of the story collection: that book only.
        let story = "Content/stories/gear-30-years.md"
        try site.write(try #require(site.read(story)) + "\n修订后新增的一段。\n", to: story)
        let edited = await build(site, into: "Output")
        #expect(edited.succeeded)
        #expect(edited.anthologies.map(\.name) == ["paper-collection", "story-collection"])
        #expect(edited.anthologies.map(\.reused) == [true, false])
        #expect(edited.anthologies.map(\.reason) == ["unchanged", "\(story) changed"])
        let after = books.map { site.inode("Output/" + $0) }
        #expect(after[2] == built[2] && after[3] == built[3], "the paper collection stays in place")
        #expect(after[0] != built[0] && after[1] != built[1])
        #expect(site.read("Output/anthologies/story-collection/index.html")?.contains("修订后新增的一段。") == true)

        // A stylesheet of the web edition, overridden by the site: both books.
        try site.write("body { margin: 0 }\n", to: "Templates/web/book.css")
        let styled = await build(site, into: "Output")
        #expect(styled.anthologies.map(\.reused) == [false, false])
        #expect(styled.anthologies.map(\.reason) == ["Templates/web/book.css changed", "Templates/web/book.css changed"])
        try await expectSameAsCleanBuild(site)
    }
}
