import Foundation
import PressCore
@testable import PressIncremental
import PressLoader
import PressModel
import Testing

@Suite struct CompactRecordTests {
    @Test func fieldsRoundTripWhateverTheyHold() {
        let awkward = ["质量\t月", "第一行\n第二行", "Windows\r\n行尾", "a\\b", "\u{1E}\u{1F}", "", "ISO 9001：2015"]
        let line = CompactRecord.line("X", awkward.map(CompactRecord.text) + [CompactRecord.list(awkward), CompactRecord.pairs([awkward, ["一"]]),
                                                                            CompactRecord.optional(nil), CompactRecord.optional("可选")])
        let records = CompactRecord.records(line + line)
        #expect(records.count == 2)
        let fields = records[0]
        #expect(fields.count == 1 + awkward.count + 4)
        #expect(fields[0] == "X")
        #expect(fields[1...awkward.count].map(CompactRecord.text) == awkward)
        #expect(CompactRecord.list(fields[awkward.count + 1]) == awkward)
        #expect(CompactRecord.pairs(fields[awkward.count + 2]) == [awkward, ["一"]])
        #expect(CompactRecord.optional(fields[awkward.count + 3]) == nil)
        #expect(CompactRecord.optional(fields[awkward.count + 4]) == "可选")
        #expect(CompactRecord.list(Substring("")) == [])
    }
}

/// The build cache is read by field name, through the schema its file declares, never by position.
@Suite struct CacheSchemaTests {
    static let stamp = FileStamp(size: 120, modified: 1.5, changed: 1_700_000_000.123456, inode: 9_876_543_210)

    static let links = [LinkOrigin(href: "/papers/b/#%E5%BC%95%E8%A8%80", location: SourceLocation(file: "Content/stories/a.md", line: 12, column: 3)),
                        LinkOrigin(href: "/tags/\t/", location: SourceLocation(file: "Content/stories/a.md", line: nil, column: nil))]

    func sampleCache() -> BuildCache {
        var content = ContentCache()
        let header = DocumentHeader(kind: .story, sourcePath: "Content/stories/a.md", slug: "a", title: "一颗\t齿轮", date: CalendarDate(iso: "2020-09-15"),
                                    tags: ["工匠", "精神"], summary: nil, draft: false, body: "", bodyFirstLine: 9)
        let story = BrandStory(header: header, company: "某厂", author: "张三", industry: "机械", cover: "/assets/a.jpg")
        content.entries[header.sourcePath] = ContentCache.Entry(stamp: Self.stamp, hash: 0xfeed_beef_0123_4567, document: .story(story))
        content.scannedAt = 1_764_000_000.25
        var cache = BuildCache(fingerprint: "f00d", content: content,
                               pages: [header.sourcePath: PageRecord(outputPath: "stories/a/index.html", links: Self.links, targets: ["Content/papers/b.md"])],
                               indexFingerprints: ["index.html": "beef"], routes: [header.sourcePath: "/stories/a/"], staticPaths: ["assets/a.jpg"],
                               templates: ["index.html": "Templates/home.mustache"], templateLinks: [:])
        cache.imageHashes = ["assets/a.jpg": "cafe"]
        cache.books = ["book": BookRecord(inputs: ["qpress": "1"], files: ["anthologies/book/index.html"])]
        return cache
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cache-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aCacheReadsBackWhatWasWritten() async throws {
        let output = try folder()
        defer { try? FileManager.default.removeItem(at: output) }
        let cache = sampleCache()
        try await cache.write(into: output)
        let read = try #require(await BuildCache.load(from: output))
        #expect(read.fingerprint == "f00d" && read.pages == cache.pages && read.allRoutes == cache.routes)
        #expect(read.imageHashes == cache.imageHashes && read.books == cache.books && read.templates == cache.templates)
        let entry = try #require(read.content.entries["Content/stories/a.md"])
        #expect(entry.stamp == Self.stamp && entry.hash == 0xfeed_beef_0123_4567 && read.content.scannedAt == 1_764_000_000.25)
        let document = entry.document
        guard case .story(let story) = document else { Issue.record("not a story"); return }
        #expect(story.header.title == "一颗\t齿轮" && story.header.tags == ["工匠", "精神"] && story.header.bodyFirstLine == 9)
        #expect(story.company == "某厂" && story.cover == "/assets/a.jpg")
        #expect(BuildCache.bookRecord("book", in: output) == cache.books["book"])
    }

    /// A cache read back and written again, with its documents' and pages' lines kept as slices of the text
    /// read (`CacheText`), is the same file; one document made anew changes its line only.
    @Test func readRecordsAreWrittenBackAsTheyWere() async throws {
        let output = try folder(), again = try folder()
        defer { for url in [output, again] { try? FileManager.default.removeItem(at: url) } }
        var cache = sampleCache()
        let second = DocumentHeader(kind: .page, sourcePath: "Content/pages/b.md", slug: "b", title: "规范", date: nil,
                                    tags: [], summary: "摘要", draft: false, body: "", bodyFirstLine: 4)
        cache.content.entries[second.sourcePath] = ContentCache.Entry(stamp: Self.stamp, hash: 1, document: .page(Page(header: second, documentNumber: "Q/1", issuers: ["质量部"])))
        cache.pages[second.sourcePath] = PageRecord(outputPath: "pages/b/index.html", links: [], targets: [])
        try await cache.write(into: output)
        let written = try Data(contentsOf: output.appendingPathComponent(BuildCache.fileName))
        let read = try #require(await BuildCache.load(from: output))
        try await read.write(into: again, previous: read)
        #expect(try Data(contentsOf: again.appendingPathComponent(BuildCache.fileName)) == written)
        var edited = read
        edited.content.entries["Content/pages/b.md"]?.line = nil
        edited.content.entries["Content/pages/b.md"]?.hash = 2
        try await edited.write(into: again, previous: read)
        let lines = try String(contentsOf: again.appendingPathComponent(BuildCache.fileName), encoding: .utf8).split(separator: "\n")
        let before = String(decoding: written, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == before.count)
        #expect(zip(lines, before).filter { $0 != $1 }.map { String($0.0.prefix(21)) } == ["D\tContent/pages/b.md\t"])
    }

    /// An edit's page records (those read back, a few rendered again in place of theirs) are written as the
    /// previous lines with the changed ones replaced (`patchedPageLines`): the same bytes as encoding every
    /// record, the first and last lines included. Pages that came or went are written by encoding them all.
    @Test func pagesRenderedAgainReplaceOnlyTheirLines() async throws {
        let output = try folder(), patched = try folder(), encoded = try folder()
        defer { for url in [output, patched, encoded] { try? FileManager.default.removeItem(at: url) } }
        var cache = sampleCache()
        let sources = (0..<40).map { String(format: "Content/stories/s%02d.md", $0) }
        for source in sources {
            let output = source.dropFirst(8).replacingOccurrences(of: ".md", with: "/index.html")
            cache.pages[source] = PageRecord(outputPath: output, links: Self.links, targets: [])
            cache.templates[output] = "Templates/story.mustache"
        }
        try await cache.write(into: output)
        let read = try #require(await BuildCache.load(from: output))
        let keys = read.pages.keys.sorted()
        func written(_ edited: BuildCache) async throws -> (patched: Data, encoded: Data) {
            try await edited.write(into: patched, previous: read)
            try await edited.write(into: encoded)
            let file = BuildCache.fileName
            return (try Data(contentsOf: patched.appendingPathComponent(file)), try Data(contentsOf: encoded.appendingPathComponent(file)))
        }
        // The first line and the last, or lines between, replaced.
        var edited = read
        for source in [keys[0], keys[17], keys[keys.count - 1]] {
            edited.pages[source] = PageRecord(outputPath: "changed/\(source.count)/index.html", links: [], targets: ["Content/papers/b.md"])
        }
        edited.pages[keys[5]] = PageRecord(outputPath: read.pages[keys[5]]?.outputPath ?? "", links: Self.links, targets: [])
        var inside = read
        inside.pages[keys[20]] = PageRecord(outputPath: "changed/index.html", links: [], targets: [])
        let before = try String(contentsOf: output.appendingPathComponent(BuildCache.fileName), encoding: .utf8).split(separator: "\n")
        var edit = (patched: Data(), encoded: Data())
        for (changes, changed) in [(inside, 1), (edited, 3)] {
            edit = try await written(changes)
            #expect(changes.patchedPageLines(read) != nil && edit.patched == edit.encoded)
            let after = String(decoding: edit.patched, as: UTF8.self).split(separator: "\n")
            #expect(zip(before, after).filter { $0 != $1 }.count == changed && before.count == after.count)
            // As a build hands them over: the reused pages (and their templates) apart from the pages rendered again.
            var split = changes
            split.reusedPages = keys.filter { changes.pages[$0] == read.pages[$0] }.compactMap { source in
                read.pages[source].map { ReusedPage(source: source, record: $0, template: read.templates[$0.outputPath]) }
            }
            for page in split.reusedPages {
                split.pages[page.source] = nil
                split.templates[page.record.outputPath] = nil
            }
            #expect(split.reusedPages.count == keys.count - changed && split.patchedPageLines(read) != nil)
            try await split.write(into: patched, previous: read)
            #expect(try Data(contentsOf: patched.appendingPathComponent(BuildCache.fileName)) == edit.encoded)
        }
        var moved = read
        moved.pages[keys[3]] = nil
        moved.pages["Content/stories/new.md"] = PageRecord(outputPath: "stories/new/index.html", links: [], targets: [])
        let move = try await written(moved)
        #expect(moved.patchedPageLines(read) == nil && move.patched == move.encoded && move.patched != edit.patched)
    }

    /// Page records read from a cache keep their links and targets encoded: they decode to what was
    /// written, records read twice compare equal by their bytes, and one that changed does not.
    @Test func pageRecordsDecodeOnlyWhenAsked() async throws {
        let output = try folder()
        defer { try? FileManager.default.removeItem(at: output) }
        try await sampleCache().write(into: output)
        let first = try #require(await BuildCache.load(from: output)), second = try #require(await BuildCache.load(from: output))
        var page = try #require(first.pages["Content/stories/a.md"])
        #expect(page.links == Self.links && page.targets == ["Content/papers/b.md"])
        #expect(page == second.pages["Content/stories/a.md"])
        page.targets = ["Content/papers/c.md"]
        #expect(page != second.pages["Content/stories/a.md"] && page.links == Self.links)
        #expect(first.sourceMap.links["stories/a/index.html"] == Self.links)
    }

    /// A file whose `#` line puts the fields in another order, with a field this build does not know,
    /// reads the same: fields are found by name.
    @Test func fieldsAreFoundByNameNotPosition() async throws {
        let output = try folder()
        defer { try? FileManager.default.removeItem(at: output) }
        try await sampleCache().write(into: output)
        let file = output.appendingPathComponent(BuildCache.fileName)
        let lines = try #require(String(data: Data(contentsOf: file), encoding: .utf8)).split(separator: "\n", omittingEmptySubsequences: false)
        let shuffled = lines.map { line -> String in
            var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            // The declaration `#`, `D`, names… and the records `D`, values…: reversed after the tag, and one more field.
            if fields.first == "#" && fields.count > 1 && fields[1] == "D" {
                fields = ["#", "D", "new_field"] + fields.dropFirst(2).reversed()
            } else if fields.first == "D" {
                fields = ["D", "新"] + fields.dropFirst().reversed()
            }
            return fields.joined(separator: "\t")
        }
        try Data(shuffled.joined(separator: "\n").utf8).write(to: file)
        let read = try #require(await BuildCache.load(from: output))
        let entry = try #require(read.content.entries["Content/stories/a.md"])
        #expect(entry.stamp == Self.stamp)
        guard case .story(let story) = entry.document else { Issue.record("not a story"); return }
        #expect(story.header.slug == "a" && story.author == "张三" && story.industry == "机械" && story.header.date?.iso == "2020-09-15")
    }

    /// Every kind of record, not only documents, is read through its file's declaration: with each kind's
    /// fields reversed and an unknown one added, the cache reads as it did.
    @Test func everyKindOfRecordIsReadByItsDeclaration() async throws {
        let output = try folder()
        defer { try? FileManager.default.removeItem(at: output) }
        var cache = sampleCache()
        cache.templateLinks = ["https://example.com/质量": SourceLocation(file: "Templates/base.mustache", line: 12)]
        try await cache.write(into: output)
        let file = output.appendingPathComponent(BuildCache.fileName)
        let original = try #require(await BuildCache.load(from: output))
        let lines = try #require(String(data: Data(contentsOf: file), encoding: .utf8)).split(separator: "\n").map(String.init)
        let reversed = lines.map { line -> String in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.first == "#" && fields.count > 1 { return (["#", fields[1], "new_field"] + fields.dropFirst(2).reversed()).joined(separator: "\t") }
            guard let tag = fields.first, tag.count == 1 else { return line }
            return ([tag, "新"] + fields.dropFirst().reversed()).joined(separator: "\t")
        }
        #expect(reversed.count > 10 && reversed != lines)
        try Data((reversed.joined(separator: "\n") + "\n").utf8).write(to: file)
        let read = try #require(await BuildCache.load(from: output))
        #expect(read.pages == original.pages && read.allRoutes == cache.routes && read.templates == original.templates)
        #expect(read.indexFingerprints == original.indexFingerprints && read.staticPaths == original.staticPaths)
        #expect(read.imageHashes == original.imageHashes && read.books == original.books && read.templateLinks == cache.templateLinks)
        #expect(read.pages["Content/stories/a.md"]?.links == Self.links && read.content.entries.keys.sorted() == ["Content/stories/a.md"])
    }

    /// A cache of the previous format (fields by position) is not read: the site is rebuilt.
    @Test func anOlderFormatIsIgnored() async throws {
        let output = try folder()
        defer { try? FileManager.default.removeItem(at: output) }
        try Data("qpress-cache\t5\tf00d\nD\tContent/stories/a.md\t120\t1.5\tstory\n".utf8).write(to: output.appendingPathComponent(BuildCache.fileName))
        #expect(await BuildCache.load(from: output) == nil)
        #expect(BuildCache.formatVersion == 6)
    }
}
