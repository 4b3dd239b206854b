import PressCore
@testable import PressIncremental
import PressTestSupport
import Testing

/// The byte writers of `CompactRecord` against the String encoders they stand in for, and against the reader.
@Suite struct RecordBytesTests {
    /// Every separator and escape of the format, line ends, marks that join a Character with what precedes it,
    /// CJK, an emoji and plain ASCII.
    static let hostile = ["\t", "\n", "\r", "\r\n", "\\", "\\n", "\u{1E}", "\u{1F}", "\u{01}", "\0", "\u{301}", "\u{200D}",
                          "质量", "🧑‍🏭", "a", "#", "+", "-", ":", "/", " ", "P", "\u{7F}", "\u{85}", "\u{2028}"]

    static func hostileString(_ generator: inout SeededGenerator, minimum: Int = 0) -> String {
        (0..<Int.random(in: minimum...8, using: &generator)).map { _ in hostile.randomElement(using: &generator) ?? "" }.joined()
    }

    static func randomPage(_ generator: inout SeededGenerator) -> PageRecord {
        let links = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
            LinkOrigin(href: hostileString(&generator), location: SourceLocation(
                file: hostileString(&generator),
                line: Bool.random(using: &generator) ? Int.random(in: -3...100_000, using: &generator) : nil,
                column: Bool.random(using: &generator) ? Int.random(in: 0...Int.max, using: &generator) : nil))
        }
        // A target is a path, never empty: the list of one empty text reads back as no list at all.
        let targets = (0..<Int.random(in: 0...4, using: &generator)).map { _ in hostileString(&generator, minimum: 1) }
        return PageRecord(outputPath: hostileString(&generator), links: links, targets: targets)
    }

    /// The `P` line as it was made before: every field a String, joined.
    static func referenceLine(source: String, _ page: PageRecord) -> String {
        let links = page.links.map { [$0.href, $0.location.file, $0.location.line.map(String.init) ?? "", $0.location.column.map(String.init) ?? ""] }
        return CacheSchemas.page.line(["source": CompactRecord.text(source), "output": CompactRecord.text(page.outputPath),
                                       "targets": CompactRecord.list(page.targets), "links": CompactRecord.pairs(links)])
    }

    @Test func pageLinesAreTheBytesTheStringEncoderMade() throws {
        var generator = SeededGenerator(seed: 19)
        let layout = try #require(RecordLayout(declaration: CompactRecord.fields(Substring(CacheSchemas.page.declaration.dropLast()))))
        for _ in 0..<2000 {
            let source = Self.hostileString(&generator)
            let page = Self.randomPage(&generator)
            var bytes: [UInt8] = []
            BuildCache.appendPageLine(source: source, page, to: &bytes)
            let reference = Self.referenceLine(source: source, page)
            #expect(bytes == Array(reference.utf8), "\(reference.debugDescription)")
            // And the reader gives the record back.
            let line = String(decoding: bytes.dropLast(), as: UTF8.self)
            let record = layout.record(CompactRecord.fields(Substring(line)))
            #expect(record.text("source") == source && record.text("output") == page.outputPath)
            let read = PageRecord(outputPath: page.outputPath, encodedLinks: record["links"] ?? "", encodedTargets: record["targets"] ?? "", line: Substring(line))
            #expect(read.links == page.links && read.targets == page.targets)
        }
    }

    @Test func textAndListsAreTheBytesTheStringEncodersMade() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let values = (0..<Int.random(in: 0...4, using: &generator)).map { _ in Self.hostileString(&generator) }
            var text: [UInt8] = [], list: [UInt8] = []
            CompactRecord.append(text: values.joined(), to: &text)
            CompactRecord.append(list: values, to: &list)
            #expect(text == Array(CompactRecord.text(values.joined()).utf8))
            #expect(list == Array(CompactRecord.list(values).utf8))
        }
    }

    @Test func decimalsAreWrittenAsStringWritesThem() {
        for value in [0, 1, 9, 10, 99, 100, 12_345, -1, -10, Int.max, Int.min, Int.max - 1] {
            var bytes: [UInt8] = [0x41]
            CompactRecord.append(decimal: value, to: &bytes)
            #expect(bytes == [0x41] + Array(String(value).utf8))
        }
    }
}
