import Foundation
import PressBuild
import PressTestSupport
import Testing

/// How an incremental build tells which source files changed (`FileStamp`, `ContentCache`), seen
/// from the output: each change shows, a change of stamp alone renders nothing, and the result
/// equals a clean build.
extension IncrementalBuildTests {
    func setModified(_ date: Date, _ site: TemporarySite, _ path: String) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: site.root.appendingPathComponent(path).path)
    }

    @Test func aTouchedFileRendersNothing() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let page = "Output/stories/gear-30-years/index.html", before = site.inode(page)
        try setModified(Date(timeIntervalSinceNow: 60), site, "Content/stories/gear-30-years.md")
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.pagesReused == 14)
        #expect(site.inode(page) == before)
    }

    /// The same number of bytes and the modification time set back to what it was, as `touch -d` does.
    @Test func anEditKeepingSizeAndModificationTimeShows() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        let story = "Content/stories/gear-30-years.md", old = Date(timeIntervalSince1970: 1_600_000_000)
        try setModified(old, site, story)
        #expect(await build(site, into: "Output").succeeded)
        let text = try #require(site.read(story))
        let edited = text.replacingOccurrences(of: "齿轮", with: "链条")
        #expect(edited != text && edited.utf8.count == text.utf8.count)
        try site.write(edited, to: story)
        try setModified(old, site, story)
        #expect(await build(site, into: "Output").succeeded)
        #expect(site.read("Output/stories/gear-30-years/index.html")?.contains("链条") == true)
        try await expectSameAsCleanBuild(site)
    }

    @Test func aRenamedFileMovesItsPage() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        try FileManager.default.moveItem(at: site.root.appendingPathComponent("Content/pages/about.md"),
                                         to: site.root.appendingPathComponent("Content/pages/about-us.md"))
        #expect(await build(site, into: "Output").succeeded)
        #expect(site.exists("Output/pages/about-us/index.html") && !site.exists("Output/pages/about/index.html"))
        try await expectSameAsCleanBuild(site)
    }

    @Test func changingSiteConfigRerendersEverything() async throws {
        let site = try sampleCopy()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let config = try #require(site.read("Content/site.yml"))
        try site.write(config.replacingOccurrences(of: "title: 中国机械工业质量管理协会", with: "title: 机械质量协会"), to: "Content/site.yml")
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.pagesReused == 0)
        #expect(site.read("Output/papers/reliability-growth/index.html")?.contains("机械质量协会") == true)
        try await expectSameAsCleanBuild(site)
    }
}

/// Edits to the values a document shows in lists, tag pages, the home page, the feed and the sitemap:
/// each must reach every page showing it, and the result must equal a clean build. On the sample
/// without its books (the cache is then written while the search index is made), and with no page
/// linking to the story edited, so that it may go.
extension IncrementalBuildTests {
    static let story = "Content/stories/gear-30-years.md"

    enum ListedEdit: String, CaseIterable, Sendable {
        case title, date, tags, draft, published, deletion

        /// A page that shows the value edited, so must be rendered again.
        var shownIn: String { self == .tags ? "tags/index.html" : "stories/index.html" }
    }

    func sampleWithoutBooks() throws -> TemporarySite {
        let site = try sampleCopy()
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/anthologies"))
        let paper = "Content/papers/qc-circle-gear-noise.md"
        try site.write(try #require(site.read(paper)).replacingOccurrences(of: "gear-30-years.md", with: "motor-brand.md"), to: paper)
        return site
    }

    func apply(_ edit: ListedEdit, to site: TemporarySite) throws {
        let text = try #require(site.read(Self.story))
        switch edit {
        case .title: try site.write(text.replacingOccurrences(of: "title: 一颗齿轮的三十年", with: "title: 一颗齿轮的四十年"), to: Self.story)
        case .date: try site.write(text.replacingOccurrences(of: "date: 2020-09-15", with: "date: 2026-01-02"), to: Self.story)
        case .tags: try site.write(text.replacingOccurrences(of: "tags: [工匠精神, 质量改进, 品牌建设]", with: "tags: [工匠精神, 新标签]"), to: Self.story)
        case .draft: try site.write(text.replacingOccurrences(of: "slug: gear-30-years", with: "slug: gear-30-years\ndraft: true"), to: Self.story)
        case .published:
            let draft = "Content/stories/draft-example.md"
            try site.write(try #require(site.read(draft)).replacingOccurrences(of: "draft: true", with: "draft: false"), to: draft)
        case .deletion: try FileManager.default.removeItem(at: site.root.appendingPathComponent(Self.story))
        }
    }

    @Test(arguments: ListedEdit.allCases)
    func anEditOfAListedValueReachesEveryPageShowingIt(_ edit: ListedEdit) async throws {
        let site = try sampleWithoutBooks()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let before = site.read("Output/" + edit.shownIn)
        try apply(edit, to: site)
        let second = await build(site, into: "Output")
        #expect(second.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        #expect(second.succeeded && second.pagesReused > 0 && !second.indexPlanReused)
        #expect(site.read("Output/" + edit.shownIn) != before, "\(edit): \(edit.shownIn) was not rendered again")
        try await expectSameAsCleanBuild(site)
    }

    /// A theme file that only list pages use still renders everything again, as a clean build would.
    @Test func changingAPartialOnlyListsUseRerendersThemAsACleanBuildDoes() async throws {
        let site = try sampleWithoutBooks()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        let theme = TemporarySite.repositoryRoot.appendingPathComponent("Templates/partials/entry.mustache")
        let partial = try String(contentsOf: theme, encoding: .utf8)
        try site.write("<!-- edited -->\n" + partial, to: "Templates/partials/entry.mustache")
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.pagesReused == 0)
        #expect(site.read("Output/stories/index.html")?.contains("<!-- edited -->") == true)
        try await expectSameAsCleanBuild(site)
    }
}
