import Foundation
import PressBuild
import PressModel
import PressTestSupport
import Testing
@testable import PressAnthology

/// Issue "Foundation" 3 and 6: the same content gives the same bytes, and every text of the print book gets
/// the Chinese typography pass.
@Suite struct ReproducibleBookTests {
    static let books = ["story-collection", "paper-collection"]

    /// Two clean builds: every file of both books byte for byte, PDFs and EPUBs included, so a deploy sends
    /// only the books that really changed.
    @Test func twoCleanBuildsAreByteIdentical() async throws {
        let first = try await SampleBooks.shared.book(Self.books[0]).folder.deletingLastPathComponent()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-anthology-again-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let again = try await SampleBooks.renderSamples(into: output)
        for name in Self.books {
            let book = try #require(again[name])
            let files = Self.files(below: book.folder)
            #expect(files.contains("\(name).pdf") && files.contains("\(name).epub") && files.contains("index.html"))
            #expect(files == Self.files(below: first.appendingPathComponent(name)))
            for file in files {
                let before = try Data(contentsOf: first.appendingPathComponent(name).appendingPathComponent(file))
                let after = try Data(contentsOf: book.folder.appendingPathComponent(file))
                #expect(before == after, "\(name)/\(file) differs between two builds")
            }
        }
    }

    /// Every file below `folder` (the web edition's images are in `images/`), by relative path, sorted.
    static func files(below folder: URL) -> [String] {
        let all = FileManager.default.subpaths(atPath: folder.path) ?? []
        return all.filter { path in
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &directory) && !directory.boolValue
        }.sorted()
    }

    /// The dates come from the manifest's edition (`2020年11月第1版`: 2020-11-01), the IDs from the content.
    @Test(arguments: books) func datesAreTheEditionsAndIDsTheContents(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let date = try BookDate.resolve(sourceDateEpoch: nil, edition: book.manifest.edition, dates: [])
        #expect(date.source == .edition && date.iso.hasPrefix("2020-1") && date.iso.hasSuffix("-01T00:00:00Z"))
        let info = try run("pdfinfo", ["-isodates", book.pdf.path]).output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(info.contains("CreationDate: \(date.iso)") && info.contains("ModDate: \(date.iso)"), "\(info)")
        let pdf = try SampleBooks.uncompressed(book.pdf)
        #expect(pdf.contains("<xmp:CreateDate>\(date.iso)</xmp:CreateDate>"))
        #expect(pdf.contains("<xmp:MetadataDate>\(date.iso)</xmp:MetadataDate>"))
        let id = try #require(pdf.firstMatch(of: /\/ID \[<([0-9a-f]{64})>/)).1
        // The trailer's first ID is our content hash (as hex text); the XMP DocumentID is the same hash as a UUID.
        let hash = String(decoding: stride(from: 0, to: id.count, by: 2).compactMap { offset -> UInt8? in
            let start = id.index(id.startIndex, offsetBy: offset)
            return UInt8(id[start..<id.index(start, offsetBy: 2)], radix: 16)
        }, as: UTF8.self)
        #expect(hash.count == 32)
        let uuid = try #require(UUID(uuidString: [hash.prefix(8), hash.dropFirst(8).prefix(4), hash.dropFirst(12).prefix(4),
                                                   hash.dropFirst(16).prefix(4), hash.dropFirst(20)].joined(separator: "-")))
        #expect(pdf.contains("<xmpMM:DocumentID>xmp.did:\(uuid.uuidString.lowercased())</xmpMM:DocumentID>"))
        let package = try run("unzip", ["-p", book.epub.path, "EPUB/package.opf"]).output
        #expect(package.contains("<meta property=\"dcterms:modified\">\(date.iso)</meta>"))
        let zipTime = date.iso.prefix(10).filter(\.isNumber) + ".000000 mimetype"
        #expect(try run("zipinfo", ["-T", book.epub.path]).output.contains(zipTime))
    }

    @Test func theDateIsSourceDateEpochThenTheEditionThenTheNewestDocument() throws {
        let dates = [CalendarDate(year: 2020, month: 9, day: 15), CalendarDate(year: 2020, month: 10, day: 3)].compactMap { $0 }
        let epoch = try BookDate.resolve(sourceDateEpoch: "1600000000", edition: "2020年11月第1版", dates: dates)
        #expect(epoch.iso == "2020-09-13T12:26:40Z" && epoch.source == .sourceDateEpoch)
        let edition = try BookDate.resolve(sourceDateEpoch: "", edition: "2020年11月第1版　2020年12月第2次印刷", dates: dates)
        #expect(edition.iso == "2020-11-01T00:00:00Z" && edition.source == .edition)
        #expect(try BookDate.resolve(sourceDateEpoch: nil, edition: "2021年3月8日第1版", dates: dates).iso == "2021-03-08T00:00:00Z")
        let newest = try BookDate.resolve(sourceDateEpoch: nil, edition: "第1版", dates: dates)
        #expect(newest.iso == "2020-10-03T00:00:00Z" && newest.source == .newestDocument)
        #expect(throws: BookDate.Malformed.self) { try BookDate.resolve(sourceDateEpoch: "yesterday", edition: nil, dates: dates) }
    }

    @Test func aBookNamesTheFirstInputThatChanged() {
        let before = BookFingerprint(inputs: [BookFingerprint.versionKey: "1", "Content/stories/a.md": "1", "Templates/print/print.css": "1"])
        #expect(before.change(since: before) == nil)
        var after = before
        after.inputs["Templates/print/print.css"] = "2"
        #expect(after.change(since: before) == "Templates/print/print.css changed")
        after.inputs["Content/stories/b.md"] = "1"
        #expect(after.change(since: before) == "Content/stories/b.md added")
        after.inputs["Content/stories/a.md"] = nil
        #expect(after.change(since: before) == "Content/stories/a.md removed")
        after.inputs[BookFingerprint.versionKey] = "2"
        #expect(after.change(since: before) == "QualityPress's way of making books changed")
    }

    @Test func theDocumentIDFollowsTheContent() {
        var settings = WeasyPrint.Settings(variant: "pdf/x-4", signature: 4)
        settings.date = BookDate(secondsSince1970: 0, source: .sourceDateEpoch)
        let id = AnthologyRenderer.documentIdentifier(html: "<p>甲</p>", settings: settings)
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
        #expect(id == AnthologyRenderer.documentIdentifier(html: "<p>甲</p>", settings: settings))
        #expect(id != AnthologyRenderer.documentIdentifier(html: "<p>乙</p>", settings: settings))
        settings.date = BookDate(secondsSince1970: 1, source: .sourceDateEpoch)
        #expect(id != AnthologyRenderer.documentIdentifier(html: "<p>甲</p>", settings: settings))
    }

    /// Every Han–Latin adjacency of the print HTML has its quarter em, template text included (the subtitle,
    /// the CIP data, the copyright page, the preface's date, affiliations); superscripts, code and the head aside.
    @Test(arguments: books) func noHanLatinAdjacencyInThePrintHTML(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let html = try String(contentsOf: book.printHTML, encoding: .utf8)
        let text = Self.visibleText(html)
        #expect(text.contains("2020\u{2005}年全国“\u{2060}质量月”活动成\u{2060}果"))
        #expect(text.contains("ISBN"))
        var touching: [String] = []
        let characters = Array(text)
        for index in characters.indices.dropFirst() {
            let (a, b) = (characters[index - 1], characters[index])
            if (PressReadyTests.isHan(a) && Self.isLatin(b)) || (Self.isLatin(a) && PressReadyTests.isHan(b)) {
                touching.append(String(characters[max(0, index - 8)..<min(characters.count, index + 8)]))
            }
        }
        #expect(touching.isEmpty, "\(touching.count) Han–Latin adjacencies without a space: \(touching.prefix(10))")
        // An affiliation line never leaves its last character alone (`厂）`): its last two are joined.
        let affiliations = html.matches(of: /<p class="paper-affiliations">(.*?)<\/p>/).map { String($0.1) }
        #expect(affiliations.count == (name == "paper-collection" ? book.manifest.documents.count : 0))
        for line in affiliations {
            let han = line.unicodeScalars.filter { PressReadyTests.isHan(Character($0)) || $0 == "\u{2060}" }
            #expect(han.suffix(2).first == "\u{2060}", "\(line)")
        }
    }

    /// pdftotext of the front matter (cover to contents: template text only) shows the spaces too.
    @Test(arguments: books) func frontMatterOfThePDFIsSpaced(_ name: String) async throws {
        let pdf = try await SampleBooks.shared.reading(name)
        // The front matter ends where the first section starts: the top-level entry before the first article.
        let outline = pdf.outline()
        let firstArticle = try #require(outline.firstIndex { $0.level == 2 })
        let firstSection = try #require(outline[..<firstArticle].last { $0.level == 1 }).page
        var touching: [String] = []
        for page in 1..<firstSection {
            for line in pdf.lines(page) {
                let characters = Array(line)
                for (a, b) in zip(characters, characters.dropFirst())
                where (PressReadyTests.isHan(a) && Self.isLatin(b)) || (Self.isLatin(a) && PressReadyTests.isHan(b)) {
                    touching.append("p\(page): \(line)")
                }
            }
        }
        #expect(touching.isEmpty, "\(touching.prefix(10))")
    }

    /// Issue 22 with WeasyPrint: an unchanged book's PDF stays as it is (WeasyPrint does not run); an edited
    /// story makes it again.
    @Test func anIncrementalBuildReusesAnUnchangedPDF() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲", body: "## 概述\n\n第一版正文。\n"),
            "Content/anthologies/book.yml": "title: 小书\npublisher: 协会\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n",
        ])
        defer { site.remove() }
        func build() async -> BuildResult {
            await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
        }
        let pdf = "Output/anthologies/book/book.pdf"
        let first = await build()
        #expect(first.diagnostics.map(\.description) == [])
        #expect(first.anthologies.first?.pdfSeconds ?? 0 > 0)
        let made = try #require(site.inode(pdf))
        let bytes = try Data(contentsOf: site.root.appendingPathComponent(pdf))

        let again = await build()
        #expect(again.anthologies.map(\.reused) == [true])
        #expect(again.anthologies.first?.pdfSeconds == 0)
        let kept = try Data(contentsOf: site.root.appendingPathComponent(pdf))
        #expect(site.inode(pdf) == made && kept == bytes)
        #expect(again.anthologies.first?.files.contains("anthologies/book/book.pdf") == true)

        try site.write(TemporarySite.story(title: "甲", body: "## 概述\n\n第二版正文。\n"), to: "Content/stories/a.md")
        let edited = await build()
        #expect(edited.anthologies.map(\.reason) == ["Content/stories/a.md changed"])
        #expect(site.inode(pdf) != made)
        #expect(try run("pdftotext", [site.root.appendingPathComponent(pdf).path, "-"]).output.contains("第二版正文"))
    }

    /// Books are reproducible, so `qpress deploy` after a clean rebuild sends nothing, and after an edit outside
    /// the book sends no book file, its PDF and EPUB included. (To a `file://` releases target, by the binary.)
    @Test func deploySendsOnlyBooksThatReallyChanged() async throws {
        let site = try TemporarySite([
            "Content/site.yml": "title: 测试协会\nbase_url: https://quality.example.org/\ndeploy:\n  targets:\n    - name: production\n      url: \"file://TARGET\"\n",
            "Content/stories/a.md": TemporarySite.story(title: "甲", body: "## 概述\n\n采用ISO 9001标准。\n"),
            "Content/stories/b.md": TemporarySite.story(title: "乙"),
            "Content/anthologies/book.yml": "title: 小书\npublisher: 协会\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n",
        ])
        defer { site.remove() }
        let target = site.root.appendingPathComponent("www").path
        try site.write(try #require(site.read("Content/site.yml")).replacingOccurrences(of: "TARGET", with: target), to: "Content/site.yml")
        let binary = TemporarySite.repositoryRoot.appendingPathComponent(".build/debug/qpress").path
        func deploy(_ arguments: [String]) throws -> String {
            let (status, output) = try run(binary, ["deploy", "--source", site.root.path] + arguments, allowFailure: true)
            #expect(status == 0, "\(output)")
            return output
        }
        _ = try deploy([])
        #expect(FileManager.default.fileExists(atPath: target + "/current/anthologies/book/book.pdf"))
        let clean = try deploy(["--dry-run", "--clean"])
        #expect(clean.contains(" 0 added, 0 changed, 0 deleted, "), "\(clean)")

        try site.write(TemporarySite.story(title: "乙", body: "## 概述\n\n改过的正文。\n"), to: "Content/stories/b.md")
        let edited = try deploy(["--dry-run"])
        #expect(edited.contains("  ~ stories/b/index.html\n"), "\(edited)")
        #expect(!edited.contains("anthologies/"), "\(edited)")
    }

    /// `SOURCE_DATE_EPOCH`, as reproducible-build tools set it, is the date of the PDF and the EPUB; a malformed
    /// one fails the build.
    @Test func sourceDateEpochBecomesTheBooksDate() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲"),
            "Content/anthologies/book.yml": "title: 小书\npublisher: 协会\nedition: 2020年11月第1版\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n",
        ])
        defer { site.remove() }
        let binary = TemporarySite.repositoryRoot.appendingPathComponent(".build/debug/qpress").path
        let built = try run("SOURCE_DATE_EPOCH=1600000000", [binary, "build", "--source", site.root.path], allowFailure: true)
        #expect(built.status == 0, "\(built.output)")
        let folder = site.root.appendingPathComponent("Output/anthologies/book")
        let info = try run("pdfinfo", ["-isodates", folder.appendingPathComponent("book.pdf").path]).output
        #expect(info.contains("2020-09-13T12:26:40Z") && !info.contains("2020-11-01"), "\(info)")
        let package = try run("unzip", ["-p", folder.appendingPathComponent("book.epub").path, "EPUB/package.opf"]).output
        #expect(package.contains("<meta property=\"dcterms:modified\">2020-09-13T12:26:40Z</meta>"))

        let malformed = try run("SOURCE_DATE_EPOCH=soon", [binary, "build", "--source", site.root.path, "--no-pdf"], allowFailure: true)
        #expect(malformed.status != 0)
        #expect(malformed.output.contains("Content/anthologies/book.yml: error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not 'soon'"),
                "\(malformed.output)")
    }

    static func isLatin(_ character: Character) -> Bool { character.isASCII && (character.isLetter || character.isNumber) }

    /// The text a reader sees: body only, without `<sup>`/`<sub>` (affiliation numbers, note calls), code and
    /// style; inline tags vanish, other tags (`span` too: the stylesheet may add text between two) break the text.
    static func visibleText(_ html: String) -> String {
        var text = html
        if let body = text.range(of: "<body") { text = String(text[body.lowerBound...]) }
        let hidden = [/<sup\b.*?<\/sup>/, /<sub\b.*?<\/sub>/, /<code\b.*?<\/code>/, /<pre\b.*?<\/pre>/, /<style\b.*?<\/style>/]
        for element in hidden { text = text.replacing(element.dotMatchesNewlines(), with: "\n") }
        text = text.replacing(/<\/?(a|em|strong|b|i|small|abbr|cite|q|mark)\b[^>]*>/, with: "")
        return text.replacing(/<[^>]*>/, with: "\n").replacingOccurrences(of: "&amp;", with: "&")
    }
}
