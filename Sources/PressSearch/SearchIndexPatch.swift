public import Foundation
import PressCore

/// An edit's index: the previous build's, with the postings of the pages rendered again replaced, when no
/// page came or went (so no page's number changed). A posting's weight depends on no other page (the client
/// weighs it: `SearchIndex.weight`), so only the shards holding a term whose postings changed, and the
/// `docs/` files of the pages rendered again, are made again; every other file stays, and its terms are
/// copied into the store as the previous build wrote them. The files are those `SearchIndex(records:)`
/// makes from every page's record. Nil when pages came or went, or when the number of shards would
/// change: `SearchIndex(updating:…)` then makes every file.
public struct SearchIndexPatch: Sendable {
    /// The files made again, `lengths.json` and `index.json`.
    public let files: [(path: String, data: Data)]
    /// Files of the previous build's index that stay as they are.
    public let unchanged: [String]
    public let store: SearchStore.Written

    /// One posting of a page rendered again: the term, the page's number and the value.
    struct Posting: Comparable, Sendable {
        var text: String
        /// The shard hash of `text` (`SearchIndex.shardHash`).
        var hash: UInt32
        var document: Int
        var value: UInt64

        static func < (a: Posting, b: Posting) -> Bool {
            let order = UTF8Order.compare(a.text, b.text)
            return order != 0 ? order < 0 : (a.document, a.value) < (b.document, b.value)
        }
    }

    /// The previous build's postings of some pages (`SearchIndexPatch.previousPostings(in:of:)`): made while the
    /// pages are rendered, for those the plan renders again, so that the patch need not walk the whole store after.
    public struct PreviousPostings: Sendable {
        /// The pages' numbers in the store.
        let documents: Set<Int>
        let byShard: [Int: [Posting]]
    }

    /// The postings the previous store holds of the pages at `paths` (output paths); nil when one is not in it.
    public static func previousPostings(in previous: SearchStore.Contents, of paths: some Sequence<String>) -> PreviousPostings? {
        var documents = Set<Int>()
        for path in paths {
            guard let number = number(of: path, in: previous.documentPaths) else { return nil }
            documents.insert(number)
        }
        let isFresh = previous.documentPaths.indices.map { documents.contains($0) }
        return PreviousPostings(documents: documents, byShard: freshPostings(in: previous, isFresh: isFresh))
    }

    /// `current`: the pages the index lists now; nil when the caller knows they are the previous index's.
    /// `known`: the previous postings of the pages rendered again, when made already; other pages' are not used.
    public init?(updating previous: SearchStore.Contents, keeping current: Set<String>?, adding fresh: [SearchRecord],
                 known: PreviousPostings? = nil) {
        let summary = previous.summary, paths = previous.documentPaths
        guard !summary.shards.isEmpty else { return nil }
        if let current, current.count != paths.count || !paths.allSatisfy({ current.contains($0) }) { return nil }
        var freshDocuments: [Int: SearchDocument] = [:]
        for record in fresh {
            guard let number = Self.number(of: record.path, in: paths), freshDocuments[number] == nil else { return nil }
            freshDocuments[number] = record.document
        }
        let isFresh = paths.indices.map { freshDocuments[$0] != nil }
        let shardCount = summary.shards.count
        let added = Self.postings(of: fresh, numbered: paths, shards: shardCount)
        let removed = known.flatMap { $0.documents == Set(freshDocuments.keys) ? $0.byShard : nil } ?? Self.freshPostings(in: previous, isFresh: isFresh)
        let touched = Set(added.keys).union(removed.keys).filter { (added[$0] ?? []).sorted() != (removed[$0] ?? []).sorted() }.sorted()

        var shards = summary.shards
        var made: [Int: (json: Data, store: Data)] = [:]
        let index = SearchIndex(documents: [], terms: TermTable())
        for shard in touched {
            let terms = Self.terms(ofShard: shard, in: previous, isFresh: isFresh, adding: added[shard] ?? [])
            let written = index.shardFiles([Array(0..<terms.count)][...], terms)
            guard let json = written.json.first, let shardSummary = written.summaries.first else { return nil }
            shards[shard] = shardSummary
            made[shard] = (json, Data(written.store))
        }
        guard SearchIndex.shardCount(totalBytes: shards.reduce(0) { $0 + $1.size }) == shardCount else { return nil }
        let output = Self.output(previous: previous, shards: shards, made: made, freshDocuments: freshDocuments)
        files = output.files
        unchanged = output.unchanged
        store = output.store
    }

    /// The files made, the paths kept and the store, once the changed shards are made.
    private static func output(previous: SearchStore.Contents, shards: [SearchStore.Summary.Shard],
                               made: [Int: (json: Data, store: Data)], freshDocuments: [Int: SearchDocument])
        -> (files: [(path: String, data: Data)], unchanged: [String], store: SearchStore.Written) {
        var files: [(path: String, data: Data)] = [], unchanged: [String] = [], storeParts: [Data] = []
        for shard in shards.indices {
            let path = SearchIndex.path("terms", shard)
            if let new = made[shard] {
                files.append((path, new.json))
                storeParts.append(new.store)
            } else {
                unchanged.append(path)
                storeParts.append(previous.slice(previous.blockOffsets[shard]..<previous.blockOffsets[shard + 1]))
            }
        }
        var chunkPrints = previous.summary.chunkPrints
        let freshChunks = Set(freshDocuments.keys.map { $0 / SearchIndex.chunkSize })
        for chunk in chunkPrints.indices {
            let path = SearchIndex.path("docs", chunk)
            guard freshChunks.contains(chunk) else {
                unchanged.append(path)
                continue
            }
            let numbers = chunk * SearchIndex.chunkSize..<min((chunk + 1) * SearchIndex.chunkSize, previous.rows.count)
            let documents = numbers.map { freshDocuments[$0] ?? previous.document($0) }
            guard let json = SearchIndex(documents: documents, terms: TermTable()).documentChunks(0..<1).first else { continue }
            chunkPrints[chunk] = SearchIndex.print(json)
            files.append((path, json))
        }
        let summary = SearchStore.Summary(shards: shards, chunkPrints: chunkPrints)
        var lengths = previous.lengths
        for (number, document) in freshDocuments { lengths[number] = document.length }
        let lengthsFile = SearchIndex.lengthsFile(lengths)
        files += [lengthsFile, SearchIndex.meta(documents: lengths.count, totalLength: lengths.reduce(0, +), shards: shards.count,
                                                stamp: summary.stamp(lengths: lengthsFile.data))]
        var store = SearchStore.Written(documents: [], summary: summary, terms: storeParts)
        store.rows = (lengths.count, rowParts(previous, freshDocuments))
        return (files, unchanged, store)
    }

    /// The store's document rows: runs of the previous store's rows, and the rows of the pages rendered again.
    static func rowParts(_ previous: SearchStore.Contents, _ freshDocuments: [Int: SearchDocument]) -> [Data] {
        var parts: [Data] = []
        var runStart = previous.rows.first?.lowerBound ?? 0
        for number in freshDocuments.keys.sorted() {
            parts.append(previous.slice(runStart..<previous.rows[number].lowerBound))
            var row: [UInt8] = []
            if let document = freshDocuments[number] { SearchStore.appendRow(document, to: &row) }
            parts.append(Data(row))
            runStart = previous.rows[number].upperBound
        }
        parts.append(previous.slice(runStart..<(previous.rows.last?.upperBound ?? runStart)))
        return parts
    }

    /// The number of the document at `path` among `paths` (in path order).
    static func number(of path: String, in paths: [String]) -> Int? {
        var low = 0, high = paths.count
        while low < high {
            let middle = (low + high) / 2
            let order = UTF8Order.compare(paths[middle], path)
            if order == 0 { return middle }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The postings of the pages rendered again, by shard.
    static func postings(of fresh: [SearchRecord], numbered paths: [String], shards: Int) -> [Int: [Posting]] {
        var result: [Int: [Posting]] = [:]
        for record in fresh {
            guard let document = number(of: record.path, in: paths) else { continue }
            func add(_ text: String, cjk: Bool, _ value: UInt32) {
                let hash = SearchIndex.shardHash(of: text, cjk: cjk)
                result[Int(hash % UInt32(shards)), default: []].append(Posting(text: text, hash: hash, document: document, value: UInt64(value)))
            }
            for (key, value) in zip(record.cjkKeys, record.cjkValues) { add(SearchTokenizer.string(forCJK: key), cjk: true, value) }
            for (word, value) in zip(record.words, record.wordValues) { add(word, cjk: false, value) }
        }
        return result
    }

    /// The previous build's postings of the pages rendered again, by shard: each term's text is made only
    /// when one of them has it.
    static func freshPostings(in previous: SearchStore.Contents, isFresh: [Bool]) -> [Int: [Posting]] {
        var result: [Int: [Posting]] = [:]
        for shard in previous.summary.shards.indices {
            previous.forEachTerm(inShard: shard) { text, hash, reader in
                var found: [(Int, UInt64)] = []
                reader.postings { document, value in if isFresh[document] { found.append((document, value)) } }
                guard !found.isEmpty else { return }
                let term = text()
                result[shard, default: []] += found.map { Posting(text: term, hash: hash, document: $0.0, value: $0.1) }
            }
        }
        return result
    }

    /// The terms of one shard: the previous build's without the postings of the pages rendered again, with `added`.
    static func terms(ofShard shard: Int, in previous: SearchStore.Contents, isFresh: [Bool], adding added: [Posting]) -> TermTable {
        var byText: [String: [Posting]] = [:]
        for posting in added { byText[posting.text, default: []].append(posting) }
        var terms = TermTable()
        previous.forEachTerm(inShard: shard) { text, hash, reader in
            let term = text()
            var postings: [UInt64] = []
            reader.postings { document, value in if !isFresh[document] { postings.append(UInt64(document) << 32 | value) } }
            if let more = byText.removeValue(forKey: term) {
                postings = Self.merged(postings, more.map { UInt64($0.document) << 32 | $0.value })
            }
            if !postings.isEmpty { terms.append(text: term, hash: hash, postings: postings) }
        }
        for (text, postings) in byText {
            guard let hash = postings.first?.hash else { continue }
            terms.append(text: text, hash: hash, postings: postings.map { UInt64($0.document) << 32 | $0.value }.sorted())
        }
        return terms
    }

    /// Two posting lists in document order, as one.
    static func merged(_ first: [UInt64], _ second: [UInt64]) -> [UInt64] {
        (first + second).sorted()
    }
}
