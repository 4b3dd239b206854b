import PressCore
import PressModel

/// Size and modification time of a source file: what decides whether it must be read again.
public struct FileStamp: Sendable, Codable, Equatable {
    public var size: Int
    public var modified: Double
}

/// Parsed documents from the previous build, keyed by source path. Bodies are not kept:
/// a document that is not re-rendered does not need its Markdown.
public struct ContentCache: Sendable {
    struct Entry: Sendable {
        var stamp: FileStamp
        var document: Document
        /// The line this entry was read from: an unchanged document is written back as it was.
        var line: Substring?
    }

    var entries: [String: Entry] = [:]

    public init() {}

    public mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    /// One `D` line per document (see `CompactRecord`).
    public func encoded() -> String {
        var text = ""
        text.reserveCapacity(entries.count * 512)
        // Sorting the keys, not the entries: moving an entry moves a whole document.
        for path in entries.keys.sorted() {
            guard let entry = entries[path] else { continue }
            if let line = entry.line {
                text += line
                text += "\n"
                continue
            }
            let header = entry.document.header
            var fields = [CompactRecord.text(path), String(entry.stamp.size), String(entry.stamp.modified), header.kind.rawValue,
                          CompactRecord.text(header.slug), CompactRecord.text(header.title), header.date?.iso ?? "",
                          CompactRecord.list(header.tags), CompactRecord.optional(header.summary), header.draft ? "1" : "0",
                          String(header.bodyFirstLine)]
            switch entry.document {
            case .story(let story):
                fields += [story.company, story.author, story.industry].map(CompactRecord.text) + [CompactRecord.optional(story.cover)]
            case .paper(let paper):
                fields += [CompactRecord.pairs(paper.authors.map { [$0.name, $0.affiliation] }), CompactRecord.text(paper.abstract),
                           CompactRecord.list(paper.keywords), CompactRecord.list(paper.bibliography.map(\.path))]
            case .page(let page):
                fields += [CompactRecord.optional(page.documentNumber), CompactRecord.list(page.issuers)]
            }
            text += CompactRecord.line("D", fields)
        }
        return text
    }

    /// Reads the `D` records back; a malformed record is skipped (its file is then read again).
    public mutating func add(line: Substring) {
        let fields = CompactRecord.fields(line)
        guard fields.count >= 12, fields[0] == "D", let size = Int(fields[2]), let modified = Double(fields[3]),
              let kind = ContentKind(rawValue: String(fields[4])), let firstLine = Int(fields[11]) else { return }
        let path = CompactRecord.text(fields[1])
        let header = DocumentHeader(kind: kind, sourcePath: path, slug: CompactRecord.text(fields[5]), title: CompactRecord.text(fields[6]),
                                    date: CalendarDate(iso: String(fields[7])), tags: CompactRecord.list(fields[8]),
                                    summary: CompactRecord.optional(fields[9]), draft: fields[10] == "1", body: "", bodyFirstLine: firstLine)
        let extra = fields.dropFirst(12)
        let document: Document
        switch kind {
        case .story:
            guard extra.count == 4 else { return }
            let values = Array(extra)
            document = .story(BrandStory(header: header, company: CompactRecord.text(values[0]), author: CompactRecord.text(values[1]),
                                         industry: CompactRecord.text(values[2]), cover: CompactRecord.optional(values[3])))
        case .paper:
            guard extra.count == 4 else { return }
            let values = Array(extra)
            let authors = CompactRecord.pairs(values[0]).compactMap { $0.count == 2 ? PaperAuthor(name: $0[0], affiliation: $0[1]) : nil }
            var paper = Paper(header: header, authors: authors, abstract: CompactRecord.text(values[1]), keywords: CompactRecord.list(values[2]))
            // Where the front matter names each file is not kept: messages then name the paper.
            paper.bibliography = CompactRecord.list(values[3]).map { BibliographySource(path: $0, location: SourceLocation(file: path)) }
            document = .paper(paper)
        case .page:
            guard extra.count == 2 else { return }
            let values = Array(extra)
            document = .page(Page(header: header, documentNumber: CompactRecord.optional(values[0]), issuers: CompactRecord.list(values[1])))
        }
        entries[path] = Entry(stamp: FileStamp(size: size, modified: modified), document: document, line: line)
    }
}

extension Document {
    var withoutBody: Document {
        switch self {
        case .story(var story): story.header.body = ""; return .story(story)
        case .paper(var paper): paper.header.body = ""; return .paper(paper)
        case .page(var page): page.header.body = ""; return .page(page)
        }
    }
}
