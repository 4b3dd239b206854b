import PressCore

/// A clean build's index gathered as the pages' records arrive, on the one task that reads them
/// while the pages are still being rendered: each term becomes a number the first time it is seen
/// (CJK pairs and words, by their bytes, in open-addressing tables), and a record keeps only its
/// `(term number, value)` pairs as varints, about 4 bytes a posting, its strings and packed keys
/// dropped. At the end one counting pass lays the postings out by term, in path order, with no
/// hashing of terms; each page's pairs are freed as they are laid out.
public struct SearchRecordGrouping: Sendable {
    private var cjkNumbers = KeyNumbers(expected: 1 << 14)
    private var wordNumbers = ByteKeyNumbers(expected: 1 << 14)
    private var documents: [SearchDocument] = []
    /// Per document, as it arrived: varints of `term << 1 | isWord` and of the value, pair after pair.
    private var postings: [[UInt8]] = []
    /// A record's pairs as they are made, reused: each is kept in an array of exactly its size.
    private var scratch: [UInt8] = []

    public init() {}

    public mutating func add(_ record: SearchRecord) {
        var pairs = scratch
        scratch = []
        pairs.removeAll(keepingCapacity: true)
        for (key, value) in zip(record.cjkKeys, record.cjkValues) {
            SearchStore.appendVarint(UInt64(cjkNumbers.number(of: key)) << 1, to: &pairs)
            SearchStore.appendVarint(UInt64(value), to: &pairs)
        }
        record.forEachWord { word, value in
            SearchStore.appendVarint(UInt64(wordNumbers.number(of: word)) << 1 | 1, to: &pairs)
            SearchStore.appendVarint(UInt64(value), to: &pairs)
        }
        documents.append(record.document)
        postings.append([UInt8](unsafeUninitializedCapacity: pairs.count) { kept, count in
            count = kept.initialize(fromContentsOf: pairs)
        })
        scratch = pairs
    }

    /// Calls `body` with each term (CJK ones first, then words after `cjkCount`) and value of `pairs`.
    @inline(__always)
    private static func forEachPair(_ pairs: [UInt8], cjkCount: Int, _ body: (Int, UInt64) -> Void) {
        pairs.withUnsafeBufferPointer { bytes in
            var reader = SearchStore.Reader(bytes: bytes)
            while let term = reader.varint(), let value = reader.varint() {
                body(term & 1 == 0 ? Int(term >> 1) : cjkCount + Int(term >> 1), value)
            }
        }
    }

    /// The index of every record added: the one `SearchIndex(records:)` makes from the same records.
    public consuming func index() -> SearchIndex {
        let order = documents.indices.sorted { UTF8Order.precedes(documents[$0].path, documents[$1].path) }
        let cjkCount = cjkNumbers.keys.count
        var table = TermTable()
        table.reserve(terms: cjkCount + wordNumbers.count, postings: 0)
        // Named first, so that the tables numbering the terms are freed before the postings are laid out.
        nameTerms(in: &table)
        cjkNumbers = KeyNumbers(expected: 0)
        wordNumbers = ByteKeyNumbers(expected: 0)
        var next = [Int](repeating: 0, count: table.count)
        for pairs in postings { Self.forEachPair(pairs, cjkCount: cjkCount) { term, _ in next[term] += 1 } }
        var total = 0
        for index in next.indices {
            let count = next[index]
            next[index] = total
            total += count
            table.ends.append(total)
        }
        table.postings = [UInt64](repeating: 0, count: total)
        for (number, document) in order.enumerated() {
            Self.forEachPair(postings[document], cjkCount: cjkCount) { term, value in
                table.postings[next[term]] = UInt64(number) << 32 | value
                next[term] += 1
            }
            postings[document] = []
        }
        return SearchIndex(documents: order.map { documents[$0] }, terms: table)
    }

    /// The terms' texts and shard hashes, CJK pairs first, in number order.
    private func nameTerms(in table: inout TermTable) {
        for key in cjkNumbers.keys {
            let text = SearchTokenizer.string(forCJK: key)
            table.texts.append(text)
            table.hashes.append(SearchIndex.shardHash(of: text, cjk: true))
        }
        for number in 0..<wordNumbers.count {
            let word = wordNumbers.string(number)
            table.texts.append(word)
            table.hashes.append(SearchIndex.shardHash(of: word, cjk: false))
        }
    }
}
