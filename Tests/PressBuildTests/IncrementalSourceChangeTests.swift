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
