import Foundation
@testable import PressSearch
import PressTestSupport
import Testing

/// The index weighs postings at query time now (each page's length and the average are data the client
/// reads); before, each posting held its weight, quantised at build time. Results must come back in the
/// same order as before: the old scoring is kept here, as it was, and both run on a generated corpus.
@Suite struct SearchRankingTests {
    /// Pages of random lengths over a small vocabulary, so that terms are shared and scores tie often.
    static func corpus(pages: Int, seed: UInt64) -> [SearchRecord] {
        var random = SeededGenerator(seed: seed)
        let cjk = Array("质量管理体系改进可靠性精益生产工匠精神数字化车间")
        let phrases = ["质量管理", "管理体系", "可靠性", "精益生产", "工匠精神", "数字化车间", "持续改进"]
        let words = ["iso", "quality", "qc", "reliability", "reliable", "lean", "six", "sigma", "mtbf", "audit"]
        return (0..<pages).map { page in
            func text(_ count: Int) -> String {
                (0..<count).map { _ in
                    switch random.next() % 3 {
                    case 0: words[Int(random.next() % UInt64(words.count))]
                    case 1: phrases[Int(random.next() % UInt64(phrases.count))]
                    default: String((0..<Int(2 + random.next() % 4)).map { _ in cjk[Int(random.next() % UInt64(cjk.count))] })
                    }
                }.joined(separator: " ")
            }
            return SearchRecord(path: "p\(page)/index.html", url: "/p\(page)/", title: text(Int(1 + random.next() % 3)), kind: "页面",
                                date: "", summary: nil, fields: [], body: text(Int(random.next() % 60)))
        }
    }

    static let queries = ["质量", "质量管理", "管理 体系", "可靠性", "精益生产 iso", "quality", "reliab", "re", "lean six", "质",
                          "车间 mtbf", "数字化 工匠", "sigma audit qc", "改进", "神数", "iso quality "]

    @Test func resultsComeInTheOrderTheBuildTimeWeightsGave() {
        for seed in [1, 2, 3] as [UInt64] {
            let records = Self.corpus(pages: 300, seed: seed)
            let files = Dictionary(uniqueKeysWithValues: SearchIndex(records: records).files().map {
                ($0.path.replacingOccurrences(of: "search/", with: ""), $0.data)
            })
            let reference = OldScoring(records)
            for query in Self.queries {
                let found = SearchQuery(query).run { files[$0] }
                let expected = reference.run(SearchQuery(query).units)
                #expect(found.results.map(\.document) == expected.documents, "\(query), seed \(seed)")
                #expect(found.partial == expected.partial, "\(query), seed \(seed)")
                #expect(!expected.documents.isEmpty || query == "神数", "\(query): the corpus should match it")
            }
        }
    }

    /// A change to the weighing on one side only is seen: a posting's weight depends on the page's length.
    @Test func weightsDependOnThePagesLength() {
        let short = SearchIndex.weight(value: 4, length: 10, averageLength: 50)
        let long = SearchIndex.weight(value: 4, length: 200, averageLength: 50)
        #expect(short > long)
        #expect(SearchIndex.weight(value: 5, length: 200, averageLength: 50) > long)
        #expect((1...63).contains(SearchIndex.weight(value: 1 << 40, length: 0, averageLength: 1)))
    }
}

/// The ranking as it was when every posting held its weight, quantised for the average page length
/// of the build (`SearchIndex.lengthNorms` and `appendPostings` then), and `SearchQuery.run` read them.
private struct OldScoring {
    var postings: [String: [(document: Int, weight: Int)]] = [:]
    let documents: Int

    init(_ records: [SearchRecord]) {
        let sorted = records.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        documents = sorted.count
        let (k1, b, titleBonus) = (1.2, 0.75, 1.5)
        let totalLength = sorted.reduce(0) { $0 + $1.length }
        let averageLength = sorted.isEmpty ? 1 : max(1, Double(totalLength) / Double(sorted.count))
        let norms = sorted.map { k1 * (1 - b + b * Double($0.length) / averageLength) }
        for (document, record) in sorted.enumerated() {
            let terms = Array(zip(record.cjkKeys.map(SearchTokenizer.string(forCJK:)), record.cjkValues)) + Array(zip(record.words, record.wordValues))
            for (term, value) in terms {
                let frequency = Double(value >> 1)
                var weight = frequency * (k1 + 1) / (frequency + norms[document])
                if value & 1 == 1 { weight += titleBonus }
                let quantised = min(63, max(1, Int((weight / (k1 + 1 + titleBonus) * 63).rounded())))
                postings[term, default: []].append((document, quantised))
            }
        }
    }

    func run(_ units: [SearchQuery.Unit]) -> (documents: [Int], partial: Bool) {
        func idf(_ frequency: Int) -> Double {
            log(1 + (Double(documents) - Double(frequency) + 0.5) / (Double(frequency) + 0.5))
        }
        var total: [Int: (units: Int, score: Double)] = [:]
        for unit in units {
            var scores: [Int: Double] = [:]
            if let prefix = unit.prefix {
                for (term, list) in postings where term.hasPrefix(prefix) {
                    let weight = idf(list.count)
                    for posting in list { scores[posting.document] = max(scores[posting.document] ?? 0, weight * Double(posting.weight) / 63) }
                }
            } else {
                for (index, term) in unit.terms.enumerated() {
                    let list = postings[term] ?? []
                    let weight = idf(list.count)
                    var next: [Int: Double] = [:]
                    for posting in list where index == 0 || scores[posting.document] != nil {
                        next[posting.document] = (scores[posting.document] ?? 0) + weight * Double(posting.weight) / 63
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
        return (ranked.map(\.key), partial)
    }
}

