import Testing
@testable import PressReferences

/// One reference of each type the standard distinguishes, from the sample bibliography.
@Suite struct FormatTests {
    static let expected: [String: String] = [
        "gbt19001": "全国质量管理和质量保证标准化技术委员会. 质量管理体系 要求: GB/T 19001—2016[S]. 北京: 中国标准出版社, 2017.",
        "li2020pump": "李华, 王强. 一种轴向柱塞泵配流盘: CN 201910123456.7[P]. 2020-03-17.",
        "wang2015thesis": "王强. 液压元件可靠性增长试验方法研究[D]. 武汉: 华中科技大学, 2015.",
        "duane1964": "DUANE J T. Learning curve approach to reliability monitoring[J]. IEEE Transactions on Aerospace, 1964, 2(2): 563-566. DOI:10.1109/TA.1964.4319640.",
        "han2016": "韩志刚. 顾客满意度测评理论与方法[M]. 北京: 中国农业出版社, 2016.",
        "chen2019hydraulic": "陈立明, 刘海涛. 工程机械液压元件早期故障分析与对策[J]. 液压技术与应用, 2019(6): 45-50.",
        "zhao2018chapter": "赵敏. 卓越绩效自我评价的组织与实施[M]//刘建国. 企业质量管理实践. 2 版. 北京: 中国标准出版社, 2018: 45-60.",
        "sun2019qc": "孙晓梅, 钱文博, 吴刚, 等. 磨齿工序质量管理小组活动的实践[C]//中国质量协会. 第十届全国质量管理小组成果发表会论文集. 北京: 中国质量协会, 2019: 112-118.",
        "qian2021news": "钱文博. 小改进带来大效益[N]. 中国质量报, 2021-03-15(3).",
        "caq2020web": "中国质量协会. 全国质量管理小组活动成果发表交流办法[EB/OL]. (2020-05-20)[2021-01-10]. https://www.caq.org.cn/html/qcxz/1.html.",
        "calkin2011": "CALKIN D, AGER A, THOMPSON M. A comparative risk assessment framework for wildland fire management: the 2010 cohesive strategy science report: RMRS-GTR-262[R]. [S.l.: S.n.], 2011: 8-9.",
        "peebles2001": "PEEBLES P Z, Jr. Probability, random variables, and random signal principles[M]. 4th ed. New York: McGraw-Hill, 2001.",
    ]

    @Test(arguments: ["sample.bib", "sample.json"])
    func everyTypeFormatsAsTheStandardSays(file: String) throws {
        let entries = try Fixture.entries(file)
        #expect(Set(entries.map(\.key)) == Set(Self.expected.keys))
        for entry in entries {
            #expect(entry.numeric == Self.expected[entry.key], "\(file): \(entry.key)")
        }
    }

    @Test func bibTeXAndCSLJSONOfTheSameEntriesGiveTheSameText() throws {
        let bib = try Fixture.entries("sample.bib")
        let json = try Fixture.entries("sample.json")
        #expect(bib.map(\.key) == json.map(\.key))
        for style in CitationStyle.allCases {
            let formatter = GBT7714(style: style)
            #expect(bib.map { formatter.format($0).text } == json.map { formatter.format($0).text })
        }
    }

    @Test func authorDatePutsTheYearAfterTheAuthors() throws {
        let entries = try Fixture.entries("sample.json")
        let formatter = GBT7714(style: .authorDate)
        let text = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, formatter.format($0).text) })
        #expect(text["han2016"] == "韩志刚, 2016. 顾客满意度测评理论与方法[M]. 北京: 中国农业出版社.")
        #expect(text["chen2019hydraulic"] == "陈立明, 刘海涛, 2019. 工程机械液压元件早期故障分析与对策[J]. 液压技术与应用(6): 45-50.")
        #expect(text["duane1964"] == "DUANE J T, 1964. Learning curve approach to reliability monitoring[J]. IEEE Transactions on Aerospace, 2(2): 563-566. DOI:10.1109/TA.1964.4319640.")
    }

    @Test func htmlLinksTheURLAndTheDOIAndEscapesText() throws {
        let entries = try Fixture.entries("sample.json")
        let web = try #require(entries.first { $0.key == "caq2020web" })
        #expect(GBT7714().format(web).html.hasSuffix(#"<a href="https://www.caq.org.cn/html/qcxz/1.html">https://www.caq.org.cn/html/qcxz/1.html</a>."#))
        let article = try #require(entries.first { $0.key == "duane1964" })
        #expect(GBT7714().format(article).html.contains(#"DOI:<a href="https://doi.org/10.1109/TA.1964.4319640">10.1109/TA.1964.4319640</a>"#))
        var ampersand = article
        ampersand["title"] = "Tom & <Jerry>"
        #expect(GBT7714().format(ampersand).html.contains("Tom &amp; &lt;Jerry&gt;[J]"))
    }

    @Test func namesFollowTheStandard() {
        #expect(NameList.format(Name(family: "Peebles", given: "Peyton Z."), chinese: false) == "PEEBLES P Z")
        #expect(NameList.format(Name(family: "Park", given: "Jung-Ran"), chinese: false) == "PARK J R")
        #expect(NameList.format(Name(family: "Sodeman, Jr", given: "William A"), chinese: false) == "SODEMAN W A, Jr")
        #expect(NameList.format(Name(family: "张", given: "建国"), chinese: true) == "张建国")
        #expect(NameList.format(Name(family: "Merwe", given: "Karen", particle: "van der"), chinese: false) == "VAN DER MERWE K")
        let four = ["甲", "乙", "丙", "丁"].map { Name(literal: $0) }
        #expect(NameList.format(four, chinese: true) == "甲, 乙, 丙, 等")
        #expect(NameList.format(Array(four.prefix(3)), chinese: true) == "甲, 乙, 丙")
        #expect(NameList.format([Name(family: "A", given: "B"), Name(literal: "others")], chinese: false) == "A B, et al.")
    }

    @Test func editionsAreWrittenInTheEntrysLanguage() {
        var book = Entry(key: "b", type: "book", fields: ["title": "书", "edition": "3", "publisher": "社", "publisher-place": "京"],
                         dates: ["issued": EntryDate(parsing: "2001")], location: .init(file: "t"))
        #expect(book.numeric == "书[M]. 3 版. 京: 社, 2001.")
        book["title"] = "Book"
        book["publisher"] = "Press"
        book["publisher-place"] = "London"
        for (edition, text) in [("1", "Book[M]. London: Press, 2001."), ("2", "Book[M]. 2nd ed. London: Press, 2001."),
                                ("3", "Book[M]. 3rd ed. London: Press, 2001."), ("11", "Book[M]. 11th ed. London: Press, 2001."),
                                ("Rev. ed.", "Book[M]. Rev. ed. London: Press, 2001.")] {
            book["edition"] = edition
            #expect(book.numeric == text)
        }
    }

    @Test func editedBooksAreProceedingsOrCompilationsByWhatTheyRecord() {
        var book = Entry(key: "b", type: "book", fields: ["title": "质量论文集", "publisher": "社", "publisher-place": "京"],
                         names: ["editor": [Name(literal: "某学会")]], dates: ["issued": EntryDate(parsing: "2001")],
                         location: .init(file: "t"))
        #expect(book.numeric == "某学会. 质量论文集[G]. 京: 社, 2001.")
        book["title"] = "全国质量学术研讨会论文集"
        #expect(book.numeric == "某学会. 全国质量学术研讨会论文集[C]. 京: 社, 2001.")
        book["title"] = "质量手册"
        #expect(book.numeric == "某学会. 质量手册[M]. 京: 社, 2001.")
        book.names["author"] = [Name(literal: "某人")]
        book["title"] = "质量论文集"
        #expect(book.numeric == "某人. 质量论文集[M]. 京: 社, 2001.")
    }
}
