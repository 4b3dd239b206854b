public import Foundation
import PressCore

/// Runs a query against a written index the way the search page's script does (same units,
/// same scores, same order), so ranking is tested in Swift and tools can search a built site.
public struct SearchQuery: Sendable {
    /// One part of a query: every pair of a CJK run must match, or any term starting with `prefix`.
    public struct Unit: Equatable, Sendable {
        public var text: String
        public var terms: [String]
        public var prefix: String?

        public init(text: String, terms: [String], prefix: String?) {
            self.text = text
            self.terms = terms
            self.prefix = prefix
        }
    }

    public struct Result: Equatable, Sendable {
        public var document: Int
        public var url: String
        public var title: String
        public var score: Double
    }

    public let units: [Unit]

    public init(_ query: String) {
        let found = SearchTokenizer.units(query)
        let typing = !(query.last?.isWhitespace ?? true)
        units = found.enumerated().map { index, unit in
            if unit.isCJK {
                let characters = unit.text.unicodeScalars.map { String($0) }
                if characters.count == 1 { return Unit(text: unit.text, terms: [], prefix: unit.text) }
                var terms: [String] = []
                for i in 0..<(characters.count - 1) where !terms.contains(characters[i] + characters[i + 1]) {
                    terms.append(characters[i] + characters[i + 1])
                }
                return Unit(text: unit.text, terms: terms, prefix: nil)
            }
            if typing && index == found.count - 1 && unit.text.unicodeScalars.count >= 2 {
                return Unit(text: unit.text, terms: [], prefix: unit.text)
            }
            return Unit(text: unit.text, terms: [unit.text], prefix: nil)
        }
    }

    static func shardKey(_ term: String) -> String {
        guard let first = term.unicodeScalars.first else { return term }
        return TextStatistics.isCJK(first) ? String(Character(first)) : String(String.UnicodeScalarView(term.unicodeScalars.prefix(2)))
    }

    /// Ranks the documents of the index read through `file` (a path below `search/` → its bytes).
    /// Documents must match every unit; when none does, those matching the most units come back.
    public func run(_ file: (String) -> Data?) -> (results: [Result], partial: Bool) {
        guard !units.isEmpty, let metaData = file("index.json"),
              let meta = try? JSONSerialization.jsonObject(with: metaData) as? [String: Any],
              let documents = meta["docs"] as? Int, let shardCount = meta["shards"] as? Int, let chunk = meta["chunk"] as? Int,
              let totalLength = meta["length"] as? Int,
              let lengths = file("lengths.json").flatMap({ try? JSONSerialization.jsonObject(with: $0) as? [Int] }) else { return ([], false) }
        let averageLength = SearchIndex.averageLength(total: totalLength, count: documents)
        func weight(_ posting: (document: Int, value: UInt64)) -> Double {
            let length = lengths.indices.contains(posting.document) ? lengths[posting.document] : 0
            return Double(SearchIndex.weight(value: posting.value, length: length, averageLength: averageLength))
        }
        var shards: [UInt32: [String: String]] = [:]
        func shard(_ key: String) -> [String: String] {
            let number = SearchIndex.shard(of: key, count: shardCount)
            if let loaded = shards[number] { return loaded }
            let loaded = file("terms/\(number).json").flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: String] } ?? [:]
            shards[number] = loaded
            return loaded
        }
        func idf(_ frequency: Int) -> Double {
            log(1 + (Double(documents) - Double(frequency) + 0.5) / (Double(frequency) + 0.5))
        }
        var total: [Int: (units: Int, score: Double)] = [:]
        for unit in units {
            var scores: [Int: Double] = [:]
            if let prefix = unit.prefix {
                for (term, encoded) in shard(Self.shardKey(prefix)) where term.hasPrefix(prefix) {
                    let postings = SearchIndex.decode(encoded)
                    let termWeight = idf(postings.count)
                    for posting in postings {
                        scores[posting.document] = max(scores[posting.document] ?? 0, termWeight * weight(posting) / 63)
                    }
                }
            } else {
                for (index, term) in unit.terms.enumerated() {
                    let postings = shard(Self.shardKey(term))[term].map(SearchIndex.decode) ?? []
                    let termWeight = idf(postings.count)
                    var next: [Int: Double] = [:]
                    for posting in postings where index == 0 || scores[posting.document] != nil {
                        next[posting.document] = (scores[posting.document] ?? 0) + termWeight * weight(posting) / 63
                    }
                    scores = next
                }
            }
            for (document, score) in scores {
                let entry = total[document] ?? (0, 0)
                total[document] = (entry.units + 1, entry.score + score)
            }
        }
        let complete = total.filter { $0.value.units == units.count }
        let partial = complete.isEmpty && units.count > 1
        let ranked = (partial ? total : complete).sorted {
            ($1.value.units, $1.value.score, $0.key) < ($0.value.units, $0.value.score, $1.key)
        }
        var chunks: [Int: [[String]]] = [:]
        let results = ranked.map { document, value -> Result in
            let number = document / chunk
            if chunks[number] == nil {
                chunks[number] = file("docs/\(number).json").flatMap { try? JSONSerialization.jsonObject(with: $0) as? [[String]] } ?? []
            }
            let entry = chunks[number].flatMap { $0.indices.contains(document - number * chunk) ? $0[document - number * chunk] : nil }
            return Result(document: document, url: entry?[0] ?? "", title: entry?[1] ?? "", score: value.score)
        }
        return (results, partial)
    }

    /// Runs the query against `folder/search/`.
    public func run(in folder: URL) -> (results: [Result], partial: Bool) {
        run { path in try? Data(contentsOf: folder.appendingPathComponent(SearchIndex.folder).appendingPathComponent(path)) }
    }
}

