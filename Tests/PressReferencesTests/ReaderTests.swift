import Foundation
import PressCore
import Testing
@testable import PressReferences

@Suite struct BibTeXTests {
    func read(_ text: String) throws -> [Entry] { try BibTeX.read(text, file: "refs.bib") }

    @Test func stringsConcatenationQuotesAndNestedBraces() throws {
        let entries = try read(#"""
        Text outside entries is a comment.
        @STRING{ pub = "科学" }
        @string(place = {北京})
        @comment{ ignored {nested} }
        @Book{key1,
          TITLE = {The {NASA} "quoted" {\"o}ffice},
          publisher = pub # {出版社},
          address = place,
          year = 2010, month = mar,
          note = "With {braces} and " # "a tail",
        }
        @book(key2, title = "Parenthesised", year = {1999})
        """#)
        #expect(entries.map(\.key) == ["key1", "key2"])
        #expect(entries[0]["title"] == #"The NASA "quoted" öffice"#)
        #expect(entries[0]["publisher"] == "科学出版社")
        #expect(entries[0]["publisher-place"] == "北京")
        #expect(entries[0].dates["issued"] == EntryDate(start: .init(year: 2010, month: 3)))
        #expect(entries[0]["note"] == "With braces and a tail")
        #expect(entries[0].location == SourceLocation(file: "refs.bib", line: 5))
        #expect(entries[1]["title"] == "Parenthesised")
    }

    @Test func latexAccentsAndSymbols() {
        #expect(LaTeX.toUnicode(#"{\"o} \'e \`{a} \^{i} \~n \c{c} \v{s} \v c \H{o} \ss{} {\o} {\AE} \&\% \$ 1--2 a---b \emph{x} ~"#)
                == "ö é à î ñ ç š č ő ß ø Æ &% $ 1–2 a—b x")
        #expect(LaTeX.toUnicode(#"M{\"u}ller"#) == "Müller")
        #expect(LaTeX.toUnicode(#"{\'\i}"#) == "í")
    }

    @Test func namesChineseBracedCommaAndOthers() throws {
        let entry = try #require(try read(#"""
        @article{k, author = {张建国 and {李 四} and {World Health Organization} and M{\"u}ller, Hans-J{\"o}rg
                   and Ludwig van Beethoven and van der Merwe, Karen and Peebles, Jr., Peyton Z. and others},
                   title = {T}, journal = {J}, year = 2000}
        """#).first)
        let names = entry.names("author")
        #expect(names[0] == Name(literal: "张建国"))
        #expect(names[1] == Name(literal: "李 四"))
        #expect(names[2] == Name(literal: "World Health Organization"))
        #expect(names[3] == Name(family: "Müller", given: "Hans-Jörg"))
        #expect(names[4] == Name(family: "Beethoven", given: "Ludwig", particle: "van"))
        #expect(names[5] == Name(family: "Merwe", given: "Karen", particle: "van der"))
        #expect(names[6] == Name(family: "Peebles", given: "Peyton Z.", suffix: "Jr."))
        #expect(names[7].isOthers)
        #expect(NameList.format(names, chinese: false) == "张建国, 李 四, World Health Organization, et al.")
    }

    @Test func typesAndFieldsMapToCSL() throws {
        let entries = try read(#"""
        @phdthesis{t, author = {王强}, title = {论文}, school = {华中科技大学}, address = {武汉}, year = 2015}
        @techreport{r, title = {R}, institution = {Inst}, number = {TR-1}, year = 2001}
        @online{w, title = {W}, url = {http://x.org/a_b~c--d}, urldate = {2021-01-10}, date = {2020-05-20}}
        @article{a, title = {A}, journal = {J}, number = {4}, pages = {1--9}, doi = {10.1/x\_y}, year = 2000}
        """#)
        #expect(entries.map(\.type) == ["thesis", "report", "webpage", "article-journal"])
        #expect(entries[0]["publisher"] == "华中科技大学")
        #expect(entries[1]["number"] == "TR-1")
        #expect(entries[2]["URL"] == "http://x.org/a_b~c--d")
        #expect(entries[2].dates["accessed"] == EntryDate(start: .init(year: 2021, month: 1, day: 10)))
        #expect(entries[3]["issue"] == "4")
        #expect(entries[3]["page"] == "1-9")
        #expect(entries[3]["DOI"] == "10.1/x_y")
    }

    @Test(arguments: [
        ("@book{k,\n  title = {open,\n  year = 2000}\n", 1, "@book{k} is not closed"),
        ("@book{a,\n  title = {T,\n  year = 2000,\n\n@book{b, title = {B}}\n", 2, "the value of 'title' opened on line 2 is not closed before the next entry"),
        ("@book{k,\n  title = {T},\n  year = twothousand,\n}\n", 3, "'twothousand' in field 'year' is not a defined @string"),
        ("\n\n@book{k,\n  title {T}\n}\n", 4, "expected '=' after the field name 'title'"),
        ("@book{,\n title = {T}}\n", 1, "has no citation key"),
        ("@book{k,\n title = {T}}}\n@book{j,\n title = {oops}\n", 3, "@book{j} is not closed"),
    ])
    func malformedFilesNameTheLine(text: String, line: Int, message: String) {
        let error = diagnostic { _ = try BibTeX.read(text, file: "refs.bib") }
        #expect(error?.location == SourceLocation(file: "refs.bib", line: line), "\(error?.description ?? "no error")")
        #expect(error?.message.contains(message) == true, "\(error?.description ?? "no error")")
    }
}

@Suite struct CSLJSONTests {
    @Test func zoteroExtraLinesBecomeVariables() throws {
        let entries = try CSLJSON.read(#"""
        [{"id": "s", "type": "report", "title": "T", "note": "type: standard\npage: 29\noriginal-date: 1865\nA remark.\nDOI: 10.1/2\nauthor: 张 || 建国"}]
        """#, file: "refs.json")
        let entry = try #require(entries.first)
        #expect(entry.type == "standard")
        #expect(entry["page"] == "29")
        #expect(entry.dates["original-date"]?.year == 1865)
        #expect(entry["DOI"] == "10.1/2")
        #expect(entry.names("author") == [Name(family: "张", given: "建国")])
        #expect(entry["note"] == "A remark.")
    }

    @Test(arguments: [
        ("[\n  {\"id\": \"a\", \"type\": \"book\"},\n  {\"id\": \"b\" \"type\": \"book\"}\n]", 3, "expected ',' or '}'"),
        ("[\n  {\"id\": \"a\",\n   \"type\": \"book\",\n   \"title\": \"unterminated\n}]", 4, "not closed"),
        ("[\n {\"type\": \"book\"}\n]", 2, "has no \"id\""),
        ("[\n {\"id\": \"x\"}\n]", 2, "has no \"type\""),
        ("[\n {\"id\": \"x\", \"type\": \"book\",\n  \"issued\": {\"date-parts\": [[]]}}\n]", 3, "no year"),
    ])
    func malformedFilesNameTheLine(text: String, line: Int, message: String) {
        let error = diagnostic { _ = try CSLJSON.read(text, file: "refs.json") }
        #expect(error?.location == SourceLocation(file: "refs.json", line: line), "\(error?.description ?? "no error")")
        #expect(error?.message.contains(message) == true, "\(error?.description ?? "no error")")
    }
}

@Suite struct HostileBibliographyTests {
    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        let error = diagnostic { _ = try CSLJSON.read(text, file: "deep.json") }
        #expect(error?.message.contains("nested more than 256 levels deep") == true)
    }

    @Test func manyOpeningBracketsStayFast() {
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = CitationSyntax.find(in: String(repeating: "[见", count: 50_000) + "[@a]") }
        #expect(elapsed < .seconds(5))
        #expect(CitationSyntax.find(in: String(repeating: "[见", count: 1000) + "[@a]").map(\.citations) == [[Citation(key: "a")]])
    }

    @Test func unbalancedBibTeXIsAnErrorNotACrash() {
        let text = "@book{k, title = " + String(repeating: "{", count: 100_000)
        let error = diagnostic { _ = try BibTeX.read(text, file: "deep.bib") }
        #expect(error?.location.line == 1)
    }
}

@Suite struct RISTests {
    @Test func readsAJournalArticle() throws {
        let entries = try RIS.read("""
        TY  - JOUR
        ID  - duane1964
        AU  - Duane, J. T.
        TI  - Learning curve approach to reliability monitoring
        JO  - IEEE Transactions on Aerospace
        VL  - 2
        IS  - 2
        SP  - 563
        EP  - 566
        PY  - 1964
        DO  - 10.1109/TA.1964.4319640
        ER  -
        """, file: "refs.ris")
        #expect(entries.first?.numeric == "DUANE J T. Learning curve approach to reliability monitoring[J]. IEEE Transactions on Aerospace, 1964, 2(2): 563-566. DOI:10.1109/TA.1964.4319640.")
    }

    @Test func anUnclosedEntryIsAnError() {
        let error = diagnostic { _ = try RIS.read("TY  - BOOK\nTI  - T\n", file: "refs.ris") }
        #expect(error?.location == SourceLocation(file: "refs.ris", line: 1))
    }
}

@Suite struct BibliographyTests {
    @Test func duplicateKeysNameBothPlaces() {
        var bibliography = Bibliography()
        let first = Entry(key: "k", type: "book", location: SourceLocation(file: "a.bib", line: 3))
        let second = Entry(key: "k", type: "book", location: SourceLocation(file: "b.json", line: 7))
        bibliography.add([first])
        let errors = bibliography.add([second])
        #expect(errors.map(\.description) == ["b.json:7: error: duplicate citation key 'k': already defined at a.bib:3"])
    }

    @Test func duplicateKeysInOneFileAreFoundWhenLoading() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("refs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("refs.bib")
        try "@book{k, title={A}}\n\n@book{k, title={B}}\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: DiagnosticsError.self) { try Bibliography.load([(file, "refs.bib")]) }
        do {
            _ = try Bibliography.load([(file, "refs.bib")])
        } catch {
            #expect(error.description == "refs.bib:3: error: duplicate citation key 'k': already defined at refs.bib:1")
        }
    }

    @Test func aMissingRequiredFieldIsAWarningNamingEntryAndField() throws {
        var bibliography = Bibliography()
        let noPublisher = Entry(key: "wang", type: "book", fields: ["title": "书"], dates: ["issued": EntryDate(parsing: "2001")],
                                location: SourceLocation(file: "refs.bib", line: 4))
        let noNumber = Entry(key: "std", type: "standard", fields: ["title": "标准"], dates: ["issued": EntryDate(parsing: "2016")],
                             location: SourceLocation(file: "refs.bib", line: 9))
        // The issue's own examples: a [J] without the journal title, an [EB/OL] without an access date.
        let noJournal = Entry(key: "li", type: "article-journal", fields: ["title": "论文"], dates: ["issued": EntryDate(parsing: "2019")],
                              location: SourceLocation(file: "refs.bib", line: 14))
        let notAccessed = Entry(key: "caq", type: "webpage", fields: ["title": "办法", "URL": "https://www.caq.org.cn/"],
                                location: SourceLocation(file: "refs.bib", line: 20))
        bibliography.add([noPublisher, noNumber, noJournal, notAccessed])
        #expect(bibliography.warnings.map(\.description) == [
            "refs.bib:4: warning: entry 'wang' has no 'publisher', which GB/T 7714 requires for a [M] entry",
            "refs.bib:9: warning: entry 'std' has no 'number', which GB/T 7714 requires for a [S] entry",
            "refs.bib:14: warning: entry 'li' has no 'container-title', which GB/T 7714 requires for a journal article [J]",
            "refs.bib:20: warning: entry 'caq' has no 'accessed', which GB/T 7714 requires for a [EB/OL] entry",
        ])
        #expect(bibliography.warnings.allSatisfy { $0.severity == .warning })
    }

    @Test func theSampleBibliographiesAreComplete() throws {
        for file in ["sample.bib", "sample.json"] {
            var bibliography = Bibliography()
            #expect(bibliography.add(try Fixture.entries(file)).isEmpty)
            #expect(bibliography.warnings.isEmpty, "\(bibliography.warnings)")
        }
    }
}

/// Every cut of the sample files, and each with one character dropped, parses or fails with a message:
/// no crash, whatever an editor leaves half written.
@Suite struct TruncatedFileTests {
    @Test(arguments: ["sample.bib", "sample.json"])
    func everyPrefixAndDeletionParsesOrFails(file: String) throws {
        let text = Array(try Fixture.text(file))
        let format = try #require(Bibliography.Format(path: file))
        for length in stride(from: 0, through: text.count, by: 11) {
            let prefix = String(text[..<length])
            _ = try? Bibliography.parse(prefix, format: format, file: file)
            var deleted = text
            if length < deleted.count { deleted.remove(at: length) }
            _ = try? Bibliography.parse(String(deleted), format: format, file: file)
            _ = LaTeX.toUnicode(prefix)
            _ = BibTeXNames.parse(prefix)
            _ = CitationSyntax.find(in: prefix)
        }
    }
}
