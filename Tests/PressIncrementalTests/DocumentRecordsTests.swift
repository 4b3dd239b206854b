import PressCore
@testable import PressIncremental
@testable import PressLoader
import PressModel
import PressTestSupport
import Testing

/// `DocumentRecords`' decoder, which reads fields by position (`FieldCursor`), against the decoder it replaced,
/// which found every field by name (`NamedRecord`): on random documents, on damaged lines and on files that
/// declare the fields in another order or not at all.
@Suite struct DocumentRecordsTests {
    static func randomHeader(_ kind: ContentKind, _ generator: inout SeededGenerator) -> DocumentHeader {
        let text = { (generator: inout SeededGenerator) in RecordBytesTests.hostileString(&generator) }
        let tags = (0..<Int.random(in: 0...3, using: &generator)).map { _ in RecordBytesTests.hostileString(&generator, minimum: 1) }
        return DocumentHeader(kind: kind, sourcePath: "Content/\(kind.folder)/" + text(&generator) + ".md", slug: text(&generator),
                              title: text(&generator), date: Bool.random(using: &generator) ? CalendarDate(iso: "2021-03-04") : nil, tags: tags,
                              summary: Bool.random(using: &generator) ? text(&generator) : nil, draft: Bool.random(using: &generator), body: "",
                              bodyFirstLine: Int.random(in: 1...400, using: &generator))
    }

    static func randomDocument(_ generator: inout SeededGenerator) -> Document {
        let kind = ContentKind.allCases.randomElement(using: &generator) ?? .story
        let header = randomHeader(kind, &generator)
        let text = { (generator: inout SeededGenerator) in RecordBytesTests.hostileString(&generator) }
        let list = { (generator: inout SeededGenerator) in
            (0..<Int.random(in: 0...3, using: &generator)).map { _ in RecordBytesTests.hostileString(&generator, minimum: 1) }
        }
        switch kind {
        case .story:
            return .story(BrandStory(header: header, company: text(&generator), author: text(&generator), industry: text(&generator),
                                     cover: Bool.random(using: &generator) ? text(&generator) : nil))
        case .paper:
            let authors = (0..<Int.random(in: 0...2, using: &generator)).map { _ in PaperAuthor(name: text(&generator), affiliation: text(&generator)) }
            var paper = Paper(header: header, authors: authors, abstract: text(&generator), keywords: list(&generator))
            paper.bibliography = list(&generator).map { BibliographySource(path: $0, location: SourceLocation(file: header.sourcePath)) }
            return .paper(paper)
        case .page:
            return .page(Page(header: header, documentNumber: Bool.random(using: &generator) ? text(&generator) : nil, issuers: list(&generator)))
        }
    }

    static func randomEntry(_ generator: inout SeededGenerator) -> ContentCache.Entry {
        let stamp = FileStamp(size: Int.random(in: 0...1_000_000, using: &generator), modified: Double.random(in: 0...2e9, using: &generator),
                              changed: Double.random(in: 0...2e9, using: &generator), inode: UInt64.random(in: 0...UInt64.max, using: &generator))
        return ContentCache.Entry(stamp: stamp, hash: Bool.random(using: &generator) ? UInt64.random(in: 0...UInt64.max, using: &generator) : nil,
                                  document: randomDocument(&generator))
    }

    /// The `D` lines of random entries, without their newlines.
    static func randomLines(_ count: Int, _ generator: inout SeededGenerator) -> [(path: String, line: String)] {
        (0..<count).map { _ in
            let entry = randomEntry(&generator)
            var cache = ContentCache()
            cache.entries[entry.document.header.sourcePath] = entry
            var line = ""
            DocumentRecords.encode(cache).write { line += String(decoding: $0, as: UTF8.self) }
            return (entry.document.header.sourcePath, String(line.dropLast()))
        }
    }

    static let layout = RecordLayout(declaration: CompactRecord.fields(Substring(DocumentRecords.schema.declaration.dropLast())))

    /// Everything an entry holds, to compare two (documents are not Equatable).
    static func described(_ entry: (String, ContentCache.Entry)?) -> String {
        entry.map { "\($0.0) \($0.1.stamp) \(String(describing: $0.1.hash)) \(String(reflecting: $0.1.document)) \(String(describing: $0.1.line))" } ?? "nil"
    }

    static func decoded(_ line: String, layout: RecordLayout) -> (String, ContentCache.Entry)? {
        var cursor = FieldCursor()
        return DocumentRecords.entry(Substring(line), DocumentRecords.Columns(layout), &cursor)
    }

    @Test func randomDocumentsReadBackAsWritten() throws {
        var generator = SeededGenerator(seed: 61)
        let layout = try #require(Self.layout)
        for (path, line) in Self.randomLines(1500, &generator) {
            let read = try #require(Self.decoded(line, layout: layout), "\(line.debugDescription)")
            var cache = ContentCache()
            cache.entries[path] = ContentCache.Entry(stamp: read.1.stamp, hash: read.1.hash, document: read.1.document)
            var again = ""
            DocumentRecords.encode(cache).write { again += String(decoding: $0, as: UTF8.self) }
            #expect(read.0 == path && again == line + "\n", "\(line.debugDescription)")
            #expect(Self.described(read) == Self.described(ReferenceDecoder.entry(Substring(line), layout: layout)))
        }
    }

    /// A line with a field dropped, emptied, replaced by something else, or the line cut short or made longer.
    static func damaged(_ line: String, _ generator: inout SeededGenerator) -> String {
        var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let at = Int.random(in: 0..<fields.count, using: &generator)
        switch Int.random(in: 0...4, using: &generator) {
        case 0: fields.remove(at: at)
        case 1: fields[at] = ["", "x", "-1", "+", "-", "1", "0", "stories", "papers", "pages", "D", "1e3", "ff"].randomElement(using: &generator) ?? ""
        case 2: fields[at] = RecordBytesTests.hostileString(&generator).replacingOccurrences(of: "\t", with: "")
        case 3: fields = Array(fields.prefix(at))
        default: fields.append(RecordBytesTests.hostileString(&generator).replacingOccurrences(of: "\t", with: ""))
        }
        return fields.joined(separator: "\t")
    }

    @Test func damagedLinesReadAsTheNamedDecoderReadThem() throws {
        var generator = SeededGenerator(seed: 62)
        let layout = try #require(Self.layout)
        var rejected = 0
        for (_, line) in Self.randomLines(1500, &generator) {
            let damaged = Self.damaged(line, &generator)
            let read = Self.decoded(damaged, layout: layout)
            if read == nil { rejected += 1 }
            #expect(Self.described(read) == Self.described(ReferenceDecoder.entry(Substring(damaged), layout: layout)), "\(damaged.debugDescription)")
        }
        // Damage is seen: many lines are no record any more.
        #expect(rejected > 100)
    }

    @Test func aFileDeclaringOtherPositionsIsReadByItsDeclaration() throws {
        var generator = SeededGenerator(seed: 63)
        let names = DocumentRecords.schema.names
        for _ in 0..<200 {
            // Another order, some fields missing, one unknown: lines are written in that order.
            var order = Array(names.indices).shuffled(using: &generator)
            order.removeLast(Int.random(in: 0...3, using: &generator))
            let declared = order.map { names[$0] } + ["later_field"]
            let layout = try #require(RecordLayout(declaration: ["#", "D"] + declared.map { Substring($0) }))
            for (_, line) in Self.randomLines(5, &generator) {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                let moved = (["D"] + order.map { fields[$0 + 1] } + ["?"]).joined(separator: "\t")
                let read = Self.decoded(moved, layout: layout)
                #expect(Self.described(read) == Self.described(ReferenceDecoder.entry(Substring(moved), layout: layout)), "\(moved.debugDescription)")
                if order.count == names.count { #expect(read != nil) }
            }
        }
    }

    @Test func fieldCursorFindsEveryField() {
        var cursor = FieldCursor()
        cursor.read("D\t\tb\\tc\t+x\t\u{1E}y\u{1E}")
        #expect(cursor[0] == "D" && cursor[1] == "" && cursor.text(2) == "b\tc" && cursor.optional(3) == "x")
        #expect(cursor.list(4) == ["", "y", ""] && cursor.list(1) == [] && cursor[5] == nil && cursor[-1] == nil && cursor.text(9) == nil)
        #expect(cursor.field(0, is: "D") && !cursor.field(1, is: "D") && !cursor.field(7, is: ""))
        cursor.read("")
        #expect(cursor[0] == "" && cursor[1] == nil)
    }
}

/// The decoder `DocumentRecords` had before `FieldCursor`: every field found by name, as `NamedRecord` finds it.
/// One change: an optional field is `+` and its text, taken apart on bytes; the old one took the first Character,
/// and so read `+` followed by a combining mark as no value.
private enum ReferenceDecoder {
    static func entry(_ line: Substring, layout: RecordLayout) -> (String, ContentCache.Entry)? {
        let record = layout.record(CompactRecord.fields(line))
        guard record.fields.first == "D", let path = record.text("path"), let stamp = stamp(record),
              let document = document(record, path: path) else { return nil }
        let hash = record["hash"].flatMap { UInt64($0, radix: 16) }
        return (path, ContentCache.Entry(stamp: stamp, hash: hash, document: document, line: line))
    }

    static func optional(_ field: Substring) -> String? {
        field.utf8.first == UInt8(ascii: "+") ? CompactRecord.text(Substring(field.utf8.dropFirst())) : nil
    }

    static func stamp(_ record: NamedRecord) -> FileStamp? {
        guard let size = record["size"].flatMap({ Int($0) }), let modified = record["modified"].flatMap({ Double($0) }),
              let changed = record["changed"].flatMap({ Double($0) }), let inode = record["inode"].flatMap({ UInt64($0) }) else { return nil }
        return FileStamp(size: size, modified: modified, changed: changed, inode: inode)
    }

    static func document(_ record: NamedRecord, path: String) -> Document? {
        guard let kind = record["kind"].flatMap({ ContentKind(rawValue: String($0)) }), let firstLine = record["body_line"].flatMap({ Int($0) }),
              let slug = record.text("slug"), let title = record.text("title"), let draft = record["draft"] else { return nil }
        let header = DocumentHeader(kind: kind, sourcePath: path, slug: slug, title: title,
                                    date: record["date"].flatMap { CalendarDate(iso: String($0)) }, tags: record.list("tags"),
                                    summary: record["summary"].flatMap(optional), draft: draft == "1", body: "", bodyFirstLine: firstLine)
        switch kind {
        case .story:
            guard let company = record.text("company"), let author = record.text("author"), let industry = record.text("industry") else { return nil }
            return .story(BrandStory(header: header, company: company, author: author, industry: industry, cover: record["cover"].flatMap(optional)))
        case .paper:
            guard let abstract = record.text("abstract") else { return nil }
            let authors = (record["authors"].map(CompactRecord.pairs) ?? []).compactMap { $0.count == 2 ? PaperAuthor(name: $0[0], affiliation: $0[1]) : nil }
            var paper = Paper(header: header, authors: authors, abstract: abstract, keywords: record.list("keywords"))
            paper.bibliography = record.list("bibliography").map { BibliographySource(path: $0, location: SourceLocation(file: path)) }
            return .paper(paper)
        case .page:
            return .page(Page(header: header, documentNumber: record["document_number"].flatMap(optional), issuers: record.list("issuers")))
        }
    }
}

/// `ReadOrder` against `sorted()`: keys read from a text in order, in disorder, or made anew.
@Suite struct ReadOrderTests {
    /// Unique random keys, and a text holding a line for each, in `<` order or shuffled.
    static func keysAndLines(_ generator: inout SeededGenerator, inOrder: Bool) -> [String: Substring] {
        let keys = Set((0..<Int.random(in: 0...60, using: &generator)).map { _ in RecordBytesTests.hostileString(&generator) })
        let ordered = inOrder ? keys.sorted() : keys.shuffled(using: &generator)
        // Each line holds its key's index: keys may hold newlines.
        let text = ordered.indices.map { "\($0)\n" }.joined()
        let lines = text.split(separator: "\n")
        return Dictionary(uniqueKeysWithValues: zip(ordered, lines))
    }

    @Test func keysComeInSortedOrderWhateverTheirLines() {
        var generator = SeededGenerator(seed: 64)
        for round in 0..<400 {
            let lines = Self.keysAndLines(&generator, inOrder: round % 4 != 0)
            // Some records were made anew: no line.
            let table = lines.mapValues { Bool.random(using: &generator) || lines.count < 3 ? Optional($0) : nil }
            #expect(ReadOrder.sortedKeys(table) { $0 } == table.keys.sorted())
        }
    }

    @Test func mergedListsStaySorted() {
        #expect(ReadOrder.merged(["a", "c", "e"], ["b", "d", "f", "g"]) == ["a", "b", "c", "d", "e", "f", "g"])
        #expect(ReadOrder.merged([], ["质量"]) == ["质量"] && ReadOrder.merged(["x"], []) == ["x"])
    }
}
