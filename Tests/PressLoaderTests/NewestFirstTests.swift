import PressModel
import PressTestSupport
import Testing
@testable import PressLoader

@Suite struct NewestFirstTests {
    /// Against sorting the documents themselves by the same keys: random dates (many the same day,
    /// some missing), titles that tie, and orders with long cycles.
    @Test(arguments: 0..<20) func listsDocumentsAsSortingThemWould(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) + 1)
        let titles = ["质量月", "质量", "Quality", "é", "e\u{301}", "齿轮", ""]
        let headers = (0..<Int(random.next() % 300)).map { index in
            DocumentHeader(kind: .story, sourcePath: "Content/stories/\(random.next() % 10_000)-\(index).md", slug: "s\(index)",
                           title: titles[Int(random.next() % UInt64(titles.count))],
                           date: random.next() % 5 == 0 ? nil : CalendarDate(iso: "2020-0\(1 + random.next() % 3)-1\(random.next() % 3)"),
                           tags: [], summary: nil, draft: false, body: "", bodyFirstLine: 1)
        }
        var list = NewestFirst<String>()
        for header in headers { list.append(header.sourcePath, header: header) }
        let expected = headers.sorted { a, b in
            let (dateA, dateB) = (a.date ?? .distantPast, b.date ?? .distantPast)
            if dateA != dateB { return dateA > dateB }
            if Array(a.title.utf8) != Array(b.title.utf8) { return Array(a.title.utf8).lexicographicallyPrecedes(b.title.utf8) }
            return Array(a.sourcePath.utf8).lexicographicallyPrecedes(b.sourcePath.utf8)
        }.map(\.sourcePath)
        #expect(list.sorted() == expected)
    }

    @Test func movesItemsAlongEveryCycle() {
        var items = ["a", "b", "c", "d", "e", "f"]
        NewestFirst<String>.move(&items, into: [2, 0, 1, 3, 5, 4])
        #expect(items == ["c", "a", "b", "d", "f", "e"])
    }
}

