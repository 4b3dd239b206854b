import Foundation
import PressCore
@testable import PressSearch
import Testing

@Suite struct SearchIndexTests {
    static func record(_ path: String, title: String, body: String, summary: String? = nil) -> SearchRecord {
        SearchRecord(path: path, url: "/" + path.replacingOccurrences(of: "index.html", with: ""), title: title, kind: "品牌故事",
                     date: "2020年9月15日", summary: summary, fields: [], body: body)
    }

    static let records = [
        record("a/index.html", title: "精益生产的十年", body: "企业推行全面质量管理，持续改进。质量管理体系通过 ISO 9001 认证。"),
        record("b/index.html", title: "质量管理小组活动", body: "质量管理小组开展活动，降低齿轮噪声。"),
        record("c/index.html", title: "液压泵的可靠性", body: "可靠性增长试验使 MTBF 提高一倍。Reliability growth testing."),
        record("d/index.html", title: "工匠精神", body: "质量是企业的生命。管理制度健全，质量稳定。"),
    ]

    /// The index as files in memory, read the way the search page reads them.
    static func index(_ records: [SearchRecord]) -> [String: Data] {
        Dictionary(uniqueKeysWithValues: SearchIndex(records: records).files().map { ($0.path.replacingOccurrences(of: "search/", with: ""), $0.data) })
    }

    func search(_ query: String, _ files: [String: Data] = index(SearchIndexTests.records)) -> [String] {
        SearchQuery(query).run { files[$0] }.results.map(\.title)
    }

    /// One hash in the build: a shard is the low 32 bits of the key's `Fingerprint` (search.js computes the
    /// same: the two values below are its `shardOf`, run with node; Tests/browser/test_search.py runs it in Chromium).
    @Test func shardsComeFromTheFingerprint() {
        for key in ["质", "re", "ab", "🔧🔧", "x"] {
            var fingerprint = Fingerprint()
            fingerprint.add(key)
            #expect(SearchIndex.shard(of: key, count: 1024) == UInt32(truncatingIfNeeded: fingerprint.value) % 1024)
        }
        #expect(SearchIndex.shardHash(of: "质量", cjk: true) == SearchIndex.shardHash(of: "质", cjk: true))
        #expect(SearchIndex.shardHash(of: "reliability", cjk: false) == SearchIndex.shardHash(of: "re", cjk: false))
        #expect(SearchIndex.shard(of: "质", count: 1 << 30) == 504017812)
        #expect(SearchIndex.shard(of: "re", count: 1 << 30) == 552964893)
    }

    @Test func chineseQueriesFindPagesContainingThem() {
        // 质量管理 in the title ranks first; d has 质量 and 管理 but never 量管, so it is not a match.
        #expect(search("质量管理") == ["质量管理小组活动", "精益生产的十年"])
        #expect(search("可靠性") == ["液压泵的可靠性"])
        #expect(search("工匠精神") == ["工匠精神"])
        #expect(search("数字化") == [])
    }

    @Test func englishMixedAndPrefixQueries() {
        #expect(search("ISO 9001") == ["精益生产的十年"])
        #expect(search("mtbf 可靠性") == ["液压泵的可靠性"])
        #expect(search("reliab") == ["液压泵的可靠性"])
        #expect(search("Reliability Growth ") == ["液压泵的可靠性"])
        // One character: every page with a term starting with it.
        #expect(Set(search("噪")) == ["质量管理小组活动"])
    }

    @Test func partialMatchesComeBackWhenNothingMatchesEverything() {
        let files = Self.index(Self.records)
        let (results, partial) = SearchQuery("可靠性 齿轮").run { files[$0] }
        #expect(partial)
        #expect(Set(results.map(\.title)) == ["液压泵的可靠性", "质量管理小组活动"])
    }

    @Test func theIndexDependsOnlyOnTheRecords() async {
        let forward = SearchIndex(records: Self.records).files()
        let backward = await SearchIndex(records: Self.records.reversed()).files(parts: 3)
        #expect(forward.map(\.path) == backward.map(\.path))
        #expect(forward.map(\.data) == backward.map(\.data))
        let meta = String(decoding: forward.first { $0.path == "search/index.json" }!.data, as: UTF8.self)
        let length = Self.records.reduce(0) { $0 + $1.length }
        #expect(meta.hasPrefix("{\"version\":2,\"docs\":4,\"length\":\(length),\"shards\":1,\"chunk\":16,\"stamp\":\""))
        let lengths = try? JSONSerialization.jsonObject(with: forward.first { $0.path == "search/lengths.json" }!.data) as? [Int]
        #expect(lengths == Self.records.map(\.length))
    }

    @Test func postingsRoundTrip() throws {
        let files = Self.index(Self.records)
        let termData = try #require(files["terms/0.json"])
        let terms = try #require(try JSONSerialization.jsonObject(with: termData) as? [String: String])
        let postings = SearchIndex.decode(try #require(terms["质量"]))
        #expect(postings.map(\.document) == [0, 1, 3])
        // Raw values (frequency << 1 | inTitle): b has 质量 in its title.
        #expect(postings.map(\.value) == [4, 5, 4])
        let documentData = try #require(files["docs/0.json"])
        let documents = try #require(try JSONSerialization.jsonObject(with: documentData) as? [[String]])
        #expect(documents.count == 4)
        #expect(documents[2] == ["/c/", "液压泵的可靠性", "品牌故事", "2020年9月15日", "可靠性增长试验使 MTBF 提高一倍。Reliability growth testing."])
    }

    @Test func anIndexUpdatedFromItsStoreEqualsOneMadeFromEveryRecord() async throws {
        let stored = await SearchIndex(records: Self.records).output(parts: 2).store
        let contents = try #require(SearchStore.decode(stored))
        #expect(contents.documents == Self.records.map(\.document))
        let all = Set(Self.records.map(\.path))
        // Unchanged: the same files and the same store.
        let same = await SearchIndex(updating: contents, keeping: all, adding: []).output(parts: 2)
        #expect(same.store == stored)
        #expect(same.files.map(\.data) == SearchIndex(records: Self.records).files().map(\.data))
        // One page edited, one removed, one added: as if made from the new records.
        let edited = Self.record("b/index.html", title: "质量管理小组活动", body: "质量管理小组改进焊接工艺，减少返修。")
        let added = Self.record("bb/index.html", title: "数字化车间", body: "数字化车间提升质量追溯能力。")
        let now = [Self.records[0], edited, added, Self.records[3]]
        let updated = await SearchIndex(updating: contents, keeping: Set(now.map(\.path)), adding: [added, edited]).output(parts: 3)
        let clean = await SearchIndex(records: now).output(parts: 1)
        #expect(updated.files.map(\.path) == clean.files.map(\.path))
        #expect(updated.files.map(\.data) == clean.files.map(\.data))
        #expect(updated.store == clean.store)
        #expect(SearchQuery("焊接").run { path in updated.files.first { $0.path == "search/" + path }?.data }.results.map(\.title) == ["质量管理小组活动"])
    }

    /// An edit remakes the shards whose postings changed and the edited page's `docs/` file, and keeps the
    /// rest: the files and the store are those a clean build makes.
    @Test func anEditRemakesOnlyTheFilesItChanges() async throws {
        let records = SearchRankingTests.corpus(pages: 2000, seed: 7)
        let previous = await SearchIndex(records: records).output(parts: 2)
        let contents = try #require(SearchStore.decode(previous.store))
        #expect(contents.summary.shards.count >= 8)
        let old = records[5]
        let edited = SearchRecord(path: old.path, url: old.document.url, title: old.document.title, kind: old.document.kind, date: "",
                                  summary: nil, fields: [], body: "zyxwv 质量 \(old.document.excerpt)")
        var now = records
        now[5] = edited
        let patch = try #require(SearchIndexPatch(updating: contents, keeping: Set(records.map(\.path)), adding: [edited]))
        let clean = await SearchIndex(records: now).output(parts: 1)
        var patched = Dictionary(uniqueKeysWithValues: previous.files.map { ($0.path, $0.data) })
        for file in patch.files { patched[file.path] = file.data }
        #expect(patched == Dictionary(uniqueKeysWithValues: clean.files.map { ($0.path, $0.data) }))
        #expect(Set(patch.unchanged) == Set(previous.files.map(\.path)).subtracting(patch.files.map(\.path)))
        #expect(patch.store.data == clean.store)
        // The same pages known by the caller (`keeping: nil`): the same patch, without the set of paths.
        let known = try #require(SearchIndexPatch(updating: contents, keeping: nil, adding: [edited]))
        #expect(known.store.data == clean.store && known.files.map(\.path) == patch.files.map(\.path) && known.unchanged == patch.unchanged)
        let remade = patch.files.filter { $0.path.hasPrefix("search/terms/") }.count
        #expect(remade > 0 && remade < contents.summary.shards.count / 2)
        // The page rendered again unchanged: no shard is remade.
        let same = try #require(SearchIndexPatch(updating: contents, keeping: Set(records.map(\.path)), adding: [old]))
        #expect(!same.files.contains { $0.path.hasPrefix("search/terms/") })
        #expect(same.store.data == previous.store)
        // A page gone, or a new one: numbers change, and the whole index is made (`SearchIndex(updating:…)`).
        #expect(SearchIndexPatch(updating: contents, keeping: Set(records.dropFirst().map(\.path)), adding: []) == nil)
        let added = Self.record("zz/index.html", title: "新", body: "新页面")
        #expect(SearchIndexPatch(updating: contents, keeping: Set((records + [added]).map(\.path)), adding: [added]) == nil)
    }

    @Test func aDamagedStoreIsNotRead() async {
        let stored = await SearchIndex(records: Self.records).output(parts: 1).store
        #expect(SearchStore.decode(stored.dropLast()) == nil)
        #expect(SearchStore.decode(stored + Data([0])) == nil)
        #expect(SearchStore.decode(Data("nope".utf8)) == nil)
    }

    @Test func excerptsAreTheSummaryAndTheOpening() {
        let record = Self.record("x/index.html", title: "t", body: "第一段。\n\n第二段\n有换行。", summary: "摘要。")
        #expect(record.excerpt == "摘要。 第一段。 第二段 有换行。")
        let long = Self.record("y/index.html", title: "t", body: String(repeating: "质", count: 500))
        #expect(long.excerpt.count == SearchRecord.excerptLength)
    }

    @Test func termsCountEveryOccurrenceAndMarkTheTitle() {
        // 质量 three times (once in the title), 管理 twice, "iso" twice, "qc" once in the title only.
        let record = SearchRecord(path: "x/index.html", url: "/x/", title: "质量 QC", kind: "品牌故事", date: "",
                                  summary: nil, fields: ["质量管理 ISO"], body: "质量管理，iso。")
        func value(_ text: String) -> UInt32? {
            if let index = record.words.firstIndex(of: text) { return record.wordValues[index] }
            var key: UInt64?
            SearchTokenizer.scan(text) { if key == nil, case .cjk(let packed) = $0 { key = packed } }
            return key.flatMap { record.cjkKeys.firstIndex(of: $0) }.map { record.cjkValues[$0] }
        }
        // Values are frequency << 1 | inTitle.
        #expect(value("质量") == UInt32(7))
        #expect(value("管理") == UInt32(4))
        #expect(value("iso") == UInt32(4))
        #expect(value("qc") == UInt32(3))
        #expect(record.cjkKeys == record.cjkKeys.sorted())
        #expect(record.length == 3 + 5 + 5)
    }

    @Test func termCountsAgreeWithADictionaryAndGrow() {
        var generator = SystemRandomNumberGenerator()
        for (count, distinct) in [(0, 1), (3, 2), (5000, 700), (5000, 4000)] {
            let pool = (0..<distinct).map { _ in UInt64.random(in: 1..<(1 << 42), using: &generator) }
            var counts = CJKTermCounts(expected: 16)
            var expected: [UInt64: UInt32] = [:]
            for index in 0..<count {
                let key = pool[Int.random(in: 0..<distinct, using: &generator)]
                let inTitle = index % 7 == 0
                counts.add(key, inTitle: inTitle)
                expected[key] = (expected[key, default: 0] &+ 2) | (inTitle ? 1 : 0)
            }
            let sorted = counts.sorted()
            #expect(sorted.keys == expected.keys.sorted())
            #expect(sorted.values == expected.keys.sorted().map { expected[$0] ?? 0 })
        }
    }

    /// Keys and values are sorted as one integer while a value fits in 22 bits; a term seen more
    /// than two million times on one page takes the other way, with the same result.
    @Test func termCountsSortAValueTooWideToPack() {
        var counts = CJKTermCounts(expected: 16)
        let (common, rare) = (UInt64(0x4E00) << 21 | 0x4E01, UInt64(0x4E00) << 21)
        for _ in 0..<(1 << 21) { counts.add(common, inTitle: false) }
        counts.add(rare, inTitle: true)
        let sorted = counts.sorted()
        #expect(sorted.keys == [rare, common])
        #expect(sorted.values == [3, UInt32(1 << 22)])
    }
}
