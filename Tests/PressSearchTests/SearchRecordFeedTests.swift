import Foundation
import PressCore
@testable import PressSearch
import PressTestSupport
import Testing

/// The index a build gathers while its pages are rendered (each page's text fed from many tasks, in
/// any order, the records dropped once grouped) is the index made from every record at the end.
@Suite struct SearchRecordFeedTests {
    /// Pages of Latin, Han, mixed text, numbers, full-width letters and punctuation, some sharing terms.
    static func corpus(pages: Int) -> [PageText] {
        let pieces = [
            "质量管理体系通过 ISO 9001 认证。", "Reliability growth testing raised MTBF twice.", "精益生产，持续改进！",
            "ＩＳＯ９００１：２０１５ 与 GB/T 19001—2016", "Über café naïve façade — résumé.", "3.14159, 42; 1e-9 & x86_64",
            "「工匠精神」《质量是企业的生命》", "Kaizen 改善 kanban 看板 5S 整理整顿", "\"quoted\" (parens) [brackets] {braces}",
            "零缺陷〇〇七々", "Σ Ω αβγ Привет мир", "supercalifragilisticexpialidociousandthensomemorelettersbeyondthirtytwo",
        ]
        var generator = SeededGenerator(seed: 7)
        return (0..<pages).map { page in
            let body = (0..<(3 + page % 5)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined(separator: page % 2 == 0 ? "\n\n" : " ")
            let title = pieces[page % pieces.count].prefix(8)
            return PageText(outputPath: "p\(page % 10)/\(page)/index.html", url: "/p\(page % 10)/\(page)/", title: String(title), kind: "页面",
                            date: page % 3 == 0 ? "" : "2020年9月\(page % 28 + 1)日", summary: page % 4 == 0 ? "摘要 \(page)" : nil,
                            fields: page % 2 == 0 ? ["作者", "Tag\(page % 6)"] : [], body: body)
        }
    }

    @Test func theFedIndexIsTheIndexMadeFromEveryRecord() async throws {
        let texts = Self.corpus(pages: 240)
        let feed = SearchRecordFeed()
        // Fed from several tasks at once, in an order unlike the documents', as the render pass does.
        await withTaskGroup(of: Void.self) { group in
            for part in 0..<4 {
                group.addTask { for text in texts.reversed() where text.outputPath.hashValue & 3 == part { feed.take(text) } }
            }
        }
        feed.finish()
        let fed = await feed.grouped().output(parts: 3)
        let whole = await SearchIndex(records: texts.map(SearchRecord.init)).output(parts: 1)
        #expect(fed.files.count > 3)
        #expect(fed.files.map(\.path) == whole.files.map(\.path))
        #expect(fed.files.map(\.data) == whole.files.map(\.data))
        #expect(fed.store == whole.store)
        #expect(try #require(SearchStore.decode(fed.store)).documents.count == texts.count)
        // And one term of each kind is there to be found.
        let files = Dictionary(uniqueKeysWithValues: fed.files.map { ($0.path.replacingOccurrences(of: "search/", with: ""), $0.data) })
        for query in ["看板", "mtbf", "9001", "café", "привет", "零缺陷"] {
            #expect(!SearchQuery(query).run { files[$0] }.results.isEmpty, "\(query)")
        }
    }
}

