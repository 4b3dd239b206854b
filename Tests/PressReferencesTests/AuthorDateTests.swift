import Foundation
import Testing
@testable import PressReferences

/// 著者-出版年制: the list's order (GB/T 7714-2015 §9.2) and `a`, `b` after the year of works by the same
/// authors in the same year (§10.2.3), against the standard's own author-date examples.
@Suite struct AuthorDateTests {
    static func entries(_ json: String) throws -> [Entry] { try CSLJSON.read(json, file: "test.json") }

    static func book(_ id: String, _ author: String, _ title: String, year: Int, language: String? = nil) -> String {
        let language = language.map { #", "language": "\#($0)""# } ?? ""
        return #"{"id": "\#(id)", "type": "book", "author": [{"literal": "\#(author)"}], "title": "\#(title)", "publisher-place": "北京", "publisher": "某出版社", "issued": {"date-parts": [[\#(year)]]}\#(language)}"#
    }

    /// The standard's §9.2 and §10.2 list (Fixtures/README.md), formatted and ordered by us, line for line.
    @Test func theStandardsAuthorDateListComesOutInItsOrderAndText() throws {
        let entries = try CSLJSON.read(try Fixture.text("gbt7714-author-date-data.json"), file: "gbt7714-author-date-data.json")
        let printed = try Fixture.text("standard-author-date.txt").split(separator: "\n").map(String.init)
        let expected = printed.filter { !$0.isEmpty && !$0.hasPrefix("(") }
        let sorted = AuthorDateOrder.sorted(entries)
        let formatter = GBT7714(style: .authorDate, yearSuffixes: AuthorDateOrder.yearSuffixes(sorted))
        #expect(expected.count == 19)
        #expect(sorted.count == expected.count)
        for (entry, wanted) in zip(sorted, expected) {
            let got = formatter.format(entry).text
            if let reason = Self.knownExceptions[entry.key] {
                #expect(got != wanted, "\(entry.key) is a known exception but now matches: remove it from the list")
                print("known exception \(entry.key): \(reason)")
            } else {
                #expect(got == wanted)
            }
        }
    }

    /// As in `ConformanceTests`: the data lacks what the standard prints.
    static let knownExceptions = [
        "08.1.03": "container-title: the data has the full 'British medical journal' (the abbreviation only in Zotero's journalAbbreviation); the standard prints 'Br Med J'",
    ]

    @Test func westernCitationsOfTheStandardsExamples() throws {
        var bibliography = Bibliography()
        bibliography.add(try CSLJSON.read(try Fixture.text("gbt7714-author-date-data.json"), file: "data.json"))
        var renderer = CitationRenderer(bibliography: bibliography, style: .authorDate)
        let keys = ["10.2.1:01", "10.2.1:02", "10.2.2:02", "10.2.3:02a", "10.2.3:02b"]
        renderer.disambiguate(citing: keys)
        let text = keys.map { key in
            renderer.replaceCitations(in: "[@\(key)]", file: "x.md", line: 1)?.map(\.text).joined() ?? ""
        }
        #expect(text == ["(CRANE, 1972)", "(STIEG, 1981)", "(MYBURG et al., 2014)", "(KENNEDY and GARRISON, 1975a)", "(KENNEDY and GARRISON, 1975b)"])
    }

    @Test func sameAuthorsInTheSameYearAreLetteredInTheCitationsAndTheList() throws {
        var bibliography = Bibliography()
        bibliography.add(try Self.entries("[" + [
            Self.book("z1", "张建国", "质量管理学", year: 2019),
            Self.book("z2", "张建国", "可靠性工程", year: 2019),
            Self.book("z3", "张建国", "六西格玛", year: 2018),
            Self.book("z4", "张建国", "未引用的同年著作", year: 2019),
        ].joined(separator: ",") + "]"))
        var renderer = CitationRenderer(bibliography: bibliography, style: .authorDate)
        let text = "见[@z1]，又见@z2，再见[@z3; @z1, 29]。"
        renderer.disambiguate(citing: ["z1", "z2", "z3"])
        let html = (renderer.replaceCitations(in: text, file: "x.md", line: 1) ?? []).map(\.text).joined()
        // Lettered by title in Pinyin: 可靠性 (ke) before 质量 (zhi); the uncited fourth work counts for nothing.
        #expect(html == "见（张建国，2019b），又见张建国（2019a），再见（张建国，2018；张建国，2019b）29。")
        let list = try #require(renderer.referenceListText())
        #expect(list == """
        参考文献
        张建国, 2018. 六西格玛[M]. 北京: 某出版社.
        张建国, 2019a. 可靠性工程[M]. 北京: 某出版社.
        张建国, 2019b. 质量管理学[M]. 北京: 某出版社.

        """)
        // Without the first pass nothing is lettered: one work of 2019 alone is not.
        var alone = CitationRenderer(bibliography: bibliography, style: .authorDate)
        alone.disambiguate(citing: ["z1", "z3"])
        #expect(alone.yearSuffixes.isEmpty)
    }

    @Test func qpressCiteLettersTheYearsOfTheWholeFile() throws {
        let entries = try Self.entries("[" + Self.book("a", "王临惠", "乙书", year: 2010) + "," + Self.book("b", "王临惠", "甲书", year: 2010) + "]")
        #expect(CiteListing.render(entries, style: .authorDate, format: .text) == """
        [1] 王临惠, 2010b. 乙书[M]. 北京: 某出版社.
        [2] 王临惠, 2010a. 甲书[M]. 北京: 某出版社.
        """)
        #expect(!CiteListing.render(entries, style: .numeric, format: .text).contains("2010a"))
    }

    @Test func chineseAuthorsSortByPinyinWithSurnameReadings() throws {
        #expect(Pinyin.spell("曾国藩, 2019. 家书[M].").hasPrefix("zeng guo fan, 2019. jia shu"))
        #expect(Pinyin.spell("单田芳, 2019.").hasPrefix("shan tian fang"))
        let entries = try Self.entries("[" + [
            Self.book("zhang", "张建国", "甲", year: 2019), Self.book("zeng", "曾国藩", "乙", year: 2019),
            Self.book("chen", "陈登原", "丙", year: 2000), Self.book("a", "阿来", "丁", year: 2001),
            Self.book("wang2", "王临惠", "戊", year: 2010), Self.book("wang1", "汪冰", "己", year: 1997),
        ].joined(separator: ",") + "]")
        #expect(AuthorDateOrder.sorted(entries).map(\.key) == ["a", "chen", "wang1", "wang2", "zeng", "zhang"])
    }

    @Test func languagesComeInTheStandardsOrder() throws {
        let entries = try Self.entries("[" + [
            #"{"id": "ru", "type": "book", "author": [{"family": "Иванов", "given": "И"}], "title": "Книга", "language": "ru", "issued": {"date-parts": [[2001]]}}"#,
            #"{"id": "en", "type": "book", "author": [{"family": "Crane", "given": "D"}], "title": "Invisible college", "issued": {"date-parts": [[1972]]}}"#,
            #"{"id": "ko", "type": "book", "author": [{"literal": "김철수"}], "title": "품질 경영", "issued": {"date-parts": [[2005]]}}"#,
            #"{"id": "ja", "type": "book", "author": [{"literal": "石川馨"}], "title": "品質管理入門", "language": "ja", "issued": {"date-parts": [[1964]]}}"#,
            Self.book("zh", "张建国", "质量管理学", year: 2019),
            #"{"id": "anon", "type": "article-journal", "title": "Coffee drinking", "container-title": "Br Med J", "issued": {"date-parts": [[1981]]}}"#,
        ].joined(separator: ",") + "]")
        #expect(AuthorDateOrder.sorted(entries).map(\.key) == ["zh", "ja", "anon", "en", "ru", "ko"])
        // Without a `language`, kana make a work Japanese, Cyrillic Russian.
        let bare = try Self.entries(#"[{"id": "kana", "type": "book", "author": [{"literal": "田口玄一"}], "title": "品質工学のはなし"}, {"id": "cyr", "type": "book", "title": "Книга"}]"#)
        #expect(bare.map(ListLanguage.init) == [.japanese, .russian])
        // A `language` decides over the script.
        let named = try Self.entries(#"[{"id": "zh", "type": "book", "title": "「カイゼン」在中国", "language": "zh-CN"}, {"id": "en", "type": "book", "title": "质量 Kaizen", "language": "en-US"}]"#)
        #expect(named.map(ListLanguage.init) == [.chinese, .western])
    }

    @Test func yearLettersGoPastZ() {
        #expect([0, 1, 25, 26, 27, 51, 52].map(AuthorDateOrder.letters) == ["a", "b", "z", "aa", "ab", "az", "ba"])
    }
}
