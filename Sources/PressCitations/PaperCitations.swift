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
    /// Malformed files, keys repeated within a file, entries missing required fields: reported once per build.
    public let diagnostics: [Diagnostic]

    /// `style` overrides the site's `citation_style` (an anthology's own).
    public init(site: Site, style: String? = nil) {
        self.style = CitationStyle(rawValue: style ?? site.config.citationStyle) ?? .numeric
        siteWide = site.references.map(\.path)
        let paths = siteWide + site.papers.flatMap { $0.bibliography.map(\.path) }
        var entries: [String: [Entry]] = [:]
        var diagnostics: [Diagnostic] = []
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
                entries[path] = []
            }
        }
        entriesByPath = entries
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

    /// Renders a paper's Markdown with its citations and appends its 参考文献 list.
    public func render(_ paper: Paper, markdown: MarkdownRenderer, idPrefix: String = "",
                document: MarkdownRenderer.DocumentOptions = .init(),
                resolveLink: (String) -> LinkResolution) -> (RenderedMarkdown, [Diagnostic]) {
        let header = paper.header
        let (bibliography, errors) = self.bibliography(for: paper)
        let renderer = CitationCollector(CitationRenderer(bibliography: bibliography, style: style, idPrefix: idPrefix))
        var (rendered, problems) = markdown.render(header.body, file: header.sourcePath, firstLine: header.bodyFirstLine,
                                                   document: document, resolveLink: resolveLink) { text, line in
            renderer.replace(text, file: header.sourcePath, line: line)
        }
        if let list = renderer.value.referenceListHTML() { rendered.html += list }
        return (rendered, errors + problems + renderer.value.diagnostics)
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
            case .html(let html): .html(html)
            }
        }
    }
}
