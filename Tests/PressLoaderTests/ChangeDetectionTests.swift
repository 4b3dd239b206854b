import Foundation
import PressCore
import PressTestSupport
import Testing
@testable import PressLoader

/// Which files an incremental build reads again: those whose stamp (size, modification and change
/// time, inode) changed, and those stamped too close to the previous walk to trust it; of those,
/// only the ones whose bytes changed count as read (their pages are rendered again).
@Suite struct ChangeDetectionTests {
    let story = "Content/stories/gear.md"

    func site() throws -> TemporarySite {
        try TemporarySite([story: TemporarySite.story(title: "齿轮"), "Content/stories/pump.md": TemporarySite.story(title: "水泵")])
    }

    /// A first load's cache, as if its walk had happened long after the files were last written, so no stamp is racy.
    func settledCache(_ loader: ContentLoader) async throws -> ContentCache {
        var cache = await loader.load().cache
        cache.scannedAt = Date().timeIntervalSince1970 + 3600
        return cache
    }

    func setModified(_ date: Date, _ site: TemporarySite, _ path: String) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: site.root.appendingPathComponent(path).path)
    }

    @Test func anUntouchedSiteReadsNothing() async throws {
        let site = try site()
        defer { site.remove() }
        let loader = ContentLoader(siteRoot: site.root)
        let second = await loader.load(reusing: try await settledCache(loader))
        #expect(second.readSources.isEmpty && second.site?.stories.count == 2)
    }

    /// Same size, and the modification time set back (`touch -d`): the change time still gives it away.
    @Test func anEditKeepingSizeAndModificationTimeIsSeen() async throws {
        let site = try site()
        defer { site.remove() }
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        try setModified(old, site, story)
        let loader = ContentLoader(siteRoot: site.root)
        let cache = try await settledCache(loader)
        let text = try #require(site.read(story))
        try site.write(text.replacingOccurrences(of: "齿轮", with: "链条"), to: story)
        try setModified(old, site, story)
        #expect(site.read(story)?.utf8.count == text.utf8.count)
        let second = await loader.load(reusing: cache)
        #expect(second.readSources == [story])
        #expect(second.site?.stories.map(\.header.title).sorted() == ["水泵", "链条"])
    }

    /// `touch`: the stamp changed, the bytes did not. The file is read and hashed, and its page stands.
    @Test func aTouchedFileWithTheSameBytesIsNotReadAsChanged() async throws {
        let site = try site()
        defer { site.remove() }
        let loader = ContentLoader(siteRoot: site.root)
        let cache = try await settledCache(loader)
        try setModified(Date(), site, story)
        let second = await loader.load(reusing: cache)
        #expect(second.readSources.isEmpty)
        #expect(second.cache.entries[story]?.stamp != cache.entries[story]?.stamp)
        #expect(second.cache.entries[story]?.hash == cache.entries[story]?.hash)
    }

    /// Written within the clock margin of the walk: the stamp may not show a later write of the same
    /// size, so the bytes are compared again, and a change is seen even with every stamp field equal.
    @Test func aFileStampedCloseToTheWalkIsComparedByItsBytes() async throws {
        let site = try site()
        defer { site.remove() }
        let loader = ContentLoader(siteRoot: site.root)
        var cache = await loader.load().cache
        #expect(cache.entries[story]?.stamp.isRacy(scannedAt: cache.scannedAt) == true)
        // As if the file had been rewritten within the same clock tick: the cache holds other bytes under the same stamp.
        cache.entries[story]?.hash = 1
        let second = await loader.load(reusing: cache)
        #expect(second.readSources == [story])
        let third = await loader.load(reusing: second.cache)
        #expect(third.readSources.isEmpty)
    }

    @Test func deletedAndRenamedFilesAreSeen() async throws {
        let site = try site()
        defer { site.remove() }
        let loader = ContentLoader(siteRoot: site.root)
        let cache = try await settledCache(loader)
        try FileManager.default.moveItem(at: site.root.appendingPathComponent(story), to: site.root.appendingPathComponent("Content/stories/chain.md"))
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/stories/pump.md"))
        let second = await loader.load(reusing: cache)
        #expect(second.readSources == ["Content/stories/chain.md"])
        #expect(second.site?.stories.map(\.header.sourcePath) == ["Content/stories/chain.md"])
        #expect(second.cache.entries.keys.sorted() == ["Content/stories/chain.md"])
    }

    /// Whether the routes are the cached documents' (`Result.routesUnchanged`) is found from the files read
    /// again alone: true only when no document came, went, moved, or was published or withdrawn as a draft.
    /// Unchanged, they are not made (`Result.routes` is nil); and the fields but the bodies are unchanged
    /// (`Result.fieldsUnchanged`) only when, besides, no field of a document read again changed.
    @Test func routesAreKnownUnchangedOnlyWhenNoDocumentMoved() async throws {
        let site = try site()
        defer { site.remove() }
        func write(_ text: String, to path: String? = nil) throws {
            try text.write(to: site.root.appendingPathComponent(path ?? story), atomically: false, encoding: .utf8)
        }
        func unchanged(drafts: Bool = false, fields: Bool = false, after change: () throws -> Void) async throws -> Bool {
            let loader = ContentLoader(siteRoot: site.root, includeDrafts: drafts)
            let cache = try await settledCache(loader)
            try change()
            let result = await loader.load(reusing: cache)
            #expect(await result.routes?.value == (result.routesUnchanged ? nil : result.site?.routesBySource))
            #expect(!result.fieldsUnchanged || result.routesUnchanged)
            return fields ? result.fieldsUnchanged : result.routesUnchanged
        }
        #expect(try await unchanged {})
        #expect(try await unchanged(fields: true) {})
        #expect(try await unchanged(fields: true) { try write(TemporarySite.story(title: "齿轮", body: "改写的正文。\n")) })
        #expect(try await !unchanged(fields: true) { try write(TemporarySite.story(title: "新的齿轮", body: "改写的正文。\n")) })
        #expect(try await !unchanged(fields: true) { try write(TemporarySite.story(title: "齿轮", extra: "tags: [齿轮]")) })
        #expect(try await unchanged { try write(TemporarySite.story(title: "新的齿轮", body: "改写的正文。\n")) })
        #expect(try await !unchanged { try write(TemporarySite.story(title: "齿轮", extra: "slug: chilun")) })
        #expect(try await !unchanged { try write(TemporarySite.story(title: "齿轮", extra: "slug: chilun\ndraft: true")) })
        #expect(try await unchanged(drafts: true) { try write(TemporarySite.story(title: "齿轮", extra: "slug: chilun")) })
        #expect(try await !unchanged { try write(TemporarySite.story(title: "链条"), to: "Content/stories/chain.md") })
        #expect(try await !unchanged { try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/stories/pump.md")) })
        #expect(await ContentLoader(siteRoot: site.root).load().routesUnchanged == false)
        // A route changed is checked against the others: two documents writing one page is still an error.
        let loader = ContentLoader(siteRoot: site.root)
        let cache = try await settledCache(loader)
        try write(TemporarySite.story(title: "链条", extra: "slug: chilun"), to: "Content/stories/chain.md")
        let clash = await loader.load(reusing: cache)
        #expect(!clash.routesUnchanged && clash.diagnostics.contains { $0.message.contains("writes the same page /stories/chilun/") })
    }

    /// The documents read again join those taken from the cache in path order, whether a few are
    /// (inserted one by one) or many (merged): with equal titles and dates, the order is the paths'.
    @Test(arguments: [3, 70])
    func documentsReadAgainJoinTheCachedOnesInOrder(edited: Int) async throws {
        let names = (0..<90).map { String(format: "Content/stories/s%02d.md", $0) }
        let site = try TemporarySite(Dictionary(uniqueKeysWithValues: names.map { ($0, TemporarySite.story(title: "同题")) }))
        defer { site.remove() }
        let loader = ContentLoader(siteRoot: site.root)
        let cache = try await settledCache(loader)
        let rewritten = names.enumerated().filter { $0.offset % (90 / edited) == 1 }.prefix(edited).map(\.element)
        for name in rewritten { try site.write(TemporarySite.story(title: "同题", body: "改过。\n"), to: name) }
        try site.write(TemporarySite.story(title: "同题"), to: "Content/stories/s45a.md")
        let second = await loader.load(reusing: cache)
        #expect(second.readSources == Set(rewritten + ["Content/stories/s45a.md"]))
        let paths = try #require(second.site?.stories.map(\.header.sourcePath))
        #expect(paths == (names + ["Content/stories/s45a.md"]).sorted())
        #expect(paths == (await ContentLoader(siteRoot: site.root).load()).site?.stories.map(\.header.sourcePath))
    }
}
