import Foundation
public import PressCore
public import PressMarkdown
public import PressModel
public import PressReferences

/// The site's bibliography files, each read once per build, and the citations of papers rendered
/// with them: a paper cites from its own `bibliography:` files and the site-wide `Content/references.*`.
public struct SiteBibliographies: Sendable {
    public let style: CitationStyle
    /// Entries of each file that could be read, by path relative to the site root.
    private let entriesByPath: [String: [Entry]]
    private let siteWide: [String]
    /// Files that exist but could not be read (malformed, not UTF-8): their error is reported once.
    private let unreadable: Set<String>
    /// Malformed files, keys repeated within a file, entries missing required fields: reported once per build.
    public let diagnostics: [Diagnostic]

    /// `style` overrides the site's `citation_style` (an anthology's own); `papers` (a book's) limits the
    /// files read to theirs and the site-wide ones.
    public init(site: Site, style: String? = nil, papers: [Paper]? = nil) {
        self.style = CitationStyle(rawValue: style ?? site.config.citationStyle) ?? .numeric
        siteWide = site.references.map(\.path)
        let paths = siteWide + (papers ?? site.papers).flatMap { $0.bibliography.map(\.path) }
        var entries: [String: [Entry]] = [:]
        var diagnostics: [Diagnostic] = []
        var unreadable: Set<String> = []
        for path in paths where entries[path] == nil {
            let url = URL(fileURLWithPath: site.root ?? ".").appendingPathComponent(path)
            // A missing file was reported where the paper names it.
            guard FileManager.default.fileExists(atPath: url.path) else {
                entries[path] = []
                continue
            }
            do {
                let read = try Bibliography.read(url, displayPath: path)
                var check = Bibliography()
                diagnostics += check.add(read) + check.warnings
                entries[path] = read
            } catch {
                diagnostics.append(error)
                unreadable.insert(path)
                entries[path] = []
            }
        }
        entriesByPath = entries
        self.unreadable = unreadable
        self.diagnostics = diagnostics
    }

    /// True when the paper has entries to cite from; only then is `@` in its text read as a citation.
    public func cites(_ paper: Paper) -> Bool { !siteWide.isEmpty || !paper.bibliography.isEmpty }

    /// The paper's files, then the site's; a key in both is an error naming both places.
    public func bibliography(for paper: Paper) -> (Bibliography, [Diagnostic]) {
        var bibliography = Bibliography()
        var errors: [Diagnostic] = []
        for path in paper.bibliography.map(\.path) + siteWide {
            errors += bibliography.add(entriesByPath[path] ?? []).filter { error in
                // Keys repeated within one file were reported with the file.
                !error.message.contains("already defined at \(error.location.file):")
            }
        }
        return (bibliography, errors)
    }

    /// Renders a paper's Markdown with its citations and appends its 参考文献 list, to the HTML and to the
    /// search text. Author-date takes two passes: a year's `a`, `b` depend on every work the paper cites.
    public func render(_ paper: Paper, markdown: MarkdownRenderer, idPrefix: String = "",
                document: MarkdownRenderer.DocumentOptions = .init(),
                resolveLink: (String) -> LinkResolution) -> (RenderedMarkdown, [Diagnostic]) {
        let (bibliography, errors) = self.bibliography(for: paper)
        var citations = CitationRenderer(bibliography: bibliography, style: style, idPrefix: idPrefix)
        citations.reportsUnknownKeys = (paper.bibliography.map(\.path) + siteWide).allSatisfy { !unreadable.contains($0) }
        if style == .authorDate {
            let firstPass = pass(paper, citations, markdown: markdown, document: document, resolveLink: resolveLink)
            citations.disambiguate(citing: firstPass.citations.cited)
        }
        var (rendered, problems, used) = pass(paper, citations, markdown: markdown, document: document, resolveLink: resolveLink)
        if let list = used.referenceListHTML() { rendered.html = Self.markingNotes(in: rendered.html) + list }
        if let list = used.referenceListText() { rendered.plainText += list }
        return (rendered, errors + problems + used.diagnostics)
    }

    /// A paper's footnotes are its 参考文献 when it has no bibliography (stylesheets head them so). Beside a
    /// list made from a bibliography they are ordinary notes: classes `notes` and `note-ref` let stylesheets
    /// head them 注释 and number them apart from the citations. The footnote markup is the renderer's own
    /// (cmark-gfm's and `MarkdownRenderer`'s end notes), so the strings are known.
    static func markingNotes(in html: String) -> String {
        guard html.contains("class=\"footnote") else { return html }
        return html.replacingOccurrences(of: "<section class=\"footnotes\"", with: "<section class=\"footnotes notes\"")
            .replacingOccurrences(of: "<sup class=\"footnote-ref\">", with: "<sup class=\"footnote-ref note-ref\">")
    }

    /// One rendering of the paper's Markdown, its citations replaced by `citations`, which it returns as they end up.
    private func pass(_ paper: Paper, _ citations: CitationRenderer, markdown: MarkdownRenderer, document: MarkdownRenderer.DocumentOptions,
                      resolveLink: (String) -> LinkResolution) -> (rendered: RenderedMarkdown, problems: [Diagnostic], citations: CitationRenderer) {
        let header = paper.header
        let collector = CitationCollector(citations)
        let (rendered, problems) = markdown.render(header.body, file: header.sourcePath, firstLine: header.bodyFirstLine,
                                                   document: document, resolveLink: resolveLink) { text, line in
            collector.replace(text, file: header.sourcePath, line: line)
        }
        return (rendered, problems, collector.value)
    }
}

/// Holds the renderer while cmark offers text runs one by one (the closure cannot mutate a local).
private final class CitationCollector {
    var value: CitationRenderer
    init(_ value: CitationRenderer) { self.value = value }

    func replace(_ text: String, file: String, line: Int) -> [TextReplacement]? {
        value.replaceCitations(in: text, file: file, line: line)?.map { segment in
            switch segment {
            case .text(let text): .text(text)
            case .html(let html): .html(html, text: segment.text)
            }
        }
    }
}
