public import Foundation
import PressCore

/// Writes the static search index from every page's `SearchRecord`, or from the previous build's
/// index (`SearchStore`) updated with the records of the pages rendered again. The result depends
/// only on the documents and their terms, never on the order they were made in, so a clean build
/// and an incremental build write the same bytes.
///
/// Files, below `search/` in the output:
/// - `index.json`: `{"version":2,"docs":N,"length":L,"shards":S,"chunk":C,"stamp":"…"}`, fetched first; `L` is
///   the sum of the documents' lengths in tokens (their average is BM25's).
/// - `terms/<shard>.json`: `{"term":"postings",…}`. A term's shard is the low 32 bits of the `Fingerprint`
///   of its first CJK character, or of the first two characters of a Latin word, modulo S; so every term that
///   starts with 质 (or with `re`) is in one shard, and prefix queries fetch one file.
///   Postings are a string over `A–Z a–z 0–9 - _` (64 values): for each document, ascending, the
///   gap to the previous document number minus one, then the term's value in the page (`frequency << 1 | inTitle`),
///   each a little-endian base-32 varint (value | 32 when more follows). The client weighs a posting
///   (`weight(value:length:averageLength:)`) and multiplies by the term's idf: no weight depends on the
///   other pages, so an edit rewrites only the shards of the terms whose postings changed.
/// - `lengths.json`: `[length,…]`, each document's length in tokens, in document order.
/// - `docs/<chunk>.json`: `[[url, title, kind, date, excerpt],…]` for documents `chunk·C ..< (chunk+1)·C`,
///   fetched only for the results shown.
public struct SearchIndex: Sendable {
    public static let folder = "search"
    public static let version = 2
    /// Documents per `docs/` file.
    public static let chunkSize = 16
    /// Aimed-for size of a `terms/` file.
    public static let shardBytes = 24 * 1024

    /// BM25 parameters and the title bonus.
    static let k1 = 1.2, b = 0.75, titleBonus = 1.5

    /// Documents in path order: a document's number is its position.
    public let documents: [SearchDocument]
    /// Emptied by `write(parts:to:)` once the terms are gathered.
    private var source: Source

    private enum Source: Sendable {
        /// Records in path order, grouped into terms when the files are made.
        case records([SearchRecord])
        /// Terms grouped already: the previous build's, updated.
        case terms(TermTable)
    }

    /// The written index and what the next build keeps of it.
    public struct Output: Sendable {
        /// Output path (below the output folder) → contents.
        public var files: [(path: String, data: Data)]
        /// `SearchStore.fileName`'s contents.
        public var store: Data
    }

    public init(records: [SearchRecord]) {
        // Sorting positions, not records: moving a record moves its term arrays.
        let order = records.indices.sorted { UTF8Order.precedes(records[$0].path, records[$1].path) }
        let sorted = order.map { records[$0] }
        documents = sorted.map(\.document)
        source = .records(sorted)
    }

    /// The previous build's index without the documents that are gone or in `fresh`, with those of
    /// `fresh`: the same index a clean build makes from every document's record.
    /// `current` is the output path of every document the site has now.
    public init(updating previous: SearchStore.Contents, keeping current: Set<String>, adding fresh: [SearchRecord]) {
        let fresh = fresh.sorted { UTF8Order.precedes($0.path, $1.path) }
        let freshPaths = Set(fresh.map(\.path))
        let previousDocuments = previous.documents
        // Merge the kept documents and the fresh ones by path, numbering them anew.
        var documents: [SearchDocument] = []
        documents.reserveCapacity(previousDocuments.count + fresh.count)
        var renumbered = [Int64](repeating: -1, count: previousDocuments.count)
        var freshNumbers: [UInt64] = []
        var old = 0, new = 0
        while old < previousDocuments.count || new < fresh.count {
            if old < previousDocuments.count {
                let path = previousDocuments[old].path
                guard current.contains(path) && !freshPaths.contains(path) else { old += 1; continue }
                if new == fresh.count || UTF8Order.precedes(path, fresh[new].path) {
                    renumbered[old] = Int64(documents.count)
                    documents.append(previousDocuments[old])
                    old += 1
                    continue
                }
            }
            freshNumbers.append(UInt64(documents.count))
            documents.append(fresh[new].document)
            new += 1
        }
        // The fresh documents' postings by term, in document order.
        var added: [String: (hash: UInt32, postings: [UInt64])] = [:]
        for (record, number) in zip(fresh, freshNumbers) {
            for (key, value) in zip(record.cjkKeys, record.cjkValues) {
                let text = SearchTokenizer.string(forCJK: key)
                added[text, default: (Self.shardHash(of: text, cjk: true), [])].postings.append(number << 32 | UInt64(value))
            }
            for (word, value) in zip(record.words, record.wordValues) {
                added[word, default: (Self.shardHash(of: word, cjk: false), [])].postings.append(number << 32 | UInt64(value))
            }
        }
        // The shard hashes of the added terms: a previous term whose hash is not among them (most) is
        // not looked up by its text, which would hash each of hundreds of thousands of strings.
        let addedHashes = Set(added.values.map(\.hash))
        var terms = TermTable()
        // The store holds about three bytes a posting: reserved once, not grown by doubling.
        terms.reserve(terms: previous.termCount + added.count, postings: (previous.bytes.count - previous.termsOffset) / 3 + 4096)
        let unchanged = previousDocuments.count == documents.count && renumbered.enumerated().allSatisfy { $0.element == Int64($0.offset) }
        // The store's terms, read once from its bytes straight into the new table.
        previous.forEachTerm { text, hash, reader in
            let start = terms.postings.count
            reader.postings { document, value in
                // Kept documents keep their order, so postings stay in document order.
                let number = unchanged ? Int64(document) : renumbered[document]
                if number >= 0 { terms.postings.append(UInt64(number) << 32 | value) }
            }
            if addedHashes.contains(hash), let more = added.removeValue(forKey: text) {
                let kept = Array(terms.postings[start...])
                terms.postings.removeSubrange(start...)
                terms.postings += Self.merged(kept, more.postings)
            }
            if terms.postings.count > start { terms.close(text: text, hash: hash) }
        }
        for (text, term) in added { terms.append(text: text, hash: term.hash, postings: term.postings) }
        self.documents = documents
        source = .terms(terms)
    }

    /// Two posting lists in document order, as one.
    private static func merged(_ first: [UInt64], _ second: [UInt64]) -> [UInt64] {
        first.mergingSorted(with: second) { $0 >> 32 < $1 >> 32 }
    }

    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The files, made on one task.
    public func files() -> [(path: String, data: Data)] {
        let terms = termTable(part: 0, of: 1)
        let shards = shards(terms)
        let written = shardFiles(shards[...], terms)
        let chunks = documentChunks(0..<(documents.count + Self.chunkSize - 1) / Self.chunkSize)
        return finish(shards: written.json, summaries: written.summaries, chunks: chunks)
    }

    /// The files, made on `parts` tasks.
    public func files(parts: Int) async -> [(path: String, data: Data)] {
        await output(parts: parts).files
    }

    /// The files and the store, made on `parts` tasks (`write(parts:to:)`), all held at once.
    public func output(parts: Int) async -> Output {
        var files: [(path: String, data: Data)] = []
        let store = await write(parts: parts) { files += $0 }
        return Output(files: files, store: store.data)
    }

    /// Shards, then document chunks, made at a time: each batch is written before the next is made.
    static let batchSize = 64

    /// Makes the files on `parts` tasks and hands them to `sink` a batch at a time, in order, as they
    /// are made, so that the index is never held whole; returns the store (`SearchStore.fileName`) in
    /// parts, to be written one after the other rather than copied into one buffer.
    /// Terms are gathered (each task taking the terms that hash to it), then shards are weighted
    /// and written in parallel, then the documents. Consuming, so that the terms are freed before
    /// the store is put together.
    public consuming func write(parts: Int, to sink: (_ files: [(path: String, data: Data)]) async -> Void) async -> SearchStore.Written {
        let parts = max(1, parts)
        var storeParts: [Data] = []
        var summaries: [SearchStore.Summary.Shard] = []
        do { // the terms are freed once their shards are written
            let terms = await groupedTerms(parts: parts)
            source = .records([])
            let index = self // no longer changing, for the tasks
            let shards = shards(terms)
            for batch in stride(from: 0, to: shards.count, by: Self.batchSize) {
                let slice = Array(shards[batch..<min(batch + Self.batchSize, shards.count)])
                let written = await ParallelSlices.map(slice, sliceSize: ParallelSlices.size(for: slice.count, slicesPerCore: 2)) {
                    index.shardFiles($0, terms)
                }
                storeParts += written.map { Data($0.store) }
                summaries += written.flatMap(\.summaries)
                await sink(Self.numbered(written.flatMap(\.json), folder: "terms", from: batch))
            }
        }
        let chunkCount = (documents.count + Self.chunkSize - 1) / Self.chunkSize
        let index = self
        var chunkPrints: [UInt64] = []
        for batch in stride(from: 0, to: chunkCount, by: Self.batchSize) {
            let range = batch..<min(batch + Self.batchSize, chunkCount)
            let chunks = await Self.inParts(parts, of: range.count) { index.documentChunks($0.lowerBound + batch..<$0.upperBound + batch) }.flatMap { $0 }
            chunkPrints += chunks.map(Self.print)
            await sink(Self.numbered(chunks, folder: "docs", from: batch))
        }
        let summary = SearchStore.Summary(shards: summaries, chunkPrints: chunkPrints)
        let lengths = lengthsFile()
        await sink([lengths, meta(shards: summaries.count, stamp: summary.stamp(lengths: lengths.data))])
        return SearchStore.Written(documents: documents, summary: summary, terms: storeParts)
    }

    /// Documents in path order and their terms grouped already (`SearchRecordGrouping`).
    init(documents: [SearchDocument], terms: TermTable) {
        self.documents = documents
        source = .terms(terms)
    }

    /// The terms and their postings: the previous build's updated, or the records' gathered on `parts`
    /// tasks, each taking the terms that hash to it.
    private func groupedTerms(parts: Int) async -> TermTable {
        if case .terms(let table) = source { return table }
        var tables = await withTaskGroup(of: (Int, TermTable).self) { group in
            for part in 0..<parts { group.addTask { (part, self.termTable(part: part, of: parts)) } }
            var tables = [TermTable](repeating: TermTable(), count: parts)
            for await (part, table) in group { tables[part] = table }
            return tables
        }
        // Each part freed once appended: the postings are never held twice over.
        var terms = tables[0]
        tables[0] = TermTable()
        for part in tables.indices.dropFirst() {
            terms.append(tables[part])
            tables[part] = TermTable()
        }
        return terms
    }

    /// `work` on `parts` consecutive ranges of `0..<count`, on as many tasks; results in order.
    private static func inParts<Result: Sendable>(_ parts: Int, of count: Int,
                                                  _ work: @escaping @Sendable (Range<Int>) -> Result) async -> [Result] {
        await ParallelSlices.map(Array(0..<count), sliceSize: (count + parts - 1) / max(1, parts)) { work($0.startIndex..<$0.endIndex) }
    }

    /// The terms whose key falls in `part`, postings in document order with raw values.
    func termTable(part: Int, of parts: Int) -> TermTable {
        guard case .records(let records) = source else { return TermTable() }
        @inline(__always) func mine(_ hash: UInt64) -> Bool { parts == 1 || Int((hash &* 0x9E37_79B9_7F4A_7C15) >> 40) % parts == part }

        var cjkNumbers = KeyNumbers(expected: 1024), cjkLists: [[UInt64]] = []
        var wordSlots: [String: Int] = [:], wordKeys: [String] = [], wordLists: [[UInt64]] = []
        for (document, record) in records.enumerated() {
            let number = UInt64(document) << 32
            for (key, value) in zip(record.cjkKeys, record.cjkValues) where mine(key) {
                let slot = cjkNumbers.number(of: key)
                if slot == cjkLists.count { cjkLists.append([number | UInt64(value)]) } else { cjkLists[slot].append(number | UInt64(value)) }
            }
            for (word, value) in zip(record.words, record.wordValues) where mine(UInt64(Self.shard(of: word, count: 1 << 30))) {
                if let slot = wordSlots[word] { wordLists[slot].append(number | UInt64(value)) } else {
                    wordSlots[word] = wordLists.count
                    wordKeys.append(word)
                    wordLists.append([number | UInt64(value)])
                }
            }
        }
        var table = TermTable()
        table.reserve(terms: cjkLists.count + wordKeys.count, postings: 0)
        for (key, postings) in zip(cjkNumbers.keys, cjkLists) {
            let text = SearchTokenizer.string(forCJK: key)
            table.append(text: text, hash: Self.shardHash(of: text, cjk: true), postings: postings)
        }
        for (word, postings) in zip(wordKeys, wordLists) { table.append(text: word, hash: Self.shardHash(of: word, cjk: false), postings: postings) }
        return table
    }

    /// The average document length, as BM25 normalises by it: `total` is the sum of `count` documents' lengths.
    public static func averageLength(total: Int, count: Int) -> Double {
        count == 0 ? 1 : max(1, Double(total) / Double(count))
    }

    /// A posting's weight (1–63): BM25 of a term whose value in a page of `length` tokens is `value`
    /// (`frequency << 1 | inTitle`), with a bonus when it is in the title, quantised. The search page's
    /// script computes the same (`weight` in `assets/js/search.js`), operation for operation, so the two
    /// must change together; the client multiplies it by the term's idf.
    public static func weight(value: UInt64, length: Int, averageLength: Double) -> Int {
        let frequency = Double(value >> 1)
        let norm = k1 * (1 - b + b * Double(length) / averageLength)
        var weight = frequency * (k1 + 1) / (frequency + norm)
        if value & 1 == 1 { weight += titleBonus }
        return min(63, max(1, Int((weight / (k1 + 1 + titleBonus) * 63).rounded())))
    }

    /// Appends a term's postings as written in `terms/`: gaps and values, as varints.
    static func appendPostings(_ postings: ArraySlice<UInt64>, to bytes: inout [UInt8]) {
        var previous = -1
        for posting in postings {
            let document = Int(posting >> 32)
            appendVarint(UInt64(document - previous - 1), to: &bytes)
            appendVarint(posting & 0xFFFF_FFFF, to: &bytes)
            previous = document
        }
    }

    /// A little-endian base-32 varint over `alphabet`: five bits a character, 32 added when more follow.
    @inline(__always) static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        repeat {
            let group = Int(value & 31)
            value >>= 5
            bytes.append(alphabet[group | (value > 0 ? 32 : 0)])
        } while value > 0
    }

    /// Characters of `value` as `appendVarint` writes it.
    @inline(__always) static func varintLength(_ value: UInt64) -> Int {
        var value = value, length = 0
        repeat { length += 1; value >>= 5 } while value > 0
        return length
    }

    /// The length of a term's postings as `appendPostings` writes them, without weighing them.
    static func encodedLength(_ postings: ArraySlice<UInt64>) -> Int {
        var length = 0, previous = -1
        for posting in postings {
            let document = Int(posting >> 32)
            length += varintLength(UInt64(document - previous - 1)) + varintLength(posting & 0xFFFF_FFFF)
            previous = document
        }
        return length
    }

    /// Each shard's terms: as many shards as keep them near `shardBytes` (a power of two, at most 1024).
    func shards(_ terms: TermTable) -> [[Int]] {
        var totalBytes = 0
        for index in 0..<terms.count { totalBytes += Self.size(of: index, in: terms) }
        let shardCount = Self.shardCount(totalBytes: totalBytes)
        var shards = [[Int]](repeating: [], count: shardCount)
        for index in 0..<terms.count { shards[Int(terms.hashes[index] % UInt32(shardCount))].append(index) }
        return shards
    }

    /// The `terms/` files of `shards`, terms sorted by text, the same terms as the store lists them, and
    /// what the store remembers of each file.
    func shardFiles(_ shards: ArraySlice<[Int]>, _ terms: TermTable) -> (json: [Data], store: [UInt8], summaries: [SearchStore.Summary.Shard]) {
        var files: [Data] = []
        var store: [UInt8] = []
        var summaries: [SearchStore.Summary.Shard] = []
        var json: [UInt8] = []
        for shard in shards {
            json.removeAll(keepingCapacity: true)
            json.append(UInt8(ascii: "{"))
            let storeStart = store.count
            var size = 0
            let sorted = shard.sorted { UTF8Order.precedes(terms.texts[$0], terms.texts[$1]) }
            for (position, index) in sorted.enumerated() {
                if position > 0 { json.append(UInt8(ascii: ",")) }
                JSONText.appendString(terms.texts[index], to: &json)
                json.append(UInt8(ascii: ":"))
                json.append(UInt8(ascii: "\""))
                Self.appendPostings(terms.postings(of: index), to: &json)
                json.append(UInt8(ascii: "\""))
                SearchStore.appendTerm(terms, index, to: &store)
                size += Self.size(of: index, in: terms)
            }
            json += Array("}\n".utf8)
            let data = Data(json)
            files.append(data)
            summaries.append(.init(terms: shard.count, bytes: store.count - storeStart, size: size, print: Self.print(data)))
        }
        return (files, store, summaries)
    }

    /// A term's share of the index's size, by which the number of shards is chosen.
    static func size(of index: Int, in terms: TermTable) -> Int {
        encodedLength(terms.postings(of: index)) + terms.texts[index].utf8.count + 6
    }

    /// The number of shards that keeps them near `shardBytes` for an index of `totalBytes` (a power of two, at most 1024).
    static func shardCount(totalBytes: Int) -> Int {
        var shardCount = 1
        while shardCount < 1024 && totalBytes / shardCount > Self.shardBytes { shardCount *= 2 }
        return shardCount
    }

    /// A file's fingerprint, from which `index.json`'s stamp is made.
    static func print(_ data: Data) -> UInt64 {
        var print = Fingerprint()
        print.add(bytes: data)
        return print.value
    }

    /// The `docs/` files numbered `chunks`: each lists `chunkSize` documents as results show them.
    func documentChunks(_ chunks: Range<Int>) -> [Data] {
        chunks.map { chunk in
            var json: [UInt8] = [UInt8(ascii: "[")]
            let start = chunk * Self.chunkSize
            for (index, document) in documents[start..<min(start + Self.chunkSize, documents.count)].enumerated() {
                json += Array((index > 0 ? ",\n[" : "[").utf8)
                for (field, text) in [document.url, document.title, document.kind, document.date, document.excerpt].enumerated() {
                    if field > 0 { json.append(UInt8(ascii: ",")) }
                    JSONText.appendString(text, to: &json)
                }
                json.append(UInt8(ascii: "]"))
            }
            json += Array("]\n".utf8)
            return Data(json)
        }
    }

    /// The terms and docs files, `lengths.json` and the meta file with a stamp of everything.
    func finish(shards: [Data], summaries: [SearchStore.Summary.Shard], chunks: [Data]) -> [(path: String, data: Data)] {
        var files = Self.numbered(shards, folder: "terms", from: 0)
        files += Self.numbered(chunks, folder: "docs", from: 0)
        let summary = SearchStore.Summary(shards: summaries, chunkPrints: chunks.map(Self.print))
        let lengths = lengthsFile()
        files += [lengths, meta(shards: shards.count, stamp: summary.stamp(lengths: lengths.data))]
        return files
    }

    /// `files` as `search/<folder>/<number>.json`, numbered from `first`.
    static func numbered(_ files: [Data], folder: String, from first: Int) -> [(path: String, data: Data)] {
        files.enumerated().map { offset, json in (path(folder, first + offset), json) }
    }

    /// `search/terms/3.json`: file `number` of `folder` (`terms` or `docs`).
    static func path(_ folder: String, _ number: Int) -> String { "\(Self.folder)/\(folder)/\(number).json" }

    /// `lengths.json`: each document's length, which the client weighs postings with.
    func lengthsFile() -> (path: String, data: Data) { Self.lengthsFile(documents.map(\.length)) }

    static func lengthsFile(_ lengths: [Int]) -> (path: String, data: Data) {
        var json: [UInt8] = [UInt8(ascii: "[")]
        json.reserveCapacity(lengths.count * 5 + 2)
        for (index, length) in lengths.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            json += String(length).utf8
        }
        json += Array("]\n".utf8)
        return ("\(Self.folder)/lengths.json", Data(json))
    }

    /// The sum of the documents' lengths, from which the client takes their average.
    var totalLength: Int { documents.reduce(0) { $0 + $1.length } }

    /// `index.json`, fetched first: the counts and a stamp of every other file.
    func meta(shards: Int, stamp: Fingerprint) -> (path: String, data: Data) {
        Self.meta(documents: documents.count, totalLength: totalLength, shards: shards, stamp: stamp)
    }

    static func meta(documents: Int, totalLength: Int, shards: Int, stamp: Fingerprint) -> (path: String, data: Data) {
        let meta = "{\"version\":\(Self.version),\"docs\":\(documents),\"length\":\(totalLength),\"shards\":\(shards),\"chunk\":\(Self.chunkSize),\"stamp\":\"\(stamp.hex)\"}\n"
        return ("\(Self.folder)/index.json", Data(meta.utf8))
    }

    /// A term's shard hash: the low 32 bits of the `Fingerprint` of its shard key, the first character of a
    /// CJK term or the first two of a Latin word; so every term starting with 质 (or `re`) is in one shard.
    static func shardHash(of term: String, cjk: Bool) -> UInt32 {
        hash(String(String.UnicodeScalarView(term.unicodeScalars.prefix(cjk ? 1 : 2))))
    }

    /// The shard of `key` among `count` (a power of two). The search page's script computes the same
    /// `Fingerprint` (`shardOf` in `assets/js/search.js`), so the two must change together.
    public static func shard(of key: String, count: Int) -> UInt32 {
        hash(key) % UInt32(count)
    }

    static func hash(_ key: String) -> UInt32 {
        var fingerprint = Fingerprint()
        fingerprint.add(key)
        return UInt32(truncatingIfNeeded: fingerprint.value)
    }

    /// The inverse of `appendPostings`, for tests and `SearchQuery`: (document, value) pairs.
    public static func decode(_ text: String) -> [(document: Int, value: UInt64)] {
        var values: [UInt8: UInt64] = [:]
        for (index, character) in alphabet.enumerated() { values[character] = UInt64(index) }
        var result: [(Int, UInt64)] = []
        var document = -1
        var number: UInt64 = 0, shift: UInt64 = 0
        var readingGap = true
        for byte in text.utf8 {
            let value = values[byte] ?? 0
            number |= (value & 31) << shift
            shift += 5
            guard value & 32 == 0 else { continue }
            if readingGap { document += Int(number) + 1 } else { result.append((document, number)) }
            readingGap.toggle()
            number = 0
            shift = 0
        }
        return result
    }
}

/// Minimal JSON string writing, byte for byte the same on every run.
enum JSONText {
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Most text (Chinese titles, URLs, terms) needs no escape: copied in one go, checked on its
        // contiguous bytes (the generic UTF-8 view's loop was a twentieth of an incremental build).
        var text = text
        let copied = text.withUTF8 { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
