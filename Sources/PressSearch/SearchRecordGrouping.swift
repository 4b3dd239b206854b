import PressCore

/// A clean build's index gathered as the pages' records arrive, on the one task that reads them
/// while the pages are still being rendered: each term becomes a number the first time it is seen
/// (CJK pairs and words, by their bytes, in open-addressing tables), and a record keeps only
/// `(term number, value)` pairs, 8 bytes a posting, its strings and packed keys dropped. At the end
/// one counting pass lays the postings out by term, in path order, with no hashing of terms.
public struct SearchRecordGrouping: Sendable {
    private var cjkNumbers = KeyNumbers(expected: 1 << 14)
    private var wordNumbers = ByteKeyNumbers(expected: 1 << 14)
    private var documents: [SearchDocument] = []
    /// Per document, as it arrived: `term << 32 | value`, a word's term with `wordFlag` set.
    private var postings: [[UInt64]] = []
    private static let wordFlag: UInt64 = 1 << 31

    public init() {}

    public mutating func add(_ record: SearchRecord) {
        var terms: [UInt64] = []
        terms.reserveCapacity(record.cjkKeys.count + record.wordEnds.count)
        for (key, value) in zip(record.cjkKeys, record.cjkValues) {
            terms.append(UInt64(cjkNumbers.number(of: key)) << 32 | UInt64(value))
        }
        record.forEachWord { word, value in
            terms.append((UInt64(wordNumbers.number(of: word)) | Self.wordFlag) << 32 | UInt64(value))
        }
        documents.append(record.document)
        postings.append(terms)
    }

    /// The index of every record added: the one `SearchIndex(records:)` makes from the same records.
    public consuming func index() -> SearchIndex {
        let order = documents.indices.sorted { UTF8Order.precedes(documents[$0].path, documents[$1].path) }
        let cjkCount = cjkNumbers.keys.count
        @inline(__always) func term(_ posting: UInt64) -> Int {
            let number = posting >> 32
            return number & Self.wordFlag == 0 ? Int(number) : cjkCount + Int(number & ~Self.wordFlag)
        }
        var table = TermTable()
        table.reserve(terms: cjkCount + wordNumbers.count, postings: 0)
        var next = [Int](repeating: 0, count: cjkCount + wordNumbers.count)
        for list in postings { for posting in list { next[term(posting)] += 1 } }
        var total = 0
        for index in next.indices {
            let count = next[index]
            next[index] = total
            total += count
            table.ends.append(total)
        }
        table.postings = [UInt64](repeating: 0, count: total)
        for (number, document) in order.enumerated() {
            for posting in postings[document] {
                let index = term(posting)
                table.postings[next[index]] = UInt64(number) << 32 | (posting & 0xFFFF_FFFF)
                next[index] += 1
            }
            postings[document] = []
        }
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
        return SearchIndex(documents: order.map { documents[$0] }, terms: table)
    }
}
