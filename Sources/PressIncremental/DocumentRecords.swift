import PressCore
import PressLoader
import PressModel

/// The cache's `D` records: one parsed document each (its front matter, not its body), with the
/// stamp of its file and the hash of its bytes. Written and read by field name (`RecordSchema`): a new front-matter field is a
/// new name here, in `encode` and in `document`, and old caches without it are rebuilt, not misread.
enum DocumentRecords {
    static let schema = RecordSchema(tag: "D", names: [
        "path", "size", "modified", "changed", "inode", "hash", "kind", "slug", "title", "date", "tags", "summary", "draft", "body_line",
        // stories
        "company", "author", "industry", "cover",
        // papers
        "authors", "abstract", "keywords", "bibliography",
        // pages
        "document_number", "issuers",
    ])

    /// The `D` lines of `cache`, sorted by path; an entry read from the previous cache is written back as it was.
    static func encode(_ cache: ContentCache) -> CacheText {
        var text = CacheText()
        // Sorting the keys, not the entries: moving an entry moves a whole document.
        for path in ReadOrder.sortedKeys(cache.entries, line: { $0.line }) {
            guard let entry = cache.entries[path] else { continue }
            if let line = entry.line { text.append(readLine: line) } else { text.append(schema.line(values(path, entry))) }
        }
        return text
    }

    private static func values(_ path: String, _ entry: ContentCache.Entry) -> [String: String] {
        let header = entry.document.header
        var values = ["path": CompactRecord.text(path), "size": String(entry.stamp.size), "modified": String(entry.stamp.modified),
                      "changed": String(entry.stamp.changed), "inode": String(entry.stamp.inode),
                      "hash": entry.hash.map { String($0, radix: 16) } ?? "",
                      "kind": header.kind.rawValue, "slug": CompactRecord.text(header.slug), "title": CompactRecord.text(header.title),
                      "date": header.date?.iso ?? "", "tags": CompactRecord.list(header.tags), "summary": CompactRecord.optional(header.summary),
                      "draft": header.draft ? "1" : "0", "body_line": String(header.bodyFirstLine)]
        switch entry.document {
        case .story(let story):
            values["company"] = CompactRecord.text(story.company)
            values["author"] = CompactRecord.text(story.author)
            values["industry"] = CompactRecord.text(story.industry)
            values["cover"] = CompactRecord.optional(story.cover)
        case .paper(let paper):
            values["authors"] = CompactRecord.pairs(paper.authors.map { [$0.name, $0.affiliation] })
            values["abstract"] = CompactRecord.text(paper.abstract)
            values["keywords"] = CompactRecord.list(paper.keywords)
            values["bibliography"] = CompactRecord.list(paper.bibliography.map(\.path))
        case .page(let page):
            values["document_number"] = CompactRecord.optional(page.documentNumber)
            values["issuers"] = CompactRecord.list(page.issuers)
        }
        return values
    }

    /// Reads the `D` records of `lines` back, on all cores; a malformed record is skipped (its file is then read again).
    static func decode(_ lines: some Sequence<Substring>, layout: RecordLayout?) async -> ContentCache {
        var cache = ContentCache()
        guard let layout else { return cache }
        let columns = Columns(layout)
        let records = lines.filter { $0.utf8.first == UInt8(ascii: "D") }
        let parts = await ParallelSlices.map(records, sliceSize: ParallelSlices.size(for: records.count, slicesPerCore: 2, minimum: 256)) { slice in
            var cursor = FieldCursor()
            return slice.compactMap { entry($0, columns, &cursor) }
        }
        cache.reserveCapacity(records.count)
        for part in parts {
            for (path, entry) in part { cache.entries[path] = entry }
        }
        return cache
    }

    /// Where a file's `D` lines hold each field (-1: nowhere), looked up by name once per file, not once per record.
    struct Columns {
        let path, size, modified, changed, inode, hash, kind, slug, title, date, tags, summary, draft, bodyLine: Int
        let company, author, industry, cover, authors, abstract, keywords, bibliography, documentNumber, issuers: Int

        init(_ layout: RecordLayout) {
            func at(_ name: String) -> Int { layout.position(name) ?? -1 }
            (path, size, modified, changed, inode, hash, kind) = (at("path"), at("size"), at("modified"), at("changed"), at("inode"), at("hash"), at("kind"))
            (slug, title, date, tags, summary, draft, bodyLine) = (at("slug"), at("title"), at("date"), at("tags"), at("summary"), at("draft"), at("body_line"))
            (company, author, industry, cover) = (at("company"), at("author"), at("industry"), at("cover"))
            (authors, abstract, keywords, bibliography) = (at("authors"), at("abstract"), at("keywords"), at("bibliography"))
            (documentNumber, issuers) = (at("document_number"), at("issuers"))
        }
    }

    /// The entry of one `D` line, read with `cursor`; nil when the line is not a whole record.
    static func entry(_ line: Substring, _ columns: Columns, _ cursor: inout FieldCursor) -> (String, ContentCache.Entry)? {
        cursor.read(line)
        guard cursor.field(0, is: "D"), let path = cursor.text(columns.path), let stamp = stamp(cursor, columns),
              let document = document(cursor, columns, path: path) else { return nil }
        let hash = cursor[columns.hash].flatMap { UInt64($0, radix: 16) }
        return (path, ContentCache.Entry(stamp: stamp, hash: hash, document: document, line: line))
    }

    private static func stamp(_ record: FieldCursor, _ columns: Columns) -> FileStamp? {
        guard let size = record[columns.size].flatMap({ Int($0) }), let modified = record[columns.modified].flatMap({ Double($0) }),
              let changed = record[columns.changed].flatMap({ Double($0) }), let inode = record[columns.inode].flatMap({ UInt64($0) }) else { return nil }
        return FileStamp(size: size, modified: modified, changed: changed, inode: inode)
    }

    private static func document(_ record: FieldCursor, _ columns: Columns, path: String) -> Document? {
        guard let kind = record[columns.kind].flatMap({ ContentKind(rawValue: String($0)) }), let firstLine = record[columns.bodyLine].flatMap({ Int($0) }),
              let slug = record.text(columns.slug), let title = record.text(columns.title), record[columns.draft] != nil else { return nil }
        let header = DocumentHeader(kind: kind, sourcePath: path, slug: slug, title: title,
                                    date: record[columns.date].flatMap { CalendarDate(iso: String($0)) }, tags: record.list(columns.tags),
                                    summary: record.optional(columns.summary), draft: record.field(columns.draft, is: "1"), body: "", bodyFirstLine: firstLine)
        switch kind {
        case .story:
            guard let company = record.text(columns.company), let author = record.text(columns.author),
                  let industry = record.text(columns.industry) else { return nil }
            return .story(BrandStory(header: header, company: company, author: author, industry: industry, cover: record.optional(columns.cover)))
        case .paper:
            guard let abstract = record.text(columns.abstract) else { return nil }
            let authors = (record[columns.authors].map(CompactRecord.pairs) ?? []).compactMap {
                $0.count == 2 ? PaperAuthor(name: $0[0], affiliation: $0[1]) : nil
            }
            var paper = Paper(header: header, authors: authors, abstract: abstract, keywords: record.list(columns.keywords))
            // Where the front matter names each file is not kept: messages then name the paper.
            paper.bibliography = record.list(columns.bibliography).map { BibliographySource(path: $0, location: SourceLocation(file: path)) }
            return .paper(paper)
        case .page:
            return .page(Page(header: header, documentNumber: record.optional(columns.documentNumber), issuers: record.list(columns.issuers)))
        }
    }
}
