public import Foundation

/// The schema of every kind of record in the build cache, declared at the top of the file.
enum CacheSchemas {
    /// An index page (home, a list, a tag page) and the fingerprint of the values it was rendered from.
    static let index = RecordSchema(tag: "I", names: ["path", "fingerprint"])
    /// A document page: where it is, the content files it links to, and its links with their source lines.
    static let page = RecordSchema(tag: "P", names: ["source", "output", "targets", "links"])
    /// A document's route.
    static let route = RecordSchema(tag: "R", names: ["source", "route"])
    /// A static file, and the content hash of an image made into web variants.
    static let staticFile = RecordSchema(tag: "S", names: ["path", "image_hash"])
    /// The template each page was rendered with.
    static let template = RecordSchema(tag: "T", names: ["path", "template"])
    /// A book: the files of its folder and the inputs it was made from.
    static let book = RecordSchema(tag: "B", names: ["name", "files", "inputs"])
    /// A link written literally in a template, and where.
    static let templateLink = RecordSchema(tag: "L", names: ["url", "file", "line"])

    static let all = [DocumentRecords.schema, page, index, route, staticFile, template, book, templateLink]
}

extension BuildCache {
    /// The record of `book` in the cache file of `output`, nil when there is none.
    public static func bookRecord(_ book: String, in output: URL) -> BookRecord? {
        guard let found = BookLine(book, in: output) else { return nil }
        return Self.book(found.layout.record(CompactRecord.fields(found.lines[found.index])))
    }

    /// The cache file of `output` with the record of `book` replaced by `record`; nil when it has no such record.
    public static func replacingBookRecord(_ book: String, with record: BookRecord, in output: URL) -> Data? {
        guard let found = BookLine(book, in: output) else { return nil }
        var lines = found.lines.map(String.init)
        lines[found.index] = String(bookLine(book, record).dropLast())
        return Data(lines.map { $0 + "\n" }.joined().utf8)
    }
}

/// A book's `B` record in a cache file, found by the book's name through the file's layout.
private struct BookLine {
    let lines: [Substring]
    let index: Int
    let layout: RecordLayout

    init?(_ book: String, in output: URL) {
        guard let data = FileManager.default.contents(atPath: output.appendingPathComponent(BuildCache.fileName).path) else { return nil }
        let lines = CompactRecord.lines(String(decoding: data, as: UTF8.self))
        guard BuildCache.currentHeader(lines) != nil,
              let layout = RecordLayout.declared(in: lines.dropFirst().prefix { $0.utf8.first == UInt8(ascii: "#") })["B"],
              let index = lines.firstIndex(where: { $0.hasPrefix("B\t") && layout.record(CompactRecord.fields($0)).text("name") == book })
        else { return nil }
        (self.lines, self.index, self.layout) = (lines, index, layout)
    }
}
