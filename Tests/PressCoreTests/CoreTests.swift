import Foundation
import PressCore
import PressModel
import PressTestSupport
import Testing

@Suite struct SlugTests {
    @Test(arguments: [
        ("质量 管理", "质量-管理"),
        ("Hello, World!", "hello-world"),
        ("一、活动主题", "一活动主题"),
        ("ISO 9001：2015 认证", "iso-90012015-认证"),
        ("re_use-this", "re_use-this"),
    ])
    func headingSlugs(input: String, expected: String) {
        #expect(Slug.make(input) == expected)
    }

    @Test func authorSlugsMustBeOneSegment() {
        #expect(Slug.problem(with: "gear-30") == nil)
        #expect(Slug.problem(with: "齿轮") == nil)
        #expect(Slug.problem(with: "a/b") != nil)
        #expect(Slug.problem(with: "..") != nil)
        #expect(Slug.problem(with: "x..y") != nil)
        #expect(Slug.problem(with: "") != nil)
    }

    @Test func anchorsAreUnique() {
        var anchors = AnchorSet()
        #expect(["概述", "概述", "概述", ""].map { anchors.unique($0) } == ["概述", "概述-1", "概述-2", "section"])
    }

    /// Against the first version (which looked each candidate up before inserting it), on stems that collide
    /// with each other's suffixed forms (`a-1` written before the second `a`), canonically equal ones and empty ones.
    @Test func anchorsAreThoseOfTheFirstVersion() {
        let stems = ["a", "a-1", "a-2", "a-1-1", "", "section", "section-1", "概述", "e\u{301}", "\u{E9}", "é-1"]
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<200 {
            let bases = (0..<Int.random(in: 0..<30, using: &generator)).map { _ in stems[Int.random(in: 0..<stems.count, using: &generator)] }
            var anchors = AnchorSet(), used = Set<String>(), next: [String: Int] = [:]
            let expected = bases.map { base in
                let stem = base.isEmpty ? "section" : base
                var candidate = stem, counter = next[stem] ?? 1
                while used.contains(candidate) {
                    candidate = "\(stem)-\(counter)"
                    counter += 1
                }
                next[stem] = counter
                used.insert(candidate)
                return candidate
            }
            #expect(bases.map { anchors.unique($0) } == expected, "\(bases)")
        }
    }
}

@Suite struct URLPathTests {
    @Test func encodesChineseAndKeepsSlashes() {
        #expect(URLPath.encode("/stories/精益/") == "/stories/%E7%B2%BE%E7%9B%8A/")
        #expect(URLPath.encode("/a b?/") == "/a%20b%3F/")
    }

    @Test func decodesBack() {
        #expect(URLPath.decode("/stories/%E7%B2%BE%E7%9B%8A/") == "/stories/精益/")
        #expect(URLPath.decode("%ZZ") == nil)
        #expect(URLPath.decode("%FF") == nil)
    }
}

@Suite struct ByteSearchTests {
    @Test func findsBytesAnywhereInChineseText() {
        let text = String(repeating: "质量管理，", count: 500) + "见 https://e.org/ 。"
        #expect(ByteSearch.contains(text, "://"))
        #expect(ByteSearch.contains(text, "质量管理"))
        #expect(!ByteSearch.contains(text, "@"))
        #expect(!ByteSearch.contains("", "a") && ByteSearch.contains("", "") && ByteSearch.contains("ab", ""))
        #expect(!ByteSearch.contains("<input type=\"check", "<input type=\"checkbox\""))
    }
}

@Suite struct SourceTextTests {
    @Test func acceptsUTF8AndDropsBOMAndCRLF() throws {
        let data = Data([0xEF, 0xBB, 0xBF] + Array("标题\r\n正文".utf8))
        #expect(try SourceText.decode(data).get() == "标题\n正文")
    }

    @Test func recognisesGBK() {
        // "---\ntitle: 质量\n" with 质量 in GBK (D6CA C1BF).
        let data = Data(Array("---\ntitle: ".utf8) + [0xD6, 0xCA, 0xC1, 0xBF, 0x0A])
        guard case .failure(let problem) = SourceText.decode(data) else {
            Issue.record("GBK bytes were accepted as UTF-8")
            return
        }
        #expect(problem == .looksLikeGBK(line: 2))
        let message = SourceText.diagnostic(for: problem, file: "Content/stories/old.md").description
        #expect(message == "Content/stories/old.md:2: error: file is not UTF-8; it looks like GBK (GB2312/GB18030). Convert it with: iconv -f GBK -t UTF-8 'Content/stories/old.md' > converted.md && mv converted.md 'Content/stories/old.md'")
    }

    @Test func otherBinaryIsNotCalledGBK() {
        let data = Data([0x61, 0x0A, 0xFF, 0xFF, 0x00])
        #expect(SourceText.decode(data) == .failure(.notUTF8(line: 2)))
    }
}

@Suite struct TextStatisticsTests {
    @Test func countsChineseCharactersAndEnglishWords() {
        let statistics = TextStatistics("质量管理体系 ISO 9001 认证，covers quality.")
        #expect(statistics.cjkCharacters == 8)
        #expect(statistics.latinWords == 4)
        #expect(statistics.wordCount == 12)
        #expect(statistics.readingMinutes == 1)
        #expect(TextStatistics(String(repeating: "质", count: 900)).readingMinutes == 3)
    }

    /// The byte loop (with its shortcut for lead bytes E5–E9) against a count scalar by scalar, on texts
    /// mixing the edges of every CJK block with their neighbours, words, apostrophes and hyphens.
    @Test func theByteCountEqualsACountOfScalars() {
        let scalars: [UInt32] = [0x41, 0x7A, 0x30, 0x27, 0x2D, 0x20, 0x2C, 0xE9, 0x7FF, 0x800, 0x33FF, 0x3400, 0x4DBF, 0x4DC0,
                                 0x4DFF, 0x4E00, 0x4FFF, 0x5000, 0x8D28, 0x9FFF, 0xA000, 0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0xFFFD,
                                 0x1F600, 0x1FFFF, 0x20000, 0x2EBEF, 0x2EBF0, 0x30000, 0x3134F, 0x31350]
        var generator = SeededGenerator(seed: 41)
        for _ in 0..<400 {
            let text = String(String.UnicodeScalarView((0..<Int.random(in: 0..<60, using: &generator)).compactMap { _ in
                Unicode.Scalar(scalars[Int.random(in: 0..<scalars.count, using: &generator)])
            }))
            let expected = Self.countScalars(text)
            #expect(TextStatistics(text) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(TextStatistics(utf8: Array(text.utf8)) == expected)
        }
    }

    private static func countScalars(_ text: String) -> TextStatistics {
        var statistics = TextStatistics(""), inWord = false
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if !inWord { statistics.latinWords += 1 }
                inWord = true
            } else if scalar != "'" && scalar != "-" || !scalar.isASCII {
                inWord = false
            }
            if TextStatistics.isCJK(scalar) { statistics.cjkCharacters += 1 }
        }
        return statistics
    }
}

@Suite struct CalendarDateTests {
    @Test func parsesAndFormatsChineseDates() throws {
        let date = try #require(CalendarDate(iso: "2020-08-14"))
        #expect(date.chinese == "2020年8月14日")
        #expect(date.iso == "2020-08-14")
        #expect(date.rfc3339 == "2020-08-14T00:00:00+08:00")
        #expect(CalendarDate(iso: "2020-02-30") == nil)
        #expect(CalendarDate(iso: "2020-02-29") != nil)
        #expect(CalendarDate(iso: "14/08/2020") == nil)
    }
}

@Suite struct StagingDirectoryTests {
    @Test func swapsInOnlyOnCommit() async throws {
        let site = try TemporarySite(["Output/.qpress-output": "", "Output/old.html": "old"])
        defer { site.remove() }
        let output = site.root.appendingPathComponent("Output")
        let staging = try StagingDirectory(output: output, protecting: site.root.appendingPathComponent("Content"))
        try Data("new".utf8).write(to: staging.staging.appendingPathComponent("new.html"))
        #expect(site.read("Output/old.html") == "old")
        try await staging.commit()
        #expect(site.read("Output/new.html") == "new")
        #expect(!site.exists("Output/old.html"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".Output") }
        #expect(leftovers.isEmpty)
    }

    @Test func discardLeavesOutputAlone() throws {
        let site = try TemporarySite(["Output/.qpress-output": "", "Output/old.html": "old"])
        defer { site.remove() }
        let staging = try StagingDirectory(output: site.root.appendingPathComponent("Output"), protecting: site.root.appendingPathComponent("Content"))
        staging.discard()
        #expect(site.read("Output/old.html") == "old")
        #expect(!FileManager.default.fileExists(atPath: staging.staging.path))
    }

    @Test func refusesFoldersItDidNotWrite() throws {
        let site = try TemporarySite(["Documents/thesis.docx": "precious"])
        defer { site.remove() }
        #expect(throws: StagingDirectory.Problem.self) {
            try StagingDirectory(output: site.root.appendingPathComponent("Documents"), protecting: site.root.appendingPathComponent("Content"))
        }
        #expect(throws: StagingDirectory.Problem.self) {
            try StagingDirectory(output: site.root, protecting: site.root.appendingPathComponent("Content"))
        }
        #expect(site.read("Documents/thesis.docx") == "precious")
    }
}

@Suite struct HTMLEscapingTests {
    @Test func escapesMarkupCharactersAndLeavesChineseAlone() {
        #expect(HTMLEscaping.text("质量<月> & \"口号\"") == "质量&lt;月&gt; &amp; \"口号\"")
        #expect(HTMLEscaping.attribute("质量<月> & \"口号\" '一'") == "质量&lt;月&gt; &amp; &quot;口号&quot; &#39;一&#39;")
        #expect(HTMLEscaping.attribute("机械工业质量管理论文经验集") == "机械工业质量管理论文经验集")
        #expect(HTMLEscaping.text("") == "")
    }
}

@Suite struct FingerprintTests {
    @Test func separatesFieldsAndMatchesBytesAndText() {
        func print(_ parts: String...) -> String {
            var fingerprint = Fingerprint()
            for part in parts { fingerprint.add(part) }
            return fingerprint.hex
        }
        #expect(print("ab", "c") != print("a", "bc"))
        #expect(print("质量") == print("质量"))
        var bytes = Fingerprint()
        bytes.add(bytes: Array("质量".utf8))
        var lazyBytes = Fingerprint()
        lazyBytes.add(bytes: "质量".utf8.lazy.map { $0 })
        #expect(bytes.hex == print("质量"))
        #expect(lazyBytes.hex == print("质量"))
    }
}

@Suite struct DirectoryRemovalTests {
    @Test func removesNestedFoldersButNeverFollowsLinks() async throws {
        let site = try TemporarySite(["keep/precious.txt": "keep", "tree/a/b/c.html": "c", "tree/a/d.html": "d", "tree/e.html": "e", "tree/f/.hidden": "h"])
        defer { site.remove() }
        let tree = site.root.appendingPathComponent("tree")
        try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent("link").path, withDestinationPath: site.root.appendingPathComponent("keep").path)
        #expect(await DirectoryRemoval.remove(tree.path, tasks: 3))
        #expect(!site.exists("tree"))
        #expect(site.read("keep/precious.txt") == "keep")
    }
}

@Suite struct ParallelSlicesTests {
    @Test func resultsComeBackInSliceOrder() async {
        let items = Array(0..<1_000)
        let sums = await ParallelSlices.map(items, sliceSize: 7) { slice in slice.reduce(0, +) }
        #expect(sums.count == 143)
        #expect(sums.first == (0..<7).reduce(0, +))
        #expect(sums.reduce(0, +) == items.reduce(0, +))
        let doubled = await ParallelSlices.flatMap(items, sliceSize: 10) { $0 * 2 }
        #expect(doubled == items.map { $0 * 2 })
    }

    @Test func theFirstErrorInSliceOrderIsRethrown() async {
        struct Failure: Error, Equatable { let at: Int }
        await #expect(throws: Failure(at: 30)) {
            _ = try await ParallelSlices.map(Array(0..<100), sliceSize: 10) { slice throws -> Int in
                if let bad = slice.first(where: { $0 == 30 || $0 == 90 }) { throw Failure(at: bad) }
                return slice.count
            }
        }
    }

    @Test func sliceSizeStaysWithinItsBounds() {
        #expect(ParallelSlices.size(for: 0, slicesPerCore: 4, minimum: 8) == 8)
        #expect(ParallelSlices.size(for: 1_000_000, slicesPerCore: 4, minimum: 8, maximum: 32) == 32)
        #expect(ParallelSlices.size(for: 10, slicesPerCore: 4) >= 1)
    }
}

/// The text width a book's images are placed at follows the margins its print stylesheet really gives.
@Suite struct PageMarginTests {
    @Test func theDefaultPrintStylesheetGivesTwentyTwoAndEighteen() throws {
        let css = try String(contentsOf: TemporarySite.defaultTheme.appendingPathComponent("print/print.css"), encoding: .utf8)
        #expect(PageMargins.of(css: css) == PageMargins(top: 22, outside: 18, bottom: 20, inside: 22))
        #expect(PageMargins.of(css: css).textBlock(try #require(TrimSize.named["16开"])).width == 145)
    }

    @Test func aSitesOwnStylesheetCountsInAnyUnitAndTheNarrowerPageWins() {
        let css = """
        /* @page { margin: 1mm } is a comment */
        @page { margin: 2cm; @top-center { content: "x"; margin: 0 } }
        @page :left { margin-left: 15mm; margin-right: 1in; }
        @page :right { margin: 20mm 56.6929pt 20mm 25mm; }
        @page cover { margin: 0 }
        """
        let margins = PageMargins.of(css: css)
        // Left pages: 15 + 25.4 mm; right pages: 25 + 20 mm, the narrower text block.
        #expect(abs(margins.outside - 20) < 0.01 && margins.inside == 25 && margins.top == 20 && margins.bottom == 20)
        #expect(PageMargins.of(css: "body { margin: 0 }").top > 19.8)
    }

    @Test func theManifestWritesFourMillimetreLengths() {
        #expect(PageMargins.parse("25 30 25 30") == PageMargins(top: 25, outside: 30, bottom: 25, inside: 30))
        #expect(PageMargins.parse("20mm 15mm 20mm 25mm") == PageMargins(top: 20, outside: 15, bottom: 20, inside: 25))
        #expect(PageMargins.parse("20 15 20") == nil && PageMargins.parse("2 15 20 25") == nil)
    }
}

/// Keys told apart by bytes: equal bytes are one key, canonically equal spellings two.
@Suite struct UTF8KeyTests {
    @Test func bytesDecideEqualityAndHash() {
        let composed = "Caf\u{e9}质量", decomposed = "Cafe\u{301}质量"
        #expect(composed == decomposed)
        #expect(UTF8Key(composed) != UTF8Key(decomposed))
        #expect(UTF8Key(composed) == UTF8Key(String(decoding: Array(composed.utf8), as: UTF8.self)))
        #expect(UTF8Key(composed).hashValue == UTF8Key("Caf\u{e9}" + "质量").hashValue)
        let keys = Set(["质量", "质量", composed, decomposed, "", "质"].map(UTF8Key.init))
        #expect(keys.count == 5)
    }
}

/// Two sorted arrays merged as one equal the two sorted together.
@Suite struct SortedMergeTests {
    @Test func aMergeEqualsSortingBoth() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let first = (0..<Int.random(in: 0..<20, using: &random)).map { _ in Int.random(in: 0..<50, using: &random) }.sorted()
            let second = (0..<Int.random(in: 0..<20, using: &random)).map { _ in Int.random(in: 0..<50, using: &random) }.sorted()
            #expect(first.mergingSorted(with: second, by: <) == (first + second).sorted())
        }
        // Equal elements: the receiver's first.
        #expect([(1, "a")].mergingSorted(with: [(1, "b")]) { $0.0 < $1.0 }.map(\.1) == ["a", "b"])
    }
}
