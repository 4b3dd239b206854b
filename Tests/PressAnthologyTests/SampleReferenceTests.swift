import Foundation
import PressCitations
import PressMarkdown
import PressModel
import Testing

/// The sample papers' 参考文献 lists, as the formatter makes them, read back from what the reader gets:
/// the book's web edition, its EPUB and its PDF (pdftotext).
@Suite struct SampleReferenceTests {
    /// `[1] 韩志刚. …` lines of each citing paper of the book, in its order, from the same code that renders it.
    static func expectedLists(_ book: SampleBooks.Book) -> [(paper: Paper, lines: [String])] {
        let inBook = Set(book.manifest.documents)
        let papers = book.site.papers.filter { inBook.contains($0.header.contentRelativePath) }
        let bibliographies = SiteBibliographies(site: book.site, style: book.manifest.citationStyle, papers: papers)
        return papers.filter(bibliographies.cites).map { paper in
            let (rendered, _) = bibliographies.render(paper, markdown: MarkdownRenderer()) { _ in .keep }
            let list = rendered.plainText.components(separatedBy: "参考文献\n").last ?? ""
            return (paper, list.split(separator: "\n").map(String.init))
        }
    }

    /// Text of HTML or XHTML without its tags, entities read.
    static func text(ofMarkup markup: String) -> String {
        markup.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Whether `lines` occur in `text` in their order.
    static func inOrder(_ lines: [String], in text: String) -> Bool {
        var rest = text[...]
        for line in lines {
            guard let found = rest.range(of: line) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }

    @Test func theListsReadBackFromTheWebEditionTheEPUBAndThePDF() async throws {
        let book = try await SampleBooks.shared.book("paper-collection")
        let lists = Self.expectedLists(book)
        // Every paper of the book cites: two from their own files (BibTeX and CSL-JSON), three from the site's.
        #expect(lists.count == 5)
        #expect(lists.map { $0.paper.bibliography.map(\.path) }.flatMap { $0 }.sorted() == [
            "Content/papers/agri-machinery-satisfaction.bib", "Content/papers/excellence-model-motor.json",
        ])
        #expect(book.site.references.map(\.path) == ["Content/references.bib"])
        let web = Self.text(ofMarkup: try String(contentsOf: book.web, encoding: .utf8))
        let epub = Self.text(ofMarkup: try run("unzip", ["-p", book.epub.path, "EPUB/*.xhtml"]).output)
        let pdf = try await SampleBooks.shared.reading(book.manifest.name)
        let openers = pdf.outline().filter { $0.level == 2 }
        for (paper, lines) in lists {
            #expect(lines.count >= 3 && lines.first?.hasPrefix("[1] ") == true, "\(lines)")
            #expect(Self.inOrder(lines, in: web), "web edition: \(paper.header.title)")
            #expect(Self.inOrder(lines, in: epub), "EPUB: \(paper.header.title)")
            // The paper's pages, lines broken anywhere by the typesetting: compared without whitespace.
            let opener = try #require(openers.firstIndex { $0.title == paper.header.title })
            let end = opener + 1 < openers.count ? openers[opener + 1].page - 1 : pdf.pages.count
            let printed = (openers[opener].page...end).map { pdf.compact($0) }.joined()
            let compact = lines.map { $0.filter { !$0.isWhitespace } }
            #expect(Self.inOrder(["参考文献"] + compact, in: printed), "PDF: \(paper.header.title)\n\(compact.filter { !printed.contains($0) })")
            // An ordinary footnote beside the list is a note, headed 注释 and numbered ①, not a second 参考文献 [1].
            if paper.header.body.contains("[^reliability]") {
                #expect(Self.inOrder(["信度检验①", "注释", "①两年问卷各维度的信度系数", "参考文献", "[1]"], in: printed), "PDF: notes")
            }
        }
        let notes = try String(contentsOf: book.web, encoding: .utf8)
        #expect(notes.components(separatedBy: #"<section class="footnotes notes">"#).count == 2)
        #expect(notes.contains(##"<sup class="footnote-ref note-ref"><a href="#agri-machinery-satisfaction--fn-1""##))
    }
}
