public import Foundation
import PressCore

/// The index as the next build needs it, kept in the output folder (`.qpress-search`): every
/// document's row, and every term's postings with raw values (`frequency << 1 | inTitle`), not
/// weights. An incremental build drops the postings of the documents it renders again, adds
/// theirs and weights everything for the new average page length, without grouping millions of
/// postings into terms again. Before, the file held each page's terms, and regrouping them was
/// most of an incremental build's search work.
///
/// A compact binary file: `QPS4` (an older store is not read), the documents in path order
/// (varint-length strings, varints), the index's summary (`Summary`: each `terms/` file's term count, bytes
/// in the store, size and fingerprint; each `docs/` file's fingerprint), then the terms in the order of the
/// written index, shard after shard, each as its text, its shard hash and its postings (gap to the previous
/// document minus one, value; varints). An edit reads the terms of every shard but copies those of the
/// shards it does not change (`SearchIndexPatch`).
public enum SearchStore {
    public static let fileName = ".qpress-search"
    static let magic = Array("QPS4".utf8)

    /// The previous build's index, read back: its documents decoded, its terms left as the file's
    /// bytes (checked) until the update walks them once (`SearchIndex.init(updating:…)`). Decoding
    /// them into a table here and copying that table into the updated one touched twice the memory.
    public struct Contents: Sendable {
        /// Each document's output path and length, in path order; the rest of its row (url, title, excerpt…)
        /// stays in `bytes` (`rows`) until asked for: an edit copies the rows of the pages it did not render.
        public let documentPaths: [String]
        let lengths: [Int]
        /// Where each document's row lies in `bytes`; the rows follow each other.
        let rows: [Range<Int>]
        /// The store as read (mapped), its terms starting at `termsOffset`.
        let bytes: Data
        let termsOffset: Int
        let termCount: Int
        /// What the previous build wrote of each file.
        let summary: Summary
        /// Where each shard's terms start in `bytes`, and where the last ends.
        let blockOffsets: [Int]

        /// Output paths of the documents it indexes: made when the store is read (beside the content's loading).
        public let paths: Set<String>

        /// The `terms/` and `docs/` files of the index the store describes, which an edit mostly keeps.
        public var indexFiles: [String] {
            summary.shards.indices.map { SearchIndex.path("terms", $0) } + summary.chunkPrints.indices.map { SearchIndex.path("docs", $0) }
        }

        /// The bytes at `range` of the store, not copied.
        func slice(_ range: Range<Int>) -> Data { bytes[bytes.startIndex + range.lowerBound..<bytes.startIndex + range.upperBound] }

        /// Every document, decoded from its row.
        public var documents: [SearchDocument] { rows.indices.map(document) }

        /// Document `number`, decoded from its row (checked by `decode`).
        func document(_ number: Int) -> SearchDocument {
            bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
                reader.offset = rows[number].lowerBound
                return SearchStore.readDocument(&reader) ?? SearchDocument(path: "", url: "", title: "", kind: "", date: "", excerpt: "", length: 0)
            }
        }

        /// Calls `body` with each term's text, shard hash and a reader at its posting count, in the
        /// store's order; `body` reads the postings (`Reader.postings`). The bytes were checked by `decode`.
        /// Calls `body` for each term of shard `shard`, as `forEachTerm` does, with a function making its text:
        /// most terms a patch reads are not wanted by their text.
        func forEachTerm(inShard shard: Int, _ body: (_ text: () -> String, _ hash: UInt32, _ reader: inout Reader) -> Void) {
            bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
                reader.offset = blockOffsets[shard]
                for _ in 0..<summary.shards[shard].terms {
                    guard let length = reader.varint(), length <= UInt64(reader.bytes.count - reader.offset) else { return }
                    let start = reader.offset
                    reader.offset += Int(length)
                    guard let hash = reader.varint() else { return }
                    let buffer = reader.bytes
                    body({ String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<start + Int(length)]), as: UTF8.self) },
                         UInt32(truncatingIfNeeded: hash), &reader)
                }
            }
        }

        func forEachTerm(_ body: (_ text: String, _ hash: UInt32, _ reader: inout Reader) -> Void) {
            bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
                reader.offset = termsOffset
                for _ in 0..<termCount {
                    guard let text = reader.string(), let hash = reader.varint() else { return }
                    body(text, UInt32(truncatingIfNeeded: hash), &reader)
                }
            }
        }
    }

    public static func load(from folder: URL) -> Contents? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(fileName), options: .alwaysMapped) else { return nil }
        return decode(data)
    }

    /// The documents, and the terms checked without being decoded; nil when the data is not a store this version wrote.
    static func decode(_ data: Data) -> Contents? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Contents? in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            guard reader.bytes.count >= 4, Array(reader.bytes.prefix(4)) == magic else { return nil }
            reader.offset = 4
            guard let (paths, lengths, rows) = readRows(&reader), let summary = Summary.read(&reader) else { return nil }
            let termsOffset = reader.offset
            var blockOffsets = [termsOffset]
            for (shard, block) in summary.shards.enumerated() {
                for _ in 0..<block.terms {
                    guard reader.skipString(), let hash = reader.varint(), hash % UInt64(summary.shards.count) == UInt64(shard),
                          reader.checkPostings(below: UInt64(rows.count)) else { return nil }
                }
                guard reader.offset == termsOffset + block.offset + block.bytes else { return nil }
                blockOffsets.append(reader.offset)
            }
            guard reader.offset == reader.bytes.count else { return nil }
            return Contents(documentPaths: paths, lengths: lengths, rows: rows, bytes: data, termsOffset: termsOffset,
                            termCount: summary.shards.reduce(0) { $0 + $1.terms }, summary: summary, blockOffsets: blockOffsets, paths: Set(paths))
        }
    }

    /// Each document's path, length and row, the other fields checked and skipped.
    private static func readRows(_ reader: inout Reader) -> ([String], [Int], [Range<Int>])? {
        guard let documentCount = reader.varint(), documentCount < 1 << 24 else { return nil }
        var paths: [String] = [], lengths: [Int] = [], rows: [Range<Int>] = []
        paths.reserveCapacity(Int(documentCount))
        lengths.reserveCapacity(Int(documentCount))
        rows.reserveCapacity(Int(documentCount))
        for _ in 0..<documentCount {
            let start = reader.offset
            guard let path = reader.string(), (0..<5).allSatisfy({ _ in reader.skipString() }), let length = reader.varint() else { return nil }
            paths.append(path)
            lengths.append(Int(length))
            rows.append(start..<reader.offset)
        }
        return (paths, lengths, rows)
    }

    static func readDocument(_ reader: inout Reader) -> SearchDocument? {
        guard let path = reader.string(), let url = reader.string(), let title = reader.string(), let kind = reader.string(),
              let date = reader.string(), let excerpt = reader.string(), let length = reader.varint() else { return nil }
        return SearchDocument(path: path, url: url, title: title, kind: kind, date: date, excerpt: excerpt, length: Int(length))
    }

    /// One document's row.
    static func appendRow(_ document: SearchDocument, to buffer: inout [UInt8]) {
        for text in [document.path, document.url, document.title, document.kind, document.date, document.excerpt] {
            appendString(text, to: &buffer)
        }
        appendVarint(UInt64(document.length), to: &buffer)
    }

    /// The store's opening: the documents, and the summary of the files.
    static func header(_ documents: [SearchDocument], summary: Summary) -> [UInt8] {
        var bytes: [UInt8] = []
        writeHeader(documents, summary: summary) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Hands the store's opening to `sink` through one small buffer, a few dozen kilobytes at a time: the
    /// opening of 10,000 short pages (7 MB with their excerpts) is never held whole.
    static func writeHeader(_ documents: [SearchDocument], summary: Summary, to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let flushAt = 64 * 1024
        var buffer = magic
        buffer.reserveCapacity(flushAt + 4096)
        appendVarint(UInt64(documents.count), to: &buffer)
        for document in documents {
            appendRow(document, to: &buffer)
            if buffer.count >= flushAt {
                try buffer.withUnsafeBytes(sink)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        summary.append(to: &buffer)
        try buffer.withUnsafeBytes(sink)
    }

    /// The store a build leaves: its opening, made from the documents as it is written, then the terms'
    /// parts as the shards were made (`SearchIndex.write(parts:to:)`).
    public struct Written: Sendable {
        let documents: [SearchDocument]
        let summary: Summary
        /// The terms, shard after shard: made anew, or the previous store's bytes of a shard unchanged.
        let terms: [Data]
        /// In place of `documents`: their number and rows, as runs of the previous store's bytes and new rows.
        var rows: (count: Int, parts: [Data])?

        /// Hands the store's bytes to `sink` in order.
        public func write(to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            if let rows {
                var opening = magic
                appendVarint(UInt64(rows.count), to: &opening)
                try opening.withUnsafeBytes(sink)
                for part in rows.parts { try part.withUnsafeBytes(sink) }
                var summaryBytes: [UInt8] = []
                summary.append(to: &summaryBytes)
                try summaryBytes.withUnsafeBytes(sink)
            } else {
                try SearchStore.writeHeader(documents, summary: summary, to: sink)
            }
            for part in terms { try part.withUnsafeBytes(sink) }
        }

        /// The whole store in one buffer.
        public var data: Data {
            var data = Data()
            write { data.append($0.bindMemory(to: UInt8.self)) }
            return data
        }
    }

    /// One term of the store: text, shard hash, postings.
    static func appendTerm(_ terms: TermTable, _ index: Int, to bytes: inout [UInt8]) {
        appendString(terms.texts[index], to: &bytes)
        appendVarint(UInt64(terms.hashes[index]), to: &bytes)
        let postings = terms.postings(of: index)
        appendVarint(UInt64(postings.count), to: &bytes)
        var previous: Int64 = -1
        for posting in postings {
            let document = Int64(posting >> 32)
            appendVarint(UInt64(document - previous - 1), to: &bytes)
            appendVarint(posting & 0xFFFF_FFFF, to: &bytes)
            previous = document
        }
    }

    static func appendVarint<Bytes: RangeReplaceableCollection<UInt8>>(_ value: UInt64, to bytes: inout Bytes) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func appendString<Bytes: RangeReplaceableCollection<UInt8>>(_ text: String, to bytes: inout Bytes) {
        var text = text
        text.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        /// Most of the store's numbers (gaps, counts, values) are below 128: one byte, read without the loop.
        @inline(__always) mutating func varint() -> UInt64? {
            if offset < bytes.count, bytes[offset] < 0x80 {
                offset += 1
                return UInt64(bytes[offset - 1])
            }
            return longVarint()
        }

        private mutating func longVarint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func skipString() -> Bool {
            guard let length = varint(), length <= UInt64(bytes.count - offset) else { return false }
            offset += Int(length)
            return true
        }

        /// Checks a term's postings (count, then gap and value pairs) without keeping them.
        mutating func checkPostings(below documentCount: UInt64) -> Bool {
            guard let count = varint(), count <= UInt64(bytes.count - offset) else { return false }
            var next: UInt64 = 0
            for _ in 0..<count {
                guard let gap = varint(), varint() != nil, gap < documentCount, next + gap < documentCount else { return false }
                next += gap + 1
            }
            return true
        }

        /// A term's postings, checked by `checkPostings`, as (document, value) to `body` in document order.
        @inline(__always) mutating func postings(_ body: (_ document: Int, _ value: UInt64) -> Void) {
            guard let count = varint() else { return }
            var next = 0
            for _ in 0..<count {
                guard let gap = varint(), let value = varint() else { return }
                let document = next + Int(gap)
                body(document, value & 0xFFFF_FFFF)
                next = document + 1
            }
        }

        mutating func string() -> String? {
            guard let length = varint(), length <= UInt64(bytes.count - offset) else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + Int(length)]), as: UTF8.self)
            offset += Int(length)
            return text
        }
    }
}

extension SearchStore {
    /// What the store remembers of the written files: for each `terms/` file its number of terms, the
    /// bytes of its terms in the store, its size as `SearchIndex.shards` counts it and its fingerprint;
    /// for each `docs/` file its fingerprint. An edit adds up the sizes to know whether the number of
    /// shards stays, and stamps `index.json` from the fingerprints without reading the files.
    public struct Summary: Sendable, Equatable {
        struct Shard: Sendable, Equatable {
            var terms: Int
            /// Where its terms start among the store's, and how many bytes they take.
            var offset: Int = 0
            var bytes: Int
            var size: Int
            var print: UInt64
        }

        var shards: [Shard]
        var chunkPrints: [UInt64]

        init(shards: [Shard], chunkPrints: [UInt64]) {
            self.shards = shards
            self.chunkPrints = chunkPrints
            var offset = 0
            for index in self.shards.indices {
                self.shards[index].offset = offset
                offset += self.shards[index].bytes
            }
        }

        /// The stamp of `index.json`: of every file's fingerprint, in order, then of `lengths.json`.
        func stamp(lengths: Data) -> Fingerprint {
            var stamp = Fingerprint()
            for print in shards.map(\.print) + chunkPrints { withUnsafeBytes(of: print.littleEndian) { stamp.add(bytes: $0) } }
            stamp.add(bytes: lengths)
            return stamp
        }

        func append(to bytes: inout [UInt8]) {
            SearchStore.appendVarint(UInt64(shards.count), to: &bytes)
            for shard in shards {
                for value in [shard.terms, shard.bytes, shard.size] { SearchStore.appendVarint(UInt64(value), to: &bytes) }
                SearchStore.appendVarint(shard.print, to: &bytes)
            }
            SearchStore.appendVarint(UInt64(chunkPrints.count), to: &bytes)
            for print in chunkPrints { SearchStore.appendVarint(print, to: &bytes) }
        }

        static func read(_ reader: inout Reader) -> Summary? {
            guard let count = reader.varint(), count <= 1024 else { return nil }
            var shards: [Shard] = []
            for _ in 0..<count {
                guard let terms = reader.varint(), let bytes = reader.varint(), let size = reader.varint(), let print = reader.varint(),
                      terms < 1 << 28, bytes < 1 << 40, size < 1 << 40 else { return nil }
                shards.append(Shard(terms: Int(terms), bytes: Int(bytes), size: Int(size), print: print))
            }
            guard let chunkCount = reader.varint(), chunkCount < 1 << 24 else { return nil }
            var prints: [UInt64] = []
            for _ in 0..<chunkCount {
                guard let print = reader.varint() else { return nil }
                prints.append(print)
            }
            return Summary(shards: shards, chunkPrints: prints)
        }
    }
}

/// Terms and their postings in one flat table: each posting is `document << 32 | value`, in
/// document order, and term `i` owns `postings[ends[i - 1] ..< ends[i]]`. Flat, because a
/// 10,000-page site has hundreds of thousands of terms and an array each was an allocation each.
struct TermTable: Sendable {
    var texts: [String] = []
    /// The hash of each term's shard key (`SearchIndex.shardHash`).
    var hashes: [UInt32] = []
    var ends: [Int] = []
    var postings: [UInt64] = []

    var count: Int { texts.count }

    func postings(of index: Int) -> ArraySlice<UInt64> {
        postings[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    mutating func reserve(terms: Int, postings count: Int) {
        texts.reserveCapacity(terms)
        hashes.reserveCapacity(terms)
        ends.reserveCapacity(terms)
        postings.reserveCapacity(count)
    }

    /// Ends the term whose postings were appended since the last one.
    mutating func close(text: String, hash: UInt32) {
        texts.append(text)
        hashes.append(hash)
        ends.append(postings.count)
    }

    mutating func append(text: String, hash: UInt32, postings added: some Sequence<UInt64>) {
        postings += added
        close(text: text, hash: hash)
    }

    mutating func append(_ other: TermTable) {
        let offset = postings.count
        texts += other.texts
        hashes += other.hashes
        ends += other.ends.map { $0 + offset }
        postings += other.postings
    }
}
